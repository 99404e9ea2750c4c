package server_test

// Regression tests of the hub-hardening issue: each failed on the hub as the audit found it.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"antre"
	"antre/internal/logx"
	"antre/server"
	"antre/server/servertest"
)

// TestSnapshotStormKeepsTheHubAnswering: 64 clients reading snapshots at once (state, metrics,
// counters, stream connects) while /healthz answers within a second every time. Before, 16 such
// readers froze every read of the hub, /healthz included.
func TestSnapshotStormKeepsTheHubAnswering(t *testing.T) {
	h := servertest.New(t, withQuota(200, 0, 0))
	for i := range 300 {
		issue(t, h, map[string]any{"group": string(rune('A' + i%6))})
	}
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	var reads atomic.Int64
	paths := []string{"/api/v1/state", "/metrics", "/api/v1/counters", "/ws"}
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				if p := paths[i%len(paths)]; p == "/ws" {
					c, _, err := websocket.DefaultDialer.DialContext(ctx, "ws"+strings.TrimPrefix(h.URL, "http")+"/ws?token="+h.Officer, nil)
					if err == nil {
						c.SetReadDeadline(time.Now().Add(2 * time.Second))
						if _, _, err := c.ReadMessage(); err == nil {
							reads.Add(1)
						}
						c.Close()
					}
				} else {
					req, _ := http.NewRequestWithContext(ctx, "GET", h.URL+p, nil)
					req.Header.Set("Authorization", "Bearer "+h.Officer)
					if resp, err := http.DefaultClient.Do(req); err == nil {
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode == 200 {
							reads.Add(1)
						}
					}
				}
			}
		}()
	}
	probe := &http.Client{Timeout: time.Second}
	for ctx.Err() == nil {
		start := time.Now()
		resp, err := probe.Get(h.URL + "/healthz")
		if err != nil {
			t.Fatalf("/healthz during the storm: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("/healthz during the storm: %d after %v", resp.StatusCode, time.Since(start))
		}
		time.Sleep(50 * time.Millisecond)
	}
	wg.Wait()

	if reads.Load() < 64 {
		t.Errorf("only %d snapshot reads succeeded during the storm", reads.Load())
	}
}

// TestParallelLoginsCannotBypassTheThrottle: after five failures, 30 parallel attempts with the
// right password among them all wait; and 30 parallel wrong attempts from scratch check no more
// passwords than the three free failures.
func TestParallelLoginsCannotBypassTheThrottle(t *testing.T) {
	h := servertest.New(t)
	login := func(pw string) int {
		return h.Do("POST", "/api/v1/login", "", map[string]string{"name": "petugas", "password": pw}, nil)
	}
	h.Clock.Advance(10 * time.Minute)
	for range 5 {
		login("salah")
	}
	statuses := parallel(30, func(i int) int {
		if i == 29 {
			return login("rahasia1")
		}
		return login("salah")
	})
	if statuses[200] != 0 || statuses[429] != 30 {
		t.Fatalf("30 parallel attempts after 5 failures: %v", statuses)
	}

	h.Clock.Advance(time.Hour) // the records expire
	statuses = parallel(30, func(int) int {
		return h.Do("POST", "/api/v1/login", "", map[string]string{"name": "kepala", "password": "salah"}, nil)
	})
	if statuses[401] != 3 || statuses[429] != 27 {
		t.Fatalf("30 parallel wrong attempts: %v; want 3 checked (401) and 27 refused (429)", statuses)
	}
}

