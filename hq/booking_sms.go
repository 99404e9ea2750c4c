package hq

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"
	"time"

	"antre"
	"antre/hq/pg"
)

// Booking by SMS, for applicants without a smartphone (issue 14, 5). The gateway (Kannel's
// sms-service: get-url "http://HQ/api/v1/sms/inbound?from=%p&text=%a&secret=…") calls
// headquarters with each message, and the answer's body is the reply:
//
//	BOOK <office> <date> <group>  →  the free period of that day (or the next free days)
//	NIK <16 digits> <full name>   →  the NIK checked; a one-time code sent by SMS
//	KODE <6 digits>               →  the booking, its code for the kiosk
//
// The conversation is kept per phone for the code's lifetime; the rules, limits and the
// conditional slot update are the API's.

// smsInbound answers GET /api/v1/sms/inbound?from=P&text=T&secret=S with the reply as plain
// text; a wrong or missing secret (Booking.SMSInboundSecret) is forbidden.
func (h *HQ) smsInbound(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	secret := h.cfg.Booking.SMSInboundSecret
	if secret == "" || subtle.ConstantTimeCompare([]byte(q.Get("secret")), []byte(secret)) != 1 {
		h.fail(w, r, antre.Errorf(antre.EFORBIDDEN, antre.MsgForbidden, "sms inbound with a wrong secret"))
		return
	}
	phone, err := antre.NormalizePhone(q.Get("from"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	reply := h.smsCommand(r.Context(), phone, q.Get("text"))
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte(reply))
}

// smsCommand carries out one message of phone and returns the reply.
func (h *HQ) smsCommand(ctx context.Context, phone, text string) string {
	f := strings.Fields(text)
	if len(f) == 0 {
		return antre.T("id", antre.MsgBookingSMSHelp)
	}
	var err error
	var reply string
	switch strings.ToUpper(f[0]) {
	case "BOOK", "PESAN":
		if len(f) != 4 {
			return antre.T("id", antre.MsgBookingSMSHelp)
		}
		reply, err = h.smsOffer(ctx, phone, strings.ToUpper(f[1]), smsDate(f[2]), strings.ToUpper(f[3]))
	case "NIK":
		if len(f) < 3 {
			return antre.T("id", antre.MsgBookingSMSHelp)
		}
		reply, err = h.smsNIK(ctx, phone, f[1], strings.Join(f[2:], " "))
	case "KODE", "CODE":
		if len(f) != 2 {
			return antre.T("id", antre.MsgBookingSMSHelp)
		}
		reply, err = h.smsConfirm(ctx, phone, f[1])
	default:
		return antre.T("id", antre.MsgBookingSMSHelp)
	}
	if err != nil {
		h.log.Info("booking by SMS refused", "phone", antre.MaskPhone(phone), "err", err)
		return antre.ErrorMessage(err, "id")
	}
	return reply
}

// smsDate reads a date as YYYY-MM-DD or DD-MM-YYYY (or with slashes).
func smsDate(s string) string {
	s = strings.ReplaceAll(s, "/", "-")
	if t, err := time.Parse("02-01-2006", s); err == nil {
		return t.Format(time.DateOnly)
	}
	return s
}

// smsOffer finds the first period of date with a free place of group and offers it.
func (h *HQ) smsOffer(ctx context.Context, phone, office, date, group string) (string, error) {
	if err := h.limited("sms:"+phone, ""); err != nil {
		return "", err
	}
	o, err := h.bookable(ctx, office, date)
	if err != nil {
		return "", err
	}
	sl, err := h.daySlots(ctx, o, date)
	if err != nil {
		return "", err
	}
	offered := false
	for _, s := range sl {
		if s.Group != group {
			continue
		}
		offered = true
		if s.Taken < s.Capacity {
			err := h.store.SetSMSSession(ctx, pg.SMSSession{Phone: phone, Office: office, Date: date, Period: s.Period, Group: group,
				Expires: h.cfg.Now().Add(h.cfg.Booking.CodeTTL + 10*time.Minute)})
			if err != nil {
				return "", err
			}
			return antre.T("id", antre.MsgBookingSMSOffer, date, s.Period, o.Name, group), nil
		}
	}
	if !offered {
		return "", antre.Errorf(antre.EINVALID, antre.MsgBookingNoOnline, "office %s offers no group %q online", office, group)
	}
	return antre.T("id", antre.MsgBookingSMSFull, date, strings.Join(h.nextFree(ctx, office, group), ", ")), nil
}

// smsNIK asks for the offered slot with the NIK and name given; the code goes by SMS.
func (h *HQ) smsNIK(ctx context.Context, phone, nik, name string) (string, error) {
	x, ok, err := h.store.SMSSessionOf(ctx, phone, h.cfg.Now())
	if err != nil {
		return "", err
	}
	if !ok {
		return antre.T("id", antre.MsgBookingSMSNoSession), nil
	}
	id, err := h.newRequest(ctx, pg.Request{Action: pg.ActionBook, Office: x.Office, Date: x.Date, Period: x.Period, Group: x.Group,
		NIK: nik, Name: name, Phone: phone, Client: "sms:" + phone})
	if err != nil {
		return "", err
	}
	x.Request = id
	if err := h.store.SetSMSSession(ctx, x); err != nil {
		return "", err
	}
	return antre.T("id", antre.MsgBookingSMSCodeSent), nil
}

// smsConfirm confirms the phone's request with code.
func (h *HQ) smsConfirm(ctx context.Context, phone, code string) (string, error) {
	x, ok, err := h.store.SMSSessionOf(ctx, phone, h.cfg.Now())
	if err != nil {
		return "", err
	}
	if !ok || x.Request == "" {
		return antre.T("id", antre.MsgBookingSMSNoSession), nil
	}
	if err := h.limited("sms:"+phone, ""); err != nil {
		return "", err
	}
	b, err := h.store.Confirm(ctx, x.Request, code, h.cfg.Now(), h.cfg.Booking.CodeAttempts, h.cfg.Booking.NationalNIK)
	if errors.Is(err, pg.ErrFull) {
		h.store.EndSMSSession(ctx, phone)
		return antre.T("id", antre.MsgBookingSMSFull, x.Date, strings.Join(h.nextFree(ctx, x.Office, x.Group), ", ")), nil
	}
	if err != nil {
		return "", err
	}
	h.book.poke()
	if err := h.store.EndSMSSession(ctx, phone); err != nil {
		h.log.Warn("booking by SMS: session not ended", "phone", antre.MaskPhone(phone), "err", err)
	}
	h.log.Info("booking: confirmed by SMS", "booking", b.Code, "office", b.Office, "date", b.Date, "period", b.Period, "group", b.Group)
	return antre.T("id", antre.MsgBookingSMSDone, b.Code, b.Office, b.Date, b.Period, b.Group), nil
}
