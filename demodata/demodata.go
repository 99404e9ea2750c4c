// Package demodata fills an office hub's store with a realistic history (antre demo-data): a
// year of tickets, application files, survey answers and complaints, for demonstrations,
// reports and benchmarks.
//
// It writes nothing itself. It opens the hub (server.Open) on a clock it moves forward, and
// plays every day as officers, kiosks and applicants would: each ticket is issued, called,
// started, finished, recalled, marked a no-show, reactivated, transferred or cancelled through
// the store's own Go API; each application file is opened, taken and completed through the
// workflow module's API; surveys and complaints go through the voice module's. So every row
// and every event is the one the live system writes, with the historic instant of the clock:
// reports and headquarters compute their figures from the history exactly as they would from
// a real office's.
//
// The history follows the field figures of seed 003 (Kanim Tanjung Balai Karimun, 2022: about
// 19,000 passports a year, 50–60 applicants a day): only working days of the office's
// calendar (weekends, national holidays and cuti bersama closed), arrivals peaking in the
// morning arrival period, and the same seed gives the same history.
package demodata

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"antre"
	"antre/server"
	"antre/server/sqlite"
	"antre/voice"
	"antre/workflow"
)

// Account is a log-in the generator creates when the store does not have it.
type Account struct {
	Name     string
	Role     antre.Role
	Password string
}

// StaffPassword is the password of the office staff the generator creates (Staff).
const StaffPassword = "demo12345"

// Staff are the officers whose names the history carries: the four OSS desks at counters 1–4,
// one officer per later stage of the workflow, the head of office (approvals' stand-in,
// decisions on held files, complaints) and the check-in desk for online and VIP tickets.
var Staff = []Account{
	{"oss1", antre.RoleOSS, StaffPassword}, {"oss2", antre.RoleOSS, StaffPassword},
	{"oss3", antre.RoleOSS, StaffPassword}, {"oss4", antre.RoleOSS, StaffPassword},
	{"bio1", antre.RoleBiometric, StaffPassword}, {"adj1", antre.RoleAdjudicator, StaffPassword},
	{"kasir1", antre.RoleCashier, StaffPassword}, {"cetak1", antre.RolePrinting, StaffPassword},
	{"sah1", antre.RoleApprover, StaffPassword}, {"ambil1", antre.RolePickup, StaffPassword},
	{"kakanim", antre.RoleHead, StaffPassword}, {"infodesk", antre.RoleOfficer, StaffPassword},
}

// DefaultPerDay is the mean number of tickets a working day: seed 003's busiest year (19,095
// in 2022) over the year's 240 working days.
const DefaultPerDay = 82

// Options say what history to generate.
type Options struct {
	// Days is how many calendar days the history covers, ending the day before Today.
	Days int
	// PerDay is the mean number of tickets on a working day (DefaultPerDay when 0); a day's
	// number varies around it with the weekday and the season.
	PerDay int
	// Seed makes the history: the same seed, days, office and Today give the same history.
	Seed uint64
	// Today is the day the history ends before (in the office's time zone); zero means now.
	Today time.Time
	// Accounts are created, besides Staff, when the store does not have them (the demo
	// log-ins of antre server --demo).
	Accounts []Account
	// Log receives the hub's and the modules' log; nil discards it.
	Log *slog.Logger
}

// DayCount is what one business date of the history holds.
type DayCount struct {
	Date string `json:"date"`
	// Issued and Served count ticket.issued and ticket.finished events of the date.
	Issued int `json:"issued"`
	Served int `json:"served"`
	// Morning and Afternoon split Issued by the arrival periods (08:00–12:00, 12:00–16:00).
	Morning   int `json:"morning"`
	Afternoon int `json:"afternoon"`
	// Quota is the day's total quota of every group and pool.
	Quota int `json:"quota"`
}

// Report is what the generator wrote.
type Report struct {
	From        string `json:"from"`
	To          string `json:"to"`
	Days        int    `json:"days"`
	WorkingDays int    `json:"working_days"`
	Holidays    int    `json:"holidays"`
	// Tickets and their ends.
	Issued      int `json:"issued"`
	Served      int `json:"served"`
	NoShows     int `json:"no_shows"`
	Reactivated int `json:"reactivated"`
	Cancelled   int `json:"cancelled"`
	Transferred int `json:"transferred"`
	Dispensed   int `json:"dispensed"`
	Online      int `json:"online"`
	// TurnedAway counts applicants refused because their pool's quota was used up.
	TurnedAway int `json:"turned_away"`
	// Application files.
	Files    int `json:"files"`
	PickedUp int `json:"picked_up"`
	Refused  int `json:"refused"`
	Returned int `json:"returned"`
	Held     int `json:"held"`
	// Late counts files approved after their promised date.
	Late int `json:"late"`
	// The applicant's voice.
	Surveys          int `json:"surveys"`
	Complaints       int `json:"complaints"`
	ComplaintsClosed int `json:"complaints_closed"`
	// Events is the store's newest event ID after the generation.
	Events int64      `json:"events"`
	PerDay []DayCount `json:"per_day"`
	// Elapsed is how long the generation took.
	Elapsed time.Duration `json:"elapsed_ns"`
}

