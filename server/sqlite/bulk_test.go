package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"antre"
	"antre/server/sqlite"
)

// TestBulk: in bulk mode changes commit together at Flush, a refused change (an exhausted
// pool) is rolled back alone while its neighbours commit, subscribers get the events in order
// once committed, turning bulk mode off commits what it holds, and Close commits the rest.
func TestBulk(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "antre.db")
	office := antre.Office{Code: "T", Name: "Test", Location: time.UTC}
	db, err := sqlite.Open(ctx, file, sqlite.Options{Office: office, Synchronous: "OFF"})
	if err != nil {
		t.Fatal(err)
	}
	groups := antre.DefaultGroups()
	for i := range groups {
		groups[i].Quota = antre.Quota{WalkIn: 2, Online: 1, Priority: 1}
	}
	if err := db.SyncGroups(ctx, groups); err != nil {
		t.Fatal(err)
	}
	var seen []int64
	db.OnCommit(func(evs []antre.Event) {
		for _, e := range evs {
			seen = append(seen, e.ID)
		}
	})
	if err := db.SetBulk(ctx, 1000); err != nil {
		t.Fatal(err)
	}
	issue := func() (string, error) {
		tk, _, err := db.Issue(ctx, sqlite.IssueRequest{Group: "A", Actor: "k"})
		return tk.Code, err
	}
	for _, want := range []string{"A001", "A002"} {
		if code, err := issue(); err != nil || code != want {
			t.Fatalf("issue: %s %v, want %s", code, err, want)
		}
	}
	if _, err := issue(); antre.ErrorCode(err) != antre.EQUOTAEXHAUSTED {
		t.Fatalf("third walk-in of a pool of 2: %v", err)
	}
	if len(seen) != 0 {
		t.Fatalf("events published before the bulk commit: %v", seen)
	}
	if err := db.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 {
		t.Fatalf("after Flush: %d events published, want 2", len(seen))
	}
	for _, code := range []string{"A001", "A002"} {
		if tk, err := db.Ticket(ctx, code); err != nil || tk.Status != antre.StatusWaiting {
			t.Fatalf("%s after Flush: %+v %v", code, tk, err)
		}
	}
	if _, _, err := db.CallNext(ctx, 1, "o"); err == nil {
		t.Fatal("counter 1 does not exist; the call must be refused")
	}
	if err := db.SyncCounters(ctx, []antre.Counter{{Number: 1, Name: "Loket 1", Groups: []string{"A"}}}); err != nil {
		t.Fatal(err)
	}
	if tk, _, err := db.CallNext(ctx, 1, "o"); err != nil || tk.Code != "A001" {
		t.Fatalf("call in bulk mode: %+v %v", tk, err)
	}
	if err := db.SetBulk(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if tk, err := db.Ticket(ctx, "A001"); err != nil || tk.Status != antre.StatusCalled {
		t.Fatalf("A001 after bulk mode is off: %+v %v", tk, err)
	}
	if _, _, err := db.Issue(ctx, sqlite.IssueRequest{Group: "B", Actor: "k"}); err != nil {
		t.Fatal(err)
	}
	if tk, err := db.Ticket(ctx, "B001"); err != nil || tk.Status != antre.StatusWaiting {
		t.Fatalf("an ordinary change after bulk mode: %+v %v", tk, err)
	}
	if err := db.SetBulk(ctx, 1000); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Issue(ctx, sqlite.IssueRequest{Group: "C", Actor: "k"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = sqlite.Open(ctx, file, sqlite.Options{Office: office})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if tk, err := db.Ticket(ctx, "C001"); err != nil || tk.Status != antre.StatusWaiting {
		t.Fatalf("a change held in bulk mode at Close: %+v %v", tk, err)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] <= seen[i-1] {
			t.Fatalf("events out of order: %v", seen)
		}
	}
}
