package antre

import (
	"fmt"
	"testing"
	"time"
)

// allStates is every state a file can be in, final states included.
var allStates = []FileState{
	{StageIntake, FileOpen}, {StageIntake, FileBAPRequired}, {StageIntake, FileReturned},
	{StageBiometrics, FileOpen}, {StageBiometrics, FileRetake},
	{StageAdjudication, FileOpen}, {StageAdjudication, FileBiometricReview}, {StageAdjudication, FileDuplicateReview},
	{StageAdjudication, FileHeld}, {StageAdjudication, FileAwaitingDecision}, {StageAdjudication, FileRefused},
	{StagePayment, FileOpen}, {StagePrinting, FileOpen}, {StageApproval, FileOpen},
	{StagePickup, FileOpen}, {StagePickup, FilePickedUp},
}

var allSteps = []Step{StepPass, StepFail, StepRecordBAP, StepCekalHit, StepDuplicate, StepEnforcementBAP, StepClear, StepRefuse}

// goodFacts are facts under which every guarded step may go ahead.
func goodFacts() FileFacts {
	return FileFacts{
		Reason: "alasan", DocumentsComplete: true, CapturesComplete: true, Receipt: true, Blank: true, QAComplete: true,
		FaceChecked: true, MaxRetakes: 2,
		Checks: map[CheckKind]CheckResult{CheckCekal: CheckClear, CheckDuplicate: CheckClear, CheckBiometric: CheckClear, CheckIdentity: CheckClear},
	}
}

func st(stage Stage, status FileStatus) FileState { return FileState{stage, status} }

// TestFileTransitions tries every step from every state: the allowed ones lead where the
// workflow says (with facts that satisfy every guard), every other one is a conflict that
// leaves the state as it was.
func TestFileTransitions(t *testing.T) {
	allowed := map[FileState]map[Step]FileState{
		st(StageIntake, FileOpen):        {StepPass: st(StageBiometrics, FileOpen), StepFail: st(StageIntake, FileReturned)},
		st(StageIntake, FileBAPRequired): {StepRecordBAP: st(StageIntake, FileOpen), StepFail: st(StageIntake, FileReturned)},
		st(StageBiometrics, FileOpen):    {StepPass: st(StageAdjudication, FileOpen), StepFail: st(StageBiometrics, FileRetake)},
		st(StageBiometrics, FileRetake):  {StepPass: st(StageAdjudication, FileOpen), StepFail: st(StageBiometrics, FileRetake)},
		st(StageAdjudication, FileOpen): {StepPass: st(StagePayment, FileOpen), StepFail: st(StageAdjudication, FileRefused),
			StepCekalHit: st(StageAdjudication, FileHeld), StepDuplicate: st(StageAdjudication, FileDuplicateReview)},
		st(StageAdjudication, FileBiometricReview): {StepPass: st(StagePayment, FileOpen), StepFail: st(StageAdjudication, FileRefused),
			StepCekalHit: st(StageAdjudication, FileHeld)},
		st(StageAdjudication, FileDuplicateReview): {StepPass: st(StagePayment, FileOpen), StepFail: st(StageAdjudication, FileRefused),
			StepCekalHit: st(StageAdjudication, FileHeld)},
		st(StageAdjudication, FileHeld):             {StepEnforcementBAP: st(StageAdjudication, FileAwaitingDecision)},
		st(StageAdjudication, FileAwaitingDecision): {StepClear: st(StageAdjudication, FileOpen), StepRefuse: st(StageAdjudication, FileRefused)},
		st(StagePayment, FileOpen):                  {StepPass: st(StagePrinting, FileOpen)},
		st(StagePrinting, FileOpen):                 {StepPass: st(StageApproval, FileOpen), StepFail: st(StagePrinting, FileOpen)},
		st(StageApproval, FileOpen):                 {StepPass: st(StagePickup, FileOpen), StepFail: st(StagePrinting, FileOpen)},
		st(StagePickup, FileOpen):                   {StepPass: st(StagePickup, FilePickedUp), StepFail: st(StagePickup, FileOpen)},
	}
	n := 0
	for _, from := range allStates {
		for _, step := range allSteps {
			got, err := from.Next(step, goodFacts())
			want, ok := allowed[from][step]
			switch {
			case ok && (err != nil || got != want):
				t.Errorf("%s from %s = %s, %v; want %s", step, from, got, err, want)
			case !ok && (ErrorCode(err) != ECONFLICT || got != from):
				t.Errorf("%s from %s = %s, %v; want a conflict and no change", step, from, got, err)
			case ok:
				n++
			}
		}
	}
	if n != 28 {
		t.Errorf("%d allowed transitions, want 28", n)
	}
	for _, s := range allStates {
		if s.Final() {
			for _, step := range allSteps {
				if _, err := s.Next(step, goodFacts()); ErrorCode(err) != ECONFLICT {
					t.Errorf("final %s allowed %s", s, step)
				}
			}
		}
	}
}

