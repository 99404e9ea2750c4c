package antre

import (
	"fmt"
	"time"
)

// HolidayKind says where a closed day comes from.
type HolidayKind string

// The kinds of closed days: national holidays and cuti bersama come from headquarters (or the
// office's admin), regional holidays and the office's own closures from the office's admin.
const (
	HolidayNational    HolidayKind = "national"
	HolidayCutiBersama HolidayKind = "cuti_bersama"
	HolidayRegional    HolidayKind = "regional"
	HolidayOffice      HolidayKind = "office"
)

// Valid reports whether k is one of the kinds.
func (k HolidayKind) Valid() bool {
	return k == HolidayNational || k == HolidayCutiBersama || k == HolidayRegional || k == HolidayOffice
}

// Holiday is a day the office is closed.
type Holiday struct {
	// Date is the office-local date, YYYY-MM-DD.
	Date string      `json:"date"`
	Name string      `json:"name"`
	Kind HolidayKind `json:"kind"`
}

// Validate checks a holiday: a real date, a name, a known kind.
func (h Holiday) Validate() error {
	if _, err := time.Parse(time.DateOnly, h.Date); err != nil {
		return Errorf(EINVALID, MsgBadRequest, "holiday date %q is not YYYY-MM-DD", h.Date).WithArgs("date")
	}
	if h.Name == "" || len(h.Name) > 120 {
		return Errorf(EINVALID, MsgBadRequest, "holiday %s needs a name of at most 120 bytes", h.Date).WithArgs("name")
	}
	if !h.Kind.Valid() {
		return Errorf(EINVALID, MsgBadRequest, "holiday kind %q", h.Kind).WithArgs("kind")
	}
	return nil
}

// Calendar tells an office's working days: its open weekdays (Monday to Friday by default)
// except its closed days. Dates are office-local YYYY-MM-DD strings, so the arithmetic is the
// same in WIB, WITA and WIT and never crosses a day at the wrong hour.
type Calendar struct {
	open   [7]bool
	closed map[string]Holiday
}

// NewCalendar builds a calendar open on openDays (nil: Monday to Friday) except holidays.
func NewCalendar(openDays []time.Weekday, holidays []Holiday) Calendar {
	c := Calendar{closed: map[string]Holiday{}}
	if openDays == nil {
		openDays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	}
	for _, d := range openDays {
		c.open[d] = true
	}
	for _, h := range holidays {
		c.closed[h.Date] = h
	}
	return c
}

// Working reports whether the office-local date is a working day; an unreadable date is not.
func (c Calendar) Working(date string) bool {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return false
	}
	_, holiday := c.closed[date]
	return c.open[d.Weekday()] && !holiday
}

// Holiday returns the closed day on date, if there is one.
func (c Calendar) Holiday(date string) (Holiday, bool) {
	h, ok := c.closed[date]
	return h, ok
}

// AddWorkingDays returns the working day n working days after date (date itself does not count;
// n 0 gives date itself if it is a working day, else the next one). It gives up after ten years
// of closed days.
func (c Calendar) AddWorkingDays(date string, n int) (string, error) {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return "", fmt.Errorf("calendar: %q is not a date", date)
	}
	if n == 0 {
		for i := 0; !c.Working(d.Format(time.DateOnly)); i++ {
			if i > 3660 {
				return "", fmt.Errorf("calendar: no working day after %s", date)
			}
			d = d.AddDate(0, 0, 1)
		}
		return d.Format(time.DateOnly), nil
	}
	for i := 0; n > 0; i++ {
		if i > 3660 {
			return "", fmt.Errorf("calendar: no working day after %s", date)
		}
		d = d.AddDate(0, 0, 1)
		if c.Working(d.Format(time.DateOnly)) {
			n--
		}
	}
	return d.Format(time.DateOnly), nil
}

// WorkingDaysBetween counts the working days after from up to and including to (0 when to is not
// after from).
func (c Calendar) WorkingDaysBetween(from, to string) int {
	a, err1 := time.Parse(time.DateOnly, from)
	b, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil {
		return 0
	}
	n := 0
	for d := a.AddDate(0, 0, 1); !d.After(b); d = d.AddDate(0, 0, 1) {
		if c.Working(d.Format(time.DateOnly)) {
			n++
		}
	}
	return n
}
