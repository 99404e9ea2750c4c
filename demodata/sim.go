package demodata

import (
	"container/heap"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"antre"
	"antre/module"
	"antre/server"
	"antre/server/sqlite"
	"antre/voice"
	"antre/workflow"
)

// clock is the hub's clock during a generation: the simulation sets it before every call.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.t) {
		c.t = t
	}
}

// action is something that happens at an instant; ties keep the order they were planned in.
type action struct {
	at  time.Time
	seq int
	run func() error
}

type agenda []action

func (a agenda) Len() int { return len(a) }
func (a agenda) Less(i, j int) bool {
	if !a[i].at.Equal(a[j].at) {
		return a[i].at.Before(a[j].at)
	}
	return a[i].seq < a[j].seq
}
func (a agenda) Swap(i, j int) { a[i], a[j] = a[j], a[i] }
func (a *agenda) Push(x any)   { *a = append(*a, x.(action)) }
func (a *agenda) Pop() any {
	old := *a
	x := old[len(old)-1]
	*a = old[:len(old)-1]
	return x
}

// counter is a counter and the OSS officer at it.
type counter struct {
	number  int
	officer antre.Principal
	idle    bool
}

// applicant is someone who comes for a ticket.
type applicant struct {
	group    string
	pool     antre.Pool
	category antre.Category
	file     string // at pickup (group E): the file to collect
	person   person
	kind     antre.ApplicationKind
	cekal    bool
}

// visit is a ticket's life as the simulation follows it.
type visit struct {
	app         applicant
	code        string
	date        string
	transferred bool
	reactivated bool
	// waiting is whether the ticket waits in its queue now, as the generator moved it.
	waiting bool
}

// tokener is the voice module's survey-token service, found through the hub's services.
type tokener interface {
	TicketToken(date, code string) string
}

// sim is one generation: the hub, the modules, the clock, the agenda and the tallies.
type sim struct {
	ctx     context.Context
	hub     *server.Hub
	db      *sqlite.DB
	flow    *workflow.Module
	say     *voice.Module
	tokens  tokener
	clk     *clock
	rng     *rand.Rand
	loc     *time.Location
	office  antre.Office
	opt     Options
	lists   string
	first   time.Time
	end     time.Time
	cal     antre.Calendar
	days    []string // the working days of the history, in order
	dayIdx  map[string]int
	agenda  agenda
	seq     int
	cnt     []*counter
	elems   int
	people  int
	serial  int
	blanks  int
	due     map[string]string // file → promised date
	pickups map[string][]string
	rep     Report
	perDay  map[string]*DayCount
	ntpn    int
	bapNo   int
	pending map[string]*visit // today's tickets by code
	today   []*visit          // today's tickets in issue order
	cekal   map[string]bool   // files of applicants on the cekal list
	reg     string            // the survey regulation in force
	// worklist are the files in each stage's worklist, as the generator sent them there.
	worklist map[antre.Stage][]string
	// printerDown is how many more working days the passport printer is out of order.
	printerDown int
	// absent is the counter nobody staffs today (0: none).
	absent int
}

// The staff as principals.
var (
	bio     = antre.Principal{Name: "bio1", Role: antre.RoleBiometric}
	adj     = antre.Principal{Name: "adj1", Role: antre.RoleAdjudicator}
	kasir   = antre.Principal{Name: "kasir1", Role: antre.RoleCashier}
	cetak   = antre.Principal{Name: "cetak1", Role: antre.RolePrinting}
	sah     = antre.Principal{Name: "sah1", Role: antre.RoleApprover}
	ambil   = antre.Principal{Name: "ambil1", Role: antre.RolePickup}
	kakanim = antre.Principal{Name: "kakanim", Role: antre.RoleHead}
	desk    = antre.Principal{Name: "infodesk", Role: antre.RoleOfficer}
)

// kioskName is the ticket kiosk the walk-in tickets come from.
const kioskName = "kiosk-demo"

