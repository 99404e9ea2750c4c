package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"antre"
)

// Holidays returns the closed days from from to to (YYYY-MM-DD, inclusive; empty means open).
func (db *DB) Holidays(ctx context.Context, from, to string) ([]antre.Holiday, error) {
	if to == "" {
		to = "9999-12-31"
	}
	rows, err := db.read.QueryContext(ctx, `SELECT date, name, kind FROM holidays WHERE date >= ? AND date <= ? ORDER BY date`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []antre.Holiday{}
	for rows.Next() {
		var h antre.Holiday
		if err := rows.Scan(&h.Date, &h.Name, &h.Kind); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// Calendar returns the office's working-day calendar: its open weekdays except every closed day.
func (db *DB) Calendar(ctx context.Context) (antre.Calendar, error) {
	hs, err := db.Holidays(ctx, "", "")
	if err != nil {
		return antre.Calendar{}, err
	}
	return antre.NewCalendar(db.opt.OpenDays, hs), nil
}

// SetHoliday records a closed day (or renames it), with a calendar.changed event; source says
// who set it ("office" or "hq").
func (db *DB) SetHoliday(ctx context.Context, h antre.Holiday, source, actor string) error {
	if err := h.Validate(); err != nil {
		return err
	}
	return db.Update(ctx, func(tx *Tx) error {
		before, err := holidayOn(tx, h.Date)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO holidays (date, name, kind, source, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (date) DO UPDATE SET name = excluded.name, kind = excluded.kind, source = excluded.source, updated_at = excluded.updated_at`,
			h.Date, h.Name, h.Kind, source, ms(tx.Now())); err != nil {
			return err
		}
		return tx.Emit(antre.Event{Type: antre.EvCalendar, Actor: actor}, map[string]any{"date": h.Date, "name": h.Name, "kind": h.Kind, "source": source, "before": before})
	})
}

// DeleteHoliday opens a day again; a day that was not closed is not_found.
func (db *DB) DeleteHoliday(ctx context.Context, date, actor string) error {
	return db.Update(ctx, func(tx *Tx) error {
		before, err := holidayOn(tx, date)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM holidays WHERE date = ?`, date)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "no holiday on %s", date)
		}
		return tx.Emit(antre.Event{Type: antre.EvCalendar, Actor: actor}, map[string]any{"date": date, "open": true, "before": before})
	})
}

// holidayOn returns the closed day on date as the transaction sees it, or nil when it is open.
func holidayOn(tx *Tx, date string) (*antre.Holiday, error) {
	h := antre.Holiday{Date: date}
	err := tx.QueryRowContext(tx.ctx, `SELECT name, kind FROM holidays WHERE date = ?`, date).Scan(&h.Name, &h.Kind)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &h, nil
}
