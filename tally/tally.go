// Package tally computes an office's queue figures for one business date from its events, with
// rules written once: the office (its link page) and headquarters (its dashboard and reports)
// fold the same events through the same code, so their figures agree to the unit. It does no
// I/O and depends on the domain alone.
//
// The rules:
//   - an event counts for the business date DateOf gives it (the office-local date of its
//     instant, or the date a quota or day event names);
//   - events are folded in ID order, never in time order: an office whose clock is wrong still
//     has one order, its log's;
//   - issued counts ticket.issued; served counts ticket.finished; waiting counts the tickets
//     whose state, by the ticket state machine, is waiting now, in the queue group they wait in;
//   - used quota counts issued tickets per group (the group they were issued in) and pool, a
//     dispensation moving one from its pool to the priority pool; cancelled numbers stay used;
//   - a group's quota for the date is the latest, by ID, of the day event (EvDay) for the date
//     and the quota changes for the date;
//   - a ticket's wait is from its issue to its first call.
//
// Period (period.go) folds a range of dates with the same rules and those the office's reports
// and the head's dashboard add: waiting and service distributions per group, counter and
// officer, calls by rule, dispensations, passport files against the office calendar, the
// satisfaction index and complaints.
package tally

import (
	"encoding/json"
	"sort"
	"time"

	"antre"
)

// EvDay is the event an office linked to headquarters writes when a business date opens (and
// when the hub starts): the office's time zone and each group's quota for that date as the
// office sees it then. It makes a day's figures computable from its events alone.
const EvDay antre.EventType = "office.day"

// DayData is EvDay's data.
type DayData struct {
	// Date is the business date that opens, YYYY-MM-DD.
	Date string `json:"date"`
	// TimeZone is the office's IANA time zone, which sets its business dates.
	TimeZone string `json:"time_zone"`
	// Name is the office's name.
	Name   string     `json:"name"`
	Groups []GroupDay `json:"groups"`
}

// GroupDay is one group's names and quota for the date, as DayData carries them.
type GroupDay struct {
	Group  string      `json:"group"`
	NameID string      `json:"name_id"`
	NameEN string      `json:"name_en"`
	Quota  antre.Quota `json:"quota"`
}

// DateOf is the business date event e counts for in an office of time zone loc: the date named
// by a day event or by a quota change for a coming day, else the office-local date of its
// instant (the office's own clock, right or wrong).
func DateOf(e antre.Event, loc *time.Location) string {
	if e.Type == EvDay || e.Type == antre.EvQuota {
		var d struct {
			Date string `json:"date"`
		}
		if json.Unmarshal(e.Data, &d) == nil && d.Date != "" {
			return d.Date
		}
	}
	if loc == nil {
		loc = time.UTC
	}
	return e.At.In(loc).Format(time.DateOnly)
}

// ticketEvents maps the ticket events to the state machine's actions; ticket.issued starts a
// ticket waiting and the print and dispensation events change no state.
var ticketEvents = map[antre.EventType]antre.Action{
	antre.EvCalled:      antre.ActCall,
	antre.EvRecalled:    antre.ActRecall,
	antre.EvStarted:     antre.ActStart,
	antre.EvFinished:    antre.ActFinish,
	antre.EvNoShow:      antre.ActNoShow,
	antre.EvReactivated: antre.ActReactivate,
	antre.EvTransferred: antre.ActTransfer,
	antre.EvCancelled:   antre.ActCancel,
}

// ticket is what the figures need to know of one ticket.
type ticket struct {
	group, queue string
	pool         antre.Pool
	status       antre.Status
	issued       time.Time
	called       bool
}

// group is one group's running figures.
type group struct {
	nameID, nameEN string
	quota, used    antre.Quota
	quotaKnown     bool
	issued, served int
	waiting        int
}

// Day folds one office's events of one business date into its figures. The zero value is not
// usable; create one with NewDay. Apply events in ID order.
type Day struct {
	date    string
	last    int64
	tickets map[string]*ticket
	groups  map[string]*group
	order   []string
	issued  int
	served  int
	called  int
	waitSum time.Duration
	waitMax time.Duration
}

// NewDay starts the figures of business date date, with nothing issued yet.
func NewDay(date string) *Day {
	return &Day{date: date, tickets: map[string]*ticket{}, groups: map[string]*group{}}
}

// Date is the business date the figures are for.
func (d *Day) Date() string { return d.date }

