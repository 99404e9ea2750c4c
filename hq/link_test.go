package hq_test

import (
	"testing"
	"time"

	"antre/hq/hqtest"
	"antre/server/servertest"
)

// TestShipAndCount: an office's events reach headquarters once each, in order, and
// headquarters' figures equal the office's own to the unit.
func TestShipAndCount(t *testing.T) {
	h := hqtest.StartHQ(t)
	creds := h.Office("KANIM-TBK", "Kantor Imigrasi Tanjung Balai Karimun", "Kepulauan Riau")
	hub := servertest.New(t, hqtest.Linked("KANIM-TBK", creds, h.NATSURL()))
	for range 5 {
		hub.Issue("A")
	}
	hub.Issue("B")
	for range 2 {
		if st := hub.Do("POST", "/api/v1/counters/1/next", hub.Officer, nil, nil); st != 200 {
			t.Fatalf("next: %d", st)
		}
	}
	caughtUp(t, h, hub, "KANIM-TBK", 15*time.Second)
	sameFigures(t, h, hub, "KANIM-TBK")
	noDuplicates(t, h)
	d := office(t, h, "KANIM-TBK")
	if d.IssuedToday != 6 || d.ServedToday != 1 || d.Waiting != 4 || d.Region != "Kepulauan Riau" {
		t.Fatalf("office at headquarters: %+v", d.OfficeSummary)
	}
}
