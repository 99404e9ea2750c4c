package server

import (
	"context"
	"encoding/json"
	"time"

	"antre"
	"antre/server/sqlite"
)

// The hub's handlers reach the store through these interfaces, defined here where they are
// used: what changes tickets, what reads the office's state, and who may do what. The store
// (server/sqlite) implements all three; a handler can be tested against a stand-in.

// tickets changes tickets and the day's quota, each change one transaction with its event.
type tickets interface {
	Issue(ctx context.Context, r sqlite.IssueRequest) (antre.IssuedTicket, bool, error)
	MarkPrinted(ctx context.Context, r sqlite.PrintReport) (antre.Ticket, error)
	RequestReprint(ctx context.Context, code, actor string) (antre.Ticket, error)
	CallNext(ctx context.Context, counter int, actor string) (antre.Ticket, string, error)
	CallTicket(ctx context.Context, counter int, code, actor, reason string) (antre.Ticket, error)
	Act(ctx context.Context, r sqlite.ActRequest) (antre.Ticket, error)
	Grant(ctx context.Context, code string, c antre.Category, actor, reason string) (antre.Ticket, error)
	Alert(ctx context.Context, device, kind, message string, active bool) error
}

// settings changes how the office runs: today's and the standing quota, its counters, its
// closed days, the displays' running text.
type settings interface {
	SetQuota(ctx context.Context, group string, q antre.Quota, actor string) error
	SetHoliday(ctx context.Context, h antre.Holiday, source, actor string) error
	DeleteHoliday(ctx context.Context, date, actor string) error
	SetRunningText(ctx context.Context, lines, fallback []string, actor string) error
	SetDefaultQuota(ctx context.Context, group string, q antre.Quota, actor string) error
	SetCounter(ctx context.Context, number int, name string, groups []string, actor string) error
}

// queries reads the office's state.
type queries interface {
	Office() antre.Office
	Today() string
	Groups(ctx context.Context) ([]antre.Group, error)
	Counters(ctx context.Context) ([]antre.Counter, error)
	Quota(ctx context.Context) ([]antre.GroupQuota, error)
	Lookup(ctx context.Context, code string) (antre.TicketView, error)
	HeldTickets(ctx context.Context, issuedBy string) ([]antre.Ticket, error)
	Grants(ctx context.Context) ([]antre.Grant, error)
	Snapshot(ctx context.Context) (*antre.Snapshot, error)
	SnapshotFor(ctx context.Context, role antre.Role) (*antre.Snapshot, error)
	Stats(ctx context.Context) (sqlite.Stats, error)
	EventsSince(ctx context.Context, since int64, limit int) ([]antre.Event, error)
	LastCommitted() int64
	Health(ctx context.Context) error
	Holidays(ctx context.Context, from, to string) ([]antre.Holiday, error)
}

// accounts knows users, sessions and devices.
type accounts interface {
	Login(ctx context.Context, name, password string, ttl time.Duration) (string, antre.Principal, error)
	Logout(ctx context.Context, tok string) error
	Authenticate(ctx context.Context, tok string) (antre.Principal, error)
	AddUserBy(ctx context.Context, name string, role antre.Role, password, actor string) error
	Users(ctx context.Context) ([]antre.User, error)
	UpdateUser(ctx context.Context, name string, c antre.UserChange, actor string) (antre.User, error)
	AddDeviceBy(ctx context.Context, name string, role antre.Role, actor string) (string, error)
	Devices(ctx context.Context) ([]antre.Device, error)
	RenameDevice(ctx context.Context, name, to, actor string) error
	RevokeDevice(ctx context.Context, name, actor string) (int64, error)
	SetDeviceSettingsBy(ctx context.Context, name string, settings json.RawMessage, actor string) error
}

var (
	_ tickets  = (*sqlite.DB)(nil)
	_ queries  = (*sqlite.DB)(nil)
	_ accounts = (*sqlite.DB)(nil)
	_ settings = (*sqlite.DB)(nil)
)
