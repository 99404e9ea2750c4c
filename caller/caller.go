// Package caller is the officer's console: the web page the hub serves at /caller and the
// terminal console for counters with only a numeric keypad (antre caller). Both drive the hub's
// API as the logged-in officer and use the same keys: 0 or Enter calls the next ticket, 1
// recalls, 2 records a no-show, 3 finishes and 4 starts the service.
package caller

import (
	"embed"
	"io/fs"
	"net/http"

	"antre/internal/webui"
)

// web holds the console page, its script and its style; the page also loads the page code every
// device page shares from /static/ (see webui).
//
//go:embed web
var web embed.FS

// Handler serves the console page at /caller and its assets under /caller/static/. The page
// needs no token in its address: it logs in through the API, which sets the session cookie.
func Handler() http.Handler {
	static, err := fs.Sub(web, "web")
	if err != nil {
		panic(err) // the embedded directory is part of the binary
	}
	mux := http.NewServeMux()
	mux.Handle("GET /caller", webui.Page(static, "caller.html"))
	mux.Handle("GET /caller/{$}", http.RedirectHandler("/caller", http.StatusMovedPermanently))
	mux.Handle("GET /caller/static/", http.StripPrefix("/caller/static/", webui.Assets(static)))
	return mux
}
