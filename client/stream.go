package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"antre"
)

// TypeSnapshot is the type of the stream message that carries the whole office state: the
// first message of a connection that could not resume.
const TypeSnapshot antre.EventType = "snapshot"

// Message is one message of the hub's event stream: an event, or (Type TypeSnapshot) the
// office state at event ID, as the client's role may see it, with the device's settings and
// the displays' common settings.
type Message struct {
	antre.Event
	Snapshot *antre.Snapshot `json:"snapshot,omitempty"`
	Device   json.RawMessage `json:"device,omitempty"`
	Display  json.RawMessage `json:"display,omitempty"`
}

// Reconnect timing of a Stream, used where its fields are zero.
const (
	// DefaultMinDelay is the first reconnect delay after a lost connection.
	DefaultMinDelay = 500 * time.Millisecond
	// DefaultMaxDelay caps the exponential backoff.
	DefaultMaxDelay = 15 * time.Second
	// DefaultReplacedDelay is how long a stream waits after the hub closed it because another
	// connection of the same device took over; it is long so that two runtimes sharing a token
	// do not keep replacing each other.
	DefaultReplacedDelay = 5 * time.Minute
	// readTimeout: the hub pings every 25 s, so a stream silent for this long is dead.
	readTimeout = 70 * time.Second
)

// ErrUnauthorized is returned by Stream.Run when the hub refuses the token.
var ErrUnauthorized = errors.New("the hub refused the token")

// Stream follows the hub's event stream for one token, as the display page does. It connects
// to /ws, hands every message to its handler in order, and on a lost connection reconnects with
// exponential backoff and jitter, resuming after the last event it handled (?since=ID): the
// hub then sends exactly the missed events, or a fresh snapshot when it cannot, so no event is
// handled twice or skipped. A close because another connection of the same device replaced
// this one is logged as an error and retried only after ReplacedDelay.
type Stream struct {
	// Client is the hub and the token: a device's, or an officer's session.
	Client *Client
	// Log receives the connection's story; it must not be nil.
	Log *slog.Logger
	// Connected, when set, is called after every connection the hub accepted, before its
	// first message (a kiosk reads the office then, say); an error ends the connection.
	Connected func(ctx context.Context) error
	// Lost, when set, is called when a connection ends or could not be made, with why, before
	// the wait to reconnect.
	Lost func(err error)
	// MinDelay, MaxDelay and ReplacedDelay override the defaults above when set.
	MinDelay, MaxDelay, ReplacedDelay time.Duration
	// Dialer connects the WebSocket; nil means websocket.DefaultDialer.
	Dialer *websocket.Dialer

	skew atomic.Int64 // the hub's clock minus ours, in nanoseconds, from its Date header
}

// HubNow is the current time by the hub's clock, as far as its HTTP Date header (whole
// seconds) tells; it is the local time when the two differ by less than two seconds.
func (s *Stream) HubNow() time.Time {
	return time.Now().Add(time.Duration(s.skew.Load()))
}

