// Package sqlite is the hub's store: one SQLite file in WAL mode with foreign keys on, schema
// migrations embedded and applied in order at start, and one transaction per state change in
// which the change, its event and every module hook's writes commit together or not at all.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"antre"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// The writer's connections do not checkpoint the WAL on commit: a checkpoint writes and syncs
// the database file, which would stall the request that happened to cross the threshold. The
// store's checkpointer does it in the background instead.
func init() {
	sql.Register("sqlite3_antre_writer", &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec("PRAGMA wal_autocheckpoint = 0", nil)
		return err
	}})
}

// checkpointEvery is how often the background checkpointer copies the WAL into the database.
const checkpointEvery = time.Second

//go:embed migration/*.sql
var migrations embed.FS

// Hook runs inside the transaction of every state change, after the change and its event are
// written. Modules (SMS, the passport workflow …) use it to write their own rows in the same
// transaction; an error rolls the whole change back.
type Hook func(ctx context.Context, tx *Tx, e antre.Event) error

// Migrations is a named set of SQL migration files (pattern migration/*.sql) that a module
// brings; each file is applied once, in name order, in its own transaction.
type Migrations struct {
	Name string
	FS   fs.FS
}

// Options configure a store.
type Options struct {
	// Office is the office every ticket and event belongs to; its time zone sets the business date.
	Office antre.Office
	// Policy chooses between ordinary and priority tickets on "call next".
	Policy antre.Policy
	// MaxRecalls is how often a called ticket can be recalled; the next recall marks it a no-show.
	MaxRecalls int
	// LateWindow is how long after a no-show the ticket can still be reactivated.
	LateWindow time.Duration
	// DefaultServiceTime estimates waits before any ticket of the day has been finished.
	DefaultServiceTime time.Duration
	// Now is the clock; nil means time.Now.
	Now antre.Clock
	// Synchronous is SQLite's synchronous pragma: FULL (default, every commit durable) or NORMAL.
	Synchronous string
	// PasswordCost is the bcrypt cost of account passwords (default bcrypt.DefaultCost, 10).
	PasswordCost int
	// OpenDays are the weekdays the office opens (nil: Monday to Friday); with the holidays
	// they make its working-day calendar.
	OpenDays []time.Weekday
	// Recent is how many of today's latest calls and recalls a snapshot carries (default 8).
	Recent int
	// Modules are migrations of modules, applied after the hub's own.
	Modules []Migrations
	// Init creates a new, empty store even where the marker beside the file says a store was
	// created before and the file is now missing (see Open).
	Init bool
	// Log receives the store's warnings (a clock stepped back, a storage fault); nil discards.
	Log *slog.Logger
}

// DB is the store. All writes go through one writer goroutine on one connection, in BEGIN
// IMMEDIATE transactions, so event IDs follow commit order and subscribers see events in that
// order; reads use a separate pool of connections and never block behind the writer (WAL).
type DB struct {
	opt   Options
	now   antre.Clock
	write *sql.DB
	read  *sql.DB
	ckpt  *sql.DB // the background checkpointer's connection
	probe *sql.DB // Health's own connection, so no reader or checkpoint delays it

	jobs                      chan *job
	flushes                   chan chan error // Flush's requests, in bulk mode
	stop, stopped, writerDone chan struct{}
	closeOnce                 sync.Once

	mu       sync.Mutex // guards hooks and onCommit against registration during a commit
	hooks    []Hook
	onCommit []func([]antre.Event)

	log        *slog.Logger
	clock      *forwardClock
	lastID     atomic.Int64          // the newest committed event's ID
	fault      atomic.Pointer[error] // the storage fault of the last failed commit; nil when healthy
	snapshot   *flight[*antre.Snapshot]
	deviceSnap *flight[*antre.Snapshot]
	stats      *flight[Stats]

	tokens tokenCache

	groupCache atomic.Pointer[map[string]antre.Group] // the groups table, read by writes; nil after SyncGroups

	ratesMu sync.Mutex
	rates   map[string]serviceRate // date/group → measured service rate; see serviceRate

	bulkSize atomic.Int64 // bulk mode's changes per commit; 0 when off (SetBulk)
	bulk     *bulkTx      // bulk mode's open transaction; nil when none is open (the writer's own)

	dummyOnce sync.Once
	dummy     string
}

