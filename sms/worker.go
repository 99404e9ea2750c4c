package sms

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"antre/module"
)

// runner is a Sender that keeps a connection of its own (SMPP's bind) for as long as Run runs.
// Run sends the outbox until ctx ends: it broadcasts the day's quota when the office opens,
// expands broadcasts and near-turn checks, and sends due messages in priority order within the
// rate limit, retrying temporary failures with exponential back-off and jitter and
// dead-lettering permanent ones. Without a gateway it only waits for ctx.
func (m *Module) Run(ctx context.Context) error {
	if !m.enabled() {
		<-ctx.Done()
		return nil
	}
	if r, ok := m.sender.(runner); ok {
		done := make(chan error, 1)
		go func() { done <- r.Run(ctx) }()
		defer func() { <-done }()
	}
	if err := m.requeueInterrupted(ctx); err != nil {
		return err
	}
	w := &worker{Module: m, limiter: limiter{interval: time.Duration(float64(time.Second) / m.cfg.RatePerSecond)}}
	var hurry time.Duration
	for {
		busy, err := w.step(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			m.log.Error("sms worker", "err", err)
		}
		wait := m.cfg.PollInterval
		switch {
		case busy && err == nil:
			wait, hurry = 0, 0
		case hurry > 0 && hurry < m.cfg.PollInterval:
			// A wake-up comes from inside the writer's transaction, before its commit: look
			// again soon, a little later each time, until the poll interval.
			wait, hurry = hurry, hurry*2
		}
		if wait == 0 {
			continue
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-m.wake:
			hurry = 2 * time.Millisecond
		case <-t.C:
		}
		t.Stop()
	}
}

// requeueInterrupted puts messages that were being sent when the hub stopped back in the queue.
// Whether the gateway got them is unknown, so their retry waits RetryMin: a delivery report that
// arrives meanwhile shows they went out and keeps them from going twice.
func (m *Module) requeueInterrupted(ctx context.Context) error {
	now := m.now()
	_, err := m.db.ExecContext(ctx, `UPDATE sms_outbox SET status = 'queued', next_at = ?, updated_at = ?,
		last_error = 'interrupted while sending' WHERE status = 'sending'`, now.Add(m.cfg.RetryMin).UnixMilli(), now.UnixMilli())
	if err != nil {
		return fmt.Errorf("sms requeue interrupted: %w", err)
	}
	return nil
}

// worker is the state of one Run: the rate limiter, the pause a throttling gateway asked for and
// the business date whose quota was broadcast.
type worker struct {
	*Module
	limiter     limiter
	pausedUntil time.Time
	throttles   int
	openedDate  string
}

// step does one round of work and reports whether there may be more right away. Due messages
// go before jobs, so "your number is called" does not wait for the near-turn check its call
// caused.
func (w *worker) step(ctx context.Context) (bool, error) {
	sent, err := w.sendDue(ctx)
	if err != nil {
		return false, err
	}
	if err := w.openingBroadcast(ctx); err != nil {
		w.log.Error("sms quota broadcast", "err", err)
	}
	jobs, err := w.runJobs(ctx)
	return jobs || sent, err
}

// openingBroadcast enqueues the day's quota per group to subscribers once per business date,
// on an open weekday between opening and closing time.
func (w *worker) openingBroadcast(ctx context.Context) error {
	now := w.now()
	date := w.office.BusinessDate(now)
	if date == w.openedDate {
		return nil
	}
	local := now.In(w.office.Location)
	minute := local.Hour()*60 + local.Minute()
	if !slices.Contains(w.cfg.OpenDays, int(local.Weekday())) || minute < w.office.Opens || minute >= w.office.Closes {
		return nil
	}
	key := "quota_open/" + date
	var one int
	err := w.db.QueryRowContext(ctx, `SELECT 1 FROM sms_jobs WHERE dedupe_key = ?`, key).Scan(&one)
	if err == nil {
		w.openedDate = date
		return nil
	}
	if err != sql.ErrNoRows {
		return err
	}
	quotas, err := w.queue.Quota(ctx)
	if err != nil {
		return err
	}
	var b strings.Builder
	for i, q := range quotas {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s:%d", q.Group, q.Quota.Total())
	}
	job := broadcastJob{Template: tplQuotaOpen, Params: map[string]string{
		"office": w.office.Name, "date": local.Format("02-01-2006"), "quotas": b.String(),
	}}
	if err := w.addJob(ctx, w.db, key, jobBroadcast, job, now); err != nil {
		return err
	}
	w.openedDate = date
	return nil
}

