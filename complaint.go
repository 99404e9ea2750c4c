package antre

import "strings"

// ComplaintStatus is where a complaint stands on its way to closure (KEPMENPAN 148/2003, the
// general guideline for handling public complaints): received, taken under review by an
// officer who then holds it, answered (the answer goes back through the channel it came from),
// and closed; or rejected, with a reason that goes back the same way. Closed and rejected are
// final.
type ComplaintStatus string

// The complaint states.
const (
	ComplaintReceived    ComplaintStatus = "received"
	ComplaintUnderReview ComplaintStatus = "under_review"
	ComplaintAnswered    ComplaintStatus = "answered"
	ComplaintClosed      ComplaintStatus = "closed"
	ComplaintRejected    ComplaintStatus = "rejected"
)

// ComplaintStatuses lists the states in their order.
var ComplaintStatuses = []ComplaintStatus{ComplaintReceived, ComplaintUnderReview, ComplaintAnswered, ComplaintClosed, ComplaintRejected}

// Open reports whether a complaint in s still waits for the office: received or under review.
// Only an open complaint can be overdue.
func (s ComplaintStatus) Open() bool { return s == ComplaintReceived || s == ComplaintUnderReview }

// Name is the state's name for the complainant in lang.
func (s ComplaintStatus) Name(lang string) string {
	return T(lang, MsgKey("complaint.status."+string(s)))
}

// ComplaintAction is what an officer does to a complaint.
type ComplaintAction string

// The complaint actions; each is allowed only from the states listed in complaintTransitions.
const (
	ComplaintTake   ComplaintAction = "take"   // review it and hold it
	ComplaintAnswer ComplaintAction = "answer" // answer it (an answer is required)
	ComplaintReject ComplaintAction = "reject" // refuse it (a reason is required)
	ComplaintClose  ComplaintAction = "close"  // close an answered complaint
)

// complaintTransitions is the whole state machine of a complaint: the states each action may
// start from and the state it leads to. An answer comes only from review, so every answer has
// an officer who held the complaint.
var complaintTransitions = map[ComplaintAction]struct {
	from []ComplaintStatus
	to   ComplaintStatus
}{
	ComplaintTake:   {[]ComplaintStatus{ComplaintReceived}, ComplaintUnderReview},
	ComplaintAnswer: {[]ComplaintStatus{ComplaintUnderReview}, ComplaintAnswered},
	ComplaintReject: {[]ComplaintStatus{ComplaintReceived, ComplaintUnderReview}, ComplaintRejected},
	ComplaintClose:  {[]ComplaintStatus{ComplaintAnswered}, ComplaintClosed},
}

// Next returns the state action a leads to from s, or a conflict error naming both.
func (s ComplaintStatus) Next(a ComplaintAction) (ComplaintStatus, error) {
	t, ok := complaintTransitions[a]
	if !ok {
		return "", Errorf(EINVALID, MsgBadAction, "unknown complaint action %q", a)
	}
	for _, f := range t.from {
		if f == s {
			return t.to, nil
		}
	}
	return "", Errorf(ECONFLICT, MsgComplaintState, "complaint action %s not allowed from %s", a, s).WithArgs(Text{s.Name("id"), s.Name("en")})
}

// ComplaintChannel is how a complaint reached the office: an SMS (ADUAN <text>), the web form
// (the phone page or the information kiosk), the complaints desk (an officer records it) or
// the suggestion box (an officer transcribes it). The answer goes back the way it came: by
// SMS to the sender's number, and to anyone who looks the complaint up by its number.
type ComplaintChannel string

// The channels.
const (
	ChannelSMS  ComplaintChannel = "sms"
	ChannelWeb  ComplaintChannel = "web"
	ChannelDesk ComplaintChannel = "desk"
	ChannelBox  ComplaintChannel = "box"
)

// ComplaintChannels lists the channels.
var ComplaintChannels = []ComplaintChannel{ChannelSMS, ChannelWeb, ChannelDesk, ChannelBox}

// Valid reports whether c is a channel.
func (c ComplaintChannel) Valid() bool {
	for _, x := range ComplaintChannels {
		if x == c {
			return true
		}
	}
	return false
}

// ComplaintCategory is what a complaint is about. A complaint that arrives without one (an
// SMS) is "other" until the officer who reviews it says otherwise.
type ComplaintCategory string

// The complaint categories, after the service standard's parts and the office's known
// problems (brokers, fees asked outside the PNBP).
const (
	ComplaintProcedure   ComplaintCategory = "procedure"   // requirements and procedure
	ComplaintTime        ComplaintCategory = "time"        // waiting and completion time
	ComplaintFee         ComplaintCategory = "fee"         // fees, charges outside the PNBP
	ComplaintConduct     ComplaintCategory = "conduct"     // an officer's behaviour
	ComplaintBroker      ComplaintCategory = "broker"      // calo: brokers, bought places
	ComplaintFacilities  ComplaintCategory = "facilities"  // the building, seats, toilets, parking
	ComplaintInformation ComplaintCategory = "information" // unclear or wrong information
	ComplaintOther       ComplaintCategory = "other"
)

// ComplaintCategories lists the categories in display order.
var ComplaintCategories = []ComplaintCategory{ComplaintProcedure, ComplaintTime, ComplaintFee, ComplaintConduct,
	ComplaintBroker, ComplaintFacilities, ComplaintInformation, ComplaintOther}

// Valid reports whether c is a category.
func (c ComplaintCategory) Valid() bool {
	for _, x := range ComplaintCategories {
		if x == c {
			return true
		}
	}
	return false
}

// Name is the category's name in lang.
func (c ComplaintCategory) Name(lang string) string {
	return T(lang, MsgKey("complaint.category."+string(c)))
}

// ComplaintAlphabet is what a complaint number is made of after its "ADU" prefix: digits and
// capital letters without 0, 1, I, L, O and U, which are misread on paper and over the phone.
const ComplaintAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// complaintDigits is how many characters of ComplaintAlphabet a number has: 30^8 ≈ 6.6 × 10^11
// numbers, so a number cannot be guessed from another and serves as the complainant's key to
// the answer.
const complaintDigits = 8

// FormatComplaintNumber builds a complaint number from random bytes (at least eight): ADU-
// and two groups of four characters, "ADU-7KQ3-XM9P".
func FormatComplaintNumber(random []byte) string {
	var b strings.Builder
	b.WriteString("ADU-")
	for i := 0; i < complaintDigits; i++ {
		if i == 4 {
			b.WriteByte('-')
		}
		b.WriteByte(ComplaintAlphabet[int(random[i])%len(ComplaintAlphabet)])
	}
	return b.String()
}

// ParseComplaintNumber reads a complaint number as people write or scan it (any case, with or
// without dashes and spaces, with or without the ADU prefix) and returns it in its printed
// form; anything else is invalid.
func ParseComplaintNumber(s string) (string, error) {
	c := strings.ToUpper(strings.NewReplacer("-", "", " ", "", ".", "").Replace(strings.TrimSpace(s)))
	c = strings.TrimPrefix(c, "ADU")
	bad := Errorf(EINVALID, MsgComplaintNumber, "complaint number %q", truncateText(s, 32))
	if len(c) != complaintDigits {
		return "", bad
	}
	for _, r := range c {
		if !strings.ContainsRune(ComplaintAlphabet, r) {
			return "", bad
		}
	}
	return "ADU-" + c[:4] + "-" + c[4:], nil
}

// truncateText cuts s to at most n bytes on a character boundary, for causes in logs.
func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
