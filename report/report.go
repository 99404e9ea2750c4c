// Package report is the office's reports and the head of office's dashboard (issue 12): the
// figures of a day, a month, a year or any range (tickets, waiting and service times, calls
// out of order, dispensations, files and their stages, the satisfaction index, complaints) as
// JSON, CSV (a zip of tables) or PDF, a monthly report written to the data directory on a
// schedule, and the live /dashboard page.
//
// It is a module on the hub's seam (package module). It writes no table of anyone's: every
// figure is folded from the office's event log (module.Host.Events) by the rules of package
// tally, the ones headquarters uses, so the dashboard, the reports and headquarters agree to
// the unit. Its only writes are the monthly reports' files in its own folder of the data
// directory.
package report

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"antre"
	"antre/module"
	"antre/tally"
)

// Config configures the reports module.
type Config struct {
	// Monthly writes the past month's report (PDF, and the JSON beside it) to
	// DATA/reports/YYYY-MM.pdf on the first days of each month, once (on by default).
	Monthly bool `mapstructure:"monthly"`
	// Lookback is how far before a period the events are read for files and complaints that
	// began before it (a passport paid in the last days of the month before): 62 days.
	Lookback time.Duration `mapstructure:"lookback"`
}

// DefaultConfig is the configuration of a new office: the monthly report on, 62 days back.
func DefaultConfig() Config { return Config{Monthly: true, Lookback: 62 * 24 * time.Hour} }

// Module is the reports module. Create it with New and mount it on the hub.
type Module struct {
	cfg    Config
	dir    string
	host   module.Host
	events module.EventLog
	log    *slog.Logger

	// dash is today's dashboard fold, kept current from the events after its last one.
	dashMu     sync.Mutex
	dash       *tally.Period
	dashDate   string
	dashCursor int64
	// cache is the last dashboard encoded, as of event cacheID at cacheAt.
	cacheMu sync.Mutex
	cache   []byte
	cacheID int64
	cacheAt time.Time
}

// New checks cfg and returns the module; data is the hub's data directory, where the monthly
// reports are kept (data/reports).
func New(cfg Config, data string) (*Module, error) {
	if cfg.Lookback < 0 {
		return nil, fmt.Errorf("report.lookback %s is negative", cfg.Lookback)
	}
	if data == "" {
		return nil, fmt.Errorf("report: no data directory")
	}
	return &Module{cfg: cfg, dir: filepath.Join(data, "reports")}, nil
}

// Name is "report".
func (m *Module) Name() string { return "report" }

// Migrations is nil: the module has no tables; it reads the event log.
func (m *Module) Migrations() fs.FS { return nil }

// Messages are the module's catalogue entries ("report.").
func (m *Module) Messages() antre.Messages { return messages }

// Start mounts the routes, the page and the monthly worker.
func (m *Module) Start(h module.Host) error {
	m.host, m.events, m.log = h, h.Events(), h.Log()
	m.routes(h)
	if m.cfg.Monthly {
		h.Worker(m.monthly)
	}
	return nil
}

// batch is how many events one read of the log takes.
const batch = 5000

// firstAfter returns the cursor (an event ID, exclusive) before the first event whose instant
// is at or after t: the log's IDs follow its commits and the hub's clock never goes back, so a
// binary search over IDs finds it in a few reads.
func (m *Module) firstAfter(ctx context.Context, t time.Time) (int64, error) {
	lo, hi := int64(0), m.events.LastCommitted()
	for lo < hi {
		mid := lo + (hi-lo)/2
		evs, err := m.events.EventsSince(ctx, mid, 1)
		if err != nil {
			return 0, err
		}
		if len(evs) == 0 || !evs[0].At.Before(t) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo, nil
}

// fold reads the events from cursor since up to the end of business date to (office-local)
// into p, and returns the cursor after the last one read.
func (m *Module) fold(ctx context.Context, p *tally.Period, since int64, to string) (int64, error) {
	loc := m.host.Office().Location
	end, err := time.ParseInLocation(time.DateOnly, to, loc)
	if err != nil {
		return since, err
	}
	end = end.AddDate(0, 0, 1)
	for {
		evs, err := m.events.EventsSince(ctx, since, batch)
		if err != nil {
			return since, err
		}
		for _, e := range evs {
			if !e.At.Before(end) {
				return since, nil
			}
			p.Apply(e)
			since = e.ID
		}
		if len(evs) < batch {
			return since, nil
		}
	}
}

// Period is a report's dates: from and to (YYYY-MM-DD, both included).
type Period struct{ From, To string }

// ParsePeriod checks a request's from and to: dates, from not after to, at most ten years.
func ParsePeriod(from, to string) (Period, error) {
	f, err1 := time.Parse(time.DateOnly, from)
	t, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil {
		return Period{}, antre.Errorf(antre.EINVALID, msgBadPeriod, "period %q to %q is not two dates YYYY-MM-DD", from, to)
	}
	if t.Before(f) || t.Sub(f) > 3660*24*time.Hour {
		return Period{}, antre.Errorf(antre.EINVALID, msgBadPeriod, "period %s to %s is reversed or longer than ten years", from, to)
	}
	return Period{From: from, To: to}, nil
}

// Compute folds the office's events into the figures of period pr.
func (m *Module) Compute(ctx context.Context, pr Period) (tally.Report, error) {
	office := m.host.Office()
	cal, err := m.host.Calendar(ctx)
	if err != nil {
		return tally.Report{}, err
	}
	start, err := time.ParseInLocation(time.DateOnly, pr.From, office.Location)
	if err != nil {
		return tally.Report{}, err
	}
	since, err := m.firstAfter(ctx, start.Add(-m.cfg.Lookback))
	if err != nil {
		return tally.Report{}, err
	}
	p := tally.NewPeriod(pr.From, pr.To, office.Location, cal)
	if _, err := m.fold(ctx, p, since, pr.To); err != nil {
		return tally.Report{}, err
	}
	return p.Report(), nil
}