// TestFileGuards: each allowed step refuses, with an error naming what is missing and without a
// change, when the officer has not recorded what it needs or a check has not cleared.
func TestFileGuards(t *testing.T) {
	type guard struct {
		from  FileState
		step  Step
		spoil func(*FileFacts)
		code  string
		msg   MsgKey
	}
	pending := func(k CheckKind) func(*FileFacts) { return func(f *FileFacts) { f.Checks[k] = CheckPending } }
	missing := func(k CheckKind) func(*FileFacts) { return func(f *FileFacts) { delete(f.Checks, k) } }
	hit := func(k CheckKind) func(*FileFacts) { return func(f *FileFacts) { f.Checks[k] = CheckHit } }
	noReason := func(f *FileFacts) { f.Reason = "" }
	var guards []guard
	for _, g := range []struct {
		from FileState
		step Step
	}{
		{st(StageIntake, FileOpen), StepFail}, {st(StageIntake, FileBAPRequired), StepFail},
		{st(StageBiometrics, FileOpen), StepFail}, {st(StageBiometrics, FileRetake), StepFail},
		{st(StageAdjudication, FileOpen), StepFail}, {st(StageAdjudication, FileBiometricReview), StepFail},
		{st(StageAdjudication, FileDuplicateReview), StepFail}, {st(StageAdjudication, FileBiometricReview), StepPass},
		{st(StageAdjudication, FileDuplicateReview), StepPass}, {st(StageAdjudication, FileAwaitingDecision), StepClear},
		{st(StageAdjudication, FileAwaitingDecision), StepRefuse}, {st(StagePrinting, FileOpen), StepFail},
		{st(StageApproval, FileOpen), StepFail}, {st(StagePickup, FileOpen), StepFail},
	} {
		guards = append(guards, guard{g.from, g.step, noReason, EINVALID, MsgNeedReason})
	}
	guards = append(guards,
		guard{st(StageIntake, FileOpen), StepPass, func(f *FileFacts) { f.DocumentsComplete = false }, EINVALID, MsgNeedDocuments},
		guard{st(StageBiometrics, FileOpen), StepPass, func(f *FileFacts) { f.CapturesComplete = false }, EINVALID, MsgNeedCaptures},
		guard{st(StageBiometrics, FileRetake), StepPass, func(f *FileFacts) { f.CapturesComplete = false }, EINVALID, MsgNeedCaptures},
		guard{st(StagePayment, FileOpen), StepPass, func(f *FileFacts) { f.Receipt = false }, EINVALID, MsgNeedReceipt},
		guard{st(StagePrinting, FileOpen), StepPass, func(f *FileFacts) { f.Blank = false }, EINVALID, MsgNeedBlank},
		guard{st(StagePrinting, FileOpen), StepPass, func(f *FileFacts) { f.QAComplete = false }, EINVALID, MsgNeedQA},
		guard{st(StagePickup, FileOpen), StepPass, func(f *FileFacts) { f.FaceChecked = false }, EINVALID, MsgNeedFaceCheck},
	)
	// Unreachable means pending, never clear: adjudication passes on no check that did not answer.
	for _, k := range CheckKinds {
		guards = append(guards,
			guard{st(StageAdjudication, FileOpen), StepPass, pending(k), ECONFLICT, MsgChecksPending},
			guard{st(StageAdjudication, FileOpen), StepPass, missing(k), ECONFLICT, MsgChecksPending},
			guard{st(StageAdjudication, FileOpen), StepPass, hit(k), ECONFLICT, MsgCheckHit},
			guard{st(StageAdjudication, FileBiometricReview), StepPass, pending(k), ECONFLICT, MsgChecksPending},
			guard{st(StageAdjudication, FileBiometricReview), StepPass, hit(k), ECONFLICT, MsgCheckHit},
		)
	}
	// A duplicate under review passes on the adjudicator's reasoned decision, not on cekal or
	// identity.
	for _, k := range []CheckKind{CheckCekal, CheckIdentity} {
		guards = append(guards,
			guard{st(StageAdjudication, FileDuplicateReview), StepPass, pending(k), ECONFLICT, MsgChecksPending},
			guard{st(StageAdjudication, FileDuplicateReview), StepPass, hit(k), ECONFLICT, MsgCheckHit})
	}
	for _, g := range guards {
		f := goodFacts()
		g.spoil(&f)
		got, err := g.from.Next(g.step, f)
		var e *Error
		if got != g.from || ErrorCode(err) != g.code || !asError(err, &e) || e.Msg != g.msg {
			t.Errorf("%s from %s with spoiled facts = %s, %v; want %s %s and no change", g.step, g.from, got, err, g.code, g.msg)
		}
	}
	f := goodFacts()
	f.Checks[CheckDuplicate], f.Checks[CheckBiometric] = CheckHit, CheckHit
	if got, err := st(StageAdjudication, FileDuplicateReview).Next(StepPass, f); err != nil || got != st(StagePayment, FileOpen) {
		t.Errorf("duplicate overridden by the adjudicator: %s %v", got, err)
	}
}

