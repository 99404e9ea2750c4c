package server

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"antre"
	"antre/internal/httpapi"
	"antre/server/sqlite"
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
	officers := h.require(antre.RoleOfficer, antre.RoleAdmin)
	admins := h.require(antre.RoleAdmin)
	issuers := h.require(antre.RoleKiosk, antre.RoleOfficer, antre.RoleAdmin)
	kiosks := h.require(antre.RoleKiosk)
	devices := h.require(antre.RoleKiosk, antre.RoleDisplay)
	anyone := h.require(antre.RoleKiosk, antre.RoleDisplay, antre.RoleOfficer, antre.RoleAdmin)

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
	m.Handle("POST /api/v1/counters/{counter}/next", officers(http.HandlerFunc(h.next)))
	m.Handle("POST /api/v1/counters/{counter}/{action}", officers(http.HandlerFunc(h.counterAction)))
	m.Handle("GET /api/v1/state", anyone(http.HandlerFunc(h.state)))
	m.Handle("GET /api/v1/dispensations", officers(http.HandlerFunc(h.grants)))
	m.Handle("POST /api/v1/alerts", devices(http.HandlerFunc(h.alert)))
	m.Handle("GET /api/v1/events", admins(http.HandlerFunc(h.events)))
	m.Handle("PUT /api/v1/groups/{group}/quota", admins(http.HandlerFunc(h.setQuota)))
	m.Handle("GET /api/v1/devices", admins(http.HandlerFunc(h.devices)))
	m.Handle("POST /api/v1/devices", admins(http.HandlerFunc(h.addDevice)))
	m.Handle("PUT /api/v1/devices/{name}/settings", admins(http.HandlerFunc(h.deviceSettings)))
	m.Handle("POST /api/v1/users", admins(http.HandlerFunc(h.addUser)))
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
	if err := h.db.Health(ctx); err != nil {
		h.log.Warn("health check failed", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "store unavailable\n")
		return
	}
	io.WriteString(w, "ok\n")
}

func (h *Hub) login(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name     string `json:"name"`
		Password string `json:"password"`
	}
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	name, addr := "name:"+req.Name, "ip:"+clientIP(r)
	if d := h.throttle.reserve(name, addr); d > 0 {
		secs := int((d + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		h.fail(w, r, antre.Errorf(antre.ETOOMANY, antre.MsgTooMany, "log-in for %s throttled for %v", antre.MaskName(req.Name), d).WithArgs(secs))
		return
	}
	tok, p, err := h.db.Login(r.Context(), req.Name, req.Password, h.cfg.SessionTTL)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.throttle.succeeded(name, addr)
	http.SetCookie(w, h.cookie(tok, int(h.cfg.SessionTTL.Seconds())))
	writeJSON(w, http.StatusOK, map[string]string{"token": tok, "name": p.Name, "role": string(p.Role)})
}

// cookie is the session cookie: HTTP only, same-site strict, and Secure when the hub is served
// over HTTPS (cookie_secure, or a public_url starting with https://).
func (h *Hub) cookie(tok string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: sessionCookie, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: maxAge,
		Secure: h.cfg.CookieSecure || strings.HasPrefix(h.cfg.PublicURL, "https://")}
}

func (h *Hub) logout(w http.ResponseWriter, r *http.Request) {
	tok, _ := bearer(r)
	if err := h.db.Logout(r.Context(), tok); err != nil {
		h.fail(w, r, err)
		return
	}
	http.SetCookie(w, h.cookie("", -1))
	w.WriteHeader(http.StatusNoContent)
}

func (h *Hub) me(w http.ResponseWriter, r *http.Request) {
	p := principal(r.Context())
	writeJSON(w, http.StatusOK, map[string]any{"name": p.Name, "role": p.Role, "settings": p.Settings})
}

// officeInfo is the public description of the office that device pages draw from.
type officeInfo struct {
	Code         string          `json:"code"`
	Name         string          `json:"name"`
	TimeZone     string          `json:"time_zone"`
	BusinessDate string          `json:"business_date"`
	Opens        string          `json:"opens"`
	Closes       string          `json:"closes"`
	Periods      []string        `json:"periods"`
	Groups       []antre.Group   `json:"groups"`
	Counters     []antre.Counter `json:"counters"`
	Categories   []string        `json:"categories"`
	PublicURL    string          `json:"public_url"`
}

