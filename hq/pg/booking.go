package pg

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"math/big"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"antre"
	"antre/hqwire"
)

// BookingGroup is a service group an office offers online, with its daily quota (the online
// share is taken from it, unless headquarters set the day's online quota itself).
type BookingGroup struct {
	Group  string `json:"group"`
	NameID string `json:"name_id"`
	NameEN string `json:"name_en"`
	Daily  int    `json:"daily"`
}

// BookingOffice is an office that takes online bookings: its rules and its groups.
type BookingOffice struct {
	Office   string              `json:"office"`
	Name     string              `json:"name"`
	Region   string              `json:"region"`
	TimeZone string              `json:"time_zone"`
	Policy   antre.BookingPolicy `json:"policy"`
	Groups   []BookingGroup      `json:"groups"`
}

// SetBookingOffice sets an office's booking rules and groups (the policy validated, each group
// named once with a daily quota of 0 to 10,000).
func (s *Store) SetBookingOffice(ctx context.Context, office string, p antre.BookingPolicy, groups []BookingGroup) error {
	if err := p.Validate(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, g := range groups {
		if g.Group == "" || len(g.Group) > 8 || seen[g.Group] || g.Daily < 0 || g.Daily > 10000 {
			return antre.Errorf(antre.EINVALID, antre.MsgBadGroup, "booking group %+v", g)
		}
		seen[g.Group] = true
	}
	pb, _ := json.Marshal(p)
	gb, _ := json.Marshal(groups)
	tag, err := s.pool.Exec(ctx, `INSERT INTO booking_offices (office, policy, groups) SELECT code, $2::jsonb, $3::jsonb FROM offices WHERE code = $1
		ON CONFLICT (office) DO UPDATE SET policy = excluded.policy, groups = excluded.groups, updated_at = now()`, office, string(pb), string(gb))
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "no office %s", office)
	}
	return nil
}

const bookingOfficeCols = `o.code, o.name, o.region, o.time_zone, b.policy::text, b.groups::text`

func scanBookingOffice(r pgx.Row) (BookingOffice, error) {
	var o BookingOffice
	var p, g string
	if err := r.Scan(&o.Office, &o.Name, &o.Region, &o.TimeZone, &p, &g); err != nil {
		return o, err
	}
	if err := json.Unmarshal([]byte(p), &o.Policy); err != nil {
		return o, err
	}
	return o, json.Unmarshal([]byte(g), &o.Groups)
}

// BookingOffices lists the offices that take bookings, by code.
func (s *Store) BookingOffices(ctx context.Context) ([]BookingOffice, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+bookingOfficeCols+` FROM booking_offices b JOIN offices o ON o.code = b.office ORDER BY o.code`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (BookingOffice, error) { return scanBookingOffice(r) })
}

// BookingOfficeOf returns one office's booking rules; an office that takes no bookings is
// not_found.
func (s *Store) BookingOfficeOf(ctx context.Context, office string) (BookingOffice, error) {
	o, err := scanBookingOffice(s.pool.QueryRow(ctx, `SELECT `+bookingOfficeCols+` FROM booking_offices b JOIN offices o ON o.code = b.office
		WHERE o.code = $1`, office))
	if errors.Is(err, pgx.ErrNoRows) {
		return o, antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "office %s takes no online bookings", office)
	}
	return o, err
}

// OnlineQuotas returns the online quota headquarters set for an office's groups on date
// (quotas), by group.
func (s *Store) OnlineQuotas(ctx context.Context, office, date string) (map[string]int, error) {
	rows, err := s.pool.Query(ctx, `SELECT grp, online FROM quotas WHERE office = $1 AND date = $2::date`, office, date)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var g string
		var n int
		if err := rows.Scan(&g, &n); err != nil {
			return nil, err
		}
		out[g] = n
	}
	return out, rows.Err()
}

// Slot is one office day's online places of a period and group.
type Slot struct {
	Date     string `json:"date"`
	Period   string `json:"period"`
	Group    string `json:"group"`
	Capacity int    `json:"capacity"`
	Taken    int    `json:"taken"`
}

