package ratelimit

import (
	"testing"
	"time"
)

// TestLimiter: a burst passes, the next request waits for the refill, another client is not
// slowed down, and the refill comes at the rate.
func TestLimiter(t *testing.T) {
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	l := New(6, 3, func() time.Time { return now })
	for i := range 3 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait != 10*time.Second {
		t.Fatalf("past the burst: %v, wait %v; want refused for 10 s", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Error("another client was refused")
	}
	now = now.Add(10 * time.Second)
	if ok, _ := l.Allow("a"); !ok {
		t.Error("after the refill: refused")
	}
}
