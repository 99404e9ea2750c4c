package antre

import (
	"testing"
	"time"
)

// TestWorkingDays: three working days from a payment, across weekends, a holiday, cuti bersama,
// and month and year ends.
func TestWorkingDays(t *testing.T) {
	c := NewCalendar(nil, []Holiday{
		{Date: "2026-12-25", Name: "Hari Raya Natal", Kind: HolidayNational},
		{Date: "2026-12-24", Name: "Cuti bersama Natal", Kind: HolidayCutiBersama},
		{Date: "2027-01-01", Name: "Tahun Baru Masehi", Kind: HolidayNational},
	})
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-11-25", 3, "2026-11-30"}, // Wed → Thu, Fri, Mon
		{"2026-11-27", 3, "2026-12-02"}, // Fri → Mon, Tue, Wed
		{"2026-11-28", 3, "2026-12-02"}, // a Saturday payment counts from Monday
		{"2026-12-23", 3, "2026-12-30"}, // Wed → (24, 25 closed, 26–27 weekend) Mon 28, Tue 29, Wed 30
		{"2026-12-30", 3, "2027-01-05"}, // Wed → Thu 31, (1 Jan closed, weekend) Mon 4, Tue 5
		{"2026-12-26", 0, "2026-12-28"}, // a Saturday, not a working day: the next one
		{"2026-11-25", 0, "2026-11-25"},
	} {
		got, err := c.AddWorkingDays(tc.from, tc.n)
		if err != nil || got != tc.want {
			t.Errorf("%s + %d working days = %s (%v), want %s", tc.from, tc.n, got, err, tc.want)
		}
	}
	if n := c.WorkingDaysBetween("2026-12-23", "2026-12-30"); n != 3 {
		t.Errorf("working days 23–30 Dec: %d, want 3", n)
	}
	if c.Working("2026-12-25") || !c.Working("2026-12-28") || c.Working("not a date") {
		t.Error("Working")
	}
	// an office open on Saturdays
	six := NewCalendar([]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}, nil)
	if got, _ := six.AddWorkingDays("2026-11-27", 1); got != "2026-11-28" {
		t.Errorf("Friday + 1 with Saturdays open: %s", got)
	}
}
