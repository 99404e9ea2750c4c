package backoffice

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"antre"
	"antre/internal/httpapi"
	"antre/module"
)

// Audited are the event types of admin changes, which the audit log records: the day's and
// the standing quota, counters, the holiday calendar, accounts, devices, the running text, SMS templates,
// retries and subscriptions, and the information kiosk's texts. Each is the change's own event;
// those that carry "before" and "after" (or the new value) give the audit its before → after.
var Audited = map[antre.EventType]bool{
	antre.EvQuota:            true,
	antre.EvGroup:            true,
	antre.EvCounter:          true,
	antre.EvCalendar:         true,
	antre.EvUser:             true,
	antre.EvDevice:           true,
	antre.EvDisplay:          true,
	"sms.template_changed":   true,
	"sms.retried":            true,
	"sms.subscriber_stopped": true,
	"info.changed":           true,
}

// Entry is one admin change as the audit log shows it.
type Entry struct {
	ID      int64           `json:"id"`
	EventID int64           `json:"event_id"`
	At      time.Time       `json:"at"`
	Actor   string          `json:"actor"`
	Action  string          `json:"action"`
	Subject string          `json:"subject"`
	Detail  string          `json:"detail,omitempty"`
	Before  json.RawMessage `json:"before"`
	After   json.RawMessage `json:"after"`
}

// record is the module's hook: inside the change's transaction, it writes the audit entry of an
// admin change's event. Personal data in the event (phones, NIKs) is masked before it is kept.
func (m *Module) record(ctx context.Context, tx module.Tx, e antre.Event) error {
	if !Audited[e.Type] {
		return nil
	}
	en := entryOf(e)
	_, err := tx.ExecContext(ctx, `INSERT INTO backoffice_audit (event_id, at, actor, action, subject, detail, before, after)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`,
		e.ID, e.At.UnixMilli(), en.Actor, en.Action, en.Subject, en.Detail, nullJSON(en.Before), nullJSON(en.After))
	return err
}

func nullJSON(b json.RawMessage) any {
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	return string(b)
}

// entryOf reads an admin change's event: its subject, how it changed, and the state before and
// after, masked.
func entryOf(e antre.Event) Entry {
	en := Entry{EventID: e.ID, At: e.At, Actor: e.Actor, Action: string(e.Type)}
	var d map[string]json.RawMessage
	if len(e.Data) > 0 {
		json.Unmarshal(e.Data, &d)
	}
	str := func(k string) string {
		var s string
		json.Unmarshal(d[k], &s)
		return s
	}
	rest := func(drop ...string) json.RawMessage {
		out := map[string]json.RawMessage{}
		for k, v := range d {
			out[k] = v
		}
		for _, k := range drop {
			delete(out, k)
		}
		b, _ := json.Marshal(out)
		return b
	}
	switch e.Type {
	case antre.EvQuota:
		en.Subject = e.Group
		if date := str("date"); date != "" {
			en.Subject += " " + date
		}
		en.Before = d["before"]
		en.After = rest("before", "date")
	case antre.EvGroup:
		en.Subject, en.Detail = e.Group, str("action")
		en.Before, en.After = d["before"], d["after"]
	case antre.EvCounter:
		en.Subject = strconv.Itoa(e.Counter)
		en.Before = d["before"]
		en.After = rest("before")
	case antre.EvCalendar:
		en.Subject = str("date")
		en.Before = d["before"]
		if string(d["open"]) == "true" {
			en.Detail = "opened"
		} else {
			en.Detail = "closed"
			en.After = rest("before", "date")
		}
	case antre.EvUser, antre.EvDevice:
		en.Subject, en.Detail = str("name"), str("action")
		en.Before, en.After = d["before"], d["after"]
		if string(d["password"]) == "true" && en.Detail != "password" && en.Detail != "added" {
			en.Detail += "+password"
		}
	case antre.EvDisplay:
		en.Subject = str("name")
		en.Before = d["before"]
		en.After = rest("before", "name")
	case "sms.template_changed":
		en.Subject, en.Detail = str("template")+"/"+str("lang"), str("action")
		en.Before, en.After = d["before"], d["after"]
	default:
		en.Subject, en.Detail = str("name"), str("action")
		if en.Subject == "" {
			en.Subject = strings.SplitN(string(e.Type), ".", 2)[0]
		}
		en.Before = d["before"]
		if a, ok := d["after"]; ok {
			en.After = a
		} else {
			en.After = rest("before", "name", "action")
		}
	}
	en.Before, en.After = mask(en.Before), mask(en.After)
	return en
}

