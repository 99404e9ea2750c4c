package kiosk

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"antre"
	"antre/client"
	"antre/internal/httpapi"
	"antre/internal/webasset"
	"antre/internal/webui"
)

// tapWait is how long POST /api/taps waits for the tap to end before it answers with the tap
// still working; the page then follows it on the stream.
const tapWait = 10 * time.Second

// Handler serves the kiosk page and the local API it uses:
//
//	GET  /                    the page (and its assets)
//	GET  /static/             what the pages share (webui.Shared), for texts.js?page=kiosk: the
//	                          page's words from the one catalogue
//	GET  /api/state           groups, quota, printer, hub connection, the current tap
//	GET  /api/stream          the same state as server-sent events, sent again on every change
//	POST /api/taps            {"group","category","lang"}: take a number
//	POST /api/checkins        {"booking","nik_last6","lang"}: check a booking in (its number
//	                          from the online pool); answered and followed like a tap
//	POST /api/admin/session   {"pin"}: open the admin menu; DELETE closes it
//	GET  /api/admin           printer and hub details, held and recent tickets
//	POST /api/admin/test-page print a test page
//	POST /api/admin/reprint   {"code"}: print a ticket again
//
// The page and its assets are revalidated on every load and answer 304 while unchanged, gzip
// for text (see webasset); the API's answers are never stored. Admin calls carry the session
// in the X-Admin-Session header. Requests that change anything are refused when they come
// from another origin, so no other web page can take numbers.
func (k *Kiosk) Handler() http.Handler {
	m := http.NewServeMux()
	files := webasset.New(k.page)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			fail(w, r, http.StatusMethodNotAllowed, "method_not_allowed")
			return
		}
		files.ServeHTTP(w, r)
	})
	m.Handle("GET /static/", webui.Shared())
	m.HandleFunc("GET /api/state", k.serveState)
	m.HandleFunc("GET /api/stream", k.serveStream)
	m.HandleFunc("POST /api/taps", k.serveTap)
	m.HandleFunc("POST /api/checkins", k.serveCheckIn)
	m.HandleFunc("POST /api/admin/session", k.serveAdminLogin)
	m.HandleFunc("DELETE /api/admin/session", k.admin(k.serveAdminLogout))
	m.HandleFunc("GET /api/admin", k.admin(k.serveAdmin))
	m.HandleFunc("POST /api/admin/test-page", k.admin(k.serveTestPage))
	m.HandleFunc("POST /api/admin/reprint", k.admin(k.serveReprint))
	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		fail(w, r, http.StatusNotFound, "not_found")
	})
	return guard(m)
}

// guard sets the headers that keep the page self-contained (nothing loads from elsewhere, no
// framing) and refuses state changes from other origins.
func guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if o := r.Header.Get("Origin"); o != "" {
				u, err := url.Parse(o)
				if err != nil || u.Host != r.Host {
					fail(w, r, http.StatusForbidden, "forbidden")
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) { httpapi.WriteJSON(w, status, v) }

// fail answers {"error":{"code","message"}} as the hub's API does: the page words the code in
// the applicant's language, and the message (the catalogue's "kiosk.err_CODE", in the language
// the request asks for) serves tools and logs.
func fail(w http.ResponseWriter, r *http.Request, status int, code string) {
	writeJSON(w, status, map[string]any{"error": pageError{Code: code, Message: antre.T(httpapi.Lang(r), antre.MsgKey("kiosk.err_"+code))}})
}

// readJSON decodes a JSON body by the API's rules (at most 64 KiB, no unknown fields), and
// answers the API's error when it cannot.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := httpapi.Decode(w, r, v); err != nil {
		httpapi.WriteError(w, r, err)
		return false
	}
	return true
}

// pageState is everything the page draws.
type pageState struct {
	Version  int64  `json:"version"`
	Ready    bool   `json:"ready"` // the office and its quota are known
	Office   string `json:"office"`
	TimeZone string `json:"time_zone"`
	Hub      struct {
		Online bool   `json:"online"`
		Error  string `json:"error,omitempty"`
	} `json:"hub"`
	Printer     printerView `json:"printer"`
	Groups      []pageGroup `json:"groups"`
	Categories  []string    `json:"categories"`
	Tap         *tap        `json:"tap,omitempty"`
	Held        int         `json:"held"`
	Admin       bool        `json:"admin"`
	IdleSeconds int         `json:"idle_seconds"`
	Footer      []string    `json:"footer"`
}

// pageGroup is a service group's button: its names and how many numbers remain today for
// applicants without (walk-in) and with a dispensation (priority). A group with neither left
// is exhausted and greyed out.
type pageGroup struct {
	Code      string `json:"code"`
	NameID    string `json:"name_id"`
	NameEN    string `json:"name_en"`
	WalkIn    int    `json:"walkin"`
	Priority  int    `json:"priority"`
	Exhausted bool   `json:"exhausted"`
}

