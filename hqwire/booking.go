package hqwire

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"

	"antre"
)

// Online booking over the link. Headquarters owns a day's online quota until the day's cut-off
// and the office after it; headquarters tells the office what it needs, ahead of time, so that
// check-in at the office works with the WAN down:
//   - KindBookings: a Setting whose Data is a BookingsDay, the whole list of one business date's
//     bookings at the office as headquarters has it now (every change sends the day again; the
//     office replaces its copy of the day when the setting's ID is newer than the one it holds);
//   - KindOnlineHandover: a Setting whose Data is a Handover, sent once at the day's cut-off;
//   - the office reports a check-in and the day's no-shows as its own events (EvBookingCheckedIn,
//     EvBookingNoShow), shipped to headquarters with the rest of its log.

// The arrival periods of a business day (seed 000: arrivals spread over two periods).
const (
	// PeriodMorning is 08:00–12:00 office-local time.
	PeriodMorning = "08-12"
	// PeriodAfternoon is 12:00–16:00 office-local time.
	PeriodAfternoon = "12-16"
)

// Periods lists the arrival periods in the order of the day.
var Periods = []string{PeriodMorning, PeriodAfternoon}

// PeriodHours returns the first and the end hour (office-local) of period p, and whether p is a
// period.
func PeriodHours(p string) (from, to int, ok bool) {
	switch p {
	case PeriodMorning:
		return 8, 12, true
	case PeriodAfternoon:
		return 12, 16, true
	}
	return 0, 0, false
}

// The states of a booking as the office receives it.
const (
	// BookingActive may be checked in on its date.
	BookingActive = "active"
	// BookingCancelled was cancelled or moved to another day by its owner; it is refused.
	BookingCancelled = "cancelled"
)

// The events an office writes for bookings; they travel to headquarters like every event.
const (
	// EvBookingCheckedIn: a booking was checked in at the office and its ticket issued from the
	// online pool. Data: BookingEvent with Ticket set.
	EvBookingCheckedIn antre.EventType = "booking.checked_in"
	// EvBookingNoShow: a booking of the business date was not checked in by closing. Data:
	// BookingEvent.
	EvBookingNoShow antre.EventType = "booking.no_show"
)

// BookingEvent is the data of EvBookingCheckedIn and EvBookingNoShow. It carries no personal
// data: the booking code names the booking at headquarters, which holds the rest.
type BookingEvent struct {
	Booking string `json:"booking"`
	Date    string `json:"date"`
	Period  string `json:"period"`
	Group   string `json:"group"`
	// Ticket is the code of the ticket issued at check-in (EvBookingCheckedIn only).
	Ticket string `json:"ticket,omitempty"`
}

// BookingsDay is KindBookings' Data: one business date's bookings at one office.
type BookingsDay struct {
	Date     string        `json:"date"`
	Bookings []BookingSlot `json:"bookings"`
}

// BookingSlot is one booking as the office needs it for check-in, and no more: no NIK, no phone,
// the name masked (antre.MaskName).
type BookingSlot struct {
	// Booking is the booking's code, as printed in its QR code and typed at the kiosk.
	Booking string `json:"booking"`
	Period  string `json:"period"`
	Group   string `json:"group"`
	// State is BookingActive or BookingCancelled.
	State string `json:"state"`
	// NIKCheck is NIKCheck(Booking, the NIK's last 6 digits): the office checks the digits typed
	// at check-in against it without holding the NIK.
	NIKCheck string `json:"nik_check"`
	// Name is the applicant's name, masked.
	Name string `json:"name"`
}

// Handover is KindOnlineHandover's Data: at the cut-off, what each group of Date's online
// quota was booked; the rest goes to the office's walk-in pool. Applied once per date and group.
type Handover struct {
	Date   string          `json:"date"`
	Groups []HandoverGroup `json:"groups"`
}

// HandoverGroup is one group's part of a Handover: Booked online slots stay online, Unused
// ones move to walk-in.
type HandoverGroup struct {
	Group  string `json:"group"`
	Booked int    `json:"booked"`
	Unused int    `json:"unused"`
}

var bookingRE = regexp.MustCompile(`^[A-Z0-9]{8,16}$`)

// ValidBookingCode checks a booking code: 8 to 16 capital letters and digits.
func ValidBookingCode(code string) error {
	if !bookingRE.MatchString(code) {
		return fmt.Errorf("booking code %q: 8 to 16 capital letters and digits", code)
	}
	return nil
}

// NIKCheck is what the office holds to check a NIK's last 6 digits at check-in: the hex SHA-256
// of the booking code, a colon and the digits. It binds the digits to one booking, so a list of
// checks does not tell one booking's digits from another's.
func NIKCheck(booking, last6 string) string {
	s := sha256.Sum256([]byte(booking + ":" + last6))
	return hex.EncodeToString(s[:])
}
