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
	"path"
	"sort"
	"strings"
	"sync"
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
// written. Modules (SMS, later the passport workflow) use it to write their own rows in the same
// transaction; an error rolls the whole change back.
type Hook func(ctx context.Context, tx *sql.Tx, e antre.Event) error

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
	// Modules are migrations of modules, applied after the hub's own.
	Modules []Migrations
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

	jobs                      chan *job
	stop, stopped, writerDone chan struct{}
	closeOnce                 sync.Once

	mu       sync.Mutex // guards hooks and onCommit against registration during a commit
	hooks    []Hook
	onCommit []func([]antre.Event)

	dummyOnce sync.Once
	dummy     string
}

// Open opens (creating if needed) the SQLite file at path and applies pending migrations.
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
	r.SetMaxOpenConns(4)
	ck, err := sql.Open("sqlite3", dsn("deferred"))
	if err != nil {
		w.Close()
		r.Close()
		return nil, err
	}
	ck.SetMaxOpenConns(1)
	db := &DB{opt: opt, now: opt.Now, write: w, read: r, ckpt: ck,
		jobs: make(chan *job), stop: make(chan struct{}), stopped: make(chan struct{}), writerDone: make(chan struct{})}
	if err := db.migrate(ctx); err != nil {
		close(db.stopped)
		close(db.writerDone)
		db.Close()
		return nil, fmt.Errorf("migrate %s: %w", file, err)
	}
	go db.checkpointer()
	go db.writer()
	return db, nil
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
	return errors.Join(db.read.Close(), db.write.Close(), db.ckpt.Close())
}

// SQL returns the write pool, for modules that keep their own tables in the same file (they
// serialise through SQLite's lock and the busy timeout).
func (db *DB) SQL() *sql.DB { return db.write }

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
			key := set.Name + "/" + path.Base(n)
			var one int
			err := db.write.QueryRowContext(ctx, `SELECT 1 FROM schema_migrations WHERE name = ?`, key).Scan(&one)
			if err == nil {
				continue
			} else if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			body, err := fs.ReadFile(set.FS, n)
			if err != nil {
				return err
			}
			tx, err := db.write.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				tx.Rollback()
				return fmt.Errorf("%s: %w", key, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, key, db.now().UnixMilli()); err != nil {
				tx.Rollback()
				return err
			}
			if err := tx.Commit(); err != nil {
				return err
			}
		}
	}
	return nil
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

// Emit appends an event in the transaction and runs the hooks on it.
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
		if err := h(tx.ctx, tx.Tx, e); err != nil {
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
		case <-db.stop:
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
		db.commit(batch)
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
		answer()
		return
	}
	single := len(batch) == 1
	events := make([][]antre.Event, len(batch))
	for i, j := range batch {
		if errs[i] = j.ctx.Err(); errs[i] != nil {
			continue
		}
		tx := &Tx{Tx: stx, db: db, ctx: context.WithoutCancel(j.ctx), now: db.now()}
		if !single {
			if _, err := stx.Exec("SAVEPOINT change"); err != nil {
				errs[i] = err
				continue
			}
		}
		errs[i] = j.fn(tx)
		switch {
		case errs[i] != nil && single:
			stx.Rollback()
			answer()
			return
		case errs[i] != nil:
			if _, err := stx.Exec("ROLLBACK TO change; RELEASE change"); err != nil {
				errs[i] = errors.Join(errs[i], err)
			}
		case !single:
			if _, err := stx.Exec("RELEASE change"); err != nil {
				errs[i] = err
				continue
			}
			fallthrough
		default:
			events[i] = tx.events
		}
	}
	if err := stx.Commit(); err != nil {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
		answer()
		return
	}
	for i, evs := range events {
		if errs[i] == nil && len(evs) > 0 {
			for _, f := range db.onCommit {
				f(evs)
			}
		}
	}
	answer()
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := time.UnixMilli(v.Int64)
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
