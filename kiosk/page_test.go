package kiosk_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"image"
	"image/png"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/chromedp"

	"antre"
	"antre/internal/browsertest"
	"antre/printers"
	"antre/printers/printertest"
	"antre/server/servertest"
)

// step bounds each browser step of the page test.
const step = 30 * time.Second

// run runs browser steps and fails the test when they fail.
func run(t *testing.T, tab context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	browsertest.Do(t, tab, step, steps...)
}

// screenshot saves the page as name.png in $ANTRE_KIOSK_SCREENSHOTS, when that is set, so the
// layouts can be looked at.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("ANTRE_KIOSK_SCREENSHOTS")
	if dir == "" {
		return
	}
	run(t, ctx, chromedp.Sleep(300*time.Millisecond))
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// scan reads the barcodes in a print job's images with zbarimg: "CODE-128:A001", "QR-Code:…".
func scan(t *testing.T, job []byte) []string {
	t.Helper()
	bin, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Skip("zbarimg not installed (Debian package zbar-tools)")
	}
	imgs, err := printertest.Images(job)
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, img := range imgs {
		found = append(found, zbar(t, bin, img)...)
	}
	slices.Sort(found)
	return found
}

func zbar(t *testing.T, bin string, img image.Image) []string {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "job.png")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--nodbus", "-q", path).Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 4 { // no symbol in this image
		return nil
	}
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	return strings.Fields(string(out))
}

// groupDisabled is a script that reports whether a group's button is greyed out and disabled.
func groupDisabled(code string) string {
	return `(() => { const b = document.querySelector('button.group[data-group="` + code + `"]');
		return !!b && b.disabled && b.classList.contains('exhausted'); })()`
}

// TestPageTapPrints drives the kiosk page in headless Chromium: an exhausted group is greyed
// out, a group that runs out while the page is open greys out within two seconds, and a tap
// on a group prints a ticket whose text and barcodes carry the number the hub issued.
func TestPageTapPrints(t *testing.T) {
	ctx := browsertest.New(t, browsertest.Options{Width: 1920, Height: 1080})
	h := servertest.New(t)
	if st := h.Do("PUT", "/api/v1/groups/B/quota", h.Admin, antre.Quota{}, nil); st != 200 {
		t.Fatalf("quota of B: %d", st)
	}
	if st := h.Do("PUT", "/api/v1/groups/C/quota", h.Admin, antre.Quota{WalkIn: 1}, nil); st != 200 {
		t.Fatalf("quota of C: %d", st)
	}
	p := printertest.New(t)
	px := newProxy(t, h.URL)
	k := runKiosk(t, px.URL, h.Kiosk, p.Addr(), printers.Profile58())
	waitReady(t, k)

	run(t, ctx, chromedp.EmulateViewport(1920, 1080), chromedp.Navigate(k+"/"), chromedp.WaitVisible(chromedp.CSS(`button.group[data-group="A"]`)))
	bGrey := browsertest.Eval[bool](t, ctx, step, groupDisabled("B"))
	cGrey := browsertest.Eval[bool](t, ctx, step, groupDisabled("C"))
	if !bGrey || cGrey {
		t.Errorf("greyed out: B %v (want true), C %v (want false)", bGrey, cGrey)
	}
	screenshot(t, ctx, "home-1920x1080")

	// Another kiosk or an officer takes C's last number: the page follows within 2 s.
	if st := h.Do("POST", "/api/v1/tickets", h.Officer, map[string]string{"group": "C"}, nil); st != 201 {
		t.Fatalf("issue C: %d", st)
	}
	start := time.Now()
	browsertest.WaitJS(t, ctx, 2*time.Second, groupDisabled("C"), `document.querySelector('button.group[data-group="C"]').outerHTML`)
	t.Logf("C greyed out %v after its quota ran out", time.Since(start).Round(time.Millisecond))

	run(t, ctx,
		chromedp.Click(chromedp.CSS(`button.group[data-group="A"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#screen-category .category-none`)))
	screenshot(t, ctx, "category-1920x1080")
	run(t, ctx,
		chromedp.Click(chromedp.CSS(`#screen-category .category-none`)),
		chromedp.WaitVisible(chromedp.CSS(`#screen-done #done-code`)))
	code := browsertest.Eval[string](t, ctx, step, `document.getElementById('done-code').textContent`)
	screenshot(t, ctx, "done-1920x1080")

	var v antre.TicketView
	if st := h.Do("GET", "/api/v1/tickets/"+code, "", nil, &v); st != 200 || v.Group != "A" {
		t.Fatalf("the hub does not know the page's number %q as a ticket of A: %d %+v", code, st, v)
	}
	if n := used(t, h, "A"); n != 1 {
		t.Errorf("one tap took %d numbers", n)
	}
	jobs := p.WaitJobs(1)
	if s := printedText(t, jobs[0]); !contains(s, code, "NOMOR ANTREAN") {
		t.Errorf("printed ticket does not show %s:\n%s", code, s)
	}
	// The QR code opens the ticket's status page with the ticket's survey token (k), which only
	// the paper's holder has.
	want := []string{"CODE-128:" + code, "QR-Code:" + h.Config.PublicURL + "/status/" + code + "?k="}
	if got := scan(t, jobs[0].Data); len(got) != 2 || got[0] != want[0] || !strings.HasPrefix(got[1], want[1]) || len(got[1]) != len(want[1])+16 {
		t.Errorf("barcodes %q, want %q and a token", got, want)
	}
	if len(p.Jobs()) != 1 {
		t.Errorf("%d jobs for one tap", len(p.Jobs()))
	}

	if os.Getenv("ANTRE_KIOSK_SCREENSHOTS") != "" {
		moreScreenshots(t, ctx, h, p, px)
	}
}

