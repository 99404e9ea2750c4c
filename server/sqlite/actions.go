package sqlite

import (
	"context"
	"strings"

	"antre"
)

var actionEvents = map[antre.Action]antre.EventType{
	antre.ActRecall:     antre.EvRecalled,
	antre.ActStart:      antre.EvStarted,
	antre.ActFinish:     antre.EvFinished,
	antre.ActNoShow:     antre.EvNoShow,
	antre.ActReactivate: antre.EvReactivated,
	antre.ActTransfer:   antre.EvTransferred,
	antre.ActCancel:     antre.EvCancelled,
}

// transition applies act to t by the state machine, writes the row and emits the event; the
// event's data records the state the ticket came from ("from"), so a follower can keep counts
// without knowing every ticket.
func transition(tx *Tx, t *antre.Ticket, act antre.Action, actor string, data map[string]any) error {
	to, err := t.Status.Next(act)
	if err != nil {
		return err
	}
	data["from"] = t.Status
	now := ms(tx.Now())
	set := "status = ?"
	args := []any{to}
	switch act {
	case antre.ActRecall:
		set += ", recalls = recalls + 1, called_at = ?"
		args = append(args, now)
		t.Recalls++
	case antre.ActStart:
		set += ", started_at = ?"
		args = append(args, now)
	case antre.ActFinish:
		set += ", finished_at = ?"
		args = append(args, now)
	case antre.ActNoShow:
		set += ", no_show_at = ?"
		args = append(args, now)
	case antre.ActReactivate, antre.ActTransfer:
		set += ", counter = NULL, called_at = NULL, started_at = NULL, recalls = 0"
	}
	if _, err := tx.ExecContext(tx.ctx, `UPDATE tickets SET `+set+` WHERE id = ?`, append(args, t.ID)...); err != nil {
		return err
	}
	counter := t.Counter
	if act == antre.ActReactivate || act == antre.ActTransfer {
		t.Counter = 0
	}
	t.Status = to
	return tx.Emit(antre.Event{Type: actionEvents[act], Ticket: t.Code, Group: t.QueueGroup, Counter: counter, Actor: actor}, data)
}

// ActRequest is an officer's action on a ticket at a counter.
type ActRequest struct {
	Counter int
	// Code names the ticket; empty means the counter's current (called or serving) ticket.
	Code   string
	Action antre.Action
	Actor  string
	Reason string
	// ToGroup and ToCounter are the destination of a transfer (at least one is set).
	ToGroup   string
	ToCounter int
}

// Act applies an officer's action to a ticket in one transaction with its event:
//   - recall, start, finish and no-show only on a ticket called to the officer's own counter;
//   - a recall beyond MaxRecalls marks the ticket a no-show instead;
//   - reactivate only within LateWindow of the no-show; the ticket waits again with its
//     original issue time, so it is next in line;
//   - transfer to another group's queue and/or reserve it for another counter, keeping the
//     original issue time;
//   - cancel from any unfinished state, with the reason recorded.
func (db *DB) Act(ctx context.Context, r ActRequest) (t antre.Ticket, err error) {
	err = db.Update(ctx, func(tx *Tx) error {
		if r.Counter != 0 {
			if _, err := loadCounter(tx, r.Counter); err != nil {
				return err
			}
		}
		if r.Code == "" {
			cur, err := current(tx, r.Counter)
			if err != nil {
				return err
			}
			if cur == nil {
				return antre.Errorf(antre.ENOTFOUND, antre.MsgTicketNotFound, "counter %d holds no ticket", r.Counter)
			}
			t = *cur
		} else if t, err = ticketByCode(tx, r.Code); err != nil {
			return err
		}
		data := map[string]any{}
		if r.Reason != "" {
			data["reason"] = r.Reason
		}
		switch r.Action {
		case antre.ActRecall, antre.ActStart, antre.ActFinish, antre.ActNoShow:
			if t.Status != antre.StatusWaiting && t.Counter != 0 && t.Counter != r.Counter {
				return antre.Errorf(antre.ECONFLICT, antre.MsgNotYourTicket, "%s is held by counter %d, not %d", t.Code, t.Counter, r.Counter)
			}
			if r.Action == antre.ActRecall && t.Status == antre.StatusCalled && t.Recalls >= db.opt.MaxRecalls {
				data["reason"] = "recall_limit"
				return transition(tx, &t, antre.ActNoShow, r.Actor, data)
			}
		case antre.ActReactivate:
			if t.Status == antre.StatusNoShow && t.NoShowAt != nil && tx.Now().Sub(*t.NoShowAt) > db.opt.LateWindow {
				return antre.Errorf(antre.ECONFLICT, antre.MsgLateExpired, "%s no-show at %v is past the late window", t.Code, t.NoShowAt)
			}
		case antre.ActTransfer:
			if err := transferTo(tx, &t, r, data); err != nil {
				return err
			}
		case antre.ActCancel:
		default:
			return antre.Errorf(antre.EINVALID, antre.MsgBadAction, "action %q is not a ticket action", r.Action)
		}
		return transition(tx, &t, r.Action, r.Actor, data)
	})
	return t, err
}

