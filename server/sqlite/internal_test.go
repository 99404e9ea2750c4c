package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"antre"
)

func openInternal(t *testing.T, now antre.Clock) *DB {
	t.Helper()
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "antre.db"), Options{
		Office: antre.Office{Code: "T", Name: "Test", Location: time.UTC}, Synchronous: "NORMAL", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.SyncGroups(t.Context(), antre.DefaultGroups()); err != nil {
		t.Fatal(err)
	}
	if err := db.SyncCounters(t.Context(), []antre.Counter{{Number: 1, Name: "1", Groups: []string{"A", "B"}}, {Number: 2, Name: "2", Groups: []string{"A"}}}); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestSnapshotReadersDoNotDeadlock: 64 readers building snapshots at once, bypassing the shared
// cache, all finish. A read path that holds a pooled connection while it waits for a second one
// froze every read of the hub this way (the pool has readConns connections).
func TestSnapshotReadersDoNotDeadlock(t *testing.T) {
	db := openInternal(t, nil)
	for range 20 {
		if _, _, err := db.Issue(t.Context(), IssueRequest{Group: "A", Actor: "k"}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := db.readSnapshot(ctx)
			if err == nil && len(s.Waiting) != 20 {
				t.Errorf("snapshot with %d waiting", len(s.Waiting))
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a snapshot reader failed (deadlocked until the timeout?): %v", err)
		}
	}
}

// TestRecentCallsUseTheirIndex: the recent calls of a snapshot are found through the partial
// index of calls, not by scanning the whole event history.
func TestRecentCallsUseTheirIndex(t *testing.T) {
	db := openInternal(t, nil)
	rows, err := db.read.Query(`EXPLAIN QUERY PLAN SELECT `+eventCols+` FROM events
		WHERE type IN ('ticket.called', 'ticket.recalled') AND at >= ? ORDER BY id DESC LIMIT ?`, 0, 8)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		rows.Scan(&id, &parent, &unused, &detail)
		plan = append(plan, detail)
	}
	p := strings.Join(plan, "; ")
	if !strings.Contains(p, "events_calls") || strings.Contains(p, "SCAN events") {
		t.Errorf("recent calls plan: %s", p)
	}
}

// TestFullDiskMakesTheStoreUnhealthy: when a change fails because the store cannot grow (here
// SQLite's page limit stands in for a full disk, with the same SQLITE_FULL error), Health
// reports it until a change commits again.
func TestFullDiskMakesTheStoreUnhealthy(t *testing.T) {
	db := openInternal(t, nil)
	ctx := t.Context()
	if err := db.Health(ctx); err != nil {
		t.Fatalf("fresh store unhealthy: %v", err)
	}
	var pages int
	if err := db.write.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := db.write.Exec(`PRAGMA max_page_count = ` + strconv.Itoa(pages)); err != nil {
		t.Fatal(err)
	}
	var failed error
	for i := 0; i < 5000 && failed == nil; i++ {
		_, _, failed = db.Issue(ctx, IssueRequest{Group: antre.DefaultGroups()[i%6].Code, Actor: "k", Phone: strings.Repeat("6", 12)})
	}
	if failed == nil || antre.ErrorCode(failed) != antre.EINTERNAL {
		t.Fatalf("issues on a full store: %v", failed)
	}
	err := db.Health(ctx)
	if err == nil || !strings.Contains(err.Error(), "full") {
		t.Fatalf("health on a full store: %v", err)
	}
	if _, err := db.write.Exec(`PRAGMA max_page_count = 1000000`); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Issue(ctx, IssueRequest{Group: "F", Actor: "k"}); err != nil {
		t.Fatalf("issue after space came back: %v", err)
	}
	if err := db.Health(ctx); err != nil {
		t.Errorf("health after space came back: %v", err)
	}
}

// TestClockSteppedBack: a wall clock stepped back ten minutes neither reorders the queue nor
// moves the business date back; timestamps stand still until the clock catches up.
func TestClockSteppedBack(t *testing.T) {
	var mu sync.Mutex
	wall := time.Date(2026, 11, 25, 23, 59, 0, 0, time.UTC)
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return wall }
	set := func(t time.Time) { mu.Lock(); defer mu.Unlock(); wall = t }
	db := openInternal(t, now)
	ctx := t.Context()
	a1, _, err := db.Issue(ctx, IssueRequest{Group: "A", Actor: "k"})
	if err != nil {
		t.Fatal(err)
	}
	set(wall.Add(-10 * time.Minute))
	a2, _, err := db.Issue(ctx, IssueRequest{Group: "A", Actor: "k"})
	if err != nil {
		t.Fatal(err)
	}
	if a2.IssuedAt.Before(a1.IssuedAt) {
		t.Errorf("A002 issued at %v, before A001 at %v", a2.IssuedAt, a1.IssuedAt)
	}
	called, _, err := db.CallNext(ctx, 1, "petugas")
	if err != nil || called.Code != "A001" {
		t.Fatalf("first call %s %v, want A001", called.Code, err)
	}
	// past midnight, then back before it: the business date stays on the new day
	set(time.Date(2026, 11, 26, 0, 1, 0, 0, time.UTC))
	if d := db.Today(); d != "2026-11-26" {
		t.Fatalf("after midnight %s", d)
	}
	set(time.Date(2026, 11, 25, 23, 58, 0, 0, time.UTC))
	b1, _, err := db.Issue(ctx, IssueRequest{Group: "B", Actor: "k"})
	if err != nil {
		t.Fatal(err)
	}
	if b1.BusinessDate != "2026-11-26" || db.Today() != "2026-11-26" {
		t.Errorf("the clock stepped back over midnight moved the date back: ticket %s on %s, today %s", b1.Code, b1.BusinessDate, db.Today())
	}
}

