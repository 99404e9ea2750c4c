package kiosk

import (
	"context"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"time"

	"antre"
	"antre/printers"
)

// Where a ticket stands at this kiosk, as the admin menu shows it. A released ticket (one that
// no longer needs printing) takes the reason it was released as its state: "cancelled",
// "done", "not_found", "expired", or "settled" (the hub no longer lists it as unprinted).
const (
	statePrinting = "printing" // issued by a tap here; its first print has not ended
	stateHeld     = "held"     // issued, not printed: owed a print
	statePrinted  = "printed"
)

// ticketRecord is a ticket this kiosk issued (or was asked to reprint), with what is needed to
// print it again in the applicant's language.
type ticketRecord struct {
	Issued antre.IssuedTicket `json:"issued"`
	Lang   string             `json:"lang"`
	// State is one of the states above, "" before anything was tried, or why it was released.
	State string `json:"state"`
	// Problem is why the ticket is held.
	Problem string `json:"problem,omitempty"`
	// Attempts counts the sends to the printer that failed since the ticket was issued or an
	// officer last asked for it; at the attempt limit the ticket waits for an officer.
	Attempts int `json:"attempts,omitempty"`
	// Next is when the ticket may be sent again by itself, after its last failed send.
	Next time.Time `json:"next,omitzero"`
	// heldSeq is Kiosk.holds when the ticket was last held: a hold newer than a reading of
	// the hub's list of unprinted tickets is not in it.
	heldSeq uint64
}

// printCause says why a ticket is sent to the printer, which decides whether it still should
// be when its turn at the printer comes.
type printCause int

const (
	causeTap     printCause = iota // the first print, right after the tap's issue
	causeRetry                     // an automatic retry of a held ticket: only when it is due
	causeRequest                   // an officer asked (the hub's reprint request, the admin menu)
)

// outcome is how a delivery ended.
type outcome int

const (
	outPrinted outcome = iota // the ticket came out
	outSkipped                // nothing was sent: the ticket is printed, released or not due
	outRefused                // the printer reported a problem before anything was sent
	outFailed                 // the send failed: the ticket is held and waits before the next
	outStopped                // the runtime is stopping; nothing was recorded
)

// backoff is how long a held ticket waits after its attempt-th failed send before it is sent
// again by itself: RetryMin doubled for each failed send up to RetryMax, times a random factor
// in [0.5, 1) so that retries do not fall into step with a printer's own cycle.
func (k *Kiosk) backoff(attempt int) time.Duration {
	d := k.cfg.RetryMin
	for i := 1; i < attempt && d < k.cfg.RetryMax; i++ {
		d *= 2
	}
	d = min(d, k.cfg.RetryMax)
	return time.Duration(float64(d) * (0.5 + rand.Float64()/2))
}

// dueLocked reports whether held ticket r may be sent to the printer by itself at now: it has
// attempts left, its own wait is over, and so is the pause after the last failed send of any
// ticket. k.mu is held.
func (k *Kiosk) dueLocked(r *ticketRecord, now time.Time) bool {
	return r.State == stateHeld && r.Attempts < k.cfg.PrintAttempts && !now.Before(r.Next) && !now.Before(k.pause)
}

// nextRetry is when the next held ticket becomes due, or zero when none will by itself (none
// is held, all wait for an officer, the printer reports a problem, or the office is not known
// yet: the status is read again at the next interval, and a connection asks for a flush).
func (k *Kiosk) nextRetry() time.Time {
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.printer.Problems) > 0 || k.office == nil {
		return time.Time{}
	}
	var at time.Time
	for _, code := range k.held {
		r := k.tickets[code]
		if r == nil || r.Attempts >= k.cfg.PrintAttempts {
			continue
		}
		t := r.Next
		if t.Before(k.pause) {
			t = k.pause
		}
		if at.IsZero() || t.Before(at) {
			at = t
		}
	}
	return at
}

// layout lays the ticket out with the printers package, in the applicant's language.
func (k *Kiosk) layout(rec ticketRecord) (printers.Layout, error) {
	k.mu.Lock()
	var office string
	if k.office != nil {
		office = k.office.Name
	}
	loc := k.loc
	k.mu.Unlock()
	return printers.TicketLayout(rec.Issued, printers.TicketPrint{Office: office, Location: loc, Footer: k.cfg.Footer, Lang: rec.Lang})
}

