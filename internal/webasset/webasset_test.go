package webasset_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"antre/internal/webasset"
)

// script is long and repetitive enough that gzip makes it much smaller.
var script = strings.Repeat("document.getElementById('ticker').textContent = 'Kuota hari ini';\n", 40)

func pages() fstest.MapFS {
	return fstest.MapFS{
		"index.html":    {Data: []byte("<!doctype html><title>Antre</title><script src=app.js></script>" + strings.Repeat(" ", 200))},
		"app.js":        {Data: []byte(script)},
		"logo.png":      {Data: append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 400)...)},
		"img/empty.css": {Data: []byte("")},
	}
}

// client does not ask for gzip by itself, so each request says what it accepts.
var client = &http.Client{Transport: &http.Transport{DisableCompression: true}}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func fetch(t *testing.T, method, url string, header ...string) answer {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
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
	return answer{resp.StatusCode, resp.Header, b}
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("bad gzip: %v", err)
	}
	return string(out)
}

// TestRevalidation: a reload with the ETag the browser kept answers 304 with no body, so a TV
// does not download unchanged files again; a changed file gets a new tag and is sent in full.
func TestRevalidation(t *testing.T) {
	srv := httptest.NewServer(webasset.New(pages()))
	defer srv.Close()

	first := fetch(t, "GET", srv.URL+"/app.js", "Accept-Encoding", "identity")
	tag := first.header.Get("ETag")
	if first.status != 200 || string(first.body) != script {
		t.Fatalf("first load: %d, %d bytes", first.status, len(first.body))
	}
	if !strings.HasPrefix(tag, `"`) || len(tag) < 10 {
		t.Fatalf("ETag %q, want a strong tag", tag)
	}
	for k, want := range map[string]string{"Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-cache",
		"Vary": "Accept-Encoding", "X-Content-Type-Options": "nosniff", "Content-Encoding": ""} {
		if got := first.header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}

	again := fetch(t, "GET", srv.URL+"/app.js", "Accept-Encoding", "identity", "If-None-Match", tag)
	if again.status != http.StatusNotModified || len(again.body) != 0 || again.header.Get("ETag") != tag {
		t.Errorf("reload with the tag: %d, %d bytes, ETag %q; want 304, no body, the same tag", again.status, len(again.body), again.header.Get("ETag"))
	}
	if a := fetch(t, "GET", srv.URL+"/app.js", "Accept-Encoding", "identity", "If-None-Match", `"other", W/`+tag); a.status != http.StatusNotModified {
		t.Errorf("tag in a list, weak form: %d, want 304", a.status)
	}
	if a := fetch(t, "GET", srv.URL+"/app.js", "Accept-Encoding", "identity", "If-None-Match", `"stale"`); a.status != 200 || string(a.body) != script {
		t.Errorf("stale tag: %d, %d bytes; want the file", a.status, len(a.body))
	}

	// A new binary whose script changed: the browser's old tag no longer matches.
	changed := pages()
	changed["app.js"] = &fstest.MapFile{Data: []byte(script + "// fixed\n")}
	srv2 := httptest.NewServer(webasset.New(changed))
	defer srv2.Close()
	a := fetch(t, "GET", srv2.URL+"/app.js", "Accept-Encoding", "identity", "If-None-Match", tag)
	if a.status != 200 || a.header.Get("ETag") == tag || !strings.HasSuffix(string(a.body), "// fixed\n") {
		t.Errorf("changed file with the old tag: %d, ETag %q (old %q)", a.status, a.header.Get("ETag"), tag)
	}
}

