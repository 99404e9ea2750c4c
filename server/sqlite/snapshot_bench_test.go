package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"antre"
)

// BenchmarkSnapshot measures building the office snapshot (uncached, as after every change)
// with a long event history and with a crowd waiting, and reports the encoded size of the
// staff and device views. Compare history=500000 with history=10000 (the reads must not grow
// with history) and the device bytes of waiting=5000 with waiting=100 (a display's snapshot must
// not grow with the crowd).
func BenchmarkSnapshot(b *testing.B) {
	for _, c := range []struct{ history, waiting int }{{10_000, 100}, {500_000, 100}, {10_000, 5000}} {
		b.Run(fmt.Sprintf("history=%d/waiting=%d", c.history, c.waiting), func(b *testing.B) {
			db := snapshotStore(b, c.history, c.waiting)
			ctx := context.Background()
			var s *antre.Snapshot
			for b.Loop() { // the store is built once, not once per b.N
				var err error
				if s, err = db.readSnapshot(ctx); err != nil {
					b.Fatal(err)
				}
			}
			staff, _ := json.Marshal(s)
			device, _ := json.Marshal(s.DeviceView())
			b.ReportMetric(float64(len(staff)), "staff-bytes")
			b.ReportMetric(float64(len(device)), "device-bytes")
		})
	}
}

// snapshotStore is a store with history past events (calls and issues of earlier days, about
// a year at 1,500 a day) and waiting tickets today, four counters and today's first calls.
func snapshotStore(b *testing.B, history, waiting int) *DB {
	ctx := context.Background()
	today := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	db, err := Open(ctx, filepath.Join(b.TempDir(), "antre.db"), Options{
		Office: antre.Office{Code: "BENCH", Name: "Bench", Location: time.UTC}, Synchronous: "OFF", Now: func() time.Time { return today }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	groups := antre.DefaultGroups()
	for i := range groups {
		groups[i].Quota = antre.Quota{WalkIn: antre.MaxNumber}
	}
	if err := db.SyncGroups(ctx, groups); err != nil {
		b.Fatal(err)
	}
	var cs []antre.Counter
	for i := 1; i <= 4; i++ {
		cs = append(cs, antre.Counter{Number: i, Name: fmt.Sprint(i), Groups: []string{"A", "B", "C", "D", "E", "F"}})
	}
	if err := db.SyncCounters(ctx, cs); err != nil {
		b.Fatal(err)
	}
	tx, err := db.write.Begin()
	if err != nil {
		b.Fatal(err)
	}
	past := today.Add(-365 * 24 * time.Hour).UnixMilli()
	end := time.Date(today.Year(), today.Month(), today.Day()-1, 16, 0, 0, 0, time.UTC).UnixMilli() // yesterday's closing
	step := (end - past) / int64(max(history, 1))
	for i := range history {
		typ := antre.EvIssued
		if i%2 == 1 {
			typ = antre.EvCalled
		}
		if _, err := tx.Exec(`INSERT INTO events (office, type, at, ticket, grp, counter, actor, data) VALUES ('BENCH', ?, ?, 'A001', 'A', 1, 'x', '{}')`,
			typ, past+int64(i)*step); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	for i := range waiting {
		if _, _, err := db.Issue(ctx, IssueRequest{Group: groups[i%len(groups)].Code, Actor: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
	for i := 1; i <= 3; i++ { // today's first calls: fewer than a display lists
		if _, _, err := db.CallNext(ctx, i, "petugas"); err != nil {
			b.Fatal(err)
		}
	}
	return db
}
