package display_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"antre"
	"antre/display"
	"antre/internal/browsertest"
	"antre/media"
	"antre/server"
	"antre/server/servertest"
)

func get(t *testing.T, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
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

// TestAnnounceWAV: the hub serves each announcement as the media package renders it, with
// range requests for media elements, and refuses bad calls with the catalogue's message.
func TestAnnounceWAV(t *testing.T) {
	srv := httptest.NewServer(display.Handler(display.Options{}))
	defer srv.Close()
	r, err := media.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		query  string
		code   string
		n      int
		digits bool
	}{
		{"code=A012&counter=3", "A012", 3, false},
		{"code=f007&counter=12&digits=1", "F007", 12, true},
	} {
		resp, body := get(t, srv.URL+"/display/announce?"+tc.query)
		c, err := media.ParseCall(tc.code, tc.n)
		if err != nil {
			t.Fatal(err)
		}
		want, err := r.WAV(c, media.Options{Digits: tc.digits})
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "audio/wav" || !bytes.Equal(body, want) {
			t.Errorf("%s: %d %s, %d bytes (want %d)", tc.query, resp.StatusCode, resp.Header.Get("Content-Type"), len(body), len(want))
		}
	}
	resp, body := get(t, srv.URL+"/display/announce?code=A012&counter=3", "Range", "bytes=0-43")
	if resp.StatusCode != http.StatusPartialContent || len(body) != 44 || string(body[:4]) != "RIFF" {
		t.Errorf("range: %d, %d bytes", resp.StatusCode, len(body))
	}
	for _, tc := range []struct{ query, lang, want string }{
		{"code=A12&counter=3", "", antre.T("id", antre.MsgBadCode)},
		{"code=A012&counter=x&lang=en", "", antre.T("en", antre.MsgBadRequest, "loket")},
		{"code=Z001&counter=1", "en-US", antre.T("en", antre.MsgBadGroup)},
	} {
		resp, body := get(t, srv.URL+"/display/announce?"+tc.query, "Accept-Language", tc.lang)
		var e struct {
			Error struct{ Code, Message string }
		}
		json.Unmarshal(body, &e)
		if resp.StatusCode != 400 || e.Error.Code != antre.EINVALID || e.Error.Message != tc.want {
			t.Errorf("%s: %d %+v, want 400 %q", tc.query, resp.StatusCode, e.Error, tc.want)
		}
	}
}

