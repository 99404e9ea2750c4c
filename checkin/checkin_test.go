package checkin_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"antre"
	"antre/checkin"
	"antre/hq/hqtest"
	"antre/hqwire"
	"antre/server"
	"antre/server/servertest"
)

func TestMain(m *testing.M) { os.Exit(hqtest.Main(m)) }

var wib = servertest.WIB

// nextWeekday is the first Monday to Friday after today (real time), at hh:mm in Jakarta: the
// office's business date in the tests, open by the default calendar.
func nextWeekday(hh, mm int) time.Time {
	d := time.Now().In(wib).AddDate(0, 0, 1)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), hh, mm, 0, 0, wib)
}

// office is a headquarters with one office hub linked to it through a proxy that can cut the
// WAN, the hub's clock on a working day at start.
type office struct {
	hq    *hqtest.HQ
	hub   *servertest.Hub
	proxy *hqtest.Proxy
	code  string
	date  string
}

func startOffice(t *testing.T, start time.Time, opts ...servertest.Option) *office {
	t.Helper()
	return startOfficeTB(t, start, opts...)
}

func startOfficeTB(t testing.TB, start time.Time, opts ...servertest.Option) *office {
	t.Helper()
	h := hqtest.StartHQ(t)
	code := "KANIM-TBK"
	creds := h.Office(code, "Kantor Imigrasi Tanjung Balai Karimun", "Kepulauan Riau")
	proxy := hqtest.NewProxy(t, strings.TrimPrefix(h.NATSURL(), "tls://"))
	opts = append([]servertest.Option{hqtest.Linked(code, creds, "tls://"+proxy.Addr)}, opts...)
	hub := servertest.Start(t, servertest.Settings{Start: start}, opts...)
	return &office{hq: h, hub: hub, proxy: proxy, code: code, date: start.In(wib).Format(time.DateOnly)}
}

// send queues a setting of kind with data at headquarters, as its booking service does; its
// settings publisher sends it to the office over JetStream.
func (o *office) send(t *testing.T, kind string, data any) {
	t.Helper()
	o.sendTB(t, kind, data)
}

func (o *office) sendTB(t testing.TB, kind string, data any) {
	t.Helper()
	b, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.hq.Store().Enqueue(context.Background(), o.code, hqwire.Setting{Kind: kind, Data: b}); err != nil {
		t.Fatal(err)
	}
}

func slot(code, period, group, state, last6 string) hqwire.BookingSlot {
	return hqwire.BookingSlot{Booking: code, Period: period, Group: group, State: state, NIKCheck: hqwire.NIKCheck(code, last6), Name: "Budi Santoso"}
}

// bookings reads a day's bookings as the office holds them.
func (o *office) bookings(t *testing.T, date string) checkin.Day {
	t.Helper()
	var d checkin.Day
	if st := o.hub.Do("GET", "/api/v1/bookings?date="+date, o.hub.Officer, nil, &d); st != 200 {
		t.Fatalf("bookings: %d", st)
	}
	return d
}

// waitBookings waits until the office holds n bookings for date.
func (o *office) waitBookings(t *testing.T, date string, n int) checkin.Day {
	t.Helper()
	var d checkin.Day
	hqtest.Eventually(t, 20*time.Second, "the bookings at the office", func() bool {
		d = o.bookings(t, date)
		return len(d.Bookings) == n
	})
	return d
}

type apiError struct {
	Error struct{ Code, Message string }
}

// checkIn posts a check-in with the kiosk's token in lang; it returns the status, the ticket
// and the error.
func (o *office) checkIn(t *testing.T, booking, last6, lang string) (int, antre.IssuedTicket, apiError) {
	t.Helper()
	var raw json.RawMessage
	st := o.hub.Do("POST", "/api/v1/checkins?lang="+lang, o.hub.Kiosk, map[string]string{"booking": booking, "nik_last6": last6}, &raw)
	var tk antre.IssuedTicket
	var e apiError
	if st == 201 {
		if err := json.Unmarshal(raw, &tk); err != nil {
			t.Fatal(err)
		}
	} else if err := json.Unmarshal(raw, &e); err != nil {
		t.Fatalf("%d %s", st, raw)
	}
	return st, tk, e
}