// EnsureSlots creates an office day's slots that do not exist yet with the capacities given;
// existing slots keep theirs (and what was taken).
func (s *Store) EnsureSlots(ctx context.Context, office string, slots []Slot) error {
	if len(slots) == 0 {
		return nil
	}
	dates, periods, groups, caps := make([]string, len(slots)), make([]string, len(slots)), make([]string, len(slots)), make([]int32, len(slots))
	for i, sl := range slots {
		dates[i], periods[i], groups[i], caps[i] = sl.Date, sl.Period, sl.Group, int32(sl.Capacity)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO booking_slots (office, date, period, grp, capacity)
		SELECT $1, u.d::date, u.p, u.g, u.c FROM unnest($2::text[], $3::text[], $4::text[], $5::int[]) AS u(d, p, g, c)
		ON CONFLICT DO NOTHING`, office, dates, periods, groups, caps)
	return err
}

// Slots returns an office's slots from date from through date to, by date, period and group.
func (s *Store) Slots(ctx context.Context, office, from, to string) ([]Slot, error) {
	rows, err := s.pool.Query(ctx, `SELECT date::text, period, grp, capacity, taken FROM booking_slots
		WHERE office = $1 AND date BETWEEN $2::date AND $3::date ORDER BY date, period, grp`, office, from, to)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Slot, error) {
		var sl Slot
		err := r.Scan(&sl.Date, &sl.Period, &sl.Group, &sl.Capacity, &sl.Taken)
		return sl, err
	})
}

// NIKHash is how headquarters keeps a NIK: its SHA-256, enough to keep one person to one slot
// and to count no-shows.
func NIKHash(nik string) []byte {
	h := sha256.Sum256([]byte("antre-nik:" + nik))
	return h[:]
}

// The actions of a booking request.
const (
	ActionBook   = "book"
	ActionMove   = "move"
	ActionCancel = "cancel"
)

// Request is an applicant's request waiting for its one-time code: a booking (Action book,
// the slot and the applicant), a move of Booking to another slot, or its cancellation.
type Request struct {
	ID      string
	Action  string
	Booking string
	Office  string
	Date    string
	Period  string
	Group   string
	// NIK is the applicant's NIK: kept only as NIKHash, its mask and the office's check.
	NIK   string
	Name  string
	Phone string
	// Client is the address the request came from, for the audit.
	Client string
}

const codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// randomString returns n characters of alphabet drawn by crypto/rand.
func randomString(alphabet string, n int) string {
	b := make([]byte, n)
	max := big.NewInt(int64(len(alphabet)))
	for i := range b {
		v, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic(err) // crypto/rand does not fail on a supported system
		}
		b[i] = alphabet[v.Int64()]
	}
	return string(b)
}

// NewBookingCode returns an unguessable booking code: 10 characters of 32 (50 bits), no 0/O
// or 1/I to misread, valid by hqwire.ValidBookingCode.
func NewBookingCode() string { return randomString(codeAlphabet, 10) }

func codeHash(id, code string) []byte {
	h := sha256.Sum256([]byte(id + ":" + code))
	return h[:]
}

// NewRequest records r with a fresh one-time code valid until expires and queues the SMS
// body(code) to r.Phone, in one transaction. It returns the request's ID; the code leaves
// headquarters only by SMS.
func (s *Store) NewRequest(ctx context.Context, r Request, expires time.Time, body func(code string) string) (string, error) {
	id := randomString("abcdefghijkmnpqrstuvwxyz23456789", 20)
	code := randomString("0123456789", 6)
	last6 := r.NIK
	if len(last6) > 6 {
		last6 = last6[len(last6)-6:]
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var booking *string
		if r.Booking != "" {
			booking = &r.Booking
		}
		_, err := tx.Exec(ctx, `INSERT INTO booking_requests (id, action, booking, office, date, period, grp, nik_hash, nik_masked, nik_check,
			name, phone, code_hash, expires_at, client) VALUES ($1, $2, $3, $4, $5::date, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			id, r.Action, booking, r.Office, r.Date, r.Period, r.Group, NIKHash(r.NIK), antre.MaskNIK(r.NIK), last6, r.Name, r.Phone,
			codeHash(id, code), expires, r.Client)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO booking_sms (phone, body) VALUES ($1, $2)`, r.Phone, body(code))
		return err
	})
	return id, err
}

// Booked is a booking as its owner sees it.
type Booked struct {
	Code      string `json:"booking"`
	Office    string `json:"office"`
	Date      string `json:"date"`
	Period    string `json:"period"`
	Group     string `json:"group"`
	State     string `json:"state"`
	Name      string `json:"name"` // masked
	NIK       string `json:"nik"`  // masked
	MovedFrom string `json:"moved_from,omitempty"`
}

// ErrFull is the refusal of a booking whose slot has no place left; the caller answers it
// with the next free days.
var ErrFull = antre.Errorf(antre.EBOOKINGFULL, antre.MsgBookingFull, "the slot is full")

// Confirm carries out request id when code is its one-time code, at instant now: a wrong code
// counts an attempt (committed; after maxAttempts the request is dead), an expired or used
// request is refused. A booking takes its slot with one conditional update (taken <
// capacity) in the transaction that inserts it, so a full slot is ErrFull and never
// oversold; the unique indexes refuse a second live booking of the NIK (per scope) or of the
// phone on that day. scope is "" when one booking per NIK per day is national, else the office.
// A move cancels the old booking and books the new slot in one transaction; a cancellation
// frees the slot. Every change writes the audit and marks the office days to send again.
func (s *Store) Confirm(ctx context.Context, id, code string, now time.Time, maxAttempts int, national bool) (Booked, error) {
	var out Booked
	var refusal error
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var r Request
		var nikHash, hash []byte
		var masked, last6 string
		var booking *string
		var expires time.Time
		var attempts int
		var done *time.Time
		err := tx.QueryRow(ctx, `SELECT action, booking, office, date::text, period, grp, nik_hash, nik_masked, nik_check, name, phone,
			code_hash, expires_at, attempts, done_at FROM booking_requests WHERE id = $1 FOR UPDATE`, id).
			Scan(&r.Action, &booking, &r.Office, &r.Date, &r.Period, &r.Group, &nikHash, &masked, &last6, &r.Name, &r.Phone, &hash, &expires,
				&attempts, &done)
		if errors.Is(err, pgx.ErrNoRows) {
			return antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "no booking request %s", id)
		}
		if err != nil {
			return err
		}
		switch {
		case done != nil:
			return antre.Errorf(antre.ECONFLICT, antre.MsgBookingUsedCode, "request %s was carried out", id)
		case attempts >= maxAttempts:
			return antre.Errorf(antre.ETOOMANY, antre.MsgBookingAttempts, "request %s: %d attempts", id, attempts)
		case !now.Before(expires):
			return antre.Errorf(antre.ECONFLICT, antre.MsgBookingExpired, "request %s expired at %s", id, expires.Format(time.RFC3339))
		}
		if subtle.ConstantTimeCompare(hash, codeHash(id, code)) != 1 {
			if _, err := tx.Exec(ctx, `UPDATE booking_requests SET attempts = attempts + 1 WHERE id = $1`, id); err != nil {
				return err
			}
			refusal = antre.Errorf(antre.EINVALID, antre.MsgBookingBadCode, "request %s: wrong code (attempt %d of %d)", id, attempts+1, maxAttempts)
			return nil // the attempt counts: commit it
		}
		if booking != nil {
			r.Booking = *booking
		}
		var result string
		switch r.Action {
		case ActionCancel:
			out, err = s.cancel(ctx, tx, r.Booking, id, "cancelled")
			result = r.Booking
		case ActionMove, ActionBook:
			if r.Action == ActionMove {
				if _, err = s.cancel(ctx, tx, r.Booking, id, "moved"); err != nil {
					return err
				}
			}
			scope := r.Office
			if national {
				scope = ""
			}
			out, err = s.book(ctx, tx, r, scope, nikHash, masked, hqwire.NIKCheck, last6, id)
			result = out.Code
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE booking_requests SET done_at = $2, result = $3 WHERE id = $1`, id, now, result)
		return err
	})
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23505" {
			if pe.ConstraintName == "bookings_one_phone" {
				return out, antre.Errorf(antre.ECONFLICT, antre.MsgBookingPhone, "request %s: the phone has a live booking that day", id)
			}
			return out, antre.Errorf(antre.ECONFLICT, antre.MsgBookingNIKTaken, "request %s: the NIK has a live booking that day", id)
		}
		return out, err
	}
	return out, refusal
}

