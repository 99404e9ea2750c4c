package workflow

import (
	"context"
	"database/sql"
	"time"

	"antre"
)

// Applicant is the applicant's identity as a file records it, whole for the roles that need it
// (antre.SeesIdentity) and masked for the others.
type Applicant struct {
	NIK        string `json:"nik"`
	Name       string `json:"name"`
	BirthDate  string `json:"birth_date"`
	BirthPlace string `json:"birth_place"`
	Female     bool   `json:"female"`
	Phone      string `json:"phone,omitempty"`
	Masked     bool   `json:"masked,omitempty"`
}

// FileView is a whole file as an officer opens it: its state, the applicant, what each stage
// recorded and its history. Opening it is recorded (who looked at whose file).
type FileView struct {
	Summary
	Applicant      Applicant                     `json:"applicant"`
	PreApplication string                        `json:"pre_application,omitempty"`
	Documents      []string                      `json:"documents"`
	Required       [][]string                    `json:"required_documents"`
	Captures       []string                      `json:"captures"`
	Checks         map[antre.CheckKind]CheckView `json:"checks"`
	ReceiptNo      string                        `json:"receipt_no,omitempty"`
	PaidAt         *time.Time                    `json:"paid_at,omitempty"`
	BlankSerial    string                        `json:"blank_serial,omitempty"`
	QA             []string                      `json:"qa,omitempty"`
	QARequired     []string                      `json:"qa_required"`
	CreatedAt      time.Time                     `json:"created_at"`
	CreatedBy      string                        `json:"created_by"`
	History        []HistoryEntry                `json:"history"`
	BAPs           []BAPRecord                   `json:"baps"`
	StageTimes     map[antre.Stage]int           `json:"stage_minutes"`
	Status         map[string]string             `json:"status_text"`
}

// HistoryEntry is one step of a file's history.
type HistoryEntry struct {
	At     time.Time       `json:"at"`
	Actor  string          `json:"actor"`
	Step   string          `json:"step"`
	From   antre.FileState `json:"from"`
	To     antre.FileState `json:"to"`
	Reason string          `json:"reason,omitempty"`
}

// BAPRecord is a recorded BAP.
type BAPRecord struct {
	Kind string    `json:"kind"`
	Ref  string    `json:"ref"`
	Date string    `json:"date,omitempty"`
	Note string    `json:"note,omitempty"`
	By   string    `json:"by"`
	At   time.Time `json:"at"`
}

// View is one recorded view of a file's personal data.
type View struct {
	Number  string    `json:"number"`
	Viewer  string    `json:"viewer"`
	Role    string    `json:"role"`
	Purpose string    `json:"purpose"`
	At      time.Time `json:"at"`
}

// File opens a whole file for officer p and records the view (purpose: "open", "receipt" …)
// before answering: a view that cannot be recorded is not shown. Roles that do not need the
// applicant's identity get it masked (and their view is recorded all the same).
func (m *Module) File(ctx context.Context, p antre.Principal, number, purpose string) (FileView, error) {
	number, err := antre.ParseApplicationNumber(number)
	if err != nil {
		return FileView{}, err
	}
	f, err := loadFile(ctx, m.db, number)
	if err != nil {
		return FileView{}, err
	}
	if err := m.recordView(ctx, p, number, purpose); err != nil {
		return FileView{}, err
	}
	return m.fileView(ctx, p, f)
}

func (m *Module) recordView(ctx context.Context, p antre.Principal, number, purpose string) error {
	_, err := m.db.ExecContext(ctx, `INSERT INTO wf_views (number, viewer, role, purpose, at) VALUES (?, ?, ?, ?, ?)`,
		number, p.Name, p.Role, purpose, ms(m.now()))
	return err
}

