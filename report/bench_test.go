package report_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"antre"
	"antre/server"
	"antre/server/sqlite"
)

// yearHub is a hub filled once with a year of an office's queue (2025: about 19,000 tickets,
// like seed 003's busiest year), shared by the benchmarks of one run.
var yearHub struct {
	once    sync.Once
	e       *env
	events  int
	tickets int
	gen     time.Duration
}

// op is one step of the simulated day, at instant at.
type op struct {
	at      time.Time
	kind    int // 0 issue at the kiosk (and its print), 1 call next, 2 start, 3 finish, 4 no-show, 5 recall, 6 cancel the issue's ticket
	issue   int // for 6: which issue of the day
	counter int
	group   string
	cat     antre.Category
}

// simulateDay plans a working day: n arrivals from 07:30, most before 11:00, into groups A–F,
// each printed at the kiosk, one in twenty declaring a dispensation, one in fifty leaving
// (cancelled) twenty minutes later; four counters calling the next ticket as soon as they are
// free, serving 4–14 minutes, one call in twenty a no-show and one in five recalled.
func simulateDay(r *rand.Rand, day time.Time, n int) []op {
	groups := []string{"A", "A", "A", "B", "B", "C", "D", "E", "E", "F"}
	var ops []op
	arrivals := make([]time.Time, n)
	for i := range arrivals {
		m := 30 + r.IntN(210) // 07:30–11:00
		if r.IntN(4) == 0 {
			m = 30 + r.IntN(420) // some until 14:30
		}
		arrivals[i] = day.Add(7*time.Hour + time.Duration(m)*time.Minute + time.Duration(r.IntN(60))*time.Second)
	}
	sort.Slice(arrivals, func(i, j int) bool { return arrivals[i].Before(arrivals[j]) })
	for i, a := range arrivals {
		o := op{at: a, kind: 0, group: groups[r.IntN(len(groups))]}
		if r.IntN(20) == 0 {
			o.cat = antre.CatElderly
		}
		ops = append(ops, o)
		if r.IntN(50) == 0 {
			ops = append(ops, op{at: a.Add(20 * time.Minute), kind: 6, issue: i})
		}
	}
	free := []time.Time{day.Add(8 * time.Hour), day.Add(8 * time.Hour), day.Add(8 * time.Hour), day.Add(8 * time.Hour)}
	for called := 0; called < n; called++ {
		c := 0
		for i := range free {
			if free[i].Before(free[c]) {
				c = i
			}
		}
		t := free[c]
		if arrivals[called].After(t) {
			t = arrivals[called]
		}
		t = t.Add(time.Second)
		ops = append(ops, op{at: t, kind: 1, counter: c + 1})
		if r.IntN(5) == 0 {
			ops = append(ops, op{at: t.Add(30 * time.Second), kind: 5, counter: c + 1})
		}
		if r.IntN(20) == 0 {
			ops = append(ops, op{at: t.Add(2 * time.Minute), kind: 4, counter: c + 1})
			free[c] = t.Add(2*time.Minute + time.Second)
			continue
		}
		d := time.Duration(4+r.IntN(11)) * time.Minute
		ops = append(ops, op{at: t.Add(time.Minute), kind: 2, counter: c + 1}, op{at: t.Add(time.Minute + d), kind: 3, counter: c + 1})
		free[c] = t.Add(time.Minute + d + time.Second)
	}
	sort.SliceStable(ops, func(i, j int) bool { return ops[i].at.Before(ops[j].at) })
	return ops
}

// year fills the shared hub (once) through the store's own changes, each one transaction with
// its event, exactly as the API makes them.
func year(b *testing.B) *env {
	yearHub.once.Do(func() {
		start := time.Now()
		day := time.Date(2025, 1, 1, 0, 0, 0, 0, wib)
		all := []string{"A", "B", "C", "D", "E", "F"}
		e := newEnv(b, day, func(c *server.Config) {
			c.Counters = []antre.Counter{{Number: 1, Groups: all}, {Number: 2, Groups: all}, {Number: 3, Groups: all}, {Number: 4, Groups: all}}
		})
		db := e.h.DB()
		ctx := context.Background()
		r := rand.New(rand.NewPCG(3, 2025))
		for ; day.Year() == 2025; day = day.AddDate(0, 0, 1) {
			if day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
				continue
			}
			var codes []string
			for _, o := range simulateDay(r, day, 70+r.IntN(13)) {
				e.h.Clock.Set(o.at)
				var err error
				switch o.kind {
				case 0:
					var t antre.IssuedTicket
					t, _, err = db.Issue(ctx, sqlite.IssueRequest{Group: o.group, Category: o.cat, Actor: "kiosk-1", Role: antre.RoleKiosk})
					if err == nil {
						codes = append(codes, t.Code)
						_, err = db.MarkPrinted(ctx, sqlite.PrintReport{Code: t.Code, OK: true, Actor: "kiosk-1"})
					}
				case 6:
					_, err = db.Act(ctx, sqlite.ActRequest{Code: codes[o.issue], Action: antre.ActCancel, Actor: "petugas", Reason: "pulang"})
				case 1:
					_, _, err = db.CallNext(ctx, o.counter, fmt.Sprintf("petugas%d", o.counter))
				case 2, 3, 4, 5:
					act := map[int]antre.Action{2: antre.ActStart, 3: antre.ActFinish, 4: antre.ActNoShow, 5: antre.ActRecall}[o.kind]
					_, err = db.Act(ctx, sqlite.ActRequest{Counter: o.counter, Action: act, Actor: fmt.Sprintf("petugas%d", o.counter)})
				}
				// a counter that found nobody waiting holds no ticket to start or finish
				if c := antre.ErrorCode(err); err != nil && c != antre.EEMPTY && c != antre.ECONFLICT && c != antre.ENOTFOUND {
					b.Fatalf("%v: %v", o, err)
				}
			}
		}
		e.h.Clock.Set(time.Date(2026, 1, 5, 8, 0, 0, 0, wib))
		var n, tickets int
		if err := openEvents(b, e).QueryRow(`SELECT count(*), count(*) FILTER (WHERE type = 'ticket.issued') FROM events`).Scan(&n, &tickets); err != nil {
			b.Fatal(err)
		}
		yearHub.e, yearHub.events, yearHub.tickets, yearHub.gen = e, n, tickets, time.Since(start)
	})
	if yearHub.e == nil {
		b.Fatal("no year of data")
	}
	return yearHub.e
}

