package voice

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"antre"
	"antre/module"
)

// ServiceInfo is what the information kiosk tells about one service group: its name (the
// office's), what it is for, what to bring, its fee and completion time, and the application
// kinds its tickets open. Requirements, Fee and Time left empty are taken by the page from the
// passport workflow's fee table and checklists for those kinds (GET /api/v1/workflow/fees),
// where the workflow runs.
type ServiceInfo struct {
	Group        string                  `json:"group"`
	Name         Text                    `json:"name"`
	Kinds        []antre.ApplicationKind `json:"kinds"`
	About        Text                    `json:"about"`
	Requirements []Text                  `json:"requirements"`
	Fee          Text                    `json:"fee"`
	Time         Text                    `json:"time"`
	Edited       bool                    `json:"edited"`
}

// Info is the information kiosk's content: the office, its services, the flow of a file from
// ticket to pickup, and how long the kiosk waits before it returns to its start.
type Info struct {
	Office      string        `json:"office"`
	Services    []ServiceInfo `json:"services"`
	Flow        []Text        `json:"flow"`
	IdleSeconds int           `json:"idle_seconds"`
	UpdatedAt   *time.Time    `json:"updated_at,omitempty"`
	UpdatedBy   string        `json:"updated_by,omitempty"`
}

// InfoEdit is an admin's edit of the kiosk's texts, in Indonesian and English (English left
// empty shows the Indonesian). A group left out, or a part of it left out, keeps the default;
// Flow left out keeps the default flow. The edit replaces the previous one whole.
type InfoEdit struct {
	Services []ServiceEdit `json:"services"`
	Flow     []Text        `json:"flow,omitempty"`
}

// ServiceEdit is the edited part of one service group's texts.
type ServiceEdit struct {
	Group        string `json:"group"`
	About        *Text  `json:"about,omitempty"`
	Requirements []Text `json:"requirements,omitempty"`
	Fee          *Text  `json:"fee,omitempty"`
	Time         *Text  `json:"time,omitempty"`
}

// defaultFlow is how many steps the default flow has (voice.info.flow.N).
const defaultFlow = 7

// loadEdit reads the admin's edit, if there is one.
func (m *Module) loadEdit(ctx context.Context) (InfoEdit, *time.Time, string, error) {
	var e InfoEdit
	var value, by string
	var at int64
	err := m.db.QueryRowContext(ctx, `SELECT value, updated_at, updated_by FROM voice_settings WHERE name = 'info'`).Scan(&value, &at, &by)
	if errors.Is(err, sql.ErrNoRows) {
		return e, nil, "", nil
	}
	if err != nil {
		return e, nil, "", err
	}
	if err := json.Unmarshal([]byte(value), &e); err != nil {
		return e, nil, "", fmt.Errorf("info settings: %w", err)
	}
	t := time.UnixMilli(at).UTC()
	return e, &t, by, nil
}

// Info returns the kiosk's content: the catalogue's default texts (voice.info.…) with the
// admin's edit over them, for every group of the office.
func (m *Module) Info(ctx context.Context) (Info, error) {
	groups, err := m.host.Queue().Quota(ctx)
	if err != nil {
		return Info{}, err
	}
	edit, at, by, err := m.loadEdit(ctx)
	if err != nil {
		return Info{}, err
	}
	return m.info(groups, edit, at, by), nil
}

// info builds the kiosk's content for groups from the defaults and edit.
func (m *Module) info(groups []antre.GroupQuota, edit InfoEdit, at *time.Time, by string) Info {
	out := Info{Office: m.office.Name, IdleSeconds: int(m.cfg.Info.Idle / time.Second), UpdatedAt: at, UpdatedBy: by}
	for _, g := range groups {
		s := ServiceInfo{Group: g.Group, Name: Text{g.NameID, or(g.NameEN, g.NameID)}, Kinds: []antre.ApplicationKind{}, Requirements: []Text{}}
		for _, k := range antre.Kinds {
			if _, err := antre.KindForGroup(g.Group, k); err == nil {
				s.Kinds = append(s.Kinds, k)
			}
		}
		if key := antre.MsgKey("voice.info.about." + g.Group); antre.T("id", key) != string(key) {
			s.About = text(key)
		}
		for i := 1; ; i++ {
			key := antre.MsgKey(fmt.Sprintf("voice.info.req.%s.%d", g.Group, i))
			if antre.T("id", key) == string(key) {
				break
			}
			s.Requirements = append(s.Requirements, text(key))
		}
		for _, e := range edit.Services {
			if e.Group != g.Group {
				continue
			}
			s.Edited = true
			if e.About != nil {
				s.About = *e.About
			}
			if e.Requirements != nil {
				s.Requirements = e.Requirements
			}
			if e.Fee != nil {
				s.Fee = *e.Fee
			}
			if e.Time != nil {
				s.Time = *e.Time
			}
		}
		out.Services = append(out.Services, s)
	}
	out.Flow = edit.Flow
	if len(out.Flow) == 0 {
		for i := 1; i <= defaultFlow; i++ {
			out.Flow = append(out.Flow, text(antre.MsgKey(fmt.Sprintf("voice.info.flow.%d", i))))
		}
	}
	return out
}

