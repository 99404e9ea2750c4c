package tally

import (
	"encoding/json"
	"maps"
	"slices"
	"sort"
	"time"

	"antre"
)

// The event types of the modules the period's figures fold. They are the modules' own names
// (workflow, voice and the link's booking events define them); tally repeats the strings so
// that it depends on the domain alone.
const (
	EvFileOpened        antre.EventType = "workflow.opened"
	EvFileStep          antre.EventType = "workflow.step"
	EvSurveyAnswered    antre.EventType = "survey.answered"
	EvComplaintReceived antre.EventType = "complaint.received"
	EvComplaintClosed   antre.EventType = "complaint.closed"
	EvBookingCheckedIn  antre.EventType = "booking.checked_in"
	EvBookingNoShow     antre.EventType = "booking.no_show"
)

// WaitTarget is the seeds' target for waiting (seed 002): under two hours from taking a number
// to being called.
const WaitTarget = 2 * time.Hour

// PromisedDays is the seeds' completion promise: a passport ready within three working days of
// its payment (seed 002), counted on the office calendar.
const PromisedDays = 3

// Period folds an office's events into the figures of a range of business dates, with the
// rules written once for the reports, the head's dashboard and headquarters:
//
//   - a ticket counts for the business date of its issue, once: its key is the date and code,
//     so a reactivated no-show or a transferred ticket stays one ticket, counted in the group
//     and pool it was issued in (a dispensation moves it to the priority pool);
//   - waiting is from the issue to the first call (a recall, a reactivation or a transfer does
//     not start it again); service is from the start to the finish, or from the call when the
//     officer finished without starting; a transferred ticket's service is the sum of its
//     segments, each counted for the counter and officer (the finishing or transferring
//     event's actor) that gave it;
//   - a ticket is a no-show or cancelled only when that is its state at the end of the events
//     folded (a reactivated no-show that was then served is served);
//   - the share within the target is of the tickets called: waited under WaitTarget;
//   - calls are counted by the rule that chose them, "specific" being a call out of order;
//   - dispensations count tickets by their final category (declared at the kiosk or granted);
//   - a file counts as opened on its opening date; as completed when its passport is ready for
//     pickup within the period, on time when that date is at most PromisedDays working days
//     (the office calendar, holidays included) after its payment date, late otherwise; refused
//     and returned on the date it closed; the time a stage took when the file left it;
//   - satisfaction responses count on their date; the index is computed by antre.Tally from
//     the answers the event carries (an event without answers is counted but not scored);
//   - complaints count on the date received, by category; time to close from receipt to the
//     close or rejection, counted on the closing date.
//
// Events of dates outside the period are still folded into the state of tickets, files and
// complaints (a file paid before the period and ready in it needs its payment), but count
// nothing. Apply events in ID order; one at or below the last ID applied is ignored.
type Period struct {
	from, to string
	loc      *time.Location
	cal      antre.Calendar
	last     int64

	tickets map[string]*pticket
	order   []string
	calls   map[string]int
	files   map[string]*pfile
	kinds   map[string]*KindFigures
	stages  map[antre.Stage][]time.Duration
	surveys map[antre.Regulation]*antre.Tally
	unrated int
	compl   map[string]*complaintState
	cats    map[string]*ComplaintFigures
	closeD  map[string][]time.Duration
	// arrivals and finishes by the hour of the day, office-local.
	arrivals, finishes [24]int
	bookings           BookingCounts
	seenBookings       map[string]bool
}

type segment struct {
	counter int
	officer string
	d       time.Duration
}

type pticket struct {
	date, code, group, queue string
	pool                     antre.Pool
	category                 antre.Category
	status                   antre.Status
	issued                   time.Time
	wait                     time.Duration
	called                   bool
	firstCounter             int    // the counter of the first call, whose wait it was
	firstOfficer             string // the officer who first called it
	counter                  int
	officer                  string
	segStart                 time.Time
	segs                     []segment
	current                  bool // called or serving at a counter now
}

type pfile struct {
	kind    string
	stage   antre.Stage
	entered time.Time
	paid    string
	ready   bool
}

type complaintState struct {
	category string
	received time.Time
	closed   bool
}

