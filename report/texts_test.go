package report_test

import (
	"os"
	"regexp"
	"testing"

	"antre"
)

// TestDashboardWords: every word the dashboard shows is in the catalogue in both languages
// (its HTML's data-t keys, its script's t('…') lookups and the stages it names), and the
// reports' tables and columns are worded too.
func TestDashboardWords(t *testing.T) {
	newEnv(t, at(8, 0)) // mounts the report module: its entries join the catalogue
	html, err := os.ReadFile("web/dashboard.html")
	if err != nil {
		t.Fatal(err)
	}
	js, err := os.ReadFile("web/dashboard.js")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, m := range regexp.MustCompile(`data-t="([^"]+)"`).FindAllStringSubmatch(string(html), -1) {
		keys = append(keys, m[1])
	}
	for _, m := range regexp.MustCompile(`[^\w.]t\('([\w.]+)'[,)]`).FindAllStringSubmatch(string(js), -1) {
		keys = append(keys, m[1])
	}
	for _, s := range antre.Stages {
		keys = append(keys, "stage."+string(s))
	}
	if len(keys) < 40 {
		t.Fatalf("found only %v", keys)
	}
	for _, k := range keys {
		for _, lang := range []string{"id", "en"} {
			if v := antre.T(lang, antre.MsgKey("report."+k)); v == "" || v == "report."+k {
				t.Errorf("the dashboard reads %q, but the catalogue has no report.%s in %s", k, k, lang)
			}
		}
	}
}