func (h *Hub) office(w http.ResponseWriter, r *http.Request) {
	o := h.db.Office()
	gs, err := h.db.Groups(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cs, err := h.db.Counters(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	info := officeInfo{Code: o.Code, Name: o.Name, TimeZone: o.Location.String(), BusinessDate: h.db.Today(),
		Opens: h.cfg.Office.Opens, Closes: h.cfg.Office.Closes, Groups: gs, Counters: cs, PublicURL: h.cfg.PublicURL}
	for _, p := range o.Periods {
		info.Periods = append(info.Periods, p.String())
	}
	for _, c := range antre.Categories {
		info.Categories = append(info.Categories, string(c))
	}
	writeJSON(w, http.StatusOK, info)
}

func (h *Hub) quota(w http.ResponseWriter, r *http.Request) {
	q, err := h.db.Quota(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"business_date": h.db.Today(), "groups": q})
}

func (h *Hub) lookup(w http.ResponseWriter, r *http.Request) {
	v, err := h.db.Lookup(r.Context(), r.PathValue("code"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (h *Hub) issue(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Group    string         `json:"group"`
		Pool     antre.Pool     `json:"pool"`
		Category antre.Category `json:"category"`
		Phone    string         `json:"phone"`
		Reason   string         `json:"reason"`
	}
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	p := principal(r.Context())
	ir := sqlite.IssueRequest{Group: strings.ToUpper(strings.TrimSpace(req.Group)), Pool: req.Pool, Category: req.Category,
		IdemKey: r.Header.Get("Idempotency-Key"), Actor: p.Name, Role: p.Role, Reason: req.Reason}
	if len(ir.IdemKey) > 200 {
		h.fail(w, r, antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "idempotency key over 200 bytes").WithArgs("Idempotency-Key"))
		return
	}
	if req.Phone != "" {
		phone, err := antre.NormalizePhone(req.Phone)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		ir.Phone = phone
	}
	out, created, err := h.db.Issue(r.Context(), ir)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out.StatusURL = h.cfg.PublicURL + "/status/" + out.Code
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	writeJSON(w, status, out)
}

// held lists the tickets whose print is owed: a kiosk sees every ticket it issued and has not
// confirmed printed (to print them after a restart), officers see the failed and overdue ones.
func (h *Hub) held(w http.ResponseWriter, r *http.Request) {
	p := principal(r.Context())
	by := ""
	if p.Role == antre.RoleKiosk {
		by = p.Name
	}
	ts, err := h.db.HeldTickets(r.Context(), by)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"tickets": ts})
}

func (h *Hub) printed(w http.ResponseWriter, r *http.Request) {
	var req struct {
		OK     bool   `json:"ok"`
		Detail string `json:"detail"`
	}
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	t, err := h.db.MarkPrinted(r.Context(), sqlite.PrintReport{Code: r.PathValue("code"), OK: req.OK, Actor: principal(r.Context()).Name, Detail: req.Detail})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

// reprint asks the kiosk that issued a ticket to print it again; an officer who printed it at
// the counter instead says so with {"here": true, "detail": "…"}, which settles the held print.
func (h *Hub) reprint(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Here   bool   `json:"here"`
		Detail string `json:"detail"`
	}
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	p := principal(r.Context())
	if req.Here {
		if !p.Role.Staff() {
			h.fail(w, r, antre.Errorf(antre.EFORBIDDEN, antre.MsgForbidden, "%s (%s) reported a counter reprint", p.Name, p.Role))
			return
		}
		t, err := h.db.MarkPrinted(r.Context(), sqlite.PrintReport{Code: r.PathValue("code"), Actor: p.Name, Detail: req.Detail, AtCounter: true})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"ticket": t, "code": t.Code, "printed": true})
		return
	}
	t, err := h.db.RequestReprint(r.Context(), r.PathValue("code"), p.Name)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ticket": t, "code": t.Code, "kiosk": t.IssuedBy})
}

// actionBody is the body of officer actions; which fields matter depends on the action.
type actionBody struct {
	Counter   int            `json:"counter"`
	Reason    string         `json:"reason"`
	ToGroup   string         `json:"to_group"`
	ToCounter int            `json:"to_counter"`
	Category  antre.Category `json:"category"`
}

func counterParam(r *http.Request) (int, error) {
	n, err := strconv.Atoi(r.PathValue("counter"))
	if err != nil || n <= 0 {
		return 0, antre.Errorf(antre.ENOTFOUND, antre.MsgCounterNotFound, "bad counter %q", r.PathValue("counter"))
	}
	return n, nil
}

