package sms

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"antre"
	"antre/module"
)

// Message priorities: the worker sends lower numbers first, so a broadcast to thousands of
// subscribers never delays "your number is called".
const (
	prioUrgent    = 0 // calls, near turns, replies
	prioPersonal  = 1 // passport ready
	prioBroadcast = 2
)

// execer is a transaction (module.Tx) or the module's DB, where a statement is a change of its
// own.
type execer = module.Execer

// outMsg is a message to write to the outbox.
type outMsg struct {
	key       string // unique: the same key written twice is one message
	kind      string
	phone     string
	body      string
	broadcast bool
	prio      int
}

// enqueue writes o to the outbox in tx unless a message with its key exists, and wakes the
// worker. It is meant to run inside the transaction of the change that causes the message.
func (m *Module) enqueue(ctx context.Context, tx execer, o outMsg, now time.Time) error {
	_, parts := PartCount(o.body)
	_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO sms_outbox
		(dedupe_key, kind, phone, body, broadcast, prio, status, next_at, parts, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)`,
		o.key, o.kind, o.phone, o.body, o.broadcast, o.prio, now.UnixMilli(), parts, now.UnixMilli(), now.UnixMilli())
	if err != nil {
		return fmt.Errorf("enqueue sms %s: %w", o.key, err)
	}
	m.kick()
	return nil
}

// job kinds.
const (
	jobBroadcast = "broadcast"
	jobNearCheck = "near_check"
)

// broadcastJob is a message to every active subscriber, rendered in each one's language.
type broadcastJob struct {
	Template string            `json:"template"`
	Params   map[string]string `json:"params"`
}

// nearCheckJob asks the worker to find the waiting tickets of a group whose turn is near.
type nearCheckJob struct {
	Date  string `json:"date"`
	Group string `json:"group"`
}

// addJob writes a job unless one with its key exists.
func (m *Module) addJob(ctx context.Context, tx execer, key, kind string, data any, now time.Time) error {
	b, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("encode sms job: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO sms_jobs (dedupe_key, kind, data, created_at) VALUES (?, ?, ?, ?)`,
		key, kind, string(b), now.UnixMilli()); err != nil {
		return fmt.Errorf("add sms job %s: %w", key, err)
	}
	m.kick()
	return nil
}

// stateRank orders outbox states for delivery reports; a report only moves a message to a
// higher rank. Undelivered outranks delivered because a message with one failed part failed.
const stateRank = `CASE status WHEN 'sent' THEN 1 WHEN 'accepted' THEN 2 WHEN 'delivered' THEN 3
	WHEN 'undelivered' THEN 4 WHEN 'skipped' THEN 9 ELSE 0 END`

func rank(s DeliveryState) int {
	switch s {
	case StateSent:
		return 1
	case StateAccepted:
		return 2
	case StateDelivered:
		return 3
	case StateUndelivered:
		return 4
	}
	return 0
}

// Report applies a delivery report. It is idempotent: a report that arrives twice, late or out
// of order never moves a message back. A report naming a gateway id the worker has not stored
// yet (a receipt that overtook the submit answer) is kept and applied when the id is stored.
func (m *Module) Report(ctx context.Context, r Report) error {
	if rank(r.State) == 0 {
		return fmt.Errorf("sms report: unknown state %q", r.State)
	}
	now := m.now().UnixMilli()
	return m.db.Update(ctx, func(tx module.Tx) error {
		id := r.OutboxID
		if r.GatewayID != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO sms_gateway_ids (gateway_id, state) VALUES (?, ?)
				ON CONFLICT (gateway_id) DO UPDATE SET state = excluded.state
				WHERE `+rankOf("sms_gateway_ids.state")+` < `+rankOf("excluded.state"),
				r.GatewayID, string(r.State)); err != nil {
				return fmt.Errorf("sms report: %w", err)
			}
			var oid sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT outbox_id FROM sms_gateway_ids WHERE gateway_id = ?`, r.GatewayID).Scan(&oid); err != nil {
				return fmt.Errorf("sms report: %w", err)
			}
			id = oid.Int64
		}
		if id != 0 {
			return applyState(ctx, tx, id, r.State, r.Detail, now)
		}
		return nil
	})
}

// rankOf is stateRank for a column other than status.
func rankOf(col string) string {
	return `(CASE ` + col + ` WHEN 'sent' THEN 1 WHEN 'accepted' THEN 2 WHEN 'delivered' THEN 3
		WHEN 'undelivered' THEN 4 ELSE 0 END)`
}

