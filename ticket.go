package antre

import (
	"fmt"
	"strconv"
	"time"
)

// Status is where a ticket stands. A ticket is issued waiting; an officer calls it to a counter,
// serves it and finishes it. A called applicant who does not come is a no-show and may be
// reactivated within the late-arrival window. Done and cancelled are final.
type Status string

// The ticket states.
const (
	StatusWaiting   Status = "waiting"
	StatusCalled    Status = "called"
	StatusServing   Status = "serving"
	StatusDone      Status = "done"
	StatusNoShow    Status = "no_show"
	StatusCancelled Status = "cancelled"
)

// Action is something an officer, kiosk or the hub does to a ticket.
type Action string

// The ticket actions. Each is allowed only from the states listed in transitions.
const (
	ActCall       Action = "call"
	ActRecall     Action = "recall"
	ActStart      Action = "start"
	ActFinish     Action = "finish"
	ActNoShow     Action = "no_show"
	ActReactivate Action = "reactivate"
	ActTransfer   Action = "transfer"
	ActCancel     Action = "cancel"
)

// transitions is the whole state machine: the states each action may start from, and the state
// it leads to. Finishing straight from called is allowed (short services need no "start").
var transitions = map[Action]struct {
	from []Status
	to   Status
}{
	ActCall:       {[]Status{StatusWaiting}, StatusCalled},
	ActRecall:     {[]Status{StatusCalled}, StatusCalled},
	ActStart:      {[]Status{StatusCalled}, StatusServing},
	ActFinish:     {[]Status{StatusCalled, StatusServing}, StatusDone},
	ActNoShow:     {[]Status{StatusCalled}, StatusNoShow},
	ActReactivate: {[]Status{StatusNoShow}, StatusWaiting},
	ActTransfer:   {[]Status{StatusWaiting, StatusCalled, StatusServing}, StatusWaiting},
	ActCancel:     {[]Status{StatusWaiting, StatusCalled, StatusServing, StatusNoShow}, StatusCancelled},
}

// Next returns the state that action a leads to from s, or a conflict error naming both when the
// state machine does not allow it.
func (s Status) Next(a Action) (Status, error) {
	t, ok := transitions[a]
	if !ok {
		return "", Errorf(EINVALID, MsgBadAction, "unknown action %q", a)
	}
	for _, f := range t.from {
		if f == s {
			return t.to, nil
		}
	}
	return "", Errorf(ECONFLICT, MsgBadState, "action %s not allowed from status %s", a, s)
}

// Category is a dispensation category (seed 000: dispensation is limited and controlled).
// Applicants declare elderly, disabled, pregnant or toddler themselves at the kiosk; VIP and
// VVIP are granted only by an officer, with a reason, and every grant is recorded.
type Category string

// The dispensation categories. The empty category is an ordinary ticket.
const (
	CatNone     Category = ""
	CatElderly  Category = "elderly"
	CatDisabled Category = "disabled"
	CatPregnant Category = "pregnant"
	CatToddler  Category = "toddler"
	CatVIP      Category = "vip"
	CatVVIP     Category = "vvip"
)

// Categories lists every dispensation category in display order.
var Categories = []Category{CatElderly, CatDisabled, CatPregnant, CatToddler, CatVIP, CatVVIP}

// Valid reports whether c is a known category (or none).
func (c Category) Valid() bool {
	if c == CatNone {
		return true
	}
	for _, x := range Categories {
		if x == c {
			return true
		}
	}
	return false
}

// Name is the category's name for applicants in lang ("en" or Indonesian): "Lansia".
func (c Category) Name(lang string) string { return T(lang, MsgKey("category."+string(c))) }

// SelfDeclared reports whether an applicant may declare c at the kiosk without an officer.
func (c Category) SelfDeclared() bool {
	return c == CatElderly || c == CatDisabled || c == CatPregnant || c == CatToddler
}

// Ticket is one queue number: it serves one application and is valid at every booth. Its code is
// the group prefix and three digits, unique per office, group and business date. Order starts at
// IssuedAt and is kept through transfers and reactivation.
type Ticket struct {
	ID           int64     `json:"id"`
	Office       string    `json:"office"`
	BusinessDate string    `json:"business_date"`
	Code         string    `json:"code"`
	Group        string    `json:"group"`
	Number       int       `json:"number"`
	Pool         Pool      `json:"pool"`
	Category     Category  `json:"category,omitempty"`
	Status       Status    `json:"status"`
	IssuedAt     time.Time `json:"issued_at"`
	// QueueGroup is the group whose queue the ticket waits in; it starts as Group and changes
	// on a transfer to another group.
	QueueGroup string `json:"queue_group"`
	// TargetCounter, when set, reserves a waiting ticket for one counter (a transfer to a counter).
	TargetCounter int        `json:"target_counter,omitempty"`
	Counter       int        `json:"counter,omitempty"`
	CalledAt      *time.Time `json:"called_at,omitempty"`
	StartedAt     *time.Time `json:"started_at,omitempty"`
	FinishedAt    *time.Time `json:"finished_at,omitempty"`
	NoShowAt      *time.Time `json:"no_show_at,omitempty"`
	Recalls       int        `json:"recalls"`
	// CalledBy is the officer who called the ticket last.
	CalledBy string `json:"called_by,omitempty"`
	// PrintState is "", "printed" or "failed" for kiosk tickets; a failed print can be reprinted
	// or cancelled, so that no number silently disappears.
	PrintState string `json:"print_state,omitempty"`
	// IssuedBy is the kiosk device or officer that issued the ticket; a reprint goes to that kiosk.
	IssuedBy string `json:"issued_by,omitempty"`
	Phone    string `json:"-"`
}

// Priority reports whether the ticket is in the priority class for calling.
func (t Ticket) Priority() bool { return t.Category != CatNone }

// PriorityMark is the mark a priority ticket carries in lang, "PRIORITAS – Lansia"; a ticket
// known only to be in the priority pool gets the plain word, an ordinary ticket none.
func (t Ticket) PriorityMark(lang string) string {
	if t.Category == CatNone && t.Pool != PoolPriority {
		return ""
	}
	word := T(lang, "ticket.priority")
	if t.Category == CatNone {
		return word
	}
	return word + " – " + t.Category.Name(lang)
}

// FormatCode builds a ticket code from a prefix and number: A + 1 → "A001".
func FormatCode(prefix string, n int) string {
	return fmt.Sprintf("%s%03d", prefix, n)
}

// ParseCode splits a ticket code into its prefix and number; it accepts lower case.
func ParseCode(code string) (prefix string, n int, err error) {
	if len(code) != 4 {
		return "", 0, Errorf(EINVALID, MsgBadCode, "ticket code %q must be a letter and three digits", code)
	}
	p := code[0]
	if p >= 'a' && p <= 'z' {
		p -= 'a' - 'A'
	}
	n, err = strconv.Atoi(code[1:])
	if p < 'A' || p > 'Z' || err != nil || n < 1 || code[1] == '+' || code[1] == '-' {
		return "", 0, Errorf(EINVALID, MsgBadCode, "ticket code %q must be a letter and three digits", code)
	}
	return string(p), n, nil
}

// Grant is one recorded dispensation: which ticket got which category, from whom and why, so
// that every priority call can be accounted for.
type Grant struct {
	Ticket    string   `json:"ticket"`
	Category  Category `json:"category"`
	GrantedBy string   `json:"granted_by"`
	Reason    string   `json:"reason"`
	At        int64    `json:"at"`
}
