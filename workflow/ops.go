package workflow

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"antre"
	"antre/module"
)

// workable is the SQL form of antre.FileState.Workable, written as the worklist index's
// condition so that SQLite uses it.
const workable = `holder = '' AND status IN ('open', 'retake', 'biometric_review', 'duplicate_review')`

// OpenRequest is what the OSS officer records to open a file from the ticket being served.
type OpenRequest struct {
	Ticket     string `json:"ticket"`
	NIK        string `json:"nik"`
	Name       string `json:"name"`
	BirthDate  string `json:"birth_date"`
	BirthPlace string `json:"birth_place"`
	Phone      string `json:"phone,omitempty"`
	// Kind is needed only where the ticket's group serves several kinds (C: lost or damaged;
	// D: any); otherwise it is the group's.
	Kind antre.ApplicationKind `json:"kind,omitempty"`
	// Documents already checked at the desk (the rest can come with intake's completion).
	Documents []string `json:"documents,omitempty"`
	// PreApplication is the online pre-application's reference, if the applicant has one.
	PreApplication string `json:"pre_application,omitempty"`
}

// Details are a stage's own records, sent with the completion of its work.
type Details struct {
	// Documents checked at intake (the kind's checklist: ktp, kk, birth_certificate …).
	Documents []string `json:"documents,omitempty"`
	// BAP of a lost or damaged passport, recorded at intake before the file may leave it.
	BAP *BAPInput `json:"bap,omitempty"`
	// Captures at biometrics: photo, finger_1 … finger_10, signature.
	Captures []string `json:"captures,omitempty"`
	// Receipt is the payment's receipt number (NTPN) at payment.
	Receipt string `json:"receipt,omitempty"`
	// Serial is the blank passport's serial at printing: the one printed on (pass; empty takes
	// the next in stock) or the one spoiled (fail).
	Serial string `json:"serial,omitempty"`
	// QA are the security features checked at printing.
	QA []string `json:"qa,omitempty"`
	// FaceCheck is the pickup officer's confirmation that the face matches.
	FaceCheck bool `json:"face_check,omitempty"`
	// Category is the public category of the reason when the file is taken out of order.
	Category string `json:"category,omitempty"`
}

// CompleteRequest finishes the caller's work on a stage: outcome pass or fail, a reason where
// the step needs one (every fail, a review's pass, a file not taken in order), and the stage's
// details.
type CompleteRequest struct {
	Stage   string  `json:"stage"`
	Outcome string  `json:"outcome"`
	Reason  string  `json:"reason,omitempty"`
	Details Details `json:"details"`
}

// BAPInput is a BAP (berita acara pemeriksaan) as recorded: its reference number, date and a
// note.
type BAPInput struct {
	Ref  string `json:"ref"`
	Date string `json:"date,omitempty"`
	Note string `json:"note,omitempty"`
}

// captureItems are the biometric items a file needs: the photo, ten fingerprints, the signature.
var captureItems = func() []string {
	out := []string{"photo"}
	for i := 1; i <= 10; i++ {
		out = append(out, "finger_"+strconv.Itoa(i))
	}
	return append(out, "signature")
}()

var (
	reSerial  = regexp.MustCompile(`^[A-Z]{1,2}[0-9]{6,8}$`)
	reRef     = regexp.MustCompile(`^[A-Za-z0-9/.\-]{1,40}$`)
	reReceipt = regexp.MustCompile(`^[A-Z0-9]{6,32}$`)
)

func invalid(field, cause string, args ...any) error {
	return antre.Errorf(antre.EINVALID, antre.MsgBadRequest, cause, args...).WithArgs(field)
}

// text checks a free-text field: trimmed, 1 to max characters when required, no control
// characters.
func text(field, s string, max int, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" && required {
		return "", invalid(field, "%s is empty", field)
	}
	if utf8.RuneCountInString(s) > max || !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 }) {
		return "", invalid(field, "%s is longer than %d characters or has control characters", field, max)
	}
	return s, nil
}

