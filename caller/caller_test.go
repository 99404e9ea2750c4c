package caller_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"antre"
	"antre/internal/browsertest"
	"antre/server/servertest"
)

// ticket reads today's ticket code from the hub's store.
func ticket(t testing.TB, h *servertest.Hub, code string) antre.Ticket {
	t.Helper()
	tk, err := h.DB().Ticket(t.Context(), code)
	if err != nil {
		t.Fatalf("ticket %s: %v", code, err)
	}
	return tk
}

// console drives the caller page in one tab.
type console struct {
	t   *testing.T
	tab context.Context
}

func (c console) do(steps ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	browsertest.Do(c.t, c.tab, 10*time.Second, steps...)
}

func (c console) click(sel string) {
	c.t.Helper()
	c.do(chromedp.Click(chromedp.CSS(sel)))
}

func (c console) key(k string) {
	c.t.Helper()
	c.do(chromedp.KeyEvent(k))
}

func (c console) wait(expr, show string) {
	c.t.Helper()
	browsertest.WaitJS(c.t, c.tab, 10*time.Second, expr, show)
}

// waitIdle waits until no action is in flight.
func (c console) waitIdle() {
	c.t.Helper()
	c.wait(`!antreCaller.busy()`, `antreCaller.busy()`)
}

// waitCurrent waits until the console shows code ("" for none) as its counter's ticket.
func (c console) waitCurrent(code string) {
	c.t.Helper()
	c.waitIdle()
	c.wait(fmt.Sprintf(`antreCaller.current() === %q && document.getElementById("cur-code").textContent === %q`, code, orDash(code)), `antreCaller.current()`)
}

func orDash(code string) string {
	if code == "" {
		return "—"
	}
	return code
}

func (c console) text(sel string) string {
	c.t.Helper()
	return browsertest.Eval[string](c.t, c.tab, 5*time.Second, fmt.Sprintf(`(document.querySelector(%q) || {}).textContent || ""`, sel))
}

func (c console) screenshot(name string) {
	c.t.Helper()
	dir := os.Getenv("ANTRE_SCREENSHOTS")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(c.tab, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		c.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		c.t.Fatal(err)
	}
}

// openConsole opens /caller, logs in as the test officer and chooses counter.
func openConsole(t *testing.T, h *servertest.Hub, counter int) console {
	t.Helper()
	browser := browsertest.New(t, browsertest.Options{Width: 1366, Height: 768})
	c := console{t: t, tab: browsertest.Tab(t, browser)}
	c.do(chromedp.EmulateViewport(1366, 768), chromedp.Navigate(h.URL+"/caller"))
	c.wait(`!document.getElementById("login").hidden`, `document.body.innerText`)

	c.do(chromedp.SendKeys(chromedp.CSS("#login-name"), "petugas"), chromedp.SendKeys(chromedp.CSS("#login-password"), "salah-sekali"))
	c.click("#login-submit")
	c.wait(`!document.getElementById("login-error").hidden`, `document.getElementById("login-error").textContent`)
	if got, want := c.text("#login-error"), antre.T("id", antre.MsgLoginFailed); got != want {
		t.Errorf("log-in error %q, want %q", got, want)
	}
	c.screenshot("caller-login")
	c.do(chromedp.SetValue(chromedp.CSS("#login-password"), "rahasia1"))
	c.click("#login-submit")
	c.wait(`document.querySelector('#counters button[data-counter="2"]') !== null`, `document.body.innerText`)
	c.screenshot("caller-choose")
	c.click(fmt.Sprintf(`#counters button[data-counter="%d"]`, counter))
	c.wait(`!document.getElementById("console").hidden && antreCaller.state() === "open"`, `antreCaller.state()`)
	return c
}

