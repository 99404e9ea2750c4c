package workflow_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"antre"
	"antre/server"
)

// smsPeer is a commercial SMS provider's HTTP API on a real socket: it records each message.
type smsPeer struct {
	mu  sync.Mutex
	got []url.Values
	srv *httptest.Server
}

func newSMSPeer(t *testing.T) *smsPeer {
	p := &smsPeer{}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		p.mu.Lock()
		p.got = append(p.got, r.PostForm)
		p.mu.Unlock()
		io.WriteString(w, `{"status":"ok","id":"m1"}`)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// find returns the first message to phone whose text contains word.
func (p *smsPeer) find(phone, word string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, f := range p.got {
		if f.Get("to") == phone && strings.Contains(f.Get("text"), word) {
			return f.Get("text")
		}
	}
	return ""
}

func withSMS(p *smsPeer) func(*server.Config) {
	return func(c *server.Config) {
		c.SMS.Adapter = "http"
		c.SMS.HTTP.URL = p.srv.URL
		c.SMS.InboundSecret = "s3cret"
		c.SMS.RatePerSecond = 100
		c.SMS.PollInterval = 20 * time.Millisecond
	}
}

// TestFileJourney walks one file through real sockets: a ticket called at the OSS desk opens the
// file, every stage's officer takes it with "next" and finishes their work, the passport-ready
// SMS reaches a real SMS peer, the applicant sees the status (web and SMS STATUS) without
// personal data, and the pickup officer hands it over after scanning the receipt.
func TestFileJourney(t *testing.T) {
	peer := newSMSPeer(t)
	e := newEnv(t, withSMS(peer))
	var inv map[string]int
	e.ok("cetak1", "POST", "/api/v1/blanks", map[string]any{"first": "A1000001", "count": 5}, &inv)
	if inv["added"] != 5 || inv["available"] != 5 {
		t.Fatalf("blanks: %v", inv)
	}
	code := e.serve("oss1", "A", 1)
	app := applicant(code, true)
	var f summary
	e.ok("oss1", "POST", "/api/v1/applications", app, &f)
	if f.Number != "2026000001" || f.Stage != "intake" || f.Status != "open" || f.Kind != "new" || f.Holder != "oss1" {
		t.Fatalf("opened %+v", f)
	}
	n := f.Number
	// one number, one application
	msg := e.refused("oss1", "POST", "/api/v1/applications", applicant(code, false), 409, "conflict")
	if !has(msg, n) {
		t.Errorf("second application from %s: %q", code, msg)
	}
	if got := e.public(n); got["stage"] != "intake" || got["status"] != "in_progress" {
		t.Errorf("public at intake: %v", got)
	}
	steps := []struct {
		user, stage string
		details     map[string]any
		next        string
	}{
		{"oss1", "intake", map[string]any{"documents": newDocs}, "biometrics"},
		{"bio1", "biometrics", map[string]any{"captures": allCaptures}, "adjudication"},
		{"adj1", "adjudication", nil, "payment"},
		{"kasir1", "payment", map[string]any{"receipt": "NTPN0123456789AB"}, "printing"},
		{"cetak1", "printing", map[string]any{"qa": allQA}, "approval"},
		{"sah1", "approval", nil, "pickup"},
	}
	for _, s := range steps {
		if s.stage != "intake" {
			if got := e.next(s.user, s.stage); got.Number != n || got.Holder != s.user {
				t.Fatalf("next at %s: %+v", s.stage, got)
			}
			e.refused(s.user, "POST", "/api/v1/stages/"+s.stage+"/next", nil, 409, "conflict") // one file at a time
		}
		got := e.complete(s.user, n, s.stage, "pass", "", s.details)
		if got.Stage != s.next || got.Holder != "" {
			t.Fatalf("%s passed: %+v", s.stage, got)
		}
		switch s.stage {
		case "adjudication":
			if got.Fee != 350000 || len(got.BillingCode) != 15 || !strings.HasPrefix(got.BillingCode, "820"+n) {
				t.Errorf("payment due: fee %d, billing %q", got.Fee, got.BillingCode)
			}
			r := 0
			for _, c := range got.BillingCode {
				r = (r*10 + int(c-'0')) % 97
			}
			if r != 1 {
				t.Errorf("billing code %s fails its ISO 7064 mod 97-10 check", got.BillingCode)
			}
			pub := e.public(n)
			if !has(pub["next"].(string), "Rp350.000") {
				t.Errorf("the applicant is told the fee: %v", pub)
			}
		case "payment":
			if got.Due != "2026-11-30" { // Wed 25 → Thu, Fri, Mon
				t.Errorf("due %s, want 2026-11-30", got.Due)
			}
		}
	}
	var sms string
	waitFor(t, "the passport-ready SMS at the SMS peer", func() bool {
		sms = peer.find("6281234567890", n)
		return sms != ""
	})
	if !has(sms, "selesai") {
		t.Errorf("ready SMS: %q", sms)
	}
	pub := e.public(n)
	if pub["stage"] != "pickup" || pub["status"] != "ready" || pub["due"] != "2026-11-30" || !has(pub["text"].(string), "dapat diambil") {
		t.Errorf("public when ready: %v", pub)
	}
	st, body := e.raw("", "/api/v1/applications/"+n+"?lang=en")
	if st != 200 || !contains(body, "ready for pickup") {
		t.Errorf("English status: %d %s", st, body)
	}
	for _, secret := range []string{app["nik"].(string), "Siti", "Rahmawati", "6281234567890", "0812", "Jakarta", "oss1", "kasir1"} {
		if contains(body, secret) {
			t.Errorf("public status shows %q: %s", secret, body)
		}
	}
	resp, err := http.Get(e.h.URL + "/api/v1/sms/inbound?secret=s3cret&from=6281299998888&text=" + url.QueryEscape("STATUS "+n))
	if err != nil {
		t.Fatal(err)
	}
	reply, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !contains(reply, n) || !contains(reply, "dapat diambil") {
		t.Errorf("SMS STATUS answer: %q", reply)
	}
	resp, _ = http.Get(e.h.URL + "/api/v1/sms/inbound?secret=s3cret&from=6281299998888&text=" + url.QueryEscape("STATUS 2026009999"))
	reply, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !contains(reply, "tidak ditemukan") {
		t.Errorf("SMS STATUS of an unknown number: %q", reply)
	}

	// pickup: the counter scans the receipt (the number and Enter), checks the face, hands over
	e.refused("ambil1", "POST", "/api/v1/applications/"+n+"/complete", map[string]any{"stage": "pickup", "outcome": "pass",
		"details": map[string]any{"face_check": true}}, 409, "conflict") // not taken yet
	var taken summary
	e.ok("ambil1", "POST", "/api/v1/stages/pickup/take", map[string]any{"number": n}, &taken)
	var file struct {
		Applicant struct {
			NIK, Name string
			Masked    bool
		} `json:"applicant"`
		History []any `json:"history"`
	}
	e.ok("ambil1", "GET", "/api/v1/applications/"+n+"/file", nil, &file)
	if file.Applicant.NIK != app["nik"] || file.Applicant.Name != "Siti Rahmawati" || file.Applicant.Masked {
		t.Errorf("the pickup officer sees %+v", file.Applicant)
	}
	msg = e.refused("ambil1", "POST", "/api/v1/applications/"+n+"/complete", map[string]any{"stage": "pickup", "outcome": "pass"}, 400, "invalid")
	if !has(msg, "wajah") {
		t.Errorf("pickup without a face check: %q", msg)
	}
	done := e.complete("ambil1", n, "pickup", "pass", "", map[string]any{"face_check": true})
	if done.Stage != "pickup" || done.Status != "picked_up" {
		t.Fatalf("picked up: %+v", done)
	}
	if got := e.public(n); got["status"] != "picked_up" {
		t.Errorf("public after pickup: %v", got)
	}
	e.refused("ambil1", "POST", "/api/v1/applications/"+n+"/complete", map[string]any{"stage": "pickup", "outcome": "pass",
		"details": map[string]any{"face_check": true}}, 409, "conflict")

	// the cashier sees the file masked, and both views are recorded
	e.ok("kasir1", "GET", "/api/v1/applications/"+n+"/file", nil, &file)
	if !file.Applicant.Masked || file.Applicant.NIK == app["nik"] || has(file.Applicant.Name, "Rahmawati") {
		t.Errorf("the cashier sees %+v", file.Applicant)
	}
	var views struct {
		Views []struct{ Viewer, Role, Purpose string } `json:"views"`
	}
	e.ok("kakanim", "GET", "/api/v1/applications/"+n+"/views", nil, &views)
	if len(views.Views) != 2 || views.Views[0].Viewer != "kasir1" || views.Views[1].Viewer != "ambil1" || views.Views[1].Role != "pickup" {
		t.Errorf("views %+v", views.Views)
	}
	e.refused("ambil1", "GET", "/api/v1/applications/"+n+"/views", nil, 403, "forbidden")

	var stock struct{ Available, Used, Spoiled int }
	e.ok("cetak1", "GET", "/api/v1/blanks", nil, &stock)
	if stock.Available != 4 || stock.Used != 1 {
		t.Errorf("blanks after one passport: %+v", stock)
	}

	// every step was an event; none reaches a device, none carries the applicant's identity
	steps2 := 0
	for _, ev := range e.events(0) {
		if !strings.HasPrefix(string(ev.Type), "workflow.") && ev.Type != antre.EvPassport {
			continue
		}
		if _, ok := ev.DeviceView(); ok {
			t.Errorf("devices may see %s", ev.Type)
		}
		for _, secret := range []string{app["nik"].(string), "Rahmawati", "Jakarta"} {
			if contains(ev.Data, secret) {
				t.Errorf("event %s carries %q: %s", ev.Type, secret, ev.Data)
			}
		}
		if ev.Type == "workflow.step" {
			steps2++
		}
	}
	if steps2 != 7 {
		t.Errorf("%d step events, want 7 (six passes and the hand-over)", steps2)
	}
	var state struct {
		RecentCalls []antre.Event `json:"recent_calls"`
	}
	e.h.Do("GET", "/api/v1/state", e.h.Display, nil, &state)
	raw, _ := json.Marshal(state)
	if contains(raw, n) {
		t.Errorf("a display's snapshot mentions the application: %s", raw)
	}
}
