package voice

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"antre"
	"antre/internal/httpapi"
	"antre/internal/ratelimit"
	"antre/module"
)

// routes declares the module's API and pages on the hub:
//
//	POST /api/v1/surveys                      public: {"ticket","token","answers",…} → 201; again → 409
//	GET  /api/v1/surveys/form                 public: the questionnaire (both languages)
//	GET  /api/v1/surveys/state?ticket=&token= public: open, answered or not_served
//	GET  /api/v1/surveys/tablet               feedback tablets: the survey to show now, or null
//	GET  /api/v1/ikm?from=&to=|period=…       head, admin: the index (&group=, &counter=, &by=)
//	POST /api/v1/complaints                   public: the web form (rate-limited per address)
//	POST /api/v1/complaints/record            staff: a complaint at the desk or from the box
//	GET  /api/v1/complaints                   staff: the list (?status=, ?open=1, ?escalated=1, ?category=)
//	GET  /api/v1/complaints/stats             head, admin: per category and channel (?from=&to=|period=)
//	GET  /api/v1/complaints/{number}          public: its state and answer, nothing personal
//	GET  /api/v1/complaints/{number}/detail   staff: the whole complaint and its history
//	POST /api/v1/complaints/{number}/{action} staff: take, answer, reject, close
//	GET  /api/v1/info, PUT /api/v1/info       public; admin: the information kiosk's texts
//	GET  /api/v1/info/status?code=            public: a ticket's, application's or complaint's state
//	GET  /api/v1/transparency[?date=]         public: the day's calls, dispensations, last month's index
//	GET  /info, /transparansi, /survei/{code}, /feedback, /aduan[/{number}]   the pages
func (m *Module) routes(h module.Host) {
	staff := antre.StaffRoles
	heads := []antre.Role{antre.RoleHead, antre.RoleAdmin}
	h.Handle("POST /api/v1/surveys", http.HandlerFunc(m.handleAnswer))
	h.Handle("GET /api/v1/surveys/form", http.HandlerFunc(m.handleForm))
	h.Handle("GET /api/v1/surveys/state", http.HandlerFunc(m.handleState))
	h.Handle("GET /api/v1/surveys/tablet", http.HandlerFunc(m.handleTablet), antre.RoleFeedback)
	h.Handle("GET /api/v1/ikm", http.HandlerFunc(m.handleIKM), heads...)
	h.Handle("POST /api/v1/complaints", http.HandlerFunc(m.handleWebComplaint))
	h.Handle("POST /api/v1/complaints/record", http.HandlerFunc(m.handleRecord), staff...)
	h.Handle("GET /api/v1/complaints", http.HandlerFunc(m.handleList), staff...)
	h.Handle("GET /api/v1/complaints/stats", http.HandlerFunc(m.handleStats), heads...)
	h.Handle("GET /api/v1/complaints/{number}", http.HandlerFunc(m.handlePublic))
	h.Handle("GET /api/v1/complaints/{number}/detail", http.HandlerFunc(m.handleDetail), staff...)
	h.Handle("POST /api/v1/complaints/{number}/{action}", http.HandlerFunc(m.handleAct), staff...)
	h.Handle("GET /api/v1/info", http.HandlerFunc(m.handleInfo))
	h.Handle("PUT /api/v1/info", http.HandlerFunc(m.handleSetInfo), antre.RoleAdmin)
	h.Handle("GET /api/v1/info/status", http.HandlerFunc(m.handleLookup))
	h.Handle("GET /api/v1/transparency", http.HandlerFunc(m.handleTransparency))
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

// limited answers 429 with Retry-After when the client is over l's limit.
func (m *Module) limited(w http.ResponseWriter, r *http.Request, l *ratelimit.Limiter) bool {
	ok, wait := l.Allow(ratelimit.ClientKey(r))
	if ok {
		return false
	}
	secs := int(wait/time.Second) + 1
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	m.fail(w, r, antre.Errorf(antre.ETOOMANY, msgTooMany, "%s %s from %s over the limit", r.Method, r.URL.Path, ratelimit.ClientKey(r)).WithArgs(secs))
	return true
}

func (m *Module) handleAnswer(w http.ResponseWriter, r *http.Request) {
	var req Response
	if err := httpapi.Decode(w, r, &req); err != nil {
		m.fail(w, r, err)
		return
	}
	rc, err := m.Answer(r.Context(), req)
	m.answer(w, r, http.StatusCreated, rc, err)
}

func (m *Module) handleForm(w http.ResponseWriter, r *http.Request) {
	httpapi.WriteJSON(w, http.StatusOK, m.form)
}

func (m *Module) handleState(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	q := r.URL.Query()
	s, err := m.State(r.Context(), q.Get("ticket"), q.Get("token"))
	m.answer(w, r, http.StatusOK, s, err)
}

func (m *Module) handleTablet(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	inv, err := m.Tablet(r.Context(), module.Who(r.Context()))
	m.answer(w, r, http.StatusOK, map[string]any{"survey": inv}, err)
}

// period reads ?from=&to= or ?period=; with neither it is the current month up to today.
func (m *Module) period(r *http.Request) (string, string, error) {
	q := r.URL.Query()
	if p := q.Get("period"); p != "" {
		return ParsePeriod(p)
	}
	from, to := q.Get("from"), q.Get("to")
	today := m.businessDate()
	if to == "" {
		to = today
	}
	if from == "" {
		from = to[:min(len(to), 8)] + "01"
	}
	return from, to, nil
}

func (m *Module) handleIKM(w http.ResponseWriter, r *http.Request) {
	from, to, err := m.period(r)
	if err != nil {
		m.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	rq := ResultsQuery{From: from, To: to, Group: strings.ToUpper(q.Get("group")), By: q.Get("by")}
	if c := q.Get("counter"); c != "" {
		if rq.Counter, err = strconv.Atoi(c); err != nil || rq.Counter < 1 {
			m.fail(w, r, antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "counter %q", truncate(c, 10)).WithArgs("counter"))
			return
		}
	}
	res, err := m.Results(r.Context(), rq)
	m.answer(w, r, http.StatusOK, res, err)
}

func (m *Module) handleWebComplaint(w http.ResponseWriter, r *http.Request) {
	var req FileRequest
	if err := httpapi.Decode(w, r, &req); err != nil {
		m.fail(w, r, err)
		return
	}
	if req.Channel != "" && req.Channel != antre.ChannelWeb {
		m.fail(w, r, antre.Errorf(antre.EFORBIDDEN, msgDeskOnly, "public complaint with channel %q", truncate(string(req.Channel), 10)))
		return
	}
	if m.limited(w, r, m.webLimit) {
		return
	}
	req.Channel = antre.ChannelWeb
	if req.Lang == "" {
		req.Lang = httpapi.Lang(r)
	}
	c, err := m.File(r.Context(), req, "")
	m.answer(w, r, http.StatusCreated, publicView(c, httpapi.Lang(r)), err)
}

func (m *Module) handleRecord(w http.ResponseWriter, r *http.Request) {
	var req FileRequest
	if err := httpapi.Decode(w, r, &req); err != nil {
		m.fail(w, r, err)
		return
	}
	if req.Channel != antre.ChannelDesk && req.Channel != antre.ChannelBox {
		m.fail(w, r, antre.Errorf(antre.EINVALID, msgDeskChannel, "recorded complaint with channel %q", truncate(string(req.Channel), 10)))
		return
	}
	p := module.Who(r.Context())
	c, err := m.File(r.Context(), req, p.Name)
	m.answer(w, r, http.StatusCreated, c, err)
}

func (m *Module) handleList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lq := ListQuery{Status: antre.ComplaintStatus(q.Get("status")), Open: q.Get("open") == "1", Escalated: q.Get("escalated") == "1",
		Category: antre.ComplaintCategory(q.Get("category"))}
	if lq.Status != "" {
		ok := false
		for _, s := range antre.ComplaintStatuses {
			ok = ok || s == lq.Status
		}
		if !ok {
			m.fail(w, r, antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "status %q", truncate(string(lq.Status), 20)).WithArgs("status"))
			return
		}
	}
	if lq.Category != "" && !lq.Category.Valid() {
		m.fail(w, r, antre.Errorf(antre.EINVALID, msgBadCategory, "category %q", truncate(string(lq.Category), 20)))
		return
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			m.fail(w, r, antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "limit %q", truncate(l, 10)).WithArgs("limit"))
			return
		}
		lq.Limit = n
	}
	list, err := m.List(r.Context(), lq)
	m.answer(w, r, http.StatusOK, map[string]any{"complaints": list}, err)
}

