package demodata_test

import (
	"context"
	"testing"
	"time"

	"antre/demodata"
	"antre/server"
)

// BenchmarkGenerate measures the generator in days of history a second (20 days a run, seed 1).
func BenchmarkGenerate(b *testing.B) {
	const days = 20
	var total time.Duration
	for i := 0; i < b.N; i++ {
		cfg, err := server.LoadConfig(nil)
		if err != nil {
			b.Fatal(err)
		}
		cfg.Data = b.TempDir()
		cfg.PasswordCost = 4
		rep, err := demodata.Generate(context.Background(), cfg, demodata.Options{Days: days, Seed: 1, Today: time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)})
		if err != nil {
			b.Fatal(err)
		}
		total += rep.Elapsed
	}
	b.ReportMetric(float64(days*b.N)/total.Seconds(), "days/s")
}
