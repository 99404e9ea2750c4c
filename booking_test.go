package antre

import (
	"reflect"
	"testing"
	"time"
)

func TestBookingShareAndPeriods(t *testing.T) {
	p := DefaultBookingPolicy()
	for _, c := range []struct {
		daily, share int
		periods      []int
	}{
		{60, 12, []int{6, 6}},
		{50, 10, []int{5, 5}},
		{66, 13, []int{7, 6}},
		{4, 0, []int{0, 0}},
		{0, 0, []int{0, 0}},
	} {
		got := p.OnlineShare(c.daily)
		if got != c.share {
			t.Errorf("share of %d: %d, want %d", c.daily, got, c.share)
		}
		if split := SplitOverPeriods(got, 2); !reflect.DeepEqual(split, c.periods) {
			t.Errorf("split of %d: %v, want %v", got, split, c.periods)
		}
	}
	p.SharePercent = 50
	if got := p.OnlineShare(55); got != 27 {
		t.Errorf("50%% of 55: %d", got)
	}
}

func TestBookingWindow(t *testing.T) {
	wita, _ := time.LoadLocation("Asia/Makassar")
	p := DefaultBookingPolicy()
	cal := NewCalendar(nil, []Holiday{{Date: "2026-12-25", Name: "Natal", Kind: HolidayNational}})
	// Monday 2026-12-14 in WITA: opens Monday 2026-11-30 07:00, cut off Sunday 2026-12-13 16:00.
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, wita)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	for _, c := range []struct {
		date, now string
		msg       MsgKey
	}{
		{"2026-12-14", "2026-11-30 06:59", MsgBookingNotOpen},
		{"2026-12-14", "2026-11-30 07:00", ""},
		{"2026-12-14", "2026-12-13 15:59", ""},
		{"2026-12-14", "2026-12-13 16:00", MsgBookingCutOff},
		{"2026-12-14", "2026-12-14 09:00", MsgBookingCutOff},
		{"2026-12-14", "2026-12-15 09:00", MsgBookingPast},
		{"2026-12-12", "2026-12-01 09:00", MsgBookingClosedDay}, // a Saturday
		{"2026-12-25", "2026-12-20 09:00", MsgBookingClosedDay}, // Christmas
		{"2026-14-01", "2026-12-01 09:00", MsgBadRequest},
	} {
		err := p.CheckBookable(c.date, at(c.now), wita, cal)
		var got MsgKey
		if e, ok := err.(*Error); ok {
			got = e.Msg
		} else if err != nil {
			t.Fatalf("%s at %s: %v is not an application error", c.date, c.now, err)
		}
		if got != c.msg {
			t.Errorf("%s at %s: %q (%v), want %q", c.date, c.now, got, err, c.msg)
		}
	}
	// The same instant is another local time in WIB: 16:00 WITA is 15:00 WIB, still open there.
	wib, _ := time.LoadLocation("Asia/Jakarta")
	if err := p.CheckBookable("2026-12-14", at("2026-12-13 16:00"), wib, cal); err != nil {
		t.Errorf("15:00 WIB the day before: %v", err)
	}
	dates := p.BookableDates(at("2026-12-10 10:00"), wita, cal)
	if len(dates) == 0 || dates[0] != "2026-12-11" || dates[len(dates)-1] != "2026-12-24" {
		t.Errorf("bookable from 2026-12-10 10:00: %v", dates)
	}
	for _, d := range dates {
		if d == "2026-12-12" || d == "2026-12-13" {
			t.Errorf("weekend %s bookable", d)
		}
	}
	if got := p.CutOffDates(at("2026-12-10 16:00"), wita, cal); !reflect.DeepEqual(got, []string{"2026-12-10", "2026-12-11"}) {
		t.Errorf("cut off at 2026-12-10 16:00: %v", got)
	}
	if got := p.CutOffDates(at("2026-12-10 15:59"), wita, cal); !reflect.DeepEqual(got, []string{"2026-12-10"}) {
		t.Errorf("cut off at 2026-12-10 15:59: %v", got)
	}
}

func TestBookingPolicyValidate(t *testing.T) {
	for _, c := range []struct {
		change func(*BookingPolicy)
		ok     bool
	}{
		{func(p *BookingPolicy) {}, true},
		{func(p *BookingPolicy) { p.SharePercent = 101 }, false},
		{func(p *BookingPolicy) { p.HorizonDays = 0 }, false},
		{func(p *BookingPolicy) { p.CutoffDays = 14 }, false},
		{func(p *BookingPolicy) { p.OpensAt = "7 pagi" }, false},
		{func(p *BookingPolicy) { p.CutoffAt = "24:00" }, false},
		{func(p *BookingPolicy) { p.CoolingDays = -1 }, false},
		{func(p *BookingPolicy) { p.CoolingNoShows, p.CoolingDays = 2, 30 }, true},
	} {
		p := DefaultBookingPolicy()
		c.change(&p)
		if err := p.Validate(); (err == nil) != c.ok {
			t.Errorf("%+v: %v", p, err)
		}
	}
}

func TestBookingCoolingOff(t *testing.T) {
	p := DefaultBookingPolicy()
	p.CoolingNoShows, p.CoolingDays = 2, 30
	for _, c := range []struct {
		noShows   int
		last, day string
		refused   bool
	}{
		{1, "2026-12-01", "2026-12-02", false},
		{2, "2026-12-01", "2026-12-31", true},
		{2, "2026-12-01", "2027-01-01", false},
		{5, "2026-12-01", "2026-12-15", true},
		{0, "", "2026-12-15", false},
	} {
		err := p.CheckCoolingOff(c.noShows, c.last, c.day)
		if (err != nil) != c.refused {
			t.Errorf("%d no-shows, last %s, booking %s: %v", c.noShows, c.last, c.day, err)
		}
		if err != nil && ErrorCode(err) != ECONFLICT {
			t.Errorf("cooling-off code %s", ErrorCode(err))
		}
	}
	if err := DefaultBookingPolicy().CheckCoolingOff(9, "2026-12-01", "2026-12-02"); err != nil {
		t.Errorf("no cooling-off configured: %v", err)
	}
}

func TestBookingApplicant(t *testing.T) {
	today := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		a     BookingApplicant
		msg   MsgKey
		phone string
	}{
		{BookingApplicant{"3171015005900001", " Siti Aminah ", "0812-3456-7890"}, "", "6281234567890"},
		{BookingApplicant{"317101500590000", "Siti", "081234567890"}, MsgNIKFormat, ""},
		{BookingApplicant{"9971015005900001", "Siti", "081234567890"}, MsgNIKRegion, ""},
		{BookingApplicant{"3171013302900001", "Siti", "081234567890"}, MsgNIKDate, ""},
		{BookingApplicant{"3171015005900001", "S", "081234567890"}, MsgBookingName, ""},
		{BookingApplicant{"3171015005900001", "Siti", "0212345678"}, MsgBadPhone, ""},
	} {
		got, err := c.a.Check(today)
		var msg MsgKey
		if e, ok := err.(*Error); ok {
			msg = e.Msg
		}
		if msg != c.msg {
			t.Errorf("%+v: %v, want %q", c.a, err, c.msg)
		}
		if err == nil && (got.Phone != c.phone || got.Name != "Siti Aminah" || got.Last6() != "900001") {
			t.Errorf("%+v checked: %+v", c.a, got)
		}
	}
}
