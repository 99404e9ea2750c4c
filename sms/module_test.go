package sms

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"antre"
)

// provider is a commercial SMS provider's HTTP API on 127.0.0.1: it records what it is sent and
// answers with the statuses it is told to, then 200 with a message id.
type provider struct {
	mu       sync.Mutex
	srv      *httptest.Server
	got      []url.Values
	statuses []int
	n        int
}

func newProvider(t testing.TB) *provider {
	p := &provider{}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Api-Key") != "k3y" {
			http.Error(w, `{"status":"unauthorised"}`, http.StatusUnauthorized)
			return
		}
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		p.mu.Lock()
		status := http.StatusOK
		if len(p.statuses) > 0 {
			status, p.statuses = p.statuses[0], p.statuses[1:]
		}
		if status == http.StatusOK {
			p.n++
			p.got = append(p.got, r.PostForm)
		}
		n := p.n
		p.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if status == http.StatusOK {
			fmt.Fprintf(w, `{"status":"success","data":{"messages":[{"id":"msg-%d"}]}}`, n)
			return
		}
		fmt.Fprint(w, `{"status":"error"}`)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *provider) fail(statuses ...int) {
	p.mu.Lock()
	p.statuses = append(p.statuses, statuses...)
	p.mu.Unlock()
}

// texts returns what was sent, as "to: text".
func (p *provider) texts() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, v := range p.got {
		out = append(out, v.Get("msisdn")+": "+v.Get("message"))
	}
	return out
}

func (p *provider) config() Config {
	cfg := DefaultConfig()
	cfg.Adapter = "http"
	cfg.HTTP = HTTPConfig{
		URL: p.srv.URL + "/api/send", Method: "POST", Format: "form",
		Headers: map[string]string{"X-Api-Key": "k3y"}, ToField: "msisdn", TextField: "message", FromField: "sender",
		SuccessPath: "status", SuccessValue: "success", MessageIDPath: "data.messages.0.id",
	}
	cfg.RatePerSecond = 1000
	cfg.RetryMin, cfg.RetryMax = 20*time.Millisecond, 100*time.Millisecond
	cfg.PollInterval = 20 * time.Millisecond
	return cfg
}

func TestCalledAndNearTurn(t *testing.T) {
	p := newProvider(t)
	f := newFixture(t, p.config())
	f.run(t)
	var codes []string
	for i := range 8 {
		codes = append(codes, f.hub.issue("A", fmt.Sprintf("62812000000%02d", i)))
	}
	f.hub.issue("A", "") // no phone: never messaged
	f.hub.call(codes[0], 3)
	// A001 is called; A002…A007 have 0…5 ahead; A008 has 6.
	waitFor(t, 5*time.Second, "call and near messages", func() bool { return len(p.texts()) == 7 })
	f.hub.call(codes[1], 4)
	waitFor(t, 5*time.Second, "second call", func() bool { return len(p.texts()) == 9 })
	time.Sleep(100 * time.Millisecond)
	got := p.texts()
	want := map[string]bool{
		"6281200000000: Nomor antrean A001 dipanggil. Silakan menuju loket 3.":                                      true,
		"6281200000001: Nomor antrean A002 dipanggil. Silakan menuju loket 4.":                                      true,
		"6281200000001: Nomor antrean A002: tinggal 0 antrean sebelum giliran Anda. Mohon bersiap di ruang tunggu.": true,
		"6281200000006: Nomor antrean A007: tinggal 5 antrean sebelum giliran Anda. Mohon bersiap di ruang tunggu.": true,
		"6281200000007: Nomor antrean A008: tinggal 5 antrean sebelum giliran Anda. Mohon bersiap di ruang tunggu.": true,
		"6281200000004: Nomor antrean A005: tinggal 3 antrean sebelum giliran Anda. Mohon bersiap di ruang tunggu.": true,
		"6281200000002: Nomor antrean A003: tinggal 1 antrean sebelum giliran Anda. Mohon bersiap di ruang tunggu.": true,
		"6281200000003: Nomor antrean A004: tinggal 2 antrean sebelum giliran Anda. Mohon bersiap di ruang tunggu.": true,
		"6281200000005: Nomor antrean A006: tinggal 4 antrean sebelum giliran Anda. Mohon bersiap di ruang tunggu.": true,
	}
	if len(got) != len(want) {
		t.Fatalf("sent %d messages, want %d: %q", len(got), len(want), got)
	}
	for _, g := range got {
		if !want[g] {
			t.Errorf("unexpected message %q", g)
		}
	}
	// The call message went before the near-turn messages it caused.
	if !strings.Contains(got[0], "dipanggil") {
		t.Errorf("first message %q is not the call", got[0])
	}
	rows := f.rows(t, `SELECT status, gateway_id FROM sms_outbox WHERE kind = 'called' ORDER BY id`)
	if len(rows) != 2 || rows[0][0] != "sent" || !strings.HasPrefix(rows[0][1], "msg-") {
		t.Errorf("called rows: %v", rows)
	}
}

