package report_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"antre"
	"antre/server"
	"antre/server/servertest"
)

var wib = servertest.WIB

// at is an instant of Wednesday 2 December 2026, WIB.
func at(hh, mm int) time.Time { return time.Date(2026, 12, 2, hh, mm, 0, 0, wib) }

// env is a real hub (SQLite file, HTTP on 127.0.0.1) with counters 1 and 2 serving group A and
// counter 3 group B, a head of office (kakanim) and three officers (ani, budi, citra).
type env struct {
	t      testing.TB
	h      *servertest.Hub
	tokens map[string]string
}

func newEnv(t testing.TB, start time.Time, opts ...servertest.Option) *env {
	t.Helper()
	base := func(c *server.Config) {
		c.SessionTTL = 400 * 24 * time.Hour // tests move the clock by weeks
		c.Counters = []antre.Counter{{Number: 1, Name: "Loket 1", Groups: []string{"A"}}, {Number: 2, Name: "Loket 2", Groups: []string{"A"}},
			{Number: 3, Name: "Loket 3", Groups: []string{"B"}}, {Number: 4, Name: "Loket 4", Groups: []string{"C", "D", "E", "F"}}}
	}
	h := servertest.Start(t, servertest.Settings{Start: start}, append([]servertest.Option{base}, opts...)...)
	e := &env{t: t, h: h, tokens: map[string]string{"admin": h.Admin, "petugas": h.Officer, "kiosk": h.Kiosk, "display": h.Display}}
	e.addUser("kakanim", antre.RoleHead)
	for _, n := range []string{"ani", "budi", "citra"} {
		e.addUser(n, antre.RoleOfficer)
	}
	return e
}

func (e *env) addUser(name string, role antre.Role) {
	e.t.Helper()
	if err := e.h.DB().AddUser(context.Background(), name, role, "rahasia-"+name); err != nil {
		e.t.Fatal(err)
	}
	var out struct{ Token string }
	if st := e.h.Do("POST", "/api/v1/login", "", map[string]string{"name": name, "password": "rahasia-" + name}, &out); st != 200 {
		e.t.Fatalf("login %s: %d", name, st)
	}
	e.tokens[name] = out.Token
}

// do sends a JSON request as user at instant t and fails the test on another status than want.
func (e *env) do(t time.Time, user, method, path string, body any, want int) map[string]any {
	e.t.Helper()
	e.h.Clock.Set(t)
	var out map[string]any
	if st := e.h.Do(method, path, e.tokens[user], body, &out); st != want {
		e.t.Fatalf("%s %s as %s: %d %v, want %d", method, path, user, st, out, want)
	}
	return out
}

func (e *env) issue(t time.Time, group, want string) {
	e.t.Helper()
	out := e.do(t, "kiosk", "POST", "/api/v1/tickets", map[string]any{"group": group}, http.StatusCreated)
	if out["code"] != want {
		e.t.Fatalf("issued %v, want %s", out["code"], want)
	}
}

func (e *env) next(t time.Time, user string, counter int, want string) {
	e.t.Helper()
	out := e.do(t, user, "POST", "/api/v1/counters/"+strconv.Itoa(counter)+"/next", nil, 200)
	if out["code"] != want {
		e.t.Fatalf("counter %d called %v, want %s", counter, out["code"], want)
	}
}

