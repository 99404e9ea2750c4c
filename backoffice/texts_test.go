package backoffice

import (
	"os"
	"regexp"
	"testing"

	"antre"
)

// TestPageWords: every word the console looks up (t('…') with a literal key, data-t, the
// column and office keys it lists, and the keys it builds from roles, holiday kinds, actions
// and device roles) is in the catalogue in Indonesian and English.
func TestPageWords(t *testing.T) {
	js, err := os.ReadFile("web/admin.js")
	if err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile("web/admin.html")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, re := range []*regexp.Regexp{regexp.MustCompile(`\bt\('([a-z_]+)'[,)]`), regexp.MustCompile(`'((?:col|office)_[a-z_]+)'`)} {
		for _, m := range re.FindAllStringSubmatch(string(js), -1) {
			keys[m[1]] = true
		}
	}
	for _, m := range regexp.MustCompile(`data-t="([a-z_]+)"`).FindAllStringSubmatch(string(html), -1) {
		keys[m[1]] = true
	}
	for _, r := range append(append([]antre.Role{}, antre.StaffRoles...), antre.RoleKiosk, antre.RoleDisplay, antre.RoleFeedback) {
		keys["role_"+string(r)] = true
	}
	for _, r := range []string{"kiosk", "display", "feedback"} {
		keys["pair_help_"+r], keys["settings_hint_"+r] = true, true
	}
	for _, k := range []antre.HolidayKind{antre.HolidayNational, antre.HolidayCutiBersama, antre.HolidayRegional, antre.HolidayOffice} {
		keys["kind_"+string(k)] = true
	}
	for _, a := range []string{"quota", "group", "counter", "calendar", "user", "device", "display", "sms", "info"} {
		keys["act_"+a] = true
	}
	for ev := range Audited {
		keys["act_"+regexp.MustCompile(`\.`).ReplaceAllString(string(ev), "_")] = true
	}
	if len(keys) < 100 {
		t.Fatalf("found only %d keys: the patterns no longer match the page", len(keys))
	}
	cat := catalogue()
	for k := range keys {
		v, ok := cat[antre.MsgKey("backoffice."+k)]
		if !ok || v[0] == "" || v[1] == "" {
			t.Errorf("backoffice.%s is not worded in both languages", k)
		}
	}
}
