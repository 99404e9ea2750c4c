package pg

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"antre/tally"
)

// StaleDay is an office's business date whose figures must be folded again; Version is the
// arrival count SaveDay must still find, so a fold that raced a new arrival stays stale.
type StaleDay struct {
	Office, Day string
	Version     int64
}

// StaleDays lists up to limit stale dates, oldest first.
func (s *Store) StaleDays(ctx context.Context, limit int) ([]StaleDay, error) {
	rows, err := s.pool.Query(ctx, `SELECT office, day::text, version FROM days WHERE stale ORDER BY day, office LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (StaleDay, error) {
		var d StaleDay
		err := r.Scan(&d.Office, &d.Day, &d.Version)
		return d, err
	})
}

// SaveDay stores the figures of an office's date and clears its stale mark, unless events of
// that date arrived since version was read.
func (s *Store) SaveDay(ctx context.Context, d StaleDay, f tally.Figures) error {
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `UPDATE days SET figures = $4::jsonb, last_event_id = $5, stale = (version <> $3)
		WHERE office = $1 AND day = $2::date`, d.Office, d.Day, d.Version, string(b), f.LastEventID)
	return err
}

// DayRow is one office's figures for one business date.
type DayRow struct {
	Office  string
	Day     string
	Figures tally.Figures
	// Stale is true when events arrived after the figures were folded.
	Stale bool
}

// Days returns the stored figures of every office's dates from from to to (inclusive,
// YYYY-MM-DD), by office and date.
func (s *Store) Days(ctx context.Context, from, to string) ([]DayRow, error) {
	rows, err := s.pool.Query(ctx, `SELECT office, day::text, coalesce(figures::text, '{}'), stale FROM days
		WHERE day >= $1::date AND day <= $2::date ORDER BY office, day`, from, to)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (DayRow, error) {
		var d DayRow
		var b string
		if err := r.Scan(&d.Office, &d.Day, &b, &d.Stale); err != nil {
			return d, err
		}
		return d, json.Unmarshal([]byte(b), &d.Figures)
	})
}

// SaveCurrentDays stores the figures of offices' current days as the ingest holds them (every
// stored event of those dates folded) and clears their stale marks, in one statement.
func (s *Store) SaveCurrentDays(ctx context.Context, offices []string, fs []tally.Figures) error {
	if len(offices) == 0 {
		return nil
	}
	days, bodies, lasts := make([]string, len(fs)), make([]string, len(fs)), make([]int64, len(fs))
	for i, f := range fs {
		b, err := json.Marshal(f)
		if err != nil {
			return err
		}
		days[i], bodies[i], lasts[i] = f.Date, string(b), f.LastEventID
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO days (office, day, figures, last_event_id, stale)
		SELECT u.o, u.d::date, u.f::jsonb, u.l, false FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS u(o, d, f, l)
		ON CONFLICT (office, day) DO UPDATE SET figures = excluded.figures, last_event_id = excluded.last_event_id, stale = false`,
		offices, days, bodies, lasts)
	return err
}
