// Package webui is what the device pages share: how a page and its assets are served (cache
// validators, gzip, the security headers of a page whose address may hold a device token), the
// page code they all use (static/live.js: the stream, the office state, API requests), and
// their words, taken from the one catalogue of user-facing text (texts.js). The hub serves the
// shared files at /static/, and so does the kiosk runtime for its own page, so no page loads
// another role's files.
package webui

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"strings"

	"antre"
	"antre/internal/webasset"
)

//go:embed static
var static embed.FS

// Page serves the HTML page name of files, for the device roles' embedded pages. Pages are small
// and change with the binary, so browsers revalidate them on every load, and an unchanged page
// answers 304 (see webasset); their address may hold a device token, so they send no referrer
// and may not be framed; and they run only their own scripts.
func Page(files fs.FS, name string) http.Handler {
	page := webasset.New(files).Handler(name)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'")
		page.ServeHTTP(w, r)
	})
}

// Assets serves the scripts, styles and images of files (mount it with http.StripPrefix), but
// not its HTML pages, which have their own routes through Page. Like pages, assets are
// revalidated on every load, answer 304 while unchanged and go gzip-compressed to browsers that
// accept it.
func Assets(files fs.FS) http.Handler {
	assets := webasset.New(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".html") || r.URL.Path == "" || strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		assets.ServeHTTP(w, r)
	})
}

// Shared serves the shared page files under /static/ (mount it at "/static/"): live.js, and
// texts.js?page=NAME[,NAME…], which sets window.ANTRE_TEXTS to the catalogue's entries of those
// pages ({"id": {...}, "en": {...}}, keys without their "NAME." prefix), so a page has its words,
// and those of the shared code it loads (page=display,live), before its own script runs.
func Shared() http.Handler {
	files, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded directory is part of the binary
	}
	assets := http.StripPrefix("/static/", Assets(files))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/static/texts.js" {
			texts(w, r)
			return
		}
		assets.ServeHTTP(w, r)
	})
}

// texts answers texts.js for the pages named in ?page=, comma-separated. Their entries share
// one set of keys once the prefixes are gone, so a key two of them word is refused (500) rather
// than one silently hiding the other.
func texts(w http.ResponseWriter, r *http.Request) {
	pages := strings.Split(r.URL.Query().Get("page"), ",")
	for _, p := range pages {
		if p == "" || strings.ContainsAny(p, "./") {
			http.NotFound(w, r)
			return
		}
	}
	out, err := pageTexts(pages)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	b, _ := json.Marshal(out)
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write([]byte("window.ANTRE_TEXTS = "))
	w.Write(b)
	w.Write([]byte(";\n"))
}

// pageTexts gathers the catalogue's entries of pages, per language, without their prefixes.
func pageTexts(pages []string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, lang := range []string{"id", "en"} {
		m := map[string]string{}
		from := map[string]string{}
		for _, page := range pages {
			for k, v := range antre.CatalogueWithPrefix(lang, page+".") {
				key := strings.TrimPrefix(k, page+".")
				if other, dup := from[key]; dup {
					return nil, fmt.Errorf("texts.js: %s.%s and %s.%s are the same key on one page", other, key, page, key)
				}
				m[key], from[key] = v, page
			}
		}
		out[lang] = m
	}
	return out, nil
}
