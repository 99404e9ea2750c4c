package backoffice_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"antre"
	"antre/server/servertest"
)

// env is a running hub with an admin, an officer, a head of office and their tokens.
type env struct {
	t *testing.T
	*servertest.Hub
	Head string
	base int64 // the newest audit entry of the set-up (the test accounts and devices)
}

func newEnv(t *testing.T) *env {
	t.Helper()
	h := servertest.New(t)
	e := &env{t: t, Hub: h}
	e.addUser("kakanim", antre.RoleHead, "rahasia3")
	e.Head = e.login("kakanim", "rahasia3")
	if all := e.audit(""); len(all) > 0 {
		e.base = all[0].ID
	}
	return e
}

func (e *env) addUser(name string, role antre.Role, pw string) {
	e.t.Helper()
	if st := e.Do("POST", "/api/v1/users", e.Admin, map[string]any{"name": name, "role": role, "password": pw}, nil); st != http.StatusCreated {
		e.t.Fatalf("add user %s: %d", name, st)
	}
}

func (e *env) login(name, pw string) string {
	e.t.Helper()
	var out struct{ Token string }
	if st := e.Do("POST", "/api/v1/login", "", map[string]string{"name": name, "password": pw}, &out); st != http.StatusOK {
		e.t.Fatalf("login %s: %d", name, st)
	}
	return out.Token
}

// entry is an audit entry as the API answers it.
type entry struct {
	ID      int64
	Actor   string
	Action  string
	Subject string
	Detail  string
	Before  map[string]any
	After   map[string]any
}

func (e *env) audit(query string) []entry {
	e.t.Helper()
	var out struct{ Entries []entry }
	if st := e.Do("GET", "/api/v1/audit"+query, e.Admin, nil, &out); st != http.StatusOK {
		e.t.Fatalf("audit %s: %d", query, st)
	}
	var after []entry
	for _, en := range out.Entries {
		if en.ID > e.base {
			after = append(after, en)
		}
	}
	return after
}

// apiError is the API's error envelope.
type apiError struct {
	Error struct{ Code, Message string }
}

