package sms

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkIssue compares the hub's ticket-issue transaction (sequence update, ticket and event
// insert, with WAL and synchronous=NORMAL) with and without the module's OnEvent: the module
// must keep at least half the rate.
func BenchmarkIssue(b *testing.B) {
	for _, withSMS := range []bool{false, true} {
		b.Run(fmt.Sprintf("sms=%v", withSMS), func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.Adapter, cfg.HTTP.URL = "http", "http://127.0.0.1:9/unused"
			f := newFixture(b, cfg)
			if !withSMS { // the same hub and store, without the module mounted
				c := newClock(f.clock.Now())
				store := openStore(b, testOffice(b), c.Now)
				f = &fixture{store: store, clock: c, hub: &hub{t: b, store: store, office: testOffice(b)}}
			}
			fullQuota(b, f.store)
			// Spread the tickets over the groups so no quota runs out.
			b.ResetTimer()
			for i := range b.N {
				g := string(rune('A' + i%6))
				if (i/6)%999 == 998 {
					b.StopTimer()
					f.clock.Set(f.clock.Now().Add(24 * time.Hour))
					b.StartTimer()
				}
				f.hub.issue(g, "081234567890")
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "issues/s")
		})
	}
}
