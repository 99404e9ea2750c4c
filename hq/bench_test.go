package hq_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"antre"
	"antre/hq"
	"antre/hq/hqtest"
	"antre/server"
	"antre/server/servertest"
	"antre/server/sqlite"
)

// The benchmarks of the national tier run their scenario once, whatever b.N, and report what
// it measured as metrics; make bench prints their ratios (scripts/bench.sh).

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// durableDB starts a PostgreSQL cluster with its durable defaults (fsync on) for a benchmark.
func durableDB(b *testing.B) string {
	p, err := hqtest.NewPostgres("")
	if err != nil {
		b.Skip(err)
	}
	if err := p.Start(); err != nil {
		p.Remove()
		b.Fatal(err)
	}
	b.Cleanup(p.Remove)
	url, err := p.CreateDB(context.Background(), "bench")
	if err != nil {
		b.Fatal(err)
	}
	return url
}

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// watchLag follows headquarters' WebSocket and, for every office event committed (commits),
// records when the dashboard first showed it (its office's contiguous_through reached it).
type lagWatch struct {
	mu      sync.Mutex
	commits map[string]map[int64]time.Time
	shown   map[string]int64
	lags    []time.Duration
}

func newLagWatch() *lagWatch {
	return &lagWatch{commits: map[string]map[int64]time.Time{}, shown: map[string]int64{}}
}

func (w *lagWatch) committed(office string, evs []antre.Event) {
	now := time.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	m := w.commits[office]
	if m == nil {
		m = map[int64]time.Time{}
		w.commits[office] = m
	}
	for _, e := range evs {
		m[e.ID] = now
	}
}

func (w *lagWatch) follow(b *testing.B, url string) func() {
	conn, _, err := websocket.DefaultDialer.Dial(strings.Replace(url, "http://", "ws://", 1)+"/ws", nil)
	if err != nil {
		b.Fatal(err)
	}
	go func() {
		for {
			_, msg, err := conn.ReadMessage()
			if err != nil {
				return
			}
			now := time.Now()
			var m struct{ Offices []hq.OfficeSummary }
			if json.Unmarshal(msg, &m) != nil {
				continue
			}
			w.mu.Lock()
			for _, o := range m.Offices {
				for id := w.shown[o.Code] + 1; id <= o.Contiguous; id++ {
					if at, ok := w.commits[o.Code][id]; ok {
						w.lags = append(w.lags, now.Sub(at))
					}
				}
				w.shown[o.Code] = max(w.shown[o.Code], o.Contiguous)
			}
			w.mu.Unlock()
		}
	}()
	return func() { conn.Close() }
}

