// Package checkin is the office's side of online booking (issue 14): headquarters books an
// applicant's arrival day and sends each office its coming days' bookings over the link; at the
// office's kiosk the applicant types or scans the booking's code and the last 6 digits of the
// NIK, and the hub issues a number from the online pool, first-in-first-served from that moment
// (seed 001 rule 4).
//
// It is a module on the hub's seam (package module):
//   - it applies two kinds of headquarters' settings (hqwire.KindBookings and
//     hqwire.KindOnlineHandover), which the link module (hqlink) hands it through the
//     SettingHandler service it provides: a day's bookings replace the office's copy of that day
//     when the setting is newer; a hand-over moves a date's unused online quota of a group to
//     walk-in, once (its row and the quota change commit in one transaction);
//   - POST /api/v1/checkins checks a booking and issues its ticket, in one transaction with the
//     hqwire.EvBookingCheckedIn event, which the link ships to headquarters; everything it reads
//     is local, so check-in works with the WAN down;
//   - a worker on the hub's clock writes an hqwire.EvBookingNoShow event for each booking of a
//     business date not checked in by closing, once.
//
// The office holds no NIK: a booking carries hqwire.NIKCheck of its code and the NIK's last 6
// digits, and the digits typed at the kiosk are checked against it.
package checkin

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"time"

	"antre"
	"antre/hqwire"
	"antre/internal/ratelimit"
	"antre/module"
)

//go:embed migration/*.sql
var migrations embed.FS

// EvBookingsReceived is the module's own event: a business date's bookings from headquarters
// replaced the office's copy. Data: date, the setting's ID and the number of bookings; nothing
// personal.
const EvBookingsReceived antre.EventType = "booking.day_received"

// Config is the module's configuration, under the key `checkin` of the hub's configuration
// (ANTRE_CHECKIN_… in the environment).
type Config struct {
	// StrictPeriods admits a booking only within its arrival period (08:00–12:00 or
	// 12:00–16:00); otherwise any time within the office's opening hours of the right day.
	StrictPeriods bool `mapstructure:"strict_periods"`
	// KioskPerMinute and KioskBurst bound the check-in attempts of one kiosk (or officer).
	KioskPerMinute int `mapstructure:"kiosk_per_minute"`
	KioskBurst     int `mapstructure:"kiosk_burst"`
	// BookingPerMinute and BookingBurst bound the attempts on one booking code, so the 6 digits
	// cannot be guessed at a kiosk.
	BookingPerMinute int `mapstructure:"booking_per_minute"`
	BookingBurst     int `mapstructure:"booking_burst"`
	// NoShowEvery is how often the worker looks for a closed day whose no-shows are not written.
	NoShowEvery time.Duration `mapstructure:"noshow_every"`
}

// DefaultConfig is the module's default configuration: any time in opening hours, 60 attempts
// a minute per kiosk (bursts of 20), 5 per booking, no-shows looked for every 30 seconds.
func DefaultConfig() Config {
	return Config{KioskPerMinute: 60, KioskBurst: 20, BookingPerMinute: 5, BookingBurst: 5, NoShowEvery: 30 * time.Second}
}

// Module is the check-in module of one office hub. Create it with New and mount it on the hub
// (module.Module).
type Module struct {
	cfg     Config
	db      module.DB
	office  antre.Office
	now     func() time.Time
	log     *slog.Logger
	kiosks  *ratelimit.Limiter
	booking *ratelimit.Limiter
	public  string
	svc     *module.Services
}

// New checks cfg (zero values take the defaults) and returns the module.
func New(cfg Config) (*Module, error) {
	d := DefaultConfig()
	if cfg.KioskPerMinute <= 0 {
		cfg.KioskPerMinute = d.KioskPerMinute
	}
	if cfg.KioskBurst <= 0 {
		cfg.KioskBurst = d.KioskBurst
	}
	if cfg.BookingPerMinute <= 0 {
		cfg.BookingPerMinute = d.BookingPerMinute
	}
	if cfg.BookingBurst <= 0 {
		cfg.BookingBurst = d.BookingBurst
	}
	if cfg.NoShowEvery <= 0 {
		cfg.NoShowEvery = d.NoShowEvery
	}
	return &Module{cfg: cfg}, nil
}

