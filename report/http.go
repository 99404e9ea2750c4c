package report

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"io/fs"
	"net/http"
	"slices"
	"time"

	"antre"
	"antre/internal/httpapi"
	"antre/internal/webui"
	"antre/module"
	"antre/tally"
)

// web holds the dashboard page, its script and style; it takes its words from the catalogue's
// "report." entries (/static/texts.js?page=report,live) and the stream from /static/live.js.
//
//go:embed web
var web embed.FS

// heads are the roles that see the reports and the dashboard.
var heads = []antre.Role{antre.RoleHead, antre.RoleAdmin}

// routes mounts:
//
//	GET /api/v1/reports?from=&to=&format=json|csv|pdf[&table=NAME][&lang=en]   head, admin
//	GET /api/v1/reports/monthly, /api/v1/reports/monthly/{file}                head, admin: the kept monthly reports
//	GET /api/v1/dashboard                                                     head, admin
//	GET /dashboard, /dashboard/static/…                                       the page (it logs in through the API)
func (m *Module) routes(h module.Host) {
	h.Handle("GET /api/v1/reports", http.HandlerFunc(m.handleReport), heads...)
	h.Handle("GET /api/v1/reports/monthly", http.HandlerFunc(m.handleMonthlyList), heads...)
	h.Handle("GET /api/v1/reports/monthly/{file}", http.HandlerFunc(m.handleMonthlyFile), heads...)
	h.Handle("GET /api/v1/dashboard", http.HandlerFunc(m.handleDashboard), heads...)
	files, err := fs.Sub(web, "web")
	if err != nil {
		panic(err) // the embedded directory is part of the binary
	}
	h.Handle("GET /dashboard", webui.Page(files, "dashboard.html"))
	h.Handle("GET /dashboard/static/", http.StripPrefix("/dashboard/static/", webui.Assets(files)))
}

func (m *Module) fail(w http.ResponseWriter, r *http.Request, err error) {
	httpapi.LogRefusal(m.log, r, err)
	httpapi.WriteError(w, r, err)
}

// document computes the report of pr as the API answers it.
func (m *Module) document(ctx context.Context, pr Period) (Document, error) {
	rep, err := m.Compute(ctx, pr)
	if err != nil {
		return Document{}, err
	}
	o := m.host.Office()
	return Document{Office: o.Code, OfficeName: o.Name, Report: rep}, nil
}

