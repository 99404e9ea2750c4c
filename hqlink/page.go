package hqlink

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"time"

	"antre"
	"antre/internal/httpapi"
	"antre/internal/webui"
	"antre/module"
	"antre/tally"
)

//go:embed web
var web embed.FS

// routes mounts the link page (/hq) and its API (GET /api/v1/hq/link, staff only).
func (m *Module) routes(h module.Host) {
	files, err := fs.Sub(web, "web")
	if err != nil {
		panic(err) // the embedded directory is part of the binary
	}
	h.Handle("GET /hq", webui.Page(files, "hq.html"))
	h.Handle("GET /hq/static/", http.StripPrefix("/hq/static/", webui.Assets(files)))
	h.Handle("GET /api/v1/hq/link", http.HandlerFunc(m.handleStatus), antre.StaffRoles...)
}

// Received is a setting the office received from headquarters and what became of it.
type Received struct {
	ID         int64     `json:"id"`
	Kind       string    `json:"kind"`
	ReceivedAt time.Time `json:"received_at"`
	Result     string    `json:"result"`
}

// Status is the link as the office sees it: whether it is up and since when, what waits to be
// shipped, the settings last received from headquarters, a sentence saying it all, and today's
// figures by tally's rules (the figures headquarters shows for the office).
type Status struct {
	Linked        bool          `json:"linked"`
	Office        string        `json:"office"`
	Connected     bool          `json:"connected"`
	Since         *time.Time    `json:"since"`
	LastCommitted int64         `json:"last_committed"`
	Shipped       int64         `json:"shipped"`
	Backlog       int64         `json:"backlog"`
	LastShippedAt *time.Time    `json:"last_shipped_at"`
	LastError     string        `json:"last_error,omitempty"`
	SettingsAt    *time.Time    `json:"settings_at"`
	Settings      []Received    `json:"settings"`
	Message       string        `json:"message"`
	Today         tally.Figures `json:"today"`
}

func ptr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// LinkStatus returns the link's status, its sentence in lang.
func (m *Module) LinkStatus(ctx context.Context, lang string) (Status, error) {
	st := Status{Linked: m.Linked(), Office: m.office.Code, LastCommitted: m.events.LastCommitted(), Settings: []Received{}}
	l := &m.link
	l.mu.Lock()
	st.Connected, st.Since, st.Shipped, st.LastShippedAt, st.LastError, st.SettingsAt = l.connected, ptr(l.since), l.shipped, ptr(l.lastShippedAt), l.lastErr, ptr(l.settingsAt)
	l.mu.Unlock()
	st.Backlog = max(st.LastCommitted-st.Shipped, 0)
	rows, err := m.db.QueryContext(ctx, `SELECT id, kind, received_at, result FROM hqlink_settings ORDER BY received_at DESC, id DESC LIMIT 20`)
	if err != nil {
		return st, err
	}
	defer rows.Close()
	for rows.Next() {
		var r Received
		var at int64
		if err := rows.Scan(&r.ID, &r.Kind, &at, &r.Result); err != nil {
			return st, err
		}
		r.ReceivedAt = time.UnixMilli(at).UTC()
		st.Settings = append(st.Settings, r)
	}
	if err := rows.Err(); err != nil {
		return st, err
	}
	local := func(t *time.Time) string {
		if t == nil {
			return "—"
		}
		return t.In(m.office.Location).Format("02-01-2006 15:04")
	}
	switch {
	case !st.Linked:
		st.Message = antre.T(lang, "hqlink.not_linked")
	case st.Connected:
		st.Message = antre.T(lang, "hqlink.up", st.Backlog)
	case st.SettingsAt == nil:
		st.Message = antre.T(lang, "hqlink.down_never", local(st.Since), st.Backlog)
	default:
		st.Message = antre.T(lang, "hqlink.down", local(st.Since), st.Backlog, local(st.SettingsAt))
	}
	if st.Linked {
		if st.Today, err = m.TodayFigures(ctx); err != nil {
			return st, err
		}
	}
	return st, nil
}

// TodayFigures folds today's events (from the newest event before the day opened) by tally's
// rules; the result is kept until the next event.
func (m *Module) TodayFigures(ctx context.Context) (tally.Figures, error) {
	last := m.events.LastCommitted()
	m.figMu.Lock()
	defer m.figMu.Unlock()
	today := m.office.BusinessDate(m.now())
	if m.figAt == last && m.figs.Date == today && last != 0 {
		return m.figs, nil
	}
	var after int64
	err := m.db.QueryRowContext(ctx, `SELECT coalesce((SELECT after_id FROM hqlink_days WHERE date = ?), -1)`, today).Scan(&after)
	if err != nil {
		return tally.Figures{}, err
	}
	day := tally.NewDay(today)
	if after >= 0 {
		for {
			evs, err := m.events.EventsSince(ctx, after, 2000)
			if err != nil {
				return tally.Figures{}, err
			}
			for _, e := range evs {
				if tally.DateOf(e, m.office.Location) == today {
					day.Apply(e)
				}
			}
			if len(evs) < 2000 {
				break
			}
			after = evs[len(evs)-1].ID
		}
	}
	m.figAt, m.figs = last, day.Figures()
	return m.figs, nil
}

// handleStatus answers GET /api/v1/hq/link.
func (m *Module) handleStatus(w http.ResponseWriter, r *http.Request) {
	st, err := m.LinkStatus(r.Context(), httpapi.Lang(r))
	if err != nil {
		httpapi.LogRefusal(m.log, r, err)
		httpapi.WriteError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, st)
}