// TestCallerConsole drives the hub through the console's buttons and keys: call, recall, start,
// finish, no-show, transfer, a specific call, a dispensation, the empty queue's message, device
// alerts and a failed print; then a reload and a hub restart.
func TestCallerConsole(t *testing.T) {
	h := servertest.New(t)
	for _, g := range []string{"A", "A", "B"} {
		h.Issue(g)
	}
	c := openConsole(t, h, 2)
	c.wait(`document.querySelector('#waiting tr[data-group="A"] .w').textContent === "2"`, `document.getElementById("waiting").innerText`)

	c.click("#btn-next")
	c.waitCurrent("A001")
	if tk := ticket(t, h, "A001"); tk.Status != antre.StatusCalled || tk.Counter != 2 || tk.CalledBy != "petugas" {
		t.Fatalf("after next: %+v", tk)
	}
	c.key("1") // recall
	c.waitIdle()
	c.wait(`document.getElementById("cur-recalls").textContent === "1×"`, `document.getElementById("cur-recalls").textContent`)
	c.click("#btn-start")
	c.wait(`document.getElementById("cur-status").textContent === "Dilayani"`, `document.getElementById("cur-status").textContent`)
	c.screenshot("caller-console")
	c.key("3") // finish
	c.waitCurrent("")
	if tk := ticket(t, h, "A001"); tk.Status != antre.StatusDone || tk.Recalls != 1 {
		t.Fatalf("after finish: %+v", tk)
	}

	c.key("0")
	c.waitCurrent("A002")
	c.key("2") // no-show
	c.waitCurrent("")
	if tk := ticket(t, h, "A002"); tk.Status != antre.StatusNoShow {
		t.Fatalf("after no-show: %+v", tk)
	}

	c.key(kb.Enter)
	c.waitCurrent("B001")
	c.click("#btn-transfer")
	c.do(chromedp.SetValue(chromedp.CSS("#transfer-group"), "C"), chromedp.SendKeys(chromedp.CSS(`#dlg-transfer input[name="reason"]`), "salah layanan"))
	c.screenshot("caller-transfer")
	c.click(`#dlg-transfer button[value="ok"]`)
	c.waitCurrent("")
	if tk := ticket(t, h, "B001"); tk.Status != antre.StatusWaiting || tk.QueueGroup != "C" {
		t.Fatalf("after transfer: %+v", tk)
	}

	h.Issue("D")
	c.click("#btn-call-code")
	c.do(chromedp.SendKeys(chromedp.CSS(`#dlg-call-code input[name="code"]`), "d001"), chromedp.SendKeys(chromedp.CSS(`#dlg-call-code input[name="reason"]`), "janji temu ulang"))
	c.click(`#dlg-call-code button[value="ok"]`)
	c.waitCurrent("D001")

	h.Issue("E")
	c.click("#btn-dispense")
	c.do(chromedp.SetValue(chromedp.CSS(`#dlg-dispense input[name="code"]`), "E001"),
		chromedp.SetValue(chromedp.CSS("#dispense-category"), "vip"), chromedp.SendKeys(chromedp.CSS(`#dlg-dispense input[name="reason"]`), "kunjungan pejabat"))
	c.click(`#dlg-dispense button[value="ok"]`)
	c.wait(`!document.getElementById("dlg-dispense").open`, `document.querySelector("#dlg-dispense .error").textContent`)
	if tk := ticket(t, h, "E001"); tk.Category != antre.CatVIP {
		t.Fatalf("after dispensation: %+v", tk)
	}

	// The queue of counter 2 runs dry: the hub's message is shown in Indonesian.
	c.key("0") // finishes D001, calls B001 (now in C), then E001
	c.waitCurrent("E001")
	c.key("0")
	c.waitCurrent("B001")
	c.key("0")
	c.waitCurrent("")
	c.wait(`document.getElementById("toast").textContent === `+fmt.Sprintf("%q", antre.T("id", antre.MsgQueueEmpty)), `document.getElementById("toast").textContent`)

	// A kiosk runs out of paper and a ticket fails to print.
	if st := h.Do("POST", "/api/v1/alerts", h.Kiosk, map[string]any{"kind": "paper_out", "message": "Kertas habis", "active": true}, nil); st != 204 {
		t.Fatalf("alert: %d", st)
	}
	c.wait(`document.getElementById("alerts").textContent.includes("Kertas habis")`, `document.getElementById("alerts").textContent`)
	for _, code := range []string{h.Issue("F"), h.Issue("F"), h.Issue("F")} {
		if st := h.Do("POST", "/api/v1/tickets/"+code+"/printed", h.Kiosk, map[string]any{"ok": false, "detail": "paper out"}, nil); st != 200 {
			t.Fatalf("print failed: %d", st)
		}
	}
	c.wait(`document.querySelectorAll("#print-failed li").length === 3`, `document.getElementById("print-failed").textContent`)
	c.screenshot("caller-alerts")
	c.click(`#print-failed li[data-code="F001"] .reprint`)
	c.wait(`document.querySelectorAll("#print-failed li").length === 2`, `document.getElementById("print-failed").textContent`)
	if tk := ticket(t, h, "F001"); tk.PrintState != "printed" {
		t.Fatalf("after reprint: %+v", tk)
	}
	c.click(`#print-failed li[data-code="F002"] .cancel`)
	c.do(chromedp.SendKeys(chromedp.CSS(`#dlg-cancel input[name="reason"]`), "pemohon pulang"))
	c.click(`#dlg-cancel button[value="ok"]`)
	c.wait(`document.querySelectorAll("#print-failed li").length === 1`, `document.getElementById("print-failed").textContent`)
	if tk := ticket(t, h, "F002"); tk.Status != antre.StatusCancelled {
		t.Fatalf("after cancel: %+v", tk)
	}
	if st := h.Do("POST", "/api/v1/alerts", h.Kiosk, map[string]any{"kind": "paper_out", "active": false}, nil); st != 204 {
		t.Fatalf("alert cleared: %d", st)
	}
	c.wait(`document.querySelectorAll("#alerts li").length === 0`, `document.getElementById("alerts").textContent`)

	// Figures: A001 finished by hand, D001, E001 and B001 by the next call; A002 a no-show.
	c.wait(`document.getElementById("fig-served").textContent === "4" && document.getElementById("fig-noshow").textContent === "1"`,
		`document.getElementById("fig-served").textContent + "/" + document.getElementById("fig-noshow").textContent`)

	// A reload resumes the stream from the stored event id: the figures survive, and so does
	// the state, with the ticket still waiting for a reprint.
	c.do(chromedp.Reload())
	c.wait(`window.antreCaller && antreCaller.state() === "open" && document.getElementById("fig-served").textContent === "4"`, `document.getElementById("fig-served").textContent`)
	c.wait(`document.querySelector('#print-failed li[data-code="F003"]') !== null && document.querySelectorAll("#print-failed li").length === 1`, `document.getElementById("print-failed").textContent`)
	if browsertest.Eval[bool](t, c.tab, 5*time.Second, `!document.getElementById("fig-note").hidden`) {
		t.Error("figures marked partial after a reload")
	}

	// The hub restarts; the console reconnects by itself and sees a call made meanwhile (by
	// the same officer elsewhere) on its counter: F001, the reprinted ticket.
	h.Restart()
	if st := h.Do("POST", "/api/v1/counters/2/next", h.Officer, nil, nil); st != 200 {
		t.Fatalf("next after restart: %d", st)
	}
	c.wait(`antreCaller.state() === "open" && antreCaller.current() === "F001"`, `antreCaller.state() + " " + antreCaller.current()`)
}