// Open opens the SQLite store at file and applies pending migrations. It never silently replaces
// a store: a marker file beside it (antre.marker for antre.db) records the office and the time
// the store was created, and when the marker exists but the store does not (deleted, or a
// volume that did not mount) Open refuses unless opt.Init asks for a new store deliberately.
// An existing store must pass SQLite's quick_check: a store with damaged pages refuses to open
// instead of failing on every change later.
func Open(ctx context.Context, file string, opt Options) (*DB, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Synchronous == "" {
		opt.Synchronous = "FULL"
	}
	if opt.Office.Location == nil {
		opt.Office.Location = time.UTC
	}
	if opt.MaxRecalls == 0 {
		opt.MaxRecalls = 3
	}
	if opt.PasswordCost == 0 {
		opt.PasswordCost = 10
	}
	if opt.DefaultServiceTime == 0 {
		opt.DefaultServiceTime = 5 * time.Minute
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Recent == 0 {
		opt.Recent = 8
	}
	existed, err := checkMarker(file, opt)
	if err != nil {
		return nil, err
	}
	dsn := func(lock string) string {
		return fmt.Sprintf("file:%s?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=10000&_synchronous=%s&_txlock=%s&_stmt_cache_size=64",
			file, opt.Synchronous, lock)
	}
	w, err := sql.Open("sqlite3_antre_writer", dsn("immediate"))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	r, err := sql.Open("sqlite3", dsn("deferred")+"&mode=ro")
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(readConns)
	ck, err := sql.Open("sqlite3", dsn("deferred"))
	if err != nil {
		w.Close()
		r.Close()
		return nil, err
	}
	ck.SetMaxOpenConns(1)
	pr, err := sql.Open("sqlite3", dsn("deferred")+"&mode=ro")
	if err != nil {
		w.Close()
		r.Close()
		ck.Close()
		return nil, err
	}
	pr.SetMaxOpenConns(1)
	db := &DB{opt: opt, write: w, read: r, ckpt: ck, probe: pr, log: opt.Log,
		jobs: make(chan *job), flushes: make(chan chan error), stop: make(chan struct{}), stopped: make(chan struct{}), writerDone: make(chan struct{})}
	db.clock = &forwardClock{wall: opt.Now, log: opt.Log}
	db.now = db.clock.Now
	db.snapshot = &flight[*antre.Snapshot]{}
	db.deviceSnap = &flight[*antre.Snapshot]{}
	db.stats = &flight[Stats]{}
	fail := func(err error) (*DB, error) {
		close(db.stopped)
		close(db.writerDone)
		db.Close()
		return nil, err
	}
	if existed {
		if err := quickCheck(ctx, w); err != nil {
			return fail(fmt.Errorf("the store %s is damaged (%v); restore it from a backup, or move it aside and start a new store with --init", file, err))
		}
	}
	if err := db.migrate(ctx); err != nil {
		return fail(fmt.Errorf("migrate %s: %w", file, err))
	}
	if err := writeMarker(file, opt); err != nil {
		return fail(err)
	}
	last, err := db.LastEventID(ctx)
	if err != nil {
		return fail(err)
	}
	db.lastID.Store(last)
	db.clock.warnIfBehind(db.latestInstant(ctx))
	go db.checkpointer()
	go db.writer()
	return db, nil
}

// readConns is the size of the read pool. No read path holds one connection while it waits for
// another, so a crowd of readers queues for the pool instead of deadlocking it.
const readConns = 4

// quickCheck runs SQLite's quick_check, which reads every page of the store.
func quickCheck(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, "PRAGMA quick_check")
	if err != nil {
		return err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// marker is the record, beside the store, that a store was created there.
type marker struct {
	Office  string    `json:"office"`
	Created time.Time `json:"created"`
	Store   string    `json:"store"`
}

// markerPath is the marker's file: antre.marker beside antre.db.
func markerPath(file string) string {
	return strings.TrimSuffix(file, path.Ext(file)) + ".marker"
}

// checkMarker reports whether the store file exists, and refuses a missing store whose marker
// says it existed, unless opt.Init.
func checkMarker(file string, opt Options) (existed bool, err error) {
	if _, err := os.Stat(file); err == nil {
		return true, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	b, err := os.ReadFile(markerPath(file))
	if errors.Is(err, fs.ErrNotExist) || opt.Init {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var m marker
	json.Unmarshal(b, &m)
	return false, fmt.Errorf("the store %s is missing, but %s says a store of office %s was created there on %s: "+
		"restore the file from a backup (or mount the volume it lives on); to start an empty store deliberately, "+
		"run again with --init (numbering would start again at 001 for today)",
		file, markerPath(file), m.Office, m.Created.Format(time.RFC3339))
}

// writeMarker records that the store exists, once; an existing marker is kept.
func writeMarker(file string, opt Options) error {
	p := markerPath(file)
	if _, err := os.Stat(p); err == nil && !opt.Init {
		return nil
	}
	b, _ := json.MarshalIndent(marker{Office: opt.Office.Code, Created: opt.Now().UTC(), Store: path.Base(file)}, "", "  ")
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o640); err != nil {
		return fmt.Errorf("store marker: %w", err)
	}
	return os.Rename(tmp, p)
}

// latestInstant is the newest time the store has recorded: the instant of its last event.
func (db *DB) latestInstant(ctx context.Context) time.Time {
	var at sql.NullInt64
	db.read.QueryRowContext(ctx, `SELECT at FROM events ORDER BY id DESC LIMIT 1`).Scan(&at)
	if !at.Valid {
		return time.Time{}
	}
	return time.UnixMilli(at.Int64)
}

// checkpointer copies committed WAL frames into the database file once a second, on its own
// connection, so that writers never pay for it and the WAL stays small.
func (db *DB) checkpointer() {
	defer close(db.stopped)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-db.stop:
			return
		case <-t.C:
			db.ckpt.Exec("PRAGMA wal_checkpoint(PASSIVE)")
		}
	}
}

// Close stops the checkpointer, folds the WAL into the database file and closes the pools.
func (db *DB) Close() error {
	db.closeOnce.Do(func() { close(db.stop) })
	<-db.stopped
	<-db.writerDone
	_, ckErr := db.ckpt.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	if ckErr != nil && strings.Contains(ckErr.Error(), "closed") {
		ckErr = nil
	}
	return errors.Join(db.read.Close(), db.write.Close(), db.ckpt.Close(), db.probe.Close())
}

// SQL returns the write pool, for modules that keep their own tables in the same file (they
// serialise through SQLite's lock and the busy timeout).
func (db *DB) SQL() *sql.DB { return db.write }

// Health reports why the store cannot take changes now: the storage fault (a full disk, an I/O
// error) of the last change that failed on one, until a later change commits; or a read that
// fails. It reads on a connection of its own, so neither a crowd of readers nor a checkpoint
// can delay it.
func (db *DB) Health(ctx context.Context) error {
	if f := db.fault.Load(); f != nil {
		return *f
	}
	var n int
	return db.probe.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master`).Scan(&n)
}

// storageFault reports whether err is the storage failing (full, read-only, I/O), not a rule.
func storageFault(err error) bool {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code {
	case sqlite3.ErrFull, sqlite3.ErrIoErr, sqlite3.ErrReadonly, sqlite3.ErrCorrupt, sqlite3.ErrNotADB, sqlite3.ErrCantOpen:
		return true
	}
	return false
}

// noteFaults records the first storage fault among errs (or clears the record when the
// commit went through), logging a new fault loudly.
func (db *DB) noteFaults(committed bool, errs []error) {
	for _, err := range errs {
		if err != nil && storageFault(err) {
			if db.fault.Load() == nil {
				db.log.Error("STORE CANNOT WRITE: changes are refused until this is fixed (free disk space?)", "err", err)
			}
			e := fmt.Errorf("store cannot write: %w", err)
			db.fault.Store(&e)
			return
		}
	}
	if committed && db.fault.Load() != nil {
		db.log.Warn("store writes again")
		db.fault.Store(nil)
	}
}

// Office returns the office the store serves.
func (db *DB) Office() antre.Office { return db.opt.Office }

// Now returns the store's clock reading.
func (db *DB) Now() time.Time { return db.now() }

// AddHook registers a hook for every later state change. Register hooks before serving requests.
func (db *DB) AddHook(h Hook) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.hooks = append(db.hooks, h)
}

// OnCommit registers f to receive the events of every committed change, in commit order. f runs
// under the write lock, so it must not block (hand the events to a channel or buffer).
func (db *DB) OnCommit(f func([]antre.Event)) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.onCommit = append(db.onCommit, f)
}

// migrate applies the migrations not applied yet. Each file is checked and applied inside one
// BEGIN IMMEDIATE transaction (the writer's pool starts every transaction that way), so two
// processes that open one store at once cannot both apply a file.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return err
	}
	sets := append([]Migrations{{Name: "hub", FS: migrations}}, db.opt.Modules...)
	for _, set := range sets {
		names, err := fs.Glob(set.FS, "migration/*.sql")
		if err != nil {
			return err
		}
		sort.Strings(names)
		for _, n := range names {
			if err := db.applyMigration(ctx, set, n); err != nil {
				return err
			}
		}
	}
	return nil
}

// applyMigration applies one file unless it is recorded as applied, in one transaction.
func (db *DB) applyMigration(ctx context.Context, set Migrations, n string) error {
	key := set.Name + "/" + path.Base(n)
	body, err := fs.ReadFile(set.FS, n)
	if err != nil {
		return err
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var one int
	err = tx.QueryRowContext(ctx, `SELECT 1 FROM schema_migrations WHERE name = ?`, key).Scan(&one)
	if err == nil {
		return nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, key, db.now().UnixMilli()); err != nil {
		return err
	}
	return tx.Commit()
}

// Tx is a write transaction with its fixed timestamp and the events it appends.
type Tx struct {
	*sql.Tx
	db     *DB
	ctx    context.Context
	now    time.Time
	events []antre.Event
}

// Now is the instant of the transaction: every row it writes carries this time.
func (tx *Tx) Now() time.Time { return tx.now }

// Today is the business date of the transaction in the office's time zone.
func (tx *Tx) Today() string { return tx.db.opt.Office.BusinessDate(tx.now) }

// Emit appends an event in the transaction and runs the hooks on it. The event carries the
// transaction's instant, at the store's millisecond precision, so the live event and the same
// event read back are the same.
func (tx *Tx) Emit(e antre.Event, data any) error {
	e.Office = tx.db.opt.Office.Code
	e.At = tx.now
	if data != nil {
		b, err := json.Marshal(data)
		if err != nil {
			return err
		}
		e.Data = b
	}
	res, err := tx.ExecContext(tx.ctx, `INSERT INTO events (office, type, at, ticket, grp, counter, actor, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Office, e.Type, ms(e.At), e.Ticket, e.Group, e.Counter, e.Actor, string(e.Data))
	if err != nil {
		return err
	}
	if e.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	for _, h := range tx.db.hooks {
		if err := h(tx.ctx, tx, e); err != nil {
			return fmt.Errorf("hook on %s: %w", e.Type, err)
		}
	}
	tx.events = append(tx.events, e)
	return nil
}

// job is one Update waiting for the writer.
type job struct {
	ctx  context.Context
	fn   func(*Tx) error
	done chan error
}

// maxBatch bounds how many waiting changes one commit carries.
const maxBatch = 128

// errClosed answers changes submitted after Close.
var errClosed = errors.New("store closed")

// Update runs fn as one atomic change: fn's writes, its events and the hooks' writes commit
// together or not at all, and the events reach the OnCommit subscribers after the commit, in
// commit order. Update returns only once the change is durable (or refused).
//
// Changes that arrive while a commit is under way are grouped into the next transaction, each in
// its own savepoint: a change that fails is rolled back alone, and one sync makes the whole
// group durable (group commit). A change whose context ends before it runs is not applied; once
// it runs it is not interrupted, so a client that hangs up cannot abort its neighbours.
func (db *DB) Update(ctx context.Context, fn func(tx *Tx) error) error {
	j := &job{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case db.jobs <- j:
	case <-ctx.Done():
		return ctx.Err()
	case <-db.stop:
		return errClosed
	}
	return <-j.done
}

// writer is the single goroutine that applies changes, batching those that queue up.
func (db *DB) writer() {
	defer close(db.writerDone)
	for {
		var first *job
		select {
		case first = <-db.jobs:
		case done := <-db.flushes:
			done <- db.flushBulk()
			continue
		case <-db.stop:
			if err := db.flushBulk(); err != nil {
				db.log.Error("bulk changes not committed at close", "err", err)
			}
			return
		}
		batch := []*job{first}
	gather:
		for len(batch) < maxBatch {
			select {
			case j := <-db.jobs:
				batch = append(batch, j)
			default:
				break gather
			}
		}
		if db.bulkSize.Load() > 0 {
			db.applyBulk(batch)
			continue
		}
		if err := db.flushBulk(); err != nil { // bulk mode was just turned off
			for _, j := range batch {
				j.done <- err
			}
			continue
		}
		db.commit(batch)
	}
}

// savepointed runs a job in its own savepoint of stx: a refused change is rolled back alone.
// It returns the change's events.
func (db *DB) savepointed(stx *sql.Tx, j *job) ([]antre.Event, error) {
	tx := &Tx{Tx: stx, db: db, ctx: context.WithoutCancel(j.ctx), now: antre.StampTime(db.now())}
	if _, err := stx.Exec("SAVEPOINT change"); err != nil {
		return nil, err
	}
	if err := j.fn(tx); err != nil {
		if _, rerr := stx.Exec("ROLLBACK TO change; RELEASE change"); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return nil, err
	}
	if _, err := stx.Exec("RELEASE change"); err != nil {
		return nil, err
	}
	return tx.events, nil
}

// bulkTx is bulk mode's open transaction: how many changes it holds and their events.
type bulkTx struct {
	tx     *sql.Tx
	n      int
	events [][]antre.Event
	err    error // the failure that ended it; every later change is refused with it
}

// SetBulk turns bulk mode on (n > 0) or off (0), for one writer that loads history in bulk
// (antre demo-data), never for a hub that serves: the writer keeps its transaction open across
// changes, each still in its own savepoint (a refused change is rolled back alone), and commits
// every n changes, at Flush, when bulk mode is turned off and at Close. Update then answers
// before its change is committed, and the read pool sees only committed changes: the bulk
// writer calls Flush before it reads there. Turning it off commits what it holds.
func (db *DB) SetBulk(ctx context.Context, n int) error {
	db.bulkSize.Store(int64(max(n, 0)))
	if n <= 0 {
		return db.Flush(ctx)
	}
	return nil
}

// Flush commits the changes bulk mode holds (see SetBulk); with none held it does nothing.
// After a failed bulk commit every later change is refused with its error.
func (db *DB) Flush(ctx context.Context) error {
	done := make(chan error, 1)
	select {
	case db.flushes <- done:
	case <-ctx.Done():
		return ctx.Err()
	case <-db.stop:
		return errClosed
	}
	return <-done
}

// applyBulk applies a batch inside bulk mode's open transaction, each change in its own
// savepoint, answers each job at once, and commits when the transaction holds the bulk size.
func (db *DB) applyBulk(batch []*job) {
	db.mu.Lock()
	errs := make([]error, len(batch))
	if db.bulk == nil {
		stx, err := db.write.BeginTx(context.Background(), nil)
		db.bulk = &bulkTx{tx: stx, err: err}
	}
	b := db.bulk
	for i, j := range batch {
		if b.err != nil {
			errs[i] = b.err
			continue
		}
		if errs[i] = j.ctx.Err(); errs[i] != nil {
			continue
		}
		var evs []antre.Event
		if evs, errs[i] = db.savepointed(b.tx, j); errs[i] == nil {
			b.events = append(b.events, evs)
			b.n++
		}
	}
	db.mu.Unlock()
	for i, j := range batch {
		j.done <- errs[i]
	}
	if int64(b.n) >= db.bulkSize.Load() {
		db.flushBulk()
	}
}

// flushBulk commits bulk mode's open transaction and publishes its events.
func (db *DB) flushBulk() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	b := db.bulk
	if b == nil {
		return nil
	}
	if b.err != nil {
		return b.err
	}
	if err := b.tx.Commit(); err != nil {
		b.tx.Rollback()
		b.err = fmt.Errorf("bulk commit of %d changes: %w", b.n, err)
		db.noteFaults(false, []error{err})
		return b.err
	}
	db.bulk = nil
	db.noteFaults(true, nil)
	db.published(b.events)
	return nil
}

