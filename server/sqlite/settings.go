package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
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

// defaultQuotaKey names a group's default quota set by an admin in office_settings.
const defaultQuotaKey = "default_quota:"

// SetDefaultQuota changes a group's standing daily quota per pool for actor: it applies from
// the next business day (today's quota is kept as it stands; an admin changes it with
// SetQuota) and is kept across restarts over the configuration's (groups[].quota). One
// transaction with a group.changed event holding the quota before and after.
func (db *DB) SetDefaultQuota(ctx context.Context, code string, q antre.Quota, actor string) error {
	defer db.groupCache.Store(nil)
	return db.Update(ctx, func(tx *Tx) error {
		g, err := group(ctx, tx, code)
		if err != nil {
			return err
		}
		before := g.Quota
		g.Quota = q
		if err := g.Validate(); err != nil {
			return antre.Errorf(antre.EINVALID, antre.MsgBadQuota, "%v", err)
		}
		// today keeps the quota it had: pin the standing one where no admin changed today's
		today, office := tx.Today(), tx.db.opt.Office.Code
		if _, err := tx.ExecContext(ctx, `INSERT INTO sequences (office, business_date, group_code) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			office, today, code); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sequences SET q_walkin = coalesce(q_walkin, ?), q_online = coalesce(q_online, ?),
			q_priority = coalesce(q_priority, ?) WHERE office = ? AND business_date = ? AND group_code = ?`,
			before.WalkIn, before.Online, before.Priority, office, today, code); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE groups SET quota_walkin = ?, quota_online = ?, quota_priority = ? WHERE code = ?`,
			q.WalkIn, q.Online, q.Priority, code); err != nil {
			return err
		}
		value, _ := json.Marshal(q)
		if _, err := tx.ExecContext(ctx, `INSERT INTO office_settings (name, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			defaultQuotaKey+code, string(value), ms(tx.Now()), actor); err != nil {
			return err
		}
		tx.db.groupCache.Store(nil)
		return tx.Emit(antre.Event{Type: antre.EvGroup, Group: code, Actor: actor}, map[string]any{"action": "default_quota", "before": before, "after": q})
	})
}

// applyDefaultQuotas puts the default quotas an admin set over the configuration's, in tx.
func applyDefaultQuotas(ctx context.Context, tx *Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT substr(name, ?), value FROM office_settings WHERE name LIKE ?`, len(defaultQuotaKey)+1, defaultQuotaKey+"%")
	if err != nil {
		return err
	}
	type override struct {
		code string
		q    antre.Quota
	}
	var list []override
	for rows.Next() {
		var o override
		var v string
		if err := rows.Scan(&o.code, &v); err != nil {
			rows.Close()
			return err
		}
		if err := json.Unmarshal([]byte(v), &o.q); err != nil {
			rows.Close()
			return err
		}
		list = append(list, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, o := range list {
		if _, err := tx.ExecContext(ctx, `UPDATE groups SET quota_walkin = ?, quota_online = ?, quota_priority = ? WHERE code = ?`,
			o.q.WalkIn, o.q.Online, o.q.Priority, o.code); err != nil {
			return err
		}
	}
	return nil
}

// counterKey names a counter's name and groups set by an admin in office_settings.
const counterKey = "counter:"

// counterSetup is what an admin sets of a counter.
type counterSetup struct {
	Name   string   `json:"name"`
	Groups []string `json:"groups"`
}

// SetCounter renames a configured counter and sets the groups it serves, for actor: at once for
// calling (the next call at it picks from these groups) and for every page (a counter.changed
// event, which devices see too); kept across restarts over the configuration's. A name is 1 to
// 40 characters; the groups are known ones, at least one, each once.
func (db *DB) SetCounter(ctx context.Context, number int, name string, groups []string, actor string) error {
	if n := utf8.RuneCountInString(name); n == 0 || n > 40 {
		return antre.Errorf(antre.EINVALID, antre.MsgCounterSetup, "counter name of %d characters", n)
	}
	if len(groups) == 0 {
		return antre.Errorf(antre.EINVALID, antre.MsgCounterSetup, "counter %d serves no group", number)
	}
	seen := map[string]bool{}
	for _, g := range groups {
		if seen[g] {
			return antre.Errorf(antre.EINVALID, antre.MsgCounterSetup, "counter %d lists group %s twice", number, g)
		}
		seen[g] = true
	}
	defer db.forgetRates()
	return db.Update(ctx, func(tx *Tx) error {
		var before counterSetup
		var gs string
		err := tx.QueryRowContext(ctx, `SELECT name, groups FROM counters WHERE number = ?`, number).Scan(&before.Name, &gs)
		if errors.Is(err, sql.ErrNoRows) {
			return antre.Errorf(antre.ENOTFOUND, antre.MsgCounterNotFound, "no counter %d", number)
		}
		if err != nil {
			return err
		}
		before.Groups = splitGroups(gs)
		for _, g := range groups {
			if _, err := group(ctx, tx, g); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE counters SET name = ?, groups = ? WHERE number = ?`, name, strings.Join(groups, ","), number); err != nil {
			return err
		}
		value, _ := json.Marshal(counterSetup{Name: name, Groups: groups})
		if _, err := tx.ExecContext(ctx, `INSERT INTO office_settings (name, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			counterKey+strconv.Itoa(number), string(value), ms(tx.Now()), actor); err != nil {
			return err
		}
		return tx.Emit(antre.Event{Type: antre.EvCounter, Counter: number, Actor: actor},
			map[string]any{"name": name, "groups": groups, "before": before})
	})
}

// applyCounterSetups puts the names and groups an admin set over the configuration's, for the
// counters the configuration still has, in tx.
func applyCounterSetups(ctx context.Context, tx *Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT CAST(substr(name, ?) AS INTEGER), value FROM office_settings WHERE name LIKE ?`, len(counterKey)+1, counterKey+"%")
	if err != nil {
		return err
	}
	setups := map[int]counterSetup{}
	for rows.Next() {
		var n int
		var v string
		var c counterSetup
		if err := rows.Scan(&n, &v); err != nil {
			rows.Close()
			return err
		}
		if err := json.Unmarshal([]byte(v), &c); err != nil {
			rows.Close()
			return err
		}
		setups[n] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for n, c := range setups {
		if _, err := tx.ExecContext(ctx, `UPDATE counters SET name = ?, groups = ? WHERE number = ?`, c.Name, strings.Join(c.Groups, ","), n); err != nil {
			return err
		}
	}
	return nil
}