func newSim(ctx context.Context, hub *server.Hub, opt Options, regulation, lists string, first, end time.Time, clk *clock) (*sim, error) {
	flow, say, err := modules(hub)
	if err != nil {
		return nil, err
	}
	tok, ok := module.Find[tokener](hub.Services())
	if !ok {
		return nil, fmt.Errorf("demo-data: no survey token service")
	}
	db := hub.DB()
	s := &sim{ctx: ctx, hub: hub, db: db, flow: flow, say: say, tokens: tok, clk: clk, rng: newRand(opt.Seed), office: db.Office(),
		loc: db.Office().Location, opt: opt, lists: lists, first: first, end: end, dayIdx: map[string]int{}, due: map[string]string{},
		pickups: map[string][]string{}, perDay: map[string]*DayCount{},
		pending: map[string]*visit{}, cekal: map[string]bool{}, reg: regulation,
		worklist: map[antre.Stage][]string{}}
	s.rep.From, s.rep.To, s.rep.Days = first.Format(time.DateOnly), end.AddDate(0, 0, -1).Format(time.DateOnly), opt.Days
	for i := 1; i <= 4; i++ {
		s.cnt = append(s.cnt, &counter{number: i, officer: antre.Principal{Name: fmt.Sprintf("oss%d", i), Role: antre.RoleOSS}, idle: true})
	}
	return s, nil
}

// plan adds f to the agenda at t (never before the clock).
func (s *sim) plan(t time.Time, f func() error) {
	if now := s.clk.Now(); t.Before(now) {
		t = now
	}
	s.seq++
	heap.Push(&s.agenda, action{at: t, seq: s.seq, run: f})
}

// now is the clock.
func (s *sim) now() time.Time { return s.clk.Now() }

// local is a time of day on a date in the office's zone.
func (s *sim) local(date string, hour, minute int) time.Time {
	d, _ := time.ParseInLocation(time.DateOnly, date, s.loc)
	return d.Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
}

// minutes is a random duration between lo and hi minutes.
func (s *sim) minutes(lo, hi float64) time.Duration {
	return time.Duration((lo + s.rng.Float64()*(hi-lo)) * float64(time.Minute))
}

// chance is true with probability p.
func (s *sim) chance(p float64) bool { return s.rng.Float64() < p }

// pick returns an index of weights at random, in proportion.
func (s *sim) pick(weights []float64) int {
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	r := s.rng.Float64() * sum
	for i, w := range weights {
		if r < w {
			return i
		}
		r -= w
	}
	return len(weights) - 1
}

// setup creates the accounts, the calendar's holidays and the blank passport stock, and plans
// every working day.
func (s *sim) setup(extra []Account) error {
	ctx := s.ctx
	for _, a := range append(append([]Account(nil), extra...), Staff...) {
		has, err := s.db.HasUsers(ctx, a.Name)
		if err != nil {
			return err
		}
		if !has {
			if err := s.db.AddUser(ctx, a.Name, a.Role, a.Password); err != nil {
				return fmt.Errorf("demo-data: account %s: %w", a.Name, err)
			}
		}
	}
	if err := s.db.Flush(ctx); err != nil {
		return err
	}
	lastDay := s.end.AddDate(0, 0, -1)
	known, err := s.db.Holidays(ctx, s.first.Format(time.DateOnly), lastDay.Format(time.DateOnly))
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, h := range known {
		have[h.Date] = true
	}
	for _, h := range Holidays(s.first.Year(), lastDay.Year()) {
		if h.Date < s.rep.From || h.Date > s.rep.To || have[h.Date] {
			continue
		}
		if err := s.db.SetHoliday(ctx, h, "office", "demo-data"); err != nil {
			return err
		}
	}
	if err := s.db.Flush(ctx); err != nil {
		return err
	}
	if s.cal, err = s.db.Calendar(ctx); err != nil {
		return err
	}
	// the working days of the history and of the month after (pickups and promises reach there)
	for d := s.first; d.Before(s.end.AddDate(0, 1, 0)); d = d.AddDate(0, 0, 1) {
		date := d.Format(time.DateOnly)
		if s.cal.Working(date) {
			s.dayIdx[date] = len(s.days)
			s.days = append(s.days, date)
			if d.Before(s.end) {
				s.rep.WorkingDays++
			}
		} else if d.Before(s.end) && d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			s.rep.Holidays++
		}
	}
	groups, err := s.db.Groups(ctx)
	if err != nil {
		return err
	}
	total := 0
	for _, g := range groups {
		total += g.Quota.WalkIn + g.Quota.Online + g.Quota.Priority
	}
	if s.elems = antre.Regulation(s.reg).Elements(); s.elems == 0 {
		return fmt.Errorf("demo-data: unknown survey regulation")
	}
	for _, date := range s.days {
		if !s.inHistory(date) {
			break
		}
		s.perDay[date] = &DayCount{Date: date, Quota: total}
		s.plan(s.local(date, 7, 30), func() error { return s.openDay(date) })
	}
	return nil
}