// TestAuditQuotaAndCalendar: the day's quota and a holiday, changed by the admin, appear in
// the audit log with who, what and the values before and after; filters select them.
func TestAuditQuotaAndCalendar(t *testing.T) {
	e := newEnv(t)
	if st := e.Do("PUT", "/api/v1/groups/A/quota", e.Admin, antre.Quota{WalkIn: 5, Online: 2, Priority: 1}, nil); st != http.StatusOK {
		t.Fatalf("set quota: %d", st)
	}
	if st := e.Do("PUT", "/api/v1/groups/A/quota", e.Admin, antre.Quota{WalkIn: 7, Online: 2, Priority: 1}, nil); st != http.StatusOK {
		t.Fatalf("set quota again: %d", st)
	}
	if st := e.Do("PUT", "/api/v1/holidays/2027-01-01", e.Admin, map[string]string{"name": "Tahun Baru", "kind": "national"}, nil); st != http.StatusOK {
		t.Fatalf("holiday: %d", st)
	}
	if st := e.Do("DELETE", "/api/v1/holidays/2027-01-01", e.Admin, nil, nil); st != http.StatusNoContent {
		t.Fatalf("delete holiday: %d", st)
	}
	q := e.audit("?action=quota")
	if len(q) != 2 {
		t.Fatalf("quota entries %+v", q)
	}
	def := antre.SplitQuota(60, 20, 10) // the group's standing quota
	first, second := q[1], q[0]         // newest first
	if first.Actor != "kepala" || first.Subject != "A" || first.Before["walkin"] != float64(def.WalkIn) || first.After["walkin"] != float64(5) {
		t.Errorf("first quota change %+v", first)
	}
	if second.Before["walkin"] != float64(5) || second.After["walkin"] != float64(7) {
		t.Errorf("second quota change %+v, want 5 → 7", second)
	}
	cal := e.audit("?action=calendar.changed&subject=2027-01")
	if len(cal) != 2 || cal[1].Detail != "closed" || cal[1].Before != nil || cal[1].After["name"] != "Tahun Baru" ||
		cal[0].Detail != "opened" || cal[0].Before["name"] != "Tahun Baru" || cal[0].After != nil {
		t.Errorf("calendar entries %+v", cal)
	}
	if got := e.audit("?actor=nobody"); len(got) != 0 {
		t.Errorf("actor filter: %+v", got)
	}
	if got := e.audit("?before=" + strconv.FormatInt(cal[0].ID, 10) + "&action=calendar"); len(got) != 1 || got[0].ID != cal[1].ID {
		t.Errorf("paging before %d: %+v", cal[0].ID, got)
	}
	today := e.Clock.Now().In(e.Hub.DB().Office().Location).Format("2006-01-02")
	if got := e.audit("?from=" + today + "&to=" + today + "&action=quota"); len(got) != 2 {
		t.Errorf("today's quota entries: %+v", got)
	}
	if got := e.audit("?from=2000-01-01&to=2000-01-02"); len(got) != 0 {
		t.Errorf("entries of 2000: %+v", got)
	}
	// an SMS template edited, refused and reset
	if st := e.Do("PUT", "/api/v1/sms/templates/called", e.Admin, map[string]string{"body": "{code}: ke loket {counter}.", "lang": "id"}, nil); st != 200 {
		t.Fatalf("template: %d", st)
	}
	if st := e.Do("PUT", "/api/v1/sms/templates/called", e.Admin, map[string]string{"body": "{code} {nama}", "lang": "id"}, nil); st != 400 {
		t.Fatalf("bad template: %d", st)
	}
	if st := e.Do("PUT", "/api/v1/sms/templates/called", e.Admin, map[string]string{"body": "", "lang": "id"}, nil); st != 200 {
		t.Fatalf("template reset: %d", st)
	}
	sms := e.audit("?action=sms")
	if len(sms) != 2 || sms[1].Subject != "called/id" || sms[1].Detail != "edited" || sms[1].After["body"] != "{code}: ke loket {counter}." ||
		sms[0].Detail != "reset" || sms[0].Before["body"] != "{code}: ke loket {counter}." || sms[0].After["body"] != sms[1].Before["body"] {
		t.Errorf("sms template entries %+v", sms)
	}
	if got := e.audit("?limit=1"); len(got) != 1 || got[0].Action != "sms.template_changed" {
		t.Errorf("limit 1: %+v", got)
	}
	for _, bad := range []string{"?from=5-12-2026", "?from=2026-12-05&to=2026-12-01", "?limit=501", "?limit=x", "?before=-3"} {
		var out apiError
		if st := e.Do("GET", "/api/v1/audit"+bad+"&lang=en", e.Admin, nil, &out); st != http.StatusBadRequest || out.Error.Message == "" {
			t.Errorf("audit %s: %d %+v", bad, st, out)
		}
	}
}

// TestAdminRoutesRefused: officers, the head of office and devices get 403 on every admin
// route, no token 401, and nothing changes.
func TestAdminRoutesRefused(t *testing.T) {
	e := newEnv(t)
	routes := []struct{ method, path string }{
		{"GET", "/api/v1/audit"},
		{"GET", "/api/v1/users"},
		{"POST", "/api/v1/users"},
		{"PATCH", "/api/v1/users/petugas"},
		{"GET", "/api/v1/devices"},
		{"POST", "/api/v1/devices"},
		{"PATCH", "/api/v1/devices/display-1"},
		{"DELETE", "/api/v1/devices/display-1"},
		{"PUT", "/api/v1/devices/display-1/settings"},
		{"PUT", "/api/v1/groups/A/quota"},
		{"PUT", "/api/v1/holidays/2027-01-01"},
		{"DELETE", "/api/v1/holidays/2027-01-01"},
		{"GET", "/api/v1/sms/templates"},
		{"PUT", "/api/v1/info"},
	}
	body := map[string]any{"name": "x-1", "role": "admin", "password": "rahasia9", "walkin": 0, "disabled": true, "kind": "national"}
	for _, r := range routes {
		for who, tok := range map[string]string{"officer": e.Officer, "head": e.Head, "display": e.Display, "kiosk": e.Kiosk} {
			if st := e.Do(r.method, r.path, tok, body, nil); st != http.StatusForbidden {
				t.Errorf("%s %s as %s: %d, want 403", r.method, r.path, who, st)
			}
		}
		if st := e.Do(r.method, r.path, "", body, nil); st != http.StatusUnauthorized {
			t.Errorf("%s %s without a token: %d, want 401", r.method, r.path, st)
		}
	}
	if got := e.audit(""); len(got) != 0 {
		t.Errorf("audit after refusals: %+v", got)
	}
	var devs struct{ Devices []antre.Device }
	e.Do("GET", "/api/v1/devices", e.Admin, nil, &devs)
	if len(devs.Devices) != 2 {
		t.Errorf("devices after refusals: %+v", devs.Devices)
	}
}

