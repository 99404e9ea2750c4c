package hq_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"antre"
	"antre/hq"
	"antre/hq/hqtest"
	"antre/hq/pg"
)

// BenchmarkBookingRush: 10,000 applicants (ANTRE_BENCH_RUSH) confirm at once for the last 12
// places of a period, over HTTP (10,000 goroutines released together, over 256 keep-alive
// connections, ANTRE_BENCH_RUSH_CONNS), against headquarters on a durable PostgreSQL. Each
// holds a valid request and its code (made beforehand through the store; their SMS are not
// part of the measure). Reports the places granted, the 5xx answers, p50 and p99 of a
// confirmation and the whole rush's time; then, on the same PostgreSQL in the same run, the
// baselines: as many plain conditional UPDATEs (taken < capacity) from as many goroutines,
// and the same HTTP rush against a plain handler doing only that UPDATE.
func BenchmarkBookingRush(b *testing.B) {
	n := envInt("ANTRE_BENCH_RUSH", 10000)
	url := durableDB(b)
	ctx := context.Background()
	clk := &testClock{base: time.Date(2026, 12, 7, 9, 0, 0, 0, wib), start: time.Now()}
	// The requests, made before headquarters starts, straight in its store.
	st, err := pg.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	if err := st.AddOffice(ctx, pg.Office{Code: "KANIM-JKT", Name: "Kantor Imigrasi Jakarta Pusat", UserKey: "UBENCH"}); err != nil {
		b.Fatal(err)
	}
	if err := st.SetBookingOffice(ctx, "KANIM-JKT", antre.DefaultBookingPolicy(), []pg.BookingGroup{{Group: "A", NameID: "Paspor", Daily: 120}}); err != nil {
		b.Fatal(err)
	}
	if err := st.EnsureSlots(ctx, "KANIM-JKT", []pg.Slot{{Date: "2026-12-09", Period: "08-12", Group: "A", Capacity: 12}}); err != nil {
		b.Fatal(err)
	}
	ids, codes := make([]string, n), make([]string, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			_, intl := phone(1000 + i)
			id, err := st.NewRequest(ctx, pg.Request{Action: pg.ActionBook, Office: "KANIM-JKT", Date: "2026-12-09", Period: "08-12", Group: "A",
				NIK: nik(1000 + i), Name: "Pemohon", Phone: intl}, clk.Now().Add(time.Hour), func(code string) string { codes[i] = code; return code })
			if err != nil {
				b.Error(err)
			}
			ids[i] = id
		}()
	}
	wg.Wait()
	if _, err := st.Pool().Exec(ctx, `UPDATE booking_sms SET sent_at = now()`); err != nil { // handed over by the benchmark itself
		b.Fatal(err)
	}
	st.Close()
	if b.Failed() {
		b.FailNow()
	}
	h := hqtest.StartHQ(b, func(c *hq.Config) {
		c.Postgres, c.Now = url, clk.Now
		c.Booking.ClientPerMinute, c.Booking.ClientBurst = 1_000_000, 1_000_000
	})
	conns := envInt("ANTRE_BENCH_RUSH_CONNS", 256)
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: conns, MaxIdleConnsPerHost: conns}, Timeout: time.Minute}
	b.ResetTimer()
	lat, statuses, rush := httpRush(client, n, func(i int) string { return h.URL + "/api/v1/bookings/" + ids[i] + "/confirm" }, codes)
	b.StopTimer()
	granted, full, fives, other := countAnswers(statuses)
	b.Logf("%d confirmations over HTTP: %d granted, %d full, %d 5xx, %d other; p50 %.1f ms, p99 %.1f ms, %.0f ms in all",
		n, granted, full, fives, other, ms(percentile(lat, 0.5)), ms(percentile(lat, 0.99)), ms(rush))
	if granted != 12 || fives != 0 || other != 0 {
		b.Fatalf("granted %d, full %d, 5xx %d, other %d", granted, full, fives, other)
	}
	// The baselines: the same PostgreSQL, with as many connections as headquarters has; n
	// goroutines each doing one plain conditional UPDATE, then the same rush over HTTP to a
	// plain handler that does only that UPDATE.
	pcfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		b.Fatal(err)
	}
	pcfg.MaxConns = 8
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, `CREATE TABLE plain_slots (id int PRIMARY KEY, capacity int NOT NULL, taken int NOT NULL);
		INSERT INTO plain_slots VALUES (1, 12, 0), (2, 12, 0)`); err != nil {
		b.Fatal(err)
	}
	plain := make([]time.Duration, n)
	won := 0
	var mu sync.Mutex
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			t0 := time.Now()
			var taken int
			err := pool.QueryRow(ctx, `UPDATE plain_slots SET taken = taken + 1 WHERE id = 1 AND taken < capacity RETURNING taken`).Scan(&taken)
			plain[i] = time.Since(t0)
			if err == nil {
				mu.Lock()
				won++
				mu.Unlock()
			}
		}()
	}
	t1 := time.Now()
	close(start)
	wg.Wait()
	plainRush := time.Since(t1)
	if won != 12 {
		b.Fatalf("plain loop granted %d", won)
	}
	plainSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Code string }
		json.NewDecoder(r.Body).Decode(&body)
		var taken int
		err := pool.QueryRow(r.Context(), `UPDATE plain_slots SET taken = taken + 1 WHERE id = 2 AND taken < capacity RETURNING taken`).Scan(&taken)
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			w.WriteHeader(http.StatusConflict)
			w.Write([]byte(`{"error":{"code":"full"}}`))
			return
		}
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"booking":"PLAIN"}`))
	}))
	defer plainSrv.Close()
	plainClient := &http.Client{Transport: &http.Transport{MaxConnsPerHost: conns, MaxIdleConnsPerHost: conns}, Timeout: time.Minute}
	plainHTTP, plainStatuses, plainHTTPRush := httpRush(plainClient, n, func(int) string { return plainSrv.URL }, codes)
	if g, _, f, o := countAnswers(plainStatuses); g != 12 || f != 0 || o != 0 {
		b.Fatalf("plain HTTP granted %d, 5xx %d, other %d", g, f, o)
	}
	b.ReportMetric(float64(granted), "granted")
	b.ReportMetric(float64(fives), "5xx")
	b.ReportMetric(ms(percentile(lat, 0.5)), "p50-ms")
	b.ReportMetric(ms(percentile(lat, 0.99)), "p99-ms")
	b.ReportMetric(ms(rush), "rush-ms")
	b.ReportMetric(ms(percentile(plain, 0.5)), "plain-p50-ms")
	b.ReportMetric(ms(percentile(plain, 0.99)), "plain-p99-ms")
	b.ReportMetric(ms(plainRush), "plain-rush-ms")
	b.ReportMetric(ms(percentile(plainHTTP, 0.5)), "plainhttp-p50-ms")
	b.ReportMetric(ms(percentile(plainHTTP, 0.99)), "plainhttp-p99-ms")
	b.ReportMetric(ms(plainHTTPRush), "plainhttp-rush-ms")
	b.Logf("%d plain conditional UPDATEs: p50 %.1f ms, p99 %.1f ms, %.0f ms in all", n, ms(percentile(plain, 0.5)), ms(percentile(plain, 0.99)), ms(plainRush))
	b.Logf("%d over HTTP to a plain UPDATE handler: p50 %.1f ms, p99 %.1f ms, %.0f ms in all", n, ms(percentile(plainHTTP, 0.5)),
		ms(percentile(plainHTTP, 0.99)), ms(plainHTTPRush))
}

// httpRush posts {"code": codes[i]} to url(i) from n goroutines released at once, and returns
// each answer's time and status (-1: no answer; -409: a 409 other than "full").
func httpRush(client *http.Client, n int, url func(int) string, codes []string) ([]time.Duration, []int, time.Duration) {
	lat, statuses := make([]time.Duration, n), make([]int, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body, _ := json.Marshal(map[string]string{"code": codes[i]})
			<-start
			t0 := time.Now()
			resp, err := client.Post(url(i), "application/json", bytes.NewReader(body))
			if err != nil {
				lat[i], statuses[i] = time.Since(t0), -1
				return
			}
			var out map[string]any
			json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			lat[i], statuses[i] = time.Since(t0), resp.StatusCode
			if resp.StatusCode == 409 && errCode(out) != "full" {
				statuses[i] = -409
			}
		}()
	}
	t0 := time.Now()
	close(start)
	wg.Wait()
	return lat, statuses, time.Since(t0)
}

// countAnswers counts a rush's answers: granted (201), full (409 "full"), 5xx, anything else.
func countAnswers(statuses []int) (granted, full, fives, other int) {
	for _, s := range statuses {
		switch {
		case s == 201:
			granted++
		case s == 409:
			full++
		case s >= 500:
			fives++
		default:
			other++
		}
	}
	return
}
