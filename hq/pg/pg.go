// Package pg is headquarters' store in PostgreSQL: the offices, every office's events once each
// (primary key (office, event_id), inserted with ON CONFLICT DO NOTHING), the figures per
// office and business date for reports, the national calendar and quotas headquarters sets,
// and the outbox of settings on their way to the offices. Migrations are embedded and applied
// in order at Open, each once, under an advisory lock so two processes never race.
package pg

import (
	"context"
	"crypto/sha256"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"antre"
)

//go:embed migration/*.sql
var migrations embed.FS

// Store is headquarters' PostgreSQL database.
type Store struct {
	pool *pgxpool.Pool
}

// Open connects to the database at url (postgres://user@host:port/db) and applies the
// migrations it has not had yet.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres url: %w", err)
	}
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	s := &Store{pool: pool}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the connections.
func (s *Store) Close() { s.pool.Close() }

// Pool is the connection pool, for tests and benchmarks that query the store directly.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migration/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(727312)`); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return err
	}
	for _, n := range names {
		var done bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM migrations WHERE name = $1)`, n).Scan(&done); err != nil {
			return err
		}
		if done {
			continue
		}
		b, err := migrations.ReadFile(n)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, string(b)); err != nil {
			return fmt.Errorf("migration %s: %w", n, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO migrations (name) VALUES ($1)`, n); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// Office is an office as headquarters knows it: who it is, and where its shipping has got to.
type Office struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Region   string `json:"region"`
	TimeZone string `json:"time_zone"`
	// UserKey is the public key of the office's NATS credentials.
	UserKey   string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	// Events counts the office's events stored here; MaxEventID is the highest stored, and
	// every event from 1 to Contiguous is stored (a gap lies between them when they differ).
	Events     int64 `json:"events"`
	MaxEventID int64 `json:"max_event_id"`
	Contiguous int64 `json:"contiguous_through"`
	// LastEventAt is the newest event's instant by the office's clock; LastReceivedAt when
	// headquarters last stored one of its events, by headquarters' clock.
	LastEventAt    *time.Time `json:"last_event_at"`
	LastReceivedAt *time.Time `json:"last_received_at"`
	// Conflicts counts event IDs that arrived again with other content; RestoredAt is when the
	// office's log was found behind headquarters' (a restored backup), with what was seen.
	Conflicts    int64      `json:"conflicts"`
	RestoredAt   *time.Time `json:"restored_at"`
	RestoredNote string     `json:"restored_note,omitempty"`
}

const officeCols = `code, name, region, time_zone, user_key, created_at, events, max_event_id, contiguous_through, last_event_at,
	last_received_at, conflicts, restored_at, restored_note`

func scanOffice(r pgx.Row) (Office, error) {
	var o Office
	err := r.Scan(&o.Code, &o.Name, &o.Region, &o.TimeZone, &o.UserKey, &o.CreatedAt, &o.Events, &o.MaxEventID, &o.Contiguous,
		&o.LastEventAt, &o.LastReceivedAt, &o.Conflicts, &o.RestoredAt, &o.RestoredNote)
	return o, err
}

// AddOffice records a new office, and queues for it the national holidays from today on so it
// gets the calendar every other office has. An existing code is a conflict: an office's
// credentials are printed once.
func (s *Store) AddOffice(ctx context.Context, o Office) error {
	if o.TimeZone == "" {
		o.TimeZone = "Asia/Jakarta"
	}
	if _, err := time.LoadLocation(o.TimeZone); err != nil {
		return antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "time zone %q: %v", o.TimeZone, err).WithArgs("time_zone")
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO offices (code, name, region, time_zone, user_key) VALUES ($1, $2, $3, $4, $5)`,
			o.Code, o.Name, o.Region, o.TimeZone, o.UserKey)
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23505" {
			return antre.Errorf(antre.ECONFLICT, antre.MsgBadState, "office %s exists; its credentials were printed when it was added", o.Code)
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO outbox (office, body)
			SELECT $1, jsonb_build_object('kind', 'holiday.set', 'holiday', jsonb_build_object('date', date::text, 'name', name, 'kind', kind))
			FROM holidays WHERE date >= (now() AT TIME ZONE $2)::date - 1 ORDER BY date`, o.Code, o.TimeZone)
		return err
	})
}

