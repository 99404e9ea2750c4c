package workflow

import (
	"bytes"
	"net/http"
	"strconv"
	"time"

	"antre"
	"antre/internal/httpapi"
	"antre/internal/ratelimit"
	"antre/module"
)

// routes declares the module's API and pages on the hub:
//
//	POST /api/v1/applications                       oss: open a file from the ticket being served
//	GET  /api/v1/applications/{number}              public: stage, status, due (rate-limited, even timing)
//	GET  /api/v1/applications/{number}/file         staff: the whole file (the view is recorded)
//	POST /api/v1/applications/{number}/complete     stage officers: {"stage","outcome","reason"?,"details"?}
//	POST /api/v1/applications/{number}/release     the holder (or the head): back to the worklist
//	POST /api/v1/applications/{number}/bap          oss: a lost/damaged passport's BAP {"ref","date"?,"note"?}
//	POST /api/v1/applications/{number}/captures     biometric: {"items":["photo","finger_1",…]}
//	POST /api/v1/applications/{number}/checks       adjudicator, head: ask the outside checks
//	POST /api/v1/applications/{number}/enforcement  adjudicator, head: Wasdakim's BAP on a cekal hit
//	POST /api/v1/applications/{number}/decision     head: {"decision":"cleared"|"refused","reason"}
//	POST /api/v1/applications/{number}/vip          head: {"reason"}: into the VIP book
//	POST /api/v1/applications/{number}/receipt      staff: {"desk"}: print the receipt there
//	GET  /api/v1/applications/{number}/receipt.pdf  staff: the receipt as PDF (?desk=)
//	GET  /api/v1/applications/{number}/views        head, admin: who looked at the file
//	POST /api/v1/stages/{stage}/next                stage officers: the next file in order
//	POST /api/v1/stages/{stage}/take                stage officers: {"number","reason"?,"category"?}
//	GET  /api/v1/stages/{stage}/worklist            staff: the stage's files
//	GET  /api/v1/stages                             public: per stage figures, out-of-order takes today
//	GET  /api/v1/workflow/alerts                    head, admin: files at risk or late
//	GET  /api/v1/workflow/fees                      public: fee, documents and promise per kind
//	GET  /api/v1/workflow/desks                     staff: the desks with a receipt printer
//	GET|POST /api/v1/blanks                         printing, head, admin: blank passport stock
//	GET  /desk, /application[/{number}]             the stage console, the applicant's status page
func (m *Module) routes(h module.Host) {
	work := antre.WorkflowRoles
	staff := antre.StaffRoles
	heads := []antre.Role{antre.RoleHead, antre.RoleAdmin}
	adjudicators := []antre.Role{antre.RoleAdjudicator, antre.RoleHead}
	h.Handle("POST /api/v1/applications", http.HandlerFunc(m.handleOpen), antre.RoleOSS)
	h.Handle("GET /api/v1/applications/{number}", http.HandlerFunc(m.handleStatus))
	h.Handle("GET /api/v1/applications/{number}/file", http.HandlerFunc(m.handleFile), staff...)
	h.Handle("POST /api/v1/applications/{number}/complete", http.HandlerFunc(m.handleComplete), work...)
	h.Handle("POST /api/v1/applications/{number}/release", http.HandlerFunc(m.handleRelease), work...)
	h.Handle("POST /api/v1/applications/{number}/bap", http.HandlerFunc(m.handleBAP), antre.RoleOSS)
	h.Handle("POST /api/v1/applications/{number}/captures", http.HandlerFunc(m.handleCaptures), antre.RoleBiometric)
	h.Handle("POST /api/v1/applications/{number}/checks", http.HandlerFunc(m.handleChecks), adjudicators...)
	h.Handle("POST /api/v1/applications/{number}/enforcement", http.HandlerFunc(m.handleEnforcement), adjudicators...)
	h.Handle("POST /api/v1/applications/{number}/decision", http.HandlerFunc(m.handleDecision), antre.RoleHead)
	h.Handle("POST /api/v1/applications/{number}/vip", http.HandlerFunc(m.handleVIP), antre.RoleHead)
	h.Handle("POST /api/v1/applications/{number}/receipt", http.HandlerFunc(m.handlePrint), staff...)
	h.Handle("GET /api/v1/applications/{number}/receipt.pdf", http.HandlerFunc(m.handlePDF), staff...)
	h.Handle("GET /api/v1/applications/{number}/views", http.HandlerFunc(m.handleViews), heads...)
	h.Handle("POST /api/v1/stages/{stage}/next", http.HandlerFunc(m.handleNext), work...)
	h.Handle("POST /api/v1/stages/{stage}/take", http.HandlerFunc(m.handleTake), work...)
	h.Handle("GET /api/v1/stages/{stage}/worklist", http.HandlerFunc(m.handleWorklist), staff...)
	h.Handle("GET /api/v1/stages", http.HandlerFunc(m.handleTransparency))
	h.Handle("GET /api/v1/workflow/alerts", http.HandlerFunc(m.handleAlerts), heads...)
	h.Handle("GET /api/v1/workflow/fees", http.HandlerFunc(m.handleFees))
	h.Handle("GET /api/v1/workflow/desks", http.HandlerFunc(m.handleDesks), staff...)
	h.Handle("GET /api/v1/blanks", http.HandlerFunc(m.handleInventory), blankRoles...)
	h.Handle("POST /api/v1/blanks", http.HandlerFunc(m.handleAddBlanks), blankRoles...)
	m.pages(h)
}