// deliver prints the remembered ticket code, for cause. It first decides under the printer's
// lock whether the ticket still needs this print (an automatic retry only when due; a tap's
// ticket not if it was printed from the held list meanwhile). It reads the printer's status,
// sends the job, and reads the status again: a fault right after the job means the ticket may
// have come out incomplete. A send that fails counts as an attempt and holds the ticket until
// its backoff has passed; a printer that reports a problem before the send holds it without
// an attempt. It returns how it went and the problems that held the ticket.
func (k *Kiosk) deliver(ctx context.Context, code string, cause printCause) (outcome, []string) {
	k.printMu.Lock()
	defer k.printMu.Unlock()
	k.mu.Lock()
	r := k.tickets[code]
	switch {
	case r == nil, cause == causeRetry && !k.dueLocked(r, time.Now()):
		k.mu.Unlock()
		return outSkipped, nil
	case cause == causeTap && r.State == statePrinted:
		k.mu.Unlock()
		return outPrinted, nil
	}
	if cause == causeRequest {
		r.Attempts, r.Next = 0, time.Time{}
	}
	rec := *r
	k.printing = code
	k.mu.Unlock()
	defer func() {
		k.mu.Lock()
		k.printing = ""
		k.mu.Unlock()
	}()

	l, err := k.layout(rec)
	if err != nil {
		k.log.Error("ticket layout", "ticket", code, "err", err)
		return outFailed, k.hold(code, []string{kindWriteFailed}, true)
	}
	problems := k.check(ctx)
	switch {
	case ctx.Err() != nil:
		return outStopped, []string{kindWriteFailed}
	case len(problems) > 0:
		return outRefused, k.hold(code, problems, false)
	}
	if err := k.prn.print(ctx, l, k.cfg.Profile); err != nil {
		if ctx.Err() != nil {
			return outStopped, []string{kindWriteFailed}
		}
		k.log.Warn("ticket not printed", "ticket", code, "err", err)
		k.linkFailed()
		k.check(ctx) // show what the printer says now
		return outFailed, k.hold(code, []string{kindWriteFailed}, true)
	}
	problems = k.check(ctx)
	switch {
	case ctx.Err() != nil:
		return outStopped, []string{kindWriteFailed}
	case len(problems) > 0:
		k.log.Warn("printer fault right after the ticket; holding it for a reprint", "ticket", code, "problems", problems)
		return outFailed, k.hold(code, problems, true)
	}
	k.printed(code)
	return outPrinted, nil
}

// rememberLocked keeps rec for reprints. A ticket already remembered keeps its state and
// attempts and takes the new record's ticket and language. The kiosk remembers its last
// maxRecent tickets and every one it still owes a print. k.mu is held.
func (k *Kiosk) rememberLocked(rec ticketRecord) *ticketRecord {
	code := rec.Issued.Code
	if old, ok := k.tickets[code]; ok {
		old.Issued, old.Lang = rec.Issued, rec.Lang
		return old
	}
	r := &rec
	k.tickets[code] = r
	k.recent = append(k.recent, code)
	if len(k.recent) > maxRecent {
		drop := k.recent[0]
		k.recent = k.recent[1:]
		if d := k.tickets[drop]; d != nil && d.State != stateHeld && d.State != statePrinting {
			delete(k.tickets, drop)
		}
	}
	return r
}

// maxRecent is how many issued tickets the kiosk remembers for reprints.
const maxRecent = 500

// recordOf rebuilds what a ticket's print needs for a ticket this runtime did not issue (or
// issued before a restart): the names and status URL come from the office.
func recordOf(t antre.Ticket, office *officeInfo) ticketRecord {
	rec := ticketRecord{Issued: antre.IssuedTicket{Ticket: t}, Lang: "id"}
	if office != nil {
		rec.Issued.StatusURL = statusURL(office.PublicURL, t.Code)
		for _, g := range office.Groups {
			if g.Code == t.Group {
				rec.Issued.GroupName, rec.Issued.GroupNameEN = g.NameID, g.NameEN
			}
		}
	}
	return rec
}

