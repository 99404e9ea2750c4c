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
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"antre"
)

func hashToken(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

func newToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// AddUser creates an account of a staff role (antre.StaffRoles) with a bcrypt-hashed password,
// or changes the role and password of an existing one.
func (db *DB) AddUser(ctx context.Context, name string, role antre.Role, password string) error {
	name = strings.TrimSpace(name)
	if name == "" || !role.Staff() {
		return errors.New("a user needs a name and a staff role (" + roleList() + ")")
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
func (db *DB) Login(ctx context.Context, name, password string, ttl time.Duration) (string, antre.Principal, error) {
	var id int64
	var p antre.Principal
	var hash string
	err := db.read.QueryRowContext(ctx, `SELECT id, name, role, password_hash FROM users WHERE name = ?`, name).Scan(&id, &p.Name, &p.Role, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		hash = db.dummyHash() // an unknown name costs the same comparison as a wrong password
	} else if err != nil {
		return "", p, err
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil || id == 0 {
		return "", p, antre.Errorf(antre.EUNAUTHORIZED, antre.MsgLoginFailed, "failed log-in for %s", antre.MaskName(name))
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
	h := hashToken(tok)
	db.tokens.forget(h)
	_, err := db.write.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, h)
	return err
}

// tokenCache remembers recently resolved tokens, so that a device's or officer's requests do
// not each cost a database read. Changes the hub makes (a device's new token or settings, a
// log-out) clear it at once; an entry also expires after tokenTTL, which bounds how long a
// change made by another process (antre device add while the hub runs) takes to be seen.
type tokenCache struct {
	mu sync.Mutex
	m  map[string]cachedToken
}

type cachedToken struct {
	p       antre.Principal
	expires time.Time // the cache entry's end (a session's own end, if sooner)
}

const (
	tokenTTL       = 5 * time.Second
	maxCachedToken = 4096
)

func (c *tokenCache) get(h string, now time.Time) (antre.Principal, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[h]
	if !ok || !now.Before(e.expires) {
		return antre.Principal{}, false
	}
	return e.p, true
}

func (c *tokenCache) put(h string, p antre.Principal, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedToken {
		c.m = map[string]cachedToken{}
	}
	c.m[h] = cachedToken{p: p, expires: expires}
}

func (c *tokenCache) forget(h string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, h)
}

func (c *tokenCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = nil
}

// Authenticate resolves a bearer token to a session's user or a device; unknown and expired
// tokens are unauthorized.
func (db *DB) Authenticate(ctx context.Context, tok string) (antre.Principal, error) {
	h := hashToken(tok)
	now := db.now()
	if p, ok := db.tokens.get(h, now); ok {
		return p, nil
	}
	p, expires, err := db.authenticate(ctx, h, now)
	if err == nil {
		db.tokens.put(h, p, earlier(expires, now.Add(tokenTTL)))
	}
	return p, err
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// authenticate reads a token's principal and when it stops being valid.
func (db *DB) authenticate(ctx context.Context, h string, now time.Time) (antre.Principal, time.Time, error) {
	var p antre.Principal
	var expires int64
	err := db.read.QueryRowContext(ctx, `SELECT u.name, u.role, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ?`, h, ms(now)).Scan(&p.Name, &p.Role, &expires)
	if err == nil {
		return p, at(expires), nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return p, now, err
	}
	var settings string
	err = db.read.QueryRowContext(ctx, `SELECT id, name, role, settings FROM devices WHERE token_hash = ?`, h).Scan(&p.DeviceID, &p.Name, &p.Role, &settings)
	if errors.Is(err, sql.ErrNoRows) {
		return p, now, antre.Errorf(antre.EUNAUTHORIZED, antre.MsgLoginRequired, "unknown or expired token")
	}
	p.Settings = json.RawMessage(settings)
	return p, now.Add(tokenTTL), err
}

// AddDevice registers a kiosk, display or feedback tablet and returns its new token (only its hash is stored).
// Registering an existing name replaces its token, so a lost token can be renewed.
func (db *DB) AddDevice(ctx context.Context, name string, role antre.Role) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || !role.Device() {
		return "", errors.New("a device needs a name and the role kiosk, display or feedback")
	}
	tok := newToken()
	_, err := db.write.ExecContext(ctx, `INSERT INTO devices (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET role = excluded.role, token_hash = excluded.token_hash`, name, role, hashToken(tok), ms(db.now()))
	db.tokens.clear()
	return tok, err
}

// Devices lists the registered devices.
func (db *DB) Devices(ctx context.Context) ([]antre.Device, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, name, role, settings FROM devices ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []antre.Device
	for rows.Next() {
		var d antre.Device
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
	db.tokens.clear()
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

// roleList names the staff roles for messages: "officer, oss, … or admin".
func roleList() string {
	var names []string
	for _, r := range antre.StaffRoles {
		names = append(names, string(r))
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