func openEvents(b *testing.B, e *env) *sql.DB {
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(e.h.Config.Data, "antre.db")+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkYearReport is a year's report (2025) as JSON and as PDF through the API, against a
// plain SELECT count(*) over the same events in the same run.
func BenchmarkYearReport(b *testing.B) {
	e := year(b)
	b.Logf("a year: %d events, generated in %s", yearHub.events, yearHub.gen.Round(time.Second))
	from, to := time.Date(2025, 1, 1, 0, 0, 0, 0, wib).UnixMilli(), time.Date(2026, 1, 1, 0, 0, 0, 0, wib).UnixMilli()
	b.Run("count", func(b *testing.B) {
		db := openEvents(b, e)
		defer db.Close()
		for b.Loop() {
			var n int
			if err := db.QueryRow(`SELECT count(*) FROM events WHERE at >= ? AND at < ?`, from, to).Scan(&n); err != nil || n == 0 {
				b.Fatal(n, err)
			}
		}
		b.ReportMetric(float64(yearHub.events), "events")
	})
	for _, format := range []string{"json", "pdf"} {
		b.Run(format, func(b *testing.B) {
			var size int
			for b.Loop() {
				st, body, _ := e.get("kakanim", "/api/v1/reports?from=2025-01-01&to=2025-12-31&format="+format)
				if st != 200 {
					b.Fatalf("%d %s", st, body)
				}
				size = len(body)
			}
			b.ReportMetric(float64(size), "bytes")
			b.ReportMetric(float64(yearHub.events), "events")
			b.ReportMetric(float64(yearHub.tickets), "tickets")
		})
	}
}

// BenchmarkDashboardUpdate is what one event costs with 20 dashboards open: the event (a
// ticket issued), then each of the 20 pages refetching /api/v1/dashboard as the stream tells
// it to; against the same event with no dashboard open, and with 20 pages asking the hub's
// cheapest authenticated question (/api/v1/me) instead: the HTTP and log-in share of the cost.
func BenchmarkDashboardUpdate(b *testing.B) {
	for _, c := range []struct {
		name  string
		pages int
		path  string
	}{{"dashboards=0", 0, ""}, {"me=20", 20, "/api/v1/me"}, {"dashboards=20", 20, "/api/v1/dashboard"}} {
		pages := c.pages
		b.Run(c.name, func(b *testing.B) {
			at := time.Date(2026, 12, 2, 8, 0, 0, 0, wib)
			e := newEnv(b, at)
			db := e.h.DB()
			ctx := context.Background()
			// each page keeps its connection, as a browser does
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
			defer client.CloseIdleConnections()
			get := func() {
				req, _ := http.NewRequest("GET", e.h.URL+c.path, nil)
				req.Header.Set("Authorization", "Bearer "+e.tokens["kakanim"])
				resp, err := client.Do(req)
				if err != nil || resp.StatusCode != 200 {
					b.Fatal(err, resp)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			if pages > 0 {
				get()
			}
			groups := []string{"A", "B", "C", "D", "E", "F"}
			i := 0
			for b.Loop() {
				e.h.Clock.Set(at.Add(time.Duration(i) * time.Second))
				if _, _, err := db.Issue(ctx, sqlite.IssueRequest{Group: groups[i%6], Actor: "petugas", Role: antre.RoleOfficer}); err != nil {
					// the day's quota is used up: a new day
					at = at.AddDate(0, 0, 1)
					i = 0
					continue
				}
				i++
				var wg sync.WaitGroup
				for range pages {
					wg.Go(get)
				}
				wg.Wait()
			}
		})
	}
}
