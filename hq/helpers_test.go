package hq_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"testing"
	"time"

	"antre"
	"antre/hq"
	"antre/hq/hqtest"
	"antre/server/servertest"
	"antre/tally"
)

func TestMain(m *testing.M) { os.Exit(hqtest.Main(m)) }

// getJSON decodes GET url into out and returns the status.
func getJSON(t testing.TB, url string, out any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode == 200 {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

// send sends a JSON request with the admin token.
func send(t testing.TB, method, url, token string, body any) int {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, url, bytes.NewReader(b))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func office(t testing.TB, h *hqtest.HQ, code string) hq.OfficeDetail {
	t.Helper()
	var d hq.OfficeDetail
	if st := getJSON(t, h.URL+"/api/v1/offices/"+code, &d); st != 200 {
		t.Fatalf("GET office %s: %d", code, st)
	}
	return d
}

// caughtUp waits until headquarters stores every event of hub's log, contiguously.
func caughtUp(t testing.TB, h *hqtest.HQ, hub *servertest.Hub, code string, timeout time.Duration) {
	t.Helper()
	hqtest.Eventually(t, timeout, code+" caught up at headquarters", func() bool {
		last := hub.DB().LastCommitted()
		s, _, ok := h.View(code)
		return ok && s.Events == last && s.Contiguous == last && s.MaxEventID == last
	})
}

// noDuplicates checks that no (office, event_id) is stored twice.
func noDuplicates(t testing.TB, h *hqtest.HQ) {
	t.Helper()
	rows, distinct, err := h.Store().Count(context.Background())
	if err != nil || rows != distinct {
		t.Fatalf("events stored %d, distinct %d (%v)", rows, distinct, err)
	}
}

// sameFigures checks headquarters' figures of an office against the office's own answers: its
// quota per group (the store's SQL, GET /api/v1/quota) and its link page's figures (tally over
// its own log).
func sameFigures(t testing.TB, h *hqtest.HQ, hub *servertest.Hub, code string) {
	t.Helper()
	var answer struct{ Groups []antre.GroupQuota }
	if st := hub.Do("GET", "/api/v1/quota", "", nil, &answer); st != 200 {
		t.Fatalf("office quota: %d", st)
	}
	quota := answer.Groups
	var link struct{ Today tally.Figures }
	if st := hub.Do("GET", "/api/v1/hq/link", hub.Admin, nil, &link); st != 200 {
		t.Fatalf("office link: %d", st)
	}
	d := office(t, h, code)
	if d.Date != hub.DB().Today() {
		t.Fatalf("headquarters' date for %s is %s, the office's %s", code, d.Date, hub.DB().Today())
	}
	byGroup := map[string]tally.GroupFigures{}
	for _, g := range d.Figures.Groups {
		byGroup[g.Group] = g
	}
	waiting, remaining := 0, 0
	for _, q := range quota {
		g := byGroup[q.Group]
		if g.Quota != q.Quota || g.Used != q.Used || g.Remaining != q.Remaining || g.Waiting != q.Waiting || !g.QuotaKnown {
			t.Errorf("%s group %s: headquarters %+v, office %+v", code, q.Group, g.GroupQuota, q)
		}
		waiting += q.Waiting
		remaining += tally.Total(q.Remaining)
	}
	if d.Waiting != waiting || d.RemainingQuota != remaining {
		t.Errorf("%s: headquarters waiting %d remaining %d; office %d, %d", code, d.Waiting, d.RemainingQuota, waiting, remaining)
	}
	o := link.Today
	if d.IssuedToday != o.Issued || d.ServedToday != o.Served || d.Waiting != o.Waiting || d.LongestWaitSeconds != o.LongestWaitSeconds ||
		d.RemainingQuota != o.Remaining || d.NoShowsToday != o.NoShows {
		t.Errorf("%s: headquarters %+v; office's link page %+v", code, d.OfficeSummary, o)
	}
}
