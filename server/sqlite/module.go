package sqlite

import (
	"context"
	"database/sql"

	"antre"
	"antre/module"
)

// The store is what a module sees of the hub's database (see package module): a *Tx is a
// module.Tx, and ModuleDB is a module.DB.
var (
	_ module.Tx = (*Tx)(nil)
	_ module.DB = moduleDB{}
)

// Ticket returns today's ticket with code as the transaction sees it, phone included.
func (tx *Tx) Ticket(code string) (antre.Ticket, error) {
	return ticketByCode(tx, code)
}

// GroupQuota returns a group's quota and what has been issued from it today, as the transaction
// sees it (Waiting is not counted: it would read every waiting ticket inside the change).
func (tx *Tx) GroupQuota(group string) (antre.GroupQuota, error) {
	qs, err := tx.db.quotaOf(tx.ctx, tx, tx.Today(), group, false)
	if err != nil {
		return antre.GroupQuota{}, err
	}
	if len(qs) == 1 {
		return qs[0], nil
	}
	return antre.GroupQuota{}, antre.Errorf(antre.EINVALID, antre.MsgBadGroup, "unknown group %q", group)
}

// GroupQuotaOn returns a group's quota on a business date and what has been issued from it
// that day, as the transaction sees it (Waiting is not counted).
func (tx *Tx) GroupQuotaOn(date, group string) (antre.GroupQuota, error) {
	qs, err := tx.db.quotaOf(tx.ctx, tx, date, group, false)
	if err != nil {
		return antre.GroupQuota{}, err
	}
	if len(qs) == 1 {
		return qs[0], nil
	}
	return antre.GroupQuota{}, antre.Errorf(antre.EINVALID, antre.MsgBadGroup, "unknown group %q", group)
}

// IssueOnline issues today's next number of group from its online pool in this transaction,
// to by (a kiosk's ticket waits for its print like any other), with its ticket.issued event
// and the answer the device prints. It is how a module that checks in a booking issues its
// ticket (seed 001 rule 4: the place in line starts now); an exhausted online pool is
// antre.EQUOTAEXHAUSTED. No idempotency key: the module's own rows make its check-in once.
func (tx *Tx) IssueOnline(group string, by antre.Principal) (antre.IssuedTicket, error) {
	r := IssueRequest{Group: group, Pool: antre.PoolOnline, Actor: by.Name, Role: by.Role}
	return tx.db.issueIn(tx, r, r.hash(), nil)
}

// ModuleDB is a module's access to its own tables: reads on the read pool, writes through the
// store's writer, in the same transactions and order as the hub's own changes.
func (db *DB) ModuleDB() module.DB { return moduleDB{db} }

type moduleDB struct{ db *DB }

func (m moduleDB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return m.db.read.QueryContext(ctx, q, args...)
}

func (m moduleDB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return m.db.read.QueryRowContext(ctx, q, args...)
}

func (m moduleDB) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := m.db.Update(ctx, func(tx *Tx) error {
		var err error
		res, err = tx.ExecContext(ctx, q, args...)
		return err
	})
	return res, err
}

func (m moduleDB) Update(ctx context.Context, fn func(module.Tx) error) error {
	return m.db.Update(ctx, func(tx *Tx) error { return fn(tx) })
}

// AddModuleHook registers a module's hook for every later state change.
func (db *DB) AddModuleHook(h module.Hook) {
	db.AddHook(func(ctx context.Context, tx *Tx, e antre.Event) error { return h(ctx, tx, e) })
}

// Waiting returns the first perClass waiting tickets of each class (ordinary, priority) of a
// queue group on date, in calling order, phones included.
func (db *DB) Waiting(ctx context.Context, date, group string, perClass int) ([]antre.Ticket, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+ticketCols+` FROM (
		SELECT *, ROW_NUMBER() OVER (PARTITION BY category <> '' ORDER BY id) AS place
		FROM tickets WHERE business_date = ? AND status = 'waiting' AND queue_group = ?)
		WHERE place <= ? ORDER BY id`, date, group, perClass)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []antre.Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
