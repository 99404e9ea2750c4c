package hq

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"

	"antre"
	"antre/hq/pg"
	"antre/hqwire"
	"antre/internal/httpapi"
	"antre/internal/ratelimit"
	"antre/internal/webui"
	"antre/smsgw"
)

// BookingConfig is headquarters' online booking (issue 14): how one-time codes are sent and
// checked, and how hard a client or a phone may push.
type BookingConfig struct {
	// NationalNIK keeps one live booking per NIK per day nationally; false, per office day
	// (ANTRE_HQ_BOOKING_NATIONAL_NIK).
	NationalNIK bool
	// CodeTTL is how long a one-time code may be used (5 minutes); CodeAttempts how many times
	// it may be tried (5).
	CodeTTL      time.Duration
	CodeAttempts int
	// PhonePerMinute and PhoneBurst limit the codes one phone number may be sent (1 a minute,
	// bursts of 3).
	PhonePerMinute, PhoneBurst int
	// ClientPerMinute and ClientBurst limit one client address's code requests and
	// confirmation attempts (30 a minute, bursts of 30).
	ClientPerMinute, ClientBurst int
	// SMSAdapter is the gateway of one-time codes: "kannel", "http" or "none" (nothing sent;
	// booking then cannot be confirmed) (ANTRE_HQ_SMS_ADAPTER).
	SMSAdapter string
	// SMSKannel and SMSHTTP are the gateways' settings (package smsgw); SMSSender the sender id
	// ("IMIGRASI").
	SMSKannel smsgw.KannelConfig
	SMSHTTP   smsgw.HTTPConfig
	SMSSender string
	// SMSInboundSecret is the secret the gateway gives when it passes an applicant's message to
	// GET /api/v1/sms/inbound (booking by SMS); empty, booking by SMS is off
	// (ANTRE_HQ_SMS_INBOUND_SECRET).
	SMSInboundSecret string
	// SMS, when set, is the gateway itself (tests, tools), whatever SMSAdapter says.
	SMS smsgw.Sender
}

func (c *BookingConfig) complete() error {
	if c.CodeTTL == 0 {
		c.CodeTTL = 5 * time.Minute
	}
	if c.CodeAttempts == 0 {
		c.CodeAttempts = 5
	}
	if c.PhonePerMinute == 0 {
		c.PhonePerMinute, c.PhoneBurst = 1, 3
	}
	if c.ClientPerMinute == 0 {
		c.ClientPerMinute, c.ClientBurst = 30, 30
	}
	if c.SMSSender == "" {
		c.SMSSender = "IMIGRASI"
	}
	if c.SMS != nil {
		return nil
	}
	switch c.SMSAdapter {
	case "", "none":
	case "kannel":
		if c.SMSKannel.URL == "" {
			return fmt.Errorf("the kannel SMS adapter needs its sendsms URL (ANTRE_HQ_SMS_URL)")
		}
		c.SMS = smsgw.NewKannel(c.SMSKannel, c.SMSSender, "")
	case "http":
		if c.SMSHTTP.URL == "" {
			return fmt.Errorf("the http SMS adapter needs the provider's URL (ANTRE_HQ_SMS_URL)")
		}
		if c.SMSHTTP.Method == "" {
			c.SMSHTTP.Method = http.MethodPost
		}
		if c.SMSHTTP.Format == "" {
			c.SMSHTTP.Format = "form"
		}
		if c.SMSHTTP.ToField == "" {
			c.SMSHTTP.ToField, c.SMSHTTP.TextField = "to", "text"
		}
		c.SMS = smsgw.NewHTTP(c.SMSHTTP, c.SMSSender)
	default:
		return fmt.Errorf("SMS adapter %q: kannel, http or none", c.SMSAdapter)
	}
	return nil
}

// booking is headquarters' booking service: limits, the known-full slots, the SMS worker.
type booking struct {
	phones, clients *ratelimit.Limiter
	// full remembers slots a conditional update found full, for a second: a rush of
	// confirmations for a full slot is answered without a transaction each.
	mu   sync.Mutex
	full map[string]time.Time
	// next keeps each office and group's next free dates for a second, computed once however
	// many full answers need them at the same time.
	next map[string]*nextFree
	// gate lets as many confirmations into PostgreSQL at once as it has connections for; the
	// others wait here, where a slot found full meanwhile answers them at once.
	gate chan struct{}
	// wake wakes the booking worker (SMS to send, days to send to the offices).
	wake chan struct{}
}

