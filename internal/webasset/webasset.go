// Package webasset serves the embedded web pages of the device roles with the HTTP manners
// that spare a TV or kiosk on a slow office network from downloading them again: a strong ETag
// from the content (so an unchanged file answers a reload with 304 Not Modified), revalidation
// on every load (Cache-Control: no-cache, so a new binary's pages show at once), and a gzip body
// for text to clients that accept it. Files are read, hashed and compressed once, on first use:
// the file system must not change while it is served, as an embed.FS never does.
//
// It imports nothing of the project.
package webasset

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

// Files serves the files of one file system. The zero value is not usable; use New.
type Files struct {
	fsys fs.FS

	mu    sync.Mutex
	files map[string]*file // by name, once read
}

// file is one file as served: its bytes and ETag, and, for text that compresses, its gzip
// body with the ETag of that representation.
type file struct {
	ctype      string
	body       []byte
	etag       string
	gz         []byte // nil when the type is not text or gzip does not make it smaller
	gzETag     string
	compressed bool // the type is text, so the answer varies with Accept-Encoding
}

// New serves the files of fsys, which must not change while it is served.
func New(fsys fs.FS) *Files {
	return &Files{fsys: fsys, files: map[string]*file{}}
}

// ServeHTTP serves the file the request's path names (relative to the file system, a leading
// slash removed; a path ending in "/" names its index.html). Directories and names that are
// not a valid fs path answer 404; see ServeFile for the rest.
func (s *Files) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/")
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	s.ServeFile(w, r, name)
}

// Handler serves the file name whatever the request's path, for pages with their own route.
func (s *Files) Handler(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.ServeFile(w, r, name) })
}

// ServeFile answers a GET or HEAD for the file name: 404 when there is no such file, 304 when
// If-None-Match holds the ETag of the representation the client would get, else the file with
// its Content-Type, Content-Length and ETag. Text (HTML, CSS, JavaScript, JSON, SVG, plain text)
// goes gzip-compressed to clients that accept gzip, under an ETag of its own, and its answers
// say Vary: Accept-Encoding. Every answer asks the browser to revalidate before reuse
// (Cache-Control: no-cache) and not to guess types (X-Content-Type-Options: nosniff).
func (s *Files) ServeFile(w http.ResponseWriter, r *http.Request, name string) {
	f, err := s.file(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	body, etag := f.body, f.etag
	if f.compressed {
		h.Add("Vary", "Accept-Encoding")
		if f.gz != nil && AcceptsGzip(r) {
			body, etag = f.gz, f.gzETag
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", etag)
	if noneMatch(r.Header.Get("If-None-Match"), etag) {
		h.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", f.ctype)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// file returns name's cached file, reading, hashing and compressing it on first use. Only
// files are remembered, so requests for made-up names cannot grow the cache.
func (s *Files) file(name string) (*file, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := s.files[name]; ok {
		return f, nil
	}
	f, err := load(s.fsys, name)
	if err != nil {
		return nil, err
	}
	s.files[name] = f
	return f, nil
}

// load reads name and prepares its representations; directories and invalid names are not
// found.
func load(fsys fs.FS, name string) (*file, error) {
	if !fs.ValidPath(name) {
		return nil, fs.ErrNotExist
	}
	if st, err := fs.Stat(fsys, name); err != nil || st.IsDir() {
		return nil, fs.ErrNotExist
	}
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	f := &file{body: b, etag: etagOf(b, "")}
	f.ctype, f.compressed = contentType(name, b)
	if f.compressed {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(b)
		zw.Close()
		if buf.Len() < len(b) {
			f.gz, f.gzETag = buf.Bytes(), etagOf(b, "-gzip")
		}
	}
	return f, nil
}

// etagOf is a strong ETag naming the content b (and its coding suffix): the first 16 bytes of
// its SHA-256, so any change to a file changes its tag.
func etagOf(b []byte, suffix string) string {
	sum := sha256.Sum256(b)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + suffix + `"`
}

// textTypes are the types served compressed, with their charset; they do not depend on the
// machine's MIME tables, which differ between systems.
var textTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".json": "application/json",
	".svg":  "image/svg+xml",
	".txt":  "text/plain; charset=utf-8",
}

// contentType is the type of file name with content b, and whether it is text worth
// compressing.
func contentType(name string, b []byte) (string, bool) {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := textTypes[ext]; ok {
		return t, true
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t, false
	}
	return http.DetectContentType(b), false
}

// AcceptsGzip reports whether the request's Accept-Encoding allows a gzip body: gzip (or "*"
// when gzip is not named) with a quality above zero.
func AcceptsGzip(r *http.Request) bool {
	star := false
	for _, v := range r.Header.Values("Accept-Encoding") {
		for part := range strings.SplitSeq(v, ",") {
			coding, params, _ := strings.Cut(part, ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding != "gzip" && coding != "*" {
				continue
			}
			ok := quality(params) > 0
			if coding == "gzip" {
				return ok
			}
			star = ok
		}
	}
	return star
}

// quality is the q parameter of an Accept-Encoding element's parameters (1 when absent).
func quality(params string) float64 {
	for p := range strings.SplitSeq(params, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return 0
			}
			return q
		}
	}
	return 1
}

// noneMatch reports whether an If-None-Match header lists etag (weak comparison, as RFC 9110
// asks for this header) or is "*".
func noneMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(etag, "W/")
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == want {
			return true
		}
	}
	return false
}
