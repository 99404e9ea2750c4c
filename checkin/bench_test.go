package checkin_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"antre/hqwire"
	"antre/server"
	"antre/server/servertest"
)

// BenchmarkCheckIn measures a booking's check-in at the hub over HTTP (the booking looked up,
// the digits checked, the ticket issued from the online pool with its check-in row and event)
// against the baseline of a plain walk-in issue by the same kiosk on the same hub, in the same
// run: the ratio is what checking a booking costs over taking a number. Each iteration uses up a
// number of the day, so run it with a fixed count:
//
//	go test -run '^$' -bench CheckIn -benchtime 500x ./checkin
func BenchmarkCheckIn(b *testing.B) {
	const perGroup = 540 // online numbers of each group; bookings of the day
	groups := []string{"A", "B", "C", "D", "E", "F"}
	o := startOfficeB(b, func(c *server.Config) {
		c.Checkin.KioskPerMinute, c.Checkin.KioskBurst = 1_000_000, 1_000_000
		c.Groups = nil
		for _, g := range groups {
			walkIn, online, priority := 450, perGroup, 9
			c.Groups = append(c.Groups, server.GroupConfig{Code: g, NameID: "Layanan " + g, NameEN: "Service " + g, WalkIn: &walkIn, Online: &online, Priority: &priority})
		}
	})
	var slots []hqwire.BookingSlot
	var codes []string
	for i := range perGroup * len(groups) {
		code := fmt.Sprintf("BENCH%05d", i)
		slots = append(slots, hqwire.BookingSlot{Booking: code, Period: hqwire.PeriodMorning, Group: groups[i%len(groups)],
			State: hqwire.BookingActive, NIKCheck: hqwire.NIKCheck(code, "123456"), Name: "B*** S***"})
		codes = append(codes, code)
	}
	o.sendB(b, hqwire.KindBookings, hqwire.BookingsDay{Date: o.date, Bookings: slots})
	o.waitBookingsB(b, len(slots))

	issued := 0
	b.Run("issue", func(b *testing.B) {
		if issued+b.N > 450*len(groups) {
			b.Skipf("%d walk-in numbers left today: use -benchtime 500x", 450*len(groups)-issued)
		}
		b.ResetTimer()
		for i := range b.N {
			body := map[string]string{"group": groups[(issued+i)%len(groups)]}
			if st := o.hub.Do("POST", "/api/v1/tickets", o.hub.Kiosk, body, nil); st != http.StatusCreated {
				b.Fatalf("issue: %d", st)
			}
		}
		b.StopTimer()
		issued += b.N
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "issues/s")
	})
	next := 0
	b.Run("checkin", func(b *testing.B) {
		if next+b.N > len(codes) {
			b.Skipf("%d bookings left: use -benchtime 500x", len(codes)-next)
		}
		b.ResetTimer()
		for i := range b.N {
			body := map[string]string{"booking": codes[next+i], "nik_last6": "123456"}
			if st := o.hub.Do("POST", "/api/v1/checkins", o.hub.Kiosk, body, nil); st != http.StatusCreated {
				b.Fatalf("check-in %s: %d", codes[next+i], st)
			}
		}
		b.StopTimer()
		next += b.N
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checkins/s")
	})
}

// startOfficeB is startOffice for a benchmark.
func startOfficeB(b *testing.B, opts ...servertest.Option) *office {
	b.Helper()
	return startOfficeTB(b, nextWeekday(9, 0), opts...)
}

func (o *office) sendB(b *testing.B, kind string, data any) {
	b.Helper()
	o.sendTB(b, kind, data)
}

func (o *office) waitBookingsB(b *testing.B, n int) {
	b.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var d struct{ Bookings []struct{} }
		o.hub.Do("GET", "/api/v1/bookings?date="+o.date, o.hub.Officer, nil, &d)
		if len(d.Bookings) == n {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d bookings at the office", len(d.Bookings), n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