// contrastMin is WCAG 2 level AA's contrast for normal text, which every text of the officers'
// pages must reach: counters are often bright, and officers read at a distance.
const contrastMin = 4.5

// contrast checks the texts the console shows now: each must reach contrastMin on a
// background that can be told. It adds them to seen as "element: text".
func (c console) contrast(state string, seen map[string]bool) {
	c.t.Helper()
	for _, x := range browsertest.Texts(c.t, c.tab) {
		seen[x.Element+": "+x.Text] = true
		if x.Unknown || x.Ratio() < contrastMin {
			c.t.Errorf("%s: %s", state, x)
		}
	}
}

// TestCallerContrast: every text of the console, in the states an officer sees, reaches
// WCAG AA's 4.5:1 on its background, among them the "Tidak Hadir" and "Selesai" buttons and the
// status badges.
func TestCallerContrast(t *testing.T) {
	h := servertest.New(t)
	for _, g := range []string{"A", "A", "B"} {
		h.Issue(g)
	}
	c := openConsole(t, h, 2)
	seen := map[string]bool{}
	c.wait(`document.querySelector('#waiting tr[data-group="A"] .w').textContent === "2"`, `document.getElementById("waiting").innerText`)
	c.contrast("no ticket", seen)

	c.click("#btn-next")
	c.waitCurrent("A001")
	if st := h.Do("POST", "/api/v1/alerts", h.Kiosk, map[string]any{"kind": "paper_out", "message": "Kertas habis", "active": true}, nil); st != 204 {
		t.Fatalf("alert: %d", st)
	}
	code := h.Issue("F")
	if st := h.Do("POST", "/api/v1/tickets/"+code+"/printed", h.Kiosk, map[string]any{"ok": false, "detail": "paper out"}, nil); st != 200 {
		t.Fatalf("print failed: %d", st)
	}
	c.wait(`document.querySelectorAll("#print-failed li").length === 1 && document.querySelectorAll("#alerts li").length === 1`, `document.getElementById("alerts-card").innerText`)
	c.contrast("called", seen)

	c.click("#btn-start")
	c.wait(`document.getElementById("cur-status").textContent === "Dilayani"`, `document.getElementById("cur-status").textContent`)
	c.contrast("serving", seen)

	// The toast's two looks, success and error, set directly: its text goes after seconds.
	for _, cls := range []string{"toast", "toast error"} {
		browsertest.Eval[bool](t, c.tab, 5*time.Second, fmt.Sprintf(`(() => { const e = document.getElementById("toast"); e.className = %q; e.textContent = %q; e.hidden = false; return true; })()`, cls, cls))
		c.contrast(cls, seen)
	}

	c.click("#btn-call-code")
	c.wait(`document.getElementById("dlg-call-code").open`, `document.getElementById("dlg-call-code").open`)
	c.contrast("dialog", seen)
	c.key(kb.Escape)
	c.wait(`!document.getElementById("dlg-call-code").open`, `document.getElementById("dlg-call-code").open`)

	c.click("#logout")
	c.wait(`!document.getElementById("login").hidden`, `document.body.innerText`)
	c.do(chromedp.SendKeys(chromedp.CSS("#login-name"), "petugas"), chromedp.SendKeys(chromedp.CSS("#login-password"), "salah-sekali"))
	c.click("#login-submit")
	c.wait(`!document.getElementById("login-error").hidden`, `document.getElementById("login-error").textContent`)
	c.contrast("log-in error", seen)

	for _, want := range []string{
		"button#btn-noshow.warn span: Tidak Hadir",
		"button#btn-finish.ok span: Selesai",
		"button#btn-finish.ok kbd: 3",
		"span#cur-status.badge: Dipanggil",
		"span#cur-status.badge: Dilayani",
		"div#cur-code.current-code.none: —",
		"ul#alerts.list span.t: kiosk-1: Kertas habis",
		"p#toast.toast: toast",
		"p#toast.toast.error: toast error",
		"dialog#dlg-call-code h2: Panggil nomor tertentu",
		"p#login-error.error: " + antre.T("id", antre.MsgLoginFailed),
	} {
		if !seen[want] {
			t.Errorf("%q was not on the page to check", want)
		}
	}
	if t.Failed() {
		t.Logf("checked: %q", slices.Sorted(maps.Keys(seen)))
	}
}

