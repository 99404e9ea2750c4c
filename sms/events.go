package sms

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"antre"
	"antre/module"
)

// OnEvent writes the messages a state change causes, inside the change's transaction tx, after
// the change's rows are written. It reads only through tx and never calls the Queue, and it does
// no per-subscriber work: a broadcast is one job row the worker expands later. An error rolls
// the change back, so it is returned only when the database fails.
//
//   - ticket.issued: a remaining-quota milestone of the ticket's group, when this ticket crossed it.
//   - ticket.called, ticket.recalled: "your number is called at loket X" to the ticket's phone;
//     a call also asks the worker to find the tickets whose turn is now near.
//   - passport.ready with data {"application": "…", "phone": "…"}: "your passport is ready",
//     once per application.
//   - ticket.finished: the link to the ticket's satisfaction survey to its phone, when a
//     module provides SurveyLinks and wants it sent.
//   - complaint.answered, complaint.rejected with data {"number": "…"}: the answer (or the
//     rejection and its reason) to the phone the complaint came with, which the Complaints
//     service reads in the same transaction; the event carries neither.
func (m *Module) OnEvent(ctx context.Context, tx module.Tx, e antre.Event) error {
	if !m.enabled() {
		return nil
	}
	switch e.Type {
	case antre.EvIssued:
		return m.onIssued(ctx, tx, e)
	case antre.EvCalled, antre.EvRecalled:
		return m.onCalled(ctx, tx, e)
	case antre.EvFinished:
		return m.onFinished(ctx, tx, e)
	case antre.EvComplaintAnswered, antre.EvComplaintRejected:
		return m.onComplaintAnswer(ctx, tx, e)
	case antre.EvPassport:
		var d struct {
			Application string `json:"application"`
			Phone       string `json:"phone"`
		}
		if err := json.Unmarshal(e.Data, &d); err != nil || d.Application == "" {
			m.log.Warn("passport.ready event without application", "event", e.ID)
			return nil
		}
		no, err := normalizeApplication(d.Application)
		phone, perr := antre.NormalizePhone(d.Phone)
		if err != nil || perr != nil {
			// A bad number or phone must not undo the change that made the passport ready.
			m.log.Info("passport ready without a usable number or phone; no SMS", "event", e.ID)
			return nil
		}
		body := m.tpl.text(tplPassportReady, "id", map[string]string{"application": no, "office": m.office.Name})
		return m.enqueue(ctx, tx, outMsg{key: "passport_ready/" + no, kind: tplPassportReady, phone: phone, body: body, prio: prioPersonal}, e.At)
	}
	return nil
}

// onFinished sends a finished ticket with a phone the link to its survey, once.
func (m *Module) onFinished(ctx context.Context, tx module.Tx, e antre.Event) error {
	links, ok := module.Find[SurveyLinks](m.services)
	if !ok || e.Ticket == "" {
		return nil
	}
	date := m.office.BusinessDate(e.At)
	link, send := links.SurveyLink(date, e.Ticket)
	if !send {
		return nil
	}
	t, err := tx.Ticket(e.Ticket)
	if antre.ErrorCode(err) == antre.ENOTFOUND {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sms survey link of %s: %w", e.Ticket, err)
	}
	if t.Phone == "" {
		return nil
	}
	body := m.tpl.text(tplSurvey, "id", map[string]string{"code": e.Ticket, "url": link})
	return m.enqueue(ctx, tx, outMsg{key: "survey/" + date + "/" + e.Ticket, kind: tplSurvey, phone: t.Phone, body: body, prio: prioPersonal}, e.At)
}

// onComplaintAnswer sends a complaint's answer (or its rejection) back to the phone it came
// from, once per answer; the text is cut to fit MaxParts.
func (m *Module) onComplaintAnswer(ctx context.Context, tx module.Tx, e antre.Event) error {
	var d struct {
		Number string `json:"number"`
	}
	if err := json.Unmarshal(e.Data, &d); err != nil || d.Number == "" {
		m.log.Warn("complaint event without a number", "event", e.ID)
		return nil
	}
	svc, ok := module.Find[Complaints](m.services)
	if !ok {
		return nil
	}
	phone, l, reply, ok, err := svc.ComplaintReply(ctx, tx, d.Number)
	if err != nil {
		return fmt.Errorf("sms complaint answer %s: %w", d.Number, err)
	}
	if !ok {
		return nil
	}
	if p, err := antre.NormalizePhone(phone); err == nil {
		phone = p
	}
	body := m.tpl.text(tplComplaintReply, l, map[string]string{"number": d.Number, "answer": reply})
	for r := []rune(reply); len(r) > 0; {
		if _, parts := PartCount(body); parts <= m.cfg.MaxParts {
			break
		}
		r = r[:len(r)*9/10]
		body = m.tpl.text(tplComplaintReply, l, map[string]string{"number": d.Number, "answer": string(r) + "…"})
	}
	return m.enqueue(ctx, tx, outMsg{key: "complaint/" + d.Number + "/" + string(e.Type), kind: tplComplaintReply, phone: phone,
		body: body, prio: prioPersonal}, e.At)
}

// onIssued enqueues the milestone broadcasts this ticket crossed: a milestone of n tickets left
// is crossed by the issue that makes the remaining quota n.
func (m *Module) onIssued(ctx context.Context, tx module.Tx, e antre.Event) error {
	if len(m.milestones) == 0 || e.Group == "" {
		return nil
	}
	date := m.office.BusinessDate(e.At)
	g, err := tx.GroupQuota(e.Group)
	if err != nil {
		return fmt.Errorf("sms milestone of group %s: %w", e.Group, err)
	}
	quota, name := g.Quota.Total(), g.NameID
	left := quota - g.Used.Total()
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
func (m *Module) onCalled(ctx context.Context, tx module.Tx, e antre.Event) error {
	date := m.office.BusinessDate(e.At)
	t, err := tx.Ticket(e.Ticket)
	if antre.ErrorCode(err) == antre.ENOTFOUND {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sms call of %s: %w", e.Ticket, err)
	}
	phone, group := t.Phone, t.QueueGroup
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
// NearAhead+1 waiting tickets of each class can be near: only those are looked up. It runs
// outside any transaction, since it asks the Queue.
func (m *Module) nearTurns(ctx context.Context, j nearCheckJob) ([]outMsg, error) {
	waiting, err := m.queue.Waiting(ctx, j.Date, j.Group, m.cfg.NearAhead+1)
	if err != nil {
		return nil, fmt.Errorf("sms near turns: %w", err)
	}
	type candidate struct{ code, phone string }
	var cands []candidate
	for _, t := range waiting {
		if t.Phone != "" {
			cands = append(cands, candidate{t.Code, t.Phone})
		}
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
