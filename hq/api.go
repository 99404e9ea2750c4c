package hq

import (
	"crypto/subtle"
	"embed"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"antre"
	"antre/internal/httpapi"
	"antre/internal/webui"
)

//go:embed web
var web embed.FS

// routes mounts the dashboard, the API and the stream. Reading (the dashboard, the offices,
// the reports) is open to whoever reaches Addr, which stays on headquarters' own network;
// changing (holidays, quotas, flags) needs the admin token.
func (h *HQ) routes() {
	files, err := fs.Sub(web, "web")
	if err != nil {
		panic(err) // the embedded directory is part of the binary
	}
	m := h.mux
	m.Handle("GET /static/", webui.Shared())
	m.Handle("GET /hq/", http.StripPrefix("/hq/", webui.Assets(files)))
	m.Handle("GET /{$}", webui.Page(files, "index.html"))
	m.Handle("GET /offices/{code}", webui.Page(files, "office.html"))
	m.HandleFunc("GET /healthz", h.health)
	m.HandleFunc("GET /ws", h.ws.serve)
	m.HandleFunc("GET /api/v1/offices", h.listOffices)
	m.HandleFunc("GET /api/v1/offices/{code}", h.getOffice)
	m.HandleFunc("GET /api/v1/offices/{code}/events", h.officeEvents)
	m.HandleFunc("GET /api/v1/offices/{code}/report", h.officeReport)
	m.HandleFunc("GET /api/v1/report", h.report)
	m.HandleFunc("GET /api/v1/holidays", h.listHolidays)
	m.Handle("PUT /api/v1/holidays/{date}", h.admin(h.putHoliday))
	m.Handle("DELETE /api/v1/holidays/{date}", h.admin(h.deleteHoliday))
	m.Handle("PUT /api/v1/offices/{code}/quota/{date}/{group}", h.admin(h.putQuota))
	m.Handle("DELETE /api/v1/offices/{code}/restored", h.admin(h.clearRestored))
	h.bookingRoutes(files)
}

// fail answers err with the API's error body and logs the refusal.
func (h *HQ) fail(w http.ResponseWriter, r *http.Request, err error) {
	httpapi.LogRefusal(h.log, r, err)
	httpapi.WriteError(w, r, err)
}

// admin lets through requests that carry the admin token.
func (h *HQ) admin(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(tok), []byte(h.cfg.AdminToken)) != 1 {
			h.fail(w, r, antre.Errorf(antre.EUNAUTHORIZED, antre.MsgLoginRequired, "headquarters change without the admin token"))
			return
		}
		next(w, r)
	})
}

// StoreDown reports whether PostgreSQL refused the ingest's last batch (the ingest then waits
// for it, acknowledging nothing).
func (h *HQ) StoreDown() bool { return h.pgDown.Load() }

// health answers "ok", or 503 naming what is down (PostgreSQL, the NATS link).
func (h *HQ) health(w http.ResponseWriter, r *http.Request) {
	var down []string
	if h.pgDown.Load() || h.store.Ping(r.Context()) != nil {
		down = append(down, "postgres")
	}
	if !h.nc.IsConnected() {
		down = append(down, "nats")
	}
	if len(down) > 0 {
		http.Error(w, "down: "+strings.Join(down, ", "), http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ok\n"))
}

// listOffices answers GET /api/v1/offices[?region=R&sort=KEY&order=desc]: every office's
// summary (OfficeSummary), "events" being the number of its events stored here.
func (h *HQ) listOffices(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	httpapi.WriteJSON(w, http.StatusOK, h.view.summaries(q.Get("region"), q.Get("sort"), q.Get("order") == "desc"))
}

// getOffice answers GET /api/v1/offices/{code}: the office's detail (OfficeDetail).
func (h *HQ) getOffice(w http.ResponseWriter, r *http.Request) {
	code := strings.ToUpper(r.PathValue("code"))
	s, f, ok := h.view.get(code)
	if !ok {
		h.fail(w, r, antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "no office %s", code))
		return
	}
	d := OfficeDetail{OfficeSummary: s, Figures: f, Gaps: [][2]int64{}}
	through := max(s.MaxEventID, s.Link.Shipped)
	if through > s.Contiguous {
		gaps, err := h.store.Gaps(r.Context(), code, s.Contiguous, through, 20)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Gaps = gaps
	}
	n, err := h.store.PendingCount(r.Context(), code)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.SettingsPending = n
	httpapi.WriteJSON(w, http.StatusOK, d)
}

// officeEvents answers GET /api/v1/offices/{code}/events?since=ID&limit=N: the office's events
// stored here, in ID order (at most 1,000).
func (h *HQ) officeEvents(w http.ResponseWriter, r *http.Request) {
	code := strings.ToUpper(r.PathValue("code"))
	since, _ := strconv.ParseInt(r.URL.Query().Get("since"), 10, 64)
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	evs, err := h.store.Events(r.Context(), code, since, limit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, evs)
}

func (h *HQ) listHolidays(w http.ResponseWriter, r *http.Request) {
	hs, err := h.store.Holidays(r.Context(), r.URL.Query().Get("from"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, hs)
}

// putHoliday answers PUT /api/v1/holidays/{date} {"name","kind"}: a national closed day, sent
// to every office.
func (h *HQ) putHoliday(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name string            `json:"name"`
		Kind antre.HolidayKind `json:"kind"`
	}
	if err := httpapi.Decode(w, r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	if body.Kind == "" {
		body.Kind = antre.HolidayNational
	}
	hol := antre.Holiday{Date: r.PathValue("date"), Name: body.Name, Kind: body.Kind}
	if err := h.store.SetHoliday(r.Context(), hol); err != nil {
		h.fail(w, r, err)
		return
	}
	h.kick()
	httpapi.WriteJSON(w, http.StatusOK, hol)
}

func (h *HQ) deleteHoliday(w http.ResponseWriter, r *http.Request) {
	if err := h.store.DeleteHoliday(r.Context(), r.PathValue("date")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.kick()
	w.WriteHeader(http.StatusNoContent)
}

// putQuota answers PUT /api/v1/offices/{code}/quota/{date}/{group} {"walkin","online",
// "priority"}: the office's quota of a group for a day, sent to the office.
func (h *HQ) putQuota(w http.ResponseWriter, r *http.Request) {
	var q antre.Quota
	if err := httpapi.Decode(w, r, &q); err != nil {
		h.fail(w, r, err)
		return
	}
	code, date, group := strings.ToUpper(r.PathValue("code")), r.PathValue("date"), strings.ToUpper(r.PathValue("group"))
	if err := h.store.SetQuota(r.Context(), code, date, group, q); err != nil {
		h.fail(w, r, err)
		return
	}
	h.kick()
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"office": code, "date": date, "group": group, "quota": q})
}

// clearRestored answers DELETE /api/v1/offices/{code}/restored: someone has dealt with an
// office whose log went back.
func (h *HQ) clearRestored(w http.ResponseWriter, r *http.Request) {
	code := strings.ToUpper(r.PathValue("code"))
	if err := h.store.ClearRestored(r.Context(), code); err != nil {
		h.fail(w, r, err)
		return
	}
	h.view.mu.Lock()
	if st := h.view.offices[code]; st != nil {
		st.info.RestoredAt, st.info.RestoredNote = nil, ""
		st.marks = []mark{{time.Time{}, st.info.MaxEventID}}
		h.view.touch(code)
	}
	h.view.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}
