package hq_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"antre"
	"antre/hq"
	"antre/hq/hqtest"
	"antre/hq/pg"
	"antre/hqwire"
	"antre/internal/browsertest"
	"antre/server/servertest"
	"antre/smsgw"
)

// smsPeer is an SMS provider's HTTP API on 127.0.0.1: it takes form posts {to, text} as the
// http adapter sends them and keeps every message, so a test reads the one-time code the way
// an applicant's phone would.
type smsPeer struct {
	*httptest.Server
	mu   sync.Mutex
	msgs map[string][]string
	n    int
}

func startSMSPeer(t testing.TB) *smsPeer {
	p := &smsPeer{msgs: map[string][]string{}}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.Form.Get("to") == "" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		p.mu.Lock()
		p.msgs[r.Form.Get("to")] = append(p.msgs[r.Form.Get("to")], r.Form.Get("text"))
		p.n++
		p.mu.Unlock()
		w.Write([]byte(`{"status":"ok"}`))
	}))
	t.Cleanup(p.Close)
	return p
}

var codeRE = regexp.MustCompile(`\b(\d{6})\b`)

// code waits for the n-th message (1-based) to phone (international form) and returns its code.
func (p *smsPeer) code(t testing.TB, phone string, n int) string {
	t.Helper()
	var text string
	hqtest.Eventually(t, 20*time.Second, "the code's SMS to "+phone, func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		if len(p.msgs[phone]) >= n {
			text = p.msgs[phone][n-1]
			return true
		}
		return false
	})
	m := codeRE.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no code in %q", text)
	}
	return m[1]
}

func (p *smsPeer) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}

// testClock is headquarters' clock in a test: a fixed start that runs on, and can be moved.
type testClock struct {
	mu    sync.Mutex
	base  time.Time
	start time.Time
	shift time.Duration
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base.Add(time.Since(c.start) + c.shift)
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.shift = t.Sub(c.base) - time.Since(c.start)
}

var wib, _ = time.LoadLocation("Asia/Jakarta")

// bookingHQ starts headquarters on Monday 2026-12-07 09:00 WIB with office KANIM-JKT taking
// bookings for group A (daily quota dailyA: 20% online) and its one-time codes sent to an SMS
// peer.
func bookingHQ(t testing.TB, dailyA int, opts ...func(*hq.Config)) (*hqtest.HQ, *smsPeer, *testClock) {
	t.Helper()
	peer := startSMSPeer(t)
	clk := &testClock{base: time.Date(2026, 12, 7, 9, 0, 0, 0, wib), start: time.Now()}
	h := hqtest.StartHQ(t, append([]func(*hq.Config){func(c *hq.Config) {
		c.Now = clk.Now
		c.Booking.SMS = smsgw.NewHTTP(smsgw.HTTPConfig{URL: peer.URL, Method: "POST", Format: "form", ToField: "to", TextField: "text"}, "IMIGRASI")
	}}, opts...)...)
	h.Office("KANIM-JKT", "Kantor Imigrasi Jakarta Pusat", "DKI Jakarta")
	st, body := call(t, "PUT", h.URL+"/api/v1/offices/KANIM-JKT/booking", "test-admin", map[string]any{
		"groups": []map[string]any{{"group": "A", "name_id": "Paspor baru", "name_en": "New passport", "daily": dailyA}}})
	if st != 200 {
		t.Fatalf("booking config: %d %v", st, body)
	}
	return h, peer, clk
}