// inHistory reports whether a date lies within the history.
func (s *sim) inHistory(date string) bool { return date >= s.rep.From && date <= s.rep.To }

// workingDayAfter is the working day n working days after date (n ≥ 1), or "" past the
// calendar the simulation knows.
func (s *sim) workingDayAfter(date string, n int) string {
	i, ok := s.dayIdx[date]
	if !ok || i+n >= len(s.days) {
		return ""
	}
	return s.days[i+n]
}

// run plays the agenda up to the end of the history.
func (s *sim) run() error {
	for s.agenda.Len() > 0 {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		a := heap.Pop(&s.agenda).(action)
		if !a.at.Before(s.end) {
			break
		}
		s.clk.set(a.at)
		if err := a.run(); err != nil {
			return fmt.Errorf("demo-data at %s: %w", a.at.In(s.loc).Format("2006-01-02 15:04:05"), err)
		}
	}
	for _, date := range s.days {
		if d, ok := s.perDay[date]; ok {
			s.rep.PerDay = append(s.rep.PerDay, *d)
		}
	}
	return nil
}

// seasonal scales the day's crowd: busier before the school holidays (June, July) and the
// year's end, quieter in the fasting month's weeks and after Idul Fitri; Monday is the busiest
// weekday and Friday (shorter for Friday prayers) the quietest.
var monthFactor = [13]float64{0, 0.95, 0.95, 0.9, 0.85, 1.0, 1.15, 1.15, 1.0, 0.95, 1.0, 1.0, 1.1}
var weekdayFactor = [7]float64{0, 1.15, 1.0, 1.0, 0.97, 0.88, 0}

// hourWeights are the shares of arrivals per hour from 08:00 to 15:00: the morning period
// (08:00–12:00) takes about three quarters.
var hourWeights = []float64{30, 24, 14, 9, 8, 7, 5, 3}

// groupShares are the shares of applicants per group (A new, B replacement, C lost or damaged,
// D special handling, F change of data); pickups (E) come for the files that are ready.
var groupShares = []struct {
	group string
	share float64
}{{"A", 46}, {"B", 31}, {"C", 6}, {"D", 5}, {"F", 12}}

// appShare is the share of a day's tickets that are applications (groups A–D, F): nearly
// every application comes back as a pickup (E) a few working days later.
const appShare = 0.52

// serviceMinutes are a group's median minutes at the counter.
var serviceMinutes = map[string]float64{"A": 16, "B": 13, "C": 19, "D": 17, "E": 4, "F": 13}

// openDay plans a working day: its arrivals, its counters and the workflow's desks.
func (s *sim) openDay(date string) error {
	d, _ := time.ParseInLocation(time.DateOnly, date, s.loc)
	mean := float64(s.opt.PerDay) * monthFactor[d.Month()] * weekdayFactor[d.Weekday()]
	if prev := d.AddDate(0, 0, -1); prev.Weekday() != time.Sunday && !s.cal.Working(prev.Format(time.DateOnly)) {
		mean *= 1.3 // the day after a holiday, those who could not come come too
	}
	// now and then an OSS officer is ill or away at training, and a counter stays closed all day
	s.absent = 0
	if s.chance(0.07) {
		s.absent = 1 + s.rng.IntN(2)
	}
	pickups := s.pickups[date]
	delete(s.pickups, date)
	s.today = s.today[:0]
	// about half the day's tickets are applications; the other half are pickups of files
	// made ready earlier, whoever comes for them
	apps := int(math.Round(mean * appShare * (0.85 + 0.3*s.rng.Float64())))
	arrive := func(a applicant) {
		h := s.pick(hourWeights)
		t := s.local(date, 8+h, 0).Add(time.Duration(s.rng.Float64() * float64(time.Hour)))
		s.plan(t, func() error { return s.arrive(date, a) })
	}
	for range apps {
		arrive(s.newApplicant())
	}
	for _, f := range pickups {
		arrive(applicant{group: "E", pool: antre.PoolWalkIn, file: f})
	}
	for _, c := range s.cnt {
		c.idle = false
		s.plan(s.local(date, 8, 0).Add(time.Duration(c.number)*20*time.Second), s.callNext(date, c))
	}
	// the workflow's desks: biometrics and adjudication follow the OSS desks through the day;
	// the cashier's, printing's and approval's work comes in batches; some days the approver is
	// away (a meeting at the regional office), and now and then the passport printer breaks
	// down for a few days: files wait, and some miss their promised date.
	s.plan(s.local(date, 8, 40), s.desk(date, "biometrics", bio, 3, 6, 16, 30, 0))
	s.plan(s.local(date, 9, 0), s.desk(date, "adjudication", adj, 2, 5, 16, 0, 0))
	s.plan(s.local(date, 9, 30), s.desk(date, "payment", kasir, 1, 2, 16, 0, 0))
	if s.printerDown == 0 && s.chance(0.02) {
		s.printerDown = 3 + s.rng.IntN(3) // the printer breaks; the spare part takes days
	}
	if s.printerDown > 0 {
		s.printerDown--
	} else {
		s.plan(s.local(date, 8, 15), s.desk(date, "printing", cetak, 3, 5, 16, 0, int(mean*appShare*1.15)))
	}
	if !s.chance(0.08) {
		s.plan(s.local(date, 13, 30), s.desk(date, "approval", sah, 0.5, 1.5, 15, 0, 0))
		s.plan(s.local(date, 15, 15), s.desk(date, "approval", sah, 0.5, 1.5, 16, 0, 0))
	}
	if s.chance(0.3) {
		s.plan(s.local(date, 8, 0).Add(s.minutes(0, 480)), s.complain(date))
	}
	return nil
}

