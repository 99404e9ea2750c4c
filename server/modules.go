package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"antre"
	"antre/checkin"
	"antre/hqlink"
	"antre/module"
	"antre/report"
	"antre/sms"
	"antre/voice"
	"antre/workflow"
)

// modules builds the office's modules from its configuration, in the order they are mounted.
// A new module is one line here and a package of its own.
func modules(cfg *Config) ([]module.Module, error) {
	texts, err := sms.New(cfg.SMS)
	if err != nil {
		return nil, fmt.Errorf("sms: %w", err)
	}
	flow, err := workflow.New(cfg.Workflow, cfg.Data)
	if err != nil {
		return nil, fmt.Errorf("workflow: %w", err)
	}
	link, err := hqlink.New(cfg.HQ)
	if err != nil {
		return nil, fmt.Errorf("hq: %w", err)
	}
	say, err := voice.New(voice.Config{Survey: cfg.Survey, Complaints: cfg.Complaints, Info: cfg.Info})
	if err != nil {
		return nil, fmt.Errorf("voice: %w", err)
	}
	booked, err := checkin.New(cfg.Checkin)
	if err != nil {
		return nil, fmt.Errorf("checkin: %w", err)
	}
	reports, err := report.New(cfg.Report, cfg.Data)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return []module.Module{texts, flow, link, say, booked, reports}, nil
}

// worker is a module's background work.
type worker struct {
	run func(ctx context.Context) error
	log *slog.Logger
}

// mount joins m to the hub: its catalogue entries, then its Start on a host of its own.
func (h *Hub) mount(m module.Module) error {
	if err := antre.AddMessages(m.Messages()); err != nil {
		return err
	}
	return m.Start(&host{hub: h, log: h.log.With("module", m.Name())})
}

// host is the hub as one module sees it (module.Host).
type host struct {
	hub *Hub
	log *slog.Logger
}

func (s *host) Office() antre.Office { return s.hub.db.Office() }
func (s *host) Now() time.Time       { return s.hub.db.Now() }
func (s *host) PublicURL() string    { return s.hub.cfg.PublicURL }
func (s *host) Log() *slog.Logger    { return s.log }
func (s *host) DB() module.DB        { return s.hub.db.ModuleDB() }
func (s *host) Queue() module.Queue  { return s.hub.db }

// Events is the office's event log.
func (s *host) Events() module.EventLog { return s.hub.db }

// Settings changes how the office runs.
func (s *host) Settings() module.Settings { return s.hub.db }

// Calendar is the office's working-day calendar now.
func (s *host) Calendar(ctx context.Context) (antre.Calendar, error) { return s.hub.db.Calendar(ctx) }
func (s *host) Services() *module.Services                           { return &s.hub.services }
func (s *host) Hook(hk module.Hook)                                  { s.hub.db.AddModuleHook(hk) }
func (s *host) Worker(w func(context.Context) error) {
	s.hub.workers = append(s.hub.workers, worker{run: w, log: s.log})
}

// Handle serves a module's route behind the hub's own rules: with roles, only those (401 or
// 403 otherwise, cross-site changes refused).
func (s *host) Handle(pattern string, hd http.Handler, roles ...antre.Role) {
	if len(roles) > 0 {
		hd = s.hub.require(roles...)(hd)
	}
	s.hub.mux.Handle(pattern, hd)
}
