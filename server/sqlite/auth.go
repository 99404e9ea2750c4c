package sqlite

import (
	"bytes"
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
// or changes the role and password of an existing one (and enables it again), as the command
// line does on the hub's machine: without an event, so it is not in the admin's audit log (it
// needs a shell on the hub, not a log-in); an admin's change through the API is AddUserBy.
func (db *DB) AddUser(ctx context.Context, name string, role antre.Role, password string) error {
	return db.AddUserBy(ctx, name, role, password, "")
}

// AddUserBy is AddUser by actor (an admin): one transaction with a user.changed event carrying
// the account's role and state before and after (never the password); with no actor, no event.
// A name is 1–64 characters, the password at least 6; the last active admin keeps its role.
func (db *DB) AddUserBy(ctx context.Context, name string, role antre.Role, password, actor string) error {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 64 {
		return antre.Errorf(antre.EINVALID, antre.MsgUserName, "a user needs a name of 1 to 64 characters")
	}
	if !role.Staff() {
		return antre.Errorf(antre.EINVALID, antre.MsgUserRole, "a user needs a staff role (%s), not %q", roleList(), role).WithArgs(string(role))
	}
	if len(password) < 6 {
		return antre.Errorf(antre.EINVALID, antre.MsgPassword, "the password must have at least 6 characters")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), db.opt.PasswordCost)
	if err != nil {
		return err
	}
	// the token cache is cleared after the commit, so no reader caches the state before it
	defer db.tokens.clear()
	return db.Update(ctx, func(tx *Tx) error {
		before, found, err := userState(tx, name)
		if err != nil {
			return err
		}
		if found && before.Role == antre.RoleAdmin && role != antre.RoleAdmin {
			if err := keepAnAdmin(tx, name); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(tx.ctx, `INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash, disabled_at = 0`,
			name, role, string(h), ms(tx.Now())); err != nil {
			return err
		}
		if actor == "" {
			return nil // the command line: no event (see AddUser)
		}
		data := map[string]any{"name": name, "action": "added", "after": userView{Role: role}, "password": true}
		if found {
			data["action"], data["before"] = "replaced", before
		}
		return tx.Emit(antre.Event{Type: antre.EvUser, Actor: actor}, data)
	})
}

// userView is what an account's audit trail shows of it.
type userView struct {
	Role     antre.Role `json:"role"`
	Disabled bool       `json:"disabled"`
}

func userState(tx *Tx, name string) (userView, bool, error) {
	var v userView
	var disabled int64
	err := tx.QueryRowContext(tx.ctx, `SELECT role, disabled_at FROM users WHERE name = ?`, name).Scan(&v.Role, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return v, false, nil
	}
	v.Disabled = disabled != 0
	return v, err == nil, err
}

// keepAnAdmin refuses a change that would leave the office without an active admin other than
// name: no one could manage it any more except at the command line.
func keepAnAdmin(tx *Tx, name string) error {
	var n int
	if err := tx.QueryRowContext(tx.ctx, `SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at = 0 AND name <> ?`, name).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return antre.Errorf(antre.ECONFLICT, antre.MsgLastAdmin, "%s is the last active admin", antre.MaskName(name))
	}
	return nil
}

// Users lists the accounts by name, without their passwords.
func (db *DB) Users(ctx context.Context) ([]antre.User, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT name, role, disabled_at, created_at FROM users ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []antre.User{}
	for rows.Next() {
		var u antre.User
		var disabled int64
		if err := rows.Scan(&u.Name, &u.Role, &disabled, &u.Created); err != nil {
			return nil, err
		}
		u.Disabled = disabled != 0
		out = append(out, u)
	}
	return out, rows.Err()
}

