package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"antre/server/servertest"
)

// TestDisplayWithoutSound runs `antre display` on a machine whose ALSA has no sound card: it
// says so, keeps following the hub, and logs each call it would have announced.
func TestDisplayWithoutSound(t *testing.T) {
	h := servertest.New(t)
	tok, err := h.DB().AddDevice(t.Context(), "speakers", "display")
	if err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(t.TempDir(), "asound.conf")
	if err := os.WriteFile(conf, []byte("pcm.!default {\n\ttype hw\n\tcard 99\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(antreBin, "display", "--hub", h.URL, "--token", tok, "--audio", "alsa")
	cmd.Env = append(os.Environ(), "ALSA_CONFIG_PATH="+conf)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var log strings.Builder
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			mu.Lock()
			log.WriteString(sc.Text() + "\n")
			mu.Unlock()
		}
	}()
	waitFor := func(s string) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			mu.Lock()
			got := log.String()
			mu.Unlock()
			if strings.Contains(got, s) {
				return
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatalf("antre display did not log %q:\n%s", s, got)
			}
		}
	}
	waitFor("NO SOUND")
	waitFor("no sound device")
	waitFor("hub state received")
	var out struct{ Code string }
	h.Do("POST", "/api/v1/tickets", h.Kiosk, map[string]any{"group": "A"}, nil)
	if st := h.Do("POST", "/api/v1/counters/2/next", h.Officer, nil, &out); st != 200 || out.Code != "A001" {
		t.Fatalf("next: %d %s", st, out.Code)
	}
	waitFor("msg=announcing ticket=A001 counter=2")
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("antre display ended with %v", err)
	}
}
