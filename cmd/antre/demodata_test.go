package main

import (
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestDemoDataCommand: antre demo-data fills a new data directory, antre server then serves it
// (the generator's staff log in), and a second run on it is refused with the reason.
func TestDemoDataCommand(t *testing.T) {
	data, addr := t.TempDir(), freeAddr(t)
	out := run(t, nil, "demo-data", "--data", data, "--days", "4", "--seed", "3")
	for _, want := range []string{"tickets: ", "files: ", "survey answers", "serve it: antre server --data " + data} {
		if !strings.Contains(out, want) {
			t.Errorf("demo-data's report lacks %q:\n%s", want, out)
		}
	}
	hub := startHub(t, data, addr)
	resp, err := http.Post("http://"+addr+"/api/v1/login", "application/json", strings.NewReader(`{"name":"kakanim","password":"demo12345"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("log-in as the history's head of office: %d", resp.StatusCode)
	}
	hub.Process.Kill()
	hub.Wait()
	cmd := exec.Command(antreBin, "demo-data", "--data", data, "--days", "4")
	cmd.Env = os.Environ()
	again, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(again), "already holds data") {
		t.Errorf("a second history on the same store: %v\n%s", err, again)
	}
}
