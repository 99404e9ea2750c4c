package hqwire

import "testing"

func TestBookingRules(t *testing.T) {
	for _, p := range Periods {
		from, to, ok := PeriodHours(p)
		if !ok || from >= to {
			t.Errorf("period %s: %d–%d, %v", p, from, to, ok)
		}
	}
	if _, _, ok := PeriodHours("16-20"); ok {
		t.Error("16-20 taken as a period")
	}
	for code, ok := range map[string]bool{"BK7Q2M9XK4": true, "bk7q2m9x": false, "AB12": false, "BK7Q-2M9X": false} {
		if err := ValidBookingCode(code); (err == nil) != ok {
			t.Errorf("ValidBookingCode(%q) = %v", code, err)
		}
	}
	a, b := NIKCheck("BK7Q2M9XK4", "123456"), NIKCheck("BK7Q2M9XK5", "123456")
	if a == b || a != NIKCheck("BK7Q2M9XK4", "123456") || a == NIKCheck("BK7Q2M9XK4", "123457") {
		t.Error("NIKCheck does not bind the digits to the booking")
	}
}