func asError(err error, e **Error) bool {
	x, ok := err.(*Error)
	*e = x
	return ok
}

// TestBiometricRetakes: a failed verification is retaken MaxRetakes times, then referred to the
// adjudicator.
func TestBiometricRetakes(t *testing.T) {
	s := st(StageBiometrics, FileOpen)
	f := goodFacts()
	f.MaxRetakes = 2
	var path []FileState
	for f.Retakes = 0; f.Retakes <= 2; f.Retakes++ {
		var err error
		if s, err = s.Next(StepFail, f); err != nil {
			t.Fatal(err)
		}
		path = append(path, s)
	}
	want := []FileState{st(StageBiometrics, FileRetake), st(StageBiometrics, FileRetake), st(StageAdjudication, FileBiometricReview)}
	if fmt.Sprint(path) != fmt.Sprint(want) {
		t.Errorf("path %v, want %v", path, want)
	}
	f.MaxRetakes, f.Retakes = 0, 0
	if s, _ := st(StageBiometrics, FileOpen).Next(StepFail, f); s != st(StageAdjudication, FileBiometricReview) {
		t.Errorf("no retakes allowed: %s", s)
	}
}

// TestFileRoles: pass and fail belong to the stage's officers; the special steps to theirs.
func TestFileRoles(t *testing.T) {
	roles := append([]Role{RoleOfficer, RoleAdmin, RoleKiosk, RoleDisplay}, WorkflowRoles...)
	for _, s := range allStates {
		for _, r := range roles {
			if got, want := s.MayTake(StepPass, r), s.Stage.WorkedBy(r); got != want {
				t.Errorf("%s may pass %s: %v", r, s, got)
			}
		}
	}
	for _, tc := range []struct {
		step Step
		who  []Role
	}{
		{StepRecordBAP, []Role{RoleOSS}}, {StepCekalHit, []Role{RoleAdjudicator}}, {StepDuplicate, []Role{RoleAdjudicator}},
		{StepEnforcementBAP, []Role{RoleAdjudicator, RoleHead}}, {StepClear, []Role{RoleHead}}, {StepRefuse, []Role{RoleHead}},
	} {
		for _, r := range roles {
			want := false
			for _, w := range tc.who {
				want = want || w == r
			}
			if got := st(StageAdjudication, FileHeld).MayTake(tc.step, r); got != want {
				t.Errorf("%s may %s: %v, want %v", r, tc.step, got, want)
			}
		}
	}
	for _, s := range Stages {
		if len(s.Roles()) == 0 || s.WorkedBy(RoleOfficer) || s.WorkedBy(RoleAdmin) {
			t.Errorf("stage %s roles %v", s, s.Roles())
		}
	}
	if !StageApproval.WorkedBy(RoleHead) || !StageApproval.WorkedBy(RoleApprover) || StagePickup.Ordered() || !StageIntake.Ordered() {
		t.Error("approval is the approver's and the head's; pickup is not ordered")
	}
	if SeesIdentity(RoleCashier) || SeesIdentity(RoleAdmin) || SeesIdentity(RoleOfficer) || !SeesIdentity(RoleOSS) || !SeesIdentity(RoleHead) {
		t.Error("SeesIdentity")
	}
}

func TestKindForGroup(t *testing.T) {
	for _, tc := range []struct {
		group string
		want  ApplicationKind
		got   ApplicationKind
		code  string
	}{
		{"A", "", KindNew, ""}, {"B", "", KindReplacement, ""}, {"C", "", KindLost, ""}, {"C", KindDamaged, KindDamaged, ""},
		{"D", KindChange, KindChange, ""}, {"F", "", KindChange, ""}, {"A", KindLost, "", EINVALID}, {"E", "", "", EINVALID},
		{"Z", "", "", EINVALID}, {"D", "boat", "", EINVALID},
	} {
		got, err := KindForGroup(tc.group, tc.want)
		if got != tc.got || (err == nil) != (tc.code == "") || (err != nil && ErrorCode(err) != tc.code) {
			t.Errorf("KindForGroup(%s, %q) = %q, %v", tc.group, tc.want, got, err)
		}
	}
	if !KindLost.NeedsBAP() || !KindDamaged.NeedsBAP() || KindNew.NeedsBAP() {
		t.Error("NeedsBAP")
	}
}

