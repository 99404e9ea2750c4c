package backoffice_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"antre"
	"antre/internal/browsertest"
	"antre/kiosk"
	"antre/printers"
	"antre/printers/printertest"
)

// TestConsole drives the admin console in headless Chromium as an office admin does: log in;
// change group A's walk-in and priority quota for today to 0 and see the ticket kiosk's button
// for A grey out (the kiosk page of a real kiosk runtime) and the hub refuse a walk-in A ticket; type an invalid quota and see the API's
// own message next to that group's fields, with nothing changed; add a display and pair it by
// opening its pairing address (the QR code's) in a browser, whose display page then streams
// with the token and keeps it; read the changes with before → after in the audit section; and
// switch the console to English.
func TestConsole(t *testing.T) {
	e := newEnv(t)
	browser := browsertest.New(t, browsertest.Options{Width: 1400, Height: 1000})
	tab := browsertest.Tab(t, browser)
	do := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		browsertest.Do(t, tab, 15*time.Second, steps...)
	}
	wait := func(expr, show string) {
		t.Helper()
		browsertest.WaitJS(t, tab, 15*time.Second, expr, show)
	}
	// settle waits until the console has redrawn after its changes
	settle := func() {
		t.Helper()
		browsertest.WaitJS(t, tab, 15*time.Second, `document.body.dataset.busy === '0'`, `document.body.dataset.busy`)
	}
	text := func(sel string) string {
		t.Helper()
		return browsertest.Eval[string](t, tab, 5*time.Second, fmt.Sprintf(`(document.querySelector(%q) || {}).textContent || ""`, sel))
	}

	// an officer's log-in is not enough
	do(chromedp.Navigate(e.URL + "/admin"))
	wait(`!document.getElementById('login').hidden`, `document.body.innerHTML.length`)
	do(chromedp.SendKeys(`#login input[name=name]`, "petugas"), chromedp.SendKeys(`#login input[name=password]`, "rahasia1"),
		chromedp.Click(`#login button[type=submit]`))
	wait(`document.querySelector('[data-err="login"]').textContent.includes('petugas')`, `document.querySelector('[data-err="login"]').textContent`)
	if !browsertest.Eval[bool](t, tab, 5*time.Second, `document.getElementById('main').hidden`) {
		t.Fatal("the console opened for an officer")
	}
	do(chromedp.SetValue(`#login input[name=name]`, "kepala"), chromedp.SetValue(`#login input[name=password]`, "rahasia2"),
		chromedp.Click(`#login button[type=submit]`))
	wait(`document.body.dataset.ready === '1'`, `document.body.innerText.slice(0, 300)`)

	// the ticket kiosk's page, served by a real kiosk runtime with a (test) network printer
	ktab := browsertest.Tab(t, browser)
	kioskURL := startKiosk(t, e.URL, e.Kiosk)
	groupA := `(() => { const b = document.querySelector('button.group[data-group="A"]'); return b ? (b.disabled && b.classList.contains('exhausted') ? 'grey' : 'open') : 'none'; })()`
	browsertest.Do(t, ktab, 15*time.Second, chromedp.Navigate(kioskURL+"/"))
	browsertest.WaitJS(t, ktab, 15*time.Second, groupA+` === 'open'`, groupA)

	// today's quota: A's walk-in and priority pools to 0 (what a kiosk issues from); the kiosk's
	// button for A greys out
	do(chromedp.SetValue(`input[name="quota-A-walkin"]`, "0"), chromedp.SetValue(`input[name="quota-A-priority"]`, "0"),
		chromedp.Click(`[data-save="quota-A"]`))
	settle()
	wait(`!!document.querySelector('#audit-table tr[data-action="quota.changed"][data-subject="A"]')`, `document.querySelector('#audit').innerText`)
	browsertest.WaitJS(t, ktab, 5*time.Second, groupA+` === 'grey'`, groupA)
	var q struct{ Groups []antre.GroupQuota }
	e.Do("GET", "/api/v1/quota", e.Kiosk, nil, &q)
	if q.Groups[0].Group != "A" || q.Groups[0].Quota.WalkIn != 0 || q.Groups[0].Remaining.WalkIn != 0 || q.Groups[0].Remaining.Priority != 0 {
		t.Fatalf("the kiosk sees A as %+v", q.Groups[0])
	}
	var refused apiError
	if st := e.Do("POST", "/api/v1/tickets", e.Kiosk, map[string]any{"group": "A"}, &refused); st != http.StatusConflict || refused.Error.Code != antre.EQUOTAEXHAUSTED {
		t.Errorf("walk-in A after the quota went to 0: %d %+v", st, refused)
	}
	if got := text(`td[data-remaining="A"]`); !strings.HasPrefix(got, "0 / ") {
		t.Errorf("remaining shown for A: %q", got)
	}
	row := text(`#audit-table tr[data-action="quota.changed"][data-subject="A"]`)
	def := antre.SplitQuota(60, 20, 10)
	if !strings.Contains(row, "kepala") || !strings.Contains(row, fmt.Sprintf(`"walkin":%d`, def.WalkIn)) || !strings.Contains(row, `→ {"online":`) || !strings.Contains(row, `"walkin":0`) {
		t.Errorf("audit row %q: want kepala, walk-in %d → 0", row, def.WalkIn)
	}

	// an invalid quota: the API's message next to group B's fields, nothing changed
	do(chromedp.SetValue(`input[name="quota-B-walkin"]`, "-4"), chromedp.Click(`[data-save="quota-B"]`))
	settle()
	wait(`document.querySelector('[data-err="quota-B"]').textContent !== ''`, ``)
	var apiMsg apiError
	e.Do("PUT", "/api/v1/groups/B/quota", e.Admin, antre.Quota{WalkIn: -4}, &apiMsg)
	if got := text(`[data-err="quota-B"]`); got != apiMsg.Error.Message || got == "" {
		t.Errorf("message by B's field %q, the API says %q", got, apiMsg.Error.Message)
	}
	if !browsertest.Eval[bool](t, tab, 5*time.Second, `document.querySelector('input[name="quota-B-walkin"]').classList.contains('bad')`) {
		t.Error("B's field is not marked")
	}
	e.Do("GET", "/api/v1/quota", e.Kiosk, nil, &q)
	if q.Groups[1].Quota != def {
		t.Errorf("B's quota changed by a refused value: %+v", q.Groups[1].Quota)
	}

	// group C's standing quota, from the next working day
	do(chromedp.SetValue(`input[name="default-C-walkin"]`, "50"), chromedp.Click(`[data-save="default-C"]`))
	settle()
	wait(`!!document.querySelector('#audit-table tr[data-action="group.changed"][data-subject="C"]') && document.querySelector('input[name="default-C-walkin"]').value === '50'`, `document.querySelector('#audit').innerText`)
	if got := text(`[data-err="default-C"]`); got != "" {
		t.Errorf("default quota refused: %q", got)
	}

	// counter 2 serves only B from now on; an empty name is refused by the field
	browsertest.Eval[bool](t, tab, 5*time.Second, `(document.querySelector('input[name="counter-2-name"]').value = '', true)`)
	do(chromedp.Click(`[data-save="counter-2"]`))
	settle()
	if got := text(`[data-err="counter-2"]`); !strings.Contains(got, "Loket perlu nama") {
		t.Errorf("counter refusal %q", got)
	}
	browsertest.Eval[bool](t, tab, 5*time.Second, `(document.querySelectorAll('input[name="counter-2-group"]').forEach(i => { i.checked = i.value === 'B'; }), true)`)
	do(chromedp.SetValue(`input[name="counter-2-name"]`, "Loket 2 (B)"), chromedp.Click(`[data-save="counter-2"]`))
	settle()
	wait(`!!document.querySelector('#audit-table tr[data-action="counter.changed"][data-subject="2"]')`, `document.querySelector('#audit').innerText`)
	var cs struct{ Counters []antre.Counter }
	e.Do("GET", "/api/v1/office", "", nil, &cs)
	if cs.Counters[1].Name != "Loket 2 (B)" || strings.Join(cs.Counters[1].Groups, ",") != "B" {
		t.Errorf("counter 2 is %+v", cs.Counters[1])
	}

	// add a display: its token once, with the pairing QR code
	do(chromedp.SetValue(`#device-add input[name=name]`, "display-lobby"), chromedp.SetValue(`#device-add select[name=role]`, "display"),
		chromedp.Click(`#device-add button[type=submit]`))
	settle()
	wait(`!!document.getElementById('pair-url')`, `document.querySelector('#devices').innerText`)
	pairURL := text(`#pair-url`)
	token := text(`#pair-token`)
	if pairURL != e.URL+"/display#token="+token || len(token) < 32 {
		t.Fatalf("pairing address %q token %q", pairURL, token)
	}
	if !browsertest.Eval[bool](t, tab, 5*time.Second, `(() => { const i = document.getElementById('pair-qr'); return i.complete && i.naturalWidth > 100; })()`) {
		t.Error("the QR code is not shown")
	}
	// an invalid device name: the API's message by the form
	do(chromedp.SetValue(`#device-add input[name=name]`, "lobby tv"), chromedp.Click(`#device-add button[type=submit]`))
	settle()
	wait(`document.querySelector('[data-err="device-add"]').textContent !== ''`, ``)
	if got := text(`[data-err="device-add"]`); !strings.Contains(got, "Nama perangkat") {
		t.Errorf("device name refusal %q", got)
	}

	// the display PC opens the pairing address (what its QR code holds) and streams
	dtab := browsertest.Tab(t, browser)
	browsertest.Do(t, dtab, 15*time.Second, chromedp.Navigate(pairURL))
	browsertest.WaitJS(t, dtab, 15*time.Second, `window.antreDisplay && window.antreDisplay.state() === 'open'`, `window.antreDisplay && window.antreDisplay.state()`)
	if h := browsertest.Eval[string](t, dtab, 5*time.Second, `location.href`); h != e.URL+"/display" {
		t.Errorf("the token stays in the address bar: %s", h)
	}
	browsertest.Do(t, dtab, 15*time.Second, chromedp.Navigate(e.URL+"/display?sound=0"))
	browsertest.WaitJS(t, dtab, 15*time.Second, `window.antreDisplay && window.antreDisplay.state() === 'open'`, `window.antreDisplay && window.antreDisplay.state()`)
	var me struct{ Name string }
	if st := e.Do("GET", "/api/v1/me", token, nil, &me); st != 200 || me.Name != "display-lobby" {
		t.Errorf("the paired token: %d %+v", st, me)
	}

	// the running text, changed in the console, runs on the paired display at once
	do(chromedp.SetValue(`textarea[name="running-text"]`, "Loket 5 dibuka pukul 13.00\nTolak calo!"), chromedp.Click(`[data-save="running-text"]`))
	settle()
	browsertest.WaitJS(t, dtab, 15*time.Second, `document.getElementById('ticker').textContent.includes('Loket 5 dibuka pukul 13.00')`, `document.getElementById('ticker').textContent`)
	if got := browsertest.Eval[string](t, dtab, 5*time.Second, `document.getElementById('ticker').textContent`); strings.Contains(got, "GRATIS") {
		t.Errorf("the old running text still runs: %q", got)
	}
	too := strings.Repeat("x", 301)
	do(chromedp.SetValue(`textarea[name="running-text"]`, too), chromedp.Click(`[data-save="running-text"]`))
	settle()
	wait(`document.querySelector('[data-err="running-text"]').textContent !== ''`, ``)
	if got := text(`[data-err="running-text"]`); got != "Teks berjalan: paling banyak 20 baris, tiap baris 1 sampai 300 karakter." {
		t.Errorf("running text refusal %q", got)
	}

	// a survey tablet pairs the same way: its page keeps the token and clears the address
	var tablet struct {
		Token   string
		PairURL string `json:"pair_url"`
	}
	if st := e.Do("POST", "/api/v1/devices", e.Admin, map[string]string{"name": "tablet-1", "role": "feedback"}, &tablet); st != http.StatusCreated || tablet.PairURL != e.URL+"/feedback#token="+tablet.Token {
		t.Fatalf("tablet: %d %+v", st, tablet)
	}
	browsertest.Do(t, dtab, 15*time.Second, chromedp.Navigate(tablet.PairURL))
	browsertest.WaitJS(t, dtab, 15*time.Second, `location.href === '`+e.URL+`/feedback' && localStorage.getItem('antre-feedback-token') === '`+tablet.Token+`'`, `location.href`)

	// the audit section lists the device, filtered
	do(chromedp.SetValue(`#audit-filter select[name=action]`, "device"))
	browsertest.Eval[bool](t, tab, 5*time.Second, `(document.querySelector('#audit-filter select[name=action]').dispatchEvent(new Event('change')), true)`)
	do(chromedp.Click(`#audit-filter button[type=submit]`))
	wait(`document.querySelectorAll('#audit-table tbody tr').length > 0 && [...document.querySelectorAll('#audit-table tbody tr')].every(r => r.dataset.action === 'device.changed')`,
		`document.querySelector('#audit-table').innerText`)
	if got := text(`#audit-table tr[data-subject="display-lobby"]`); !strings.Contains(got, "ditambahkan") || strings.Contains(got, token) {
		t.Errorf("device audit row %q", got)
	}

	for _, sec := range []string{"groups", "devices", "users", "display", "sms", "holidays", "audit"} {
		browsertest.Eval[bool](t, tab, 5*time.Second, `(document.getElementById('`+sec+`').scrollIntoView(), true)`)
		screenshot(t, tab, "admin-"+sec)
	}

	// English
	do(chromedp.Click(`#lang`))
	wait(`document.querySelector('#groups h2').textContent === 'Services and quotas'`, `document.querySelector('#groups h2').textContent`)
	if got := text(`#counters .note`); !strings.Contains(got, "restarted") {
		t.Errorf("counters' restart note in English: %q", got)
	}
}

// screenshot saves what the tab shows as NAME.png in $ANTRE_SCREENSHOTS, when it is set.
func screenshot(t *testing.T, tab context.Context, name string) {
	dir := os.Getenv("ANTRE_SCREENSHOTS")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(tab, 10*time.Second)
	defer cancel()
	if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
		os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	} else {
		t.Logf("screenshot: %v", err)
	}
}

// startKiosk runs a ticket kiosk runtime against the hub at hubURL with token, printing to a
// test network printer, until the test ends; it returns the address of its page.
func startKiosk(t *testing.T, hubURL, token string) string {
	t.Helper()
	p := printertest.New(t)
	k, err := kiosk.New(kiosk.Config{Hub: hubURL, Token: token, Printer: p.Addr(), Profile: printers.Profile58(),
		StatusInterval: 100 * time.Millisecond, StateDir: t.TempDir(), Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- k.Serve(ctx, l) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("kiosk: %v", err)
		}
	})
	return "http://" + l.Addr().String()
}
