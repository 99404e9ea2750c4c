// Package kiosk is the ticket kiosk: the runtime on the kiosk PC (antre kiosk) and the touch
// page it serves to the kiosk's browser.
//
// The runtime stands between three parties. The page, on 127.0.0.1, asks it for the office's
// groups and their remaining quota and sends it taps; it never sees the device token. The hub
// issues numbers to the runtime's device token and streams events back (quota changes, reprint
// requests). The receipt printer prints what the runtime sends it and reports its status.
//
// A tap is one applicant's request for one number, and the runtime keeps it from becoming zero
// or two numbers:
//
//   - Only one tap runs at a time; the page sends none while one runs.
//   - The printer's status is read before anything is issued. Paper out, cover open or an
//     offline printer refuses the tap with a message at once.
//   - The issue carries an Idempotency-Key made for the tap and reused on every retry, so a
//     retry after a lost answer returns the same number. While the hub cannot be reached the
//     tap retries by itself and the page says so.
//
// Once issued, a number is owed a print until the kiosk reports it printed; the hub keeps it
// pending until then. The runtime neither forgets it nor prints it without end:
//
//   - A ticket whose printing fails (the status turned bad, the write failed, or the printer
//     reports a fault right after the job) is held: the hub marks it print-failed and officers
//     see it. An officer may cancel it, print it at the counter, or ask the kiosk to reprint.
//   - The kiosk prints a held ticket again by itself when the printer is ready and the ticket
//     is due. A failed send is an attempt: the ticket waits Config.RetryMin (2 s), doubled for
//     each failed send up to RetryMax (2 min), each wait shortened by a random factor in
//     [0.5, 1), and no other held ticket is sent by itself before that wait ends. After
//     PrintAttempts (5) failed sends the ticket waits for an officer: a reprint request from
//     the hub, or the admin menu, prints it at once and starts its count afresh. A status read
//     never starts a print, so a printer that recovers gets only what is due.
//   - A held ticket is let go, unprinted, when the hub's stream shows it cancelled, finished,
//     or printed elsewhere (an officer's reprint at the counter).
//   - On every (re)connection the kiosk compares its held tickets with the hub's list of the
//     tickets it issued and never confirmed printed: it takes over those it does not know (a
//     ticket issued just before a crash) and lets go those the hub no longer lists. The ticket
//     at the printer, and one whose report is still on its way, are never taken over twice.
//   - What must survive a restart is kept in the state directory (Config.StateDir): the
//     reports to the hub not yet delivered, in order, and the tickets held or being printed,
//     in the applicant's language. A restarted kiosk delivers the reports and prints every
//     ticket it issued but never confirmed; if the state is lost, the hub's list still has
//     every number.
//
// Printer problems reach officers as hub alerts, raised as soon as a problem is seen, and
// cleared only after the printer has been free of it for Config.AlertClearAfter (30 s): a
// printer that flaps between ready and failing raises one alert, not one per flap. A send that
// fails on a printer that reported ready counts as an unreachable printer.
//
// The browser shows the page full screen with Chromium's kiosk mode: see ChromiumArgs.
package kiosk

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"antre"
	"antre/client"
	"antre/printers"
)

// DefaultAddr is where the runtime serves the page: this PC only.
const DefaultAddr = "127.0.0.1:8081"

// DefaultFooter returns the lines that close every ticket unless the office words its own.
func DefaultFooter() []string { return []string{"Layanan ini GRATIS. Tolak calo."} }

// DefaultStatusInterval is how often the printer's status is read while nobody taps.
const DefaultStatusInterval = 3 * time.Second

// DefaultIdleReset is how long the page waits without a touch before it returns to the start.
const DefaultIdleReset = 45 * time.Second

// Defaults of the automatic retries of a held ticket: the first retry comes DefaultRetryMin
// (times a random factor in [0.5, 1)) after the failed send, each later one waits twice as
// long up to DefaultRetryMax, and after DefaultPrintAttempts failed sends the ticket waits for
// an officer.
const (
	DefaultRetryMin      = 2 * time.Second // wait after a ticket's first failed send
	DefaultRetryMax      = 2 * time.Minute // longest wait between two sends of a ticket
	DefaultPrintAttempts = 5               // failed sends before a ticket waits for an officer
)