// nextFree is an office and group's next free dates as computed at at.
type nextFree struct {
	mu    sync.Mutex
	at    time.Time
	dates []string
}

func (h *HQ) newBooking() {
	c := h.cfg.Booking
	h.book = &booking{phones: ratelimit.New(c.PhonePerMinute, c.PhoneBurst, h.cfg.Now), clients: ratelimit.New(c.ClientPerMinute, c.ClientBurst, h.cfg.Now),
		full: map[string]time.Time{}, next: map[string]*nextFree{}, wake: make(chan struct{}, 1),
		gate: make(chan struct{}, 8)}
}

func (b *booking) poke() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

func slotKey(office, date, period, group string) string {
	return office + "|" + date + "|" + period + "|" + group
}

// knownFull reports whether the slot was found full less than a second ago.
func (b *booking) knownFull(key string, now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	at, ok := b.full[key]
	return ok && now.Sub(at) < time.Second
}

func (b *booking) setFull(key string, now time.Time, full bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if full {
		b.full[key] = now
	} else {
		delete(b.full, key)
	}
}

func (h *HQ) bookingRoutes(files fs.FS) {
	m := h.mux
	m.Handle("GET /booking", webui.Page(files, "booking.html"))
	m.HandleFunc("GET /api/v1/booking/offices", h.bookingOffices)
	m.HandleFunc("GET /api/v1/slots", h.slots)
	m.HandleFunc("POST /api/v1/bookings", h.requestBooking)
	m.HandleFunc("POST /api/v1/bookings/{request}/confirm", h.confirmBooking)
	m.HandleFunc("GET /api/v1/bookings/{code}", h.getBooking)
	m.HandleFunc("GET /api/v1/bookings/{code}/qr.png", h.bookingQR)
	m.HandleFunc("POST /api/v1/bookings/{code}/cancel", h.requestChange(pg.ActionCancel))
	m.HandleFunc("POST /api/v1/bookings/{code}/move", h.requestChange(pg.ActionMove))
	m.HandleFunc("GET /api/v1/offices/{code}/booking", h.getBookingOffice)
	m.Handle("PUT /api/v1/offices/{code}/booking", h.admin(h.putBookingOffice))
	m.HandleFunc("GET /api/v1/sms/inbound", h.smsInbound)
}

// loc is an office's time zone (Jakarta's when it names none headquarters knows).
func loc(tz string) *time.Location {
	l, err := time.LoadLocation(tz)
	if err != nil {
		l, _ = time.LoadLocation("Asia/Jakarta")
	}
	return l
}

// calendar is the national calendar of closed days as headquarters keeps it.
func (h *HQ) calendar(ctx context.Context) (antre.Calendar, error) {
	hs, err := h.store.Holidays(ctx, h.cfg.Now().AddDate(0, 0, -2).Format(time.DateOnly))
	if err != nil {
		return antre.Calendar{}, err
	}
	return antre.NewCalendar(nil, hs), nil
}

// daySlots makes sure an office day's slots exist and returns them: each group's online share
// (headquarters' quota for the day when it set one, else the policy's share of the group's
// daily quota) split over the periods.
func (h *HQ) daySlots(ctx context.Context, o pg.BookingOffice, date string) ([]pg.Slot, error) {
	set, err := h.store.OnlineQuotas(ctx, o.Office, date)
	if err != nil {
		return nil, err
	}
	var want []pg.Slot
	for _, g := range o.Groups {
		n, ok := set[g.Group]
		if !ok {
			n = o.Policy.OnlineShare(g.Daily)
		}
		for i, c := range antre.SplitOverPeriods(n, len(hqwire.Periods)) {
			want = append(want, pg.Slot{Date: date, Period: hqwire.Periods[i], Group: g.Group, Capacity: c})
		}
	}
	if err := h.store.EnsureSlots(ctx, o.Office, want); err != nil {
		return nil, err
	}
	return h.store.Slots(ctx, o.Office, date, date)
}

// OfficeBooking is an office as the booking page offers it: its groups and the dates open now.
type OfficeBooking struct {
	Office   string            `json:"office"`
	Name     string            `json:"name"`
	Region   string            `json:"region"`
	TimeZone string            `json:"time_zone"`
	Groups   []pg.BookingGroup `json:"groups"`
	Dates    []string          `json:"dates"`
}

