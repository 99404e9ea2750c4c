package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"antre"
)

// SyncGroups makes the groups table equal to gs (the configuration is the standing definition of
// the office's service groups and quotas). Groups that tickets refer to are never deleted.
func (db *DB) SyncGroups(ctx context.Context, gs []antre.Group) error {
	defer db.groupCache.Store(nil)
	return db.Update(ctx, func(tx *Tx) error {
		for i, g := range gs {
			if err := g.Validate(); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO groups (code, position, name_id, name_en, prefix, quota_walkin, quota_online, quota_priority)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (code) DO UPDATE SET position = excluded.position, name_id = excluded.name_id, name_en = excluded.name_en,
					prefix = excluded.prefix, quota_walkin = excluded.quota_walkin, quota_online = excluded.quota_online,
					quota_priority = excluded.quota_priority`,
				g.Code, i, g.NameID, g.NameEN, g.Prefix, g.Quota.WalkIn, g.Quota.Online, g.Quota.Priority)
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// SyncCounters makes the counters table hold exactly cs, keeping each counter's priority streak.
func (db *DB) SyncCounters(ctx context.Context, cs []antre.Counter) error {
	defer db.forgetRates()
	return db.Update(ctx, func(tx *Tx) error {
		keep := make([]any, 0, len(cs))
		for _, c := range cs {
			if c.Number <= 0 {
				return errors.New("counter numbers start at 1")
			}
			for _, g := range c.Groups {
				var one int
				if err := tx.QueryRowContext(ctx, `SELECT 1 FROM groups WHERE code = ?`, g).Scan(&one); err != nil {
					return errors.New("counter " + c.Name + " serves unknown group " + g)
				}
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO counters (number, name, groups) VALUES (?, ?, ?)
				ON CONFLICT (number) DO UPDATE SET name = excluded.name, groups = excluded.groups`,
				c.Number, c.Name, strings.Join(c.Groups, ","))
			if err != nil {
				return err
			}
			keep = append(keep, c.Number)
		}
		if len(keep) == 0 {
			_, err := tx.ExecContext(ctx, `DELETE FROM counters`)
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM counters WHERE number NOT IN (`+placeholders(len(keep))+`)`, keep...)
		return err
	})
}

// Groups returns the service groups in display order.
func (db *DB) Groups(ctx context.Context) ([]antre.Group, error) {
	return groups(ctx, db.read)
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func groups(ctx context.Context, q querier) ([]antre.Group, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, name_id, name_en, prefix, quota_walkin, quota_online, quota_priority FROM groups ORDER BY position, code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []antre.Group
	for rows.Next() {
		var g antre.Group
		if err := rows.Scan(&g.Code, &g.NameID, &g.NameEN, &g.Prefix, &g.Quota.WalkIn, &g.Quota.Online, &g.Quota.Priority); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// group returns the group with code, from the store's copy of the groups table (the groups
// change only through SyncGroups).
func group(ctx context.Context, q querier, code string) (antre.Group, error) {
	if tx, ok := q.(*Tx); ok {
		if m := tx.db.groupCache.Load(); m != nil {
			if g, ok := (*m)[code]; ok {
				return g, nil
			}
			return antre.Group{}, antre.Errorf(antre.EINVALID, antre.MsgBadGroup, "unknown group %q", code)
		}
		gs, err := groups(ctx, q)
		if err != nil {
			return antre.Group{}, err
		}
		m := make(map[string]antre.Group, len(gs))
		for _, g := range gs {
			m[g.Code] = g
		}
		tx.db.groupCache.Store(&m)
		return group(ctx, q, code)
	}
	var g antre.Group
	err := q.QueryRowContext(ctx, `SELECT code, name_id, name_en, prefix, quota_walkin, quota_online, quota_priority FROM groups WHERE code = ?`, code).
		Scan(&g.Code, &g.NameID, &g.NameEN, &g.Prefix, &g.Quota.WalkIn, &g.Quota.Online, &g.Quota.Priority)
	if errors.Is(err, sql.ErrNoRows) {
		return g, antre.Errorf(antre.EINVALID, antre.MsgBadGroup, "unknown group %q", code)
	}
	return g, err
}

// Counters returns the counters by number.
func (db *DB) Counters(ctx context.Context) ([]antre.Counter, error) {
	return counters(ctx, db.read)
}

func counters(ctx context.Context, q querier) ([]antre.Counter, error) {
	rows, err := q.QueryContext(ctx, `SELECT number, name, groups FROM counters ORDER BY number`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []antre.Counter
	for rows.Next() {
		var c antre.Counter
		var gs string
		if err := rows.Scan(&c.Number, &c.Name, &gs); err != nil {
			return nil, err
		}
		c.Groups = splitGroups(gs)
		out = append(out, c)
	}
	return out, rows.Err()
}

func splitGroups(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// SetQuota sets a group's quota for today's business date only (fewer officers on duty, say);
// the configured standing quota applies again from the next day. Lowering it below what has been
// issued stops further issues from that pool; issued tickets stay valid.
func (db *DB) SetQuota(ctx context.Context, code string, q antre.Quota, actor string) error {
	return db.SetQuotaOn(ctx, "", code, q, actor)
}

// SetQuotaOn sets a group's quota for one business date (today when date is empty), as an admin
// does for today or headquarters does for coming days. A date before today is refused: a past
// day's numbers are history.
func (db *DB) SetQuotaOn(ctx context.Context, date, code string, q antre.Quota, actor string) error {
	return db.Update(ctx, func(tx *Tx) error { return tx.SetQuotaOn(date, code, q, actor) })
}

// SetQuotaOn sets a group's quota for a business date (empty: today), today or later, in this
// transaction, with its quota event.
func (tx *Tx) SetQuotaOn(date, code string, q antre.Quota, actor string) error {
	ctx := tx.ctx
	if date == "" {
		date = tx.Today()
	}
	if _, err := time.Parse(time.DateOnly, date); err != nil || date < tx.Today() {
		return antre.Errorf(antre.EINVALID, antre.MsgBadQuota, "quota date %q is not today or later", date)
	}
	g, err := group(ctx, tx, code)
	if err != nil {
		return err
	}
	g.Quota = q
	if err := g.Validate(); err != nil {
		return antre.Errorf(antre.EINVALID, antre.MsgBadQuota, "%v", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sequences (office, business_date, group_code) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		tx.db.opt.Office.Code, date, code); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sequences SET q_walkin = ?, q_online = ?, q_priority = ? WHERE office = ? AND business_date = ? AND group_code = ?`,
		q.WalkIn, q.Online, q.Priority, tx.db.opt.Office.Code, date, code); err != nil {
		return err
	}
	data := map[string]any{"walkin": q.WalkIn, "online": q.Online, "priority": q.Priority}
	if date != tx.Today() {
		data["date"] = date
	}
	return tx.Emit(antre.Event{Type: antre.EvQuota, Group: code, Actor: actor}, data)
}
