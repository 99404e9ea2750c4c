package kiosk

import (
	"antre"
	"context"
	"slices"
	"sync"
	"time"

	"antre/printers"
)

// Printer problems, by the names the hub's alerts and the page use. Each blocking problem stops
// the kiosk from issuing; paper near end is only a warning to officers.
const (
	kindPaperOut    = "paper_out"
	kindCoverOpen   = "cover_open"
	kindOffline     = "printer_offline"
	kindFailure     = "printer_error"
	kindUnreachable = "printer_unreachable"
	kindNearEnd     = "paper_near_end"
	// kindWriteFailed is why a ticket is held when sending it failed; it is not an alert.
	kindWriteFailed = "write_failed"
)

// alertKinds lists the alerts in the order they are reported.
func alertKinds() [6]string {
	return [...]string{kindPaperOut, kindCoverOpen, kindOffline, kindFailure, kindUnreachable, kindNearEnd}
}

// alertText is what officers read for an alert, in Indonesian with the English after.
func alertText(kind string) string {
	switch kind {
	case kindPaperOut:
		return "Printer kios: kertas habis (paper out)"
	case kindCoverOpen:
		return "Printer kios: penutup printer terbuka (cover open)"
	case kindOffline:
		return "Printer kios: printer tidak siap (printer offline)"
	case kindFailure:
		return "Printer kios: printer mengalami kerusakan (printer error)"
	case kindUnreachable:
		return "Printer kios: printer tidak terhubung (printer not reachable)"
	case kindNearEnd:
		return "Printer kios: kertas hampir habis (paper near end)"
	}
	return "Printer kios: " + kind
}

// problemKinds names the problems of a status read; a status that could not be read at all is
// an unreachable printer.
func problemKinds(st printers.Status, err error) (problems []string, nearEnd bool) {
	if err != nil {
		return []string{kindUnreachable}, false
	}
	for _, p := range st.Problems() {
		switch p {
		case printers.PaperOut:
			problems = append(problems, kindPaperOut)
		case printers.CoverOpen:
			problems = append(problems, kindCoverOpen)
		case printers.Failure:
			problems = append(problems, kindFailure)
		default:
			problems = append(problems, kindOffline)
		}
	}
	return problems, st.Known && st.PaperNearEnd
}

// printerView is the printer's state as the page and the admin menu show it.
type printerView struct {
	// Checked is when the status was last read; zero before the first read.
	Checked time.Time `json:"checked"`
	// Problems are the blocking problems; empty means the kiosk can print.
	Problems []string `json:"problems,omitempty"`
	NearEnd  bool     `json:"near_end,omitempty"`
	// Detail is the status in English, for the admin menu.
	Detail string `json:"detail"`
}

// station is the link to the printer. It opens the printer when needed and drops the link
// after any failure, so the next use starts on a fresh one, as a failed write requires.
type station struct {
	addr string
	open func(ctx context.Context, addr string) (printers.Printer, error)

	mu sync.Mutex
	p  printers.Printer
}

func (s *station) link(ctx context.Context) (printers.Printer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.p == nil {
		p, err := s.open(ctx, s.addr)
		if err != nil {
			return nil, err
		}
		s.p = p
	}
	return s.p, nil
}

// drop closes p if it is still the station's link.
func (s *station) drop(p printers.Printer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.p == p {
		s.p = nil
		p.Close()
	}
}

func (s *station) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.p != nil {
		s.p.Close()
		s.p = nil
	}
}

func (s *station) status(ctx context.Context) (printers.Status, error) {
	p, err := s.link(ctx)
	if err != nil {
		return printers.Status{}, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		s.drop(p)
	}
	return st, err
}

func (s *station) print(ctx context.Context, l printers.Layout, prof printers.Profile) error {
	p, err := s.link(ctx)
	if err != nil {
		return err
	}
	if err := printers.Print(ctx, p, l, prof); err != nil {
		s.drop(p)
		return err
	}
	return nil
}

// check reads the printer's status, records it, and returns the blocking problems. A read cut
// short because the runtime is stopping is not recorded.
func (k *Kiosk) check(ctx context.Context) []string {
	rctx, cancel := context.WithTimeout(ctx, 2*printers.DefaultReadTimeout)
	defer cancel()
	st, err := k.prn.status(rctx)
	if ctx.Err() != nil {
		return []string{kindUnreachable}
	}
	return k.observe(st, err)
}

