package hq

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"antre/hqwire"
)

// kick wakes the settings publisher.
func (h *HQ) kick() {
	select {
	case h.poke <- struct{}{}:
	default:
	}
}

// runSettings publishes the outbox of settings to the offices' subjects, in order, each with
// its message ID, and marks them published once JetStream acknowledged them. An office reads
// them through its durable consumer whenever its link is up.
func (h *HQ) runSettings(ctx context.Context) error {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-h.poke:
		case <-tick.C:
		}
		for ctx.Err() == nil {
			n, err := h.publishSettings(ctx)
			if err != nil {
				h.log.Warn("settings: publish", "err", err)
				break
			}
			if n == 0 {
				break
			}
		}
	}
}

func (h *HQ) publishSettings(ctx context.Context) (int, error) {
	pending, err := h.store.Pending(ctx, 200)
	if err != nil || len(pending) == 0 {
		return 0, err
	}
	futures := make([]jetstream.PubAckFuture, 0, len(pending))
	for _, p := range pending {
		b, err := json.Marshal(p.Setting)
		if err != nil {
			return 0, err
		}
		m := nats.NewMsg(hqwire.SettingsSubject(p.Office))
		m.Data = b
		m.Header.Set(jetstream.MsgIDHeader, hqwire.SettingMsgID(p.Setting.ID))
		f, err := h.js.PublishMsgAsync(m)
		if err != nil {
			return 0, err
		}
		futures = append(futures, f)
	}
	var ids []int64
	timeout := time.NewTimer(10 * time.Second)
	defer timeout.Stop()
	var firstErr error
	for i, f := range futures {
		select {
		case <-f.Ok():
			ids = append(ids, pending[i].Setting.ID)
		case err := <-f.Err():
			if firstErr == nil {
				firstErr = err
			}
		case <-timeout.C:
			firstErr = fmt.Errorf("no acknowledgement from JetStream")
		case <-ctx.Done():
			return 0, ctx.Err()
		}
		if firstErr != nil {
			break
		}
	}
	if len(ids) > 0 {
		if err := h.store.MarkPublished(ctx, ids); err != nil {
			return 0, err
		}
	}
	return len(ids), firstErr
}

// onStatus takes an office's heartbeat: its link is up, its backlog and clock are known, and a
// log that went back below what headquarters stores (a restored backup) is flagged.
func (h *HQ) onStatus(m *nats.Msg) {
	office, ok := hqwire.OfficeOf(m.Subject)
	var s hqwire.Status
	if !ok || json.Unmarshal(m.Data, &s) != nil {
		return
	}
	now := h.view.now()
	h.view.mu.Lock()
	st := h.view.offices[office]
	if st == nil {
		h.view.mu.Unlock()
		return
	}
	s.Office = office
	st.status, st.statusAt, st.skew = s, now, s.Now.Sub(now)
	// Compared with what was stored RestoreMargin ago: events shipped after the heartbeat
	// may be stored before it is read here, but not that long before.
	max := st.maxBefore(now.Add(-h.cfg.RestoreMargin))
	behind := s.LastCommitted < max && st.info.RestoredAt == nil
	if behind {
		st.info.RestoredAt = &now
		st.info.RestoredNote = fmt.Sprintf("the office's newest event is %d but headquarters stores events up to %d: its log went back (a restored backup?)",
			s.LastCommitted, max)
	}
	h.view.touch(office)
	h.view.mu.Unlock()
	if behind {
		h.log.Error("office log behind headquarters: restored from a backup? Its events are never counted twice; check it",
			"office", office, "office_last", s.LastCommitted, "hq_max", max)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		h.store.MarkRestored(ctx, office, fmt.Sprintf("the office's newest event is %d but headquarters stores events up to %d: its log went back (a restored backup?)",
			s.LastCommitted, max))
	}
}

// runGaps asks offices for events headquarters misses: a hole between stored IDs, or a tail
// the office says it shipped but headquarters does not store (a message lost from the stream),
// once the ingest has caught up (nothing pending in the consumer) and the hole has stayed
// GapGrace. The office publishes the range again (hqwire.KindResend).
func (h *HQ) runGaps(ctx context.Context) error {
	for sleep(ctx, h.cfg.GapGrace/4) {
		if err := h.checkGaps(ctx); err != nil && ctx.Err() == nil {
			h.log.Debug("gap check", "err", err)
		}
	}
	return nil
}

func (h *HQ) checkGaps(ctx context.Context) error {
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	c, err := h.js.Consumer(cctx, hqwire.EventsStream, hqwire.IngestConsumer)
	if err != nil {
		return err
	}
	info, err := c.Info(cctx)
	if err != nil {
		return err
	}
	if info.NumPending > 0 || info.NumAckPending > 0 || h.pgDown.Load() {
		return nil // still ingesting: a hole may be on its way
	}
	now := h.view.now()
	type ask struct {
		office         string
		after, through int64
	}
	var asks []ask
	h.view.mu.Lock()
	for code, st := range h.view.offices {
		through := st.info.MaxEventID
		if st.status.Shipped > through && st.info.RestoredAt == nil {
			through = st.status.Shipped
		}
		if through <= st.info.Contiguous {
			st.gapSince = time.Time{}
			continue
		}
		if st.gapSince.IsZero() {
			st.gapSince = now
		}
		if now.Sub(st.gapSince) >= h.cfg.GapGrace && now.Sub(st.lastResend) >= 3*h.cfg.GapGrace {
			st.lastResend = now
			asks = append(asks, ask{code, st.info.Contiguous, through})
		}
	}
	h.view.mu.Unlock()
	for _, a := range asks {
		gaps, err := h.store.Gaps(ctx, a.office, a.after, a.through, 50)
		if err != nil {
			return err
		}
		for _, g := range gaps {
			h.log.Warn("gap: asking the office for its events again", "office", a.office, "from", g[0], "to", g[1])
			if err := h.store.Enqueue(ctx, a.office, hqwire.Setting{Kind: hqwire.KindResend, From: g[0], To: g[1]}); err != nil {
				return err
			}
		}
		h.kick()
	}
	return nil
}
