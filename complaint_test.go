package antre

import "testing"

// TestComplaintStateMachine walks every action from every state: received → under review →
// answered → closed, rejected from received or under review, nothing from closed or rejected.
func TestComplaintStateMachine(t *testing.T) {
	want := map[ComplaintStatus]map[ComplaintAction]ComplaintStatus{
		ComplaintReceived:    {ComplaintTake: ComplaintUnderReview, ComplaintReject: ComplaintRejected},
		ComplaintUnderReview: {ComplaintAnswer: ComplaintAnswered, ComplaintReject: ComplaintRejected},
		ComplaintAnswered:    {ComplaintClose: ComplaintClosed},
		ComplaintClosed:      {},
		ComplaintRejected:    {},
	}
	for _, s := range ComplaintStatuses {
		for _, a := range []ComplaintAction{ComplaintTake, ComplaintAnswer, ComplaintReject, ComplaintClose} {
			got, err := s.Next(a)
			if to, ok := want[s][a]; ok {
				if err != nil || got != to {
					t.Errorf("%s %s: %s %v, want %s", s, a, got, err, to)
				}
			} else if ErrorCode(err) != ECONFLICT {
				t.Errorf("%s %s: %s %v, want a conflict", s, a, got, err)
			} else if msg := ErrorMessage(err, "id"); msg != "Tindakan ini tidak dapat dilakukan pada pengaduan yang berstatus "+s.Name("id")+"." {
				t.Errorf("%s %s: %q", s, a, msg)
			}
		}
		if s.Open() != (s == ComplaintReceived || s == ComplaintUnderReview) {
			t.Errorf("%s open %v", s, s.Open())
		}
	}
	if _, err := ComplaintReceived.Next("escalate"); ErrorCode(err) != EINVALID {
		t.Errorf("unknown action: %v", err)
	}
}

// TestComplaintNumbers: numbers are read as people write them and refused otherwise.
func TestComplaintNumbers(t *testing.T) {
	n := FormatComplaintNumber([]byte{0, 1, 2, 3, 29, 30, 255, 100})
	if n != "ADU-2345-Z2HC" {
		t.Errorf("formatted %q", n)
	}
	for _, s := range []string{n, "adu-2345-z2hc", "ADU 2345 Z2HC", "2345z2hc", " ADU2345Z2HC "} {
		if got, err := ParseComplaintNumber(s); err != nil || got != n {
			t.Errorf("%q: %q %v", s, got, err)
		}
	}
	for _, s := range []string{"", "ADU-2345-Z2Y", "ADU-2345-Z2Y10", "ADU-0345-Z2Y8", "ADU-ILOU-Z2Y8", "A001", "2026000001"} {
		if _, err := ParseComplaintNumber(s); ErrorCode(err) != EINVALID {
			t.Errorf("%q accepted: %v", s, err)
		}
	}
	for _, c := range ComplaintCategories {
		if !c.Valid() || c.Name("id") == string("complaint.category."+c) {
			t.Errorf("category %s", c)
		}
	}
	if ComplaintCategory("x").Valid() || ComplaintChannel("fax").Valid() || !ChannelBox.Valid() {
		t.Error("validity")
	}
}
