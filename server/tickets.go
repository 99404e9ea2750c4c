package server

// Tickets: issue, public look-up, prints and reprints, officers' actions by code, dispensation
// and device alerts.

import (
	"antre"
	"antre/module"
	"antre/server/sqlite"
	"net/http"
	"net/url"
	"strings"
)

// ticketTokens is a module's token for a new ticket, which only the holder of its paper gets:
// it is added to the status link its QR code carries (the applicant's-voice module's survey
// token, so the phone page can open the ticket's survey once it is served).
type ticketTokens interface {
	TicketToken(date, code string) string
}

func (h *Hub) lookup(w http.ResponseWriter, r *http.Request) {
	v, err := h.queries.Lookup(r.Context(), r.PathValue("code"))
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
	out, created, err := h.tickets.Issue(r.Context(), ir)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out.StatusURL = h.cfg.PublicURL + "/status/" + out.Code
	if tt, ok := module.Find[ticketTokens](&h.services); ok {
		if k := tt.TicketToken(out.BusinessDate, out.Code); k != "" {
			out.StatusURL += "?k=" + url.QueryEscape(k)
		}
	}
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
	ts, err := h.queries.HeldTickets(r.Context(), by)
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
	t, err := h.tickets.MarkPrinted(r.Context(), sqlite.PrintReport{Code: r.PathValue("code"), OK: req.OK, Actor: principal(r.Context()).Name, Detail: req.Detail})
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
		t, err := h.tickets.MarkPrinted(r.Context(), sqlite.PrintReport{Code: r.PathValue("code"), Actor: p.Name, Detail: req.Detail, AtCounter: true})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"ticket": t, "code": t.Code, "printed": true})
		return
	}
	t, err := h.tickets.RequestReprint(r.Context(), r.PathValue("code"), p.Name)
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
	t, err := h.tickets.Act(r.Context(), req)
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

func (h *Hub) grant(w http.ResponseWriter, r *http.Request) {
	var req actionBody
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	t, err := h.tickets.Grant(r.Context(), r.PathValue("code"), req.Category, principal(r.Context()).Name, req.Reason)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ticket": t, "code": t.Code, "category": t.Category})
}

func (h *Hub) grants(w http.ResponseWriter, r *http.Request) {
	g, err := h.queries.Grants(r.Context())
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
	if err := h.tickets.Alert(r.Context(), principal(r.Context()).Name, req.Kind, req.Message, req.Active); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
