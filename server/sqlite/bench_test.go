package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"antre"
	"antre/server/sqlite"
)

// BenchmarkIssue measures durable ticket issues (quota check, number, ticket row and event in
// one synchronous=FULL transaction); BenchmarkPlainInsert is the baseline: one single-row
// INSERT per transaction with the same pragmas. Compare their tickets/s in the same run.
func BenchmarkIssue(b *testing.B) {
	ctx := context.Background()
	day := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	now := day
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "antre.db"), sqlite.Options{
		Office: antre.Office{Code: "BENCH", Name: "Bench", Location: time.UTC}, Synchronous: os.Getenv("SYNC"), Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	groups := antre.DefaultGroups()
	for i := range groups {
		groups[i].Quota = antre.Quota{WalkIn: antre.MaxNumber}
	}
	if err := db.SyncGroups(ctx, groups); err != nil {
		b.Fatal(err)
	}
	perDay := len(groups) * antre.MaxNumber
	b.ResetTimer()
	for i := range b.N {
		if i > 0 && i%perDay == 0 {
			now = now.Add(24 * time.Hour)
		}
		if _, _, err := db.Issue(ctx, sqlite.IssueRequest{Group: groups[i%len(groups)].Code, Actor: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tickets/s")
}

func BenchmarkPlainInsert(b *testing.B) {
	dsn := fmt.Sprintf("file:%s?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=10000&_synchronous=FULL&_txlock=immediate",
		filepath.Join(b.TempDir(), "plain.db"))
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT NOT NULL, at INTEGER NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO t (code, at) VALUES (?, ?)`, "A001", i); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "inserts/s")
}

// BenchmarkIssueParallel issues from 8 goroutines at once, as kiosks and officers do at opening
// time: concurrent changes share one durable commit (group commit).
func BenchmarkIssueParallel(b *testing.B) {
	ctx := context.Background()
	// Each business day holds 6 × 999 numbers; the clock moves to the next day every 5,000
	// issues started, so a run of any length measures issues, never an exhausted quota.
	day := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	var started atomic.Int64
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "antre.db"), sqlite.Options{
		Office: antre.Office{Code: "BENCH", Name: "Bench", Location: time.UTC}, Synchronous: os.Getenv("SYNC"),
		Now: func() time.Time { return day.Add(time.Duration(started.Load()/5000) * 24 * time.Hour) }})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	groups := antre.DefaultGroups()
	for i := range groups {
		groups[i].Quota = antre.Quota{WalkIn: antre.MaxNumber}
	}
	if err := db.SyncGroups(ctx, groups); err != nil {
		b.Fatal(err)
	}
	b.SetParallelism(4) // 8 goroutines on 2 CPUs
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			g := groups[int(started.Add(1))%len(groups)].Code
			if _, _, err := db.Issue(ctx, sqlite.IssueRequest{Group: g, Actor: "bench"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tickets/s")
}
