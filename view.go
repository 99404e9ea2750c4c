package antre

import (
	"strings"
	"time"
)

// TicketView is what anyone may learn about a ticket from its code: its state and place in the
// queue, never the applicant's phone number or other personal data.
type TicketView struct {
	Code     string    `json:"code"`
	Group    string    `json:"group"`
	Status   Status    `json:"status"`
	Priority bool      `json:"priority"`
	IssuedAt time.Time `json:"issued_at"`
	// Ahead is how many tickets are called before this one if nothing changes (waiting only).
	Ahead int `json:"ahead"`
	// Position is the ticket's place in line while it waits (1: called next), 0 otherwise.
	Position int `json:"position"`
	// EstimatedWait is Ahead times today's mean service time of the group's counters.
	EstimatedWait time.Duration `json:"-"`
	// EstimatedWaitMinutes is EstimatedWait in whole minutes, for JSON clients.
	EstimatedWaitMinutes int `json:"estimated_wait_minutes"`
	Counter              int `json:"counter,omitempty"`
}

// GroupQuota is a group's quota state for one business date: the day's quota per pool, what has
// been issued, what remains, and how many wait now.
type GroupQuota struct {
	Group     string `json:"group"`
	NameID    string `json:"name_id"`
	NameEN    string `json:"name_en"`
	Quota     Quota  `json:"quota"`
	Used      Quota  `json:"used"`
	Remaining Quota  `json:"remaining"`
	Waiting   int    `json:"waiting"`
}

// NormalizePhone turns an Indonesian mobile number as people write it (0812-3456-789,
// +62 812 3456 789, 62812…) into international form without the plus: 628123456789. Numbers
// must start with 08 / 628 / +628 and have 9 to 13 digits after the country code.
func NormalizePhone(s string) (string, error) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0, r == ' ', r == '-', r == '.', r == '(', r == ')':
		default:
			return "", Errorf(EINVALID, MsgBadPhone, "phone %s has a character other than digits", MaskPhone(s))
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(d, "08"):
		d = "62" + d[1:]
	case strings.HasPrefix(d, "628"):
	default:
		return "", Errorf(EINVALID, MsgBadPhone, "phone %s is not an Indonesian mobile number", MaskPhone(s))
	}
	if n := len(d) - 2; n < 9 || n > 13 {
		return "", Errorf(EINVALID, MsgBadPhone, "phone %s has %d digits after the country code", MaskPhone(s), n)
	}
	return d, nil
}

// IssuedTicket is the hub's answer to an issue: the new ticket and everything its print needs
// (people ahead, estimated wait, arrival period, the public status URL of its QR code and the
// group's names). The ticket's phone number is never part of it.
type IssuedTicket struct {
	Ticket
	Ahead                int    `json:"ahead"`
	EstimatedWaitMinutes int    `json:"estimated_wait_minutes"`
	ArrivalPeriod        string `json:"arrival_period,omitempty"`
	StatusURL            string `json:"status_url"`
	GroupName            string `json:"group_name"`
	GroupNameEN          string `json:"group_name_en"`
}
