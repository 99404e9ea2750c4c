package antre

import (
	"encoding/json"
	"time"
)

// CounterState is a counter with the ticket it holds now (called or being served).
type CounterState struct {
	Counter
	Current *Ticket `json:"current,omitempty"`
}

// Alert is an active device alert, such as a kiosk printer out of paper. Alerts are for staff:
// devices never receive them.
type Alert struct {
	Device  string `json:"device"`
	Kind    string `json:"kind"`
	Message string `json:"message"`
	At      int64  `json:"at"`
}

// Snapshot is the visible state of the office at one event ID: what a display or console needs
// to draw itself before it follows live events from LastEventID on. Groups carry the waiting
// count of each queue; Waiting lists every waiting ticket, for staff only.
type Snapshot struct {
	Office       string         `json:"office"`
	OfficeName   string         `json:"office_name"`
	TimeZone     string         `json:"time_zone"`
	BusinessDate string         `json:"business_date"`
	LastEventID  int64          `json:"last_event_id"`
	Groups       []GroupQuota   `json:"groups"`
	Counters     []CounterState `json:"counters"`
	RecentCalls  []Event        `json:"recent_calls"`
	Waiting      []TicketView   `json:"waiting,omitempty"`
	Alerts       []Alert        `json:"alerts,omitempty"`
}

// DeviceView returns what a waiting room may see of s: quota and waiting counts per group, the
// counters with the code, group and status of their tickets, and the recent calls without
// reasons or names. It has no list of waiting tickets (its size does not grow with the crowd)
// and no alerts. s is not changed.
func (s *Snapshot) DeviceView() *Snapshot {
	v := *s
	v.Waiting, v.Alerts = nil, nil
	v.Counters = make([]CounterState, len(s.Counters))
	for i, c := range s.Counters {
		v.Counters[i] = CounterState{Counter: c.Counter}
		if c.Current != nil {
			t := c.Current.DeviceView()
			v.Counters[i].Current = &t
		}
	}
	v.RecentCalls = make([]Event, 0, len(s.RecentCalls))
	for _, e := range s.RecentCalls {
		if d, ok := e.DeviceView(); ok {
			v.RecentCalls = append(v.RecentCalls, d)
		}
	}
	return &v
}

// DeviceView returns the ticket as a waiting room may see it: code, groups, pool, category,
// status and times, without who called or issued it and how it printed.
func (t Ticket) DeviceView() Ticket {
	t.CalledBy, t.IssuedBy, t.PrintState, t.Phone = "", "", "", ""
	return t
}

// deviceData lists, per event type, the keys of Data that a device may receive. Types not
// listed are never sent to devices (alerts, passport notices, the modules' events): a new type
// stays private until it is listed here. Officers' free text (reasons, notes), names and phone
// numbers are never listed.
var deviceData = map[EventType][]string{
	EvIssued:      {"pool", "category", "number"},
	EvCalled:      {"reason", "from"},
	EvRecalled:    {"from"},
	EvStarted:     {"from"},
	EvFinished:    {"from"},
	EvNoShow:      {"from"},
	EvReactivated: {"from"},
	EvTransferred: {"from", "from_group", "to_group", "to_counter"},
	EvCancelled:   {"from"},
	EvDispensed:   {"category", "from_pool"},
	EvPrinted:     {},
	EvPrintFailed: {},
	EvReprint:     {"kiosk"},
	EvQuota:       {"walkin", "online", "priority", "date"},
	EvDisplay:     {"running_text"},
	EvCounter:     {"name", "groups"},
}

// DeviceView returns e as a waiting room may see it, and false when devices must not see it
// at all. The actor (an officer's or device's name) is dropped, except on a reprint request
// made by the kiosk that is asked to print, which that kiosk needs to recognise its own.
func (e Event) DeviceView() (Event, bool) {
	keys, ok := deviceData[e.Type]
	if !ok {
		return Event{}, false
	}
	var all map[string]json.RawMessage
	if len(e.Data) > 0 {
		if err := json.Unmarshal(e.Data, &all); err != nil {
			all = nil
		}
	}
	kept := map[string]json.RawMessage{}
	for _, k := range keys {
		if v, ok := all[k]; ok {
			kept[k] = v
		}
	}
	actor := e.Actor
	e.Actor, e.Data = "", nil
	if e.Type == EvReprint {
		var kiosk string
		if json.Unmarshal(kept["kiosk"], &kiosk) == nil && kiosk == actor {
			e.Actor = actor
		}
	}
	if len(kept) > 0 {
		e.Data, _ = json.Marshal(kept)
	}
	return e, true
}

// StampTime is how event and ticket times are kept: Unix milliseconds in UTC. Rounding every
// instant this way before it is used makes a live event and the same event read back from the
// store the same bytes.
func StampTime(t time.Time) time.Time { return time.UnixMilli(t.UnixMilli()).UTC() }
