// Package voice is the applicant's voice: the public satisfaction survey and its official
// index (SKM/IKM, PermenPANRB 14/2017 or KEPMENPAN 25/2004), complaints handled to closure
// (KEPMENPAN 148/2003), the information kiosk (/info) and the transparency page
// (/transparansi). It answers seed 000's list (a touch-screen information kiosk with a barcode
// reader; complaints by SMS, at a desk and in a suggestion box; the questionnaire and index)
// and seed 002's measure of success (surveys and complaints).
//
// It is a module on the hub's seam (package module): its own tables (migration/), routes,
// pages, hook, worker and catalogue entries ("voice."); the index's and complaints' rules are
// in the domain (antre.Regulation, antre.ComplaintStatus). Its hook records, inside each
// change's transaction, every real finish at a counter (what a survey may be answered for),
// every call with the rule that chose it and every dispensation's category (the transparency
// page). It reaches other modules only through services: the passport workflow's application
// status (found with module.Find), and the SMS module, which finds this module's survey links
// and complaint services and alone writes its outbox.
package voice

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"time"

	"antre"
	"antre/internal/ratelimit"
	"antre/module"
)

//go:embed migration/*.sql
var migrations embed.FS

// The module's own event types (complaint.answered and complaint.rejected, which the SMS
// module acts on, are in the domain). None is listed for devices (antre.Event.DeviceView).
// Their data carries numbers, channels, categories and states (and a survey's element scores,
// 1–4, which the reports' index is computed from): never a phone number, a name, a complaint's
// text, an answer or a survey token.
const (
	EvSurveyAnswered     antre.EventType = "survey.answered"     // a ticket's survey response
	EvComplaintReceived  antre.EventType = "complaint.received"  // a complaint filed
	EvComplaintTaken     antre.EventType = "complaint.taken"     // an officer took it under review
	EvComplaintClosed    antre.EventType = "complaint.closed"    // an answered complaint closed
	EvComplaintEscalated antre.EventType = "complaint.escalated" // overdue: handed up to the head
	EvInfoChanged        antre.EventType = "info.changed"        // the information kiosk's texts edited
)

// Module is the applicant's-voice module of one office hub. Create it with New and mount it on
// the hub (module.Module).
type Module struct {
	cfg      Config
	form     Form
	host     module.Host
	db       module.DB
	office   antre.Office
	now      func() time.Time
	log      *slog.Logger
	services *module.Services
	key      []byte // the survey tokens' HMAC key
	webLimit *ratelimit.Limiter
	infoLim  *ratelimit.Limiter
	// wake makes the worker look for overdue complaints at once (tests move the clock).
	wake chan struct{}
}

// New checks cfg and returns the module, to be mounted on a hub.
func New(cfg Config) (*Module, error) {
	if err := cfg.complete(); err != nil {
		return nil, err
	}
	return &Module{cfg: cfg, wake: make(chan struct{}, 1)}, nil
}

// Name is "voice".
func (m *Module) Name() string { return "voice" }

// Migrations are the module's tables (migration/NNN_*.sql).
func (m *Module) Migrations() fs.FS { return migrations }

// Messages are the module's catalogue entries ("voice."): its errors, the built-in
// questionnaire and profile, the information kiosk's default texts and the pages' words.
func (m *Module) Messages() antre.Messages { return catalogue() }

// Start mounts the module: the survey key (made at the first start), its routes and pages, its
// hook, its services (the survey links for tickets and SMS, the complaints service for SMS)
// and its worker (overdue complaints).
func (m *Module) Start(h module.Host) error {
	m.host, m.db, m.office, m.now, m.log, m.services = h, h.DB(), h.Office(), h.Now, h.Log(), h.Services()
	if m.office.Location == nil {
		return fmt.Errorf("voice: office %q has no time zone", m.office.Code)
	}
	m.form = buildForm(m.cfg.Survey)
	key, err := m.loadKey(context.Background())
	if err != nil {
		return fmt.Errorf("voice: survey key: %w", err)
	}
	m.key = key
	m.webLimit = ratelimit.New(m.cfg.Complaints.PerMinute, m.cfg.Complaints.Burst, m.now)
	m.infoLim = ratelimit.New(m.cfg.Info.StatusPerMinute, m.cfg.Info.StatusBurst, m.now)
	m.routes(h)
	h.Hook(m.onEvent)
	h.Services().Provide(surveyLinks{m})
	h.Services().Provide(smsComplaints{m})
	h.Worker(m.run)
	return nil
}