// stateLocked builds the page state; k.mu is held.
func (k *Kiosk) stateLocked() pageState {
	s := pageState{Version: k.version, Ready: k.office != nil && k.quota != nil, Printer: k.printer,
		Held: len(k.held), Admin: k.gate.enabled(), IdleSeconds: int(k.cfg.IdleReset / time.Second), Footer: k.cfg.Footer}
	s.Hub.Online, s.Hub.Error = k.hubUp, k.hubError
	if k.office != nil {
		s.Office, s.TimeZone = k.office.Name, k.office.TimeZone
	}
	s.Groups = make([]pageGroup, 0, len(k.quota))
	for _, q := range k.quota {
		s.Groups = append(s.Groups, pageGroup{Code: q.Group, NameID: q.NameID, NameEN: q.NameEN, WalkIn: q.Remaining.WalkIn,
			Priority: q.Remaining.Priority, Exhausted: q.Remaining.WalkIn == 0 && q.Remaining.Priority == 0})
	}
	for _, c := range antre.Categories {
		if c.SelfDeclared() {
			s.Categories = append(s.Categories, string(c))
		}
	}
	if k.tap != nil {
		t := *k.tap
		s.Tap = &t
	}
	return s
}

func (k *Kiosk) serveState(w http.ResponseWriter, r *http.Request) {
	k.mu.Lock()
	s := k.stateLocked()
	k.mu.Unlock()
	writeJSON(w, http.StatusOK, s)
}

// serveStream sends the page state as a server-sent event at once and after every change,
// with a comment every 15 seconds so a dead connection is noticed.
func (k *Kiosk) serveStream(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	keepAlive := time.NewTicker(15 * time.Second)
	defer keepAlive.Stop()
	sent := int64(-1)
	for {
		k.mu.Lock()
		changed, s := k.changed, k.stateLocked()
		k.mu.Unlock()
		if s.Version != sent {
			data, _ := json.Marshal(s)
			if _, err := fmt.Fprintf(w, "data: %s\n\n", data); err != nil {
				return
			}
			if err := rc.Flush(); err != nil {
				return
			}
			sent = s.Version
		}
		select {
		case <-changed:
		case <-keepAlive.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		case <-r.Context().Done():
			return
		}
	}
}

func (k *Kiosk) serveTap(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Group    string         `json:"group"`
		Category antre.Category `json:"category"`
		Lang     string         `json:"lang"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	if req.Lang != "en" {
		req.Lang = "id"
	}
	if _, ok := k.groupQuota(req.Group); !ok || (req.Category != antre.CatNone && !req.Category.SelfDeclared()) {
		fail(w, r, http.StatusBadRequest, "bad_request")
		return
	}
	t, err := k.startTap(req.Group, req.Category, req.Lang)
	k.answerTap(w, r, t, err)
}

// bookingRE finds a booking's code in what the scanner read from its QR code: the code alone,
// or a link that ends with it.
var bookingRE = regexp.MustCompile(`[A-Z0-9]{8,16}$`)

// serveCheckIn starts a booking's check-in. The code may come from the scanner (a link or the
// code) or be typed; the hub checks the code and the digits, the runtime only their shape.
func (k *Kiosk) serveCheckIn(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Booking  string `json:"booking"`
		NIKLast6 string `json:"nik_last6"`
		Lang     string `json:"lang"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	if req.Lang != "en" {
		req.Lang = "id"
	}
	code := bookingRE.FindString(strings.ToUpper(strings.TrimRight(strings.TrimSpace(req.Booking), "/")))
	if code == "" {
		fail(w, r, http.StatusBadRequest, "bad_booking")
		return
	}
	if len(req.NIKLast6) != 6 || strings.Trim(req.NIKLast6, "0123456789") != "" {
		fail(w, r, http.StatusBadRequest, "bad_nik")
		return
	}
	t, err := k.startCheckIn(code, req.NIKLast6, req.Lang)
	k.answerTap(w, r, t, err)
}

// answerTap answers the start of a tap or check-in: the tap at its end, or still working after
// tapWait; 409 with the running tap when another one runs.
func (k *Kiosk) answerTap(w http.ResponseWriter, r *http.Request, t *tap, err error) {
	switch {
	case errors.Is(err, errBusy):
		writeJSON(w, http.StatusConflict, map[string]any{"error": pageError{Code: "busy"}, "tap": k.tapCopy(t)})
		return
	case errors.Is(err, errNotReady):
		fail(w, r, http.StatusServiceUnavailable, "not_ready")
		return
	}
	timer := time.NewTimer(tapWait)
	defer timer.Stop()
	select {
	case <-t.done:
	case <-timer.C:
	case <-r.Context().Done():
		return
	}
	cur := k.tapCopy(t)
	status := http.StatusOK
	if cur.State == tapWorking {
		status = http.StatusAccepted
	}
	writeJSON(w, status, cur)
}