// NewPeriod starts the figures of the business dates from to to (YYYY-MM-DD, both included)
// of an office in time zone loc whose working days are cal.
func NewPeriod(from, to string, loc *time.Location, cal antre.Calendar) *Period {
	if loc == nil {
		loc = time.UTC
	}
	return &Period{from: from, to: to, loc: loc, cal: cal, tickets: map[string]*pticket{}, calls: map[string]int{},
		files: map[string]*pfile{}, kinds: map[string]*KindFigures{}, stages: map[antre.Stage][]time.Duration{},
		surveys: map[antre.Regulation]*antre.Tally{}, compl: map[string]*complaintState{}, cats: map[string]*ComplaintFigures{},
		closeD: map[string][]time.Duration{}, seenBookings: map[string]bool{}}
}

// LastEventID is the ID of the last event applied.
func (p *Period) LastEventID() int64 { return p.last }

func (p *Period) in(date string) bool { return date >= p.from && date <= p.to }

// Apply folds e into the figures; see Period for the rules.
func (p *Period) Apply(e antre.Event) {
	if e.ID != 0 && e.ID <= p.last {
		return
	}
	if e.ID != 0 {
		p.last = e.ID
	}
	date := e.At.In(p.loc).Format(time.DateOnly)
	switch e.Type {
	case antre.EvIssued:
		if !p.in(date) {
			return
		}
		key := date + "/" + e.Ticket
		if _, dup := p.tickets[key]; dup {
			return
		}
		var d struct {
			Pool     antre.Pool     `json:"pool"`
			Category antre.Category `json:"category"`
		}
		json.Unmarshal(e.Data, &d)
		if d.Pool == "" {
			d.Pool = antre.PoolWalkIn
		}
		p.tickets[key] = &pticket{date: date, code: e.Ticket, group: e.Group, queue: e.Group, pool: d.Pool,
			category: d.Category, status: antre.StatusWaiting, issued: e.At}
		p.order = append(p.order, key)
		p.arrivals[e.At.In(p.loc).Hour()]++
	case antre.EvDispensed:
		t, ok := p.tickets[date+"/"+e.Ticket]
		if !ok {
			return
		}
		var d struct {
			Category antre.Category `json:"category"`
		}
		json.Unmarshal(e.Data, &d)
		t.pool, t.category = antre.PoolPriority, d.Category
	case EvFileOpened, EvFileStep:
		p.file(e, date)
	case EvSurveyAnswered:
		p.survey(e, date)
	case EvComplaintReceived, EvComplaintClosed, antre.EvComplaintRejected:
		p.complaint(e, date)
	case EvBookingCheckedIn, EvBookingNoShow:
		p.booking(e)
	default:
		act, ok := ticketEvents[e.Type]
		if !ok {
			return
		}
		t, ok := p.tickets[date+"/"+e.Ticket]
		if !ok {
			return
		}
		to, err := t.status.Next(act)
		if err != nil {
			return
		}
		p.ticketStep(t, act, e, date)
		t.status = to
	}
}

// booking counts an online booking's end at the office for the date it was booked for (a
// no-show is written after closing, maybe on the next day), once per booking.
func (p *Period) booking(e antre.Event) {
	var d struct {
		Booking string `json:"booking"`
		Date    string `json:"date"`
	}
	if json.Unmarshal(e.Data, &d) != nil || d.Booking == "" || !p.in(d.Date) || p.seenBookings[d.Booking] {
		return
	}
	p.seenBookings[d.Booking] = true
	if e.Type == EvBookingCheckedIn {
		p.bookings.CheckedIn++
	} else {
		p.bookings.NoShow++
	}
}

