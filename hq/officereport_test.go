package hq_test

import (
	"reflect"
	"testing"
	"time"

	"antre/hq/hqtest"
	"antre/server/servertest"
	"antre/tally"
)

// TestOfficeReportAgrees: headquarters' report of an office's day, folded from the events it
// received, is the office's own report of that day to the unit: waits and service times with
// their medians and p90, a no-show, a transfer, per counter and officer.
func TestOfficeReportAgrees(t *testing.T) {
	h := hqtest.StartHQ(t)
	creds := h.Office("KANIM-TBK", "Kantor Imigrasi Tanjung Balai Karimun", "Kepulauan Riau")
	hub := servertest.New(t, hqtest.Linked("KANIM-TBK", creds, h.NATSURL()))
	day := hub.DB().Today()
	do := func(path string, body any) {
		t.Helper()
		if st := hub.Do("POST", path, hub.Officer, body, nil); st != 200 {
			t.Fatalf("POST %s: %d", path, st)
		}
	}
	for range 4 {
		hub.Issue("A")
		hub.Clock.Advance(2 * time.Minute)
	}
	hub.Issue("B")
	for i, step := range []time.Duration{7, 11, 3, 19} {
		hub.Clock.Advance(step * time.Minute)
		do("/api/v1/counters/1/next", nil)
		hub.Clock.Advance(time.Minute)
		do("/api/v1/counters/1/start", nil)
		hub.Clock.Advance(time.Duration(4+i) * time.Minute)
		switch i {
		case 1:
			do("/api/v1/counters/1/transfer", map[string]any{"to_group": "B", "reason": "berkas lengkap"})
		default:
			do("/api/v1/counters/1/finish", nil)
		}
	}
	hub.Clock.Advance(5 * time.Minute)
	do("/api/v1/counters/2/next", nil)
	hub.Clock.Advance(3 * time.Minute)
	do("/api/v1/counters/2/no-show", nil)
	end := hub.DB().Today()
	caughtUp(t, h, hub, "KANIM-TBK", 15*time.Second)

	var office, national struct{ tally.Report }
	q := "from=" + day + "&to=" + end
	if st := hub.Do("GET", "/api/v1/reports?format=json&"+q, hub.Admin, nil, &office); st != 200 {
		t.Fatalf("office report: %d", st)
	}
	if st := getJSON(t, h.URL+"/api/v1/offices/KANIM-TBK/report?"+q, &national); st != 200 {
		t.Fatalf("headquarters' report of the office: %d", st)
	}
	if office.Tickets.Issued != 5 || office.Tickets.NoShow != 1 || office.Waiting.Count == 0 || office.Service.MedianS == 0 {
		t.Fatalf("the office's report does not hold the day: %+v %+v %+v", office.Tickets, office.Waiting, office.Service)
	}
	if !reflect.DeepEqual(office.Report, national.Report) {
		t.Errorf("headquarters and the office disagree:\noffice       %+v\nheadquarters %+v", office.Report, national.Report)
	}
	if st := getJSON(t, h.URL+"/api/v1/offices/KANIM-TBK/report?from="+end+"&to="+day+"x", nil); st != 400 {
		t.Errorf("a bad period: %d, want 400", st)
	}
	if st := getJSON(t, h.URL+"/api/v1/offices/KANIM-XXX/report?"+q, nil); st != 404 {
		t.Errorf("an unknown office: %d, want 404", st)
	}
}