// TestGzip: text goes compressed to clients that accept gzip, under a tag of its own, and
// decompresses to the file; clients that do not accept it, and images, get the bytes as they are.
func TestGzip(t *testing.T) {
	srv := httptest.NewServer(webasset.New(pages()))
	defer srv.Close()
	plain := fetch(t, "GET", srv.URL+"/app.js", "Accept-Encoding", "identity")

	z := fetch(t, "GET", srv.URL+"/app.js", "Accept-Encoding", "br, gzip;q=0.8")
	if z.header.Get("Content-Encoding") != "gzip" || z.header.Get("Vary") != "Accept-Encoding" {
		t.Fatalf("gzip client: Content-Encoding %q, Vary %q", z.header.Get("Content-Encoding"), z.header.Get("Vary"))
	}
	if got := gunzip(t, z.body); got != script {
		t.Errorf("gzip body decompresses to %d bytes, want the %d of the file", len(got), len(script))
	}
	if len(z.body) >= len(script)/4 || z.header.Get("Content-Length") != strconv.Itoa(len(z.body)) {
		t.Errorf("gzip body %d bytes (Content-Length %s) for a %d-byte file", len(z.body), z.header.Get("Content-Length"), len(script))
	}
	if z.header.Get("Content-Type") != "text/javascript; charset=utf-8" {
		t.Errorf("gzip Content-Type %q", z.header.Get("Content-Type"))
	}
	ztag := z.header.Get("ETag")
	if ztag == "" || ztag == plain.header.Get("ETag") {
		t.Errorf("gzip ETag %q, identity ETag %q: want two different tags", ztag, plain.header.Get("ETag"))
	}
	if a := fetch(t, "GET", srv.URL+"/app.js", "Accept-Encoding", "gzip, deflate", "If-None-Match", ztag); a.status != http.StatusNotModified || a.header.Get("Content-Encoding") != "" {
		t.Errorf("gzip reload: %d, Content-Encoding %q; want 304 without a coding", a.status, a.header.Get("Content-Encoding"))
	}
	if a := fetch(t, "GET", srv.URL+"/index.html", "Accept-Encoding", "*"); a.header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(gunzip(t, a.body), "<!doctype html>") {
		t.Errorf("Accept-Encoding *: Content-Encoding %q", a.header.Get("Content-Encoding"))
	}

	for _, ae := range []string{"", "identity", "gzip;q=0", "br", "*;q=0", "gzip;q=0, *"} {
		a := fetch(t, "GET", srv.URL+"/app.js", "Accept-Encoding", ae)
		if a.header.Get("Content-Encoding") != "" || string(a.body) != script {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, body %.20q", ae, a.header.Get("Content-Encoding"), a.body)
		}
	}

	png := fetch(t, "GET", srv.URL+"/logo.png", "Accept-Encoding", "gzip")
	if png.status != 200 || png.header.Get("Content-Encoding") != "" || png.header.Get("Content-Type") != "image/png" || png.header.Get("Vary") != "" {
		t.Errorf("image: %d, Content-Encoding %q, Content-Type %q, Vary %q", png.status, png.header.Get("Content-Encoding"), png.header.Get("Content-Type"), png.header.Get("Vary"))
	}
}

// TestHeadAndNames: HEAD gives the headers of GET without a body; "/" is the index page;
// directories and missing names are not found.
func TestHeadAndNames(t *testing.T) {
	srv := httptest.NewServer(webasset.New(pages()))
	defer srv.Close()
	get := fetch(t, "GET", srv.URL+"/app.js", "Accept-Encoding", "gzip")
	head := fetch(t, "HEAD", srv.URL+"/app.js", "Accept-Encoding", "gzip")
	if head.status != 200 || len(head.body) != 0 || head.header.Get("ETag") != get.header.Get("ETag") ||
		head.header.Get("Content-Length") != get.header.Get("Content-Length") || head.header.Get("Content-Encoding") != "gzip" {
		t.Errorf("HEAD: %d, %d bytes, %v; GET: %v", head.status, len(head.body), head.header, get.header)
	}
	if a := fetch(t, "GET", srv.URL+"/"); a.status != 200 || a.header.Get("Content-Type") != "text/html; charset=utf-8" || !strings.HasPrefix(string(a.body), "<!doctype html>") {
		t.Errorf("/: %d %q", a.status, a.header.Get("Content-Type"))
	}
	for _, p := range []string{"/img", "/img/", "/missing.js", "/../app.js", "/img//empty.css"} {
		if a := fetch(t, "GET", srv.URL+p); a.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, a.status)
		}
	}
	if a := fetch(t, "GET", srv.URL+"/img/empty.css", "Accept-Encoding", "gzip"); a.status != 200 || len(a.body) != 0 || a.header.Get("Content-Encoding") != "" {
		t.Errorf("empty file: %d, %d bytes, Content-Encoding %q (gzip would make it larger)", a.status, len(a.body), a.header.Get("Content-Encoding"))
	}

	one := httptest.NewServer(webasset.New(pages()).Handler("index.html"))
	defer one.Close()
	if a := fetch(t, "GET", one.URL+"/status/A012"); a.status != 200 || !strings.HasPrefix(string(a.body), "<!doctype html>") {
		t.Errorf("Handler(index.html) at /status/A012: %d", a.status)
	}
}
