package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"antre/hq/hqtest"
)

var antreBin string

// TestMain builds the antre binary once; the tests run it as a real process.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "antre-bin")
	if err != nil {
		panic(err)
	}
	antreBin = filepath.Join(dir, "antre")
	if out, err := exec.Command("go", "build", "-race", "-o", antreBin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := hqtest.Main(m) // the tests of antre hq share one PostgreSQL cluster, removed after them
	os.RemoveAll(dir)
	os.Exit(code)
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startHub runs `antre server` on data and addr and waits for its "ready" log line.
func startHub(t *testing.T, data, addr string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(antreBin, "server")
	cmd.Env = append(os.Environ(), "ANTRE_DATA="+data, "ANTRE_ADDR="+addr)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = nil
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "msg=ready") {
				ready <- true
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("hub did not log ready")
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

func run(t *testing.T, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(antreBin, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("antre %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// TestKillDuringIssues: the hub is killed with SIGKILL in the middle of a stream of issues; after
// a restart every acknowledged ticket is there and numbering continues without reuse.
func TestKillDuringIssues(t *testing.T) {
	data, addr := t.TempDir(), freeAddr(t)
	env := []string{"ANTRE_DATA=" + data}
	hub := startHub(t, data, addr)
	kiosk := lastLine(run(t, env, "device", "add", "--role", "kiosk", "--name", "kiosk-crash"))

	var mu sync.Mutex
	acked := map[string]bool{}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				body := fmt.Sprintf(`{"group":%q}`, string(rune('A'+(w+i)%3)))
				req, _ := http.NewRequestWithContext(ctx, "POST", "http://"+addr+"/api/v1/tickets", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+kiosk)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					return // the hub is gone
				}
				var tr struct{ Code string }
				json.NewDecoder(resp.Body).Decode(&tr)
				resp.Body.Close()
				if resp.StatusCode == 201 {
					mu.Lock()
					acked[tr.Code] = true
					mu.Unlock()
				}
			}
		}()
	}
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 60 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	hub.Process.Signal(syscall.SIGKILL)
	hub.Wait()
	cancel()
	wg.Wait()

	startHub(t, data, addr)
	maxN := map[string]int{}
	for code := range acked {
		resp, err := http.Get("http://" + addr + "/api/v1/tickets/" + code)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("acknowledged %s is gone after the crash (status %d)", code, resp.StatusCode)
		}
		var n int
		fmt.Sscanf(code[1:], "%d", &n)
		maxN[code[:1]] = max(maxN[code[:1]], n)
	}
	for g, n := range maxN {
		req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/tickets", strings.NewReader(fmt.Sprintf(`{"group":%q}`, g)))
		req.Header.Set("Authorization", "Bearer "+kiosk)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var tr struct{ Code string }
		json.NewDecoder(resp.Body).Decode(&tr)
		resp.Body.Close()
		var got int
		fmt.Sscanf(tr.Code[1:], "%d", &got)
		if resp.StatusCode != 201 || got <= n || acked[tr.Code] {
			t.Errorf("group %s after restart issued %s (status %d); highest acknowledged was %d", g, tr.Code, resp.StatusCode, n)
		}
	}
	t.Logf("%d tickets acknowledged before SIGKILL", len(acked))
}

// TestCLIAccounts: user and device commands work on the data directory, also while the hub runs,
// and their log-ins and tokens work at once.
func TestCLIAccounts(t *testing.T) {
	data, addr := t.TempDir(), freeAddr(t)
	env := []string{"ANTRE_DATA=" + data}
	startHub(t, data, addr)
	run(t, env, "user", "add", "--role", "officer", "--name", "sari", "--password", "loket-tiga")
	disp := lastLine(run(t, env, "device", "add", "--role", "display", "--name", "tv-lantai-1"))
	resp, err := http.Post("http://"+addr+"/api/v1/login", "application/json", strings.NewReader(`{"name":"sari","password":"loket-tiga"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("log-in of a CLI-made user: %v %v", err, resp)
	}
	resp.Body.Close()
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/state", nil)
	req.Header.Set("Authorization", "Bearer "+disp)
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("display token: %v %v", err, resp)
	}
	resp.Body.Close()
	cmd := exec.Command(antreBin, "user", "add", "--role", "boss", "--name", "x", "--password", "123456")
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "staff role") {
		t.Errorf("bad role accepted: %s", out)
	}
}

// TestDemoIsOptIn: a hub started without --demo has no demo log-ins; with --demo it prints the
// URLs, the demo log-ins and a kiosk command that runs as printed (the binary's own path). User
// and device commands work on a fresh data directory without a hub or --demo.
func TestDemoIsOptIn(t *testing.T) {
	data, addr := t.TempDir(), freeAddr(t)
	env := []string{"ANTRE_DATA=" + data}
	tok := lastLine(run(t, env, "device", "add", "--role", "kiosk", "--name", "kiosk-lobi"))
	run(t, env, "user", "add", "--role", "admin", "--name", "kepala", "--password", "rahasia-1")
	hub := startHub(t, data, addr)
	login := func(name, pw string) int {
		resp, err := http.Post("http://"+addr+"/api/v1/login", "application/json", strings.NewReader(`{"name":"`+name+`","password":"`+pw+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := login("admin", "admin123"); st != 401 {
		t.Errorf("demo admin without --demo: %d", st)
	}
	if st := login("kepala", "rahasia-1"); st != 200 {
		t.Errorf("CLI-made admin: %d", st)
	}
	req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/tickets", strings.NewReader(`{"group":"A"}`))
	req.Header.Set("Authorization", "Bearer "+tok)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 201 {
		t.Fatalf("CLI-made kiosk token: %v %v", err, resp)
	}
	hub.Process.Kill()
	hub.Wait()

	demo := exec.Command(antreBin, "server", "--demo")
	demo.Env = append(os.Environ(), "ANTRE_DATA="+t.TempDir(), "ANTRE_ADDR="+freeAddr(t))
	out, err := demo.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { demo.Process.Kill(); demo.Wait() })
	var printed strings.Builder
	sc := bufio.NewScanner(out)
	for sc.Scan() && !strings.Contains(printed.String(), "Log-ins:") {
		printed.WriteString(sc.Text() + "\n")
	}
	if !strings.Contains(printed.String(), antreBin+" kiosk --hub http://") || !strings.Contains(printed.String(), "admin / admin123") {
		t.Errorf("demo start printed:\n%s", printed.String())
	}
}
