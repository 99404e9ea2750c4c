package display_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"antre/internal/browsertest"
	"antre/media"
	"antre/server/servertest"
)

// next calls the next ticket to counter and returns its code.
func next(t testing.TB, h *servertest.Hub, counter int) string {
	t.Helper()
	var out struct{ Code string }
	if st := h.Do("POST", fmt.Sprintf("/api/v1/counters/%d/next", counter), h.Officer, nil, &out); st != 200 {
		t.Fatalf("next at %d: status %d", counter, st)
	}
	return out.Code
}

// openDisplay opens the display page of token (with extra query, e.g. "&lang=en") in a new tab
// of browser and waits until it is connected and has drawn the hub's snapshot.
func openDisplay(t testing.TB, browser context.Context, h *servertest.Hub, token, query string) context.Context {
	t.Helper()
	tab := browsertest.Tab(t, browser)
	browsertest.Do(t, tab, 20*time.Second, chromedp.EmulateViewport(1920, 1080), chromedp.Navigate(h.URL+"/display?token="+token+query))
	browsertest.WaitJS(t, tab, 10*time.Second, `window.antreDisplay && antreDisplay.state() === "open" && antreDisplay.lastId() !== null`, `antreDisplay.state()`)
	return tab
}

// current is the ticket code the display shows as its current call.
func current(t testing.TB, tab context.Context) string {
	return browsertest.Eval[string](t, tab, 5*time.Second, `antreDisplay.current()`)
}

