package kiosk

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"antre"
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

// check reads the printer's status, records it, and returns the blocking problems.
func (k *Kiosk) check(ctx context.Context) []string {
	ctx, cancel := context.WithTimeout(ctx, 2*printers.DefaultReadTimeout)
	defer cancel()
	st, err := k.prn.status(ctx)
	return k.observe(st, err)
}

// observe records a status read: it updates what the page shows, raises and clears the hub's
// alerts to match, and asks for held tickets to be printed when the printer has recovered.
func (k *Kiosk) observe(st printers.Status, err error) []string {
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
	first := k.alerted == nil
	if first {
		k.alerted = map[string]bool{} // the hub may still show alerts from before a restart
	}
	for _, kind := range alertKinds() {
		if on, sent := active[kind], k.alerted[kind]; first || on != sent {
			k.alerted[kind] = on
			k.out.add(note{path: "/api/v1/alerts", body: map[string]any{"kind": kind, "message": alertText(kind), "active": on}})
		}
	}
	if len(problems) == 0 && (len(was.Problems) > 0 || was.Checked.IsZero()) && len(k.held) > 0 {
		poke(k.flush)
	}
	return problems
}

// watchPrinter reads the printer's status every StatusInterval, and prints the held tickets
// while the printer is ready: at once when it recovers, then at every interval until none is
// left.
func (k *Kiosk) watchPrinter(ctx context.Context) {
	tick := time.NewTicker(k.cfg.StatusInterval)
	defer tick.Stop()
	for {
		if len(k.check(ctx)) == 0 && k.heldCount() > 0 {
			k.flushHeld(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-k.flush:
		}
	}
}

// ticketRecord is a ticket this kiosk issued (or was asked to reprint), with what is needed to
// print it again.
type ticketRecord struct {
	issued antre.IssuedTicket
	lang   string
	// priority marks a ticket known to be priority whose category is not known (a reprint of
	// a ticket issued before the runtime started).
	priority bool
	// state is "printed", "held" or "" before the first print.
	state string
	// problem is why the ticket is held.
	problem string
}

// layout lays the ticket out with the printers package, in the applicant's language.
func (k *Kiosk) layout(rec ticketRecord) (printers.Layout, error) {
	k.mu.Lock()
	var office string
	if k.office != nil {
		office = k.office.Name
	}
	loc := k.loc
	k.mu.Unlock()
	t := rec.issued
	name := t.GroupName
	if rec.lang == "en" && t.GroupNameEN != "" {
		name = t.GroupNameEN
	}
	return printers.TicketLayout(printers.Ticket{
		Office:        office,
		GroupCode:     t.Group,
		GroupName:     name,
		Code:          t.Code,
		IssuedAt:      t.IssuedAt,
		Location:      loc,
		Ahead:         t.Ahead,
		EstimatedWait: time.Duration(t.EstimatedWaitMinutes) * time.Minute,
		ArrivalPeriod: t.ArrivalPeriod,
		Priority:      priorityMark(t.Category, rec.priority, rec.lang),
		StatusURL:     t.StatusURL,
		Footer:        k.cfg.Footer,
		Lang:          rec.lang,
	})
}

// deliver prints a ticket. It reads the printer's status first, sends the job, and reads the
// status again: a fault right after the job means the ticket may have come out incomplete.
// On any failure the ticket is held and the hub told; on success it is released and the hub
// told it was printed. It returns the problems that held it, or nil once printed.
func (k *Kiosk) deliver(ctx context.Context, rec ticketRecord) []string {
	k.printMu.Lock()
	defer k.printMu.Unlock()
	l, err := k.layout(rec)
	if err != nil {
		k.log.Error("ticket layout", "ticket", rec.issued.Code, "err", err)
		return k.hold(rec, []string{kindWriteFailed})
	}
	if problems := k.check(ctx); len(problems) > 0 {
		return k.hold(rec, problems)
	}
	if err := k.prn.print(ctx, l, k.cfg.Profile); err != nil {
		k.log.Warn("ticket not printed", "ticket", rec.issued.Code, "err", err)
		k.check(ctx) // show what the printer says now
		return k.hold(rec, []string{kindWriteFailed})
	}
	if problems := k.check(ctx); len(problems) > 0 {
		k.log.Warn("printer fault right after the ticket; holding it for a reprint", "ticket", rec.issued.Code, "problems", problems)
		return k.hold(rec, problems)
	}
	k.printed(rec)
	return nil
}

// rememberLocked keeps rec for reprints, keeping the state of an earlier record of the same
// ticket; the kiosk remembers its last maxRecent tickets and every held one. k.mu is held.
func (k *Kiosk) rememberLocked(rec ticketRecord) *ticketRecord {
	code := rec.issued.Code
	if old, ok := k.tickets[code]; ok {
		rec.state, rec.problem = old.state, old.problem
		*old = rec
		return old
	}
	r := &rec
	k.tickets[code] = r
	k.recent = append(k.recent, code)
	if len(k.recent) > maxRecent {
		drop := k.recent[0]
		k.recent = k.recent[1:]
		if !slices.Contains(k.held, drop) {
			delete(k.tickets, drop)
		}
	}
	return r
}

// maxRecent is how many issued tickets the kiosk remembers for reprints.
const maxRecent = 500

// hold keeps a ticket that could not be printed; the first time, it tells the hub the print
// failed, so officers see the number and can reprint or cancel it.
// recordOf rebuilds what a ticket's print needs for a ticket this runtime did not issue (or
// issued before a restart): the names and status URL come from the office.
func recordOf(t antre.Ticket, priority bool, office *officeInfo) ticketRecord {
	rec := ticketRecord{issued: antre.IssuedTicket{Ticket: t}, lang: "id", priority: priority}
	if office != nil {
		rec.issued.StatusURL = statusURL(office.PublicURL, t.Code)
		for _, g := range office.Groups {
			if g.Code == t.Group {
				rec.issued.GroupName, rec.issued.GroupNameEN = g.NameID, g.NameEN
			}
		}
	}
	return rec
}

// adoptHeld takes over the tickets the hub lists as held for this kiosk (their print failed
// before a restart of this runtime), so that they print when the printer is ready.
func (k *Kiosk) adoptHeld(ctx context.Context) error {
	ts, err := k.hub.held(ctx)
	if err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, t := range ts {
		if _, known := k.tickets[t.Code]; known {
			continue
		}
		r := k.rememberLocked(recordOf(t, t.Priority(), k.office))
		r.state, r.problem = "held", "restart"
		k.held = append(k.held, t.Code)
		k.log.Info("held ticket taken over from the hub", "ticket", t.Code)
	}
	if len(ts) > 0 {
		k.changedLocked()
		poke(k.flush)
	}
	return nil
}

func (k *Kiosk) hold(rec ticketRecord, problems []string) []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	r := k.rememberLocked(rec)
	r.problem = strings.Join(problems, ",")
	if r.state != "held" {
		r.state = "held"
		k.held = append(k.held, rec.issued.Code)
		k.out.add(note{path: "/api/v1/tickets/" + rec.issued.Code + "/printed", body: map[string]any{"ok": false, "detail": r.problem}})
		k.log.Warn("ticket held", "ticket", rec.issued.Code, "problems", r.problem)
	}
	k.changedLocked()
	return problems
}

