package server_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkHTTPIssue measures durable ticket issues over HTTP with the client in this process and
// the server in its own: the real hub (antre server, synchronous=FULL, a kiosk token), against
// the baseline of a plain Go HTTP server doing one durable single-row INSERT per request
// (testdata/plainhttp). Compare issues/s of hub and plain at the same number of clients.
func BenchmarkHTTPIssue(b *testing.B) {
	dir := b.TempDir()
	build := func(out, pkg string) string {
		bin := filepath.Join(dir, out)
		if o, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput(); err != nil {
			b.Fatalf("build %s: %v\n%s", pkg, err, o)
		}
		return bin
	}
	antre := build("antre", "antre/cmd/antre")
	plain := build("plainhttp", "./testdata/plainhttp")
	for _, clients := range []int{1, 32} {
		b.Run(fmt.Sprintf("hub/clients=%d", clients), func(b *testing.B) {
			url, token := startHubProcess(b, antre)
			benchPosts(b, clients, url+"/api/v1/tickets", token)
		})
		b.Run(fmt.Sprintf("plain/clients=%d", clients), func(b *testing.B) {
			addr := freeLocalAddr(b)
			cmd := exec.Command(plain, addr, filepath.Join(b.TempDir(), "plain.db"))
			waitReady(b, cmd, "ready")
			benchPosts(b, clients, "http://"+addr+"/issue", "")
		})
	}
}

func freeLocalAddr(b *testing.B) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// waitReady starts cmd and waits for a line containing word on its stdout or stderr.
func waitReady(b *testing.B, cmd *exec.Cmd, word string) {
	r, w := io.Pipe()
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cmd.Process.Kill(); cmd.Wait(); w.Close() })
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(r)
		once := sync.Once{}
		for sc.Scan() {
			if strings.Contains(sc.Text(), word) {
				once.Do(func() { close(ready) })
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		b.Fatalf("%s did not start", cmd.Path)
	}
}

// startHubProcess runs antre server (26 groups of 999 walk-in numbers, synchronous FULL) and
// returns its URL and a kiosk token.
func startHubProcess(b *testing.B, bin string) (string, string) {
	data := b.TempDir()
	var cfg bytes.Buffer
	cfg.WriteString("groups:\n")
	for c := 'A'; c <= 'Z'; c++ {
		fmt.Fprintf(&cfg, "  - {code: %c, name_id: Layanan %c, name_en: Service %c, walkin: 999, online: 0, priority: 0}\n", c, c, c)
	}
	cfg.WriteString("counters:\n  - {number: 1, name: Loket 1, groups: [A]}\n")
	file := filepath.Join(data, "office.yaml")
	if err := os.WriteFile(file, cfg.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	env := append(os.Environ(), "ANTRE_DATA="+data)
	add := exec.Command(bin, "device", "add", "--config", file, "--role", "kiosk", "--name", "bench")
	add.Env = env
	out, err := add.CombinedOutput()
	if err != nil {
		b.Fatalf("device add: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	token := strings.TrimSpace(lines[len(lines)-1])
	addr := freeLocalAddr(b)
	cmd := exec.Command(bin, "server", "--config", file, "--addr", addr)
	cmd.Env = env
	waitReady(b, cmd, "msg=ready")
	return "http://" + addr, token
}

// benchPosts sends b.N issue requests from clients goroutines over keep-alive connections and
// reports issues/s.
func benchPosts(b *testing.B, clients int, url, token string) {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	defer tr.CloseIdleConnections()
	var n atomic.Int64
	var failed atomic.Value
	post := func(i int64) {
		body := fmt.Sprintf(`{"group":"%c"}`, 'A'+i%26)
		req, _ := http.NewRequest("POST", url, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			failed.Store(err.Error())
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			failed.Store(fmt.Sprintf("status %d", resp.StatusCode))
		}
	}
	post(0) // warm the connection and the server
	b.ResetTimer()
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := n.Add(1)
				if i > int64(b.N) {
					return
				}
				post(i)
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	if f := failed.Load(); f != nil {
		b.Fatalf("a request failed: %v", f)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "issues/s")
}
