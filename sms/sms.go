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
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"antre"
	"antre/module"
	"antre/smsgw"
)

//go:embed migration/*.sql
var migrations embed.FS

// Queue is what the module needs to know about today's queue; the hub provides it (see
// module.Queue). None of its methods is called inside a state change's transaction.
type Queue interface {
	// Lookup returns today's ticket by code, or an antre.Error with code antre.ENOTFOUND.
	Lookup(ctx context.Context, code string) (antre.TicketView, error)
	// Quota returns today's quota per group.
	Quota(ctx context.Context) ([]antre.GroupQuota, error)
	// Waiting returns the first perClass waiting tickets of each class of a queue group.
	Waiting(ctx context.Context, date, group string, perClass int) ([]antre.Ticket, error)
}

// ApplicationStatus answers the STATUS command; the passport workflow module provides it
// (module.Services). Until one does, STATUS answers that the look-up is not available.
type ApplicationStatus interface {
	// StatusText is an application's stage in plain words in lang ("en" or Indonesian), with
	// nothing personal and no internal reason; an unknown number is an antre.Error with code
	// antre.ENOTFOUND.
	StatusText(ctx context.Context, number, lang string) (string, error)
}

// Complaints files the complaints that arrive by SMS (ADUAN <text>) and tells where and what
// to answer; the applicant's-voice module provides it (module.Services). Until one does, ADUAN
// answers that complaints are not taken by SMS yet.
type Complaints interface {
	// FileComplaint records a complaint received by SMS from phone, in lang, and returns its
	// number and its due date (YYYY-MM-DD).
	FileComplaint(ctx context.Context, phone, text, lang string) (number, due string, err error)
	// ComplaintReply returns, read through q (the transaction of a complaint.answered or
	// complaint.rejected event), the phone to answer, the language and the answer; ok is false
	// when the complaint has no phone to answer.
	ComplaintReply(ctx context.Context, q module.Querier, number string) (phone, lang, reply string, ok bool, err error)
}

// SurveyLinks gives the link to a finished ticket's satisfaction survey; the applicant's-voice
// module provides it. Without one, no survey link is sent.
type SurveyLinks interface {
	// SurveyLink is the survey link of the ticket code issued on business date date, and
	// whether one should be sent.
	SurveyLink(date, code string) (string, bool)
}

// Module is the SMS module of one office hub: the outbox, its worker, the gateway, inbound
// commands and the admin API. Create it with New and mount it on the hub (module.Module): Start
// declares its routes, its hook inside every state change's transaction and its worker.
type Module struct {
	cfg        Config
	db         module.DB
	office     antre.Office
	queue      Queue
	services   *module.Services
	now        func() time.Time
	log        *slog.Logger
	sender     Sender
	milestones []milestone
	tpl        templates
	// wake is signalled when a message was written, so the worker looks sooner than its poll.
	wake chan struct{}
}

// New checks cfg and returns the module, to be mounted on a hub. It fails on an invalid
// configuration.
func New(cfg Config) (*Module, error) {
	if cfg.Adapter == "" {
		cfg.Adapter = "none"
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	ms, err := parseMilestones(cfg.Milestones)
	if err != nil {
		return nil, err
	}
	return &Module{cfg: cfg, milestones: ms, wake: make(chan struct{}, 1)}, nil
}

// Name is "sms".
func (m *Module) Name() string { return "sms" }

// Migrations are the module's tables (migration/NNN_*.sql).
func (m *Module) Migrations() fs.FS { return migrations }

// Messages are the module's catalogue entries: the texts of its templates ("sms.NAME"), which an
// admin can override per office (see templates.go).
func (m *Module) Messages() antre.Messages { return messages() }

// Start mounts the module on the hub: it reads the edited templates, opens the gateway, and
// declares its routes (see routes), its hook (OnEvent) and its worker (Run).
func (m *Module) Start(h module.Host) error {
	m.db, m.office, m.queue, m.services, m.now, m.log = h.DB(), h.Office(), h.Queue(), h.Services(), h.Now, h.Log()
	if m.office.Location == nil {
		return fmt.Errorf("sms: office %q has no time zone", m.office.Code)
	}
	if err := m.tpl.load(context.Background(), m.db); err != nil {
		return err
	}
	switch m.cfg.Adapter {
	case "kannel":
		m.sender = smsgw.NewKannel(m.cfg.Kannel, m.cfg.Sender, m.cfg.InboundSecret)
	case "smpp":
		m.sender = smsgw.NewSMPP(m.cfg.SMPP, m.cfg.Sender, m, m.log)
	case "http":
		m.sender = smsgw.NewHTTP(m.cfg.HTTP, m.cfg.Sender)
	}
	m.routes(h)
	h.Hook(m.OnEvent)
	h.Worker(m.Run)
	return nil
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

// The module's own event types, both admin changes the audit log records. Their data never
// holds a phone number.
const (
	// EvTemplateChanged: a template edited or reset to its default; data {"template", "lang",
	// "action" (edited or reset), "before": {"body"}, "after": {"body"}}.
	EvTemplateChanged antre.EventType = "sms.template_changed"
	// EvRetried: a dead-lettered message put back in the queue; data {"name": "#ID", "action",
	// "before": {"status", "kind", "attempts"}, "after": {"status"}}.
	EvRetried antre.EventType = "sms.retried"
)
