package voice

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"time"

	"antre"
	"antre/module"
)

// The survey's tokens. A ticket's token is an HMAC of its business date and code under the
// module's key (80 bits, 16 characters of base32): it cannot be guessed from the code, it is
// the same wherever it is shown (the ticket's QR code, the counter's tablet, the SMS link),
// and it needs no row until the ticket is finished. It only opens the survey; one response per
// ticket is kept by the responses' unique key.

// tokenEncoding is base32 without padding, upper case: easy in a URL and in a QR code.
var tokenEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// token is the survey token of the ticket code issued on business date.
func (m *Module) token(date, code string) string {
	mac := hmac.New(sha256.New, m.key)
	mac.Write([]byte("survey\x00" + date + "\x00" + code))
	return tokenEncoding.EncodeToString(mac.Sum(nil)[:10])
}

// tokenMatches compares a presented token with the ticket's in constant time; case and
// surrounding spaces do not matter.
func (m *Module) tokenMatches(date, code, presented string) bool {
	want := m.token(date, code)
	got := strings.ToUpper(strings.TrimSpace(presented))
	return subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}

// surveyURL is the phone page of a ticket's survey; via says where the link was given.
func (m *Module) surveyURL(date, code, via string) string {
	u := m.host.PublicURL() + "/survei/" + code + "?k=" + m.token(date, code)
	if via != "" {
		u += "&via=" + url.QueryEscape(via)
	}
	return u
}

// surveyLinks is the module's survey as other parts of the hub find it (module.Services): the
// hub adds a new ticket's token to its status link (the QR code printed on it), and the SMS
// module sends a finished ticket's link.
type surveyLinks struct{ m *Module }

// TicketToken is the survey token of a ticket issued on business date date, to put on the
// ticket (the k parameter of its status link).
func (s surveyLinks) TicketToken(date, code string) string { return s.m.token(date, code) }

// SurveyLink is the link to a finished ticket's survey for an SMS, and whether one should be
// sent (survey.sms_link).
func (s surveyLinks) SurveyLink(date, code string) (string, bool) {
	if !s.m.cfg.Survey.SMSLink {
		return "", false
	}
	return s.m.surveyURL(date, code, "sms"), true
}

// Response is one applicant's survey: the ticket and its token, one answer (1–4) per element
// of the regulation in force, optional answers about the respondent, an optional suggestion,
// and where the survey was shown (tablet, qr or sms; qr when left out).
type Response struct {
	Ticket     string            `json:"ticket"`
	Token      string            `json:"token"`
	Answers    []int             `json:"answers"`
	Profile    map[string]string `json:"profile,omitempty"`
	Suggestion string            `json:"suggestion,omitempty"`
	Via        string            `json:"via,omitempty"`
}

// Receipt is what a recorded response answers: the ticket, its business date, and where it was
// served.
type Receipt struct {
	Ticket       string `json:"ticket"`
	BusinessDate string `json:"business_date"`
	Group        string `json:"group"`
	Counter      int    `json:"counter"`
	Regulation   string `json:"regulation"`
}

// finish is a ticket's finish at a counter, as the hook recorded it.
type finish struct {
	ID      int64
	Date    string
	Ticket  string
	Group   string
	Counter int
	At      time.Time
}