// bookingOffices answers GET /api/v1/booking/offices: the offices taking bookings, each with
// its groups and the dates open for booking now.
func (h *HQ) bookingOffices(w http.ResponseWriter, r *http.Request) {
	offices, err := h.store.BookingOffices(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cal, err := h.calendar(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]OfficeBooking, 0, len(offices))
	now := h.cfg.Now()
	for _, o := range offices {
		dates := o.Policy.BookableDates(now, loc(o.TimeZone), cal)
		if dates == nil {
			dates = []string{}
		}
		out = append(out, OfficeBooking{Office: o.Office, Name: o.Name, Region: o.Region, TimeZone: o.TimeZone, Groups: o.Groups, Dates: dates})
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, out)
}

// FreeSlot is one period and group of a day as applicants see it: how many places are free.
type FreeSlot struct {
	Period string `json:"period"`
	Group  string `json:"group"`
	Free   int    `json:"free"`
}

// bookable checks that office takes bookings and date may be booked now; it returns the
// office's rules.
func (h *HQ) bookable(ctx context.Context, office, date string) (pg.BookingOffice, error) {
	o, err := h.store.BookingOfficeOf(ctx, office)
	if err != nil {
		return o, err
	}
	cal, err := h.calendar(ctx)
	if err != nil {
		return o, err
	}
	return o, o.Policy.CheckBookable(date, h.cfg.Now(), loc(o.TimeZone), cal)
}

// slots answers GET /api/v1/slots?office=C&date=YYYY-MM-DD: per period and group, the free
// places ({"period","group","free"}). A date that may not be booked now is a conflict saying
// why (closed, not open yet, cut off).
func (h *HQ) slots(w http.ResponseWriter, r *http.Request) {
	office, date := strings.ToUpper(r.URL.Query().Get("office")), r.URL.Query().Get("date")
	o, err := h.bookable(r.Context(), office, date)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sl, err := h.daySlots(r.Context(), o, date)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]FreeSlot, 0, len(sl))
	for _, s := range sl {
		out = append(out, FreeSlot{Period: s.Period, Group: s.Group, Free: s.Capacity - s.Taken})
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, out)
}

// nextFree returns up to three dates open for booking with a free place of group at office, as
// found less than a second ago.
func (h *HQ) nextFree(ctx context.Context, office, group string) []string {
	h.book.mu.Lock()
	e := h.book.next[office+"|"+group]
	if e == nil {
		e = &nextFree{}
		h.book.next[office+"|"+group] = e
	}
	h.book.mu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	now := h.cfg.Now()
	if e.dates == nil || now.Sub(e.at) >= time.Second || now.Before(e.at) {
		e.dates, e.at = h.findFree(ctx, office, group), now
	}
	return e.dates
}

// findFree looks up the dates nextFree gives.
func (h *HQ) findFree(ctx context.Context, office, group string) []string {
	out := []string{}
	o, err := h.store.BookingOfficeOf(ctx, office)
	if err != nil {
		return out
	}
	cal, err := h.calendar(ctx)
	if err != nil {
		return out
	}
	for _, d := range o.Policy.BookableDates(h.cfg.Now(), loc(o.TimeZone), cal) {
		sl, err := h.daySlots(ctx, o, d)
		if err != nil {
			return out
		}
		for _, s := range sl {
			if s.Group == group && s.Taken < s.Capacity {
				out = append(out, d)
				break
			}
		}
		if len(out) == 3 {
			break
		}
	}
	return out
}

// limited refuses a request when the client (its address, or "sms:" and its phone) and the
// phone, when given, have used up their allowance.
func (h *HQ) limited(client, phone string) error {
	if ok, wait := h.book.clients.Allow(client); !ok {
		return antre.Errorf(antre.ETOOMANY, antre.MsgTooMany, "booking: client %s slowed down for %v", client, wait.Round(time.Second)).
			WithArgs(int(wait.Seconds()) + 1)
	}
	if phone != "" {
		if ok, wait := h.book.phones.Allow(phone); !ok {
			return antre.Errorf(antre.ETOOMANY, antre.MsgTooMany, "booking: phone %s sent enough codes; wait %v", antre.MaskPhone(phone), wait.Round(time.Second)).
				WithArgs(int(wait.Seconds()) + 1)
		}
	}
	return nil
}

