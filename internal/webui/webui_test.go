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
// gives a page its words in both languages from the catalogue, without the page's prefix, and
// those of several pages together, refusing two pages that word one key.
func TestShared(t *testing.T) {
	if err := antre.AddMessages(antre.Messages{
		"webuitest.hello":  {"Halo", "Hello"},
		"webuishared.bye":  {"Dadah", "Bye"},
		"webuiclash.hello": {"Hai", "Hi"},
	}); err != nil {
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
	texts := decodeTexts(t, b)
	if texts["id"]["hello"] != "Halo" || texts["en"]["hello"] != "Hello" || len(texts["en"]) != 1 {
		t.Fatalf("texts.js: %s", b)
	}

	resp, err = http.Get(srv.URL + "/static/texts.js?page=webuitest,webuishared")
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	texts = decodeTexts(t, b)
	if texts["id"]["hello"] != "Halo" || texts["en"]["bye"] != "Bye" || texts["id"]["bye"] != "Dadah" || len(texts["en"]) != 2 {
		t.Fatalf("texts.js of two pages: %s", b)
	}

	for _, bad := range []struct {
		query  string
		status int
	}{
		{"page=../x", 404},
		{"page=webuitest,../x", 404},
		{"page=webuitest,", 404},
		{"page=", 404},
		{"page=webuitest,webuiclash", 500}, // both word "hello"
	} {
		resp, err := http.Get(srv.URL + "/static/texts.js?" + bad.query)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != bad.status {
			t.Errorf("texts.js?%s: %d, want %d", bad.query, resp.StatusCode, bad.status)
		}
	}
}

// decodeTexts reads the catalogue entries out of a texts.js answer.
func decodeTexts(t *testing.T, b []byte) map[string]map[string]string {
	t.Helper()
	js, ok := strings.CutPrefix(string(b), "window.ANTRE_TEXTS = ")
	js, ok2 := strings.CutSuffix(js, ";\n")
	var texts map[string]map[string]string
	if err := json.Unmarshal([]byte(js), &texts); err != nil || !ok || !ok2 {
		t.Fatalf("texts.js: %s (%v)", b, err)
	}
	return texts
}