// Generate writes the history into the store of cfg's data directory, creating and
// initialising it as antre server would; it refuses a store that already holds events from
// the first day of the history on (the hub's clock never goes back). cfg.Synchronous is set to
// OFF and the store's bulk mode on for the run (commits of many changes at once); the store is
// synced to disk when it is closed.
func Generate(ctx context.Context, cfg *server.Config, opt Options) (Report, error) {
	start := time.Now()
	if opt.Days < 1 {
		return Report{}, fmt.Errorf("demo-data: --days must be 1 or more, not %d", opt.Days)
	}
	if opt.PerDay == 0 {
		opt.PerDay = DefaultPerDay
	}
	if opt.PerDay < 1 || opt.PerDay > 300 {
		return Report{}, fmt.Errorf("demo-data: --per-day must be between 1 and 300, not %d", opt.PerDay)
	}
	office, err := cfg.OfficeValue()
	if err != nil {
		return Report{}, err
	}
	loc := office.Location
	if opt.Today.IsZero() {
		opt.Today = time.Now()
	}
	ty, tm, td := opt.Today.In(loc).Date()
	end := time.Date(ty, tm, td, 0, 0, 0, 0, loc)
	first := end.AddDate(0, 0, -opt.Days)
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(cfg.Data, 0o750); err != nil {
		return Report{}, err
	}
	lists := cfg.Workflow.ListDir
	if lists == "" {
		lists = filepath.Join(cfg.Data, "lists")
	}
	if err := prepareLists(lists); err != nil {
		return Report{}, err
	}
	cfg.Synchronous = "OFF"
	clk := &clock{t: first.Add(7 * time.Hour)}
	hub, err := server.Open(ctx, cfg, opt.Log, clk.Now)
	if err != nil {
		return Report{}, err
	}
	closed := false
	defer func() {
		if !closed {
			hub.Close()
		}
	}()
	db := hub.DB()
	if err := refuseLaterData(ctx, db, first, end); err != nil {
		return Report{}, err
	}
	if err := db.SetBulk(ctx, bulkChanges); err != nil {
		return Report{}, err
	}
	s, err := newSim(ctx, hub, opt, cfg.Survey.Regulation, lists, first, end, clk)
	if err != nil {
		return Report{}, err
	}
	if err := s.setup(opt.Accounts); err != nil {
		return Report{}, err
	}
	if err := s.run(); err != nil {
		return Report{}, err
	}
	if err := db.SetBulk(ctx, 0); err != nil {
		return Report{}, err
	}
	if s.rep.Events, err = db.LastEventID(ctx); err != nil {
		return Report{}, err
	}
	closed = true
	if err := hub.Close(); err != nil {
		return Report{}, err
	}
	if err := syncFile(filepath.Join(cfg.Data, "antre.db")); err != nil {
		return Report{}, err
	}
	s.rep.Elapsed = time.Since(start)
	return s.rep, nil
}

// bulkChanges is how many changes the store commits at once during a generation (its bulk
// mode): the generator flushes before every read of its own, so it reads what it wrote.
const bulkChanges = 2000

// refuseLaterData refuses a store whose newest event is at or after the history's first day.
func refuseLaterData(ctx context.Context, db *sqlite.DB, first, end time.Time) error {
	last, err := db.LastEventID(ctx)
	if err != nil || last == 0 {
		return err
	}
	evs, err := db.EventsSince(ctx, last-1, 1)
	if err != nil || len(evs) == 0 {
		return err
	}
	if at := evs[0].At; !at.Before(first) {
		loc := first.Location()
		return fmt.Errorf("demo-data: the store already holds data up to %s (event %d), and the history would run from %s to %s; "+
			"the hub's clock never goes back, so use an empty --data directory",
			at.In(loc).Format("2006-01-02 15:04"), last, first.Format(time.DateOnly), end.AddDate(0, 0, -1).Format(time.DateOnly))
	}
	return nil
}

// prepareLists makes the office-local check lists the workflow's adjudication reads: empty
// lists answer "clear" for everyone; the cekal list gets the applicants the history holds.
func prepareLists(dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	for _, k := range antre.CheckKinds {
		p := filepath.Join(dir, string(k)+".txt")
		if _, err := os.Stat(p); err == nil {
			continue
		}
		head := "# office-local " + string(k) + " list (NIK, or NAME;YYYY-MM-DD), written by antre demo-data\n"
		if err := os.WriteFile(p, []byte(head), 0o640); err != nil {
			return err
		}
	}
	return nil
}

// syncFile makes a file's content durable.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// appendLine adds a line to a text file.
func appendLine(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = io.WriteString(f, line+"\n")
	return errorsJoin(err, f.Close())
}

func errorsJoin(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// newRand is the history's random source: PCG seeded with the seed.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

// modules finds the workflow and voice modules mounted on hub.
func modules(hub *server.Hub) (*workflow.Module, *voice.Module, error) {
	flow, ok := hub.Module("workflow").(*workflow.Module)
	if !ok {
		return nil, nil, fmt.Errorf("demo-data: the hub has no workflow module")
	}
	say, ok := hub.Module("voice").(*voice.Module)
	if !ok {
		return nil, nil, fmt.Errorf("demo-data: the hub has no voice module")
	}
	return flow, say, nil
}

// titleCase writes a name as people do: "SITI AMINAH" → "Siti Aminah".
func titleCase(s string) string {
	w := strings.Fields(strings.ToLower(s))
	for i, x := range w {
		w[i] = strings.ToUpper(x[:1]) + x[1:]
	}
	return strings.Join(w, " ")
}