// printed records a printed ticket and tells the hub.
func (k *Kiosk) printed(rec ticketRecord) {
	k.mu.Lock()
	defer k.mu.Unlock()
	r := k.rememberLocked(rec)
	if r.state == "held" {
		k.held = slices.DeleteFunc(k.held, func(c string) bool { return c == rec.issued.Code })
		k.log.Info("held ticket printed", "ticket", rec.issued.Code)
	}
	r.state, r.problem = "printed", ""
	k.out.add(note{path: "/api/v1/tickets/" + rec.issued.Code + "/printed", body: map[string]any{"ok": true}})
	k.changedLocked()
}

// release forgets a held ticket that no longer needs printing (cancelled or served).
func (k *Kiosk) release(code, why string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if !slices.Contains(k.held, code) {
		return
	}
	k.held = slices.DeleteFunc(k.held, func(c string) bool { return c == code })
	if r := k.tickets[code]; r != nil {
		r.state = why
	}
	k.log.Info("held ticket released", "ticket", code, "why", why)
	k.changedLocked()
}

func (k *Kiosk) heldCount() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.held)
}

// flushHeld prints the held tickets, oldest first, until none is left or one fails again. A
// ticket the hub reports cancelled, finished or unknown (yesterday's) is released unprinted;
// when the hub cannot be asked, the ticket is printed anyway.
func (k *Kiosk) flushHeld(ctx context.Context) {
	for ctx.Err() == nil {
		k.mu.Lock()
		if len(k.held) == 0 {
			k.mu.Unlock()
			return
		}
		rec := *k.tickets[k.held[0]]
		k.mu.Unlock()
		code := rec.issued.Code
		v, err := k.hub.lookup(ctx, code)
		var he *hubError
		switch {
		case err == nil && (v.Status == antre.StatusCancelled || v.Status == antre.StatusDone):
			k.release(code, string(v.Status))
			continue
		case errors.As(err, &he) && he.Status == http.StatusNotFound:
			k.release(code, "not_found")
			continue
		case err == nil:
			rec.issued.Ahead, rec.issued.EstimatedWaitMinutes = v.Ahead, v.EstimatedWaitMinutes
		}
		if problems := k.deliver(ctx, rec); len(problems) > 0 {
			return
		}
	}
}