// codeText is the one-time code's SMS, in Indonesian (an SMS has no language choice; the
// code reads the same in both).
func codeText(action, code string) string {
	switch action {
	case pg.ActionCancel:
		return antre.T("id", antre.MsgBookingSMSCancelCode, code)
	case pg.ActionMove:
		return antre.T("id", antre.MsgBookingSMSMoveCode, code)
	}
	return antre.T("id", antre.MsgBookingSMSCode, code)
}

// requestBooking answers POST /api/v1/bookings {"office","date","period","group","nik","name",
// "phone"}: 202 {"request"} once the one-time code is on its way by SMS. Everything that can
// be checked before the code is: the applicant, the date, the period and group, a free place,
// the NIK's and the phone's other bookings, the cooling-off.
func (h *HQ) requestBooking(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Office string `json:"office"`
		Date   string `json:"date"`
		Period string `json:"period"`
		Group  string `json:"group"`
		NIK    string `json:"nik"`
		Name   string `json:"name"`
		Phone  string `json:"phone"`
	}
	if err := httpapi.Decode(w, r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	ctx := r.Context()
	body.Office, body.Group = strings.ToUpper(body.Office), strings.ToUpper(body.Group)
	id, err := h.newRequest(ctx, pg.Request{Action: pg.ActionBook, Office: body.Office, Date: body.Date, Period: body.Period,
		Group: body.Group, NIK: body.NIK, Name: body.Name, Phone: body.Phone, Client: ratelimit.ClientKey(r)})
	if err != nil {
		h.failBooking(w, r, err, body.Office, body.Group)
		return
	}
	httpapi.WriteJSON(w, http.StatusAccepted, map[string]any{"request": id})
}

// newRequest checks req and records it with its code, for a booking or a move (req's slot;
// from, the moved booking's date).
func (h *HQ) newRequest(ctx context.Context, req pg.Request, from ...string) (string, error) {
	o, err := h.store.BookingOfficeOf(ctx, req.Office)
	if err != nil {
		return "", err
	}
	l := loc(o.TimeZone)
	today := h.cfg.Now().In(l)
	a, err := antre.BookingApplicant{NIK: req.NIK, Name: req.Name, Phone: req.Phone}.Check(today)
	if err != nil {
		return "", err
	}
	req.Name, req.Phone = a.Name, a.Phone
	if err := h.limited(req.Client, req.Phone); err != nil {
		return "", err
	}
	if _, _, ok := hqwire.PeriodHours(req.Period); !ok {
		return "", antre.Errorf(antre.EINVALID, antre.MsgBookingPeriod, "period %q", req.Period)
	}
	cal, err := h.calendar(ctx)
	if err != nil {
		return "", err
	}
	if err := o.Policy.CheckBookable(req.Date, h.cfg.Now(), l, cal); err != nil {
		return "", err
	}
	offered := false
	for _, g := range o.Groups {
		offered = offered || g.Group == req.Group
	}
	if !offered {
		return "", antre.Errorf(antre.EINVALID, antre.MsgBookingNoOnline, "office %s offers no group %q online", req.Office, req.Group)
	}
	sl, err := h.daySlots(ctx, o, req.Date)
	if err != nil {
		return "", err
	}
	for _, s := range sl {
		if s.Period == req.Period && s.Group == req.Group && s.Taken >= s.Capacity {
			return "", pg.ErrFull
		}
	}
	nik := pg.NIKHash(req.NIK)
	scope := req.Office
	if h.cfg.Booking.NationalNIK {
		scope = ""
	}
	byNIK, byPhone, err := h.store.Live(ctx, nik, req.Phone, req.Date, scope)
	if err != nil {
		return "", err
	}
	if req.Action == pg.ActionMove {
		byNIK, byPhone = false, false // the booking being moved is the one found; the constraints decide at confirmation
	}
	if byNIK {
		return "", antre.Errorf(antre.ECONFLICT, antre.MsgBookingNIKTaken, "NIK %s has a booking on %s", antre.MaskNIK(req.NIK), req.Date)
	}
	if byPhone {
		return "", antre.Errorf(antre.ECONFLICT, antre.MsgBookingPhone, "phone %s has a booking on %s", antre.MaskPhone(req.Phone), req.Date)
	}
	n, last, err := h.store.NoShows(ctx, nik)
	if err != nil {
		return "", err
	}
	if err := o.Policy.CheckCoolingOff(n, last, req.Date); err != nil {
		return "", err
	}
	return h.queueCode(ctx, req, o, append(from, req.Date)...)
}

