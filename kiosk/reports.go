package kiosk

import (
	"antre/client"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"
)

// note is one report to the hub that must arrive even if the hub is down when it is made, or
// the kiosk restarts before it arrives: a ticket printed or not, a printer alert raised or
// cleared. Notes are kept in the state file as they are.
type note struct {
	Path string          `json:"path"` // POST path on the hub
	Body json.RawMessage `json:"body"`
	// Ticket is the ticket a print report is about; empty for alerts.
	Ticket string `json:"ticket,omitempty"`
	// At is when the report was made. A ticket code names another ticket on another day, so
	// a print report not delivered on the day it was made is dropped.
	At time.Time `json:"at"`
}

// newNote is a report of body to path.
func newNote(path string, body map[string]any, ticket string) note {
	b, _ := json.Marshal(body) // maps of strings and booleans always encode
	return note{Path: path, Body: b, Ticket: ticket, At: time.Now()}
}

// printReport is the report that ticket code printed (ok) or did not, and why.
func printReport(code string, ok bool, detail string) note {
	body := map[string]any{"ok": ok}
	if !ok {
		body["detail"] = detail
	}
	return newNote("/api/v1/tickets/"+code+"/printed", body, code)
}

// reports delivers notes to the hub in the order they were made, retrying each until the hub
// takes it or refuses it for good. Order matters: "print failed" then "printed" must not
// arrive the other way round, nor "alert cleared" before "alert raised". The kiosk saves the
// queue with its state whenever it changes: saved is called after a note leaves it.
type reports struct {
	hub   *client.Client
	log   *slog.Logger
	saved func()
	stale func(note) bool // reports that must no longer be sent

	mu    sync.Mutex
	notes []note
	wake  chan struct{}
}

func newReports(hub *client.Client, log *slog.Logger, saved func(), stale func(note) bool) *reports {
	return &reports{hub: hub, log: log, saved: saved, stale: stale, wake: make(chan struct{}, 1)}
}

// add queues n behind the notes already waiting.
func (o *reports) add(n note) {
	o.mu.Lock()
	o.notes = append(o.notes, n)
	o.mu.Unlock()
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// tickets returns the tickets with a print report that has not reached the hub yet: until it
// has, the hub's list of unprinted tickets does not show what the kiosk reported.
func (o *reports) tickets() map[string]bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	m := map[string]bool{}
	for _, n := range o.notes {
		if n.Ticket != "" {
			m[n.Ticket] = true
		}
	}
	return m
}

// queued returns a copy of the notes waiting, oldest first.
func (o *reports) queued() []note {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.notes)
}

// pending is how many notes have not reached the hub yet.
func (o *reports) pending() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.notes)
}

// run sends the notes until ctx ends, waiting longer between attempts while the hub is down
// (up to maxBackoff).
func (o *reports) run(ctx context.Context) {
	wait := minBackoff
	for {
		o.mu.Lock()
		var n note
		more := len(o.notes) > 0
		if more {
			n = o.notes[0]
		}
		o.mu.Unlock()
		if !more {
			select {
			case <-o.wake:
				continue
			case <-ctx.Done():
				return
			}
		}
		var err error
		if o.stale(n) {
			o.log.Warn("report from an earlier day dropped", "path", n.Path, "made", n.At)
		} else {
			err = o.hub.Do(ctx, http.MethodPost, n.Path, n.Body, nil)
		}
		if ctx.Err() != nil {
			return // stopping: the note stays queued (and saved) for the next run
		}
		if err != nil && client.Temporary(err) {
			o.log.Debug("hub report delayed", "path", n.Path, "err", err, "retry_in", wait)
			if !sleep(ctx, wait) {
				return
			}
			wait = min(2*wait, maxBackoff)
			continue
		}
		if err != nil {
			o.log.Error("hub refused a report", "path", n.Path, "err", err)
		}
		wait = minBackoff
		o.mu.Lock()
		o.notes = o.notes[1:]
		o.mu.Unlock()
		o.saved()
	}
}

// Backoff between attempts to reach the hub.
const (
	minBackoff = 200 * time.Millisecond
	maxBackoff = 2 * time.Second
)

// sleep waits d; it returns false when ctx ended first.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