// Name is "checkin".
func (m *Module) Name() string { return "checkin" }

// Migrations are the module's tables (checkin_…).
func (m *Module) Migrations() fs.FS { return migrations }

// Messages are the module's catalogue entries ("checkin.…").
func (m *Module) Messages() antre.Messages { return messages }

// Start joins the hub: the routes, the settings handler (for the link module) and the no-show
// worker.
func (m *Module) Start(h module.Host) error {
	m.db, m.office, m.now, m.log, m.public, m.svc = h.DB(), h.Office(), h.Now, h.Log(), h.PublicURL(), h.Services()
	if m.office.Location == nil {
		return fmt.Errorf("checkin: office %q has no time zone", m.office.Code)
	}
	m.kiosks = ratelimit.New(m.cfg.KioskPerMinute, m.cfg.KioskBurst, m.now)
	m.booking = ratelimit.New(m.cfg.BookingPerMinute, m.cfg.BookingBurst, m.now)
	m.routes(h)
	h.Services().Provide(settings{m})
	h.Worker(m.run)
	return nil
}

// settings is the module's handler of headquarters' booking settings, found by the link module
// through module.Services by its own interface (HandlesSetting, ApplySetting).
type settings struct{ m *Module }

// HandlesSetting reports whether kind is a day's bookings or an online quota hand-over.
func (s settings) HandlesSetting(kind string) bool {
	return kind == hqwire.KindBookings || kind == hqwire.KindOnlineHandover
}

// ApplySetting applies one booking setting; applying it again changes nothing.
func (s settings) ApplySetting(ctx context.Context, st hqwire.Setting) error {
	switch st.Kind {
	case hqwire.KindBookings:
		var d hqwire.BookingsDay
		if err := json.Unmarshal(st.Data, &d); err != nil {
			s.m.log.Error("bookings from headquarters unreadable; dropped", "setting", st.ID, "err", err)
			return nil
		}
		return s.m.ReplaceDay(ctx, st.ID, d)
	case hqwire.KindOnlineHandover:
		var h hqwire.Handover
		if err := json.Unmarshal(st.Data, &h); err != nil {
			s.m.log.Error("hand-over from headquarters unreadable; dropped", "setting", st.ID, "err", err)
			return nil
		}
		return s.m.Handover(ctx, st.ID, h)
	}
	return fmt.Errorf("checkin: setting kind %q is not a booking's", st.Kind)
}

