package workflow

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"antre"
	"antre/module"
)

// file is one row of wf_files: an application file as the store keeps it.
type file struct {
	ID             int64
	Number         string
	Ticket         string
	TicketDate     string
	TicketGroup    string
	Kind           antre.ApplicationKind
	NIK            string
	Name           string
	BirthDate      string
	BirthPlace     string
	Female         bool
	Phone          string
	PreApplication string
	State          antre.FileState
	Holder         string
	TakenAt        *time.Time
	StageSince     time.Time
	Book           int
	BookSeq        int64
	VIP            string
	Retakes        int
	Documents      []string
	Fee            int64
	BillingCode    string
	ReceiptNo      string
	PaidAt         *time.Time
	Due            string
	BlankSerial    string
	QA             []string
	AlertLevel     int
	CreatedAt      time.Time
	CreatedBy      string
	ClosedAt       *time.Time
}

const fileCols = `id, number, ticket, ticket_date, ticket_group, kind, nik, name, birth_date, birth_place, female, phone,
	pre_application, stage, status, holder, taken_at, stage_since, book, book_seq, vip_no, retakes, documents, fee,
	billing_code, receipt_no, paid_at, due, blank_serial, qa, alert_level, created_at, created_by, closed_at`

type scanner interface{ Scan(dest ...any) error }

func scanFile(s scanner) (file, error) {
	var f file
	var taken, paid, closed sql.NullInt64
	var since, created int64
	var docs, qa string
	err := s.Scan(&f.ID, &f.Number, &f.Ticket, &f.TicketDate, &f.TicketGroup, &f.Kind, &f.NIK, &f.Name, &f.BirthDate,
		&f.BirthPlace, &f.Female, &f.Phone, &f.PreApplication, &f.State.Stage, &f.State.Status, &f.Holder, &taken, &since,
		&f.Book, &f.BookSeq, &f.VIP, &f.Retakes, &docs, &f.Fee, &f.BillingCode, &f.ReceiptNo, &paid, &f.Due, &f.BlankSerial,
		&qa, &f.AlertLevel, &created, &f.CreatedBy, &closed)
	if err != nil {
		return f, err
	}
	f.TakenAt, f.PaidAt, f.ClosedAt = fromMS(taken), fromMS(paid), fromMS(closed)
	f.StageSince, f.CreatedAt = at(since), at(created)
	_ = json.Unmarshal([]byte(docs), &f.Documents)
	_ = json.Unmarshal([]byte(qa), &f.QA)
	return f, nil
}

// loadFile reads the file with number through q (a transaction, or the read pool).
func loadFile(ctx context.Context, q module.Querier, number string) (file, error) {
	f, err := scanFile(q.QueryRowContext(ctx, `SELECT `+fileCols+` FROM wf_files WHERE number = ?`, number))
	if errors.Is(err, sql.ErrNoRows) {
		return f, antre.Errorf(antre.ENOTFOUND, msgNotFound, "no application %s", number)
	}
	return f, err
}

func at(v int64) time.Time { return time.UnixMilli(v).UTC() }

func fromMS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := at(v.Int64)
	return &t
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "null"
	}
	return string(b)
}

// fileEvent is the data of every file event: the file's number and state after the change, what
// a worklist needs to place it, and never the applicant's identity.
type fileEvent struct {
	Number  string           `json:"number"`
	Order   int64            `json:"order"`
	Book    int              `json:"book"`
	BookSeq int64            `json:"book_seq"`
	Stage   antre.Stage      `json:"stage"`
	Status  antre.FileStatus `json:"status"`
	Holder  string           `json:"holder,omitempty"`
	VIP     string           `json:"vip,omitempty"`
	Kind    string           `json:"kind"`
	Since   time.Time        `json:"since"`
	Retakes int              `json:"retakes,omitempty"`
	Due     string           `json:"due,omitempty"`
	From    *antre.FileState `json:"from,omitempty"`
	Step    antre.Step       `json:"step,omitempty"`
}

func (f *file) event() fileEvent {
	return fileEvent{Number: f.Number, Order: f.ID, Book: f.Book, BookSeq: f.BookSeq, Stage: f.State.Stage, Status: f.State.Status,
		Holder: f.Holder, VIP: f.VIP, Kind: string(f.Kind), Since: f.StageSince, Retakes: f.Retakes, Due: f.Due}
}