func (m *Module) handleStats(w http.ResponseWriter, r *http.Request) {
	from, to, err := m.period(r)
	if err != nil {
		m.fail(w, r, err)
		return
	}
	s, err := m.Stats(r.Context(), from, to)
	m.answer(w, r, http.StatusOK, s, err)
}

func (m *Module) handlePublic(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if m.limited(w, r, m.infoLim) {
		return
	}
	c, err := m.Public(r.Context(), r.PathValue("number"), httpapi.Lang(r))
	m.answer(w, r, http.StatusOK, c, err)
}

func (m *Module) handleDetail(w http.ResponseWriter, r *http.Request) {
	c, err := m.Detail(r.Context(), module.Who(r.Context()), r.PathValue("number"))
	m.answer(w, r, http.StatusOK, c, err)
}

func (m *Module) handleAct(w http.ResponseWriter, r *http.Request) {
	var req ActRequest
	if err := httpapi.Decode(w, r, &req); err != nil {
		m.fail(w, r, err)
		return
	}
	c, err := m.Act(r.Context(), module.Who(r.Context()), r.PathValue("number"), antre.ComplaintAction(r.PathValue("action")), req)
	m.answer(w, r, http.StatusOK, c, err)
}

func (m *Module) handleInfo(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-cache")
	in, err := m.Info(r.Context())
	m.answer(w, r, http.StatusOK, in, err)
}

func (m *Module) handleSetInfo(w http.ResponseWriter, r *http.Request) {
	var e InfoEdit
	if err := httpapi.Decode(w, r, &e); err != nil {
		m.fail(w, r, err)
		return
	}
	in, err := m.SetInfo(r.Context(), module.Who(r.Context()), e)
	m.answer(w, r, http.StatusOK, in, err)
}

// handleLookup answers the kiosk's status check. Every answer (found, unknown, malformed)
// takes at least StatusFloor, so that whether a number exists cannot be read from the timing;
// each client address gets StatusBurst look-ups at once and StatusPerMinute after.
func (m *Module) handleLookup(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	w.Header().Set("Cache-Control", "no-store")
	if m.limited(w, r, m.infoLim) {
		return
	}
	a, err := m.Lookup(r.Context(), r.URL.Query().Get("code"), httpapi.Lang(r))
	if d := m.cfg.Info.StatusFloor - time.Since(start); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
	}
	m.answer(w, r, http.StatusOK, a, err)
}

func (m *Module) handleTransparency(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-cache")
	t, err := m.Transparency(r.Context(), r.URL.Query().Get("date"))
	m.answer(w, r, http.StatusOK, t, err)
}
