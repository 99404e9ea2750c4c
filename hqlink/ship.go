package hqlink

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"antre"
	"antre/hqwire"
)

// consumer names the office's ship cursor for headquarters in the hub's event log.
const consumer = "hq"

// connect opens the link: TLS, the office's credentials, its own inbox prefix, reconnecting
// for ever; publishes while disconnected fail at once instead of piling up in memory (the
// event log is the buffer).
func (m *Module) connect() (*nats.Conn, error) {
	opts := []nats.Option{
		nats.Name("antre office " + m.office.Code),
		hqwire.UserOptions(m.creds.JWT, m.creds.Seed),
		nats.CustomInboxPrefix(hqwire.InboxPrefix(m.office.Code)),
		nats.MaxReconnects(-1), nats.ReconnectWait(time.Second), nats.ReconnectJitter(500*time.Millisecond, time.Second),
		nats.RetryOnFailedConnect(true), nats.ReconnectBufSize(-1), nats.Timeout(5 * time.Second),
		nats.PingInterval(10 * time.Second), nats.MaxPingsOutstanding(2),
		nats.ConnectHandler(func(*nats.Conn) { m.setConnected(true, "") }),
		nats.ReconnectHandler(func(*nats.Conn) { m.setConnected(true, "") }),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			msg := "disconnected"
			if err != nil {
				msg = err.Error()
			}
			m.setConnected(false, msg)
		}),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			m.log.Warn("hq link: error from headquarters", "err", err)
			m.noteErr(err)
		}),
	}
	tc, err := hqwire.TLSConfig(m.caPEM)
	if err != nil {
		return nil, err
	}
	opts = append(opts, nats.Secure(tc))
	return nats.Connect(m.cfg.NATSURL, opts...)
}

func (m *Module) setConnected(up bool, why string) {
	l := &m.link
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.connected != up || l.since.IsZero() {
		l.since = m.now()
	}
	l.connected = up
	if up {
		l.lastErr = ""
		m.log.Info("hq link up")
	} else {
		l.lastErr = why
		m.log.Warn("hq link down; the office keeps working and ships when it returns", "why", why)
	}
}

func (m *Module) noteErr(err error) {
	m.link.mu.Lock()
	m.link.lastErr = err.Error()
	m.link.mu.Unlock()
}

// run is the module's worker: it connects, reads settings in the background, and ships.
func (m *Module) run(ctx context.Context) error {
	nc, err := m.connect()
	if err != nil {
		return fmt.Errorf("hq link: %w", err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(2*m.cfg.Batch))
	if err != nil {
		return err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.receive(ctx, nc, js)
	}()
	m.ship(ctx, nc, js)
	<-done
	return nil
}

// ship publishes the event log's unshipped events and the heartbeat until ctx ends.
func (m *Module) ship(ctx context.Context, nc *nats.Conn, js jetstream.JetStream) {
	backoff := 250 * time.Millisecond
	var beat time.Time
	var seen int64 // LastCommitted when the log was last found fully shipped
	for ctx.Err() == nil {
		m.watchDay(ctx)
		if !nc.IsConnected() {
			sleep(ctx, 250*time.Millisecond)
			continue
		}
		if time.Since(beat) >= m.cfg.Heartbeat {
			m.heartbeat(nc)
			beat = time.Now()
		}
		last := m.events.LastCommitted()
		n, err := m.events.Ship(ctx, consumer, m.cfg.Batch, func(evs []antre.Event) error { return m.send(ctx, js, evs) })
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			m.noteErr(err)
			m.log.Warn("hq link: shipping failed; the events stay in the log and go again", "err", err, "retry_in", backoff)
			sleep(ctx, backoff)
			backoff = min(2*backoff, m.cfg.RetryMax)
			continue
		}
		backoff = 250 * time.Millisecond
		if n > 0 {
			continue // a backlog drains at full speed
		}
		if seen < last {
			seen = last
			m.link.mu.Lock()
			m.link.shipped = max(m.link.shipped, last)
			m.link.mu.Unlock()
		}
		// Nothing to ship: wait for a new event, the next heartbeat or the end.
		for ctx.Err() == nil && m.events.LastCommitted() == last && time.Since(beat) < m.cfg.Heartbeat && nc.IsConnected() {
			sleep(ctx, 50*time.Millisecond)
		}
	}
}

