package tally

import (
	"encoding/json"
	"sort"
	"testing"
	"time"

	"antre"
)

// log builds events with IDs in order at given office-local instants of December 2026 (WIB).
type log struct{ evs []antre.Event }

func (l *log) at(day, hh, mm int, typ antre.EventType, ticket, group string, counter int, actor string, data any) {
	b, _ := json.Marshal(data)
	l.evs = append(l.evs, antre.Event{ID: int64(len(l.evs) + 1), Type: typ, Ticket: ticket, Group: group, Counter: counter,
		Actor: actor, At: time.Date(2026, 12, day, hh, mm, 0, 0, wib), Data: b})
}

// file moves a file from one state to another on a day and time.
func (l *log) step(day, hh, mm int, number, kind string, from, to antre.FileState) {
	l.at(day, hh, mm, EvFileStep, "", "", 0, "x", map[string]any{"number": number, "kind": kind, "stage": to.Stage, "status": to.Status, "from": from})
}

func st(s antre.Stage, f antre.FileStatus) antre.FileState {
	return antre.FileState{Stage: s, Status: f}
}

// fixture is the hand-worked day of the reports' tests (Wednesday 2 December 2026, WIB; 3
// December a holiday):
//
//	A001 issued 08:00, called 08:10 (wait 600 s) at counter 1 by ani, started 08:12, finished 08:20 (service 480 s)
//	A002 issued 08:01, called 08:31 (1800 s), no-show 08:33, reactivated 08:40, called again 08:45, finished 08:50 without a start (300 s)
//	A003 issued 08:02, called 08:22 (1200 s) at counter 2 by budi, started 08:23, transferred to B 08:30 (420 s),
//	     called 08:40 at counter 3 by citra, started 08:41, finished 08:51 (600 s): one ticket served in 1020 s
//	A004 issued 08:03, cancelled 08:05
//	B001 issued 08:04 online, dispensation elderly 08:06, called out of order 11:04 (10800 s, over 2 hours) at counter 3, finished 11:10 (360 s)
//	A005 issued 08:05, called 09:05 (3600 s) at counter 1, no-show 09:07 (final)
//
// Waits 600, 1200, 1800, 3600, 10800: median (rank 3) 1800, p90 (rank ⌈4.5⌉ = 5) 10800, 4 of 5
// under two hours (80.0 %). Services of the served 300, 360, 480, 1020: median (rank 2) 360, p90
// (rank 4) 1020.
//
// Files: F1 (new) paid Tuesday 1 December, ready Monday 7 December: Wednesday 2, Friday 4 and
// Monday 7 are the 1st to 3rd working days after the payment (Thursday 3 a holiday): on time.
// F2 (new) paid 1 December, ready Tuesday 8: the 4th working day, late. F3 (lost) refused at
// adjudication on 2 December.
func fixture() []antre.Event {
	var l log
	l.at(2, 8, 0, antre.EvIssued, "A001", "A", 0, "kiosk-1", map[string]any{"pool": "walkin"})
	l.at(2, 8, 1, antre.EvIssued, "A002", "A", 0, "kiosk-1", map[string]any{"pool": "walkin"})
	l.at(2, 8, 2, antre.EvIssued, "A003", "A", 0, "kiosk-1", map[string]any{"pool": "walkin"})
	l.at(2, 8, 3, antre.EvIssued, "A004", "A", 0, "kiosk-1", map[string]any{"pool": "walkin"})
	l.at(2, 8, 4, antre.EvIssued, "B001", "B", 0, "kiosk-1", map[string]any{"pool": "online"})
	l.at(2, 8, 5, antre.EvIssued, "A005", "A", 0, "kiosk-1", map[string]any{"pool": "walkin"})
	l.at(2, 8, 5, antre.EvCancelled, "A004", "A", 0, "ani", map[string]any{"from": "waiting"})
	l.at(2, 8, 6, antre.EvDispensed, "B001", "B", 0, "ani", map[string]any{"category": "elderly", "from_pool": "online"})
	l.at(2, 8, 10, antre.EvCalled, "A001", "A", 1, "ani", map[string]any{"reason": "ratio_normal"})
	l.at(2, 8, 12, antre.EvStarted, "A001", "A", 1, "ani", nil)
	l.at(2, 8, 20, antre.EvFinished, "A001", "A", 1, "ani", nil)
	l.at(2, 8, 22, antre.EvCalled, "A003", "A", 2, "budi", map[string]any{"reason": "ratio_normal"})
	l.at(2, 8, 23, antre.EvStarted, "A003", "A", 2, "budi", nil)
	l.at(2, 8, 30, antre.EvTransferred, "A003", "A", 2, "budi", map[string]any{"to_group": "B"})
	l.at(2, 8, 31, antre.EvCalled, "A002", "A", 1, "ani", map[string]any{"reason": "ratio_normal"})
	l.at(2, 8, 33, antre.EvNoShow, "A002", "A", 1, "ani", nil)
	l.at(2, 8, 40, antre.EvReactivated, "A002", "A", 1, "ani", nil)
	l.at(2, 8, 40, antre.EvCalled, "A003", "B", 3, "citra", map[string]any{"reason": "fallback_normal"})
	l.at(2, 8, 41, antre.EvStarted, "A003", "B", 3, "citra", nil)
	l.at(2, 8, 45, antre.EvCalled, "A002", "A", 1, "ani", map[string]any{"reason": "ratio_normal"})
	l.at(2, 8, 50, antre.EvFinished, "A002", "A", 1, "ani", nil)
	l.at(2, 8, 51, antre.EvFinished, "A003", "B", 3, "citra", nil)
	l.at(2, 9, 5, antre.EvCalled, "A005", "A", 1, "ani", map[string]any{"reason": "ratio_normal"})
	l.at(2, 9, 7, antre.EvNoShow, "A005", "A", 1, "ani", nil)
	l.at(2, 11, 4, antre.EvCalled, "B001", "B", 3, "citra", map[string]any{"reason": "specific"})
	l.at(2, 11, 10, antre.EvFinished, "B001", "B", 3, "citra", nil)
	// the files
	for _, f := range []struct{ n, kind string }{{"F1", "new"}, {"F2", "new"}} {
		l.at(1, 9, 0, EvFileOpened, "", "", 0, "x", map[string]any{"number": f.n, "kind": f.kind, "stage": "intake", "status": "open"})
		l.step(1, 9, 20, f.n, f.kind, st(antre.StageIntake, antre.FileOpen), st(antre.StageBiometrics, antre.FileOpen))
		l.step(1, 9, 30, f.n, f.kind, st(antre.StageBiometrics, antre.FileOpen), st(antre.StageAdjudication, antre.FileOpen))
		l.step(1, 9, 50, f.n, f.kind, st(antre.StageAdjudication, antre.FileOpen), st(antre.StagePayment, antre.FileOpen))
		l.step(1, 10, 0, f.n, f.kind, st(antre.StagePayment, antre.FileOpen), st(antre.StagePrinting, antre.FileOpen))
	}
	l.at(2, 9, 0, EvFileOpened, "", "", 0, "x", map[string]any{"number": "F3", "kind": "lost", "stage": "intake", "status": "open"})
	l.step(2, 9, 30, "F3", "lost", st(antre.StageIntake, antre.FileOpen), st(antre.StageAdjudication, antre.FileOpen))
	l.step(2, 10, 0, "F3", "lost", st(antre.StageAdjudication, antre.FileOpen), st(antre.StageAdjudication, antre.FileRefused))
	l.step(4, 10, 0, "F1", "new", st(antre.StagePrinting, antre.FileOpen), st(antre.StageApproval, antre.FileOpen))
	l.step(7, 10, 0, "F1", "new", st(antre.StageApproval, antre.FileOpen), st(antre.StagePickup, antre.FileOpen))
	l.step(4, 11, 0, "F2", "new", st(antre.StagePrinting, antre.FileOpen), st(antre.StageApproval, antre.FileOpen))
	l.step(8, 10, 0, "F2", "new", st(antre.StageApproval, antre.FileOpen), st(antre.StagePickup, antre.FileOpen))
	// sort by ID = by time for the files' events, which the log above wrote out of time order
	// on purpose for readability: renumber by instant
	evs := l.evs
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].At.Before(evs[j].At) })
	for i := range evs {
		evs[i].ID = int64(i + 1)
	}
	return evs
}