func (m *Module) fail(w http.ResponseWriter, r *http.Request, err error) {
	httpapi.LogRefusal(m.log, r, err)
	httpapi.WriteError(w, r, err)
}

func (m *Module) answer(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		m.fail(w, r, err)
		return
	}
	httpapi.WriteJSON(w, status, v)
}

func (m *Module) handleOpen(w http.ResponseWriter, r *http.Request) {
	var req OpenRequest
	if err := httpapi.Decode(w, r, &req); err != nil {
		m.fail(w, r, err)
		return
	}
	s, err := m.Open(r.Context(), module.Who(r.Context()), req)
	m.answer(w, r, http.StatusCreated, s, err)
}

// handleStatus answers the public look-up. Every answer (found, not found, malformed) takes at
// least StatusFloor, so that existence cannot be read from the timing; each client address gets
// StatusBurst look-ups at once and StatusPerMinute after.
func (m *Module) handleStatus(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	w.Header().Set("Cache-Control", "no-store")
	if ok, wait := m.limit.Allow(ratelimit.ClientKey(r)); !ok {
		secs := int(wait/time.Second) + 1
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		m.fail(w, r, antre.Errorf(antre.ETOOMANY, msgTooMany, "status look-ups from %s over the limit", ratelimit.ClientKey(r)).WithArgs(secs))
		return
	}
	st, err := m.Status(r.Context(), r.PathValue("number"), httpapi.Lang(r))
	if d := m.cfg.StatusFloor - time.Since(start); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
	}
	m.answer(w, r, http.StatusOK, st, err)
}

func (m *Module) handleFile(w http.ResponseWriter, r *http.Request) {
	purpose := r.URL.Query().Get("purpose")
	if purpose == "" {
		purpose = "open"
	}
	v, err := m.File(r.Context(), module.Who(r.Context()), r.PathValue("number"), truncate(purpose, 40))
	m.answer(w, r, http.StatusOK, v, err)
}

func (m *Module) handleComplete(w http.ResponseWriter, r *http.Request) {
	var req CompleteRequest
	if err := httpapi.Decode(w, r, &req); err != nil {
		m.fail(w, r, err)
		return
	}
	s, err := m.Complete(r.Context(), module.Who(r.Context()), r.PathValue("number"), req)
	m.answer(w, r, http.StatusOK, s, err)
}

func (m *Module) handleRelease(w http.ResponseWriter, r *http.Request) {
	s, err := m.Release(r.Context(), module.Who(r.Context()), r.PathValue("number"))
	m.answer(w, r, http.StatusOK, s, err)
}

func (m *Module) handleBAP(w http.ResponseWriter, r *http.Request) {
	var b BAPInput
	if err := httpapi.Decode(w, r, &b); err != nil {
		m.fail(w, r, err)
		return
	}
	s, err := m.RecordBAP(r.Context(), module.Who(r.Context()), r.PathValue("number"), b)
	m.answer(w, r, http.StatusOK, s, err)
}

func (m *Module) handleCaptures(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Items []string `json:"items"`
	}
	if err := httpapi.Decode(w, r, &body); err != nil {
		m.fail(w, r, err)
		return
	}
	s, err := m.Captures(r.Context(), module.Who(r.Context()), r.PathValue("number"), body.Items)
	m.answer(w, r, http.StatusOK, s, err)
}

func (m *Module) handleChecks(w http.ResponseWriter, r *http.Request) {
	res, err := m.RunChecks(r.Context(), module.Who(r.Context()), r.PathValue("number"))
	m.answer(w, r, http.StatusOK, map[string]any{"number": r.PathValue("number"), "checks": res}, err)
}

func (m *Module) handleEnforcement(w http.ResponseWriter, r *http.Request) {
	var b BAPInput
	if err := httpapi.Decode(w, r, &b); err != nil {
		m.fail(w, r, err)
		return
	}
	s, err := m.EnforcementBAP(r.Context(), module.Who(r.Context()), r.PathValue("number"), b)
	m.answer(w, r, http.StatusOK, s, err)
}

