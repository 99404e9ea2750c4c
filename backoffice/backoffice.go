// Package backoffice is the office's own console (/admin) and its audit log: an admin changes
// the day's quota, devices (with a pairing QR code), users and roles, the holiday calendar, SMS
// templates and the outbox, and the information kiosk's fee and requirement texts through the
// APIs that own them (the hub's and the modules'), and sees what needs a restart instead
// (settings from the configuration file). Every admin change is recorded in the audit log by
// this module's hook, in the change's own transaction, from the change's event: who, what,
// when, and the state before and after, with phone numbers and NIKs masked.
//
// It is a module on the hub's seam (package module): its table (migration/), its routes
// (GET /api/v1/audit, the /admin page), its hook and its catalogue entries ("backoffice.").
// It writes nothing of the hub's or other modules' tables: it reads their events.
package backoffice

import (
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"antre"
	"antre/internal/webui"
	"antre/module"
)

//go:embed migration/*.sql
var migrations embed.FS

//go:embed web
var web embed.FS

// Module is the back-office module of one office hub. Create it with New and mount it on the
// hub (module.Module).
type Module struct {
	db     module.DB
	office antre.Office
	now    func() time.Time
	log    *slog.Logger
}

// New returns the module, to be mounted on a hub; it has no configuration of its own.
func New() *Module { return &Module{} }

// Name is "backoffice".
func (m *Module) Name() string { return "backoffice" }

// Migrations are the module's table (the audit log).
func (m *Module) Migrations() fs.FS { return migrations }

// Messages are the module's catalogue entries ("backoffice."): its errors and the console's
// words.
func (m *Module) Messages() antre.Messages { return catalogue() }

// Start mounts the module: the audit hook, the audit API and the console page.
func (m *Module) Start(h module.Host) error {
	m.db, m.office, m.now, m.log = h.DB(), h.Office(), h.Now, h.Log()
	if m.office.Location == nil {
		return fmt.Errorf("backoffice: office %q has no time zone", m.office.Code)
	}
	h.Hook(m.record)
	h.Handle("GET /api/v1/audit", http.HandlerFunc(m.handleAudit), antre.RoleAdmin)
	files, err := fs.Sub(web, "web")
	if err != nil {
		return err
	}
	h.Handle("GET /admin/static/", http.StripPrefix("/admin/static/", webui.Assets(files)))
	// The page itself is public (it holds no data and offers the log-in); everything it shows
	// comes from admin-only APIs.
	h.Handle("GET /admin", webui.Page(files, "admin.html"))
	return nil
}
