package sms

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"antre"
	"antre/module"
)

// CommandKind is what an inbound message asks for.
type CommandKind string

// The inbound commands. Anything unrecognised is CmdHelp with Unknown set.
const (
	CmdStatus CommandKind = "status" // STATUS <application no>: the application's status
	CmdQueue  CommandKind = "queue"  // ANTRI/QUEUE <ticket code>: position and estimated wait
	CmdQuota  CommandKind = "quota"  // KUOTA/QUOTA: remaining quota per group today
	CmdStop   CommandKind = "stop"   // STOP/BERHENTI: no more broadcasts
	CmdStart  CommandKind = "start"  // MULAI/START: subscribe to broadcasts
	CmdHelp   CommandKind = "help"   // INFO/BANTUAN/HELP, or anything else
	// CmdComplaint is ADUAN/COMPLAINT <text>: a complaint, answered with its number, and later
	// with the office's answer.
	CmdComplaint CommandKind = "complaint"
)

// Command is a parsed inbound message. Lang is "en" when the keyword is English only (QUEUE,
// QUOTA, START, HELP, COMPLAINT), Indonesian otherwise; the answer is in that language. Text is
// the rest of a complaint's message as it was written (its words).
type Command struct {
	Kind    CommandKind
	Arg     string
	Text    string
	Lang    string
	Unknown bool
}

// keywords maps each keyword to its command and language.
var keywords = map[string]struct {
	kind CommandKind
	lang string
}{
	"STATUS": {CmdStatus, "id"}, "CEK": {CmdStatus, "id"},
	"ANTRI": {CmdQueue, "id"}, "ANTRIAN": {CmdQueue, "id"}, "ANTREAN": {CmdQueue, "id"}, "QUEUE": {CmdQueue, "en"},
	"KUOTA": {CmdQuota, "id"}, "QUOTA": {CmdQuota, "en"},
	"STOP": {CmdStop, "id"}, "BERHENTI": {CmdStop, "id"}, "UNSUBSCRIBE": {CmdStop, "en"},
	"MULAI": {CmdStart, "id"}, "START": {CmdStart, "en"}, "DAFTAR": {CmdStart, "id"},
	"INFO": {CmdHelp, "id"}, "BANTUAN": {CmdHelp, "id"}, "HELP": {CmdHelp, "en"},
	"ADUAN": {CmdComplaint, "id"}, "COMPLAINT": {CmdComplaint, "en"},
}

// ParseCommand reads an inbound message: a keyword in any case, then an optional argument,
// separated by spaces, '#', ':' or '.'. The argument is upper-cased with inner spaces and dashes
// removed ("antri a-012" → QUEUE A012).
func ParseCommand(text string) Command {
	t := strings.TrimSpace(text)
	end := strings.IndexFunc(t, func(r rune) bool { return r == ' ' || r == '#' || r == ':' || r == '.' || r == '\n' || r == '\t' })
	word, rest := t, ""
	if end >= 0 {
		word, rest = t[:end], t[end+1:]
	}
	k, ok := keywords[strings.ToUpper(word)]
	if !ok {
		return Command{Kind: CmdHelp, Lang: "id", Unknown: true}
	}
	arg := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '#', ':', '.', '\t', '\n':
			return -1
		}
		return r
	}, strings.ToUpper(rest))
	c := Command{Kind: k.kind, Arg: arg, Lang: k.lang}
	if k.kind == CmdComplaint {
		c.Text = strings.TrimSpace(rest)
	}
	return c
}

// inboundPhone is the number an inbound message came from: normalised when it is an
// Indonesian mobile number, else the sender as the gateway gave it (a foreign number).
func inboundPhone(from string) string {
	if p, err := antre.NormalizePhone(from); err == nil {
		return p
	}
	return strings.TrimPrefix(strings.TrimSpace(from), "+")
}

// Receive answers an inbound message and returns the answer, for gateways that send the answer
// themselves (Kannel's sms-service sends the HTTP response body). A number over its rate limit
// gets an empty answer, which the gateway does not send.
func (m *Module) Receive(ctx context.Context, in Inbound) (string, error) {
	return m.receive(ctx, in, false)
}

