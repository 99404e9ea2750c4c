package server

// Counters: calling the next ticket and acting on a counter's current ticket.

import (
	"antre"
	"antre/server/sqlite"
	"net/http"
	"strconv"
)

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
	t, reason, err := h.tickets.CallNext(r.Context(), n, principal(r.Context()).Name)
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
	t, err := h.tickets.CallTicket(r.Context(), req.Counter, r.PathValue("code"), principal(r.Context()).Name, req.Reason)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ticket": t, "code": t.Code, "counter": req.Counter, "reason": antre.ReasonSpecific})
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

func (h *Hub) counters(w http.ResponseWriter, r *http.Request) {
	s, err := h.queries.Snapshot(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"counters": s.Counters})
}