// moreScreenshots captures the other screens and the portrait layout, for review.
func moreScreenshots(t *testing.T, ctx context.Context, h *servertest.Hub, p *printertest.Printer, px *proxy) {
	run(t, ctx, chromedp.Click(chromedp.CSS(`#finish`)), chromedp.Click(chromedp.CSS(`#lang`)))
	screenshot(t, ctx, "home-en-1920x1080")
	run(t, ctx, chromedp.Click(chromedp.CSS(`button.group[data-group="D"]`)),
		chromedp.Click(chromedp.CSS(`button.category[data-category="elderly"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#screen-done #done-code`)))
	screenshot(t, ctx, "done-priority-en-1920x1080")
	run(t, ctx, chromedp.Click(chromedp.CSS(`#finish`)))
	p.SetPaperOut(true)
	run(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#banner.fault`)))
	screenshot(t, ctx, "printer-fault-1920x1080")
	p.SetPaperOut(false)
	run(t, ctx, chromedp.EmulateViewport(1080, 1920), chromedp.WaitNotPresent(chromedp.CSS(`#banner.fault:not([hidden])`)))
	screenshot(t, ctx, "home-1080x1920")
	run(t, ctx, chromedp.Click(chromedp.CSS(`button.group[data-group="E"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#screen-category .category-none`)))
	screenshot(t, ctx, "category-1080x1920")
	run(t, ctx, chromedp.Click(chromedp.CSS(`#screen-category .category-none`)),
		chromedp.WaitVisible(chromedp.CSS(`#screen-done #done-code`)))
	screenshot(t, ctx, "done-1080x1920")
	run(t, ctx, chromedp.Click(chromedp.CSS(`#finish`)), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Evaluate[any](`document.getElementById('admin-corner').dispatchEvent(new PointerEvent('pointerdown', {bubbles: true}))`)(ctx, tg)
		return err
	}), chromedp.WaitVisible(chromedp.CSS(`#pin-pad`)))
	for _, d := range "246" {
		run(t, ctx, chromedp.Click(chromedp.CSS(`#pin-pad button:nth-child(`+map[rune]string{'2': "2", '4': "4", '6': "6"}[d]+`)`)))
	}
	screenshot(t, ctx, "pin-1080x1920")
	run(t, ctx, chromedp.Click(chromedp.CSS(`#pin-pad button:nth-child(8)`)), chromedp.Click(chromedp.CSS(`#pin-pad button:nth-child(12)`)),
		chromedp.WaitVisible(chromedp.CSS(`#admin-recent li button`)))
	screenshot(t, ctx, "admin-1080x1920")
	run(t, ctx, chromedp.EmulateViewport(1920, 1080))
	screenshot(t, ctx, "admin-1920x1080")
	run(t, ctx, chromedp.Click(chromedp.CSS(`#admin-close`)), chromedp.WaitVisible(chromedp.CSS(`button.group[data-group="F"]`)))

	px.hookIssue(func() { p.SetPaperOut(true) })
	run(t, ctx, chromedp.Click(chromedp.CSS(`button.group[data-group="F"]`)),
		chromedp.Click(chromedp.CSS(`button.category[data-category="toddler"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#screen-done.held #done-code`)))
	screenshot(t, ctx, "held-1920x1080")
	run(t, ctx, chromedp.EmulateViewport(1080, 1920))
	screenshot(t, ctx, "held-1080x1920")
	run(t, ctx, chromedp.EmulateViewport(1920, 1080), chromedp.Click(chromedp.CSS(`#finish`)))
	screenshot(t, ctx, "printer-fault-category-1920x1080")
	p.SetPaperOut(false)

	// The last numbers of E go to someone else while this applicant chooses.
	px.hookIssue(func() { h.Do("PUT", "/api/v1/groups/E/quota", h.Admin, antre.Quota{}, nil) })
	run(t, ctx, chromedp.WaitNotPresent(chromedp.CSS(`#banner.fault:not([hidden])`)),
		chromedp.Click(chromedp.CSS(`button.group[data-group="E"]`)),
		chromedp.Click(chromedp.CSS(`#screen-category .category-none`)),
		chromedp.WaitVisible(chromedp.CSS(`#screen-message #message-title`)))
	screenshot(t, ctx, "failed-1920x1080")
}

