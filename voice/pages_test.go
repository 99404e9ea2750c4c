package voice_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"antre"
	"antre/internal/browsertest"
)

// page drives one tab.
type page struct {
	t   *testing.T
	tab context.Context
}

func (p page) do(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	browsertest.Do(p.t, p.tab, 10*time.Second, steps...)
}

func (p page) wait(expr, show string) {
	p.t.Helper()
	browsertest.WaitJS(p.t, p.tab, 10*time.Second, expr, show)
}

func (p page) text(sel string) string {
	p.t.Helper()
	return browsertest.Eval[string](p.t, p.tab, 5*time.Second, fmt.Sprintf(`(document.querySelector(%q) || {}).textContent || ""`, sel))
}

func (p page) screenshot(name string) {
	dir := os.Getenv("ANTRE_SCREENSHOTS")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(p.tab, 10*time.Second)
	defer cancel()
	if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
		os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	}
}

// openFile serves a ticket of group A at counter 1 as an OSS officer and opens its passport
// application; it returns the application's number.
func (e *env) openFile() string {
	e.t.Helper()
	e.addUser("oss1", antre.RoleOSS)
	code := e.issue("A", nil).Code
	var called struct{ Code string }
	e.ok("oss1", "POST", "/api/v1/counters/1/next", nil, &called)
	if called.Code != code {
		e.t.Fatalf("called %s, want %s", called.Code, code)
	}
	var s struct{ Number string }
	e.ok("oss1", "POST", "/api/v1/applications", map[string]any{"ticket": code, "nik": "3171015708900001", "name": "Siti Rahmawati",
		"birth_date": "1990-08-17", "birth_place": "Jakarta", "phone": "0812-3456-7890"}, &s)
	return s.Number
}

