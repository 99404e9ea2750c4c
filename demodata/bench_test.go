package demodata_test

import (
	"context"
	"io"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"antre"
	"antre/demodata"
	"antre/server"
	"antre/server/servertest"
	"antre/server/sqlite"
)

// BenchmarkGenerate measures the generator (history: 20 days a run, seed 1) in days of history
// and events a second, and as its baseline the hub's plainest changes on the same store
// settings (synchronous OFF, the modules mounted, no bulk mode): a loop of issue, call and
// finish of 1,000 tickets a run, in events a second. Both run on one processor, as antre
// demo-data does.
func BenchmarkGenerate(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // as antre demo-data runs
	b.Run("history", func(b *testing.B) {
		const days = 20
		var total time.Duration
		var events int64
		for i := 0; i < b.N; i++ {
			cfg := benchConfig(b)
			rep, err := demodata.Generate(context.Background(), cfg, demodata.Options{Days: days, Seed: 1, Today: today})
			if err != nil {
				b.Fatal(err)
			}
			total += rep.Elapsed
			events += rep.Events
		}
		b.ReportMetric(float64(days*b.N)/total.Seconds(), "days/s")
		b.ReportMetric(float64(events)/total.Seconds(), "events/s")
	})
	b.Run("baseline", func(b *testing.B) {
		cfg := benchConfig(b)
		cfg.Synchronous = "OFF"
		clk := &servertest.Clock{}
		clk.Set(time.Date(2026, 1, 5, 8, 0, 0, 0, wib))
		hub, err := server.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), clk.Now)
		if err != nil {
			b.Fatal(err)
		}
		defer hub.Close()
		db := hub.DB()
		ctx := context.Background()
		groups := []string{"A", "B", "C", "D", "E", "F"}
		const tickets = 1000 // a run, so that one run measures a rate too
		b.ResetTimer()
		start := time.Now()
		for i := 0; i < b.N*tickets; i++ {
			if i%240 == 0 && i > 0 {
				clk.Advance(24 * time.Hour) // a new business date: the quotas start again
			}
			clk.Advance(time.Second)
			t, _, err := db.Issue(ctx, sqlite.IssueRequest{Group: groups[i%len(groups)], Actor: "kiosk-bench", Role: antre.RoleKiosk})
			if err != nil {
				b.Fatal(err)
			}
			if _, _, err := db.CallNext(ctx, 1, "oss1"); err != nil {
				b.Fatal(err)
			}
			if _, err := db.Act(ctx, sqlite.ActRequest{Counter: 1, Code: t.Code, Action: antre.ActFinish, Actor: "oss1"}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(3*tickets*b.N)/time.Since(start).Seconds(), "events/s")
	})
}

func benchConfig(b *testing.B) *server.Config {
	cfg, err := server.LoadConfig(nil)
	if err != nil {
		b.Fatal(err)
	}
	cfg.Data = b.TempDir()
	cfg.PasswordCost = 4
	return cfg
}