// TestUsers: an admin lists accounts, changes a role, resets a password and disables an
// account (its session ends, it cannot log in); bad input changes nothing; the last active
// admin stays one. Each change is in the audit log, never with the password.
func TestUsers(t *testing.T) {
	e := newEnv(t)
	var list struct {
		Users []antre.User
		Roles []antre.Role
	}
	e.Do("GET", "/api/v1/users", e.Admin, nil, &list)
	if len(list.Users) != 3 || len(list.Roles) != len(antre.StaffRoles) {
		t.Fatalf("users %+v roles %v", list.Users, list.Roles)
	}
	for _, bad := range []struct {
		method, path string
		body         map[string]any
		status       int
		msg          string
	}{
		{"POST", "/api/v1/users", map[string]any{"name": "", "role": "officer", "password": "rahasia1"}, 400, "A user name is required (at most 64 characters)."},
		{"POST", "/api/v1/users", map[string]any{"name": "x", "role": "kiosk", "password": "rahasia1"}, 400, "Unknown role for a user: kiosk."},
		{"POST", "/api/v1/users", map[string]any{"name": "x", "role": "officer", "password": "123"}, 400, "The password must have at least 6 characters."},
		{"PATCH", "/api/v1/users/petugas", map[string]any{"role": "boss"}, 400, "Unknown role for a user: boss."},
		{"PATCH", "/api/v1/users/petugas", map[string]any{"password": "12"}, 400, "The password must have at least 6 characters."},
		{"PATCH", "/api/v1/users/nobody", map[string]any{"disabled": true}, 404, "No such user."},
		{"PATCH", "/api/v1/users/kepala", map[string]any{"disabled": true}, 409, "The last active admin cannot be disabled or given another role."},
		{"PATCH", "/api/v1/users/kepala", map[string]any{"role": "officer"}, 409, "The last active admin cannot be disabled or given another role."},
	} {
		var out apiError
		if st := e.Do(bad.method, bad.path+"?lang=en", e.Admin, bad.body, &out); st != bad.status || out.Error.Message != bad.msg {
			t.Errorf("%s %s %v: %d %q, want %d %q", bad.method, bad.path, bad.body, st, out.Error.Message, bad.status, bad.msg)
		}
	}
	if got := e.audit("?action=user"); len(got) != 0 {
		t.Fatalf("refused changes reached the audit: %+v", got)
	}
	// a role, then a password: the officer's session ends with the new password
	var u antre.User
	if st := e.Do("PATCH", "/api/v1/users/petugas", e.Admin, map[string]any{"role": "oss"}, &u); st != 200 || u.Role != antre.RoleOSS {
		t.Fatalf("role change: %d %+v", st, u)
	}
	tok := e.login("petugas", "rahasia1")
	if st := e.Do("PATCH", "/api/v1/users/petugas", e.Admin, map[string]any{"password": "baru12345"}, nil); st != 200 {
		t.Fatalf("password reset: %d", st)
	}
	if st := e.Do("GET", "/api/v1/me", tok, nil, nil); st != http.StatusUnauthorized {
		t.Errorf("session after a password reset: %d, want 401", st)
	}
	if st := e.Do("POST", "/api/v1/login", "", map[string]string{"name": "petugas", "password": "rahasia1"}, nil); st != http.StatusUnauthorized {
		t.Errorf("old password: %d", st)
	}
	tok = e.login("petugas", "baru12345")
	if st := e.Do("PATCH", "/api/v1/users/petugas", e.Admin, map[string]any{"disabled": true}, nil); st != 200 {
		t.Fatalf("disable: %d", st)
	}
	if st := e.Do("GET", "/api/v1/me", tok, nil, nil); st != http.StatusUnauthorized {
		t.Errorf("a disabled user's session: %d, want 401", st)
	}
	var out apiError
	if st := e.Do("POST", "/api/v1/login?lang=en", "", map[string]string{"name": "petugas", "password": "baru12345"}, &out); st != http.StatusForbidden || !strings.Contains(out.Error.Message, "disabled") {
		t.Errorf("disabled log-in: %d %+v", st, out)
	}
	if st := e.Do("PATCH", "/api/v1/users/petugas", e.Admin, map[string]any{"disabled": false}, nil); st != 200 {
		t.Fatalf("enable: %d", st)
	}
	e.login("petugas", "baru12345")
	got := e.audit("?action=user&subject=petugas")
	details := []string{}
	for _, en := range got {
		details = append(details, en.Detail)
		raw, _ := json.Marshal(en)
		if strings.Contains(string(raw), "baru12345") || strings.Contains(string(raw), "rahasia") {
			t.Errorf("a password in the audit: %s", raw)
		}
	}
	if strings.Join(details, ",") != "enabled,disabled,password,role" {
		t.Errorf("user entries %v", details)
	}
	if got[3].Before["role"] != "officer" || got[3].After["role"] != "oss" || got[1].Before["disabled"] != false || got[1].After["disabled"] != true {
		t.Errorf("before/after %+v", got)
	}
}