func (m *Module) fileView(ctx context.Context, p antre.Principal, f file) (FileView, error) {
	v := FileView{Summary: f.summary(), PreApplication: f.PreApplication, Documents: f.Documents, Required: m.cfg.requirements(f.Kind),
		ReceiptNo: f.ReceiptNo, PaidAt: f.PaidAt, BlankSerial: f.BlankSerial, QA: f.QA, QARequired: m.cfg.QA,
		CreatedAt: f.CreatedAt, CreatedBy: f.CreatedBy, Checks: map[antre.CheckKind]CheckView{}, StageTimes: map[antre.Stage]int{},
		History: []HistoryEntry{}, BAPs: []BAPRecord{}, Captures: []string{}}
	if v.Documents == nil {
		v.Documents = []string{}
	}
	v.Applicant = Applicant{NIK: f.NIK, Name: f.Name, BirthDate: f.BirthDate, BirthPlace: f.BirthPlace, Female: f.Female, Phone: f.Phone}
	if !antre.SeesIdentity(p.Role) {
		v.Applicant = Applicant{NIK: antre.MaskNIK(f.NIK), Name: antre.MaskName(f.Name), BirthDate: "", BirthPlace: "",
			Female: f.Female, Phone: antre.MaskPhone(f.Phone), Masked: true}
	}
	rows, err := m.db.QueryContext(ctx, `SELECT kind, result, source, ref, at FROM wf_checks WHERE number = ?`, f.Number)
	if err != nil {
		return v, err
	}
	for rows.Next() {
		var k antre.CheckKind
		var c CheckView
		if err := rows.Scan(&k, &c.Result, &c.Source, &c.Ref, &c.At); err != nil {
			rows.Close()
			return v, err
		}
		v.Checks[k] = c
	}
	rows.Close()
	rows, err = m.db.QueryContext(ctx, `SELECT DISTINCT item FROM wf_captures WHERE number = ? AND attempt = ? ORDER BY id`, f.Number, f.Retakes)
	if err != nil {
		return v, err
	}
	for rows.Next() {
		var it string
		if err := rows.Scan(&it); err != nil {
			rows.Close()
			return v, err
		}
		v.Captures = append(v.Captures, it)
	}
	rows.Close()
	rows, err = m.db.QueryContext(ctx, `SELECT at, actor, step, from_stage, from_status, to_stage, to_status, reason FROM wf_history
		WHERE number = ? ORDER BY id`, f.Number)
	if err != nil {
		return v, err
	}
	for rows.Next() {
		var h HistoryEntry
		var t int64
		if err := rows.Scan(&t, &h.Actor, &h.Step, &h.From.Stage, &h.From.Status, &h.To.Stage, &h.To.Status, &h.Reason); err != nil {
			rows.Close()
			return v, err
		}
		h.At = at(t)
		v.History = append(v.History, h)
	}
	rows.Close()
	rows, err = m.db.QueryContext(ctx, `SELECT kind, ref, date, note, by, at FROM wf_baps WHERE number = ? ORDER BY id`, f.Number)
	if err != nil {
		return v, err
	}
	for rows.Next() {
		var b BAPRecord
		var t int64
		if err := rows.Scan(&b.Kind, &b.Ref, &b.Date, &b.Note, &b.By, &t); err != nil {
			rows.Close()
			return v, err
		}
		b.At = at(t)
		v.BAPs = append(v.BAPs, b)
	}
	rows.Close()
	now := m.now()
	rows, err = m.db.QueryContext(ctx, `SELECT stage, entered_at, left_at FROM wf_visits WHERE number = ? ORDER BY id`, f.Number)
	if err != nil {
		return v, err
	}
	defer rows.Close()
	for rows.Next() {
		var s antre.Stage
		var in int64
		var out sql.NullInt64
		if err := rows.Scan(&s, &in, &out); err != nil {
			return v, err
		}
		end := now
		if out.Valid {
			end = at(out.Int64)
		}
		v.StageTimes[s] += int(end.Sub(at(in)) / time.Minute)
	}
	v.Status = map[string]string{"id": m.statusText(f, "id"), "en": m.statusText(f, "en")}
	return v, rows.Err()
}

// Views lists the recorded views of a file's personal data, newest first.
func (m *Module) Views(ctx context.Context, number string) ([]View, error) {
	number, err := antre.ParseApplicationNumber(number)
	if err != nil {
		return nil, err
	}
	rows, err := m.db.QueryContext(ctx, `SELECT number, viewer, role, purpose, at FROM wf_views WHERE number = ? ORDER BY id DESC LIMIT 1000`, number)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []View{}
	for rows.Next() {
		var v View
		var t int64
		if err := rows.Scan(&v.Number, &v.Viewer, &v.Role, &v.Purpose, &t); err != nil {
			return nil, err
		}
		v.At = at(t)
		out = append(out, v)
	}
	return out, rows.Err()
}

// Worklist is a stage's files as its console draws them: the waiting files in the order "next"
// takes them (the VIP book first), the files officers hold, and the files of the stage that
// wait on something else (a BAP, enforcement, a decision). LastEventID is the event the list is
// at least as new as: a console applies the stream's events after it (each carries the file's
// whole state, so applying one twice changes nothing).
type Worklist struct {
	Stage       antre.Stage `json:"stage"`
	LastEventID int64       `json:"last_event_id"`
	Waiting     []Summary   `json:"waiting"`
	Taken       []Summary   `json:"taken"`
	Other       []Summary   `json:"other"`
}

// Worklist returns stage's worklist.
func (m *Module) Worklist(ctx context.Context, stage string) (Worklist, error) {
	st, err := antre.ParseStage(stage)
	if err != nil {
		return Worklist{}, err
	}
	w := Worklist{Stage: st, LastEventID: m.host.Events().LastCommitted(), Waiting: []Summary{}, Taken: []Summary{}, Other: []Summary{}}
	rows, err := m.db.QueryContext(ctx, `SELECT id, book, book_seq, number, stage, status, kind, holder, vip_no, stage_since, taken_at,
		retakes, fee, billing_code, due, ticket FROM wf_files WHERE stage = ? AND closed_at IS NULL ORDER BY book, book_seq, id`, st)
	if err != nil {
		return w, err
	}
	defer rows.Close()
	for rows.Next() {
		var s Summary
		var since int64
		var taken sql.NullInt64
		if err := rows.Scan(&s.Order, &s.Book, &s.BookSeq, &s.Number, &s.Stage, &s.Status, &s.Kind, &s.Holder, &s.VIP, &since, &taken, &s.Retakes,
			&s.Fee, &s.BillingCode, &s.Due, &s.Ticket); err != nil {
			return w, err
		}
		s.Since, s.TakenAt = at(since), fromMS(taken)
		switch {
		case s.Holder != "":
			w.Taken = append(w.Taken, s)
		case antre.FileState{Stage: s.Stage, Status: s.Status}.Workable():
			w.Waiting = append(w.Waiting, s)
		default:
			w.Other = append(w.Other, s)
		}
	}
	return w, rows.Err()
}

