package voice_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"antre/server"
)

// smsPeer is the SMS provider's HTTP API as the SMS module's http adapter talks to it: every
// message sent arrives on its channel.
type smsPeer struct {
	srv  *httptest.Server
	sent chan url.Values
}

func newSMSPeer(t *testing.T) *smsPeer {
	p := &smsPeer{sent: make(chan url.Values, 100)}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		p.sent <- r.PostForm
		io.WriteString(w, `{"status":"ok","id":"m1"}`)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// config points the hub's SMS module at the peer.
func (p *smsPeer) config(c *server.Config) {
	c.SMS.Adapter = "http"
	c.SMS.HTTP.URL = p.srv.URL
	c.SMS.InboundSecret = "s3cret"
	c.SMS.RatePerSecond = 100
	c.SMS.PollInterval = 20 * time.Millisecond
}

// next returns the next message the peer receives for phone whose text contains want,
// skipping others, or fails after ten seconds.
func (p *smsPeer) next(t *testing.T, phone, want string) string {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case f := <-p.sent:
			if f.Get("to") == phone && strings.Contains(f.Get("text"), want) {
				return f.Get("text")
			}
		case <-deadline:
			t.Fatalf("no SMS to %s with %q", phone, want)
		}
	}
}

// inbound sends an SMS to the hub as the gateway does and returns the answer.
func inbound(t *testing.T, e *env, from, text string) string {
	t.Helper()
	resp, err := http.Get(e.h.URL + "/api/v1/sms/inbound?secret=s3cret&from=" + url.QueryEscape(from) + "&text=" + url.QueryEscape(text))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("inbound %q: %d %s", text, resp.StatusCode, b)
	}
	return string(b)
}

// TestSMSComplaint: a complaint by SMS through the real SMS gateway path (the hub's SMS module,
// its outbox and worker, an HTTP provider) gets its number in the reply; anyone with the
// number sees its state and nothing personal; the officer who takes it answers it, and the
// answer goes back by SMS to the number it came from. A served ticket with a phone gets the
// survey's link by SMS, and the link answers the survey.
func TestSMSComplaint(t *testing.T) {
	peer := newSMSPeer(t)
	e := newEnv(t, peer.config)
	reply := inbound(t, e, "0812-3456-7890", "ADUAN ada calo di depan kantor menawarkan antrean cepat Rp200.000")
	number := ""
	for _, w := range strings.Fields(reply) {
		if strings.HasPrefix(w, "ADU-") {
			number = strings.TrimRight(w, ".,")
		}
	}
	if number == "" || !strings.Contains(reply, "diterima") || !strings.Contains(reply, "09-12-2026") {
		t.Fatalf("reply %q", reply) // 10 working days after Wednesday 25 November: Wednesday 9 December
	}
	if r := inbound(t, e, "0812-3456-7890", "aduan"); !strings.Contains(r, "Contoh: ADUAN") {
		t.Errorf("ADUAN without text: %q", r)
	}

	var pub map[string]any
	e.ok("", "GET", "/api/v1/complaints/"+strings.ToLower(number), nil, &pub)
	if pub["number"] != number || pub["status"] != "received" || pub["channel"] != "sms" || pub["due"] != "2026-12-09" {
		t.Errorf("public view %v", pub)
	}
	for k, v := range pub {
		if s, ok := v.(string); ok && (strings.Contains(s, "7890") || strings.Contains(s, "calo di depan")) {
			t.Errorf("public view shows %s = %q", k, s)
		}
	}
	e.refused("", "GET", "/api/v1/complaints/ADU-2345-6789", nil, 404, "not_found")
	e.refused("", "GET", "/api/v1/complaints/xyz", nil, 400, "invalid")

	// the list masks the phone; the officer takes it (as a broker complaint) and answers
	var list struct{ Complaints []map[string]any }
	e.ok("petugas", "GET", "/api/v1/complaints?open=1", nil, &list)
	if len(list.Complaints) != 1 || list.Complaints[0]["phone"] != "6281******890" || list.Complaints[0]["category"] != "other" {
		t.Fatalf("list %v", list.Complaints)
	}
	e.refused("petugas", "POST", "/api/v1/complaints/"+number+"/answer", map[string]any{"answer": "x y"}, 409, "conflict")
	e.ok("petugas", "POST", "/api/v1/complaints/"+number+"/take", map[string]any{"category": "broker"}, nil)
	if msg := e.refused("petugas2", "POST", "/api/v1/complaints/"+number+"/answer", map[string]any{"answer": "Sudah ditindak."}, 409, "conflict"); !strings.Contains(msg, "petugas") {
		t.Errorf("another officer answers: %q", msg)
	}
	e.refused("petugas", "POST", "/api/v1/complaints/"+number+"/answer", map[string]any{"answer": " "}, 400, "invalid")
	e.refused("petugas", "POST", "/api/v1/complaints/"+number+"/reject", map[string]any{}, 400, "invalid")
	answer := "Terima kasih. Petugas keamanan sudah mengusir calo tersebut; antrean hanya lewat kios resmi dan gratis."
	e.ok("petugas", "POST", "/api/v1/complaints/"+number+"/answer", map[string]any{"answer": answer}, nil)
	got := peer.next(t, "6281234567890", number)
	if !strings.Contains(got, "Petugas keamanan sudah mengusir calo") {
		t.Errorf("the answer by SMS: %q", got)
	}
	e.ok("", "GET", "/api/v1/complaints/"+number+"?lang=en", nil, &pub)
	if pub["status"] != "answered" || pub["answer"] != answer || pub["status_text"] != "answered" || pub["category"] != "broker" {
		t.Errorf("public view after the answer %v", pub)
	}
	for _, ev := range append(e.events("complaint.answered"), e.events("complaint.received")...) {
		if strings.Contains(string(ev.Data), "7890") || strings.Contains(string(ev.Data), "Petugas keamanan") {
			t.Errorf("event %s carries %s", ev.Type, ev.Data)
		}
		if _, ok := ev.DeviceView(); ok {
			t.Errorf("devices see %s", ev.Type)
		}
	}
	e.ok("petugas2", "POST", "/api/v1/complaints/"+number+"/close", nil, nil)
	e.refused("petugas2", "POST", "/api/v1/complaints/"+number+"/close", nil, 409, "conflict")

	// the survey link of a served ticket with a phone
	tk := e.issue("A", map[string]any{"phone": "0813-1111-2222"})
	e.serve("petugas", 3)
	link := peer.next(t, "6281311112222", "/survei/"+tk.Code)
	u, err := url.Parse(link[strings.Index(link, "http"):])
	if err != nil || u.Query().Get("k") != tk.Token || u.Query().Get("via") != "sms" {
		t.Fatalf("survey link %q", link)
	}
	e.ok("", "POST", "/api/v1/surveys", map[string]any{"ticket": tk.Code, "token": u.Query().Get("k"), "answers": nine, "via": "sms"}, nil)

	// the web form takes complaints.burst (3) at once from one address, then slows it down
	for range 3 {
		e.ok("", "POST", "/api/v1/complaints", map[string]any{"text": "Antrean terlalu lama."}, nil)
	}
	e.refused("", "POST", "/api/v1/complaints", map[string]any{"text": "Antrean terlalu lama."}, 429, "too_many_requests")
}