// TestDevices: an admin adds a display and gets its token once with a pairing address and QR
// code (zbarimg reads the address back); the token streams; the device is renamed, configured
// and revoked (the token stops working); bad input changes nothing.
func TestDevices(t *testing.T) {
	e := newEnv(t)
	var added struct {
		Name, Role, Token string
		PairURL           string `json:"pair_url"`
		QR                string
	}
	if st := e.Do("POST", "/api/v1/devices", e.Admin, map[string]string{"name": "display-2", "role": "display"}, &added); st != http.StatusCreated {
		t.Fatalf("add display: %d", st)
	}
	if added.Token == "" || added.PairURL != e.URL+"/display#token="+added.Token {
		t.Fatalf("pairing %+v", added)
	}
	png, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(added.QR, "data:image/png;base64,"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("zbarimg"); err == nil {
		f := filepath.Join(t.TempDir(), "qr.png")
		os.WriteFile(f, png, 0o600)
		out, err := exec.Command("zbarimg", "--nodbus", "-q", "--raw", f).Output()
		if err != nil || strings.TrimSpace(string(out)) != added.PairURL {
			t.Errorf("zbarimg: %q %v, want %q", out, err, added.PairURL)
		}
	}
	var st struct{ Groups []any }
	if code := e.Do("GET", "/api/v1/state", added.Token, nil, &st); code != 200 {
		t.Fatalf("the new display's token: %d", code)
	}
	for _, bad := range []struct {
		method, path string
		body         any
		status       int
	}{
		{"POST", "/api/v1/devices", map[string]string{"name": "", "role": "display"}, 400},
		{"POST", "/api/v1/devices", map[string]string{"name": "tv lobby", "role": "display"}, 400},
		{"POST", "/api/v1/devices", map[string]string{"name": "tv", "role": "admin"}, 400},
		{"PATCH", "/api/v1/devices/display-2", map[string]string{"name": "display-1"}, 409},
		{"PATCH", "/api/v1/devices/display-2", map[string]string{"name": "a b"}, 400},
		{"PATCH", "/api/v1/devices/nope", map[string]string{"name": "x"}, 404},
		{"PUT", "/api/v1/devices/display-2/settings", []int{1}, 400},
		{"PUT", "/api/v1/devices/nope/settings", map[string]any{}, 404},
		{"DELETE", "/api/v1/devices/nope", nil, 404},
	} {
		var out apiError
		if code := e.Do(bad.method, bad.path, e.Admin, bad.body, &out); code != bad.status || out.Error.Message == "" {
			t.Errorf("%s %s %v: %d %+v, want %d", bad.method, bad.path, bad.body, code, out, bad.status)
		}
	}
	if got := e.audit("?action=device"); len(got) != 1 || got[0].Detail != "added" || got[0].Actor != "kepala" {
		t.Fatalf("device entries after refusals: %+v", got)
	}
	if code := e.Do("PATCH", "/api/v1/devices/display-2", e.Admin, map[string]string{"name": "tv-lobby"}, nil); code != 200 {
		t.Fatalf("rename: %d", code)
	}
	if code := e.Do("PUT", "/api/v1/devices/tv-lobby/settings", e.Admin, map[string]any{"groups": []string{"A", "B"}}, nil); code != 204 {
		t.Fatalf("settings: %d", code)
	}
	var me struct{ Name string }
	e.Do("GET", "/api/v1/me", added.Token, nil, &me)
	if me.Name != "tv-lobby" {
		t.Errorf("renamed device is %q", me.Name)
	}
	// the display's open stream ends when it is revoked
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(e.URL, "http")+"/ws?token="+added.Token, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if _, _, err := ws.ReadMessage(); err != nil { // the snapshot
		t.Fatal(err)
	}
	if code := e.Do("DELETE", "/api/v1/devices/tv-lobby", e.Admin, nil, nil); code != 204 {
		t.Fatalf("revoke: %d", code)
	}
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, _, err := ws.ReadMessage()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != websocket.ClosePolicyViolation || ce.Text != "device revoked" {
			t.Errorf("the revoked display's stream ended with %v", err)
		}
		break
	}
	if code := e.Do("GET", "/api/v1/state", added.Token, nil, nil); code != http.StatusUnauthorized {
		t.Errorf("a revoked token: %d, want 401", code)
	}
	got := e.audit("?action=device")
	var details []string
	for _, en := range got {
		details = append(details, en.Detail)
		raw, _ := json.Marshal(en)
		if strings.Contains(string(raw), added.Token) {
			t.Errorf("the token in the audit: %s", raw)
		}
	}
	if strings.Join(details, ",") != "revoked,settings,renamed,added" {
		t.Errorf("device entries %v", details)
	}
	if got[2].Before["name"] != "display-2" || got[2].After["name"] != "tv-lobby" {
		t.Errorf("rename entry %+v", got[2])
	}
	if s, _ := json.Marshal(got[1].After["settings"]); string(s) != `{"groups":["A","B"]}` || got[1].Before["settings"] == nil {
		t.Errorf("settings entry %+v", got[1])
	}
}