// book takes r's slot and inserts its booking.
func (s *Store) book(ctx context.Context, tx pgx.Tx, r Request, scope string, nikHash []byte, masked string,
	check func(booking, last6 string) string, last6, request string) (Booked, error) {
	var taken int
	err := tx.QueryRow(ctx, `UPDATE booking_slots SET taken = taken + 1
		WHERE office = $1 AND date = $2::date AND period = $3 AND grp = $4 AND taken < capacity RETURNING taken`,
		r.Office, r.Date, r.Period, r.Group).Scan(&taken)
	if errors.Is(err, pgx.ErrNoRows) {
		return Booked{}, ErrFull
	}
	if err != nil {
		return Booked{}, err
	}
	b := Booked{Code: NewBookingCode(), Office: r.Office, Date: r.Date, Period: r.Period, Group: r.Group, State: hqwire.BookingActive,
		Name: r.Name, NIK: masked, MovedFrom: r.Booking}
	var moved *string
	if r.Booking != "" {
		moved = &r.Booking
	}
	if _, err := tx.Exec(ctx, `INSERT INTO bookings (code, office, date, period, grp, scope, nik_hash, nik_masked, nik_check, name, phone, moved_from)
		VALUES ($1, $2, $3::date, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		b.Code, r.Office, r.Date, r.Period, r.Group, scope, nikHash, masked, check(b.Code, last6), r.Name, r.Phone, moved); err != nil {
		return Booked{}, err
	}
	return b, audit(ctx, tx, b.Code, r.Office, r.Action, request, map[string]any{"date": r.Date, "period": r.Period, "group": r.Group, "moved_from": r.Booking})
}

// cancel cancels a live booking and frees its slot.
func (s *Store) cancel(ctx context.Context, tx pgx.Tx, code, request, action string) (Booked, error) {
	var b Booked
	var moved *string
	err := tx.QueryRow(ctx, `UPDATE bookings SET state = 'cancelled', updated_at = now() WHERE code = $1 AND state = 'active'
		RETURNING code, office, date::text, period, grp, state, name, nik_masked, moved_from`, code).
		Scan(&b.Code, &b.Office, &b.Date, &b.Period, &b.Group, &b.State, &b.Name, &b.NIK, &moved)
	if errors.Is(err, pgx.ErrNoRows) {
		return b, antre.Errorf(antre.ECONFLICT, antre.MsgBookingNotActive, "booking %s is not active", code)
	}
	if err != nil {
		return b, err
	}
	if moved != nil {
		b.MovedFrom = *moved
	}
	if _, err := tx.Exec(ctx, `UPDATE booking_slots SET taken = taken - 1 WHERE office = $1 AND date = $2::date AND period = $3 AND grp = $4`,
		b.Office, b.Date, b.Period, b.Group); err != nil {
		return b, err
	}
	return b, audit(ctx, tx, code, b.Office, action, request, map[string]any{})
}

// audit records a change of booking and marks its office day to be sent again.
func audit(ctx context.Context, tx pgx.Tx, booking, office, action, request string, detail map[string]any) error {
	d, _ := json.Marshal(detail)
	var req *string
	if request != "" {
		req = &request
	}
	if _, err := tx.Exec(ctx, `INSERT INTO booking_audit (booking, office, action, request, detail) VALUES ($1, $2, $3, $4, $5::jsonb)`,
		booking, office, action, req, string(d)); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO booking_dirty (office, date) SELECT office, date FROM bookings WHERE code = $1 ON CONFLICT DO NOTHING`, booking)
	return err
}

