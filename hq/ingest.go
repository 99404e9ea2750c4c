package hq

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"antre"
	"antre/hq/pg"
	"antre/hqwire"
	"antre/tally"
)

// ingestBatch is how many messages one ingest transaction takes at most.
const ingestBatch = 1000

// runIngest reads the events stream through headquarters' durable consumer and stores each
// batch in one transaction, acknowledging the messages only after it committed. While
// PostgreSQL refuses, nothing is acknowledged: the messages stay in the stream and come again.
// The same goroutine folds the new events into the live view and writes the current days'
// figures, so the view never races the store.
func (h *HQ) runIngest(ctx context.Context) error {
	var cons jetstream.Consumer
	backoff := 250 * time.Millisecond
	lastFlush := time.Now()
	for ctx.Err() == nil {
		if cons == nil {
			c, err := h.js.Consumer(ctx, hqwire.EventsStream, hqwire.IngestConsumer)
			if err != nil {
				h.log.Warn("ingest: consumer not reachable", "err", err)
				sleep(ctx, backoff)
				backoff = min(2*backoff, 5*time.Second)
				continue
			}
			cons = c
		}
		batch, err := cons.Fetch(ingestBatch, jetstream.FetchMaxWait(200*time.Millisecond))
		if err != nil {
			if ctx.Err() == nil {
				h.log.Warn("ingest: fetch", "err", err)
				if errors.Is(err, jetstream.ErrConsumerNotFound) {
					cons = nil
					h.ensureStreams(ctx)
				}
				sleep(ctx, backoff)
				backoff = min(2*backoff, 5*time.Second)
			}
			continue
		}
		var msgs []jetstream.Msg
		for m := range batch.Messages() {
			msgs = append(msgs, m)
		}
		if len(msgs) > 0 {
			if err := h.ingest(ctx, msgs); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				h.pgDown.Store(true)
				h.log.Error("ingest: PostgreSQL refused the batch; nothing acknowledged, waiting for it", "events", len(msgs), "err", err)
				for _, m := range msgs {
					m.Nak()
				}
				h.waitForStore(ctx)
				continue
			}
			if h.pgDown.Swap(false) {
				h.log.Info("ingest: PostgreSQL back; storing again")
			}
		}
		backoff = 250 * time.Millisecond
		if time.Since(lastFlush) > time.Second {
			h.flushDays(ctx)
			lastFlush = time.Now()
		}
	}
	return nil
}

// waitForStore returns once PostgreSQL answers again (or ctx ends).
func (h *HQ) waitForStore(ctx context.Context) {
	d := 250 * time.Millisecond
	for sleep(ctx, d) {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		err := h.store.Ping(pctx)
		cancel()
		if err == nil {
			return
		}
		d = min(2*d, 5*time.Second)
	}
}

// ingest stores one batch and folds it into the view.
func (h *HQ) ingest(ctx context.Context, msgs []jetstream.Msg) error {
	locs := h.view.locs()
	in := make([]pg.Incoming, 0, len(msgs))
	keep := make([]jetstream.Msg, 0, len(msgs))
	zones := map[string]string{}
	for _, m := range msgs {
		office, ok := hqwire.OfficeOf(m.Subject())
		loc, known := locs[office]
		if !ok || !known {
			h.log.Error("ingest: an event of an office headquarters does not know; dropped", "subject", m.Subject())
			m.Term()
			continue
		}
		var e antre.Event
		if err := json.Unmarshal(m.Data(), &e); err != nil || e.ID <= 0 {
			h.log.Error("ingest: an unreadable event; dropped", "office", office, "err", err)
			m.Term()
			continue
		}
		if e.Office != office {
			h.log.Warn("ingest: an event names another office than its subject; the subject counts", "subject_office", office, "claimed", e.Office, "id", e.ID)
			e.Office = office
		}
		if e.Type == tally.EvDay {
			var d tally.DayData
			if json.Unmarshal(e.Data, &d) == nil && d.TimeZone != "" && d.TimeZone != loc.String() {
				if l, err := time.LoadLocation(d.TimeZone); err == nil {
					zones[office], loc = d.TimeZone, l
					locs[office] = l
				}
			}
		}
		in = append(in, pg.Incoming{Office: office, Event: e, Day: tally.DateOf(e, loc), Hash: pg.Hash(m.Data())})
		keep = append(keep, m)
	}
	if len(in) == 0 {
		return nil
	}
	t0 := time.Now()
	res, err := h.store.Ingest(ctx, in)
	if err != nil {
		return err
	}
	h.log.Debug("ingest: batch", "events", len(in), "inserted", len(res.Inserted), "duplicates", res.Duplicates, "conflicts", len(res.Conflicts), "took", time.Since(t0))
	for _, m := range keep {
		m.Ack() // after the commit; a lost ack means a redelivery that the primary key drops
	}
	for office, tz := range zones {
		l, _ := time.LoadLocation(tz)
		if err := h.store.SetTimeZone(ctx, office, tz, func(e antre.Event) string { return tally.DateOf(e, l) }); err != nil {
			h.log.Error("ingest: office time zone", "office", office, "err", err)
		}
		h.view.mu.Lock()
		if st := h.view.offices[office]; st != nil {
			st.loc, st.info.TimeZone, st.recompute = l, tz, true
		}
		h.view.mu.Unlock()
	}
	for _, c := range res.Conflicts {
		h.log.Error("ingest: an event ID came again with other content (the office's log went back?); kept aside, not counted",
			"office", c.Office, "id", c.Event.ID)
		h.store.MarkRestored(ctx, c.Office, fmt.Sprintf("event %d arrived again with other content", c.Event.ID))
	}
	h.apply(res)
	h.recomputeDays(ctx)
	return nil
}