// Run follows the stream until ctx is done, calling handle for each message in order, and then
// returns ctx's error. It returns earlier only when the hub refuses the token (ErrUnauthorized)
// or the hub URL is unusable.
func (s *Stream) Run(ctx context.Context, handle func(context.Context, Message)) error {
	base := s.Client.Base()
	last := int64(-1) // no state yet: the first connection gets a snapshot
	attempt := 0
	for {
		got, err := s.session(ctx, base, &last, handle)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if s.Lost != nil {
			s.Lost(err)
		}
		if got {
			attempt = 0
		}
		var delay time.Duration
		switch {
		case errors.Is(err, ErrUnauthorized):
			return err
		case replaced(err):
			delay = orDefault(s.ReplacedDelay, DefaultReplacedDelay)
			s.Log.Error("the hub closed this stream: another connection uses the same display token; give every screen and every antre display its own device (antre device add --role display)",
				"retry_in", delay)
		default:
			delay = s.backoff(attempt)
			attempt++
			s.Log.Warn("hub stream lost; reconnecting", "err", err, "retry_in", delay.Round(time.Millisecond), "resume_after", last)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
	}
}

// backoff is the delay before reconnect attempt n (0-based): MinDelay doubled n times, capped
// at MaxDelay, then scaled by a random factor in [0.5, 1) so that many displays that lost the
// hub together do not reconnect in step.
func (s *Stream) backoff(n int) time.Duration {
	d := orDefault(s.MinDelay, DefaultMinDelay) << min(n, 20)
	d = min(d, orDefault(s.MaxDelay, DefaultMaxDelay))
	return time.Duration(float64(d) * (0.5 + rand.Float64()/2))
}

// orDefault is v when set, else def.
func orDefault(v, def time.Duration) time.Duration {
	if v > 0 {
		return v
	}
	return def
}

// replaced reports whether err is the hub closing the stream because a newer connection of the
// same device took its place.
func replaced(err error) bool {
	var ce *websocket.CloseError
	return errors.As(err, &ce) && ce.Code == websocket.ClosePolicyViolation && strings.HasPrefix(ce.Text, "replaced")
}

// session makes one connection and reads it until it fails; got reports whether any message
// arrived. *last is the ID of the last message handled, -1 for none.
func (s *Stream) session(ctx context.Context, base *url.URL, last *int64, handle func(context.Context, Message)) (got bool, err error) {
	if err := s.checkClock(ctx, base); err != nil {
		return false, err
	}
	u := *base
	u.Scheme = map[string]string{"http": "ws", "https": "wss"}[base.Scheme]
	u.Path += "/ws"
	q := url.Values{}
	if *last >= 0 {
		q.Set("since", strconv.FormatInt(*last, 10))
	}
	u.RawQuery = q.Encode()
	d := s.Dialer
	if d == nil {
		d = &websocket.Dialer{HandshakeTimeout: 10 * time.Second}
	}
	conn, resp, err := d.DialContext(ctx, u.String(), http.Header{"Authorization": {"Bearer " + s.Client.Token()}})
	if err != nil {
		if resp != nil && (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden) {
			return false, fmt.Errorf("%w (HTTP %d)", ErrUnauthorized, resp.StatusCode)
		}
		return false, err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	s.Log.Info("following the hub", "hub", base.String(), "resume_after", *last)
	if s.Connected != nil {
		if err := s.Connected(ctx); err != nil {
			if e, ok := Refusal(err); ok && (e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden) {
				return false, fmt.Errorf("%w (%v)", ErrUnauthorized, err)
			}
			return false, err
		}
	}
	conn.SetReadLimit(16 << 20) // a snapshot of a busy day
	conn.SetReadDeadline(time.Now().Add(readTimeout))
	conn.SetPingHandler(func(data string) error {
		conn.SetReadDeadline(time.Now().Add(readTimeout))
		return conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(5*time.Second))
	})
	for {
		_, b, err := conn.ReadMessage()
		if err != nil {
			return got, err
		}
		conn.SetReadDeadline(time.Now().Add(readTimeout))
		var m Message
		if err := json.Unmarshal(b, &m); err != nil {
			s.Log.Warn("unreadable stream message", "err", err)
			continue
		}
		if m.Type != TypeSnapshot && m.ID <= *last {
			continue
		}
		*last, got = m.ID, true
		if m.Type == TypeSnapshot {
			s.Log.Info("hub state received", "event", m.ID)
		}
		handle(ctx, m)
	}
}

// checkClock asks the hub for its health and time: an unreachable hub fails here, quickly,
// and the Date header sets HubNow's offset.
func (s *Stream) checkClock(ctx context.Context, base *url.URL) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base.String()+"/healthz", nil)
	if err != nil {
		return err
	}
	sent := time.Now()
	resp, err := s.Client.http.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("hub health: HTTP %d", resp.StatusCode)
	}
	if at, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		local := sent.Add(time.Since(sent) / 2)
		skew := at.Add(500 * time.Millisecond).Sub(local) // Date truncates to the second
		if skew.Abs() < 2*time.Second {
			skew = 0
		}
		s.skew.Store(int64(skew))
	}
	return nil
}
