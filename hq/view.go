package hq

import (
	"sort"
	"strings"
	"sync"
	"time"

	"antre/hq/pg"
	"antre/hqwire"
	"antre/tally"
)

// officeState is what headquarters holds in memory about one office: its record, its current
// business date's figures (the date of its newest event by ID) and its link.
type officeState struct {
	info pg.Office
	loc  *time.Location
	day  *tally.Day
	// applied is the highest event ID the day has seen (or known to be of another date); an
	// arrival at or below it means events came out of order and the day is folded again.
	applied   int64
	recompute bool
	// flushed is the day's last event ID written to the days table.
	flushed     int64
	flushedDate string
	status      hqwire.Status
	statusAt    time.Time
	skew        time.Duration
	gapSince    time.Time
	lastResend  time.Time
	// marks remember the highest stored ID over the last minute, so a heartbeat is compared
	// with what headquarters stored before the office sent it (see maxBefore).
	marks []mark
}

type mark struct {
	at  time.Time
	max int64
}

// noteMax records the highest stored ID at now.
func (st *officeState) noteMax(now time.Time, max int64) {
	if n := len(st.marks); n > 0 && now.Sub(st.marks[n-1].at) < time.Second {
		st.marks[n-1].max = max
		return
	}
	st.marks = append(st.marks, mark{now, max})
	for len(st.marks) > 1 && now.Sub(st.marks[1].at) > time.Minute {
		st.marks = st.marks[1:]
	}
}

// maxBefore is the highest stored ID as of instant t (0 when nothing is known that old).
func (st *officeState) maxBefore(t time.Time) int64 {
	var m int64
	for _, k := range st.marks {
		if k.at.After(t) {
			break
		}
		m = k.max
	}
	return m
}

// view is headquarters' live picture of every office, read by the API and the WebSocket and
// changed by the ingest (figures), the heartbeats (links) and the offices' watch (names).
type view struct {
	mu           sync.RWMutex
	offices      map[string]*officeState
	now          func() time.Time
	offlineAfter time.Duration
	clockSkew    time.Duration
	changed      map[string]bool
	notify       chan struct{}
}

func newView(now func() time.Time, offlineAfter, clockSkew time.Duration) *view {
	return &view{offices: map[string]*officeState{}, now: now, offlineAfter: offlineAfter, clockSkew: clockSkew,
		changed: map[string]bool{}, notify: make(chan struct{}, 1)}
}

// touch marks an office changed for the WebSocket clients; call it with mu held.
func (v *view) touch(code string) {
	v.changed[code] = true
	select {
	case v.notify <- struct{}{}:
	default:
	}
}

// takeChanged returns and clears the offices changed since the last call.
func (v *view) takeChanged() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := make([]string, 0, len(v.changed))
	for c := range v.changed {
		out = append(out, c)
	}
	clear(v.changed)
	sort.Strings(out)
	return out
}

// Link is an office's link to headquarters as headquarters sees it.
type Link struct {
	// State is "online" (a heartbeat within the last OfflineAfter), "offline", or "never"
	// (no heartbeat since headquarters started).
	State string `json:"state"`
	// LastEventAt is the newest stored event's instant by the office's clock; LastReceivedAt
	// when headquarters last stored one; HeartbeatAt the last heartbeat, by headquarters' clock.
	LastEventAt    *time.Time `json:"last_event_at"`
	LastReceivedAt *time.Time `json:"last_received_at"`
	HeartbeatAt    *time.Time `json:"heartbeat_at"`
	// OfficeLastEvent and Shipped are the office's newest event and the newest it has shipped,
	// from its last heartbeat; Backlog is how many of its events headquarters has yet to store
	// (an estimate while the link is down).
	OfficeLastEvent int64 `json:"office_last_event"`
	Shipped         int64 `json:"shipped"`
	Backlog         int64 `json:"backlog"`
	// ClockSkewSeconds is the office's clock minus headquarters' at the last heartbeat.
	ClockSkewSeconds int64 `json:"clock_skew_seconds"`
	// SettingsAt is when the office last received a setting, by its clock.
	SettingsAt *time.Time `json:"settings_at"`
}

// OfficeSummary is one office on the national dashboard and in GET /api/v1/offices: who it is,
// how many of its events headquarters stores (Events), its current business date's figures
// (tally's rules, so they equal the office's own), its link and what headquarters flags.
type OfficeSummary struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Region   string `json:"region"`
	TimeZone string `json:"time_zone"`
	// Events is the number of the office's events stored at headquarters.
	Events     int64 `json:"events"`
	MaxEventID int64 `json:"max_event_id"`
	Contiguous int64 `json:"contiguous_through"`
	// Date is the business date the figures are for: the office's newest event's.
	Date               string     `json:"date"`
	IssuedToday        int        `json:"issued_today"`
	ServedToday        int        `json:"served_today"`
	Waiting            int        `json:"waiting"`
	NoShowsToday       int        `json:"no_shows_today"`
	QuotaToday         int        `json:"quota_today"`
	RemainingQuota     int        `json:"remaining_quota"`
	LongestWaitSeconds int64      `json:"longest_wait_seconds"`
	OldestWaitingSince *time.Time `json:"oldest_waiting_since"`
	// FilesLate is null until the passport workflow's events are counted.
	FilesLate *int `json:"files_late"`
	Link      Link `json:"link"`
	// Flags are what needs a person's eye: "restored" (the office's log went behind
	// headquarters'), "conflicts" (IDs that came again with other content), "clock" (its
	// clock is off by more than ClockSkew), "gap" (events missing between stored ones or after
	// them).
	Flags        []string   `json:"flags"`
	Conflicts    int64      `json:"conflicts"`
	RestoredAt   *time.Time `json:"restored_at"`
	RestoredNote string     `json:"restored_note,omitempty"`
}

