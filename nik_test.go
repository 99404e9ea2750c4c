package antre

import (
	"testing"
	"time"
)

// TestParseNIK: valid men and women (day + 40), and every broken part refused with its message.
func TestParseNIK(t *testing.T) {
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		nik    string
		birth  string
		female bool
		seq    int
	}{
		{"3171011708900001", "1990-08-17", false, 1},
		{"3171015708900002", "1990-08-17", true, 2},    // 57 = 17 + 40
		{"6471054101059999", "2005-01-01", true, 9999}, // Balikpapan, 1 Jan 2005, a woman
		{"9471022512250123", "2025-12-25", false, 123}, // Papua, last year
		{"1101012911260010", "1926-11-29", false, 10},  // this year's later day: a century ago
		{"3578016902000001", "2000-02-29", true, 1},    // leap day, a woman (29 + 40 = 69)
	} {
		n, err := ParseNIK(tc.nik, today)
		if err != nil {
			t.Errorf("%s: %v", tc.nik, err)
			continue
		}
		if n.Birth.Format(time.DateOnly) != tc.birth || n.Female != tc.female || n.Seq != tc.seq || n.Province != tc.nik[:2] {
			t.Errorf("%s = %+v", tc.nik, n)
		}
		if _, ok := n.MatchesBirth(tc.birth); !ok {
			t.Errorf("%s does not match its own birth date %s", tc.nik, tc.birth)
		}
	}
	for _, tc := range []struct {
		nik string
		msg MsgKey
	}{
		{"317101170890000", MsgNIKFormat},   // 15 digits
		{"31710117089000011", MsgNIKFormat}, // 17
		{"3171O11708900001", MsgNIKFormat},  // a letter O
		{"3171011708900000", MsgNIKFormat},  // sequence 0000
		{"9971011708900001", MsgNIKRegion},  // province 99
		{"2071011708900001", MsgNIKRegion},  // province 20
		{"0071011708900001", MsgNIKRegion},
		{"3100011708900001", MsgNIKRegion}, // regency 00
		{"3171001708900001", MsgNIKRegion}, // district 00
		{"3171013208900001", MsgNIKDate},   // day 32
		{"3171014008900001", MsgNIKDate},   // day 40: neither a man's nor a woman's day
		{"3171017208900001", MsgNIKDate},   // day 72 (32 for a woman)
		{"3171011713900001", MsgNIKDate},   // month 13
		{"3171013102900001", MsgNIKDate},   // 31 February
		{"3171012902010001", MsgNIKDate},   // 29 February 2001
		{"3171010000900001", MsgNIKDate},   // day 00, month 00
	} {
		_, err := ParseNIK(tc.nik, today)
		var e *Error
		if ErrorCode(err) != EINVALID || !asError(err, &e) || e.Msg != tc.msg {
			t.Errorf("%s: %v, want %s", tc.nik, err, tc.msg)
		} else if msg := e.Error(); len(msg) > 0 && contains(msg, tc.nik) {
			t.Errorf("%s: the error's cause shows the whole NIK: %s", tc.nik, msg)
		}
	}
	n, _ := ParseNIK("3171011708900001", today)
	for _, d := range []string{"1990-08-18", "1991-08-17", "1990-07-17", "17-08-1990"} {
		if _, ok := n.MatchesBirth(d); ok {
			t.Errorf("birth %s matched", d)
		}
	}
	if d, ok := n.MatchesBirth("1890-08-17"); !ok || d.Year() != 1890 {
		t.Errorf("a given date decides the century: %v %v", d, ok)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
