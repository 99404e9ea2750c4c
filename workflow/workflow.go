// Package workflow is the passport workflow behind the queue (seed 001, "Tahapan Pelayanan
// Paspor One Stop Service"): the application file (berkas) an OSS officer opens from the ticket
// being served, and its journey through biometrics, adjudication, payment, printing, approval
// and pickup, in strict file order with accountable exceptions (rule 9), with its failure paths,
// outside checks, blank passport stock, promised completion date, alerts, receipts, stage
// console (/desk) and the applicant's status (API, page, SMS STATUS).
//
// It is a module on the hub's seam (package module): its own tables (migration/), its routes,
// its worker and its catalogue entries ("workflow."). Every change to a file is one transaction
// on the hub's single writer with its event; the rules of the file's states live in the domain
// (antre.FileState). The applicant's identity is stored once, in wf_files; events and logs
// carry the application number only (the passport.ready event also carries the phone, for the
// SMS module), and every officer's view of a file's personal data is recorded.
package workflow

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"antre"
	"antre/internal/ratelimit"
	"antre/module"
)

//go:embed migration/*.sql
var migrations embed.FS

// The module's event types. None is listed for devices (antre.Event.DeviceView), so waiting
// rooms never receive them; staff consoles do, over the hub's stream. Their data carries the
// file's number and state after the change, never the applicant's identity.
const (
	EvOpened   antre.EventType = "workflow.opened"   // a file opened from a ticket
	EvTaken    antre.EventType = "workflow.taken"    // an officer took a file (next, or a reasoned take)
	EvReleased antre.EventType = "workflow.released" // an officer put a file back in its worklist
	EvStep     antre.EventType = "workflow.step"     // a file changed state (antre.Step)
	EvChecked  antre.EventType = "workflow.checked"  // outside checks answered
	EvCaptured antre.EventType = "workflow.captured" // biometric items captured
	EvVIP      antre.EventType = "workflow.vip"      // a file entered the VIP book
	EvBlanks   antre.EventType = "workflow.blanks"   // blank passports added to the stock
	EvSpoiled  antre.EventType = "workflow.spoiled"  // a blank passport spoiled
	EvAlert    antre.EventType = "workflow.alert"    // a file at risk or late
)

// Module is the passport workflow module of one office hub. Create it with New and mount it on
// the hub (module.Module).
type Module struct {
	cfg    Config
	host   module.Host
	db     module.DB
	office antre.Office
	now    func() time.Time
	log    *slog.Logger
	checks map[antre.CheckKind]Checker
	limit  *ratelimit.Limiter
	// wake makes the worker look at once (a file entered adjudication).
	wake chan struct{}
}

// New checks cfg and returns the module, to be mounted on a hub whose data directory is data
// (the default place of the check lists).
func New(cfg Config, data string) (*Module, error) {
	if err := cfg.complete(data); err != nil {
		return nil, err
	}
	return &Module{cfg: cfg, checks: checkers(cfg), wake: make(chan struct{}, 1)}, nil
}

// SetChecker replaces the checker of one kind (before Start), for tests and for offices with a
// system of their own.
func (m *Module) SetChecker(k antre.CheckKind, c Checker) { m.checks[k] = c }

// Name is "workflow".
func (m *Module) Name() string { return "workflow" }

// Migrations are the module's tables (migration/NNN_*.sql).
func (m *Module) Migrations() fs.FS { return migrations }

// Messages are the module's catalogue entries ("workflow."): its errors, the stages and
// statuses in plain words, the receipt's and the pages' words.
func (m *Module) Messages() antre.Messages { return catalogue() }

// Start mounts the module: its routes and pages, its status service for the SMS STATUS command,
// and its worker (alerts, check retries).
func (m *Module) Start(h module.Host) error {
	m.host, m.db, m.office, m.now, m.log = h, h.DB(), h.Office(), h.Now, h.Log()
	if m.office.Location == nil {
		return fmt.Errorf("workflow: office %q has no time zone", m.office.Code)
	}
	m.limit = ratelimit.New(m.cfg.StatusPerMinute, m.cfg.StatusBurst, m.now)
	m.routes(h)
	h.Services().Provide(statusService{m})
	h.Worker(m.run)
	return nil
}

// kick wakes the worker without blocking.
func (m *Module) kick() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// run is the module's worker: every AlertInterval, and when woken, it runs the outside checks of
// files at adjudication that have not all answered, and raises alerts for files at risk or late.
func (m *Module) run(ctx context.Context) error {
	tick := time.NewTicker(m.cfg.AlertInterval)
	defer tick.Stop()
	for {
		if err := m.checkWaiting(ctx); err != nil && ctx.Err() == nil {
			m.log.Error("workflow checks", "err", err)
		}
		if err := m.scanAlerts(ctx); err != nil && ctx.Err() == nil {
			m.log.Error("workflow alerts", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		case <-m.wake:
		}
	}
}