// TestInfoKiosk drives the information kiosk in headless Chromium as an applicant does: a USB
// scanner types a ticket's code and Enter and the kiosk shows its state; then a receipt's
// application number (answered by the passport workflow's status service, nothing personal);
// then a complaint is sent from the kiosk and its number scanned back. The services show the
// workflow's fees and documents; the live queue shows who is served at each counter.
func TestInfoKiosk(t *testing.T) {
	e := newEnv(t)
	number := e.openFile()                              // A001, called at counter 1 by oss1
	waiting := e.issue("B", nil)                        // B001 waits
	e.issue("B", map[string]any{"category": "elderly"}) // B002, priority

	browser := browsertest.New(t, browsertest.Options{Width: 1920, Height: 1080})
	p := page{t: t, tab: browsertest.Tab(t, browser)}
	p.do(chromedp.Navigate(e.h.URL + "/info?token=" + e.tokens["display"]))
	p.wait(`document.getElementById("office").textContent !== ""`, `document.body.innerText`)
	if got := p.text(`[data-go="services"] .tile-title`); got != "Layanan & persyaratan" {
		t.Errorf("home tile %q: the words come from the catalogue", got)
	}
	p.screenshot("info-home")

	// the scanner types into the page, whatever has focus, and presses Enter
	p.do(chromedp.SendKeys(chromedp.CSS("#scan"), strings.ToLower(waiting.Code)+"\r"))
	p.wait(`!document.getElementById("screen-status").hidden && document.getElementById("status-code").textContent === "B001"`,
		`document.getElementById("screen-status").innerText`)
	if got := p.text("#status-text"); got != "Menunggu dipanggil: 0 antrean di depan, perkiraan 0 menit." {
		t.Errorf("B001's status %q", got) // the ordinary class has the first turn (N N P)
	}
	p.screenshot("info-status-ticket")
	p.do(chromedp.SendKeys(chromedp.CSS("#scan"), number+"\r"))
	p.wait(fmt.Sprintf(`document.getElementById("status-code").textContent === %q`, number), `document.getElementById("screen-status").innerText`)
	if got := p.text("#status-text"); !strings.Contains(got, "loket OSS") {
		t.Errorf("application's status %q", got)
	}
	if body := p.text("body"); strings.Contains(body, "Siti") || strings.Contains(body, "3171") || strings.Contains(body, "oss1") {
		t.Errorf("the kiosk shows personal data: %s", body)
	}
	p.do(chromedp.SendKeys(chromedp.CSS("#scan"), "XYZ\r"))
	p.wait(`!document.getElementById("status-error").hidden`, `document.getElementById("screen-status").innerText`)
	if got := p.text("#status-error"); !strings.HasPrefix(got, "Kode tidak dikenali") {
		t.Errorf("unknown code: %q", got)
	}

	// services: group A shows the workflow's fee and documents
	p.do(chromedp.Click(chromedp.CSS("#back")), chromedp.Click(chromedp.CSS(`[data-go="services"]`)), chromedp.Click(chromedp.CSS(`#services [data-group="A"]`)))
	p.wait(`document.getElementById("service-fee").textContent.includes("Rp350.000")`, `document.getElementById("screen-service").innerText`)
	if got := p.text("#service-requirements"); !strings.Contains(got, "Kartu Keluarga") || !strings.Contains(got, "Akta kelahiran / Ijazah / Buku nikah") {
		t.Errorf("requirements %q", got)
	}
	p.screenshot("info-service")

	// the live queue over the display token's stream
	p.do(chromedp.Click(chromedp.CSS("#back")), chromedp.Click(chromedp.CSS("#back")), chromedp.Click(chromedp.CSS(`[data-go="queue"]`)))
	p.wait(`(document.querySelector('#counters [data-counter="1"] strong') || {}).textContent === "A001"`, `document.getElementById("screen-queue").innerText`)
	if got := p.text(`#groups [data-group="B"]`); !strings.Contains(got, "2") {
		t.Errorf("group B row %q", got)
	}
	e.ok("petugas", "POST", "/api/v1/counters/2/next", nil, nil) // B001 is called at counter 2, live
	p.wait(`(document.querySelector('#counters [data-counter="2"] strong') || {}).textContent === "B001"`, `document.getElementById("counters").innerText`)
	p.screenshot("info-queue")

	// a complaint from the kiosk, then its number scanned back
	p.do(chromedp.Click(chromedp.CSS("#back")), chromedp.Click(chromedp.CSS(`[data-go="complaint"]`)),
		chromedp.Click(chromedp.CSS(`#categories [data-category="broker"]`)),
		chromedp.SendKeys(chromedp.CSS("#complaint-text"), "Ada orang menawarkan nomor antrean di parkiran."),
		chromedp.Click(chromedp.CSS(`#complaint-form button[type="submit"]`)))
	p.wait(`!document.getElementById("complaint-done").hidden`, `document.getElementById("screen-complaint").innerText`)
	complaint := p.text("#complaint-number")
	if !strings.HasPrefix(complaint, "ADU-") {
		t.Fatalf("complaint number %q", complaint)
	}
	p.screenshot("info-complaint")
	p.do(chromedp.SendKeys(chromedp.CSS("#scan"), complaint+"\r"))
	p.wait(fmt.Sprintf(`document.getElementById("status-code").textContent === %q`, complaint), `document.getElementById("screen-status").innerText`)
	if got := p.text("#status-text"); got != "Pengaduan diterima (Calo)." {
		t.Errorf("complaint status %q", got)
	}
	p.do(chromedp.Click(chromedp.CSS("#lang")))
	p.wait(`document.getElementById("lang").textContent === "Bahasa Indonesia"`, `document.getElementById("lang").textContent`)
}

