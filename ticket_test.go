package antre

import (
	"testing"
	"time"
)

func TestTransitions(t *testing.T) {
	all := []Status{StatusWaiting, StatusCalled, StatusServing, StatusDone, StatusNoShow, StatusCancelled}
	allowed := map[Action]map[Status]Status{
		ActCall:       {StatusWaiting: StatusCalled},
		ActRecall:     {StatusCalled: StatusCalled},
		ActStart:      {StatusCalled: StatusServing},
		ActFinish:     {StatusCalled: StatusDone, StatusServing: StatusDone},
		ActNoShow:     {StatusCalled: StatusNoShow},
		ActReactivate: {StatusNoShow: StatusWaiting},
		ActTransfer:   {StatusWaiting: StatusWaiting, StatusCalled: StatusWaiting, StatusServing: StatusWaiting},
		ActCancel:     {StatusWaiting: StatusCancelled, StatusCalled: StatusCancelled, StatusServing: StatusCancelled, StatusNoShow: StatusCancelled},
	}
	for act, ok := range allowed {
		for _, from := range all {
			to, err := from.Next(act)
			want, legal := ok[from]
			switch {
			case legal && (err != nil || to != want):
				t.Errorf("%s from %s = %s, %v; want %s", act, from, to, err, want)
			case !legal && ErrorCode(err) != ECONFLICT:
				t.Errorf("%s from %s = %s, %v; want a conflict", act, from, to, err)
			}
		}
	}
	if _, err := StatusWaiting.Next("dance"); ErrorCode(err) != EINVALID {
		t.Errorf("unknown action: %v", err)
	}
	// Done and cancelled are final: no action leaves them.
	for act := range allowed {
		for _, s := range []Status{StatusDone, StatusCancelled} {
			if _, err := s.Next(act); err == nil {
				t.Errorf("%s left final state %s", act, s)
			}
		}
	}
}

func TestParseCode(t *testing.T) {
	for _, tt := range []struct {
		in     string
		prefix string
		n      int
		ok     bool
	}{
		{"A001", "A", 1, true}, {"f999", "F", 999, true}, {"B042", "B", 42, true},
		{"A000", "", 0, false}, {"A01", "", 0, false}, {"AA01", "", 0, false}, {"1001", "", 0, false},
		{"A-01", "", 0, false}, {"A+01", "", 0, false}, {"", "", 0, false}, {"A0001", "", 0, false},
	} {
		p, n, err := ParseCode(tt.in)
		if (err == nil) != tt.ok || p != tt.prefix || n != tt.n {
			t.Errorf("ParseCode(%q) = %q %d %v", tt.in, p, n, err)
		}
		if err != nil && ErrorCode(err) != EINVALID {
			t.Errorf("ParseCode(%q) error code %s", tt.in, ErrorCode(err))
		}
	}
	if FormatCode("A", 7) != "A007" {
		t.Error("FormatCode")
	}
}

func TestNormalizePhone(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"081234567890", "6281234567890"},
		{"0812-3456-789", "628123456789"},
		{"+62 812 3456 7890", "6281234567890"},
		{"6281234567890", "6281234567890"},
		{"(0812) 345.6789", "628123456789"},
		{"", ""}, {"12345", ""}, {"0212345678", ""}, {"08123", ""}, {"0812345678901234", ""}, {"0812abc4567", ""}, {"++6281234567", ""},
	} {
		got, err := NormalizePhone(tt.in)
		if got != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
		if err != nil && ErrorMessage(err, "id") != T("id", MsgBadPhone) {
			t.Errorf("NormalizePhone(%q) message %q", tt.in, ErrorMessage(err, "id"))
		}
	}
}

func TestSplitQuota(t *testing.T) {
	for _, tt := range []struct {
		total, on, pr int
		want          Quota
	}{
		{60, 20, 10, Quota{42, 12, 6}},
		{50, 20, 0, Quota{40, 10, 0}},
		{7, 50, 60, Quota{0, 4, 3}},
		{0, 20, 10, Quota{}},
	} {
		if got := SplitQuota(tt.total, tt.on, tt.pr); got != tt.want || got.Total() != tt.total {
			t.Errorf("SplitQuota(%d,%d,%d) = %+v, want %+v", tt.total, tt.on, tt.pr, got, tt.want)
		}
	}
}

func TestBusinessDateAcrossZones(t *testing.T) {
	for _, zone := range []string{"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		o := Office{Location: loc}
		before := time.Date(2026, 11, 25, 23, 59, 0, 0, loc)
		after := time.Date(2026, 11, 26, 0, 1, 0, 0, loc)
		if o.BusinessDate(before) != "2026-11-25" || o.BusinessDate(after) != "2026-11-26" {
			t.Errorf("%s: %s / %s", zone, o.BusinessDate(before), o.BusinessDate(after))
		}
	}
}

func TestErrorMessages(t *testing.T) {
	err := Errorf(EQUOTAEXHAUSTED, MsgQuotaExhausted, "pool walkin of A exhausted").WithArgs(Text{"Paspor baru", "New passport"}, PoolText(PoolWalkIn))
	if got := ErrorMessage(err, "id"); got != "Maaf, kuota antrean umum untuk layanan Paspor baru hari ini sudah habis. Silakan datang kembali pada hari kerja berikutnya." {
		t.Errorf("id: %q", got)
	}
	if got := ErrorMessage(err, "en"); got != "Sorry, today's walk-in quota for New passport is used up. Please come back on the next working day." {
		t.Errorf("en: %q", got)
	}
	if err.Error() != "pool walkin of A exhausted" {
		t.Errorf("cause %q", err.Error())
	}
	if ErrorCode(errPlain{}) != EINTERNAL || ErrorMessage(errPlain{}, "id") != T("id", MsgInternal) {
		t.Error("a plain error must surface as internal without its text")
	}
}

type errPlain struct{}

func (errPlain) Error() string { return "disk on fire" }