// transferTo checks and writes a transfer's destination before the transition.
func transferTo(tx *Tx, t *antre.Ticket, r ActRequest, data map[string]any) error {
	if r.ToGroup == "" && r.ToCounter == 0 {
		return antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "transfer needs a group or a counter").WithArgs("to_group / to_counter")
	}
	data["from_group"] = t.QueueGroup
	if r.ToGroup != "" {
		g, err := group(tx.ctx, tx, strings.ToUpper(r.ToGroup))
		if err != nil {
			return err
		}
		t.QueueGroup = g.Code
		data["to_group"] = g.Code
	}
	t.TargetCounter = 0
	if r.ToCounter != 0 {
		c, err := loadCounter(tx, r.ToCounter)
		if err != nil {
			return err
		}
		t.TargetCounter = c.Number
		data["to_counter"] = c.Number
	}
	_, err := tx.ExecContext(tx.ctx, `UPDATE tickets SET queue_group = ?, target_counter = ? WHERE id = ?`, t.QueueGroup, nullInt(t.TargetCounter), t.ID)
	return err
}

// Grant gives a ticket a dispensation category, recording who granted it and why. The ticket
// moves to the priority pool, which must have room: a grant draws on the same daily pool as
// priority tickets issued at the kiosk.
func (db *DB) Grant(ctx context.Context, code string, c antre.Category, actor, reason string) (t antre.Ticket, err error) {
	if c == antre.CatNone || !c.Valid() {
		return t, antre.Errorf(antre.EINVALID, antre.MsgBadCategory, "unknown category %q", c)
	}
	if strings.TrimSpace(reason) == "" {
		return t, antre.Errorf(antre.EINVALID, antre.MsgNeedReason, "a grant needs a reason")
	}
	err = db.Update(ctx, func(tx *Tx) error {
		if t, err = ticketByCode(tx, code); err != nil {
			return err
		}
		if t.Status == antre.StatusDone || t.Status == antre.StatusCancelled {
			return antre.Errorf(antre.ECONFLICT, antre.MsgBadState, "grant on %s ticket %s", t.Status, t.Code)
		}
		if t.Pool != antre.PoolPriority {
			g, err := group(ctx, tx, t.Group)
			if err != nil {
				return err
			}
			if err := ensureSequence(tx, g.Code); err != nil {
				return err
			}
			s, err := sequenceOf(tx, g)
			if err != nil {
				return err
			}
			if s.used.Priority >= s.quota.Priority {
				return antre.Errorf(antre.EQUOTAEXHAUSTED, antre.MsgQuotaExhausted, "group %s priority pool exhausted", g.Code).
					WithArgs(antre.Text{ID: g.NameID, EN: g.NameEN}, antre.PoolText(antre.PoolPriority))
			}
			if _, err := tx.ExecContext(ctx, `UPDATE sequences SET used_priority = used_priority + 1, used_`+string(t.Pool)+` = used_`+string(t.Pool)+` - 1
				WHERE office = ? AND business_date = ? AND group_code = ?`, db.opt.Office.Code, t.BusinessDate, g.Code); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tickets SET category = ?, pool = 'priority' WHERE id = ?`, c, t.ID); err != nil {
			return err
		}
		from := t.Pool
		t.Category, t.Pool = c, antre.PoolPriority
		if err := recordGrant(tx, t, c, actor, reason); err != nil {
			return err
		}
		return tx.Emit(antre.Event{Type: antre.EvDispensed, Ticket: t.Code, Group: t.QueueGroup, Actor: actor},
			map[string]any{"category": c, "reason": reason, "from_pool": from})
	})
	return t, err
}

// Grants lists today's dispensations, oldest first: the accountability record of who granted
// priority to which ticket and why.
func (db *DB) Grants(ctx context.Context) ([]antre.Grant, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT t.code, d.category, d.granted_by, d.reason, d.at FROM dispensations d
		JOIN tickets t ON t.id = d.ticket_id WHERE t.business_date = ? ORDER BY d.id`, db.opt.Office.BusinessDate(db.now()))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []antre.Grant
	for rows.Next() {
		var g antre.Grant
		if err := rows.Scan(&g.Ticket, &g.Category, &g.GrantedBy, &g.Reason, &g.At); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// PrintReport is how a ticket's print went.
type PrintReport struct {
	Code   string
	OK     bool
	Actor  string
	Detail string
	// AtCounter is an officer's report that the ticket was printed again at the counter; any
	// officer may make it. Otherwise only the kiosk that issued the ticket reports its print.
	AtCounter bool
}

// MarkPrinted records how a ticket's print went. A failed print leaves the ticket valid and
// waiting, marked so that an officer or the kiosk's admin can reprint or cancel it.
func (db *DB) MarkPrinted(ctx context.Context, r PrintReport) (t antre.Ticket, err error) {
	ok, actor, detail := r.OK || r.AtCounter, r.Actor, r.Detail
	err = db.Update(ctx, func(tx *Tx) error {
		if t, err = ticketByCode(tx, r.Code); err != nil {
			return err
		}
		if !r.AtCounter && t.IssuedBy != actor {
			return antre.Errorf(antre.EFORBIDDEN, antre.MsgNotYourPrint, "%s reported the print of %s, issued by %q", actor, t.Code, t.IssuedBy)
		}
		if r.AtCounter && (t.Status == antre.StatusDone || t.Status == antre.StatusCancelled) {
			return antre.Errorf(antre.ECONFLICT, antre.MsgBadState, "counter reprint of %s ticket %s", t.Status, t.Code)
		}
		t.PrintState = "failed"
		ev := antre.EvPrintFailed
		if ok {
			t.PrintState, ev = "printed", antre.EvPrinted
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tickets SET print_state = ? WHERE id = ?`, t.PrintState, t.ID); err != nil {
			return err
		}
		data := map[string]any{"detail": detail}
		if r.AtCounter {
			data["at_counter"] = true
		}
		return tx.Emit(antre.Event{Type: ev, Ticket: t.Code, Group: t.Group, Actor: actor}, data)
	})
	return t, err
}

// RequestReprint asks the kiosk that issued a ticket to print it again (its printer ran out of
// paper, say). The event names the kiosk in its data; the kiosk follows the stream and prints.
// Only unfinished tickets can be reprinted.
func (db *DB) RequestReprint(ctx context.Context, code, actor string) (t antre.Ticket, err error) {
	err = db.Update(ctx, func(tx *Tx) error {
		if t, err = ticketByCode(tx, code); err != nil {
			return err
		}
		if t.Status == antre.StatusDone || t.Status == antre.StatusCancelled {
			return antre.Errorf(antre.ECONFLICT, antre.MsgBadState, "reprint of %s ticket %s", t.Status, t.Code)
		}
		return tx.Emit(antre.Event{Type: antre.EvReprint, Ticket: t.Code, Group: t.Group, Actor: actor}, map[string]any{"kiosk": t.IssuedBy})
	})
	return t, err
}

// Alert raises (active) or clears a device's alert of one kind, e.g. a kiosk printer's
// "paper_out", so that officers see it; repeating the same state changes nothing.
func (db *DB) Alert(ctx context.Context, device, kind, message string, active bool) error {
	return db.Update(ctx, func(tx *Tx) error {
		var res interface{ RowsAffected() (int64, error) }
		var err error
		ev := antre.EvAlert
		if active {
			res, err = tx.ExecContext(ctx, `INSERT INTO alerts (device, kind, message, at) VALUES (?, ?, ?, ?)
				ON CONFLICT (device, kind) DO UPDATE SET message = excluded.message WHERE message <> excluded.message`,
				device, kind, message, ms(tx.Now()))
		} else {
			ev = antre.EvAlertClear
			res, err = tx.ExecContext(ctx, `DELETE FROM alerts WHERE device = ? AND kind = ?`, device, kind)
		}
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return tx.Emit(antre.Event{Type: ev, Actor: device}, map[string]any{"kind": kind, "message": message})
	})
}
