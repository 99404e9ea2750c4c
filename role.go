package antre

import "encoding/json"

// Role is what an account or a registered device may do at the hub. Officers work counters;
// admins also manage quota, devices and accounts; kiosks issue tickets and report their prints;
// displays only follow the queue. Staff (officers and admins) see everything about the queue;
// devices see only what a waiting room may see (see DeviceView).
type Role string

// The roles.
const (
	RoleOfficer Role = "officer"
	RoleAdmin   Role = "admin"
	RoleKiosk   Role = "kiosk"
	RoleDisplay Role = "display"
)

// Device reports whether r is a device role (kiosk or display): a device token stands in a
// public place, so what it receives is filtered to what a waiting room may see.
func (r Role) Device() bool { return r == RoleKiosk || r == RoleDisplay }

// Staff reports whether r is a person's role that sees the whole queue, reasons and names
// included.
func (r Role) Staff() bool { return r == RoleOfficer || r == RoleAdmin }

// Principal is who makes a request: a logged-in user or a registered device.
type Principal struct {
	Name string
	Role Role
	// Settings are a device's settings (e.g. the groups and counters a display shows).
	Settings json.RawMessage
	// DeviceID is set for devices; it is 0 for users.
	DeviceID int64
}

// Device is a registered kiosk or display, without its token (only the token's hash is kept).
type Device struct {
	ID       int64           `json:"id"`
	Name     string          `json:"name"`
	Role     Role            `json:"role"`
	Settings json.RawMessage `json:"settings"`
}