// LastEventID is the ID of the last event applied.
func (d *Day) LastEventID() int64 { return d.last }

func (d *Day) group(code string) *group {
	g, ok := d.groups[code]
	if !ok {
		g = &group{}
		d.groups[code] = g
		d.order = append(d.order, code)
	}
	return g
}

// Apply folds e, an event of the Day's date, into the figures. Events must come in ID order;
// one at or below the last applied ID is ignored, so a replayed event never counts twice.
// Events of types the figures do not use are ignored.
func (d *Day) Apply(e antre.Event) {
	if e.ID != 0 && e.ID <= d.last {
		return
	}
	if e.ID != 0 {
		d.last = e.ID
	}
	switch e.Type {
	case EvDay:
		var data DayData
		if json.Unmarshal(e.Data, &data) != nil {
			return
		}
		for _, gd := range data.Groups {
			g := d.group(gd.Group)
			g.nameID, g.nameEN, g.quota, g.quotaKnown = gd.NameID, gd.NameEN, gd.Quota, true
		}
	case antre.EvQuota:
		var q antre.Quota
		if e.Group == "" || json.Unmarshal(e.Data, &q) != nil {
			return
		}
		g := d.group(e.Group)
		g.quota, g.quotaKnown = q, true
	case antre.EvIssued:
		var data struct {
			Pool antre.Pool `json:"pool"`
		}
		json.Unmarshal(e.Data, &data)
		if data.Pool == "" {
			data.Pool = antre.PoolWalkIn
		}
		if _, dup := d.tickets[e.Ticket]; dup {
			return // a number is issued once a day; a second issue of it is not a ticket
		}
		t := &ticket{group: e.Group, queue: e.Group, pool: data.Pool, status: antre.StatusWaiting, issued: e.At}
		d.tickets[e.Ticket] = t
		g := d.group(e.Group)
		g.used = add(g.used, t.pool, 1)
		g.issued++
		g.waiting++
		d.issued++
	case antre.EvDispensed:
		t, ok := d.tickets[e.Ticket]
		if !ok || t.pool == antre.PoolPriority {
			return
		}
		g := d.group(t.group)
		g.used = add(add(g.used, t.pool, -1), antre.PoolPriority, 1)
		t.pool = antre.PoolPriority
	default:
		act, ok := ticketEvents[e.Type]
		if !ok {
			return
		}
		t, ok := d.tickets[e.Ticket]
		if !ok {
			return // a ticket of another day, or of history before the figures began
		}
		to, err := t.status.Next(act)
		if err != nil {
			return // the log has no illegal transitions; a figure never goes negative on one
		}
		if t.status == antre.StatusWaiting {
			d.group(t.queue).waiting--
		}
		if act == antre.ActTransfer {
			var data struct {
				To string `json:"to_group"`
			}
			if json.Unmarshal(e.Data, &data) == nil && data.To != "" {
				t.queue = data.To
			}
		}
		if to == antre.StatusWaiting {
			d.group(t.queue).waiting++
		}
		switch act {
		case antre.ActCall:
			if !t.called {
				t.called = true
				w := e.At.Sub(t.issued)
				if w < 0 {
					w = 0
				}
				d.called++
				d.waitSum += w
				d.waitMax = max(d.waitMax, w)
			}
		case antre.ActFinish:
			d.served++
			d.group(t.group).served++
		}
		t.status = to
	}
}

func add(q antre.Quota, p antre.Pool, n int) antre.Quota {
	switch p {
	case antre.PoolWalkIn:
		q.WalkIn += n
	case antre.PoolOnline:
		q.Online += n
	case antre.PoolPriority:
		q.Priority += n
	}
	return q
}

func remaining(quota, used antre.Quota) antre.Quota {
	return antre.Quota{WalkIn: max(quota.WalkIn-used.WalkIn, 0), Online: max(quota.Online-used.Online, 0), Priority: max(quota.Priority-used.Priority, 0)}
}

// Total is a quota's three pools added up.
func Total(q antre.Quota) int { return q.WalkIn + q.Online + q.Priority }