func (p *Period) ticketStep(t *pticket, act antre.Action, e antre.Event, date string) {
	endSegment := func() {
		if t.segStart.IsZero() {
			return
		}
		t.segs = append(t.segs, segment{counter: t.counter, officer: e.Actor, d: max(e.At.Sub(t.segStart), 0)})
		t.segStart = time.Time{}
	}
	switch act {
	case antre.ActCall:
		var d struct {
			Reason string `json:"reason"`
		}
		json.Unmarshal(e.Data, &d)
		if d.Reason == "" {
			d.Reason = "unknown"
		}
		p.calls[d.Reason]++
		if !t.called {
			t.called, t.wait = true, max(e.At.Sub(t.issued), 0)
			t.firstCounter, t.firstOfficer = e.Counter, e.Actor
		}
		t.counter, t.officer, t.segStart, t.current = e.Counter, e.Actor, e.At, true
	case antre.ActStart:
		t.segStart = e.At
	case antre.ActFinish:
		if e.Counter != 0 {
			t.counter = e.Counter
		}
		endSegment()
		t.current = false
		p.finishes[e.At.In(p.loc).Hour()]++
	case antre.ActTransfer:
		var d struct {
			To string `json:"to_group"`
		}
		if json.Unmarshal(e.Data, &d) == nil && d.To != "" {
			t.queue = d.To
		}
		endSegment()
		t.current = false
	case antre.ActNoShow, antre.ActCancel, antre.ActReactivate:
		t.segStart, t.current = time.Time{}, false
	}
}

func (p *Period) kind(k string) *KindFigures {
	f, ok := p.kinds[k]
	if !ok {
		f = &KindFigures{Kind: k}
		p.kinds[k] = f
	}
	return f
}

func (p *Period) file(e antre.Event, date string) {
	var d struct {
		Number string           `json:"number"`
		Kind   string           `json:"kind"`
		Stage  antre.Stage      `json:"stage"`
		Status antre.FileStatus `json:"status"`
		From   *antre.FileState `json:"from"`
	}
	if json.Unmarshal(e.Data, &d) != nil || d.Number == "" {
		return
	}
	f, ok := p.files[d.Number]
	if e.Type == EvFileOpened {
		if ok {
			return
		}
		f = &pfile{kind: d.Kind, stage: d.Stage, entered: e.At}
		if f.stage == "" {
			f.stage = antre.StageIntake
		}
		p.files[d.Number] = f
		if p.in(date) {
			p.kind(d.Kind).Opened++
		}
		return
	}
	if !ok {
		return // opened before the events folded
	}
	if d.Stage != f.stage {
		if p.in(date) {
			p.stages[f.stage] = append(p.stages[f.stage], max(e.At.Sub(f.entered), 0))
		}
		if f.stage == antre.StagePayment {
			f.paid = date
		}
		f.stage, f.entered = d.Stage, e.At
		if d.Stage == antre.StagePickup && d.Status == antre.FileOpen && !f.ready {
			f.ready = true
			if p.in(date) {
				k := p.kind(f.kind)
				k.Completed++
				if f.paid != "" && p.cal.WorkingDaysBetween(f.paid, date) <= PromisedDays {
					k.OnTime++
				} else {
					k.Late++
				}
			}
		}
	}
	if p.in(date) && (d.From == nil || d.From.Status != d.Status) {
		switch d.Status {
		case antre.FileRefused:
			p.kind(f.kind).Refused++
		case antre.FileReturned:
			p.kind(f.kind).Returned++
		case antre.FilePickedUp:
			p.kind(f.kind).PickedUp++
		}
	}
}

func (p *Period) survey(e antre.Event, date string) {
	var d struct {
		Date       string           `json:"business_date"`
		Regulation antre.Regulation `json:"regulation"`
		Answers    []int            `json:"answers"`
	}
	if json.Unmarshal(e.Data, &d) != nil {
		return
	}
	if d.Date != "" {
		date = d.Date
	}
	if !p.in(date) {
		return
	}
	if !d.Regulation.Valid() || len(d.Answers) == 0 {
		p.unrated++
		return
	}
	t, ok := p.surveys[d.Regulation]
	if !ok {
		t = antre.NewTally(d.Regulation)
		p.surveys[d.Regulation] = t
	}
	if t.Add(d.Answers) != nil {
		p.unrated++
	}
}

func (p *Period) category(c string) *ComplaintFigures {
	f, ok := p.cats[c]
	if !ok {
		f = &ComplaintFigures{Category: c}
		p.cats[c] = f
	}
	return f
}