// december is Monday to Friday with Thursday 3 December 2026 a holiday.
var december = antre.NewCalendar([]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
	[]antre.Holiday{{Date: "2026-12-03", Name: "Libur", Kind: "national"}})

func TestPeriodHandWorked(t *testing.T) {
	p := NewPeriod("2026-12-01", "2026-12-31", wib, december)
	for _, e := range fixture() {
		p.Apply(e)
	}
	r := p.Report()
	if r.Tickets != (TicketCounts{Issued: 6, Served: 4, NoShow: 1, Cancelled: 1}) {
		t.Errorf("tickets %+v, want issued 6, served 4 (the reactivated no-show and the transferred ticket once each), 1 no-show, 1 cancelled", r.Tickets)
	}
	if w := r.Waiting; w.Count != 5 || w.MedianS != 1800 || w.P90S != 10800 || w.MaxS != 10800 {
		t.Errorf("waiting %+v, want 5 called, median 1800, p90 10800, max 10800", w)
	}
	if r.WithinTarget != 4 || r.WithinTargetPct != 80 {
		t.Errorf("within target %d (%.1f %%), want 4 (80.0 %%)", r.WithinTarget, r.WithinTargetPct)
	}
	if s := r.Service; s.Count != 4 || s.MedianS != 360 || s.P90S != 1020 || s.MaxS != 1020 {
		t.Errorf("service %+v, want 4 served, median 360, p90 1020 (the transfer's two segments added), max 1020", s)
	}
	if r.OutOfOrder != 1 {
		t.Errorf("out of order %d, want 1", r.OutOfOrder)
	}
	want := map[string]int{"walkin": 5, "online": 0, "priority": 1}
	for _, pl := range r.Pools {
		if pl.Count != want[pl.Key] {
			t.Errorf("pool %s: %d tickets, want %d", pl.Key, pl.Count, want[pl.Key])
		}
	}
	for _, c := range r.Categories {
		if (c.Key == "elderly") != (c.Count == 1) || c.Count > 1 {
			t.Errorf("category %s: %d", c.Key, c.Count)
		}
	}
	if len(r.Groups) != 2 || r.Groups[0].Group != "A" || r.Groups[0].Issued != 5 || r.Groups[0].Served != 3 ||
		r.Groups[0].Waiting.MedianS != 1200 || r.Groups[0].Waiting.P90S != 3600 || r.Groups[1].Issued != 1 {
		t.Errorf("groups %+v, want A: 5 issued, 3 served, wait median 1200, p90 3600; B: 1 issued", r.Groups)
	}
	counters := map[int][2]int64{}
	for _, c := range r.Counters {
		counters[c.Counter] = [2]int64{int64(c.Served), c.Service.MaxS}
	}
	if counters[1] != [2]int64{2, 480} || counters[2] != [2]int64{1, 420} || counters[3] != [2]int64{2, 600} {
		t.Errorf("counters %v, want 1: 2 served (max 480 s), 2: 1 (420 s, the segment before the transfer), 3: 2 (max 600 s)", counters)
	}
	waits := map[int][2]int64{}
	for _, c := range r.Counters {
		waits[c.Counter] = [2]int64{int64(c.Waiting.Count), c.Waiting.MedianS}
	}
	if waits[1] != [2]int64{3, 1800} || waits[2] != [2]int64{1, 1200} || waits[3] != [2]int64{1, 10800} {
		t.Errorf("waits by the counter of the first call %v, want 1: 600, 1800, 3600 (median 1800); 2: 1200; 3: B001's 10800 (A003's second call is no wait)", waits)
	}
	officers := map[string]int{}
	for _, o := range r.Officers {
		officers[o.Officer] = o.Served
	}
	if officers["ani"] != 2 || officers["budi"] != 1 || officers["citra"] != 2 {
		t.Errorf("officers %v", officers)
	}
	if len(r.Files) != 2 || r.Files[0].Kind != "lost" || r.Files[0].Refused != 1 || r.Files[1].Kind != "new" ||
		r.Files[1].Completed != 2 || r.Files[1].OnTime != 1 || r.Files[1].Late != 1 {
		t.Errorf("files %+v, want lost: 1 refused; new: 2 completed, 1 on time (3rd working day across the holiday), 1 late", r.Files)
	}
	if r.Arrivals[8] != 6 || r.Finishes[8] != 3 || r.Finishes[11] != 1 {
		t.Errorf("arrivals %v finishes %v", r.Arrivals, r.Finishes)
	}
}