func TestRetryThenDeadLetterAndAdminRetry(t *testing.T) {
	p := newProvider(t)
	cfg := p.config()
	cfg.MaxAttempts = 3
	f := newFixture(t, cfg)
	p.fail(503, 502) // two temporary failures, then success
	f.run(t)
	code := f.hub.issue("B", "081200000001")
	f.hub.call(code, 1)
	waitFor(t, 5*time.Second, "delivery after retries", func() bool {
		r := f.rows(t, `SELECT attempts, status FROM sms_outbox WHERE kind = 'called'`)
		return r[0][1] == "sent"
	})
	if r := f.rows(t, `SELECT attempts FROM sms_outbox WHERE kind = 'called'`); r[0][0] != "3" || len(p.texts()) != 1 {
		t.Errorf("after two retries: %v attempts, %d sent", r, len(p.texts()))
	}

	p.fail(400) // permanent: dead at once
	if _, _, err := f.m.PassportReady(context.Background(), "2026-0001", "0812-0000-0002", "petugas"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "dead letter", func() bool {
		r := f.rows(t, `SELECT status FROM sms_outbox WHERE kind = 'passport_ready'`)
		return len(r) == 1 && r[0][0] == "dead"
	})
	rec := httptest.NewRecorder()
	f.mux.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/sms/outbox?status=dead", nil))
	var list struct{ Messages []OutboxMessage }
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || len(list.Messages) != 1 {
		t.Fatalf("dead letters: %s", rec.Body)
	}
	dead := list.Messages[0]
	if !strings.Contains(dead.LastError, "400") || dead.Phone != "6281200000002" {
		t.Errorf("dead letter: %+v", dead)
	}
	rec = httptest.NewRecorder()
	f.mux.ServeHTTP(rec, httptest.NewRequest("POST", fmt.Sprintf("/api/v1/sms/outbox/%d/retry", dead.ID), nil))
	if rec.Code != http.StatusNoContent {
		t.Fatalf("retry: %d %s", rec.Code, rec.Body)
	}
	waitFor(t, 5*time.Second, "retried dead letter", func() bool { return len(p.texts()) == 2 })
	if got := p.texts()[1]; !strings.Contains(got, "Paspor permohonan 20260001 sudah selesai") {
		t.Errorf("passport message: %q", got)
	}
	rec = httptest.NewRecorder()
	f.mux.ServeHTTP(rec, httptest.NewRequest("POST", fmt.Sprintf("/api/v1/sms/outbox/%d/retry?lang=en", dead.ID), nil))
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), `"code":"conflict"`) ||
		!strings.Contains(rec.Body.String(), "not possible in the ticket") {
		t.Errorf("retrying a sent message: %d %s", rec.Code, rec.Body)
	}

	// Exhausted attempts: three temporary failures with MaxAttempts 3.
	p.fail(503, 503, 503)
	f.hub.call(f.hub.issue("B", "081200000003"), 2)
	waitFor(t, 5*time.Second, "dead after attempts", func() bool {
		r := f.rows(t, `SELECT status, attempts FROM sms_outbox WHERE phone = '6281200000003'`)
		return len(r) == 1 && r[0][0] == "dead" && r[0][1] == "3"
	})
}