// runJobs expands pending jobs into outbox messages, each job in one transaction that marks it
// done, so a job is expanded once and its messages' keys keep a repeat harmless.
func (w *worker) runJobs(ctx context.Context) (bool, error) {
	type job struct {
		id         int64
		kind, data string
	}
	rows, err := w.db.QueryContext(ctx, `SELECT id, kind, data FROM sms_jobs WHERE done_at IS NULL ORDER BY id LIMIT 20`)
	if err != nil {
		return false, fmt.Errorf("sms jobs: %w", err)
	}
	var jobs []job
	for rows.Next() {
		var j job
		if err := rows.Scan(&j.id, &j.kind, &j.data); err != nil {
			rows.Close()
			return false, fmt.Errorf("sms jobs: %w", err)
		}
		jobs = append(jobs, j)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("sms jobs: %w", err)
	}
	for _, j := range jobs {
		msgs, err := w.expand(ctx, j.id, j.kind, j.data)
		if err != nil {
			return false, fmt.Errorf("sms job %d: %w", j.id, err)
		}
		if err := w.finishJob(ctx, j.id, msgs); err != nil {
			return false, err
		}
	}
	return len(jobs) > 0, nil
}

// expand returns the messages of a job. It reads outside any transaction: a broadcast's
// subscriber list may miss a STOP that arrives meanwhile, which the send-time check catches.
// A job that cannot be read yields nothing (and is logged), so it cannot block the jobs after it.
func (w *worker) expand(ctx context.Context, id int64, kind, data string) ([]outMsg, error) {
	switch kind {
	case jobNearCheck:
		var j nearCheckJob
		if err := json.Unmarshal([]byte(data), &j); err != nil {
			w.log.Error("sms job unreadable; dropped", "job", id, "err", err)
			return nil, nil
		}
		return w.nearTurns(ctx, j)
	case jobBroadcast:
		var j broadcastJob
		if err := json.Unmarshal([]byte(data), &j); err != nil {
			w.log.Error("sms job unreadable; dropped", "job", id, "err", err)
			return nil, nil
		}
		rows, err := w.db.QueryContext(ctx, `SELECT phone, lang FROM sms_subscribers WHERE active = 1 ORDER BY phone`)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []outMsg
		for rows.Next() {
			var phone, l string
			if err := rows.Scan(&phone, &l); err != nil {
				return nil, err
			}
			out = append(out, outMsg{
				key: fmt.Sprintf("job/%d/%s", id, phone), kind: j.Template, phone: phone,
				body: w.tpl.text(j.Template, l, j.Params), broadcast: true, prio: prioBroadcast,
			})
		}
		return out, rows.Err()
	}
	w.log.Error("sms job of unknown kind; dropped", "job", id, "kind", kind)
	return nil, nil
}