// TestComplaintChannelsAndEscalation: the web form (public), the complaints desk and the
// suggestion box (an officer records them); a complaint still open after its due date is
// handed up to the head by the worker on the hub's clock, once, and one not yet due is not;
// a rejection needs a reason and tells it; the statistics count per category and channel.
func TestComplaintChannelsAndEscalation(t *testing.T) {
	e := newEnv(t, func(c *server.Config) { c.Complaints.DueDays, c.Complaints.Burst = 2, 50 })
	var web struct{ Number, Due, Status string }
	e.ok("", "POST", "/api/v1/complaints", map[string]any{"category": "time", "text": "Menunggu tiga jam di loket 2.", "ticket": "a001"}, &web)
	if web.Due != "2026-11-27" || web.Status != "received" {
		t.Fatalf("web complaint %+v", web) // Wednesday + 2 working days: Friday
	}
	e.refused("", "POST", "/api/v1/complaints", map[string]any{"channel": "desk", "text": "Saya petugas."}, 403, "forbidden")
	if msg := e.refused("", "POST", "/api/v1/complaints", map[string]any{"text": "hm"}, 400, "invalid"); msg != "Isian text harus 5 sampai 1000 karakter." {
		t.Errorf("short text: %q", msg)
	}
	e.refused("", "POST", "/api/v1/complaints", map[string]any{"text": "Toilet rusak sejak pagi.", "category": "weather"}, 400, "invalid")
	e.refused("", "POST", "/api/v1/complaints?lang=en", map[string]any{"text": "Toilet rusak sejak pagi.", "phone": "12345"}, 400, "invalid")
	e.refused("", "POST", "/api/v1/complaints", map[string]any{"text": "Toilet rusak sejak pagi.", "application": "12"}, 400, "invalid")
	e.refused("", "POST", "/api/v1/complaints/record", map[string]any{"channel": "desk", "text": "Toilet rusak sejak pagi."}, 401, "unauthorized")
	e.refused("petugas", "POST", "/api/v1/complaints/record", map[string]any{"channel": "web", "text": "Toilet rusak sejak pagi."}, 400, "invalid")
	var desk, box struct {
		Number, Channel, Phone, Name string
		RecordedBy                   string `json:"recorded_by"`
	}
	e.ok("petugas", "POST", "/api/v1/complaints/record", map[string]any{"channel": "desk", "category": "fee", "text": "Diminta biaya tambahan di loket foto.",
		"name": "Budi Santoso", "phone": "+62 812 9999 0000"}, &desk)
	if desk.Channel != "desk" || desk.Phone != "6281299990000" || desk.RecordedBy != "petugas" {
		t.Errorf("desk complaint %+v", desk)
	}
	e.h.Clock.Set(time.Date(2026, 11, 26, 10, 0, 0, 0, wib)) // Thursday: due Monday
	e.ok("petugas", "POST", "/api/v1/complaints/record", map[string]any{"channel": "box", "category": "facilities", "text": "Kursi ruang tunggu kurang."}, &box)
	var boxView struct{ Due string }
	e.ok("", "GET", "/api/v1/complaints/"+box.Number, nil, &boxView)
	if boxView.Due != "2026-11-30" {
		t.Errorf("box due %s", boxView.Due)
	}
	var detail struct {
		Phone, Name string
		History     []struct{ Actor, Action string }
	}
	e.ok("petugas2", "GET", "/api/v1/complaints/"+desk.Number+"/detail", nil, &detail)
	if detail.Phone != "6281******000" || detail.Name != "B*** S******" || len(detail.History) != 1 || detail.History[0].Actor != "petugas" {
		t.Errorf("detail to another officer %+v", detail)
	}
	e.ok("kakanim", "GET", "/api/v1/complaints/"+desk.Number+"/detail", nil, &detail)
	if detail.Phone != "6281299990000" || detail.Name != "Budi Santoso" {
		t.Errorf("detail to the head %+v", detail)
	}
	e.ok("petugas2", "POST", "/api/v1/complaints/"+desk.Number+"/take", nil, nil)

	// Saturday: the web and desk complaints (due Friday, still open) go up to the head; the
	// box complaint (due Monday) does not
	e.h.Clock.Set(time.Date(2026, 11, 28, 9, 0, 0, 0, wib))
	escalated := func() map[string]bool {
		out := map[string]bool{}
		for _, ev := range e.events("complaint.escalated") {
			var d struct{ Number string }
			json.Unmarshal(ev.Data, &d)
			out[d.Number] = true
		}
		return out
	}
	waitFor(t, "the overdue complaints' escalation", func() bool { return len(escalated()) == 2 })
	if got := escalated(); !got[web.Number] || !got[desk.Number] || got[box.Number] {
		t.Errorf("escalated %v (web %s desk %s box %s)", got, web.Number, desk.Number, box.Number)
	}
	var list struct {
		Complaints []struct {
			Number             string
			Escalated, Overdue bool
		}
	}
	e.ok("kakanim", "GET", "/api/v1/complaints?escalated=1", nil, &list)
	if len(list.Complaints) != 2 || !list.Complaints[0].Escalated || !list.Complaints[0].Overdue {
		t.Errorf("the head's list %+v", list.Complaints)
	}
	// the head answers the desk complaint held by petugas2; the web complaint is rejected
	e.ok("kakanim", "POST", "/api/v1/complaints/"+desk.Number+"/answer", map[string]any{"answer": "Biaya dikembalikan; petugas diperiksa."}, nil)
	if msg := e.refused("petugas", "POST", "/api/v1/complaints/"+web.Number+"/reject?lang=en", map[string]any{}, 400, "invalid"); msg != "A reason is required." {
		t.Errorf("reject without reason: %q", msg)
	}
	e.ok("petugas", "POST", "/api/v1/complaints/"+web.Number+"/reject", map[string]any{"reason": "Nomor antrean A001 tidak pernah diterbitkan."}, nil)
	var pub struct {
		Status       string
		RejectReason string `json:"reject_reason"`
	}
	e.ok("", "GET", "/api/v1/complaints/"+web.Number, nil, &pub)
	if pub.Status != "rejected" || !strings.Contains(pub.RejectReason, "tidak pernah") {
		t.Errorf("rejected %+v", pub)
	}
	e.h.Clock.Set(time.Date(2026, 11, 30, 9, 0, 0, 0, wib)) // Monday: the box complaint is due today, not overdue
	e.ok("petugas", "POST", "/api/v1/complaints/"+desk.Number+"/close", nil, nil)
	var stats struct {
		Total      struct{ Received, Open, Closed, Rejected, Overdue int }
		Categories []struct {
			Key              string
			Received, Closed int
			MeanDaysToClose  *float64 `json:"mean_days_to_close"`
		}
		Channels []struct {
			Key      string
			Received int
		}
	}
	e.refused("petugas", "GET", "/api/v1/complaints/stats", nil, 403, "forbidden")
	e.ok("kakanim", "GET", "/api/v1/complaints/stats?period=2026-11", nil, &stats)
	if stats.Total.Received != 3 || stats.Total.Open != 1 || stats.Total.Closed != 1 || stats.Total.Rejected != 1 || stats.Total.Overdue != 0 {
		t.Errorf("totals %+v", stats.Total)
	}
	for _, c := range stats.Categories {
		// the desk complaint: received Wednesday, closed Monday: 3 working days (Thu Fri Mon)
		if c.Key == "fee" && (c.Received != 1 || c.Closed != 1 || c.MeanDaysToClose == nil || *c.MeanDaysToClose != 3) {
			t.Errorf("fee %+v", c)
		}
	}
	for _, c := range stats.Channels {
		if c.Received != map[string]int{"web": 1, "desk": 1, "box": 1}[c.Key] {
			t.Errorf("channel %+v", c)
		}
	}
	if n := len(escalated()); n != 2 {
		t.Errorf("%d escalations: a complaint is escalated once, and one due today is not overdue", n)
	}
}
