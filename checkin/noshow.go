package checkin

import (
	"context"
	"fmt"
	"time"

	"antre"
	"antre/hqwire"
	"antre/module"
)

// run writes the no-shows of every closed day, now and then every NoShowEvery on the hub's
// clock, until ctx ends. What it wrote is in the store, so a restart neither repeats nor loses
// a day.
func (m *Module) run(ctx context.Context) error {
	t := time.NewTicker(m.cfg.NoShowEvery)
	defer t.Stop()
	for {
		if _, err := m.WriteNoShows(ctx); err != nil && ctx.Err() == nil {
			m.log.Warn("no-shows not written; trying again", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// WriteNoShows writes, for each business date that has closed (a past date, or today after
// the office's closing time) and whose no-shows are not written yet, an hqwire.EvBookingNoShow
// event for each active booking not checked in, and marks the date done: one transaction per
// date, so each no-show is written exactly once. It returns how many it wrote.
func (m *Module) WriteNoShows(ctx context.Context) (int, error) {
	now := m.now()
	today := m.office.BusinessDate(now)
	l := now.In(m.office.Location)
	closed := l.Hour()*60+l.Minute() >= m.office.Closes
	rows, err := m.db.QueryContext(ctx, `SELECT date FROM checkin_days WHERE noshows_at IS NULL AND (date < ? OR (date = ? AND ?)) ORDER BY date`,
		today, today, closed)
	if err != nil {
		return 0, err
	}
	var dates []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			rows.Close()
			return 0, err
		}
		dates = append(dates, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	total := 0
	for _, d := range dates {
		n := 0
		err := m.db.Update(ctx, func(tx module.Tx) error {
			n = 0
			var done any
			if err := tx.QueryRowContext(ctx, `SELECT noshows_at FROM checkin_days WHERE date = ?`, d).Scan(&done); err != nil {
				return err
			}
			if done != nil {
				return nil
			}
			rows, err := tx.QueryContext(ctx, `SELECT b.booking, b.period, b.grp FROM checkin_bookings b
				WHERE b.date = ? AND b.state = ?
				AND NOT EXISTS (SELECT 1 FROM checkin_checkins c WHERE c.date = b.date AND c.booking = b.booking)
				AND NOT EXISTS (SELECT 1 FROM checkin_noshows n WHERE n.date = b.date AND n.booking = b.booking)
				ORDER BY b.booking`, d, hqwire.BookingActive)
			if err != nil {
				return err
			}
			var missed []hqwire.BookingEvent
			for rows.Next() {
				e := hqwire.BookingEvent{Date: d}
				if err := rows.Scan(&e.Booking, &e.Period, &e.Group); err != nil {
					rows.Close()
					return err
				}
				missed = append(missed, e)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, e := range missed {
				if _, err := tx.ExecContext(ctx, `INSERT INTO checkin_noshows (date, booking, at) VALUES (?, ?, ?)`, d, e.Booking, tx.Now().UnixMilli()); err != nil {
					return err
				}
				if err := tx.Emit(antre.Event{Type: hqwire.EvBookingNoShow, Group: e.Group, Actor: "system"}, e); err != nil {
					return err
				}
				n++
			}
			_, err = tx.ExecContext(ctx, `UPDATE checkin_days SET noshows_at = ? WHERE date = ?`, tx.Now().UnixMilli(), d)
			return err
		})
		if err != nil {
			return total, fmt.Errorf("no-shows of %s: %w", d, err)
		}
		if n > 0 {
			m.log.Info("no-shows written", "date", d, "count", n)
		}
		total += n
	}
	return total, nil
}