// handOverGrace is how long after a day's cut-off its hand-over waits, so that no
// confirmation begun before the cut-off is still taking a place.
const handOverGrace = 10 * time.Second

// queueCode records req with a fresh code and wakes the SMS worker. The code expires after
// CodeTTL, or at the cut-off of the dates it changes when that comes first: after it the day
// is the office's.
func (h *HQ) queueCode(ctx context.Context, req pg.Request, o pg.BookingOffice, dates ...string) (string, error) {
	if h.cfg.Booking.SMS == nil {
		return "", antre.Errorf(antre.EUNAVAILABLE, antre.MsgUnavailable, "booking: headquarters has no SMS gateway (ANTRE_HQ_SMS_ADAPTER)")
	}
	expires := h.cfg.Now().Add(h.cfg.Booking.CodeTTL)
	for _, d := range dates {
		if _, cutoff, err := o.Policy.Window(d, loc(o.TimeZone)); err != nil {
			return "", err
		} else if cutoff.Before(expires) {
			expires = cutoff
		}
	}
	id, err := h.store.NewRequest(ctx, req, expires, func(code string) string { return codeText(req.Action, code) })
	if err != nil {
		return "", err
	}
	h.log.Info("booking: code requested", "action", req.Action, "office", req.Office, "date", req.Date, "nik", antre.MaskNIK(req.NIK),
		"phone", antre.MaskPhone(req.Phone))
	h.book.poke()
	return id, nil
}

