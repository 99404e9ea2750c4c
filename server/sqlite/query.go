package sqlite

import (
	"context"
	"database/sql"
	"time"

	"antre"
)

// Today is the current business date in the office's time zone.
func (db *DB) Today() string { return db.opt.Office.BusinessDate(db.now()) }

// Ticket returns today's ticket with the given code.
func (db *DB) Ticket(ctx context.Context, code string) (antre.Ticket, error) {
	return findTicket(ctx, db.read, code, db.Today())
}

// HeldTickets returns today's unfinished tickets whose print is still owed, oldest first. For a
// kiosk (issuedBy set): every ticket it issued that it has not confirmed printed (pending since
// the issue, or failed), so a restarted kiosk takes back even the ticket it died printing. For
// staff (issuedBy empty): failed prints, and prints pending for over a minute (a kiosk that
// went away mid-print).
func (db *DB) HeldTickets(ctx context.Context, issuedBy string) ([]antre.Ticket, error) {
	q := `SELECT ` + ticketCols + ` FROM tickets WHERE business_date = ? AND issued_by = ? AND print_state IN ('pending', 'failed')
		AND status NOT IN ('done', 'cancelled') ORDER BY id`
	args := []any{db.Today(), issuedBy}
	if issuedBy == "" {
		q = `SELECT ` + ticketCols + ` FROM tickets WHERE business_date = ? AND (print_state = 'failed' OR (print_state = 'pending' AND issued_at < ?))
			AND status NOT IN ('done', 'cancelled') ORDER BY id`
		args = []any{db.Today(), ms(db.now().Add(-pendingGrace))}
	}
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []antre.Ticket{}
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// pendingGrace is how long a kiosk may take to confirm a print before officers see the ticket as
// held.
const pendingGrace = time.Minute

// Lookup returns the public view of today's ticket: status, tickets ahead and an estimated wait.
// Ahead counts the waiting tickets of the same queue and class issued before it (by sequence), plus the tickets of
// the other class the ratio will call in between (ageing and other counters' streaks aside). EstimatedWait spreads that
// over the counters serving the queue at today's mean service time (or the default).
func (db *DB) Lookup(ctx context.Context, code string) (antre.TicketView, error) {
	t, err := db.Ticket(ctx, code)
	if err != nil {
		return antre.TicketView{}, err
	}
	return db.view(ctx, db.read, t)
}

// view builds the public view of t, reading through q (the read pool, or a transaction).
func (db *DB) view(ctx context.Context, q querier, t antre.Ticket) (antre.TicketView, error) {
	v := antre.TicketView{Code: t.Code, Group: t.Group, Status: t.Status, Priority: t.Priority(), IssuedAt: t.IssuedAt, Counter: t.Counter}
	if t.Status != antre.StatusWaiting {
		return v, nil
	}
	var normalAhead, priorityAhead, normalWaiting, priorityWaiting int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE category = '' AND id < ?), count(*) FILTER (WHERE category <> '' AND id < ?),
			count(*) FILTER (WHERE category = ''), count(*) FILTER (WHERE category <> '')
		FROM tickets WHERE business_date = ? AND status = 'waiting' AND queue_group = ?`, t.ID, t.ID, t.BusinessDate, t.QueueGroup).
		Scan(&normalAhead, &priorityAhead, &normalWaiting, &priorityWaiting); err != nil {
		return v, err
	}
	sameAhead, otherWaiting := normalAhead, priorityWaiting
	if t.Priority() {
		sameAhead, otherWaiting = priorityAhead, normalWaiting
	}
	v.Ahead = sameAhead
	if r := db.opt.Policy.Ratio; !t.Priority() {
		// the ratio calls one priority ticket after every r ordinary ones
		between := otherWaiting
		if r > 0 {
			between = min(otherWaiting, sameAhead/r)
		}
		v.Ahead += between
	} else if r > 0 {
		v.Ahead += min(otherWaiting, r*(sameAhead+1))
	}
	mean, counters, err := db.serviceRate(ctx, q, t.BusinessDate, t.QueueGroup)
	if err != nil {
		return v, err
	}
	v.Position = v.Ahead + 1
	v.EstimatedWait = time.Duration(v.Ahead) * mean / time.Duration(max(counters, 1))
	v.EstimatedWaitMinutes = int((v.EstimatedWait + time.Minute - 1) / time.Minute)
	return v, nil
}

// serviceRate returns the mean service time of a queue on date (call to finish) and how many
// counters serve it. Both are kept in memory until a ticket finishes or the counters change, so
// that issuing a ticket does not read every finished ticket of the day to estimate its wait.
func (db *DB) serviceRate(ctx context.Context, q querier, date, group string) (time.Duration, int, error) {
	key := date + "/" + group
	db.ratesMu.Lock()
	r, ok := db.rates[key]
	db.ratesMu.Unlock()
	if ok {
		return r.mean, r.counters, nil
	}
	var mean sql.NullFloat64
	if err := q.QueryRowContext(ctx, `SELECT avg(finished_at - called_at) FROM tickets
		WHERE business_date = ? AND queue_group = ? AND status = 'done' AND called_at IS NOT NULL`, date, group).Scan(&mean); err != nil {
		return 0, 0, err
	}
	d := db.opt.DefaultServiceTime
	if mean.Valid && mean.Float64 > 0 {
		d = time.Duration(mean.Float64) * time.Millisecond
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM counters WHERE ',' || groups || ',' LIKE '%,' || ? || ',%'`, group).Scan(&n); err != nil {
		return 0, 0, err
	}
	db.ratesMu.Lock()
	if db.rates == nil || len(db.rates) > 1000 {
		db.rates = map[string]serviceRate{}
	}
	db.rates[key] = serviceRate{mean: d, counters: n}
	db.ratesMu.Unlock()
	return d, n, nil
}

