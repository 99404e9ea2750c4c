package kiosk_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"antre/kiosk"
	"antre/printers"
	"antre/printers/printertest"
	"antre/server"
	"antre/server/servertest"
)

// BenchmarkTapToPrint58 and BenchmarkTapToPrint80 measure a tap from the page's request to the
// kiosk runtime until the last byte of the ticket is written to the printer's transport: the
// status check, the issue at a real hub, the layout and ESC/POS encoding, and the write to a
// TCP printer on loopback. The printer's own speed is not in it. They report the median and
// 99th percentile in milliseconds and the bytes of one ticket.
func BenchmarkTapToPrint58(b *testing.B) { benchTapToPrint(b, printers.Profile58()) }

// BenchmarkTapToPrint80 is BenchmarkTapToPrint58 on 80 mm paper.
func BenchmarkTapToPrint80(b *testing.B) { benchTapToPrint(b, printers.Profile80()) }

func benchTapToPrint(b *testing.B, prof printers.Profile) {
	h := servertest.New(b, func(c *server.Config) {
		c.Quota.PerGroup, c.Quota.OnlinePercent, c.Quota.PriorityPercent = 999, 0, 0
	})
	p := printertest.New(b)
	rec := &writeRecorder{}
	k := runKiosk(b, h.URL, h.Kiosk, p.Addr(), prof, func(c *kiosk.Config) {
		c.StatusInterval = time.Minute // only the taps' own status checks
		c.Open = rec.open
	})
	waitReady(b, k)
	groups := []string{"A", "B", "C", "D", "E", "F"}
	if b.N > len(groups)*999 {
		b.Fatalf("b.N %d is more than the day's quota of the six groups", b.N)
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		r := tap(b, k, groups[i%len(groups)], "")
		if r.State != "printed" {
			b.Fatalf("tap %d: %+v", i, r)
		}
		lat = append(lat, rec.lastWrite().Sub(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	ms := func(q float64) float64 {
		return float64(lat[min(int(q*float64(len(lat))), len(lat)-1)]) / float64(time.Millisecond)
	}
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
	b.ReportMetric(float64(rec.total())/float64(b.N), "bytes/ticket")
}

// writeRecorder wraps the printer transport and notes when each write ended and how many
// bytes went out.
type writeRecorder struct {
	mu    sync.Mutex
	last  time.Time
	bytes int
}

func (r *writeRecorder) open(ctx context.Context, addr string) (printers.Printer, error) {
	p, err := printers.Open(ctx, addr)
	if err != nil {
		return nil, err
	}
	return recordedPrinter{p, r}, nil
}

func (r *writeRecorder) lastWrite() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last
}

func (r *writeRecorder) total() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.bytes
}

type recordedPrinter struct {
	printers.Printer
	r *writeRecorder
}

func (p recordedPrinter) Write(b []byte) (int, error) {
	n, err := p.Printer.Write(b)
	p.r.mu.Lock()
	p.r.last, p.r.bytes = time.Now(), p.r.bytes+n
	p.r.mu.Unlock()
	return n, err
}
