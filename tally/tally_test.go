package tally

import (
	"encoding/json"
	"testing"
	"time"

	"antre"
)

var wib, _ = time.LoadLocation("Asia/Jakarta")

// script builds a day's events with IDs in order, an instant a minute apart from 08:00 WIB.
type script struct {
	evs []antre.Event
	at  time.Time
}

func (s *script) add(typ antre.EventType, ticket, group string, data any) {
	b, _ := json.Marshal(data)
	if s.at.IsZero() {
		s.at = time.Date(2026, 11, 25, 8, 0, 0, 0, wib)
	}
	s.at = s.at.Add(time.Minute)
	s.evs = append(s.evs, antre.Event{ID: int64(len(s.evs) + 1), Type: typ, Ticket: ticket, Group: group, At: s.at, Data: b})
}

func TestFold(t *testing.T) {
	var s script
	q := antre.Quota{WalkIn: 4, Online: 1, Priority: 1}
	s.add(EvDay, "", "", DayData{Date: "2026-11-25", TimeZone: "Asia/Jakarta", Groups: []GroupDay{{Group: "A", Quota: q}, {Group: "B", Quota: q}}})
	s.add(antre.EvIssued, "A001", "A", map[string]any{"pool": "walkin"})
	s.add(antre.EvIssued, "A002", "A", map[string]any{"pool": "walkin"})
	s.add(antre.EvIssued, "B001", "B", map[string]any{"pool": "online"})
	s.add(antre.EvIssued, "A003", "A", map[string]any{"pool": "walkin"})
	s.add(antre.EvCalled, "A001", "A", map[string]any{"from": "waiting"})  // waited 4 min
	s.add(antre.EvFinished, "A001", "A", map[string]any{"from": "called"}) // served
	s.add(antre.EvDispensed, "A002", "A", map[string]any{"from_pool": "walkin"})
	s.add(antre.EvTransferred, "A003", "A", map[string]any{"from": "waiting", "to_group": "B"})
	s.add(antre.EvCalled, "B001", "B", map[string]any{"from": "waiting"}) // waited 6 min
	s.add(antre.EvNoShow, "B001", "B", map[string]any{"from": "called"})
	s.add(antre.EvQuota, "", "B", antre.Quota{WalkIn: 10, Online: 2, Priority: 1})
	s.add(antre.EvCalled, "A001", "A", map[string]any{"from": "done"})   // illegal: ignored
	s.add(antre.EvIssued, "A001", "A", map[string]any{"pool": "walkin"}) // a number issued twice: ignored

	f := Fold("2026-11-25", wib, s.evs)
	if f.Issued != 4 || f.Served != 1 || f.Waiting != 2 || f.NoShows != 1 || f.Called != 2 {
		t.Fatalf("figures %+v", f)
	}
	if f.LongestWaitSeconds != 360 || f.WaitSeconds != 600 || f.AverageWaitSeconds() != 300 {
		t.Fatalf("waits %+v", f)
	}
	a, b := f.Groups[0], f.Groups[1]
	if a.Used != (antre.Quota{WalkIn: 2, Priority: 1}) || a.Remaining != (antre.Quota{WalkIn: 2, Online: 1}) || a.Waiting != 1 {
		t.Fatalf("group A %+v", a)
	}
	if b.Quota != (antre.Quota{WalkIn: 10, Online: 2, Priority: 1}) || b.Waiting != 1 || b.Used.Online != 1 {
		t.Fatalf("group B %+v", b)
	}
	if f.Quota != 6+13 || f.Used != 4 || f.Remaining != 3+12 {
		t.Fatalf("totals %+v", f)
	}
	if want := s.evs[2].At; f.OldestWaitingSince == nil || !f.OldestWaitingSince.Equal(want) {
		t.Fatalf("oldest waiting %v, want %v (A002)", f.OldestWaitingSince, want)
	}

	// Order is the log's: shuffled input folds the same; a replayed event counts once.
	rev := append([]antre.Event(nil), s.evs...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	if g := Fold("2026-11-25", wib, rev); g.Issued != f.Issued || g.Waiting != f.Waiting || g.Remaining != f.Remaining {
		t.Fatalf("reversed input folds to %+v", g)
	}
	d := NewDay("2026-11-25")
	for _, e := range append(s.evs, s.evs...) {
		d.Apply(e)
	}
	if g := d.Figures(); g.Issued != f.Issued || g.Served != f.Served {
		t.Fatalf("replayed events counted again: %+v", g)
	}
}

func TestDateOf(t *testing.T) {
	late := time.Date(2026, 11, 25, 23, 30, 0, 0, wib)
	for _, c := range []struct {
		e    antre.Event
		loc  *time.Location
		want string
	}{
		{antre.Event{Type: antre.EvIssued, At: late}, wib, "2026-11-25"},
		{antre.Event{Type: antre.EvIssued, At: late}, time.FixedZone("WITA", 8*3600), "2026-11-26"},
		{antre.Event{Type: antre.EvQuota, At: late, Data: json.RawMessage(`{"walkin":1,"date":"2026-12-01"}`)}, wib, "2026-12-01"},
		{antre.Event{Type: EvDay, At: late, Data: json.RawMessage(`{"date":"2026-11-26"}`)}, wib, "2026-11-26"},
	} {
		if got := DateOf(c.e, c.loc); got != c.want {
			t.Errorf("DateOf(%s at %v in %v) = %s, want %s", c.e.Type, c.e.At, c.loc, got, c.want)
		}
	}
}