// screenshot saves the tab's screen as name.png in $ANTRE_SCREENSHOTS, when that is set (to look
// at the pages while working on them).
func screenshot(t testing.TB, tab context.Context, name string) {
	t.Helper()
	dir := os.Getenv("ANTRE_SCREENSHOTS")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(tab, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDisplayShowsCalls: a call made through the API becomes the display's current call, the
// previous one moves to the list, and the waiting counts follow. Without the autoplay flag the
// page asks for one click to enable sound, and then plays.
func TestDisplayShowsCalls(t *testing.T) {
	h := servertest.New(t)
	for _, g := range []string{"A", "A", "B", "C"} {
		h.Issue(g)
	}
	browser := browsertest.New(t, browsertest.Options{})
	tab := openDisplay(t, browser, h, h.Display, "")
	if got := current(t, tab); got != "—" {
		t.Fatalf("current call before any call: %q", got)
	}
	waiting := func(group, want string) {
		t.Helper()
		browsertest.WaitJS(t, tab, 10*time.Second, fmt.Sprintf(`document.querySelector('.group[data-group="%s"] .waiting .v').textContent === %q`, group, want),
			`document.getElementById("groups").innerText`)
	}
	waiting("A", "2")
	next(t, h, 1)
	browsertest.WaitJS(t, tab, 10*time.Second, `antreDisplay.current() === "A001" && document.getElementById("current-counter").textContent === "1"`, `antreDisplay.current()`)
	next(t, h, 2)
	browsertest.WaitJS(t, tab, 10*time.Second, `antreDisplay.current() === "A002"`, `antreDisplay.current()`)
	browsertest.WaitJS(t, tab, 10*time.Second, `document.querySelector("#recent li .code").textContent === "A001"`, `document.getElementById("recent").textContent`)
	waiting("A", "0")
	h.Issue("A")
	// An elderly applicant's number comes from the priority pool: what a walk-in applicant can
	// still get, the figure the display shows, stays 42 − 3 of A's 60 numbers.
	if st := h.Do("POST", "/api/v1/tickets", h.Kiosk, map[string]any{"group": "A", "category": "elderly"}, nil); st != 201 {
		t.Fatalf("issue an elderly applicant's A: %d", st)
	}
	waiting("A", "2")
	if got := browsertest.Eval[string](t, tab, 5*time.Second, `document.querySelector('.group[data-group="A"] .remaining').innerText.replace(/\s+/g, " ")`); got != "SISA KUOTA DATANG LANGSUNG 39 / 42" {
		t.Errorf("A remaining %q, want SISA KUOTA DATANG LANGSUNG 39 / 42", got)
	}
	// The running text takes new figures at its next pass, so it may still show the last ones.
	if got := browsertest.Eval[string](t, tab, 5*time.Second, `document.getElementById("ticker").textContent`); !strings.Contains(got, "Kuota datang langsung hari ini: A (Paspor baru 24 dan 48 halaman) 42, sisa ") ||
		!strings.Contains(got, "Tolak calo") {
		t.Errorf("running text %q", got)
	}

	browsertest.WaitJS(t, tab, 10*time.Second, `antreDisplay.audio().blocked && !document.getElementById("sound-button").hidden`, `JSON.stringify(antreDisplay.audio())`)
	browsertest.Do(t, tab, 5*time.Second, chromedp.Sleep(3500*time.Millisecond)) // let the call's blink end
	screenshot(t, tab, "display-landscape")
	browsertest.Do(t, tab, 5*time.Second, chromedp.Click(chromedp.CSS("#sound-button")))
	browsertest.WaitJS(t, tab, 10*time.Second, `antreDisplay.audio().started >= 1 && document.getElementById("sound-button").hidden`, `JSON.stringify(antreDisplay.audio())`)
}

// TestDisplayResyncsAfterRestart: the hub stops and starts again; the display reconnects by
// itself, resumes from its last event and misses nothing: a call made before it reconnected
// and one made after both appear.
func TestDisplayResyncsAfterRestart(t *testing.T) {
	h := servertest.New(t)
	for _, g := range []string{"A", "A", "B"} {
		h.Issue(g)
	}
	browser := browsertest.New(t, browsertest.Options{})
	tab := openDisplay(t, browser, h, h.Display, "")
	next(t, h, 1)
	browsertest.WaitJS(t, tab, 10*time.Second, `antreDisplay.current() === "A001"`, `antreDisplay.current()`)

	h.Restart()
	next(t, h, 2) // the page is still reconnecting
	browsertest.WaitJS(t, tab, 10*time.Second, `antreDisplay.current() === "A002" && antreDisplay.state() === "open"`, `antreDisplay.state() + " " + antreDisplay.current()`)
	next(t, h, 3)
	browsertest.WaitJS(t, tab, 10*time.Second, `antreDisplay.current() === "B001"`, `antreDisplay.current()`)
	got := browsertest.Eval[string](t, tab, 5*time.Second, `Array.from(document.querySelectorAll("#recent .code")).map(e => e.textContent).join(" ")`)
	if got != "A002 A001" {
		t.Errorf("previous calls %q, want A002 A001", got)
	}
	// It resumed from its last event, without a new snapshot, after a few attempts at most.
	if n := browsertest.Eval[int](t, tab, 5*time.Second, `antreDisplay.snapshots()`); n != 1 {
		t.Errorf("%d snapshots, want 1", n)
	}
	if n := browsertest.Eval[int](t, tab, 5*time.Second, `antreDisplay.connects()`); n < 2 || n > 6 {
		t.Errorf("%d connection attempts, want 2 to 6", n)
	}
}

// TestDisplayReplaced: a second tab with the same display token takes the stream over; the
// first says so and stays disconnected instead of taking it back, until asked to.
func TestDisplayReplaced(t *testing.T) {
	h := servertest.New(t)
	browser := browsertest.New(t, browsertest.Options{})
	first := openDisplay(t, browser, h, h.Display, "")
	second := openDisplay(t, browser, h, h.Display, "")
	browsertest.WaitJS(t, first, 10*time.Second, `antreDisplay.state() === "replaced" && !document.getElementById("overlay").hidden`, `antreDisplay.state()`)
	if got := browsertest.Eval[string](t, first, 5*time.Second, `document.getElementById("overlay-title").textContent`); got != "Tampilan ini dibuka di tempat lain" {
		t.Errorf("overlay title %q", got)
	}
	screenshot(t, first, "display-replaced")
	time.Sleep(2 * time.Second)
	for name, tab := range map[string]context.Context{"first": first, "second": second} {
		if n := browsertest.Eval[int](t, tab, 5*time.Second, `antreDisplay.connects()`); n != 1 {
			t.Errorf("%s tab connected %d times", name, n)
		}
	}
	browsertest.Do(t, first, 5*time.Second, chromedp.Click(chromedp.CSS("#overlay-button")))
	browsertest.WaitJS(t, first, 10*time.Second, `antreDisplay.state() === "open"`, `antreDisplay.state()`)
	browsertest.WaitJS(t, second, 10*time.Second, `antreDisplay.state() === "replaced"`, `antreDisplay.state()`)
}

// TestDisplaySettings: a display shows only the groups and counters of its device settings, in
// the language and with the running text they set.
func TestDisplaySettings(t *testing.T) {
	h := servertest.New(t)
	tok, err := h.DB().AddDevice(t.Context(), "display-b", "display")
	if err != nil {
		t.Fatal(err)
	}
	if st := h.Do("PUT", "/api/v1/devices/display-b/settings", h.Admin, map[string]any{"groups": []string{"B"}, "counters": []int{2}, "lang": "en", "ticker": "paged"}, nil); st != 204 {
		t.Fatalf("settings: %d", st)
	}
	for _, g := range []string{"A", "B", "B"} {
		h.Issue(g)
	}
	browser := browsertest.New(t, browsertest.Options{})
	tab := openDisplay(t, browser, h, tok, "")
	next(t, h, 1) // A001 at 1
	if st := h.Do("POST", "/api/v1/tickets/B001/call", h.Officer, map[string]any{"counter": 1, "reason": "test"}, nil); st != 200 {
		t.Fatalf("call B001: %d", st)
	}
	next(t, h, 2) // B002 at 2
	browsertest.WaitJS(t, tab, 10*time.Second, `antreDisplay.current() === "B002"`, `antreDisplay.current()`)
	if got := browsertest.Eval[string](t, tab, 5*time.Second, `document.getElementById("recent").textContent`); got != "" {
		t.Errorf("previous calls %q, want none", got)
	}
	if got := browsertest.Eval[string](t, tab, 5*time.Second, `Array.from(document.querySelectorAll(".group")).map(e => e.dataset.group + ":" + e.querySelector(".waiting .k").textContent).join(" ")`); got != "B:Waiting" {
		t.Errorf("groups %q, want B:Waiting", got)
	}
	if got := browsertest.Eval[string](t, tab, 5*time.Second, `document.getElementById("ticker").textContent`); !strings.HasPrefix(got, "Today's walk-in quota · B (Replacement: expired or pages full) 42, 40 left") {
		t.Errorf("paged running text %q", got)
	}
}

// TestDisplayPlaysAnnouncements: in Chromium with the kiosk's autoplay flag the page plays the
// announcement of a call to its end, then the announcement of its recall, never overlapping.
func TestDisplayPlaysAnnouncements(t *testing.T) {
	h := servertest.New(t)
	h.Issue("A")
	browser := browsertest.New(t, browsertest.Options{Autoplay: true})
	tab := openDisplay(t, browser, h, h.Display, "")
	next(t, h, 3)
	if st := h.Do("POST", "/api/v1/counters/3/recall", h.Officer, nil, nil); st != 200 {
		t.Fatalf("recall: %d", st)
	}
	browsertest.WaitJS(t, tab, 30*time.Second, `antreDisplay.audio().ended === 2`, `JSON.stringify(antreDisplay.audio())`)
	a := browsertest.Eval[map[string]any](t, tab, 5*time.Second, `antreDisplay.audio()`)
	if a["queued"] != 2.0 || a["failed"] != 0.0 || a["blocked"] != false || a["playing"] != false {
		t.Errorf("audio %v", a)
	}
	type play struct {
		URL        string
		Start, End float64
	}
	played := browsertest.Eval[[]play](t, tab, 5*time.Second, `antreDisplay.played()`)
	want := wavDuration(t, h, "A001", 3)
	for i, p := range played {
		if p.URL != "/display/announce?code=A001&counter=3" {
			t.Errorf("played %s", p.URL)
		}
		if d := time.Duration((p.End - p.Start) * float64(time.Millisecond)); d < want-300*time.Millisecond {
			t.Errorf("announcement %d played %v of %v", i, d, want)
		}
		if i > 0 && p.Start < played[i-1].End {
			t.Errorf("announcement %d started %.0f ms before the one before it ended", i, played[i-1].End-p.Start)
		}
	}
}

// wavDuration is the playing time of the announcement the hub serves for code at counter.
func wavDuration(t *testing.T, h *servertest.Hub, code string, counter int) time.Duration {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("%s/display/announce?code=%s&counter=%d", h.URL, code, counter))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 || len(b) < 44 {
		t.Fatalf("announce: %d, %d bytes, %v", resp.StatusCode, len(b), err)
	}
	return media.Duration(b[44:])
}