func TestPeriodWithoutHolidayIsLate(t *testing.T) {
	open := antre.NewCalendar([]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}, nil)
	p := NewPeriod("2026-12-01", "2026-12-31", wib, open)
	for _, e := range fixture() {
		p.Apply(e)
	}
	if f := p.Report().Files[1]; f.OnTime != 0 || f.Late != 2 {
		t.Errorf("without the holiday both files are late (4th and 5th working day): %+v", f)
	}
}

func TestPeriodCountsOnlyItsDates(t *testing.T) {
	p := NewPeriod("2026-12-07", "2026-12-07", wib, december)
	for _, e := range fixture() {
		p.Apply(e)
	}
	r := p.Report()
	if r.Tickets.Issued != 0 || len(r.Files) != 1 || r.Files[0].Completed != 1 || r.Files[0].OnTime != 1 || r.Files[0].Opened != 0 {
		t.Errorf("7 December: %+v %+v, want no tickets and F1 completed on time (paid before the period)", r.Tickets, r.Files)
	}
}

func TestDistributeNearestRank(t *testing.T) {
	for _, c := range []struct {
		in          []int
		median, p90 int64
	}{{[]int{4, 1, 3, 2}, 2, 4}, {[]int{5}, 5, 5}, {[]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5, 9}} {
		var ds []time.Duration
		for _, s := range c.in {
			ds = append(ds, time.Duration(s)*time.Second)
		}
		d := Distribute(ds)
		if d.MedianS != c.median || d.P90S != c.p90 {
			t.Errorf("%v: median %d p90 %d, want %d %d", c.in, d.MedianS, d.P90S, c.median, c.p90)
		}
	}
}

