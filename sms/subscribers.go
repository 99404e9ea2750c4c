package sms

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"antre"
	"antre/module"
)

// Subscriber is a number that receives the quota broadcasts, as an admin sees it: the number
// masked, its language, whether it still receives them, and since when.
type Subscriber struct {
	ID      int64     `json:"id"`
	Phone   string    `json:"phone"` // masked: 6281****890
	Lang    string    `json:"lang"`
	Active  bool      `json:"active"`
	Updated time.Time `json:"updated_at"`
}

// EvSubscriberStopped: an admin stopped a number's broadcasts (the number asked at the desk,
// say); data {"name": the masked number, "action": "stopped", "before": {"active"}, "after":
// {"active"}}. The number sends MULAI to subscribe again.
const EvSubscriberStopped antre.EventType = "sms.subscriber_stopped"

// Subscribers lists the broadcast subscribers, newest change first, numbers masked, with the
// count of active ones.
func (m *Module) Subscribers(ctx context.Context, limit int) ([]Subscriber, int, error) {
	var active int
	if err := m.db.QueryRowContext(ctx, `SELECT count(*) FROM sms_subscribers WHERE active = 1`).Scan(&active); err != nil {
		return nil, 0, fmt.Errorf("sms subscribers: %w", err)
	}
	rows, err := m.db.QueryContext(ctx, `SELECT rowid, phone, lang, active, updated_at FROM sms_subscribers ORDER BY updated_at DESC, rowid DESC LIMIT ?`, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("sms subscribers: %w", err)
	}
	defer rows.Close()
	out := []Subscriber{}
	for rows.Next() {
		var s Subscriber
		var at int64
		if err := rows.Scan(&s.ID, &s.Phone, &s.Lang, &s.Active, &at); err != nil {
			return nil, 0, fmt.Errorf("sms subscribers: %w", err)
		}
		s.Phone, s.Updated = antre.MaskPhone(s.Phone), time.UnixMilli(at).UTC()
		out = append(out, s)
	}
	return out, active, rows.Err()
}

// StopSubscriber ends the broadcasts to subscriber id for actor, in one transaction with an
// sms.subscriber_stopped event (the number masked). A number already stopped is a conflict.
func (m *Module) StopSubscriber(ctx context.Context, id int64, actor string) error {
	return m.db.Update(ctx, func(tx module.Tx) error {
		var phone string
		var active bool
		err := tx.QueryRowContext(ctx, `SELECT phone, active FROM sms_subscribers WHERE rowid = ?`, id).Scan(&phone, &active)
		if errors.Is(err, sql.ErrNoRows) {
			return antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "no sms subscriber %d", id)
		}
		if err != nil {
			return fmt.Errorf("stop sms subscriber: %w", err)
		}
		if !active {
			return antre.Errorf(antre.ECONFLICT, antre.MsgBadState, "sms subscriber %d is not active", id)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sms_subscribers SET active = 0, updated_at = ? WHERE rowid = ?`, tx.Now().UnixMilli(), id); err != nil {
			return fmt.Errorf("stop sms subscriber: %w", err)
		}
		return tx.Emit(antre.Event{Type: EvSubscriberStopped, Actor: actor}, map[string]any{"name": antre.MaskPhone(phone), "action": "stopped",
			"before": map[string]bool{"active": true}, "after": map[string]bool{"active": false}})
	})
}

func (m *Module) handleSubscribers(w http.ResponseWriter, r *http.Request) {
	list, active, err := m.Subscribers(r.Context(), 500)
	if err != nil {
		m.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"subscribers": list, "active": active})
}

func (m *Module) handleStopSubscriber(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		m.writeError(w, r, antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "no sms subscriber %q", r.PathValue("id")))
		return
	}
	if err := m.StopSubscriber(r.Context(), id, module.Who(r.Context()).Name); err != nil {
		m.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
