package server

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"antre"
	"antre/module"
)

// principal is who made the request (set by require; module.Who for modules).
func principal(ctx context.Context) antre.Principal { return module.Who(ctx) }

// sessionCookie is the name of the officers' log-in cookie set by the pages' log-in.
const sessionCookie = "antre_session"

// credential is where a request's token came from.
type credential int

const (
	credNone   credential = iota
	credHeader            // Authorization: Bearer, which a browser never sends by itself
	credQuery             // ?token= on /ws, where a browser cannot set a header
	credCookie            // the session cookie, which a browser sends by itself
)

// bearer finds the request's token: the Authorization header; the token query parameter on the
// WebSocket stream only (a browser cannot set headers on a WebSocket); or the session cookie.
func bearer(r *http.Request) (string, credential) {
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimSpace(h[len("Bearer "):]), credHeader
	}
	if r.URL.Path == "/ws" {
		if t := r.URL.Query().Get("token"); t != "" {
			return t, credQuery
		}
	}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		return c.Value, credCookie
	}
	return "", credNone
}

// sameSite reports whether a browser request comes from the hub's own pages: by the browser's
// Sec-Fetch-Site, else its Origin, else (a client that sends neither is not a browser) yes.
func sameSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return true
	case "":
	default:
		return false
	}
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && strings.EqualFold(u.Host, r.Host)
}

// unsafe reports whether the request may change something (or opens the live stream): these
// are refused from other sites when the browser authenticated them with the cookie.
func unsafe(r *http.Request) bool {
	return (r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions) || r.URL.Path == "/ws"
}

// require wraps a handler so that only the given roles reach it: no or a bad token is 401, a
// token of another role 403, and a cookie-authenticated change that another site's page sent
// (cross-site request forgery) 403.
func (h *Hub) require(roles ...antre.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			tok, cred := bearer(r)
			if tok == "" {
				h.fail(w, r, antre.Errorf(antre.EUNAUTHORIZED, antre.MsgLoginRequired, "no token on %s %s", r.Method, r.URL.Path))
				return
			}
			if (cred == credCookie || r.URL.Path == "/ws") && unsafe(r) && !sameSite(r) {
				h.fail(w, r, antre.Errorf(antre.EFORBIDDEN, antre.MsgCrossSite, "cross-site %s %s (origin %q, fetch site %q)",
					r.Method, r.URL.Path, r.Header.Get("Origin"), r.Header.Get("Sec-Fetch-Site")))
				return
			}
			p, err := h.accounts.Authenticate(r.Context(), tok)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			for _, role := range roles {
				if p.Role == role {
					next.ServeHTTP(w, r.WithContext(module.WithWho(r.Context(), p)))
					return
				}
			}
			h.fail(w, r, antre.Errorf(antre.EFORBIDDEN, antre.MsgForbidden, "%s (%s) may not %s %s", p.Name, p.Role, r.Method, r.URL.Path))
		})
	}
}

// throttle slows down guessing passwords, per user name and per client address. Every attempt
// is counted before its password is checked (bcrypt takes long enough for a burst of parallel
// attempts to arrive meanwhile): once a key has freeFailures counted attempts, the next must
// wait 1 s, then 2 s, 4 s … up to maxLockout, and attempts that arrive during the wait are
// refused without being checked. A successful log-in forgets its name's attempts and takes its
// own attempt back from the address, so colleagues at one PC are not slowed down by each other.
type throttle struct {
	mu    sync.Mutex
	now   func() time.Time
	keys  map[string]*attempts
	swept time.Time
}

type attempts struct {
	n     int       // failed and in-flight attempts
	until time.Time // no attempt before this
	last  time.Time
}

const (
	freeFailures = 3
	maxLockout   = 5 * time.Minute
	// maxThrottleKeys bounds the throttle's memory; beyond it, unknown keys are refused until
	// old records expire.
	maxThrottleKeys = 100_000
)

func newThrottle(now func() time.Time) *throttle {
	return &throttle{now: now, keys: map[string]*attempts{}}
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// delay is the wait imposed after n counted attempts.
func delay(n int) time.Duration {
	if n < freeFailures {
		return 0
	}
	return min(time.Second<<min(n-freeFailures, 20), maxLockout)
}

// reserve counts an attempt for every key and returns 0, or returns how long the caller must
// wait (counting nothing) while any key is locked.
func (t *throttle) reserve(keys ...string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.sweep(now)
	var wait time.Duration
	for _, k := range keys {
		if a := t.keys[k]; a != nil && a.until.After(now) {
			wait = max(wait, a.until.Sub(now))
		}
	}
	if wait == 0 && len(t.keys) >= maxThrottleKeys {
		for _, k := range keys {
			if t.keys[k] == nil {
				wait = time.Minute
			}
		}
	}
	if wait > 0 {
		return wait
	}
	for _, k := range keys {
		a := t.keys[k]
		if a == nil {
			a = &attempts{}
			t.keys[k] = a
		}
		a.n++
		a.last = now
		if d := delay(a.n); d > 0 {
			a.until = now.Add(d)
		}
	}
	return 0
}

// succeeded forgets name's attempts and takes the successful attempt back from addr.
func (t *throttle) succeeded(name, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.keys, name)
	if a := t.keys[addr]; a != nil {
		a.n--
		if a.n < freeFailures {
			a.until = time.Time{}
		}
		if a.n <= 0 {
			delete(t.keys, addr)
		}
	}
}

// sweep forgets, at most once a minute, records that are neither locked nor recent.
func (t *throttle) sweep(now time.Time) {
	if now.Sub(t.swept) < time.Minute {
		return
	}
	t.swept = now
	for k, a := range t.keys {
		if now.Sub(a.last) > maxLockout && !a.until.After(now) {
			delete(t.keys, k)
		}
	}
}