func (p *Period) complaint(e antre.Event, date string) {
	var d struct {
		Number   string `json:"number"`
		Category string `json:"category"`
	}
	if json.Unmarshal(e.Data, &d) != nil || d.Number == "" {
		return
	}
	c, ok := p.compl[d.Number]
	if e.Type == EvComplaintReceived {
		if ok {
			return
		}
		p.compl[d.Number] = &complaintState{category: d.Category, received: e.At}
		if p.in(date) {
			p.category(d.Category).Received++
		}
		return
	}
	if !ok || c.closed {
		return
	}
	c.closed = true
	if d.Category != "" {
		c.category = d.Category
	}
	if !p.in(date) {
		return
	}
	f := p.category(c.category)
	if e.Type == antre.EvComplaintRejected {
		f.Rejected++
	} else {
		f.Closed++
	}
	p.closeD[c.category] = append(p.closeD[c.category], max(e.At.Sub(c.received), 0))
}

// Distribution is a set of durations summed up: how many, their median, 90th percentile and
// maximum, in whole seconds. The percentiles are nearest-rank: the value at rank ⌈q·n⌉ of the
// n sorted values (the median of 1, 2, 3, 4 is 2; their p90 is 4).
type Distribution struct {
	Count    int   `json:"count"`
	MedianS  int64 `json:"median_s"`
	P90S     int64 `json:"p90_s"`
	MaxS     int64 `json:"max_s"`
	AverageS int64 `json:"average_s"`
}

// Distribute sums up ds (which it sorts in place) by Distribution's rule.
func Distribute(ds []time.Duration) Distribution {
	if len(ds) == 0 {
		return Distribution{}
	}
	slices.Sort(ds)
	rank := func(q int) time.Duration { // q in percent
		i := (q*len(ds) + 99) / 100
		return ds[max(i, 1)-1]
	}
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return Distribution{Count: len(ds), MedianS: int64(rank(50) / time.Second), P90S: int64(rank(90) / time.Second),
		MaxS: int64(ds[len(ds)-1] / time.Second), AverageS: int64(sum / time.Duration(len(ds)) / time.Second)}
}

// TicketCounts are a period's tickets: issued, served (finished at a counter), no-shows and
// cancellations (by their state at the end), and those still waiting or at a counter.
type TicketCounts struct {
	Issued    int `json:"issued"`
	Served    int `json:"served"`
	NoShow    int `json:"no_show"`
	Cancelled int `json:"cancelled"`
	Open      int `json:"open"`
}

// GroupRow is one queue group's tickets and times (the group a ticket was issued in).
type GroupRow struct {
	Group string `json:"group"`
	TicketCounts
	Waiting Distribution `json:"waiting"`
	Service Distribution `json:"service"`
	// WithinTarget counts the called tickets that waited under WaitTarget.
	WithinTarget int `json:"within_target"`
}

// CounterRow is one counter's (or officer's) day: the waits of the tickets it called first
// (issue to that call), and the service segments it gave and their times.
type CounterRow struct {
	Counter int          `json:"counter,omitempty"`
	Officer string       `json:"officer,omitempty"`
	Waiting Distribution `json:"waiting"`
	Served  int          `json:"served"`
	Service Distribution `json:"service"`
	// Busy says a ticket is at the counter now (called or being served), Ticket which.
	Busy   bool   `json:"busy,omitempty"`
	Ticket string `json:"ticket,omitempty"`
}

// CountRow is a count under a key: a pool, a category, a call's rule, an hour.
type CountRow struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// DayRow is one business date's tickets and waiting.
type DayRow struct {
	Date string `json:"date"`
	TicketCounts
	WaitMedianS int64 `json:"wait_median_s"`
}

// KindFigures are one application kind's files in the period.
type KindFigures struct {
	Kind      string `json:"kind"`
	Opened    int    `json:"opened"`
	Completed int    `json:"completed"`
	OnTime    int    `json:"on_time"`
	Late      int    `json:"late"`
	Refused   int    `json:"refused"`
	Returned  int    `json:"returned"`
	PickedUp  int    `json:"picked_up"`
}

// StageRow is the time files spent at one stage, counted when they left it.
type StageRow struct {
	Stage antre.Stage  `json:"stage"`
	Time  Distribution `json:"time"`
}

// ComplaintFigures are one category's complaints.
type ComplaintFigures struct {
	Category string       `json:"category"`
	Received int          `json:"received"`
	Closed   int          `json:"closed"`
	Rejected int          `json:"rejected"`
	ToClose  Distribution `json:"to_close"`
}