// handWorked plays the reports' hand-worked day through the API (Wednesday 2 December 2026):
//
//	A001 08:00, called 08:10 at counter 1 by ani (wait 600 s), started 08:12, finished 08:20 (480 s)
//	A002 08:01, called 08:22 at counter 2 by budi (1260 s), started 08:23, transferred to B 08:30 (420 s);
//	     called out of order 08:40 at counter 3 by citra, started 08:41, finished 08:51 (600 s): one ticket, 1020 s
//	A003 08:02, called 08:31 at counter 1 (1740 s), no-show 08:33, reactivated 08:40, called 08:45, finished 08:50 (300 s)
//	A004 08:03, cancelled 08:05
//	B001 08:04, dispensation elderly 08:06, called out of order 11:04 (10800 s), finished 11:10 (360 s)
//	A005 08:05, called 09:05 (3600 s), no-show 09:07
//
// Waits 600, 1260, 1740, 3600, 10800: median 1740 (rank 3), p90 10800 (rank 5), 4 of 5 under
// two hours. Services 300, 360, 480, 1020: median 360, p90 1020. 6 issued, 4 served, 1 no-show,
// 1 cancelled; 2 calls out of order; 1 elderly dispensation.
func (e *env) handWorked() {
	e.issue(at(8, 0), "A", "A001")
	e.issue(at(8, 1), "A", "A002")
	e.issue(at(8, 2), "A", "A003")
	e.issue(at(8, 3), "A", "A004")
	e.issue(at(8, 4), "B", "B001")
	e.issue(at(8, 5), "A", "A005")
	e.do(at(8, 5), "ani", "POST", "/api/v1/tickets/A004/cancel", map[string]any{"reason": "pulang"}, 200)
	e.do(at(8, 6), "ani", "POST", "/api/v1/tickets/B001/dispensation", map[string]any{"category": "elderly", "reason": "lansia"}, 200)
	e.next(at(8, 10), "ani", 1, "A001")
	e.do(at(8, 12), "ani", "POST", "/api/v1/counters/1/start", nil, 200)
	e.do(at(8, 20), "ani", "POST", "/api/v1/counters/1/finish", nil, 200)
	e.next(at(8, 22), "budi", 2, "A002")
	e.do(at(8, 23), "budi", "POST", "/api/v1/counters/2/start", nil, 200)
	e.do(at(8, 30), "budi", "POST", "/api/v1/counters/2/transfer", map[string]any{"to_group": "B"}, 200)
	e.next(at(8, 31), "ani", 1, "A003")
	e.do(at(8, 33), "ani", "POST", "/api/v1/counters/1/no-show", nil, 200)
	e.do(at(8, 40), "ani", "POST", "/api/v1/tickets/A003/reactivate", nil, 200)
	e.do(at(8, 40), "citra", "POST", "/api/v1/tickets/A002/call", map[string]any{"counter": 3, "reason": "pindahan dari loket 2"}, 200)
	e.do(at(8, 41), "citra", "POST", "/api/v1/counters/3/start", nil, 200)
	e.next(at(8, 45), "ani", 1, "A003")
	e.do(at(8, 50), "ani", "POST", "/api/v1/counters/1/finish", nil, 200)
	e.do(at(8, 51), "citra", "POST", "/api/v1/counters/3/finish", nil, 200)
	e.next(at(9, 5), "ani", 1, "A005")
	e.do(at(9, 7), "ani", "POST", "/api/v1/counters/1/no-show", nil, 200)
	e.do(at(11, 4), "citra", "POST", "/api/v1/tickets/B001/call", map[string]any{"counter": 3, "reason": "lansia menunggu"}, 200)
	e.do(at(11, 10), "citra", "POST", "/api/v1/counters/3/finish", nil, 200)
}

// get fetches path as user and returns the status and body.
func (e *env) get(user, path string) (int, []byte, http.Header) {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.h.URL+path, nil)
	if tok := e.tokens[user]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

type jsonReport struct {
	Tickets struct {
		Issued    int `json:"issued"`
		Served    int `json:"served"`
		NoShow    int `json:"no_show"`
		Cancelled int `json:"cancelled"`
	} `json:"tickets"`
	Waiting struct {
		Count   int   `json:"count"`
		MedianS int64 `json:"median_s"`
		P90S    int64 `json:"p90_s"`
		MaxS    int64 `json:"max_s"`
	} `json:"waiting"`
	Service struct {
		MedianS int64 `json:"median_s"`
		P90S    int64 `json:"p90_s"`
	} `json:"service"`
	WithinTarget    int     `json:"within_target"`
	WithinTargetPct float64 `json:"within_target_pct"`
	OutOfOrder      int     `json:"out_of_order"`
	Categories      []struct {
		Key   string `json:"key"`
		Count int    `json:"count"`
	} `json:"categories"`
}

