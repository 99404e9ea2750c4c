package pg_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"antre"
	"antre/hq/hqtest"
	"antre/hq/pg"
)

func TestMain(m *testing.M) { os.Exit(hqtest.Main(m)) }

func open(t *testing.T) *pg.Store {
	t.Helper()
	ctx := context.Background()
	s, err := pg.Open(ctx, hqtest.Database(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func incoming(office string, id int64, typ antre.EventType, body string) pg.Incoming {
	e := antre.Event{ID: id, Office: office, Type: typ, At: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC), Ticket: "A001", Group: "A"}
	b, _ := json.Marshal(e)
	return pg.Incoming{Office: office, Event: e, Day: "2026-11-25", Hash: pg.Hash(append(b, body...))}
}

// TestIngest: each (office, event_id) is stored once; the same ID with other content is a
// conflict kept aside; contiguity moves through holes filled later.
func TestIngest(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	for _, c := range []string{"KANIM-A", "KANIM-B"} {
		if err := s.AddOffice(ctx, pg.Office{Code: c, Name: c, UserKey: "U" + c}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddOffice(ctx, pg.Office{Code: "KANIM-A", Name: "again", UserKey: "x"}); antre.ErrorCode(err) != antre.ECONFLICT {
		t.Fatalf("adding an office twice: %v", err)
	}
	res, err := s.Ingest(ctx, []pg.Incoming{incoming("KANIM-A", 1, antre.EvIssued, ""), incoming("KANIM-A", 2, antre.EvIssued, ""),
		incoming("KANIM-A", 4, antre.EvIssued, ""), incoming("KANIM-B", 1, antre.EvIssued, ""), incoming("KANIM-A", 1, antre.EvIssued, "")})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Inserted) != 4 || res.Duplicates != 1 || res.Progress["KANIM-A"].Contiguous != 2 || res.Progress["KANIM-A"].MaxEventID != 4 {
		t.Fatalf("first batch: %+v", res)
	}
	gaps, err := s.Gaps(ctx, "KANIM-A", 0, 6, 10)
	if err != nil || len(gaps) != 2 || gaps[0] != [2]int64{3, 3} || gaps[1] != [2]int64{5, 6} {
		t.Fatalf("gaps %v %v", gaps, err)
	}
	res, err = s.Ingest(ctx, []pg.Incoming{incoming("KANIM-A", 3, antre.EvIssued, ""), incoming("KANIM-A", 2, antre.EvIssued, "other")})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Inserted) != 1 || len(res.Conflicts) != 1 || res.Progress["KANIM-A"].Contiguous != 4 {
		t.Fatalf("second batch: %+v", res)
	}
	o, err := s.Office(ctx, "KANIM-A")
	if err != nil || o.Events != 4 || o.Conflicts != 1 || o.Contiguous != 4 {
		t.Fatalf("office %+v %v", o, err)
	}
	rows, distinct, err := s.Count(ctx)
	if err != nil || rows != 5 || distinct != 5 {
		t.Fatalf("count %d distinct %d %v", rows, distinct, err)
	}
	stale, err := s.StaleDays(ctx, 10)
	if err != nil || len(stale) != 2 {
		t.Fatalf("stale %+v %v", stale, err)
	}
}

// TestPurgeBooking: expired requests and sent codes a day old go; live ones and bookings stay.
func TestPurgeBooking(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	if err := s.AddOffice(ctx, pg.Office{Code: "KANIM-A", Name: "A", UserKey: "UA"}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	req := pg.Request{Action: pg.ActionBook, Office: "KANIM-A", Date: "2026-12-09", Period: "08-12", Group: "A", NIK: "3171011505900001",
		Name: "Siti", Phone: "6281200000001"}
	old, err := s.NewRequest(ctx, req, now.Add(-48*time.Hour), func(c string) string { return c })
	if err != nil {
		t.Fatal(err)
	}
	live, err := s.NewRequest(ctx, req, now.Add(5*time.Minute), func(c string) string { return c })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pool().Exec(ctx, `UPDATE booking_sms SET sent_at = now(), created_at = $1`, now.Add(-48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	n, err := s.PurgeBooking(ctx, now.Add(-24*time.Hour))
	if err != nil || n != 3 {
		t.Fatalf("purged %d (%v), want the old request and both sent codes", n, err)
	}
	if _, err := s.RequestSlot(ctx, old); antre.ErrorCode(err) != antre.ENOTFOUND {
		t.Fatalf("the expired request: %v", err)
	}
	if _, err := s.RequestSlot(ctx, live); err != nil {
		t.Fatalf("the live request: %v", err)
	}
}