// loadKey reads the survey key, making it (32 random bytes) the first time.
func (m *Module) loadKey(ctx context.Context) ([]byte, error) {
	var key []byte
	err := m.db.QueryRowContext(ctx, `SELECT secret FROM voice_keys WHERE name = 'survey'`).Scan(&key)
	if err == nil && len(key) >= 32 {
		return key, nil
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	if _, err := m.db.ExecContext(ctx, `INSERT OR IGNORE INTO voice_keys (name, secret, created_at) VALUES ('survey', ?, ?)`,
		fresh, m.now().UnixMilli()); err != nil {
		return nil, err
	}
	err = m.db.QueryRowContext(ctx, `SELECT secret FROM voice_keys WHERE name = 'survey'`).Scan(&key)
	return key, err
}

// kick wakes the worker without blocking.
func (m *Module) kick() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// onEvent records, inside the change's transaction, what the module needs of the queue:
//
//   - ticket.finished at a counter: the finish (a survey may be answered for it; the counter's
//     tablet offers it);
//   - ticket.called: the call and the rule that chose it (the officer's note of a specific
//     call is private and not kept);
//   - ticket.issued with a category, ticket.dispensation: the dispensation's category.
//
// It reads only the event; an error rolls the change back, so only a failing database is one.
func (m *Module) onEvent(ctx context.Context, tx module.Tx, e antre.Event) error {
	date := m.office.BusinessDate(e.At)
	var d struct {
		Reason   string         `json:"reason"`
		Category antre.Category `json:"category"`
	}
	switch e.Type {
	case antre.EvFinished, antre.EvCalled, antre.EvIssued, antre.EvDispensed:
		if len(e.Data) > 0 {
			if err := json.Unmarshal(e.Data, &d); err != nil {
				m.log.Warn("event data unreadable", "event", e.ID, "type", e.Type)
			}
		}
	default:
		return nil
	}
	var err error
	switch e.Type {
	case antre.EvFinished:
		if e.Counter == 0 || e.Ticket == "" {
			return nil
		}
		_, err = tx.ExecContext(ctx, `INSERT OR IGNORE INTO voice_finishes (business_date, ticket, grp, counter, at) VALUES (?, ?, ?, ?, ?)`,
			date, e.Ticket, e.Group, e.Counter, e.At.UnixMilli())
	case antre.EvCalled:
		_, err = tx.ExecContext(ctx, `INSERT INTO voice_calls (business_date, at, ticket, grp, counter, reason) VALUES (?, ?, ?, ?, ?, ?)`,
			date, e.At.UnixMilli(), e.Ticket, e.Group, e.Counter, callReason(d.Reason))
	case antre.EvIssued, antre.EvDispensed:
		if d.Category == antre.CatNone || !d.Category.Valid() {
			return nil
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO voice_dispensations (business_date, category, at) VALUES (?, ?, ?)`,
			date, d.Category, e.At.UnixMilli())
	}
	if err != nil {
		return fmt.Errorf("voice %s: %w", e.Type, err)
	}
	return nil
}

// callReason keeps a call's reason only when it is one of the policy's rules; anything else
// (a future reason, a malformed event) is "other", so no free text reaches the public page.
func callReason(r string) string {
	switch r {
	case antre.ReasonRatioNormal, antre.ReasonRatioPriority, antre.ReasonFallbackNormal, antre.ReasonFallbackPriority,
		antre.ReasonAgeing, antre.ReasonSpecific:
		return r
	}
	return "other"
}

// run is the module's worker: every CheckInterval, and when woken, it escalates overdue
// complaints to the head of office.
func (m *Module) run(ctx context.Context) error {
	tick := time.NewTicker(m.cfg.Complaints.CheckInterval)
	defer tick.Stop()
	for {
		if err := m.escalate(ctx); err != nil && ctx.Err() == nil {
			m.log.Error("voice escalation", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		case <-m.wake:
		}
	}
}

// businessDate is the office's business date now.
func (m *Module) businessDate() string { return m.office.BusinessDate(m.now()) }

// truncate cuts s to at most n bytes on a character boundary, for causes in logs.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