// Booking returns a booking by its code, with what anyone holding the code may see: the NIK
// and the name masked (the code is printed on paper and shown as a QR code).
func (s *Store) Booking(ctx context.Context, code string) (Booked, error) {
	var b Booked
	var moved *string
	err := s.pool.QueryRow(ctx, `SELECT code, office, date::text, period, grp, state, name, nik_masked, moved_from FROM bookings WHERE code = $1`, code).
		Scan(&b.Code, &b.Office, &b.Date, &b.Period, &b.Group, &b.State, &b.Name, &b.NIK, &moved)
	if errors.Is(err, pgx.ErrNoRows) {
		return b, antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "no booking %s", code)
	}
	if moved != nil {
		b.MovedFrom = *moved
	}
	b.Name = antre.MaskName(b.Name)
	return b, err
}

// BookingOwner returns a booking with its owner's NIK hash and phone, to check who asks to
// move or cancel it.
func (s *Store) BookingOwner(ctx context.Context, code string) (Booked, []byte, string, error) {
	b, err := s.Booking(ctx, code)
	if err != nil {
		return b, nil, "", err
	}
	var h []byte
	var phone string
	err = s.pool.QueryRow(ctx, `SELECT nik_hash, phone FROM bookings WHERE code = $1`, code).Scan(&h, &phone)
	return b, h, phone, err
}