// syncHeld compares the tickets this kiosk owes a print with the hub's list of them (every
// ticket it issued today that is neither confirmed printed nor finished or cancelled). It runs
// on every (re)connection, and when the stream shows a held ticket printed elsewhere.
//
// A listed ticket the kiosk does not know (issued before a restart, or whose issue's answer
// never arrived) is taken over and printed when the printer is ready. A held ticket the hub no
// longer lists (printed at a counter, cancelled or finished while the stream was away, or of
// another day) is released. A ticket whose print report is still on its way to the hub, one
// held since the list was asked for and the one at the printer now are left alone: the list
// cannot show them yet.
func (k *Kiosk) syncHeld(ctx context.Context) error {
	defer k.save() // after k.mu is unlocked
	k.mu.Lock()
	since, reporting := k.holds, k.reports.tickets()
	k.mu.Unlock()
	ts, err := held(ctx, k.hub)
	if err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	for code := range k.reports.tickets() {
		reporting[code] = true
	}
	listed := map[string]bool{}
	var adopted, released int
	for _, t := range ts {
		listed[t.Code] = true
		if _, known := k.tickets[t.Code]; known || reporting[t.Code] {
			continue
		}
		r := k.rememberLocked(recordOf(t, k.office))
		r.State, r.Problem = stateHeld, "restart"
		k.holds++
		r.heldSeq = k.holds
		k.held = append(k.held, t.Code)
		adopted++
		k.log.Info("unprinted ticket taken over from the hub", "ticket", t.Code)
	}
	for _, code := range slices.Clone(k.held) {
		if r := k.tickets[code]; listed[code] || reporting[code] || code == k.printing || r.heldSeq > since {
			continue
		}
		k.releaseLocked(code, "settled")
		released++
	}
	if adopted+released > 0 {
		k.changedLocked()
	}
	if adopted > 0 {
		poke(k.flush)
	}
	return nil
}

// hold keeps a ticket that could not be printed. A failed send (sent) counts as an attempt:
// the ticket, and every other held ticket, is not sent again by itself before its backoff has
// passed, and after PrintAttempts failed sends it waits for an officer. The first time, hold
// tells the hub the print failed, so officers see the number and can reprint or cancel it.
func (k *Kiosk) hold(code string, problems []string, sent bool) []string {
	defer k.save() // after k.mu is unlocked
	k.mu.Lock()
	defer k.mu.Unlock()
	r := k.tickets[code]
	if r == nil {
		return problems
	}
	r.Problem = strings.Join(problems, ",")
	if sent {
		r.Attempts++
		r.Next = time.Now().Add(k.backoff(r.Attempts))
		if r.Next.After(k.pause) {
			k.pause = r.Next
		}
		if r.Attempts >= k.cfg.PrintAttempts {
			k.log.Warn("ticket not printed after the last automatic attempt; it waits for an officer", "ticket", code, "attempts", r.Attempts)
		}
	}
	if r.State != stateHeld {
		r.State = stateHeld
		k.holds++
		r.heldSeq = k.holds
		k.held = append(k.held, code)
		k.reports.add(printReport(code, false, r.Problem))
		k.log.Warn("ticket held", "ticket", code, "problems", r.Problem)
	}
	k.changedLocked()
	return problems
}

// printed records a printed ticket and tells the hub. The printer works: the pause after a
// failed send ends, so other held tickets print as soon as they are due.
func (k *Kiosk) printed(code string) {
	defer k.save() // after k.mu is unlocked
	k.mu.Lock()
	defer k.mu.Unlock()
	r := k.tickets[code]
	if r.State == stateHeld {
		k.held = slices.DeleteFunc(k.held, func(c string) bool { return c == code })
		k.log.Info("held ticket printed", "ticket", code)
	}
	r.State, r.Problem, r.Attempts, r.Next = statePrinted, "", 0, time.Time{}
	k.pause = time.Time{}
	k.reports.add(printReport(code, true, ""))
	k.changedLocked()
}

