package antre

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Stage is a step of the passport workflow behind the queue (seed 001, "Tahapan Pelayanan Paspor
// One Stop Service"): the OSS desk (intake), biometrics, adjudication (cekal and duplicate checks,
// early, so a refused applicant has not paid for nothing), payment of the PNBP fee, printing and
// lamination with a quality check, approval by the head of office, and pickup. An application
// file (berkas) is at exactly one stage at a time and moves forward one stage per passed step.
type Stage string

// The stages, in the order a file passes them.
const (
	StageIntake       Stage = "intake"
	StageBiometrics   Stage = "biometrics"
	StageAdjudication Stage = "adjudication"
	StagePayment      Stage = "payment"
	StagePrinting     Stage = "printing"
	StageApproval     Stage = "approval"
	StagePickup       Stage = "pickup"
)

// Stages lists every stage in workflow order.
var Stages = []Stage{StageIntake, StageBiometrics, StageAdjudication, StagePayment, StagePrinting, StageApproval, StagePickup}

// stageRoles is who works each stage: its own role, and for approval also the head of office.
var stageRoles = map[Stage][]Role{
	StageIntake:       {RoleOSS},
	StageBiometrics:   {RoleBiometric},
	StageAdjudication: {RoleAdjudicator},
	StagePayment:      {RoleCashier},
	StagePrinting:     {RolePrinting},
	StageApproval:     {RoleApprover, RoleHead},
	StagePickup:       {RolePickup},
}

// ParseStage reads a stage name; an unknown one is an invalid error.
func ParseStage(s string) (Stage, error) {
	st := Stage(s)
	if _, ok := stageRoles[st]; !ok {
		return "", Errorf(EINVALID, MsgBadStage, "unknown stage %q", s)
	}
	return st, nil
}

// Roles are the roles whose officers work the stage: only they take its files and finish its
// work. The generic officer and the admin work none.
func (s Stage) Roles() []Role { return stageRoles[s] }

// WorkedBy reports whether role r works stage s.
func (s Stage) WorkedBy(r Role) bool { return slices.Contains(stageRoles[s], r) }

// Ordered reports whether the stage's files are taken strictly in file order (rule 9), so that
// taking a later file first needs a recorded reason. Pickup is not: the applicant's presence
// decides, and the hub's pickup (E) tickets already keep that order.
func (s Stage) Ordered() bool { return s != StagePickup }

// FileStatus says where a file stands within its stage. A file with status open is worked
// normally; the others are the failure paths (seed 001: cekal hit, biometric verification
// failure, lost passport) and the final states. Whether an officer holds the file is separate
// (a file is taken from its stage's worklist and released or finished by the holder).
type FileStatus string

// The file statuses.
const (
	// FileOpen: the stage's normal work (at pickup: the passport is ready).
	FileOpen FileStatus = "open"
	// FileBAPRequired: a lost or damaged passport (group C); a BAP record is required before
	// the file can leave intake.
	FileBAPRequired FileStatus = "bap_required"
	// FileRetake: biometric verification failed; the applicant's biometrics are taken again.
	FileRetake FileStatus = "retake"
	// FileBiometricReview: verification failed after every allowed retake; the adjudicator
	// decides.
	FileBiometricReview FileStatus = "biometric_review"
	// FileDuplicateReview: the duplicate or biometric matching found another passport or
	// identity; the adjudicator decides.
	FileDuplicateReview FileStatus = "duplicate_review"
	// FileHeld: the cekal check hit; the file is held and referred to enforcement (Wasdakim)
	// for a BAP.
	FileHeld FileStatus = "held"
	// FileAwaitingDecision: Wasdakim's BAP is recorded; a section head decides (cleared: back
	// to adjudication; refused: closed, no payment taken).
	FileAwaitingDecision FileStatus = "awaiting_decision"
	// FilePickedUp: the passport was handed over after the face check. Final.
	FilePickedUp FileStatus = "picked_up"
	// FileRefused: the adjudicator or the section head refused the application. Final.
	FileRefused FileStatus = "refused"
	// FileReturned: the OSS desk returned the file (documents incomplete). Final.
	FileReturned FileStatus = "returned"
)

// FileState is a file's stage and status together: the state of the workflow's state machine.
type FileState struct {
	Stage  Stage      `json:"stage"`
	Status FileStatus `json:"status"`
}

// String is the state as logs and errors write it: "adjudication/held".
func (s FileState) String() string { return string(s.Stage) + "/" + string(s.Status) }

// Final reports whether nothing more happens to the file.
func (s FileState) Final() bool {
	return s.Status == FilePickedUp || s.Status == FileRefused || s.Status == FileReturned
}

// Workable reports whether an officer of the stage may take the file from the stage's worklist
// when nobody holds it: normal work, a retake, or a review waiting for the adjudicator. A held
// file waits for enforcement, and a file needing a BAP stays with the OSS officer who opened it.
func (s FileState) Workable() bool {
	switch s.Status {
	case FileOpen, FileRetake, FileBiometricReview, FileDuplicateReview:
		return true
	}
	return false
}

// Step is something that happens to a file: an officer finishes a stage's work (pass or fail),
// records a BAP, an outside check answers, a section head decides.
type Step string

// The steps. Each is allowed only from the states listed in fileSteps.
const (
	StepPass           Step = "pass"            // the stage's work is done: the file moves on
	StepFail           Step = "fail"            // the stage's work failed (a reason is required)
	StepRecordBAP      Step = "record_bap"      // the lost/damaged passport's BAP is recorded at intake
	StepCekalHit       Step = "cekal_hit"       // the cekal check hit: held for enforcement
	StepDuplicate      Step = "duplicate_found" // duplicate or biometric matching found another record
	StepEnforcementBAP Step = "enforcement_bap" // Wasdakim's BAP on a cekal hit is recorded
	StepClear          Step = "clear"           // the section head clears a held file
	StepRefuse         Step = "refuse"          // the section head refuses a held file
)

// CheckKind is one of the outside checks adjudication needs, each answered by a system outside
// the office (seed 001: PUSDAKIM verifies biometrics and checks cekal).
type CheckKind string

// The checks: the cekal (travel ban / watch) list, duplicate passports, biometric (1:N)
// matching, and the national data centre's identity record.
const (
	CheckCekal     CheckKind = "cekal"
	CheckDuplicate CheckKind = "duplicate"
	CheckBiometric CheckKind = "biometric"
	CheckIdentity  CheckKind = "identity"
)

// CheckKinds lists every check adjudication needs.
var CheckKinds = []CheckKind{CheckCekal, CheckDuplicate, CheckBiometric, CheckIdentity}

// CheckResult is a check's answer. A check that did not answer (unreachable, timed out, a
// malformed answer) is pending, never clear: a file cannot pass adjudication on it.
type CheckResult string

// The check results.
const (
	CheckPending CheckResult = "pending"
	CheckClear   CheckResult = "clear"
	CheckHit     CheckResult = "hit"
)

// FileFacts are what the state machine needs to know besides the state: what the officer
// recorded and what the checks answered. The module gathers them; the rules live here.
type FileFacts struct {
	// Reason is the officer's reason: required for every fail and refusal and for passing a
	// file under review.
	Reason string
	// DocumentsComplete: every document of the kind's checklist was checked at intake.
	DocumentsComplete bool
	// CapturesComplete: photo, ten fingerprints and signature are captured.
	CapturesComplete bool
	// Checks are the latest answers of the outside checks; a missing kind is pending.
	Checks map[CheckKind]CheckResult
	// Receipt: the payment's receipt number is recorded.
	Receipt bool
	// Blank: a blank passport from the office's inventory is assigned to the file.
	Blank bool
	// QAComplete: every security feature of the quality checklist is checked.
	QAComplete bool
	// FaceChecked: the pickup officer confirmed the applicant's face.
	FaceChecked bool
	// Retakes is how many biometric verifications failed so far; MaxRetakes how many retakes
	// are allowed before the adjudicator decides.
	Retakes, MaxRetakes int
}

// checksClear returns an error unless every check in kinds answered clear: pending checks first
// (the file cannot pass on a check that did not answer), then hits.
func (f FileFacts) checksClear(kinds ...CheckKind) error {
	for _, k := range kinds {
		if r := f.Checks[k]; r == "" || r == CheckPending {
			return Errorf(ECONFLICT, MsgChecksPending, "check %s has not answered", k)
		}
	}
	for _, k := range kinds {
		if f.Checks[k] != CheckClear {
			return Errorf(ECONFLICT, MsgCheckHit, "check %s is %s", k, f.Checks[k])
		}
	}
	return nil
}

func (f FileFacts) needReason(s FileState, step Step) error {
	if len(f.Reason) == 0 {
		return Errorf(EINVALID, MsgNeedReason, "%s from %s needs a reason", step, s)
	}
	return nil
}

// rule is one allowed step from one state: the state it leads to, given the facts.
type rule func(s FileState, f FileFacts) (FileState, error)

// to leads to a fixed state without conditions.
func to(stage Stage, status FileStatus) rule {
	return func(FileState, FileFacts) (FileState, error) { return FileState{stage, status}, nil }
}

// fileSteps is the whole state machine: for each state, the steps allowed from it and where
// they lead. A step not listed for a state is refused with a conflict and changes nothing.
var fileSteps = map[FileState]map[Step]rule{
	{StageIntake, FileOpen}: {
		StepPass: func(s FileState, f FileFacts) (FileState, error) {
			if !f.DocumentsComplete {
				return s, Errorf(EINVALID, MsgNeedDocuments, "intake: documents incomplete")
			}
			return FileState{StageBiometrics, FileOpen}, nil
		},
		StepFail: reasoned(StageIntake, FileReturned),
	},
	{StageIntake, FileBAPRequired}: {
		StepRecordBAP: to(StageIntake, FileOpen),
		StepFail:      reasoned(StageIntake, FileReturned),
	},
	{StageBiometrics, FileOpen}:   biometricSteps,
	{StageBiometrics, FileRetake}: biometricSteps,
	{StageAdjudication, FileOpen}: {
		StepPass: func(s FileState, f FileFacts) (FileState, error) {
			if err := f.checksClear(CheckKinds...); err != nil {
				return s, err
			}
			return FileState{StagePayment, FileOpen}, nil
		},
		StepFail:      reasoned(StageAdjudication, FileRefused),
		StepCekalHit:  to(StageAdjudication, FileHeld),
		StepDuplicate: to(StageAdjudication, FileDuplicateReview),
	},
	{StageAdjudication, FileBiometricReview}: {
		StepPass: func(s FileState, f FileFacts) (FileState, error) {
			if err := f.needReason(s, StepPass); err != nil {
				return s, err
			}
			if err := f.checksClear(CheckKinds...); err != nil {
				return s, err
			}
			return FileState{StagePayment, FileOpen}, nil
		},
		StepFail:     reasoned(StageAdjudication, FileRefused),
		StepCekalHit: to(StageAdjudication, FileHeld),
	},
	{StageAdjudication, FileDuplicateReview}: {
		// The adjudicator's decision overrides the duplicate and biometric matches, with a
		// reason; cekal and identity must still be clear.
		StepPass: func(s FileState, f FileFacts) (FileState, error) {
			if err := f.needReason(s, StepPass); err != nil {
				return s, err
			}
			if err := f.checksClear(CheckCekal, CheckIdentity); err != nil {
				return s, err
			}
			return FileState{StagePayment, FileOpen}, nil
		},
		StepFail:     reasoned(StageAdjudication, FileRefused),
		StepCekalHit: to(StageAdjudication, FileHeld),
	},
	{StageAdjudication, FileHeld}: {
		StepEnforcementBAP: to(StageAdjudication, FileAwaitingDecision),
	},
	{StageAdjudication, FileAwaitingDecision}: {
		StepClear:  reasoned(StageAdjudication, FileOpen),
		StepRefuse: reasoned(StageAdjudication, FileRefused),
	},
	{StagePayment, FileOpen}: {
		StepPass: func(s FileState, f FileFacts) (FileState, error) {
			if !f.Receipt {
				return s, Errorf(EINVALID, MsgNeedReceipt, "payment without a receipt number")
			}
			return FileState{StagePrinting, FileOpen}, nil
		},
	},
	{StagePrinting, FileOpen}: {
		StepPass: func(s FileState, f FileFacts) (FileState, error) {
			if !f.Blank {
				return s, Errorf(EINVALID, MsgNeedBlank, "printing without a blank passport")
			}
			if !f.QAComplete {
				return s, Errorf(EINVALID, MsgNeedQA, "printing: quality check incomplete")
			}
			return FileState{StageApproval, FileOpen}, nil
		},
		// A spoiled print: the blank is recorded as spoiled and the file is printed again.
		StepFail: reasoned(StagePrinting, FileOpen),
	},
	{StageApproval, FileOpen}: {
		StepPass: to(StagePickup, FileOpen),
		// Not approved: the printed passport is spoiled and printed again.
		StepFail: reasoned(StagePrinting, FileOpen),
	},
	{StagePickup, FileOpen}: {
		StepPass: func(s FileState, f FileFacts) (FileState, error) {
			if !f.FaceChecked {
				return s, Errorf(EINVALID, MsgNeedFaceCheck, "pickup without a face check")
			}
			return FileState{StagePickup, FilePickedUp}, nil
		},
		// The face check failed: nothing is handed over, the passport stays ready.
		StepFail: reasoned(StagePickup, FileOpen),
	},
}

// biometricSteps are the steps of a file at biometrics, first time or retake: a failed
// verification is retaken up to MaxRetakes times, then referred to the adjudicator.
var biometricSteps = map[Step]rule{
	StepPass: func(s FileState, f FileFacts) (FileState, error) {
		if !f.CapturesComplete {
			return s, Errorf(EINVALID, MsgNeedCaptures, "biometrics: captures incomplete")
		}
		return FileState{StageAdjudication, FileOpen}, nil
	},
	StepFail: func(s FileState, f FileFacts) (FileState, error) {
		if err := f.needReason(s, StepFail); err != nil {
			return s, err
		}
		if f.Retakes < f.MaxRetakes {
			return FileState{StageBiometrics, FileRetake}, nil
		}
		return FileState{StageAdjudication, FileBiometricReview}, nil
	},
}

// reasoned leads to a fixed state once a reason is given.
func reasoned(stage Stage, status FileStatus) rule {
	return func(s FileState, f FileFacts) (FileState, error) {
		if len(f.Reason) == 0 {
			return s, Errorf(EINVALID, MsgNeedReason, "%s/%s needs a reason", stage, status)
		}
		return FileState{stage, status}, nil
	}
}

// Next returns the state step leads to from s given the facts, or an error that names what is
// missing: a conflict when the state does not allow the step (a final file, a held file, payment
// that fails), an invalid error when the officer has not recorded what the step needs (a
// reason, the documents, the captures, a receipt, a blank, the quality check, the face check),
// a conflict when an outside check is pending or hit. s is never changed: a refused step
// changes nothing.
func (s FileState) Next(step Step, f FileFacts) (FileState, error) {
	r, ok := fileSteps[s][step]
	if !ok {
		if s.Final() {
			return s, Errorf(ECONFLICT, MsgFileClosed, "file is %s: no %s", s, step)
		}
		return s, Errorf(ECONFLICT, MsgFileState, "%s not allowed from %s", step, s)
	}
	return r(s, f)
}

// stepRoles is who may take each step that is not a stage's own pass or fail.
var stepRoles = map[Step][]Role{
	StepRecordBAP:      {RoleOSS},
	StepCekalHit:       {RoleAdjudicator},
	StepDuplicate:      {RoleAdjudicator},
	StepEnforcementBAP: {RoleAdjudicator, RoleHead},
	StepClear:          {RoleHead},
	StepRefuse:         {RoleHead},
}

// MayTake reports whether role r may take step on a file in state s: pass and fail belong to the
// officers of the file's stage; a lost passport's BAP to the OSS desk; the outside checks'
// answers to the adjudicator; Wasdakim's BAP to the adjudicator or the head; the decision on a
// held file to the head (the section head acting for the office).
func (s FileState) MayTake(step Step, r Role) bool {
	if step == StepPass || step == StepFail {
		return s.Stage.WorkedBy(r)
	}
	return slices.Contains(stepRoles[step], r)
}

// ApplicationKind is what an application asks for; it decides the documents checklist and the
// PNBP fee, and whether a BAP is needed before the file leaves intake.
type ApplicationKind string

// The application kinds (seed 001's service groups A, B, C and F; group D handles any kind for
// applicants who need special handling; group E is pickup and opens no application).
const (
	KindNew         ApplicationKind = "new"
	KindReplacement ApplicationKind = "replacement"
	KindLost        ApplicationKind = "lost"
	KindDamaged     ApplicationKind = "damaged"
	KindChange      ApplicationKind = "change"
)

// Kinds lists every application kind.
var Kinds = []ApplicationKind{KindNew, KindReplacement, KindLost, KindDamaged, KindChange}

// Valid reports whether k is a known kind.
func (k ApplicationKind) Valid() bool { return slices.Contains(Kinds, k) }

// NeedsBAP reports whether a file of kind k needs a BAP before it leaves intake: a lost or
// damaged passport.
func (k ApplicationKind) NeedsBAP() bool { return k == KindLost || k == KindDamaged }

// groupKinds maps the default service groups to the kinds their tickets may open, the first
// being the default.
var groupKinds = map[string][]ApplicationKind{
	"A": {KindNew},
	"B": {KindReplacement},
	"C": {KindLost, KindDamaged},
	"D": {KindNew, KindReplacement, KindLost, KindDamaged, KindChange},
	"F": {KindChange},
}

// KindForGroup returns the kind of an application opened from a ticket of group: want when it is
// allowed for the group, the group's default when want is empty. Pickup tickets (E) and unknown
// groups open no application.
func KindForGroup(group string, want ApplicationKind) (ApplicationKind, error) {
	ks, ok := groupKinds[group]
	if !ok {
		return "", Errorf(EINVALID, MsgGroupNoApplication, "group %q opens no application", group)
	}
	if want == "" {
		return ks[0], nil
	}
	if !slices.Contains(ks, want) {
		return "", Errorf(EINVALID, MsgBadKind, "kind %q is not served by group %s", want, group)
	}
	return want, nil
}

// FormatApplicationNumber builds an application number from the office-local year and the
// office's sequence in that year: 2026 and 42 give "2026000042". It is digits only, so it reads
// the same on a receipt, in a Code 128 barcode, typed by a scanner and in an SMS.
func FormatApplicationNumber(year, seq int) string {
	return fmt.Sprintf("%04d%06d", year, seq)
}

// MaxApplicationsPerYear is the last sequence number of a year.
const MaxApplicationsPerYear = 999999

// ParseApplicationNumber checks an application number's form (ten digits: a year and a
// sequence from 1); it says nothing about whether the application exists.
func ParseApplicationNumber(s string) (string, error) {
	if len(s) != 10 {
		return "", Errorf(EINVALID, MsgBadApplicationNo, "application number %q must have 10 digits", s)
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return "", Errorf(EINVALID, MsgBadApplicationNo, "application number %q must be digits", s)
		}
	}
	if seq, _ := strconv.Atoi(s[4:]); seq == 0 {
		return "", Errorf(EINVALID, MsgBadApplicationNo, "application number %q has sequence 0", s)
	}
	return s, nil
}