// Live reports which of a NIK's (by scope) or a phone's live bookings stand on date, so a
// request that could never be confirmed is refused before a code is sent.
func (s *Store) Live(ctx context.Context, nikHash []byte, phone, date, scope string) (nik, byPhone bool, err error) {
	err = s.pool.QueryRow(ctx, `SELECT
		EXISTS (SELECT 1 FROM bookings WHERE nik_hash = $1 AND date = $3::date AND scope = $4 AND state IN ('active', 'used')),
		EXISTS (SELECT 1 FROM bookings WHERE phone = $2 AND date = $3::date AND state IN ('active', 'used'))`,
		nikHash, phone, date, scope).Scan(&nik, &byPhone)
	return
}

// NoShows returns how many no-shows a NIK has and the date of the last.
func (s *Store) NoShows(ctx context.Context, nikHash []byte) (int, string, error) {
	var n int
	var last string
	err := s.pool.QueryRow(ctx, `SELECT count, last_date::text FROM booking_no_shows WHERE nik_hash = $1`, nikHash).Scan(&n, &last)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, "", nil
	}
	return n, last, err
}

// Audit returns a booking's changes in order: action and request of each.
func (s *Store) Audit(ctx context.Context, booking string) ([][2]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT action, coalesce(request, '') FROM booking_audit WHERE booking = $1 ORDER BY id`, booking)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) ([2]string, error) {
		var a [2]string
		err := r.Scan(&a[0], &a[1])
		return a, err
	})
}

// bookingsDay is an office day's bookings as the office receives them.
func bookingsDay(ctx context.Context, q querier, office, date string) (hqwire.BookingsDay, error) {
	rows, err := q.Query(ctx, `SELECT code, period, grp, state, nik_check, name FROM bookings WHERE office = $1 AND date = $2::date ORDER BY code`,
		office, date)
	if err != nil {
		return hqwire.BookingsDay{}, err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (hqwire.BookingSlot, error) {
		var b hqwire.BookingSlot
		err := r.Scan(&b.Booking, &b.Period, &b.Group, &b.State, &b.NIKCheck, &b.Name)
		if b.State != hqwire.BookingCancelled {
			b.State = hqwire.BookingActive // used and no-show are the office's own record
		}
		b.Name = antre.MaskName(b.Name)
		return b, err
	})
	return hqwire.BookingsDay{Date: date, Bookings: list}, err
}

// BookingsDay returns an office day's bookings as the office receives them (hqwire).
func (s *Store) BookingsDay(ctx context.Context, office, date string) (hqwire.BookingsDay, error) {
	return bookingsDay(ctx, s.pool, office, date)
}

// FlushBookings queues, for up to limit office days whose bookings changed, the whole day as a
// KindBookings setting, and clears their marks, in one transaction: a burst of changes to a
// day becomes one setting. It returns how many days it queued.
func (s *Store) FlushBookings(ctx context.Context, limit int) (int, error) {
	n := 0
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		n = 0
		rows, err := tx.Query(ctx, `DELETE FROM booking_dirty WHERE (office, date) IN
			(SELECT office, date FROM booking_dirty ORDER BY date, office LIMIT $1 FOR UPDATE SKIP LOCKED) RETURNING office, date::text`, limit)
		if err != nil {
			return err
		}
		type day struct{ office, date string }
		days, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (day, error) {
			var d day
			err := r.Scan(&d.office, &d.date)
			return d, err
		})
		if err != nil {
			return err
		}
		for _, d := range days {
			bd, err := bookingsDay(ctx, tx, d.office, d.date)
			if err != nil {
				return err
			}
			data, _ := json.Marshal(bd)
			if err := s.enqueue(ctx, tx, d.office, hqwire.Setting{Kind: hqwire.KindBookings, Date: d.date, Data: data}); err != nil {
				return err
			}
		}
		n = len(days)
		return nil
	})
	return n, err
}

// HandOver queues, once per office day, the KindOnlineHandover of date: per group, the online
// places booked and those unused, which go to the office's walk-in pool. It reports whether
// this call queued it (false: it was handed over before).
func (s *Store) HandOver(ctx context.Context, office, date string) (bool, error) {
	queued := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// The day's slots are locked first, so no cancellation moves them under the sums.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM booking_slots WHERE office = $1 AND date = $2::date FOR UPDATE`, office, date); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT grp, sum(taken)::int, sum(capacity - taken)::int FROM booking_slots
			WHERE office = $1 AND date = $2::date GROUP BY grp ORDER BY grp`, office, date)
		if err != nil {
			return err
		}
		h := hqwire.Handover{Date: date, Groups: []hqwire.HandoverGroup{}}
		for rows.Next() {
			var g hqwire.HandoverGroup
			if err := rows.Scan(&g.Group, &g.Booked, &g.Unused); err != nil {
				rows.Close()
				return err
			}
			h.Groups = append(h.Groups, g)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		data, _ := json.Marshal(h)
		tag, err := tx.Exec(ctx, `INSERT INTO booking_handovers (office, date, data) VALUES ($1, $2::date, $3::jsonb) ON CONFLICT DO NOTHING`,
			office, date, string(data))
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		queued = true
		return s.enqueue(ctx, tx, office, hqwire.Setting{Kind: hqwire.KindOnlineHandover, Date: date, Data: data})
	})
	return queued, err
}

// applyBookingEvents records, in the ingest's transaction, what the offices' booking events
// say: a check-in marks the booking used (with its ticket), a no-show marks it and counts it
// against the NIK. Only events of the booking's own office count.
func applyBookingEvents(ctx context.Context, tx pgx.Tx, in []Incoming) error {
	for _, b := range in {
		if b.Event.Type != hqwire.EvBookingCheckedIn && b.Event.Type != hqwire.EvBookingNoShow {
			continue
		}
		var ev hqwire.BookingEvent
		if err := json.Unmarshal(b.Event.Data, &ev); err != nil || ev.Booking == "" {
			continue // stored as an event; nothing to apply
		}
		state, action := "used", "checked_in"
		if b.Event.Type == hqwire.EvBookingNoShow {
			state, action = "no_show", "no_show"
		}
		var nikHash []byte
		var date string
		err := tx.QueryRow(ctx, `UPDATE bookings SET state = $3, ticket = $4, updated_at = now()
			WHERE code = $1 AND office = $2 AND state IN ('active', 'used') AND state <> $3 RETURNING nik_hash, date::text`,
			ev.Booking, b.Office, state, ev.Ticket).Scan(&nikHash, &date)
		if errors.Is(err, pgx.ErrNoRows) {
			continue // unknown, another office's, cancelled or already recorded
		}
		if err != nil {
			return err
		}
		d, _ := json.Marshal(map[string]any{"event_id": b.Event.ID, "ticket": ev.Ticket})
		if _, err := tx.Exec(ctx, `INSERT INTO booking_audit (booking, office, action, detail) VALUES ($1, $2, $3, $4::jsonb)`,
			ev.Booking, b.Office, action, string(d)); err != nil {
			return err
		}
		if state == "no_show" {
			if _, err := tx.Exec(ctx, `INSERT INTO booking_no_shows (nik_hash, count, last_date) VALUES ($1, 1, $2::date)
				ON CONFLICT (nik_hash) DO UPDATE SET count = booking_no_shows.count + 1,
					last_date = greatest(booking_no_shows.last_date, excluded.last_date)`, nikHash, date); err != nil {
				return err
			}
		}
	}
	return nil
}

// SMS is a one-time code's message waiting for headquarters' gateway.
type SMS struct {
	ID       int64
	Phone    string
	Body     string
	Attempts int
}

// DueSMS returns up to limit messages due to be sent at now, oldest first.
func (s *Store) DueSMS(ctx context.Context, now time.Time, limit int) ([]SMS, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, phone, body, attempts FROM booking_sms
		WHERE sent_at IS NULL AND failed IS NULL AND due_at <= $1 ORDER BY id LIMIT $2`, now, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (SMS, error) {
		var m SMS
		err := r.Scan(&m.ID, &m.Phone, &m.Body, &m.Attempts)
		return m, err
	})
}

