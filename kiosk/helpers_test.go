package kiosk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"antre"
	"antre/kiosk"
	"antre/printers"
	"antre/server/servertest"
)

// runKiosk starts a kiosk runtime on 127.0.0.1 against hubURL and printer addr, with a fast
// status interval, fast retries, alerts cleared soon and a state directory of its own, and
// stops it when the test ends. It returns the runtime's base URL.
func runKiosk(t testing.TB, hubURL, token, addr string, prof printers.Profile, opts ...func(*kiosk.Config)) string {
	t.Helper()
	base, _ := startKiosk(t, hubURL, token, addr, prof, opts...)
	return base
}

// startKiosk is runKiosk that also returns a function stopping the runtime, as a crash or a
// restart of the kiosk PC would: it cancels the runtime's context and waits until it has
// stopped.
func startKiosk(t testing.TB, hubURL, token, addr string, prof printers.Profile, opts ...func(*kiosk.Config)) (base string, stop func()) {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	if os.Getenv("ANTRE_TEST_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	cfg := kiosk.Config{Hub: hubURL, Token: token, Printer: addr, Profile: prof, AdminPIN: "2468",
		StatusInterval: 100 * time.Millisecond, RetryMin: 20 * time.Millisecond, RetryMax: 200 * time.Millisecond,
		AlertClearAfter: 200 * time.Millisecond, StateDir: t.TempDir(), Log: log}
	for _, o := range opts {
		o(&cfg)
	}
	k, err := kiosk.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- k.Serve(ctx, l) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			http.DefaultClient.CloseIdleConnections()
			cancel()
			if err := <-done; err != nil {
				t.Errorf("kiosk: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return "http://" + l.Addr().String(), stop
}

// state is the part of the kiosk's page state the tests read.
type state struct {
	Ready   bool
	Hub     struct{ Online bool }
	Printer struct {
		Problems []string
		Checked  time.Time
	}
	Groups []struct {
		Code      string
		WalkIn    int `json:"walkin"`
		Priority  int
		Exhausted bool
	}
	Tap  *tapResult
	Held int
}

// tapResult is a tap as the runtime reports it.
type tapResult struct {
	ID       string
	State    string
	Retrying bool
	Problems []string
	Error    *struct{ Code, Message string }
	Ticket   *struct {
		Code, Group string
		Category    string
	}
}

// call sends a JSON request to base+path and decodes the answer into out; it returns the status.
func call(t testing.TB, method, base, path string, hdr http.Header, body, out any) int {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, r)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil && err != io.EOF {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

func kioskState(t testing.TB, base string) state {
	t.Helper()
	var s state
	if st := call(t, "GET", base, "/api/state", nil, nil, &s); st != 200 {
		t.Fatalf("state: %d", st)
	}
	return s
}

// eventually fails the test unless cond holds within 10 seconds.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10 s for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitReady waits until the kiosk knows the office, its quota and its printer.
func waitReady(t testing.TB, base string) {
	t.Helper()
	eventually(t, "the kiosk to be ready", func() bool {
		s := kioskState(t, base)
		return s.Ready && s.Hub.Online && !s.Printer.Checked.IsZero()
	})
}

// tap takes a number at the kiosk as the page does and returns the finished tap.
func tap(t testing.TB, base, group, category string) tapResult {
	t.Helper()
	var r tapResult
	st := call(t, "POST", base, "/api/taps", nil, map[string]string{"group": group, "category": category, "lang": "id"}, &r)
	if st != 200 {
		t.Fatalf("tap %s: status %d, %+v", group, st, r)
	}
	return r
}

// hubEvents returns the hub's event log.
func hubEvents(t testing.TB, h *servertest.Hub) []antre.Event {
	t.Helper()
	var out struct{ Events []antre.Event }
	if st := h.Do("GET", "/api/v1/events?since=0", h.Admin, nil, &out); st != 200 {
		t.Fatalf("events: %d", st)
	}
	return out.Events
}

// ticketEvents lists the types of the events about one ticket, in order.
func ticketEvents(t testing.TB, h *servertest.Hub, code string) []string {
	t.Helper()
	var types []string
	for _, e := range hubEvents(t, h) {
		if e.Ticket == code {
			types = append(types, string(e.Type))
		}
	}
	return types
}

// activeAlerts returns the hub's active alerts as "device/kind".
func activeAlerts(t testing.TB, h *servertest.Hub) []string {
	t.Helper()
	var s struct {
		Alerts []struct{ Device, Kind string }
	}
	if st := h.Do("GET", "/api/v1/state", h.Officer, nil, &s); st != 200 {
		t.Fatalf("hub state: %d", st)
	}
	var out []string
	for _, a := range s.Alerts {
		out = append(out, a.Device+"/"+a.Kind)
	}
	return out
}

// used returns how many numbers of a group the hub has issued today, over all pools.
func used(t testing.TB, h *servertest.Hub, group string) int {
	t.Helper()
	var q struct{ Groups []antre.GroupQuota }
	if st := h.Do("GET", "/api/v1/quota", "", nil, &q); st != 200 {
		t.Fatalf("quota: %d", st)
	}
	for _, g := range q.Groups {
		if g.Group == group {
			return g.Used.Total()
		}
	}
	t.Fatalf("no group %s", group)
	return 0
}

// proxy stands between the kiosk and the hub, to make the hub misbehave on cue: it runs a hook
// when a ticket is being issued (by a tap or a check-in), can lose the hub's answer to an issue, can keep the kiosk's
// print reports from the hub, and counts the kiosk's readings of its unprinted tickets.
type proxy struct {
	URL string

	mu        sync.Mutex
	onIssue   func()
	loseNext  bool
	noReports bool
	issueKeys []string
	heldReads int
}

func newProxy(t testing.TB, hubURL string) *proxy {
	t.Helper()
	target, err := url.Parse(hubURL)
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{}
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) { w.WriteHeader(http.StatusBadGateway) }
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "GET" && r.URL.Path == "/api/v1/tickets/held" {
			defer func() {
				p.mu.Lock()
				p.heldReads++
				p.mu.Unlock()
			}()
		}
		p.mu.Lock()
		noReports := p.noReports
		p.mu.Unlock()
		if noReports && r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/printed") {
			w.WriteHeader(http.StatusBadGateway) // the hub cannot be reached for the report
			return
		}
		if r.Method == "POST" && (r.URL.Path == "/api/v1/tickets" || r.URL.Path == "/api/v1/checkins") {
			p.mu.Lock()
			hook, lose := p.onIssue, p.loseNext
			p.onIssue, p.loseNext = nil, false
			p.issueKeys = append(p.issueKeys, r.Header.Get("Idempotency-Key"))
			p.mu.Unlock()
			if hook != nil {
				hook()
			}
			if lose { // the hub issues the ticket, but its answer never reaches the kiosk
				rp.ServeHTTP(discard{}, r)
				w.WriteHeader(http.StatusBadGateway)
				return
			}
		}
		rp.ServeHTTP(w, r)
	})}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	p.URL = "http://" + l.Addr().String()
	return p
}

func (p *proxy) hookIssue(f func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.onIssue = f
}

func (p *proxy) loseNextAnswer() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.loseNext = true
}

// blockReports keeps the kiosk's print reports from the hub (on) or lets them through.
func (p *proxy) blockReports(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.noReports = on
}

// held is how many times the kiosk has read its unprinted tickets, counted once answered.
func (p *proxy) held() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.heldReads
}

func (p *proxy) keys() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.issueKeys...)
}

// discard is a ResponseWriter that drops the answer.
type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

// contains reports whether s contains every one of subs.
func contains(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