// OfficeDetail is one office's page: the summary, its day's figures with every group (the
// same figures as the office's own quota answer), and the holes in its event IDs.
type OfficeDetail struct {
	OfficeSummary
	Figures         tally.Figures `json:"figures"`
	Gaps            [][2]int64    `json:"gaps"`
	SettingsPending int           `json:"settings_pending"`
}

func ptr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// summary builds an office's summary; call it with mu held (for reading at least).
func (v *view) summary(st *officeState) OfficeSummary {
	o := st.info
	s := OfficeSummary{Code: o.Code, Name: o.Name, Region: o.Region, TimeZone: o.TimeZone, Events: o.Events, MaxEventID: o.MaxEventID,
		Contiguous: o.Contiguous, Conflicts: o.Conflicts, RestoredAt: o.RestoredAt, RestoredNote: o.RestoredNote, Flags: []string{}}
	if st.day != nil {
		f := st.day.Figures()
		s.Date, s.IssuedToday, s.ServedToday, s.Waiting, s.NoShowsToday = f.Date, f.Issued, f.Served, f.Waiting, f.NoShows
		s.QuotaToday, s.RemainingQuota, s.LongestWaitSeconds, s.OldestWaitingSince = f.Quota, f.Remaining, f.LongestWaitSeconds, f.OldestWaitingSince
	}
	l := Link{State: "never", LastEventAt: o.LastEventAt, LastReceivedAt: o.LastReceivedAt}
	if !st.statusAt.IsZero() {
		l.State = "online"
		if v.now().Sub(st.statusAt) > v.offlineAfter {
			l.State = "offline"
		}
		l.HeartbeatAt = ptr(st.statusAt)
		l.OfficeLastEvent, l.Shipped = st.status.LastCommitted, st.status.Shipped
		l.Backlog = max(st.status.LastCommitted-o.Contiguous, 0)
		l.ClockSkewSeconds = int64(st.skew / time.Second)
		l.SettingsAt = ptr(st.status.SettingsAt)
	}
	s.Link = l
	if o.RestoredAt != nil {
		s.Flags = append(s.Flags, "restored")
	}
	if o.Conflicts > 0 {
		s.Flags = append(s.Flags, "conflicts")
	}
	if !st.statusAt.IsZero() && (st.skew > v.clockSkew || st.skew < -v.clockSkew) {
		s.Flags = append(s.Flags, "clock")
	}
	if o.Contiguous < o.MaxEventID || st.status.Shipped > o.MaxEventID {
		s.Flags = append(s.Flags, "gap")
	}
	return s
}

// Summaries returns every office's summary, filtered by region (empty: all) and sorted by
// key ("code" by default; any JSON field of the summary's figures), descending when desc.
func (v *view) summaries(region, key string, desc bool) []OfficeSummary {
	v.mu.RLock()
	out := make([]OfficeSummary, 0, len(v.offices))
	for _, st := range v.offices {
		if region == "" || strings.EqualFold(st.info.Region, region) {
			out = append(out, v.summary(st))
		}
	}
	v.mu.RUnlock()
	less := sortKeys[key]
	if less == nil {
		less = sortKeys["code"]
	}
	sort.SliceStable(out, func(i, j int) bool {
		if desc {
			return less(out[j], out[i])
		}
		return less(out[i], out[j])
	})
	return out
}

// sortKeys are the orders the dashboard and the API offer (?sort=).
var sortKeys = map[string]func(a, b OfficeSummary) bool{
	"code":         func(a, b OfficeSummary) bool { return a.Code < b.Code },
	"name":         func(a, b OfficeSummary) bool { return a.Name < b.Name },
	"region":       func(a, b OfficeSummary) bool { return a.Region < b.Region || a.Region == b.Region && a.Code < b.Code },
	"events":       func(a, b OfficeSummary) bool { return a.Events < b.Events },
	"issued_today": func(a, b OfficeSummary) bool { return a.IssuedToday < b.IssuedToday },
	"served_today": func(a, b OfficeSummary) bool { return a.ServedToday < b.ServedToday },
	"waiting":      func(a, b OfficeSummary) bool { return a.Waiting < b.Waiting },
	"remaining_quota": func(a, b OfficeSummary) bool {
		return a.RemainingQuota < b.RemainingQuota
	},
	"longest_wait_seconds": func(a, b OfficeSummary) bool { return a.LongestWaitSeconds < b.LongestWaitSeconds },
	"backlog":              func(a, b OfficeSummary) bool { return a.Link.Backlog < b.Link.Backlog },
}

// get returns an office's summary and its day's figures.
func (v *view) get(code string) (OfficeSummary, tally.Figures, bool) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	st, ok := v.offices[code]
	if !ok {
		return OfficeSummary{}, tally.Figures{}, false
	}
	f := tally.Figures{Groups: []tally.GroupFigures{}}
	if st.day != nil {
		f = st.day.Figures()
	}
	return v.summary(st), f, true
}

// known returns each known office's time zone, for the ingest.
func (v *view) locs() map[string]*time.Location {
	v.mu.RLock()
	defer v.mu.RUnlock()
	out := make(map[string]*time.Location, len(v.offices))
	for c, st := range v.offices {
		out[c] = st.loc
	}
	return out
}

// View returns an office's summary and day figures as the dashboard has them now.
func (h *HQ) View(code string) (OfficeSummary, tally.Figures, bool) { return h.view.get(code) }