// PromisedDate is the completion date promised for a file paid at paid: n working days after
// the payment's business date in the office's time zone loc (WIB, WITA, WIT), skipping the
// calendar's closed weekdays and holidays. The payment's own day does not count.
func PromisedDate(c Calendar, paid time.Time, loc *time.Location, n int) (string, error) {
	return c.AddWorkingDays(paid.In(loc).Format(time.DateOnly), n)
}

// Deadline is the instant a promise for date runs out: the office's closing time that day in
// its time zone.
func (o Office) Deadline(date string) (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, date, o.Location)
	if err != nil {
		return time.Time{}, fmt.Errorf("deadline: %q is not a date", date)
	}
	return d.Add(time.Duration(o.Closes) * time.Minute), nil
}

// TakeCategory is the public category of the reason an officer gave for taking a file out of
// order: the transparency view shows the category, never the free text.
type TakeCategory string

// The categories of out-of-order takes.
const (
	TakeUrgentTravel TakeCategory = "urgent_travel" // documented urgent travel (medical, hajj/umrah, work)
	TakeSpecialNeeds TakeCategory = "special_needs" // elderly, disabled, pregnant, toddler
	TakeEarlierStuck TakeCategory = "earlier_stuck" // the earlier file waits on the applicant or a document
	TakeEquipment    TakeCategory = "equipment"     // equipment or system trouble at this desk
	TakeOther        TakeCategory = "other"
)