// ReceiveQueued answers an inbound message through the outbox, for gateways that deliver
// inbound messages without a reply channel (SMPP deliver_sm). The inbound record and its answer
// are written in one transaction.
func (m *Module) ReceiveQueued(ctx context.Context, in Inbound) error {
	_, err := m.receive(ctx, in, true)
	return err
}

func (m *Module) receive(ctx context.Context, in Inbound, queued bool) (string, error) {
	phone := inboundPhone(in.From)
	if phone == "" {
		return "", antre.Errorf(antre.EINVALID, antre.MsgBadPhone, "inbound sms without sender")
	}
	now := m.now()
	cmd := ParseCommand(in.Text)
	var recent int
	if err := m.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sms_inbound WHERE phone = ? AND at > ? AND result <> 'limited'`,
		phone, now.Add(-m.cfg.InboundWindow).UnixMilli()).Scan(&recent); err != nil {
		return "", fmt.Errorf("sms inbound: %w", err)
	}
	result, reply := string(cmd.Kind), ""
	if recent >= m.cfg.InboundLimit {
		result = "limited"
		m.log.Warn("sms inbound over the rate limit", "phone", antre.MaskPhone(phone))
	} else if cmd.Kind == CmdComplaint {
		reply = m.complaint(ctx, cmd, phone)
	} else {
		reply = m.answer(ctx, cmd)
	}
	err := m.db.Update(ctx, func(tx module.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO sms_inbound (phone, body, at, result) VALUES (?, ?, ?, ?)`,
			phone, truncate(in.Text, 480), now.UnixMilli(), result)
		if err != nil {
			return fmt.Errorf("sms inbound: %w", err)
		}
		id, _ := res.LastInsertId()
		if reply != "" && (cmd.Kind == CmdStop || cmd.Kind == CmdStart) {
			if _, err := tx.ExecContext(ctx, `INSERT INTO sms_subscribers (phone, lang, active, updated_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (phone) DO UPDATE SET lang = excluded.lang, active = excluded.active, updated_at = excluded.updated_at`,
				phone, cmd.Lang, cmd.Kind == CmdStart, now.UnixMilli()); err != nil {
				return fmt.Errorf("sms inbound: %w", err)
			}
		}
		if queued && reply != "" {
			return m.enqueue(ctx, tx, outMsg{
				key: "reply/" + strconv.FormatInt(id, 10), kind: "reply_" + string(cmd.Kind), phone: phone, body: reply, prio: prioUrgent,
			}, now)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return reply, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// answer returns the reply to cmd. It tells the status of a ticket or application only, never
// a name or an identity number; a failure to find out gets the generic error message.
func (m *Module) answer(ctx context.Context, cmd Command) string {
	l := cmd.Lang
	text, err := m.answerText(ctx, cmd)
	if err != nil {
		m.log.Error("sms answer", "command", cmd.Kind, "err", err)
		return antre.T(l, antre.MsgInternal)
	}
	return text
}

func (m *Module) answerText(ctx context.Context, cmd Command) (string, error) {
	l := cmd.Lang
	switch cmd.Kind {
	case CmdStop:
		return m.tpl.text(tplStopped, l, nil), nil
	case CmdStart:
		return m.tpl.text(tplStarted, l, nil), nil
	case CmdQuota:
		qs, err := m.queue.Quota(ctx)
		if err != nil {
			return "", err
		}
		parts := make([]string, 0, len(qs))
		for _, q := range qs {
			parts = append(parts, fmt.Sprintf("%s:%d", q.Group, max(q.Remaining.Total(), 0)))
		}
		date := m.now().In(m.office.Location).Format("02-01-2006")
		return m.tpl.text(tplQuota, l, map[string]string{"date": date, "quotas": strings.Join(parts, " ")}), nil
	case CmdStatus:
		if cmd.Arg == "" {
			return m.tpl.text(tplMissingArgHint, l, map[string]string{"example": "STATUS 1234567890"}), nil
		}
		no, err := normalizeApplication(cmd.Arg)
		if err != nil {
			return m.tpl.text(tplStatusUnknown, l, map[string]string{"application": truncate(cmd.Arg, 32)}), nil
		}
		apps, ok := module.Find[ApplicationStatus](m.services)
		if !ok {
			return m.tpl.text(tplStatusNone, l, map[string]string{"application": no}), nil
		}
		status, err := apps.StatusText(ctx, no, l)
		if antre.ErrorCode(err) == antre.ENOTFOUND {
			return m.tpl.text(tplStatusUnknown, l, map[string]string{"application": no}), nil
		}
		if err != nil {
			return "", err
		}
		return m.tpl.text(tplStatus, l, map[string]string{"application": no, "status": status}), nil
	case CmdQueue:
		example := map[string]string{"example": "ANTRI A012"}
		if l == "en" {
			example["example"] = "QUEUE A012"
		}
		if cmd.Arg == "" {
			return m.tpl.text(tplMissingArgHint, l, example), nil
		}
		if _, _, err := antre.ParseCode(cmd.Arg); err != nil {
			return m.tpl.text(tplMissingArgHint, l, example), nil
		}
		v, err := m.queue.Lookup(ctx, cmd.Arg)
		if antre.ErrorCode(err) == antre.ENOTFOUND {
			return m.tpl.text(tplQueueNotFound, l, map[string]string{"code": cmd.Arg}), nil
		}
		if err != nil {
			return "", err
		}
		switch v.Status {
		case antre.StatusWaiting:
			return m.tpl.text(tplQueueWaiting, l, map[string]string{"code": v.Code, "ahead": strconv.Itoa(v.Ahead),
				"wait": strconv.Itoa(v.EstimatedWaitMinutes)}), nil
		case antre.StatusCalled:
			return m.tpl.text(tplQueueCalled, l, map[string]string{"code": v.Code, "counter": strconv.Itoa(v.Counter)}), nil
		}
		return m.tpl.text(tplQueueOther, l, map[string]string{"code": v.Code, "status": ticketStatusText(v.Status, l)}), nil
	}
	return m.tpl.text(tplHelp, l, nil), nil
}

// complaint files an ADUAN message from phone with the complaints service and returns the
// answer: the complaint's number and due date, a hint when the text is missing, or that
// complaints are not taken by SMS when no module provides the service.
func (m *Module) complaint(ctx context.Context, cmd Command, phone string) string {
	l := cmd.Lang
	if len([]rune(cmd.Text)) < 5 {
		example := "ADUAN petugas loket 2 meminta uang tambahan"
		if l == "en" {
			example = "COMPLAINT officer at counter 2 asked for extra money"
		}
		return m.tpl.text(tplMissingArgHint, l, map[string]string{"example": example})
	}
	svc, ok := module.Find[Complaints](m.services)
	if !ok {
		return m.tpl.text(tplComplaintNone, l, nil)
	}
	number, due, err := svc.FileComplaint(ctx, phone, cmd.Text, l)
	if err != nil {
		m.log.Error("sms complaint", "phone", antre.MaskPhone(phone), "err", err)
		return antre.ErrorMessage(err, l)
	}
	if d, err := time.Parse(time.DateOnly, due); err == nil {
		due = d.Format("02-01-2006")
	}
	return m.tpl.text(tplComplaint, l, map[string]string{"number": number, "due": due})
}

// ticketStatusText names a ticket's state for an applicant.
func ticketStatusText(s antre.Status, l string) string {
	texts := map[antre.Status][2]string{
		antre.StatusServing:   {"sedang dilayani", "being served"},
		antre.StatusDone:      {"sudah selesai dilayani", "served"},
		antre.StatusNoShow:    {"tidak hadir saat dipanggil, segera lapor ke petugas", "missed its call, please see an officer"},
		antre.StatusCancelled: {"dibatalkan", "cancelled"},
	}
	t, ok := texts[s]
	if !ok {
		return string(s)
	}
	if l == "en" {
		return t[1]
	}
	return t[0]
}

// normalizeApplication validates an application number: 4 to 32 letters, digits or '/', stored
// upper-case without the spaces, dashes and dots people write in it (as ParseCommand drops them).
func normalizeApplication(no string) (string, error) {
	no = strings.ToUpper(strings.NewReplacer(" ", "", "-", "", ".", "").Replace(no))
	if len(no) < 4 || len(no) > 32 {
		return "", antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "application number %q must have 4 to 32 characters", no).WithArgs("application")
	}
	for _, r := range no {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r == '/') {
			return "", antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "application number %q has a character other than letters, digits or /", no).WithArgs("application")
		}
	}
	return no, nil
}
