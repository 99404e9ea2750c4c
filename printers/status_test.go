package printers

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestDecodeStatus(t *testing.T) {
	for _, tc := range []struct {
		name                    string
		printer, offline, paper byte
		want                    Status
		problems                []Problem
	}{
		{"all clear", 0x12, 0x12, 0x12, Status{Known: true, Online: true}, nil},
		{"offline", 0x1a, 0x12, 0x12, Status{Known: true}, []Problem{Offline}},
		{"cover open", 0x1a, 0x16, 0x12, Status{Known: true, CoverOpen: true}, []Problem{CoverOpen}},
		{"paper near end", 0x12, 0x12, 0x1e, Status{Known: true, Online: true, PaperNearEnd: true}, nil},
		{"near end, one sensor bit", 0x12, 0x12, 0x16, Status{Known: true, Online: true, PaperNearEnd: true}, nil},
		{"paper out", 0x1a, 0x32, 0x72, Status{Known: true, PaperOut: true}, []Problem{PaperOut}},
		{"paper out, roll sensor only", 0x1a, 0x12, 0x32, Status{Known: true, PaperOut: true}, []Problem{PaperOut}},
		{"stopped at paper end only", 0x1a, 0x32, 0x12, Status{Known: true, PaperOut: true}, []Problem{PaperOut}},
		{"paper out and near end", 0x1a, 0x32, 0x7e, Status{Known: true, PaperOut: true, PaperNearEnd: true}, []Problem{PaperOut}},
		{"cover open, paper out", 0x1a, 0x36, 0x72, Status{Known: true, CoverOpen: true, PaperOut: true}, []Problem{PaperOut, CoverOpen}},
		{"error", 0x1a, 0x52, 0x12, Status{Known: true, Failed: true}, []Problem{Failure}},
		{"drawer pin ignored", 0x16, 0x12, 0x12, Status{Known: true, Online: true}, nil},
	} {
		got, err := DecodeStatus(tc.printer, tc.offline, tc.paper)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
		if p := got.Problems(); !slices.Equal(p, tc.problems) {
			t.Errorf("%s: problems %v, want %v", tc.name, p, tc.problems)
		}
		err = got.Err()
		var fe *FaultError
		if (err != nil) != (tc.problems != nil) || (err != nil && (!errors.As(err, &fe) || !fe.Has(tc.problems[0]))) {
			t.Errorf("%s: Err() = %v, want a fault with %v", tc.name, err, tc.problems)
		}
	}
}

func TestDecodeStatusRejectsNonReplies(t *testing.T) {
	for _, b := range []byte{0x00, 0xff, 0x10, 0x02, 0x13, 0x92} {
		if _, err := DecodeStatus(0x12, b, 0x12); err == nil {
			t.Errorf("%#02x taken as a status reply", b)
		}
	}
}

func TestUnknownStatusNeverStopsPrinting(t *testing.T) {
	var s Status
	if s.Err() != nil || s.Problems() != nil || s.String() != "status unknown" {
		t.Errorf("unknown status: Err %v, Problems %v, String %q", s.Err(), s.Problems(), s)
	}
}

func TestFaultMessageIsBilingual(t *testing.T) {
	st, _ := DecodeStatus(0x1a, 0x36, 0x72)
	msg := st.Err().Error()
	for _, want := range []string{"kertas habis", "paper out", "penutup printer terbuka", "cover open"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if got := st.String(); got != "paper out, cover open" {
		t.Errorf("String() = %q", got)
	}
	st, _ = DecodeStatus(0x12, 0x12, 0x1e)
	if got := st.String(); got != "ready, paper near end" {
		t.Errorf("String() = %q", got)
	}
}
