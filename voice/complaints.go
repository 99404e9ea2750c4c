package voice

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"antre"
	"antre/module"
)

// Complaint is a complaint as the office keeps it: its number, how it came and what it is
// about, the complainant's optional contact (personal data: whole only to whoever handles it),
// the ticket or application it concerns, its state, who holds it, when it is due and whether it
// went up to the head, and its answer or the reason it was rejected.
type Complaint struct {
	Number       string                  `json:"number"`
	Channel      antre.ComplaintChannel  `json:"channel"`
	Category     antre.ComplaintCategory `json:"category"`
	Text         string                  `json:"text"`
	Name         string                  `json:"name,omitempty"`
	Phone        string                  `json:"phone,omitempty"`
	Lang         string                  `json:"lang"`
	Ticket       string                  `json:"ticket,omitempty"`
	Application  string                  `json:"application,omitempty"`
	Status       antre.ComplaintStatus   `json:"status"`
	Holder       string                  `json:"holder,omitempty"`
	RecordedBy   string                  `json:"recorded_by,omitempty"`
	ReceivedDate string                  `json:"received_date"`
	Due          string                  `json:"due"`
	Overdue      bool                    `json:"overdue"`
	Escalated    bool                    `json:"escalated"`
	ReceivedAt   time.Time               `json:"received_at"`
	AnsweredAt   *time.Time              `json:"answered_at,omitempty"`
	ClosedAt     *time.Time              `json:"closed_at,omitempty"`
	Answer       string                  `json:"answer,omitempty"`
	RejectReason string                  `json:"reject_reason,omitempty"`
	History      []HistoryEntry          `json:"history,omitempty"`
}

// HistoryEntry is one thing done to a complaint.
type HistoryEntry struct {
	At     time.Time             `json:"at"`
	Actor  string                `json:"actor"`
	Action string                `json:"action"`
	From   antre.ComplaintStatus `json:"from,omitempty"`
	To     antre.ComplaintStatus `json:"to"`
}

// PublicComplaint is what anyone with a complaint's number may see: its state in plain words,
// what it is about, when it was received and is due, and the answer (or the reason it was
// rejected), which is written for the complainant. Never the complaint's text, a name, a phone
// number or who handles it.
type PublicComplaint struct {
	Number       string                  `json:"number"`
	Status       antre.ComplaintStatus   `json:"status"`
	StatusText   string                  `json:"status_text"`
	Category     antre.ComplaintCategory `json:"category"`
	CategoryText string                  `json:"category_text"`
	Channel      antre.ComplaintChannel  `json:"channel"`
	ReceivedDate string                  `json:"received_date"`
	Due          string                  `json:"due"`
	Answer       string                  `json:"answer,omitempty"`
	RejectReason string                  `json:"reject_reason,omitempty"`
}

// FileRequest is a complaint as it arrives. Text is required; the rest is optional. Channel is
// set by the route it came through (web for the public form, desk or box for an officer, sms
// for the SMS module).
type FileRequest struct {
	Channel     antre.ComplaintChannel  `json:"channel"`
	Category    antre.ComplaintCategory `json:"category"`
	Text        string                  `json:"text"`
	Name        string                  `json:"name"`
	Phone       string                  `json:"phone"`
	Ticket      string                  `json:"ticket"`
	Application string                  `json:"application"`
	Lang        string                  `json:"lang"`
}

// ActRequest is an officer's action on a complaint: take (optionally setting the category),
// answer (the answer), reject (the reason) or close.
type ActRequest struct {
	Category antre.ComplaintCategory `json:"category"`
	Answer   string                  `json:"answer"`
	Reason   string                  `json:"reason"`
}

// Text limits, in characters.
const (
	minText   = 5
	maxText   = 1000
	maxAnswer = 1000
	maxName   = 80
)

// clean trims s and checks its length in characters; field names it in the error.
func clean(field, s string, lo, hi int) (string, error) {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	if n < lo || n > hi {
		if n == 0 && lo > 0 {
			return "", antre.Errorf(antre.EINVALID, msgRequired, "%s is empty", field).WithArgs(field)
		}
		return "", antre.Errorf(antre.EINVALID, msgLength, "%s has %d characters, not %d–%d", field, n, lo, hi).WithArgs(field, lo, hi)
	}
	return s, nil
}

