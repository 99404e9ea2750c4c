package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"antre"
	"antre/server/sqlite"
)

func openDB(t *testing.T) *sqlite.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "antre.db"), sqlite.Options{
		Office: antre.Office{Code: "T", Name: "Test", Location: time.UTC}, Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	groups := antre.DefaultGroups()
	for i := range groups {
		groups[i].Quota = antre.Quota{WalkIn: 100, Online: 10, Priority: 10}
	}
	if err := db.SyncGroups(ctx, groups); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestShipExactlyOnce: a failed send does not move the cursor, a successful one does, and two
// shippers of one consumer never skip or repeat an event between them.
func TestShipExactlyOnce(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	for range 50 {
		if _, _, err := db.Issue(ctx, sqlite.IssueRequest{Group: "A", Actor: "k"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Ship(ctx, "hq", 10, func([]antre.Event) error { return errors.New("link down") }); err == nil {
		t.Fatal("a failed send must be reported")
	}
	var mu sync.Mutex
	got := map[int64]int{}
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n, err := db.Ship(ctx, "hq", 7, func(evs []antre.Event) error {
					mu.Lock()
					defer mu.Unlock()
					for _, e := range evs {
						got[e.ID]++
					}
					return nil
				})
				if n == 0 && err == nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	for id := int64(1); id <= 50; id++ {
		if got[id] == 0 {
			t.Errorf("event %d never shipped", id)
		}
	}
	// a shipper that lost the race resends its batch (same IDs), which the receiver ignores;
	// the cursor itself never skips: a fresh shipper finds nothing left.
	n, err := db.Ship(ctx, "hq", 100, func([]antre.Event) error { return nil })
	if n != 0 || err != nil {
		t.Errorf("after shipping everything: %d %v", n, err)
	}
	// another consumer starts from the beginning
	if n, _ := db.Ship(ctx, "stats", 100, func([]antre.Event) error { return nil }); n != 50 {
		t.Errorf("second consumer shipped %d", n)
	}
}

// TestGroupCommitIsolation: changes submitted together commit together, but a refused change
// rolls back alone and the others' events are published in order.
func TestGroupCommitIsolation(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	var mu sync.Mutex
	var published []int64
	db.OnCommit(func(evs []antre.Event) {
		mu.Lock()
		defer mu.Unlock()
		for _, e := range evs {
			published = append(published, e.ID)
		}
	})
	var wg sync.WaitGroup
	errs := make([]error, 40)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g := "A"
			if i%4 == 0 {
				g = "Z" // unknown group: refused
			}
			_, _, errs[i] = db.Issue(ctx, sqlite.IssueRequest{Group: g, Actor: "k"})
		}()
	}
	wg.Wait()
	refused := 0
	for i, err := range errs {
		if (i%4 == 0) != (err != nil) {
			t.Errorf("issue %d: %v", i, err)
		}
		if err != nil {
			refused++
		}
	}
	q, err := db.Quota(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if q[0].Used.WalkIn != 30 || refused != 10 {
		t.Errorf("used %d, refused %d", q[0].Used.WalkIn, refused)
	}
	evs, _ := db.EventsSince(ctx, 0, 100)
	if len(evs) != 30 || len(published) != 30 {
		t.Fatalf("%d events stored, %d published", len(evs), len(published))
	}
	for i := range evs {
		if evs[i].ID != int64(i+1) || published[i] != evs[i].ID {
			t.Fatalf("event ids %v / published %v", evs[i].ID, published)
		}
	}
}

// TestMigrationsOnce: reopening a store applies nothing twice and keeps the data.
func TestMigrationsOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "antre.db")
	opt := sqlite.Options{Office: antre.Office{Code: "T", Name: "Test", Location: time.UTC}}
	for i := range 2 {
		db, err := sqlite.Open(ctx, path, opt)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		if err := db.SyncGroups(ctx, antre.DefaultGroups()); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.Issue(ctx, sqlite.IssueRequest{Group: "B", Actor: "k"}); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	db, _ := sqlite.Open(ctx, path, opt)
	defer db.Close()
	if tk, err := db.Ticket(ctx, "B002"); err != nil || tk.Number != 2 {
		t.Fatalf("after reopening: %+v %v", tk, err)
	}
}
