package voice_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
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

// env is a real hub (SQLite file, HTTP on 127.0.0.1) with the voice module, its officer
// (petugas) and admin (kepala) of servertest, a head of office (kakanim) and tokens by name.
type env struct {
	t      testing.TB
	h      *servertest.Hub
	tokens map[string]string
}

func newEnv(t testing.TB, opts ...servertest.Option) *env {
	t.Helper()
	base := func(c *server.Config) {
		c.Info.StatusFloor = time.Millisecond
		c.Complaints.CheckInterval = 20 * time.Millisecond
		c.SessionTTL = 60 * 24 * time.Hour // tests move the clock by days
	}
	h := servertest.Start(t, servertest.Settings{Start: wednesday}, append([]servertest.Option{base}, opts...)...)
	e := &env{t: t, h: h, tokens: map[string]string{"petugas": h.Officer, "admin": h.Admin, "kiosk": h.Kiosk, "display": h.Display}}
	e.addUser("kakanim", antre.RoleHead)
	e.addUser("petugas2", antre.RoleOfficer)
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

// addDevice registers a device with settings and returns its token.
func (e *env) addDevice(name string, role antre.Role, settings string) string {
	e.t.Helper()
	tok, err := e.h.DB().AddDevice(context.Background(), name, role)
	if err != nil {
		e.t.Fatal(err)
	}
	if settings != "" {
		if err := e.h.DB().SetDeviceSettings(context.Background(), name, json.RawMessage(settings)); err != nil {
			e.t.Fatal(err)
		}
	}
	return tok
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

// ok sends a request that must answer 200 or 201.
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

// ticket is a ticket issued by the kiosk, with the survey token its QR code carries.
type ticket struct {
	Code, Token string
}

// issue issues a ticket of group at the kiosk, with body's extra fields (a phone, a category).
func (e *env) issue(group string, extra map[string]any) ticket {
	e.t.Helper()
	body := map[string]any{"group": group}
	for k, v := range extra {
		body[k] = v
	}
	var out struct {
		Code      string `json:"code"`
		StatusURL string `json:"status_url"`
	}
	e.ok("kiosk", "POST", "/api/v1/tickets", body, &out)
	u, err := url.Parse(out.StatusURL)
	if err != nil || !strings.HasSuffix(u.Path, "/status/"+out.Code) {
		e.t.Fatalf("status URL %q", out.StatusURL)
	}
	return ticket{Code: out.Code, Token: u.Query().Get("k")}
}

// serve calls the next ticket to counter as user and finishes it there; it returns the code.
func (e *env) serve(user string, counter int) string {
	e.t.Helper()
	var out struct{ Code string }
	e.ok(user, "POST", "/api/v1/counters/"+itoa(counter)+"/next", nil, &out)
	e.ok(user, "POST", "/api/v1/counters/"+itoa(counter)+"/finish", nil, nil)
	return out.Code
}

func itoa(n int) string { return strconv.Itoa(n) }

// events returns the event log's events of typ.
func (e *env) events(typ string) []antre.Event {
	e.t.Helper()
	var out struct{ Events []antre.Event }
	e.ok("admin", "GET", "/api/v1/events?since=0&limit=1000", nil, &out)
	var list []antre.Event
	for _, ev := range out.Events {
		if string(ev.Type) == typ {
			list = append(list, ev)
		}
	}
	return list
}

// waitFor polls cond until it holds, failing after ten seconds: for what a worker does.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("waited 10s for %s", what)
}
