package antre

import (
	"fmt"
	"strings"
	"time"
)

// Online booking of an arrival day (seed 001 rule 4: an online applicant chooses the day; the
// place in line starts when the number is taken at the office). Headquarters keeps the
// bookings; these are the rules it applies, without I/O.

// The catalogue keys of booking's refusals.
const (
	MsgBookingFull      MsgKey = "booking.full"
	MsgBookingClosedDay MsgKey = "booking.closed_day"
	MsgBookingNotOpen   MsgKey = "booking.not_open"
	MsgBookingCutOff    MsgKey = "booking.cut_off"
	MsgBookingPast      MsgKey = "booking.past"
	MsgBookingNIKTaken  MsgKey = "booking.nik_taken"
	MsgBookingPhone     MsgKey = "booking.phone_taken"
	MsgBookingCooling   MsgKey = "booking.cooling_off"
	MsgBookingBadCode   MsgKey = "booking.bad_code"
	MsgBookingExpired   MsgKey = "booking.code_expired"
	MsgBookingAttempts  MsgKey = "booking.attempts"
	MsgBookingUsedCode  MsgKey = "booking.code_used"
	MsgBookingMovedOnce MsgKey = "booking.moved_once"
	MsgBookingNotActive MsgKey = "booking.not_active"
	MsgBookingNoOnline  MsgKey = "booking.not_offered"
	MsgBookingPeriod    MsgKey = "booking.bad_period"
	MsgBookingName      MsgKey = "booking.bad_name"
)

// EBOOKINGFULL is the code of a refused booking because the chosen slot has no place left: a
// 409 whose answer names the next free days, never a server error.
const EBOOKINGFULL = "full"

// BookingPolicy is an office's rules for online booking. Dates are office-local; times of day
// are office-local "HH:MM".
type BookingPolicy struct {
	// SharePercent is the online share of each group's daily quota (20): the share, rounded
	// down, is what applicants may book; the rest is the office's walk-in and priority quota.
	SharePercent int `json:"share_percent"`
	// HorizonDays and OpensAt: a date opens for booking HorizonDays calendar days before it at
	// OpensAt (14 days, 07:00).
	HorizonDays int    `json:"horizon_days"`
	OpensAt     string `json:"opens_at"`
	// CutoffDays and CutoffAt: booking a date closes CutoffDays calendar days before it at
	// CutoffAt (1 day, 16:00); headquarters then hands the unbooked share to the office.
	CutoffDays int    `json:"cutoff_days"`
	CutoffAt   string `json:"cutoff_at"`
	// CoolingNoShows and CoolingDays: a NIK with CoolingNoShows no-shows or more may not book
	// for CoolingDays days after its last one (0: no cooling-off).
	CoolingNoShows int `json:"cooling_no_shows"`
	CoolingDays    int `json:"cooling_days"`
}

// DefaultBookingPolicy is the policy of an office that set none: 20% online, bookable from 14
// days ahead at 07:00 until the day before at 16:00, no cooling-off.
func DefaultBookingPolicy() BookingPolicy {
	return BookingPolicy{SharePercent: 20, HorizonDays: 14, OpensAt: "07:00", CutoffDays: 1, CutoffAt: "16:00"}
}

