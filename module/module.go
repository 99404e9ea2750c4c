// Package module is the seam between the office hub and its modules: SMS, the passport
// workflow, the applicant's voice, reports, the headquarters link, online booking. A module is
// a package of its own that implements Module; the hub (package server) mounts each one on a
// Host and runs it. Through the Host, and only through it, a module gets:
//
//   - its own tables: Migrations, applied in name order after the hub's, each once;
//   - its routes (API and pages), each with the roles that may use it, behind the hub's own
//     log-in, cross-site and logging rules;
//   - a hook inside the transaction of every state change, to write its own rows (an SMS
//     outbox entry, a file's stage) atomically with the event that caused them;
//   - background workers, stopped cleanly when the hub stops;
//   - its entries of the one catalogue of user-facing text;
//   - the hub's read services (the queue, the quota, the office) as small interfaces, and the
//     services other modules provide (Services), never another module's tables or the hub's
//     database handle.
//
// A module writes through DB.Update, which runs on the hub's single writer: its rows, the
// hub's and every event commit in one order, grouped with concurrent changes into one durable
// commit.
package module

import (
	"context"
	"database/sql"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"antre"
)

// Module is a part of the hub that can be mounted on it.
type Module interface {
	// Name names the module: its migrations are recorded under it and its log lines carry it.
	Name() string
	// Migrations are the module's schema files, migration/NNN_name.sql, applied in name order
	// after the hub's, each once and in its own transaction; nil when it has no tables.
	Migrations() fs.FS
	// Messages are the module's entries of the catalogue of user-facing text (Indonesian and
	// English); their keys start with the module's name and a dot.
	Messages() antre.Messages
	// Start joins the module to the hub: it declares its routes, hook and workers on h. It is
	// called once, after the migrations, before the hub serves requests.
	Start(h Host) error
}

// Host is the hub as a module sees it.
type Host interface {
	// Office is the office the hub serves; its time zone sets the business date.
	Office() antre.Office
	// Now reads the hub's clock (it never goes back).
	Now() time.Time
	// PublicURL is the address applicants' phones and devices reach the hub at.
	PublicURL() string
	// Log is the hub's logger, with the module's name.
	Log() *slog.Logger
	// DB gives access to the module's own tables.
	DB() DB
	// Queue answers questions about today's queue.
	Queue() Queue
	// Calendar is the office's working-day calendar as it stands now (open weekdays, closed
	// days); an admin or headquarters may change it at any time, so ask again when it matters.
	Calendar(ctx context.Context) (antre.Calendar, error)
	// Handle serves pattern (as http.ServeMux reads it) with h. With roles, only a logged-in
	// user or a device of one of them reaches h (401 or 403 otherwise; cross-site requests
	// refused); without, the route is public. Who asked is Who(r.Context()).
	Handle(pattern string, h http.Handler, roles ...antre.Role)
	// Hook runs h inside the transaction of every later state change, after the change and its
	// event are written; an error rolls the whole change back.
	Hook(h Hook)
	// Worker runs w in the background from the start of serving until the hub stops (its
	// context ends); an error other than the context's is logged.
	Worker(w func(ctx context.Context) error)
	// Services are the services modules provide to each other.
	Services() *Services
	// Events is the office's event log, for modules that ship it elsewhere.
	Events() EventLog
	// Settings changes how the office runs, for modules that receive settings from elsewhere
	// (headquarters' holiday calendar and quotas).
	Settings() Settings
}

// EventLog is the office's append-only history of events.
type EventLog interface {
	// EventsSince returns up to limit events with an ID above since, in order.
	EventsSince(ctx context.Context, since int64, limit int) ([]antre.Event, error)
	// LastCommitted is the ID of the newest committed event.
	LastCommitted() int64
	// Ship hands the events after consumer's cursor (at most limit) to send and advances the
	// cursor past them only when send succeeds: shipped exactly once to a receiver that
	// ignores IDs it already has. It returns how many it sent.
	Ship(ctx context.Context, consumer string, limit int, send func([]antre.Event) error) (int, error)
}