// Offices lists every office by code.
func (s *Store) Offices(ctx context.Context) ([]Office, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+officeCols+` FROM offices ORDER BY code`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Office, error) { return scanOffice(r) })
}

// Office returns one office, or a not_found error.
func (s *Store) Office(ctx context.Context, code string) (Office, error) {
	o, err := scanOffice(s.pool.QueryRow(ctx, `SELECT `+officeCols+` FROM offices WHERE code = $1`, code))
	if errors.Is(err, pgx.ErrNoRows) {
		return o, antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "no office %s", code)
	}
	return o, err
}

// Incoming is one event as it arrived from an office: the office its subject names (never the
// one its body claims), the event, the business date it counts for, and the hash of the
// message's body.
type Incoming struct {
	Office string
	Event  antre.Event
	Day    string
	Hash   []byte
}

// Hash is the hash an event message's body is stored with: two deliveries of one event carry
// the same bytes, so a different hash under a stored ID means different content.
func Hash(body []byte) []byte {
	h := sha256.Sum256(body)
	return h[:]
}

// Progress is where an office's events stand after an ingest.
type Progress struct {
	Events, MaxEventID, Contiguous int64
	// Before is Contiguous before the ingest: the batch continued the office's log without a
	// hole when its lowest new ID was Before+1 and it left no hole itself.
	Before int64
}

// Result is what an ingest stored: the new events in ID order per office (duplicates and
// conflicts left out), the conflicts, and each office's progress.
type Result struct {
	Inserted   []Incoming
	Duplicates int
	Conflicts  []Incoming
	Progress   map[string]Progress
}

// Ingest stores a batch of events in one transaction: each (office, event_id) once, whatever
// was stored before (ON CONFLICT DO NOTHING). An ID already stored with other content is a
// conflict: it is kept aside in event_conflicts and counted on the office, never counted in
// its figures. Each office's counters move with the events, and every business date that got
// a new event is marked stale for the reports. The offices' booking events (check-in, no-show)
// are applied to their bookings in the same transaction, so a redelivery applies nothing twice.
// Events of an office headquarters does not know are refused whole (the caller must leave them
// out).
func (s *Store) Ingest(ctx context.Context, batch []Incoming) (Result, error) {
	res := Result{Progress: map[string]Progress{}}
	seen := map[string]bool{}
	var in []Incoming
	for _, b := range batch {
		k := b.Office + ":" + fmt.Sprint(b.Event.ID)
		if seen[k] {
			res.Duplicates++
			continue
		}
		seen[k] = true
		in = append(in, b)
	}
	if len(in) == 0 {
		return res, nil
	}
	n := len(in)
	offices, types, days, tickets, groups, actors, datas := make([]string, n), make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n)
	ids, counters, ats, hashes := make([]int64, n), make([]int32, n), make([]time.Time, n), make([][]byte, n)
	for i, b := range in {
		e := b.Event
		offices[i], ids[i], types[i], ats[i], days[i] = b.Office, e.ID, string(e.Type), e.At, b.Day
		tickets[i], groups[i], counters[i], actors[i], datas[i], hashes[i] = e.Ticket, e.Group, int32(e.Counter), e.Actor, string(e.Data), b.Hash
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `INSERT INTO events (office, event_id, type, at, day, ticket, grp, counter, actor, data, hash)
			SELECT u.office, u.id, u.type, u.at, u.day::date, u.ticket, u.grp, u.counter, u.actor, NULLIF(u.data, '')::jsonb, u.hash
			FROM unnest($1::text[], $2::bigint[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[],
				$10::text[], $11::bytea[]) AS u(office, id, type, at, day, ticket, grp, counter, actor, data, hash)
			ON CONFLICT DO NOTHING RETURNING office, event_id`,
			offices, ids, types, ats, days, tickets, groups, counters, actors, datas, hashes)
		if err != nil {
			return err
		}
		inserted := map[string]bool{}
		for rows.Next() {
			var o string
			var id int64
			if err := rows.Scan(&o, &id); err != nil {
				rows.Close()
				return err
			}
			inserted[o+":"+fmt.Sprint(id)] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var again []Incoming
		for _, b := range in {
			if inserted[b.Office+":"+fmt.Sprint(b.Event.ID)] {
				res.Inserted = append(res.Inserted, b)
			} else {
				again = append(again, b)
			}
		}
		if len(again) > 0 {
			if err := s.sortOut(ctx, tx, again, &res); err != nil {
				return err
			}
		}
		sort.SliceStable(res.Inserted, func(i, j int) bool {
			a, b := res.Inserted[i], res.Inserted[j]
			return a.Office < b.Office || a.Office == b.Office && a.Event.ID < b.Event.ID
		})
		if err := applyBookingEvents(ctx, tx, res.Inserted); err != nil {
			return err
		}
		return s.advance(ctx, tx, &res)
	})
	return res, err
}

