package checkin

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"antre"
	"antre/internal/httpapi"
	"antre/module"
)

// routes declares the module's API on the hub:
//
//	POST /api/v1/checkins   kiosk, staff: {"booking","nik_last6"} → 201 the ticket (pool online);
//	                        Idempotency-Key: a retry answers the same ticket
//	GET  /api/v1/bookings   staff: a day's bookings at the office (?date=, today by default), each
//	                        with its check-in ticket or no-show; names masked, no NIK
func (m *Module) routes(h module.Host) {
	h.Handle("POST /api/v1/checkins", http.HandlerFunc(m.handleCheckIn), append([]antre.Role{antre.RoleKiosk}, antre.StaffRoles...)...)
	h.Handle("GET /api/v1/bookings", http.HandlerFunc(m.handleList), antre.StaffRoles...)
}

func (m *Module) fail(w http.ResponseWriter, r *http.Request, err error) {
	httpapi.LogRefusal(m.log, r, err)
	var e *antre.Error
	if errors.As(err, &e) && e.Code == antre.ETOOMANY && len(e.Args) == 1 {
		if secs, ok := e.Args[0].(int); ok {
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
	}
	httpapi.WriteError(w, r, err)
}

func (m *Module) handleCheckIn(w http.ResponseWriter, r *http.Request) {
	var req Request
	if err := httpapi.Decode(w, r, &req); err != nil {
		m.fail(w, r, err)
		return
	}
	key := r.Header.Get("Idempotency-Key")
	if len(key) > 200 {
		m.fail(w, r, antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "idempotency key over 200 bytes").WithArgs("Idempotency-Key"))
		return
	}
	who := module.Who(r.Context())
	t, err := m.CheckIn(r.Context(), who, req, key)
	if err != nil {
		m.fail(w, r, err)
		return
	}
	m.log.Info("booking checked in", "ticket", t.Code, "by", who.Name)
	httpapi.WriteJSON(w, http.StatusCreated, t)
}

// Booking is one booking of a day as staff see it at the office: no NIK, the name masked.
type Booking struct {
	Booking string `json:"booking"`
	Date    string `json:"date"`
	Period  string `json:"period"`
	Group   string `json:"group"`
	State   string `json:"state"`
	Name    string `json:"name"`
	// Ticket is the number issued at its check-in; CheckedInAt when.
	Ticket      string     `json:"ticket,omitempty"`
	CheckedInAt *time.Time `json:"checked_in_at,omitempty"`
	// NoShow is set once the day closed without its check-in.
	NoShow bool `json:"no_show,omitempty"`
}

// Day is a business date's bookings at the office, as the newest setting from headquarters
// had them; Received is when it arrived (nil: none arrived for the date).
type Day struct {
	Date     string     `json:"date"`
	Setting  int64      `json:"setting,omitempty"`
	Received *time.Time `json:"received,omitempty"`
	Bookings []Booking  `json:"bookings"`
}

// Bookings returns date's bookings (today's when empty) in the order of their codes.
func (m *Module) Bookings(ctx context.Context, date string) (Day, error) {
	if date == "" {
		date = m.office.BusinessDate(m.now())
	}
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return Day{}, antre.Errorf(antre.EINVALID, msgBadDate, "date %q", date)
	}
	d := Day{Date: date, Bookings: []Booking{}}
	var received int64
	if err := m.db.QueryRowContext(ctx, `SELECT setting_id, received_at FROM checkin_days WHERE date = ?`, date).Scan(&d.Setting, &received); err == nil {
		t := time.UnixMilli(received)
		d.Received = &t
	}
	rows, err := m.db.QueryContext(ctx, `SELECT b.booking, b.period, b.grp, b.state, b.name, coalesce(c.ticket, ''), coalesce(c.at, 0), n.booking IS NOT NULL
		FROM checkin_bookings b
		LEFT JOIN checkin_checkins c ON c.date = b.date AND c.booking = b.booking
		LEFT JOIN checkin_noshows n ON n.date = b.date AND n.booking = b.booking
		WHERE b.date = ? ORDER BY b.booking`, date)
	if err != nil {
		return d, err
	}
	defer rows.Close()
	for rows.Next() {
		b := Booking{Date: date}
		var at int64
		if err := rows.Scan(&b.Booking, &b.Period, &b.Group, &b.State, &b.Name, &b.Ticket, &at, &b.NoShow); err != nil {
			return d, err
		}
		if at > 0 {
			t := time.UnixMilli(at)
			b.CheckedInAt = &t
		}
		d.Bookings = append(d.Bookings, b)
	}
	return d, rows.Err()
}

func (m *Module) handleList(w http.ResponseWriter, r *http.Request) {
	d, err := m.Bookings(r.Context(), strings.TrimSpace(r.URL.Query().Get("date")))
	if err != nil {
		m.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, d)
}