// handler reports whether p may handle complaints: staff only.
func handler(p antre.Principal) error {
	if !p.Role.Staff() {
		return antre.Errorf(antre.EFORBIDDEN, antre.MsgForbidden, "%s (%s) may not handle complaints", p.Name, p.Role)
	}
	return nil
}

// senior reports whether p may act on any complaint, whoever holds it: the head and the admin.
func senior(p antre.Principal) bool { return p.Role == antre.RoleHead || p.Role == antre.RoleAdmin }

// File records a complaint: its text and optional contact, ticket and application checked, a
// new unguessable number, the category (other when none is given), and the due date
// DueDays working days after today on the office's calendar. The complaint, its first history
// line and its event (complaint.received) are one transaction. actor is who recorded it (an
// officer at the desk or transcribing the box; empty for the web and SMS).
func (m *Module) File(ctx context.Context, r FileRequest, actor string) (Complaint, error) {
	if !r.Channel.Valid() {
		return Complaint{}, antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "channel %q", truncate(string(r.Channel), 20)).WithArgs("channel")
	}
	c := Complaint{Channel: r.Channel, Category: r.Category, Lang: "id", Status: antre.ComplaintReceived, RecordedBy: actor}
	if c.Category == "" {
		c.Category = antre.ComplaintOther
	}
	if !c.Category.Valid() {
		return Complaint{}, antre.Errorf(antre.EINVALID, msgBadCategory, "complaint category %q", truncate(string(r.Category), 20))
	}
	if r.Lang == "en" {
		c.Lang = "en"
	}
	var err error
	if c.Text, err = clean("text", r.Text, minText, maxText); err != nil {
		return Complaint{}, err
	}
	if c.Name, err = clean("name", r.Name, 0, maxName); err != nil {
		return Complaint{}, err
	}
	if strings.TrimSpace(r.Phone) != "" {
		if r.Channel == antre.ChannelSMS {
			c.Phone = strings.TrimSpace(r.Phone) // as the gateway gave it (a foreign sender too)
		} else if c.Phone, err = antre.NormalizePhone(r.Phone); err != nil {
			return Complaint{}, err
		}
	}
	if strings.TrimSpace(r.Ticket) != "" {
		if c.Ticket, err = ticketCode(r.Ticket); err != nil {
			return Complaint{}, err
		}
	}
	if a := strings.TrimSpace(r.Application); a != "" {
		if c.Application, err = antre.ParseApplicationNumber(a); err != nil {
			return Complaint{}, err
		}
	}
	cal, err := m.host.Calendar(ctx)
	if err != nil {
		return Complaint{}, err
	}
	err = m.db.Update(ctx, func(tx module.Tx) error {
		now := tx.Now()
		c.ReceivedAt, c.ReceivedDate = now, tx.Today()
		if c.Due, err = cal.AddWorkingDays(c.ReceivedDate, m.cfg.Complaints.DueDays); err != nil {
			return err
		}
		for try := 0; ; try++ {
			b := make([]byte, 8)
			if _, err := rand.Read(b); err != nil {
				return err
			}
			c.Number = antre.FormatComplaintNumber(b)
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM voice_complaints WHERE number = ?`, c.Number).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				break
			}
			if err != nil {
				return err
			}
			if try > 5 {
				return errors.New("no free complaint number")
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO voice_complaints (number, channel, category, body, name, phone, lang, ticket,
			application, status, recorded_by, received_date, due_date, received_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?, ?, ?)`,
			c.Number, c.Channel, c.Category, c.Text, c.Name, c.Phone, c.Lang, c.Ticket, c.Application, actor,
			c.ReceivedDate, c.Due, now.UnixMilli(), now.UnixMilli()); err != nil {
			return err
		}
		if err := history(ctx, tx, c.Number, or(actor, string(c.Channel)), "file", "", antre.ComplaintReceived); err != nil {
			return err
		}
		return tx.Emit(antre.Event{Type: EvComplaintReceived, Actor: actor},
			map[string]any{"number": c.Number, "channel": c.Channel, "category": c.Category, "due": c.Due})
	})
	if err != nil {
		return Complaint{}, err
	}
	m.log.Info("complaint received", "number", c.Number, "channel", c.Channel, "category", c.Category,
		"phone", antre.MaskPhone(c.Phone), "due", c.Due)
	return c, nil
}

