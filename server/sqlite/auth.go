package sqlite

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"antre"
)

// The roles. Officers work counters; admins also manage quota, devices and accounts; kiosks
// issue tickets and report printing; displays only read.
const (
	RoleOfficer = "officer"
	RoleAdmin   = "admin"
	RoleKiosk   = "kiosk"
	RoleDisplay = "display"
)

// Principal is who makes a request: a logged-in user or a registered device.
type Principal struct {
	Name string
	Role string
	// Settings are a device's settings (e.g. the groups and counters a display shows).
	Settings json.RawMessage
	// DeviceID is set for devices.
	DeviceID int64
}

func hashToken(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

func newToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// AddUser creates an officer or admin account with a bcrypt-hashed password.
func (db *DB) AddUser(ctx context.Context, name, role, password string) error {
	name = strings.TrimSpace(name)
	if name == "" || (role != RoleOfficer && role != RoleAdmin) {
		return errors.New("a user needs a name and the role officer or admin")
	}
	if len(password) < 6 {
		return errors.New("the password must have at least 6 characters")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), db.opt.PasswordCost)
	if err != nil {
		return err
	}
	_, err = db.write.ExecContext(ctx, `INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash`, name, role, string(h), ms(db.now()))
	return err
}

// HasUsers reports whether any account exists, or with names given, whether all of them do.
func (db *DB) HasUsers(ctx context.Context, names ...string) (bool, error) {
	var n int
	if len(names) == 0 {
		err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n)
		return n > 0, err
	}
	args := make([]any, len(names))
	for i, name := range names {
		args[i] = name
	}
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE name IN (`+placeholders(len(names))+`)`, args...).Scan(&n)
	return n == len(names), err
}

// Login checks a name and password and opens a session of ttl; it returns the session token.
// A wrong name and a wrong password are the same error, and both cost a bcrypt comparison.
func (db *DB) Login(ctx context.Context, name, password string, ttl time.Duration) (string, Principal, error) {
	var id int64
	var p Principal
	var hash string
	err := db.read.QueryRowContext(ctx, `SELECT id, name, role, password_hash FROM users WHERE name = ?`, name).Scan(&id, &p.Name, &p.Role, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		hash = db.dummyHash() // an unknown name costs the same comparison as a wrong password
	} else if err != nil {
		return "", p, err
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil || id == 0 {
		return "", p, antre.Errorf(antre.EUNAUTHORIZED, antre.MsgLoginFailed, "failed log-in for %q", name)
	}
	tok := newToken()
	if _, err := db.write.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?, ?, ?)`,
		hashToken(tok), id, ms(db.now().Add(ttl))); err != nil {
		return "", p, err
	}
	return tok, p, nil
}

// Logout ends the session of tok.
func (db *DB) Logout(ctx context.Context, tok string) error {
	_, err := db.write.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hashToken(tok))
	return err
}

// Authenticate resolves a bearer token to a session's user or a device; unknown and expired
// tokens are unauthorized.
func (db *DB) Authenticate(ctx context.Context, tok string) (Principal, error) {
	var p Principal
	h := hashToken(tok)
	err := db.read.QueryRowContext(ctx, `SELECT u.name, u.role FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ?`, h, ms(db.now())).Scan(&p.Name, &p.Role)
	if err == nil {
		return p, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return p, err
	}
	var settings string
	err = db.read.QueryRowContext(ctx, `SELECT id, name, role, settings FROM devices WHERE token_hash = ?`, h).Scan(&p.DeviceID, &p.Name, &p.Role, &settings)
	if errors.Is(err, sql.ErrNoRows) {
		return p, antre.Errorf(antre.EUNAUTHORIZED, antre.MsgLoginRequired, "unknown or expired token")
	}
	p.Settings = json.RawMessage(settings)
	return p, err
}

// AddDevice registers a kiosk or display and returns its new token (only its hash is stored).
// Registering an existing name replaces its token, so a lost token can be renewed.
func (db *DB) AddDevice(ctx context.Context, name, role string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || (role != RoleKiosk && role != RoleDisplay) {
		return "", errors.New("a device needs a name and the role kiosk or display")
	}
	tok := newToken()
	_, err := db.write.ExecContext(ctx, `INSERT INTO devices (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET role = excluded.role, token_hash = excluded.token_hash`, name, role, hashToken(tok), ms(db.now()))
	return tok, err
}

// Device is a registered kiosk or display, without its token.
type Device struct {
	ID       int64           `json:"id"`
	Name     string          `json:"name"`
	Role     string          `json:"role"`
	Settings json.RawMessage `json:"settings"`
}

// Devices lists the registered devices.
func (db *DB) Devices(ctx context.Context) ([]Device, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, name, role, settings FROM devices ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Device
	for rows.Next() {
		var d Device
		var s string
		if err := rows.Scan(&d.ID, &d.Name, &d.Role, &s); err != nil {
			return nil, err
		}
		d.Settings = json.RawMessage(s)
		out = append(out, d)
	}
	return out, rows.Err()
}

// SetDeviceSettings replaces a device's settings (a JSON object).
func (db *DB) SetDeviceSettings(ctx context.Context, name string, settings json.RawMessage) error {
	var obj map[string]any
	if err := json.Unmarshal(settings, &obj); err != nil {
		return antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "device settings: %v", err).WithArgs("settings")
	}
	res, err := db.write.ExecContext(ctx, `UPDATE devices SET settings = ? WHERE name = ?`, string(settings), name)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "no device %q", name)
	}
	return nil
}

// dummyHash is a real bcrypt hash of a random password, made once per store.
func (db *DB) dummyHash() string {
	db.dummyOnce.Do(func() {
		h, _ := bcrypt.GenerateFromPassword([]byte(newToken()), db.opt.PasswordCost)
		db.dummy = string(h)
	})
	return db.dummy
}