// TestRunningText: the admin replaces the displays' running text (kept across a restart, over
// the configuration's); the audit has the configuration's text before and the new after; bad
// text is refused and changes nothing.
func TestRunningText(t *testing.T) {
	e := newEnv(t)
	var rt struct {
		RunningText []string `json:"running_text"`
	}
	e.Do("GET", "/api/v1/display/running-text", e.Admin, nil, &rt)
	def := e.Config.Display.RunningText
	if len(rt.RunningText) != len(def) || rt.RunningText[0] != def[0] {
		t.Fatalf("running text %v, want the configuration's %v", rt.RunningText, def)
	}
	for _, bad := range [][]string{{""}, {strings.Repeat("é", 301)}, make([]string, 21)} {
		var out apiError
		if st := e.Do("PUT", "/api/v1/display/running-text?lang=en", e.Admin, map[string]any{"running_text": bad}, &out); st != 400 ||
			out.Error.Message != "Running text: at most 20 lines, each of 1 to 300 characters." {
			t.Errorf("%d lines: %d %+v", len(bad), st, out)
		}
	}
	if st := e.Do("PUT", "/api/v1/display/running-text", e.Officer, map[string]any{"running_text": []string{"x"}}, nil); st != 403 {
		t.Errorf("an officer: %d", st)
	}
	if got := e.audit("?action=display"); len(got) != 0 {
		t.Fatalf("refusals in the audit: %+v", got)
	}
	if st := e.Do("PUT", "/api/v1/display/running-text", e.Admin, map[string]any{"running_text": []string{"Loket 5 buka", "Tolak calo!"}}, nil); st != 200 {
		t.Fatalf("set: %d", st)
	}
	got := e.audit("?action=display")
	if len(got) != 1 || got[0].Subject != "running_text" {
		t.Fatalf("audit %+v", got)
	}
	before, _ := json.Marshal(got[0].Before["running_text"])
	after, _ := json.Marshal(got[0].After["running_text"])
	want, _ := json.Marshal(def)
	if string(before) != string(want) || string(after) != `["Loket 5 buka","Tolak calo!"]` {
		t.Errorf("before %s after %s", before, after)
	}
	e.Restart()
	e.Do("GET", "/api/v1/display/running-text", e.Admin, nil, &rt)
	if strings.Join(rt.RunningText, "|") != "Loket 5 buka|Tolak calo!" {
		t.Errorf("after a restart: %v", rt.RunningText)
	}
}

