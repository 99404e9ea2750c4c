package sms

import (
	"context"

	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"antre"
	"antre/module"
)

// Template is the text of one kind of message in one language, with {placeholders} filled in
// when a message is made. An admin may edit it; Default is the text in code, which applies
// again when the edit is deleted.
type Template struct {
	Name    string    `json:"name"`
	Lang    string    `json:"lang"`
	Body    string    `json:"body"`
	Default string    `json:"default"`
	Edited  bool      `json:"edited"`
	Params  []string  `json:"params"`
	Updated time.Time `json:"updated_at,omitzero"`
}

// templateDef is a template in code: its placeholders with sample values (for checking an
// edit's length) and its Indonesian and English text.
type templateDef struct {
	params map[string]string
	id, en string
}

// The template names.
const (
	tplQuotaOpen      = "quota_open"
	tplQuotaLeft      = "quota_left"
	tplQuotaGone      = "quota_gone"
	tplTurnNear       = "turn_near"
	tplCalled         = "called"
	tplPassportReady  = "passport_ready"
	tplHelp           = "reply_help"
	tplStatus         = "reply_status"
	tplStatusUnknown  = "reply_status_unknown"
	tplStatusNone     = "reply_status_unavailable"
	tplQueueWaiting   = "reply_queue_waiting"
	tplQueueCalled    = "reply_queue_called"
	tplQueueOther     = "reply_queue_other"
	tplQueueNotFound  = "reply_queue_not_found"
	tplQuota          = "reply_quota"
	tplStopped        = "reply_stop"
	tplStarted        = "reply_start"
	tplMissingArgHint = "reply_missing_arg"
	tplComplaint      = "reply_complaint"
	tplComplaintNone  = "reply_complaint_unavailable"
	tplComplaintReply = "complaint_answer"
	tplSurvey         = "survey"
)

// msgKey is a template's key in the catalogue: "sms." and its name.
func msgKey(name string) antre.MsgKey { return antre.MsgKey("sms." + name) }

// messages are the module's entries of the catalogue: every template's text in code.
func messages() antre.Messages {
	m := antre.Messages{}
	for name, def := range defaultTemplates {
		m[msgKey(name)] = [2]string{def.id, def.en}
	}
	return m
}