// TestMissingStoreIsNotReplaced: a store whose file was deleted is not silently created again
// (numbering would restart at 001 for today); --init does it deliberately. A damaged store
// refuses to open.
func TestMissingStoreIsNotReplaced(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "antre.db")
	opt := Options{Office: antre.Office{Code: "KANIM-X", Name: "X", Location: time.UTC}, Synchronous: "NORMAL"}
	db, err := Open(t.Context(), file, opt)
	if err != nil {
		t.Fatal(err)
	}
	db.SyncGroups(t.Context(), antre.DefaultGroups())
	db.Issue(t.Context(), IssueRequest{Group: "A", Actor: "k"})
	db.Close()
	if _, err := os.Stat(filepath.Join(dir, "antre.marker")); err != nil {
		t.Fatalf("no marker beside the store: %v", err)
	}
	for _, f := range []string{"antre.db", "antre.db-wal", "antre.db-shm"} {
		os.Remove(filepath.Join(dir, f))
	}
	_, err = Open(t.Context(), file, opt)
	if err == nil || !strings.Contains(err.Error(), "--init") || !strings.Contains(err.Error(), "KANIM-X") || !strings.Contains(err.Error(), file) {
		t.Fatalf("opening a deleted store: %v", err)
	}
	if _, err := os.Stat(file); err == nil {
		t.Fatal("a refused open created the store anyway")
	}
	opt.Init = true
	db, err = Open(t.Context(), file, opt)
	if err != nil {
		t.Fatalf("--init: %v", err)
	}
	db.Close()

	// damage pages in the middle of the file
	opt.Init = false
	b, err := os.ReadFile(file)
	if err != nil || len(b) < 4096*6 {
		t.Fatalf("store of %d bytes: %v", len(b), err)
	}
	for i := 4096 * 2; i < len(b) && i < 4096*6; i++ {
		b[i] = 0xA5
	}
	if err := os.WriteFile(file, b, 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(t.Context(), file, opt); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("opening a damaged store: %v", err)
	}
}