// writePNG writes a 1280×720 poster image to path.
func writePNG(t *testing.T, path string) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 1280, 720))
	for y := range 720 {
		for x := range 1280 {
			img.Set(x, y, color.RGBA{uint8(10 + x/20), uint8(40 + y/8), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// mediaDir makes a media folder with two playable files and some that must not be served.
func mediaDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writePNG(t, filepath.Join(dir, "01-biaya.png"))
	for name, body := range map[string]string{"02-tutorial.webm": "webm", "notes.txt": "x", ".hidden.png": "x", "logo.svg": "<svg/>"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub.png"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(dir), "secret.png"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestMediaPlaylist: the playlist lists the folder's images and videos in name order, serves
// them, and serves nothing else.
func TestMediaPlaylist(t *testing.T) {
	dir := mediaDir(t)
	srv := httptest.NewServer(display.Handler(display.Options{MediaDir: dir}))
	defer srv.Close()
	_, body := get(t, srv.URL+"/display/media/")
	var list struct {
		Items []struct{ Name, Type, URL string }
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(list.Items); got != "[{01-biaya.png image /display/media/01-biaya.png} {02-tutorial.webm video /display/media/02-tutorial.webm}]" {
		t.Errorf("playlist %s", got)
	}
	if resp, b := get(t, srv.URL+"/display/media/01-biaya.png"); resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || len(b) < 100 {
		t.Errorf("image: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, name := range []string{"notes.txt", ".hidden.png", "logo.svg", "sub.png", "..%2Fsecret.png", "missing.png"} {
		if resp, _ := get(t, srv.URL+"/display/media/"+name); resp.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", name, resp.StatusCode)
		}
	}
	empty := httptest.NewServer(display.Handler(display.Options{}))
	defer empty.Close()
	if _, b := get(t, empty.URL+"/display/media/"); strings.TrimSpace(string(b)) != `{"items":[]}` {
		t.Errorf("no folder: %s", b)
	}
}

// TestStatusPage: an applicant's phone shows the ticket's status from its QR code's address.
func TestStatusPage(t *testing.T) {
	h := servertest.New(t)
	h.Issue("A")
	h.Issue("A")
	srv := httptest.NewServer(display.Handler(display.Options{}))
	defer srv.Close()
	if resp, b := get(t, srv.URL+"/status/A002"); resp.StatusCode != 200 || !strings.Contains(string(b), "status.js") {
		t.Errorf("/status/A002: %d", resp.StatusCode)
	}
	browser := browsertest.New(t, browsertest.Options{Width: 412, Height: 900})
	tab := browsertest.Tab(t, browser)
	browsertest.Do(t, tab, 10*time.Second, chromedp.EmulateViewport(412, 900), chromedp.Navigate(h.URL+"/display/status?code=a002"))
	browsertest.WaitJS(t, tab, 10*time.Second, `document.getElementById("status").textContent === "Menunggu dipanggil" && document.getElementById("ahead").textContent === "1 orang"`,
		`document.body.innerText`)
	screenshot(t, tab, "status-waiting")
	next(t, h, 1)
	next(t, h, 3)
	// An elderly applicant's number comes from the priority pool; the page shows what an
	// applicant walking in can still get: A's walk-in pool, 42 − 2.
	if st := h.Do("POST", "/api/v1/tickets", h.Kiosk, map[string]any{"group": "A", "category": "elderly"}, nil); st != 201 {
		t.Fatalf("issue an elderly applicant's A: %d", st)
	}
	browsertest.Do(t, tab, 10*time.Second, chromedp.Reload())
	browsertest.WaitJS(t, tab, 10*time.Second, `document.getElementById("status").textContent === "Dipanggil — silakan menuju Loket 3"`, `document.body.innerText`)
	if got := browsertest.Eval[string](t, tab, 5*time.Second, `document.getElementById("quota-row").innerText.replace(/\s+/g, " ")`); got != "Sisa kuota datang langsung hari ini 40 / 42" {
		t.Errorf("quota row %q, want Sisa kuota datang langsung hari ini 40 / 42", got)
	}
	browsertest.Do(t, tab, 10*time.Second, chromedp.Navigate(h.URL+"/status/A002?lang=en"))
	browsertest.WaitJS(t, tab, 10*time.Second, `document.getElementById("quota-row").innerText.replace(/\s+/g, " ") === "Walk-in quota left today 40 / 42"`, `document.getElementById("quota-row").innerText`)
	browsertest.Do(t, tab, 10*time.Second, chromedp.Navigate(h.URL+"/display/status?code=B999&lang=en"))
	browsertest.WaitJS(t, tab, 10*time.Second, fmt.Sprintf(`document.getElementById("error").textContent === %q`, antre.T("en", antre.MsgTicketNotFound)), `document.body.innerText`)
}

// layoutProblems lists the page's parts that leave the screen or clip their content.
const layoutProblems = `(() => {
  const W = innerWidth, H = innerHeight, bad = [];
  const parts = ['.head', '.main', '.call', '.recent', '.media', '.groups', '.group', '.ticker', '#current-code', '.call-counter', '.recent-list li', '.group .stat'];
  for (const sel of parts) {
    document.querySelectorAll(sel).forEach((el) => {
      if (el.offsetParent === null) return;
      const r = el.getBoundingClientRect();
      if (r.left < -1 || r.top < -1 || r.right > W + 1 || r.bottom > H + 1) bad.push(sel + ' leaves the screen ' + JSON.stringify([r.left, r.top, r.right, r.bottom]));
      if (el.scrollWidth > el.clientWidth + 1) bad.push(sel + ' clips its content: ' + el.textContent);
      const panel = el.closest('.recent');
      if (panel && el !== panel && r.bottom > panel.getBoundingClientRect().bottom + 1) bad.push(sel + ' overflows its panel: ' + el.textContent);
    });
  }
  return bad;
})()`

// TestDisplayLayouts: on a full day (every group, a full list of previous calls, two-digit
// counters) the landscape and portrait layouts, with and without media, keep everything on the
// screen and unclipped.
func TestDisplayLayouts(t *testing.T) {
	h := servertest.New(t, func(c *server.Config) {
		c.Display.MediaDir = mediaDir(t)
		c.Counters = nil
		for i := 1; i <= 12; i++ {
			c.Counters = append(c.Counters, antre.Counter{Number: i, Name: fmt.Sprintf("Loket %d", i), Groups: []string{"A", "B", "C", "D", "E", "F"}})
		}
	})
	noMedia, err := h.DB().AddDevice(t.Context(), "display-plain", "display")
	if err != nil {
		t.Fatal(err)
	}
	if st := h.Do("PUT", "/api/v1/devices/display-plain/settings", h.Admin, map[string]any{"media": false}, nil); st != 204 {
		t.Fatalf("settings: %d", st)
	}
	for i := range 12 {
		h.Issue(string(rune('A' + i%6)))
	}
	for i := range 10 {
		next(t, h, 12-i)
	}
	browser := browsertest.New(t, browsertest.Options{})
	for _, tc := range []struct {
		name, token, query string
		w, h               int64
	}{
		{"display-landscape-full", noMedia, "", 1920, 1080},
		{"display-landscape-media", h.Display, "", 1920, 1080},
		{"display-portrait", noMedia, "&layout=portrait", 1080, 1920},
		{"display-portrait-media", h.Display, "&layout=portrait", 1080, 1920},
		{"display-landscape-en-1366", noMedia, "&lang=en", 1366, 768},
	} {
		tab := browsertest.Tab(t, browser)
		browsertest.Do(t, tab, 20*time.Second, chromedp.EmulateViewport(tc.w, tc.h), chromedp.Navigate(h.URL+"/display?token="+tc.token+tc.query))
		browsertest.WaitJS(t, tab, 10*time.Second, `window.antreDisplay && antreDisplay.state() === "open" && antreDisplay.current() === "D002"`, `antreDisplay.current()`)
		if tc.token == h.Display {
			browsertest.WaitJS(t, tab, 10*time.Second, `document.body.classList.contains("has-media") && document.getElementById("media-img").complete && !document.getElementById("media-img").hidden`, `document.body.className`)
		}
		if errs := browsertest.Eval[[]string](t, tab, 5*time.Second, `antreDisplay.errors()`); len(errs) > 0 {
			t.Errorf("%s: script errors %v", tc.name, errs)
		}
		if n := browsertest.Eval[int](t, tab, 5*time.Second, `document.querySelectorAll('img:not([src]), img[src=""]').length`); n > 0 {
			t.Errorf("%s: %d images without a source (invalid HTML)", tc.name, n)
		}
		if bad := browsertest.Eval[[]string](t, tab, 5*time.Second, layoutProblems); len(bad) > 0 {
			t.Errorf("%s:\n%s", tc.name, strings.Join(bad, "\n"))
		}
		screenshot(t, tab, tc.name)
	}
}

// TestPagesRevalidate: a TV that reloads the display keeps what it has: the page and its
// scripts answer 304 to the ETag of the last load, are sent gzip-compressed to a browser that
// accepts it, and the page keeps its security headers.
func TestPagesRevalidate(t *testing.T) {
	srv := httptest.NewServer(display.Handler(display.Options{}))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	fetch := func(path string, header ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
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
		{"/display?token=x", "text/html; charset=utf-8", "display.js"},
		{"/status/A001", "text/html; charset=utf-8", "status.js"},
		{"/display/static/display.js", "text/javascript; charset=utf-8", "antreDisplay"},
		{"/display/static/display.css", "text/css; charset=utf-8", "font-family"},
	} {
		plain, body := fetch(tc.path)
		tag := plain.Header.Get("ETag")
		if plain.StatusCode != 200 || tag == "" || plain.Header.Get("Content-Type") != tc.ctype || plain.Header.Get("Cache-Control") != "no-cache" ||
			plain.Header.Get("Content-Encoding") != "" || !strings.Contains(string(body), tc.contains) {
			t.Errorf("%s: %d, headers %v", tc.path, plain.StatusCode, plain.Header)
			continue
		}
		if r, b := fetch(tc.path, "If-None-Match", tag); r.StatusCode != http.StatusNotModified || len(b) != 0 {
			t.Errorf("%s reloaded with its ETag: %d, %d bytes; want 304", tc.path, r.StatusCode, len(b))
		}
		z, zb := fetch(tc.path, "Accept-Encoding", "gzip, deflate, br")
		if z.Header.Get("Content-Encoding") != "gzip" || z.Header.Get("Vary") != "Accept-Encoding" || len(zb) >= len(body) {
			t.Errorf("%s to a gzip browser: Content-Encoding %q, Vary %q, %d bytes of %d", tc.path, z.Header.Get("Content-Encoding"), z.Header.Get("Vary"), len(zb), len(body))
			continue
		}
		zr, err := gzip.NewReader(bytes.NewReader(zb))
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		if unzipped, err := io.ReadAll(zr); err != nil || !bytes.Equal(unzipped, body) {
			t.Errorf("%s: gzip body does not decompress to the page (%v)", tc.path, err)
		}
		if r, _ := fetch(tc.path, "Accept-Encoding", "gzip", "If-None-Match", z.Header.Get("ETag")); r.StatusCode != http.StatusNotModified {
			t.Errorf("%s reloaded gzip with its ETag: %d", tc.path, r.StatusCode)
		}
		if strings.HasSuffix(tc.ctype, "html; charset=utf-8") {
			if plain.Header.Get("X-Frame-Options") != "DENY" || plain.Header.Get("Referrer-Policy") != "no-referrer" || !strings.Contains(plain.Header.Get("Content-Security-Policy"), "default-src 'self'") {
				t.Errorf("%s lost its security headers: %v", tc.path, plain.Header)
			}
		}
	}
	if r, _ := fetch("/display/static/display.html"); r.StatusCode != http.StatusNotFound {
		t.Errorf("a page through the assets route: %d, want 404", r.StatusCode)
	}
}

// TestPagesImagesHaveSources: the HTML the hub serves has no <img> without a src, which HTML
// does not allow (the display makes its media image when it has one to show).
func TestPagesImagesHaveSources(t *testing.T) {
	srv := httptest.NewServer(display.Handler(display.Options{}))
	defer srv.Close()
	img := regexp.MustCompile(`(?is)<img\b[^>]*>`)
	src := regexp.MustCompile(`(?is)\ssrc\s*=\s*("[^"]+"|'[^']+'|[^\s>"']+)`)
	for _, path := range []string{"/display?token=x", "/status/A001"} {
		resp, b := get(t, srv.URL+path)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		for _, tag := range img.FindAllString(string(b), -1) {
			if !src.MatchString(tag) {
				t.Errorf("%s: %s has no src", path, tag)
			}
		}
	}
}

// TestStatusContrast: every text of the public status page reaches WCAG AA's 4.5:1 on its
// background in each status an applicant can see, the "Selesai dilayani" badge among them.
func TestStatusContrast(t *testing.T) {
	h := servertest.New(t)
	for range 4 {
		h.Issue("A")
	}
	next(t, h, 1) // A001 at 1
	if st := h.Do("POST", "/api/v1/counters/1/finish", h.Officer, nil, nil); st != 200 {
		t.Fatalf("finish A001: %d", st)
	}
	next(t, h, 1) // A002 at 1
	if st := h.Do("POST", "/api/v1/counters/1/no-show", h.Officer, nil, nil); st != 200 {
		t.Fatalf("no-show A002: %d", st)
	}
	if st := h.Do("POST", "/api/v1/tickets/A003/cancel", h.Officer, map[string]string{"reason": "pemohon pulang"}, nil); st != 200 {
		t.Fatalf("cancel A003: %d", st)
	}
	next(t, h, 2) // A004 at 2
	h.Issue("A")  // A005 waits
	browser := browsertest.New(t, browsertest.Options{Width: 412, Height: 900})
	tab := browsertest.Tab(t, browser)
	seen := map[string]bool{}
	for _, tc := range []struct{ code, status string }{
		{"A001", "Selesai dilayani"},
		{"A002", "Tidak hadir saat dipanggil — segera hubungi petugas"},
		{"A003", "Dibatalkan"},
		{"A004", "Dipanggil — silakan menuju Loket 2"},
		{"A005", "Menunggu dipanggil"},
		{"B999", ""},
	} {
		browsertest.Do(t, tab, 10*time.Second, chromedp.Navigate(h.URL+"/status/"+tc.code))
		if tc.status == "" {
			browsertest.WaitJS(t, tab, 10*time.Second, `!document.getElementById("error").hidden`, `document.body.innerText`)
		} else {
			browsertest.WaitJS(t, tab, 10*time.Second, fmt.Sprintf(`document.getElementById("status").textContent === %q && document.getElementById("office-name").textContent.trim() !== ""`, tc.status), `document.body.innerText`)
		}
		for _, x := range browsertest.Texts(t, tab) {
			seen[x.Element+": "+x.Text] = true
			if x.Unknown || x.Ratio() < 4.5 {
				t.Errorf("%s: %s", tc.code, x)
			}
		}
	}
	for _, want := range []string{
		"div#status.status.done: Selesai dilayani",
		"div#status.status.no_show: Tidak hadir saat dipanggil — segera hubungi petugas",
		"div#status.status.cancelled: Dibatalkan",
		"div#status.status.called: Dipanggil — silakan menuju Loket 2",
		"div#status.status.waiting: Menunggu dipanggil",
		"p#error.error: " + antre.T("id", antre.MsgTicketNotFound),
		"input#code-input: A012",
	} {
		if !seen[want] {
			t.Errorf("%q was not on the page to check", want)
		}
	}
	if t.Failed() {
		t.Logf("checked: %q", slices.Sorted(maps.Keys(seen)))
	}
}
