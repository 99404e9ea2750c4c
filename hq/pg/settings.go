package pg

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"antre"
	"antre/hqwire"
)

// Holidays lists the national calendar from from on (YYYY-MM-DD; empty: all), by date.
func (s *Store) Holidays(ctx context.Context, from string) ([]antre.Holiday, error) {
	if from == "" {
		from = "0001-01-01"
	}
	rows, err := s.pool.Query(ctx, `SELECT date::text, name, kind FROM holidays WHERE date >= $1::date ORDER BY date`, from)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (antre.Holiday, error) {
		var h antre.Holiday
		err := r.Scan(&h.Date, &h.Name, &h.Kind)
		return h, err
	})
}

// enqueueAll queues setting for every office, in the transaction that changed what it says.
func enqueueAll(ctx context.Context, tx pgx.Tx, st hqwire.Setting) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO outbox (office, body) SELECT code, $1::jsonb FROM offices ORDER BY code`, string(b))
	return err
}

// SetHoliday closes a day nationally and queues it for every office, in one transaction.
func (s *Store) SetHoliday(ctx context.Context, h antre.Holiday) error {
	if err := h.Validate(); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO holidays (date, name, kind) VALUES ($1::date, $2, $3)
			ON CONFLICT (date) DO UPDATE SET name = excluded.name, kind = excluded.kind, updated_at = now()`, h.Date, h.Name, string(h.Kind)); err != nil {
			return err
		}
		return enqueueAll(ctx, tx, hqwire.Setting{Kind: hqwire.KindHolidaySet, Holiday: &h})
	})
}

// DeleteHoliday opens a day again nationally and tells every office; a day that was not
// closed is not_found.
func (s *Store) DeleteHoliday(ctx context.Context, date string) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM holidays WHERE date = $1::date`, date)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "no national holiday on %s", date)
		}
		return enqueueAll(ctx, tx, hqwire.Setting{Kind: hqwire.KindHolidayDelete, Date: date})
	})
}

// SetQuota sets an office's quota of group for date and queues it for the office.
func (s *Store) SetQuota(ctx context.Context, office, date, group string, q antre.Quota) error {
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return antre.Errorf(antre.EINVALID, antre.MsgBadQuota, "quota date %q is not YYYY-MM-DD", date)
	}
	if q.WalkIn < 0 || q.Online < 0 || q.Priority < 0 || group == "" {
		return antre.Errorf(antre.EINVALID, antre.MsgBadQuota, "quota %+v of group %q", q, group)
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO quotas (office, date, grp, walkin, online, priority) SELECT code, $2::date, $3, $4, $5, $6 FROM offices WHERE code = $1
			ON CONFLICT (office, date, grp) DO UPDATE SET walkin = excluded.walkin, online = excluded.online, priority = excluded.priority, updated_at = now()`,
			office, date, group, q.WalkIn, q.Online, q.Priority)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "no office %s", office)
		}
		return s.enqueue(ctx, tx, office, hqwire.Setting{Kind: hqwire.KindQuota, Date: date, Group: group, Quota: &q})
	})
}

// Enqueue queues a setting for one office (a resend request, say) and returns its ID.
func (s *Store) Enqueue(ctx context.Context, office string, st hqwire.Setting) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return s.enqueue(ctx, tx, office, st) })
}

func (s *Store) enqueue(ctx context.Context, tx pgx.Tx, office string, st hqwire.Setting) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO outbox (office, body) VALUES ($1, $2::jsonb)`, office, string(b))
	return err
}

// Outgoing is a queued setting with its office.
type Outgoing struct {
	Office  string
	Setting hqwire.Setting
}

// Pending returns up to limit settings not yet published, oldest first, each with its ID.
func (s *Store) Pending(ctx context.Context, limit int) ([]Outgoing, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, office, body::text FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Outgoing, error) {
		var o Outgoing
		var id int64
		var b string
		if err := r.Scan(&id, &o.Office, &b); err != nil {
			return o, err
		}
		if err := json.Unmarshal([]byte(b), &o.Setting); err != nil {
			return o, errors.Join(err, errors.New("outbox body"))
		}
		o.Setting.ID = id
		return o, nil
	})
}

// MarkPublished records that JetStream acknowledged the settings ids.
func (s *Store) MarkPublished(ctx context.Context, ids []int64) error {
	_, err := s.pool.Exec(ctx, `UPDATE outbox SET published_at = now() WHERE id = ANY($1)`, ids)
	return err
}

// PendingCount counts an office's settings not yet published (all offices' with office "").
func (s *Store) PendingCount(ctx context.Context, office string) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE published_at IS NULL AND ($1 = '' OR office = $1)`, office).Scan(&n)
	return n, err
}
