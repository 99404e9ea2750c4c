package sms

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"antre"
	"antre/module"
	"antre/server/sqlite"
)

// testOffice opens 08:00–16:00 WIB.
func testOffice(t testing.TB) antre.Office {
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	return antre.Office{Code: "JKS", Name: "Kanim Jakarta Selatan", Location: loc, Opens: 8 * 60, Closes: 16 * 60}
}

// openStore opens a real hub store (server/sqlite) in a temporary directory with the module's
// migrations, groups A–F and counters 1–9, on clock.
func openStore(t testing.TB, office antre.Office, now antre.Clock) *sqlite.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "antre.db"), sqlite.Options{
		Office: office, Now: now, Synchronous: "NORMAL", Modules: []sqlite.Migrations{{Name: "sms", FS: migrations}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.SyncGroups(ctx, antre.DefaultGroups()); err != nil {
		t.Fatal(err)
	}
	var cs []antre.Counter
	for i := 1; i <= 9; i++ {
		cs = append(cs, antre.Counter{Number: i, Name: fmt.Sprint("Loket ", i), Groups: []string{"A", "B", "C", "D", "E", "F"}})
	}
	if err := db.SyncCounters(ctx, cs); err != nil {
		t.Fatal(err)
	}
	return db
}

// fullQuota gives every group of store 999 walk-in numbers a day, for benchmarks that issue many.
func fullQuota(t testing.TB, store *sqlite.DB) {
	t.Helper()
	groups := antre.DefaultGroups()
	for i := range groups {
		groups[i].Quota = antre.Quota{WalkIn: antre.MaxNumber}
	}
	if err := store.SyncGroups(context.Background(), groups); err != nil {
		t.Fatal(err)
	}
}

// clock is a settable test clock that runs on from where it was set.
type clock struct {
	mu    sync.Mutex
	base  time.Time
	start time.Time
}

func newClock(t time.Time) *clock { return &clock{base: t, start: time.Now()} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base.Add(time.Since(c.start))
}

// Set moves the clock; the hub's clock never goes back, so tests only move it forward.
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.base, c.start = t, time.Now()
	c.mu.Unlock()
}

// testHost is the hub as the module sees it (module.Host), on a real store; routes are mounted
// without the hub's log-in checks (the hub's own tests check those).
type testHost struct {
	store    *sqlite.DB
	mux      *http.ServeMux
	services module.Services
	log      *slog.Logger
	workers  []func(context.Context) error
	office   antre.Office
}

func (h *testHost) Office() antre.Office { return h.office }
func (h *testHost) Now() time.Time       { return h.store.Now() }
func (h *testHost) PublicURL() string    { return "http://antre.test" }
func (h *testHost) Log() *slog.Logger    { return h.log }
func (h *testHost) DB() module.DB        { return h.store.ModuleDB() }
func (h *testHost) Queue() module.Queue  { return h.store }

// Events is the store's event log.
func (h *testHost) Events() module.EventLog { return h.store }

// Settings changes the office's settings in the store.
func (h *testHost) Settings() module.Settings { return h.store }

// Calendar is the store's working-day calendar.
func (h *testHost) Calendar(ctx context.Context) (antre.Calendar, error) {
	return h.store.Calendar(ctx)
}
func (h *testHost) Services() *module.Services           { return &h.services }
func (h *testHost) Hook(hk module.Hook)                  { h.store.AddModuleHook(hk) }
func (h *testHost) Worker(w func(context.Context) error) { h.workers = append(h.workers, w) }
func (h *testHost) Handle(pattern string, hd http.Handler, roles ...antre.Role) {
	h.mux.Handle(pattern, hd)
}

// hub plays the office hub around the module: its real store issues and calls tickets.
type hub struct {
	t      testing.TB
	store  *sqlite.DB
	office antre.Office
}

// issue issues the next walk-in ticket of group g with phone, as a kiosk does.
func (h *hub) issue(g, phone string) string {
	h.t.Helper()
	if phone != "" {
		p, err := antre.NormalizePhone(phone)
		if err != nil {
			h.t.Fatal(err)
		}
		phone = p
	}
	t, _, err := h.store.Issue(context.Background(), sqlite.IssueRequest{Group: g, Phone: phone, Actor: "kiosk-1", Role: antre.RoleKiosk})
	if err != nil {
		h.t.Fatal(err)
	}
	return t.Code
}

// call calls ticket code to counter.
func (h *hub) call(code string, counter int) {
	h.t.Helper()
	if _, err := h.store.CallTicket(context.Background(), counter, code, "petugas", "uji"); err != nil {
		h.t.Fatal(err)
	}
}

// emit writes an event of the hub's in a change of its own.
func (h *hub) emit(e antre.Event) error {
	return h.store.Update(context.Background(), func(tx *sqlite.Tx) error { return tx.Emit(e, nil) })
}

// fixture is a module mounted on a real store, with the hub around it.
type fixture struct {
	db    module.DB
	store *sqlite.DB
	clock *clock
	m     *Module
	hub   *hub
	mux   *http.ServeMux
	host  *testHost
}

// newFixture builds a module with cfg on a fresh store, the clock at a Wednesday 09:00 WIB.
func newFixture(t testing.TB, cfg Config) *fixture {
	t.Helper()
	return newFixtureAt(t, cfg, time.Date(2026, 11, 25, 9, 0, 0, 0, testOffice(t).Location))
}

// newFixtureAt is newFixture with the clock starting at start.
func newFixtureAt(t testing.TB, cfg Config, start time.Time) *fixture {
	t.Helper()
	office := testOffice(t)
	c := newClock(start)
	store := openStore(t, office, c.Now)
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	host := &testHost{store: store, mux: http.NewServeMux(), log: testLogger(t), office: office}
	if err := antre.AddMessages(m.Messages()); err != nil { // as the hub mounts a module
		t.Fatal(err)
	}
	if err := m.Start(host); err != nil {
		t.Fatal(err)
	}
	return &fixture{db: store.ModuleDB(), store: store, clock: c, m: m, mux: host.mux, host: host, hub: &hub{t: t, store: store, office: office}}
}

func testLogger(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// run starts the worker until the test ends.
func (f *fixture) run(t testing.TB) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := f.m.Run(ctx); err != nil {
			t.Error(err)
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
}

// outbox returns the statuses of the messages of kind, by phone.
func (f *fixture) rows(t testing.TB, query string, args ...any) [][]string {
	t.Helper()
	rows, err := f.db.QueryContext(context.Background(), query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = v.String
		}
		out = append(out, row)
	}
	return out
}

// waitFor polls cond until it holds or d passes.
func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// statuses is a stand-in of the passport workflow's application status service: number →
// status words.
type statuses map[string]string

func (s statuses) StatusText(ctx context.Context, number, lang string) (string, error) {
	if st, ok := s[number]; ok {
		return st, nil
	}
	return "", antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "no application %s", number)
}