// apply folds stored events into the view: in order, when they continue what the office's day
// has seen; otherwise the day is folded again from the store.
func (h *HQ) apply(res pg.Result) {
	v := h.view
	now := v.now()
	v.mu.Lock()
	defer v.mu.Unlock()
	conflicts := map[string]int64{}
	for _, c := range res.Conflicts {
		conflicts[c.Office]++
	}
	for office, n := range conflicts {
		if st := v.offices[office]; st != nil {
			st.info.Conflicts += n
			if st.info.RestoredAt == nil {
				st.info.RestoredAt = &now
			}
			v.touch(office)
		}
	}
	for _, b := range res.Inserted { // in ID order per office
		st := v.offices[b.Office]
		if st == nil || st.recompute {
			continue
		}
		if b.Event.ID <= st.applied {
			st.recompute = true // an earlier event arrived late: fold the day again
			continue
		}
		st.applied = b.Event.ID
		if b.Event.At.After(ptrTime(st.info.LastEventAt)) || b.Event.ID == st.info.MaxEventID {
			at := b.Event.At
			st.info.LastEventAt = &at
		}
		if b.Event.Type == antre.EvQuota && (st.day == nil || b.Day != st.day.Date()) {
			continue // a quota for another day: stored, and folded when that day is the office's
		}
		switch {
		case st.day == nil || b.Day > st.day.Date():
			st.recompute = true // a new business date: fold it from the store, which may hold settings sent ahead
		case b.Day == st.day.Date():
			st.day.Apply(b.Event)
		}
	}
	// Counters move with the figures: an office whose day is folded again gets both from the
	// store at once (foldOffice), so no reader sees all its events counted but not all folded.
	for office, p := range res.Progress {
		st := v.offices[office]
		if st == nil || st.recompute {
			continue
		}
		st.info.Events, st.info.MaxEventID, st.info.Contiguous = p.Events, p.MaxEventID, p.Contiguous
		st.info.LastReceivedAt = &now
		st.noteMax(now, p.MaxEventID)
		v.touch(office)
	}
}

func ptrTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// recomputeDays folds again, from the store, the current day of every office whose events came
// out of order (or whose time zone changed).
func (h *HQ) recomputeDays(ctx context.Context) {
	h.view.mu.RLock()
	var todo []string
	for c, st := range h.view.offices {
		if st.recompute {
			todo = append(todo, c)
		}
	}
	h.view.mu.RUnlock()
	for _, c := range todo {
		if err := h.foldOffice(ctx, c); err != nil {
			h.log.Error("fold office day", "office", c, "err", err)
		}
	}
}

// foldOffice folds an office's current day (its newest event's date) from the store.
func (h *HQ) foldOffice(ctx context.Context, code string) error {
	o, err := h.store.Office(ctx, code)
	if err != nil {
		return err
	}
	date, err := h.store.LatestDay(ctx, code)
	if err != nil {
		return err
	}
	var day *tally.Day
	if date != "" {
		evs, err := h.store.EventsOfDay(ctx, code, date)
		if err != nil {
			return err
		}
		day = tally.NewDay(date)
		for _, e := range evs {
			day.Apply(e)
		}
	}
	h.view.mu.Lock()
	defer h.view.mu.Unlock()
	st := h.view.offices[code]
	if st == nil {
		return nil
	}
	st.day, st.applied, st.recompute = day, o.MaxEventID, false
	if len(st.marks) == 0 {
		st.marks = []mark{{time.Time{}, o.MaxEventID}} // stored before headquarters started
	} else {
		st.noteMax(h.view.now(), o.MaxEventID)
	}
	st.info.Events, st.info.MaxEventID, st.info.Contiguous, st.info.LastEventAt = o.Events, o.MaxEventID, o.Contiguous, o.LastEventAt
	st.info.LastReceivedAt = o.LastReceivedAt
	st.info.Conflicts, st.info.RestoredAt, st.info.RestoredNote = o.Conflicts, o.RestoredAt, o.RestoredNote
	h.view.touch(code)
	return nil
}