// TestPeriodAgreesWithDay: headquarters' day figures (Fold) and the reports' (Period) count the
// hand-worked day alike: issued, served, no-shows, cancelled, called and the longest wait.
func TestPeriodAgreesWithDay(t *testing.T) {
	evs := fixture()
	day := Fold("2026-12-02", wib, evs)
	p := NewPeriod("2026-12-02", "2026-12-02", wib, december)
	for _, e := range evs {
		p.Apply(e)
	}
	r := p.Report()
	if day.Issued != r.Tickets.Issued || day.Served != r.Tickets.Served || day.NoShows != r.Tickets.NoShow ||
		day.Cancelled != r.Tickets.Cancelled || day.Called != r.Waiting.Count || day.LongestWaitSeconds != r.Waiting.MaxS {
		t.Errorf("headquarters' day %+v and the report %+v disagree", day, r.Tickets)
	}
}

// TestPeriodCountsBookings: a booking checked in and one not checked in by closing count for the
// date they were booked for (the no-show is written after midnight), each once however often its
// event arrives; a booking of another date does not count.
func TestPeriodCountsBookings(t *testing.T) {
	var l log
	l.at(2, 9, 15, EvBookingCheckedIn, "", "", 0, "kiosk", map[string]any{"booking": "BK000001", "date": "2026-12-02", "ticket": "A002"})
	l.at(2, 9, 16, EvBookingCheckedIn, "", "", 0, "kiosk", map[string]any{"booking": "BK000001", "date": "2026-12-02", "ticket": "A002"})
	l.at(3, 0, 5, EvBookingNoShow, "", "", 0, "checkin", map[string]any{"booking": "BK000002", "date": "2026-12-02"})
	l.at(3, 0, 5, EvBookingNoShow, "", "", 0, "checkin", map[string]any{"booking": "BK000003", "date": "2026-12-01"})
	p := NewPeriod("2026-12-02", "2026-12-02", wib, december)
	for _, e := range l.evs {
		p.Apply(e)
	}
	if b := p.Report().Bookings; b != (BookingCounts{CheckedIn: 1, NoShow: 1}) {
		t.Errorf("bookings of 2 December: %+v, want 1 checked in and 1 no-show", b)
	}
}