// serviceRate is a queue's measured service time and how many counters serve it.
type serviceRate struct {
	mean     time.Duration
	counters int
}

// forgetRates drops the kept service rates, after a change that alters them.
func (db *DB) forgetRates() {
	db.ratesMu.Lock()
	db.rates = nil
	db.ratesMu.Unlock()
}

// Quota returns today's quota state per group, in display order.
func (db *DB) Quota(ctx context.Context) ([]antre.GroupQuota, error) {
	return db.quota(ctx, db.read)
}

func (db *DB) quota(ctx context.Context, q querier) ([]antre.GroupQuota, error) {
	return db.quotaOf(ctx, q, db.Today(), "", true)
}

// quotaOf reads the quota state of date for one group, or all groups when group is empty; the
// waiting counts only when waiting is set (they read the day's waiting tickets).
func (db *DB) quotaOf(ctx context.Context, q querier, date, group string, waiting bool) ([]antre.GroupQuota, error) {
	count := "0"
	if waiting {
		count = "(SELECT count(*) FROM tickets t WHERE t.business_date = ?1 AND t.queue_group = g.code AND t.status = 'waiting')"
	}
	rows, err := q.QueryContext(ctx, `SELECT g.code, g.name_id, g.name_en,
			coalesce(s.q_walkin, g.quota_walkin), coalesce(s.q_online, g.quota_online), coalesce(s.q_priority, g.quota_priority),
			coalesce(s.used_walkin, 0), coalesce(s.used_online, 0), coalesce(s.used_priority, 0), `+count+`
		FROM groups g LEFT JOIN sequences s ON s.group_code = g.code AND s.business_date = ?1 AND s.office = ?2
		WHERE ?3 = '' OR g.code = ?3
		ORDER BY g.position, g.code`, date, db.opt.Office.Code, group)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []antre.GroupQuota
	for rows.Next() {
		var q antre.GroupQuota
		if err := rows.Scan(&q.Group, &q.NameID, &q.NameEN, &q.Quota.WalkIn, &q.Quota.Online, &q.Quota.Priority,
			&q.Used.WalkIn, &q.Used.Online, &q.Used.Priority, &q.Waiting); err != nil {
			return nil, err
		}
		q.Remaining = antre.Quota{WalkIn: max(q.Quota.WalkIn-q.Used.WalkIn, 0), Online: max(q.Quota.Online-q.Used.Online, 0),
			Priority: max(q.Quota.Priority-q.Used.Priority, 0)}
		out = append(out, q)
	}
	return out, rows.Err()
}

