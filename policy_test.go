package antre

import (
	"testing"
	"time"
)

func TestPolicyChoose(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	at := func(minAgo int) *Ticket { return &Ticket{IssuedAt: now.Add(-time.Duration(minAgo) * time.Minute)} }
	n5, n50, n90 := at(5), at(50), at(90)
	p3, p10, p60 := at(3), at(10), at(60)
	p3.Category, p10.Category, p60.Category = CatElderly, CatPregnant, CatVIP
	std := Policy{Ratio: 2, Ageing: 45 * time.Minute}
	tests := []struct {
		name     string
		p        Policy
		streak   int
		normal   *Ticket
		priority *Ticket
		want     *Ticket
		reason   string
	}{
		{"nothing waits", std, 0, nil, nil, nil, ""},
		{"first call goes to an ordinary ticket", std, 0, n5, p3, n5, ReasonRatioNormal},
		{"second ordinary call", std, 1, n5, p3, n5, ReasonRatioNormal},
		{"after two ordinary calls a priority ticket", std, 2, n5, p3, p3, ReasonRatioPriority},
		{"priority turn but none waits", std, 2, n5, nil, n5, ReasonFallbackNormal},
		{"ordinary turn but none waits", std, 0, nil, p3, p3, ReasonFallbackPriority},
		{"only ordinary, ordinary turn", std, 0, n5, nil, n5, ReasonRatioNormal},
		{"only priority, priority turn", std, 5, nil, p3, p3, ReasonRatioPriority},
		{"a priority ticket waiting past the ageing limit jumps the ratio", std, 0, n5, p60, p60, ReasonAgeing},
		{"an ordinary ticket waiting past the ageing limit beats a fresh priority one", std, 2, n50, p10, n50, ReasonAgeing},
		{"both aged: the older one goes first", std, 2, n90, p60, n90, ReasonAgeing},
		{"both aged, priority turn, priority older", std, 0, n50, p60, p60, ReasonAgeing},
		{"ageing off keeps the ratio", Policy{Ratio: 2}, 0, n90, p60, n90, ReasonRatioNormal},
		{"ratio 0: priority always first", Policy{Ratio: 0}, 0, n90, p3, p3, ReasonRatioPriority},
		{"ratio 0 with ageing: a long wait still wins", Policy{Ratio: 0, Ageing: 45 * time.Minute}, 0, n90, p3, n90, ReasonAgeing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, reason := tt.p.Choose(now, tt.streak, tt.normal, tt.priority)
			if got != tt.want || reason != tt.reason {
				t.Errorf("Choose = %v %q, want %v %q", got, reason, tt.want, tt.reason)
			}
		})
	}
}

// TestPolicySequence checks the pattern officers are told: N N P N N P while both classes wait.
func TestPolicySequence(t *testing.T) {
	now := time.Now()
	p := Policy{Ratio: 2, Ageing: time.Hour}
	n := &Ticket{IssuedAt: now}
	pr := &Ticket{IssuedAt: now, Category: CatToddler}
	streak, got := 0, ""
	for range 9 {
		pick, _ := p.Choose(now, streak, n, pr)
		if pick.Priority() {
			got += "P"
			streak = 0
		} else {
			got += "N"
			streak++
		}
	}
	if got != "NNPNNPNNP" {
		t.Fatalf("sequence %s, want NNPNNPNNP", got)
	}
}