// ReplaceDay replaces the office's copy of d.Date's bookings with d when setting is newer than
// the one it holds (an older or repeated setting changes nothing), with an EvBookingsReceived
// event. Check-ins and no-shows already recorded stay. A day whose first list arrives after it
// has passed is kept, but its no-shows are not counted: nobody could have checked in.
func (m *Module) ReplaceDay(ctx context.Context, setting int64, d hqwire.BookingsDay) error {
	if _, err := time.Parse(time.DateOnly, d.Date); err != nil {
		m.log.Error("bookings from headquarters without a valid date; dropped", "setting", setting, "date", d.Date)
		return nil
	}
	var keep []hqwire.BookingSlot
	for _, b := range d.Bookings {
		if err := validSlot(b); err != nil {
			m.log.Error("a booking from headquarters is invalid; left out", "setting", setting, "err", err)
			continue
		}
		keep = append(keep, b)
	}
	return m.db.Update(ctx, func(tx module.Tx) error {
		var held int64
		err := tx.QueryRowContext(ctx, `SELECT setting_id FROM checkin_days WHERE date = ?`, d.Date).Scan(&held)
		switch {
		case err == nil && held >= setting:
			return nil
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return err
		}
		var noShows any
		if d.Date < tx.Today() {
			noShows = tx.Now().UnixMilli()
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO checkin_days (date, setting_id, received_at, noshows_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (date) DO UPDATE SET setting_id = excluded.setting_id, received_at = excluded.received_at,
				noshows_at = checkin_days.noshows_at`,
			d.Date, setting, tx.Now().UnixMilli(), noShows); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM checkin_bookings WHERE date = ?`, d.Date); err != nil {
			return err
		}
		for _, b := range keep {
			if _, err := tx.ExecContext(ctx, `INSERT INTO checkin_bookings (date, booking, period, grp, state, nik_check, name)
				VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (date, booking) DO UPDATE SET period = excluded.period, grp = excluded.grp,
				state = excluded.state, nik_check = excluded.nik_check, name = excluded.name`,
				d.Date, b.Booking, b.Period, b.Group, b.State, strings.ToLower(b.NIKCheck), antre.MaskName(b.Name)); err != nil {
				return err
			}
		}
		return tx.Emit(antre.Event{Type: EvBookingsReceived, Actor: "hq"}, map[string]any{"date": d.Date, "setting": setting, "bookings": len(keep)})
	})
}

var nikCheckRE = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)

func validSlot(b hqwire.BookingSlot) error {
	if err := hqwire.ValidBookingCode(b.Booking); err != nil {
		return err
	}
	if _, _, ok := hqwire.PeriodHours(b.Period); !ok {
		return fmt.Errorf("booking %s: unknown period %q", b.Booking, b.Period)
	}
	if b.State != hqwire.BookingActive && b.State != hqwire.BookingCancelled {
		return fmt.Errorf("booking %s: unknown state %q", b.Booking, b.State)
	}
	if !nikCheckRE.MatchString(b.NIKCheck) {
		return fmt.Errorf("booking %s: the NIK check is not a SHA-256", b.Booking)
	}
	if b.Group == "" {
		return fmt.Errorf("booking %s: no group", b.Booking)
	}
	return nil
}

