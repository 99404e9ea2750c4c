package server_test

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"antre/server"
	"antre/server/servertest"
)

// BenchmarkCallToClients measures the time from a call's API response to its event arriving at
// each of N WebSocket clients on loopback, and reports p50/p99 over all deliveries. An event
// that arrives before the response (the hub publishes right after the commit) counts as 0.
func BenchmarkCallToClients(b *testing.B) {
	for _, n := range []int{200, 1000} {
		b.Run(fmt.Sprintf("clients=%d", n), func(b *testing.B) { benchCallToClients(b, n) })
	}
}

func raiseFileLimit(b *testing.B, need uint64) {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		b.Fatal(err)
	}
	if l.Cur < need {
		l.Cur = min(need, l.Max)
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
			b.Fatal(err)
		}
	}
}

func benchCallToClients(b *testing.B, n int) {
	raiseFileLimit(b, uint64(2*n+256))
	h := servertest.New(b, func(c *server.Config) {
		q := 999
		for i := range c.Groups {
			c.Groups[i].WalkIn = &q
			c.Groups[i].Online, c.Groups[i].Priority = new(int), new(int)
		}
	})
	url := "ws" + strings.TrimPrefix(h.URL, "http") + "/ws?token=" + h.Officer
	type arrival struct {
		code string
		at   time.Time
	}
	arrivals := make(chan arrival, n*16)
	var wg sync.WaitGroup
	conns := make([]*websocket.Conn, n)
	for i := range conns {
		c, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err != nil {
			b.Fatalf("client %d: %v", i, err)
		}
		conns[i] = c
		c.ReadMessage() // the snapshot
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				var m struct {
					Type   string `json:"type"`
					Ticket string `json:"ticket"`
				}
				if err := c.ReadJSON(&m); err != nil {
					return
				}
				if m.Type == "ticket.called" {
					arrivals <- arrival{m.Ticket, time.Now()}
				}
			}
		}()
	}
	var lat []time.Duration
	b.ResetTimer()
	for i := range b.N {
		g := string(rune('A' + i/999%6))
		if st := h.Do("POST", "/api/v1/tickets", h.Kiosk, map[string]any{"group": g}, nil); st != http.StatusCreated {
			b.Fatalf("issue %d", st)
		}
		var cr struct{ Code string }
		if st := h.Do("POST", "/api/v1/counters/1/next", h.Officer, nil, &cr); st != 200 {
			b.Fatalf("call %d", st)
		}
		returned := time.Now()
		for range n {
			a := <-arrivals
			if a.code != cr.Code {
				b.Fatalf("client got %s, want %s", a.code, cr.Code)
			}
			lat = append(lat, max(a.at.Sub(returned), 0))
		}
	}
	b.StopTimer()
	for _, c := range conns {
		c.Close()
	}
	wg.Wait()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
