// Package hqlink is the hub's module that links the office to headquarters over NATS
// JetStream (package hqwire). Offline first: the office's SQLite event log is the
// store-and-forward buffer.
//
//   - The shipper publishes the office's events in ID order, each with the message ID
//     OFFICE:EVENT_ID, waits for JetStream's acknowledgements and only then advances the ship
//     cursor (module.EventLog.Ship). With the WAN down it does nothing and the office notices
//     nothing; when the link returns the backlog drains at full speed. Shipping reads the log
//     outside the hub's writer, so it never slows issuing.
//   - Settings headquarters owns (national holidays, quota per day, later the day's bookings)
//     arrive through the office's durable consumer and are applied through the hub's settings,
//     each once; with the WAN down the office keeps the last ones it received and its link page
//     says so.
//   - A heartbeat tells headquarters the office's newest event, what it has shipped and its
//     clock.
//   - When a business date opens (and when the hub starts) the module writes a day event
//     (tally.EvDay) with the office's time zone and each group's quota for the date, so that a
//     day's figures follow from its events alone.
//
// Nothing personal leaves the office whole: events are shipped as hqwire.HQView has them.
package hqlink

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"antre"
	"antre/hqwire"
	"antre/module"
	"antre/tally"
)

//go:embed migration/*.sql
var migrations embed.FS

// Config is the link's configuration, under the key `hq` of the hub's configuration (also as
// ANTRE_HQ_… environment variables). Without NATSURL the office is not linked and the module
// does nothing.
type Config struct {
	// NATSURL is headquarters' JetStream (ANTRE_HQ_NATS_URL), tls://hq.example:4222.
	NATSURL string `mapstructure:"nats_url"`
	// Credentials are the office's credentials as `antre hq office add` printed them: the
	// one-line form, or the path of a .creds file (ANTRE_HQ_CREDENTIALS).
	Credentials string `mapstructure:"credentials"`
	// CA is a PEM file of the CA to trust for headquarters' certificate (ANTRE_HQ_CA); empty:
	// the CA in the credentials, else the system's roots.
	CA string `mapstructure:"ca"`
	// Batch is how many events one publish round ships at most.
	Batch int `mapstructure:"batch"`
	// Heartbeat is how often the office tells headquarters where it stands.
	Heartbeat time.Duration `mapstructure:"heartbeat"`
	// AckWait bounds the wait for JetStream's acknowledgements of a round.
	AckWait time.Duration `mapstructure:"ack_wait"`
	// RetryMax bounds the back-off between failed rounds.
	RetryMax time.Duration `mapstructure:"retry_max"`
}

// DefaultConfig is the link's default configuration: not linked.
func DefaultConfig() Config {
	return Config{Batch: 500, Heartbeat: 5 * time.Second, AckWait: 10 * time.Second, RetryMax: 15 * time.Second}
}

// SettingHandler applies settings of kinds this module does not know (the booking module's
// day's bookings and online quota hand-over); a module provides it through module.Services.
type SettingHandler interface {
	// HandlesSetting reports whether the handler applies settings of kind.
	HandlesSetting(kind string) bool
	// ApplySetting applies one setting; it is called again after an error, and may be called
	// twice for one setting (it must be idempotent).
	ApplySetting(ctx context.Context, s hqwire.Setting) error
}

// Module is the link of one office hub to headquarters. Create it with New and mount it on the
// hub (module.Module).
type Module struct {
	cfg    Config
	creds  hqwire.Credentials
	caPEM  []byte
	office antre.Office
	db     module.DB
	events module.EventLog
	set    module.Settings
	queue  module.Queue
	svc    *module.Services
	now    func() time.Time
	log    *slog.Logger
	groups []antre.GroupQuota
	// today is the business date whose day event is known to be committed.
	today atomic.Value
	link  linkState
	// figures caches today's figures at an event ID.
	figMu sync.Mutex
	figAt int64
	figs  tally.Figures
}

// linkState is what the link page shows; its fields change under mu.
type linkState struct {
	mu            sync.Mutex
	connected     bool
	since         time.Time // when connected last changed
	shipped       int64
	lastShippedAt time.Time
	lastErr       string
	settingsAt    time.Time
}