// history appends one line of a complaint's history, at the transaction's instant.
func history(ctx context.Context, tx module.Tx, number, actor, action string, from, to antre.ComplaintStatus) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO voice_complaint_history (number, at, actor, action, from_status, to_status)
		VALUES (?, ?, ?, ?, ?, ?)`, number, tx.Now().UnixMilli(), actor, action, from, to)
	return err
}

const complaintCols = `number, channel, category, body, name, phone, lang, ticket, application, status, holder, recorded_by,
	received_date, due_date, received_at, answered_at, closed_at, answer, reject_reason, escalated_at`

func scanComplaint(row interface{ Scan(...any) error }, today string) (Complaint, error) {
	var c Complaint
	var received int64
	var answered, closed, escalated sql.NullInt64
	err := row.Scan(&c.Number, &c.Channel, &c.Category, &c.Text, &c.Name, &c.Phone, &c.Lang, &c.Ticket, &c.Application, &c.Status,
		&c.Holder, &c.RecordedBy, &c.ReceivedDate, &c.Due, &received, &answered, &closed, &c.Answer, &c.RejectReason, &escalated)
	if err != nil {
		return c, err
	}
	c.ReceivedAt = time.UnixMilli(received).UTC()
	c.AnsweredAt, c.ClosedAt = msTime(answered), msTime(closed)
	c.Escalated = escalated.Valid
	c.Overdue = c.Status.Open() && today > c.Due
	return c, nil
}

func msTime(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := time.UnixMilli(v.Int64).UTC()
	return &t
}

// load reads a complaint by number, or not_found.
func (m *Module) load(ctx context.Context, q module.Querier, number string) (Complaint, error) {
	n, err := antre.ParseComplaintNumber(number)
	if err != nil {
		return Complaint{}, err
	}
	c, err := scanComplaint(q.QueryRowContext(ctx, `SELECT `+complaintCols+` FROM voice_complaints WHERE number = ?`, n), m.businessDate())
	if errors.Is(err, sql.ErrNoRows) {
		return c, antre.Errorf(antre.ENOTFOUND, msgComplaintNotFound, "no complaint %s", n)
	}
	return c, err
}

// Public returns what anyone with the number may see of a complaint, in lang.
func (m *Module) Public(ctx context.Context, number, lang string) (PublicComplaint, error) {
	c, err := m.load(ctx, m.db, number)
	if err != nil {
		return PublicComplaint{}, err
	}
	return publicView(c, lang), nil
}

func publicView(c Complaint, lang string) PublicComplaint {
	p := PublicComplaint{Number: c.Number, Status: c.Status, StatusText: c.Status.Name(lang), Category: c.Category,
		CategoryText: c.Category.Name(lang), Channel: c.Channel, ReceivedDate: c.ReceivedDate, Due: c.Due}
	if c.Status == antre.ComplaintAnswered || c.Status == antre.ComplaintClosed {
		p.Answer = c.Answer
	}
	if c.Status == antre.ComplaintRejected {
		p.RejectReason = c.RejectReason
	}
	return p
}

// masked hides a complaint's contact from who may not see it whole: in lists, and in the
// detail to anyone but its holder, the head and the admin.
func masked(c Complaint) Complaint {
	c.Phone, c.Name = antre.MaskPhone(c.Phone), antre.MaskName(c.Name)
	if c.Name == `""` {
		c.Name = ""
	}
	return c
}

// Detail returns a complaint with its history for staff; its contact is whole only to its
// holder, the head and the admin.
func (m *Module) Detail(ctx context.Context, p antre.Principal, number string) (Complaint, error) {
	if err := handler(p); err != nil {
		return Complaint{}, err
	}
	c, err := m.load(ctx, m.db, number)
	if err != nil {
		return c, err
	}
	if !(senior(p) || c.Holder == p.Name) {
		c = masked(c)
	}
	rows, err := m.db.QueryContext(ctx, `SELECT at, actor, action, from_status, to_status FROM voice_complaint_history
		WHERE number = ? ORDER BY id`, c.Number)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	for rows.Next() {
		var h HistoryEntry
		var at int64
		if err := rows.Scan(&at, &h.Actor, &h.Action, &h.From, &h.To); err != nil {
			return c, err
		}
		h.At = time.UnixMilli(at).UTC()
		c.History = append(c.History, h)
	}
	return c, rows.Err()
}

// Act applies an officer's action to a complaint by the state machine (antre.ComplaintStatus):
//   - take: the officer holds it (a new category may be set);
//   - answer: by its holder, the head or the admin, with the answer; it goes back through the
//     channel the complaint came from (complaint.answered: SMS for a complaint with a phone);
//   - reject: with a reason, which goes back the same way (complaint.rejected); a complaint
//     under review only by its holder, the head or the admin;
//   - close: an answered complaint.
//
// The row, its history line and its event are one transaction.
func (m *Module) Act(ctx context.Context, p antre.Principal, number string, action antre.ComplaintAction, r ActRequest) (Complaint, error) {
	if err := handler(p); err != nil {
		return Complaint{}, err
	}
	var answer, reason string
	var err error
	switch action {
	case antre.ComplaintAnswer:
		if answer, err = clean("answer", r.Answer, 2, maxAnswer); err != nil {
			return Complaint{}, err
		}
	case antre.ComplaintReject:
		if strings.TrimSpace(r.Reason) == "" {
			return Complaint{}, antre.Errorf(antre.EINVALID, antre.MsgNeedReason, "rejecting a complaint needs a reason")
		}
		if reason, err = clean("reason", r.Reason, 2, maxAnswer); err != nil {
			return Complaint{}, err
		}
	case antre.ComplaintTake, antre.ComplaintClose:
	default:
		return Complaint{}, antre.Errorf(antre.EINVALID, antre.MsgBadAction, "complaint action %q", truncate(string(action), 20))
	}
	if r.Category != "" && (action != antre.ComplaintTake || !r.Category.Valid()) {
		return Complaint{}, antre.Errorf(antre.EINVALID, msgBadCategory, "category %q with %s", truncate(string(r.Category), 20), action)
	}
	var c Complaint
	err = m.db.Update(ctx, func(tx module.Tx) error {
		if c, err = m.load(ctx, tx, number); err != nil {
			return err
		}
		to, err := c.Status.Next(action)
		if err != nil {
			return err
		}
		if c.Status == antre.ComplaintUnderReview && (action == antre.ComplaintAnswer || action == antre.ComplaintReject) &&
			c.Holder != p.Name && !senior(p) {
			return antre.Errorf(antre.ECONFLICT, msgNotHolder, "%s holds complaint %s, not %s", c.Holder, c.Number, p.Name).WithArgs(c.Holder)
		}
		now := tx.Now().UnixMilli()
		from := c.Status
		set, args := `status = ?, updated_at = ?`, []any{to, now}
		var ev antre.EventType
		switch action {
		case antre.ComplaintTake:
			set, args = set+`, holder = ?, reviewed_at = ?`, append(args, p.Name, now)
			c.Holder = p.Name
			if r.Category != "" {
				set, args = set+`, category = ?`, append(args, r.Category)
				c.Category = r.Category
			}
			ev = EvComplaintTaken
		case antre.ComplaintAnswer:
			set, args = set+`, answer = ?, answered_at = ?`, append(args, answer, now)
			c.Answer = answer
			t := tx.Now()
			c.AnsweredAt = &t
			ev = antre.EvComplaintAnswered
		case antre.ComplaintReject:
			set, args = set+`, reject_reason = ?, closed_at = ?, closed_date = ?`, append(args, reason, now, tx.Today())
			c.RejectReason = reason
			ev = antre.EvComplaintRejected
		case antre.ComplaintClose:
			set, args = set+`, closed_at = ?, closed_date = ?`, append(args, now, tx.Today())
			ev = EvComplaintClosed
		}
		if _, err := tx.ExecContext(ctx, `UPDATE voice_complaints SET `+set+` WHERE number = ?`, append(args, c.Number)...); err != nil {
			return err
		}
		c.Status = to
		if err := history(ctx, tx, c.Number, p.Name, string(action), from, to); err != nil {
			return err
		}
		return tx.Emit(antre.Event{Type: ev, Actor: p.Name},
			map[string]any{"number": c.Number, "channel": c.Channel, "category": c.Category, "status": to})
	})
	if err != nil {
		return Complaint{}, err
	}
	m.log.Info("complaint "+string(action), "number", c.Number, "by", p.Name, "status", c.Status)
	if !(senior(p) || c.Holder == p.Name) {
		c = masked(c)
	}
	return c, nil
}

// ListQuery filters the staff's list of complaints.
type ListQuery struct {
	Status    antre.ComplaintStatus
	Open      bool // received or under review
	Escalated bool
	Category  antre.ComplaintCategory
	Limit     int
}

// List returns complaints newest first, their contacts masked (a list is seen over shoulders).
func (m *Module) List(ctx context.Context, q ListQuery) ([]Complaint, error) {
	where, args := `1 = 1`, []any{}
	if q.Status != "" {
		where, args = where+` AND status = ?`, append(args, q.Status)
	}
	if q.Open {
		where += ` AND status IN ('received', 'under_review')`
	}
	if q.Escalated {
		where += ` AND escalated_at IS NOT NULL`
	}
	if q.Category != "" {
		where, args = where+` AND category = ?`, append(args, q.Category)
	}
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 200
	}
	rows, err := m.db.QueryContext(ctx, `SELECT `+complaintCols+` FROM voice_complaints WHERE `+where+` ORDER BY id DESC LIMIT ?`,
		append(args, q.Limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	today := m.businessDate()
	out := []Complaint{}
	for rows.Next() {
		c, err := scanComplaint(rows, today)
		if err != nil {
			return nil, err
		}
		out = append(out, masked(c))
	}
	return out, rows.Err()
}

// escalate hands every open complaint past its due date (on the hub's clock, in the office's
// business dates) up to the head of office, once: escalated_at and its event
// (complaint.escalated) in one transaction per complaint.
func (m *Module) escalate(ctx context.Context) error {
	today := m.businessDate()
	rows, err := m.db.QueryContext(ctx, `SELECT number, due_date, status, holder FROM voice_complaints
		WHERE status IN ('received', 'under_review') AND escalated_at IS NULL AND due_date < ?`, today)
	if err != nil {
		return err
	}
	type due struct{ number, date, status, holder string }
	var list []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.number, &d.date, &d.status, &d.holder); err != nil {
			rows.Close()
			return err
		}
		list = append(list, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, d := range list {
		err := m.db.Update(ctx, func(tx module.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE voice_complaints SET escalated_at = ?, updated_at = ? WHERE number = ?
				AND escalated_at IS NULL AND status IN ('received', 'under_review')`, tx.Now().UnixMilli(), tx.Now().UnixMilli(), d.number)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil
			}
			st := antre.ComplaintStatus(d.status)
			if err := history(ctx, tx, d.number, "system", "escalate", st, st); err != nil {
				return err
			}
			return tx.Emit(antre.Event{Type: EvComplaintEscalated, Actor: "system"},
				map[string]any{"number": d.number, "due": d.date, "status": d.status, "holder": d.holder, "to": antre.RoleHead})
		})
		if err != nil {
			return err
		}
		m.log.Warn("complaint overdue: escalated to the head", "number", d.number, "due", d.date, "status", d.status)
	}
	return nil
}