func TestThrottlePausesSending(t *testing.T) {
	p := newProvider(t)
	f := newFixture(t, p.config())
	p.fail(429)
	f.run(t)
	start := time.Now()
	f.hub.call(f.hub.issue("C", "081200000009"), 5)
	waitFor(t, 5*time.Second, "send after throttling", func() bool { return len(p.texts()) == 1 })
	if d := time.Since(start); d < 10*time.Millisecond {
		t.Errorf("sent %s after a 429: no pause", d)
	}
	if r := f.rows(t, `SELECT attempts FROM sms_outbox`); r[0][0] != "1" {
		t.Errorf("a throttled try counted as an attempt: %v", r)
	}
}

// subscribe sends MULAI (or STOP) from phone through the inbound endpoint.
func (f *fixture) inbound(t testing.TB, from, text string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	q := url.Values{"from": {from}, "text": {text}, "secret": {"s3cret"}}
	f.mux.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/sms/inbound?"+q.Encode(), nil))
	return rec.Code, rec.Body.String()
}

func TestBroadcastsRespectStop(t *testing.T) {
	p := newProvider(t)
	cfg := p.config()
	cfg.InboundSecret = "s3cret"
	f := newFixtureAt(t, cfg, time.Date(2026, 11, 25, 7, 59, 0, 0, testOffice(t).Location))
	c := f.clock
	f.inbound(t, "+6281100000001", "MULAI")
	f.inbound(t, "081100000002", "start")
	f.inbound(t, "081100000003", "MULAI")
	f.inbound(t, "081100000003", "STOP")
	f.run(t)
	time.Sleep(100 * time.Millisecond)
	if n := len(p.texts()); n != 0 {
		t.Fatalf("sent %d before opening time", n)
	}
	c.Set(time.Date(2026, 11, 25, 8, 0, 0, 0, f.hub.office.Location))
	waitFor(t, 5*time.Second, "opening broadcast", func() bool { return len(p.texts()) == 2 })

	// Milestones of group A (quota 60): 30 left, 10 left, none left.
	date := f.hub.office.BusinessDate(c.Now())
	for _, used := range []int{29, 49, 59} { // the online (12) and priority (6) pools used up, the rest walk-in
		if _, err := f.db.ExecContext(context.Background(), `INSERT INTO sequences (office, business_date, group_code, last_number, used_walkin, used_online, used_priority)
			VALUES (?, ?, 'A', ?, ?, 12, 6) ON CONFLICT DO UPDATE SET last_number = excluded.last_number, used_walkin = excluded.used_walkin`,
			"JKS", date, used, used-18); err != nil {
			t.Fatal(err)
		}
		f.hub.issue("A", "")
		if used < 59 {
			f.hub.issue("A", "") // one past the milestone: nothing more (after the last, none is left)
		}
	}
	// One subscriber stops after the last milestone was written: the send-time check skips it.
	waitFor(t, 5*time.Second, "milestones", func() bool { return len(p.texts()) == 8 })
	time.Sleep(100 * time.Millisecond)
	got := strings.Join(p.texts(), "\n")
	for _, want := range []string{
		"6281100000001: Kanim Jakarta Selatan 25-11-2026: kuota hari ini A:60 B:60 C:60 D:60 E:60 F:60. Balas KUOTA utk sisa kuota, STOP utk berhenti.",
		"6281100000002: Kanim Jakarta Selatan 25-11-2026: today's quota A:60 B:60 C:60 D:60 E:60 F:60. Reply QUOTA for what is left, STOP to unsubscribe.",
		"6281100000001: Kanim Jakarta Selatan: sisa kuota layanan A hari ini 30 dari 60. Balas STOP utk berhenti.",
		"6281100000001: Kanim Jakarta Selatan: sisa kuota layanan A hari ini 10 dari 60. Balas STOP utk berhenti.",
		"6281100000001: Kanim Jakarta Selatan: kuota layanan A hari ini sudah habis. Silakan datang pada hari kerja berikutnya.",
		"6281100000002: Kanim Jakarta Selatan: today's quota for service A is used up. Please come on the next working day.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, "6281100000003") {
		t.Errorf("broadcast to a number that sent STOP:\n%s", got)
	}
	// The next day's opening comes again, once; a Sunday has none.
	c.Set(time.Date(2026, 11, 26, 8, 30, 0, 0, f.hub.office.Location))
	waitFor(t, 5*time.Second, "next opening", func() bool { return len(p.texts()) == 10 })
	c.Set(time.Date(2026, 11, 29, 9, 0, 0, 0, f.hub.office.Location))
	time.Sleep(150 * time.Millisecond)
	if n := len(p.texts()); n != 10 {
		t.Errorf("%d messages after a Sunday, want 10", n)
	}

	// A STOP arriving after a broadcast was expanded still stops it.
	f.db.ExecContext(context.Background(), `UPDATE sms_subscribers SET active = 0 WHERE phone = '6281100000002'`)
	f.m.enqueue(context.Background(), f.db, outMsg{key: "late", kind: tplQuotaLeft, phone: "6281100000002", body: "x", broadcast: true, prio: prioBroadcast}, c.Now())
	waitFor(t, 5*time.Second, "skip", func() bool {
		r := f.rows(t, `SELECT status FROM sms_outbox WHERE dedupe_key = 'late'`)
		return r[0][0] == "skipped"
	})
}

