package workflow

import (
	"embed"
	"io/fs"
	"net/http"

	"antre/internal/webui"
	"antre/module"
)

// web holds the stage console (desk.html) and the applicant's status page (application.html)
// with their scripts and style; both take their words from the catalogue's "workflow." entries
// (/static/texts.js?page=workflow) and the shared page code from /static/live.js.
//
//go:embed web
var web embed.FS

// pages serves the stage console at /desk (officers log in through the API) and the public
// status page at /application and /application/{number} (what the receipt's QR code opens and
// the information kiosk's scanner types into).
func (m *Module) pages(h module.Host) {
	files, err := fs.Sub(web, "web")
	if err != nil {
		panic(err) // the embedded directory is part of the binary
	}
	h.Handle("GET /desk", webui.Page(files, "desk.html"))
	h.Handle("GET /desk/static/", http.StripPrefix("/desk/static/", webui.Assets(files)))
	app := webui.Page(files, "application.html")
	h.Handle("GET /application", app)
	h.Handle("GET /application/{number}", app)
}