// reprint prints a ticket again on request. A ticket this kiosk does not remember (issued
// before the runtime started) is rebuilt from the hub's public view of it.
func (k *Kiosk) reprint(ctx context.Context, code string) []string {
	k.mu.Lock()
	r, known := k.tickets[code]
	var rec ticketRecord
	if known {
		rec = *r
	}
	office := k.office
	k.mu.Unlock()
	v, err := k.hub.lookup(ctx, code)
	switch {
	case err == nil:
		rec.issued.Ahead, rec.issued.EstimatedWaitMinutes = v.Ahead, v.EstimatedWaitMinutes
		if !known {
			rec = recordOf(antre.Ticket{Code: v.Code, Group: v.Group, IssuedAt: v.IssuedAt}, v.Priority, office)
		}
	case !known:
		k.log.Error("reprint of an unknown ticket", "ticket", code, "err", err)
		return []string{kindWriteFailed}
	}
	return k.deliver(ctx, rec)
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
	publicURL := k.hub.base.String()
	if k.office != nil {
		office = k.office.Name
		if k.office.PublicURL != "" {
			publicURL = k.office.PublicURL
		}
	}
	k.mu.Unlock()
	l, err := printers.TicketLayout(printers.Ticket{
		Office:        office,
		GroupName:     "Halaman uji printer / Printer test page",
		Code:          "UJI",
		IssuedAt:      time.Now(),
		Location:      loc,
		Priority:      "BUKAN NOMOR ANTREAN",
		ArrivalPeriod: "08:00–12:00",
		EstimatedWait: 5 * time.Minute,
		StatusURL:     publicURL,
		Footer: append(slices.Clone(k.cfg.Footer), "Printer: "+k.cfg.Printer+", "+k.cfg.Profile.Name+" mm",
			"Status: "+detail),
	})
	if err != nil {
		return nil, err
	}
	if err := k.prn.print(ctx, l, k.cfg.Profile); err != nil {
		k.check(ctx)
		return []string{kindWriteFailed}, nil
	}
	return k.check(ctx), nil
}
