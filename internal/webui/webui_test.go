package webui_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"antre"
	"antre/internal/webui"
)

// TestShared: the shared page code is served with a validator that answers 304, and texts.js
// gives a page its words in both languages from the catalogue, without the page's prefix.
func TestShared(t *testing.T) {
	if err := antre.AddMessages(antre.Messages{"webuitest.hello": {"Halo", "Hello"}}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(webui.Shared())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/static/live.js")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	tag := resp.Header.Get("ETag")
	if resp.StatusCode != 200 || tag == "" || !strings.Contains(string(b), "AntreLive") {
		t.Fatalf("live.js: %d %q", resp.StatusCode, tag)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/static/live.js", nil)
	req.Header.Set("If-None-Match", tag)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusNotModified {
		t.Fatalf("live.js with its ETag: %v %v", resp.StatusCode, err)
	}
	resp, err = http.Get(srv.URL + "/static/texts.js?page=webuitest")
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	js := strings.TrimSuffix(strings.TrimPrefix(string(b), "window.ANTRE_TEXTS = "), ";\n")
	var texts map[string]map[string]string
	if err := json.Unmarshal([]byte(js), &texts); err != nil || texts["id"]["hello"] != "Halo" || texts["en"]["hello"] != "Hello" {
		t.Fatalf("texts.js: %s (%v)", b, err)
	}
	if resp, _ := http.Get(srv.URL + "/static/texts.js?page=../x"); resp.StatusCode != 404 {
		t.Errorf("a bad page name: %d", resp.StatusCode)
	}
}