// published hands the events of committed changes to the OnCommit subscribers, in order, and
// keeps the newest ID and the service rates up to date. The caller holds db.mu.
func (db *DB) published(events [][]antre.Event) {
	for _, evs := range events {
		if len(evs) == 0 {
			continue
		}
		for _, e := range evs {
			if e.Type == antre.EvFinished {
				db.forgetRates()
				break
			}
		}
		db.lastID.Store(evs[len(evs)-1].ID)
		for _, f := range db.onCommit {
			f(evs)
		}
	}
}

// commit applies a batch in one transaction and answers each job.
func (db *DB) commit(batch []*job) {
	db.mu.Lock()
	defer db.mu.Unlock()
	errs := make([]error, len(batch))
	answer := func() {
		for i, j := range batch {
			j.done <- errs[i]
		}
	}
	stx, err := db.write.BeginTx(context.Background(), nil)
	if err != nil {
		for i := range errs {
			errs[i] = err
		}
		db.noteFaults(false, errs)
		answer()
		return
	}
	single := len(batch) == 1
	events := make([][]antre.Event, len(batch))
	for i, j := range batch {
		if errs[i] = j.ctx.Err(); errs[i] != nil {
			continue
		}
		if !single {
			events[i], errs[i] = db.savepointed(stx, j)
			continue
		}
		tx := &Tx{Tx: stx, db: db, ctx: context.WithoutCancel(j.ctx), now: antre.StampTime(db.now())}
		if errs[i] = j.fn(tx); errs[i] != nil {
			stx.Rollback()
			db.noteFaults(false, errs)
			answer()
			return
		}
		events[i] = tx.events
	}
	if err := stx.Commit(); err != nil {
		stx.Rollback()
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
		db.noteFaults(false, errs)
		answer()
		return
	}
	db.noteFaults(true, errs)
	for i := range events {
		if errs[i] != nil {
			events[i] = nil
		}
	}
	db.published(events)
	answer()
}

func ms(t time.Time) int64 { return t.UnixMilli() }

// at is a stored Unix millisecond as the instant every reader gets (antre.StampTime's form).
func at(v int64) time.Time { return time.UnixMilli(v).UTC() }

func fromMS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := at(v.Int64)
	return &t
}

func nullInt(v int) any {
	if v == 0 {
		return nil
	}
	return v
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}