// UpdateUser changes an account's role, password or state as actor asks, in one transaction
// with a user.changed event (before and after; never the password). Disabling an account ends
// its sessions at once; the last active admin can be neither disabled nor given another role.
func (db *DB) UpdateUser(ctx context.Context, name string, c antre.UserChange, actor string) (antre.User, error) {
	var u antre.User
	if c.Role != nil && !c.Role.Staff() {
		return u, antre.Errorf(antre.EINVALID, antre.MsgUserRole, "a user needs a staff role (%s), not %q", roleList(), *c.Role).WithArgs(string(*c.Role))
	}
	var hash []byte
	if c.Password != nil {
		if len(*c.Password) < 6 {
			return u, antre.Errorf(antre.EINVALID, antre.MsgPassword, "the password must have at least 6 characters")
		}
		var err error
		if hash, err = bcrypt.GenerateFromPassword([]byte(*c.Password), db.opt.PasswordCost); err != nil {
			return u, err
		}
	}
	defer db.tokens.clear() // after the commit: sessions of a disabled account end at once
	err := db.Update(ctx, func(tx *Tx) error {
		before, found, err := userState(tx, name)
		if err != nil {
			return err
		}
		if !found {
			return antre.Errorf(antre.ENOTFOUND, antre.MsgUserNotFound, "no user %s", antre.MaskName(name))
		}
		after := before
		if c.Role != nil {
			after.Role = *c.Role
		}
		if c.Disabled != nil {
			after.Disabled = *c.Disabled
		}
		if before.Role == antre.RoleAdmin && !before.Disabled && (after.Role != antre.RoleAdmin || after.Disabled) {
			if err := keepAnAdmin(tx, name); err != nil {
				return err
			}
		}
		disabledAt := int64(0)
		if after.Disabled {
			disabledAt = ms(tx.Now())
			if before.Disabled {
				if err := tx.QueryRowContext(tx.ctx, `SELECT disabled_at FROM users WHERE name = ?`, name).Scan(&disabledAt); err != nil {
					return err
				}
			}
		}
		if _, err := tx.ExecContext(tx.ctx, `UPDATE users SET role = ?, disabled_at = ? WHERE name = ?`, after.Role, disabledAt, name); err != nil {
			return err
		}
		if hash != nil {
			if _, err := tx.ExecContext(tx.ctx, `UPDATE users SET password_hash = ? WHERE name = ?`, string(hash), name); err != nil {
				return err
			}
		}
		if after.Disabled || hash != nil || after.Role != before.Role {
			// a disabled account, a new password or another role: its open sessions end
			if _, err := tx.ExecContext(tx.ctx, `DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)`, name); err != nil {
				return err
			}
		}
		action := "changed"
		switch {
		case after.Disabled && !before.Disabled:
			action = "disabled"
		case !after.Disabled && before.Disabled:
			action = "enabled"
		case after.Role != before.Role:
			action = "role"
		case hash != nil:
			action = "password"
		}
		data := map[string]any{"name": name, "action": action, "before": before, "after": after}
		if hash != nil {
			data["password"] = true
		}
		if err := tx.Emit(antre.Event{Type: antre.EvUser, Actor: actor}, data); err != nil {
			return err
		}
		u = antre.User{Name: name, Role: after.Role, Disabled: after.Disabled}
		return tx.QueryRowContext(tx.ctx, `SELECT created_at FROM users WHERE name = ?`, name).Scan(&u.Created)
	})
	return u, err
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
	var disabled int64
	err := db.read.QueryRowContext(ctx, `SELECT id, name, role, password_hash, disabled_at FROM users WHERE name = ?`, name).Scan(&id, &p.Name, &p.Role, &hash, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		hash = db.dummyHash() // an unknown name costs the same comparison as a wrong password
	} else if err != nil {
		return "", p, err
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil || id == 0 {
		return "", p, antre.Errorf(antre.EUNAUTHORIZED, antre.MsgLoginFailed, "failed log-in for %s", antre.MaskName(name))
	}
	if disabled != 0 {
		return "", p, antre.Errorf(antre.EFORBIDDEN, antre.MsgUserDisabled, "log-in of disabled account %s", antre.MaskName(name))
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
		WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at = 0`, h, ms(now)).Scan(&p.Name, &p.Role, &expires)
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

// AddDevice registers a kiosk, display or feedback tablet and returns its new token (only its
// hash is stored), as the command line does on the hub's machine, without an event (see
// AddUser); an admin's is AddDeviceBy.
func (db *DB) AddDevice(ctx context.Context, name string, role antre.Role) (string, error) {
	return db.AddDeviceBy(ctx, name, role, "")
}

// deviceName is what a device may be called: it appears in URLs and logs.
func deviceName(name string) error {
	if name == "" || len(name) > 64 {
		return antre.Errorf(antre.EINVALID, antre.MsgDeviceName, "device name %q is empty or longer than 64", name)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return antre.Errorf(antre.EINVALID, antre.MsgDeviceName, "device name %q has %q", name, r)
		}
	}
	return nil
}

// deviceView is what a device's audit trail shows of it (never its token).
type deviceView struct {
	Name     string          `json:"name"`
	Role     antre.Role      `json:"role"`
	Settings json.RawMessage `json:"settings,omitempty"`
}

func deviceState(tx *Tx, name string) (deviceView, bool, error) {
	v := deviceView{Name: name}
	var settings string
	err := tx.QueryRowContext(tx.ctx, `SELECT role, settings FROM devices WHERE name = ?`, name).Scan(&v.Role, &settings)
	if errors.Is(err, sql.ErrNoRows) {
		return v, false, nil
	}
	v.Settings = json.RawMessage(settings)
	return v, err == nil, err
}

// AddDeviceBy registers a device for actor and returns its new token, in one transaction with
// a device.changed event (never the token). Registering an existing name replaces its role and
// token, so a lost token can be renewed; the old token stops working at once.
func (db *DB) AddDeviceBy(ctx context.Context, name string, role antre.Role, actor string) (string, error) {
	name = strings.TrimSpace(name)
	if err := deviceName(name); err != nil {
		return "", err
	}
	if !role.Device() {
		return "", antre.Errorf(antre.EINVALID, antre.MsgDeviceRole, "a device needs the role kiosk, display or feedback, not %q", role)
	}
	tok := newToken()
	defer db.tokens.clear()
	err := db.Update(ctx, func(tx *Tx) error {
		before, found, err := deviceState(tx, name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(tx.ctx, `INSERT INTO devices (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET role = excluded.role, token_hash = excluded.token_hash`, name, role, hashToken(tok), ms(tx.Now())); err != nil {
			return err
		}
		if actor == "" {
			return nil // the command line: no event (see AddDevice)
		}
		data := map[string]any{"name": name, "action": "added", "after": deviceView{Name: name, Role: role}}
		if found {
			data["action"], data["before"] = "token_renewed", before
			data["after"] = deviceView{Name: name, Role: role, Settings: before.Settings}
		}
		return tx.Emit(antre.Event{Type: antre.EvDevice, Actor: actor}, data)
	})
	return tok, err
}

// RenameDevice gives a device another name (its token and settings stay), with a
// device.changed event.
func (db *DB) RenameDevice(ctx context.Context, name, to, actor string) error {
	to = strings.TrimSpace(to)
	if err := deviceName(to); err != nil {
		return err
	}
	defer db.tokens.clear()
	return db.Update(ctx, func(tx *Tx) error {
		before, found, err := deviceState(tx, name)
		if err != nil {
			return err
		}
		if !found {
			return antre.Errorf(antre.ENOTFOUND, antre.MsgDeviceMissing, "no device %q", name)
		}
		if _, taken, err := deviceState(tx, to); err != nil {
			return err
		} else if taken && to != name {
			return antre.Errorf(antre.ECONFLICT, antre.MsgDeviceTaken, "device name %q is taken", to)
		}
		if _, err := tx.ExecContext(tx.ctx, `UPDATE devices SET name = ? WHERE name = ?`, to, name); err != nil {
			return err
		}
		after := before
		after.Name = to
		before.Settings, after.Settings = nil, nil
		return tx.Emit(antre.Event{Type: antre.EvDevice, Actor: actor}, map[string]any{"name": to, "action": "renamed", "before": before, "after": after})
	})
}

// RevokeDevice removes a device and returns its ID: its token stops working at once, with a
// device.changed event (the hub also ends the stream the device has open).
func (db *DB) RevokeDevice(ctx context.Context, name, actor string) (int64, error) {
	defer db.tokens.clear()
	var id int64
	err := db.Update(ctx, func(tx *Tx) error {
		before, found, err := deviceState(tx, name)
		if err != nil {
			return err
		}
		if !found {
			return antre.Errorf(antre.ENOTFOUND, antre.MsgDeviceMissing, "no device %q", name)
		}
		if err := tx.QueryRowContext(tx.ctx, `DELETE FROM devices WHERE name = ? RETURNING id`, name).Scan(&id); err != nil {
			return err
		}
		return tx.Emit(antre.Event{Type: antre.EvDevice, Actor: actor}, map[string]any{"name": name, "action": "revoked", "before": before})
	})
	return id, err
}

// Devices lists the registered devices.
func (db *DB) Devices(ctx context.Context) ([]antre.Device, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, name, role, settings FROM devices ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []antre.Device{}
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

// SetDeviceSettings replaces a device's settings (a JSON object), as the command line does,
// without an event (see AddUser).
func (db *DB) SetDeviceSettings(ctx context.Context, name string, settings json.RawMessage) error {
	return db.SetDeviceSettingsBy(ctx, name, settings, "")
}

// SetDeviceSettingsBy replaces a device's settings (a JSON object) for actor, with a
// device.changed event holding the settings before and after; the device sees them at its next
// connection (the display page reconnects itself).
func (db *DB) SetDeviceSettingsBy(ctx context.Context, name string, settings json.RawMessage, actor string) error {
	var obj map[string]any
	if err := json.Unmarshal(settings, &obj); err != nil || obj == nil {
		if err == nil {
			err = errors.New("not an object")
		}
		return antre.Errorf(antre.EINVALID, antre.MsgDeviceJSON, "device settings: %v", err).WithArgs(err.Error())
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, settings); err != nil {
		return antre.Errorf(antre.EINVALID, antre.MsgDeviceJSON, "device settings: %v", err).WithArgs(err.Error())
	}
	compact := json.RawMessage(buf.Bytes())
	defer db.tokens.clear()
	return db.Update(ctx, func(tx *Tx) error {
		before, found, err := deviceState(tx, name)
		if err != nil {
			return err
		}
		if !found {
			return antre.Errorf(antre.ENOTFOUND, antre.MsgDeviceMissing, "no device %q", name)
		}
		if _, err := tx.ExecContext(tx.ctx, `UPDATE devices SET settings = ? WHERE name = ?`, string(compact), name); err != nil {
			return err
		}
		if actor == "" {
			return nil // the command line: no event (see SetDeviceSettings)
		}
		after := before
		after.Settings = compact
		return tx.Emit(antre.Event{Type: antre.EvDevice, Actor: actor}, map[string]any{"name": name, "action": "settings", "before": before, "after": after})
	})
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