// admin wraps an admin handler: the request must carry a live session.
func (k *Kiosk) admin(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !k.gate.valid(r.Header.Get("X-Admin-Session"), time.Now()) {
			fail(w, r, http.StatusUnauthorized, "admin_session")
			return
		}
		next(w, r)
	}
}

func (k *Kiosk) serveAdminLogin(w http.ResponseWriter, r *http.Request) {
	var req struct {
		PIN string `json:"pin"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	s, err := k.gate.login(req.PIN, time.Now())
	switch {
	case errors.Is(err, errAdminDisabled):
		fail(w, r, http.StatusForbidden, "admin_disabled")
	case errors.Is(err, errPINLocked):
		k.log.Warn("admin menu locked after wrong PINs")
		fail(w, r, http.StatusTooManyRequests, "pin_locked")
	case err != nil:
		k.log.Warn("wrong admin PIN")
		fail(w, r, http.StatusUnauthorized, "wrong_pin")
	default:
		k.log.Info("admin menu opened")
		writeJSON(w, http.StatusOK, map[string]string{"session": s})
	}
}

func (k *Kiosk) serveAdminLogout(w http.ResponseWriter, r *http.Request) {
	k.gate.logout(r.Header.Get("X-Admin-Session"))
	w.WriteHeader(http.StatusNoContent)
}

// adminTicket is a ticket in the admin menu's lists.
type adminTicket struct {
	Code     string    `json:"code"`
	Group    string    `json:"group"`
	IssuedAt time.Time `json:"issued_at"`
	// State is "printing", "printed", "held", or why it was released: "cancelled", "done",
	// "not_found", "expired", "settled".
	State   string `json:"state"`
	Problem string `json:"problem,omitempty"`
	// Attempts is how many sends of a held ticket failed since it was issued or last asked
	// for; Waiting is set once they reach the limit and the ticket waits for an officer.
	Attempts int  `json:"attempts,omitempty"`
	Waiting  bool `json:"waiting,omitempty"`
}

// adminRecent is how many of the latest tickets the admin menu lists for reprinting.
const adminRecent = 20

func (k *Kiosk) serveAdmin(w http.ResponseWriter, r *http.Request) {
	k.mu.Lock()
	v := map[string]any{
		"device":     k.device,
		"hub":        k.hub.Base().String(),
		"hub_online": k.hubUp,
		"printer":    k.cfg.Printer,
		"paper":      k.cfg.Profile.Name,
		"status":     k.printer,
		"reports":    k.reports.pending(),
	}
	item := func(code string) adminTicket {
		t := k.tickets[code]
		return adminTicket{Code: code, Group: t.Issued.Group, IssuedAt: t.Issued.IssuedAt, State: t.State, Problem: t.Problem,
			Attempts: t.Attempts, Waiting: t.State == stateHeld && t.Attempts >= k.cfg.PrintAttempts}
	}
	held := make([]adminTicket, 0, len(k.held))
	for _, c := range k.held {
		held = append(held, item(c))
	}
	recent := make([]adminTicket, 0, adminRecent)
	for _, c := range slices.Backward(k.recent) {
		if len(recent) == adminRecent {
			break
		}
		recent = append(recent, item(c))
	}
	k.mu.Unlock()
	v["held"], v["recent"] = held, recent
	writeJSON(w, http.StatusOK, v)
}

// printResult answers a test page or reprint: printed, or the printer's problems.
func printResult(w http.ResponseWriter, problems []string) {
	writeJSON(w, http.StatusOK, map[string]any{"printed": len(problems) == 0, "problems": problems})
}

func (k *Kiosk) serveTestPage(w http.ResponseWriter, r *http.Request) {
	problems, err := k.printTestPage(r.Context())
	if err != nil {
		k.log.Error("test page", "err", err)
		fail(w, r, http.StatusInternalServerError, "internal")
		return
	}
	k.log.Info("test page", "printed", len(problems) == 0, "problems", problems)
	printResult(w, problems)
}

// serveReprint prints a ticket again from the admin menu. The hub is asked first so the
// reprint is on record and refused for a finished or cancelled ticket; while the hub cannot
// be reached, a ticket this kiosk remembers is printed anyway.
func (k *Kiosk) serveReprint(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Code string `json:"code"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	code := strings.ToUpper(strings.TrimSpace(req.Code))
	if _, _, err := antre.ParseCode(code); err != nil {
		fail(w, r, http.StatusBadRequest, "bad_code")
		return
	}
	err := k.hub.Do(r.Context(), http.MethodPost, "/api/v1/tickets/"+code+"/reprint", nil, nil)
	if he, ok := client.Refusal(err); ok && !he.Temporary() {
		writeJSON(w, he.Status, map[string]any{"error": pageError{Code: he.Code, Message: he.Message}})
		return
	}
	problems := k.reprint(r.Context(), code)
	k.log.Info("admin reprint", "ticket", code, "printed", len(problems) == 0, "problems", problems)
	printResult(w, problems)
}
