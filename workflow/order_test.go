package workflow_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"antre"
)

// toStage opens n files and passes them through intake: they wait at biometrics in file order.
func (e *env) toBiometrics(n int) []string {
	e.t.Helper()
	var numbers []string
	for range n {
		f := e.open("oss1", "A", 1)
		e.complete("oss1", f.Number, "intake", "pass", "", map[string]any{"documents": newDocs})
		numbers = append(numbers, f.Number)
	}
	return numbers
}

// TestStrictOrderRace: four biometric officers press "next" at once, again and again: every file
// is taken exactly once, and the takes, in the order the hub made them, are the files in order.
func TestStrictOrderRace(t *testing.T) {
	e := newEnv(t)
	numbers := e.toBiometrics(12)
	officers := []string{"bio1", "bio2", "bio3", "bio4"}
	for _, o := range officers[1:] {
		e.addUser(o, antre.RoleBiometric)
	}
	since := e.events(0)[len(e.events(0))-1].ID
	var mu sync.Mutex
	got := map[string][]string{}
	var wg sync.WaitGroup
	for _, o := range officers {
		wg.Go(func() {
			for {
				var s summary
				var ae apiError
				st := e.h.Do("POST", "/api/v1/stages/biometrics/next", e.tokens[o], nil, &s)
				if st == 409 {
					e.h.Do("POST", "/api/v1/stages/biometrics/next", e.tokens[o], nil, &ae)
					if ae.Error.Code != antre.EEMPTY {
						t.Errorf("%s: next answered %+v", o, ae)
					}
					return
				}
				if st != 200 {
					t.Errorf("%s: next %d", o, st)
					return
				}
				mu.Lock()
				got[o] = append(got[o], s.Number)
				mu.Unlock()
				if st := e.h.Do("POST", "/api/v1/applications/"+s.Number+"/complete", e.tokens[o], map[string]any{
					"stage": "biometrics", "outcome": "pass", "details": map[string]any{"captures": allCaptures}}, nil); st != 200 {
					t.Errorf("%s completes %s: %d", o, s.Number, st)
					return
				}
			}
		})
	}
	wg.Wait()
	var all []string
	for o, ns := range got {
		if !slices.IsSorted(ns) {
			t.Errorf("%s took %v: not in file order", o, ns)
		}
		all = append(all, ns...)
	}
	slices.Sort(all)
	if !slices.Equal(all, numbers) {
		t.Fatalf("taken %v, want each of %v once", all, numbers)
	}
	var order []string
	for _, ev := range e.events(since) {
		if ev.Type == "workflow.taken" {
			order = append(order, string(ev.Data[11:21])) // {"number":"2026000001",…
		}
	}
	if !slices.Equal(order, numbers) {
		t.Errorf("takes in commit order %v, want %v", order, numbers)
	}
	t.Logf("takes per officer: %v", got)
}