// Report is a period's figures, every table of the reports.
type Report struct {
	From    string       `json:"from"`
	To      string       `json:"to"`
	Tickets TicketCounts `json:"tickets"`
	Waiting Distribution `json:"waiting"`
	Service Distribution `json:"service"`
	// WithinTarget counts the called tickets that waited under WaitTarget; WithinTargetPct is
	// their share of the called, in percent with one decimal.
	WithinTarget    int          `json:"within_target"`
	WithinTargetPct float64      `json:"within_target_pct"`
	OutOfOrder      int          `json:"out_of_order"`
	Days            []DayRow     `json:"days"`
	Groups          []GroupRow   `json:"groups"`
	Pools           []CountRow   `json:"pools"`
	Categories      []CountRow   `json:"categories"`
	Calls           []CountRow   `json:"calls"`
	Counters        []CounterRow `json:"counters"`
	Officers        []CounterRow `json:"officers"`
	// Arrivals and Finishes count tickets issued and finished by the hour of the day (0–23).
	Arrivals     [24]int            `json:"arrivals"`
	Finishes     [24]int            `json:"finishes"`
	Files        []KindFigures      `json:"files"`
	Stages       []StageRow         `json:"stages"`
	Satisfaction []antre.IKM        `json:"satisfaction"`
	Unrated      int                `json:"unrated_responses"`
	Complaints   []ComplaintFigures `json:"complaints"`
	Bookings     BookingCounts      `json:"bookings"`
}

// BookingCounts are the online bookings of the period's dates as the office ended them: checked
// in at the kiosk, or not by closing (a no-show); each booking counts once.
type BookingCounts struct {
	CheckedIn int `json:"checked_in"`
	NoShow    int `json:"no_show"`
}

