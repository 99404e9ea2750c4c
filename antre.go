// Package antre holds the domain of the Antre queue system for Indonesian immigration offices
// (Kanim): service groups, quota pools, tickets and their states, dispensation, the priority
// policy that decides who is called next, events and application errors. It has no I/O; the
// store (server/sqlite), the hub (server) and the device runtimes implement and use it.
package antre

import (
	"fmt"
	"time"
)

// Clock returns the current instant. Every rule that depends on time (the business date, arrival
// periods, the late-arrival window, ageing) reads it through a Clock so that tests can set it.
type Clock func() time.Time

// Office is the immigration office a hub serves. Its time zone decides the business date: the
// numbering restarts at local midnight (WIB Asia/Jakarta, WITA Asia/Makassar, WIT Asia/Jayapura).
type Office struct {
	Code     string
	Name     string
	Location *time.Location
	// Opens and Closes are the opening hours as minutes after local midnight.
	Opens, Closes int
	// Periods are the arrival periods that spread the crowd over the day (08:00–12:00, 12:00–16:00).
	Periods []ArrivalPeriod
}

// BusinessDate is the office-local calendar date of t, as YYYY-MM-DD. One numbering sequence
// exists per office, group and business date, so the date rolls over by itself at local midnight.
func (o Office) BusinessDate(t time.Time) string {
	return t.In(o.Location).Format("2006-01-02")
}

// PeriodAt returns the arrival period that contains t in the office's time zone; ok is false
// outside every period.
func (o Office) PeriodAt(t time.Time) (p ArrivalPeriod, ok bool) {
	l := t.In(o.Location)
	m := l.Hour()*60 + l.Minute()
	for _, p := range o.Periods {
		if m >= p.Start && m < p.End {
			return p, true
		}
	}
	return ArrivalPeriod{}, false
}

// ArrivalPeriod is a window of the day, in minutes after local midnight, in which booked
// applicants are asked to arrive. Start is inclusive, End exclusive.
type ArrivalPeriod struct {
	Start, End int
}

// String formats the period as "08:00–12:00".
func (p ArrivalPeriod) String() string {
	return fmt.Sprintf("%02d:%02d–%02d:%02d", p.Start/60, p.Start%60, p.End/60, p.End%60)
}

// ParseClock parses "HH:MM" into minutes after midnight.
func ParseClock(s string) (int, error) {
	var h, m int
	if n, err := fmt.Sscanf(s, "%d:%d", &h, &m); err != nil || n != 2 || h < 0 || h > 24 || m < 0 || m > 59 || h*60+m > 24*60 {
		return 0, fmt.Errorf("invalid time of day %q (want HH:MM)", s)
	}
	return h*60 + m, nil
}
