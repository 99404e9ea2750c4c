package kiosk_test

import (
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"antre"
	"antre/checkin"
	"antre/hq/hqtest"
	"antre/hqwire"
	"antre/internal/browsertest"
	"antre/printers"
	"antre/printers/printertest"
	"antre/server/servertest"
)

func TestMain(m *testing.M) { os.Exit(hqtest.Main(m)) }

// bookedHub starts headquarters and a hub linked to it, its clock on the next working day at
// 09:00 in Jakarta, and sends it that day's bookings as headquarters' booking service does.
func bookedHub(t *testing.T, slots ...hqwire.BookingSlot) (*servertest.Hub, func(kind string, data any)) {
	t.Helper()
	wib, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	d := time.Now().In(wib).AddDate(0, 0, 1)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	start := time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, wib)
	hq := hqtest.StartHQ(t)
	creds := hq.Office("KANIM-BTM", "Kantor Imigrasi Batam", "Kepulauan Riau")
	hub := servertest.Start(t, servertest.Settings{Start: start}, hqtest.Linked("KANIM-BTM", creds, hq.NATSURL()))
	date := start.Format(time.DateOnly)
	send := func(kind string, v any) {
		t.Helper()
		data, _ := json.Marshal(v)
		if err := hq.Store().Enqueue(context.Background(), "KANIM-BTM", hqwire.Setting{Kind: kind, Data: data}); err != nil {
			t.Fatal(err)
		}
	}
	send(hqwire.KindBookings, hqwire.BookingsDay{Date: date, Bookings: slots})
	hqtest.Eventually(t, 20*time.Second, "the bookings at the office", func() bool {
		var day checkin.Day
		hub.Do("GET", "/api/v1/bookings?date="+date, hub.Officer, nil, &day)
		return len(day.Bookings) == len(slots)
	})
	return hub, send
}

func booked(code, group, last6 string) hqwire.BookingSlot {
	return hqwire.BookingSlot{Booking: code, Period: hqwire.PeriodMorning, Group: group, State: hqwire.BookingActive,
		NIKCheck: hqwire.NIKCheck(code, last6), Name: "S*** R***"}
}

