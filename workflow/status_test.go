package workflow_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"antre/server"
)

// TestPublicStatusLimits: an unknown number and a known one both take at least the floor (the
// same query runs for both, then the answer waits out the rest), a malformed number is a clear
// error in both languages, and each client address is held to its burst.
func TestPublicStatusLimits(t *testing.T) {
	floor := 120 * time.Millisecond
	e := newEnv(t, func(c *server.Config) {
		c.Workflow.StatusFloor = floor
		c.Workflow.StatusBurst = 4
		c.Workflow.StatusPerMinute = 1
	})
	f := e.open("oss1", "A", 1)
	for _, tc := range []struct {
		number string
		status int
	}{{f.Number, 200}, {"2026009999", 404}, {"12", 400}} {
		start := time.Now()
		st, body := e.raw("", "/api/v1/applications/"+tc.number)
		if d := time.Since(start); st != tc.status || d < floor {
			t.Errorf("%s: %d in %v (floor %v): %s", tc.number, st, d, floor, body)
		}
		if tc.status == 400 && !contains(body, "10 angka") {
			t.Errorf("malformed number: %s", body)
		}
		if tc.status == 404 && !contains(body, "tidak ditemukan") {
			t.Errorf("unknown number: %s", body)
		}
	}
	if st, body := e.raw("", "/api/v1/applications/12?lang=en"); st != 400 || !contains(body, "10 digits") { // the burst's fourth
		t.Errorf("English: %d %s", st, body)
	}
	req, _ := http.NewRequest("GET", e.h.URL+"/api/v1/applications/"+f.Number, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("over the burst: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// the clock moves a minute: one more look-up
	e.h.Clock.Advance(61 * time.Second)
	if st, _ := e.raw("", "/api/v1/applications/"+f.Number); st != 200 {
		t.Errorf("after a minute: %d", st)
	}
}

// TestOpenRefusals: bad input is a clear Indonesian error (English on request) and changes
// nothing: the next good file still gets the year's first number.
func TestOpenRefusals(t *testing.T) {
	e := newEnv(t)
	code := e.serve("oss1", "A", 1)
	bad := func(change func(map[string]any), status int, errCode, word string) {
		t.Helper()
		app := applicant(code, false)
		change(app)
		msg := e.refused("oss1", "POST", "/api/v1/applications", app, status, errCode)
		if !has(msg, word) {
			t.Errorf("%v: %q lacks %q", app, msg, word)
		}
	}
	bad(func(a map[string]any) { a["nik"] = "317101170890001" }, 400, "invalid", "16 angka")
	bad(func(a map[string]any) { a["nik"] = "9971011708900001" }, 400, "invalid", "wilayah")
	bad(func(a map[string]any) { a["nik"] = "3171013208900001" }, 400, "invalid", "Tanggal lahir pada NIK")
	bad(func(a map[string]any) { a["birth_date"] = "1990-08-18" }, 400, "invalid", "tidak sesuai")
	bad(func(a map[string]any) { a["birth_date"] = "17-08-1990" }, 400, "invalid", "birth_date")
	bad(func(a map[string]any) { a["name"] = "  " }, 400, "invalid", "name")
	bad(func(a map[string]any) { a["phone"] = "12345" }, 400, "invalid", "telepon")
	bad(func(a map[string]any) { a["kind"] = "lost" }, 400, "invalid", "Jenis permohonan")
	bad(func(a map[string]any) { a["documents"] = []string{"sim"} }, 400, "invalid", "sim")
	bad(func(a map[string]any) { a["ticket"] = "A1" }, 400, "invalid", "A012")
	bad(func(a map[string]any) { a["ticket"] = "A099" }, 404, "not_found", "antrean")
	bad(func(a map[string]any) { a["extra"] = 1 }, 400, "invalid", "extra")
	app := applicant(code, false)
	app["nik"] = "317101170890001"
	if msg := e.refused("oss1", "POST", "/api/v1/applications?lang=en", app, 400, "invalid"); msg != "A NIK has 16 digits." {
		t.Errorf("English: %q", msg)
	}
	waiting := e.h.Issue("A")
	bad(func(a map[string]any) { a["ticket"] = waiting }, 409, "conflict", "tidak sedang Anda layani")
	e.refused("oss2", "POST", "/api/v1/applications", applicant(code, false), 409, "conflict") // oss1 serves it
	e.refused("petugas", "POST", "/api/v1/applications", applicant(code, false), 403, "forbidden")
	e.refused("bio1", "POST", "/api/v1/applications", applicant(code, false), 403, "forbidden")
	pickup := e.serve("oss2", "E", 2)
	if msg := e.refused("oss2", "POST", "/api/v1/applications", applicant(pickup, false), 400, "invalid"); !has(msg, "tidak membuka") {
		t.Errorf("a pickup ticket: %q", msg)
	}
	var f summary
	app = applicant(code, false)
	e.ok("oss1", "POST", "/api/v1/applications", app, &f)
	if f.Number != "2026000001" {
		t.Errorf("first good file is %s: a refusal consumed a number", f.Number)
	}
	// one NIK, one open application
	other := e.serve("oss1", "B", 1)
	again := applicant(other, false)
	again["nik"] = app["nik"]
	if msg := e.refused("oss1", "POST", "/api/v1/applications", again, 409, "conflict"); !has(msg, f.Number) {
		t.Errorf("second open application of a NIK: %q", msg)
	}
}

// TestAlerts: a file paid on Wednesday is promised for Monday; on Sunday noon it has used more
// than 75% of its time (at risk), on Tuesday it is late: each raises one event for the head's
// console and the list shows it.
func TestAlerts(t *testing.T) {
	e := newEnv(t)
	e.ok("cetak1", "POST", "/api/v1/blanks", map[string]any{"first": "C1000001", "count": 1}, nil)
	n := e.toAdjudication(applicant(e.serve("oss1", "A", 1), false))
	e.next("adj1", "adjudication")
	e.complete("adj1", n, "adjudication", "pass", "", nil)
	e.next("kasir1", "payment")
	if s := e.complete("kasir1", n, "payment", "pass", "", map[string]any{"receipt": "NTPN99"}); s.Due != "2026-11-30" {
		t.Fatalf("due %s", s.Due)
	}
	var list struct {
		Files []struct {
			Number, Level string
			Used          int `json:"used_percent"`
		} `json:"files"`
	}
	e.ok("kakanim", "GET", "/api/v1/workflow/alerts", nil, &list)
	if len(list.Files) != 0 {
		t.Fatalf("alerts right after payment: %+v", list.Files)
	}
	alerts := func() []string {
		var out []string
		for _, ev := range e.events(0) {
			if ev.Type == "workflow.alert" {
				out = append(out, string(ev.Data))
			}
		}
		return out
	}
	e.h.Clock.Set(time.Date(2026, 11, 29, 12, 0, 0, 0, wib))
	waitFor(t, "the at-risk alert", func() bool { return len(alerts()) == 1 })
	if a := alerts()[0]; !strings.Contains(a, `"level":"at_risk"`) || !strings.Contains(a, n) {
		t.Errorf("alert %s", a)
	}
	e.ok("kakanim", "GET", "/api/v1/workflow/alerts", nil, &list)
	if len(list.Files) != 1 || list.Files[0].Level != "at_risk" || list.Files[0].Used < 75 {
		t.Errorf("at risk: %+v", list.Files)
	}
	e.h.Clock.Set(time.Date(2026, 12, 1, 9, 0, 0, 0, wib))
	waitFor(t, "the late alert", func() bool { return len(alerts()) == 2 })
	if a := alerts()[1]; !strings.Contains(a, `"level":"late"`) {
		t.Errorf("alert %s", a)
	}
	e.refused("bio1", "GET", "/api/v1/workflow/alerts", nil, 403, "forbidden")
	// a ready passport is no longer the office's delay
	e.next("cetak1", "printing")
	e.complete("cetak1", n, "printing", "pass", "", map[string]any{"qa": allQA})
	e.next("sah1", "approval")
	e.complete("sah1", n, "approval", "pass", "", nil)
	e.ok("kakanim", "GET", "/api/v1/workflow/alerts", nil, &list)
	if len(list.Files) != 0 {
		t.Errorf("alerts after ready: %+v", list.Files)
	}
	for _, ev := range e.events(0) {
		if ev.Type == "workflow.alert" {
			if _, ok := ev.DeviceView(); ok {
				t.Error("devices see alerts")
			}
		}
	}
}