func TestReportHandWorked(t *testing.T) {
	e := newEnv(t, at(7, 30))
	e.handWorked()
	st, body, _ := e.get("kakanim", "/api/v1/reports?from=2026-12-01&to=2026-12-31&format=json")
	if st != 200 {
		t.Fatalf("report: %d %s", st, body)
	}
	var r jsonReport
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	if r.Tickets.Issued != 6 || r.Tickets.Served != 4 || r.Tickets.NoShow != 1 || r.Tickets.Cancelled != 1 {
		t.Errorf("tickets %+v, want 6 issued, 4 served (the reactivated no-show and the transfer once each), 1 no-show, 1 cancelled", r.Tickets)
	}
	if r.Waiting.Count != 5 || r.Waiting.MedianS != 1740 || r.Waiting.P90S != 10800 || r.Waiting.MaxS != 10800 {
		t.Errorf("waiting %+v, want 5 called, median 1740 s, p90 10800 s", r.Waiting)
	}
	if r.Service.MedianS != 360 || r.Service.P90S != 1020 {
		t.Errorf("service %+v, want median 360 s, p90 1020 s (the transferred ticket's two segments)", r.Service)
	}
	if r.WithinTarget != 4 || r.WithinTargetPct != 80 || r.OutOfOrder != 2 {
		t.Errorf("within target %d (%.1f %%), out of order %d; want 4 (80 %%), 2", r.WithinTarget, r.WithinTargetPct, r.OutOfOrder)
	}
	for _, c := range r.Categories {
		if want := map[string]int{"elderly": 1}[c.Key]; c.Count != want {
			t.Errorf("dispensations %s: %d, want %d", c.Key, c.Count, want)
		}
	}

	// A day before: nothing; the day itself: the same figures.
	var day jsonReport
	_, body, _ = e.get("admin", "/api/v1/reports?from=2026-12-02&to=2026-12-02")
	json.Unmarshal(body, &day)
	if day.Tickets != r.Tickets || day.Waiting != r.Waiting {
		t.Errorf("the day's report %+v differs from the month's %+v", day, r)
	}
	_, body, _ = e.get("admin", "/api/v1/reports?from=2026-12-01&to=2026-12-01")
	json.Unmarshal(body, &day)
	if day.Tickets.Issued != 0 {
		t.Errorf("1 December: %d issued, want 0", day.Tickets.Issued)
	}

	// CSV: the zip's tables parse, and the days and groups sum to the JSON's totals.
	st, body, hdr := e.get("kakanim", "/api/v1/reports?from=2026-12-01&to=2026-12-31&format=csv")
	if st != 200 || hdr.Get("Content-Type") != "application/zip" {
		t.Fatalf("csv zip: %d %s", st, hdr.Get("Content-Type"))
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string][][]string{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		recs, err := csv.NewReader(rc).ReadAll()
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		tables[strings.TrimSuffix(f.Name, ".csv")] = recs
	}
	if len(tables) != 13 {
		t.Errorf("zip holds %d tables, want 13", len(tables))
	}
	for _, name := range []string{"days", "groups"} {
		rows := tables[name]
		if len(rows) < 2 || rows[0][1] != "Diterbitkan" {
			t.Fatalf("%s: %v, want a header row (Indonesian) and rows", name, rows)
		}
		sum := [4]int{}
		for _, row := range rows[1:] {
			for i := range 4 {
				n, err := strconv.Atoi(row[1+i])
				if err != nil {
					t.Fatalf("%s: %v", name, row)
				}
				sum[i] += n
			}
		}
		if sum != [4]int{r.Tickets.Issued, r.Tickets.Served, r.Tickets.NoShow, r.Tickets.Cancelled} {
			t.Errorf("%s sums to %v, the JSON says %+v", name, sum, r.Tickets)
		}
	}
	st, body, _ = e.get("kakanim", "/api/v1/reports?from=2026-12-01&to=2026-12-31&format=csv&table=summary&lang=en")
	if st != 200 || !strings.HasPrefix(string(body), "Figure,Value\n") || !strings.Contains(string(body), "Issued,6\n") {
		t.Errorf("one table in English: %d %q", st, body)
	}

	// PDF: the totals, the period in Indonesian words, page numbers.
	st, body, hdr = e.get("kakanim", "/api/v1/reports?from=2026-12-01&to=2026-12-31&format=pdf")
	if st != 200 || hdr.Get("Content-Type") != "application/pdf" {
		t.Fatalf("pdf: %d %s", st, hdr.Get("Content-Type"))
	}
	text := pdfText(t, body)
	if d := os.Getenv("REPORT_PDF_OUT"); d != "" {
		os.WriteFile(d, body, 0o644)
	}
	for _, want := range []string{"Laporan Pelayanan Antrean dan Paspor", "1 Desember 2026 – 31 Desember 2026", "2 Desember 2026",
		"Diterbitkan", "Halaman 1 dari", "80,0 %", "29,0 menit"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	_, body, _ = e.get("kakanim", "/api/v1/reports?from=2026-12-01&to=2026-12-31&format=pdf&lang=en")
	if text := pdfText(t, body); !strings.Contains(text, "1 December 2026 – 31 December 2026") || !strings.Contains(text, "Page 1 of") {
		t.Errorf("the English PDF lacks its period or page numbers:\n%s", text)
	}
}

// pdfText is the text pdftotext (poppler-utils) reads from a PDF.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	cmd := exec.Command("pdftotext", "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestReportRolesAndInput(t *testing.T) {
	e := newEnv(t, at(8, 0))
	path := "/api/v1/reports?from=2026-12-01&to=2026-12-02"
	for user, want := range map[string]int{"kakanim": 200, "admin": 200, "petugas": 403, "kiosk": 403, "display": 403, "": 401} {
		if st, body, _ := e.get(user, path); st != want {
			t.Errorf("%q: %d %s, want %d", user, st, body, want)
		}
		if st, _, _ := e.get(user, "/api/v1/dashboard"); st != want {
			t.Errorf("dashboard as %q: %d, want %d", user, st, want)
		}
	}
	// a period without events still makes a report: zeros and "no data"
	st, body, _ := e.get("kakanim", "/api/v1/reports?from=2026-01-01&to=2026-01-31&format=pdf")
	if text := pdfText(t, body); st != 200 || !strings.Contains(text, "Tidak ada data.") || !strings.Contains(text, "1 Januari 2026 – 31 Januari 2026") {
		t.Errorf("an empty month's PDF: %d\n%s", st, text)
	}
	for _, q := range []string{"from=2026-12-05&to=2026-12-01", "from=kemarin&to=2026-12-01", "from=2026-12-01&to=2026-12-01&format=xls",
		"from=2026-12-01&to=2026-12-01&format=csv&table=nope"} {
		st, body, _ := e.get("kakanim", "/api/v1/reports?"+q)
		var out struct {
			Error struct{ Code, Message string }
		}
		json.Unmarshal(body, &out)
		if st != 400 || out.Error.Code != "invalid" || out.Error.Message == "" {
			t.Errorf("%s: %d %s, want 400 invalid with a message", q, st, body)
		}
	}
}