// Handover moves h.Date's unused online quota of each group to its walk-in pool, once per date
// and group: the record of the move and the quota change (with its quota event) commit in one
// transaction, so a setting delivered twice, or again after a crash, moves nothing more. What
// moves is the unused count, but never so much that the online pool falls below what was
// booked (or already issued from it). A group the office does not have is recorded as moving
// nothing. A hand-over for a day already past changes nothing.
func (m *Module) Handover(ctx context.Context, setting int64, h hqwire.Handover) error {
	if _, err := time.Parse(time.DateOnly, h.Date); err != nil {
		m.log.Error("hand-over from headquarters without a valid date; dropped", "setting", setting, "date", h.Date)
		return nil
	}
	return m.db.Update(ctx, func(tx module.Tx) error {
		if h.Date < tx.Today() {
			return nil
		}
		for _, g := range h.Groups {
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM checkin_handovers WHERE date = ? AND grp = ?`, h.Date, g.Group).Scan(&one)
			if err == nil {
				continue // handed over before
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			moved := 0
			q, err := tx.GroupQuotaOn(h.Date, g.Group)
			switch {
			case antre.ErrorCode(err) == antre.EINVALID:
				m.log.Warn("hand-over of a group this office does not have", "setting", setting, "group", g.Group)
			case err != nil:
				return err
			default:
				keep := max(g.Booked, q.Used.Online, 0)
				moved = max(min(g.Unused, q.Quota.Online-keep), 0)
				if moved > 0 {
					nq := q.Quota
					nq.Online -= moved
					nq.WalkIn += moved
					if err := tx.SetQuotaOn(h.Date, g.Group, nq, "hq-handover"); err != nil {
						return err
					}
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO checkin_handovers (date, grp, setting_id, booked, unused, moved, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				h.Date, g.Group, setting, g.Booked, g.Unused, moved, tx.Now().UnixMilli()); err != nil {
				return err
			}
		}
		return nil
	})
}

// Request is a check-in as the kiosk sends it: the booking's code (typed, or read from its QR
// code by the scanner) and the last 6 digits of the applicant's NIK.
type Request struct {
	Booking  string `json:"booking"`
	NIKLast6 string `json:"nik_last6"`
}

var sixDigits = regexp.MustCompile(`^[0-9]{6}$`)

// CheckIn checks req in for by (a kiosk, or an officer) and issues its ticket from the online
// pool of the booking's group (a pool too small for headquarters' bookings grows by one), in one transaction with the hqwire.EvBookingCheckedIn event. It
// is refused, with nothing issued, when the code is unknown at this office, the booking is for
// another day, cancelled or already checked in, the digits do not match, or it is outside the
// opening hours (or the booking's arrival period, when configured strictly). A retry with the
// same idempotency key by the same device answers the ticket the first one issued.
func (m *Module) CheckIn(ctx context.Context, by antre.Principal, req Request, idemKey string) (antre.IssuedTicket, error) {
	code := strings.ToUpper(strings.TrimSpace(req.Booking))
	digits := strings.TrimSpace(req.NIKLast6)
	if hqwire.ValidBookingCode(code) != nil {
		return antre.IssuedTicket{}, antre.Errorf(antre.EINVALID, msgBadCode, "booking code %q malformed", code)
	}
	if !sixDigits.MatchString(digits) {
		return antre.IssuedTicket{}, antre.Errorf(antre.EINVALID, msgBadDigits, "the NIK's last 6 digits malformed")
	}
	if ok, wait := m.kiosks.Allow(by.Name); !ok {
		return antre.IssuedTicket{}, tooMany(wait, "check-ins of %s over the limit", by.Name)
	}
	if ok, wait := m.booking.Allow(code); !ok {
		return antre.IssuedTicket{}, tooMany(wait, "check-ins of booking %s over the limit", code)
	}
	var out antre.IssuedTicket
	var idem any
	if idemKey != "" {
		idem = by.Name + ":" + idemKey
	}
	err := m.db.Update(ctx, func(tx module.Tx) error {
		today := tx.Today()
		var b hqwire.BookingSlot
		err := tx.QueryRowContext(ctx, `SELECT period, grp, state, nik_check FROM checkin_bookings WHERE date = ? AND booking = ?`, today, code).
			Scan(&b.Period, &b.Group, &b.State, &b.NIKCheck)
		if errors.Is(err, sql.ErrNoRows) {
			var other string
			err := tx.QueryRowContext(ctx, `SELECT date FROM checkin_bookings WHERE booking = ? AND state = ? ORDER BY date DESC LIMIT 1`,
				code, hqwire.BookingActive).Scan(&other)
			if err == nil && other < today {
				return antre.Errorf(antre.ECONFLICT, msgPastDay, "booking %s was for %s, before %s", code, other, today).WithArgs(other)
			}
			if err == nil {
				return antre.Errorf(antre.ECONFLICT, msgWrongDay, "booking %s is for %s, not %s", code, other, today).WithArgs(other)
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			return antre.Errorf(antre.ENOTFOUND, msgUnknown, "booking %s unknown at office %s on %s", code, m.office.Code, today)
		}
		if err != nil {
			return err
		}
		var prevIdem sql.NullString
		var answer string
		err = tx.QueryRowContext(ctx, `SELECT idem, answer FROM checkin_checkins WHERE date = ? AND booking = ?`, today, code).Scan(&prevIdem, &answer)
		if err == nil {
			if idem != nil && prevIdem.Valid && prevIdem.String == idem {
				return json.Unmarshal([]byte(answer), &out)
			}
			return antre.Errorf(antre.ECONFLICT, msgUsed, "booking %s already checked in", code)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if b.State != hqwire.BookingActive {
			return antre.Errorf(antre.ECONFLICT, msgCancelled, "booking %s is %s", code, b.State)
		}
		want := hqwire.NIKCheck(code, digits)
		if subtle.ConstantTimeCompare([]byte(want), []byte(b.NIKCheck)) != 1 {
			return antre.Errorf(antre.EFORBIDDEN, msgDigits, "booking %s: the NIK's last 6 digits do not match", code)
		}
		if err := m.inHours(tx.Now(), b.Period); err != nil {
			return err
		}
		t, err := tx.IssueOnline(b.Group, by)
		if antre.ErrorCode(err) == antre.EQUOTAEXHAUSTED {
			// Headquarters booked more than the office's online pool holds today (its quota
			// was lowered after the booking): the booking is honoured, and the pool grows by
			// one, on record with its quota event.
			if err = m.growOnline(tx, b.Group); err == nil {
				t, err = tx.IssueOnline(b.Group, by)
			}
		}
		if err != nil {
			return err
		}
		raw, err := json.Marshal(t)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO checkin_checkins (date, booking, ticket, at, actor, idem, answer) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			today, code, t.Code, tx.Now().UnixMilli(), by.Name, idem, string(raw)); err != nil {
			return err
		}
		out = t
		return tx.Emit(antre.Event{Type: hqwire.EvBookingCheckedIn, Ticket: t.Code, Group: t.Group, Actor: by.Name},
			hqwire.BookingEvent{Booking: code, Date: today, Period: b.Period, Group: b.Group, Ticket: t.Code})
	})
	if err != nil {
		return antre.IssuedTicket{}, err
	}
	out.StatusURL = m.public + "/status/" + out.Code
	if tt, ok := module.Find[ticketTokens](m.svc); ok {
		if k := tt.TicketToken(out.BusinessDate, out.Code); k != "" {
			out.StatusURL += "?k=" + url.QueryEscape(k)
		}
	}
	return out, nil
}

// ticketTokens is a module's token for a new ticket, added to the status link its QR code
// carries, as the hub adds it to every ticket it issues (the applicant's-voice module's survey
// token).
type ticketTokens interface {
	TicketToken(date, code string) string
}

// growOnline raises today's online quota of group by one, so that a booking headquarters made
// is honoured.
func (m *Module) growOnline(tx module.Tx, group string) error {
	q, err := tx.GroupQuota(group)
	if err != nil {
		return err
	}
	nq := q.Quota
	nq.Online = max(nq.Online, q.Used.Online) + 1
	m.log.Warn("online pool smaller than the bookings: raised by one for a check-in", "group", group, "online", nq.Online)
	return tx.SetQuotaOn(tx.Today(), group, nq, "checkin")
}

// inHours checks that now is within the office's opening hours, or within period when the
// office admits bookings strictly in their arrival period.
func (m *Module) inHours(now time.Time, period string) error {
	l := now.In(m.office.Location)
	at := l.Hour()*60 + l.Minute()
	if m.cfg.StrictPeriods {
		from, to, _ := hqwire.PeriodHours(period)
		if at < from*60 || at >= to*60 {
			return antre.Errorf(antre.ECONFLICT, msgPeriod, "check-in at %02d:%02d outside the period %s", at/60, at%60, period).
				WithArgs(fmt.Sprintf("%02d:00–%02d:00", from, to))
		}
		return nil
	}
	if at < m.office.Opens || at >= m.office.Closes {
		return antre.Errorf(antre.ECONFLICT, msgClosed, "check-in at %02d:%02d outside the opening hours", at/60, at%60).
			WithArgs(clock(m.office.Opens), clock(m.office.Closes))
	}
	return nil
}

func clock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

func tooMany(wait time.Duration, cause string, args ...any) error {
	secs := int(wait/time.Second) + 1
	return antre.Errorf(antre.ETOOMANY, msgTooMany, cause, args...).WithArgs(secs)
}