// defaultTemplates are the texts in code, which the module adds to the catalogue. Every one must fit one GSM-7 part with its sample
// values (a test checks it), so the common messages cost one SMS.
var defaultTemplates = map[string]templateDef{
	tplQuotaOpen: {
		params: map[string]string{"office": "Kanim Jakarta Selatan", "date": "25-11-2026", "quotas": "A:60 B:60 C:60 D:60 E:60 F:60"},
		id:     "{office} {date}: kuota hari ini {quotas}. Balas KUOTA utk sisa kuota, STOP utk berhenti.",
		en:     "{office} {date}: today's quota {quotas}. Reply QUOTA for what is left, STOP to unsubscribe.",
	},
	tplQuotaLeft: {
		params: map[string]string{"office": "Kanim Jakarta Selatan", "group": "A", "group_name": "Paspor baru", "remaining": "10", "quota": "60"},
		id:     "{office}: sisa kuota layanan {group} hari ini {remaining} dari {quota}. Balas STOP utk berhenti.",
		en:     "{office}: {remaining} of {quota} tickets left today for service {group}. Reply STOP to unsubscribe.",
	},
	tplQuotaGone: {
		params: map[string]string{"office": "Kanim Jakarta Selatan", "group": "A", "group_name": "Paspor baru", "quota": "60"},
		id:     "{office}: kuota layanan {group} hari ini sudah habis. Silakan datang pada hari kerja berikutnya.",
		en:     "{office}: today's quota for service {group} is used up. Please come on the next working day.",
	},
	tplTurnNear: {
		params: map[string]string{"code": "A012", "ahead": "5"},
		id:     "Nomor antrean {code}: tinggal {ahead} antrean sebelum giliran Anda. Mohon bersiap di ruang tunggu.",
		en:     "Ticket {code}: {ahead} tickets before your turn. Please be ready in the waiting room.",
	},
	tplCalled: {
		params: map[string]string{"code": "A012", "counter": "3"},
		id:     "Nomor antrean {code} dipanggil. Silakan menuju loket {counter}.",
		en:     "Ticket {code} is called. Please go to counter {counter}.",
	},
	tplPassportReady: {
		params: map[string]string{"application": "1234567890123456", "office": "Kanim Jakarta Selatan"},
		id:     "Paspor permohonan {application} sudah selesai dan dapat diambil di {office}. Bawa bukti permohonan.",
		en:     "The passport of application {application} is ready for pickup at {office}. Bring your receipt.",
	},
	tplHelp: {
		params: map[string]string{},
		id:     "Ketik: ANTRI <nomor antrean>, STATUS <nomor permohonan>, KUOTA, ADUAN <isi pengaduan>, STOP (berhenti info), MULAI (terima info).",
		en:     "Send: QUEUE <ticket>, STATUS <application no>, QUOTA, COMPLAINT <text>, STOP (no more news), START (get news).",
	},
	tplStatus: {
		params: map[string]string{"application": "1234567890123456", "status": "sedang diproses"},
		id:     "Permohonan {application}: {status}.",
		en:     "Application {application}: {status}.",
	},
	tplStatusUnknown: {
		params: map[string]string{"application": "1234567890123456"},
		id:     "Permohonan {application} tidak ditemukan. Periksa nomor pada bukti permohonan Anda.",
		en:     "Application {application} was not found. Check the number on your receipt.",
	},
	tplStatusNone: {
		params: map[string]string{"application": "1234567890123456"},
		id:     "Status permohonan {application} belum dapat dicek lewat SMS. Silakan tanyakan di kantor imigrasi.",
		en:     "The status of application {application} cannot be checked by SMS yet. Please ask at the office.",
	},
	tplQueueWaiting: {
		params: map[string]string{"code": "A012", "ahead": "12", "wait": "45"},
		id:     "Antrean {code}: menunggu, {ahead} antrean di depan Anda, perkiraan {wait} menit.",
		en:     "Ticket {code}: waiting, {ahead} ahead of you, about {wait} minutes.",
	},
	tplQueueCalled: {
		params: map[string]string{"code": "A012", "counter": "3"},
		id:     "Antrean {code} sedang dipanggil. Silakan menuju loket {counter}.",
		en:     "Ticket {code} is being called. Please go to counter {counter}.",
	},
	tplQueueOther: {
		params: map[string]string{"code": "A012", "status": "tidak hadir saat dipanggil"},
		id:     "Antrean {code}: {status}.",
		en:     "Ticket {code}: {status}.",
	},
	tplQueueNotFound: {
		params: map[string]string{"code": "A012"},
		id:     "Nomor antrean {code} tidak ditemukan untuk hari ini.",
		en:     "Ticket {code} was not found for today.",
	},
	tplQuota: {
		params: map[string]string{"date": "25-11-2026", "quotas": "A:12 B:0 C:30 D:8 E:41 F:19"},
		id:     "Sisa kuota {date}: {quotas}.",
		en:     "Quota left {date}: {quotas}.",
	},
	tplStopped: {
		params: map[string]string{},
		id:     "Anda tidak akan menerima info kuota lagi. Info antrean Anda sendiri tetap dikirim. Ketik MULAI utk berlangganan.",
		en:     "You will get no more quota news. News about your own ticket still comes. Send START to subscribe.",
	},
	tplStarted: {
		params: map[string]string{},
		id:     "Anda berlangganan info kuota harian. Ketik STOP utk berhenti.",
		en:     "You are subscribed to the daily quota news. Send STOP to unsubscribe.",
	},
	tplComplaint: {
		params: map[string]string{"number": "ADU-7KQ3-XM9P", "due": "09-12-2026"},
		id:     "Pengaduan Anda diterima, nomor {number}. Jawaban dikirim lewat SMS paling lambat {due}.",
		en:     "Your complaint is received, number {number}. The answer comes by SMS by {due}.",
	},
	tplComplaintNone: {
		params: map[string]string{},
		id:     "Pengaduan belum dapat diterima lewat SMS. Silakan sampaikan di loket pengaduan kantor imigrasi.",
		en:     "Complaints cannot be taken by SMS yet. Please make it at the office's complaints desk.",
	},
	tplComplaintReply: {
		params: map[string]string{"number": "ADU-7KQ3-XM9P", "answer": "Petugas sudah ditegur dan uang dikembalikan."},
		id:     "Jawaban pengaduan {number}: {answer}",
		en:     "Answer to complaint {number}: {answer}",
	},
	tplSurvey: {
		params: map[string]string{"code": "A012", "url": "http://192.168.100.100:8080/survei/A012?k=ABCDEFGHJKLMNPQR&via=sms"},
		id:     "Terima kasih, antrean {code} selesai. Mohon nilai layanan kami: {url}",
		en:     "Thank you, ticket {code} is served. Please rate our service: {url}",
	},
	tplMissingArgHint: {
		params: map[string]string{"example": "ANTRI A012"},
		id:     "Format salah. Contoh: {example}",
		en:     "Wrong format. Example: {example}",
	},
}