// flushDays writes each office's current day's figures to the days table when they changed,
// for the reports. Only the ingest goroutine calls it, so the figures hold every stored event
// of that day.
func (h *HQ) flushDays(ctx context.Context) {
	type item struct {
		office string
		f      tally.Figures
	}
	var todo []item
	h.view.mu.RLock()
	for c, st := range h.view.offices {
		if st.day != nil && !st.recompute && (st.day.LastEventID() != st.flushed || st.day.Date() != st.flushedDate) {
			todo = append(todo, item{c, st.day.Figures()})
		}
	}
	h.view.mu.RUnlock()
	if len(todo) == 0 {
		return
	}
	offices, figs := make([]string, len(todo)), make([]tally.Figures, len(todo))
	for i, it := range todo {
		offices[i], figs[i] = it.office, it.f
	}
	if err := h.store.SaveCurrentDays(ctx, offices, figs); err != nil {
		h.log.Warn("save day figures", "err", err)
		return
	}
	h.view.mu.Lock()
	for _, it := range todo {
		if st := h.view.offices[it.office]; st != nil {
			st.flushed, st.flushedDate = it.f.LastEventID, it.f.Date
		}
	}
	h.view.mu.Unlock()
}

// runDays folds again, from the store, the figures of dates that got events after they were
// folded and are no office's current day (late events, filled gaps, a previous day).
func (h *HQ) runDays(ctx context.Context) error {
	for sleep(ctx, 2*time.Second) {
		if err := h.foldStaleDays(ctx); err != nil && ctx.Err() == nil {
			h.log.Warn("fold stale days", "err", err)
		}
	}
	return nil
}

// foldStaleDays folds every stale date that is not an office's current day.
func (h *HQ) foldStaleDays(ctx context.Context) error {
	stale, err := h.store.StaleDays(ctx, 500)
	if err != nil {
		return err
	}
	h.view.mu.RLock()
	current := map[string]string{}
	locs := map[string]*time.Location{}
	for c, st := range h.view.offices {
		if st.day != nil {
			current[c] = st.day.Date()
		}
		locs[c] = st.loc
	}
	h.view.mu.RUnlock()
	for _, d := range stale {
		if current[d.Office] == d.Day {
			continue // the ingest writes it
		}
		evs, err := h.store.EventsOfDay(ctx, d.Office, d.Day)
		if err != nil {
			return err
		}
		if err := h.store.SaveDay(ctx, d, tally.Fold(d.Day, locs[d.Office], evs)); err != nil {
			return err
		}
	}
	return nil
}

// loadOffices reads every office into the view and folds its current day.
func (h *HQ) loadOffices(ctx context.Context) error {
	offices, err := h.store.Offices(ctx)
	if err != nil {
		return err
	}
	for _, o := range offices {
		if err := h.addOffice(ctx, o); err != nil {
			return err
		}
	}
	return nil
}

// addOffice puts a new office in the view, with its settings consumer.
func (h *HQ) addOffice(ctx context.Context, o pg.Office) error {
	if err := h.ensureConsumer(ctx, o.Code); err != nil {
		return fmt.Errorf("settings consumer of %s: %w", o.Code, err)
	}
	loc, err := time.LoadLocation(o.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	h.view.mu.Lock()
	if _, ok := h.view.offices[o.Code]; !ok {
		h.view.offices[o.Code] = &officeState{info: o, loc: loc}
	}
	h.view.mu.Unlock()
	if err := h.foldOffice(ctx, o.Code); err != nil {
		return err
	}
	h.kick()
	return nil
}

// runOffices watches the offices table: an office added by `antre hq office add` (another
// process) joins the view and gets its settings consumer; names, regions and flags changed
// there show.
func (h *HQ) runOffices(ctx context.Context) error {
	for sleep(ctx, time.Second) {
		offices, err := h.store.Offices(ctx)
		if err != nil {
			continue
		}
		for _, o := range offices {
			h.view.mu.Lock()
			st, ok := h.view.offices[o.Code]
			if ok && (st.info.Name != o.Name || st.info.Region != o.Region || (st.info.RestoredAt == nil) != (o.RestoredAt == nil) || st.info.RestoredNote != o.RestoredNote) {
				st.info.Name, st.info.Region, st.info.RestoredAt, st.info.RestoredNote = o.Name, o.Region, o.RestoredAt, o.RestoredNote
				h.view.touch(o.Code)
			}
			h.view.mu.Unlock()
			if !ok {
				if err := h.addOffice(ctx, o); err != nil {
					h.log.Warn("new office", "office", o.Code, "err", err)
				} else {
					h.log.Info("office joined", "office", o.Code, "name", o.Name)
				}
			}
		}
	}
	return nil
}