func parallel(n int, f func(i int) int) map[int]int {
	var mu sync.Mutex
	out := map[int]int{}
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := f(i)
			mu.Lock()
			out[st]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// TestStartupRefusals: a hub does not start on a deleted store, on a directory another hub
// holds, or with an SMS gateway and no callback secret; --init starts a new store on purpose.
func TestStartupRefusals(t *testing.T) {
	ctx := t.Context()
	cfg, err := server.LoadConfig(nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Data, cfg.Synchronous, cfg.PasswordCost = t.TempDir(), "NORMAL", 4
	log := slog.New(slog.DiscardHandler)
	first, err := server.Open(ctx, cfg, log, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := server.Open(ctx, cfg, log, nil); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("PID %d", os.Getpid())) {
		t.Errorf("a second hub on the same directory: %v", err)
	}
	first.Close()

	os.Remove(filepath.Join(cfg.Data, "antre.db"))
	os.Remove(filepath.Join(cfg.Data, "antre.db-wal"))
	os.Remove(filepath.Join(cfg.Data, "antre.db-shm"))
	if _, err := server.Open(ctx, cfg, log, nil); err == nil || !strings.Contains(err.Error(), "--init") {
		t.Errorf("a hub on a deleted store: %v", err)
	}
	cfg.Init = true
	again, err := server.Open(ctx, cfg, log, nil)
	if err != nil {
		t.Fatalf("--init: %v", err)
	}
	again.Close()

	sms := *cfg
	sms.Init, sms.Data = false, t.TempDir()
	sms.SMS.Adapter = "kannel"
	if _, err := server.Open(ctx, &sms, log, nil); err == nil || !strings.Contains(err.Error(), "inbound_secret") {
		t.Errorf("an SMS gateway without a secret: %v", err)
	}
}

// TestDevicesSeeOnlyTheWaitingRoom: after a VIP grant, a transfer, a specific call and a
// cancellation, all with reasons holding a name, a NIK and a phone number, a display's stream
// and snapshot carry none of it, nor officers' names or device alerts; an officer's do.
func TestDevicesSeeOnlyTheWaitingRoom(t *testing.T) {
	h := servertest.New(t)
	secret := "Bpk Budi Santoso NIK 3171012345678901 HP 0812777"
	display := dial(t, h, h.Display, -1)
	kiosk := dial(t, h, h.Kiosk, -1)
	officer := dial(t, h, h.Officer, -1)
	for _, c := range []*websocket.Conn{display, kiosk, officer} {
		read(t, c)
	}
	h.Do("POST", "/api/v1/tickets", h.Kiosk, map[string]any{"group": "A", "phone": "081277778888"}, nil)
	issue(t, h, map[string]any{"group": "A"})
	issue(t, h, map[string]any{"group": "B"})
	act(t, h, "/api/v1/tickets/A001/dispensation", map[string]any{"category": "vip", "reason": secret}, 200)
	act(t, h, "/api/v1/tickets/A002/transfer", map[string]any{"to_group": "C", "reason": secret}, 200)
	act(t, h, "/api/v1/tickets/B001/call", map[string]any{"counter": 2, "reason": secret}, 200)
	act(t, h, "/api/v1/tickets/A002/cancel", map[string]any{"reason": secret}, 200)
	h.Do("POST", "/api/v1/alerts", h.Kiosk, map[string]any{"kind": "paper_out", "message": "Kertas habis", "active": true}, nil)
	issue(t, h, map[string]any{"group": "F"}) // the last event: every client has everything before it

	readAll := func(c *websocket.Conn) string {
		var b strings.Builder
		for {
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			_, msg, err := c.ReadMessage()
			if err != nil {
				t.Fatalf("stream: %v (so far %s)", err, b.String())
			}
			b.Write(msg)
			b.WriteByte('\n')
			if bytes.Contains(msg, []byte(`"ticket":"F001"`)) {
				return b.String()
			}
		}
	}
	var state bytes.Buffer
	req, _ := http.NewRequest("GET", h.URL+"/api/v1/state", nil)
	req.Header.Set("Authorization", "Bearer "+h.Display)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(&state, resp.Body)
	resp.Body.Close()
	private := []string{"Budi", "3171012345678901", "0812777", "81277778888", "petugas", "Kertas habis", "device.alert", "note", `"waiting":[`}
	for name, got := range map[string]string{"display stream": readAll(display), "kiosk stream": readAll(kiosk), "display snapshot": state.String()} {
		for _, p := range private {
			if strings.Contains(got, p) {
				t.Errorf("%s carries %q:\n%s", name, p, got)
			}
		}
	}
	if got := readAll(officer); !strings.Contains(got, secret) || !strings.Contains(got, "Kertas habis") {
		t.Errorf("the officer's stream lacks the reasons and alerts:\n%s", got)
	}
	// the display still learns what the room shows: the call, the quota and the counts
	var snap antre.Snapshot
	json.Unmarshal(state.Bytes(), &snap)
	if snap.Counters[1].Current == nil || snap.Counters[1].Current.Code != "B001" || snap.Groups[0].Used.Priority != 1 || snap.Groups[2].Waiting != 0 {
		t.Errorf("display snapshot: counters %+v groups %+v", snap.Counters, snap.Groups)
	}
}

// TestDeviceSnapshotDoesNotGrowWithTheCrowd: a display's snapshot with 600 waiting tickets is
// no larger than with 6; an officer's lists them all.
func TestDeviceSnapshotDoesNotGrowWithTheCrowd(t *testing.T) {
	h := servertest.New(t, withQuota(200, 0, 0))
	size := func(tok string) int {
		req, _ := http.NewRequest("GET", h.URL+"/api/v1/state", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return len(b)
	}
	for i := range 6 {
		issue(t, h, map[string]any{"group": string(rune('A' + i%6))})
	}
	small, smallStaff := size(h.Display), size(h.Officer)
	for i := range 594 {
		issue(t, h, map[string]any{"group": string(rune('A' + i%6))})
	}
	big, bigStaff := size(h.Display), size(h.Officer)
	if big > small+small/10 {
		t.Errorf("display snapshot grew from %d to %d bytes with 600 waiting", small, big)
	}
	if bigStaff < 20*smallStaff/2 {
		t.Errorf("officer snapshot %d → %d bytes: the waiting list is missing", smallStaff, bigStaff)
	}
}

// TestIdempotencyKeysAreScoped: a key repeated with another request is refused, a key of
// yesterday issues today's own ticket, and one kiosk cannot report another's print; an officer
// cannot report a kiosk's print either.
func TestIdempotencyKeysAreScoped(t *testing.T) {
	h := servertest.New(t)
	post := func(key string, body map[string]any, out any) int {
		req, _ := http.NewRequest("POST", h.URL+"/api/v1/tickets", strings.NewReader(mustJSON(body)))
		req.Header.Set("Authorization", "Bearer "+h.Kiosk)
		req.Header.Set("Idempotency-Key", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		json.NewDecoder(resp.Body).Decode(out)
		return resp.StatusCode
	}
	var first, again, other ticketResp
	if st := post("tap-1", map[string]any{"group": "A"}, &first); st != 201 {
		t.Fatalf("first: %d", st)
	}
	if st := post("tap-1", map[string]any{"group": "A"}, &again); st != 200 || again.Code != first.Code {
		t.Fatalf("retry: %d %+v", st, again)
	}
	var e apiError
	if st := post("tap-1", map[string]any{"group": "B"}, &e); st != 409 || e.Error.Code != "conflict" {
		t.Fatalf("same key, other request: %d %+v", st, e)
	}
	kiosk2, err := h.DB().AddDevice(t.Context(), "kiosk-2", antre.RoleKiosk)
	if err != nil {
		t.Fatal(err)
	}
	if st := h.Do("POST", "/api/v1/tickets/A001/printed", kiosk2, map[string]any{"ok": false}, &e); st != 403 {
		t.Errorf("another kiosk reported the print: %d", st)
	}
	if st := h.Do("POST", "/api/v1/tickets/A001/printed", h.Officer, map[string]any{"ok": true}, &e); st != 403 {
		t.Errorf("an officer called /printed: %d", st)
	}
	if st := h.Do("POST", "/api/v1/tickets/A001/printed", h.Kiosk, map[string]any{"ok": true}, nil); st != 200 {
		t.Errorf("the issuing kiosk's report: %d", st)
	}
	h.Clock.Advance(24 * time.Hour)
	if st := post("tap-1", map[string]any{"group": "A"}, &other); st != 201 || other.Code != "A001" {
		t.Fatalf("same key the next day: %d %+v", st, other)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestCrossSiteRequestsAreRefused: a cookie-authenticated change or stream from another site's
// page is refused (403) while the same from the hub's own page goes through; ?token= works only
// on the stream.
func TestCrossSiteRequestsAreRefused(t *testing.T) {
	h := servertest.New(t)
	issue(t, h, map[string]any{"group": "A"})
	resp, err := http.Post(h.URL+"/api/v1/login", "application/json", strings.NewReader(`{"name":"petugas","password":"rahasia1"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "antre_session" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode {
		t.Fatalf("session cookie %+v", cookie)
	}
	call := func(headers map[string]string) int {
		req, _ := http.NewRequest("POST", h.URL+"/api/v1/counters/1/next", nil)
		req.AddCookie(cookie)
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := call(map[string]string{"Origin": "http://evil.example"}); st != 403 {
		t.Errorf("cross-origin cookie POST: %d", st)
	}
	if st := call(map[string]string{"Sec-Fetch-Site": "cross-site"}); st != 403 {
		t.Errorf("cross-site (Sec-Fetch-Site) cookie POST: %d", st)
	}
	if tk, _ := h.DB().Ticket(t.Context(), "A001"); tk.Status != antre.StatusWaiting {
		t.Fatalf("a refused cross-site request called A001: %s", tk.Status)
	}
	if st := call(map[string]string{"Origin": h.URL, "Sec-Fetch-Site": "same-origin"}); st != 200 {
		t.Errorf("same-origin cookie POST: %d", st)
	}
	hdr := http.Header{"Origin": {"http://evil.example"}}
	hdr.Set("Cookie", cookie.Name+"="+cookie.Value)
	if c, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(h.URL, "http")+"/ws", hdr); err == nil {
		c.Close()
		t.Error("a cross-site page opened the stream with the officer's cookie")
	} else if resp == nil || resp.StatusCode != 403 {
		t.Errorf("cross-site stream: %v", err)
	}
	if st := h.Do("GET", "/api/v1/state?token="+h.Display, "", nil, nil); st != 401 {
		t.Errorf("?token= on an API route: %d, want 401", st)
	}
}

// TestRefusalsDoNotFloodTheLog: 1,000 requests for unknown tickets and 1,000 with a bad token
// write a bounded number of log lines at the default level, with no typed log-in name in them.
func TestRefusalsDoNotFloodTheLog(t *testing.T) {
	var buf syncBuffer
	log := slog.New(logx.Limit(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}), 20, 10*time.Second))
	h := servertest.Start(t, servertest.Settings{Log: log})
	client := &http.Client{}
	for i := range 1000 {
		resp, err := client.Get(fmt.Sprintf("%s/api/v1/tickets/Z%03d", h.URL, i%999+1))
		if err == nil {
			resp.Body.Close()
		}
		req, _ := http.NewRequest("GET", h.URL+"/api/v1/state", nil)
		req.Header.Set("Authorization", "Bearer nope")
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
		}
	}
	h.Do("POST", "/api/v1/login", "", map[string]string{"name": "MyS3cretPassw0rd", "password": "x"}, nil)
	lines := strings.Count(buf.String(), "\n")
	if lines > 60 {
		t.Errorf("2,000 refused requests wrote %d log lines", lines)
	}
	if strings.Contains(buf.String(), "MyS3cretPassw0rd") {
		t.Errorf("a typed log-in name reached the log:\n%s", buf.String())
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestHTTPManners: a wrong method on an API route is 405 with Allow; a replayed event is the
// same bytes as the live one.
func TestHTTPManners(t *testing.T) {
	h := servertest.New(t)
	for _, c := range []struct{ method, path, allow string }{
		{"DELETE", "/api/v1/tickets", "POST"},
		{"GET", "/api/v1/counters/1/next", "POST"},
		{"POST", "/api/v1/quota", "GET, HEAD"},
	} {
		req, _ := http.NewRequest(c.method, h.URL+c.path, nil)
		req.Header.Set("Authorization", "Bearer "+h.Admin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e apiError
		json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != 405 || resp.Header.Get("Allow") != c.allow || e.Error.Code != "method_not_allowed" {
			t.Errorf("%s %s: %d Allow %q %+v", c.method, c.path, resp.StatusCode, resp.Header.Get("Allow"), e)
		}
	}
	live := dial(t, h, h.Officer, -1)
	read(t, live)
	issue(t, h, map[string]any{"group": "A"})
	live.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, liveMsg, err := live.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	replay := dial(t, h, h.Officer, 0)
	replay.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, replayMsg, err := replay.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(liveMsg, replayMsg) {
		t.Errorf("the same event differs live and replayed:\n%s\n%s", liveMsg, replayMsg)
	}
}