// New checks cfg and returns the module. A configured link needs readable credentials.
func New(cfg Config) (*Module, error) {
	d := DefaultConfig()
	if cfg.Batch <= 0 {
		cfg.Batch = d.Batch
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = d.Heartbeat
	}
	if cfg.AckWait <= 0 {
		cfg.AckWait = d.AckWait
	}
	if cfg.RetryMax <= 0 {
		cfg.RetryMax = d.RetryMax
	}
	m := &Module{cfg: cfg}
	if cfg.NATSURL == "" {
		return m, nil
	}
	if cfg.Credentials == "" {
		return nil, fmt.Errorf("hq.nats_url is set but hq.credentials (ANTRE_HQ_CREDENTIALS) is not: run `antre hq office add` at headquarters")
	}
	var err error
	if m.creds, err = hqwire.ParseCredentials(cfg.Credentials); err != nil {
		return nil, err
	}
	m.caPEM = []byte(m.creds.CA)
	if cfg.CA != "" {
		if m.caPEM, err = os.ReadFile(cfg.CA); err != nil {
			return nil, fmt.Errorf("hq.ca: %w", err)
		}
	}
	return m, nil
}

// Linked reports whether the office is configured to ship to headquarters.
func (m *Module) Linked() bool { return m.cfg.NATSURL != "" }

// Name is "hqlink".
func (m *Module) Name() string { return "hqlink" }

// Migrations are the module's tables: the days it opened and the settings it received.
func (m *Module) Migrations() fs.FS { return migrations }

// Messages are the module's catalogue entries (its page's words, "hqlink.…").
func (m *Module) Messages() antre.Messages { return messages }

// Start joins the hub: the link page and its API always; with a link configured, the hook that
// writes the day event, the day event of the start, and the worker that ships and receives.
// Credentials issued for another office are refused: an office cannot publish as another.
func (m *Module) Start(h module.Host) error {
	m.office, m.db, m.events, m.set, m.queue, m.svc, m.now, m.log = h.Office(), h.DB(), h.Events(), h.Settings(), h.Queue(), h.Services(), h.Now, h.Log()
	m.today.Store("")
	m.routes(h)
	if !m.Linked() {
		return nil
	}
	code, err := m.creds.Office()
	if err != nil {
		return err
	}
	if code != m.office.Code {
		return fmt.Errorf("hq credentials are office %s's, but this hub is office %s (office.code)", code, m.office.Code)
	}
	ctx := context.Background()
	if m.groups, err = m.queue.Quota(ctx); err != nil {
		return err
	}
	var last int64
	if err := m.db.QueryRowContext(ctx, `SELECT coalesce(max(received_at), 0) FROM hqlink_settings`).Scan(&last); err != nil {
		return err
	}
	if last > 0 {
		m.link.settingsAt = time.UnixMilli(last)
	}
	// The day event of the start: the configuration (groups, quotas, time zone) may have
	// changed since the last one.
	if err := m.db.Update(ctx, func(tx module.Tx) error { return m.openDay(tx, true) }); err != nil {
		return fmt.Errorf("day event: %w", err)
	}
	h.Hook(m.onEvent)
	h.Worker(m.run)
	return nil
}

// onEvent writes the day event in the transaction of a business date's first event.
func (m *Module) onEvent(ctx context.Context, tx module.Tx, e antre.Event) error {
	if e.Type == tally.EvDay || m.today.Load() == tx.Today() {
		return nil
	}
	return m.openDay(tx, false)
}

// openDay records today's business date as opened and writes its day event, once per date
// (again when force, at the start).
func (m *Module) openDay(tx module.Tx, force bool) error {
	today := tx.Today()
	res, err := tx.ExecContext(context.Background(), `INSERT INTO hqlink_days (date, after_id, at) VALUES (?, ?, ?) ON CONFLICT (date) DO NOTHING`,
		today, m.events.LastCommitted(), tx.Now().UnixMilli())
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 && !force {
		return nil
	}
	d := tally.DayData{Date: today, TimeZone: m.office.Location.String(), Name: m.office.Name}
	for _, g := range m.groups {
		q, err := tx.GroupQuota(g.Group)
		if err != nil {
			return err
		}
		d.Groups = append(d.Groups, tally.GroupDay{Group: g.Group, NameID: g.NameID, NameEN: g.NameEN, Quota: q.Quota})
	}
	return tx.Emit(antre.Event{Type: tally.EvDay, Actor: "hqlink"}, d)
}

// watchDay notes a committed day event for today, so the hook stops looking, and opens a new
// business date shortly after local midnight even before the office does anything.
func (m *Module) watchDay(ctx context.Context) {
	today := m.office.BusinessDate(m.now())
	if m.today.Load() == today {
		return
	}
	var n int
	if err := m.db.QueryRowContext(ctx, `SELECT count(*) FROM hqlink_days WHERE date = ?`, today).Scan(&n); err != nil {
		return
	}
	if n == 0 {
		if err := m.db.Update(ctx, func(tx module.Tx) error { return m.openDay(tx, false) }); err != nil {
			m.log.Warn("hq link: day event", "err", err)
			return
		}
	}
	m.today.Store(today)
}
