package display

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"
)

// playlist is the folder of images and videos that displays play in their media area.
type playlist struct {
	dir string
	log *slog.Logger
}

// mediaItem is one entry of the playlist.
type mediaItem struct {
	Name string `json:"name"`
	Type string `json:"type"` // "image" or "video"
	URL  string `json:"url"`
}

// mediaKind is "image" or "video" for the file types a browser plays in the media area, and ""
// for every other file (SVG included: it can carry scripts).
func mediaKind(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".png", ".webp", ".gif":
		return "image"
	case ".mp4", ".webm", ".ogv":
		return "video"
	}
	return ""
}

// list answers the playlist: the folder's images and videos in file-name order (name them
// 01-…, 02-… to order them), hidden files left out. No folder is an empty playlist.
func (m playlist) list(w http.ResponseWriter, r *http.Request) {
	items := []mediaItem{}
	if m.dir != "" {
		entries, err := os.ReadDir(m.dir)
		if err != nil {
			m.log.Error("display media folder unreadable", "dir", m.dir, "err", err)
		}
		for _, e := range entries {
			name := e.Name()
			if kind := mediaKind(name); kind != "" && e.Type().IsRegular() && !strings.HasPrefix(name, ".") {
				items = append(items, mediaItem{Name: name, Type: kind, URL: "/display/media/" + url.PathEscape(name)})
			}
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	json.NewEncoder(w).Encode(map[string]any{"items": items})
}

// file serves one playlist file. It is opened through an os.Root of the folder, so no name
// reaches outside it.
func (m playlist) file(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if m.dir == "" || mediaKind(name) == "" || strings.HasPrefix(name, ".") {
		http.NotFound(w, r)
		return
	}
	root, err := os.OpenRoot(m.dir)
	if err != nil {
		m.log.Error("display media folder unreadable", "dir", m.dir, "err", err)
		http.NotFound(w, r)
		return
	}
	defer root.Close()
	f, err := root.Open(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "max-age=300")
	http.ServeContent(w, r, name, st.ModTime(), f)
}