// BenchmarkHQOffices: 120 offices (hubs in this process; ANTRE_BENCH_OFFICES) each run a
// compressed business day (300 tickets, ANTRE_BENCH_TICKETS, each called and finished, spread
// over 60 s, ANTRE_BENCH_DAY_SECONDS) while shipping to one headquarters. Reports the events
// ingested per second and the national view's lag, from the commit at an office to the event
// shown on the dashboard's WebSocket, p50 and p99.
func BenchmarkHQOffices(b *testing.B) {
	offices, tickets, day := envInt("ANTRE_BENCH_OFFICES", 120), envInt("ANTRE_BENCH_TICKETS", 300), envInt("ANTRE_BENCH_DAY_SECONDS", 60)
	h := hqtest.StartHQ(b, func(c *hq.Config) { c.Postgres = durableDB(b) })
	watch := newLagWatch()
	hubs := make([]*servertest.Hub, offices)
	for i := range hubs {
		code := fmt.Sprintf("KANIM-%03d", i+1)
		creds := h.Office(code, "Kantor Imigrasi "+code, fmt.Sprintf("Wilayah %d", i%12+1))
		hubs[i] = servertest.New(b, hqtest.Linked(code, creds, h.NATSURL()), func(c *server.Config) {
			c.Quota.PerGroup = tickets // every group could take the day alone
			c.HQ.Heartbeat = 5 * time.Second
		})
		hubs[i].DB().OnCommit(func(evs []antre.Event) { watch.committed(code, evs) })
	}
	for i, hub := range hubs { // the start's day events are in before the day begins
		caughtUp(b, h, hub, fmt.Sprintf("KANIM-%03d", i+1), 60*time.Second)
	}
	stop := watch.follow(b, h.URL)
	defer stop()
	start := time.Now()
	var total int64
	for _, hub := range hubs {
		total -= hub.DB().LastCommitted()
	}
	var wg sync.WaitGroup
	step := time.Duration(day) * time.Second / time.Duration(tickets)
	for _, hub := range hubs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			time.Sleep(rand.N(step))
			for n := range tickets {
				g := string(rune('A' + n%6))
				if _, _, err := hub.DB().Issue(ctx, sqlite.IssueRequest{Group: g, Actor: "kiosk-1", Role: antre.RoleKiosk}); err != nil {
					b.Error(err)
					return
				}
				if _, _, err := hub.DB().CallNext(ctx, n%4+1, "petugas"); err != nil && antre.ErrorCode(err) != antre.EEMPTY {
					b.Error(err)
					return
				}
				time.Sleep(step/2 + rand.N(step))
			}
			for c := 1; c <= 4; c++ { // the day ends: every counter finishes its ticket
				hub.DB().Act(ctx, sqlite.ActRequest{Counter: c, Action: antre.ActFinish, Actor: "petugas"})
			}
		}()
	}
	wg.Wait()
	for i, hub := range hubs {
		total += hub.DB().LastCommitted()
		caughtUp(b, h, hub, fmt.Sprintf("KANIM-%03d", i+1), 5*time.Minute)
	}
	elapsed := time.Since(start)
	hqtest.Eventually(b, time.Minute, "the dashboard to show every event", func() bool {
		watch.mu.Lock()
		defer watch.mu.Unlock()
		return int64(len(watch.lags)) >= total
	})
	watch.mu.Lock()
	lags := slices.Clone(watch.lags)
	watch.mu.Unlock()
	noDuplicates(b, h)
	b.ReportMetric(float64(offices), "offices")
	b.ReportMetric(float64(total), "events")
	b.ReportMetric(float64(total)/elapsed.Seconds(), "events/s")
	b.ReportMetric(ms(percentile(lags, 0.50)), "lag-p50-ms")
	b.ReportMetric(ms(percentile(lags, 0.99)), "lag-p99-ms")
}

// issueLoop issues walk-in tickets over HTTP, as a kiosk does, at rate per second until stop
// is closed, and returns each issue's latency.
func issueLoop(b *testing.B, hub *servertest.Hub, rate int, stop <-chan struct{}) []time.Duration {
	var lat []time.Duration
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	for n := 0; ; n++ {
		select {
		case <-stop:
			return lat
		case <-tick.C:
		}
		req, _ := http.NewRequest("POST", hub.URL+"/api/v1/tickets", bytes.NewReader([]byte(`{"group":"`+string(rune('A'+n%6))+`"}`)))
		req.Header.Set("Authorization", "Bearer "+hub.Kiosk)
		t0 := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		lat = append(lat, time.Since(t0))
		if resp.StatusCode != 201 {
			b.Fatalf("issue: %d", resp.StatusCode)
		}
	}
}