// newApplicant draws an applicant: group, pool, dispensation and the person.
func (s *sim) newApplicant() applicant {
	w := make([]float64, len(groupShares))
	for i, g := range groupShares {
		w[i] = g.share
	}
	a := applicant{group: groupShares[s.pick(w)].group, pool: antre.PoolWalkIn}
	switch r := s.rng.Float64(); {
	case r < 0.18:
		a.pool = antre.PoolOnline
	case r < 0.26:
		a.pool = antre.PoolPriority
		cats := []antre.Category{antre.CatElderly, antre.CatToddler, antre.CatPregnant, antre.CatDisabled, antre.CatVIP}
		a.category = cats[s.pick([]float64{44, 22, 14, 15, 5})]
	}
	if a.group == "D" && a.category == antre.CatNone && s.chance(0.6) {
		a.pool, a.category = antre.PoolPriority, antre.CatDisabled
	}
	s.people++
	a.person = newPerson(s.rng, s.people, s.now())
	switch a.group {
	case "A":
		a.kind = antre.KindNew
	case "B":
		a.kind = antre.KindReplacement
	case "C":
		a.kind = []antre.ApplicationKind{antre.KindLost, antre.KindDamaged}[s.pick([]float64{60, 40})]
	case "D":
		a.kind = []antre.ApplicationKind{antre.KindNew, antre.KindReplacement, antre.KindLost}[s.pick([]float64{55, 40, 5})]
	case "F":
		a.kind = antre.KindChange
	}
	a.cekal = s.chance(0.004)
	return a
}