// Snapshot returns the office state for staff: quota and waiting counts, counters and their
// tickets, the recent calls, every waiting ticket and the active alerts, consistent with its
// LastEventID. Concurrent callers share one read, and the result is kept until the next change
// or the next business date, so a crowd of readers costs the store one snapshot. The returned
// value is shared: callers must not change it.
func (db *DB) Snapshot(ctx context.Context) (*antre.Snapshot, error) {
	return db.snapshot.get(db.stateKey(), func() (*antre.Snapshot, stateKey, error) {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		s, err := db.readSnapshot(ctx)
		if err != nil {
			return nil, stateKey{}, err
		}
		return s, stateKey{event: s.LastEventID, date: s.BusinessDate}, nil
	})
}

// SnapshotFor returns the snapshot as role may see it: staff get Snapshot, devices its
// DeviceView (counts instead of the waiting list, no reasons, names or alerts).
func (db *DB) SnapshotFor(ctx context.Context, role antre.Role) (*antre.Snapshot, error) {
	s, err := db.Snapshot(ctx)
	if err != nil || role.Staff() {
		return s, err
	}
	return db.deviceSnap.get(stateKey{event: s.LastEventID, date: s.BusinessDate}, func() (*antre.Snapshot, stateKey, error) {
		return s.DeviceView(), stateKey{event: s.LastEventID, date: s.BusinessDate}, nil
	})
}

// stateKey is the store's state now: the newest committed event and today's date.
func (db *DB) stateKey() stateKey {
	return stateKey{event: db.lastID.Load(), date: db.Today()}
}

// LastCommitted is the ID of the newest committed event, from memory.
func (db *DB) LastCommitted() int64 { return db.lastID.Load() }

// readSnapshot reads the office state in one read transaction on one connection (it never
// takes a second connection while it holds one, so readers cannot starve the pool).
func (db *DB) readSnapshot(ctx context.Context) (*antre.Snapshot, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	o := db.opt.Office
	s := &antre.Snapshot{Office: o.Code, OfficeName: o.Name, TimeZone: o.Location.String(), BusinessDate: db.Today()}
	if s.LastEventID, err = lastEventID(ctx, tx); err != nil {
		return nil, err
	}
	if s.Groups, err = db.quota(ctx, tx); err != nil {
		return nil, err
	}
	if s.Counters, err = counterStates(ctx, tx, s.BusinessDate); err != nil {
		return nil, err
	}
	if s.RecentCalls, err = scanEvents(tx.QueryContext(ctx, `SELECT `+eventCols+` FROM events
		WHERE type IN ('ticket.called', 'ticket.recalled') AND at >= ? ORDER BY id DESC LIMIT ?`, db.dayStart(), db.opt.Recent)); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT code, queue_group, category <> '', issued_at FROM tickets
		WHERE business_date = ? AND status = 'waiting' ORDER BY id`, s.BusinessDate)
	if err != nil {
		return nil, err
	}
	s.Waiting = []antre.TicketView{}
	for rows.Next() {
		var v antre.TicketView
		var issued int64
		if err := rows.Scan(&v.Code, &v.Group, &v.Priority, &issued); err != nil {
			rows.Close()
			return nil, err
		}
		v.Status, v.IssuedAt = antre.StatusWaiting, at(issued)
		s.Waiting = append(s.Waiting, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if s.Alerts, err = db.alerts(ctx, tx); err != nil {
		return nil, err
	}
	return s, nil
}

// counterStates reads the counters with the ticket each holds on date, through q.
func counterStates(ctx context.Context, q querier, date string) ([]antre.CounterState, error) {
	cs, err := counters(ctx, q)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT `+ticketCols+` FROM tickets
		WHERE business_date = ? AND counter IS NOT NULL AND status IN ('called', 'serving') ORDER BY called_at`, date)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	held := map[int]antre.Ticket{}
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		held[t.Counter] = t // the latest call wins, as a counter holds one ticket
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]antre.CounterState, len(cs))
	for i, c := range cs {
		out[i] = antre.CounterState{Counter: c}
		if t, ok := held[c.Number]; ok {
			out[i].Current = &t
		}
	}
	return out, nil
}

// Stats are the figures the hub's /metrics reports: per group the quota, what was issued and
// what waits, and how many tickets are at a counter now.
type Stats struct {
	Groups      []antre.GroupQuota
	AtCounters  int
	LastEventID int64
}

