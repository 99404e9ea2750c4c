package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"unicode/utf8"

	"antre"
)

// Running text limits: what a waiting-room ticker can show.
const (
	MaxRunningLines = 20
	MaxRunningChars = 300
)

// RunningText returns the displays' running text an admin set, and false when none was set
// (the configuration's applies).
func (db *DB) RunningText(ctx context.Context) ([]string, bool, error) {
	var v string
	err := db.read.QueryRowContext(ctx, `SELECT value FROM office_settings WHERE name = 'running_text'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	var lines []string
	if err := json.Unmarshal([]byte(v), &lines); err != nil {
		return nil, false, err
	}
	return lines, true, nil
}

// SetRunningText replaces the displays' running text (at most MaxRunningLines lines of 1 to
// MaxRunningChars characters; none empties the ticker) for actor, in one transaction with a
// display.changed event that displays receive ({"running_text"}, and "before" for the audit:
// the text set before, or fallback, the configuration's, when none was).
func (db *DB) SetRunningText(ctx context.Context, lines, fallback []string, actor string) error {
	if err := CheckRunningText(lines); err != nil {
		return err
	}
	if lines == nil {
		lines = []string{}
	}
	value, _ := json.Marshal(lines)
	return db.Update(ctx, func(tx *Tx) error {
		before := fallback
		var v string
		err := tx.QueryRowContext(tx.ctx, `SELECT value FROM office_settings WHERE name = 'running_text'`).Scan(&v)
		if err == nil {
			if err := json.Unmarshal([]byte(v), &before); err != nil {
				return err
			}
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.ExecContext(tx.ctx, `INSERT INTO office_settings (name, value, updated_at, updated_by) VALUES ('running_text', ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			string(value), ms(tx.Now()), actor); err != nil {
			return err
		}
		return tx.Emit(antre.Event{Type: antre.EvDisplay, Actor: actor}, map[string]any{"name": "running_text", "running_text": lines,
			"before": map[string]any{"running_text": before}})
	})
}

// CheckRunningText refuses a running text of more than MaxRunningLines lines, or with a line
// empty or longer than MaxRunningChars characters.
func CheckRunningText(lines []string) error {
	if len(lines) > MaxRunningLines {
		return antre.Errorf(antre.EINVALID, antre.MsgRunningText, "%d running text lines", len(lines)).WithArgs(MaxRunningLines, MaxRunningChars)
	}
	for _, l := range lines {
		if n := utf8.RuneCountInString(l); n == 0 || n > MaxRunningChars {
			return antre.Errorf(antre.EINVALID, antre.MsgRunningText, "a running text line of %d characters", n).WithArgs(MaxRunningLines, MaxRunningChars)
		}
	}
	return nil
}