func TestInboundCommands(t *testing.T) {
	p := newProvider(t)
	cfg := p.config()
	cfg.InboundSecret = "s3cret"
	cfg.InboundLimit = 8
	f := newFixture(t, cfg)
	a := f.hub.issue("A", "")
	b := f.hub.issue("A", "")
	f.hub.call(a, 2)
	if code, body := f.inbound(t, "081277777777", "STATUS 1234-5678"); code != http.StatusOK || !strings.Contains(body, "belum dapat dicek") {
		t.Errorf("STATUS before the workflow provides statuses: %d %q", code, body)
	}
	f.host.services.Provide(statuses{"12345678": "sedang diproses"})
	tests := []struct{ text, want string }{
		{"STATUS 1234-5678", "Permohonan 12345678: sedang diproses."},
		{"status 99999", "Permohonan 99999 tidak ditemukan. Periksa nomor pada bukti permohonan Anda."},
		{"ANTRI " + b, "Antrean A002: menunggu, 0 antrean di depan Anda, perkiraan 0 menit."},
		{"antri " + strings.ToLower(a), "Antrean A001 sedang dipanggil. Silakan menuju loket 2."},
		{"queue Z999", "Ticket Z999 was not found for today."},
		{"ANTRI 12", "Format salah. Contoh: ANTRI A012"},
		{"KUOTA", "Sisa kuota 25-11-2026: A:58 B:60 C:60 D:60 E:60 F:60."},
		{"halo", defaultTemplates[tplHelp].id},
	}
	for _, tc := range tests {
		code, body := f.inbound(t, "081299999999", tc.text)
		if code != http.StatusOK || body != tc.want {
			t.Errorf("%q: %d %q, want %q", tc.text, code, body, tc.want)
		}
	}
	// Over the limit: recorded, not answered.
	if code, body := f.inbound(t, "081299999999", "KUOTA"); code != http.StatusOK || body != "" {
		t.Errorf("over the limit: %d %q", code, body)
	}
	if code, body := f.inbound(t, "081288888888", "INFO"); body == "" || code != http.StatusOK {
		t.Errorf("another number is limited too: %d %q", code, body)
	}
	rec := httptest.NewRecorder()
	f.mux.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/sms/inbound?from=0812&text=INFO&secret=wrong", nil))
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), `"code":"forbidden"`) {
		t.Errorf("wrong secret: %d %s", rec.Code, rec.Body)
	}
}

