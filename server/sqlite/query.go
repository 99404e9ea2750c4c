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

// HeldTickets returns today's unfinished tickets whose print failed, oldest first: those a kiosk
// still owes its applicants. With issuedBy set, only that kiosk's.
func (db *DB) HeldTickets(ctx context.Context, issuedBy string) ([]antre.Ticket, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+ticketCols+` FROM tickets WHERE business_date = ? AND print_state = 'failed'
		AND status NOT IN ('done', 'cancelled') AND (? = '' OR issued_by = ?) ORDER BY issued_at, id`, db.Today(), issuedBy, issuedBy)
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

// Lookup returns the public view of today's ticket: status, tickets ahead and an estimated wait.
// Ahead counts the waiting tickets of the same queue and class issued earlier, plus the tickets of
// the other class the ratio will call in between (ageing and other counters' streaks aside). EstimatedWait spreads that
// over the counters serving the queue at today's mean service time (or the default).
func (db *DB) Lookup(ctx context.Context, code string) (antre.TicketView, error) {
	t, err := db.Ticket(ctx, code)
	if err != nil {
		return antre.TicketView{}, err
	}
	v := antre.TicketView{Code: t.Code, Group: t.Group, Status: t.Status, Priority: t.Priority(), IssuedAt: t.IssuedAt, Counter: t.Counter}
	if t.Status != antre.StatusWaiting {
		return v, nil
	}
	same, other := "category = ''", "category <> ''"
	if t.Priority() {
		same, other = other, same
	}
	var sameAhead, otherWaiting int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM tickets WHERE business_date = ? AND status = 'waiting' AND queue_group = ?
		AND `+same+` AND (issued_at < ? OR (issued_at = ? AND id < ?))`, t.BusinessDate, t.QueueGroup, ms(t.IssuedAt), ms(t.IssuedAt), t.ID).Scan(&sameAhead); err != nil {
		return v, err
	}
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM tickets WHERE business_date = ? AND status = 'waiting' AND queue_group = ? AND `+other,
		t.BusinessDate, t.QueueGroup).Scan(&otherWaiting); err != nil {
		return v, err
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
	mean, counters, err := db.serviceRate(ctx, t.QueueGroup)
	if err != nil {
		return v, err
	}
	v.Position = v.Ahead + 1
	v.EstimatedWait = time.Duration(v.Ahead) * mean / time.Duration(max(counters, 1))
	v.EstimatedWaitMinutes = int((v.EstimatedWait + time.Minute - 1) / time.Minute)
	return v, nil
}

