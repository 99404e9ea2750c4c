package main

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"antre/hq/hqtest"
)

// startProc runs antre with env and waits until its standard error has a line containing
// ready; it is killed when the test ends.
func startProc(t *testing.T, env []string, ready string, args ...string) {
	t.Helper()
	cmd := exec.Command(antreBin, args...)
	cmd.Env = append(os.Environ(), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	ok := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), ready) {
				ok <- true
			}
		}
	}()
	select {
	case <-ok:
	case <-time.After(60 * time.Second):
		t.Fatalf("antre %v did not log %q", args, ready)
	}
}

// TestHQCommand: the interface outside acceptance tests use. `antre hq office add` prints the
// office's credentials with ANTRE_HQ_CREDENTIALS on its last line; `antre hq` runs on
// ANTRE_HQ_ADDR, ANTRE_HQ_POSTGRES, ANTRE_HQ_NATS_LISTEN and ANTRE_DATA; a hub with office.code,
// ANTRE_HQ_NATS_URL and ANTRE_HQ_CREDENTIALS ships its events; GET /api/v1/offices counts them.
func TestHQCommand(t *testing.T) {
	pg := hqtest.Database(t)
	hqAddr, natsAddr := freeAddr(t), freeAddr(t)
	hqEnv := []string{"ANTRE_DATA=" + t.TempDir(), "ANTRE_HQ_POSTGRES=" + pg, "ANTRE_HQ_ADDR=" + hqAddr, "ANTRE_HQ_NATS_LISTEN=" + natsAddr}
	out := run(t, hqEnv, "hq", "office", "add", "--code", "KANIM-TBK", "--name", "Kantor Imigrasi Tanjung Balai Karimun", "--region", "Kepulauan Riau")
	creds := lastLine(out)
	if !strings.HasPrefix(creds, "antre-hq:") {
		t.Fatalf("last line is not the credentials:\n%s", out)
	}
	startProc(t, hqEnv, "headquarters ready", "hq")

	data, addr := t.TempDir(), freeAddr(t)
	hubEnv := []string{"ANTRE_DATA=" + data, "ANTRE_ADDR=" + addr, "ANTRE_OFFICE_CODE=KANIM-TBK",
		"ANTRE_HQ_NATS_URL=tls://" + natsAddr, "ANTRE_HQ_CREDENTIALS=" + creds}
	kiosk := lastLine(run(t, hubEnv, "device", "add", "--role", "kiosk", "--name", "kiosk-1"))
	startProc(t, hubEnv, "msg=ready", "server")
	req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/tickets", strings.NewReader(`{"group":"A"}`))
	req.Header.Set("Authorization", "Bearer "+kiosk)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("issue: %v %v", resp, err)
	}
	resp.Body.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var offices []struct {
			Code        string `json:"code"`
			Events      int64  `json:"events"`
			IssuedToday int    `json:"issued_today"`
			Region      string `json:"region"`
		}
		if r, err := http.Get("http://" + hqAddr + "/api/v1/offices"); err == nil {
			json.NewDecoder(r.Body).Decode(&offices)
			r.Body.Close()
		}
		// Events: the day event of the start and the issue.
		if len(offices) == 1 && offices[0].Code == "KANIM-TBK" && offices[0].IssuedToday == 1 && offices[0].Events >= 2 && offices[0].Region == "Kepulauan Riau" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("headquarters' offices: %+v", offices)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if out := run(t, hqEnv, "hq", "nats-config", "--name", "hq-nats-1", "--route", "nats-route://10.0.0.1:6222"); !strings.Contains(out, "resolver_preload") {
		t.Fatalf("nats-config:\n%s", out)
	}
}