func (w *worker) finishJob(ctx context.Context, id int64, msgs []outMsg) error {
	now := w.now()
	return w.db.Update(ctx, func(tx module.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sms_jobs SET done_at = ? WHERE id = ? AND done_at IS NULL`, now.UnixMilli(), id)
		if err != nil {
			return fmt.Errorf("sms job %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		for _, o := range msgs {
			if err := w.enqueue(ctx, tx, o, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// due is an outbox message ready to send.
type due struct {
	id        int64
	kind      string
	phone     string
	body      string
	broadcast bool
	parts     int
	attempts  int
	created   time.Time
}

// sendDue sends the messages that are due, most urgent first, and reports whether it sent any.
func (w *worker) sendDue(ctx context.Context) (bool, error) {
	now := w.now()
	if now.Before(w.pausedUntil) {
		return false, nil
	}
	rows, err := w.db.QueryContext(ctx, `SELECT id, kind, phone, body, broadcast, parts, attempts, created_at
		FROM sms_outbox WHERE status = 'queued' AND next_at <= ? ORDER BY prio, next_at, id LIMIT 20`, now.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("sms due: %w", err)
	}
	var batch []due
	for rows.Next() {
		var d due
		var created int64
		if err := rows.Scan(&d.id, &d.kind, &d.phone, &d.body, &d.broadcast, &d.parts, &d.attempts, &created); err != nil {
			rows.Close()
			return false, fmt.Errorf("sms due: %w", err)
		}
		d.created = time.UnixMilli(created)
		batch = append(batch, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("sms due: %w", err)
	}
	for _, d := range batch {
		if err := w.sendOne(ctx, d); err != nil {
			return false, err
		}
		if w.now().Before(w.pausedUntil) {
			break
		}
	}
	return len(batch) > 0, nil
}

// sendOne sends one message and records the outcome. It returns an error only when the
// database fails.
func (w *worker) sendOne(ctx context.Context, d due) error {
	now := w.now()
	switch {
	case d.broadcast && w.optedOut(ctx, d.phone):
		return w.finish(ctx, d.id, "skipped", "opted out")
	case (d.kind == tplCalled || d.kind == tplTurnNear) && now.Sub(d.created) > w.cfg.StaleAfter:
		return w.finish(ctx, d.id, "dead", "stale: not sent within "+w.cfg.StaleAfter.String())
	case d.parts > w.cfg.MaxParts:
		return w.finish(ctx, d.id, "dead", fmt.Sprintf("too long: %d parts, at most %d", d.parts, w.cfg.MaxParts))
	}
	if err := w.limiter.wait(ctx, d.parts); err != nil {
		return nil
	}
	res, err := w.db.ExecContext(ctx, `UPDATE sms_outbox SET status = 'sending', attempts = attempts + 1, updated_at = ?
		WHERE id = ? AND status = 'queued'`, now.UnixMilli(), d.id)
	if err != nil {
		return fmt.Errorf("sms claim %d: %w", d.id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	attempt := d.attempts + 1
	sctx, cancel := context.WithTimeout(ctx, w.cfg.SendTimeout)
	receipt, err := w.sender.Send(sctx, Message{ID: d.id, To: d.phone, From: w.cfg.Sender, Text: d.body})
	cancel()
	if err == nil {
		w.throttles = 0
		return w.sent(context.WithoutCancel(ctx), d.id, receipt)
	}
	if ctx.Err() != nil {
		// Shutting down: the attempt does not count, the message goes back to the queue.
		_, err := w.db.ExecContext(context.WithoutCancel(ctx), `UPDATE sms_outbox SET status = 'queued', attempts = attempts - 1,
			updated_at = ? WHERE id = ? AND status = 'sending'`, w.now().UnixMilli(), d.id)
		return err
	}
	se := classify(err)
	log := w.log.With("id", d.id, "attempt", attempt, "err", se)
	switch {
	case se.Throttled:
		w.throttles++
		w.pausedUntil = w.now().Add(w.backoff(w.throttles))
		log.Warn("sms gateway throttles; pausing", "until", w.pausedUntil)
		_, err := w.db.ExecContext(ctx, `UPDATE sms_outbox SET status = 'queued', attempts = attempts - 1, next_at = ?,
			last_error = ?, updated_at = ? WHERE id = ? AND status = 'sending'`,
			w.pausedUntil.UnixMilli(), se.Error(), w.now().UnixMilli(), d.id)
		return err
	case !se.Temporary || attempt >= w.cfg.MaxAttempts:
		log.Error("sms dead-lettered")
		return w.finish(ctx, d.id, "dead", se.Error())
	}
	wait := w.backoff(attempt)
	if se.Ambiguous {
		// The gateway may have taken it: give its delivery report the time to say so.
		wait = max(wait, w.cfg.RetryMin)
	}
	next := w.now().Add(wait)
	log.Warn("sms send failed; will retry", "at", next)
	_, err = w.db.ExecContext(ctx, `UPDATE sms_outbox SET status = 'queued', next_at = ?, last_error = ?, updated_at = ?
		WHERE id = ? AND status = 'sending'`, next.UnixMilli(), se.Error(), w.now().UnixMilli(), d.id)
	return err
}

// backoff is the wait before attempt n+1: RetryMin doubled per attempt up to RetryMax, of which a
// random half is taken off so that retries of many messages spread out.
func (w *worker) backoff(n int) time.Duration {
	d := w.cfg.RetryMin
	for i := 1; i < n && d < w.cfg.RetryMax; i++ {
		d *= 2
	}
	d = min(d, w.cfg.RetryMax)
	return d/2 + rand.N(d/2+1)
}

func (w *worker) optedOut(ctx context.Context, phone string) bool {
	var active bool
	err := w.db.QueryRowContext(ctx, `SELECT active FROM sms_subscribers WHERE phone = ?`, phone).Scan(&active)
	return err == nil && !active
}

// finish ends a message that will not be sent: dead or skipped.
func (w *worker) finish(ctx context.Context, id int64, status, reason string) error {
	now := w.now().UnixMilli()
	_, err := w.db.ExecContext(ctx, `UPDATE sms_outbox SET status = ?, last_error = ?, done_at = ?, updated_at = ?
		WHERE id = ? AND status IN ('queued', 'sending')`, status, reason, now, now, id)
	if err != nil {
		return fmt.Errorf("sms %d %s: %w", id, status, err)
	}
	return nil
}

// sent records that the gateway took message id: its gateway ids, and any delivery report that
// arrived for them before this.
func (w *worker) sent(ctx context.Context, id int64, r Receipt) error {
	now := w.now().UnixMilli()
	return w.db.Update(ctx, func(tx module.Tx) error {
		first := ""
		if len(r.GatewayIDs) > 0 {
			first = r.GatewayIDs[0]
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sms_outbox SET status = CASE WHEN status = 'sending' THEN 'sent' ELSE status END,
			sent_at = ?, gateway_id = ?, last_error = '', updated_at = ? WHERE id = ?`, now, first, now, id); err != nil {
			return fmt.Errorf("sms sent %d: %w", id, err)
		}
		for _, gid := range r.GatewayIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO sms_gateway_ids (gateway_id, outbox_id) VALUES (?, ?)
				ON CONFLICT (gateway_id) DO UPDATE SET outbox_id = excluded.outbox_id`, gid, id); err != nil {
				return fmt.Errorf("sms sent %d: %w", id, err)
			}
			var state string
			if err := tx.QueryRowContext(ctx, `SELECT state FROM sms_gateway_ids WHERE gateway_id = ?`, gid).Scan(&state); err != nil {
				return fmt.Errorf("sms sent %d: %w", id, err)
			}
			if state != "" {
				if err := applyState(ctx, tx, id, DeliveryState(state), "", now); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// limiter spaces sends so that at most one part goes out per interval on average.
type limiter struct {
	interval time.Duration
	next     time.Time
}

// wait blocks until parts may be sent, or ctx ends.
func (l *limiter) wait(ctx context.Context, parts int) error {
	now := time.Now()
	if l.next.Before(now) {
		l.next = now
	}
	start := l.next
	l.next = l.next.Add(time.Duration(parts) * l.interval)
	if d := start.Sub(now); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}