func TestApplicationNumber(t *testing.T) {
	if got := FormatApplicationNumber(2026, 42); got != "2026000042" {
		t.Errorf("format: %s", got)
	}
	for _, s := range []string{"2026000042", "2027999999"} {
		if _, err := ParseApplicationNumber(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	for _, s := range []string{"", "2026000000", "202600004", "20260000421", "2026-00004", "A026000042"} {
		if _, err := ParseApplicationNumber(s); ErrorCode(err) != EINVALID {
			t.Errorf("%q accepted: %v", s, err)
		}
	}
}

// TestPromisedDate: three working days from payment, counted in the office's own time zone: the
// same instant is 31 December in WIB and already 1 January (a holiday) in WITA and WIT, and the
// deadline is the office's closing time that day.
func TestPromisedDate(t *testing.T) {
	cal := NewCalendar(nil, []Holiday{
		{Date: "2027-01-01", Name: "Tahun Baru Masehi", Kind: HolidayNational},
		{Date: "2026-12-24", Name: "Cuti bersama Natal", Kind: HolidayCutiBersama},
		{Date: "2026-12-25", Name: "Hari Raya Natal", Kind: HolidayNational},
	})
	zone := func(name string) *time.Location {
		l, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	wib, wita, wit := zone("Asia/Jakarta"), zone("Asia/Makassar"), zone("Asia/Jayapura")
	newYearsEve := time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC) // 23:30 WIB, 00:30 WITA, 01:30 WIT
	for _, tc := range []struct {
		paid time.Time
		loc  *time.Location
		want string
	}{
		{newYearsEve, wib, "2027-01-06"},  // Thu 31 Dec → (Fri 1 Jan closed, weekend) Mon 4, Tue 5, Wed 6
		{newYearsEve, wita, "2027-01-06"}, // Fri 1 Jan (closed) → Mon 4, Tue 5, Wed 6
		{newYearsEve, wit, "2027-01-06"},
		{time.Date(2026, 12, 31, 9, 0, 0, 0, wib), wib, "2027-01-06"},
		{time.Date(2026, 12, 30, 23, 30, 0, 0, wib), wib, "2027-01-05"},       // Wed 30 → Thu 31, Mon 4, Tue 5
		{time.Date(2026, 12, 30, 16, 30, 0, 0, time.UTC), wib, "2027-01-05"},  // 23:30 WIB: still the 30th
		{time.Date(2026, 12, 30, 16, 30, 0, 0, time.UTC), wita, "2027-01-06"}, // 00:30 WITA: the 31st
		{time.Date(2026, 11, 27, 15, 0, 0, 0, wit), wit, "2026-12-02"},        // Fri → Mon, Tue, Wed (month end)
		{time.Date(2026, 11, 28, 10, 0, 0, 0, wita), wita, "2026-12-02"},      // a Saturday counts from Monday
		{time.Date(2026, 12, 23, 10, 0, 0, 0, wib), wib, "2026-12-30"},        // across cuti bersama and Christmas
	} {
		got, err := PromisedDate(cal, tc.paid, tc.loc, 3)
		if err != nil || got != tc.want {
			t.Errorf("paid %s in %s: %s %v, want %s", tc.paid.In(tc.loc).Format(time.RFC3339), tc.loc, got, err, tc.want)
		}
	}
	o := Office{Location: wita, Closes: 16 * 60}
	d, err := o.Deadline("2027-01-06")
	if err != nil || !d.Equal(time.Date(2027, 1, 6, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("deadline %v %v", d, err)
	}
	if _, err := o.Deadline("6 Jan"); err == nil {
		t.Error("bad date")
	}
}

func TestTakeCategory(t *testing.T) {
	if c, err := ParseTakeCategory(""); c != TakeOther || err != nil {
		t.Error("empty is other")
	}
	if _, err := ParseTakeCategory("bribe"); ErrorCode(err) != EINVALID {
		t.Error("unknown category accepted")
	}
	if _, err := ParseStage("lunch"); ErrorCode(err) != EINVALID {
		t.Error("unknown stage accepted")
	}
}
