// Package servertest starts a real hub for tests: a SQLite file in a temporary directory, real
// HTTP and WebSocket on 127.0.0.1, a clock the test can move, and ready tokens for every role.
package servertest

import (
	"antre"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"antre/server"
)

// WIB is the demo office's time zone (Asia/Jakarta), which test hubs run in by default.
var WIB = func() *time.Location {
	l, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		panic(err)
	}
	return l
}()

// Clock is a settable clock; the zero value starts at the real time of its first reading.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t.IsZero() {
		c.t = time.Now()
	}
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.Set(c.Now().Add(d))
}

// Hub is a running test hub.
type Hub struct {
	*server.Hub
	URL    string
	Config *server.Config
	Clock  *Clock
	// Tokens for each role: an officer and an admin logged in, a kiosk and a display device.
	Officer, Admin, Kiosk, Display string
	t                              testing.TB
	stop                           func()
	log                            *slog.Logger
}

// Option changes the test hub's configuration before it starts.
type Option func(*server.Config)

// New starts a hub with the default demo configuration (groups A–F, counters 1–4) changed by
// opts, and stops it when the test ends. The clock stands at the real time of its first reading
// until the test moves it; the hub's clock never goes back (see sqlite.Open), so a test that
// needs an earlier date starts there with NewAt.
func New(t testing.TB, opts ...Option) *Hub {
	t.Helper()
	return Start(t, Settings{}, opts...)
}

// Settings are a test hub's settings besides its configuration.
type Settings struct {
	// Start is where the clock starts; zero means the real time of its first reading.
	Start time.Time
	// Log receives the hub's log; nil discards it (or writes it to standard error when
	// ANTRE_TEST_LOG is set).
	Log *slog.Logger
}

// Start is New with settings.
func Start(t testing.TB, s Settings, opts ...Option) *Hub {
	t.Helper()
	cfg, err := server.LoadConfig(nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Data = t.TempDir()
	cfg.Synchronous = "NORMAL" // the tests do not pull the power; SIGKILL tests use FULL through the binary
	cfg.PasswordCost = 4       // bcrypt's minimum: log-ins in tests need not resist brute force
	for _, o := range opts {
		o(cfg)
	}
	h := &Hub{Config: cfg, Clock: &Clock{t: s.Start}, t: t, log: s.Log}
	h.start("127.0.0.1:0")
	t.Cleanup(h.Stop)
	return h
}

// start serves the hub on addr (127.0.0.1:0 for a free port) and, on the first start, creates
// the test accounts and devices.
func (h *Hub) start(addr string) {
	t := h.t
	t.Helper()
	var l net.Listener
	var err error
	for range 50 { // after a restart the old socket may linger for a moment
		if l, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	h.URL = "http://" + l.Addr().String()
	if h.Config.PublicURL == "" || strings.HasPrefix(h.Config.PublicURL, "http://127.0.0.1") {
		h.Config.PublicURL = h.URL
	}
	log := h.log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
		if os.Getenv("ANTRE_TEST_LOG") != "" {
			log = slog.New(slog.NewTextHandler(os.Stderr, nil))
		}
	}
	hub, err := server.Open(context.Background(), h.Config, log, h.Clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	h.Hub = hub
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		hub.Serve(ctx, l)
	}()
	h.stop = func() {
		cancel()
		<-done
		hub.Close()
	}
	if h.Officer == "" {
		db := hub.DB()
		must(t, db.AddUser(ctx, "petugas", antre.RoleOfficer, "rahasia1"))
		must(t, db.AddUser(ctx, "kepala", antre.RoleAdmin, "rahasia2"))
		h.Kiosk, err = db.AddDevice(ctx, "kiosk-1", antre.RoleKiosk)
		must(t, err)
		h.Display, err = db.AddDevice(ctx, "display-1", antre.RoleDisplay)
		must(t, err)
		h.Officer = h.login("petugas", "rahasia1")
		h.Admin = h.login("kepala", "rahasia2")
	}
}

// Stop stops the hub; it is idempotent.
func (h *Hub) Stop() {
	if h.stop != nil {
		h.stop()
		h.stop = nil
	}
}

// Restart stops the hub and starts it again on the same data directory and address, as after a
// power cut or an update; sessions and tokens stay valid.
func (h *Hub) Restart() {
	h.Stop()
	// connections kept alive to the stopped hub are dead: a request must not be sent on one
	http.DefaultClient.CloseIdleConnections()
	h.start(strings.TrimPrefix(h.URL, "http://"))
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (h *Hub) login(name, pw string) string {
	var out struct{ Token string }
	if st := h.Do("POST", "/api/v1/login", "", map[string]string{"name": name, "password": pw}, &out); st != 200 {
		h.t.Fatalf("login %s: status %d", name, st)
	}
	return out.Token
}

// Do sends a JSON request with token (may be empty) and decodes the answer into out (may be
// nil); it returns the HTTP status.
func (h *Hub) Do(method, path, token string, body, out any) int {
	h.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			h.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, h.URL+path, r)
	if err != nil {
		h.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil && err != io.EOF {
			h.t.Fatalf("%s %s: decode: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

// Issue issues a walk-in ticket of group with the kiosk's token and returns its code; any other
// answer than 201 fails the test.
func (h *Hub) Issue(group string) string {
	h.t.Helper()
	var out struct{ Code string }
	if st := h.Do("POST", "/api/v1/tickets", h.Kiosk, map[string]any{"group": group}, &out); st != http.StatusCreated {
		h.t.Fatalf("issue %s: status %d", group, st)
	}
	return out.Code
}
