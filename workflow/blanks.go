package workflow

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"antre"
	"antre/module"
)

// Inventory is the office's stock of blank passports: how many are available, used for a file
// and spoiled, and the spoiled ones with their reasons.
type Inventory struct {
	Available int            `json:"available"`
	Used      int            `json:"used"`
	Spoiled   int            `json:"spoiled"`
	Spoils    []SpoiledBlank `json:"spoils"`
}

// SpoiledBlank is a blank passport that cannot be used: its serial, the file it was printed for,
// who recorded it, when and why.
type SpoiledBlank struct {
	Serial string `json:"serial"`
	Number string `json:"number,omitempty"`
	By     string `json:"by"`
	At     int64  `json:"at"`
	Reason string `json:"reason"`
}

// blankRoles may add blanks and read the stock.
var blankRoles = []antre.Role{antre.RolePrinting, antre.RoleHead, antre.RoleAdmin}

// AddBlanks adds blank passports to the stock: the serials given, or count serials from first
// ("A1000001" and 50: A1000001 … A1000050). A serial already known is skipped. It returns how
// many were added and the stock after.
func (m *Module) AddBlanks(ctx context.Context, p antre.Principal, serials []string, first string, count int) (int, Inventory, error) {
	if first != "" {
		if !reSerial.MatchString(first) || count < 1 || count > 10000 || len(serials) > 0 {
			return 0, Inventory{}, antre.Errorf(antre.EINVALID, msgBadSerial, "range %q × %d", truncate(first, 20), count)
		}
		i := strings.IndexFunc(first, func(r rune) bool { return r >= '0' && r <= '9' })
		prefix, digits := first[:i], first[i:]
		n, _ := strconv.Atoi(digits)
		for k := 0; k < count; k++ {
			s := fmt.Sprintf("%s%0*d", prefix, len(digits), n+k)
			if len(s) != len(first) {
				return 0, Inventory{}, antre.Errorf(antre.EINVALID, msgBadSerial, "range %s × %d overflows", first, count)
			}
			serials = append(serials, s)
		}
	}
	if len(serials) == 0 || len(serials) > 10000 {
		return 0, Inventory{}, antre.Errorf(antre.EINVALID, msgBadSerial, "%d serials", len(serials))
	}
	for _, s := range serials {
		if !reSerial.MatchString(s) {
			return 0, Inventory{}, antre.Errorf(antre.EINVALID, msgBadSerial, "serial %q", truncate(s, 20))
		}
	}
	added := 0
	var inv Inventory
	err := m.db.Update(ctx, func(tx module.Tx) error {
		added = 0
		for _, s := range serials {
			res, err := tx.ExecContext(ctx, `INSERT INTO wf_blanks (serial, status, added_at, added_by) VALUES (?, 'available', ?, ?)
				ON CONFLICT (serial) DO NOTHING`, s, ms(tx.Now()), p.Name)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			added += int(n)
		}
		var err error
		if inv, err = inventory(ctx, tx, false); err != nil {
			return err
		}
		return tx.Emit(antre.Event{Type: EvBlanks, Actor: p.Name}, map[string]int{"added": added, "available": inv.Available})
	})
	return added, inv, err
}

// Inventory returns the stock of blank passports with the spoiled ones.
func (m *Module) Inventory(ctx context.Context) (Inventory, error) { return inventory(ctx, m.db, true) }

func inventory(ctx context.Context, q module.Querier, spoils bool) (Inventory, error) {
	var inv Inventory
	rows, err := q.QueryContext(ctx, `SELECT status, COUNT(*) FROM wf_blanks GROUP BY status`)
	if err != nil {
		return inv, err
	}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			rows.Close()
			return inv, err
		}
		switch s {
		case "available":
			inv.Available = n
		case "used":
			inv.Used = n
		case "spoiled":
			inv.Spoiled = n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || !spoils {
		return inv, err
	}
	inv.Spoils = []SpoiledBlank{}
	rows, err = q.QueryContext(ctx, `SELECT serial, number, changed_by, changed_at, reason FROM wf_blanks WHERE status = 'spoiled'
		ORDER BY changed_at DESC LIMIT 500`)
	if err != nil {
		return inv, err
	}
	defer rows.Close()
	for rows.Next() {
		var s SpoiledBlank
		var at sql.NullInt64
		if err := rows.Scan(&s.Serial, &s.Number, &s.By, &at, &s.Reason); err != nil {
			return inv, err
		}
		s.At = at.Int64
		inv.Spoils = append(inv.Spoils, s)
	}
	return inv, rows.Err()
}

// takeBlank returns the blank to print on: serial when it is available, else the oldest
// available one when serial is empty. Nothing is written yet.
func takeBlank(ctx context.Context, tx module.Tx, serial string) (string, error) {
	if serial == "" {
		err := tx.QueryRowContext(ctx, `SELECT serial FROM wf_blanks WHERE status = 'available' ORDER BY added_at, serial LIMIT 1`).Scan(&serial)
		if errors.Is(err, sql.ErrNoRows) {
			return "", antre.Errorf(antre.ECONFLICT, msgNoBlanks, "no blank passports in stock")
		}
		return serial, err
	}
	var status string
	err := tx.QueryRowContext(ctx, `SELECT status FROM wf_blanks WHERE serial = ?`, serial).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) || status != "available" {
		return "", antre.Errorf(antre.ECONFLICT, msgBlankUnavailable, "blank %s is %q", serial, status).WithArgs(serial)
	}
	return serial, err
}

// useBlank marks an available blank as used for a file.
func useBlank(ctx context.Context, tx module.Tx, serial, number, by string) error {
	_, err := tx.ExecContext(ctx, `UPDATE wf_blanks SET status = 'used', number = ?, changed_at = ?, changed_by = ? WHERE serial = ?`,
		number, ms(tx.Now()), by, serial)
	return err
}

// spoil records a blank as spoiled with its reason: an available blank spoiled in printing, or
// (usedBy set) the blank a file was printed on, refused at approval.
func (m *Module) spoil(ctx context.Context, tx module.Tx, serial, number, by, reason, usedBy string) error {
	want, owner := "available", ""
	if usedBy != "" {
		want, owner = "used", usedBy
	}
	res, err := tx.ExecContext(ctx, `UPDATE wf_blanks SET status = 'spoiled', number = ?, changed_at = ?, changed_by = ?, reason = ?
		WHERE serial = ? AND status = ? AND number = ?`, number, ms(tx.Now()), by, reason, serial, want, owner)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return antre.Errorf(antre.ECONFLICT, msgBlankUnavailable, "blank %s is not %s", serial, want).WithArgs(serial)
	}
	return tx.Emit(antre.Event{Type: EvSpoiled, Actor: by}, map[string]string{"serial": serial, "number": number})
}
