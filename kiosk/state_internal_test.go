package kiosk

import (
	"testing"
	"time"
)

// TestStaleReport: a print report not delivered on the day it was made is dropped, since its
// code names another ticket today; alerts are always sent.
func TestStaleReport(t *testing.T) {
	jakarta, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Skip(err)
	}
	k := &Kiosk{loc: jakarta}
	yesterday := time.Now().Add(-24 * time.Hour)
	for _, tc := range []struct {
		name string
		n    note
		want bool
	}{
		{"report of today", printReport("A001", true, ""), false},
		{"report of yesterday", note{Path: "/api/v1/tickets/A001/printed", Ticket: "A001", At: yesterday}, true},
		{"alert of yesterday", note{Path: "/api/v1/alerts", At: yesterday}, false},
		{"report without a time", note{Path: "/api/v1/tickets/A001/printed", Ticket: "A001"}, false},
	} {
		if got := k.staleReport(tc.n); got != tc.want {
			t.Errorf("%s: stale %v, want %v", tc.name, got, tc.want)
		}
	}
}