// Settings changes how the office runs; each change is one transaction with its event.
type Settings interface {
	// SetHoliday closes a day; source says who set it ("office" or "hq").
	SetHoliday(ctx context.Context, h antre.Holiday, source, actor string) error
	// DeleteHoliday opens a closed day again.
	DeleteHoliday(ctx context.Context, date, actor string) error
	// SetQuotaOn sets a group's quota for a business date, today or later.
	SetQuotaOn(ctx context.Context, date, group string, q antre.Quota, actor string) error
}

// Hook is a module's part of a state change: it runs inside the change's transaction, for each
// of its events.
type Hook func(ctx context.Context, tx Tx, e antre.Event) error

// Querier reads.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Execer writes one statement.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Tx is one state change's transaction: the module's own tables, its instant, the events it
// emits, and the hub's view of today's queue as the transaction sees it.
type Tx interface {
	Querier
	Execer
	// Now is the transaction's instant; every row it writes carries it.
	Now() time.Time
	// Today is the business date at Now.
	Today() string
	// Emit appends an event to the office's history in this transaction; every hook sees it.
	Emit(e antre.Event, data any) error
	// Ticket returns today's ticket with code as this transaction sees it, phone included.
	Ticket(code string) (antre.Ticket, error)
	// GroupQuota returns a group's quota and what was issued from it today as this transaction
	// sees it; its Waiting is not counted.
	GroupQuota(group string) (antre.GroupQuota, error)
	// GroupQuotaOn is GroupQuota on a business date (a coming day's quota, say).
	GroupQuotaOn(date, group string) (antre.GroupQuota, error)
	// SetQuotaOn sets a group's quota for a business date, today or later, in this
	// transaction, with its quota event (an online quota handed over to walk-ins, say).
	SetQuotaOn(date, group string, q antre.Quota, actor string) error
	// IssueOnline issues today's next number of group from its online pool in this
	// transaction, to by, with its ticket.issued event: the only way a module issues a ticket,
	// for a booking checked in at the office (its place in line starts now). A kiosk's ticket
	// waits for its print like any other; an exhausted pool is antre.EQUOTAEXHAUSTED.
	IssueOnline(group string, by antre.Principal) (antre.IssuedTicket, error)
}

// DB is a module's access to its own tables in the hub's store.
type DB interface {
	Querier
	// ExecContext runs one statement as a change of its own, on the hub's writer.
	Execer
	// Update runs fn as one change on the hub's writer: fn's rows, its events and the hooks'
	// rows commit together or not at all. fn must not call Update itself.
	Update(ctx context.Context, fn func(Tx) error) error
}

// Queue is the hub's read service for today's queue.
type Queue interface {
	// Lookup returns the public view of today's ticket with code, or an error with code
	// antre.ENOTFOUND.
	Lookup(ctx context.Context, code string) (antre.TicketView, error)
	// Quota returns today's quota state per group, in display order.
	Quota(ctx context.Context) ([]antre.GroupQuota, error)
	// Waiting returns, for a queue group on a business date, the first perClass waiting
	// tickets of each class (ordinary, priority) in calling order, phones included.
	Waiting(ctx context.Context, date, group string, perClass int) ([]antre.Ticket, error)
}

type whoKey struct{}

// WithWho returns ctx carrying the principal of a request; the hub sets it before a module's
// handler runs.
func WithWho(ctx context.Context, p antre.Principal) context.Context {
	return context.WithValue(ctx, whoKey{}, p)
}

// Who is the principal of the request whose context is ctx: the zero Principal on a public
// route.
func Who(ctx context.Context) antre.Principal {
	p, _ := ctx.Value(whoKey{}).(antre.Principal)
	return p
}

// Services holds the services modules provide each other (the workflow's application status
// for the SMS STATUS command, say). A service is any value; a consumer finds it by an interface
// it defines itself (Find), at the time it needs it, so the order modules start in does not
// matter and a missing provider is an answer, not a crash.
type Services struct {
	mu   sync.Mutex
	list []any
}

// Provide offers v to every module.
func (s *Services) Provide(v any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list = append(s.list, v)
}

// Find returns the first provided service that implements T, and whether there is one.
func Find[T any](s *Services) (T, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range s.list {
		if t, ok := v.(T); ok {
			return t, true
		}
	}
	var zero T
	return zero, false
}
