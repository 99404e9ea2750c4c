package workflow_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"antre"
	"antre/server"
	"antre/server/servertest"
)

// wib is the demo office's time zone.
var wib = func() *time.Location {
	l, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		panic(err)
	}
	return l
}()

// wednesday is where the tests' clock starts: Wednesday 25 November 2026, 09:00 WIB.
var wednesday = time.Date(2026, 11, 25, 9, 0, 0, 0, wib)

// env is a real hub (SQLite file, HTTP on 127.0.0.1) with the workflow module and one logged-in
// officer per workflow role, and the office's check lists in a directory of its own.
type env struct {
	t      testing.TB
	h      *servertest.Hub
	lists  string
	tokens map[string]string // user name → token
}

// newEnv starts a hub whose check lists exist and are empty (everyone clear), with users oss1,
// oss2, bio1, adj1, kasir1, cetak1, sah1, ambil1, kakanim (head) and the officer and admin of
// servertest.
func newEnv(t testing.TB, opts ...servertest.Option) *env {
	t.Helper()
	lists := t.TempDir()
	for _, k := range antre.CheckKinds {
		writeList(t, lists, k, "")
	}
	base := func(c *server.Config) {
		c.Workflow.ListDir = lists
		c.Workflow.StatusFloor = 20 * time.Millisecond
		c.Workflow.AlertInterval = 20 * time.Millisecond
		c.SessionTTL = 30 * 24 * time.Hour // tests move the clock by days
	}
	h := servertest.Start(t, servertest.Settings{Start: wednesday}, append([]servertest.Option{base}, opts...)...)
	e := &env{t: t, h: h, lists: lists, tokens: map[string]string{}}
	for name, role := range map[string]antre.Role{
		"oss1": antre.RoleOSS, "oss2": antre.RoleOSS, "bio1": antre.RoleBiometric, "adj1": antre.RoleAdjudicator,
		"kasir1": antre.RoleCashier, "cetak1": antre.RolePrinting, "sah1": antre.RoleApprover, "ambil1": antre.RolePickup,
		"kakanim": antre.RoleHead,
	} {
		e.addUser(name, role)
	}
	e.tokens["petugas"], e.tokens["admin"] = h.Officer, h.Admin
	return e
}

// addUser creates an account and logs it in.
func (e *env) addUser(name string, role antre.Role) {
	e.t.Helper()
	if err := e.h.DB().AddUser(context.Background(), name, role, "rahasia-"+name); err != nil {
		e.t.Fatal(err)
	}
	var out struct{ Token string }
	if st := e.h.Do("POST", "/api/v1/login", "", map[string]string{"name": name, "password": "rahasia-" + name}, &out); st != 200 {
		e.t.Fatalf("login %s: %d", name, st)
	}
	e.tokens[name] = out.Token
}