// findFinish returns the finish of code within the survey's valid days whose token is
// presented (the newest first). When none matches it tells why: the token is today's (or a
// valid day's) but the ticket is not finished yet (conflict), or the token is wrong
// (forbidden).
func (m *Module) findFinish(ctx context.Context, q module.Querier, code, presented string) (finish, error) {
	today := m.businessDate()
	since := m.daysBefore(today, m.cfg.Survey.ValidDays)
	rows, err := q.QueryContext(ctx, `SELECT id, business_date, ticket, grp, counter, at FROM voice_finishes
		WHERE ticket = ? AND business_date >= ? ORDER BY id DESC`, code, since)
	if err != nil {
		return finish{}, err
	}
	var found []finish
	for rows.Next() {
		var f finish
		var at int64
		if err := rows.Scan(&f.ID, &f.Date, &f.Ticket, &f.Group, &f.Counter, &at); err != nil {
			rows.Close()
			return finish{}, err
		}
		f.At = time.UnixMilli(at).UTC()
		found = append(found, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return finish{}, err
	}
	for _, f := range found {
		if m.tokenMatches(f.Date, f.Ticket, presented) {
			return f, nil
		}
	}
	for d := today; d >= since; d = m.daysBefore(d, 1) {
		if m.tokenMatches(d, code, presented) {
			return finish{}, antre.Errorf(antre.ECONFLICT, msgNotServed, "ticket %s of %s is not finished at a counter", code, d)
		}
	}
	return finish{}, antre.Errorf(antre.EFORBIDDEN, msgBadToken, "wrong survey token for %s", code)
}

// daysBefore is the date n days before date (YYYY-MM-DD).
func (m *Module) daysBefore(date string, n int) string {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return d.AddDate(0, 0, -n).Format(time.DateOnly)
}

// ticketCode reads a ticket code as people type it: A012, a012.
func ticketCode(s string) (string, error) {
	p, n, err := antre.ParseCode(strings.TrimSpace(s))
	if err != nil {
		return "", err
	}
	return antre.FormatCode(p, n), nil
}

// Answer records a ticket's survey response, once: the token must be the ticket's, the ticket
// must have been finished at a counter within the survey's valid days, the answers must fit
// the regulation in force (one per element, 1 to 4) and the optional profile the form. The
// response and its event (survey.answered) are one transaction; a second response for the
// same ticket is a conflict and changes nothing.
func (m *Module) Answer(ctx context.Context, r Response) (Receipt, error) {
	code, err := ticketCode(r.Ticket)
	if err != nil {
		return Receipt{}, err
	}
	if strings.TrimSpace(r.Token) == "" {
		return Receipt{}, antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "survey without a token").WithArgs("token")
	}
	if err := m.form.Regulation.CheckAnswers(r.Answers); err != nil {
		return Receipt{}, err
	}
	profile, err := m.form.checkProfile(r.Profile)
	if err != nil {
		return Receipt{}, err
	}
	suggestion := strings.TrimSpace(r.Suggestion)
	if len(suggestion) > 1000 {
		return Receipt{}, antre.Errorf(antre.EINVALID, msgTooLong, "suggestion of %d bytes", len(suggestion)).WithArgs(1000)
	}
	via := r.Via
	switch via {
	case "":
		via = "qr"
	case "tablet", "qr", "sms":
	default:
		return Receipt{}, antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "survey via %q", truncate(via, 20)).WithArgs("via")
	}
	answers, _ := json.Marshal(r.Answers)
	prof, _ := json.Marshal(profile)
	var out Receipt
	err = m.db.Update(ctx, func(tx module.Tx) error {
		f, err := m.findFinish(ctx, tx, code, r.Token)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO voice_responses (business_date, ticket, grp, counter, via, regulation, answers,
			profile, suggestion, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (business_date, ticket) DO NOTHING`,
			f.Date, f.Ticket, f.Group, f.Counter, via, m.form.Regulation, string(answers), string(prof), suggestion, tx.Now().UnixMilli())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return antre.Errorf(antre.ECONFLICT, msgAnswered, "ticket %s of %s already answered its survey", f.Ticket, f.Date)
		}
		out = Receipt{Ticket: f.Ticket, BusinessDate: f.Date, Group: f.Group, Counter: f.Counter, Regulation: string(m.form.Regulation)}
		return tx.Emit(antre.Event{Type: EvSurveyAnswered, Ticket: f.Ticket, Group: f.Group, Counter: f.Counter},
			map[string]any{"business_date": f.Date, "regulation": m.form.Regulation, "via": via, "answers": r.Answers})
	})
	return out, err
}

// SurveyState is whether a ticket's survey can be answered: open, answered, or not_served
// (the ticket is not finished yet).
type SurveyState struct {
	Ticket string `json:"ticket"`
	State  string `json:"state"`
}

// State tells a survey page, before the applicant answers, whether the ticket's survey is
// open; a wrong token is refused as Answer refuses it.
func (m *Module) State(ctx context.Context, ticket, token string) (SurveyState, error) {
	code, err := ticketCode(ticket)
	if err != nil {
		return SurveyState{}, err
	}
	f, err := m.findFinish(ctx, m.db, code, token)
	if antre.ErrorCode(err) == antre.ECONFLICT {
		return SurveyState{Ticket: code, State: "not_served"}, nil
	}
	if err != nil {
		return SurveyState{}, err
	}
	var one int
	err = m.db.QueryRowContext(ctx, `SELECT 1 FROM voice_responses WHERE business_date = ? AND ticket = ?`, f.Date, f.Ticket).Scan(&one)
	switch {
	case err == nil:
		return SurveyState{Ticket: code, State: "answered"}, nil
	case errors.Is(err, sql.ErrNoRows):
		return SurveyState{Ticket: code, State: "open"}, nil
	}
	return SurveyState{}, err
}

// Invitation is what a counter's feedback tablet shows: the survey of the ticket just
// finished at its counter, with the token to answer it, until Expires.
type Invitation struct {
	Ticket     string    `json:"ticket"`
	Token      string    `json:"token"`
	Counter    int       `json:"counter"`
	FinishedAt time.Time `json:"finished_at"`
	Expires    time.Time `json:"expires"`
}

// tabletSettings are a feedback tablet's device settings: the counter it stands at.
type tabletSettings struct {
	Counter int `json:"counter"`
}

// Tablet returns the survey a feedback tablet may show now, or nil: only the newest finish at
// the tablet's own counter (its device settings say which), only for TabletWindow after it,
// and only while that ticket's survey is unanswered. A tablet therefore cannot show a survey
// without a real finish of a ticket at its counter, and an officer cannot get a token from it
// for any other ticket.
func (m *Module) Tablet(ctx context.Context, p antre.Principal) (*Invitation, error) {
	if p.Role != antre.RoleFeedback {
		return nil, antre.Errorf(antre.EFORBIDDEN, antre.MsgForbidden, "%s (%s) is not a feedback tablet", p.Name, p.Role)
	}
	var s tabletSettings
	if len(p.Settings) > 0 {
		if err := json.Unmarshal(p.Settings, &s); err != nil {
			s.Counter = 0
		}
	}
	if s.Counter <= 0 {
		return nil, antre.Errorf(antre.ECONFLICT, msgTabletUnbound, "tablet %s has no counter in its settings", p.Name)
	}
	var f finish
	var at int64
	err := m.db.QueryRowContext(ctx, `SELECT f.id, f.business_date, f.ticket, f.grp, f.counter, f.at FROM voice_finishes f
		WHERE f.counter = ? AND NOT EXISTS (SELECT 1 FROM voice_responses r WHERE r.business_date = f.business_date AND r.ticket = f.ticket)
		AND f.id = (SELECT MAX(id) FROM voice_finishes WHERE counter = ?)`, s.Counter, s.Counter).
		Scan(&f.ID, &f.Date, &f.Ticket, &f.Group, &f.Counter, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	f.At = time.UnixMilli(at).UTC()
	expires := f.At.Add(m.cfg.Survey.TabletWindow)
	if !m.now().Before(expires) {
		return nil, nil
	}
	return &Invitation{Ticket: f.Ticket, Token: m.token(f.Date, f.Ticket), Counter: f.Counter, FinishedAt: f.At, Expires: expires}, nil
}