// TestInfoAPI: the kiosk's texts come from the catalogue until an admin edits them (both
// languages, checked, one event); the status check also reads QR addresses, and refuses
// unknown codes in Indonesian (English with ?lang=en).
func TestInfoAPI(t *testing.T) {
	e := newEnv(t)
	var info struct {
		Services []struct {
			Group        string
			Kinds        []string
			About        struct{ ID, EN string }
			Requirements []struct{ ID string }
			Fee          struct{ ID string }
			Edited       bool
		}
		Flow        []struct{ ID string }
		IdleSeconds int `json:"idle_seconds"`
	}
	e.ok("", "GET", "/api/v1/info", nil, &info)
	if len(info.Services) != 6 || info.Services[2].Group != "C" || strings.Join(info.Services[2].Kinds, ",") != "lost,damaged" ||
		len(info.Services[4].Kinds) != 0 || len(info.Services[4].Requirements) != 2 || len(info.Flow) != 7 || info.IdleSeconds != 60 {
		t.Fatalf("default info %+v", info)
	}
	edit := map[string]any{"services": []map[string]any{{"group": "e", "about": map[string]string{"id": "Pengambilan paspor di loket 4."},
		"fee": map[string]string{"id": "Gratis", "en": "Free"}}}, "flow": []map[string]string{{"id": "Ambil nomor."}, {"id": "Dilayani."}}}
	e.refused("petugas", "PUT", "/api/v1/info", edit, 403, "forbidden")
	e.refused("admin", "PUT", "/api/v1/info", map[string]any{"services": []map[string]any{{"group": "Z"}}}, 400, "invalid")
	e.refused("admin", "PUT", "/api/v1/info", map[string]any{"services": []map[string]any{{"group": "A", "about": map[string]string{"en": "x"}}}}, 400, "invalid")
	e.ok("admin", "PUT", "/api/v1/info", edit, &info)
	if s := info.Services[4]; !s.Edited || s.About.ID != "Pengambilan paspor di loket 4." || s.About.EN != s.About.ID || s.Fee.ID != "Gratis" ||
		len(s.Requirements) != 2 || len(info.Flow) != 2 {
		t.Errorf("edited %+v flow %v", s, info.Flow)
	}
	if ev := e.events("info.changed"); len(ev) != 1 || ev[0].Actor != "kepala" {
		t.Errorf("events %+v", ev)
	}

	tk := e.issue("A", nil)
	var a struct{ Kind, Code, Status, Text string }
	e.ok("", "GET", "/api/v1/info/status?code="+e.h.URL+"/status/"+tk.Code+"%3Fk%3D"+tk.Token, nil, &a)
	if a.Kind != "ticket" || a.Code != tk.Code || a.Status != "waiting" {
		t.Errorf("a scanned QR address: %+v", a)
	}
	if msg := e.refused("", "GET", "/api/v1/info/status?code=2026000001", nil, 404, "not_found"); !strings.Contains(msg, "tidak ditemukan") {
		t.Errorf("unknown application: %q", msg) // the workflow's own answer
	}
	if msg := e.refused("", "GET", "/api/v1/info/status?code=Q?&lang=en", nil, 400, "invalid"); !strings.HasPrefix(msg, "Code not recognised") {
		t.Errorf("unknown code in English: %q", msg)
	}
	e.refused("", "GET", "/api/v1/info/status?code=Z999", nil, 404, "not_found")
}

// TestTransparencyPage: the public page lists today's calls in order with the rule that chose
// each; an officer's specific call shows its category and never the officer's note; the
// dispensations are counted by category; the last month's index is shown.
func TestTransparencyPage(t *testing.T) {
	e := newEnv(t)
	a := e.issue("A", nil)
	b := e.issue("A", nil)
	e.issue("A", map[string]any{"category": "elderly"})
	note := "Pemohon sakit, dokumen susulan dari kantor camat"
	e.ok("petugas", "POST", "/api/v1/tickets/"+b.Code+"/call", map[string]any{"counter": 1, "reason": note}, nil)
	e.ok("petugas", "POST", "/api/v1/counters/2/next", nil, nil) // a: the ordinary class's turn (ratio_normal)

	var tr struct {
		Calls []struct {
			Ticket, Reason, Kind string
			Counter              int
		}
		Specific      int
		Dispensations []struct {
			Category string
			Count    int
		}
		LastMonth struct {
			From, To  string
			Responses int
		} `json:"index_last_month"`
	}
	e.ok("", "GET", "/api/v1/transparency", nil, &tr)
	if len(tr.Calls) != 2 || tr.Calls[0].Ticket != b.Code || tr.Calls[0].Reason != "specific" || tr.Calls[0].Kind != "specific" ||
		tr.Calls[1].Ticket != a.Code || tr.Calls[1].Reason != "ratio_normal" || tr.Calls[1].Counter != 2 || tr.Specific != 1 {
		t.Errorf("calls %+v", tr.Calls)
	}
	if tr.Dispensations[0].Category != "elderly" || tr.Dispensations[0].Count != 1 || tr.LastMonth.From != "2026-10-01" || tr.LastMonth.To != "2026-10-31" {
		t.Errorf("dispensations %+v, last month %+v", tr.Dispensations, tr.LastMonth)
	}

	browser := browsertest.New(t, browsertest.Options{Width: 1080, Height: 1920})
	p := page{t: t, tab: browsertest.Tab(t, browser)}
	p.do(chromedp.Navigate(e.h.URL + "/transparansi"))
	p.wait(fmt.Sprintf(`!!document.querySelector('#calls tr[data-ticket="%s"]')`, b.Code), `document.body.innerText`)
	if got := p.text(fmt.Sprintf(`#calls tr[data-ticket="%s"] .reason`, b.Code)); got != "Panggilan khusus oleh petugas (alasan tercatat)" {
		t.Errorf("the specific call's reason shows %q", got)
	}
	if got := p.text(`#dispensations [data-category="elderly"] strong`); got != "1" {
		t.Errorf("elderly count %q", got)
	}
	p.wait(`!document.getElementById("takes-box").hidden`, `document.body.innerText`) // the workflow's public view is there
	body := browsertest.Eval[string](t, p.tab, 5*time.Second, `document.body.innerText`)
	if strings.Contains(body, "susulan") || strings.Contains(body, "camat") {
		t.Errorf("the page shows the officer's note: %s", body)
	}
	if !strings.Contains(body, "Belum ada responden") {
		t.Errorf("last month's index: %s", body)
	}
	p.screenshot("transparansi")
}