// TestInfoTexts: the information kiosk's fee and requirement texts edited by the admin are in
// the audit log with the edit before and after; a refused edit is not.
func TestInfoTexts(t *testing.T) {
	e := newEnv(t)
	edit := func(fee string) map[string]any {
		return map[string]any{"services": []map[string]any{{"group": "A", "fee": map[string]string{"id": fee},
			"requirements": []map[string]string{{"id": "e-KTP asli"}, {"id": "Kartu Keluarga"}}}}}
	}
	if st := e.Do("PUT", "/api/v1/info", e.Admin, edit("Rp650.000"), nil); st != 200 {
		t.Fatalf("first edit: %d", st)
	}
	if st := e.Do("PUT", "/api/v1/info", e.Admin, edit(strings.Repeat("x", 500)), nil); st != 400 {
		t.Fatalf("a fee of 500 characters: %d", st)
	}
	if st := e.Do("PUT", "/api/v1/info", e.Admin, edit("Rp350.000"), nil); st != 200 {
		t.Fatalf("second edit: %d", st)
	}
	got := e.audit("?action=info")
	if len(got) != 2 {
		t.Fatalf("info entries %+v", got)
	}
	fee := func(v map[string]any) any {
		defer func() { recover() }()
		return v["services"].([]any)[0].(map[string]any)["fee"].(map[string]any)["id"]
	}
	if got[1].Before != nil || fee(got[1].After) != "Rp650.000" || fee(got[0].Before) != "Rp650.000" || fee(got[0].After) != "Rp350.000" {
		t.Errorf("info entries %+v", got)
	}
}

