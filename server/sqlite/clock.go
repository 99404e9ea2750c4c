package sqlite

import (
	"log/slog"
	"sync"
	"time"

	"antre"
)

// forwardClock is the store's clock: the wall clock, except that it never goes back. When the
// wall clock is stepped back (a wrong NTP answer, an operator, a flat RTC battery), the store
// keeps its last reading until the wall clock has caught up, and says so loudly: timestamps do
// not run backwards and the business date never moves back within a running hub. Queue order
// does not depend on it either way (tickets are ordered by their sequence).
type forwardClock struct {
	wall antre.Clock
	log  *slog.Logger

	mu     sync.Mutex
	last   time.Time
	behind bool // the wall clock is behind last; logged once per step
}

// backStep is how far back the wall clock must step to be logged; smaller jitter is silent.
const backStep = time.Second

// Now returns the wall clock's reading, or the latest reading so far when the wall clock is
// behind it.
func (c *forwardClock) Now() time.Time {
	t := c.wall()
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.Before(c.last) {
		if !c.behind && c.last.Sub(t) >= backStep {
			c.behind = true
			c.log.Error("THE SYSTEM CLOCK WENT BACKWARDS: the hub keeps its last time until the clock catches up; check the PC's time (NTP)",
				"clock", t.Format(time.RFC3339), "hub_time", c.last.Format(time.RFC3339), "behind", c.last.Sub(t).Round(time.Second))
		}
		return c.last
	}
	if c.behind {
		c.behind = false
		c.log.Warn("the system clock has caught up with the hub's time", "clock", t.Format(time.RFC3339))
	}
	c.last = t
	return t
}

// warnIfBehind logs loudly when the store's newest record is later than the wall clock, as
// after a restart with a clock set back: the hub then runs on the clock it is given.
func (c *forwardClock) warnIfBehind(latest time.Time) {
	if now := c.wall(); !latest.IsZero() && latest.Sub(now) >= time.Minute {
		c.log.Error("THE SYSTEM CLOCK IS BEHIND THE STORE: its newest event is later than now; check the PC's time (NTP)",
			"clock", now.Format(time.RFC3339), "newest_event", latest.Format(time.RFC3339))
	}
}

// flight caches the value computed for the newest state and lets concurrent callers share one
// computation: a burst of readers (displays reconnecting, a metrics scraper) costs the store
// one read, not one per caller.
type flight[T any] struct {
	mu   sync.Mutex
	key  stateKey
	val  T
	ok   bool
	wait chan struct{} // open while a computation runs
}

// stateKey identifies a state of the store: the newest committed event and the business date.
type stateKey struct {
	event int64
	date  string
}

// get returns the cached value when it is at least as new as want, or computes it. compute
// returns the value and the state it reflects.
func (f *flight[T]) get(want stateKey, compute func() (T, stateKey, error)) (T, error) {
	for {
		f.mu.Lock()
		if f.ok && f.key.date == want.date && f.key.event >= want.event {
			v := f.val
			f.mu.Unlock()
			return v, nil
		}
		if w := f.wait; w != nil {
			f.mu.Unlock()
			<-w
			continue
		}
		w := make(chan struct{})
		f.wait = w
		f.mu.Unlock()
		v, key, err := compute()
		f.mu.Lock()
		if err == nil {
			f.val, f.key, f.ok = v, key, true
		}
		f.wait = nil
		close(w)
		f.mu.Unlock()
		return v, err
	}
}
