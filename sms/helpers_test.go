package sms

import (
	"context"
	"database/sql"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"antre"
)

// testOffice opens 08:00–16:00 WIB.
func testOffice(t testing.TB) antre.Office {
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	return antre.Office{Code: "JKS", Name: "Kanim Jakarta Selatan", Location: loc, Opens: 8 * 60, Closes: 16 * 60}
}

// openDB opens a SQLite file as the hub does (WAL, foreign keys, immediate transactions) and
// applies the hub's schema and then the module's migrations.
func openDB(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(t.TempDir(), "hub.db")+
		"?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=5000&_txlock=immediate&_synchronous=NORMAL")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	hub, err := os.ReadFile("../server/sqlite/migration/001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	scripts := []string{string(hub)}
	names, err := fs.Glob(Migrations, "migration/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := fs.ReadFile(Migrations, n)
		if err != nil {
			t.Fatal(err)
		}
		scripts = append(scripts, string(b))
	}
	for _, s := range scripts {
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(s); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	for i, g := range antre.DefaultGroups() {
		if _, err := db.Exec(`INSERT INTO groups (code, position, name_id, name_en, prefix, quota_walkin, quota_online, quota_priority)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, g.Code, i, g.NameID, g.NameEN, g.Prefix, g.Quota.WalkIn, g.Quota.Online, g.Quota.Priority); err != nil {
			t.Fatal(err)
		}
	}
	return db
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

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.base, c.start = t, time.Now()
	c.mu.Unlock()
}

// dbQueue answers the Queue questions from the hub's tables, as the hub does: a waiting
// ticket's Ahead is the number of tickets waiting in its queue group that were issued before it,
// with five minutes of service each.
type dbQueue struct {
	db     *sql.DB
	office antre.Office
	now    func() time.Time
}

func (q dbQueue) Lookup(ctx context.Context, code string) (antre.TicketView, error) {
	date := q.office.BusinessDate(q.now())
	var v antre.TicketView
	var issued int64
	var counter sql.NullInt64
	err := q.db.QueryRowContext(ctx, `SELECT code, group_code, status, issued_at, counter FROM tickets
		WHERE office = ? AND business_date = ? AND code = ?`, q.office.Code, date, code).Scan(&v.Code, &v.Group, &v.Status, &issued, &counter)
	if err == sql.ErrNoRows {
		return v, antre.Errorf(antre.ENOTFOUND, antre.MsgTicketNotFound, "no ticket %s", code)
	}
	if err != nil {
		return v, err
	}
	v.IssuedAt, v.Counter = time.UnixMilli(issued), int(counter.Int64)
	if v.Status == antre.StatusWaiting {
		if err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets t, tickets me WHERE me.office = ? AND me.business_date = ?
			AND me.code = ? AND t.office = me.office AND t.business_date = me.business_date AND t.status = 'waiting'
			AND t.queue_group = me.queue_group AND (t.issued_at, t.id) < (me.issued_at, me.id)`, q.office.Code, date, code).Scan(&v.Ahead); err != nil {
			return v, err
		}
		v.EstimatedWait = time.Duration(v.Ahead) * 5 * time.Minute
		v.EstimatedWaitMinutes = v.Ahead * 5
	}
	return v, nil
}

func (q dbQueue) Quota(ctx context.Context) ([]antre.GroupQuota, error) {
	date := q.office.BusinessDate(q.now())
	rows, err := q.db.QueryContext(ctx, `SELECT g.code, g.quota_walkin, g.quota_online, g.quota_priority,
		COALESCE(s.used_walkin, 0), COALESCE(s.used_online, 0), COALESCE(s.used_priority, 0)
		FROM groups g LEFT JOIN sequences s ON s.group_code = g.code AND s.office = ? AND s.business_date = ?
		ORDER BY g.position`, q.office.Code, date)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []antre.GroupQuota
	for rows.Next() {
		var g antre.GroupQuota
		if err := rows.Scan(&g.Group, &g.Quota.WalkIn, &g.Quota.Online, &g.Quota.Priority, &g.Used.WalkIn, &g.Used.Online, &g.Used.Priority); err != nil {
			return nil, err
		}
		g.Remaining = antre.Quota{WalkIn: g.Quota.WalkIn - g.Used.WalkIn, Online: g.Quota.Online - g.Used.Online, Priority: g.Quota.Priority - g.Used.Priority}
		out = append(out, g)
	}
	return out, rows.Err()
}

// hub plays the hub's part of a state change: it writes the change and its event and calls
// OnEvent in the same transaction.
type hub struct {
	t      testing.TB
	db     *sql.DB
	m      *Module
	office antre.Office
	now    func() time.Time
	events int64
}

// issue issues the next walk-in ticket of group g with phone, normalised as the hub does.
func (h *hub) issue(g, phone string) string {
	h.t.Helper()
	now := h.now()
	date := h.office.BusinessDate(now)
	if phone != "" {
		p, err := antre.NormalizePhone(phone)
		if err != nil {
			h.t.Fatal(err)
		}
		phone = p
	}
	var code string
	h.change(func(tx *sql.Tx) antre.Event {
		if _, err := tx.Exec(`INSERT INTO sequences (office, business_date, group_code) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, h.office.Code, date, g); err != nil {
			h.t.Fatal(err)
		}
		var n int
		if err := tx.QueryRow(`UPDATE sequences SET last_number = last_number + 1, used_walkin = used_walkin + 1
			WHERE office = ? AND business_date = ? AND group_code = ? RETURNING last_number`, h.office.Code, date, g).Scan(&n); err != nil {
			h.t.Fatal(err)
		}
		code = antre.FormatCode(g, n)
		if _, err := tx.Exec(`INSERT INTO tickets (office, business_date, group_code, number, code, pool, status, issued_at, queue_group, phone)
			VALUES (?, ?, ?, ?, ?, 'walkin', 'waiting', ?, ?, ?)`, h.office.Code, date, g, n, code, now.UnixMilli(), g, phone); err != nil {
			h.t.Fatal(err)
		}
		return antre.Event{Type: antre.EvIssued, Ticket: code, Group: g}
	})
	return code
}

// call calls ticket code to counter.
func (h *hub) call(code string, counter int) {
	h.t.Helper()
	date := h.office.BusinessDate(h.now())
	h.change(func(tx *sql.Tx) antre.Event {
		if _, err := tx.Exec(`UPDATE tickets SET status = 'called', counter = ?, called_at = ? WHERE office = ? AND business_date = ? AND code = ?`,
			counter, h.now().UnixMilli(), h.office.Code, date, code); err != nil {
			h.t.Fatal(err)
		}
		return antre.Event{Type: antre.EvCalled, Ticket: code, Group: code[:1], Counter: counter}
	})
}

func (h *hub) change(f func(tx *sql.Tx) antre.Event) {
	h.t.Helper()
	tx, err := h.db.Begin()
	if err != nil {
		h.t.Fatal(err)
	}
	defer tx.Rollback()
	e := f(tx)
	e.Office, e.At = h.office.Code, h.now()
	res, err := tx.Exec(`INSERT INTO events (office, type, at, ticket, grp, counter) VALUES (?, ?, ?, ?, ?, ?)`,
		e.Office, string(e.Type), e.At.UnixMilli(), e.Ticket, e.Group, e.Counter)
	if err != nil {
		h.t.Fatal(err)
	}
	e.ID, _ = res.LastInsertId()
	if err := h.m.OnEvent(context.Background(), tx, e); err != nil {
		h.t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		h.t.Fatal(err)
	}
}

// fixture is a module on a fresh database with the hub around it.
type fixture struct {
	db    *sql.DB
	clock *clock
	m     *Module
	hub   *hub
	mux   *http.ServeMux
}

// newFixture builds a module with cfg on a fresh database, the clock at a Wednesday 09:00 WIB.
func newFixture(t testing.TB, cfg Config) *fixture {
	t.Helper()
	db := openDB(t)
	office := testOffice(t)
	c := newClock(time.Date(2026, 11, 25, 9, 0, 0, 0, office.Location))
	m, err := New(db, cfg, office, dbQueue{db: db, office: office, now: c.Now}, c.Now, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	m.Register(mux, func(...antre.Role) func(http.Handler) http.Handler {
		return func(h http.Handler) http.Handler { return h }
	})
	return &fixture{db: db, clock: c, m: m, mux: mux, hub: &hub{t: t, db: db, m: m, office: office, now: c.Now}}
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
	rows, err := f.db.Query(query, args...)
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