// call sends a JSON request (with the admin token when given) and decodes the answer.
func call(t testing.TB, method, url, token string, body any) (int, map[string]any) {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, url, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func errCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

// nik is a valid NIK of Central Jakarta, born 15 May 1990, with sequence seq.
func nik(seq int) string { return fmt.Sprintf("317101150590%04d", seq) }

func phone(n int) (local, intl string) {
	return fmt.Sprintf("0812%08d", n), fmt.Sprintf("62812%08d", n)
}

// book asks for a booking of 2026-12-09 and confirms it with the code from the SMS peer.
func book(t testing.TB, h *hqtest.HQ, peer *smsPeer, seq int, period string) (int, map[string]any) {
	t.Helper()
	local, intl := phone(seq)
	st, body := call(t, "POST", h.URL+"/api/v1/bookings", "", map[string]any{"office": "KANIM-JKT", "date": "2026-12-09", "period": period,
		"group": "A", "nik": nik(seq), "name": "Pemohon Nomor " + fmt.Sprint(seq), "phone": local})
	if st != 202 {
		return st, body
	}
	code := peer.code(t, intl, 1)
	return call(t, "POST", h.URL+"/api/v1/bookings/"+body["request"].(string)+"/confirm", "", map[string]any{"code": code})
}

// TestBooking: slots are the online share split over the periods; a booking needs the SMS code
// and gets a code and a QR code; the same NIK (or phone) twice on a day is refused, at the
// request and at the confirmation; a wrong code counts, too many attempts and an expired code
// are refused; a cancellation and a move need a code again, a move happens once, and every
// change is audited.
func TestBooking(t *testing.T) {
	h, peer, clk := bookingHQ(t, 60, func(c *hq.Config) { c.Booking.CodeAttempts = 3 })
	var slots []map[string]any
	if st := getJSON(t, h.URL+"/api/v1/slots?office=KANIM-JKT&date=2026-12-09", &slots); st != 200 {
		t.Fatalf("slots: %d", st)
	}
	if len(slots) != 2 || slots[0]["period"] != "08-12" || slots[0]["free"] != 6.0 || slots[1]["period"] != "12-16" || slots[1]["free"] != 6.0 {
		t.Fatalf("slots of 20%% of 60 over two periods: %v", slots)
	}
	// Saturday and a day before the horizon are refused with the reason.
	if st, body := call(t, "GET", h.URL+"/api/v1/slots?office=KANIM-JKT&date=2026-12-12", "", nil); st != 409 || errCode(body) != "conflict" {
		t.Fatalf("Saturday: %d %v", st, body)
	}
	if st, body := call(t, "GET", h.URL+"/api/v1/slots?office=KANIM-JKT&date=2026-12-07", "", nil); st != 409 {
		t.Fatalf("today, after the cut-off: %d %v", st, body)
	}

	st, b := book(t, h, peer, 1, "08-12")
	if st != 201 {
		t.Fatalf("booking: %d %v", st, b)
	}
	code := b["booking"].(string)
	if err := hqwire.ValidBookingCode(code); err != nil || b["nik"] != "3171********0001" || b["state"] != "active" {
		t.Fatalf("booking answer %v (%v)", b, err)
	}
	resp, err := http.Get(h.URL + "/api/v1/bookings/" + code + "/qr.png")
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(resp.Body)
	resp.Body.Close()
	if err != nil || img.Bounds().Dx() != 200 {
		t.Fatalf("QR code: %v", err)
	}
	if getJSON(t, h.URL+"/api/v1/slots?office=KANIM-JKT&date=2026-12-09", &slots); slots[0]["free"] != 5.0 {
		t.Fatalf("after one booking: %v", slots)
	}

	// The same NIK again that day: refused before a code is sent.
	sent := peer.count()
	_, l2 := phone(2)
	st, body := call(t, "POST", h.URL+"/api/v1/bookings", "", map[string]any{"office": "KANIM-JKT", "date": "2026-12-09", "period": "12-16",
		"group": "A", "nik": nik(1), "name": "Orang Lain", "phone": l2})
	if st != 409 || errCode(body) != "conflict" || peer.count() != sent {
		t.Fatalf("same NIK twice: %d %v", st, body)
	}
	// The same phone for another NIK that day: refused.
	l1, _ := phone(1)
	st, body = call(t, "POST", h.URL+"/api/v1/bookings", "", map[string]any{"office": "KANIM-JKT", "date": "2026-12-09", "period": "12-16",
		"group": "A", "nik": nik(2), "name": "Orang Lain", "phone": l1})
	if st != 409 {
		t.Fatalf("same phone, other NIK: %d %v", st, body)
	}
	// Two requests of one NIK before either is confirmed: the second confirmation is refused.
	l3, i3 := phone(3)
	var reqs []string
	for _, p := range []string{"08-12", "12-16"} {
		st, body := call(t, "POST", h.URL+"/api/v1/bookings", "", map[string]any{"office": "KANIM-JKT", "date": "2026-12-09", "period": p,
			"group": "A", "nik": nik(3), "name": "Budi Santoso", "phone": l3})
		if st != 202 {
			t.Fatalf("request %s: %d %v", p, st, body)
		}
		reqs = append(reqs, body["request"].(string))
	}
	if st, body := call(t, "POST", h.URL+"/api/v1/bookings/"+reqs[0]+"/confirm", "", map[string]any{"code": peer.code(t, i3, 1)}); st != 201 {
		t.Fatalf("first: %d %v", st, body)
	}
	if st, body := call(t, "POST", h.URL+"/api/v1/bookings/"+reqs[1]+"/confirm", "", map[string]any{"code": peer.code(t, i3, 2)}); st != 409 ||
		body["error"].(map[string]any)["message"] != antre.T("id", antre.MsgBookingNIKTaken) {
		t.Fatalf("second booking of the NIK: %d %v", st, body)
	}

	// Wrong codes count; after three the request is dead even with the right code.
	l4, i4 := phone(4)
	_, body = call(t, "POST", h.URL+"/api/v1/bookings", "", map[string]any{"office": "KANIM-JKT", "date": "2026-12-09", "period": "12-16",
		"group": "A", "nik": nik(4), "name": "Siti Aminah", "phone": l4})
	req4 := body["request"].(string)
	right := peer.code(t, i4, 1)
	wrong := fmt.Sprintf("%06d", (atoi(right)+1)%1000000)
	for i := range 3 {
		if st, body := call(t, "POST", h.URL+"/api/v1/bookings/"+req4+"/confirm", "", map[string]any{"code": wrong}); st != 400 {
			t.Fatalf("wrong code %d: %d %v", i, st, body)
		}
	}
	if st, body := call(t, "POST", h.URL+"/api/v1/bookings/"+req4+"/confirm", "", map[string]any{"code": right}); st != 429 {
		t.Fatalf("right code after 3 wrong ones: %d %v", st, body)
	}
	// A code expires after five minutes.
	l5, i5 := phone(5)
	_, body = call(t, "POST", h.URL+"/api/v1/bookings", "", map[string]any{"office": "KANIM-JKT", "date": "2026-12-09", "period": "12-16",
		"group": "A", "nik": nik(5), "name": "Siti Aminah", "phone": l5})
	req5 := body["request"].(string)
	code5 := peer.code(t, i5, 1)
	clk.Set(clk.Now().Add(5*time.Minute + time.Second))
	if st, body := call(t, "POST", h.URL+"/api/v1/bookings/"+req5+"/confirm", "", map[string]any{"code": code5}); st != 409 ||
		body["error"].(map[string]any)["message"] != antre.T("id", antre.MsgBookingExpired) {
		t.Fatalf("expired code: %d %v", st, body)
	}

	// Move once (with a code), then not again; cancel (with a code) frees the place.
	_, i1 := phone(1)
	st, body = call(t, "POST", h.URL+"/api/v1/bookings/"+code+"/move", "", map[string]any{"nik": nik(2), "date": "2026-12-10", "period": "12-16"})
	if st != 404 {
		t.Fatalf("move with another NIK: %d %v", st, body)
	}
	st, body = call(t, "POST", h.URL+"/api/v1/bookings/"+code+"/move", "", map[string]any{"nik": nik(1), "date": "2026-12-10", "period": "12-16"})
	if st != 202 {
		t.Fatalf("move: %d %v", st, body)
	}
	st, moved := call(t, "POST", h.URL+"/api/v1/bookings/"+body["request"].(string)+"/confirm", "", map[string]any{"code": peer.code(t, i1, 2)})
	if st != 201 || moved["date"] != "2026-12-10" || moved["moved_from"] != code {
		t.Fatalf("move confirmed: %d %v", st, moved)
	}
	if _, old := call(t, "GET", h.URL+"/api/v1/bookings/"+code, "", nil); old["state"] != "cancelled" {
		t.Fatalf("the moved booking: %v", old)
	} else if name, _ := old["name"].(string); !strings.Contains(name, "*") {
		t.Fatalf("a booking looked up by its code shows the name %q unmasked", name)
	}
	newCode := moved["booking"].(string)
	if st, body := call(t, "POST", h.URL+"/api/v1/bookings/"+newCode+"/move", "", map[string]any{"nik": nik(1), "date": "2026-12-11",
		"period": "08-12"}); st != 409 || body["error"].(map[string]any)["message"] != antre.T("id", antre.MsgBookingMovedOnce) {
		t.Fatalf("second move: %d %v", st, body)
	}
	st, body = call(t, "POST", h.URL+"/api/v1/bookings/"+newCode+"/cancel", "", map[string]any{"nik": nik(1)})
	if st != 202 {
		t.Fatalf("cancel: %d %v", st, body)
	}
	if st, c := call(t, "POST", h.URL+"/api/v1/bookings/"+body["request"].(string)+"/confirm", "", map[string]any{"code": peer.code(t, i1, 3)}); st != 200 || c["state"] != "cancelled" {
		t.Fatalf("cancel confirmed: %d %v", st, c)
	}
	if getJSON(t, h.URL+"/api/v1/slots?office=KANIM-JKT&date=2026-12-09", &slots); slots[0]["free"] != 5.0 || slots[1]["free"] != 6.0 {
		t.Fatalf("12-09 after the move away (booking 3 remains): %v", slots)
	}
	if getJSON(t, h.URL+"/api/v1/slots?office=KANIM-JKT&date=2026-12-10", &slots); slots[1]["free"] != 6.0 {
		t.Fatalf("12-10 after the cancellation: %v", slots)
	}
	trail, err := h.Store().Audit(context.Background(), newCode)
	if err != nil || len(trail) != 2 || trail[0][0] != "move" || trail[1][0] != "cancelled" {
		t.Fatalf("audit of %s: %v %v", newCode, trail, err)
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// TestBookingRush: 2,000 applicants confirm at once for the 12 places of a period: exactly 12
// bookings, 1,988 clear "full" answers naming the next free days, no 5xx, no NIK twice.
func TestBookingRush(t *testing.T) {
	if testing.Short() {
		t.Skip("the rush takes a while")
	}
	h, peer, _ := bookingHQ(t, 120, func(c *hq.Config) {
		c.Booking.ClientPerMinute, c.Booking.ClientBurst = 1_000_000, 1_000_000
	})
	const n = 2000
	ids := make([]string, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			local, _ := phone(1000 + i)
			st, body := call(t, "POST", h.URL+"/api/v1/bookings", "", map[string]any{"office": "KANIM-JKT", "date": "2026-12-09",
				"period": "08-12", "group": "A", "nik": nik(1000 + i), "name": "Pemohon", "phone": local})
			if st != 202 {
				t.Errorf("request %d: %d %v", i, st, body)
				return
			}
			ids[i] = body["request"].(string)
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	codes := make([]string, n)
	for i := range n {
		_, intl := phone(1000 + i)
		codes[i] = peer.code(t, intl, 1)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n}}
	statuses := make([]int, n)
	bodies := make([]map[string]any, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			b, _ := json.Marshal(map[string]string{"code": codes[i]})
			resp, err := client.Post(h.URL+"/api/v1/bookings/"+ids[i]+"/confirm", "application/json", bytes.NewReader(b))
			if err != nil {
				t.Errorf("confirm %d: %v", i, err)
				return
			}
			defer resp.Body.Close()
			statuses[i] = resp.StatusCode
			json.NewDecoder(resp.Body).Decode(&bodies[i])
		}()
	}
	close(start)
	wg.Wait()
	granted, full, other := 0, 0, map[int]int{}
	for i, st := range statuses {
		switch {
		case st == 201:
			granted++
		case st == 409 && errCode(bodies[i]) == "full":
			full++
			if nf, _ := bodies[i]["error"].(map[string]any)["next_free"].([]any); len(nf) == 0 {
				t.Fatalf("full answer without the next free days: %v", bodies[i])
			}
		default:
			other[st]++
		}
	}
	if granted != 12 || full != n-12 || len(other) > 0 {
		t.Fatalf("granted %d, full %d, other %v", granted, full, other)
	}
	var rows, niks, taken int
	pool := h.Store().Pool()
	if err := pool.QueryRow(context.Background(), `SELECT count(*), count(DISTINCT nik_hash) FROM bookings WHERE state = 'active'`).Scan(&rows, &niks); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(context.Background(), `SELECT taken FROM booking_slots WHERE office = 'KANIM-JKT' AND date = '2026-12-09' AND period = '08-12'`).Scan(&taken); err != nil {
		t.Fatal(err)
	}
	if rows != 12 || niks != 12 || taken != 12 {
		t.Fatalf("stored: %d bookings of %d NIKs, slot taken %d", rows, niks, taken)
	}
}

// TestBookingToTheOffice: a day's bookings reach the office's settings subject ahead of time
// (masked, with the NIK check, a burst coalesced); an office's check-in event marks the booking
// used and a no-show counts against the NIK; at the cut-off the hand-over is published once.
func TestBookingToTheOffice(t *testing.T) {
	h, peer, clk := bookingHQ(t, 60)
	st, b := book(t, h, peer, 1, "08-12")
	if st != 201 {
		t.Fatalf("booking: %d %v", st, b)
	}
	code := b["booking"].(string)
	st, b2 := book(t, h, peer, 2, "12-16")
	if st != 201 {
		t.Fatalf("booking 2: %d %v", st, b2)
	}
	ctx := context.Background()
	cons, err := h.JetStream().OrderedConsumer(ctx, hqwire.SettingsStream, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{hqwire.SettingsSubject("KANIM-JKT")}})
	if err != nil {
		t.Fatal(err)
	}
	var day hqwire.BookingsDay
	var handover *hqwire.Handover
	handovers := 0
	next := func(wait time.Duration) bool {
		m, err := cons.Next(jetstream.FetchMaxWait(wait))
		if err != nil {
			return false
		}
		var s hqwire.Setting
		if err := json.Unmarshal(m.Data(), &s); err != nil {
			t.Fatal(err)
		}
		switch s.Kind {
		case hqwire.KindBookings:
			if s.Date == "2026-12-09" {
				json.Unmarshal(s.Data, &day)
			}
		case hqwire.KindOnlineHandover:
			if s.Date == "2026-12-09" {
				handovers++
				handover = &hqwire.Handover{}
				json.Unmarshal(s.Data, handover)
			}
		}
		return true
	}
	read := func(until func() bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for !until() {
			if time.Now().After(deadline) {
				t.Fatalf("waited for the settings: last day %+v, hand-overs %d", day, handovers)
			}
			next(time.Second)
		}
	}
	read(func() bool { return len(day.Bookings) == 2 })
	var mine hqwire.BookingSlot
	for _, s := range day.Bookings {
		if s.Booking == code {
			mine = s
		}
	}
	if mine.State != hqwire.BookingActive || mine.NIKCheck != hqwire.NIKCheck(code, "900001") || mine.Name != "P****** N**** 1" || mine.Period != "08-12" {
		t.Fatalf("the office's copy of the booking: %+v", mine)
	}
	if handover != nil {
		t.Fatalf("handed over before the cut-off: %+v", handover)
	}

	// The office reports the check-in (and, for the other booking, a no-show) as its events.
	publish := func(id int64, typ antre.EventType, ev hqwire.BookingEvent) {
		data, _ := json.Marshal(ev)
		e, _ := json.Marshal(antre.Event{ID: id, Office: "KANIM-JKT", Type: typ, At: time.Now(), Data: data})
		m := nats.NewMsg(hqwire.EventsSubject("KANIM-JKT"))
		m.Data = e
		m.Header.Set(jetstream.MsgIDHeader, hqwire.MsgID("KANIM-JKT", id))
		if _, err := h.JetStream().PublishMsg(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	publish(1, hqwire.EvBookingCheckedIn, hqwire.BookingEvent{Booking: code, Date: "2026-12-09", Period: "08-12", Group: "A", Ticket: "O001"})
	hqtest.Eventually(t, 10*time.Second, "the booking used", func() bool {
		_, b := call(t, "GET", h.URL+"/api/v1/bookings/"+code, "", nil)
		return b["state"] == "used"
	})
	publish(1, hqwire.EvBookingCheckedIn, hqwire.BookingEvent{Booking: code, Ticket: "O001"}) // a redelivery changes nothing
	publish(2, hqwire.EvBookingNoShow, hqwire.BookingEvent{Booking: b2["booking"].(string), Date: "2026-12-09", Period: "12-16", Group: "A"})
	hqtest.Eventually(t, 10*time.Second, "the no-show counted", func() bool {
		n, last, _ := h.Store().NoShows(ctx, pg.NIKHash(nik(2)))
		return n == 1 && last == "2026-12-09"
	})
	trail, _ := h.Store().Audit(ctx, code)
	if len(trail) != 2 || trail[1][0] != "checked_in" {
		t.Fatalf("audit: %v", trail)
	}

	// A code asked for two minutes before the cut-off expires at the cut-off.
	clk.Set(time.Date(2026, 12, 8, 15, 58, 0, 0, wib))
	st, late := call(t, "POST", h.URL+"/api/v1/bookings", "", map[string]any{"office": "KANIM-JKT", "date": "2026-12-09", "period": "12-16",
		"group": "A", "nik": nik(8), "name": "Hampir Terlambat", "phone": "081200000008"})
	if st != 202 {
		t.Fatalf("request before the cut-off: %d %v", st, late)
	}
	lateCode := peer.code(t, "6281200000008", 1)
	clk.Set(time.Date(2026, 12, 8, 16, 0, 1, 0, wib))
	if st, body := call(t, "POST", h.URL+"/api/v1/bookings/"+late["request"].(string)+"/confirm", "", map[string]any{"code": lateCode}); st != 409 ||
		body["error"].(map[string]any)["message"] != antre.T("id", antre.MsgBookingExpired) {
		t.Fatalf("confirmed after the cut-off: %d %v", st, body)
	}
	// After the cut-off (the day before at 16:00 WIB, and a grace of 10 s) the day is handed
	// over, once.
	clk.Set(time.Date(2026, 12, 8, 16, 0, 11, 0, wib))
	read(func() bool { return handover != nil })
	if len(handover.Groups) != 1 || handover.Groups[0] != (hqwire.HandoverGroup{Group: "A", Booked: 2, Unused: 10}) {
		t.Fatalf("hand-over: %+v", handover)
	}
	time.Sleep(2 * time.Second)
	for next(500 * time.Millisecond) {
	}
	if handovers != 1 {
		t.Fatalf("hand-overs: %d", handovers)
	}
	_, b = call(t, "POST", h.URL+"/api/v1/bookings", "", map[string]any{"office": "KANIM-JKT", "date": "2026-12-09", "period": "12-16",
		"group": "A", "nik": nik(7), "name": "Terlambat", "phone": "081200000007"})
	if b["error"].(map[string]any)["message"] != antre.T("id", antre.MsgBookingCutOff, "2026-12-09") {
		t.Fatalf("booking after the cut-off: %v", b)
	}
}

// TestBookingPage: the public booking page in headless Chromium at a phone's size, in English:
// choose the day and period, give NIK, name and phone, type the code from the SMS, see the
// booking code and its QR code, then cancel it with a new code. The whole flow's bytes over
// the wire stay small (a slow 3G phone).
func TestBookingPage(t *testing.T) {
	h, peer, _ := bookingHQ(t, 60)
	bytes := bookingFlow(t, h, peer)
	t.Logf("booking page, whole flow: %.0f bytes over the wire", bytes)
	if bytes == 0 || bytes > 60_000 {
		t.Fatalf("the whole flow took %.0f bytes", bytes)
	}
	// Indonesian by default; the toggle switches to English.
	browser := browsertest.New(t, browsertest.Options{Width: 360, Height: 740})
	tab := browsertest.Tab(t, browser)
	browsertest.Do(t, tab, 20*time.Second, chromedp.Navigate(h.URL+"/booking"))
	browsertest.WaitJS(t, tab, 10*time.Second, `document.querySelectorAll('#periods input').length === 2`, `document.body.innerText`)
	if got := browsertest.Eval[string](t, tab, 5*time.Second, `document.querySelector('h1').textContent + '|' + document.getElementById('send').textContent`); got != "Pemesanan Antrean Paspor|Kirim kode SMS" {
		t.Fatalf("Indonesian page: %q", got)
	}
	browsertest.Eval[bool](t, tab, 5*time.Second, `(() => { document.getElementById('lang-toggle').click(); return true })()`)
	browsertest.WaitJS(t, tab, 10*time.Second, `document.querySelector('h1').textContent === 'Passport Queue Booking' && document.getElementById('send').textContent === 'Send SMS code'`,
		`document.querySelector('h1').textContent`)
}

// BenchmarkBookingPage reports the booking page's weight: the bytes over the wire (headers
// and gzip-compressed bodies, as Chromium counts them) of the whole flow of TestBookingPage.
func BenchmarkBookingPage(b *testing.B) {
	h, peer, _ := bookingHQ(b, 60)
	b.ResetTimer()
	bytes := bookingFlow(b, h, peer)
	b.StopTimer()
	b.ReportMetric(bytes, "page-bytes")
}

// bookingFlow books and cancels through the page in Chromium at a phone's size and returns
// the bytes the browser fetched.
func bookingFlow(t testing.TB, h *hqtest.HQ, peer *smsPeer) float64 {
	browser := browsertest.New(t, browsertest.Options{Width: 360, Height: 740})
	tab := browsertest.Tab(t, browser)
	browsertest.Do(t, tab, 20*time.Second, chromedp.Navigate(h.URL+"/booking?lang=en"))
	browsertest.WaitJS(t, tab, 10*time.Second, `document.querySelectorAll('#periods input').length === 2`, `document.body.innerText`)
	if got := browsertest.Eval[string](t, tab, 5*time.Second, `document.querySelector('h1').textContent`); got != "Passport Queue Booking" {
		t.Fatalf("title %q", got)
	}
	set := func(id, v string) {
		browsertest.Eval[bool](t, tab, 5*time.Second, `(() => { const e = document.getElementById('`+id+`'); e.value = '`+v+
			`'; e.dispatchEvent(new Event('change')); return true })()`)
	}
	click := func(sel string) {
		browsertest.Eval[bool](t, tab, 5*time.Second, `(() => { document.querySelector('`+sel+`').click(); return true })()`)
	}
	set("date", "2026-12-09")
	browsertest.WaitJS(t, tab, 10*time.Second, `[...document.querySelectorAll('#periods label')].map(l => l.textContent).join('|') === '08:00–12:00 · 6 places|12:00–16:00 · 6 places'`,
		`[...document.querySelectorAll('#periods label')].map(l => l.textContent).join('|')`)
	click(`#periods input[value="12-16"]`)
	set("nik", nik(9))
	set("name", "Made Wirawan")
	set("phone", "0812-0000-0009")
	click("#send")
	browsertest.WaitJS(t, tab, 10*time.Second, `!document.getElementById('verify').hidden`, `document.getElementById('msg').textContent`)
	set("code", peer.code(t, "6281200000009", 1))
	click("#confirm")
	browsertest.WaitJS(t, tab, 10*time.Second, `/^[A-Z0-9]{10}$/.test(document.getElementById('bcode').textContent) && document.getElementById('qr').naturalWidth === 200`,
		`document.getElementById('msg').textContent`)
	code := browsertest.Eval[string](t, tab, 5*time.Second, `document.getElementById('bcode').textContent`)
	if _, b := call(t, "GET", h.URL+"/api/v1/bookings/"+code, "", nil); b["period"] != "12-16" || b["date"] != "2026-12-09" || b["state"] != "active" {
		t.Fatalf("the page's booking at headquarters: %v", b)
	}
	if got := browsertest.Eval[string](t, tab, 5*time.Second, `document.getElementById('details').innerText`); !strings.Contains(got, "Active") ||
		!strings.Contains(got, "Kantor Imigrasi Jakarta Pusat") {
		t.Fatalf("details %q", got)
	}
	click("#cancel-open")
	set("cnik", nik(9))
	click("#change-send")
	browsertest.WaitJS(t, tab, 10*time.Second, `!document.getElementById('verify').hidden`, `document.getElementById('msg').textContent`)
	set("code", peer.code(t, "6281200000009", 2))
	click("#confirm")
	browsertest.WaitJS(t, tab, 10*time.Second, `document.getElementById('details').innerText.includes('Cancelled')`, `document.getElementById('msg').textContent`)
	return browsertest.Eval[float64](t, tab, 5*time.Second, `performance.getEntries().filter(e => e.transferSize !== undefined).reduce((n, e) => n + e.transferSize, 0)`)
}

// TestBookingBySMS: an applicant without a smartphone books by SMS through headquarters'
// inbound path (as Kannel's sms-service calls it): BOOK gets the free period, NIK checks the NIK
// and sends the code by SMS, KODE books; a wrong secret is refused, a bad NIK gets the rule.
func TestBookingBySMS(t *testing.T) {
	h, peer, _ := bookingHQ(t, 60, func(c *hq.Config) { c.Booking.SMSInboundSecret = "s3cret" })
	sms := func(from, text, secret string) (int, string) {
		t.Helper()
		resp, err := http.Get(h.URL + "/api/v1/sms/inbound?" + url.Values{"from": {from}, "text": {text}, "secret": {secret}}.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if st, _ := sms("+6281200000021", "BOOK KANIM-JKT 2026-12-09 A", "wrong"); st != 403 {
		t.Fatalf("wrong secret: %d", st)
	}
	if _, r := sms("+6281200000021", "halo", "s3cret"); r != antre.T("id", antre.MsgBookingSMSHelp) {
		t.Fatalf("help: %q", r)
	}
	if _, r := sms("+6281200000021", "KODE 123456", "s3cret"); r != antre.T("id", antre.MsgBookingSMSNoSession) {
		t.Fatalf("a code before BOOK: %q", r)
	}
	_, r := sms("+6281200000021", "book kanim-jkt 09-12-2026 a", "s3cret")
	if r != antre.T("id", antre.MsgBookingSMSOffer, "2026-12-09", "08-12", "Kantor Imigrasi Jakarta Pusat", "A") {
		t.Fatalf("offer: %q", r)
	}
	if _, r := sms("+6281200000021", "NIK 3171019905900001 Made Wirawan", "s3cret"); r != antre.T("id", antre.MsgNIKDate) {
		t.Fatalf("a NIK with day 99: %q", r)
	}
	if _, r := sms("+6281200000021", "NIK "+nik(21)+" Made Wirawan", "s3cret"); r != antre.T("id", antre.MsgBookingSMSCodeSent) {
		t.Fatalf("NIK: %q", r)
	}
	_, r = sms("+6281200000021", "KODE "+peer.code(t, "6281200000021", 1), "s3cret")
	m := regexp.MustCompile(`^Pemesanan ([A-Z0-9]{10}): KANIM-JKT 2026-12-09 pukul 08-12`).FindStringSubmatch(r)
	if m == nil {
		t.Fatalf("booked: %q", r)
	}
	if _, b := call(t, "GET", h.URL+"/api/v1/bookings/"+m[1], "", nil); b["state"] != "active" || b["name"] != "M*** W******" || b["period"] != "08-12" {
		t.Fatalf("the SMS booking at headquarters: %v", b)
	}
	// The same NIK again by SMS, from another phone: refused with the rule.
	sms("+6281200000022", "BOOK KANIM-JKT 2026-12-09 A", "s3cret")
	if _, r := sms("+6281200000022", "NIK "+nik(21)+" Made Wirawan", "s3cret"); r != antre.T("id", antre.MsgBookingNIKTaken) {
		t.Fatalf("same NIK by SMS: %q", r)
	}
}

// TestBookingRules: headquarters' own quota for a day sets its online places; a national
// holiday closes the day; a phone gets three codes and then waits, and a client address its
// allowance; a NIK with a no-show is cooled off when its office says so; with the national
// rule a NIK books one office a day, without it one per office.
func TestBookingRules(t *testing.T) {
	h, _, _ := bookingHQ(t, 60, func(c *hq.Config) { c.Booking.ClientPerMinute, c.Booking.ClientBurst = 1, 12 })
	if st := send(t, "PUT", h.URL+"/api/v1/offices/KANIM-JKT/quota/2026-12-10/A", "test-admin", map[string]int{"walkin": 40, "online": 9, "priority": 5}); st != 200 {
		t.Fatalf("quota: %d", st)
	}
	var slots []map[string]any
	if getJSON(t, h.URL+"/api/v1/slots?office=KANIM-JKT&date=2026-12-10", &slots); len(slots) != 2 || slots[0]["free"] != 5.0 || slots[1]["free"] != 4.0 {
		t.Fatalf("slots of headquarters' online quota 9: %v", slots)
	}
	if st := send(t, "PUT", h.URL+"/api/v1/holidays/2026-12-11", "test-admin", map[string]string{"name": "Libur uji"}); st != 200 {
		t.Fatalf("holiday: %d", st)
	}
	if st, body := call(t, "GET", h.URL+"/api/v1/slots?office=KANIM-JKT&date=2026-12-11&lang=en", "", nil); st != 409 ||
		body["error"].(map[string]any)["message"] != "The office is closed on 2026-12-11." {
		t.Fatalf("holiday: %d %v", st, body)
	}
	request := func(seq int, phoneNo string) (int, map[string]any) {
		return call(t, "POST", h.URL+"/api/v1/bookings", "", map[string]any{"office": "KANIM-JKT", "date": "2026-12-09", "period": "08-12",
			"group": "A", "nik": nik(seq), "name": "Pemohon", "phone": phoneNo})
	}
	// One phone: three codes (for three tries of the form), then it waits.
	for i := range 3 {
		if st, body := request(40, "081200000040"); st != 202 {
			t.Fatalf("code %d: %d %v", i+1, st, body)
		}
	}
	if st, body := request(40, "081200000040"); st != 429 {
		t.Fatalf("fourth code to one phone: %d %v", st, body)
	}
	// The client address: 12 at once (4 used above), then one a minute.
	for i := range 8 {
		local, _ := phone(50 + i)
		if st, body := request(50+i, local); st != 202 {
			t.Fatalf("request %d: %d %v", i, st, body)
		}
	}
	local, _ := phone(60)
	if st, body := request(60, local); st != 429 || errCode(body) != "too_many_requests" {
		t.Fatalf("past the client's allowance: %d %v", st, body)
	}
}

// bookAt requests and confirms a booking of nik(seq) at office on date with phone n.
func bookAt(t testing.TB, h *hqtest.HQ, peer *smsPeer, office, date string, seq, n int) (int, map[string]any) {
	t.Helper()
	local, intl := phone(n)
	peer.mu.Lock()
	sent := len(peer.msgs[intl])
	peer.mu.Unlock()
	st, body := call(t, "POST", h.URL+"/api/v1/bookings", "", map[string]any{"office": office, "date": date, "period": "08-12",
		"group": "A", "nik": nik(seq), "name": "Pemohon", "phone": local})
	if st != 202 {
		return st, body
	}
	return call(t, "POST", h.URL+"/api/v1/bookings/"+body["request"].(string)+"/confirm", "", map[string]any{"code": peer.code(t, intl, sent+1)})
}

// TestBookingScopeAndCoolingOff: without the national rule a NIK may book one place a day at
// each office, with it one place a day in all; a no-show reported by the office counts, and an
// office that configured a cooling-off refuses the NIK's next booking.
func TestBookingScopeAndCoolingOff(t *testing.T) {
	for _, national := range []bool{false, true} {
		h, peer, _ := bookingHQ(t, 60, func(c *hq.Config) { c.Booking.NationalNIK = national })
		h.Office("KANIM-BDG", "Kantor Imigrasi Bandung", "Jawa Barat")
		if st, body := call(t, "PUT", h.URL+"/api/v1/offices/KANIM-BDG/booking", "test-admin", map[string]any{
			"groups": []map[string]any{{"group": "A", "name_id": "Paspor baru", "daily": 60}}}); st != 200 {
			t.Fatalf("booking config: %d %v", st, body)
		}
		st, jkt := bookAt(t, h, peer, "KANIM-JKT", "2026-12-09", 70, 70)
		if st != 201 {
			t.Fatalf("JKT: %d %v", st, jkt)
		}
		st, body := bookAt(t, h, peer, "KANIM-BDG", "2026-12-09", 70, 71)
		if want := map[bool]int{false: 201, true: 409}[national]; st != want {
			t.Fatalf("national %v: the same NIK at another office the same day: %d %v", national, st, body)
		}
		if national {
			continue
		}
		data, _ := json.Marshal(hqwire.BookingEvent{Booking: jkt["booking"].(string), Date: "2026-12-09", Period: "08-12", Group: "A"})
		e, _ := json.Marshal(antre.Event{ID: 1, Office: "KANIM-JKT", Type: hqwire.EvBookingNoShow, At: time.Now(), Data: data})
		if _, err := h.JetStream().Publish(context.Background(), hqwire.EventsSubject("KANIM-JKT"), e); err != nil {
			t.Fatal(err)
		}
		hqtest.Eventually(t, 10*time.Second, "the no-show counted", func() bool {
			n, _, _ := h.Store().NoShows(context.Background(), pg.NIKHash(nik(70)))
			return n == 1
		})
		if st, body := bookAt(t, h, peer, "KANIM-JKT", "2026-12-10", 70, 72); st != 201 {
			t.Fatalf("no cooling-off configured: %d %v", st, body)
		}
		p := antre.DefaultBookingPolicy()
		p.CoolingNoShows, p.CoolingDays = 1, 30
		if st, body := call(t, "PUT", h.URL+"/api/v1/offices/KANIM-JKT/booking", "test-admin", map[string]any{"policy": p,
			"groups": []map[string]any{{"group": "A", "name_id": "Paspor baru", "daily": 60}}}); st != 200 {
			t.Fatalf("cooling-off: %d %v", st, body)
		}
		st, body = bookAt(t, h, peer, "KANIM-JKT", "2026-12-11", 70, 73)
		if st != 409 || body["error"].(map[string]any)["message"] != antre.T("id", antre.MsgBookingCooling, 1, "2027-01-09") {
			t.Fatalf("cooled off: %d %v", st, body)
		}
	}
}

// TestBookingCheckInAtTheOffice: the whole way with a real hub and its check-in module: a
// booking made at headquarters reaches the office over the link; the kiosk's check-in with
// the wrong digits is refused, with the NIK's last 6 digits issues an online ticket; the office's
// booking.checked_in event comes back and headquarters marks the booking used.
func TestBookingCheckInAtTheOffice(t *testing.T) {
	h, peer, _ := bookingHQ(t, 60)
	creds := h.Office("KANIM-TBK", "Kantor Imigrasi Tanjung Balai Karimun", "Kepulauan Riau")
	if st, body := call(t, "PUT", h.URL+"/api/v1/offices/KANIM-TBK/booking", "test-admin", map[string]any{
		"groups": []map[string]any{{"group": "A", "name_id": "Paspor baru", "daily": 60}}}); st != 200 {
		t.Fatalf("booking config: %d %v", st, body)
	}
	st, b := bookAt(t, h, peer, "KANIM-TBK", "2026-12-09", 80, 80)
	if st != 201 {
		t.Fatalf("booking: %d %v", st, b)
	}
	code := b["booking"].(string)
	hub := servertest.Start(t, servertest.Settings{Start: time.Date(2026, 12, 9, 8, 30, 0, 0, wib)}, hqtest.Linked("KANIM-TBK", creds, h.NATSURL()))
	hqtest.Eventually(t, 30*time.Second, "the booking at the office", func() bool {
		var raw json.RawMessage
		hub.Do("GET", "/api/v1/bookings?date=2026-12-09", hub.Officer, nil, &raw)
		return bytes.Contains(raw, []byte(code))
	})
	var refused map[string]any
	if st := hub.Do("POST", "/api/v1/checkins", hub.Kiosk, map[string]string{"booking": code, "nik_last6": "123456"}, &refused); st < 400 || st >= 500 {
		t.Fatalf("check-in with the wrong digits: %d %v", st, refused)
	}
	var tk antre.IssuedTicket
	if st := hub.Do("POST", "/api/v1/checkins", hub.Kiosk, map[string]string{"booking": code, "nik_last6": nik(80)[10:]}, &tk); st != 201 ||
		tk.Pool != antre.PoolOnline {
		t.Fatalf("check-in: %d %+v", st, tk)
	}
	hqtest.Eventually(t, 30*time.Second, "the booking used at headquarters", func() bool {
		_, b := call(t, "GET", h.URL+"/api/v1/bookings/"+code, "", nil)
		return b["state"] == "used"
	})
}
