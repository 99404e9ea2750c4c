package kiosk

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"sync"
	"time"
)

// Admin menu limits: a session lasts adminSessionTTL after its last use; after maxPINFailures
// wrong PINs in a row the menu refuses every PIN for pinLockout.
const (
	adminSessionTTL = 5 * time.Minute
	maxPINFailures  = 5
	pinLockout      = time.Minute
)

// Why the admin menu refuses a PIN.
var (
	errAdminDisabled = errors.New("admin menu disabled: no PIN configured")
	errPINLocked     = errors.New("too many wrong PINs")
	errWrongPIN      = errors.New("wrong PIN")
)

// adminGate guards the kiosk's admin menu with a PIN and hands out short sessions.
type adminGate struct {
	pin string

	mu       sync.Mutex
	sessions map[string]time.Time // session → expiry
	failures int
	locked   time.Time // PINs are refused until then
}

func newAdminGate(pin string) *adminGate {
	return &adminGate{pin: pin, sessions: map[string]time.Time{}}
}

func validPIN(pin string) bool {
	if len(pin) < 4 || len(pin) > 12 {
		return false
	}
	for _, c := range pin {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func (g *adminGate) enabled() bool { return g.pin != "" }

// login checks a PIN and returns a new session.
func (g *adminGate) login(pin string, now time.Time) (string, error) {
	if !g.enabled() {
		return "", errAdminDisabled
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if now.Before(g.locked) {
		return "", errPINLocked
	}
	if subtle.ConstantTimeCompare([]byte(pin), []byte(g.pin)) != 1 {
		g.failures++
		if g.failures >= maxPINFailures {
			g.failures, g.locked = 0, now.Add(pinLockout)
			return "", errPINLocked
		}
		return "", errWrongPIN
	}
	g.failures = 0
	for s, exp := range g.sessions {
		if now.After(exp) {
			delete(g.sessions, s)
		}
	}
	s := rand.Text()
	g.sessions[s] = now.Add(adminSessionTTL)
	return s, nil
}

// valid reports whether session is live, and extends it.
func (g *adminGate) valid(session string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	exp, ok := g.sessions[session]
	if !ok || now.After(exp) {
		delete(g.sessions, session)
		return false
	}
	g.sessions[session] = now.Add(adminSessionTTL)
	return true
}

func (g *adminGate) logout(session string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.sessions, session)
}