func TestMonthlyReportWritten(t *testing.T) {
	e := newEnv(t, at(7, 30))
	e.handWorked()
	e.h.Clock.Set(time.Date(2027, 1, 4, 8, 0, 0, 0, wib))
	dir := filepath.Join(e.h.Config.Data, "reports")
	// the worker runs at the start of serving and hourly; a restart is the start of serving
	e.h.Restart()
	var pdf []byte
	for i := 0; i < 200; i++ {
		if b, err := os.ReadFile(filepath.Join(dir, "2026-12.pdf")); err == nil {
			pdf = b
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if pdf == nil {
		t.Fatal("no monthly report 2026-12.pdf in the data directory")
	}
	if text := pdfText(t, pdf); !strings.Contains(text, "1 Desember 2026 – 31 Desember 2026") {
		t.Errorf("the monthly report's period is missing:\n%.400s", text)
	}
	// the head finds and downloads it through the API; other names are not found
	var list struct{ Files []string }
	if st := e.h.Do("GET", "/api/v1/reports/monthly", e.tokens["kakanim"], nil, &list); st != 200 || len(list.Files) != 2 || list.Files[0] != "2026-12.pdf" {
		t.Errorf("monthly list: %d %v, want 2026-12.pdf and .json", st, list.Files)
	}
	if st, body, hdr := e.get("kakanim", "/api/v1/reports/monthly/2026-12.pdf"); st != 200 || !bytes.Equal(body, pdf) || hdr.Get("Content-Type") != "application/pdf" {
		t.Errorf("monthly PDF: %d %s", st, hdr.Get("Content-Type"))
	}
	for _, name := range []string{"2026-11.pdf", "..%2Fantre.db", "2026-12.pdf.tmp"} {
		if st, _, _ := e.get("kakanim", "/api/v1/reports/monthly/"+name); st != 404 {
			t.Errorf("monthly %s: %d, want 404", name, st)
		}
	}
	if st, _, _ := e.get("petugas", "/api/v1/reports/monthly/2026-12.pdf"); st != 403 {
		t.Errorf("an officer downloads the monthly report: %d", st)
	}
	var doc jsonReport
	b, err := os.ReadFile(filepath.Join(dir, "2026-12.json"))
	if err != nil || json.Unmarshal(b, &doc) != nil || doc.Tickets.Issued != 6 {
		t.Errorf("2026-12.json: %v %+v", err, doc.Tickets)
	}
}
