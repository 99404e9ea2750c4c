package server

import (
	"antre/caller"
	"antre/display"
	"antre/internal/webui"
)

// pages mounts the device pages the hub serves: the waiting-room display at /display (device
// token in ?token=), the public ticket status page at /status/CODE (the ticket's QR code), the
// officer console at /caller (officer log-in), and the code and words they share at /static/.
func (h *Hub) pages() {
	d := display.Handler(display.Options{MediaDir: h.cfg.Display.MediaDir, Log: h.log.With("page", "display")})
	h.mux.Handle("/display", d)
	h.mux.Handle("/display/", d)
	h.mux.Handle("/status/", d)
	c := caller.Handler()
	h.mux.Handle("/caller", c)
	h.mux.Handle("/caller/", c)
	h.mux.Handle("GET /static/", webui.Shared())
}
