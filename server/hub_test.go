package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"antre"
	"antre/server"
	"antre/server/servertest"
)

type apiError struct {
	Error struct{ Code, Message string }
}

type ticketResp struct {
	Code   string
	Group  string
	Status string
	Pool   string
	Ahead  int
}

type callResp struct {
	Code   string
	Reason string
	Ticket antre.Ticket
}

func withQuota(walkin, online, priority int) servertest.Option {
	return func(c *server.Config) {
		for i := range c.Groups {
			c.Groups[i].WalkIn, c.Groups[i].Online, c.Groups[i].Priority = &walkin, &online, &priority
		}
	}
}

func issue(t *testing.T, h *servertest.Hub, body map[string]any) ticketResp {
	t.Helper()
	var tr ticketResp
	if st := h.Do("POST", "/api/v1/tickets", h.Kiosk, body, &tr); st != http.StatusCreated {
		t.Fatalf("issue %v: status %d", body, st)
	}
	return tr
}

// TestConcurrentIssueAndCall: 8 kiosks issue 1,000 times each while 4 counters call; codes are
// unique and gapless per group, no pool is exceeded and no ticket is called twice.
func TestConcurrentIssueAndCall(t *testing.T) {
	quota := 300
	h := servertest.New(t, withQuota(quota, 0, 40))
	groups := []string{"A", "B", "C", "D", "E", "F"}
	var mu sync.Mutex
	issued := map[string]bool{}
	exhausted := 0
	var wg sync.WaitGroup
	for k := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				body := map[string]any{"group": groups[(k+i)%len(groups)]}
				if i%10 == 0 {
					body["category"] = "elderly"
				}
				var tr struct {
					ticketResp
					apiError
				}
				st := h.Do("POST", "/api/v1/tickets", h.Kiosk, body, &tr)
				mu.Lock()
				switch {
				case st == http.StatusCreated && !issued[tr.Code]:
					issued[tr.Code] = true
				case st == http.StatusConflict && tr.Error.Code == "quota_exhausted":
					exhausted++
				default:
					t.Errorf("issue: status %d, code %q twice? %v", st, tr.Code, tr.Error)
				}
				mu.Unlock()
			}
		}()
	}
	called := map[string]int{}
	stop := make(chan struct{})
	var cw sync.WaitGroup
	for c := 1; c <= 4; c++ {
		cw.Add(1)
		go func() {
			defer cw.Done()
			for {
				var cr callResp
				st := h.Do("POST", fmt.Sprintf("/api/v1/counters/%d/next", c), h.Officer, nil, &cr)
				if st == http.StatusOK {
					mu.Lock()
					called[cr.Code]++
					mu.Unlock()
					continue
				}
				select {
				case <-stop:
					return
				default:
					time.Sleep(time.Millisecond)
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	cw.Wait()

	// Every group is full: quota walk-in + priority numbers, numbered 1..n without gaps.
	want := len(groups) * (quota + 40)
	if len(issued) != want || len(issued)+exhausted != 8000 {
		t.Fatalf("issued %d (want %d), exhausted %d", len(issued), want, exhausted)
	}
	for _, g := range groups {
		for n := 1; n <= quota+40; n++ {
			if code := antre.FormatCode(g, n); !issued[code] {
				t.Fatalf("gap: %s was never issued", code)
			}
		}
	}
	var q struct{ Groups []antre.GroupQuota }
	h.Do("GET", "/api/v1/quota", "", nil, &q)
	for _, g := range q.Groups {
		if g.Used.WalkIn != quota || g.Used.Priority != 40 || g.Remaining != (antre.Quota{}) {
			t.Errorf("group %s: used %+v remaining %+v", g.Group, g.Used, g.Remaining)
		}
	}
	for code, n := range called {
		if n > 1 || !issued[code] {
			t.Errorf("%s called %d times (issued %v)", code, n, issued[code])
		}
	}
	if len(called) == 0 {
		t.Error("no counter called anything")
	}
}

func TestQuotaExhaustionConsumesNothing(t *testing.T) {
	h := servertest.New(t, withQuota(2, 1, 1))
	issue(t, h, map[string]any{"group": "A"})
	issue(t, h, map[string]any{"group": "A"})
	var e apiError
	if st := h.Do("POST", "/api/v1/tickets", h.Kiosk, map[string]any{"group": "A"}, &e); st != http.StatusConflict || e.Error.Code != "quota_exhausted" {
		t.Fatalf("third walk-in: %d %+v", st, e)
	}
	if !strings.Contains(e.Error.Message, "kuota") {
		t.Errorf("message not Indonesian: %q", e.Error.Message)
	}
	// the other pools still issue, and the number continues without a gap (online tickets come
	// from an officer, or check-in; a kiosk may not take them)
	if st := h.Do("POST", "/api/v1/tickets", h.Kiosk, map[string]any{"group": "A", "pool": "online"}, &e); st != http.StatusForbidden {
		t.Errorf("a kiosk issued from the online pool: %d %+v", st, e)
	}
	var online antre.IssuedTicket
	if st := h.Do("POST", "/api/v1/tickets", h.Officer, map[string]any{"group": "A", "pool": "online"}, &online); st != http.StatusCreated || online.Code != "A003" {
		t.Errorf("online ticket %d %s, want A003", st, online.Code)
	}
	if tr := issue(t, h, map[string]any{"group": "A", "category": "pregnant"}); tr.Code != "A004" || tr.Pool != "priority" {
		t.Errorf("priority ticket %+v", tr)
	}
	var q struct{ Groups []antre.GroupQuota }
	h.Do("GET", "/api/v1/quota", "", nil, &q)
	if g := q.Groups[0]; g.Used != (antre.Quota{WalkIn: 2, Online: 1, Priority: 1}) || g.Remaining != (antre.Quota{}) {
		t.Errorf("quota A %+v", g)
	}
	// English on request
	h.Do("POST", "/api/v1/tickets?lang=en", h.Kiosk, map[string]any{"group": "A"}, &e)
	if !strings.HasPrefix(e.Error.Message, "Sorry, today's") {
		t.Errorf("English message %q", e.Error.Message)
	}
}

func TestIdempotentIssue(t *testing.T) {
	h := servertest.New(t)
	do := func() (int, ticketResp) {
		req, _ := http.NewRequest("POST", h.URL+"/api/v1/tickets", strings.NewReader(`{"group":"B"}`))
		req.Header.Set("Authorization", "Bearer "+h.Kiosk)
		req.Header.Set("Idempotency-Key", "tap-42")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var tr ticketResp
		decodeJSON(t, resp, &tr)
		return resp.StatusCode, tr
	}
	s1, t1 := do()
	s2, t2 := do()
	if s1 != 201 || s2 != 200 || t1.Code != t2.Code || t1.Code != "B001" {
		t.Fatalf("retry gave %d %s then %d %s", s1, t1.Code, s2, t2.Code)
	}
	if tr := issue(t, h, map[string]any{"group": "B"}); tr.Code != "B002" {
		t.Fatalf("next ticket %s, want B002 (the retry must not consume a number)", tr.Code)
	}
}

// TestRolloverAcrossTimeZones: numbering restarts at local midnight, in WIB, WITA and WIT, with
// no scheduled job.
func TestRolloverAcrossTimeZones(t *testing.T) {
	for _, zone := range []string{"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"} {
		t.Run(zone, func(t *testing.T) {
			loc, _ := time.LoadLocation(zone)
			h := servertest.Start(t, servertest.Settings{Start: time.Date(2026, 11, 25, 23, 58, 0, 0, loc)}, func(c *server.Config) { c.Office.TimeZone = zone })
			issue(t, h, map[string]any{"group": "A"})
			h.Clock.Set(time.Date(2026, 11, 25, 23, 59, 0, 0, loc))
			if tr := issue(t, h, map[string]any{"group": "A"}); tr.Code != "A002" {
				t.Fatalf("23:59 ticket %s", tr.Code)
			}
			h.Clock.Set(time.Date(2026, 11, 26, 0, 1, 0, 0, loc))
			var full struct {
				BusinessDate string `json:"business_date"`
				Code         string
			}
			h.Do("POST", "/api/v1/tickets", h.Kiosk, map[string]any{"group": "A"}, &full)
			if full.Code != "A001" || full.BusinessDate != "2026-11-26" {
				t.Fatalf("00:01 ticket %+v, want A001 on 2026-11-26", full)
			}
			var q struct {
				BusinessDate string `json:"business_date"`
				Groups       []antre.GroupQuota
			}
			h.Do("GET", "/api/v1/quota", "", nil, &q)
			if q.BusinessDate != "2026-11-26" || q.Groups[0].Used.WalkIn != 1 {
				t.Errorf("quota after midnight %+v", q)
			}
			// yesterday's waiting tickets are not called today
			var cr callResp
			h.Do("POST", "/api/v1/counters/1/next", h.Officer, nil, &cr)
			if cr.Code != "A001" || cr.Ticket.BusinessDate != "2026-11-26" {
				t.Errorf("called %+v", cr)
			}
		})
	}
}