// CategoryStats are one category's (or channel's) figures over a period.
type CategoryStats struct {
	Key      string `json:"key"`
	Received int    `json:"received"`
	Open     int    `json:"open"`
	Answered int    `json:"answered"`
	Closed   int    `json:"closed"`
	Rejected int    `json:"rejected"`
	Overdue  int    `json:"overdue"`
	// MeanDaysToClose is the mean of working days from receipt to closure (closed or rejected)
	// of those closed, one decimal; nil when none closed.
	MeanDaysToClose *float64 `json:"mean_days_to_close"`
}

// Stats are the complaints received in a period, per category and per channel, with the
// period's totals.
type Stats struct {
	From       string          `json:"from"`
	To         string          `json:"to"`
	Total      CategoryStats   `json:"total"`
	Categories []CategoryStats `json:"categories"`
	Channels   []CategoryStats `json:"channels"`
}

// Stats counts the complaints received from from to to (business dates, included).
func (m *Module) Stats(ctx context.Context, from, to string) (Stats, error) {
	for _, d := range []string{from, to} {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return Stats{}, antre.Errorf(antre.EINVALID, msgBadPeriod, "date %q", truncate(d, 20))
		}
	}
	if from > to {
		return Stats{}, antre.Errorf(antre.EINVALID, msgBadPeriod, "from %s after to %s", from, to)
	}
	cal, err := m.host.Calendar(ctx)
	if err != nil {
		return Stats{}, err
	}
	out := Stats{From: from, To: to, Total: CategoryStats{Key: "total"}}
	cats, chans := map[string]*CategoryStats{}, map[string]*CategoryStats{}
	for _, c := range antre.ComplaintCategories {
		out.Categories = append(out.Categories, CategoryStats{Key: string(c)})
	}
	for _, c := range antre.ComplaintChannels {
		out.Channels = append(out.Channels, CategoryStats{Key: string(c)})
	}
	for i := range out.Categories {
		cats[out.Categories[i].Key] = &out.Categories[i]
	}
	for i := range out.Channels {
		chans[out.Channels[i].Key] = &out.Channels[i]
	}
	type sum struct{ days, n int }
	sums := map[*CategoryStats]*sum{}
	rows, err := m.db.QueryContext(ctx, `SELECT category, channel, status, received_date, due_date, closed_date FROM voice_complaints
		WHERE received_date BETWEEN ? AND ?`, from, to)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	today := m.businessDate()
	for rows.Next() {
		var cat, ch, st, received, due, closed string
		if err := rows.Scan(&cat, &ch, &st, &received, &due, &closed); err != nil {
			return out, err
		}
		status := antre.ComplaintStatus(st)
		for _, s := range []*CategoryStats{&out.Total, cats[cat], chans[ch]} {
			if s == nil {
				continue
			}
			s.Received++
			switch status {
			case antre.ComplaintReceived, antre.ComplaintUnderReview:
				s.Open++
				if today > due {
					s.Overdue++
				}
			case antre.ComplaintAnswered:
				s.Answered++
			case antre.ComplaintClosed:
				s.Closed++
			case antre.ComplaintRejected:
				s.Rejected++
			}
			if closed != "" {
				if sums[s] == nil {
					sums[s] = &sum{}
				}
				sums[s].days += cal.WorkingDaysBetween(received, closed)
				sums[s].n++
			}
		}
	}
	for s, v := range sums {
		mean := float64((20*v.days+v.n)/(2*v.n)) / 10
		s.MeanDaysToClose = &mean
	}
	return out, rows.Err()
}

