package report_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"antre/internal/browsertest"
)

// TestDashboardLive drives the head's dashboard in headless Chromium: the head logs in on the
// page, sees the hand-worked day's figures (as the reports count them), and a ticket issued
// through the API then shows on the page without a reload (the stream, then the refetch).
func TestDashboardLive(t *testing.T) {
	e := newEnv(t, at(7, 30))
	e.handWorked()
	e.h.Clock.Set(at(11, 20))
	browser := browsertest.New(t, browsertest.Options{Width: 1600, Height: 1500})
	tab := browsertest.Tab(t, browser)
	wait := func(expr, show string) { t.Helper(); browsertest.WaitJS(t, tab, 10*time.Second, expr, show) }
	text := func(sel string) string {
		t.Helper()
		return browsertest.Eval[string](t, tab, 5*time.Second, `(document.querySelector(`+"`"+sel+"`"+`) || {}).textContent || ""`)
	}
	browsertest.Do(t, tab, 10*time.Second, chromedp.Navigate(e.h.URL+"/dashboard"))
	wait(`!document.getElementById('login').hidden`, `document.body.innerText`)
	browsertest.Do(t, tab, 10*time.Second,
		chromedp.SendKeys(chromedp.CSS("#login-name"), "kakanim"),
		chromedp.SendKeys(chromedp.CSS("#login-password"), "rahasia-kakanim"),
		chromedp.Click(chromedp.CSS(`#login-form button[type=submit]`)))
	wait(`document.getElementById('t-issued').textContent === '6'`, `document.getElementById('main').innerText`)
	for sel, want := range map[string]string{"#t-served": "4", "#t-noshow": "1", "#t-cancelled": "1", "#t-waiting": "0"} {
		if got := text(sel); got != want {
			t.Errorf("%s shows %q, want %q", sel, got, want)
		}
	}
	// Group A: wait median 1200 s (600, 1260, 1740, 3600 → rank 2 is 1260 s = 21 min).
	if got := text(`#groups tr[data-group="A"] td:nth-child(4)`); got != "21 mnt" {
		t.Errorf("group A's wait median shows %q, want \"21 mnt\"", got)
	}
	wait(`document.querySelectorAll('#chart rect.arr[data-hour="8"][data-n="6"]').length === 1`, `document.getElementById('chart').outerHTML`)
	wait(`document.getElementById('conn').dataset.state === 'open'`, `document.getElementById('conn').dataset.state`)

	// A ticket issued through the API shows: waiting now 1, issued 7, quota used.
	e.issue(at(11, 21), "A", "A006")
	wait(`document.getElementById('t-issued').textContent === '7' && document.getElementById('t-waiting').textContent === '1'`,
		`document.getElementById('main').innerText`)
	if got := text(`#groups tr[data-group="A"] td.waiting`); got != "1" {
		t.Errorf("group A waiting shows %q, want 1", got)
	}
	// A006 was issued at 11:21 and the hub's clock stands there: it waits 0 to 1 minutes.
	e.h.Clock.Set(at(11, 51))
	e.issue(at(11, 51), "B", "B002")
	wait(`document.getElementById('t-longest').textContent.startsWith('30')`, `document.getElementById('t-longest').textContent`)
	if !browsertest.Eval[bool](t, tab, 5*time.Second, `document.getElementById('login').hidden`) {
		t.Error("the log-in form still shows after logging in")
	}
	// Every counter is listed, busy or idle, with its day: counter 1 served A001 and A003.
	if got := text(`#counters tr[data-counter="1"]`); !strings.Contains(got, "Kosong") || !strings.Contains(got, "2") {
		t.Errorf("counter 1 shows %q, want idle with 2 served", got)
	}
	if got := text(`#counters tr[data-counter="4"]`); !strings.Contains(got, "Loket 4") || !strings.Contains(got, "Kosong") {
		t.Errorf("counter 4 (no ticket today) shows %q, want it listed idle", got)
	}
	e.next(at(11, 51), "ani", 1, "A006")
	wait(`(document.querySelector('#counters tr[data-counter="1"]') || {}).textContent.includes('Sibuk · A006')`,
		`document.getElementById('counters').textContent`)
	// A kiosk's printer runs out of paper: the device alert shows.
	e.do(at(11, 52), "kiosk", "POST", "/api/v1/alerts", map[string]any{"kind": "paper_out", "message": "kertas habis", "active": true}, 204)
	wait(`document.getElementById('alerts').textContent.includes('kiosk-1: kertas habis')`, `document.getElementById('alerts').textContent`)
	// Every text reaches WCAG AA's 4.5:1 on its background.
	n := 0
	for _, x := range browsertest.Texts(t, tab) {
		n++
		if x.Unknown || x.Ratio() < 4.5 {
			t.Errorf("contrast: %s", x)
		}
	}
	if n < 50 {
		t.Errorf("only %d texts checked for contrast", n)
	}
	// English on request.
	browsertest.Do(t, tab, 5*time.Second, chromedp.Click(chromedp.CSS("#lang-toggle")))
	wait(`document.body.innerText.includes('Waiting now')`, `document.body.innerText`)
	if dir := os.Getenv("ANTRE_SCREENSHOTS"); dir != "" {
		ctx, cancel := context.WithTimeout(tab, 10*time.Second)
		defer cancel()
		if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
			os.WriteFile(filepath.Join(dir, "dashboard.png"), png, 0o644)
		}
	}
}