// BenchmarkHQBacklog: an office's WAN is cut while it writes a 100,000-event backlog
// (ANTRE_BENCH_BACKLOG; device alerts, 1,000 a transaction, to build it quickly). The office
// issues over HTTP at 20 a second, first for 10 s with the link up and nothing to drain (the
// baseline), for 5 s with the link cut (a stalled link), then while the link is back and the
// backlog drains; reports the drain's time and rate, the issue p99 in
// both phases, and a plain loop of single-row INSERT … ON CONFLICT DO NOTHING into the same
// PostgreSQL, for the ingest's ratio.
func BenchmarkHQBacklog(b *testing.B) {
	backlog := envInt("ANTRE_BENCH_BACKLOG", 100_000)
	db := durableDB(b)
	h := hqtest.StartHQ(b, func(c *hq.Config) { c.Postgres = db })
	creds := h.Office("KANIM-TBK", "Kantor Imigrasi Tanjung Balai Karimun", "Kepulauan Riau")
	proxy := hqtest.NewProxy(b, strings.TrimPrefix(h.NATSURL(), "tls://"))
	hub := servertest.New(b, hqtest.Linked("KANIM-TBK", creds, "tls://"+proxy.Addr), func(c *server.Config) { c.Quota.PerGroup = 999 })
	caughtUp(b, h, hub, "KANIM-TBK", 30*time.Second)
	// The baseline: issuing with the link up and nothing to drain (each issue shipped live).
	stop := make(chan struct{})
	go func() { time.Sleep(10 * time.Second); close(stop) }()
	base := issueLoop(b, hub, 20, stop)
	caughtUp(b, h, hub, "KANIM-TBK", 30*time.Second)

	proxy.Cut()
	// With the link cut and nothing shipping: a stalled link must cost the issue path nothing.
	stop = make(chan struct{})
	go func() { time.Sleep(5 * time.Second); close(stop) }()
	cut := issueLoop(b, hub, 20, stop)
	ctx := context.Background()
	for n := 0; n < backlog; n += 1000 {
		err := hub.DB().Update(ctx, func(tx *sqlite.Tx) error {
			for i := range min(1000, backlog-n) {
				typ := antre.EvAlert
				if i%2 == 1 {
					typ = antre.EvAlertClear
				}
				if err := tx.Emit(antre.Event{Type: typ, Actor: "kiosk-1"}, map[string]string{"kind": "paper_out", "message": "Kertas printer habis"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	stop = make(chan struct{})
	var during []time.Duration
	done := make(chan struct{})
	go func() { defer close(done); during = issueLoop(b, hub, 20, stop) }()
	start := time.Now()
	drained := hub.DB().LastCommitted()
	proxy.Restore()
	hqtest.Eventually(b, 5*time.Minute, "the backlog to drain", func() bool {
		s, _, _ := h.View("KANIM-TBK")
		return s.Contiguous >= drained
	})
	drain := time.Since(start)
	close(stop)
	<-done
	caughtUp(b, h, hub, "KANIM-TBK", time.Minute)
	noDuplicates(b, h)

	// The plain loop: one row a statement, autocommit, into a table shaped like the events.
	pool := h.Store().Pool()
	if _, err := pool.Exec(ctx, `CREATE TABLE plain_events (LIKE events INCLUDING ALL)`); err != nil {
		b.Fatal(err)
	}
	const plainN = 20_000
	t0 := time.Now()
	for i := range plainN {
		if _, err := pool.Exec(ctx, `INSERT INTO plain_events (office, event_id, type, at, day, actor, data, hash) VALUES ($1, $2, $3, $4, $5::date, $6, $7::jsonb, $8)
			ON CONFLICT DO NOTHING`, "KANIM-TBK", int64(i+1), "device.alert", time.Now(), "2026-11-25", "kiosk-1", `{"kind":"paper_out","message":"Kertas printer habis"}`, []byte("0123456789abcdef0123456789abcdef")); err != nil {
			b.Fatal(err)
		}
	}
	plain := float64(plainN) / time.Since(t0).Seconds()

	b.ReportMetric(float64(drained), "backlog-events")
	b.ReportMetric(drain.Seconds(), "drain-s")
	b.ReportMetric(float64(backlog)/drain.Seconds(), "ingest-events/s")
	b.ReportMetric(plain, "plain-inserts/s")
	b.ReportMetric(ms(percentile(base, 0.99)), "issue-p99-ms")
	b.ReportMetric(ms(percentile(cut, 0.99)), "issue-cut-p99-ms")
	b.ReportMetric(ms(percentile(during, 0.99)), "issue-drain-p99-ms")
	b.ReportMetric(float64(len(during)), "issues-during-drain")
}