// Summary is what staff see of a file in answers and worklists: its number, state and who holds
// it, without the applicant's identity.
type Summary struct {
	Number      string                `json:"number"`
	Stage       antre.Stage           `json:"stage"`
	Status      antre.FileStatus      `json:"status"`
	Kind        antre.ApplicationKind `json:"kind"`
	Holder      string                `json:"holder,omitempty"`
	VIP         string                `json:"vip,omitempty"`
	Since       time.Time             `json:"since"`
	TakenAt     *time.Time            `json:"taken_at,omitempty"`
	Retakes     int                   `json:"retakes,omitempty"`
	Fee         int64                 `json:"fee,omitempty"`
	BillingCode string                `json:"billing_code,omitempty"`
	Due         string                `json:"due,omitempty"`
	Ticket      string                `json:"ticket"`
	// Order is the file order; Book (0 the VIP book, 1 the regular one) and BookSeq (the VIP
	// book's number) come first: "next" takes the least (Book, BookSeq, Order).
	Order   int64 `json:"order"`
	Book    int   `json:"book"`
	BookSeq int64 `json:"book_seq"`
}

func (f *file) summary() Summary {
	return Summary{Number: f.Number, Stage: f.State.Stage, Status: f.State.Status, Kind: f.Kind, Holder: f.Holder, VIP: f.VIP,
		Since: f.StageSince, TakenAt: f.TakenAt, Retakes: f.Retakes, Fee: f.Fee, BillingCode: f.BillingCode, Due: f.Due,
		Ticket: f.Ticket, Order: f.ID, Book: f.Book, BookSeq: f.BookSeq}
}

// setState moves f to state to by step in tx: the row, a history entry, the stage visits and the
// event. Whether the holder keeps the file is keep; leaving a stage always frees it.
func setState(ctx context.Context, tx module.Tx, f *file, to antre.FileState, step antre.Step, actor, reason string, keep bool, details any) error {
	from := f.State
	now := tx.Now()
	moved := to.Stage != from.Stage || to.Final()
	f.State = to
	if moved {
		f.StageSince = now
	}
	if moved || !keep {
		f.Holder, f.TakenAt = "", nil
	}
	var closed any
	if to.Final() {
		closed = ms(now)
		f.ClosedAt = &now
	}
	var taken any
	if f.TakenAt != nil {
		taken = ms(*f.TakenAt)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE wf_files SET stage = ?, status = ?, holder = ?, taken_at = ?, stage_since = ?,
		retakes = ?, documents = ?, fee = ?, billing_code = ?, receipt_no = ?, paid_at = ?, due = ?, blank_serial = ?, qa = ?,
		updated_at = ?, closed_at = COALESCE(closed_at, ?) WHERE id = ?`,
		to.Stage, to.Status, f.Holder, taken, ms(f.StageSince), f.Retakes, jsonText(f.Documents), f.Fee, f.BillingCode,
		f.ReceiptNo, msOrNil(f.PaidAt), f.Due, f.BlankSerial, jsonText(f.QA), ms(now), closed, f.ID); err != nil {
		return err
	}
	if details == nil {
		details = struct{}{}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO wf_history (number, at, actor, step, from_stage, from_status, to_stage, to_status,
		reason, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, f.Number, ms(now), actor, step, from.Stage, from.Status, to.Stage,
		to.Status, reason, jsonText(details)); err != nil {
		return err
	}
	if moved {
		if _, err := tx.ExecContext(ctx, `UPDATE wf_visits SET left_at = ? WHERE number = ? AND left_at IS NULL`, ms(now), f.Number); err != nil {
			return err
		}
		if !to.Final() {
			if _, err := tx.ExecContext(ctx, `INSERT INTO wf_visits (number, stage, entered_at) VALUES (?, ?, ?)`, f.Number, to.Stage, ms(now)); err != nil {
				return err
			}
		}
	}
	ev := f.event()
	ev.From, ev.Step = &from, step
	return tx.Emit(antre.Event{Type: EvStep, Actor: actor}, ev)
}

func msOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ms(*t)
}

// setHolder records that actor took f (or, with actor "", that it went back to its worklist).
func setHolder(ctx context.Context, tx module.Tx, f *file, actor string) error {
	now := tx.Now()
	f.Holder = actor
	var taken any
	if actor != "" {
		f.TakenAt = &now
		taken = ms(now)
		if _, err := tx.ExecContext(ctx, `UPDATE wf_visits SET taken_at = COALESCE(taken_at, ?) WHERE number = ? AND left_at IS NULL`,
			ms(now), f.Number); err != nil {
			return err
		}
	} else {
		f.TakenAt = nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE wf_files SET holder = ?, taken_at = ?, updated_at = ? WHERE id = ?`, actor, taken, ms(now), f.ID)
	return err
}