// failBooking answers err; a full slot is 409 {"error":{"code":"full","message","next_free"}}
// with the next dates that have a free place of the group.
func (h *HQ) failBooking(w http.ResponseWriter, r *http.Request, err error, office, group string) {
	if !errors.Is(err, pg.ErrFull) {
		h.fail(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusConflict, map[string]any{"error": map[string]any{"code": antre.EBOOKINGFULL,
		"message": antre.ErrorMessage(err, httpapi.Lang(r)), "next_free": h.nextFree(r.Context(), office, group)}})
}

// confirmBooking answers POST /api/v1/bookings/{request}/confirm {"code"}: 201 {"booking",…}
// for a booking or a move, 200 with the cancelled booking for a cancellation; a full slot is
// 409 "full" with the next free dates, a wrong code 400 (counted), an expired one 409, too
// many attempts 429.
func (h *HQ) confirmBooking(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Code string `json:"code"`
	}
	if err := httpapi.Decode(w, r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.limited(ratelimit.ClientKey(r), ""); err != nil {
		h.fail(w, r, err)
		return
	}
	ctx := r.Context()
	id := r.PathValue("request")
	now := h.cfg.Now()
	slot, err := h.store.RequestSlot(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	key := slotKey(slot.Office, slot.Date, slot.Period, slot.Group)
	select {
	case h.book.gate <- struct{}{}:
	case <-ctx.Done():
		h.fail(w, r, antre.Errorf(antre.EUNAVAILABLE, antre.MsgUnavailable, "booking: the client left while waiting"))
		return
	}
	if slot.Action != pg.ActionCancel && h.book.knownFull(key, h.cfg.Now()) {
		<-h.book.gate
		h.failBooking(w, r, pg.ErrFull, slot.Office, slot.Group)
		return
	}
	b, err := h.store.Confirm(ctx, id, strings.TrimSpace(body.Code), now, h.cfg.Booking.CodeAttempts, h.cfg.Booking.NationalNIK)
	<-h.book.gate
	if errors.Is(err, pg.ErrFull) {
		h.book.setFull(key, now, true)
	}
	if err != nil {
		h.failBooking(w, r, err, slot.Office, slot.Group)
		return
	}
	h.book.poke()
	if slot.Action == pg.ActionCancel {
		h.book.setFull(slotKey(b.Office, b.Date, b.Period, b.Group), now, false)
		httpapi.WriteJSON(w, http.StatusOK, b)
		return
	}
	if b.MovedFrom != "" {
		if old, err := h.store.Booking(ctx, b.MovedFrom); err == nil {
			h.book.setFull(slotKey(old.Office, old.Date, old.Period, old.Group), now, false)
		}
	}
	h.log.Info("booking: confirmed", "booking", b.Code, "office", b.Office, "date", b.Date, "period", b.Period, "group", b.Group, "action", slot.Action)
	httpapi.WriteJSON(w, http.StatusCreated, b)
}

// getBooking answers GET /api/v1/bookings/{code}: the booking as its owner sees it (the code is
// what the owner holds; the NIK masked, no phone).
func (h *HQ) getBooking(w http.ResponseWriter, r *http.Request) {
	code := strings.ToUpper(r.PathValue("code"))
	if err := hqwire.ValidBookingCode(code); err != nil {
		h.fail(w, r, antre.Errorf(antre.EINVALID, antre.MsgBadCode, "%v", err))
		return
	}
	if err := h.limited(ratelimit.ClientKey(r), ""); err != nil {
		h.fail(w, r, err)
		return
	}
	b, err := h.store.Booking(r.Context(), code)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, b)
}

// bookingQR answers GET /api/v1/bookings/{code}/qr.png: the booking code as a QR code, what
// the office's kiosk scans.
func (h *HQ) bookingQR(w http.ResponseWriter, r *http.Request) {
	code := strings.ToUpper(r.PathValue("code"))
	if err := hqwire.ValidBookingCode(code); err != nil {
		h.fail(w, r, antre.Errorf(antre.EINVALID, antre.MsgBadCode, "%v", err))
		return
	}
	q, err := qr.Encode(code, qr.M, qr.AlphaNumeric)
	if err == nil {
		q, err = barcode.Scale(q, 200, 200)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, q); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Write(buf.Bytes())
}

// requestChange answers POST /api/v1/bookings/{code}/cancel {"nik"} and …/move {"nik","date",
// "period"}: 202 {"request"}, the one-time code sent to the booking's phone. The NIK must be
// the booking's; a booking moves once, only while active, and only to a date open for booking.
func (h *HQ) requestChange(action string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			NIK    string `json:"nik"`
			Date   string `json:"date"`
			Period string `json:"period"`
		}
		if err := httpapi.Decode(w, r, &body); err != nil {
			h.fail(w, r, err)
			return
		}
		ctx := r.Context()
		code := strings.ToUpper(r.PathValue("code"))
		var o pg.BookingOffice
		b, nik, phone, err := h.store.BookingOwner(ctx, code)
		if err == nil && !bytes.Equal(nik, pg.NIKHash(body.NIK)) {
			err = antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "booking %s: the NIK given is not the booking's", code)
		}
		if err == nil && action == pg.ActionCancel {
			err = h.limited(ratelimit.ClientKey(r), phone) // a move is limited with its new slot's checks
		}
		if err == nil && b.State != hqwire.BookingActive {
			err = antre.Errorf(antre.ECONFLICT, antre.MsgBookingNotActive, "booking %s is %s", code, b.State)
		}
		if err == nil && action == pg.ActionMove && b.MovedFrom != "" {
			err = antre.Errorf(antre.ECONFLICT, antre.MsgBookingMovedOnce, "booking %s was moved from %s", code, b.MovedFrom)
		}
		if err == nil {
			// The booking's own day must still be headquarters' (before its cut-off).
			o, err = h.bookable(ctx, b.Office, b.Date)
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		req := pg.Request{Action: action, Booking: code, Office: b.Office, Date: b.Date, Period: b.Period, Group: b.Group, NIK: body.NIK,
			Name: b.Name, Phone: phone, Client: ratelimit.ClientKey(r)}
		var id string
		if action == pg.ActionMove {
			req.Date, req.Period = body.Date, body.Period
			id, err = h.newRequest(ctx, req, b.Date)
		} else {
			id, err = h.queueCode(ctx, req, o, b.Date)
		}
		if err != nil {
			h.failBooking(w, r, err, b.Office, b.Group)
			return
		}
		httpapi.WriteJSON(w, http.StatusAccepted, map[string]any{"request": id})
	}
}

// getBookingOffice answers GET /api/v1/offices/{code}/booking: the office's booking rules.
func (h *HQ) getBookingOffice(w http.ResponseWriter, r *http.Request) {
	o, err := h.store.BookingOfficeOf(r.Context(), strings.ToUpper(r.PathValue("code")))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, o)
}