// clock parses "HH:MM" into minutes after midnight.
func clock(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("time of day %q is not HH:MM", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// Validate checks a policy: a share of 0 to 100 percent, a horizon of 1 to 90 days opening
// before the cut-off, readable times of day, no negative cooling-off.
func (p BookingPolicy) Validate() error {
	bad := func(cause string, args ...any) error {
		return Errorf(EINVALID, MsgBadRequest, "booking policy: "+cause, args...)
	}
	if p.SharePercent < 0 || p.SharePercent > 100 {
		return bad("share %d%% is not 0 to 100", p.SharePercent)
	}
	if p.HorizonDays < 1 || p.HorizonDays > 90 {
		return bad("horizon %d days is not 1 to 90", p.HorizonDays)
	}
	if p.CutoffDays < 0 || p.CutoffDays >= p.HorizonDays {
		return bad("cut-off %d days before must be at least 0 and less than the horizon (%d)", p.CutoffDays, p.HorizonDays)
	}
	if _, err := clock(p.OpensAt); err != nil {
		return bad("opens_at: %v", err)
	}
	if _, err := clock(p.CutoffAt); err != nil {
		return bad("cutoff_at: %v", err)
	}
	if p.CoolingNoShows < 0 || p.CoolingDays < 0 {
		return bad("cooling-off %d no-shows, %d days", p.CoolingNoShows, p.CoolingDays)
	}
	return nil
}

// OnlineShare is the part of a group's daily quota applicants may book: SharePercent of it,
// rounded down, so the office never gets fewer walk-in numbers than it planned.
func (p BookingPolicy) OnlineShare(daily int) int {
	if daily <= 0 {
		return 0
	}
	return daily * p.SharePercent / 100
}

// SplitOverPeriods splits n online slots over k arrival periods as evenly as can be, the
// earlier periods taking the remainder (13 over 2: 7 and 6).
func SplitOverPeriods(n, k int) []int {
	if k <= 0 {
		return nil
	}
	out := make([]int, k)
	for i := range out {
		out[i] = n / k
		if i < n%k {
			out[i]++
		}
	}
	return out
}

// at returns date's midnight in loc moved by days, at minutes after midnight.
func at(date string, loc *time.Location, days, minutes int) (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, date, loc)
	if err != nil {
		return time.Time{}, Errorf(EINVALID, MsgBadRequest, "date %q is not YYYY-MM-DD", date).WithArgs("date")
	}
	d = d.AddDate(0, 0, days)
	return time.Date(d.Year(), d.Month(), d.Day(), minutes/60, minutes%60, 0, 0, loc), nil
}

// Window returns when booking date opens and when it is cut off, in the office's zone loc.
func (p BookingPolicy) Window(date string, loc *time.Location) (opens, cutoff time.Time, err error) {
	om, err := clock(p.OpensAt)
	if err != nil {
		return opens, cutoff, err
	}
	cm, err := clock(p.CutoffAt)
	if err != nil {
		return opens, cutoff, err
	}
	if opens, err = at(date, loc, -p.HorizonDays, om); err != nil {
		return opens, cutoff, err
	}
	cutoff, err = at(date, loc, -p.CutoffDays, cm)
	return opens, cutoff, err
}

// CheckBookable says whether date may be booked at instant now: a working day of cal, opened
// (the horizon reached) and not yet cut off. The refusals are conflicts that name the date, or
// the opening time, for the applicant.
func (p BookingPolicy) CheckBookable(date string, now time.Time, loc *time.Location, cal Calendar) error {
	opens, cutoff, err := p.Window(date, loc)
	if err != nil {
		return err
	}
	if today := now.In(loc).Format(time.DateOnly); date < today {
		return Errorf(ECONFLICT, MsgBookingPast, "date %s is before today %s", date, today).WithArgs(date)
	}
	if !cal.Working(date) {
		return Errorf(ECONFLICT, MsgBookingClosedDay, "date %s is not a working day", date).WithArgs(date)
	}
	if now.Before(opens) {
		return Errorf(ECONFLICT, MsgBookingNotOpen, "booking %s opens at %s", date, opens.Format(time.RFC3339)).
			WithArgs(date, opens.In(loc).Format("2006-01-02 15:04"))
	}
	if !now.Before(cutoff) {
		return Errorf(ECONFLICT, MsgBookingCutOff, "booking %s closed at %s", date, cutoff.Format(time.RFC3339)).WithArgs(date)
	}
	return nil
}

// BookableDates lists the dates that may be booked at now, in order: the working days whose
// window is open.
func (p BookingPolicy) BookableDates(now time.Time, loc *time.Location, cal Calendar) []string {
	var out []string
	d := now.In(loc)
	for i := 0; i <= p.HorizonDays+1; i++ {
		date := d.AddDate(0, 0, i).Format(time.DateOnly)
		if p.CheckBookable(date, now, loc, cal) == nil {
			out = append(out, date)
		}
	}
	return out
}

// CutOffDates lists the working dates from today on whose cut-off has passed at now: the
// dates whose unbooked share belongs to the office.
func (p BookingPolicy) CutOffDates(now time.Time, loc *time.Location, cal Calendar) []string {
	var out []string
	d := now.In(loc)
	for i := 0; i <= p.CutoffDays; i++ {
		date := d.AddDate(0, 0, i).Format(time.DateOnly)
		if !cal.Working(date) {
			continue
		}
		if _, cutoff, err := p.Window(date, loc); err == nil && !now.Before(cutoff) {
			out = append(out, date)
		}
	}
	return out
}

// CheckCoolingOff refuses a NIK that had noShows no-shows, the last on lastNoShow, a booking
// for date while its cooling-off lasts: CoolingDays days after the last no-show once it has
// CoolingNoShows of them.
func (p BookingPolicy) CheckCoolingOff(noShows int, lastNoShow, date string) error {
	if p.CoolingNoShows == 0 || p.CoolingDays == 0 || noShows < p.CoolingNoShows || lastNoShow == "" {
		return nil
	}
	last, err1 := time.Parse(time.DateOnly, lastNoShow)
	d, err2 := time.Parse(time.DateOnly, date)
	if err1 != nil || err2 != nil {
		return Errorf(EINVALID, MsgBadRequest, "cooling-off dates %q, %q", lastNoShow, date)
	}
	until := last.AddDate(0, 0, p.CoolingDays)
	if d.After(until) {
		return nil
	}
	return Errorf(ECONFLICT, MsgBookingCooling, "%d no-shows, the last on %s: no booking until after %s", noShows, lastNoShow,
		until.Format(time.DateOnly)).WithArgs(noShows, until.AddDate(0, 0, 1).Format(time.DateOnly))
}

// BookingApplicant is who books: the NIK checked as the workflow checks it (ParseNIK), a name
// of 2 to 80 characters, an Indonesian mobile number (NormalizePhone).
type BookingApplicant struct {
	NIK, Name, Phone string
}

// Check validates the applicant at office-local date today and returns it with its phone in
// international form and its name trimmed.
func (a BookingApplicant) Check(today time.Time) (BookingApplicant, error) {
	if _, err := ParseNIK(a.NIK, today); err != nil {
		return a, err
	}
	name := []rune(strings.TrimSpace(a.Name))
	if len(name) < 2 || len(name) > 80 {
		return a, Errorf(EINVALID, MsgBookingName, "name of %d characters", len(name))
	}
	a.Name = string(name)
	phone, err := NormalizePhone(a.Phone)
	if err != nil {
		return a, err
	}
	a.Phone = phone
	return a, nil
}

// Last6 is the NIK's last 6 digits, what the applicant types at the office's kiosk.
func (a BookingApplicant) Last6() string {
	if len(a.NIK) < 6 {
		return a.NIK
	}
	return a.NIK[len(a.NIK)-6:]
}