func (m *Module) handleReport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	pr, err := ParsePeriod(q.Get("from"), q.Get("to"))
	if err != nil {
		m.fail(w, r, err)
		return
	}
	format, table := q.Get("format"), q.Get("table")
	if format == "" {
		format = "json"
	}
	if !slices.Contains([]string{"json", "csv", "pdf"}, format) {
		m.fail(w, r, antre.Errorf(antre.EINVALID, msgBadFormat, "report format %q", truncate(format, 10)))
		return
	}
	if table != "" && !slices.Contains(TableNames, table) {
		m.fail(w, r, antre.Errorf(antre.EINVALID, msgBadTable, "report table %q", truncate(table, 20)).WithArgs(truncate(table, 20)))
		return
	}
	doc, err := m.document(r.Context(), pr)
	if err != nil {
		m.fail(w, r, err)
		return
	}
	lang := httpapi.Lang(r)
	name := fileName(pr)
	var b bytes.Buffer
	switch format {
	case "json":
		httpapi.WriteJSON(w, http.StatusOK, doc)
		return
	case "pdf":
		err = WritePDF(&b, doc, lang, m.host.Now().In(m.host.Office().Location))
		w.Header().Set("Content-Type", "application/pdf")
		name += ".pdf"
	case "csv":
		tables := Tables(doc, lang)
		if table != "" {
			i := slices.IndexFunc(tables, func(t Table) bool { return t.Name == table })
			err = WriteCSV(&b, tables[i], lang)
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			name += "-" + table + ".csv"
		} else {
			err = WriteZip(&b, tables, lang, m.host.Now())
			w.Header().Set("Content-Type", "application/zip")
			name += ".zip"
		}
	}
	if err != nil {
		w.Header().Del("Content-Type")
		m.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Write(b.Bytes())
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Dashboard is today's picture for the head of office: the day's tickets and times by the
// reports' rules, who waits now per group and since when, the quota used per pool, each
// counter's state and service, arrivals and finishes by hour, and the applicants' voice.
type Dashboard struct {
	Date string `json:"date"`
	// Now is the hub's clock when the figures were read: the page measures waits against it.
	Now         time.Time          `json:"now"`
	OfficeName  string             `json:"office_name"`
	TimeZone    string             `json:"time_zone"`
	LastEventID int64              `json:"last_event_id"`
	Tickets     tally.TicketCounts `json:"tickets"`
	Waiting     tally.Distribution `json:"waiting"`
	Service     tally.Distribution `json:"service"`
	WaitingNow  int                `json:"waiting_now"`
	OldestSince *time.Time         `json:"oldest_since"`
	Groups      []DashGroup        `json:"groups"`
	Counters    []tally.CounterRow `json:"counters"`
	Arrivals    [24]int            `json:"arrivals"`
	Finishes    [24]int            `json:"finishes"`
	Survey      []antre.IKM        `json:"satisfaction"`
	Complaints  int                `json:"complaints_today"`
	Open        int                `json:"open_complaints"`
}

// DashGroup is one group on the dashboard: its quota state (antre.GroupQuota), the tickets
// waiting now and the first one's issue time, and its day by the reports' rules.
type DashGroup struct {
	antre.GroupQuota
	OldestSince *time.Time     `json:"oldest_since"`
	Day         tally.GroupRow `json:"day"`
}

// Today returns the dashboard as of the newest event: the day's fold is kept and only the
// events after it are read, so a refresh costs the events since the last one.
func (m *Module) Today(ctx context.Context) (Dashboard, error) {
	office := m.host.Office()
	today := office.BusinessDate(m.host.Now())
	m.dashMu.Lock()
	defer m.dashMu.Unlock()
	if m.dash == nil || m.dashDate != today {
		cal, err := m.host.Calendar(ctx)
		if err != nil {
			return Dashboard{}, err
		}
		start, err := time.ParseInLocation(time.DateOnly, today, office.Location)
		if err != nil {
			return Dashboard{}, err
		}
		since, err := m.firstAfter(ctx, start.Add(-m.cfg.Lookback))
		if err != nil {
			return Dashboard{}, err
		}
		m.dash, m.dashDate, m.dashCursor = tally.NewPeriod(today, today, office.Location, cal), today, since
	}
	cursor, err := m.fold(ctx, m.dash, m.dashCursor, today)
	if err != nil {
		return Dashboard{}, err
	}
	m.dashCursor = cursor
	rep := m.dash.Report()
	quota, err := m.host.Queue().Quota(ctx)
	if err != nil {
		return Dashboard{}, err
	}
	now := m.dash.WaitingNow()
	d := Dashboard{Date: today, Now: m.host.Now(), OfficeName: office.Name, TimeZone: office.Location.String(), LastEventID: cursor,
		Tickets: rep.Tickets, Waiting: rep.Waiting, Service: rep.Service, Counters: rep.Counters, Arrivals: rep.Arrivals,
		Finishes: rep.Finishes, Survey: rep.Satisfaction, Open: m.dash.OpenComplaints(), Groups: []DashGroup{}}
	for _, c := range rep.Complaints {
		d.Complaints += c.Received
	}
	for _, q := range quota {
		g := DashGroup{GroupQuota: q}
		if w, ok := now[q.Group]; ok && w.Waiting > 0 {
			t := w.Oldest
			g.OldestSince = &t
			if d.OldestSince == nil || t.Before(*d.OldestSince) {
				d.OldestSince = &t
			}
		}
		for _, row := range rep.Groups {
			if row.Group == q.Group {
				g.Day = row
			}
		}
		d.WaitingNow += q.Waiting
		d.Groups = append(d.Groups, g)
	}
	if d.Counters == nil {
		d.Counters = []tally.CounterRow{}
	}
	return d, nil
}

// dashCacheFor is how long an encoded dashboard answers later requests when no event came
// since: the pages refetch together after each event, and the first one's answer serves the rest.
const dashCacheFor = time.Second

// dashboardJSON is Today encoded, shared by the requests that come before the next event
// (within dashCacheFor).
func (m *Module) dashboardJSON(ctx context.Context) ([]byte, error) {
	m.cacheMu.Lock()
	defer m.cacheMu.Unlock()
	now := m.host.Now()
	if m.cache != nil && m.events.LastCommitted() == m.cacheID && now.Sub(m.cacheAt) < dashCacheFor && !now.Before(m.cacheAt) {
		return m.cache, nil
	}
	d, err := m.Today(ctx)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	m.cache, m.cacheID, m.cacheAt = b, d.LastEventID, now
	return b, nil
}

func (m *Module) handleDashboard(w http.ResponseWriter, r *http.Request) {
	b, err := m.dashboardJSON(r.Context())
	if err != nil {
		m.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b)
}
