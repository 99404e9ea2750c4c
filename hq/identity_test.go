package hq_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"antre"
	"antre/hq"
	"antre/hq/hqtest"
	"antre/hqwire"
	"antre/server"
	"antre/server/servertest"
)

// TestOfficeCannotPublishAsAnother: an office's credentials publish only under its own
// subjects (another office's is a permissions violation, and nothing is stored there), read
// only its own settings, and an event that claims another office in its body counts for the
// office whose subject it came on. No credentials, or no TLS, no link; a hub given another
// office's credentials refuses to start.
func TestOfficeCannotPublishAsAnother(t *testing.T) {
	h := hqtest.StartHQ(t)
	a := h.Office("KANIM-A", "Kantor A", "")
	h.Office("KANIM-B", "Kantor B", "")
	tc, err := hqwire.TLSConfig(h.CA())
	if err != nil {
		t.Fatal(err)
	}
	violations := make(chan error, 10)
	nc, err := nats.Connect(h.NATSURL(), hqwire.UserOptions(a.JWT, a.Seed), nats.Secure(tc), nats.CustomInboxPrefix(hqwire.InboxPrefix("KANIM-A")),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) { violations <- err }))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	forged := func(subject string, id int64) *nats.Msg {
		b, _ := json.Marshal(antre.Event{ID: id, Office: "KANIM-B", Type: antre.EvIssued, At: time.Now(), Ticket: "A001", Group: "A",
			Data: json.RawMessage(`{"pool":"walkin"}`)})
		m := nats.NewMsg(subject)
		m.Data = b
		m.Header.Set(jetstream.MsgIDHeader, "forged:"+subject)
		return m
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	_, err = js.PublishMsg(ctx, forged(hqwire.EventsSubject("KANIM-B"), 1))
	cancel()
	if err == nil {
		t.Fatal("office A published under office B's subject")
	}
	select {
	case v := <-violations:
		if !strings.Contains(v.Error(), "Permissions Violation") {
			t.Fatalf("expected a permissions violation, got %v", v)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no permissions violation reported")
	}
	ctx, cancel = context.WithTimeout(context.Background(), 2*time.Second)
	_, err = js.Consumer(ctx, hqwire.SettingsStream, hqwire.SettingsConsumer("KANIM-B"))
	cancel()
	if err == nil {
		t.Fatal("office A read office B's settings consumer")
	}
	// The body's claim does not count: the subject says who published.
	if _, err := js.PublishMsg(context.Background(), forged(hqwire.EventsSubject("KANIM-A"), 1)); err != nil {
		t.Fatal(err)
	}
	hqtest.Eventually(t, 10*time.Second, "the event at headquarters", func() bool {
		s, _, _ := h.View("KANIM-A")
		return s.Events == 1
	})
	if s, _, _ := h.View("KANIM-B"); s.Events != 0 || s.IssuedToday != 0 {
		t.Fatalf("office B counts what office A sent: %+v", s)
	}
	info, err := h.JetStream().Stream(context.Background(), hqwire.EventsStream)
	if err != nil {
		t.Fatal(err)
	}
	si, err := info.Info(context.Background(), jetstream.WithSubjectFilter(hqwire.EventsSubject("KANIM-B")))
	if err != nil || len(si.State.Subjects) != 0 {
		t.Fatalf("the stream holds messages under office B's subject: %v %v", si.State.Subjects, err)
	}

	// No credentials, or no TLS: no connection.
	if c, err := nats.Connect(h.NATSURL(), nats.Secure(tc), nats.MaxReconnects(0)); err == nil {
		c.Close()
		t.Fatal("connected without credentials")
	}
	if c, err := nats.Connect(strings.Replace(h.NATSURL(), "tls://", "nats://", 1), hqwire.UserOptions(a.JWT, a.Seed), nats.MaxReconnects(0)); err == nil {
		if c.TLSRequired() == false && c.ConnectedUrl() != "" {
			c.Close()
			t.Fatal("connected without TLS")
		}
		c.Close()
	}

	// A hub given office A's credentials as office B refuses to start.
	cfg, err := server.LoadConfig(nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Data, cfg.Office.Code, cfg.HQ.NATSURL, cfg.HQ.Credentials = t.TempDir(), "KANIM-B", h.NATSURL(), a.String()
	if hub, err := server.Open(context.Background(), cfg, hqtest.TestLog(), nil); err == nil {
		hub.Close()
		t.Fatal("a hub started as office B with office A's credentials")
	} else if !strings.Contains(err.Error(), "KANIM-A") {
		t.Fatalf("refusal does not name the credentials' office: %v", err)
	}
}

// TestRestoredBackup: an office restored from a backup that is behind what headquarters has is
// flagged; the IDs it writes again with other content are kept aside, never counted twice.
func TestRestoredBackup(t *testing.T) {
	h := hqtest.StartHQ(t, func(c *hq.Config) { c.Duplicates = time.Second })
	creds := h.Office("KANIM-MTR", "Kantor Imigrasi Mataram", "NTB")
	hub := servertest.New(t, hqtest.Linked("KANIM-MTR", creds, h.NATSURL()))
	for range 3 {
		hub.Issue("A")
	}
	caughtUp(t, h, hub, "KANIM-MTR", 15*time.Second)
	hub.Stop()
	backup := t.TempDir()
	copyStore(t, hub.Config.Data, backup)
	hub.Restart()
	for range 3 {
		hub.Issue("A")
	}
	caughtUp(t, h, hub, "KANIM-MTR", 15*time.Second)
	before, _, _ := h.View("KANIM-MTR")
	hub.Stop()
	time.Sleep(1200 * time.Millisecond) // past JetStream's duplicate window: headquarters itself must tell the events apart
	copyStore(t, backup, hub.Config.Data)
	hub.Clock.Advance(time.Minute) // the test clock stands still; the restored office writes its events later
	hub.Restart()
	hub.Issue("A")
	hqtest.Eventually(t, 20*time.Second, "headquarters to flag the office and keep the conflicting events aside", func() bool {
		s, _, _ := h.View("KANIM-MTR")
		return slices.Contains(s.Flags, "restored") && slices.Contains(s.Flags, "conflicts")
	})
	after, _, _ := h.View("KANIM-MTR")
	if after.Events != before.Events || after.IssuedToday != before.IssuedToday || after.IssuedToday != 6 {
		t.Fatalf("after the restore headquarters counts %d events, %d issued; before %d, %d", after.Events, after.IssuedToday, before.Events, before.IssuedToday)
	}
	noDuplicates(t, h)
	if after.RestoredNote == "" {
		t.Fatalf("no note on the restored office: %+v", after)
	}
	// Someone dealt with it: the flag goes.
	if st := send(t, "DELETE", h.URL+"/api/v1/offices/KANIM-MTR/restored", h.AdminToken(), nil); st != 204 {
		t.Fatalf("clear flag: %d", st)
	}
	if s, _, _ := h.View("KANIM-MTR"); slices.Contains(s.Flags, "restored") {
		t.Fatalf("flag stays: %+v", s.Flags)
	}
}

// copyStore copies a stopped hub's SQLite files from one data directory to another.
func copyStore(t testing.TB, from, to string) {
	t.Helper()
	old, _ := filepath.Glob(filepath.Join(to, "antre.db*"))
	for _, f := range old {
		os.Remove(f)
	}
	files, _ := filepath.Glob(filepath.Join(from, "antre.db*"))
	if len(files) == 0 {
		t.Fatalf("no store in %s", from)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, filepath.Base(f)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestClockWrong: an office whose clock is five hours ahead (in WIT, registered at
// headquarters as WIB) is counted by its own business dates and in its log's order,
// headquarters learns its time zone from its day event, and flags its clock.
func TestClockWrong(t *testing.T) {
	h := hqtest.StartHQ(t)
	creds := h.Office("KANIM-JYP", "Kantor Imigrasi Jayapura", "Papua")
	hub := servertest.Start(t, servertest.Settings{Start: time.Now().Add(5 * time.Hour)}, hqtest.Linked("KANIM-JYP", creds, h.NATSURL()),
		func(c *server.Config) { c.Office.TimeZone = "Asia/Jayapura" })
	for range 4 {
		hub.Issue("B")
	}
	if st := hub.Do("POST", "/api/v1/counters/2/next", hub.Officer, nil, nil); st != 200 {
		t.Fatalf("next: %d", st)
	}
	caughtUp(t, h, hub, "KANIM-JYP", 15*time.Second)
	hqtest.Eventually(t, 10*time.Second, "the clock flag", func() bool {
		s, _, _ := h.View("KANIM-JYP")
		return slices.Contains(s.Flags, "clock")
	})
	sameFigures(t, h, hub, "KANIM-JYP")
	s, _, _ := h.View("KANIM-JYP")
	if s.TimeZone != "Asia/Jayapura" || s.Link.ClockSkewSeconds < 4*3600 {
		t.Fatalf("office at headquarters: %+v", s)
	}
	var evs []antre.Event
	getJSON(t, h.URL+"/api/v1/offices/KANIM-JYP/events", &evs)
	for i, e := range evs {
		if e.ID != int64(i+1) {
			t.Fatalf("events at headquarters out of ID order: %d at %d", e.ID, i)
		}
	}
	if len(evs) != int(hub.DB().LastCommitted()) {
		t.Fatalf("%d events listed, the office has %d", len(evs), hub.DB().LastCommitted())
	}
}

var _ = errors.New
