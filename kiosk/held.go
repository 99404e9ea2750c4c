package kiosk

import (
	"context"
	"errors"
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
// "done", "not_found" or "expired".
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
	// Priority marks a ticket known to be priority whose category is not known (a reprint of
	// a ticket issued before the runtime started).
	Priority bool `json:"priority,omitempty"`
	// State is one of the states above, "" before anything was tried, or why it was released.
	State string `json:"state"`
	// Problem is why the ticket is held.
	Problem string `json:"problem,omitempty"`
	// Attempts counts the sends to the printer that failed since the ticket was issued or an
	// officer last asked for it; at the attempt limit the ticket waits for an officer.
	Attempts int `json:"attempts,omitempty"`
	// Next is when the ticket may be sent again by itself, after its last failed send.
	Next time.Time `json:"next,omitzero"`
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
// is held, all wait for an officer, or the printer reports a problem: the status is read again
// at the next interval).
func (k *Kiosk) nextRetry() time.Time {
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.printer.Problems) > 0 {
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
	t := rec.Issued
	name := t.GroupName
	if rec.Lang == "en" && t.GroupNameEN != "" {
		name = t.GroupNameEN
	}
	return printers.TicketLayout(printers.Ticket{
		Office:        office,
		GroupCode:     t.Group,
		GroupName:     name,
		Code:          t.Code,
		IssuedAt:      t.IssuedAt,
		Location:      loc,
		Ahead:         t.Ahead,
		EstimatedWait: time.Duration(t.EstimatedWaitMinutes) * time.Minute,
		ArrivalPeriod: t.ArrivalPeriod,
		Priority:      priorityMark(t.Category, rec.Priority, rec.Lang),
		StatusURL:     t.StatusURL,
		Footer:        k.cfg.Footer,
		Lang:          rec.Lang,
	})
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
		old.Issued, old.Lang, old.Priority = rec.Issued, rec.Lang, rec.Priority
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
func recordOf(t antre.Ticket, priority bool, office *officeInfo) ticketRecord {
	rec := ticketRecord{Issued: antre.IssuedTicket{Ticket: t}, Lang: "id", Priority: priority}
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

// adoptHeld takes over the tickets the hub lists as owed by this kiosk (their print failed
// before a restart of this runtime), so that they print when the printer is ready.
func (k *Kiosk) adoptHeld(ctx context.Context) error {
	ts, err := k.hub.held(ctx)
	if err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, t := range ts {
		if _, known := k.tickets[t.Code]; known {
			continue
		}
		r := k.rememberLocked(recordOf(t, t.Priority(), k.office))
		r.State, r.Problem = stateHeld, "restart"
		k.held = append(k.held, t.Code)
		k.log.Info("held ticket taken over from the hub", "ticket", t.Code)
	}
	if len(ts) > 0 {
		k.changedLocked()
		poke(k.flush)
	}
	return nil
}

// hold keeps a ticket that could not be printed. A failed send (sent) counts as an attempt:
// the ticket, and every other held ticket, is not sent again by itself before its backoff has
// passed, and after PrintAttempts failed sends it waits for an officer. The first time, hold
// tells the hub the print failed, so officers see the number and can reprint or cancel it.
func (k *Kiosk) hold(code string, problems []string, sent bool) []string {
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
		k.held = append(k.held, code)
		k.out.add(note{path: "/api/v1/tickets/" + code + "/printed", body: map[string]any{"ok": false, "detail": r.Problem}})
		k.log.Warn("ticket held", "ticket", code, "problems", r.Problem)
	}
	k.changedLocked()
	return problems
}

// printed records a printed ticket and tells the hub. The printer works: the pause after a
// failed send ends, so other held tickets print as soon as they are due.
func (k *Kiosk) printed(code string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	r := k.tickets[code]
	if r.State == stateHeld {
		k.held = slices.DeleteFunc(k.held, func(c string) bool { return c == code })
		k.log.Info("held ticket printed", "ticket", code)
	}
	r.State, r.Problem, r.Attempts, r.Next = statePrinted, "", 0, time.Time{}
	k.pause = time.Time{}
	k.out.add(note{path: "/api/v1/tickets/" + code + "/printed", body: map[string]any{"ok": true}})
	k.changedLocked()
}

// release forgets a held ticket that no longer needs printing (cancelled or served).
func (k *Kiosk) release(code, why string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if !slices.Contains(k.held, code) {
		return
	}
	k.held = slices.DeleteFunc(k.held, func(c string) bool { return c == code })
	if r := k.tickets[code]; r != nil {
		r.State = why
	}
	k.log.Info("held ticket released", "ticket", code, "why", why)
	k.changedLocked()
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
		v, err := k.hub.lookup(ctx, code)
		var he *hubError
		switch {
		case err == nil && v.Status == antre.StatusCancelled:
			k.release(code, "cancelled")
			continue
		case err == nil && v.Status == antre.StatusDone:
			k.release(code, "done")
			continue
		case errors.As(err, &he) && he.Status == http.StatusNotFound:
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
	v, err := k.hub.lookup(ctx, code)
	switch {
	case err == nil && known:
		k.updateWait(code, v)
	case err == nil:
		rec := recordOf(antre.Ticket{Code: v.Code, Group: v.Group, IssuedAt: v.IssuedAt}, v.Priority, office)
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