// send publishes evs in order and waits until JetStream acknowledged every one; any failure
// fails the round (the cursor stays; the round goes again, and JetStream and headquarters'
// primary key drop what arrived twice).
func (m *Module) send(ctx context.Context, js jetstream.JetStream, evs []antre.Event) error {
	return m.publish(ctx, js, evs, func(e antre.Event) string { return hqwire.MsgID(m.office.Code, e.ID) }, func() {
		m.link.mu.Lock()
		m.link.shipped, m.link.lastShippedAt = evs[len(evs)-1].ID, m.now()
		m.link.mu.Unlock()
	})
}

func (m *Module) publish(ctx context.Context, js jetstream.JetStream, evs []antre.Event, id func(antre.Event) string, acked func()) error {
	subject := hqwire.EventsSubject(m.office.Code)
	futures := make([]jetstream.PubAckFuture, 0, len(evs))
	for _, e := range evs {
		b, err := json.Marshal(hqwire.HQView(e))
		if err != nil {
			return err
		}
		msg := &nats.Msg{Subject: subject, Data: b, Header: nats.Header{}}
		msg.Header.Set(jetstream.MsgIDHeader, id(e))
		f, err := js.PublishMsgAsync(msg)
		if err != nil {
			return fmt.Errorf("publish event %d: %w", e.ID, err)
		}
		futures = append(futures, f)
	}
	timeout := time.NewTimer(m.cfg.AckWait)
	defer timeout.Stop()
	for i, f := range futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			return fmt.Errorf("event %d not acknowledged: %w", evs[i].ID, err)
		case <-timeout.C:
			return fmt.Errorf("event %d: no acknowledgement within %v", evs[i].ID, m.cfg.AckWait)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	acked()
	return nil
}

// heartbeat tells headquarters where the office stands; it is sent between rounds, so every
// event it counts as shipped was acknowledged before it.
func (m *Module) heartbeat(nc *nats.Conn) {
	m.link.mu.Lock()
	s := hqwire.Status{Office: m.office.Code, LastCommitted: m.events.LastCommitted(), Shipped: m.link.shipped, Now: m.now(), SettingsAt: m.link.settingsAt}
	m.link.mu.Unlock()
	b, _ := json.Marshal(s)
	if err := nc.Publish(hqwire.StatusSubject(m.office.Code), b); err != nil && !errors.Is(err, nats.ErrConnectionReconnecting) {
		m.log.Debug("hq link: heartbeat", "err", err)
	}
}

// resend publishes events from to to again, at headquarters' request (it found them missing),
// with message IDs of the request, without touching the ship cursor.
func (m *Module) resend(ctx context.Context, js jetstream.JetStream, s hqwire.Setting) error {
	if s.From <= 0 || s.To < s.From || s.To-s.From > 1_000_000 {
		return fmt.Errorf("resend %d–%d: not a range", s.From, s.To)
	}
	m.log.Warn("hq link: headquarters misses events; sending them again", "from", s.From, "to", s.To)
	for from := s.From; from <= s.To; {
		evs, err := m.events.EventsSince(ctx, from-1, min(m.cfg.Batch, int(s.To-from+1)))
		if err != nil {
			return err
		}
		if len(evs) == 0 {
			return nil
		}
		if err := m.publish(ctx, js, evs, func(e antre.Event) string { return hqwire.ResendMsgID(m.office.Code, e.ID, s.ID) }, func() {}); err != nil {
			return err
		}
		from = evs[len(evs)-1].ID + 1
	}
	return nil
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
