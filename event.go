package antre

import (
	"encoding/json"
	"time"
)

// EventType names a state change. Every change to a ticket, counter, quota or device appends one
// event in the same transaction as the change, so the event log is the office's complete history.
type EventType string

// The event types.
const (
	EvIssued      EventType = "ticket.issued"
	EvCalled      EventType = "ticket.called"
	EvRecalled    EventType = "ticket.recalled"
	EvStarted     EventType = "ticket.started"
	EvFinished    EventType = "ticket.finished"
	EvNoShow      EventType = "ticket.no_show"
	EvReactivated EventType = "ticket.reactivated"
	EvTransferred EventType = "ticket.transferred"
	EvCancelled   EventType = "ticket.cancelled"
	EvDispensed   EventType = "ticket.dispensation"
	EvPrinted     EventType = "ticket.printed"
	EvPrintFailed EventType = "ticket.print_failed"
	EvReprint     EventType = "ticket.reprint_requested"
	EvQuota       EventType = "quota.changed"
	EvAlert       EventType = "device.alert"
	EvAlertClear  EventType = "device.alert_cleared"
	EvPassport    EventType = "passport.ready"
	EvCalendar    EventType = "calendar.changed"
	// EvUser records an admin's change to an account: data {"name", "action", "before",
	// "after"} with the role and whether it is disabled, and "password": true when the password
	// was set; never the password. Devices never see it.
	EvUser EventType = "user.changed"
	// EvDevice records a device added, renamed, revoked, its token renewed or its settings
	// changed: data {"name", "action", "before", "after"}; never the token. Devices never see it.
	EvDevice EventType = "device.changed"
	// EvDisplay tells the displays that an admin changed what they show besides the queue:
	// data {"running_text": [...]} (what devices see), with "before" for the audit log.
	EvDisplay EventType = "display.changed"
	// EvGroup records an admin's change to a service group's standing definition: data
	// {"action": "default_quota", "before", "after"} with the quota per pool. It applies from the
	// next business day, so devices never see it (today's quota is quota.changed).
	EvGroup EventType = "group.changed"
	// EvCounter records an admin's change to a counter (Counter): data {"name", "groups"} (what
	// devices see: a display's counter names follow it) and "before" for the audit log.
	EvCounter EventType = "counter.changed"
	// EvComplaintAnswered and EvComplaintRejected tell that a complaint's answer (or the reason
	// it was rejected) must go back to the complainant; data {"number", "channel"}. The SMS
	// module sends it to a complaint that came with a phone number; the event carries neither the
	// phone number nor the answer.
	EvComplaintAnswered EventType = "complaint.answered"
	EvComplaintRejected EventType = "complaint.rejected"
)

// Event is one entry of the office's append-only history. IDs increase monotonically with commit
// order, so a client that saw event N has seen exactly the events up to N, and a shipper that
// remembers the last ID it forwarded ships every event exactly once. Events are kept after the
// business day ends.
type Event struct {
	ID      int64     `json:"id"`
	Office  string    `json:"office"`
	Type    EventType `json:"type"`
	At      time.Time `json:"at"`
	Ticket  string    `json:"ticket,omitempty"`
	Group   string    `json:"group,omitempty"`
	Counter int       `json:"counter,omitempty"`
	Actor   string    `json:"actor,omitempty"`
	// Data holds the type's details, e.g. the reason a call picked this ticket.
	Data json.RawMessage `json:"data,omitempty"`
}