// observe records a status read: it updates what the page shows and raises and clears the
// hub's alerts to match. It never prints: held tickets are printed by watchPrinter alone,
// when they are due, so that a status read just before or after a job cannot start another.
func (k *Kiosk) observe(st printers.Status, err error) []string {
	defer k.save() // after k.mu is unlocked
	problems, nearEnd := problemKinds(st, err)
	detail := st.String()
	if err != nil {
		detail = err.Error()
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	was := k.printer
	k.printer = printerView{Checked: time.Now(), Problems: problems, NearEnd: nearEnd, Detail: detail}
	if !slices.Equal(was.Problems, problems) || was.NearEnd != nearEnd || was.Checked.IsZero() {
		if len(problems) > 0 {
			k.log.Warn("printer cannot print", "status", detail)
		} else {
			k.log.Info("printer ready", "status", detail)
		}
		k.changedLocked()
	}
	active := map[string]bool{kindNearEnd: nearEnd}
	for _, p := range problems {
		active[p] = true
	}
	k.alertsLocked(active, time.Now())
	return problems
}

// alertState is what the hub has been told about one kind of printer problem.
type alertState struct {
	on   bool      // the alert is raised at the hub
	seen time.Time // when the problem was last seen
}

// alertsLocked raises the hub's alert for each problem in active at once, and clears an alert
// only once its problem has not been seen for AlertClearAfter: a printer that flaps between
// fine and failing raises one alert, not one per flap. The first call after a start also
// clears at the hub the alerts this runtime does not know to be raised, which the hub may
// still show from before a restart. k.mu is held.
func (k *Kiosk) alertsLocked(active map[string]bool, now time.Time) {
	for _, kind := range alertKinds() {
		a := k.alerts[kind]
		switch {
		case active[kind]:
			a.seen = now
			if !a.on {
				a.on = true
				k.reports.add(alertNote(kind, true))
				k.log.Warn("printer alert raised", "kind", kind)
			}
		case a.on && now.Sub(a.seen) >= k.cfg.AlertClearAfter:
			a.on = false
			k.reports.add(alertNote(kind, false))
			k.log.Info("printer alert cleared", "kind", kind, "fine_for", now.Sub(a.seen).Round(time.Millisecond))
		case !a.on && !k.alertsSynced:
			k.reports.add(alertNote(kind, false))
		}
	}
	k.alertsSynced = true
}

// alertNote is the report that raises or clears an alert of kind at the hub.
func alertNote(kind string, active bool) note {
	return newNote("/api/v1/alerts", map[string]any{"kind": kind, "message": alertText(kind), "active": active}, "")
}

// linkFailed records that a send to a printer that had reported ready failed: for officers
// it is an unreachable printer, raised and cleared like one, though taps are not refused for
// it (the printer's status decides that).
func (k *Kiosk) linkFailed() {
	defer k.save() // after k.mu is unlocked
	k.mu.Lock()
	defer k.mu.Unlock()
	k.alertsLocked(map[string]bool{kindUnreachable: true}, time.Now())
}

// watchPrinter reads the printer's status every StatusInterval and, while the printer is
// ready, prints the held tickets that are due: at the read that finds the printer ready, and
// when the next held ticket's backoff ends.
func (k *Kiosk) watchPrinter(ctx context.Context) {
	tick := time.NewTicker(k.cfg.StatusInterval)
	defer tick.Stop()
	due := time.NewTimer(time.Hour)
	defer due.Stop()
	for {
		due.Stop()
		if len(k.check(ctx)) == 0 && k.heldCount() > 0 {
			k.flushHeld(ctx)
		}
		if at := k.nextRetry(); !at.IsZero() {
			due.Reset(max(time.Until(at), 10*time.Millisecond))
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-k.flush:
		case <-due.C:
		}
	}
}

// printTestPage prints a sample ticket marked as a test, to check the printer and its paper; it
// returns the printer's problems when it cannot print.
func (k *Kiosk) printTestPage(ctx context.Context) ([]string, error) {
	k.printMu.Lock()
	defer k.printMu.Unlock()
	if problems := k.check(ctx); len(problems) > 0 {
		return problems, nil
	}
	k.mu.Lock()
	office, loc, detail := "", k.loc, k.printer.Detail
	publicURL := k.hub.Base().String()
	if k.office != nil {
		office = k.office.Name
		if k.office.PublicURL != "" {
			publicURL = k.office.PublicURL
		}
	}
	k.mu.Unlock()
	sample := antre.IssuedTicket{Ticket: antre.Ticket{Code: "UJI", IssuedAt: time.Now()}, GroupName: "Halaman uji printer / Printer test page",
		ArrivalPeriod: "08:00–12:00", EstimatedWaitMinutes: 5, StatusURL: publicURL}
	l, err := printers.TicketLayout(sample, printers.TicketPrint{Office: office, Location: loc, Mark: "BUKAN NOMOR ANTREAN",
		Footer: append(slices.Clone(k.cfg.Footer), "Printer: "+k.cfg.Printer+", "+k.cfg.Profile.Name+" mm", "Status: "+detail)})
	if err != nil {
		return nil, err
	}
	if err := k.prn.print(ctx, l, k.cfg.Profile); err != nil {
		k.check(ctx)
		return []string{kindWriteFailed}, nil
	}
	return k.check(ctx), nil
}