// Report returns the figures of the events applied so far.
func (p *Period) Report() Report {
	r := Report{From: p.from, To: p.to, Arrivals: p.arrivals, Finishes: p.finishes, Bookings: p.bookings}
	type acc struct {
		counts        TicketCounts
		wait, service []time.Duration
		within        int
	}
	var all acc
	groups, days := map[string]*acc{}, map[string]*acc{}
	var gorder, dorder []string
	pools, cats := map[string]int{}, map[string]int{}
	counters, officers := map[int]*CounterRow{}, map[string]*CounterRow{}
	cserv, oserv := map[int][]time.Duration{}, map[string][]time.Duration{}
	cwait, owait := map[int][]time.Duration{}, map[string][]time.Duration{}
	counter := func(n int) *CounterRow {
		c, ok := counters[n]
		if !ok {
			c = &CounterRow{Counter: n}
			counters[n] = c
		}
		return c
	}
	officer := func(n string) *CounterRow {
		o, ok := officers[n]
		if !ok {
			o = &CounterRow{Officer: n}
			officers[n] = o
		}
		return o
	}
	get := func(m map[string]*acc, order *[]string, k string) *acc {
		a, ok := m[k]
		if !ok {
			a = &acc{}
			m[k] = a
			*order = append(*order, k)
		}
		return a
	}
	for _, key := range p.order {
		t := p.tickets[key]
		g, d := get(groups, &gorder, t.group), get(days, &dorder, t.date)
		for _, a := range []*acc{&all, g, d} {
			a.counts.Issued++
			switch t.status {
			case antre.StatusDone:
				a.counts.Served++
			case antre.StatusNoShow:
				a.counts.NoShow++
			case antre.StatusCancelled:
				a.counts.Cancelled++
			default:
				a.counts.Open++
			}
			if t.called {
				a.wait = append(a.wait, t.wait)
				if t.wait < WaitTarget {
					a.within++
				}
			}
		}
		pools[string(t.pool)]++
		if t.category != antre.CatNone {
			cats[string(t.category)]++
		}
		if t.called {
			counter(t.firstCounter)
			officer(t.firstOfficer)
			cwait[t.firstCounter] = append(cwait[t.firstCounter], t.wait)
			owait[t.firstOfficer] = append(owait[t.firstOfficer], t.wait)
		}
		var total time.Duration
		for _, s := range t.segs {
			total += s.d
			counter(s.counter).Served++
			cserv[s.counter] = append(cserv[s.counter], s.d)
			officer(s.officer).Served++
			oserv[s.officer] = append(oserv[s.officer], s.d)
		}
		if t.status == antre.StatusDone && len(t.segs) > 0 {
			all.service, g.service = append(all.service, total), append(g.service, total)
		}
		if t.current && t.counter != 0 {
			c := counter(t.counter)
			c.Busy, c.Ticket = true, t.code
		}
	}
	r.Tickets = all.counts
	r.Waiting, r.Service, r.WithinTarget = Distribute(all.wait), Distribute(all.service), all.within
	if r.Waiting.Count > 0 {
		r.WithinTargetPct = float64((all.within*1000+r.Waiting.Count/2)/r.Waiting.Count) / 10
	}
	sort.Strings(gorder)
	for _, k := range gorder {
		a := groups[k]
		r.Groups = append(r.Groups, GroupRow{Group: k, TicketCounts: a.counts, Waiting: Distribute(a.wait), Service: Distribute(a.service), WithinTarget: a.within})
	}
	sort.Strings(dorder)
	for _, k := range dorder {
		a := days[k]
		r.Days = append(r.Days, DayRow{Date: k, TicketCounts: a.counts, WaitMedianS: Distribute(a.wait).MedianS})
	}
	for _, pl := range []antre.Pool{antre.PoolWalkIn, antre.PoolOnline, antre.PoolPriority} {
		r.Pools = append(r.Pools, CountRow{Key: string(pl), Count: pools[string(pl)]})
	}
	for _, c := range antre.Categories {
		r.Categories = append(r.Categories, CountRow{Key: string(c), Count: cats[string(c)]})
	}
	r.Calls = sortedCounts(p.calls)
	r.OutOfOrder = p.calls[antre.ReasonSpecific]
	for _, n := range slices.Sorted(maps.Keys(counters)) {
		c := counters[n]
		c.Waiting, c.Service = Distribute(cwait[n]), Distribute(cserv[n])
		r.Counters = append(r.Counters, *c)
	}
	for _, n := range slices.Sorted(maps.Keys(officers)) {
		o := officers[n]
		o.Waiting, o.Service = Distribute(owait[n]), Distribute(oserv[n])
		r.Officers = append(r.Officers, *o)
	}
	for _, k := range slices.Sorted(maps.Keys(p.kinds)) {
		r.Files = append(r.Files, *p.kinds[k])
	}
	for _, s := range []antre.Stage{antre.StageIntake, antre.StageBiometrics, antre.StageAdjudication, antre.StagePayment,
		antre.StagePrinting, antre.StageApproval, antre.StagePickup} {
		if ds, ok := p.stages[s]; ok {
			r.Stages = append(r.Stages, StageRow{Stage: s, Time: Distribute(slices.Clone(ds))})
		}
	}
	for _, reg := range slices.Sorted(maps.Keys(p.surveys)) {
		r.Satisfaction = append(r.Satisfaction, p.surveys[reg].Result())
	}
	r.Unrated = p.unrated
	for _, k := range slices.Sorted(maps.Keys(p.cats)) {
		f := *p.cats[k]
		f.ToClose = Distribute(slices.Clone(p.closeD[k]))
		r.Complaints = append(r.Complaints, f)
	}
	return r
}

// OpenComplaints counts the complaints received (in the events folded) and not yet closed or
// rejected.
func (p *Period) OpenComplaints() int {
	n := 0
	for _, c := range p.compl {
		if !c.closed {
			n++
		}
	}
	return n
}

// WaitingNow are the tickets of the period waiting now, per queue group, with the issue time
// of the one that has waited longest.
func (p *Period) WaitingNow() map[string]WaitingGroup {
	out := map[string]WaitingGroup{}
	for _, t := range p.tickets {
		if t.status != antre.StatusWaiting {
			continue
		}
		w := out[t.queue]
		w.Waiting++
		if w.Oldest.IsZero() || t.issued.Before(w.Oldest) {
			w.Oldest = t.issued
		}
		out[t.queue] = w
	}
	return out
}

// WaitingGroup is how many wait in a queue group and since when the first of them waits.
type WaitingGroup struct {
	Waiting int       `json:"waiting"`
	Oldest  time.Time `json:"oldest"`
}

func sortedCounts(m map[string]int) []CountRow {
	out := []CountRow{}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, CountRow{Key: k, Count: m[k]})
	}
	return out
}
