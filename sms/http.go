package sms

import (
	"context"
	"crypto/subtle"
	"io"
	"net/http"
	"strconv"

	"antre"
	"antre/internal/httpapi"
	"antre/module"
)

// routes declares the module's HTTP API on the hub. The gateway callbacks are called by the
// gateway, not a user: they need Config.InboundSecret as the `secret` query parameter, and are
// refused while no secret is set (the hub refuses to start a gateway without one):
//
//	GET  /api/v1/sms/inbound?from=…&text=…      answer as plain text (Kannel sms-service)
//	GET  /api/v1/sms/dlr?id=…&type=…            Kannel delivery report (dlr-url)
//	GET  /api/v1/sms/outbox?status=dead|…       admin
//	POST /api/v1/sms/outbox/{id}/retry          admin: a dead letter back to the queue
//	GET  /api/v1/sms/templates[/{name}]         admin
//	PUT  /api/v1/sms/templates/{name}?lang=en   admin: {"body": "…"}; an empty body restores the default
//	GET  /api/v1/sms/subscribers                admin: the broadcast subscribers, numbers masked
//	POST /api/v1/sms/subscribers/{id}/stop      admin: end a number's broadcasts
//	POST /api/v1/sms/passport-ready             officer, admin: {"application": "…", "phone": "…"}
func (m *Module) routes(h module.Host) {
	admin := []antre.Role{antre.RoleAdmin}
	staff := antre.StaffRoles
	h.Handle("GET /api/v1/sms/inbound", http.HandlerFunc(m.handleInbound))
	h.Handle("GET /api/v1/sms/dlr", http.HandlerFunc(m.handleDLR))
	h.Handle("GET /api/v1/sms/outbox", http.HandlerFunc(m.handleOutbox), admin...)
	h.Handle("POST /api/v1/sms/outbox/{id}/retry", http.HandlerFunc(m.handleRetry), admin...)
	h.Handle("GET /api/v1/sms/templates", http.HandlerFunc(m.handleTemplates), admin...)
	h.Handle("GET /api/v1/sms/templates/{name}", http.HandlerFunc(m.handleTemplates), admin...)
	h.Handle("PUT /api/v1/sms/templates/{name}", http.HandlerFunc(m.handlePutTemplate), admin...)
	h.Handle("GET /api/v1/sms/subscribers", http.HandlerFunc(m.handleSubscribers), admin...)
	h.Handle("POST /api/v1/sms/subscribers/{id}/stop", http.HandlerFunc(m.handleStopSubscriber), admin...)
	h.Handle("POST /api/v1/sms/passport-ready", http.HandlerFunc(m.handlePassportReady), staff...)
}

func (m *Module) writeError(w http.ResponseWriter, r *http.Request, err error) {
	httpapi.LogRefusal(m.log, r, err)
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
	if err := m.Retry(r.Context(), id, module.Who(r.Context()).Name); err != nil {
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
	tp, err := m.tpl.put(r.Context(), m.db, r.PathValue("name"), l, body.Body, m.cfg.MaxParts, m.now(), module.Who(r.Context()).Name)
	if err != nil {
		m.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, tp)
}

// handlePassportReady records that an application's passport is ready for pickup: a
// passport.ready event, and (through the module's own hook, in the same transaction) the
// "your passport is ready" SMS to phone, once per application.
func (m *Module) handlePassportReady(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Application string `json:"application"`
		Phone       string `json:"phone"`
	}
	if err := httpapi.Decode(w, r, &body); err != nil {
		m.writeError(w, r, err)
		return
	}
	no, phone, err := m.PassportReady(r.Context(), body.Application, body.Phone, module.Who(r.Context()).Name)
	if err != nil {
		m.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"application": no, "status": "ready", "phone": antre.MaskPhone(phone)})
}

// PassportReady records that application's passport is ready: a passport.ready event whose
// hook writes "your passport is ready" to phone (once per application) in the same transaction.
// It returns the number and phone as stored.
func (m *Module) PassportReady(ctx context.Context, application, phone, actor string) (string, string, error) {
	no, err := normalizeApplication(application)
	if err != nil {
		return "", "", err
	}
	if phone, err = antre.NormalizePhone(phone); err != nil {
		return "", "", err
	}
	err = m.db.Update(ctx, func(tx module.Tx) error {
		return tx.Emit(antre.Event{Type: antre.EvPassport, Actor: actor}, map[string]string{"application": no, "phone": phone})
	})
	return no, phone, err
}
