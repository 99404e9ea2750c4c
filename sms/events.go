package sms

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"antre"
)

// OnEvent writes the messages a state change causes, inside the change's transaction tx, after
// the change's rows are written. It reads only through tx and never calls the Queue, and it does
// no per-subscriber work: a broadcast is one job row the worker expands later. An error rolls
// the change back, so it is returned only when the database fails.
//
//   - ticket.issued: a remaining-quota milestone of the ticket's group, when this ticket crossed it.
//   - ticket.called, ticket.recalled: "your number is called at loket X" to the ticket's phone;
//     a call also asks the worker to find the tickets whose turn is now near.
//   - passport.ready with data {"application": "…", "phone": "…"}: "your passport is ready".
func (m *Module) OnEvent(ctx context.Context, tx *sql.Tx, e antre.Event) error {
	if !m.enabled() {
		return nil
	}
	switch e.Type {
	case antre.EvIssued:
		return m.onIssued(ctx, tx, e)
	case antre.EvCalled, antre.EvRecalled:
		return m.onCalled(ctx, tx, e)
	case antre.EvPassport:
		var d struct {
			Application string `json:"application"`
			Phone       string `json:"phone"`
		}
		if err := json.Unmarshal(e.Data, &d); err != nil || d.Application == "" {
			m.log.Warn("passport.ready event without application", "event", e.ID)
			return nil
		}
		err := m.setApplication(ctx, tx, d.Application, statusReady, d.Phone, e.At)
		if err != nil && antre.ErrorCode(err) != antre.EINTERNAL {
			// A bad number or phone in the event must not undo the change that sent it.
			m.log.Warn("passport.ready event not usable", "event", e.ID, "err", err)
			return nil
		}
		return err
	}
	return nil
}

// onIssued enqueues the milestone broadcasts this ticket crossed: a milestone of n tickets left
// is crossed by the issue that makes the remaining quota n.
func (m *Module) onIssued(ctx context.Context, tx *sql.Tx, e antre.Event) error {
	if len(m.milestones) == 0 || e.Group == "" {
		return nil
	}
	date := m.office.BusinessDate(e.At)
	var quota, used int
	var name string
	err := tx.QueryRowContext(ctx, `SELECT g.quota_walkin + g.quota_online + g.quota_priority,
		s.used_walkin + s.used_online + s.used_priority, g.name_id
		FROM sequences s JOIN groups g ON g.code = s.group_code
		WHERE s.office = ? AND s.business_date = ? AND s.group_code = ?`, m.office.Code, date, e.Group).Scan(&quota, &used, &name)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sms milestone of group %s: %w", e.Group, err)
	}
	left := quota - used
	for _, ms := range m.milestones {
		if quota == 0 || left != ms.left(quota) {
			continue
		}
		tpl := tplQuotaLeft
		if left == 0 {
			tpl = tplQuotaGone
		}
		job := broadcastJob{Template: tpl, Params: map[string]string{
			"office": m.office.Name, "group": e.Group, "group_name": name,
			"remaining": strconv.Itoa(left), "quota": strconv.Itoa(quota),
		}}
		key := fmt.Sprintf("milestone/%s/%s/%d", date, e.Group, left)
		if err := m.addJob(ctx, tx, key, jobBroadcast, job, e.At); err != nil {
			return err
		}
	}
	return nil
}

// onCalled tells the called ticket's phone where to go and, on a call, queues the near-turn check.
func (m *Module) onCalled(ctx context.Context, tx *sql.Tx, e antre.Event) error {
	date := m.office.BusinessDate(e.At)
	var phone, group string
	err := tx.QueryRowContext(ctx, `SELECT phone, queue_group FROM tickets WHERE office = ? AND business_date = ? AND code = ?`,
		m.office.Code, date, e.Ticket).Scan(&phone, &group)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sms call of %s: %w", e.Ticket, err)
	}
	if phone != "" {
		body := m.tpl.text(tplCalled, "id", map[string]string{"code": e.Ticket, "counter": strconv.Itoa(e.Counter)})
		if err := m.enqueue(ctx, tx, outMsg{
			key: "called/" + eventKey(e), kind: tplCalled, phone: phone, body: body, prio: prioUrgent,
		}, e.At); err != nil {
			return err
		}
	}
	if e.Type == antre.EvCalled && m.cfg.NearAhead > 0 {
		return m.addJob(ctx, tx, "near_check/"+eventKey(e), jobNearCheck, nearCheckJob{Date: date, Group: group}, e.At)
	}
	return nil
}

// eventKey identifies an event for dedupe keys: its id, or its ticket and instant when the hub
// has not assigned an id yet.
func eventKey(e antre.Event) string {
	if e.ID != 0 {
		return strconv.FormatInt(e.ID, 10)
	}
	return e.Ticket + "@" + strconv.FormatInt(e.At.UnixNano(), 10)
}

// nearTurns returns a "your turn is near" message for every waiting ticket with a phone in the
// job's group that has at most NearAhead tickets ahead; its key allows one per ticket and day.
// Within a class (ordinary, priority) tickets are called first-in-first-out, so only the first
// NearAhead+1 waiting tickets of each class can be near: only those are looked up. It reads
// outside any transaction, since it asks the Queue.
func (m *Module) nearTurns(ctx context.Context, j nearCheckJob) ([]outMsg, error) {
	type waiting struct{ code, phone string }
	var cands []waiting
	rows, err := m.db.QueryContext(ctx, `SELECT code, phone FROM (
		SELECT code, phone, ROW_NUMBER() OVER (PARTITION BY category <> '' ORDER BY issued_at, id) AS place
		FROM tickets WHERE office = ? AND business_date = ? AND queue_group = ? AND status = 'waiting')
		WHERE place <= ? AND phone <> ''`, m.office.Code, j.Date, j.Group, m.cfg.NearAhead+1)
	if err != nil {
		return nil, fmt.Errorf("sms near turns: %w", err)
	}
	for rows.Next() {
		var w waiting
		if err := rows.Scan(&w.code, &w.phone); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sms near turns: %w", err)
		}
		cands = append(cands, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sms near turns: %w", err)
	}
	var out []outMsg
	for _, w := range cands {
		v, err := m.queue.Lookup(ctx, w.code)
		if antre.ErrorCode(err) == antre.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("sms near turns: lookup %s: %w", w.code, err)
		}
		if v.Status != antre.StatusWaiting || v.Ahead > m.cfg.NearAhead {
			continue
		}
		out = append(out, outMsg{
			key: "near/" + j.Date + "/" + w.code, kind: tplTurnNear, phone: w.phone, prio: prioUrgent,
			body: m.tpl.text(tplTurnNear, "id", map[string]string{"code": w.code, "ahead": strconv.Itoa(v.Ahead)}),
		})
	}
	return out, nil
}