func applyState(ctx context.Context, tx execer, id int64, s DeliveryState, detail string, now int64) error {
	final := s == StateDelivered || s == StateUndelivered
	_, err := tx.ExecContext(ctx, `UPDATE sms_outbox SET status = ?, updated_at = ?,
		done_at = CASE WHEN ? THEN ? ELSE done_at END,
		last_error = CASE WHEN ? <> '' THEN ? ELSE last_error END
		WHERE id = ? AND `+stateRank+` < ?`,
		string(s), now, final, now, detail, detail, id, rank(s))
	if err != nil {
		return fmt.Errorf("sms report for message %d: %w", id, err)
	}
	return nil
}

// OutboxMessage is an outbox entry as admins see it.
type OutboxMessage struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	Phone     string     `json:"phone"`
	Body      string     `json:"body"`
	Broadcast bool       `json:"broadcast"`
	Status    string     `json:"status"`
	Attempts  int        `json:"attempts"`
	Parts     int        `json:"parts"`
	NextAt    time.Time  `json:"next_at"`
	LastError string     `json:"last_error,omitempty"`
	GatewayID string     `json:"gateway_id,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
	DoneAt    *time.Time `json:"done_at,omitempty"`
}

// The outbox states an admin may filter by.
var outboxStates = map[string]bool{"queued": true, "sending": true, "sent": true, "accepted": true,
	"delivered": true, "undelivered": true, "dead": true, "skipped": true}

// Outbox lists up to limit messages, newest first, optionally only those in status.
func (m *Module) Outbox(ctx context.Context, status string, limit int) ([]OutboxMessage, error) {
	if status != "" && !outboxStates[status] {
		return nil, antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "unknown outbox status %q", status).WithArgs("status")
	}
	rows, err := m.db.QueryContext(ctx, `SELECT id, kind, phone, body, broadcast, status, attempts, parts, next_at,
		last_error, gateway_id, created_at, sent_at, done_at FROM sms_outbox
		WHERE ? = '' OR status = ? ORDER BY id DESC LIMIT ?`, status, status, limit)
	if err != nil {
		return nil, fmt.Errorf("list sms outbox: %w", err)
	}
	defer rows.Close()
	out := []OutboxMessage{}
	for rows.Next() {
		var o OutboxMessage
		var next, created int64
		var sent, done sql.NullInt64
		if err := rows.Scan(&o.ID, &o.Kind, &o.Phone, &o.Body, &o.Broadcast, &o.Status, &o.Attempts, &o.Parts, &next,
			&o.LastError, &o.GatewayID, &created, &sent, &done); err != nil {
			return nil, fmt.Errorf("list sms outbox: %w", err)
		}
		o.NextAt, o.CreatedAt = time.UnixMilli(next).UTC(), time.UnixMilli(created).UTC()
		o.SentAt, o.DoneAt = msTime(sent), msTime(done)
		out = append(out, o)
	}
	return out, rows.Err()
}

func msTime(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := time.UnixMilli(v.Int64).UTC()
	return &t
}

// Retry puts a dead-lettered message back in the queue with fresh attempts. Only dead messages
// can be retried: anything else is on its way or was delivered. The retry is one transaction
// with an sms.retried event by actor (the message's number, kind and state; never the phone).
func (m *Module) Retry(ctx context.Context, id int64, actor string) error {
	now := m.now().UnixMilli()
	err := m.db.Update(ctx, func(tx module.Tx) error {
		var status, kind string
		var attempts int
		err := tx.QueryRowContext(ctx, `SELECT status, kind, attempts FROM sms_outbox WHERE id = ?`, id).Scan(&status, &kind, &attempts)
		if err == sql.ErrNoRows {
			return antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "no sms %d", id)
		}
		if err != nil {
			return fmt.Errorf("retry sms %d: %w", id, err)
		}
		if status != "dead" {
			return antre.Errorf(antre.ECONFLICT, antre.MsgBadState, "sms %d is %s, not dead", id, status)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sms_outbox SET status = 'queued', attempts = 0, next_at = ?,
			updated_at = ?, done_at = NULL WHERE id = ? AND status = 'dead'`, now, now, id); err != nil {
			return fmt.Errorf("retry sms %d: %w", id, err)
		}
		return tx.Emit(antre.Event{Type: EvRetried, Actor: actor}, map[string]any{"name": fmt.Sprintf("#%d", id), "action": "retried",
			"before": map[string]any{"status": status, "kind": kind, "attempts": attempts}, "after": map[string]any{"status": "queued"}})
	})
	if err != nil {
		return err
	}
	m.kick()
	return nil
}
