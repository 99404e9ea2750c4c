package server

// The hub's routes and the conventions every handler follows: one JSON/error/log path
// (internal/httpapi), 405 with Allow, and the health probe.

import (
	"antre"
	"antre/internal/httpapi"
	"context"
	"io"
	"net/http"
	"strings"
	"time"
)

// maxBody bounds every request body; larger ones are refused with too_large.
const maxBody = httpapi.MaxBody

func writeJSON(w http.ResponseWriter, status int, v any) { httpapi.WriteJSON(w, status, v) }

// fail answers with {"error":{"code","message"}}: the message in the user's language, the cause
// in the log. Internal errors are logged as errors and never shown; refusals that may be an
// attack (bad tokens, forbidden, throttled) are warnings; routine refusals (not found, quota
// used up, a conflict, bad input) are debug lines, so that a crowd or a prober on the LAN
// cannot fill the disk with them (and the hub's log handler rate-limits repeated lines).
func (h *Hub) fail(w http.ResponseWriter, r *http.Request, err error) {
	httpapi.LogRefusal(h.log, r, err)
	httpapi.WriteError(w, r, err)
}

func decode(w http.ResponseWriter, r *http.Request, v any) error { return httpapi.Decode(w, r, v) }

func (h *Hub) routes() {
	m := h.mux
	officers := h.require(antre.StaffRoles...)
	admins := h.require(antre.RoleAdmin)
	issuers := h.require(append([]antre.Role{antre.RoleKiosk}, antre.StaffRoles...)...)
	kiosks := h.require(antre.RoleKiosk)
	devices := h.require(antre.RoleKiosk, antre.RoleDisplay)
	anyone := h.require(append([]antre.Role{antre.RoleKiosk, antre.RoleDisplay}, antre.StaffRoles...)...)

	m.HandleFunc("GET /healthz", h.healthz)
	m.HandleFunc("GET /metrics", h.serveMetrics)
	m.HandleFunc("POST /api/v1/login", h.login)
	m.Handle("POST /api/v1/logout", anyone(http.HandlerFunc(h.logout)))
	m.Handle("GET /api/v1/me", anyone(http.HandlerFunc(h.me)))
	m.HandleFunc("GET /api/v1/office", h.office)
	m.HandleFunc("GET /api/v1/quota", h.quota)
	m.HandleFunc("GET /api/v1/tickets/{code}", h.lookup)
	m.Handle("POST /api/v1/tickets", issuers(http.HandlerFunc(h.issue)))
	m.Handle("GET /api/v1/tickets/held", issuers(http.HandlerFunc(h.held)))
	m.Handle("POST /api/v1/tickets/{code}/printed", kiosks(http.HandlerFunc(h.printed)))
	m.Handle("POST /api/v1/tickets/{code}/reprint", issuers(http.HandlerFunc(h.reprint)))
	m.Handle("POST /api/v1/tickets/{code}/call", officers(http.HandlerFunc(h.callTicket)))
	m.Handle("POST /api/v1/tickets/{code}/dispensation", officers(http.HandlerFunc(h.grant)))
	m.Handle("POST /api/v1/tickets/{code}/{action}", officers(http.HandlerFunc(h.ticketAction)))
	m.Handle("GET /api/v1/counters", officers(http.HandlerFunc(h.counters)))
	m.Handle("PUT /api/v1/counters/{counter}", admins(http.HandlerFunc(h.setCounter)))
	m.Handle("POST /api/v1/counters/{counter}/next", officers(http.HandlerFunc(h.next)))
	m.Handle("POST /api/v1/counters/{counter}/{action}", officers(http.HandlerFunc(h.counterAction)))
	m.Handle("GET /api/v1/state", anyone(http.HandlerFunc(h.state)))
	m.Handle("GET /api/v1/dispensations", officers(http.HandlerFunc(h.grants)))
	m.Handle("POST /api/v1/alerts", devices(http.HandlerFunc(h.alert)))
	m.Handle("GET /api/v1/events", admins(http.HandlerFunc(h.events)))
	m.Handle("PUT /api/v1/groups/{group}/quota", admins(http.HandlerFunc(h.setQuota)))
	m.Handle("PUT /api/v1/groups/{group}/default-quota", admins(http.HandlerFunc(h.setDefaultQuota)))
	m.HandleFunc("GET /api/v1/holidays", h.holidays)
	m.Handle("PUT /api/v1/holidays/{date}", admins(http.HandlerFunc(h.setHoliday)))
	m.Handle("DELETE /api/v1/holidays/{date}", admins(http.HandlerFunc(h.deleteHoliday)))
	m.Handle("GET /api/v1/devices", admins(http.HandlerFunc(h.devices)))
	m.Handle("POST /api/v1/devices", admins(http.HandlerFunc(h.addDevice)))
	m.Handle("PUT /api/v1/devices/{name}/settings", admins(http.HandlerFunc(h.deviceSettings)))
	m.Handle("PATCH /api/v1/devices/{name}", admins(http.HandlerFunc(h.renameDevice)))
	m.Handle("DELETE /api/v1/devices/{name}", admins(http.HandlerFunc(h.revokeDevice)))
	m.Handle("GET /api/v1/display/running-text", admins(http.HandlerFunc(h.runningText)))
	m.Handle("PUT /api/v1/display/running-text", admins(http.HandlerFunc(h.setRunningText)))
	m.Handle("GET /api/v1/users", admins(http.HandlerFunc(h.users)))
	m.Handle("POST /api/v1/users", admins(http.HandlerFunc(h.addUser)))
	m.Handle("PATCH /api/v1/users/{name}", admins(http.HandlerFunc(h.updateUser)))
	m.Handle("GET /ws", anyone(http.HandlerFunc(h.serveWS)))
	h.pages()
	m.HandleFunc("/api/", h.noRoute)
}

// noRoute answers an API request no route takes: 405 with the Allow header when the path
// exists for other methods, else 404; both as the API's JSON error.
func (h *Hub) noRoute(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := h.mux.Handler(probe); pattern != "" && pattern != "/api/" {
			allow = append(allow, m)
			if m == http.MethodGet {
				allow = append(allow, http.MethodHead)
			}
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		h.fail(w, r, antre.Errorf(antre.EMETHOD, antre.MsgMethod, "%s not allowed on %s", r.Method, r.URL.Path))
		return
	}
	h.fail(w, r, antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "no route %s %s", r.Method, r.URL.Path))
}

// healthz answers "ok" while the store can take changes, and 503 with the reason (a full disk,
// say) when it cannot. It uses no pooled read connection, so a crowd of readers cannot delay it.
func (h *Hub) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := h.queries.Health(ctx); err != nil {
		h.log.Warn("health check failed", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "store unavailable\n")
		return
	}
	io.WriteString(w, "ok\n")
}