func (m *Module) handleDecision(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Decision string `json:"decision"`
		Reason   string `json:"reason"`
	}
	if err := httpapi.Decode(w, r, &body); err != nil {
		m.fail(w, r, err)
		return
	}
	s, err := m.Decide(r.Context(), module.Who(r.Context()), r.PathValue("number"), body.Decision, body.Reason)
	m.answer(w, r, http.StatusOK, s, err)
}

func (m *Module) handleVIP(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Reason string `json:"reason"`
	}
	if err := httpapi.Decode(w, r, &body); err != nil {
		m.fail(w, r, err)
		return
	}
	s, err := m.GrantVIP(r.Context(), module.Who(r.Context()), r.PathValue("number"), body.Reason)
	m.answer(w, r, http.StatusOK, s, err)
}

func (m *Module) handlePrint(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Desk string `json:"desk"`
	}
	if err := httpapi.Decode(w, r, &body); err != nil {
		m.fail(w, r, err)
		return
	}
	n, err := m.PrintReceipt(r.Context(), module.Who(r.Context()), r.PathValue("number"), body.Desk, httpapi.Lang(r))
	m.answer(w, r, http.StatusOK, map[string]any{"number": r.PathValue("number"), "desk": body.Desk, "bytes": n}, err)
}

func (m *Module) handlePDF(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := m.ReceiptPDF(r.Context(), module.Who(r.Context()), r.PathValue("number"), r.URL.Query().Get("desk"), httpapi.Lang(r), &buf); err != nil {
		m.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="tanda-terima-`+r.PathValue("number")+`.pdf"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

func (m *Module) handleViews(w http.ResponseWriter, r *http.Request) {
	v, err := m.Views(r.Context(), r.PathValue("number"))
	m.answer(w, r, http.StatusOK, map[string]any{"views": v}, err)
}

func (m *Module) handleNext(w http.ResponseWriter, r *http.Request) {
	s, err := m.Next(r.Context(), module.Who(r.Context()), r.PathValue("stage"))
	m.answer(w, r, http.StatusOK, s, err)
}

func (m *Module) handleTake(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Number   string `json:"number"`
		Reason   string `json:"reason"`
		Category string `json:"category"`
	}
	if err := httpapi.Decode(w, r, &body); err != nil {
		m.fail(w, r, err)
		return
	}
	s, err := m.Take(r.Context(), module.Who(r.Context()), r.PathValue("stage"), body.Number, body.Reason, body.Category)
	m.answer(w, r, http.StatusOK, s, err)
}

func (m *Module) handleWorklist(w http.ResponseWriter, r *http.Request) {
	wl, err := m.Worklist(r.Context(), r.PathValue("stage"))
	m.answer(w, r, http.StatusOK, wl, err)
}

func (m *Module) handleTransparency(w http.ResponseWriter, r *http.Request) {
	t, err := m.Transparency(r.Context())
	m.answer(w, r, http.StatusOK, t, err)
}

func (m *Module) handleAlerts(w http.ResponseWriter, r *http.Request) {
	a, err := m.Alerts(r.Context())
	m.answer(w, r, http.StatusOK, map[string]any{"files": a}, err)
}

// KindInfo is what an applicant may know about a kind of application before coming: its fee,
// its documents and the promised completion.
type KindInfo struct {
	Kind           antre.ApplicationKind `json:"kind"`
	NameID         string                `json:"name_id"`
	NameEN         string                `json:"name_en"`
	Fee            int64                 `json:"fee"`
	Documents      [][]string            `json:"documents"`
	CompletionDays int                   `json:"completion_days"`
}

func (m *Module) handleFees(w http.ResponseWriter, r *http.Request) {
	out := []KindInfo{}
	for _, k := range antre.Kinds {
		key := antre.MsgKey("workflow.kind." + string(k))
		out = append(out, KindInfo{Kind: k, NameID: antre.T("id", key), NameEN: antre.T("en", key), Fee: m.cfg.Fees[string(k)],
			Documents: m.cfg.requirements(k), CompletionDays: m.cfg.CompletionDays})
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"kinds": out})
}

func (m *Module) handleDesks(w http.ResponseWriter, r *http.Request) {
	names := []string{}
	for _, d := range m.cfg.Desks {
		names = append(names, d.Name)
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"desks": names})
}

func (m *Module) handleInventory(w http.ResponseWriter, r *http.Request) {
	inv, err := m.Inventory(r.Context())
	m.answer(w, r, http.StatusOK, inv, err)
}

func (m *Module) handleAddBlanks(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Serials []string `json:"serials"`
		First   string   `json:"first"`
		Count   int      `json:"count"`
	}
	if err := httpapi.Decode(w, r, &body); err != nil {
		m.fail(w, r, err)
		return
	}
	added, inv, err := m.AddBlanks(r.Context(), module.Who(r.Context()), body.Serials, body.First, body.Count)
	m.answer(w, r, http.StatusOK, map[string]any{"added": added, "available": inv.Available, "used": inv.Used, "spoiled": inv.Spoiled}, err)
}