// sortOut tells duplicates (same hash) from conflicts among events whose ID was stored.
func (s *Store) sortOut(ctx context.Context, tx pgx.Tx, again []Incoming, res *Result) error {
	offs, ids := make([]string, len(again)), make([]int64, len(again))
	for i, b := range again {
		offs[i], ids[i] = b.Office, b.Event.ID
	}
	rows, err := tx.Query(ctx, `SELECT e.office, e.event_id, e.hash FROM events e
		JOIN unnest($1::text[], $2::bigint[]) AS u(office, id) ON e.office = u.office AND e.event_id = u.id`, offs, ids)
	if err != nil {
		return err
	}
	stored := map[string][]byte{}
	for rows.Next() {
		var o string
		var id int64
		var h []byte
		if err := rows.Scan(&o, &id, &h); err != nil {
			rows.Close()
			return err
		}
		stored[o+":"+fmt.Sprint(id)] = h
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, b := range again {
		if string(stored[b.Office+":"+fmt.Sprint(b.Event.ID)]) == string(b.Hash) {
			res.Duplicates++
			continue
		}
		res.Conflicts = append(res.Conflicts, b)
		body := fmt.Sprintf(`{"id":%d,"type":%q,"at":%q,"ticket":%q,"group":%q,"counter":%d,"actor":%q,"data":%s}`,
			b.Event.ID, b.Event.Type, b.Event.At.Format(time.RFC3339Nano), b.Event.Ticket, b.Event.Group, b.Event.Counter, b.Event.Actor, orNull(b.Event.Data))
		tag, err := tx.Exec(ctx, `INSERT INTO event_conflicts (office, event_id, hash, event) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT DO NOTHING`,
			b.Office, b.Event.ID, b.Hash, body)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 1 {
			if _, err := tx.Exec(ctx, `UPDATE offices SET conflicts = conflicts + 1 WHERE code = $1`, b.Office); err != nil {
				return err
			}
		}
	}
	return nil
}

func orNull(b []byte) string {
	if len(b) == 0 {
		return "null"
	}
	return string(b)
}

// advance moves each office's counters past the inserted events and marks their dates stale.
func (s *Store) advance(ctx context.Context, tx pgx.Tx, res *Result) error {
	type acc struct {
		n, max int64
		at     time.Time
		ids    []int64
	}
	per := map[string]*acc{}
	var order []string
	dayKeys := map[[2]string]bool{}
	var dOff, dDay []string
	for _, b := range res.Inserted {
		a := per[b.Office]
		if a == nil {
			a = &acc{}
			per[b.Office] = a
			order = append(order, b.Office)
		}
		a.n++
		a.max = max(a.max, b.Event.ID)
		if b.Event.At.After(a.at) {
			a.at = b.Event.At
		}
		a.ids = append(a.ids, b.Event.ID)
		if k := [2]string{b.Office, b.Day}; !dayKeys[k] {
			dayKeys[k] = true
			dOff, dDay = append(dOff, b.Office), append(dDay, b.Day)
		}
	}
	codes, counts, maxes, ats := make([]string, len(order)), make([]int64, len(order)), make([]int64, len(order)), make([]time.Time, len(order))
	for i, o := range order {
		a := per[o]
		codes[i], counts[i], maxes[i], ats[i] = o, a.n, a.max, a.at
	}
	// One statement moves every office of the batch: its count, highest ID, newest instant.
	rows, err := tx.Query(ctx, `UPDATE offices o SET events = o.events + u.n, max_event_id = greatest(o.max_event_id, u.max),
			last_event_at = CASE WHEN u.max >= o.max_event_id THEN u.at ELSE o.last_event_at END, last_received_at = now()
		FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::timestamptz[]) AS u(code, n, max, at)
		WHERE o.code = u.code RETURNING o.code, o.events, o.max_event_id, o.contiguous_through`, codes, counts, maxes, ats)
	if err != nil {
		return err
	}
	for rows.Next() {
		var o string
		var p Progress
		if err := rows.Scan(&o, &p.Events, &p.MaxEventID, &p.Before); err != nil {
			rows.Close()
			return err
		}
		res.Progress[o] = p
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var moved []string
	var movedTo []int64
	for _, o := range order {
		p, ok := res.Progress[o]
		if !ok {
			return fmt.Errorf("office %s is not known", o)
		}
		c := p.Before
		for _, id := range per[o].ids { // in ID order: the usual case, a batch that continues the log
			if id == c+1 {
				c = id
			} else if id > c+1 {
				break
			}
		}
		for c < p.MaxEventID { // the batch filled a hole: the run may go on through events stored earlier
			rows, err := tx.Query(ctx, `SELECT event_id FROM events WHERE office = $1 AND event_id > $2 ORDER BY event_id LIMIT 10000`, o, c)
			if err != nil {
				return err
			}
			ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
			if err != nil {
				return err
			}
			prev := c
			for _, id := range ids {
				if id != c+1 {
					break
				}
				c = id
			}
			if c == prev || len(ids) < 10000 {
				break
			}
		}
		p.Contiguous = c
		res.Progress[o] = p
		if c != p.Before {
			moved, movedTo = append(moved, o), append(movedTo, c)
		}
	}
	if len(moved) > 0 {
		if _, err := tx.Exec(ctx, `UPDATE offices o SET contiguous_through = u.c FROM unnest($1::text[], $2::bigint[]) AS u(code, c) WHERE o.code = u.code`,
			moved, movedTo); err != nil {
			return err
		}
	}
	if len(dOff) > 0 {
		if _, err := tx.Exec(ctx, `INSERT INTO days (office, day) SELECT u.o, u.d::date FROM unnest($1::text[], $2::text[]) AS u(o, d)
			ON CONFLICT (office, day) DO UPDATE SET stale = true, version = days.version + 1`, dOff, dDay); err != nil {
			return err
		}
	}
	return nil
}

// KnownOffices returns the codes of every office, for the ingest to refuse strangers.
func (s *Store) KnownOffices(ctx context.Context) (map[string]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT code, time_zone FROM offices`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var c, tz string
		if err := rows.Scan(&c, &tz); err != nil {
			return nil, err
		}
		out[c] = tz
	}
	return out, rows.Err()
}

// SetTimeZone records the time zone an office reported, and files its events under the
// business dates that zone gives them when it changed (dateOf is tally.DateOf in the new zone).
func (s *Store) SetTimeZone(ctx context.Context, office, tz string, dateOf func(antre.Event) string) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE offices SET time_zone = $2 WHERE code = $1 AND time_zone <> $2`, office, tz)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		evs, err := queryEvents(ctx, tx, `WHERE office = $1 ORDER BY event_id`, office)
		if err != nil {
			return err
		}
		ids, days := make([]int64, 0, len(evs)), make([]string, 0, len(evs))
		for _, e := range evs {
			ids, days = append(ids, e.ID), append(days, dateOf(e))
		}
		if _, err := tx.Exec(ctx, `UPDATE events e SET day = u.d::date FROM unnest($2::bigint[], $3::text[]) AS u(id, d)
			WHERE e.office = $1 AND e.event_id = u.id AND e.day <> u.d::date`, office, ids, days); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO days (office, day) SELECT DISTINCT office, day FROM events WHERE office = $1
			ON CONFLICT (office, day) DO UPDATE SET stale = true, version = days.version + 1`, office)
		return err
	})
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func queryEvents(ctx context.Context, q querier, where string, args ...any) ([]antre.Event, error) {
	rows, err := q.Query(ctx, `SELECT office, event_id, type, at, ticket, grp, counter, actor, coalesce(data::text, '') FROM events `+where, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (antre.Event, error) {
		var e antre.Event
		var data string
		err := r.Scan(&e.Office, &e.ID, &e.Type, &e.At, &e.Ticket, &e.Group, &e.Counter, &e.Actor, &data)
		if data != "" {
			e.Data = []byte(data)
		}
		e.At = e.At.UTC()
		return e, err
	})
}

// EventsOfDay returns an office's events of one business date, in ID order.
func (s *Store) EventsOfDay(ctx context.Context, office, day string) ([]antre.Event, error) {
	return queryEvents(ctx, s.pool, `WHERE office = $1 AND day = $2::date ORDER BY event_id`, office, day)
}

// Events returns up to limit of an office's events after ID since, in ID order.
func (s *Store) Events(ctx context.Context, office string, since int64, limit int) ([]antre.Event, error) {
	return queryEvents(ctx, s.pool, `WHERE office = $1 AND event_id > $2 ORDER BY event_id LIMIT $3`, office, since, limit)
}

// LatestDay is the business date of an office's newest event by ID (empty when it has none),
// quota changes aside (they may be for a coming day): the office's "today" as its own log
// says, whatever headquarters' clock says.
func (s *Store) LatestDay(ctx context.Context, office string) (string, error) {
	var d string
	err := s.pool.QueryRow(ctx, `SELECT day::text FROM events WHERE office = $1 AND type <> 'quota.changed' ORDER BY event_id DESC LIMIT 1`, office).Scan(&d)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return d, err
}

// Gaps returns up to limit ranges [from, to] of event IDs missing among an office's stored
// events after after and up to through (through beyond the highest stored ID makes the tail
// a gap too).
func (s *Store) Gaps(ctx context.Context, office string, after, through int64, limit int) ([][2]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT prev + 1, next - 1 FROM (
			SELECT event_id AS next, lag(event_id, 1, $2::bigint) OVER (ORDER BY event_id) AS prev
			FROM events WHERE office = $1 AND event_id > $2 AND event_id <= $3
			UNION ALL SELECT $3 + 1, (SELECT coalesce(max(event_id), $2) FROM events WHERE office = $1 AND event_id > $2 AND event_id <= $3)
		) g WHERE next > prev + 1 ORDER BY prev LIMIT $4`, office, after, through, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) ([2]int64, error) {
		var g [2]int64
		err := r.Scan(&g[0], &g[1])
		return g, err
	})
}