func TestApplicationAPIAndTemplates(t *testing.T) {
	p := newProvider(t)
	f := newFixture(t, p.config())
	do := func(method, path, body string, hdr ...string) (int, string) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		f.mux.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	if code, body := do("POST", "/api/v1/sms/passport-ready", `{"application":"A-77001","phone":"0813 1111 2222"}`); code != 200 ||
		!strings.Contains(body, `"application":"A77001"`) || strings.Contains(body, "6281311112222") {
		t.Errorf("passport ready: %d %s", code, body)
	}
	if code, body := do("POST", "/api/v1/sms/passport-ready", `{"application":"A?","phone":"0813 1111 2222"}`, "Accept-Language", "en-US"); code != 400 ||
		!strings.Contains(body, `"code":"invalid"`) || !strings.Contains(body, "Invalid request") {
		t.Errorf("bad application number: %d %s", code, body)
	}
	if code, body := do("POST", "/api/v1/sms/passport-ready", `{"application":"A-77002","phone":"12"}`); code != 400 ||
		!strings.Contains(body, "Nomor telepon tidak valid") {
		t.Errorf("bad phone: %d %s", code, body)
	}
	do("POST", "/api/v1/sms/passport-ready", `{"application":"a77001","phone":"0813 1111 2222"}`) // again: one message
	do("POST", "/api/v1/sms/passport-ready", `{"application":"B-1","phone":"0813-0000-0000"}`)
	r := f.rows(t, `SELECT dedupe_key, phone FROM sms_outbox ORDER BY id`)
	if len(r) != 1 || r[0][0] != "passport_ready/A77001" || r[0][1] != "6281311112222" {
		t.Errorf("passport ready messages: %v", r)
	}

	if code, body := do("PUT", "/api/v1/sms/templates/called", `{"body":"{code}: ke loket {counter} sekarang."}`); code != 200 ||
		!strings.Contains(body, `"edited":true`) {
		t.Errorf("put template: %d %s", code, body)
	}
	if code, body := do("PUT", "/api/v1/sms/templates/called", `{"body":"{code} {nama}"}`); code != 400 {
		t.Errorf("unknown placeholder accepted: %d %s", code, body)
	}
	f.hub.call(f.hub.issue("D", "081300000001"), 7)
	r = f.rows(t, `SELECT body FROM sms_outbox WHERE kind = 'called'`)
	if len(r) != 1 || r[0][0] != "D001: ke loket 7 sekarang." {
		t.Errorf("edited template not used: %v", r)
	}
	if code, body := do("GET", "/api/v1/sms/templates/called", ""); code != 200 || !strings.Contains(body, "ke loket {counter} sekarang") {
		t.Errorf("get template: %d %s", code, body)
	}
	if code, _ := do("PUT", "/api/v1/sms/templates/called", `{"body":""}`); code != 200 {
		t.Errorf("reset template: %d", code)
	}
	if tp := f.m.tpl.get(tplCalled, "id"); tp.Edited || tp.Body != defaultTemplates[tplCalled].id {
		t.Errorf("template not reset: %+v", tp)
	}
	if code, _ := do("GET", "/api/v1/sms/templates/nope", ""); code != 404 {
		t.Errorf("unknown template: %d", code)
	}
}