// TakeCategories lists every category.
var TakeCategories = []TakeCategory{TakeUrgentTravel, TakeSpecialNeeds, TakeEarlierStuck, TakeEquipment, TakeOther}

// ParseTakeCategory reads a category; empty is other.
func ParseTakeCategory(s string) (TakeCategory, error) {
	if s == "" {
		return TakeOther, nil
	}
	c := TakeCategory(s)
	if !slices.Contains(TakeCategories, c) {
		return "", Errorf(EINVALID, MsgBadRequest, "take category %q", s).WithArgs("category")
	}
	return c, nil
}

// SeesIdentity reports whether role r may see an applicant's NIK, name, birth data and phone
// in full: the officers who check identity or produce the passport (OSS, biometrics,
// adjudication, printing, approval, pickup) and the head. A cashier, a counter officer and an
// admin see them masked.
func SeesIdentity(r Role) bool {
	switch r {
	case RoleOSS, RoleBiometric, RoleAdjudicator, RolePrinting, RoleApprover, RolePickup, RoleHead:
		return true
	}
	return false
}

// WorkflowRoles are the roles that work the passport workflow (its stages and the head).
var WorkflowRoles = []Role{RoleOSS, RoleBiometric, RoleAdjudicator, RoleCashier, RolePrinting, RoleApprover, RolePickup, RoleHead}
