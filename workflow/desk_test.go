package workflow_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

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

// inList is a JavaScript test that the worklist list id shows number.
func inList(list, number string) string {
	return fmt.Sprintf(`!!document.querySelector('#%s li[data-number="%s"]')`, list, number)
}

// TestDeskConsole drives the stage console in headless Chromium: the biometric officer logs in,
// sees the stage's worklist, sees a file arrive live over the stream, takes the next file (its
// applicant shown), records the captures and passes it on, then opens another file by scanning
// its receipt (the number and Enter), which is recorded as a view. The applicant's status page
// shows the stage in plain words.
func TestDeskConsole(t *testing.T) {
	e := newEnv(t)
	first := e.open("oss1", "A", 1)
	e.complete("oss1", first.Number, "intake", "pass", "", map[string]any{"documents": newDocs})
	second := e.open("oss1", "A", 1)

	browser := browsertest.New(t, browsertest.Options{Width: 1366, Height: 900})
	p := page{t: t, tab: browsertest.Tab(t, browser)}
	p.do(chromedp.Navigate(e.h.URL + "/desk"))
	p.wait(`!document.getElementById("login").hidden`, `document.body.innerText`)
	if got := p.text("#login-submit"); got != "Masuk" {
		t.Errorf("log-in button %q: the words come from the catalogue", got)
	}
	p.do(chromedp.SendKeys(chromedp.CSS("#login-name"), "bio1"), chromedp.SendKeys(chromedp.CSS("#login-password"), "salah"),
		chromedp.Click(chromedp.CSS("#login-submit")))
	p.wait(`!document.getElementById("login-error").hidden`, `document.getElementById("login-error").textContent`)
	p.do(chromedp.SetValue(chromedp.CSS("#login-password"), "rahasia-bio1"), chromedp.Click(chromedp.CSS("#login-submit")))
	p.wait(`!document.getElementById("console").hidden`, `document.body.innerText`)
	p.wait(inList("worklist-waiting", first.Number), `document.getElementById("worklist-waiting").innerText`)
	p.wait(`document.getElementById("conn").dataset.state === "open"`, `document.getElementById("conn").dataset.state`)
	if got := p.text("#stage-name"); got != "foto, sidik jari dan tanda tangan" {
		t.Errorf("stage %q", got)
	}

	// a file passes intake elsewhere: it appears here at once, behind the first
	e.complete("oss1", second.Number, "intake", "pass", "", map[string]any{"documents": newDocs})
	p.wait(inList("worklist-waiting", second.Number), `document.getElementById("worklist-waiting").innerText`)
	order := browsertest.Eval[string](t, p.tab, 5*time.Second, `Array.from(document.querySelectorAll("#worklist-waiting li")).map(l => l.dataset.number).join(",")`)
	if order != first.Number+","+second.Number {
		t.Errorf("worklist order %s", order)
	}
	p.screenshot("desk-worklist")

	p.do(chromedp.Click(chromedp.CSS("#btn-next")))
	p.wait(fmt.Sprintf(`document.getElementById("file-number").textContent === %q`, first.Number), `document.getElementById("file-number").textContent`)
	p.wait(inList("worklist-taken", first.Number), `document.getElementById("worklist-taken").innerText`)
	if facts := p.text("#file-facts"); !has(facts, "Siti Rahmawati") || !has(facts, "Jakarta") {
		t.Errorf("the biometric officer sees %q", facts)
	}
	p.screenshot("desk-file")
	p.do(chromedp.Click(chromedp.CSS("#btn-pass")))
	p.wait(`document.getElementById("toast").classList.contains("error")`, `document.getElementById("toast").textContent`)
	if msg := p.text("#toast"); !has(msg, "sidik jari") {
		t.Errorf("pass without captures: %q", msg)
	}
	p.do(chromedp.Click(chromedp.CSS("#btn-all-captures")), chromedp.Click(chromedp.CSS("#btn-pass")))
	p.wait(`document.getElementById("file").hidden`, `document.getElementById("toast").textContent`)
	p.wait(fmt.Sprintf(`!(%s) && !(%s)`, inList("worklist-taken", first.Number), inList("worklist-waiting", first.Number)), `document.body.innerText`)
	if s := e.fileStatus(first.Number); s.Stage != "adjudication" {
		t.Errorf("after the console's pass: %+v", s)
	}

	// the scanner types the receipt's number and Enter
	p.do(chromedp.Focus(chromedp.CSS("#scan")), chromedp.SendKeys(chromedp.CSS("#scan"), second.Number+"\r"))
	p.wait(fmt.Sprintf(`!document.getElementById("file").hidden && document.getElementById("file-number").textContent === %q`, second.Number),
		`document.getElementById("file-number").textContent`)
	var views struct {
		Views []struct{ Viewer, Purpose string } `json:"views"`
	}
	e.ok("kakanim", "GET", "/api/v1/applications/"+second.Number+"/views", nil, &views)
	if len(views.Views) == 0 || views.Views[0].Viewer != "bio1" || views.Views[0].Purpose != "scan" {
		t.Errorf("the scan's view: %+v", views.Views)
	}
	p.do(chromedp.Click(chromedp.CSS("#lang-toggle")))
	p.wait(`document.getElementById("btn-next").textContent === "Take Next File"`, `document.getElementById("btn-next").textContent`)

	// the applicant's page, from the receipt's QR code
	p.do(chromedp.Navigate(e.h.URL + "/application/" + first.Number + "?lang=id"))
	p.wait(`!document.getElementById("result").hidden`, `document.body.innerText`)
	if got := p.text("#res-text"); got != "Menunggu giliran di tahap pemeriksaan (adjudikasi)." {
		t.Errorf("status page says %q", got)
	}
	if body := p.text("body"); has(body, "Siti") || has(body, "bio1") {
		t.Errorf("the status page shows personal data: %s", body)
	}
	p.do(chromedp.SendKeys(chromedp.CSS("#number"), "2026009999\r"))
	p.wait(`!document.getElementById("error").hidden`, `document.body.innerText`)
	if got := p.text("#error"); !has(got, "tidak ditemukan") {
		t.Errorf("unknown number: %q", got)
	}
	p.screenshot("application")

	// the pickup counter: the receipt scanned opens the ready file and takes it; the face check
	// and the hand-over
	ready := e.open("oss2", "A", 2)
	e.ok("cetak1", "POST", "/api/v1/blanks", map[string]any{"first": "D1000001", "count": 1}, nil)
	e.complete("oss2", ready.Number, "intake", "pass", "", map[string]any{"documents": newDocs})
	for _, s := range []struct {
		user, stage string
		details     map[string]any
	}{{"bio1", "biometrics", map[string]any{"captures": allCaptures}}, {"adj1", "adjudication", nil},
		{"kasir1", "payment", map[string]any{"receipt": "NTPN55"}},
		{"cetak1", "printing", map[string]any{"qa": allQA}}, {"sah1", "approval", nil}} {
		e.ok(s.user, "POST", "/api/v1/stages/"+s.stage+"/take", map[string]any{"number": ready.Number, "reason": "uji konsol", "category": "other"}, nil)
		e.complete(s.user, ready.Number, s.stage, "pass", "", s.details)
	}
	p.do(chromedp.Navigate(e.h.URL + "/desk"))
	p.wait(`!document.getElementById("console").hidden`, `document.body.innerText`)
	p.do(chromedp.Click(chromedp.CSS("#logout")))
	p.wait(`!document.getElementById("login").hidden`, `document.body.innerText`)
	p.do(chromedp.SendKeys(chromedp.CSS("#login-name"), "ambil1"), chromedp.SendKeys(chromedp.CSS("#login-password"), "rahasia-ambil1"),
		chromedp.Click(chromedp.CSS("#login-submit")))
	p.wait(inList("worklist-waiting", ready.Number), `document.body.innerText`)
	p.do(chromedp.Focus(chromedp.CSS("#scan")), chromedp.SendKeys(chromedp.CSS("#scan"), ready.Number+"\r"))
	p.wait(fmt.Sprintf(`document.getElementById("file-number").textContent === %q && %s`, ready.Number, inList("worklist-taken", ready.Number)),
		`document.body.innerText`)
	p.do(chromedp.Click(chromedp.CSS(`#stage-form input[name="face_check"]`)), chromedp.Click(chromedp.CSS("#btn-pass")))
	p.wait(`document.getElementById("file").hidden`, `document.getElementById("toast").textContent`)
	if s := e.fileStatus(ready.Number); s.Status != "picked_up" {
		t.Errorf("after the pickup counter's hand-over: %+v", s)
	}
}