// putBookingOffice answers PUT /api/v1/offices/{code}/booking {"policy","groups"} (admin): the
// office takes bookings by these rules (a policy left out is antre.DefaultBookingPolicy).
func (h *HQ) putBookingOffice(w http.ResponseWriter, r *http.Request) {
	body := struct {
		Policy *antre.BookingPolicy `json:"policy"`
		Groups []pg.BookingGroup    `json:"groups"`
	}{}
	if err := httpapi.Decode(w, r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	p := antre.DefaultBookingPolicy()
	if body.Policy != nil {
		p = *body.Policy
	}
	code := strings.ToUpper(r.PathValue("code"))
	if err := h.store.SetBookingOffice(r.Context(), code, p, body.Groups); err != nil {
		h.fail(w, r, err)
		return
	}
	o, err := h.store.BookingOfficeOf(r.Context(), code)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, o)
}

// runBooking is booking's worker: it sends the one-time codes through the SMS gateway, queues
// each changed office day's bookings for its office (a burst of changes coalesced into one
// setting per day), at each day's cut-off queues the hand-over of its unbooked share, once,
// and hourly purges requests and codes' SMS a day old.
func (h *HQ) runBooking(ctx context.Context) error {
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	var lastHandover, lastPurge time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-h.book.wake:
		case <-tick.C:
		}
		if err := h.sendCodes(ctx); err != nil && ctx.Err() == nil {
			h.log.Warn("booking: codes", "err", err)
		}
		if n, err := h.store.FlushBookings(ctx, 100); err != nil {
			if ctx.Err() == nil {
				h.log.Warn("booking: days to the offices", "err", err)
			}
		} else if n > 0 {
			h.kick()
		}
		if time.Since(lastPurge) >= time.Hour {
			lastPurge = time.Now()
			if n, err := h.store.PurgeBooking(ctx, h.cfg.Now().Add(-24*time.Hour)); err != nil {
				h.log.Warn("booking: purge", "err", err)
			} else if n > 0 {
				h.log.Info("booking: expired requests and sent codes purged", "rows", n)
			}
		}
		if time.Since(lastHandover) >= time.Second {
			lastHandover = time.Now()
			if err := h.handOver(ctx); err != nil && ctx.Err() == nil {
				h.log.Warn("booking: hand-over", "err", err)
			}
		}
	}
}

// handOver queues the hand-over of every office day whose cut-off has passed.
func (h *HQ) handOver(ctx context.Context) error {
	offices, err := h.store.BookingOffices(ctx)
	if err != nil || len(offices) == 0 {
		return err
	}
	cal, err := h.calendar(ctx)
	if err != nil {
		return err
	}
	now := h.cfg.Now()
	queued := false
	for _, o := range offices {
		for _, d := range o.Policy.CutOffDates(now.Add(-handOverGrace), loc(o.TimeZone), cal) {
			if _, err := h.daySlots(ctx, o, d); err != nil {
				return err
			}
			ok, err := h.store.HandOver(ctx, o.Office, d)
			if err != nil {
				return err
			}
			if ok {
				queued = true
				h.log.Info("booking: online share handed over to the office", "office", o.Office, "date", d)
			}
		}
	}
	if queued {
		h.kick()
	}
	return nil
}

// sendCodes sends the due one-time codes, four at a time; a temporary failure is retried
// after a few seconds (the code expires anyway), a permanent one is given up.
func (h *HQ) sendCodes(ctx context.Context) error {
	sender := h.cfg.Booking.SMS
	if sender == nil {
		return nil
	}
	for ctx.Err() == nil {
		due, err := h.store.DueSMS(ctx, h.cfg.Now(), 64)
		if err != nil || len(due) == 0 {
			return err
		}
		sem := make(chan struct{}, 4)
		var wg sync.WaitGroup
		for _, m := range due {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
				_, err := sender.Send(sctx, smsgw.Message{ID: m.ID, To: m.Phone, From: h.cfg.Booking.SMSSender, Text: m.Body})
				cancel()
				if err == nil {
					h.store.SMSSent(ctx, m.ID, h.cfg.Now())
					return
				}
				se := smsgw.Classify(err)
				var retry time.Time
				if se.Temporary && m.Attempts < 5 {
					retry = h.cfg.Now().Add(time.Duration(m.Attempts+1) * 3 * time.Second)
				}
				h.log.Warn("booking: code SMS not sent", "phone", antre.MaskPhone(m.Phone), "err", err, "retry", !retry.IsZero())
				h.store.SMSRetry(ctx, m.ID, retry, err.Error())
			}()
		}
		wg.Wait()
	}
	return nil
}
