package display

import (
	"bytes"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"antre/internal/httpapi"
	"antre/media"
)

// announcer serves announcements as WAV files: the chime and the Indonesian words of a call,
// rendered by the media package. The clip bank is loaded on the first request and kept.
type announcer struct {
	log      *slog.Logger
	renderer func() (*media.Renderer, error)
}

// ServeHTTP answers GET /display/announce?code=A012&counter=3[&digits=1] with audio/wav. The
// same call always sounds the same, so browsers may keep it for a day (a recall replays it from
// their cache). Range requests are served, as media elements make them.
func (a *announcer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	counter, err := strconv.Atoi(q.Get("counter"))
	if err != nil {
		counter = 0 // ParseCall refuses it with the catalogue's message
	}
	call, err := media.ParseCall(q.Get("code"), counter)
	if err != nil {
		fail(w, r, a.log, err)
		return
	}
	rend, err := a.renderer()
	if err != nil {
		fail(w, r, a.log, err)
		return
	}
	wav, err := rend.WAV(call, media.Options{Digits: q.Get("digits") == "1"})
	if err != nil {
		fail(w, r, a.log, err)
		return
	}
	w.Header().Set("Content-Type", "audio/wav")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(wav))
}

// fail answers and logs like the hub's API (internal/httpapi).
func fail(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	httpapi.LogRefusal(log, r, err)
	httpapi.WriteError(w, r, err)
}
