package sms

import (
	"crypto/subtle"
	"io"
	"net/http"
	"strconv"

	"antre"
	"antre/internal/httpapi"
)

// Register mounts the module's HTTP API on mux. requireRole wraps a handler so that only the
// given roles reach it. The gateway callbacks are called by the gateway, not a user: they need
// Config.InboundSecret as the `secret` query parameter, and are refused while no secret is set
// (the hub refuses to start a gateway without one):
//
//	GET  /api/v1/sms/inbound?from=…&text=…      answer as plain text (Kannel sms-service)
//	GET  /api/v1/sms/dlr?id=…&type=…            Kannel delivery report (dlr-url)
//	GET  /api/v1/sms/outbox?status=dead|…       admin
//	POST /api/v1/sms/outbox/{id}/retry          admin: a dead letter back to the queue
//	GET  /api/v1/sms/templates[/{name}]         admin
//	PUT  /api/v1/sms/templates/{name}?lang=en   admin: {"body": "…"}; an empty body restores the default
//	PUT  /api/v1/applications/{no}              officer, admin: {"status": "…", "phone": "…"}
//	POST /api/v1/sms/passport-ready             officer, admin: {"application": "…", "phone": "…"}
func (m *Module) Register(mux *http.ServeMux, requireRole func(roles ...antre.Role) func(http.Handler) http.Handler) {
	admin := requireRole(antre.RoleAdmin)
	staff := requireRole(antre.RoleOfficer, antre.RoleAdmin)
	mux.HandleFunc("GET /api/v1/sms/inbound", m.handleInbound)
	mux.HandleFunc("GET /api/v1/sms/dlr", m.handleDLR)
	mux.Handle("GET /api/v1/sms/outbox", admin(http.HandlerFunc(m.handleOutbox)))
	mux.Handle("POST /api/v1/sms/outbox/{id}/retry", admin(http.HandlerFunc(m.handleRetry)))
	mux.Handle("GET /api/v1/sms/templates", admin(http.HandlerFunc(m.handleTemplates)))
	mux.Handle("GET /api/v1/sms/templates/{name}", admin(http.HandlerFunc(m.handleTemplates)))
	mux.Handle("PUT /api/v1/sms/templates/{name}", admin(http.HandlerFunc(m.handlePutTemplate)))
	mux.Handle("PUT /api/v1/applications/{no}", staff(http.HandlerFunc(m.handlePutApplication)))
	mux.Handle("POST /api/v1/sms/passport-ready", staff(http.HandlerFunc(m.handlePassportReady)))
}

func (m *Module) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if antre.ErrorCode(err) == antre.EINTERNAL {
		m.log.Error("sms api", "path", r.URL.Path, "err", err)
	}
	httpapi.WriteError(w, r, err)
}

func writeJSON(w http.ResponseWriter, status int, v any) { httpapi.WriteJSON(w, status, v) }

// decode reads a JSON body of at most 64 KiB into v.

// gatewayAllowed checks the shared secret of the gateway callbacks, in constant time; without
// a configured secret every callback is refused.
func (m *Module) gatewayAllowed(r *http.Request) bool {
	if m.cfg.InboundSecret == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(r.URL.Query().Get("secret")), []byte(m.cfg.InboundSecret)) == 1
}

// handleInbound answers Kannel's sms-service: the body of the answer is the reply Kannel sends.
func (m *Module) handleInbound(w http.ResponseWriter, r *http.Request) {
	if !m.gatewayAllowed(r) {
		m.writeError(w, r, antre.Errorf(antre.EFORBIDDEN, antre.MsgForbidden, "sms inbound with a wrong secret"))
		return
	}
	q := r.URL.Query()
	reply, err := m.Receive(r.Context(), Inbound{From: q.Get("from"), Text: q.Get("text"), At: m.now()})
	if err != nil {
		m.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, reply)
}

// kannelDLR maps Kannel's report types (dlr-mask bits) to delivery states.
var kannelDLR = map[string]DeliveryState{
	"1": StateDelivered, "2": StateUndelivered, "8": StateAccepted, "16": StateUndelivered,
}

// handleDLR applies a Kannel delivery report: id is the outbox id given in dlr-url, type the
// report type. Buffered reports (4) change nothing.
func (m *Module) handleDLR(w http.ResponseWriter, r *http.Request) {
	if !m.gatewayAllowed(r) {
		m.writeError(w, r, antre.Errorf(antre.EFORBIDDEN, antre.MsgForbidden, "sms dlr with a wrong secret"))
		return
	}
	q := r.URL.Query()
	id, err := strconv.ParseInt(q.Get("id"), 10, 64)
	if err != nil {
		m.writeError(w, r, antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "dlr without id").WithArgs("id"))
		return
	}
	if state, ok := kannelDLR[q.Get("type")]; ok {
		detail := ""
		if state == StateUndelivered {
			detail = "gateway report type " + q.Get("type")
		}
		if err := m.Report(r.Context(), Report{OutboxID: id, State: state, Detail: detail}); err != nil {
			m.writeError(w, r, err)
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func (m *Module) handleOutbox(w http.ResponseWriter, r *http.Request) {
	limit := 100
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			m.writeError(w, r, antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "limit %q", s).WithArgs("limit"))
			return
		}
		limit = n
	}
	list, err := m.Outbox(r.Context(), r.URL.Query().Get("status"), limit)
	if err != nil {
		m.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"messages": list})
}

func (m *Module) handleRetry(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		m.writeError(w, r, antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "no sms %q", r.PathValue("id")))
		return
	}
	if err := m.Retry(r.Context(), id); err != nil {
		m.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (m *Module) handleTemplates(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if name == "" {
		writeJSON(w, http.StatusOK, map[string]any{"templates": m.tpl.list()})
		return
	}
	if _, ok := defaultTemplates[name]; !ok {
		m.writeError(w, r, antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "no sms template %q", name))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"templates": []Template{m.tpl.get(name, "id"), m.tpl.get(name, "en")}})
}

func (m *Module) handlePutTemplate(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Body string `json:"body"`
		Lang string `json:"lang"`
	}
	if err := httpapi.Decode(w, r, &body); err != nil {
		m.writeError(w, r, err)
		return
	}
	l := body.Lang
	if l == "" {
		l = r.URL.Query().Get("lang")
	}
	tp, err := m.tpl.put(r.Context(), m.db, r.PathValue("name"), l, body.Body, m.cfg.MaxParts, m.now())
	if err != nil {
		m.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, tp)
}

func (m *Module) handlePutApplication(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Status string `json:"status"`
		Phone  string `json:"phone"`
	}
	if err := httpapi.Decode(w, r, &body); err != nil {
		m.writeError(w, r, err)
		return
	}
	a, err := m.SetApplication(r.Context(), r.PathValue("no"), body.Status, body.Phone)
	if err != nil {
		m.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

func (m *Module) handlePassportReady(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Application string `json:"application"`
		Phone       string `json:"phone"`
	}
	if err := httpapi.Decode(w, r, &body); err != nil {
		m.writeError(w, r, err)
		return
	}
	a, err := m.SetApplication(r.Context(), body.Application, statusReady, body.Phone)
	if err != nil {
		m.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}