// release forgets a held ticket that no longer needs printing (cancelled, served, printed
// elsewhere); why becomes its state.
func (k *Kiosk) release(code, why string) {
	defer k.save() // after k.mu is unlocked
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.releaseLocked(code, why) {
		k.changedLocked()
	}
}

// releaseLocked is release with k.mu held; it reports whether code was held.
func (k *Kiosk) releaseLocked(code, why string) bool {
	if !slices.Contains(k.held, code) {
		return false
	}
	k.held = slices.DeleteFunc(k.held, func(c string) bool { return c == code })
	if r := k.tickets[code]; r != nil {
		r.State, r.Problem, r.Attempts, r.Next = why, "", 0, time.Time{}
	}
	k.log.Info("held ticket released", "ticket", code, "why", why)
	return true
}

// isHeld reports whether the kiosk holds ticket code.
func (k *Kiosk) isHeld(code string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return slices.Contains(k.held, code)
}

func (k *Kiosk) heldCount() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.held)
}

// flushHeld prints the held tickets that are due, oldest first, until none is left or one
// fails again. A ticket the hub reports cancelled, finished, unknown or a ticket of another
// day with the same code is released unprinted; when the hub cannot be asked, the ticket is
// printed anyway.
func (k *Kiosk) flushHeld(ctx context.Context) {
	k.mu.Lock()
	known := k.office != nil
	k.mu.Unlock()
	if !known {
		return // tickets taken up from the state file wait for the office's name and time zone
	}
	tried := map[string]bool{}
	for ctx.Err() == nil {
		now := time.Now()
		k.mu.Lock()
		var code string
		var issuedAt time.Time
		for _, c := range k.held {
			if r := k.tickets[c]; !tried[c] && r != nil && k.dueLocked(r, now) {
				code, issuedAt = c, r.Issued.IssuedAt
				break
			}
		}
		k.mu.Unlock()
		if code == "" {
			return
		}
		tried[code] = true
		v, err := lookup(ctx, k.hub, code)
		switch {
		case err == nil && v.Status == antre.StatusCancelled:
			k.release(code, "cancelled")
			continue
		case err == nil && v.Status == antre.StatusDone:
			k.release(code, "done")
			continue
		case refusedWith(err, http.StatusNotFound):
			k.release(code, "not_found")
			continue
		case err == nil && !issuedAt.IsZero() && !v.IssuedAt.Equal(issuedAt):
			k.release(code, "expired") // today's ticket of the same code is someone else's
			continue
		case err == nil:
			k.updateWait(code, v)
		}
		if out, _ := k.deliver(ctx, code, causeRetry); out != outPrinted && out != outSkipped {
			return
		}
	}
}

// updateWait puts the hub's current count of tickets ahead, and the wait, on a remembered
// ticket before it is printed again.
func (k *Kiosk) updateWait(code string, v antre.TicketView) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if r := k.tickets[code]; r != nil {
		r.Issued.Ahead, r.Issued.EstimatedWaitMinutes = v.Ahead, v.EstimatedWaitMinutes
	}
}

// reprint prints a ticket again on an officer's request, at once and with its attempts reset.
// A ticket this kiosk does not remember (issued before the runtime started) is rebuilt from
// the hub's public view of it.
func (k *Kiosk) reprint(ctx context.Context, code string) []string {
	k.mu.Lock()
	_, known := k.tickets[code]
	office := k.office
	k.mu.Unlock()
	v, err := lookup(ctx, k.hub, code)
	switch {
	case err == nil && known:
		k.updateWait(code, v)
	case err == nil:
		t := antre.Ticket{Code: v.Code, Group: v.Group, IssuedAt: v.IssuedAt}
		if v.Priority { // known to be priority, not why: the plain mark
			t.Pool = antre.PoolPriority
		}
		rec := recordOf(t, office)
		rec.Issued.Ahead, rec.Issued.EstimatedWaitMinutes = v.Ahead, v.EstimatedWaitMinutes
		k.mu.Lock()
		k.rememberLocked(rec)
		k.mu.Unlock()
	case !known:
		k.log.Error("reprint of an unknown ticket", "ticket", code, "err", err)
		return []string{kindWriteFailed}
	}
	_, problems := k.deliver(ctx, code, causeRequest)
	return problems
}
