package voice_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"antre"
)

// dynamicKeys are, per script, the keys its computed lookups (t('prefix' + value)) can read.
var dynamicKeys = map[string][]string{
	"survey.js": {"sv.state_answered", "sv.state_not_served"},
	"aduan.js":  append(prefixed("cp.cat_", complaintCategories()...), "cp.answer", "cp.reason"),
	"transparansi.js": concat(prefixed("tr.cat_", "A", "B", "C", "D"),
		prefixed("tr.reason_", "ratio_normal", "ratio_priority", "fallback_normal", "fallback_priority", "ageing", "specific", "other"),
		prefixed("tr.dcat_", dispensationCategories()...), workflowKeys()),
	"info.js": append(prefixed("cp.cat_", complaintCategories()...), prefixed("info.kind_", "ticket", "application", "complaint")...),
}

// workflowKeys are the passport workflow's words the transparency page shows for its
// out-of-order takes: the stages and the takes' categories.
func workflowKeys() []string {
	var out []string
	for _, s := range antre.Stages {
		out = append(out, "stage."+string(s))
	}
	for _, c := range antre.TakeCategories {
		out = append(out, "take."+string(c))
	}
	return out
}

func concat(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func complaintCategories() []string {
	var out []string
	for _, c := range antre.ComplaintCategories {
		out = append(out, string(c))
	}
	return out
}

func dispensationCategories() []string {
	var out []string
	for _, c := range antre.Categories {
		out = append(out, string(c))
	}
	return out
}

func prefixed(p string, s ...string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = p + x
	}
	return out
}

// TestPageTexts reads the module's pages as a browser loads them: each loads its words from
// the one catalogue (texts.js) first, the hub serves those words without a clash between the
// pages' parts, and every key the HTML (data-t) and the scripts (t('…'), and the computed
// lookups above) look up is worded in both languages. No script keeps a dictionary, and the
// catalogue's own lists match the scripts' (the complaint categories).
func TestPageTexts(t *testing.T) {
	e := newEnv(t)
	pages := map[string]string{"survey.html": "survey.js", "aduan.html": "aduan.js", "transparansi.html": "transparansi.js", "info.html": "info.js"}
	for html, script := range pages {
		t.Run(html, func(t *testing.T) {
			src := read(t, "web/"+html)
			scripts := regexp.MustCompile(`<script src="([^"]+)"`).FindAllStringSubmatch(src, -1)
			if len(scripts) < 3 || !strings.HasPrefix(scripts[0][1], "/static/texts.js?page=voice") {
				t.Fatalf("the first script must be texts.js: %v", scripts)
			}
			words := served(t, e.h.URL+scripts[0][1])
			keys := []string{}
			for _, m := range regexp.MustCompile(`data-t="([^"]*)"`).FindAllStringSubmatch(src, -1) {
				keys = append(keys, m[1])
			}
			js := read(t, "web/"+script)
			if regexp.MustCompile(`\b(?:id|en)\s*:\s*\{`).MatchString(js) {
				t.Errorf("%s keeps a dictionary", script)
			}
			for _, m := range regexp.MustCompile(`(?:^|[^\w.$])t\('([\w.]+)'\s*[,)]`).FindAllStringSubmatch(js, -1) {
				keys = append(keys, m[1])
			}
			keys = append(keys, dynamicKeys[script]...)
			if len(keys) < 10 {
				t.Fatalf("only %v", keys)
			}
			for _, k := range keys {
				for _, lang := range []string{"id", "en"} {
					if words[lang][k] == "" {
						t.Errorf("%s looks up %q, which has no %s words", html, k, lang)
					}
				}
			}
		})
	}
	for _, script := range []string{"aduan.js", "info.js"} {
		if !strings.Contains(read(t, "web/"+script), `'`+strings.Join(complaintCategories(), `', '`)+`'`) {
			t.Errorf("%s does not list the complaint categories as the domain does", script)
		}
	}
}

// served is what texts.js answers at address, per language.
func served(t *testing.T, address string) map[string]map[string]string {
	t.Helper()
	resp, err := http.Get(address)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d %s", address, resp.StatusCode, b)
	}
	var out map[string]map[string]string
	body := strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(string(b), "window.ANTRE_TEXTS = ")), ";")
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("%s: %v", address, err)
	}
	return out
}

func read(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