// Figures are an office's queue figures for one business date, as of LastEventID.
type Figures struct {
	Date        string `json:"date"`
	LastEventID int64  `json:"last_event_id"`
	// Issued counts the tickets issued; Served those finished at a counter; Waiting those
	// waiting now; Cancelled those cancelled and NoShows those marked no-show and not
	// reactivated since.
	Issued    int `json:"issued"`
	Served    int `json:"served"`
	Waiting   int `json:"waiting"`
	Cancelled int `json:"cancelled"`
	NoShows   int `json:"no_shows"`
	// Quota, Used and Remaining add up every group's pools; a group whose quota is not known
	// (no day event and no quota change for the date) adds nothing to Quota and Remaining.
	Quota     int `json:"quota"`
	Used      int `json:"used"`
	Remaining int `json:"remaining"`
	// Called counts the tickets called at least once; WaitSeconds adds up their waits (issue to
	// first call) and LongestWaitSeconds is the longest.
	Called             int   `json:"called"`
	WaitSeconds        int64 `json:"wait_seconds"`
	LongestWaitSeconds int64 `json:"longest_wait_seconds"`
	// OldestWaitingSince is the issue time of the ticket that has waited longest among those
	// waiting now, by the office's clock; nil when nobody waits.
	OldestWaitingSince *time.Time     `json:"oldest_waiting_since"`
	Groups             []GroupFigures `json:"groups"`
}

// GroupFigures are one group's figures: its quota state as antre.GroupQuota has it (the
// office's own quota answer, field for field), and what it issued and served.
type GroupFigures struct {
	antre.GroupQuota
	QuotaKnown bool `json:"quota_known"`
	Issued     int  `json:"issued"`
	Served     int  `json:"served"`
}

// AverageWaitSeconds is the mean wait from issue to first call, 0 when nobody was called.
func (f Figures) AverageWaitSeconds() int64 {
	if f.Called == 0 {
		return 0
	}
	return f.WaitSeconds / int64(f.Called)
}

// Figures returns the figures as of the last event applied. Groups come in the order the events
// first named them, groups named by a day event first in its order.
func (d *Day) Figures() Figures {
	f := Figures{Date: d.date, LastEventID: d.last, Issued: d.issued, Served: d.served,
		Called: d.called, WaitSeconds: int64(d.waitSum / time.Second), LongestWaitSeconds: int64(d.waitMax / time.Second), Groups: []GroupFigures{}}
	for _, code := range d.order {
		g := d.groups[code]
		gf := GroupFigures{GroupQuota: antre.GroupQuota{Group: code, NameID: g.nameID, NameEN: g.nameEN, Quota: g.quota, Used: g.used,
			Remaining: remaining(g.quota, g.used), Waiting: g.waiting}, QuotaKnown: g.quotaKnown, Issued: g.issued, Served: g.served}
		f.Groups = append(f.Groups, gf)
		f.Waiting += g.waiting
		f.Used += Total(g.used)
		if g.quotaKnown {
			f.Quota += Total(g.quota)
			f.Remaining += Total(gf.Remaining)
		}
	}
	var oldest time.Time
	for _, t := range d.tickets {
		switch t.status {
		case antre.StatusWaiting:
			if oldest.IsZero() || t.issued.Before(oldest) {
				oldest = t.issued
			}
		case antre.StatusCancelled:
			f.Cancelled++
		case antre.StatusNoShow:
			f.NoShows++
		}
	}
	if !oldest.IsZero() {
		f.OldestWaitingSince = &oldest
	}
	return f
}

// Fold returns the figures of date from events, which may hold events of other dates (they are
// skipped); events are sorted by ID first, so the order they come in does not matter.
func Fold(date string, loc *time.Location, events []antre.Event) Figures {
	evs := append([]antre.Event(nil), events...)
	sort.Slice(evs, func(i, j int) bool { return evs[i].ID < evs[j].ID })
	d := NewDay(date)
	for _, e := range evs {
		if DateOf(e, loc) == date {
			d.Apply(e)
		}
	}
	return d.Figures()
}

// Sum adds up the figures of several days or offices for a report: counts and waits are added,
// the longest wait is the longest; Date, LastEventID, OldestWaitingSince and Groups are left
// empty.
func Sum(fs ...Figures) Figures {
	var s Figures
	s.Groups = []GroupFigures{}
	for _, f := range fs {
		s.Issued += f.Issued
		s.Served += f.Served
		s.Waiting += f.Waiting
		s.Cancelled += f.Cancelled
		s.NoShows += f.NoShows
		s.Quota += f.Quota
		s.Used += f.Used
		s.Remaining += f.Remaining
		s.Called += f.Called
		s.WaitSeconds += f.WaitSeconds
		s.LongestWaitSeconds = max(s.LongestWaitSeconds, f.LongestWaitSeconds)
	}
	return s
}
