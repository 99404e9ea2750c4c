package server

// The office: its description, today's quota, the event log and the snapshot.

import (
	"antre"
	"net/http"
	"strconv"
	"strings"
)

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
	o := h.queries.Office()
	gs, err := h.queries.Groups(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cs, err := h.queries.Counters(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	info := officeInfo{Code: o.Code, Name: o.Name, TimeZone: o.Location.String(), BusinessDate: h.queries.Today(),
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
	q, err := h.queries.Quota(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"business_date": h.queries.Today(), "groups": q})
}

func (h *Hub) setQuota(w http.ResponseWriter, r *http.Request) {
	var q antre.Quota
	if err := decode(w, r, &q); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.settings.SetQuota(r.Context(), strings.ToUpper(r.PathValue("group")), q, principal(r.Context()).Name); err != nil {
		h.fail(w, r, err)
		return
	}
	h.quota(w, r)
}

func (h *Hub) events(w http.ResponseWriter, r *http.Request) {
	since, _ := strconv.ParseInt(r.URL.Query().Get("since"), 10, 64)
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	evs, err := h.queries.EventsSince(r.Context(), since, limit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": evs})
}

// state answers the snapshot the stream starts with, as the caller's role may see it.
func (h *Hub) state(w http.ResponseWriter, r *http.Request) {
	s, err := h.queries.SnapshotFor(r.Context(), principal(r.Context()).Role)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s)
}

// holidays lists the office's closed days, ?from=YYYY-MM-DD&to=YYYY-MM-DD (both optional): public,
// since applicants plan their visit by them.
func (h *Hub) holidays(w http.ResponseWriter, r *http.Request) {
	hs, err := h.queries.Holidays(r.Context(), r.URL.Query().Get("from"), r.URL.Query().Get("to"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"holidays": hs})
}

// setHoliday closes a day: PUT /api/v1/holidays/{date} {"name","kind"}.
func (h *Hub) setHoliday(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name string            `json:"name"`
		Kind antre.HolidayKind `json:"kind"`
	}
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	hol := antre.Holiday{Date: r.PathValue("date"), Name: strings.TrimSpace(req.Name), Kind: req.Kind}
	if err := h.settings.SetHoliday(r.Context(), hol, "office", principal(r.Context()).Name); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, hol)
}

// deleteHoliday opens a closed day again.
func (h *Hub) deleteHoliday(w http.ResponseWriter, r *http.Request) {
	if err := h.settings.DeleteHoliday(r.Context(), r.PathValue("date"), principal(r.Context()).Name); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