// TestPageCheckInPrints drives the kiosk page in headless Chromium: the check-in entry, the
// booking's code typed on the screen's keys, the NIK's last 6 digits; wrong digits show the
// hub's message and print nothing; the right ones print a ticket of the online pool whose text
// and barcode carry the number the hub issued. A scan on the start screen (the scanner types
// the code and Enter) goes straight to the digits.
func TestPageCheckInPrints(t *testing.T) {
	ctx := browsertest.New(t, browsertest.Options{Width: 1920, Height: 1080})
	h, send := bookedHub(t, booked("BOOKA001", "A", "123456"), booked("BOOKB002", "B", "654321"))
	p := printertest.New(t)
	k := runKiosk(t, h.URL, h.Kiosk, p.Addr(), printers.Profile58())
	waitReady(t, k)

	run(t, ctx, chromedp.EmulateViewport(1920, 1080), chromedp.Navigate(k+"/"), chromedp.WaitVisible(chromedp.CSS(`#checkin-open`)))
	screenshot(t, ctx, "checkin-home-1920x1080")
	typeCode := func(code string) {
		t.Helper()
		run(t, ctx, chromedp.Click(chromedp.CSS(`#checkin-open`)), chromedp.WaitVisible(chromedp.CSS(`#checkin-keys button[data-key="A"]`)))
		for _, c := range code {
			run(t, ctx, chromedp.Click(chromedp.CSS(`#checkin-keys button[data-key="`+string(c)+`"]`)))
		}
		screenshot(t, ctx, "checkin-code-1920x1080")
		run(t, ctx, chromedp.Click(chromedp.CSS(`#checkin-next`)))
	}
	digitsShown := func() { t.Helper(); run(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#nik-pad`))) }
	typeDigits := func(digits string) {
		t.Helper()
		for _, d := range digits {
			pos := map[rune]string{'1': "1", '2': "2", '3': "3", '4': "4", '5': "5", '6': "6", '7': "7", '8': "8", '9': "9", '0': "11"}[d]
			run(t, ctx, chromedp.Click(chromedp.CSS(`#nik-pad button:nth-child(`+pos+`)`)))
		}
		run(t, ctx, chromedp.Click(chromedp.CSS(`#nik-pad .nik-ok`)))
	}

	// With the printer out of paper the entry is greyed out, like the groups.
	p.SetPaperOut(true)
	browsertest.WaitJS(t, ctx, 5*time.Second, `document.getElementById('checkin-open').disabled`, `document.getElementById('checkin-open').outerHTML`)
	p.SetPaperOut(false)
	browsertest.WaitJS(t, ctx, 5*time.Second, `!document.getElementById('checkin-open').disabled`, `document.getElementById('checkin-open').outerHTML`)

	// A malformed code is refused on the spot.
	typeCode("BK1")
	run(t, ctx, chromedp.Sleep(200*time.Millisecond))
	if sub := browsertest.Eval[string](t, ctx, step, `document.getElementById('checkin-sub').textContent`); !strings.Contains(sub, "8 sampai 16") {
		t.Fatalf("malformed code: %q", sub)
	}
	run(t, ctx, chromedp.Click(chromedp.CSS(`#checkin-back`)), chromedp.WaitVisible(chromedp.CSS(`#checkin-open`)))

	typeCode("BOOKA001")
	digitsShown()
	if chip := browsertest.Eval[string](t, ctx, step, `document.getElementById('nik-booking').textContent`); chip != "Pemesanan BOOKA001" {
		t.Fatalf("booking chip %q", chip)
	}
	typeDigits("111111")
	run(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#screen-message #message-body`)))
	msg := browsertest.Eval[string](t, ctx, step, `document.getElementById('message-title').textContent + ' / ' + document.getElementById('message-body').textContent`)
	if !strings.Contains(msg, "Check-in tidak dapat dilakukan") || !strings.Contains(msg, "tidak cocok dengan pemesanan ini") {
		t.Fatalf("wrong digits: %q", msg)
	}
	if n := used(t, h, "A"); n != 0 || len(p.Jobs()) != 0 {
		t.Fatalf("wrong digits issued %d, printed %d", n, len(p.Jobs()))
	}
	screenshot(t, ctx, "checkin-refused-1920x1080")
	run(t, ctx, chromedp.Click(chromedp.CSS(`#message-ok`)), chromedp.WaitVisible(chromedp.CSS(`#checkin-open`)))

	typeCode("BOOKA001")
	digitsShown()
	screenshot(t, ctx, "checkin-nik-1920x1080")
	typeDigits("123456")
	run(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#screen-done #done-code`)))
	code := browsertest.Eval[string](t, ctx, step, `document.getElementById('done-code').textContent`)
	chip := browsertest.Eval[string](t, ctx, step, `document.getElementById('done-priority').textContent`)
	if code != "A001" || chip != "Pemesanan online" {
		t.Fatalf("done screen: %q %q", code, chip)
	}
	screenshot(t, ctx, "checkin-done-1920x1080")
	jobs := p.WaitJobs(1)
	if s := printedText(t, jobs[0]); !contains(s, "A001", "NOMOR ANTREAN") || strings.Contains(s, "123456") {
		t.Errorf("printed check-in ticket:\n%s", s)
	}
	if got := scan(t, jobs[0].Data); len(got) != 2 || got[0] != "CODE-128:A001" || !strings.HasPrefix(got[1], "QR-Code:"+h.Config.PublicURL+"/status/A001") {
		t.Errorf("barcodes %q", got)
	}
	var q struct{ Groups []antre.GroupQuota }
	if st := h.Do("GET", "/api/v1/quota", "", nil, &q); st != 200 || q.Groups[0].Group != "A" || q.Groups[0].Used != (antre.Quota{Online: 1}) {
		t.Fatalf("the hub's quota after the check-in: %d %+v", st, q.Groups[0])
	}
	hqtest.Eventually(t, 5*time.Second, "the print confirmed at the hub", func() bool {
		var held struct{ Tickets []struct{ Code string } }
		h.Do("GET", "/api/v1/tickets/held", h.Officer, nil, &held)
		return len(held.Tickets) == 0
	})

	// A scan on the start screen, in English.
	run(t, ctx, chromedp.Click(chromedp.CSS(`#finish`)), chromedp.WaitVisible(chromedp.CSS(`#checkin-open`)),
		chromedp.Click(chromedp.CSS(`#lang`)), chromedp.KeyEvent("https://booking.example/b/BOOKB002\r"),
		chromedp.WaitVisible(chromedp.CSS(`#nik-pad`)))
	if chip := browsertest.Eval[string](t, ctx, step, `document.getElementById('nik-booking').textContent`); chip != "Booking BOOKB002" {
		t.Fatalf("scanned booking chip %q", chip)
	}
	typeDigits("654321")
	run(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#screen-done #done-code`)))
	if code := browsertest.Eval[string](t, ctx, step, `document.getElementById('done-code').textContent`); code != "B001" {
		t.Fatalf("scanned check-in: %q", code)
	}
	if jobs := p.WaitJobs(2); !contains(printedText(t, jobs[1]), "B001") {
		t.Errorf("second print: %s", printedText(t, jobs[1]))
	}
	// The same booking again: used.
	run(t, ctx, chromedp.Click(chromedp.CSS(`#finish`)), chromedp.WaitVisible(chromedp.CSS(`#checkin-open`)))
	typeCode("BOOKB002")
	digitsShown()
	typeDigits("654321")
	run(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#screen-message #message-body`)))
	if msg := browsertest.Eval[string](t, ctx, step, `document.getElementById('message-body').textContent`); !strings.Contains(msg, "sudah digunakan untuk check-in") {
		t.Fatalf("used booking: %q", msg)
	}
	if len(p.Jobs()) != 2 {
		t.Fatalf("%d prints for two check-ins", len(p.Jobs()))
	}

	// Headquarters hands today's unused online quota of E over to walk-ins: the page's button
	// shows the new number.
	run(t, ctx, chromedp.Click(chromedp.CSS(`#message-ok`)), chromedp.WaitVisible(chromedp.CSS(`#checkin-open`)))
	remaining := `document.querySelector('button.group[data-group="E"] .quota').textContent`
	before := browsertest.Eval[string](t, ctx, step, remaining)
	var q0 struct{ Groups []antre.GroupQuota }
	h.Do("GET", "/api/v1/quota", "", nil, &q0)
	e := q0.Groups[4]
	send(hqwire.KindOnlineHandover, hqwire.Handover{Date: h.DB().Today(), Groups: []hqwire.HandoverGroup{{Group: "E", Booked: 0, Unused: e.Quota.Online}}})
	want := "Sisa kuota hari ini: " + strconv.Itoa(e.Remaining.WalkIn+e.Quota.Online)
	browsertest.WaitJS(t, ctx, 20*time.Second, remaining+` === '`+want+`'`, remaining)
	t.Logf("E's button: %q, then %q", before, want)
}

// TestCheckInAnswerLost: the hub checks a booking in but its answer never reaches the kiosk;
// the kiosk sends the check-in again with the same idempotency key and gets the same ticket,
// which it prints once, instead of "already checked in". The digits never reach the page's
// state.
func TestCheckInAnswerLost(t *testing.T) {
	h, _ := bookedHub(t, booked("LOST0001", "C", "246810"))
	p := printertest.New(t)
	px := newProxy(t, h.URL)
	k := runKiosk(t, px.URL, h.Kiosk, p.Addr(), printers.Profile80())
	waitReady(t, k)
	px.loseNextAnswer()
	var tr tapResult
	if st := call(t, "POST", k, "/api/checkins", nil, map[string]string{"booking": "lost0001", "nik_last6": "246810", "lang": "id"}, &tr); st != 200 || tr.State != "printed" {
		t.Fatalf("check-in: %d %+v", st, tr)
	}
	if tr.Ticket == nil || tr.Ticket.Code != "C001" {
		t.Fatalf("ticket %+v", tr.Ticket)
	}
	keys := px.keys()
	if len(keys) != 2 || keys[0] == "" || keys[0] != keys[1] {
		t.Fatalf("idempotency keys of the two sends: %q", keys)
	}
	if n := used(t, h, "C"); n != 1 || len(p.WaitJobs(1)) != 1 {
		t.Fatalf("one check-in took %d numbers, printed %d", n, len(p.Jobs()))
	}
	raw := new(json.RawMessage)
	call(t, "GET", k, "/api/state", nil, nil, raw)
	if strings.Contains(string(*raw), "246810") {
		t.Fatalf("the digits in the page's state: %s", *raw)
	}
	if st := call(t, "POST", k, "/api/checkins", nil, map[string]string{"booking": "LOST0001", "nik_last6": "24681", "lang": "en"}, nil); st != 400 {
		t.Fatalf("five digits: %d", st)
	}
}