// smsComplaints is the module's complaints service for the SMS module (module.Services): it
// files ADUAN messages and tells where and what to answer.
type smsComplaints struct{ m *Module }

// FileComplaint records a complaint received by SMS from phone (as the gateway gave it), in
// lang, and returns its number and due date (YYYY-MM-DD).
func (s smsComplaints) FileComplaint(ctx context.Context, phone, text, lang string) (string, string, error) {
	c, err := s.m.File(ctx, FileRequest{Channel: antre.ChannelSMS, Text: text, Phone: phone, Lang: lang}, "")
	return c.Number, c.Due, err
}

// ComplaintReply returns, read through q (the transaction of a complaint.answered or
// complaint.rejected event), the phone to answer, the complaint's language and the answer (or
// the rejection with its reason), in words for an SMS; ok is false when the complaint has no
// phone.
func (s smsComplaints) ComplaintReply(ctx context.Context, q module.Querier, number string) (phone, lang, reply string, ok bool, err error) {
	c, err := s.m.load(ctx, q, number)
	if err != nil || c.Phone == "" {
		return "", "", "", false, err
	}
	switch c.Status {
	case antre.ComplaintAnswered, antre.ComplaintClosed:
		reply = c.Answer
	case antre.ComplaintRejected:
		reply = antre.T(c.Lang, msgSMSRejected, c.RejectReason)
	default:
		return "", "", "", false, nil
	}
	return c.Phone, c.Lang, reply, true, nil
}