// documentsKnown checks that every document named is one some checklist knows.
func (m *Module) documentsKnown(docs []string) error {
	for _, d := range docs {
		known := false
		for _, k := range antre.Kinds {
			for _, req := range m.cfg.requirements(k) {
				known = known || slices.Contains(req, d)
			}
		}
		if !known {
			return antre.Errorf(antre.EINVALID, msgBadDocument, "unknown document %q", d).WithArgs(truncate(d, 32))
		}
	}
	return nil
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func forbidden(p antre.Principal, what string) error {
	return antre.Errorf(antre.EFORBIDDEN, msgRoleStage, "%s (%s) may not %s", p.Name, p.Role, what)
}

// Open opens the application file of the ticket the OSS officer p is serving (called or
// serving at their counter): it checks the applicant's data (the NIK's own rules, the date of
// birth against it), gives the file the office's next application number for the year, and
// puts it at intake, held by p; a lost or damaged passport waits for its BAP there. One ticket
// opens one application, and one NIK has one open application.
func (m *Module) Open(ctx context.Context, p antre.Principal, req OpenRequest) (Summary, error) {
	if !antre.StageIntake.WorkedBy(p.Role) {
		return Summary{}, forbidden(p, "open applications")
	}
	code := strings.ToUpper(strings.TrimSpace(req.Ticket))
	if _, _, err := antre.ParseCode(code); err != nil {
		return Summary{}, err
	}
	nik, err := antre.ParseNIK(strings.TrimSpace(req.NIK), m.localToday())
	if err != nil {
		return Summary{}, err
	}
	birth, ok := nik.MatchesBirth(strings.TrimSpace(req.BirthDate))
	if !ok {
		if _, perr := time.Parse(time.DateOnly, strings.TrimSpace(req.BirthDate)); perr != nil {
			return Summary{}, invalid("birth_date", "birth date %q is not YYYY-MM-DD", truncate(req.BirthDate, 20))
		}
		return Summary{}, antre.Errorf(antre.EINVALID, antre.MsgNIKBirth, "birth date does not match NIK %s", antre.MaskNIK(nik.Number))
	}
	name, err := text("name", req.Name, 100, true)
	if err != nil {
		return Summary{}, err
	}
	place, err := text("birth_place", req.BirthPlace, 60, true)
	if err != nil {
		return Summary{}, err
	}
	phone := ""
	if strings.TrimSpace(req.Phone) != "" {
		if phone, err = antre.NormalizePhone(req.Phone); err != nil {
			return Summary{}, err
		}
	}
	pre, err := text("pre_application", req.PreApplication, 40, false)
	if err != nil {
		return Summary{}, err
	}
	if req.Kind != "" && !req.Kind.Valid() {
		return Summary{}, antre.Errorf(antre.EINVALID, antre.MsgBadKind, "unknown kind %q", truncate(string(req.Kind), 20))
	}
	if err := m.documentsKnown(req.Documents); err != nil {
		return Summary{}, err
	}
	var out Summary
	err = m.db.Update(ctx, func(tx module.Tx) error {
		t, err := tx.Ticket(code)
		if err != nil {
			return err
		}
		if (t.Status != antre.StatusCalled && t.Status != antre.StatusServing) || t.CalledBy != p.Name {
			return antre.Errorf(antre.ECONFLICT, msgTicketNotServed, "ticket %s is %s by %q, not being served by %s", code, t.Status, t.CalledBy, p.Name)
		}
		var other string
		err = tx.QueryRowContext(ctx, `SELECT number FROM wf_files WHERE ticket_date = ? AND ticket = ?`, t.BusinessDate, code).Scan(&other)
		if err == nil {
			return antre.Errorf(antre.ECONFLICT, msgTicketUsed, "ticket %s already opened %s", code, other).WithArgs(other)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		err = tx.QueryRowContext(ctx, `SELECT number FROM wf_files WHERE nik = ? AND closed_at IS NULL`, nik.Number).Scan(&other)
		if err == nil {
			return antre.Errorf(antre.ECONFLICT, msgNIKOpen, "NIK %s has open application %s", antre.MaskNIK(nik.Number), other).WithArgs(other)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		kind, err := antre.KindForGroup(t.QueueGroup, req.Kind)
		if err != nil {
			return err
		}
		year := tx.Today()[:4]
		seq, err := nextSeq(ctx, tx, "file/"+year)
		if err != nil {
			return err
		}
		if seq > antre.MaxApplicationsPerYear {
			return antre.Errorf(antre.ECONFLICT, msgNumbersUsed, "application numbers of %s used up", year)
		}
		y, _ := strconv.Atoi(year)
		now := tx.Now()
		f := file{Number: antre.FormatApplicationNumber(y, seq), Ticket: code, TicketDate: t.BusinessDate, TicketGroup: t.QueueGroup,
			Kind: kind, NIK: nik.Number, Name: name, BirthDate: birth.Format(time.DateOnly), BirthPlace: place, Female: nik.Female,
			Phone: phone, PreApplication: pre, State: antre.FileState{Stage: antre.StageIntake, Status: antre.FileOpen},
			Holder: p.Name, TakenAt: &now, StageSince: now, Book: 1, Documents: union(nil, req.Documents), CreatedAt: now, CreatedBy: p.Name}
		if kind.NeedsBAP() {
			f.State.Status = antre.FileBAPRequired
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO wf_files (number, ticket, ticket_date, ticket_group, kind, nik, name, birth_date,
			birth_place, female, phone, pre_application, stage, status, holder, taken_at, stage_since, documents, created_at,
			created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			f.Number, f.Ticket, f.TicketDate, f.TicketGroup, f.Kind, f.NIK, f.Name, f.BirthDate, f.BirthPlace, f.Female, f.Phone,
			f.PreApplication, f.State.Stage, f.State.Status, f.Holder, ms(now), ms(now), jsonText(f.Documents), ms(now), p.Name, ms(now))
		if err != nil {
			return err
		}
		if f.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO wf_visits (number, stage, entered_at, taken_at) VALUES (?, ?, ?, ?)`,
			f.Number, f.State.Stage, ms(now), ms(now)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO wf_history (number, at, actor, step, from_stage, from_status, to_stage, to_status)
			VALUES (?, ?, ?, 'open', '', '', ?, ?)`, f.Number, ms(now), p.Name, f.State.Stage, f.State.Status); err != nil {
			return err
		}
		out = f.summary()
		return tx.Emit(antre.Event{Type: EvOpened, Ticket: code, Group: t.Group, Counter: t.Counter, Actor: p.Name}, f.event())
	})
	if err == nil {
		m.log.Info("application opened", "number", out.Number, "ticket", code, "kind", out.Kind, "nik", antre.MaskNIK(nik.Number),
			"by", p.Name)
	}
	return out, err
}

// localToday is the office's current date, at midnight UTC (what antre.ParseNIK compares with).
func (m *Module) localToday() time.Time {
	d, _ := time.Parse(time.DateOnly, m.office.BusinessDate(m.now()))
	return d
}

// nextSeq allocates the next number of a sequence in tx.
func nextSeq(ctx context.Context, tx module.Tx, name string) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `INSERT INTO wf_sequences (name, last) VALUES (?, 1)
		ON CONFLICT (name) DO UPDATE SET last = last + 1 RETURNING last`, name).Scan(&n)
	return n, err
}

// holding returns the number of the workable file officer holds at stage, or "".
func holding(ctx context.Context, q module.Querier, officer string, stage antre.Stage) (string, error) {
	var n string
	err := q.QueryRowContext(ctx, `SELECT number FROM wf_files WHERE holder = ? AND holder <> '' AND stage = ?
		AND status IN ('open', 'retake', 'biometric_review', 'duplicate_review') LIMIT 1`, officer, stage).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return n, err
}

// head returns the file "next" would give at stage: the VIP book first, then the regular book,
// each in file order.
func head(ctx context.Context, q module.Querier, stage antre.Stage) (file, error) {
	f, err := scanFile(q.QueryRowContext(ctx, `SELECT `+fileCols+` FROM wf_files WHERE stage = ? AND `+workable+`
		ORDER BY book, book_seq, id LIMIT 1`, stage))
	if errors.Is(err, sql.ErrNoRows) {
		return f, antre.Errorf(antre.EEMPTY, msgEmpty, "no file waits at %s", stage)
	}
	return f, err
}

// Next gives officer p the oldest waiting file of stage (the VIP book's first): strict file
// order, no discretion. An officer holds one file per stage at a time.
func (m *Module) Next(ctx context.Context, p antre.Principal, stage string) (Summary, error) {
	st, err := antre.ParseStage(stage)
	if err != nil {
		return Summary{}, err
	}
	if !st.WorkedBy(p.Role) {
		return Summary{}, forbidden(p, "work stage "+stage)
	}
	var out Summary
	err = m.db.Update(ctx, func(tx module.Tx) error {
		if held, err := holding(ctx, tx, p.Name, st); err != nil {
			return err
		} else if held != "" {
			return antre.Errorf(antre.ECONFLICT, msgHolding, "%s holds %s at %s", p.Name, held, st).WithArgs(held)
		}
		f, err := head(ctx, tx, st)
		if err != nil {
			return err
		}
		if err := setHolder(ctx, tx, &f, p.Name); err != nil {
			return err
		}
		out = f.summary()
		return tx.Emit(antre.Event{Type: EvTaken, Actor: p.Name}, takenEvent{fileEvent: f.event()})
	})
	return out, err
}

// takenEvent is a take's event data: the file, and for a take out of order its public category.
type takenEvent struct {
	fileEvent
	OutOfOrder bool               `json:"out_of_order,omitempty"`
	Category   antre.TakeCategory `json:"category,omitempty"`
}

// Take gives officer p a particular file of stage: the next one in order needs no reason (it is
// what Next gives); a later one needs a reason and its public category, and is recorded as an
// out-of-order take. At pickup, where the applicant's presence decides, any ready file is taken
// by scanning its receipt.
func (m *Module) Take(ctx context.Context, p antre.Principal, stage, number, reason, category string) (Summary, error) {
	st, err := antre.ParseStage(stage)
	if err != nil {
		return Summary{}, err
	}
	if !st.WorkedBy(p.Role) {
		return Summary{}, forbidden(p, "work stage "+stage)
	}
	if number, err = antre.ParseApplicationNumber(strings.TrimSpace(number)); err != nil {
		return Summary{}, err
	}
	cat, err := antre.ParseTakeCategory(category)
	if err != nil {
		return Summary{}, err
	}
	if reason, err = text("reason", reason, 500, false); err != nil {
		return Summary{}, err
	}
	var out Summary
	err = m.db.Update(ctx, func(tx module.Tx) error {
		f, err := loadFile(ctx, tx, number)
		if err != nil {
			return err
		}
		if f.State.Stage != st {
			return antre.Errorf(antre.ECONFLICT, msgWrongStage, "%s is at %s, not %s", number, f.State.Stage, st).WithArgs(stageText(st))
		}
		if err := m.claim(ctx, tx, &f, p, reason, cat, true); err != nil {
			return err
		}
		out = f.summary()
		return nil
	})
	return out, err
}

// claim makes p the holder of f, which p does not hold yet: refused when another officer holds
// it, when it is not workable, when p holds another file of the stage, and (at an ordered stage)
// when it is not the next in order and no reason is given. An out-of-order take is recorded
// with its reason and category. explicit says the officer asked for this file by number (a
// take), not by completing it: then the next file in order needs no reason.
func (m *Module) claim(ctx context.Context, tx module.Tx, f *file, p antre.Principal, reason string, cat antre.TakeCategory, explicit bool) error {
	if f.Holder == p.Name {
		return nil
	}
	if f.Holder != "" {
		return antre.Errorf(antre.ECONFLICT, msgNotYours, "%s is held by %s", f.Number, f.Holder)
	}
	if f.State.Final() {
		return antre.Errorf(antre.ECONFLICT, antre.MsgFileClosed, "%s is %s", f.Number, f.State)
	}
	if !f.State.Workable() {
		return antre.Errorf(antre.ECONFLICT, antre.MsgFileState, "%s is %s: not in a worklist", f.Number, f.State)
	}
	st := f.State.Stage
	if held, err := holding(ctx, tx, p.Name, st); err != nil {
		return err
	} else if held != "" {
		return antre.Errorf(antre.ECONFLICT, msgHolding, "%s holds %s at %s", p.Name, held, st).WithArgs(held)
	}
	ev := takenEvent{}
	if st.Ordered() {
		h, err := head(ctx, tx, st)
		if err != nil {
			return err
		}
		switch {
		case h.Number == f.Number && explicit:
		case reason == "" && h.Number == f.Number:
			return antre.Errorf(antre.ECONFLICT, msgNotTaken, "%s completes %s without taking it", p.Name, f.Number)
		case reason == "":
			return antre.Errorf(antre.ECONFLICT, msgOutOfOrder, "%s is not next at %s (%s is)", f.Number, st, h.Number).WithArgs(h.Number)
		case h.Number != f.Number:
			ev.OutOfOrder, ev.Category = true, cat
			if _, err := tx.ExecContext(ctx, `INSERT INTO wf_takes (number, stage, actor, at, business_date, skipped, category, reason)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, f.Number, st, p.Name, ms(tx.Now()), tx.Today(), h.Number, cat, reason); err != nil {
				return err
			}
		}
	} else if !explicit && reason == "" {
		return antre.Errorf(antre.ECONFLICT, msgNotTaken, "%s completes %s without taking it", p.Name, f.Number)
	}
	if err := setHolder(ctx, tx, f, p.Name); err != nil {
		return err
	}
	ev.fileEvent = f.event()
	return tx.Emit(antre.Event{Type: EvTaken, Actor: p.Name}, ev)
}

// Release puts a file p holds back in its stage's worklist, in its place in file order. The
// head may release any officer's file.
func (m *Module) Release(ctx context.Context, p antre.Principal, number string) (Summary, error) {
	number, err := antre.ParseApplicationNumber(strings.TrimSpace(number))
	if err != nil {
		return Summary{}, err
	}
	var out Summary
	err = m.db.Update(ctx, func(tx module.Tx) error {
		f, err := loadFile(ctx, tx, number)
		if err != nil {
			return err
		}
		if f.Holder == "" || (f.Holder != p.Name && p.Role != antre.RoleHead) {
			return antre.Errorf(antre.ECONFLICT, msgNotYours, "%s releases %s held by %q", p.Name, number, f.Holder)
		}
		if !f.State.Workable() {
			return antre.Errorf(antre.ECONFLICT, antre.MsgFileState, "%s is %s: it stays with its holder", number, f.State)
		}
		if err := setHolder(ctx, tx, &f, ""); err != nil {
			return err
		}
		out = f.summary()
		return tx.Emit(antre.Event{Type: EvReleased, Actor: p.Name}, f.event())
	})
	return out, err
}

// Complete finishes p's work on a file at a stage (see CompleteRequest). The file must be the
// one p took, or p gives a reason and takes it out of order now (recorded). The stage's details
// are recorded and the domain's state machine decides where the file goes; a refusal changes
// nothing. Passing adjudication first asks the outside checks that have not answered; passing
// payment fixes the promised date; passing approval tells the applicant (passport.ready).
func (m *Module) Complete(ctx context.Context, p antre.Principal, number string, req CompleteRequest) (Summary, error) {
	number, err := antre.ParseApplicationNumber(strings.TrimSpace(number))
	if err != nil {
		return Summary{}, err
	}
	st, err := antre.ParseStage(req.Stage)
	if err != nil {
		return Summary{}, err
	}
	var step antre.Step
	switch req.Outcome {
	case "pass":
		step = antre.StepPass
	case "fail":
		step = antre.StepFail
	default:
		return Summary{}, antre.Errorf(antre.EINVALID, msgBadOutcome, "outcome %q", truncate(req.Outcome, 20))
	}
	if !st.WorkedBy(p.Role) {
		return Summary{}, forbidden(p, "work stage "+req.Stage)
	}
	reason, err := text("reason", req.Reason, 500, false)
	if err != nil {
		return Summary{}, err
	}
	d := req.Details
	cat, err := antre.ParseTakeCategory(d.Category)
	if err != nil {
		return Summary{}, err
	}
	if err := m.checkDetails(d); err != nil {
		return Summary{}, err
	}
	if st == antre.StageAdjudication && step == antre.StepPass {
		if _, err := m.runChecks(ctx, number, p.Name); err != nil {
			return Summary{}, err
		}
	}
	var cal antre.Calendar
	if st == antre.StagePayment && step == antre.StepPass {
		if cal, err = m.host.Calendar(ctx); err != nil {
			return Summary{}, err
		}
	}
	var out Summary
	err = m.db.Update(ctx, func(tx module.Tx) error {
		f, err := loadFile(ctx, tx, number)
		if err != nil {
			return err
		}
		if f.State.Stage != st {
			if f.State.Final() {
				return antre.Errorf(antre.ECONFLICT, antre.MsgFileClosed, "%s is %s", number, f.State)
			}
			return antre.Errorf(antre.ECONFLICT, msgWrongStage, "%s is at %s, not %s", number, f.State.Stage, st).WithArgs(stageText(st))
		}
		if f.State.Status == antre.FileBAPRequired && d.BAP != nil && f.Holder == p.Name {
			if err := m.recordBAP(ctx, tx, &f, p, *d.BAP); err != nil {
				return err
			}
		}
		if err := m.claim(ctx, tx, &f, p, reason, cat, false); err != nil {
			return err
		}
		if err := m.complete(ctx, tx, &f, p, step, reason, d, cal); err != nil {
			return err
		}
		out = f.summary()
		return nil
	})
	if err == nil && out.Stage == antre.StageAdjudication {
		m.kick() // ask the checks early
	}
	return out, err
}

// checkDetails checks the names in a stage's details before anything is written.
func (m *Module) checkDetails(d Details) error {
	if err := m.documentsKnown(d.Documents); err != nil {
		return err
	}
	for _, c := range d.Captures {
		if !slices.Contains(captureItems, c) {
			return antre.Errorf(antre.EINVALID, msgBadCapture, "unknown capture %q", c).WithArgs(truncate(c, 32))
		}
	}
	for _, q := range d.QA {
		if !slices.Contains(m.cfg.QA, q) {
			return antre.Errorf(antre.EINVALID, msgBadQA, "unknown security feature %q", q).WithArgs(truncate(q, 32))
		}
	}
	if d.Receipt != "" && !reReceipt.MatchString(d.Receipt) {
		return antre.Errorf(antre.EINVALID, msgBadReceipt, "receipt %q", truncate(d.Receipt, 40))
	}
	if d.Serial != "" && !reSerial.MatchString(d.Serial) {
		return antre.Errorf(antre.EINVALID, msgBadSerial, "serial %q", truncate(d.Serial, 20))
	}
	if d.BAP != nil {
		return checkBAP(*d.BAP)
	}
	return nil
}

func checkBAP(b BAPInput) error {
	if !reRef.MatchString(b.Ref) {
		return antre.Errorf(antre.EINVALID, msgBadBAP, "BAP reference %q", truncate(b.Ref, 40))
	}
	if b.Date != "" {
		if _, err := time.Parse(time.DateOnly, b.Date); err != nil {
			return antre.Errorf(antre.EINVALID, msgBadBAP, "BAP date %q", truncate(b.Date, 20))
		}
	}
	if _, err := text("note", b.Note, 500, false); err != nil {
		return err
	}
	return nil
}

// complete applies step to f, which p holds, with the stage's details, in tx.
func (m *Module) complete(ctx context.Context, tx module.Tx, f *file, p antre.Principal, step antre.Step, reason string, d Details, cal antre.Calendar) error {
	from := f.State
	now := tx.Now()
	facts := antre.FileFacts{Reason: reason, Retakes: f.Retakes, MaxRetakes: m.cfg.MaxRetakes, FaceChecked: d.FaceCheck, Receipt: d.Receipt != ""}
	var err error
	var blank string
	keep := false
	switch from.Stage {
	case antre.StageIntake:
		f.Documents = union(f.Documents, d.Documents)
		facts.DocumentsComplete = m.cfg.documentsComplete(f.Kind, f.Documents)
	case antre.StageBiometrics:
		if err := addCaptures(ctx, tx, f, p.Name, d.Captures); err != nil {
			return err
		}
		if facts.CapturesComplete, err = capturesComplete(ctx, tx, f); err != nil {
			return err
		}
	case antre.StageAdjudication:
		if facts.Checks, err = loadChecks(ctx, tx, f.Number); err != nil {
			return err
		}
	case antre.StagePrinting:
		if step == antre.StepPass {
			if blank, err = takeBlank(ctx, tx, d.Serial); err != nil {
				return err
			}
			facts.Blank = blank != ""
			facts.QAComplete = coversAll(d.QA, m.cfg.QA)
		} else {
			keep = true
			if d.Serial == "" {
				return antre.Errorf(antre.EINVALID, antre.MsgNeedBlank, "spoiled print without the blank's serial")
			}
		}
	}
	to, err := from.Next(step, facts)
	if err != nil {
		return err
	}
	details := map[string]any{}
	switch {
	case from.Stage == antre.StageBiometrics && step == antre.StepFail:
		f.Retakes++
		details["retakes"] = f.Retakes
	case from.Stage == antre.StageAdjudication && to.Stage == antre.StagePayment:
		f.Fee = m.cfg.Fees[string(f.Kind)]
		f.BillingCode = billingCode(f.Number)
		details["fee"], details["billing_code"] = f.Fee, f.BillingCode
	case from.Stage == antre.StagePayment:
		due, err := antre.PromisedDate(cal, now, m.office.Location, m.cfg.CompletionDays)
		if err != nil {
			return err
		}
		f.ReceiptNo, f.PaidAt, f.Due = d.Receipt, &now, due
		details["receipt"], details["due"] = d.Receipt, due
	case from.Stage == antre.StagePrinting && step == antre.StepPass:
		if err := useBlank(ctx, tx, blank, f.Number, p.Name); err != nil {
			return err
		}
		f.BlankSerial, f.QA = blank, union(nil, d.QA)
		details["serial"], details["qa"] = blank, f.QA
	case from.Stage == antre.StagePrinting:
		if err := m.spoil(ctx, tx, d.Serial, f.Number, p.Name, reason, ""); err != nil {
			return err
		}
		details["spoiled"] = d.Serial
	case from.Stage == antre.StageApproval && step == antre.StepFail:
		if f.BlankSerial != "" {
			if err := m.spoil(ctx, tx, f.BlankSerial, f.Number, p.Name, reason, f.Number); err != nil {
				return err
			}
			details["spoiled"] = f.BlankSerial
			f.BlankSerial, f.QA = "", nil
		}
	case from.Stage == antre.StagePickup && step == antre.StepPass:
		details["face_check"] = p.Name
	case from.Stage == antre.StageIntake && step == antre.StepPass:
		details["documents"] = f.Documents
	}
	if err := setState(ctx, tx, f, to, step, p.Name, reason, keep, details); err != nil {
		return err
	}
	if to.Stage == antre.StagePickup && from.Stage == antre.StageApproval {
		// "Your passport is ready": the SMS module's hook writes the message in this transaction.
		return tx.Emit(antre.Event{Type: antre.EvPassport, Actor: p.Name}, map[string]string{"application": f.Number, "phone": f.Phone})
	}
	return nil
}

func coversAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// billingCode is the file's PNBP billing code: 820, the application number and two check
// digits (ISO 7064 mod 97-10), 15 digits in all. It stands in for the code of the state's
// billing system until the office's is connected.
func billingCode(number string) string {
	base := "820" + number
	r := 0
	for _, c := range base + "00" {
		r = (r*10 + int(c-'0')) % 97
	}
	return fmt.Sprintf("%s%02d", base, 98-r)
}

// addCaptures records items captured by who for f's current attempt.
func addCaptures(ctx context.Context, tx module.Tx, f *file, who string, items []string) error {
	for _, it := range union(nil, items) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO wf_captures (number, attempt, item, by, at) VALUES (?, ?, ?, ?, ?)`,
			f.Number, f.Retakes, it, who, ms(tx.Now())); err != nil {
			return err
		}
	}
	return nil
}

// capturesComplete reports whether f's current attempt has every item.
func capturesComplete(ctx context.Context, q module.Querier, f *file) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(DISTINCT item) FROM wf_captures WHERE number = ? AND attempt = ?`, f.Number, f.Retakes).Scan(&n)
	return n == len(captureItems), err
}

// loadChecks returns the latest answer of each check of a file.
func loadChecks(ctx context.Context, q module.Querier, number string) (map[antre.CheckKind]antre.CheckResult, error) {
	rows, err := q.QueryContext(ctx, `SELECT kind, result FROM wf_checks WHERE number = ?`, number)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[antre.CheckKind]antre.CheckResult{}
	for rows.Next() {
		var k antre.CheckKind
		var r antre.CheckResult
		if err := rows.Scan(&k, &r); err != nil {
			return nil, err
		}
		out[k] = r
	}
	return out, rows.Err()
}

// Captures records biometric items for a file the biometric officer p holds.
func (m *Module) Captures(ctx context.Context, p antre.Principal, number string, items []string) (Summary, error) {
	if !antre.StageBiometrics.WorkedBy(p.Role) {
		return Summary{}, forbidden(p, "capture biometrics")
	}
	number, err := antre.ParseApplicationNumber(strings.TrimSpace(number))
	if err != nil {
		return Summary{}, err
	}
	if len(items) == 0 {
		return Summary{}, antre.Errorf(antre.EINVALID, msgBadCapture, "no items").WithArgs("—")
	}
	if err := m.checkDetails(Details{Captures: items}); err != nil {
		return Summary{}, err
	}
	var out Summary
	err = m.db.Update(ctx, func(tx module.Tx) error {
		f, err := loadFile(ctx, tx, number)
		if err != nil {
			return err
		}
		if f.State.Stage != antre.StageBiometrics {
			return antre.Errorf(antre.ECONFLICT, msgWrongStage, "%s is at %s", number, f.State.Stage).WithArgs(stageText(antre.StageBiometrics))
		}
		if f.Holder != p.Name {
			return antre.Errorf(antre.ECONFLICT, msgNotTaken, "%s captures for %s held by %q", p.Name, number, f.Holder)
		}
		if err := addCaptures(ctx, tx, &f, p.Name, items); err != nil {
			return err
		}
		out = f.summary()
		return tx.Emit(antre.Event{Type: EvCaptured, Actor: p.Name}, map[string]any{"number": number, "items": union(nil, items), "attempt": f.Retakes})
	})
	return out, err
}

// RecordBAP records the BAP of a lost or damaged passport for a file the OSS officer p holds at
// intake; only then may the file leave intake.
func (m *Module) RecordBAP(ctx context.Context, p antre.Principal, number string, b BAPInput) (Summary, error) {
	number, err := antre.ParseApplicationNumber(strings.TrimSpace(number))
	if err != nil {
		return Summary{}, err
	}
	if err := checkBAP(b); err != nil {
		return Summary{}, err
	}
	var out Summary
	err = m.db.Update(ctx, func(tx module.Tx) error {
		f, err := loadFile(ctx, tx, number)
		if err != nil {
			return err
		}
		if !f.State.MayTake(antre.StepRecordBAP, p.Role) {
			return forbidden(p, "record a lost passport's BAP")
		}
		if f.Holder != p.Name {
			return antre.Errorf(antre.ECONFLICT, msgNotYours, "%s records a BAP for %s held by %q", p.Name, number, f.Holder)
		}
		if err := m.recordBAP(ctx, tx, &f, p, b); err != nil {
			return err
		}
		out = f.summary()
		return nil
	})
	return out, err
}

func (m *Module) recordBAP(ctx context.Context, tx module.Tx, f *file, p antre.Principal, b BAPInput) error {
	to, err := f.State.Next(antre.StepRecordBAP, antre.FileFacts{})
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO wf_baps (number, kind, ref, date, note, by, at) VALUES (?, 'lost', ?, ?, ?, ?, ?)`,
		f.Number, b.Ref, b.Date, strings.TrimSpace(b.Note), p.Name, ms(tx.Now())); err != nil {
		return err
	}
	return setState(ctx, tx, f, to, antre.StepRecordBAP, p.Name, "", true, map[string]string{"bap": b.Ref})
}