// TestOutOfOrderAndVIP: a later file needs a reason to be taken first, and the take is public
// (its category, not its reason); completing a file not taken is refused; the VIP book, granted
// by the head with a reason, is served first.
func TestOutOfOrderAndVIP(t *testing.T) {
	e := newEnv(t)
	e.addUser("bio2", antre.RoleBiometric)
	numbers := e.toBiometrics(4)
	first, third := numbers[0], numbers[2]
	// complete without taking: refused, nothing changes
	e.refused("bio1", "POST", "/api/v1/applications/"+first+"/complete",
		map[string]any{"stage": "biometrics", "outcome": "pass", "details": map[string]any{"captures": allCaptures}}, 409, "conflict")
	msg := e.refused("bio1", "POST", "/api/v1/applications/"+third+"/complete",
		map[string]any{"stage": "biometrics", "outcome": "pass", "details": map[string]any{"captures": allCaptures}}, 409, "conflict")
	if !has(msg, first) || !has(msg, "alasan") {
		t.Errorf("out of order without a reason: %q", msg)
	}
	msg = e.refused("bio1", "POST", "/api/v1/stages/biometrics/take?lang=en", map[string]any{"number": third}, 409, "conflict")
	if !has(msg, "reason") {
		t.Errorf("English refusal: %q", msg)
	}
	e.refused("bio1", "POST", "/api/v1/stages/biometrics/take", map[string]any{"number": third, "reason": "x", "category": "bribe"}, 400, "invalid")
	var s summary
	e.ok("bio1", "POST", "/api/v1/stages/biometrics/take", map[string]any{"number": third, "reason": "penerbangan umrah besok pagi",
		"category": "urgent_travel"}, &s)
	if s.Holder != "bio1" {
		t.Fatalf("take: %+v", s)
	}
	// the next file is still the first, for everybody else
	if got := e.next("bio2", "biometrics"); got.Number != first {
		t.Errorf("next after an out-of-order take: %s, want %s", got.Number, first)
	}
	// a reasoned completion takes a later file out of order in one step
	e.addUser("bio3", antre.RoleBiometric)
	got := e.complete("bio3", numbers[3], "biometrics", "pass", "pemohon lansia, kursi roda",
		map[string]any{"captures": allCaptures, "category": "special_needs"})
	if got.Stage != "adjudication" {
		t.Fatalf("reasoned completion: %+v", got)
	}
	var tr struct {
		Stages []struct {
			Stage   string `json:"stage"`
			Waiting int    `json:"waiting"`
			Oldest  string `json:"oldest"`
			Taken   int    `json:"in_progress"`
		} `json:"stages"`
		OutOfOrder []struct {
			Stage, Category string
		} `json:"out_of_order_today"`
	}
	st, body := e.raw("", "/api/v1/stages")
	if st != 200 || contains(body, "umrah") || contains(body, "kursi") || contains(body, "bio1") {
		t.Fatalf("transparency %d %s", st, body)
	}
	e.ok("", "GET", "/api/v1/stages", nil, &tr)
	if len(tr.OutOfOrder) != 2 || tr.OutOfOrder[0].Category != "urgent_travel" || tr.OutOfOrder[1].Category != "special_needs" {
		t.Errorf("out-of-order takes: %+v", tr.OutOfOrder)
	}
	for _, s := range tr.Stages {
		if s.Stage == "biometrics" && (s.Taken != 2 || s.Waiting != 1 || s.Oldest != numbers[1]) {
			t.Errorf("biometrics figures %+v", s)
		}
	}

	// VIP: only the head, with a reason; then served first
	e.refused("bio2", "POST", "/api/v1/applications/"+numbers[1]+"/vip", map[string]any{"reason": "pejabat"}, 403, "forbidden")
	e.refused("kakanim", "POST", "/api/v1/applications/"+numbers[1]+"/vip", map[string]any{}, 400, "invalid")
	more := e.toBiometrics(2)
	e.ok("kakanim", "POST", "/api/v1/applications/"+more[1]+"/vip", map[string]any{"reason": "tugas negara mendesak"}, &s)
	if s.VIP != "VIP-2026-0001" {
		t.Errorf("VIP: %+v", s)
	}
	e.refused("kakanim", "POST", "/api/v1/applications/"+more[1]+"/vip", map[string]any{"reason": "lagi"}, 409, "conflict")
	e.complete("bio2", first, "biometrics", "pass", "", map[string]any{"captures": allCaptures})
	if got := e.next("bio2", "biometrics"); got.Number != more[1] || got.VIP == "" {
		t.Errorf("next with a VIP file waiting: %+v, want %s", got, more[1])
	}
	var wl struct {
		Waiting []summary `json:"waiting"`
		Taken   []summary `json:"taken"`
	}
	e.ok("bio1", "GET", "/api/v1/stages/biometrics/worklist", nil, &wl)
	var waiting []string
	for _, w := range wl.Waiting {
		waiting = append(waiting, w.Number)
	}
	if fmt.Sprint(waiting) != fmt.Sprint([]string{numbers[1], more[0]}) || len(wl.Taken) != 2 {
		t.Errorf("worklist waiting %v, taken %+v", waiting, wl.Taken)
	}
	// releasing puts a file back in its place
	e.ok("bio2", "POST", "/api/v1/applications/"+more[1]+"/release", nil, nil)
	e.refused("bio1", "POST", "/api/v1/applications/"+numbers[1]+"/release", nil, 409, "conflict")
	if got := e.next("bio2", "biometrics"); got.Number != more[1] {
		t.Errorf("released VIP file is next again: %+v", got)
	}
}
