package server

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"antre"
	"antre/server/sqlite"
)

type ctxKey struct{}

func principal(ctx context.Context) sqlite.Principal {
	p, _ := ctx.Value(ctxKey{}).(sqlite.Principal)
	return p
}

// bearer finds the request's token: the Authorization header, or (for WebSockets and pages,
// which cannot set headers) the token query parameter or the antre_session cookie.
func bearer(r *http.Request) string {
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimSpace(h[len("Bearer "):])
	}
	if t := r.URL.Query().Get("token"); t != "" {
		return t
	}
	if c, err := r.Cookie("antre_session"); err == nil {
		return c.Value
	}
	return ""
}

// require wraps a handler so that only the given roles reach it: no or a bad token is 401, a
// token of another role 403.
func (h *Hub) require(roles ...string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			tok := bearer(r)
			if tok == "" {
				h.fail(w, r, antre.Errorf(antre.EUNAUTHORIZED, antre.MsgLoginRequired, "no token on %s %s", r.Method, r.URL.Path))
				return
			}
			p, err := h.db.Authenticate(r.Context(), tok)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			for _, role := range roles {
				if p.Role == role {
					next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, p)))
					return
				}
			}
			h.fail(w, r, antre.Errorf(antre.EFORBIDDEN, antre.MsgForbidden, "%s (%s) may not %s %s", p.Name, p.Role, r.Method, r.URL.Path))
		})
	}
}

// throttle slows down repeated failed log-ins per user name and per client address: after
// freeFailures failures, each further attempt must wait twice as long as the last (1 s, 2 s, 4 s
// … up to maxLockout). A success clears the name's record; records expire after maxLockout.
type throttle struct {
	mu   sync.Mutex
	now  func() time.Time
	fail map[string]*failures
}

type failures struct {
	n     int
	until time.Time
	last  time.Time
}

const (
	freeFailures = 3
	maxLockout   = 5 * time.Minute
)

func newThrottle(now func() time.Time) *throttle {
	return &throttle{now: now, fail: map[string]*failures{}}
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// wait returns how long the caller must still wait before trying keys again (0: go ahead).
func (t *throttle) wait(keys ...string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var d time.Duration
	for _, k := range keys {
		if f := t.fail[k]; f != nil && f.until.After(now) {
			d = max(d, f.until.Sub(now))
		}
	}
	return d
}

func (t *throttle) failed(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	for k, f := range t.fail { // forget old records so the map stays small
		if now.Sub(f.last) > maxLockout {
			delete(t.fail, k)
		}
	}
	for _, k := range keys {
		f := t.fail[k]
		if f == nil {
			f = &failures{}
			t.fail[k] = f
		}
		f.n++
		f.last = now
		if f.n > freeFailures {
			f.until = now.Add(min(time.Second<<(f.n-freeFailures-1), maxLockout))
		}
	}
}

func (t *throttle) succeeded(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.fail, key)
}