// DefaultAlertClearAfter is how long a printer problem must stay away before its alert is
// cleared at the hub.
const DefaultAlertClearAfter = 30 * time.Second

//go:embed page
var pageFiles embed.FS

// Config configures a kiosk runtime.
type Config struct {
	// Hub is the office hub's base URL, e.g. http://10.0.0.2:8080.
	Hub string
	// Token is the kiosk's device token (antre device add --role kiosk); it is sent only to
	// the hub.
	Token string
	// Printer is the printer's address: usb:/dev/usb/lp0, tcp:HOST:PORT or file:PATH.
	Printer string
	// Profile is the printer's paper and head (printers.Profile58, Profile80 …).
	Profile printers.Profile
	// Footer lines close every ticket; nil means DefaultFooter().
	Footer []string
	// AdminPIN unlocks the admin menu (4 to 12 digits); empty disables the menu.
	AdminPIN string
	// StatusInterval is how often the printer's status is read; zero means
	// DefaultStatusInterval.
	StatusInterval time.Duration
	// IdleReset is how long the page waits without a touch before it returns to the start,
	// in Indonesian; zero means DefaultIdleReset.
	IdleReset time.Duration
	// RetryMin is the wait before a held ticket is sent to the printer again after its first
	// failed send; each further failure doubles it, up to RetryMax, and each wait is shortened
	// by a random factor in [0.5, 1). Zero means DefaultRetryMin and DefaultRetryMax.
	RetryMin, RetryMax time.Duration
	// PrintAttempts is how many failed sends of a ticket the kiosk makes by itself; after them
	// the ticket stays held until an officer asks for it again (a reprint request from the hub
	// or the admin menu), which starts its count afresh. Zero means DefaultPrintAttempts.
	PrintAttempts int
	// AlertClearAfter is how long the printer must be continuously free of a problem before
	// its alert is cleared at the hub; an alert is raised as soon as the problem is seen.
	// Taps are refused or accepted on each status read regardless. Zero means
	// DefaultAlertClearAfter.
	AlertClearAfter time.Duration
	// StateDir is the directory, created 0700 if missing, where the runtime keeps what must
	// survive its restart: the reports not yet delivered to the hub and the tickets it still
	// owes a print (see DefaultStateDir). Each kiosk runtime needs its own. Empty means
	// DefaultStateDir().
	StateDir string
	// Open opens the printer; nil means printers.Open. Tests wrap the transport with it.
	Open func(ctx context.Context, addr string) (printers.Printer, error)
	// Log receives the runtime's logs; nil discards them.
	Log *slog.Logger
}

// Kiosk is a running kiosk runtime. Build it with New and run it with Serve.
type Kiosk struct {
	cfg     Config
	log     *slog.Logger
	hub     *client.Client
	reports *reports
	state   stateFile
	prn     *station
	page    fs.FS
	gate    *adminGate
	printMu sync.Mutex     // one ticket or test page on the printer at a time
	bg      sync.WaitGroup // reprints started by the hub's requests

	taps    chan *tap     // taps for the tap worker; at most one is ever waiting
	refresh chan struct{} // asks for the quota to be read again
	flush   chan struct{} // asks for held tickets to be printed now

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced on every change the page shows
	version  int64
	office   *officeInfo
	loc      *time.Location
	device   string
	quota    []antre.GroupQuota
	hubUp    bool
	hubError string // why the hub refuses the kiosk (a bad token), for the page
	printer  printerView
	alerts   map[string]*alertState // by kind: what the hub was told
	// alertsSynced is set once the hub was told, after the start, which alerts are not raised.
	alertsSynced bool
	tap          *tap     // the running or last tap
	held         []string // codes of held tickets, oldest first
	tickets      map[string]*ticketRecord
	recent       []string  // codes of tickets issued here, oldest first
	printing     string    // the ticket being sent to the printer now
	pause        time.Time // no held ticket is sent by itself before then: the last send failed
	holds        uint64    // counts the tickets held, to order holds against readings of the hub
}

