package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"

	"antre"
)

const ticketCols = `id, office, business_date, code, group_code, number, pool, category, status, issued_at, queue_group,
	target_counter, counter, called_at, started_at, finished_at, no_show_at, recalls, called_by, print_state, issued_by, phone`

type scanner interface{ Scan(dest ...any) error }

// scanTicket scans the ticketCols of a row, and then extra columns into extra.
func scanTicket(s scanner, extra ...any) (antre.Ticket, error) {
	var t antre.Ticket
	var issued int64
	var target, counter, called, started, finished, noShow sql.NullInt64
	err := s.Scan(append([]any{&t.ID, &t.Office, &t.BusinessDate, &t.Code, &t.Group, &t.Number, &t.Pool, &t.Category, &t.Status, &issued,
		&t.QueueGroup, &target, &counter, &called, &started, &finished, &noShow, &t.Recalls, &t.CalledBy, &t.PrintState, &t.IssuedBy, &t.Phone}, extra...)...)
	if err != nil {
		return t, err
	}
	t.IssuedAt = at(issued)
	t.TargetCounter = int(target.Int64)
	t.Counter = int(counter.Int64)
	t.CalledAt, t.StartedAt, t.FinishedAt, t.NoShowAt = fromMS(called), fromMS(started), fromMS(finished), fromMS(noShow)
	return t, nil
}

// IssueRequest asks for a new ticket.
type IssueRequest struct {
	Group    string
	Pool     antre.Pool // empty means walk-in, or priority when Category is set
	Category antre.Category
	Phone    string // already normalised, optional
	// IdemKey makes a retried request return the ticket the first one issued instead of a new
	// number. It is scoped to the actor (the kiosk's device name) and the business date, and
	// bound to the request: the same key with another request is refused.
	IdemKey string
	Actor   string
	// Role is the actor's role: only staff may issue VIP/VVIP tickets or from the online pool
	// (online tickets otherwise come only through check-in); a kiosk's tickets are pending
	// their print until the kiosk confirms it.
	Role   antre.Role
	Reason string
}

// hash identifies what the request asks for, so that a reused idempotency key can be told from
// a retry.
func (r IssueRequest) hash() string {
	h := sha256.Sum256([]byte(strings.Join([]string{r.Group, string(r.Pool), string(r.Category), r.Phone, r.Reason}, "\x00")))
	return hex.EncodeToString(h[:12])
}