// TestSMSSubscribers: the admin lists the broadcast subscribers (numbers masked) and stops
// one; the audit log has it, masked; stopping it again or an unknown one is refused.
func TestSMSSubscribers(t *testing.T) {
	e := newEnv(t)
	// two numbers that subscribed by SMS (MULAI), as the SMS module records them
	for _, p := range []string{"6281234567890", "6285712345678"} {
		if _, err := e.DB().ModuleDB().ExecContext(context.Background(),
			`INSERT INTO sms_subscribers (phone, lang, active, updated_at) VALUES (?, 'id', 1, 1)`, p); err != nil {
			t.Fatal(err)
		}
	}
	var list struct {
		Subscribers []struct {
			ID     int64
			Phone  string
			Active bool
		}
		Active int
	}
	e.Do("GET", "/api/v1/sms/subscribers", e.Admin, nil, &list)
	if list.Active != 2 || len(list.Subscribers) != 2 {
		t.Fatalf("subscribers %+v", list)
	}
	var first int64
	for _, s := range list.Subscribers {
		if strings.Contains(s.Phone, "4567") || strings.Contains(s.Phone, "1234") || !strings.Contains(s.Phone, "*") {
			t.Errorf("an unmasked number: %q", s.Phone)
		}
		if s.Phone == antre.MaskPhone("6281234567890") {
			first = s.ID
		}
	}
	if st := e.Do("POST", "/api/v1/sms/subscribers/"+strconv.FormatInt(first, 10)+"/stop", e.Officer, nil, nil); st != 403 {
		t.Errorf("an officer stops: %d", st)
	}
	if st := e.Do("POST", "/api/v1/sms/subscribers/"+strconv.FormatInt(first, 10)+"/stop", e.Admin, nil, nil); st != 204 {
		t.Fatalf("stop: %d", st)
	}
	for path, want := range map[string]int{"/api/v1/sms/subscribers/" + strconv.FormatInt(first, 10) + "/stop": 409, "/api/v1/sms/subscribers/999/stop": 404, "/api/v1/sms/subscribers/x/stop": 404} {
		if st := e.Do("POST", path, e.Admin, nil, nil); st != want {
			t.Errorf("%s: %d, want %d", path, st, want)
		}
	}
	e.Do("GET", "/api/v1/sms/subscribers", e.Admin, nil, &list)
	if list.Active != 1 {
		t.Errorf("active after a stop: %d", list.Active)
	}
	got := e.audit("?action=sms")
	if len(got) != 1 || got[0].Action != "sms.subscriber_stopped" || got[0].Subject != antre.MaskPhone("6281234567890") ||
		got[0].Before["active"] != true || got[0].After["active"] != false {
		t.Errorf("audit %+v", got)
	}
	raw, _ := json.Marshal(got)
	if strings.Contains(string(raw), "6281234567890") {
		t.Errorf("the number in the audit: %s", raw)
	}
}

// TestDefaultQuota: the admin changes group B's standing quota: today's stays as it was, the
// next business day has the new one, it survives a restart over the configuration's, and the
// audit has it before → after; a bad quota or group is refused and changes nothing.
func TestDefaultQuota(t *testing.T) {
	e := newEnv(t)
	def := antre.SplitQuota(60, 20, 10)
	quotaOf := func(group string) antre.Quota {
		var q struct{ Groups []antre.GroupQuota }
		e.Do("GET", "/api/v1/quota", e.Kiosk, nil, &q)
		for _, g := range q.Groups {
			if g.Group == group {
				return g.Quota
			}
		}
		t.Fatalf("no group %s", group)
		return antre.Quota{}
	}
	standing := func(group string) antre.Quota {
		var o struct{ Groups []antre.Group }
		e.Do("GET", "/api/v1/office", "", nil, &o)
		for _, g := range o.Groups {
			if g.Code == group {
				return g.Quota
			}
		}
		t.Fatalf("no group %s", group)
		return antre.Quota{}
	}
	for _, bad := range []struct {
		path string
		body any
		code int
	}{
		{"/api/v1/groups/B/default-quota", antre.Quota{WalkIn: -1}, 400},
		{"/api/v1/groups/Z/default-quota", antre.Quota{WalkIn: 1}, 400},
		{"/api/v1/groups/B/default-quota", map[string]any{"walkin": "x"}, 400},
	} {
		var out apiError
		if st := e.Do("PUT", bad.path, e.Admin, bad.body, &out); st != bad.code || out.Error.Message == "" {
			t.Errorf("%s %v: %d %+v", bad.path, bad.body, st, out)
		}
	}
	if st := e.Do("PUT", "/api/v1/groups/B/default-quota", e.Head, antre.Quota{WalkIn: 1}, nil); st != 403 {
		t.Errorf("the head of office: %d", st)
	}
	if got := e.audit(""); len(got) != 0 || standing("B") != def {
		t.Fatalf("refusals changed something: %+v %+v", got, standing("B"))
	}
	want := antre.Quota{WalkIn: 80, Online: 20, Priority: 10}
	if st := e.Do("PUT", "/api/v1/groups/b/default-quota", e.Admin, want, nil); st != 200 {
		t.Fatalf("set: %d", st)
	}
	if standing("B") != want || quotaOf("B") != def {
		t.Errorf("standing %+v (want %+v), today %+v (want %+v, unchanged)", standing("B"), want, quotaOf("B"), def)
	}
	got := e.audit("?action=group")
	if len(got) != 1 || got[0].Subject != "B" || got[0].Detail != "default_quota" || got[0].Before["walkin"] != float64(def.WalkIn) || got[0].After["walkin"] != float64(80) {
		t.Errorf("audit %+v", got)
	}
	e.Restart()
	if standing("B") != want || quotaOf("B") != def {
		t.Errorf("after a restart: standing %+v, today %+v", standing("B"), quotaOf("B"))
	}
	e.Clock.Advance(24 * time.Hour)
	if quotaOf("B") != want {
		t.Errorf("the next day's quota %+v, want %+v", quotaOf("B"), want)
	}
	if quotaOf("C") != def {
		t.Errorf("C's quota %+v", quotaOf("C"))
	}
}

