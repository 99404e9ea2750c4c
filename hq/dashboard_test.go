package hq_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"antre/hq"
	"antre/hq/hqtest"
	"antre/internal/browsertest"
	"antre/server/servertest"
)

// TestDashboard: headquarters' dashboard in headless Chromium shows an office's new ticket
// live, filters by region and sorts; the office's page shows its groups' figures.
func TestDashboard(t *testing.T) {
	h := hqtest.StartHQ(t)
	creds := h.Office("KANIM-MKS", "Kantor Imigrasi Makassar", "Sulawesi Selatan")
	h.Office("KANIM-DPS", "Kantor Imigrasi Denpasar", "Bali")
	hub := servertest.New(t, hqtest.Linked("KANIM-MKS", creds, h.NATSURL()))
	hqtest.Eventually(t, 15*time.Second, "the office's day at headquarters", func() bool {
		s, _, _ := h.View("KANIM-MKS")
		return s.Date != ""
	})
	browser := browsertest.New(t, browsertest.Options{Width: 1366, Height: 900})
	tab := browsertest.Tab(t, browser)
	browsertest.Do(t, tab, 20*time.Second, chromedp.Navigate(h.URL+"/?lang=en"))
	cell := func(code, col string) string {
		return `(document.querySelector('tr[data-code="` + code + `"] td.` + col + `') || {}).textContent`
	}
	browsertest.WaitJS(t, tab, 10*time.Second, cell("KANIM-MKS", "issued")+` === "0"`, `document.body.innerText`)
	hub.Issue("A")
	browsertest.WaitJS(t, tab, 10*time.Second, cell("KANIM-MKS", "issued")+` === "1" && `+cell("KANIM-MKS", "waiting")+` === "1"`, cell("KANIM-MKS", "issued"))
	if got := browsertest.Eval[string](t, tab, 5*time.Second, cell("KANIM-MKS", "link")); !strings.Contains(got, "Online") {
		t.Fatalf("link cell %q", got)
	}
	// Filter by region, then sort by issued, most first.
	region := func(r string) {
		browsertest.Eval[bool](t, tab, 5*time.Second, `(() => { const s = document.getElementById('region'); s.value = '`+r+`'; s.dispatchEvent(new Event('change')); return true })()`)
	}
	region("Bali")
	browsertest.WaitJS(t, tab, 5*time.Second, `[...document.querySelectorAll('#rows tr')].map(r => r.dataset.code).join() === "KANIM-DPS"`,
		`[...document.querySelectorAll('#rows tr')].map(r => r.dataset.code).join()`)
	region("")
	browsertest.Eval[bool](t, tab, 5*time.Second, `(() => { document.querySelector('th[data-sort="issued_today"]').click(); return true })()`)
	browsertest.WaitJS(t, tab, 5*time.Second, `[...document.querySelectorAll('#rows tr')].map(r => r.dataset.code).join() === "KANIM-MKS,KANIM-DPS"`,
		`[...document.querySelectorAll('#rows tr')].map(r => r.dataset.code).join()`)
	// The office's page: its groups as the office counts them.
	browsertest.Do(t, tab, 20*time.Second, chromedp.Navigate(h.URL+"/offices/KANIM-MKS?lang=en"))
	browsertest.WaitJS(t, tab, 10*time.Second, `(document.querySelector('#groups tr[data-group="A"] td.used') || {}).textContent === "1"`, `document.body.innerText`)
	hub.Issue("A")
	browsertest.WaitJS(t, tab, 10*time.Second, `(document.querySelector('#groups tr[data-group="A"] td.used') || {}).textContent === "2"`, `document.body.innerText`)
}

// TestReport: the national report of a day, a month and a year, in JSON, CSV and PDF, counts
// what the offices counted.
func TestReport(t *testing.T) {
	h := hqtest.StartHQ(t)
	creds := h.Office("KANIM-PDG", "Kantor Imigrasi Padang", "Sumatera Barat")
	hub := servertest.New(t, hqtest.Linked("KANIM-PDG", creds, h.NATSURL()))
	for range 4 {
		hub.Issue("A")
	}
	hub.Do("POST", "/api/v1/counters/1/next", hub.Officer, nil, nil)
	hub.Do("POST", "/api/v1/counters/1/next", hub.Officer, nil, nil)
	caughtUp(t, h, hub, "KANIM-PDG", 15*time.Second)
	today := hub.DB().Today()
	for _, c := range []struct{ period, date string }{{"day", today}, {"month", today[:7]}, {"year", today[:4]}} {
		var rep hq.Report
		hqtest.Eventually(t, 10*time.Second, "the report of "+c.period, func() bool {
			getJSON(t, h.URL+"/api/v1/report?period="+c.period+"&date="+c.date, &rep)
			return rep.Total.Issued == 4
		})
		if len(rep.Rows) != 1 || rep.Rows[0].Code != "KANIM-PDG" || rep.Rows[0].Served != 1 || rep.Rows[0].Days != 1 || rep.Total.Called != 2 {
			t.Fatalf("%s report: %+v", c.period, rep)
		}
	}
	resp, err := http.Get(h.URL + "/api/v1/report?period=day&date=" + today + "&format=csv&lang=en")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(resp.Body).ReadAll()
	resp.Body.Close()
	if err != nil || len(recs) != 3 || recs[0][0] != "Office" || recs[1][0] != "KANIM-PDG" || recs[1][4] != "4" || recs[2][4] != "4" {
		t.Fatalf("csv %q %v", recs, err)
	}
	resp, err = http.Get(h.URL + "/api/v1/report?period=month&date=" + today[:7] + "&format=pdf")
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("not a PDF: %.20q", pdf)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		cmd := exec.Command("pdftotext", "-", "-")
		cmd.Stdin = bytes.NewReader(pdf)
		out, err := cmd.Output()
		if err != nil || !strings.Contains(string(out), "KANIM-PDG") || !strings.Contains(string(out), "Laporan Antrean Paspor Nasional") {
			t.Fatalf("PDF text %q %v", out, err)
		}
	}
	if st := getJSON(t, h.URL+"/api/v1/report?period=week&date=x", nil); st != 400 {
		t.Fatalf("bad period: %d", st)
	}
}