func TestDeliveryReportsAreIdempotent(t *testing.T) {
	p := newProvider(t)
	cfg := p.config()
	cfg.InboundSecret = "s3cret"
	f := newFixture(t, cfg)
	ctx := context.Background()
	f.m.enqueue(ctx, f.db, outMsg{key: "k1", kind: tplCalled, phone: "6281", body: "x"}, f.clock.Now())
	status := func() string { return f.rows(t, `SELECT status FROM sms_outbox WHERE dedupe_key = 'k1'`)[0][0] }
	dlr := func(typ string) int {
		rec := httptest.NewRecorder()
		f.mux.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/sms/dlr?id=1&secret=s3cret&type="+typ, nil))
		return rec.Code
	}
	// A report overtaking the sender's own bookkeeping still counts.
	if dlr("8") != http.StatusNoContent || status() != "accepted" {
		t.Fatalf("accepted report: %s", status())
	}
	w := &worker{Module: f.m}
	if err := w.sent(ctx, 1, Receipt{}); err != nil || status() != "accepted" {
		t.Errorf("sent after accepted moved it back: %s %v", status(), err)
	}
	for _, typ := range []string{"1", "1", "8", "4"} {
		dlr(typ)
	}
	if status() != "delivered" {
		t.Errorf("after repeated reports: %s", status())
	}

	// SMPP-style receipts by gateway id, one arriving before the id was stored.
	f.m.enqueue(ctx, f.db, outMsg{key: "k2", kind: tplCalled, phone: "6282", body: "x"}, f.clock.Now())
	if err := f.m.Report(ctx, Report{GatewayID: "g-2b", State: StateDelivered}); err != nil {
		t.Fatal(err)
	}
	if err := w.sent(ctx, 2, Receipt{GatewayIDs: []string{"g-2a", "g-2b"}}); err != nil {
		t.Fatal(err)
	}
	st := func() string { return f.rows(t, `SELECT status FROM sms_outbox WHERE dedupe_key = 'k2'`)[0][0] }
	if st() != "delivered" {
		t.Errorf("early receipt not applied: %s", st())
	}
	f.m.Report(ctx, Report{GatewayID: "g-2a", State: StateUndelivered, Detail: "smsc receipt UNDELIV"})
	f.m.Report(ctx, Report{GatewayID: "g-2a", State: StateDelivered})
	if st() != "undelivered" {
		t.Errorf("a failed part did not fail the message: %s", st())
	}
}

func TestDisabledModuleWritesNothing(t *testing.T) {
	f := newFixture(t, DefaultConfig())
	f.hub.call(f.hub.issue("A", "081200000001"), 1)
	if _, _, err := f.m.PassportReady(context.Background(), "X-1234", "081200000001", "petugas"); err != nil {
		t.Fatal(err)
	}
	if r := f.rows(t, `SELECT COUNT(*) FROM sms_outbox`); r[0][0] != "0" {
		t.Errorf("outbox written without a gateway: %v", r)
	}
}

func TestConfigValidation(t *testing.T) {
	office := testOffice(t)
	for _, mod := range []func(*Config){
		func(c *Config) { c.Adapter = "carrier-pigeon" },
		func(c *Config) { c.Adapter = "kannel" },
		func(c *Config) { c.Milestones = []string{"lots"} },
		func(c *Config) { c.OpenDays = []int{7} },
		func(c *Config) { c.MaxParts = 0 },
	} {
		cfg := DefaultConfig()
		mod(&cfg)
		if _, err := New(cfg); err == nil {
			t.Errorf("config %+v accepted", cfg)
		}
	}
	m, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	host := &testHost{store: openStore(t, office, time.Now), mux: http.NewServeMux(), log: testLogger(t), office: antre.Office{Code: "X"}}
	if err := m.Start(host); err == nil {
		t.Error("office without a time zone accepted")
	}
}

func TestPassportReadyEvent(t *testing.T) {
	p := newProvider(t)
	f := newFixture(t, p.config())
	for _, data := range []string{`{"application":"P-0099","phone":"0812 7777 0001"}`, `{"application":"P-0099"}`,
		`{"application":"x","phone":"1"}`, `not json`} {
		if err := f.hub.emit(antre.Event{Type: antre.EvPassport, Data: json.RawMessage(data)}); err != nil {
			t.Fatal(err)
		}
	}
	r := f.rows(t, `SELECT dedupe_key, phone FROM sms_outbox`)
	if len(r) != 1 || r[0][0] != "passport_ready/P0099" || r[0][1] != "6281277770001" {
		t.Errorf("passport ready from events: %v", r)
	}
	if r := f.rows(t, `SELECT COUNT(*) FROM events`); r[0][0] != "4" {
		t.Errorf("a bad event rolled its change back: %v events", r[0][0])
	}
}
