package voice

import (
	"embed"
	"io/fs"
	"net/http"

	"antre/internal/webui"
	"antre/module"
)

// web holds the module's pages with their scripts and styles; every page takes its words from
// the catalogue's "voice." entries (/static/texts.js?page=voice,live, the kiosk with the
// workflow's too for document names) and the shared page code from /static/live.js.
//
//go:embed web
var web embed.FS

// pages serves:
//
//	/info                   the information kiosk (a touch PC; ?token=DISPLAY_TOKEN for the live queue)
//	/transparansi           the transparency page (public: the display's TV and phones)
//	/survei/{code}?k=TOKEN  the survey on the applicant's phone (the ticket's QR code, the SMS link)
//	/feedback?token=TABLET  the survey on a counter's feedback tablet
//	/aduan[/{number}]       the complaint form and a complaint's state, on a phone
func (m *Module) pages(h module.Host) {
	files, err := fs.Sub(web, "web")
	if err != nil {
		panic(err) // the embedded directory is part of the binary
	}
	h.Handle("GET /voice/static/", http.StripPrefix("/voice/static/", webui.Assets(files)))
	h.Handle("GET /info", webui.Page(files, "info.html"))
	h.Handle("GET /transparansi", webui.Page(files, "transparansi.html"))
	survey := webui.Page(files, "survey.html")
	h.Handle("GET /survei/{code}", survey)
	h.Handle("GET /feedback", survey)
	aduan := webui.Page(files, "aduan.html")
	h.Handle("GET /aduan", aduan)
	h.Handle("GET /aduan/{number}", aduan)
}
