// Package sms tells applicants about the queue by SMS and answers their messages, through a real
// gateway: Kannel's HTTP sendsms interface, an SMPP transceiver, or a commercial provider's HTTP
// API.
//
// Nothing is sent directly. Every message is first written to an outbox table in the hub's
// database, in the same transaction as the state change that causes it and under a unique
// dedupe key, so a crash neither loses nor doubles a message. A worker (Run) sends the outbox
// with retries, back-off, a rate limit and a dead-letter state; delivery reports move each
// message forward. Broadcasts (the day's quota, remaining-quota milestones) go to subscribers
// who have not sent STOP; messages about an applicant's own ticket or application always go.
package sms

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"log/slog"
	"time"

	"antre"
)

// Migrations are the module's tables (migration/NNN_*.sql). The hub applies them after its own,
// each file once, in name order, each in a transaction, before it calls New.
//
//go:embed migration/*.sql
var Migrations embed.FS

// Queue is what the module needs to know about today's queue; the hub implements it. Neither
// method is called inside a state change's transaction.
type Queue interface {
	// Lookup returns today's ticket by code, or an antre.Error with code antre.ENOTFOUND.
	Lookup(ctx context.Context, code string) (antre.TicketView, error)
	// Quota returns today's quota per group.
	Quota(ctx context.Context) ([]antre.GroupQuota, error)
}

// Module is the SMS module of one office hub: the outbox, its worker, the gateway, inbound
// commands and the admin API. Create it with New; the hub calls OnEvent inside every state
// change's transaction, mounts Register's routes and runs Run until shutdown.
type Module struct {
	db         *sql.DB
	cfg        Config
	office     antre.Office
	queue      Queue
	now        func() time.Time
	log        *slog.Logger
	sender     Sender
	milestones []milestone
	tpl        templates
	// wake is signalled when a message was written, so the worker looks sooner than its poll.
	wake chan struct{}
}

// New returns the module for office. db is the hub's database with Migrations applied; q answers
// queue questions; now is the clock every business rule reads (the business date, opening time,
// back-off). It fails on an invalid configuration or when the templates cannot be read.
func New(db *sql.DB, cfg Config, office antre.Office, q Queue, now func() time.Time, log *slog.Logger) (*Module, error) {
	if cfg.Adapter == "" {
		cfg.Adapter = "none"
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if office.Location == nil {
		return nil, fmt.Errorf("sms: office %q has no time zone", office.Code)
	}
	ms, err := parseMilestones(cfg.Milestones)
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.Default()
	}
	m := &Module{
		db: db, cfg: cfg, office: office, queue: q, now: now,
		log: log.With("module", "sms"), milestones: ms, wake: make(chan struct{}, 1),
	}
	if err := m.tpl.load(context.Background(), db); err != nil {
		return nil, err
	}
	switch cfg.Adapter {
	case "kannel":
		m.sender = newKannel(cfg.Kannel, cfg.Sender, cfg.InboundSecret)
	case "smpp":
		m.sender = newSMPP(cfg.SMPP, cfg.Sender, m, m.log)
	case "http":
		m.sender = newHTTPProvider(cfg.HTTP, cfg.Sender)
	}
	return m, nil
}

// enabled reports whether a gateway is configured; without one the module writes nothing to
// the outbox, so nothing piles up unsent.
func (m *Module) enabled() bool { return m.sender != nil }

// kick wakes the worker without blocking.
func (m *Module) kick() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}
