package kiosk

import (
	"antre/client"
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"time"

	"antre"
)

// tapState is where a tap stands. A working tap ends in exactly one of the other states.
type tapState string

// The tap states.
const (
	tapWorking tapState = "working" // reading the printer, issuing (retrying while the hub is away), printing
	tapPrinted tapState = "printed" // the ticket came out of the printer
	tapHeld    tapState = "held"    // the ticket was issued but not printed: it is held for a reprint
	tapRefused tapState = "refused" // the printer cannot print: nothing was issued
	tapFailed  tapState = "failed"  // the hub refused (quota used up …): nothing was issued
)

// tap is one applicant's request for one number, as the page follows it.
type tap struct {
	ID       string         `json:"id"`
	Group    string         `json:"group"`
	Category antre.Category `json:"category,omitempty"`
	Lang     string         `json:"lang"`
	// Booking is set for a booking's check-in: the ticket comes from the online pool of the
	// booking's group. The NIK's digits that go with it are never shown or kept.
	Booking  string   `json:"booking,omitempty"`
	nikLast6 string   // the check-in's digits, sent once to the hub
	State    tapState `json:"state"`
	// Retrying is set while the hub cannot be reached and the issue is being retried.
	Retrying bool `json:"retrying,omitempty"`
	// Problems are the printer's problems that refused or held the tap.
	Problems []string `json:"problems,omitempty"`
	// Error is the hub's refusal, worded for the applicant in Lang.
	Error  *pageError          `json:"error,omitempty"`
	Ticket *antre.IssuedTicket `json:"ticket,omitempty"` // the hub's answer, as the confirmation screen shows it
	done   chan struct{}       // closed when the tap has ended
}

// pageError is an error the page shows: a code it knows and a message for the applicant.
type pageError struct {
	Code    string `json:"code"`
	Message string `json:"message,omitempty"`
}

// Reasons a tap is not started.
var (
	errBusy     = errors.New("another tap is running")
	errNotReady = errors.New("the office is not known yet")
)

// startTap queues a tap for the tap worker and returns it. While another tap runs it returns
// that tap and errBusy, so one touch can never start two.
func (k *Kiosk) startTap(group string, cat antre.Category, lang string) (*tap, error) {
	return k.start(&tap{Group: group, Category: cat, Lang: lang})
}

// startCheckIn queues a booking's check-in like a tap (same printer check, retries and print)
// and returns it; errBusy while another tap runs.
func (k *Kiosk) startCheckIn(booking, last6, lang string) (*tap, error) {
	return k.start(&tap{Booking: booking, nikLast6: last6, Lang: lang})
}

// start makes t the current tap, working, and hands it to the tap worker; while another tap
// runs it returns that one and errBusy.
func (k *Kiosk) start(t *tap) (*tap, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.tap != nil && k.tap.State == tapWorking {
		return k.tap, errBusy
	}
	if k.office == nil || k.quota == nil {
		return nil, errNotReady
	}
	t.ID, t.State, t.done = rand.Text(), tapWorking, make(chan struct{})
	k.tap = t
	k.changedLocked()
	k.taps <- t // never blocks: the worker has finished the previous tap, or is about to take it
	return t, nil
}

// tapWorker runs the taps one after the other until ctx ends.
func (k *Kiosk) tapWorker(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case t := <-k.taps:
			k.runTap(ctx, t)
		}
	}
}

// runTap takes one tap to its end: it reads the printer's status, issues the ticket with one
// idempotency key however often the issue has to be retried, and prints it.
func (k *Kiosk) runTap(ctx context.Context, t *tap) {
	start := time.Now()
	if problems := k.check(ctx); len(problems) > 0 {
		k.log.Warn("tap refused: printer cannot print", "group", t.Group, "problems", problems)
		k.endTap(t, tapRefused, func(t *tap) { t.Problems = problems })
		return
	}
	key := rand.Text()
	var it antre.IssuedTicket
	for wait := minBackoff; ; wait = min(2*wait, maxBackoff) {
		var err error
		if t.Booking != "" {
			it, err = checkIn(ctx, k.hub, t.Booking, t.nikLast6, key, t.Lang)
		} else {
			it, err = issue(ctx, k.hub, t.Group, t.Category, key, t.Lang)
		}
		if err == nil {
			break
		}
		he, refused := client.Refusal(err)
		switch {
		case ctx.Err() != nil:
			k.endTap(t, tapFailed, func(t *tap) { t.Error = &pageError{Code: "stopped"} })
			return
		case refused && (!he.Temporary() || t.Booking != "" && he.Status == http.StatusTooManyRequests):
			// a check-in slowed down for too many attempts says so, rather than trying again
			k.log.Info("tap refused by the hub", "group", t.Group, "code", he.Code, "err", err)
			k.endTap(t, tapFailed, func(t *tap) { t.Error = &pageError{Code: he.Code, Message: he.Message} })
			return
		}
		k.log.Warn("hub unreachable; retrying the issue", "group", t.Group, "err", err, "retry_in", wait)
		k.updateTap(t, func(t *tap) { t.Retrying = true })
		if !sleep(ctx, wait) {
			k.endTap(t, tapFailed, func(t *tap) { t.Error = &pageError{Code: "stopped"} })
			return
		}
	}
	issued := time.Since(start)
	k.updateTap(t, func(t *tap) {
		t.Retrying = false
		t.Ticket = &it
		t.Group = it.Group
		t.nikLast6 = ""
	})
	// The ticket is known, and saved, before it prints, so that the hub's list of unprinted
	// tickets, read again on a reconnection, does not hand it over a second time.
	k.mu.Lock()
	if r := k.rememberLocked(ticketRecord{Issued: it, Lang: t.Lang}); r.State == "" {
		r.State = statePrinting
	}
	k.mu.Unlock()
	k.save() // a ticket printing when the runtime dies is printed after its restart, in t.Lang
	if out, problems := k.deliver(ctx, it.Code, causeTap); out != outPrinted {
		k.endTap(t, tapHeld, func(t *tap) { t.Problems = problems })
		return
	}
	k.log.Info("ticket printed", "ticket", it.Code, "issue", issued, "total", time.Since(start))
	k.endTap(t, tapPrinted, nil)
}

// updateTap changes a tap under the lock and tells the page.
func (k *Kiosk) updateTap(t *tap, change func(*tap)) {
	k.mu.Lock()
	defer k.mu.Unlock()
	change(t)
	k.changedLocked()
}

// endTap gives a tap its final state.
func (k *Kiosk) endTap(t *tap, s tapState, change func(*tap)) {
	k.updateTap(t, func(t *tap) {
		t.State = s
		t.nikLast6 = ""
		if change != nil {
			change(t)
		}
	})
	close(t.done)
}

// tapCopy returns a copy of t taken under the lock, to be encoded while the tap goes on.
func (k *Kiosk) tapCopy(t *tap) tap {
	k.mu.Lock()
	defer k.mu.Unlock()
	return *t
}