// render fills {name} placeholders of body from params; an unknown placeholder stays as it is.
func render(body string, params map[string]string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(body, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(body[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(body[:i])
		if v, ok := params[body[i+1:i+j]]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(body[i : i+j+1])
		}
		body = body[i+j+1:]
	}
	b.WriteString(body)
	return b.String()
}

// placeholders returns the {names} used in body.
func placeholders(body string) []string {
	var out []string
	for {
		i := strings.IndexByte(body, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(body[i:], '}')
		if j < 0 {
			return out
		}
		out = append(out, body[i+1:i+j])
		body = body[i+j+1:]
	}
}

// templates holds the effective texts: defaults overlaid with the admin's edits, read once from
// the database and kept current by every edit, so that making a message in a state change's
// transaction needs no query.
type templates struct {
	mu     sync.RWMutex
	edited map[[2]string]Template // by name, lang
}

func lang(l string) string {
	if l == "en" {
		return "en"
	}
	return "id"
}

func (t *templates) load(ctx context.Context, db module.Querier) error {
	rows, err := db.QueryContext(ctx, `SELECT name, lang, body, updated_at FROM sms_templates`)
	if err != nil {
		return fmt.Errorf("load sms templates: %w", err)
	}
	defer rows.Close()
	edited := map[[2]string]Template{}
	for rows.Next() {
		var tp Template
		var at int64
		if err := rows.Scan(&tp.Name, &tp.Lang, &tp.Body, &at); err != nil {
			return fmt.Errorf("load sms templates: %w", err)
		}
		tp.Updated = time.UnixMilli(at).UTC()
		edited[[2]string{tp.Name, tp.Lang}] = tp
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load sms templates: %w", err)
	}
	t.mu.Lock()
	t.edited = edited
	t.mu.Unlock()
	return nil
}

// text renders template name in language l with params.
func (t *templates) text(name, l string, params map[string]string) string {
	return render(t.get(name, lang(l)).Body, params)
}

func (t *templates) get(name, l string) Template {
	def := defaultTemplates[name]
	text := antre.T(l, msgKey(name))
	tp := Template{Name: name, Lang: l, Body: text, Default: text}
	for p := range def.params {
		tp.Params = append(tp.Params, p)
	}
	sort.Strings(tp.Params)
	t.mu.RLock()
	e, ok := t.edited[[2]string{name, l}]
	t.mu.RUnlock()
	if ok {
		tp.Body, tp.Edited, tp.Updated = e.Body, true, e.Updated
	}
	return tp
}

func (t *templates) list() []Template {
	names := make([]string, 0, len(defaultTemplates))
	for n := range defaultTemplates {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []Template
	for _, n := range names {
		out = append(out, t.get(n, "id"), t.get(n, "en"))
	}
	return out
}

// check reports why body cannot be template name: an unknown template, an unknown
// placeholder, or a text longer than maxParts with the sample values.
func checkTemplate(name, body string, maxParts int) error {
	def, ok := defaultTemplates[name]
	if !ok {
		return antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "no sms template %q", name)
	}
	if strings.TrimSpace(body) == "" {
		return antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "empty template").WithArgs("body")
	}
	for _, p := range placeholders(body) {
		if _, ok := def.params[p]; !ok {
			return antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "template %s has no placeholder {%s}", name, p).WithArgs("{" + p + "}")
		}
	}
	if _, n := PartCount(render(body, def.params)); n > maxParts {
		return antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "template %s takes %d parts, more than %d", name, n, maxParts).WithArgs(fmt.Sprintf("%d SMS > %d", n, maxParts))
	}
	return nil
}

// put stores an edit (or, with an empty body, deletes it) and makes it effective at once.
func (t *templates) put(ctx context.Context, db module.DB, name, l, body string, maxParts int, now time.Time, actor string) (Template, error) {
	l = lang(l)
	if _, ok := defaultTemplates[name]; !ok && body == "" {
		return Template{}, antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "no sms template %q", name)
	}
	if body != "" {
		if err := checkTemplate(name, body, maxParts); err != nil {
			return Template{}, err
		}
	}
	before := t.get(name, l).Body
	err := db.Update(ctx, func(tx module.Tx) error {
		action := "edited"
		if body == "" {
			action = "reset"
			if _, err := tx.ExecContext(ctx, `DELETE FROM sms_templates WHERE name = ? AND lang = ?`, name, l); err != nil {
				return fmt.Errorf("reset sms template: %w", err)
			}
		} else if _, err := tx.ExecContext(ctx, `INSERT INTO sms_templates (name, lang, body, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (name, lang) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
			name, l, body, now.UnixMilli()); err != nil {
			return fmt.Errorf("store sms template: %w", err)
		}
		after := body
		if after == "" {
			after = t.get(name, l).Default
		}
		return tx.Emit(antre.Event{Type: EvTemplateChanged, Actor: actor}, map[string]any{"template": name, "lang": l, "action": action,
			"before": map[string]string{"body": before}, "after": map[string]string{"body": after}})
	})
	if err != nil {
		return Template{}, err
	}
	t.mu.Lock()
	if body == "" {
		delete(t.edited, [2]string{name, l})
	} else {
		t.edited[[2]string{name, l}] = Template{Name: name, Lang: l, Body: body, Updated: now.UTC()}
	}
	t.mu.Unlock()
	return t.get(name, l), nil
}