// New checks cfg and builds a kiosk runtime, taking up the state an earlier run left in
// cfg.StateDir; nothing is contacted until Serve.
func New(cfg Config) (*Kiosk, error) {
	if cfg.Token == "" {
		return nil, errors.New("kiosk: a device token is required (antre device add --role kiosk)")
	}
	if _, err := printers.ParseAddr(cfg.Printer); err != nil {
		return nil, err
	}
	if cfg.Profile.Dots == 0 {
		return nil, errors.New("kiosk: a paper profile is required")
	}
	if cfg.AdminPIN != "" && !validPIN(cfg.AdminPIN) {
		return nil, errors.New("kiosk: the admin PIN must be 4 to 12 digits")
	}
	if cfg.Footer == nil {
		cfg.Footer = DefaultFooter()
	}
	if cfg.StatusInterval <= 0 {
		cfg.StatusInterval = DefaultStatusInterval
	}
	if cfg.IdleReset <= 0 {
		cfg.IdleReset = DefaultIdleReset
	}
	if cfg.RetryMin <= 0 {
		cfg.RetryMin = DefaultRetryMin
	}
	if cfg.RetryMax <= 0 {
		cfg.RetryMax = DefaultRetryMax
	}
	cfg.RetryMax = max(cfg.RetryMax, cfg.RetryMin)
	if cfg.PrintAttempts <= 0 {
		cfg.PrintAttempts = DefaultPrintAttempts
	}
	if cfg.AlertClearAfter <= 0 {
		cfg.AlertClearAfter = DefaultAlertClearAfter
	}
	if cfg.StateDir == "" {
		cfg.StateDir = DefaultStateDir()
	}
	if cfg.Open == nil {
		cfg.Open = printers.Open
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	hub, err := client.New(cfg.Hub, client.Options{Token: cfg.Token})
	if err != nil {
		return nil, err
	}
	page, err := fs.Sub(pageFiles, "page")
	if err != nil {
		return nil, err
	}
	k := &Kiosk{
		cfg:     cfg,
		log:     cfg.Log,
		hub:     hub,
		state:   stateFile{dir: cfg.StateDir},
		prn:     &station{addr: cfg.Printer, open: cfg.Open},
		page:    page,
		gate:    newAdminGate(cfg.AdminPIN),
		taps:    make(chan *tap, 1),
		refresh: make(chan struct{}, 1),
		flush:   make(chan struct{}, 1),
		changed: make(chan struct{}),
		tickets: map[string]*ticketRecord{},
		alerts:  map[string]*alertState{},
	}
	for _, kind := range alertKinds() {
		k.alerts[kind] = &alertState{}
	}
	k.reports = newReports(hub, cfg.Log, k.save, k.staleReport)
	if err := k.load(); err != nil {
		return nil, err
	}
	return k, nil
}

// Serve serves the page and its API on l and runs the kiosk until ctx ends: it follows the
// hub's events, keeps the quota current, watches the printer and reports to the hub. It
// returns after the background work has stopped.
func (k *Kiosk) Serve(ctx context.Context, l net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	srv := &http.Server{
		Handler:           k.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	var wg sync.WaitGroup
	for _, run := range []func(context.Context){k.reports.run, k.follow, k.keepQuota, k.watchPrinter, k.tapWorker} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run(ctx)
		}()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	k.log.Info("kiosk ready", "addr", l.Addr().String(), "hub", k.hub.Base().String(), "printer", k.cfg.Printer, "paper", k.cfg.Profile.Name)
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	cancel()
	// Every handler ends with ctx, so requests in flight finish at once; a connection that
	// never sent a request is not waited for.
	sctx, scancel := context.WithTimeout(context.Background(), time.Second)
	defer scancel()
	if srv.Shutdown(sctx) != nil {
		srv.Close()
	}
	wg.Wait()
	k.bg.Wait()
	k.prn.close()
	k.hub.Close()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// changedLocked records a change the page shows and wakes whoever waits for one; k.mu is held.
func (k *Kiosk) changedLocked() {
	k.version++
	close(k.changed)
	k.changed = make(chan struct{})
}

// poke wakes the goroutine that waits on c, unless it has been woken already.
func poke(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// follow keeps a connection to the hub's event stream: on every (re)connection it reads the
// office and the kiosk's device name, then reacts to events until the connection breaks, and
// reconnects, resuming after the last event it saw.
func (k *Kiosk) follow(ctx context.Context) {
	stream := &client.Stream{Client: k.hub, Log: k.log, MinDelay: minBackoff, MaxDelay: maxBackoff,
		Connected: func(ctx context.Context) error {
			if err := k.connect(ctx); err != nil {
				return err
			}
			k.setHub(true, "")
			return nil
		},
		Lost: func(err error) { k.setHub(false, "") },
	}
	for ctx.Err() == nil {
		err := stream.Run(ctx, func(ctx context.Context, m client.Message) { k.onEvent(ctx, m) })
		if !errors.Is(err, client.ErrUnauthorized) {
			return // ctx ended
		}
		k.log.Error("hub refuses the kiosk's token", "err", err)
		k.setHub(false, "unauthorized")
		if !sleep(ctx, 10*time.Second) {
			return
		}
	}
}

// connect reads the office description and the kiosk's device name.
func (k *Kiosk) connect(ctx context.Context) error {
	o, err := office(ctx, k.hub)
	if err != nil {
		return err
	}
	name, err := deviceName(ctx, k.hub)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(o.TimeZone)
	if err != nil {
		k.log.Warn("unknown office time zone; using the PC's", "time_zone", o.TimeZone, "err", err)
		loc = time.Local
	}
	k.mu.Lock()
	k.office, k.loc, k.device = &o, loc, name
	k.changedLocked()
	k.mu.Unlock()
	poke(k.refresh)
	if err := k.syncHeld(ctx); err != nil {
		return err
	}
	poke(k.flush) // held tickets print once the office is known
	return nil
}

func (k *Kiosk) setHub(up bool, why string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.hubUp != up || k.hubError != why {
		k.hubUp, k.hubError = up, why
		k.changedLocked()
	}
}

// onEvent reacts to one message of the hub's stream.
func (k *Kiosk) onEvent(ctx context.Context, m client.Message) {
	switch m.Type {
	case "snapshot":
		if m.Snapshot != nil {
			k.setQuota(m.Snapshot.Groups)
		}
	case antre.EvIssued, antre.EvQuota:
		poke(k.refresh)
	case antre.EvCancelled:
		k.release(m.Ticket, "cancelled")
	case antre.EvFinished:
		k.release(m.Ticket, "done")
	case antre.EvPrinted:
		// A held ticket reported printed: at a counter, or by this kiosk before it failed
		// again. The hub's list of unprinted tickets tells which.
		if k.isHeld(m.Ticket) {
			if err := k.syncHeld(ctx); err != nil {
				k.log.Warn("unprinted tickets not compared with the hub", "ticket", m.Ticket, "err", err)
			}
		}
	case antre.EvReprint:
		var d struct{ Kiosk string }
		json.Unmarshal(m.Data, &d)
		k.mu.Lock()
		mine := d.Kiosk != "" && d.Kiosk == k.device && m.Actor != k.device
		k.mu.Unlock()
		if mine { // the kiosk's own admin reprints have been printed already
			k.log.Info("reprint requested", "ticket", m.Ticket, "by", m.Actor)
			k.bg.Go(func() { k.reprint(ctx, m.Ticket) })
		}
	}
}

// keepQuota reads the quota again when an event changed it (at most every 100 ms), and every
// 30 seconds in any case, so the new business day shows without an event.
func (k *Kiosk) keepQuota(ctx context.Context) {
	tick := time.NewTicker(30 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-k.refresh:
		case <-tick.C:
		}
		q, err := quota(ctx, k.hub)
		if err != nil {
			k.log.Debug("quota not read", "err", err)
			continue
		}
		k.setQuota(q)
		sleep(ctx, 100*time.Millisecond)
	}
}

func (k *Kiosk) setQuota(q []antre.GroupQuota) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.quota = q
	k.changedLocked()
}

// groupQuota returns the quota state of group code.
func (k *Kiosk) groupQuota(code string) (antre.GroupQuota, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, g := range k.quota {
		if g.Group == code {
			return g, true
		}
	}
	return antre.GroupQuota{}, false
}

// statusURL is the public status page of a ticket, as the hub builds it for new tickets.
func statusURL(publicURL, code string) string {
	return strings.TrimRight(publicURL, "/") + "/status/" + code
}