func writeList(t testing.TB, dir string, k antre.CheckKind, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, string(k)+".txt"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// do sends a JSON request as user (empty: no token) and decodes the answer into out.
func (e *env) do(user, method, path string, body, out any) int {
	e.t.Helper()
	return e.h.Do(method, path, e.tokens[user], body, out)
}

// apiError is the API's error body.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// refused sends a request that must be refused with status and code, and returns the message.
func (e *env) refused(user, method, path string, body any, status int, code string) string {
	e.t.Helper()
	var ae apiError
	if st := e.do(user, method, path, body, &ae); st != status || ae.Error.Code != code {
		e.t.Fatalf("%s %s as %s: %d %+v, want %d %s", method, path, user, st, ae, status, code)
	}
	return ae.Error.Message
}

// ok sends a request that must answer 200 (or 201 for POST /api/v1/applications).
func (e *env) ok(user, method, path string, body, out any) {
	e.t.Helper()
	var raw json.RawMessage
	st := e.do(user, method, path, body, &raw)
	if st != 200 && st != 201 {
		e.t.Fatalf("%s %s as %s: %d %s", method, path, user, st, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			e.t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
}

// summary is the API's answer about a file.
type summary struct {
	Number      string `json:"number"`
	Stage       string `json:"stage"`
	Status      string `json:"status"`
	Kind        string `json:"kind"`
	Holder      string `json:"holder"`
	VIP         string `json:"vip"`
	Due         string `json:"due"`
	Fee         int64  `json:"fee"`
	BillingCode string `json:"billing_code"`
	Retakes     int    `json:"retakes"`
}

// serve issues a ticket of group at the kiosk and has oss call it at counter, as the OSS desk does.
func (e *env) serve(oss, group string, counter int) string {
	e.t.Helper()
	code := e.h.Issue(group)
	var called struct {
		Code string `json:"code"`
	}
	for {
		e.ok(oss, "POST", fmt.Sprintf("/api/v1/counters/%d/next", counter), nil, &called)
		if called.Code == code {
			return code
		}
	}
}

// nikSeq makes each test applicant's NIK its own.
var nikSeq = 0

// applicant is a valid applicant's data for a new file from ticket (born 17 August 1990 in
// Jakarta; female makes the NIK's day 57).
func applicant(ticket string, female bool) map[string]any {
	nikSeq++
	day := "17"
	if female {
		day = "57"
	}
	return map[string]any{
		"ticket": ticket, "nik": fmt.Sprintf("317101%s0890%04d", day, nikSeq), "name": "Siti Rahmawati",
		"birth_date": "1990-08-17", "birth_place": "Jakarta", "phone": "0812-3456-7890",
	}
}

// open serves a ticket of group and opens its file as oss.
func (e *env) open(oss, group string, counter int) summary {
	e.t.Helper()
	code := e.serve(oss, group, counter)
	var s summary
	e.ok(oss, "POST", "/api/v1/applications", applicant(code, false), &s)
	return s
}

var allCaptures = []string{"photo", "finger_1", "finger_2", "finger_3", "finger_4", "finger_5", "finger_6", "finger_7", "finger_8",
	"finger_9", "finger_10", "signature"}

var allQA = []string{"data_page", "photo", "hologram", "uv_features", "microtext", "lamination"}

var newDocs = []string{"ktp", "kk", "birth_certificate"}

// complete finishes user's work on number at stage.
func (e *env) complete(user, number, stage, outcome, reason string, details map[string]any) summary {
	e.t.Helper()
	body := map[string]any{"stage": stage, "outcome": outcome}
	if reason != "" {
		body["reason"] = reason
	}
	if details != nil {
		body["details"] = details
	}
	var s summary
	e.ok(user, "POST", "/api/v1/applications/"+number+"/complete", body, &s)
	return s
}

// next takes the next file at stage as user.
func (e *env) next(user, stage string) summary {
	e.t.Helper()
	var s summary
	e.ok(user, "POST", "/api/v1/stages/"+stage+"/next", nil, &s)
	return s
}

// public reads the public status of number.
func (e *env) public(number string) map[string]any {
	e.t.Helper()
	var out map[string]any
	if st := e.do("", "GET", "/api/v1/applications/"+number, nil, &out); st != 200 {
		e.t.Fatalf("status of %s: %d %v", number, st, out)
	}
	return out
}

// raw GETs path as user and returns the status and body.
func (e *env) raw(user, path string) (int, []byte) {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.h.URL+path, nil)
	if tok := e.tokens[user]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// events returns the event log after since (as the admin sees it).
func (e *env) events(since int64) []antre.Event {
	e.t.Helper()
	var out struct {
		Events []antre.Event `json:"events"`
	}
	e.ok("admin", "GET", fmt.Sprintf("/api/v1/events?since=%d&limit=1000", since), nil, &out)
	return out.Events
}

// waitFor polls cond until it holds, failing the test after 10 s.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10s for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func contains(b []byte, s string) bool { return bytes.Contains(b, []byte(s)) }

func has(s, sub string) bool { return strings.Contains(s, sub) }