// TestPageRevalidates: the kiosk's browser reloads the page without downloading it again: the
// page, script and style answer 304 to their ETag, come gzip-compressed to a browser that
// accepts it and as they are to one that does not, while the API's answers are never stored.
func TestPageRevalidates(t *testing.T) {
	h := servertest.New(t)
	p := printertest.New(t)
	k := runKiosk(t, h.URL, h.Kiosk, p.Addr(), printers.Profile80())
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	fetch := func(method, path string, header ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, k+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, b
	}
	for _, tc := range []struct{ path, ctype, contains string }{
		{"/", "text/html; charset=utf-8", "kiosk.js"},
		{"/kiosk.js", "text/javascript; charset=utf-8", "/api/stream"},
		{"/kiosk.css", "text/css; charset=utf-8", "font-family"},
	} {
		plain, body := fetch("GET", tc.path)
		tag := plain.Header.Get("ETag")
		if plain.StatusCode != 200 || tag == "" || plain.Header.Get("Content-Type") != tc.ctype || plain.Header.Get("Cache-Control") != "no-cache" ||
			plain.Header.Get("Content-Encoding") != "" || !strings.Contains(string(body), tc.contains) {
			t.Errorf("%s: %d, headers %v", tc.path, plain.StatusCode, plain.Header)
			continue
		}
		if r, b := fetch("GET", tc.path, "If-None-Match", tag); r.StatusCode != http.StatusNotModified || len(b) != 0 {
			t.Errorf("%s reloaded with its ETag: %d, %d bytes; want 304", tc.path, r.StatusCode, len(b))
		}
		z, zb := fetch("GET", tc.path, "Accept-Encoding", "gzip, deflate")
		if z.Header.Get("Content-Encoding") != "gzip" || len(zb) >= len(body) {
			t.Errorf("%s to a gzip browser: Content-Encoding %q, %d bytes of %d", tc.path, z.Header.Get("Content-Encoding"), len(zb), len(body))
			continue
		}
		zr, err := gzip.NewReader(bytes.NewReader(zb))
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		if unzipped, err := io.ReadAll(zr); err != nil || !bytes.Equal(unzipped, body) {
			t.Errorf("%s: gzip body does not decompress to the file (%v)", tc.path, err)
		}
		if r, b := fetch("HEAD", tc.path); r.StatusCode != 200 || len(b) != 0 || r.Header.Get("ETag") != tag {
			t.Errorf("HEAD %s: %d, %d bytes, ETag %q", tc.path, r.StatusCode, len(b), r.Header.Get("ETag"))
		}
	}
	if r, _ := fetch("GET", "/api/state"); r.Header.Get("Cache-Control") != "no-store" || r.Header.Get("ETag") != "" {
		t.Errorf("/api/state: Cache-Control %q, ETag %q; want no-store and no tag", r.Header.Get("Cache-Control"), r.Header.Get("ETag"))
	}
	if r, _ := fetch("POST", "/kiosk.js"); r.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /kiosk.js: %d", r.StatusCode)
	}
}

// pageFont is the font the kiosk's CSS names first, from Debian's fonts-liberation2 (see
// scripts/install-deps.sh): the page is laid out for its widths.
const pageFont = "Liberation Sans"

// renderedFonts are the families Chromium drew the text of the element sel with.
func renderedFonts(t *testing.T, tab context.Context, sel string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, step)
	defer cancel()
	ids, err := chromedp.Run(ctx, chromedp.QueryNodeIDs(chromedp.CSS(sel)))
	if err != nil || len(ids) == 0 {
		t.Fatalf("%s: %v", sel, err)
	}
	res, err := chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) (css.GetPlatformFontsForNodeResult, error) {
		if _, err := cdp.Call(ctx, tg, css.Enable, cdp.Empty{}); err != nil {
			return css.GetPlatformFontsForNodeResult{}, err
		}
		return cdp.Call(ctx, tg, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: ids[0]})
	})
	if err != nil {
		t.Fatalf("fonts of %s: %v", sel, err)
	}
	var fams []string
	for _, f := range res.Fonts {
		fams = append(fams, f.FamilyName)
	}
	return fams
}