func (h *Hub) next(w http.ResponseWriter, r *http.Request) {
	n, err := counterParam(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	t, reason, err := h.db.CallNext(r.Context(), n, principal(r.Context()).Name)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ticket": t, "code": t.Code, "counter": n, "reason": reason})
}

func (h *Hub) callTicket(w http.ResponseWriter, r *http.Request) {
	var req actionBody
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	t, err := h.db.CallTicket(r.Context(), req.Counter, r.PathValue("code"), principal(r.Context()).Name, req.Reason)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ticket": t, "code": t.Code, "counter": req.Counter, "reason": antre.ReasonSpecific})
}

// actions maps the URL's action word to the domain action.
var actions = map[string]antre.Action{
	"recall": antre.ActRecall, "start": antre.ActStart, "finish": antre.ActFinish, "no-show": antre.ActNoShow,
	"reactivate": antre.ActReactivate, "transfer": antre.ActTransfer, "cancel": antre.ActCancel,
}

func (h *Hub) act(w http.ResponseWriter, r *http.Request, req sqlite.ActRequest) {
	a, ok := actions[r.PathValue("action")]
	if !ok {
		h.fail(w, r, antre.Errorf(antre.ENOTFOUND, antre.MsgBadAction, "unknown action %q", r.PathValue("action")))
		return
	}
	req.Action, req.Actor = a, principal(r.Context()).Name
	t, err := h.db.Act(r.Context(), req)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ticket": t, "code": t.Code, "status": t.Status})
}

func (h *Hub) ticketAction(w http.ResponseWriter, r *http.Request) {
	var req actionBody
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	h.act(w, r, sqlite.ActRequest{Counter: req.Counter, Code: r.PathValue("code"), Reason: req.Reason, ToGroup: req.ToGroup, ToCounter: req.ToCounter})
}

func (h *Hub) counterAction(w http.ResponseWriter, r *http.Request) {
	n, err := counterParam(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var req actionBody
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	h.act(w, r, sqlite.ActRequest{Counter: n, Reason: req.Reason, ToGroup: req.ToGroup, ToCounter: req.ToCounter})
}

func (h *Hub) grant(w http.ResponseWriter, r *http.Request) {
	var req actionBody
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	t, err := h.db.Grant(r.Context(), r.PathValue("code"), req.Category, principal(r.Context()).Name, req.Reason)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ticket": t, "code": t.Code, "category": t.Category})
}

func (h *Hub) counters(w http.ResponseWriter, r *http.Request) {
	s, err := h.db.Snapshot(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"counters": s.Counters})
}

// state answers the snapshot the stream starts with, as the caller's role may see it.
func (h *Hub) state(w http.ResponseWriter, r *http.Request) {
	s, err := h.db.SnapshotFor(r.Context(), principal(r.Context()).Role)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s)
}

func (h *Hub) grants(w http.ResponseWriter, r *http.Request) {
	g, err := h.db.Grants(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"dispensations": g})
}

func (h *Hub) alert(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Kind    string `json:"kind"`
		Message string `json:"message"`
		Active  bool   `json:"active"`
	}
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if req.Kind == "" || len(req.Kind) > 64 || len(req.Message) > 500 {
		h.fail(w, r, antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "alert needs a kind (≤64) and message (≤500)").WithArgs("kind"))
		return
	}
	if err := h.db.Alert(r.Context(), principal(r.Context()).Name, req.Kind, req.Message, req.Active); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Hub) events(w http.ResponseWriter, r *http.Request) {
	since, _ := strconv.ParseInt(r.URL.Query().Get("since"), 10, 64)
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	evs, err := h.db.EventsSince(r.Context(), since, limit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": evs})
}

func (h *Hub) setQuota(w http.ResponseWriter, r *http.Request) {
	var q antre.Quota
	if err := decode(w, r, &q); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.db.SetQuota(r.Context(), strings.ToUpper(r.PathValue("group")), q, principal(r.Context()).Name); err != nil {
		h.fail(w, r, err)
		return
	}
	h.quota(w, r)
}

func (h *Hub) devices(w http.ResponseWriter, r *http.Request) {
	d, err := h.db.Devices(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"devices": d})
}

func (h *Hub) addDevice(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name string     `json:"name"`
		Role antre.Role `json:"role"`
	}
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	tok, err := h.db.AddDevice(r.Context(), req.Name, req.Role)
	if err != nil {
		h.fail(w, r, antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "%v", err).WithArgs(err.Error()))
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"name": req.Name, "role": string(req.Role), "token": tok})
}

func (h *Hub) deviceSettings(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		h.fail(w, r, antre.Errorf(antre.ETOOLARGE, antre.MsgTooLarge, "settings body: %v", err))
		return
	}
	if err := h.db.SetDeviceSettings(r.Context(), r.PathValue("name"), body); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Hub) addUser(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name     string     `json:"name"`
		Role     antre.Role `json:"role"`
		Password string     `json:"password"`
	}
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.db.AddUser(r.Context(), req.Name, req.Role, req.Password); err != nil {
		h.fail(w, r, antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "%v", err).WithArgs(err.Error()))
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"name": req.Name, "role": string(req.Role)})
}