// TestSurveyPages: a counter's feedback tablet waits until a ticket is finished at its counter,
// then shows that ticket's survey; the applicant answers every element and the response is
// recorded, once; the same ticket's QR link on a phone then says it was answered.
func TestSurveyPages(t *testing.T) {
	e := newEnv(t)
	tablet := e.addDevice("feedback-1", antre.RoleFeedback, `{"counter": 1}`)
	e.issue("A", nil)
	tk := e.issue("A", nil)
	browser := browsertest.New(t, browsertest.Options{Width: 1280, Height: 800})
	p := page{t: t, tab: browsertest.Tab(t, browser)}
	p.do(chromedp.Navigate(e.h.URL + "/feedback?token=" + tablet))
	p.wait(`!document.getElementById("waiting").hidden`, `document.body.innerText`)
	e.serve("petugas", 2) // a finish at another counter: the tablet keeps waiting
	e.serve("petugas", 1)
	p.wait(`!document.getElementById("form").hidden`, `document.body.innerText`)
	if got := p.text("#ticket"); got != tk.Code {
		t.Fatalf("tablet shows %q", got)
	}
	p.do(chromedp.Click(chromedp.CSS("#submit")))
	p.wait(`!document.getElementById("form-error").hidden`, `document.getElementById("form-error").textContent`)
	if got := p.text("#form-error"); got != "Mohon jawab pertanyaan nomor 1." {
		t.Errorf("unanswered: %q", got)
	}
	for i := 1; i <= 9; i++ {
		p.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`li[data-element="%d"] button[data-value="%d"]`, i, 3+i%2))))
	}
	p.screenshot("feedback-form")
	p.do(chromedp.SetValue(chromedp.CSS(`#profile select[name="sex"]`), "m"), chromedp.Click(chromedp.CSS("#submit")))
	p.wait(`!document.getElementById("done").hidden`, `document.body.innerText`)
	p.screenshot("feedback-done")
	var r ikm
	e.ok("admin", "GET", "/api/v1/ikm", nil, &r)
	if r.Responses != 1 || r.Profile["sex"]["m"] != 1 {
		t.Errorf("after the tablet: %+v", r)
	}
	// the phone page of a ticket answered on the tablet
	p.do(chromedp.Navigate(e.h.URL + "/survei/" + tk.Code + "?k=" + tk.Token))
	p.wait(`!document.getElementById("message").hidden`, `document.body.innerText`)
	if got := p.text("#message-text"); got != "Survei untuk nomor antrean ini sudah diisi. Terima kasih." {
		t.Errorf("phone page of an answered ticket: %q", got)
	}
}