// MarkRestored flags an office whose log was found behind headquarters' (a restored backup),
// keeping the first time it was seen and the latest note.
func (s *Store) MarkRestored(ctx context.Context, office, note string) error {
	_, err := s.pool.Exec(ctx, `UPDATE offices SET restored_at = coalesce(restored_at, now()), restored_note = $2 WHERE code = $1`, office, note)
	return err
}

// ClearRestored removes the flag once an operator has dealt with the office.
func (s *Store) ClearRestored(ctx context.Context, office string) error {
	_, err := s.pool.Exec(ctx, `UPDATE offices SET restored_at = NULL, restored_note = '' WHERE code = $1`, office)
	return err
}

// Count returns how many events are stored and how many distinct (office, event_id) pairs
// they have: equal, always, or something counted twice.
func (s *Store) Count(ctx context.Context) (rows, distinct int64, err error) {
	err = s.pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT (office, event_id)) FROM events`).Scan(&rows, &distinct)
	return
}

// OfficeEvents counts an office's stored events directly (not from its counter).
func (s *Store) OfficeEvents(ctx context.Context, office string) (int64, error) {
	var n int64
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM events WHERE office = $1`, office).Scan(&n)
	return n, err
}

// EventsAt returns up to limit of an office's events after ID since whose instant lies in
// [from, to), in ID order: a period's events read in batches.
func (s *Store) EventsAt(ctx context.Context, office string, from, to time.Time, since int64, limit int) ([]antre.Event, error) {
	return queryEvents(ctx, s.pool, `WHERE office = $1 AND at >= $2 AND at < $3 AND event_id > $4 ORDER BY event_id LIMIT $5`,
		office, from, to, since, limit)
}