// Stats returns the figures for /metrics: one indexed read bounded by today's tickets, shared
// by concurrent callers and kept until the next change.
func (db *DB) Stats(ctx context.Context) (Stats, error) {
	return db.stats.get(db.stateKey(), func() (Stats, stateKey, error) {
		key := db.stateKey()
		tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return Stats{}, key, err
		}
		defer tx.Rollback()
		st := Stats{LastEventID: key.event}
		if st.Groups, err = db.quota(ctx, tx); err != nil {
			return st, key, err
		}
		err = tx.QueryRowContext(ctx, `SELECT count(*) FROM tickets WHERE business_date = ? AND status IN ('called', 'serving')`, key.date).Scan(&st.AtCounters)
		return st, key, err
	})
}

// dayStart is the Unix millisecond of local midnight that began today's business date.
func (db *DB) dayStart() int64 {
	l := db.now().In(db.opt.Office.Location)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, db.opt.Office.Location).UnixMilli()
}

func (db *DB) alerts(ctx context.Context, q querier) ([]antre.Alert, error) {
	rows, err := q.QueryContext(ctx, `SELECT device, kind, message, at FROM alerts ORDER BY at`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []antre.Alert{}
	for rows.Next() {
		var a antre.Alert
		if err := rows.Scan(&a.Device, &a.Kind, &a.Message, &a.At); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

const eventCols = `id, office, type, at, ticket, grp, counter, actor, data`

func scanEvents(rows *sql.Rows, err error) ([]antre.Event, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []antre.Event{}
	for rows.Next() {
		var e antre.Event
		var stamp int64
		var data string
		if err := rows.Scan(&e.ID, &e.Office, &e.Type, &stamp, &e.Ticket, &e.Group, &e.Counter, &e.Actor, &data); err != nil {
			return nil, err
		}
		e.At = at(stamp)
		if data != "" {
			e.Data = []byte(data)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// EventsSince returns up to limit events with an ID above since, in order.
func (db *DB) EventsSince(ctx context.Context, since int64, limit int) ([]antre.Event, error) {
	return scanEvents(db.read.QueryContext(ctx, `SELECT `+eventCols+` FROM events WHERE id > ? ORDER BY id LIMIT ?`, since, limit))
}

// LastEventID is the ID of the newest event, 0 when there is none.
func (db *DB) LastEventID(ctx context.Context) (int64, error) {
	return lastEventID(ctx, db.read)
}

// lastEventID reads the newest event's ID with SQLite's max() optimisation, one step down the
// table's b-tree whatever its length (wrapped in coalesce(), max() would scan every event).
func lastEventID(ctx context.Context, q querier) (int64, error) {
	var id sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT max(id) FROM events`).Scan(&id)
	return id.Int64, err
}

// Ship hands the events after consumer's cursor (at most limit) to send and, when send
// succeeds, advances the cursor past them. Send runs outside the write lock so a slow link to
// headquarters never delays the office; the cursor only moves from the position the batch was
// read at, so two shippers of one consumer cannot skip events. After a crash between send and
// the cursor update the same batch is sent again, with the same event IDs: a receiver that
// ignores IDs it already has gets every event exactly once.
func (db *DB) Ship(ctx context.Context, consumer string, limit int, send func([]antre.Event) error) (int, error) {
	var last int64
	if err := db.read.QueryRowContext(ctx, `SELECT coalesce((SELECT last_id FROM event_cursors WHERE consumer = ?), 0)`, consumer).Scan(&last); err != nil {
		return 0, err
	}
	evs, err := db.EventsSince(ctx, last, limit)
	if err != nil || len(evs) == 0 {
		return 0, err
	}
	if err := send(evs); err != nil {
		return 0, err
	}
	err = db.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO event_cursors (consumer, last_id) VALUES (?, ?)
			ON CONFLICT (consumer) DO UPDATE SET last_id = excluded.last_id WHERE last_id = ?`, consumer, evs[len(evs)-1].ID, last)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return antre.Errorf(antre.ECONFLICT, antre.MsgBadState, "cursor of %s moved while shipping", consumer)
		}
		return nil
	})
	return len(evs), err
}