// arrive issues the applicant's ticket (the kiosk for walk-ins and self-declared priority,
// the information desk's officer for online check-ins and VIPs) and wakes an idle counter.
func (s *sim) arrive(date string, a applicant) error {
	req := sqlite.IssueRequest{Group: a.group, Pool: a.pool, Category: a.category, Actor: kioskName, Role: antre.RoleKiosk}
	if a.pool == antre.PoolOnline || a.category == antre.CatVIP {
		req.Actor, req.Role = desk.Name, desk.Role
		if a.category == antre.CatVIP {
			req.Reason = "tamu dinas instansi pemerintah"
		}
	}
	t, _, err := s.db.Issue(s.ctx, req)
	if antre.ErrorCode(err) == antre.EQUOTAEXHAUSTED {
		s.rep.TurnedAway++
		if a.file != "" { // the applicant comes back another day for the passport
			s.pickupOn(s.workingDayAfter(date, 1), a.file)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("issue %s: %w", a.group, err)
	}
	if req.Role == antre.RoleKiosk {
		if _, err := s.db.MarkPrinted(s.ctx, sqlite.PrintReport{Code: t.Code, OK: true, Actor: kioskName}); err != nil {
			return err
		}
	}
	dc := s.perDay[date]
	dc.Issued++
	s.rep.Issued++
	if s.now().Before(s.local(date, 12, 0)) {
		dc.Morning++
	} else {
		dc.Afternoon++
	}
	switch {
	case a.category != antre.CatNone:
		s.rep.Dispensed++
	case a.pool == antre.PoolOnline:
		s.rep.Online++
	}
	v := &visit{app: a, code: t.Code, date: date, waiting: true}
	if a.category == antre.CatNone && s.chance(0.012) {
		// an elderly applicant without the kiosk's priority button: the desk officer grants it
		s.plan(s.now().Add(s.minutes(2, 10)), func() error {
			if !v.waiting {
				return nil
			}
			if _, err := s.db.Grant(s.ctx, v.code, antre.CatElderly, desk.Name, "lansia, datang tanpa pendamping"); err != nil {
				if antre.ErrorCode(err) == antre.EQUOTAEXHAUSTED {
					return nil
				}
				return err
			}
			s.rep.Dispensed++
			return nil
		})
	}
	if s.chance(0.25) {
		// some of those who wait long give up and leave; the desk cancels the number
		s.plan(s.now().Add(s.minutes(20, 40)), func() error {
			if !v.waiting {
				return nil
			}
			if _, err := s.db.Act(s.ctx, sqlite.ActRequest{Code: v.code, Action: antre.ActCancel, Actor: desk.Name, Reason: "pemohon pulang sebelum dipanggil"}); err != nil {
				return err
			}
			v.waiting = false
			s.rep.Cancelled++
			return nil
		})
	}
	s.pending[v.code] = v
	s.today = append(s.today, v)
	s.wake(date)
	return nil
}

// wake lets one idle, staffed counter call again soon: one ticket more, one officer presses
// "next".
func (s *sim) wake(date string) {
	for _, c := range s.cnt {
		if open, _ := s.staffed(date, c.number); c.idle && open {
			c.idle = false
			s.plan(s.now().Add(time.Duration(5+s.rng.IntN(40))*time.Second), s.callNext(date, c))
			return
		}
	}
}

// shifts are when each counter is staffed: counters 1 and 2 all day, with their officers'
// lunch breaks one after the other; counter 3 in the morning peak and the early afternoon;
// counter 4 in the morning peak only. Serving goes on until the queue is empty (17:00 at the
// latest).
var shifts = map[int][][2]string{
	1: {{"08:00", "12:00"}, {"12:45", "17:00"}},
	2: {{"08:00", "12:45"}, {"13:30", "17:00"}},
	3: {{"08:00", "11:30"}, {"13:30", "15:00"}},
	4: {{"08:00", "11:00"}},
}

// staffed reports whether counter n is staffed now, and otherwise when it is staffed again
// today (zero: not today).
func (s *sim) staffed(date string, n int) (bool, time.Time) {
	if n == s.absent {
		return false, time.Time{}
	}
	now := s.now()
	for _, sh := range shifts[n] {
		var h1, m1, h2, m2 int
		fmt.Sscanf(sh[0], "%d:%d", &h1, &m1)
		fmt.Sscanf(sh[1], "%d:%d", &h2, &m2)
		from, to := s.local(date, h1, m1), s.local(date, h2, m2)
		if now.Before(from) {
			return false, from
		}
		if now.Before(to) {
			return true, time.Time{}
		}
	}
	return false, time.Time{}
}

// callNext is a counter's "next": it calls whom the hub's policy picks and plays the visit.
func (s *sim) callNext(date string, c *counter) func() error {
	return func() error {
		if open, reopen := s.staffed(date, c.number); !open {
			if reopen.IsZero() {
				c.idle = true
			} else {
				s.plan(reopen, s.callNext(date, c))
			}
			return nil
		}
		if v := s.outOfOrder(); v != nil {
			// an applicant in a wheelchair who came without the kiosk's priority button, or a
			// court officer: called by code, with the reason recorded
			t, err := s.db.CallTicket(s.ctx, c.number, v.code, c.officer.Name, "didahulukan: kondisi pemohon, atas persetujuan koordinator")
			if err != nil {
				return fmt.Errorf("call %s out of order at %d: %w", v.code, c.number, err)
			}
			v.waiting = false
			return s.serve(c, v, t)
		}
		t, _, err := s.db.CallNext(s.ctx, c.number, c.officer.Name)
		if antre.ErrorCode(err) == antre.EEMPTY {
			c.idle = true
			return nil
		}
		if err != nil {
			return fmt.Errorf("call next at %d: %w", c.number, err)
		}
		v := s.pending[t.Code]
		if v == nil {
			return fmt.Errorf("counter %d called %s, which the generator does not know", c.number, t.Code)
		}
		v.waiting = false
		return s.serve(c, v, t)
	}
}

// outOfOrder returns, now and then, a ticket an officer calls out of order: the third of those
// waiting today (so never the head of the line), or nil.
func (s *sim) outOfOrder() *visit {
	if !s.chance(0.004) {
		return nil
	}
	n := 0
	for _, v := range s.today {
		if v.waiting {
			if n++; n == 3 {
				return v
			}
		}
	}
	return nil
}

// serve plays what happens after a call: a no-show (sometimes reactivated), or the service
// with its application file or pickup, a transfer, the finish and a survey.
func (s *sim) serve(c *counter, v *visit, t antre.Ticket) error {
	called := s.now()
	free := func(at time.Time) {
		s.plan(at.Add(time.Duration(10+s.rng.IntN(50))*time.Second), s.callNext(v.date, c))
	}
	if !v.reactivated && s.chance(0.05) {
		s.plan(called.Add(s.minutes(1, 1.5)), func() error {
			_, err := s.db.Act(s.ctx, sqlite.ActRequest{Counter: c.number, Code: v.code, Action: antre.ActRecall, Actor: c.officer.Name})
			return err
		})
		gone := called.Add(s.minutes(2.5, 3.5))
		s.plan(gone, func() error {
			if _, err := s.db.Act(s.ctx, sqlite.ActRequest{Counter: c.number, Code: v.code, Action: antre.ActNoShow, Actor: c.officer.Name,
				Reason: "tidak hadir setelah dipanggil ulang"}); err != nil {
				return err
			}
			s.rep.NoShows++
			if s.chance(0.35) {
				s.plan(s.now().Add(s.minutes(4, 25)), func() error {
					if _, err := s.db.Act(s.ctx, sqlite.ActRequest{Counter: c.number, Code: v.code, Action: antre.ActReactivate, Actor: c.officer.Name,
						Reason: "pemohon kembali"}); err != nil {
						return err
					}
					v.reactivated, v.waiting = true, true
					s.rep.NoShows--
					s.rep.Reactivated++
					s.wake(v.date)
					return nil
				})
			}
			return nil
		})
		free(gone)
		return nil
	}
	start := called.Add(time.Duration(20+s.rng.IntN(70)) * time.Second)
	med := serviceMinutes[t.QueueGroup]
	svc := time.Duration(med * math.Exp(0.35*s.rng.NormFloat64()) * float64(time.Minute))
	svc = max(svc, time.Minute+30*time.Second)
	finish := start.Add(svc)
	s.plan(start, func() error {
		_, err := s.db.Act(s.ctx, sqlite.ActRequest{Counter: c.number, Code: v.code, Action: antre.ActStart, Actor: c.officer.Name})
		return err
	})
	if !v.transferred && t.QueueGroup != "E" && t.QueueGroup != "C" && s.chance(0.02) {
		// the passport is lost, not expired: the officer sends the applicant to group C
		at := start.Add(s.minutes(2, 4))
		s.plan(at, func() error {
			if _, err := s.db.Act(s.ctx, sqlite.ActRequest{Counter: c.number, Code: v.code, Action: antre.ActTransfer, Actor: c.officer.Name,
				ToGroup: "C", Reason: "paspor lama hilang: layanan C"}); err != nil {
				return err
			}
			v.transferred, v.waiting = true, true
			v.app.kind = antre.KindLost
			s.rep.Transferred++
			s.wake(v.date)
			return nil
		})
		free(at)
		return nil
	}
	if t.QueueGroup == "E" {
		s.plan(start.Add(svc/3), func() error { return s.handOver(v) })
	} else {
		s.plan(start.Add(svc/6), func() error { return s.openFile(c, v, start.Add(svc*4/5)) })
	}
	s.plan(finish, func() error {
		if _, err := s.db.Act(s.ctx, sqlite.ActRequest{Counter: c.number, Code: v.code, Action: antre.ActFinish, Actor: c.officer.Name}); err != nil {
			return err
		}
		s.perDay[v.date].Served++
		s.rep.Served++
		delete(s.pending, v.code)
		if s.chance(0.4) {
			s.plan(s.now().Add(s.minutes(0.5, 4)), func() error { return s.survey(v) })
		}
		return nil
	})
	free(finish)
	return nil
}