// StageFigures are a stage's public figures: how many wait, the VIP book's share, how many are
// being worked, the oldest waiting file's number and since when, and the mean time a file
// spent at the stage today.
type StageFigures struct {
	Stage antre.Stage `json:"stage"`
	// Roles work the stage (the console offers a stage to its officers).
	Roles       []antre.Role `json:"roles"`
	Waiting     int          `json:"waiting"`
	VIPWaiting  int          `json:"vip_waiting"`
	InProgress  int          `json:"in_progress"`
	Oldest      string       `json:"oldest,omitempty"`
	OldestSince *time.Time   `json:"oldest_since,omitempty"`
	MeanMinutes *float64     `json:"mean_minutes_today,omitempty"`
}

// OutOfOrder is one take out of file order today, as the public may see it: the stage, the
// reason's category and the time, never the reason's text or who the applicant is.
type OutOfOrder struct {
	Stage    antre.Stage        `json:"stage"`
	Category antre.TakeCategory `json:"category"`
	At       time.Time          `json:"at"`
}

// Transparency is the public view of the workflow today (rule 9): per stage, the queue of files
// and its oldest file; and every out-of-order take today with its reason's category.
type Transparency struct {
	Date       string         `json:"date"`
	Stages     []StageFigures `json:"stages"`
	OutOfOrder []OutOfOrder   `json:"out_of_order_today"`
}

// Transparency returns today's public view.
func (m *Module) Transparency(ctx context.Context) (Transparency, error) {
	now := m.now()
	today := m.office.BusinessDate(now)
	start, _ := time.ParseInLocation(time.DateOnly, today, m.office.Location)
	t := Transparency{Date: today, OutOfOrder: []OutOfOrder{}}
	idx := map[antre.Stage]int{}
	for i, s := range antre.Stages {
		t.Stages = append(t.Stages, StageFigures{Stage: s, Roles: s.Roles()})
		idx[s] = i
	}
	rows, err := m.db.QueryContext(ctx, `SELECT stage,
		SUM(CASE WHEN `+workable+` THEN 1 ELSE 0 END),
		SUM(CASE WHEN `+workable+` AND book = 0 THEN 1 ELSE 0 END),
		SUM(CASE WHEN holder <> '' THEN 1 ELSE 0 END)
		FROM wf_files WHERE closed_at IS NULL GROUP BY stage`)
	if err != nil {
		return t, err
	}
	for rows.Next() {
		var s antre.Stage
		var w, v, p int
		if err := rows.Scan(&s, &w, &v, &p); err != nil {
			rows.Close()
			return t, err
		}
		if i, ok := idx[s]; ok {
			t.Stages[i].Waiting, t.Stages[i].VIPWaiting, t.Stages[i].InProgress = w, v, p
		}
	}
	rows.Close()
	for i, s := range antre.Stages {
		var number string
		var since int64
		err := m.db.QueryRowContext(ctx, `SELECT number, stage_since FROM wf_files WHERE stage = ? AND `+workable+`
			ORDER BY id LIMIT 1`, s).Scan(&number, &since)
		if err == nil {
			ts := at(since)
			t.Stages[i].Oldest, t.Stages[i].OldestSince = number, &ts
		} else if err != sql.ErrNoRows {
			return t, err
		}
	}
	rows, err = m.db.QueryContext(ctx, `SELECT stage, AVG(left_at - entered_at) FROM wf_visits WHERE left_at >= ? GROUP BY stage`, ms(start))
	if err != nil {
		return t, err
	}
	for rows.Next() {
		var s antre.Stage
		var mean float64
		if err := rows.Scan(&s, &mean); err != nil {
			rows.Close()
			return t, err
		}
		if i, ok := idx[s]; ok {
			mm := float64(int(mean/6000)) / 10 // minutes, one decimal
			t.Stages[i].MeanMinutes = &mm
		}
	}
	rows.Close()
	rows, err = m.db.QueryContext(ctx, `SELECT stage, category, at FROM wf_takes WHERE business_date = ? ORDER BY id`, today)
	if err != nil {
		return t, err
	}
	defer rows.Close()
	for rows.Next() {
		var o OutOfOrder
		var ts int64
		if err := rows.Scan(&o.Stage, &o.Category, &ts); err != nil {
			return t, err
		}
		o.At = at(ts)
		t.OutOfOrder = append(t.OutOfOrder, o)
	}
	return t, rows.Err()
}
