package server_test

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"antre"
	"antre/server/servertest"
)

// BenchmarkDisplayConnects opens the streams of 200 registered displays, 32 at a time, as after
// a power cut in a large office (each reads its snapshot, then closes), while a probe asks
// /healthz every 10 ms. It reports the slowest probe (goal: under 100 ms) and failed connects
// (goal: none) per round of 200.
func BenchmarkDisplayConnects(b *testing.B) {
	raiseFileLimit(b, 1024)
	h := servertest.New(b, withQuota(300, 0, 0))
	for i := range 600 {
		if st := h.Do("POST", "/api/v1/tickets", h.Kiosk, map[string]any{"group": string(rune('A' + i%6))}, nil); st != 201 {
			b.Fatalf("issue: %d", st)
		}
	}
	tokens := make([]string, 200)
	for i := range tokens {
		var err error
		if tokens[i], err = h.DB().AddDevice(b.Context(), fmt.Sprintf("tv-%03d", i), antre.RoleDisplay); err != nil {
			b.Fatal(err)
		}
	}
	base := "ws" + strings.TrimPrefix(h.URL, "http") + "/ws?token="
	stop := make(chan struct{})
	var probes []time.Duration
	var probeFails atomic.Int64
	probeDone := make(chan struct{})
	go func() {
		defer close(probeDone)
		client := &http.Client{Timeout: 5 * time.Second}
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
			t0 := time.Now()
			resp, err := client.Get(h.URL + "/healthz")
			if err != nil || resp.StatusCode != 200 {
				probeFails.Add(1)
			}
			if resp != nil {
				resp.Body.Close()
			}
			probes = append(probes, time.Since(t0))
		}
	}()
	var failed atomic.Int64
	for b.Loop() { // the hub and its 200 displays are set up once
		sem := make(chan struct{}, 32)
		var wg sync.WaitGroup
		for _, tok := range tokens {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				c, _, err := websocket.DefaultDialer.Dial(base+tok, nil)
				if err != nil {
					failed.Add(1)
					return
				}
				defer c.Close()
				c.SetReadDeadline(time.Now().Add(10 * time.Second))
				if _, _, err := c.ReadMessage(); err != nil {
					failed.Add(1)
				}
			}()
		}
		wg.Wait()
	}
	close(stop)
	<-probeDone
	sort.Slice(probes, func(i, j int) bool { return probes[i] < probes[j] })
	worst := time.Duration(0)
	if len(probes) > 0 {
		worst = probes[len(probes)-1]
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "probe-max-ms")
	b.ReportMetric(float64(failed.Load()+probeFails.Load())/float64(b.N), "failures/round")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/round")
}