// mask replaces personal data in a JSON value: strings under a key naming a phone or a NIK.
func mask(b json.RawMessage) json.RawMessage {
	if len(b) == 0 {
		return b
	}
	var v any
	if json.Unmarshal(b, &v) != nil {
		return b
	}
	out, _ := json.Marshal(maskValue("", v))
	return out
}

func maskValue(key string, v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, sub := range x {
			x[k] = maskValue(strings.ToLower(k), sub)
		}
		return x
	case []any:
		for i, sub := range x {
			x[i] = maskValue(key, sub)
		}
		return x
	case string:
		switch {
		case strings.Contains(key, "phone") || strings.Contains(key, "msisdn") || key == "to":
			return antre.MaskPhone(x)
		case strings.Contains(key, "nik"):
			return antre.MaskNIK(x)
		}
	}
	return v
}

// Filter selects audit entries: business dates from From to To (YYYY-MM-DD, inclusive, in the
// office's time zone; empty means open), an actor, an action (an event type or its first part:
// "user" for user.changed), a subject, entries older than Before (an ID, for paging), at most
// Limit (1–500, 100 by default), newest first.
type Filter struct {
	From, To, Actor, Action, Subject string
	Before                           int64
	Limit                            int
}

// Audit returns the entries f selects, newest first.
func (m *Module) Audit(ctx context.Context, f Filter) ([]Entry, error) {
	where := []string{"1 = 1"}
	var args []any
	if f.From != "" {
		d, err := time.ParseInLocation(time.DateOnly, f.From, m.office.Location)
		if err != nil {
			return nil, antre.Errorf(antre.EINVALID, msgBadDate, "audit from %q", f.From).WithArgs("from")
		}
		where, args = append(where, "at >= ?"), append(args, d.UnixMilli())
	}
	if f.To != "" {
		d, err := time.ParseInLocation(time.DateOnly, f.To, m.office.Location)
		if err != nil || (f.From != "" && f.To < f.From) {
			return nil, antre.Errorf(antre.EINVALID, msgBadDate, "audit to %q", f.To).WithArgs("to")
		}
		where, args = append(where, "at < ?"), append(args, d.AddDate(0, 0, 1).UnixMilli())
	}
	if f.Actor != "" {
		where, args = append(where, "actor = ?"), append(args, f.Actor)
	}
	if f.Action != "" {
		where, args = append(where, "(action = ? OR action LIKE ? ESCAPE '\\')"), append(args, f.Action, likePrefix(f.Action)+".%")
	}
	if f.Subject != "" {
		where, args = append(where, "subject LIKE ? ESCAPE '\\'"), append(args, likePrefix(f.Subject)+"%")
	}
	if f.Before > 0 {
		where, args = append(where, "id < ?"), append(args, f.Before)
	}
	if f.Limit == 0 {
		f.Limit = 100
	}
	if f.Limit < 1 || f.Limit > 500 {
		return nil, antre.Errorf(antre.EINVALID, msgBadLimit, "audit limit %d", f.Limit)
	}
	rows, err := m.db.QueryContext(ctx, `SELECT id, event_id, at, actor, action, subject, detail, before, after FROM backoffice_audit
		WHERE `+strings.Join(where, " AND ")+` ORDER BY id DESC LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Entry{}
	for rows.Next() {
		var en Entry
		var at int64
		var before, after sql.NullString
		if err := rows.Scan(&en.ID, &en.EventID, &at, &en.Actor, &en.Action, &en.Subject, &en.Detail, &before, &after); err != nil {
			return nil, err
		}
		en.At = time.UnixMilli(at).UTC()
		if before.Valid {
			en.Before = json.RawMessage(before.String)
		}
		if after.Valid {
			en.After = json.RawMessage(after.String)
		}
		out = append(out, en)
	}
	return out, rows.Err()
}

func likePrefix(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// handleAudit answers GET /api/v1/audit?from=&to=&actor=&action=&subject=&before=&limit=.
func (m *Module) handleAudit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := Filter{From: q.Get("from"), To: q.Get("to"), Actor: q.Get("actor"), Action: q.Get("action"), Subject: q.Get("subject")}
	var err error
	if s := q.Get("limit"); s != "" {
		if f.Limit, err = strconv.Atoi(s); err != nil || f.Limit == 0 {
			f.Limit = -1
		}
	}
	if s := q.Get("before"); s != "" {
		if f.Before, err = strconv.ParseInt(s, 10, 64); err != nil || f.Before <= 0 {
			m.fail(w, r, antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "audit before %q", s).WithArgs("before"))
			return
		}
	}
	list, err := m.Audit(r.Context(), f)
	if err != nil {
		m.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"entries": list})
}

func (m *Module) fail(w http.ResponseWriter, r *http.Request, err error) {
	httpapi.LogRefusal(m.log, r, err)
	httpapi.WriteError(w, r, err)
}