// EnforcementBAP records Wasdakim's BAP on a file held after a cekal hit; a section head then
// decides (Decide).
func (m *Module) EnforcementBAP(ctx context.Context, p antre.Principal, number string, b BAPInput) (Summary, error) {
	number, err := antre.ParseApplicationNumber(strings.TrimSpace(number))
	if err != nil {
		return Summary{}, err
	}
	if err := checkBAP(b); err != nil {
		return Summary{}, err
	}
	var out Summary
	err = m.db.Update(ctx, func(tx module.Tx) error {
		f, err := loadFile(ctx, tx, number)
		if err != nil {
			return err
		}
		if !f.State.MayTake(antre.StepEnforcementBAP, p.Role) {
			return forbidden(p, "record an enforcement BAP")
		}
		to, err := f.State.Next(antre.StepEnforcementBAP, antre.FileFacts{})
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO wf_baps (number, kind, ref, date, note, by, at) VALUES (?, 'enforcement', ?, ?, ?, ?, ?)`,
			f.Number, b.Ref, b.Date, strings.TrimSpace(b.Note), p.Name, ms(tx.Now())); err != nil {
			return err
		}
		if err := setState(ctx, tx, &f, to, antre.StepEnforcementBAP, p.Name, "", false, map[string]string{"bap": b.Ref}); err != nil {
			return err
		}
		out = f.summary()
		return nil
	})
	return out, err
}

// Decide is the section head's decision on a held file after Wasdakim's BAP: "cleared" sends it
// back to adjudication with the cekal check cleared by the decision; "refused" closes it, and no
// payment was taken. A reason is required either way.
func (m *Module) Decide(ctx context.Context, p antre.Principal, number, decision, reason string) (Summary, error) {
	number, err := antre.ParseApplicationNumber(strings.TrimSpace(number))
	if err != nil {
		return Summary{}, err
	}
	var step antre.Step
	switch decision {
	case "cleared":
		step = antre.StepClear
	case "refused":
		step = antre.StepRefuse
	default:
		return Summary{}, antre.Errorf(antre.EINVALID, msgBadDecision, "decision %q", truncate(decision, 20))
	}
	if reason, err = text("reason", reason, 500, false); err != nil {
		return Summary{}, err
	}
	var out Summary
	err = m.db.Update(ctx, func(tx module.Tx) error {
		f, err := loadFile(ctx, tx, number)
		if err != nil {
			return err
		}
		if !f.State.MayTake(step, p.Role) {
			return forbidden(p, "decide on a held file")
		}
		to, err := f.State.Next(step, antre.FileFacts{Reason: reason})
		if err != nil {
			return err
		}
		if step == antre.StepClear {
			if _, err := tx.ExecContext(ctx, `INSERT INTO wf_checks (number, kind, result, source, ref, at) VALUES (?, 'cekal', 'clear', ?, '', ?)
				ON CONFLICT (number, kind) DO UPDATE SET result = 'clear', source = excluded.source, ref = '', at = excluded.at`,
				f.Number, "decision:"+p.Name, ms(tx.Now())); err != nil {
				return err
			}
		}
		if err := setState(ctx, tx, &f, to, step, p.Name, reason, false, map[string]string{"decision": decision}); err != nil {
			return err
		}
		out = f.summary()
		return nil
	})
	return out, err
}

// GrantVIP enters a file in the VIP book, a separate and visible sequence that each stage's
// "next" serves first: only the head, with a reason, recorded.
func (m *Module) GrantVIP(ctx context.Context, p antre.Principal, number, reason string) (Summary, error) {
	if p.Role != antre.RoleHead {
		return Summary{}, forbidden(p, "grant the VIP book")
	}
	number, err := antre.ParseApplicationNumber(strings.TrimSpace(number))
	if err != nil {
		return Summary{}, err
	}
	if reason, err = text("reason", reason, 500, true); err != nil {
		return Summary{}, antre.Errorf(antre.EINVALID, antre.MsgNeedReason, "VIP without a reason")
	}
	var out Summary
	err = m.db.Update(ctx, func(tx module.Tx) error {
		f, err := loadFile(ctx, tx, number)
		if err != nil {
			return err
		}
		if f.State.Final() {
			return antre.Errorf(antre.ECONFLICT, antre.MsgFileClosed, "%s is %s", number, f.State)
		}
		if f.VIP != "" {
			return antre.Errorf(antre.ECONFLICT, msgAlreadyVIP, "%s is already %s", number, f.VIP)
		}
		year := tx.Today()[:4]
		n, err := nextSeq(ctx, tx, "vip/"+year)
		if err != nil {
			return err
		}
		f.Book, f.BookSeq, f.VIP = 0, int64(n), fmt.Sprintf("VIP-%s-%04d", year, n)
		if _, err := tx.ExecContext(ctx, `UPDATE wf_files SET book = 0, book_seq = ?, vip_no = ?, updated_at = ? WHERE id = ?`,
			n, f.VIP, ms(tx.Now()), f.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO wf_history (number, at, actor, step, from_stage, from_status, to_stage, to_status,
			reason, details) VALUES (?, ?, ?, 'vip', ?, ?, ?, ?, ?, ?)`, f.Number, ms(tx.Now()), p.Name, f.State.Stage, f.State.Status,
			f.State.Stage, f.State.Status, reason, jsonText(map[string]string{"vip": f.VIP})); err != nil {
			return err
		}
		out = f.summary()
		return tx.Emit(antre.Event{Type: EvVIP, Actor: p.Name}, f.event())
	})
	return out, err
}
