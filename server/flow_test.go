package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"antre"
	"antre/server"
	"antre/server/servertest"
)

func decodeJSON(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func next(t *testing.T, h *servertest.Hub, counter int) callResp {
	t.Helper()
	var cr callResp
	if st := h.Do("POST", fmt.Sprintf("/api/v1/counters/%d/next", counter), h.Officer, nil, &cr); st != 200 {
		t.Fatalf("next at %d: status %d", counter, st)
	}
	return cr
}

func act(t *testing.T, h *servertest.Hub, path string, body map[string]any, wantStatus int) (ticketResp, apiError) {
	t.Helper()
	var out struct {
		Ticket antre.Ticket
		apiError
	}
	if st := h.Do("POST", path, h.Officer, body, &out); st != wantStatus {
		t.Fatalf("POST %s %v: status %d, want %d (%+v)", path, body, st, wantStatus, out.Error)
	}
	return ticketResp{Code: out.Ticket.Code, Status: string(out.Ticket.Status), Group: out.Ticket.QueueGroup}, out.apiError
}

// TestPriorityOrderThroughTheAPI: with the default ratio a counter calls two ordinary tickets,
// then a priority one, and records why.
func TestPriorityOrderThroughTheAPI(t *testing.T) {
	h := servertest.New(t)
	for i := range 4 {
		issue(t, h, map[string]any{"group": "A"})
		h.Clock.Advance(time.Second)
		if i < 2 {
			issue(t, h, map[string]any{"group": "A", "category": "elderly"})
			h.Clock.Advance(time.Second)
		}
	}
	// A001 N, A002 P, A003 N, A004 P, A005 N, A006 N: the look-up predicts the order below
	for code, ahead := range map[string]int{"A001": 0, "A003": 1, "A002": 2, "A005": 3, "A006": 4, "A004": 5} {
		var v antre.TicketView
		h.Do("GET", "/api/v1/tickets/"+code, "", nil, &v)
		if v.Ahead != ahead || v.Position != ahead+1 || v.EstimatedWaitMinutes != (ahead*5+3)/4 {
			t.Errorf("%s: ahead %d position %d wait %d min; want %d ahead", code, v.Ahead, v.Position, v.EstimatedWaitMinutes, ahead)
		}
	}
	var got []string
	for range 6 {
		cr := next(t, h, 1)
		got = append(got, cr.Code+":"+cr.Reason)
	}
	want := "A001:ratio_normal A003:ratio_normal A002:ratio_priority A005:ratio_normal A006:ratio_normal A004:ratio_priority"
	if strings.Join(got, " ") != want {
		t.Fatalf("order\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	var evs struct{ Events []antre.Event }
	h.Do("GET", "/api/v1/events", h.Admin, nil, &evs)
	n := 0
	for _, e := range evs.Events {
		if e.Type == antre.EvCalled {
			if !strings.Contains(string(e.Data), `"reason":"ratio_`) || e.Actor != "petugas" || e.Counter != 1 || e.Office != "KANIM-DEMO" {
				t.Errorf("call event %+v %s", e, e.Data)
			}
			n++
		}
	}
	if n != 6 {
		t.Errorf("%d call events", n)
	}
}

func TestTicketLifecycle(t *testing.T) {
	h := servertest.New(t, func(c *server.Config) { c.Policy.MaxRecalls = 2; c.Policy.LateWindow = 10 * time.Minute })
	a1 := issue(t, h, map[string]any{"group": "A"})
	h.Clock.Advance(time.Minute)
	issue(t, h, map[string]any{"group": "A"})
	h.Clock.Advance(time.Minute)
	a3 := issue(t, h, map[string]any{"group": "A"})

	// start before a call is refused and changes nothing
	if _, e := act(t, h, "/api/v1/tickets/A001/start", map[string]any{"counter": 1}, 409); e.Error.Code != "conflict" {
		t.Errorf("start on waiting: %+v", e)
	}
	if cr := next(t, h, 1); cr.Code != a1.Code {
		t.Fatalf("called %s", cr.Code)
	}
	// another counter cannot act on counter 1's ticket
	if _, e := act(t, h, "/api/v1/tickets/A001/finish", map[string]any{"counter": 2}, 409); !strings.Contains(e.Error.Message, "loket lain") {
		t.Errorf("foreign finish: %+v", e)
	}
	// recall twice, the third recall turns it into a no-show
	act(t, h, "/api/v1/counters/1/recall", nil, 200)
	act(t, h, "/api/v1/counters/1/recall", nil, 200)
	if tr, _ := act(t, h, "/api/v1/counters/1/recall", nil, 200); tr.Status != "no_show" {
		t.Fatalf("third recall → %s, want no_show", tr.Status)
	}
	// reactivated within the late window it is next in line again (its issue time is kept)
	h.Clock.Advance(5 * time.Minute)
	act(t, h, "/api/v1/tickets/A001/reactivate", nil, 200)
	if cr := next(t, h, 2); cr.Code != "A001" {
		t.Fatalf("after reactivation counter 2 called %s, want A001", cr.Code)
	}
	act(t, h, "/api/v1/counters/2/start", nil, 200)
	if tr, _ := act(t, h, "/api/v1/counters/2/finish", nil, 200); tr.Status != "done" {
		t.Fatalf("finish → %s", tr.Status)
	}
	// A002 is a no-show past the window: reactivation refused
	next(t, h, 1)
	act(t, h, "/api/v1/counters/1/no-show", nil, 200)
	h.Clock.Advance(11 * time.Minute)
	if _, e := act(t, h, "/api/v1/tickets/A002/reactivate", nil, 409); !strings.Contains(e.Error.Message, "keterlambatan") {
		t.Errorf("late reactivation: %+v", e)
	}
	// transfer A003 to group C reserved for counter 3, keeping its issue time: it goes before C's own tickets
	issue(t, h, map[string]any{"group": "C"})
	if tr, _ := act(t, h, "/api/v1/tickets/"+a3.Code+"/transfer", map[string]any{"to_group": "C", "to_counter": 3}, 200); tr.Group != "C" || tr.Status != "waiting" {
		t.Fatalf("transfer → %+v", tr)
	}
	if cr := next(t, h, 1); cr.Code != "C001" {
		t.Errorf("counter 1 called %s; A003 is reserved for counter 3", cr.Code)
	}
	if cr := next(t, h, 3); cr.Code != "A003" || cr.Ticket.QueueGroup != "C" {
		t.Errorf("counter 3 called %+v", cr)
	}
	// calling a specific ticket needs a reason; cancel records one
	a4 := issue(t, h, map[string]any{"group": "A"})
	issue(t, h, map[string]any{"group": "A"})
	if _, e := act(t, h, "/api/v1/tickets/A005/call", map[string]any{"counter": 4}, 400); e.Error.Code != "invalid" {
		t.Errorf("specific call without reason: %+v", e)
	}
	act(t, h, "/api/v1/tickets/A005/call", map[string]any{"counter": 4, "reason": "berkas susulan"}, 200)
	if tr, _ := act(t, h, "/api/v1/tickets/"+a4.Code+"/cancel", map[string]any{"reason": "pemohon pulang"}, 200); tr.Status != "cancelled" {
		t.Errorf("cancel → %s", tr.Status)
	}
	act(t, h, "/api/v1/tickets/"+a4.Code+"/cancel", nil, 409) // final
	act(t, h, "/api/v1/tickets/A999/cancel", nil, 404)
	act(t, h, "/api/v1/tickets/XYZ/cancel", nil, 400)
}

func TestDispensation(t *testing.T) {
	h := servertest.New(t, withQuota(10, 0, 1))
	// a kiosk cannot issue VIP; an officer can, with a reason
	var e apiError
	if st := h.Do("POST", "/api/v1/tickets", h.Kiosk, map[string]any{"group": "A", "category": "vip"}, &e); st != 403 {
		t.Errorf("kiosk VIP: %d %+v", st, e)
	}
	if st := h.Do("POST", "/api/v1/tickets", h.Officer, map[string]any{"group": "A", "category": "vvip"}, &e); st != 400 {
		t.Errorf("VVIP without reason: %d", st)
	}
	if st := h.Do("POST", "/api/v1/tickets", h.Officer, map[string]any{"group": "A", "category": "vvip", "reason": "kunjungan menteri"}, nil); st != 201 {
		t.Errorf("officer VVIP: %d", st)
	}
	// the priority pool (1) is now used: granting another ticket priority is refused
	issue(t, h, map[string]any{"group": "A"})
	if _, e := act(t, h, "/api/v1/tickets/A002/dispensation", map[string]any{"category": "elderly", "reason": "lansia 80 th"}, 409); e.Error.Code != "quota_exhausted" {
		t.Errorf("grant over pool: %+v", e)
	}
	issue(t, h, map[string]any{"group": "B"})
	if _, e := act(t, h, "/api/v1/tickets/B001/dispensation", map[string]any{"category": "disabled"}, 400); e.Error.Code != "invalid" {
		t.Errorf("grant without reason: %+v", e)
	}
	act(t, h, "/api/v1/tickets/B001/dispensation", map[string]any{"category": "disabled", "reason": "kursi roda"}, 200)
	var raw struct {
		Dispensations []map[string]any
	}
	h.Do("GET", "/api/v1/dispensations", h.Officer, nil, &raw)
	if len(raw.Dispensations) != 2 || raw.Dispensations[1]["ticket"] != "B001" || raw.Dispensations[1]["granted_by"] != "petugas" ||
		raw.Dispensations[1]["reason"] != "kursi roda" || raw.Dispensations[0]["reason"] != "kunjungan menteri" {
		t.Errorf("grants %+v", raw.Dispensations)
	}
	var q struct{ Groups []antre.GroupQuota }
	h.Do("GET", "/api/v1/quota", "", nil, &q)
	if q.Groups[1].Used != (antre.Quota{Priority: 1}) {
		t.Errorf("B's grant must move its ticket to the priority pool: %+v", q.Groups[1].Used)
	}
}

// TestRoleBoundaries: 401 without or with a bad token, 403 for the wrong role, for each boundary.
func TestRoleBoundaries(t *testing.T) {
	h := servertest.New(t)
	issue(t, h, map[string]any{"group": "A"})
	cases := []struct {
		method, path string
		body         any
		allowed      []string
	}{
		{"POST", "/api/v1/tickets", map[string]any{"group": "A"}, []string{"kiosk", "officer", "admin"}},
		{"POST", "/api/v1/counters/1/next", nil, []string{"officer", "admin"}},
		{"PUT", "/api/v1/groups/A/quota", map[string]any{"walkin": 5, "online": 1, "priority": 1}, []string{"admin"}},
		{"GET", "/api/v1/events", nil, []string{"admin"}},
		{"POST", "/api/v1/devices", map[string]any{"name": "tv-2", "role": "display"}, []string{"admin"}},
		{"POST", "/api/v1/users", map[string]any{"name": "x1", "role": "officer", "password": "123456"}, []string{"admin"}},
		{"GET", "/api/v1/state", nil, []string{"kiosk", "display", "officer", "admin"}},
		{"POST", "/api/v1/alerts", map[string]any{"kind": "paper_out", "message": "x", "active": true}, []string{"kiosk", "display"}},
		{"GET", "/api/v1/dispensations", nil, []string{"officer", "admin"}},
	}
	tokens := map[string]string{"kiosk": h.Kiosk, "display": h.Display, "officer": h.Officer, "admin": h.Admin}
	for _, c := range cases {
		for _, tok := range []string{"", "not-a-token"} {
			var e apiError
			if st := h.Do(c.method, c.path, tok, c.body, &e); st != 401 || e.Error.Code != "unauthorized" {
				t.Errorf("%s %s with token %q: %d %+v", c.method, c.path, tok, st, e)
			}
		}
		for role, tok := range tokens {
			var e apiError
			st := h.Do(c.method, c.path, tok, c.body, &e)
			ok := false
			for _, a := range c.allowed {
				ok = ok || a == role
			}
			if ok && (st == 401 || st == 403) || !ok && (st != 403 || e.Error.Code != "forbidden") {
				t.Errorf("%s %s as %s: %d %+v", c.method, c.path, role, st, e)
			}
		}
	}
	// public look-ups reveal no personal data
	withPhone := issue(t, h, map[string]any{"group": "A", "phone": "081234567890"})
	resp, err := http.Get(h.URL + "/api/v1/tickets/" + withPhone.Code)
	if err != nil {
		t.Fatal(err)
	}
	var pub map[string]any
	decodeJSON(t, resp, &pub)
	resp.Body.Close()
	if pub["code"] != withPhone.Code || pub["status"] != "waiting" || pub["position"] == 0.0 || strings.Contains(fmt.Sprint(pub), "6281234567890") {
		t.Errorf("public look-up %v", pub)
	}
}

func TestBadInputChangesNothing(t *testing.T) {
	h := servertest.New(t)
	post := func(body string, hdr map[string]string) (int, apiError) {
		req, _ := http.NewRequest("POST", h.URL+"/api/v1/tickets", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+h.Kiosk)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var e apiError
		json.NewDecoder(resp.Body).Decode(&e)
		return resp.StatusCode, e
	}
	for _, c := range []struct {
		body   string
		status int
		code   string
	}{
		{`{"group":`, 400, "invalid"},
		{`{"group":"A","colour":"red"}`, 400, "invalid"},
		{`{"group":7}`, 400, "invalid"},
		{`{"group":"Z"}`, 400, "invalid"},
		{`{"group":"A","pool":"vip"}`, 400, "invalid"},
		{`{"group":"A","pool":"priority"}`, 400, "invalid"},
		{`{"group":"A","category":"tourist"}`, 400, "invalid"},
		{`{"group":"A","phone":"12345"}`, 400, "invalid"},
		{`{"group":"A"} {"group":"B"}`, 400, "invalid"},
		{`{"group":"A","reason":"` + strings.Repeat("x", 70000) + `"}`, 413, "too_large"},
	} {
		st, e := post(c.body, nil)
		if st != c.status || e.Error.Code != c.code || e.Error.Message == "" {
			t.Errorf("%.40q: %d %+v, want %d %s", c.body, st, e, c.status, c.code)
		}
	}
	if st, _ := post(`{"group":"A"}`, map[string]string{"Idempotency-Key": strings.Repeat("k", 300)}); st != 400 {
		t.Errorf("long idempotency key: %d", st)
	}
	var q struct{ Groups []antre.GroupQuota }
	h.Do("GET", "/api/v1/quota", "", nil, &q)
	for _, g := range q.Groups {
		if g.Used != (antre.Quota{}) {
			t.Errorf("bad input consumed quota: %+v", g)
		}
	}
	var evs struct{ Events []antre.Event }
	h.Do("GET", "/api/v1/events", h.Admin, nil, &evs)
	if len(evs.Events) != 0 {
		t.Errorf("bad input wrote events: %+v", evs.Events)
	}
	if tr := issue(t, h, map[string]any{"group": "A"}); tr.Code != "A001" {
		t.Errorf("first good ticket %s", tr.Code)
	}
}

func TestLoginThrottle(t *testing.T) {
	h := servertest.New(t)
	var statuses []int
	for range 5 {
		statuses = append(statuses, h.Do("POST", "/api/v1/login", "", map[string]string{"name": "petugas", "password": "salah"}, nil))
	}
	if fmt.Sprint(statuses) != "[401 401 401 429 429]" { // three free failures, then the wait
		t.Fatalf("failed log-ins: %v", statuses)
	}
	// even the right password waits out the delay
	var e apiError
	if st := h.Do("POST", "/api/v1/login", "", map[string]string{"name": "petugas", "password": "rahasia1"}, &e); st != 429 || !strings.Contains(e.Error.Message, "detik") {
		t.Fatalf("right password during lock-out: %d %+v", st, e)
	}
	h.Clock.Advance(2 * time.Second)
	if st := h.Do("POST", "/api/v1/login", "", map[string]string{"name": "petugas", "password": "rahasia1"}, nil); st != 200 {
		t.Fatalf("after the delay: %d", st)
	}
}

func TestQuotaOverrideIsForToday(t *testing.T) {
	h := servertest.New(t)
	var q struct{ Groups []antre.GroupQuota }
	if st := h.Do("PUT", "/api/v1/groups/A/quota", h.Admin, map[string]int{"walkin": 1, "online": 0, "priority": 0}, &q); st != 200 || q.Groups[0].Quota.WalkIn != 1 {
		t.Fatalf("set quota: %d %+v", st, q)
	}
	issue(t, h, map[string]any{"group": "A"})
	if st := h.Do("POST", "/api/v1/tickets", h.Kiosk, map[string]any{"group": "A"}, nil); st != 409 {
		t.Errorf("over today's quota: %d", st)
	}
	if st := h.Do("PUT", "/api/v1/groups/A/quota", h.Admin, map[string]int{"walkin": -1}, nil); st != 400 {
		t.Errorf("negative quota: %d", st)
	}
	h.Clock.Advance(24 * time.Hour)
	h.Do("GET", "/api/v1/quota", "", nil, &q)
	if q.Groups[0].Quota.WalkIn != 42 {
		t.Errorf("next day quota %+v, want the standing 42", q.Groups[0].Quota)
	}
}

func TestHealthAndMetrics(t *testing.T) {
	h := servertest.New(t)
	issue(t, h, map[string]any{"group": "A"})
	issue(t, h, map[string]any{"group": "A"})
	next(t, h, 1)
	body := metricsText(t, h)
	for _, want := range []string{
		`antre_tickets_issued{group="A",pool="walkin"} 2`,
		`antre_quota_remaining{group="A",pool="walkin"} 40`,
		`antre_waiting{group="A"} 1`,
		"antre_called 1",
		"antre_stream_clients 0",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if st := h.Do("GET", "/healthz", "", nil, nil); st != 200 {
		t.Errorf("healthz %d", st)
	}
}

func metricsText(t *testing.T, h *servertest.Hub) string {
	t.Helper()
	resp, err := http.Get(h.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestHeldTickets: a failed print is held and listed for its kiosk and officers until printed.
func TestHeldTickets(t *testing.T) {
	h := servertest.New(t)
	other, err := h.DB().AddDevice(t.Context(), "kiosk-2", "kiosk")
	if err != nil {
		t.Fatal(err)
	}
	issue(t, h, map[string]any{"group": "A"})
	h.Do("POST", "/api/v1/tickets/A001/printed", h.Kiosk, map[string]any{"ok": false, "detail": "paper_out"}, nil)
	held := func(tok string) []string {
		var out struct{ Tickets []antre.Ticket }
		if st := h.Do("GET", "/api/v1/tickets/held", tok, nil, &out); st != 200 {
			t.Fatalf("held: %d", st)
		}
		var codes []string
		for _, tk := range out.Tickets {
			codes = append(codes, tk.Code+":"+tk.IssuedBy)
		}
		return codes
	}
	if got := fmt.Sprint(held(h.Kiosk), held(h.Officer), held(other)); got != "[A001:kiosk-1] [A001:kiosk-1] []" {
		t.Errorf("held lists %s", got)
	}
	var rp map[string]any
	h.Do("POST", "/api/v1/tickets/A001/reprint", h.Officer, nil, &rp)
	if rp["kiosk"] != "kiosk-1" {
		t.Errorf("reprint %v", rp)
	}
	h.Do("POST", "/api/v1/tickets/A001/printed", h.Kiosk, map[string]any{"ok": true}, nil)
	if got := held(h.Officer); len(got) != 0 {
		t.Errorf("after printing: %v", got)
	}
}

// TestHolidayCalendar: an admin closes and opens days; anyone reads them; an officer may not
// change them; a bad date or kind changes nothing.
func TestHolidayCalendar(t *testing.T) {
	h := servertest.New(t)
	if st := h.Do("PUT", "/api/v1/holidays/2026-12-25", h.Admin, map[string]string{"name": "Hari Raya Natal", "kind": "national"}, nil); st != 200 {
		t.Fatalf("close a day: %d", st)
	}
	if st := h.Do("PUT", "/api/v1/holidays/2026-12-24", h.Officer, map[string]string{"name": "Cuti bersama", "kind": "cuti_bersama"}, nil); st != 403 {
		t.Errorf("an officer closed a day: %d", st)
	}
	var e apiError
	if st := h.Do("PUT", "/api/v1/holidays/2026-13-01", h.Admin, map[string]string{"name": "x", "kind": "national"}, &e); st != 400 || e.Error.Code != "invalid" {
		t.Errorf("bad date: %d %+v", st, e)
	}
	if st := h.Do("PUT", "/api/v1/holidays/2026-12-26", h.Admin, map[string]string{"name": "x", "kind": "party"}, nil); st != 400 {
		t.Errorf("bad kind: %d", st)
	}
	var list struct{ Holidays []antre.Holiday }
	h.Do("GET", "/api/v1/holidays?from=2026-12-01&to=2026-12-31", "", nil, &list)
	if len(list.Holidays) != 1 || list.Holidays[0].Name != "Hari Raya Natal" {
		t.Fatalf("holidays: %+v", list)
	}
	cal, err := h.DB().Calendar(t.Context())
	if err != nil || cal.Working("2026-12-25") || !cal.Working("2026-12-28") {
		t.Errorf("calendar: %v", err)
	}
	if st := h.Do("DELETE", "/api/v1/holidays/2026-12-25", h.Admin, nil, nil); st != 204 {
		t.Errorf("open the day again: %d", st)
	}
	if st := h.Do("DELETE", "/api/v1/holidays/2026-12-25", h.Admin, nil, nil); st != 404 {
		t.Errorf("open a day that is open: %d", st)
	}
}

// TestComingDaysQuota: a quota set for a coming day (as headquarters sends it) leaves today's
// alone, applies on that day, and a past day is refused; a display is told which day it is for.
func TestComingDaysQuota(t *testing.T) {
	wib, _ := time.LoadLocation("Asia/Jakarta")
	h := servertest.Start(t, servertest.Settings{Start: time.Date(2026, 11, 25, 9, 0, 0, 0, wib)})
	if err := h.DB().SetQuotaOn(t.Context(), "2026-11-27", "A", antre.Quota{WalkIn: 5, Online: 2, Priority: 1}, "hq"); err != nil {
		t.Fatal(err)
	}
	if err := h.DB().SetQuotaOn(t.Context(), "2026-11-24", "A", antre.Quota{WalkIn: 5}, "hq"); antre.ErrorCode(err) != antre.EINVALID {
		t.Errorf("a past day's quota: %v", err)
	}
	var q struct{ Groups []antre.GroupQuota }
	h.Do("GET", "/api/v1/quota", "", nil, &q)
	if q.Groups[0].Quota.WalkIn != 42 {
		t.Errorf("today's quota changed: %+v", q.Groups[0].Quota)
	}
	h.Clock.Set(time.Date(2026, 11, 27, 8, 0, 0, 0, wib))
	h.Do("GET", "/api/v1/quota", "", nil, &q)
	if q.Groups[0].Quota != (antre.Quota{WalkIn: 5, Online: 2, Priority: 1}) {
		t.Errorf("that day's quota: %+v", q.Groups[0].Quota)
	}
	evs, err := h.DB().EventsSince(t.Context(), 0, 10)
	if err != nil || len(evs) != 1 {
		t.Fatalf("events: %v %v", evs, err)
	}
	if d, ok := evs[0].DeviceView(); !ok || !strings.Contains(string(d.Data), `"date":"2026-11-27"`) {
		t.Errorf("a display's view of the coming day's quota: %s", d.Data)
	}
}
