package antre

import "encoding/json"

// Role is what an account or a registered device may do at the hub. Officers work counters;
// the stage roles of the passport workflow (oss … pickup) are officers who also work their
// stage; the head of office (head) approves files and sees the office's figures; admins also
// manage quota, devices, settings and accounts; kiosks issue tickets and report their prints;
// displays only follow the queue; a feedback tablet at a counter shows the satisfaction survey
// of the ticket just finished there, and nothing else. Staff (every role of a person) see everything about the
// queue; devices see only what a waiting room may see (see DeviceView).
type Role string

// The roles.
const (
	RoleOfficer     Role = "officer"
	RoleAdmin       Role = "admin"
	RoleHead        Role = "head"
	RoleOSS         Role = "oss"
	RoleBiometric   Role = "biometric"
	RoleAdjudicator Role = "adjudicator"
	RoleCashier     Role = "cashier"
	RolePrinting    Role = "printing"
	RoleApprover    Role = "approver"
	RolePickup      Role = "pickup"
	RoleKiosk       Role = "kiosk"
	RoleDisplay     Role = "display"
	RoleFeedback    Role = "feedback"
)

// StaffRoles are the roles of people, in the order they are listed to an admin.
var StaffRoles = []Role{RoleOfficer, RoleOSS, RoleBiometric, RoleAdjudicator, RoleCashier, RolePrinting, RoleApprover,
	RolePickup, RoleHead, RoleAdmin}

// Device reports whether r is a device role (kiosk, display or feedback tablet): a device
// token stands in a public place, so what it receives is filtered to what a waiting room may
// see.
func (r Role) Device() bool { return r == RoleKiosk || r == RoleDisplay || r == RoleFeedback }

// Staff reports whether r is a person's role: it works counters and sees the whole queue,
// reasons and names included.
func (r Role) Staff() bool {
	for _, s := range StaffRoles {
		if r == s {
			return true
		}
	}
	return false
}

// Principal is who makes a request: a logged-in user or a registered device.
type Principal struct {
	Name string
	Role Role
	// Settings are a device's settings (e.g. the groups and counters a display shows).
	Settings json.RawMessage
	// DeviceID is set for devices; it is 0 for users.
	DeviceID int64
}

// Device is a registered kiosk, display or feedback tablet, without its token (only the token's hash is kept).
type Device struct {
	ID       int64           `json:"id"`
	Name     string          `json:"name"`
	Role     Role            `json:"role"`
	Settings json.RawMessage `json:"settings"`
}

// User is a person's account as an admin sees it (never its password). A disabled account
// cannot log in and its sessions end; it stays, so the history keeps its name.
type User struct {
	Name     string `json:"name"`
	Role     Role   `json:"role"`
	Disabled bool   `json:"disabled"`
	// Created is when the account was made, in Unix milliseconds.
	Created int64 `json:"created"`
}

// UserChange is an admin's change to an account: each field set is changed, the others kept.
type UserChange struct {
	Role     *Role   `json:"role,omitempty"`
	Password *string `json:"password,omitempty"`
	Disabled *bool   `json:"disabled,omitempty"`
}
