package display_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"antre"
	"antre/client"
	"antre/internal/browsertest"
	"antre/server"
	"antre/server/servertest"
)

// shownRecord is what a display page records when it draws a call.
type shownRecord struct {
	Code    string
	Applied float64 // Unix milliseconds: the page changed the DOM
	Painted float64 // Unix milliseconds: the frame showing it began
}

// BenchmarkCallToDisplay measures the time from an officer's call through the API until display
// pages show the number, with 50 displays connected: p50, p99 and the maximum over every page and
// call, until the frame showing the number has been painted (applied-*: until the page changed
// the DOM; socket-*: until the call reached a Go stream client, the hub's share). The pages run
// silent (?sound=0): the announcement download is not part of the number appearing.
//
//   - pages=50: 50 tabs of one headless Chromium, each a registered display with its own token,
//     once per running-text mode (a scrolling line keeps every page drawing; paged text keeps
//     them still). On one machine without a GPU each page's frame costs CPU, so this measures
//     the machine's drawing as much as the hub.
//   - pages=1,streams=49: as in an office, where every TV has its own PC: one page measured
//     while the hub serves 49 other displays (Go stream clients).
//
// ANTRE_BENCH_DISPLAYS changes the number of pages of the first variant.
func BenchmarkCallToDisplay(b *testing.B) {
	pages := 50
	if n, err := strconv.Atoi(os.Getenv("ANTRE_BENCH_DISPLAYS")); err == nil && n > 0 {
		pages = n
	}
	for _, mode := range []string{"paged", "scroll"} {
		b.Run(fmt.Sprintf("pages=%d,ticker=%s", pages, mode), func(b *testing.B) { benchCallToDisplay(b, pages, 1, mode) })
	}
	b.Run("pages=1,streams=49,ticker=scroll", func(b *testing.B) { benchCallToDisplay(b, 1, 49, "scroll") })
}

// benchCallToDisplay measures calls shown on pages display pages while streams Go stream
// clients follow the hub too (the first of them timed).
func benchCallToDisplay(b *testing.B, pages, streams int, ticker string) {
	h := servertest.New(b, func(c *server.Config) { c.Quota.PerGroup = 999 })
	browser := browsertest.New(b, browsertest.Options{})
	tabs := make([]context.Context, pages)
	for i := range tabs {
		name := fmt.Sprintf("display-%02d", i+1)
		tok, err := h.DB().AddDevice(b.Context(), name, "display")
		if err != nil {
			b.Fatal(err)
		}
		if st := h.Do("PUT", "/api/v1/devices/"+name+"/settings", h.Admin, map[string]any{"ticker": ticker}, nil); st != 204 {
			b.Fatalf("settings: %d", st)
		}
		tabs[i] = browsertest.Tab(b, browser)
		browsertest.Do(b, tabs[i], 30*time.Second, chromedp.EmulateViewport(1920, 1080), chromedp.Navigate(h.URL+"/display?sound=0&token="+tok))
	}
	for _, tab := range tabs {
		browsertest.WaitJS(b, tab, 30*time.Second, `window.antreDisplay && antreDisplay.state() === "open" && antreDisplay.lastId() !== null`, `antreDisplay.state()`)
	}
	// The tickets are issued before the calls, so that no page is busy drawing a new waiting
	// count when a call comes.
	codes := make([]string, 100)
	for i := range codes {
		codes[i] = h.Issue("A")
	}
	arrived := followCalls(b, h, streams)
	// A page keeps Chromium busy for some seconds after it loads; measure once they are idle.
	time.Sleep(5*time.Second + time.Duration(pages)*time.Second)
	var painted, applied, socket []float64
	counter := 0
	for b.Loop() {
		b.StopTimer()
		if len(codes) == 0 {
			codes = append(codes, h.Issue("A"))
			time.Sleep(2 * time.Second)
		}
		code := codes[0]
		codes = codes[1:]
		counter = counter%4 + 1
		b.StartTimer()
		start := float64(time.Now().UnixNano()) / 1e6
		if got := next(b, h, counter); got != code {
			b.Fatalf("called %s, want %s", got, code)
		}
		select {
		case at := <-arrived:
			socket = append(socket, float64(at.UnixNano())/1e6-start)
		case <-time.After(10 * time.Second):
			b.Fatalf("the Go stream client did not get %s", code)
		}
		b.StopTimer()
		// The pages time themselves; asking them only once they are done (the call drawn, its
		// blink over) keeps the browser's protocol traffic out of the measured time, and each
		// call finds the pages idle, as calls seconds apart do.
		time.Sleep(500*time.Millisecond + time.Duration(pages)*30*time.Millisecond)
		recs := make([]shownRecord, pages)
		var wg sync.WaitGroup
		for i, tab := range tabs {
			wg.Go(func() {
				ctx, cancel := context.WithTimeout(tab, 10*time.Second)
				defer cancel()
				r, err := chromedp.Run(ctx, chromedp.Evaluate[shownRecord](fmt.Sprintf("antreDisplay.waitShown(%q)", code), chromedp.EvalAwaitPromise))
				if err != nil {
					dctx, dcancel := context.WithTimeout(tab, 5*time.Second)
					defer dcancel()
					state, _ := chromedp.Run(dctx, chromedp.Evaluate[string](`JSON.stringify({state: antreDisplay.state(), connects: antreDisplay.connects(), current: antreDisplay.current(), errors: antreDisplay.errors(), loadedAt: performance.timeOrigin})`))
					b.Errorf("display %d did not show %s: %v (page: %s)", i+1, code, err, state)
				}
				recs[i] = r
			})
		}
		wg.Wait()
		b.StartTimer()
		for _, r := range recs {
			painted = append(painted, r.Painted-start)
			applied = append(applied, r.Applied-start)
		}
	}
	slices.Sort(painted)
	slices.Sort(applied)
	slices.Sort(socket)
	pct := func(v []float64, p float64) float64 { return v[min(len(v)-1, int(p*float64(len(v))))] }
	b.ReportMetric(pct(painted, 0.50), "p50-ms")
	b.ReportMetric(pct(painted, 0.99), "p99-ms")
	b.ReportMetric(painted[len(painted)-1], "max-ms")
	b.ReportMetric(pct(applied, 0.50), "applied-p50-ms")
	b.ReportMetric(pct(applied, 0.99), "applied-p99-ms")
	b.ReportMetric(pct(socket, 0.50), "socket-p50-ms")
	b.ReportMetric(pct(socket, 0.99), "socket-p99-ms")
	b.ReportMetric(float64(len(painted)), "samples")
}

// followCalls connects n Go stream clients as n more displays and reports when each call
// reaches the first: the hub's share of the latency, without a browser.
func followCalls(b *testing.B, h *servertest.Hub, n int) <-chan time.Time {
	arrived := make(chan time.Time, 1024)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	b.Cleanup(func() {
		cancel()
		wg.Wait()
	})
	for i := range n {
		tok, err := h.DB().AddDevice(b.Context(), fmt.Sprintf("stream-%02d", i+1), "display")
		if err != nil {
			b.Fatal(err)
		}
		ready := make(chan struct{})
		s := &client.Stream{Client: mustClient(h.URL, tok), Log: slog.New(slog.DiscardHandler)}
		wg.Go(func() {
			s.Run(ctx, func(_ context.Context, m client.Message) {
				switch {
				case m.Type == client.TypeSnapshot:
					close(ready)
				case m.Type == antre.EvCalled && i == 0:
					arrived <- time.Now()
				}
			})
		})
		<-ready
	}
	return arrived
}