// numberFits reports how the confirmation's number sits: whether it is clipped in its box, and
// whether the box leaves its screen or the viewport.
const numberFits = `(() => {
  const el = document.getElementById('done-code'), screen = document.getElementById('screen-done');
  const r = el.getBoundingClientRect(), s = screen.getBoundingClientRect();
  return { text: el.textContent, scrollWidth: el.scrollWidth, clientWidth: el.clientWidth,
    screenScroll: screen.scrollWidth, screenClient: screen.clientWidth,
    left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: innerWidth, height: innerHeight,
    screenLeft: s.left, screenRight: s.right, fontSize: parseFloat(getComputedStyle(el).fontSize) };
})()`

// TestPageNumberFits: on a portrait kiosk 1080 px wide, the confirmation screen's number (D004,
// the widest letter and digits of a day's first numbers) is drawn in the page's font, whole,
// inside its screen and the viewport, and still large.
func TestPageNumberFits(t *testing.T) {
	ctx := browsertest.New(t, browsertest.Options{Width: 1080, Height: 1920})
	h := servertest.New(t)
	for range 3 {
		h.Issue("D")
	}
	p := printertest.New(t)
	k := runKiosk(t, h.URL, h.Kiosk, p.Addr(), printers.Profile80())
	waitReady(t, k)
	run(t, ctx, chromedp.EmulateViewport(1080, 1920), chromedp.Navigate(k+"/"), chromedp.WaitVisible(chromedp.CSS(`button.group[data-group="D"]`)))
	run(t, ctx,
		chromedp.Click(chromedp.CSS(`button.group[data-group="D"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#screen-category .category-none`)),
		chromedp.Click(chromedp.CSS(`#screen-category .category-none`)),
		chromedp.WaitVisible(chromedp.CSS(`#screen-done #done-code`)))
	screenshot(t, ctx, "done-D004-1080x1920")

	if fams := renderedFonts(t, ctx, "#done-code"); !slices.Equal(fams, []string{pageFont}) {
		t.Errorf("the number is drawn in %q, want %s (install fonts-liberation2: scripts/install-deps.sh)", fams, pageFont)
	}
	type fit struct {
		Text                                                                       string
		ScrollWidth, ClientWidth, ScreenScroll, ScreenClient                       float64
		Left, Right, Top, Bottom, Width, Height, ScreenLeft, ScreenRight, FontSize float64
	}
	f := browsertest.Eval[fit](t, ctx, step, numberFits)
	if f.Text != "D004" {
		t.Fatalf("confirmation shows %q, want D004", f.Text)
	}
	if f.ScrollWidth > f.ClientWidth || f.ScreenScroll > f.ScreenClient {
		t.Errorf("D004 is clipped: its box scrolls %v of %v px, its screen %v of %v", f.ScrollWidth, f.ClientWidth, f.ScreenScroll, f.ScreenClient)
	}
	if f.Left < 0 || f.Right > f.Width || f.Top < 0 || f.Bottom > f.Height || f.Left < f.ScreenLeft || f.Right > f.ScreenRight {
		t.Errorf("D004 leaves the screen: box %v–%v × %v–%v in a %v×%v viewport", f.Left, f.Right, f.Top, f.Bottom, f.Width, f.Height)
	}
	if f.FontSize < 300 {
		t.Errorf("D004 drawn at %v px; the number must stay readable from a distance (≥ 300 px)", f.FontSize)
	}

	// A kiosk PC without the font draws the number in Chromium's fallback, DejaVu Sans, the
	// widest of the usual sans-serif fonts: it must still fit.
	browsertest.Eval[bool](t, ctx, step, `(() => { const el = document.getElementById('done-code'); el.style.fontFamily = '"DejaVu Sans"'; return el.offsetWidth > 0; })()`)
	if fams := renderedFonts(t, ctx, "#done-code"); !slices.Equal(fams, []string{"DejaVu Sans"}) {
		t.Logf("DejaVu Sans not installed (drawn in %q): fallback not checked", fams)
		return
	}
	f = browsertest.Eval[fit](t, ctx, step, numberFits)
	if f.ScrollWidth > f.ClientWidth || f.ScreenScroll > f.ScreenClient || f.Left < f.ScreenLeft || f.Right > f.ScreenRight || f.Left < 0 || f.Right > f.Width {
		t.Errorf("in DejaVu Sans D004 leaves its screen: box %v–%v, screen %v–%v, scroll %v of %v", f.Left, f.Right, f.ScreenLeft, f.ScreenRight, f.ScreenScroll, f.ScreenClient)
	}
}
