package kiosk_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"antre"
	"antre/kiosk"
	"antre/printers"
	"antre/printers/printertest"
	"antre/server/servertest"
)

// printedText returns the text a job prints.
func printedText(t testing.TB, job printertest.Job) string {
	t.Helper()
	s, err := printertest.Text(job.Data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestPaperOutHoldsTicket: the paper runs out between two tickets. The second is held, marked
// print-failed at the hub, and an alert reaches the officers; a tap while the paper is out is
// refused without taking a number. When the paper is loaded the held ticket prints by itself
// and is marked printed, the alert clears, and an officer's reprint request prints it again.
func TestPaperOutHoldsTicket(t *testing.T) {
	h := servertest.New(t)
	p := printertest.New(t)
	px := newProxy(t, h.URL)
	k := runKiosk(t, px.URL, h.Kiosk, p.Addr(), printers.Profile80())
	waitReady(t, k)

	first := tap(t, k, "A", "")
	if first.State != "printed" || first.Ticket == nil || first.Ticket.Code != "A001" {
		t.Fatalf("first tap: %+v", first)
	}
	if s := printedText(t, p.WaitJobs(1)[0]); !contains(s, "A001", "Kantor Imigrasi Demo", "Layanan ini GRATIS. Tolak calo.") {
		t.Errorf("first ticket prints:\n%s", s)
	}
	eventually(t, "A001 marked printed", func() bool {
		return slices.Contains(ticketEvents(t, h, "A001"), "ticket.printed")
	})

	// The paper runs out while the hub issues the second ticket.
	px.hookIssue(func() { p.SetPaperOut(true) })
	second := tap(t, k, "B", "elderly")
	if second.State != "held" || second.Ticket == nil || second.Ticket.Code != "B001" || !slices.Equal(second.Problems, []string{"paper_out"}) {
		t.Fatalf("second tap: %+v, want held B001 for paper_out", second)
	}
	eventually(t, "the paper-out alert at the hub", func() bool {
		return slices.Contains(activeAlerts(t, h), "kiosk-1/paper_out")
	})
	eventually(t, "B001 marked print-failed", func() bool {
		return slices.Equal(ticketEvents(t, h, "B001"), []string{"ticket.issued", "ticket.print_failed"})
	})
	if s := kioskState(t, k); s.Held != 1 || !slices.Equal(s.Printer.Problems, []string{"paper_out"}) {
		t.Errorf("kiosk state while the paper is out: held %d, printer %v", s.Held, s.Printer.Problems)
	}

	// A tap while the paper is out is refused before anything is issued.
	third := tap(t, k, "C", "")
	if third.State != "refused" || third.Ticket != nil || !slices.Equal(third.Problems, []string{"paper_out"}) {
		t.Errorf("tap with the paper out: %+v, want refused for paper_out", third)
	}
	if n := used(t, h, "C"); n != 0 {
		t.Errorf("a refused tap used %d numbers of C", n)
	}
	if n := len(p.Jobs()); n != 1 {
		t.Fatalf("%d jobs reached the printer while its paper was out", n)
	}

	// Paper loaded: the held ticket prints by itself.
	p.SetPaperOut(false)
	jobs := p.WaitJobs(2)
	if s := printedText(t, jobs[1]); !contains(s, "B001", "PRIORITAS - Lansia") {
		t.Errorf("held ticket prints:\n%s", s)
	}
	eventually(t, "B001 marked printed and the alert cleared", func() bool {
		return slices.Equal(ticketEvents(t, h, "B001"), []string{"ticket.issued", "ticket.print_failed", "ticket.printed"}) &&
			!slices.Contains(activeAlerts(t, h), "kiosk-1/paper_out")
	})
	if s := kioskState(t, k); s.Held != 0 {
		t.Errorf("%d tickets still held after printing", s.Held)
	}

	// An officer asks for a reprint from the caller console.
	if st := h.Do("POST", "/api/v1/tickets/B001/reprint", h.Officer, nil, nil); st != http.StatusOK {
		t.Fatalf("reprint request: %d", st)
	}
	jobs = p.WaitJobs(3)
	if s := printedText(t, jobs[2]); !contains(s, "B001") {
		t.Errorf("reprint prints:\n%s", s)
	}
	for i, j := range jobs {
		if j.State.PaperOut {
			t.Errorf("job %d was sent while the paper was out", i)
		}
	}
	if n := used(t, h, "B"); n != 1 {
		t.Errorf("group B used %d numbers, want 1", n)
	}
}

// TestHubUnreachable: a tap survives a lost answer and a hub that is down. Either way the tap
// retries with one idempotency key and yields exactly one ticket, printed once.
func TestHubUnreachable(t *testing.T) {
	h := servertest.New(t)
	p := printertest.New(t)

	t.Run("lost answer", func(t *testing.T) {
		px := newProxy(t, h.URL)
		k := runKiosk(t, px.URL, h.Kiosk, p.Addr(), printers.Profile58())
		waitReady(t, k)
		px.loseNextAnswer()
		r := tap(t, k, "A", "")
		if r.State != "printed" || r.Ticket.Code != "A001" {
			t.Fatalf("tap: %+v", r)
		}
		keys := px.keys()
		if len(keys) < 2 || keys[0] == "" || len(slices.Compact(slices.Clone(keys))) != 1 {
			t.Errorf("issue requests carried keys %q, want one key sent at least twice", keys)
		}
		if n := used(t, h, "A"); n != 1 {
			t.Errorf("one tap issued %d tickets", n)
		}
		if jobs := p.WaitJobs(1); len(jobs) != 1 {
			t.Errorf("%d jobs printed", len(jobs))
		}
	})

	t.Run("hub down", func(t *testing.T) {
		k := runKiosk(t, h.URL, h.Kiosk, p.Addr(), printers.Profile58())
		waitReady(t, k)
		h.Stop()
		eventually(t, "the kiosk to notice the hub is down", func() bool { return !kioskState(t, k).Hub.Online })
		done := make(chan tapResult, 1)
		go func() {
			var r tapResult
			call(t, "POST", k, "/api/taps", nil, map[string]string{"group": "A", "lang": "id"}, &r)
			done <- r
		}()
		eventually(t, "the tap to retry", func() bool {
			s := kioskState(t, k)
			return s.Tap != nil && s.Tap.State == "working" && s.Tap.Retrying
		})
		h.Restart()
		r := <-done
		if r.State == "working" { // the answer came before the hub was back: follow the tap
			eventually(t, "the tap to finish", func() bool { return kioskState(t, k).Tap.State != "working" })
			r = *kioskState(t, k).Tap
		}
		if r.State != "printed" || r.Ticket.Code != "A002" {
			t.Fatalf("tap after the hub came back: %+v", r)
		}
		if n := used(t, h, "A"); n != 2 {
			t.Errorf("%d tickets of A issued, want 2", n)
		}
		jobs := p.WaitJobs(2)
		if len(jobs) != 2 || !contains(printedText(t, jobs[1]), "A002") {
			t.Errorf("printed %d jobs; the last:\n%s", len(jobs), printedText(t, jobs[len(jobs)-1]))
		}
	})
}

// TestAdminMenu checks the PIN, the test page, a reprint and the lock-out after wrong PINs.
func TestAdminMenu(t *testing.T) {
	h := servertest.New(t)
	p := printertest.New(t)
	k := runKiosk(t, h.URL, h.Kiosk, p.Addr(), printers.Profile80())
	waitReady(t, k)
	if r := tap(t, k, "E", ""); r.State != "printed" {
		t.Fatalf("tap: %+v", r)
	}
	p.WaitJobs(1)

	if st := call(t, "GET", k, "/api/admin", nil, nil, nil); st != http.StatusUnauthorized {
		t.Errorf("admin without a session: %d", st)
	}
	if st := call(t, "POST", k, "/api/admin/session", nil, map[string]string{"pin": "1111"}, nil); st != http.StatusUnauthorized {
		t.Errorf("wrong PIN: %d", st)
	}
	var login struct{ Session string }
	if st := call(t, "POST", k, "/api/admin/session", nil, map[string]string{"pin": "2468"}, &login); st != 200 || login.Session == "" {
		t.Fatalf("right PIN: %d", st)
	}
	hdr := http.Header{"X-Admin-Session": {login.Session}}
	var v struct {
		Device string
		Recent []struct{ Code, State string }
	}
	if st := call(t, "GET", k, "/api/admin", hdr, nil, &v); st != 200 || v.Device != "kiosk-1" || len(v.Recent) != 1 || v.Recent[0].Code != "E001" || v.Recent[0].State != "printed" {
		t.Errorf("admin view: %d %+v", st, v)
	}
	var res struct{ Printed bool }
	if st := call(t, "POST", k, "/api/admin/test-page", hdr, nil, &res); st != 200 || !res.Printed {
		t.Errorf("test page: %d %+v", st, res)
	}
	if s := printedText(t, p.WaitJobs(2)[1]); !contains(s, "UJI", "BUKAN NOMOR ANTREAN") {
		t.Errorf("test page prints:\n%s", s)
	}
	if st := call(t, "POST", k, "/api/admin/reprint", hdr, map[string]string{"code": "E001"}, &res); st != 200 || !res.Printed {
		t.Errorf("reprint: %d %+v", st, res)
	}
	if s := printedText(t, p.WaitJobs(3)[2]); !contains(s, "E001") {
		t.Errorf("reprint prints:\n%s", s)
	}
	eventually(t, "the reprint on record at the hub", func() bool {
		return slices.Contains(ticketEvents(t, h, "E001"), "ticket.reprint_requested")
	})
	time.Sleep(300 * time.Millisecond) // time enough for a wrong second print to arrive
	if n := len(p.Jobs()); n != 3 {
		t.Errorf("%d jobs, want 3: the kiosk's own reprint request must not print twice", n)
	}
	if st := call(t, "POST", k, "/api/admin/reprint", hdr, map[string]string{"code": "F123"}, nil); st != http.StatusNotFound {
		t.Errorf("reprint of an unknown ticket: %d", st)
	}

	for range 5 {
		call(t, "POST", k, "/api/admin/session", nil, map[string]string{"pin": "0000"}, nil)
	}
	if st := call(t, "POST", k, "/api/admin/session", nil, map[string]string{"pin": "2468"}, nil); st != http.StatusTooManyRequests {
		t.Errorf("right PIN after five wrong ones: %d, want 429", st)
	}
	other := http.Header{"Origin": {"http://evil.example"}}
	if st := call(t, "POST", k, "/api/taps", other, map[string]string{"group": "A"}, nil); st != http.StatusForbidden {
		t.Errorf("tap from another origin: %d", st)
	}
}

// TestWriteFailureHolds: the write of a ticket fails although the printer reported ready. The
// ticket is held and marked print-failed, and printed at the next status check, which finds
// the printer still ready.
func TestWriteFailureHolds(t *testing.T) {
	h := servertest.New(t)
	p := printertest.New(t)
	var failed atomic.Bool
	k := runKiosk(t, h.URL, h.Kiosk, p.Addr(), printers.Profile58(), func(c *kiosk.Config) {
		c.Open = func(ctx context.Context, addr string) (printers.Printer, error) {
			pr, err := printers.Open(ctx, addr)
			if err != nil {
				return nil, err
			}
			return failOnce{pr, &failed}, nil
		}
	})
	waitReady(t, k)
	r := tap(t, k, "A", "")
	if r.State != "held" || !slices.Equal(r.Problems, []string{"write_failed"}) {
		t.Fatalf("tap with a failing write: %+v, want held for write_failed", r)
	}
	if s := printedText(t, p.WaitJobs(1)[0]); !contains(s, "A001") {
		t.Errorf("retried ticket prints:\n%s", s)
	}
	eventually(t, "A001 marked print-failed, then printed", func() bool {
		return slices.Equal(ticketEvents(t, h, "A001"), []string{"ticket.issued", "ticket.print_failed", "ticket.printed"})
	})
}

// failOnce is a printer transport whose first write fails before sending anything.
type failOnce struct {
	printers.Printer
	failed *atomic.Bool
}

func (f failOnce) Write(b []byte) (int, error) {
	if f.failed.CompareAndSwap(false, true) {
		return 0, errors.New("printer link reset")
	}
	return f.Printer.Write(b)
}

// TestCancelledHeldTicket: an officer cancels a held ticket instead of reprinting it; the
// kiosk lets it go and does not print it when the paper is loaded.
func TestCancelledHeldTicket(t *testing.T) {
	h := servertest.New(t)
	p := printertest.New(t)
	px := newProxy(t, h.URL)
	k := runKiosk(t, px.URL, h.Kiosk, p.Addr(), printers.Profile58())
	waitReady(t, k)
	px.hookIssue(func() { p.SetPaperOut(true) })
	if r := tap(t, k, "C", ""); r.State != "held" {
		t.Fatalf("tap: %+v, want held", r)
	}
	if st := h.Do("POST", "/api/v1/tickets/C001/cancel", h.Officer, map[string]string{"reason": "pemohon pulang"}, nil); st != http.StatusOK {
		t.Fatalf("cancel: %d", st)
	}
	eventually(t, "the kiosk to release the cancelled ticket", func() bool { return kioskState(t, k).Held == 0 })
	p.SetPaperOut(false)
	eventually(t, "the paper-out alert to clear", func() bool { return !slices.Contains(activeAlerts(t, h), "kiosk-1/paper_out") })
	time.Sleep(300 * time.Millisecond) // three status checks: time for a wrong print to arrive
	if n := len(p.Jobs()); n != 0 {
		t.Errorf("%d jobs printed for a cancelled ticket", n)
	}
}

// TestQuotaExhausted: a group with no walk-in numbers left still serves priority applicants and
// is greyed out only when both pools are used up; the hub's refusal reaches the page in the
// applicant's language.
func TestQuotaExhausted(t *testing.T) {
	h := servertest.New(t)
	if st := h.Do("PUT", "/api/v1/groups/A/quota", h.Admin, antre.Quota{Priority: 1}, nil); st != 200 {
		t.Fatalf("quota: %d", st)
	}
	p := printertest.New(t)
	k := runKiosk(t, h.URL, h.Kiosk, p.Addr(), printers.Profile58())
	waitReady(t, k)
	groupA := func() (walkin, priority int, exhausted bool) {
		for _, g := range kioskState(t, k).Groups {
			if g.Code == "A" {
				return g.WalkIn, g.Priority, g.Exhausted
			}
		}
		t.Fatal("no group A on the page")
		return
	}
	if w, pr, ex := groupA(); w != 0 || pr != 1 || ex {
		t.Errorf("A before: walk-in %d, priority %d, exhausted %v", w, pr, ex)
	}
	var r tapResult
	if st := call(t, "POST", k, "/api/taps", nil, map[string]string{"group": "A", "lang": "en"}, &r); st != 200 ||
		r.State != "failed" || r.Error == nil || r.Error.Code != "quota_exhausted" || !strings.Contains(r.Error.Message, "walk-in quota for") {
		t.Errorf("walk-in tap on an exhausted pool: %d %+v", st, r)
	}
	if r := tap(t, k, "A", "pregnant"); r.State != "printed" || r.Ticket.Category != "pregnant" {
		t.Errorf("priority tap: %+v", r)
	}
	eventually(t, "A greyed out", func() bool { _, _, ex := groupA(); return ex })
	if n := len(p.WaitJobs(1)); n != 1 {
		t.Errorf("%d jobs, want 1", n)
	}
}

// TestHeldTicketSurvivesRestart: a ticket whose print failed before the runtime restarted is
// taken over from the hub's held list and printed once the runtime is up.
func TestHeldTicketSurvivesRestart(t *testing.T) {
	h := servertest.New(t)
	p := printertest.New(t)
	if st := h.Do("POST", "/api/v1/tickets", h.Kiosk, map[string]any{"group": "C"}, nil); st != 201 {
		t.Fatalf("issue: %d", st)
	}
	h.Do("POST", "/api/v1/tickets/C001/printed", h.Kiosk, map[string]any{"ok": false, "detail": "paper_out"}, nil)
	runKiosk(t, h.URL, h.Kiosk, p.Addr(), printers.Profile80())
	if s := printedText(t, p.WaitJobs(1)[0]); !contains(s, "C001") {
		t.Fatalf("held ticket after restart prints:\n%s", s)
	}
	eventually(t, "C001 marked printed", func() bool {
		return slices.Equal(ticketEvents(t, h, "C001"), []string{"ticket.issued", "ticket.print_failed", "ticket.printed"})
	})
}