// serviceRate returns today's mean service time of a queue (call to finish) and how many
// counters serve it.
func (db *DB) serviceRate(ctx context.Context, group string) (time.Duration, int, error) {
	var mean sql.NullFloat64
	if err := db.read.QueryRowContext(ctx, `SELECT avg(finished_at - called_at) FROM tickets
		WHERE business_date = ? AND queue_group = ? AND status = 'done' AND called_at IS NOT NULL`, db.Today(), group).Scan(&mean); err != nil {
		return 0, 0, err
	}
	d := db.opt.DefaultServiceTime
	if mean.Valid && mean.Float64 > 0 {
		d = time.Duration(mean.Float64) * time.Millisecond
	}
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM counters WHERE ',' || groups || ',' LIKE '%,' || ? || ',%'`, group).Scan(&n)
	return d, n, err
}

// Quota returns today's quota state per group, in display order.
func (db *DB) Quota(ctx context.Context) ([]antre.GroupQuota, error) {
	return db.quota(ctx, db.read)
}

func (db *DB) quota(ctx context.Context, q querier) ([]antre.GroupQuota, error) {
	rows, err := q.QueryContext(ctx, `SELECT g.code, g.name_id, g.name_en,
			coalesce(s.q_walkin, g.quota_walkin), coalesce(s.q_online, g.quota_online), coalesce(s.q_priority, g.quota_priority),
			coalesce(s.used_walkin, 0), coalesce(s.used_online, 0), coalesce(s.used_priority, 0),
			(SELECT count(*) FROM tickets t WHERE t.business_date = ? AND t.queue_group = g.code AND t.status = 'waiting')
		FROM groups g LEFT JOIN sequences s ON s.group_code = g.code AND s.business_date = ? AND s.office = ?
		ORDER BY g.position, g.code`, db.Today(), db.Today(), db.opt.Office.Code)
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

// CounterState is a counter with the ticket it holds now.
type CounterState struct {
	antre.Counter
	Current *antre.Ticket `json:"current,omitempty"`
}

// Snapshot is the whole visible state of the office at one event ID: what a display or console
// needs to draw itself before it follows live events from LastEventID on.
type Snapshot struct {
	Office       string             `json:"office"`
	OfficeName   string             `json:"office_name"`
	TimeZone     string             `json:"time_zone"`
	BusinessDate string             `json:"business_date"`
	LastEventID  int64              `json:"last_event_id"`
	Groups       []antre.GroupQuota `json:"groups"`
	Counters     []CounterState     `json:"counters"`
	RecentCalls  []antre.Event      `json:"recent_calls"`
	Waiting      []antre.TicketView `json:"waiting"`
	Alerts       []Alert            `json:"alerts"`
}

// Alert is an active device alert.
type Alert struct {
	Device  string `json:"device"`
	Kind    string `json:"kind"`
	Message string `json:"message"`
	At      int64  `json:"at"`
}

// Snapshot reads the office state in one read transaction, so it is consistent with its
// LastEventID. recent is how many of today's latest calls and recalls to include.
func (db *DB) Snapshot(ctx context.Context, recent int) (*Snapshot, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	o := db.opt.Office
	s := &Snapshot{Office: o.Code, OfficeName: o.Name, TimeZone: o.Location.String(), BusinessDate: db.Today()}
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM events`).Scan(&s.LastEventID); err != nil {
		return nil, err
	}
	if s.Groups, err = db.quota(ctx, tx); err != nil {
		return nil, err
	}
	cs, err := db.Counters(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		st := CounterState{Counter: c}
		t, err := scanTicket(tx.QueryRowContext(ctx, `SELECT `+ticketCols+` FROM tickets
			WHERE business_date = ? AND counter = ? AND status IN ('called', 'serving') ORDER BY called_at DESC LIMIT 1`, s.BusinessDate, c.Number))
		if err == nil {
			st.Current = &t
		} else if err != sql.ErrNoRows {
			return nil, err
		}
		s.Counters = append(s.Counters, st)
	}
	if s.RecentCalls, err = scanEvents(tx.QueryContext(ctx, `SELECT `+eventCols+` FROM events
		WHERE type IN ('ticket.called', 'ticket.recalled') AND at >= ? ORDER BY id DESC LIMIT ?`, db.dayStart(), recent)); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT code, queue_group, category <> '', issued_at FROM tickets
		WHERE business_date = ? AND status = 'waiting' ORDER BY issued_at, id`, s.BusinessDate)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var v antre.TicketView
		var issued int64
		if err := rows.Scan(&v.Code, &v.Group, &v.Priority, &issued); err != nil {
			rows.Close()
			return nil, err
		}
		v.Status, v.IssuedAt = antre.StatusWaiting, time.UnixMilli(issued)
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

// dayStart is the Unix millisecond of local midnight that began today's business date.
func (db *DB) dayStart() int64 {
	l := db.now().In(db.opt.Office.Location)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, db.opt.Office.Location).UnixMilli()
}

func (db *DB) alerts(ctx context.Context, q querier) ([]Alert, error) {
	rows, err := q.QueryContext(ctx, `SELECT device, kind, message, at FROM alerts ORDER BY at`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Alert
	for rows.Next() {
		var a Alert
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
		var at int64
		var data string
		if err := rows.Scan(&e.ID, &e.Office, &e.Type, &at, &e.Ticket, &e.Group, &e.Counter, &e.Actor, &data); err != nil {
			return nil, err
		}
		e.At = time.UnixMilli(at)
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
	var id int64
	err := db.read.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM events`).Scan(&id)
	return id, err
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