// TestCounterSetup: the admin makes counter 1 serve only group B: its next call skips the A
// that came first; the change survives a restart; the audit has it before → after; bad
// setups are refused and change nothing.
func TestCounterSetup(t *testing.T) {
	e := newEnv(t)
	for _, bad := range []struct {
		path string
		body map[string]any
		code int
	}{
		{"/api/v1/counters/1", map[string]any{"name": "", "groups": []string{"B"}}, 400},
		{"/api/v1/counters/1", map[string]any{"name": "Loket 1", "groups": []string{}}, 400},
		{"/api/v1/counters/1", map[string]any{"name": "Loket 1", "groups": []string{"B", "b"}}, 400},
		{"/api/v1/counters/1", map[string]any{"name": "Loket 1", "groups": []string{"Z"}}, 400},
		{"/api/v1/counters/9", map[string]any{"name": "Loket 9", "groups": []string{"B"}}, 404},
	} {
		var out apiError
		if st := e.Do("PUT", bad.path, e.Admin, bad.body, &out); st != bad.code || out.Error.Message == "" {
			t.Errorf("%s %v: %d %+v", bad.path, bad.body, st, out)
		}
	}
	if st := e.Do("PUT", "/api/v1/counters/1", e.Officer, map[string]any{"name": "x", "groups": []string{"B"}}, nil); st != 403 {
		t.Errorf("an officer: %d", st)
	}
	if got := e.audit(""); len(got) != 0 {
		t.Fatalf("refusals in the audit: %+v", got)
	}
	if st := e.Do("PUT", "/api/v1/counters/1", e.Admin, map[string]any{"name": "Loket Paspor Hilang", "groups": []string{"b", "C"}}, nil); st != 200 {
		t.Fatalf("set: %d", st)
	}
	got := e.audit("?action=counter")
	if len(got) != 1 || got[0].Subject != "1" || got[0].Before["name"] != "Loket 1" || got[0].After["name"] != "Loket Paspor Hilang" {
		t.Fatalf("audit %+v", got)
	}
	if g, _ := json.Marshal(got[0].After["groups"]); string(g) != `["B","C"]` {
		t.Errorf("groups after: %s", g)
	}
	e.Restart()
	var o struct{ Counters []antre.Counter }
	e.Do("GET", "/api/v1/office", "", nil, &o)
	if o.Counters[0].Name != "Loket Paspor Hilang" || strings.Join(o.Counters[0].Groups, ",") != "B,C" {
		t.Errorf("counter 1 after a restart: %+v", o.Counters[0])
	}
	a, b := e.Issue("A"), e.Issue("B")
	var called struct{ Code string }
	if st := e.Do("POST", "/api/v1/counters/1/next", e.Officer, nil, &called); st != 200 || called.Code != b {
		t.Errorf("counter 1 called %q (%d), want %s, not %s", called.Code, st, b, a)
	}
}
