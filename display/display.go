// Package display is the waiting-room TV: the page the hub serves at /display, the public ticket
// status page, the announcement audio the page plays, and the runtime of the PC that drives the
// TV's speakers (antre display).
//
// The page follows the hub's event stream with the display's device token (/display?token=…).
// What a display shows is set on the hub per device, in its settings JSON (admin PUT
// /api/v1/devices/{name}/settings), which reaches the page and the runtime in the stream's
// snapshot message. The keys, all optional:
//
//	groups         ["A","B"]  only these service groups (calls, waiting counts, quota)
//	counters       [1,2]      only calls to these counters
//	sound          false      the page stays silent (the antre display runtime speaks instead)
//	digits         true       speak ticket numbers digit by digit ("nol satu dua")
//	lang           "en"       English by default on this screen (?lang= still wins)
//	layout         "portrait" the 1080×1920 layout (?layout= still wins; default: by orientation)
//	media          false      no media area even when the hub has media files
//	media_seconds  12         how long each image of the playlist shows
//	ticker         "paged"    running text one message at a time, still unless longer than the
//	                          screen ("scroll": one endless moving line, the default unless
//	                          the screen prefers reduced motion); a still page costs a weak PC
//	                          nothing to draw
package display

import (
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"

	"antre/internal/webui"
	"antre/media"
)

// web holds the pages and their scripts and styles, served as they are (no build step).
//
//go:embed web
var web embed.FS

// Options configure the display pages served by the hub.
type Options struct {
	// MediaDir holds images and videos played in the display's media area, in file-name order;
	// empty means none.
	MediaDir string
	// Log receives the errors of rendering announcements and reading media; nil logs nothing.
	Log *slog.Logger
}

// Handler serves, for the hub:
//
//	/display                  the display page (device token in ?token=)
//	/display/static/…         its scripts and styles (the shared live.js is at /static/, see webui)
//	/display/announce         an announcement as WAV: ?code=A012&counter=3[&digits=1]
//	/display/media/           the media playlist as JSON; /display/media/NAME one of its files
//	/display/status?code=…    the public ticket status page, also at /status/CODE
func Handler(opts Options) http.Handler {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	static, err := fs.Sub(web, "web")
	if err != nil {
		panic(err) // the embedded directory is part of the binary
	}
	a := &announcer{log: log, renderer: sync.OnceValues(media.NewRenderer)}
	m := playlist{dir: opts.MediaDir, log: log}
	mux := http.NewServeMux()
	mux.Handle("GET /display", webui.Page(static, "display.html"))
	mux.Handle("GET /display/status", webui.Page(static, "status.html"))
	mux.Handle("GET /status/{code}", webui.Page(static, "status.html"))
	mux.Handle("GET /display/static/", http.StripPrefix("/display/static/", webui.Assets(static)))
	mux.Handle("GET /display/announce", a)
	mux.HandleFunc("GET /display/media/{$}", m.list)
	mux.HandleFunc("GET /display/media/{name}", m.file)
	return mux
}