// Issue issues the next number of a group from a quota pool: the quota check, the number, the
// ticket row, the dispensation record and the event are one transaction, and the answer (its
// place in line and estimated wait, its group's names, its arrival period) is read in that same
// transaction. An exhausted pool is refused with quota_exhausted and consumes nothing. created
// is false when IdemKey matched an earlier ticket of the same request, which is returned as it
// stands; the same key with a different request is a conflict.
func (db *DB) Issue(ctx context.Context, r IssueRequest) (t antre.IssuedTicket, created bool, err error) {
	if !r.Category.Valid() {
		return t, false, antre.Errorf(antre.EINVALID, antre.MsgBadCategory, "unknown category %q", r.Category)
	}
	if r.Category != antre.CatNone {
		if !r.Category.SelfDeclared() && !r.Role.Staff() {
			return t, false, antre.Errorf(antre.EFORBIDDEN, antre.MsgOfficerOnly, "%s tried to issue a %s ticket", r.Actor, r.Category)
		}
		if !r.Category.SelfDeclared() && strings.TrimSpace(r.Reason) == "" {
			return t, false, antre.Errorf(antre.EINVALID, antre.MsgNeedReason, "a %s ticket needs a reason", r.Category)
		}
		r.Pool = antre.PoolPriority
	}
	if r.Pool == "" {
		r.Pool = antre.PoolWalkIn
	}
	if !r.Pool.Valid() {
		return t, false, antre.Errorf(antre.EINVALID, antre.MsgBadPool, "unknown pool %q", r.Pool)
	}
	if r.Pool == antre.PoolPriority && r.Category == antre.CatNone {
		return t, false, antre.Errorf(antre.EINVALID, antre.MsgBadCategory, "the priority pool needs a dispensation category")
	}
	if r.Pool == antre.PoolOnline && !r.Role.Staff() {
		return t, false, antre.Errorf(antre.EFORBIDDEN, antre.MsgOnlineByCheckIn, "%s (%s) tried to issue from the online pool", r.Actor, r.Role)
	}
	err = db.Update(ctx, func(tx *Tx) error {
		var idem any
		hash := r.hash()
		if r.IdemKey != "" {
			key := r.Actor + ":" + tx.Today() + ":" + r.IdemKey
			idem = key
			var oldHash string
			old, err := scanTicket(tx.QueryRowContext(ctx, `SELECT `+ticketCols+`, idem_hash FROM tickets WHERE idem_key = ?`, key), &oldHash)
			if err == nil {
				if oldHash != hash {
					return antre.Errorf(antre.ECONFLICT, antre.MsgIdemReused, "idempotency key %q of %s reused for another request", r.IdemKey, r.Actor)
				}
				t.Ticket = old
				g, err := group(ctx, tx, old.Group)
				if err != nil {
					return err
				}
				return db.answer(tx, g, &t)
			} else if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		if t, err = db.issueIn(tx, r, hash, idem); err != nil {
			return err
		}
		created = true
		return nil
	})
	if err != nil {
		return antre.IssuedTicket{}, false, err
	}
	return t, created, nil
}

// issueIn issues r's ticket in tx: the number from its pool (quota checked in the same
// statement), the ticket row, a dispensation's record, the ticket.issued event and the answer
// the issuing device prints. r is already checked.
func (db *DB) issueIn(tx *Tx, r IssueRequest, hash string, idem any) (t antre.IssuedTicket, err error) {
	ctx := tx.ctx
	g, err := group(ctx, tx, r.Group)
	if err != nil {
		return t, err
	}
	n, err := takeNumber(tx, g, r.Pool)
	if err != nil {
		return t, err
	}
	print := ""
	if r.Role == antre.RoleKiosk {
		print = printPending
	}
	t.Ticket = antre.Ticket{Office: db.opt.Office.Code, BusinessDate: tx.Today(), Code: antre.FormatCode(g.Prefix, n), Group: g.Code,
		Number: n, Pool: r.Pool, Category: r.Category, Status: antre.StatusWaiting, IssuedAt: tx.Now(), QueueGroup: g.Code, Phone: r.Phone,
		IssuedBy: r.Actor, PrintState: print}
	res, err := tx.ExecContext(ctx, `INSERT INTO tickets (office, business_date, group_code, number, code, pool, category, status, issued_at,
		queue_group, phone, idem_key, idem_hash, issued_by, print_state)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.Office, t.BusinessDate, t.Group, t.Number, t.Code, t.Pool, t.Category, t.Status, ms(t.IssuedAt), t.QueueGroup, t.Phone, idem, hash,
		r.Actor, print)
	if err != nil {
		return t, err
	}
	if t.ID, err = res.LastInsertId(); err != nil {
		return t, err
	}
	if r.Category != antre.CatNone {
		reason := r.Reason
		if reason == "" {
			reason = "self-declared at the kiosk"
		}
		if err := recordGrant(tx, t.Ticket, r.Category, r.Actor, reason); err != nil {
			return t, err
		}
	}
	if err := tx.Emit(antre.Event{Type: antre.EvIssued, Ticket: t.Code, Group: t.Group, Actor: r.Actor},
		map[string]any{"pool": t.Pool, "category": t.Category, "number": t.Number}); err != nil {
		return t, err
	}
	if err := db.answer(tx, g, &t); err != nil {
		return antre.IssuedTicket{}, err
	}
	return t, nil
}

// printPending marks a kiosk's ticket from its issue until the kiosk confirms the print.
const printPending = "pending"

// answer fills what the issuing device prints besides the ticket, read in the issue's own
// transaction: its place in line and estimated wait, its group's names and arrival period.
func (db *DB) answer(tx *Tx, g antre.Group, t *antre.IssuedTicket) error {
	v, err := db.view(tx.ctx, tx, t.Ticket)
	if err != nil {
		return err
	}
	t.Ahead, t.EstimatedWaitMinutes = v.Ahead, v.EstimatedWaitMinutes
	t.GroupName, t.GroupNameEN = g.NameID, g.NameEN
	if p, ok := db.opt.Office.PeriodAt(t.IssuedAt); ok {
		t.ArrivalPeriod = p.String()
	}
	return nil
}

func recordGrant(tx *Tx, t antre.Ticket, c antre.Category, actor, reason string) error {
	_, err := tx.ExecContext(tx.ctx, `INSERT INTO dispensations (ticket_id, category, granted_by, reason, at) VALUES (?, ?, ?, ?, ?)`,
		t.ID, c, actor, reason, ms(tx.Now()))
	return err
}

// takeNumber allocates the next number of g from pool in one statement: it succeeds only while
// the pool (today's override, else the group's standing quota) has room and numbers remain. The
// day's sequence row is created by the day's first issue of the group.
func takeNumber(tx *Tx, g antre.Group, pool antre.Pool) (int, error) {
	used := "used_" + string(pool)
	take := func() (int, error) {
		var n int
		err := tx.QueryRowContext(tx.ctx, `UPDATE sequences SET last_number = last_number + 1, `+used+` = `+used+` + 1
			WHERE office = ? AND business_date = ? AND group_code = ? AND last_number < ? AND `+used+` < coalesce(q_`+string(pool)+`, ?)
			RETURNING last_number`, tx.db.opt.Office.Code, tx.Today(), g.Code, antre.MaxNumber, g.Quota.Of(pool)).Scan(&n)
		return n, err
	}
	n, err := take()
	if errors.Is(err, sql.ErrNoRows) {
		var created bool
		if created, err = newSequence(tx, g.Code); err == nil && created {
			n, err = take()
		} else if err == nil {
			err = sql.ErrNoRows
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return 0, antre.Errorf(antre.EQUOTAEXHAUSTED, antre.MsgQuotaExhausted, "group %s pool %s exhausted", g.Code, pool).
			WithArgs(antre.Text{ID: g.NameID, EN: g.NameEN}, antre.PoolText(pool))
	}
	return n, err
}

// newSequence creates today's sequence row of a group; created is false when it existed.
func newSequence(tx *Tx, groupCode string) (created bool, err error) {
	res, err := tx.ExecContext(tx.ctx, `INSERT INTO sequences (office, business_date, group_code) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		tx.db.opt.Office.Code, tx.Today(), groupCode)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// ensureSequence makes sure today's sequence row of a group exists.
func ensureSequence(tx *Tx, groupCode string) error {
	_, err := newSequence(tx, groupCode)
	return err
}

type sequence struct {
	last        int
	used, quota antre.Quota
}

// sequenceOf reads today's numbering and quota state of g (its row must exist).
func sequenceOf(tx *Tx, g antre.Group) (sequence, error) {
	s := sequence{quota: g.Quota}
	var qw, qo, qp sql.NullInt64
	err := tx.QueryRowContext(tx.ctx, `SELECT last_number, used_walkin, used_online, used_priority, q_walkin, q_online, q_priority
		FROM sequences WHERE office = ? AND business_date = ? AND group_code = ?`, tx.db.opt.Office.Code, tx.Today(), g.Code).
		Scan(&s.last, &s.used.WalkIn, &s.used.Online, &s.used.Priority, &qw, &qo, &qp)
	if qw.Valid {
		s.quota = antre.Quota{WalkIn: int(qw.Int64), Online: int(qo.Int64), Priority: int(qp.Int64)}
	}
	return s, err
}

// counterRow is a counter as the calling rules need it.
type counterRow struct {
	antre.Counter
	streak int
}

func loadCounter(tx *Tx, number int) (counterRow, error) {
	var c counterRow
	var gs string
	err := tx.QueryRowContext(tx.ctx, `SELECT number, name, groups, normal_streak FROM counters WHERE number = ?`, number).
		Scan(&c.Number, &c.Name, &gs, &c.streak)
	if errors.Is(err, sql.ErrNoRows) {
		return c, antre.Errorf(antre.ENOTFOUND, antre.MsgCounterNotFound, "no counter %d", number)
	}
	c.Groups = splitGroups(gs)
	return c, err
}

// head returns the first waiting ticket of one class, in issue sequence, that counter c may
// call: tickets of the groups it serves that are not reserved for another counter, and tickets
// reserved for it. The sequence (the ticket's id), not the wall clock, is the order, so a clock
// stepped back cannot put a later ticket first.
func head(tx *Tx, c counterRow, priority bool) (*antre.Ticket, error) {
	class := "category = ''"
	if priority {
		class = "category <> ''"
	}
	served := "0"
	args := []any{tx.Today()}
	if len(c.Groups) > 0 {
		served = "queue_group IN (" + placeholders(len(c.Groups)) + ")"
		for _, g := range c.Groups {
			args = append(args, g)
		}
	}
	args = append(args, c.Number)
	t, err := scanTicket(tx.QueryRowContext(tx.ctx, `SELECT `+ticketCols+` FROM tickets
		WHERE business_date = ? AND status = 'waiting' AND `+class+`
		AND ((target_counter IS NULL AND `+served+`) OR target_counter = ?)
		ORDER BY id LIMIT 1`, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// current returns the ticket a counter has called or is serving, if any.
func current(tx *Tx, counter int) (*antre.Ticket, error) {
	t, err := scanTicket(tx.QueryRowContext(tx.ctx, `SELECT `+ticketCols+` FROM tickets
		WHERE business_date = ? AND counter = ? AND status IN ('called', 'serving') ORDER BY called_at DESC LIMIT 1`, tx.Today(), counter))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// CallNext calls the next ticket to counter: the counter's current ticket, if any, is finished
// first (even when nobody else waits, which is then reported as queue_empty); then the priority policy picks between the oldest ordinary and the oldest priority
// ticket the counter may call. The pick and its reason are one transaction with the event, and
// the single writer makes two counters pressing "next" at once get different tickets.
func (db *DB) CallNext(ctx context.Context, counter int, actor string) (t antre.Ticket, reason string, err error) {
	err = db.Update(ctx, func(tx *Tx) error {
		c, err := loadCounter(tx, counter)
		if err != nil {
			return err
		}
		if err := finishCurrent(tx, counter, actor); err != nil {
			return err
		}
		normal, err := head(tx, c, false)
		if err != nil {
			return err
		}
		prio, err := head(tx, c, true)
		if err != nil {
			return err
		}
		pick, why := db.opt.Policy.Choose(tx.Now(), c.streak, normal, prio)
		if pick == nil {
			return nil // the current ticket's finish still commits
		}
		streak := c.streak + 1
		if pick.Priority() {
			streak = 0
		}
		if _, err := tx.ExecContext(ctx, `UPDATE counters SET normal_streak = ? WHERE number = ?`, streak, counter); err != nil {
			return err
		}
		t, reason = *pick, why
		return call(tx, &t, counter, actor, map[string]any{"reason": why, "normal_streak": c.streak, "from": t.Status})
	})
	if err == nil && t.ID == 0 {
		err = antre.Errorf(antre.EEMPTY, antre.MsgQueueEmpty, "nothing waits for counter %d", counter)
	}
	return t, reason, err
}

// CallTicket calls one specific waiting ticket to counter out of order; the reason is required
// and recorded with the event.
func (db *DB) CallTicket(ctx context.Context, counter int, code, actor, reason string) (t antre.Ticket, err error) {
	if strings.TrimSpace(reason) == "" {
		return t, antre.Errorf(antre.EINVALID, antre.MsgNeedReason, "calling %s out of order needs a reason", code)
	}
	err = db.Update(ctx, func(tx *Tx) error {
		if _, err := loadCounter(tx, counter); err != nil {
			return err
		}
		if t, err = ticketByCode(tx, code); err != nil {
			return err
		}
		if _, err := t.Status.Next(antre.ActCall); err != nil {
			return err
		}
		if err := finishCurrent(tx, counter, actor); err != nil {
			return err
		}
		return call(tx, &t, counter, actor, map[string]any{"reason": antre.ReasonSpecific, "note": reason, "from": t.Status})
	})
	return t, err
}

func call(tx *Tx, t *antre.Ticket, counter int, actor string, data map[string]any) error {
	now := tx.Now()
	t.Status, t.Counter, t.CalledAt, t.CalledBy, t.Recalls, t.TargetCounter = antre.StatusCalled, counter, &now, actor, 0, 0
	if _, err := tx.ExecContext(tx.ctx, `UPDATE tickets SET status = 'called', counter = ?, called_at = ?, called_by = ?, recalls = 0,
		target_counter = NULL, started_at = NULL WHERE id = ?`, counter, ms(now), actor, t.ID); err != nil {
		return err
	}
	return tx.Emit(antre.Event{Type: antre.EvCalled, Ticket: t.Code, Group: t.QueueGroup, Counter: counter, Actor: actor}, data)
}

// finishCurrent finishes the ticket a counter still holds when it calls another.
func finishCurrent(tx *Tx, counter int, actor string) error {
	cur, err := current(tx, counter)
	if err != nil || cur == nil {
		return err
	}
	return transition(tx, cur, antre.ActFinish, actor, map[string]any{"auto": "next_call"})
}

// ticketByCode finds today's ticket by its code (any case).
func ticketByCode(tx *Tx, code string) (antre.Ticket, error) {
	return findTicket(tx.ctx, tx, code, tx.Today())
}

func findTicket(ctx context.Context, q querier, code, date string) (antre.Ticket, error) {
	prefix, n, err := antre.ParseCode(code)
	if err != nil {
		return antre.Ticket{}, err
	}
	code = antre.FormatCode(prefix, n)
	t, err := scanTicket(q.QueryRowContext(ctx, `SELECT `+ticketCols+` FROM tickets WHERE business_date = ? AND code = ?`, date, code))
	if errors.Is(err, sql.ErrNoRows) {
		return t, antre.Errorf(antre.ENOTFOUND, antre.MsgTicketNotFound, "no ticket %s on %s", code, date)
	}
	return t, err
}
