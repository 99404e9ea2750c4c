package server

import (
	"antre/caller"
	"antre/display"
)

// pages mounts the device pages the hub serves: the waiting-room display at /display (device
// token in ?token=) and the officer console at /caller (officer log-in).
func (h *Hub) pages() {
	d := display.Handler(display.Options{MediaDir: h.cfg.Display.MediaDir})
	h.mux.Handle("/display", d)
	h.mux.Handle("/display/", d)
	c := caller.Handler()
	h.mux.Handle("/caller", c)
	h.mux.Handle("/caller/", c)
}