// SMSSent records a message the gateway took.
func (s *Store) SMSSent(ctx context.Context, id int64, now time.Time) error {
	_, err := s.pool.Exec(ctx, `UPDATE booking_sms SET sent_at = $2, attempts = attempts + 1 WHERE id = $1`, id, now)
	return err
}

// SMSRetry records a failed attempt: the message is due again at retry, or failed for good
// (with why) when retry is zero.
func (s *Store) SMSRetry(ctx context.Context, id int64, retry time.Time, why string) error {
	if retry.IsZero() {
		_, err := s.pool.Exec(ctx, `UPDATE booking_sms SET failed = $2, attempts = attempts + 1 WHERE id = $1`, id, why)
		return err
	}
	_, err := s.pool.Exec(ctx, `UPDATE booking_sms SET due_at = $2, attempts = attempts + 1 WHERE id = $1`, id, retry)
	return err
}

// HandedOver returns the hand-over queued for an office day, if any.
func (s *Store) HandedOver(ctx context.Context, office, date string) (hqwire.Handover, bool, error) {
	var data string
	err := s.pool.QueryRow(ctx, `SELECT data::text FROM booking_handovers WHERE office = $1 AND date = $2::date`, office, date).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return hqwire.Handover{}, false, nil
	}
	if err != nil {
		return hqwire.Handover{}, false, err
	}
	var h hqwire.Handover
	return h, true, json.Unmarshal([]byte(data), &h)
}

