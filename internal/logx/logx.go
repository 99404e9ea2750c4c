// Package logx holds the log handler every Antre process writes through: it keeps repeated
// lines from filling the disk. It imports nothing of the project.
package logx

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Limit wraps h so that one message at one level is written at most burst times per window;
// further lines of that message are counted and dropped, and the first line of the message in
// a later window says how many were dropped ("suppressed": N). Errors are limited too: a storm
// of identical errors says no more than its first lines and its count.
func Limit(h slog.Handler, burst int, window time.Duration) slog.Handler {
	return &limiter{next: h, burst: burst, window: window, state: &limitState{seen: map[limitKey]*limitCount{}, now: time.Now}}
}

type limitKey struct {
	level slog.Level
	msg   string
}

type limitCount struct {
	start      time.Time
	n          int
	suppressed int
}

type limitState struct {
	mu   sync.Mutex
	seen map[limitKey]*limitCount
	now  func() time.Time
}

type limiter struct {
	next   slog.Handler
	burst  int
	window time.Duration
	state  *limitState
}

// maxKeys bounds the limiter's memory: messages are constant strings, so this is never reached
// by a well-behaved program; past it the table starts afresh.
const maxKeys = 10_000

func (l *limiter) Enabled(ctx context.Context, level slog.Level) bool {
	return l.next.Enabled(ctx, level)
}

func (l *limiter) Handle(ctx context.Context, r slog.Record) error {
	s := l.state
	s.mu.Lock()
	now := s.now()
	k := limitKey{r.Level, r.Message}
	c := s.seen[k]
	if c == nil {
		if len(s.seen) >= maxKeys {
			s.seen = map[limitKey]*limitCount{}
		}
		c = &limitCount{start: now}
		s.seen[k] = c
	}
	if now.Sub(c.start) >= l.window {
		c.start, c.n = now, 0
	}
	c.n++
	if c.n > l.burst {
		c.suppressed++
		s.mu.Unlock()
		return nil
	}
	dropped := c.suppressed
	c.suppressed = 0
	s.mu.Unlock()
	if dropped > 0 {
		r = r.Clone()
		r.AddAttrs(slog.Int("suppressed", dropped))
	}
	return l.next.Handle(ctx, r)
}

func (l *limiter) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &limiter{next: l.next.WithAttrs(attrs), burst: l.burst, window: l.window, state: l.state}
}

func (l *limiter) WithGroup(name string) slog.Handler {
	return &limiter{next: l.next.WithGroup(name), burst: l.burst, window: l.window, state: l.state}
}
