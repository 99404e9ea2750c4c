package demodata_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"antre"
	"antre/demodata"
	"antre/server"
	"antre/server/servertest"
	"antre/server/sqlite"
	"antre/tally"
)

var wib = servertest.WIB

// today is where the tests' histories end: Tuesday 29 December 2026. Ten days back reach
// Saturday the 19th, and hold two weekends, the cuti bersama of the 24th and Christmas.
var today = time.Date(2026, 12, 29, 10, 0, 0, 0, wib)

// generate writes days of history with seed into a new data directory and returns it.
func generate(t *testing.T, days int, seed uint64) (string, demodata.Report) {
	t.Helper()
	cfg, err := server.LoadConfig(nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Data = t.TempDir()
	cfg.PasswordCost = 4
	rep, err := demodata.Generate(context.Background(), cfg, demodata.Options{Days: days, Seed: seed, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Data, rep
}

// events reads every event of a store.
func events(t *testing.T, db *sqlite.DB) []antre.Event {
	t.Helper()
	var out []antre.Event
	for {
		var since int64
		if len(out) > 0 {
			since = out[len(out)-1].ID
		}
		evs, err := db.EventsSince(context.Background(), since, 5000)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 {
			return out
		}
		out = append(out, evs...)
	}
}

// TestHistory generates ten days and serves them in a real hub: tickets only on the working
// days, each group's pools within their quota (dispensations counted where they move a
// ticket), more arrivals in the morning period than in the afternoon, the
// event log folding (tally.Fold) to the generator's counts per day and the reports module to
// its totals, files and survey answers through the workflow's and the voice module's APIs, and
// a second run on the same directory refused.
func TestHistory(t *testing.T) {
	dir, rep := generate(t, 10, 1)
	if rep.From != "2026-12-19" || rep.To != "2026-12-28" || rep.WorkingDays != 4 || rep.Holidays != 2 {
		t.Fatalf("range %s … %s, %d working days, %d weekday holidays; want 2026-12-19 … 2026-12-28, 4 and 2 (24th, 25th)",
			rep.From, rep.To, rep.WorkingDays, rep.Holidays)
	}
	if rep.Issued < 4*40 || rep.Served < rep.Issued*8/10 || rep.Files < rep.Issued/3 || rep.Surveys == 0 || rep.Dispensed == 0 || rep.Online == 0 {
		t.Errorf("implausible history: %+v", rep)
	}
	h := servertest.Start(t, servertest.Settings{Start: today}, func(c *server.Config) { c.Data = dir })
	working := map[string]demodata.DayCount{}
	for _, d := range rep.PerDay {
		working[d.Date] = d
		if d.Issued == 0 || d.Issued > d.Quota {
			t.Errorf("%s: %d tickets issued, quota %d", d.Date, d.Issued, d.Quota)
		}
		if d.Morning <= d.Afternoon {
			t.Errorf("%s: %d arrivals 08–12, %d arrivals 12–16: no morning peak", d.Date, d.Morning, d.Afternoon)
		}
	}
	for _, closed := range []string{"2026-12-19", "2026-12-20", "2026-12-24", "2026-12-25", "2026-12-26", "2026-12-27"} {
		if _, ok := working[closed]; ok {
			t.Errorf("%s is closed but has a day count", closed)
		}
	}
	evs := events(t, h.DB())
	groups, err := h.DB().Groups(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	quota := map[string]antre.Quota{}
	for _, g := range groups {
		quota[g.Code] = g.Quota
	}
	used := map[string]map[antre.Pool]int{} // date/group → pool → numbers used
	for _, e := range evs {
		d := tally.DateOf(e, wib)
		var data struct {
			Pool     antre.Pool `json:"pool"`
			FromPool antre.Pool `json:"from_pool"`
		}
		json.Unmarshal(e.Data, &data)
		switch e.Type {
		case antre.EvIssued:
			if working[d].Date == "" {
				t.Fatalf("ticket %s issued on %s, not a working day of the history", e.Ticket, d)
			}
			if used[d+"/"+e.Group] == nil {
				used[d+"/"+e.Group] = map[antre.Pool]int{}
			}
			used[d+"/"+e.Group][data.Pool]++
		case antre.EvDispensed:
			g := e.Ticket[:1] // the ticket's prefix is its group's
			used[d+"/"+g][data.FromPool]--
			used[d+"/"+g][antre.PoolPriority]++
		}
	}
	for key, u := range used {
		q := quota[strings.Split(key, "/")[1]]
		if u[antre.PoolWalkIn] > q.WalkIn || u[antre.PoolOnline] > q.Online || u[antre.PoolPriority] > q.Priority {
			t.Errorf("%s used %v of quota %+v", key, u, q)
		}
	}
	if len(used) < 4*5 {
		t.Errorf("only %d group-days have tickets", len(used))
	}
	issued, served := 0, 0
	for _, d := range rep.PerDay {
		f := tally.Fold(d.Date, wib, evs)
		if f.Issued != d.Issued || f.Served != d.Served {
			t.Errorf("%s: the events fold to %d issued, %d served; the generator reports %d and %d", d.Date, f.Issued, f.Served, d.Issued, d.Served)
		}
		if f.Waiting != 0 {
			t.Errorf("%s: %d tickets still waiting at the end of the day", d.Date, f.Waiting)
		}
		issued, served = issued+f.Issued, served+f.Served
	}
	if issued != rep.Issued || served != rep.Served {
		t.Errorf("folded %d issued, %d served; report %d, %d", issued, served, rep.Issued, rep.Served)
	}

	// the files, through the workflow's public status look-up
	for _, n := range []int{1, rep.Files} {
		var st map[string]any
		if code := h.Do("GET", fmt.Sprintf("/api/v1/applications/2026%06d", n), "", nil, &st); code != http.StatusOK || st["stage"] == nil {
			t.Errorf("file %d of %d: %d %v", n, rep.Files, code, st)
		}
	}
	if code := h.Do("GET", fmt.Sprintf("/api/v1/applications/2026%06d", rep.Files+1), "", nil, nil); code != http.StatusNotFound {
		t.Errorf("file %d after the last: %d, want 404", rep.Files+1, code)
	}
	// the survey answers, through the voice module's index
	var ikm struct {
		Responses int      `json:"responses"`
		Tickets   int      `json:"tickets"`
		Index     *float64 `json:"index"`
	}
	if code := h.Do("GET", "/api/v1/ikm?from="+rep.From+"&to="+rep.To, h.Admin, nil, &ikm); code != http.StatusOK {
		t.Fatalf("ikm: %d", code)
	}
	if ikm.Responses != rep.Surveys || ikm.Tickets != rep.Served || ikm.Index == nil || *ikm.Index < 62.5 {
		t.Errorf("ikm: %d responses of %d tickets, index %v; the generator answered %d surveys of %d served", ikm.Responses, ikm.Tickets,
			ikm.Index, rep.Surveys, rep.Served)
	}
	// the reports module folds the same history to the generator's counts
	var report struct {
		Tickets struct {
			Issued    int `json:"issued"`
			Served    int `json:"served"`
			NoShow    int `json:"no_show"`
			Cancelled int `json:"cancelled"`
		} `json:"tickets"`
	}
	if code := h.Do("GET", "/api/v1/reports?format=json&from="+rep.From+"&to="+rep.To, h.Admin, nil, &report); code != http.StatusOK {
		t.Fatalf("report: %d", code)
	}
	if tk := report.Tickets; tk.Issued != rep.Issued || tk.Served != rep.Served || tk.NoShow != rep.NoShows || tk.Cancelled != rep.Cancelled {
		t.Errorf("the report counts %+v; the generator wrote %d issued, %d served, %d no-shows, %d cancelled", tk, rep.Issued, rep.Served,
			rep.NoShows, rep.Cancelled)
	}
	// the hub serves the history's data: an officer logs in as the generator's staff
	var login struct{ Token string }
	if code := h.Do("POST", "/api/v1/login", "", map[string]string{"name": "kakanim", "password": demodata.StaffPassword}, &login); code != http.StatusOK {
		t.Errorf("log-in as kakanim: %d", code)
	}
	h.Stop()

	cfg, err := server.LoadConfig(nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Data = dir
	_, err = demodata.Generate(context.Background(), cfg, demodata.Options{Days: 10, Seed: 1, Today: today})
	if err == nil || !strings.Contains(err.Error(), "already holds data") {
		t.Errorf("a second history on the same store: %v", err)
	}
}

// complaintNumber is a complaint's number, which the voice module draws unguessable (random
// by its rule), so the same seed cannot repeat it.
var complaintNumber = regexp.MustCompile(`ADU-[A-Z0-9]{4}-[A-Z0-9]{4}`)

// TestSameSeed generates the same days twice with one seed and once with another: the first
// two hold the same events, instant for instant (complaint numbers aside); the third differs.
func TestSameSeed(t *testing.T) {
	read := func(dir string) []string {
		cfg, err := server.LoadConfig(nil)
		if err != nil {
			t.Fatal(err)
		}
		office, _ := cfg.OfficeValue()
		db, err := sqlite.Open(context.Background(), filepath.Join(dir, "antre.db"), sqlite.Options{Office: office})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var out []string
		for _, e := range events(t, db) {
			data := complaintNumber.ReplaceAllString(string(e.Data), "ADU-····-····")
			out = append(out, fmt.Sprintf("%d %s %s %s %s %d %s %s", e.ID, e.Type, e.At.Format(time.RFC3339Nano), e.Ticket, e.Group, e.Counter, e.Actor, data))
		}
		return out
	}
	a, ra := generate(t, 3, 7)
	b, rb := generate(t, 3, 7)
	c, _ := generate(t, 3, 8)
	ea, eb, ec := read(a), read(b), read(c)
	if len(ea) < 100 || ra.Issued != rb.Issued {
		t.Fatalf("%d events, %d and %d issued", len(ea), ra.Issued, rb.Issued)
	}
	if len(ea) != len(eb) {
		t.Fatalf("same seed: %d events, then %d", len(ea), len(eb))
	}
	for i := range ea {
		if ea[i] != eb[i] {
			t.Fatalf("same seed, event %d differs:\n%s\n%s", i, ea[i], eb[i])
		}
	}
	if strings.Join(ea, "\n") == strings.Join(ec, "\n") {
		t.Error("another seed gave the same history")
	}
}