// RequestSlot returns what a request is for: its action and the slot it books (for a
// cancellation, the booking's).
func (s *Store) RequestSlot(ctx context.Context, id string) (Request, error) {
	var r Request
	err := s.pool.QueryRow(ctx, `SELECT action, office, date::text, period, grp FROM booking_requests WHERE id = $1`, id).
		Scan(&r.Action, &r.Office, &r.Date, &r.Period, &r.Group)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "no booking request %s", id)
	}
	r.ID = id
	return r, err
}

// SMSSession is where a phone's booking by SMS stands: the slot offered and, once the NIK was
// given, the request waiting for its code.
type SMSSession struct {
	Phone, Office, Date, Period, Group, Request string
	Expires                                     time.Time
}

// SetSMSSession starts (or starts again) a phone's booking by SMS.
func (s *Store) SetSMSSession(ctx context.Context, x SMSSession) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO booking_sms_sessions (phone, office, date, period, grp, request, expires_at)
		VALUES ($1, $2, $3::date, $4, $5, $6, $7) ON CONFLICT (phone) DO UPDATE SET office = excluded.office, date = excluded.date,
		period = excluded.period, grp = excluded.grp, request = excluded.request, expires_at = excluded.expires_at`,
		x.Phone, x.Office, x.Date, x.Period, x.Group, x.Request, x.Expires)
	return err
}

// SMSSessionOf returns a phone's booking by SMS when one is under way at now.
func (s *Store) SMSSessionOf(ctx context.Context, phone string, now time.Time) (SMSSession, bool, error) {
	x := SMSSession{Phone: phone}
	err := s.pool.QueryRow(ctx, `SELECT office, date::text, period, grp, request, expires_at FROM booking_sms_sessions
		WHERE phone = $1 AND expires_at > $2`, phone, now).Scan(&x.Office, &x.Date, &x.Period, &x.Group, &x.Request, &x.Expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return x, false, nil
	}
	return x, err == nil, err
}

// EndSMSSession ends a phone's booking by SMS.
func (s *Store) EndSMSSession(ctx context.Context, phone string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM booking_sms_sessions WHERE phone = $1`, phone)
	return err
}

// PurgeBooking deletes what booking keeps only for a while: requests that expired before
// before (the bookings and their audit stay), one-time codes' SMS sent or given up before it,
// and SMS conversations that ended. It returns how many rows went.
func (s *Store) PurgeBooking(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	for _, q := range []string{
		`DELETE FROM booking_requests WHERE expires_at < $1`,
		`DELETE FROM booking_sms WHERE (sent_at IS NOT NULL OR failed IS NOT NULL) AND created_at < $1`,
		`DELETE FROM booking_sms_sessions WHERE expires_at < $1`,
	} {
		tag, err := s.pool.Exec(ctx, q, before)
		if err != nil {
			return n, err
		}
		n += tag.RowsAffected()
	}
	return n, nil
}