// quota is a group's quota state today at the office.
func (o *office) quota(t *testing.T, group string) antre.GroupQuota {
	t.Helper()
	var answer struct{ Groups []antre.GroupQuota }
	if st := o.hub.Do("GET", "/api/v1/quota", "", nil, &answer); st != 200 {
		t.Fatalf("quota: %d", st)
	}
	for _, g := range answer.Groups {
		if g.Group == group {
			return g
		}
	}
	t.Fatalf("no group %s", group)
	return antre.GroupQuota{}
}

// hqEvents returns the office's events of type at headquarters.
func (o *office) hqEvents(t *testing.T, typ antre.EventType) []antre.Event {
	t.Helper()
	all, err := o.hq.Store().Events(context.Background(), o.code, 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	var out []antre.Event
	for _, e := range all {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

func bookingOf(t *testing.T, e antre.Event) hqwire.BookingEvent {
	t.Helper()
	var b hqwire.BookingEvent
	if err := json.Unmarshal(e.Data, &b); err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCheckInOverTheLink: a day's bookings from headquarters arrive over the link and are
// stored (no NIK: the check, the name masked); a check-in at the kiosk issues the next number
// of the group from the online pool after the walk-in issued before it (first in, first
// served from that moment) and headquarters receives booking.checked_in; with the WAN cut a
// check-in still works from the synced list and its event reaches headquarters when the link
// returns. A newer list of the day replaces the old one; a repeated one changes nothing.
func TestCheckInOverTheLink(t *testing.T) {
	o := startOffice(t, nextWeekday(9, 0))
	o.send(t, hqwire.KindBookings, hqwire.BookingsDay{Date: o.date, Bookings: []hqwire.BookingSlot{
		slot("BK7Q2M9XA1", hqwire.PeriodMorning, "A", hqwire.BookingActive, "123456"),
		slot("BK7Q2M9XB2", hqwire.PeriodAfternoon, "B", hqwire.BookingActive, "654321"),
	}})
	d := o.waitBookings(t, o.date, 2)
	if b := d.Bookings[0]; b.Booking != "BK7Q2M9XA1" || b.Group != "A" || b.Period != hqwire.PeriodMorning || b.State != hqwire.BookingActive ||
		b.Name == "Budi Santoso" || b.Name == "" {
		t.Fatalf("stored booking: %+v", b)
	}

	walkIn := o.hub.Issue("A")
	before := o.quota(t, "A")
	st, tk, e := o.checkIn(t, "bk7q2m9xa1", "123456", "id")
	if st != 201 {
		t.Fatalf("check-in: %d %+v", st, e)
	}
	if tk.Pool != antre.PoolOnline || tk.Group != "A" || tk.Number != 2 || tk.Code != "A002" || tk.Ahead != 1 || walkIn != "A001" {
		t.Fatalf("ticket %+v after walk-in %s", tk, walkIn)
	}
	if !strings.Contains(tk.StatusURL, "/status/A002") {
		t.Fatalf("status link %q", tk.StatusURL)
	}
	after := o.quota(t, "A")
	if after.Used.Online != before.Used.Online+1 || after.Used.WalkIn != before.Used.WalkIn {
		t.Fatalf("quota before %+v after %+v", before, after)
	}
	if d := o.bookings(t, o.date); d.Bookings[0].Ticket != "A002" || d.Bookings[0].CheckedInAt == nil {
		t.Fatalf("the booking after its check-in: %+v", d.Bookings[0])
	}
	hqtest.Eventually(t, 20*time.Second, "booking.checked_in at headquarters", func() bool { return len(o.hqEvents(t, hqwire.EvBookingCheckedIn)) == 1 })
	ev := o.hqEvents(t, hqwire.EvBookingCheckedIn)[0]
	if b := bookingOf(t, ev); b.Booking != "BK7Q2M9XA1" || b.Ticket != "A002" || b.Date != o.date || b.Group != "A" || ev.Ticket != "A002" {
		t.Fatalf("event at headquarters: %+v %s", ev, ev.Data)
	}
	if strings.Contains(string(ev.Data), "123456") || strings.Contains(string(ev.Data), "Budi") {
		t.Fatalf("personal data in the event: %s", ev.Data)
	}

	// The WAN is cut: the synced list is enough.
	o.proxy.Cut()
	st, tk, e = o.checkIn(t, "BK7Q2M9XB2", "654321", "id")
	if st != 201 || tk.Code != "B001" || tk.Pool != antre.PoolOnline {
		t.Fatalf("check-in with the WAN down: %d %+v %+v", st, tk, e)
	}
	time.Sleep(500 * time.Millisecond)
	if n := len(o.hqEvents(t, hqwire.EvBookingCheckedIn)); n != 1 {
		t.Fatalf("headquarters got %d check-ins through a cut link", n)
	}
	o.proxy.Restore()
	hqtest.Eventually(t, 30*time.Second, "the check-in made offline at headquarters", func() bool {
		return len(o.hqEvents(t, hqwire.EvBookingCheckedIn)) == 2
	})
	if b := bookingOf(t, o.hqEvents(t, hqwire.EvBookingCheckedIn)[1]); b.Booking != "BK7Q2M9XB2" || b.Ticket != "B001" {
		t.Fatalf("offline check-in at headquarters: %+v", b)
	}

	// A newer list of the day (a booking added) replaces the office's; check-ins stay.
	o.send(t, hqwire.KindBookings, hqwire.BookingsDay{Date: o.date, Bookings: []hqwire.BookingSlot{
		slot("BK7Q2M9XA1", hqwire.PeriodMorning, "A", hqwire.BookingActive, "123456"),
		slot("BK7Q2M9XB2", hqwire.PeriodAfternoon, "B", hqwire.BookingActive, "654321"),
		slot("BK7Q2M9XC3", hqwire.PeriodAfternoon, "C", hqwire.BookingActive, "111111"),
	}})
	d = o.waitBookings(t, o.date, 3)
	if d.Bookings[0].Ticket != "A002" || d.Bookings[1].Ticket != "B001" {
		t.Fatalf("check-ins lost by the new list: %+v", d.Bookings)
	}
	if st, again, _ := o.checkIn(t, "BK7Q2M9XA1", "123456", "id"); st != 409 || again.Code != "" {
		t.Fatalf("the same booking twice: %d", st)
	}
}

// TestCheckInRefused: wrong day, unknown code (another office's), already used, cancelled,
// wrong digits, malformed input and outside the opening hours are refused with a clear
// message in Indonesian (English on request) and nothing issued; attempts on one booking are
// limited.
func TestCheckInRefused(t *testing.T) {
	o := startOffice(t, nextWeekday(9, 0))
	tomorrow := nextWeekday(9, 0).AddDate(0, 0, 1).Format(time.DateOnly)
	o.send(t, hqwire.KindBookings, hqwire.BookingsDay{Date: o.date, Bookings: []hqwire.BookingSlot{
		slot("GOOD0001", hqwire.PeriodMorning, "A", hqwire.BookingActive, "123456"),
		slot("GONE0002", hqwire.PeriodMorning, "A", hqwire.BookingCancelled, "123456"),
		slot("GUESS003", hqwire.PeriodMorning, "B", hqwire.BookingActive, "999999"),
	}})
	o.send(t, hqwire.KindBookings, hqwire.BookingsDay{Date: tomorrow, Bookings: []hqwire.BookingSlot{
		slot("LATER004", hqwire.PeriodMorning, "A", hqwire.BookingActive, "123456"),
	}})
	yesterday := nextWeekday(9, 0).AddDate(0, 0, -1).Format(time.DateOnly)
	o.send(t, hqwire.KindBookings, hqwire.BookingsDay{Date: yesterday, Bookings: []hqwire.BookingSlot{
		slot("PAST0006", hqwire.PeriodMorning, "A", hqwire.BookingActive, "123456"),
	}})
	o.waitBookings(t, o.date, 3)
	o.waitBookings(t, tomorrow, 1)
	o.waitBookings(t, yesterday, 1)
	if st, _, e := o.checkIn(t, "GOOD0001", "123456", "id"); st != 201 {
		t.Fatalf("check-in: %d %+v", st, e)
	}
	issued := func() int {
		var n int
		for _, g := range []string{"A", "B"} {
			q := o.quota(t, g)
			n += q.Used.WalkIn + q.Used.Online + q.Used.Priority
		}
		return n
	}
	before := issued()
	cases := []struct {
		name, booking, digits, lang string
		status                      int
		code, says                  string
	}{
		{"wrong day", "LATER004", "123456", "id", 409, antre.ECONFLICT, "untuk tanggal " + tomorrow + ", bukan hari ini"},
		{"wrong day (en)", "LATER004", "123456", "en", 409, antre.ECONFLICT, "This booking is for " + tomorrow + ", not today"},
		{"past day", "PAST0006", "123456", "id", 409, antre.ECONFLICT, "untuk tanggal " + yesterday + ", yang sudah lewat"},
		{"unknown", "OTHER999", "123456", "id", 404, antre.ENOTFOUND, "tidak ditemukan untuk kantor ini"},
		{"used", "GOOD0001", "123456", "id", 409, antre.ECONFLICT, "sudah digunakan untuk check-in"},
		{"cancelled", "GONE0002", "123456", "en", 409, antre.ECONFLICT, "cancelled or moved to another day"},
		{"wrong digits", "GUESS003", "123456", "id", 403, antre.EFORBIDDEN, "tidak cocok dengan pemesanan ini"},
		{"digits malformed", "GUESS003", "12a456", "id", 400, antre.EINVALID, "6 digit terakhir NIK"},
		{"code malformed", "BK-1", "123456", "id", 400, antre.EINVALID, "8 sampai 16 huruf"},
	}
	for _, c := range cases {
		st, tk, e := o.checkIn(t, c.booking, c.digits, c.lang)
		if st != c.status || e.Error.Code != c.code || !strings.Contains(e.Error.Message, c.says) || tk.Code != "" {
			t.Errorf("%s: %d %+v", c.name, st, e)
		}
	}
	// The digits of one booking cannot be guessed: after 5 attempts a minute, 429.
	var st int
	var e apiError
	for range 5 {
		st, _, e = o.checkIn(t, "GUESS003", "000000", "id")
	}
	if st != 429 || !strings.Contains(e.Error.Message, "Terlalu banyak percobaan") {
		t.Fatalf("the 6th attempt on one booking: %d %+v", st, e)
	}
	if st, _, _ := o.checkIn(t, "GUESS003", "999999", "id"); st != 429 {
		t.Fatalf("the right digits while limited: %d", st)
	}
	if n := issued(); n != before {
		t.Fatalf("refusals issued %d tickets", n-before)
	}
	o.hub.Clock.Advance(2 * time.Minute)
	if st, tk, e := o.checkIn(t, "GUESS003", "999999", "id"); st != 201 || tk.Code != "B001" {
		t.Fatalf("after the limit's minute: %d %+v", st, e)
	}
	// After closing (16:00), nothing.
	o.send(t, hqwire.KindBookings, hqwire.BookingsDay{Date: o.date, Bookings: []hqwire.BookingSlot{
		slot("LATE0005", hqwire.PeriodAfternoon, "A", hqwire.BookingActive, "123456"),
	}})
	o.waitBookings(t, o.date, 1)
	o.hub.Clock.Set(nextWeekday(16, 5))
	if st, _, e := o.checkIn(t, "LATE0005", "123456", "id"); st != 409 || !strings.Contains(e.Error.Message, "jam layanan, 08:00–16:00") {
		t.Fatalf("after closing: %d %+v", st, e)
	}
	if st := o.hub.Do("POST", "/api/v1/checkins", o.hub.Display, map[string]string{"booking": "LATE0005", "nik_last6": "123456"}, nil); st != 403 {
		t.Fatalf("a display checks in: %d", st)
	}
}

// TestBookingHonouredBeyondThePool: when the office's online pool is smaller than what
// headquarters booked (an admin lowered today's quota), a booking is still honoured and the pool
// grows by one, on record.
func TestBookingHonouredBeyondThePool(t *testing.T) {
	o := startOffice(t, nextWeekday(9, 0))
	o.send(t, hqwire.KindBookings, hqwire.BookingsDay{Date: o.date, Bookings: []hqwire.BookingSlot{
		slot("KEPT0001", hqwire.PeriodMorning, "A", hqwire.BookingActive, "123456"),
	}})
	o.waitBookings(t, o.date, 1)
	if st := o.hub.Do("PUT", "/api/v1/groups/A/quota", o.hub.Admin, antre.Quota{WalkIn: 10, Online: 0, Priority: 2}, nil); st != 200 {
		t.Fatalf("quota: %d", st)
	}
	if st, tk, e := o.checkIn(t, "KEPT0001", "123456", "id"); st != 201 || tk.Pool != antre.PoolOnline || tk.Code != "A001" {
		t.Fatalf("check-in beyond the pool: %d %+v %+v", st, tk, e)
	}
	if q := o.quota(t, "A"); q.Quota != (antre.Quota{WalkIn: 10, Online: 1, Priority: 2}) || q.Used.Online != 1 {
		t.Fatalf("quota after: %+v", q)
	}
}

// TestStrictPeriods: with checkin.strict_periods a booking is checked in only within its
// arrival period.
func TestStrictPeriods(t *testing.T) {
	o := startOffice(t, nextWeekday(9, 0), func(c *server.Config) { c.Checkin.StrictPeriods = true })
	o.send(t, hqwire.KindBookings, hqwire.BookingsDay{Date: o.date, Bookings: []hqwire.BookingSlot{
		slot("NOON0001", hqwire.PeriodAfternoon, "A", hqwire.BookingActive, "123456"),
	}})
	o.waitBookings(t, o.date, 1)
	if st, _, e := o.checkIn(t, "NOON0001", "123456", "en"); st != 409 || !strings.Contains(e.Error.Message, "only in its arrival period, 12:00–16:00") {
		t.Fatalf("before its period: %d %+v", st, e)
	}
	o.hub.Clock.Set(nextWeekday(12, 0))
	if st, tk, e := o.checkIn(t, "NOON0001", "123456", "en"); st != 201 || tk.Pool != antre.PoolOnline {
		t.Fatalf("in its period: %d %+v", st, e)
	}
}

// TestHandoverOnce: the cut-off's hand-over moves the unused online quota of the date to the
// walk-in pool once, even when headquarters delivers it twice (and after a restart), and never
// below what was booked.
func TestHandoverOnce(t *testing.T) {
	o := startOffice(t, nextWeekday(8, 30))
	before := o.quota(t, "A")
	if before.Quota.Online < 4 {
		t.Fatalf("the test needs an online quota of 4 or more: %+v", before.Quota)
	}
	h := hqwire.Handover{Date: o.date, Groups: []hqwire.HandoverGroup{{Group: "A", Booked: 1, Unused: 3}, {Group: "Z", Booked: 0, Unused: 9}}}
	o.send(t, hqwire.KindOnlineHandover, h)
	want := before.Quota
	want.Online -= 3
	want.WalkIn += 3
	hqtest.Eventually(t, 20*time.Second, "the hand-over at the office", func() bool { return o.quota(t, "A").Quota == want })
	o.send(t, hqwire.KindOnlineHandover, h) // delivered again
	o.hub.Restart()
	o.send(t, hqwire.KindOnlineHandover, h)
	hqtest.Eventually(t, 20*time.Second, "headquarters' settings all taken", func() bool {
		n, err := o.hq.Store().PendingCount(context.Background(), o.code)
		return err == nil && n == 0
	})
	time.Sleep(time.Second) // the office applies what it fetched
	if got := o.quota(t, "A"); got.Quota != want {
		t.Fatalf("after the hand-over delivered three times: %+v, want %+v", got.Quota, want)
	}
	// The next day's hand-over keeps the online slots that were booked.
	next := nextWeekday(8, 30).AddDate(0, 0, 1).Format(time.DateOnly)
	o.send(t, hqwire.KindOnlineHandover, hqwire.Handover{Date: next, Groups: []hqwire.HandoverGroup{{Group: "B", Booked: before.Quota.Online - 1, Unused: 5}}})
	hqtest.Eventually(t, 20*time.Second, "the next day's quota event", func() bool {
		for _, e := range o.hqEvents(t, antre.EvQuota) {
			if e.Group == "B" && strings.Contains(string(e.Data), next) {
				var q antre.Quota
				json.Unmarshal(e.Data, &q)
				return q.Online == before.Quota.Online-1 && q.WalkIn == before.Quota.WalkIn+1
			}
		}
		return false
	})
}

// TestNoShowsOnceAtClosing: at closing each active booking of the day not checked in gets one
// booking.no_show event (a cancelled or checked-in one none), written by the worker on the
// hub's clock, once, also across a restart; headquarters receives them.
func TestNoShowsOnceAtClosing(t *testing.T) {
	o := startOffice(t, nextWeekday(10, 0), func(c *server.Config) { c.Checkin.NoShowEvery = 100 * time.Millisecond })
	o.send(t, hqwire.KindBookings, hqwire.BookingsDay{Date: o.date, Bookings: []hqwire.BookingSlot{
		slot("CAME0001", hqwire.PeriodMorning, "A", hqwire.BookingActive, "123456"),
		slot("GONE0002", hqwire.PeriodMorning, "A", hqwire.BookingCancelled, "123456"),
		slot("MISS0003", hqwire.PeriodMorning, "A", hqwire.BookingActive, "123456"),
		slot("MISS0004", hqwire.PeriodAfternoon, "C", hqwire.BookingActive, "123456"),
	}})
	// A day's first list that arrives after the day has passed: nobody could check in, so no
	// no-shows.
	yesterday := nextWeekday(10, 0).AddDate(0, 0, -1).Format(time.DateOnly)
	o.send(t, hqwire.KindBookings, hqwire.BookingsDay{Date: yesterday, Bookings: []hqwire.BookingSlot{
		slot("LATE0009", hqwire.PeriodMorning, "A", hqwire.BookingActive, "123456"),
	}})
	o.waitBookings(t, o.date, 4)
	o.waitBookings(t, yesterday, 1)
	if st, _, e := o.checkIn(t, "CAME0001", "123456", "id"); st != 201 {
		t.Fatalf("check-in: %d %+v", st, e)
	}
	o.hub.Clock.Set(nextWeekday(15, 59))
	time.Sleep(500 * time.Millisecond)
	if n := countLocal(t, o.hub, hqwire.EvBookingNoShow); n != 0 {
		t.Fatalf("%d no-shows before closing", n)
	}
	o.hub.Clock.Set(nextWeekday(16, 0))
	hqtest.Eventually(t, 10*time.Second, "the no-shows", func() bool { return countLocal(t, o.hub, hqwire.EvBookingNoShow) == 2 })
	o.hub.Restart()
	o.hub.Clock.Advance(time.Hour)
	time.Sleep(500 * time.Millisecond)
	if n := countLocal(t, o.hub, hqwire.EvBookingNoShow); n != 2 {
		t.Fatalf("%d no-shows after a restart", n)
	}
	d := o.bookings(t, o.date)
	var missed []string
	for _, b := range d.Bookings {
		if b.NoShow {
			missed = append(missed, b.Booking)
		}
	}
	if strings.Join(missed, ",") != "MISS0003,MISS0004" {
		t.Fatalf("no-shows %v", missed)
	}
	hqtest.Eventually(t, 20*time.Second, "the no-shows at headquarters", func() bool { return len(o.hqEvents(t, hqwire.EvBookingNoShow)) == 2 })
	if b := bookingOf(t, o.hqEvents(t, hqwire.EvBookingNoShow)[1]); b.Booking != "MISS0004" || b.Group != "C" || b.Date != o.date || b.Period != hqwire.PeriodAfternoon {
		t.Fatalf("no-show at headquarters: %+v", b)
	}
}

// countLocal counts the office's own events of type.
func countLocal(t *testing.T, hub *servertest.Hub, typ antre.EventType) int {
	t.Helper()
	evs, err := hub.DB().EventsSince(context.Background(), 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		if e.Type == typ {
			n++
		}
	}
	return n
}

// TestConfigKeys: the module's keys are read from the environment like every key of the hub
// (ANTRE_CHECKIN_…), and the defaults hold without them.
func TestConfigKeys(t *testing.T) {
	cfg, err := server.LoadConfig(nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Checkin != checkin.DefaultConfig() {
		t.Fatalf("defaults: %+v", cfg.Checkin)
	}
	t.Setenv("ANTRE_CHECKIN_STRICT_PERIODS", "true")
	t.Setenv("ANTRE_CHECKIN_NOSHOW_EVERY", "5s")
	t.Setenv("ANTRE_CHECKIN_BOOKING_PER_MINUTE", "3")
	if cfg, err = server.LoadConfig(nil); err != nil {
		t.Fatal(err)
	}
	if !cfg.Checkin.StrictPeriods || cfg.Checkin.NoShowEvery != 5*time.Second || cfg.Checkin.BookingPerMinute != 3 || cfg.Checkin.KioskPerMinute != 60 {
		t.Fatalf("from the environment: %+v", cfg.Checkin)
	}
}