// TestCallerQuota: the waiting table's headline is what a walk-in applicant can still get
// (as on the kiosk and the display), with the online and priority pools under it for
// officers, in Indonesian and English, and follows new numbers live.
func TestCallerQuota(t *testing.T) {
	h := servertest.New(t)
	h.Issue("A")
	h.Issue("A")
	if st := h.Do("POST", "/api/v1/tickets", h.Kiosk, map[string]any{"group": "A", "category": "elderly"}, nil); st != 201 {
		t.Fatalf("issue an elderly applicant's A: %d", st)
	}
	c := openConsole(t, h, 2)
	cell := `document.querySelector('#waiting tr[data-group="A"] .q').innerText.replace(/\s+/g, " ")`
	head := `document.querySelector('table.waiting th:nth-child(3)').textContent`
	c.wait(cell+` === "40 / 42 Daring 12/12 · Prioritas 5/6"`, cell)
	if got := c.text("table.waiting th:nth-child(3)"); got != "Sisa kuota datang langsung" {
		t.Errorf("column %q, want Sisa kuota datang langsung", got)
	}
	h.Issue("A")
	c.wait(cell+` === "39 / 42 Daring 12/12 · Prioritas 5/6"`, cell)
	c.click("#lang-toggle")
	c.wait(cell+` === "39 / 42 Online 12/12 · Priority 5/6" && `+head+` === "Walk-in quota left"`, cell+` + " | " + `+head)
	c.screenshot("caller-quota-en")
}