// checkText checks one edited text: Indonesian required (at most max characters, as the
// English), English falling back to it.
func checkText(field string, t *Text, max int) error {
	t.ID, t.EN = strings.TrimSpace(t.ID), strings.TrimSpace(t.EN)
	if t.ID == "" {
		return antre.Errorf(antre.EINVALID, msgRequired, "%s.id is empty", field).WithArgs(field + ".id")
	}
	if utf8.RuneCountInString(t.ID) > max || utf8.RuneCountInString(t.EN) > max {
		return antre.Errorf(antre.EINVALID, msgLength, "%s over %d characters", field, max).WithArgs(field, 1, max)
	}
	if t.EN == "" {
		t.EN = t.ID
	}
	return nil
}

// SetInfo replaces the admin's edit of the kiosk's texts after checking it (known groups, each
// once; texts of at most 400 characters, 20 requirements and 20 flow steps); the edit and its
// event (info.changed) are one transaction, and the answer is built from the edit itself.
func (m *Module) SetInfo(ctx context.Context, p antre.Principal, e InfoEdit) (Info, error) {
	groups, err := m.host.Queue().Quota(ctx)
	if err != nil {
		return Info{}, err
	}
	known := map[string]bool{}
	for _, g := range groups {
		known[g.Group] = true
	}
	seen := map[string]bool{}
	for i := range e.Services {
		s := &e.Services[i]
		s.Group = strings.ToUpper(strings.TrimSpace(s.Group))
		if !known[s.Group] || seen[s.Group] {
			return Info{}, antre.Errorf(antre.EINVALID, antre.MsgBadGroup, "info for group %q", truncate(s.Group, 8))
		}
		seen[s.Group] = true
		f := "services." + s.Group
		for _, t := range []struct {
			name string
			v    *Text
		}{{"about", s.About}, {"fee", s.Fee}, {"time", s.Time}} {
			if t.v != nil {
				if err := checkText(f+"."+t.name, t.v, 400); err != nil {
					return Info{}, err
				}
			}
		}
		if len(s.Requirements) > 20 {
			return Info{}, antre.Errorf(antre.EINVALID, msgLength, "%d requirements", len(s.Requirements)).WithArgs(f+".requirements", 0, 20)
		}
		for j := range s.Requirements {
			if err := checkText(fmt.Sprintf("%s.requirements[%d]", f, j), &s.Requirements[j], 400); err != nil {
				return Info{}, err
			}
		}
	}
	if len(e.Flow) > 20 {
		return Info{}, antre.Errorf(antre.EINVALID, msgLength, "%d flow steps", len(e.Flow)).WithArgs("flow", 0, 20)
	}
	for j := range e.Flow {
		if err := checkText(fmt.Sprintf("flow[%d]", j), &e.Flow[j], 400); err != nil {
			return Info{}, err
		}
	}
	b, _ := json.Marshal(e)
	var at time.Time
	err = m.db.Update(ctx, func(tx module.Tx) error {
		at = antre.StampTime(tx.Now())
		var before json.RawMessage // the edit replaced, for the audit log (none: the defaults)
		var prev string
		if err := tx.QueryRowContext(ctx, `SELECT value FROM voice_settings WHERE name = 'info'`).Scan(&prev); err == nil {
			before = json.RawMessage(prev)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO voice_settings (name, value, updated_at, updated_by) VALUES ('info', ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			string(b), tx.Now().UnixMilli(), p.Name); err != nil {
			return err
		}
		groups := []string{}
		for _, s := range e.Services {
			groups = append(groups, s.Group)
		}
		return tx.Emit(antre.Event{Type: EvInfoChanged, Actor: p.Name}, map[string]any{"groups": groups, "flow_steps": len(e.Flow),
			"before": before, "after": json.RawMessage(b)})
	})
	if err != nil {
		return Info{}, err
	}
	return m.info(groups, e, &at, p.Name), nil
}

// applicationStatus is the passport workflow's public status of an application, found with
// module.Find (the workflow provides it for the SMS STATUS command too).
type applicationStatus interface {
	StatusText(ctx context.Context, number, lang string) (string, error)
}

// StatusAnswer is what the kiosk shows for a scanned or typed code: what it is (ticket,
// application or complaint), its state and the state in plain words. Nothing personal.
type StatusAnswer struct {
	Kind   string `json:"kind"`
	Code   string `json:"code"`
	Status string `json:"status,omitempty"`
	Text   string `json:"text"`
	Detail string `json:"detail,omitempty"`
}

// scanned is the code in what a scanner or a person typed: the code itself (A012, 2026000001,
// ADU-7KQ3-XM9P), or the last part of a scanned QR code's address (/status/A012,
// /application/2026000001, /aduan/ADU-…).
func scanned(input string) string {
	s := strings.TrimSpace(input)
	if strings.Contains(s, "/") {
		if u, err := url.Parse(s); err == nil && u.Path != "" {
			s = u.Path
		}
		s = strings.TrimRight(s, "/")
		s = s[strings.LastIndex(s, "/")+1:]
	}
	return strings.ToUpper(strings.TrimSpace(s))
}

// isDigits reports whether s is all ASCII digits.
func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// Lookup answers the kiosk's status check in lang: a ticket of today by its code (from the
// hub's queue), an application by its number (from the passport workflow's status service)
// or a complaint by its number.
func (m *Module) Lookup(ctx context.Context, input, lang string) (StatusAnswer, error) {
	code := scanned(input)
	switch {
	case len(code) == 4 && code[0] >= 'A' && code[0] <= 'Z' && isDigits(code[1:]):
		c, err := ticketCode(code)
		if err != nil {
			return StatusAnswer{}, err
		}
		v, err := m.host.Queue().Lookup(ctx, c)
		if err != nil {
			return StatusAnswer{}, err
		}
		a := StatusAnswer{Kind: "ticket", Code: v.Code, Status: string(v.Status)}
		switch v.Status {
		case antre.StatusWaiting:
			a.Text = antre.T(lang, "voice.info.t.waiting", v.Ahead, v.EstimatedWaitMinutes)
		case antre.StatusCalled, antre.StatusServing:
			a.Text = antre.T(lang, antre.MsgKey("voice.info.t."+string(v.Status)), v.Counter)
		default:
			a.Text = antre.T(lang, antre.MsgKey("voice.info.t."+string(v.Status)))
		}
		return a, nil
	case isDigits(code) && len(code) == 10:
		number, err := antre.ParseApplicationNumber(code)
		if err != nil {
			return StatusAnswer{}, err
		}
		apps, ok := module.Find[applicationStatus](m.services)
		if !ok {
			return StatusAnswer{}, antre.Errorf(antre.EUNAVAILABLE, msgNoWorkflow, "no application status service")
		}
		t, err := apps.StatusText(ctx, number, lang)
		if err != nil {
			return StatusAnswer{}, err
		}
		return StatusAnswer{Kind: "application", Code: number, Text: t}, nil
	case strings.HasPrefix(code, "ADU"):
		p, err := m.Public(ctx, code, lang)
		if err != nil {
			return StatusAnswer{}, err
		}
		a := StatusAnswer{Kind: "complaint", Code: p.Number, Status: string(p.Status),
			Text: antre.T(lang, msgComplaintStatus, p.StatusText, p.CategoryText), Detail: p.Answer}
		if p.RejectReason != "" {
			a.Detail = p.RejectReason
		}
		return a, nil
	}
	return StatusAnswer{}, antre.Errorf(antre.EINVALID, msgUnknownCode, "status of %q", truncate(input, 40))
}
