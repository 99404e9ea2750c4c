package hq_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"antre"
	"antre/hq"
	"antre/hq/hqtest"
	"antre/hqlink"
	"antre/hqwire"
	"antre/server/servertest"
)

func linkStatus(t testing.TB, hub *servertest.Hub) hqlink.Status {
	t.Helper()
	var st hqlink.Status
	if code := hub.Do("GET", "/api/v1/hq/link?lang=en", hub.Admin, nil, &st); code != 200 {
		t.Fatalf("link status: %d", code)
	}
	return st
}

// TestLinkCutAndRestored: with the WAN cut the office issues as usual and says so on its
// link page, keeping the last settings headquarters sent; headquarters shows the office
// offline; when the link returns the backlog drains and headquarters' count and figures
// equal the office's again, each event once. Settings made at headquarters during the cut
// arrive after it.
func TestLinkCutAndRestored(t *testing.T) {
	h := hqtest.StartHQ(t)
	creds := h.Office("KANIM-SBY", "Kantor Imigrasi Surabaya", "Jawa Timur")
	proxy := hqtest.NewProxy(t, strings.TrimPrefix(h.NATSURL(), "tls://"))
	hub := servertest.New(t, hqtest.Linked("KANIM-SBY", creds, "tls://"+proxy.Addr))
	hub.Issue("A")
	caughtUp(t, h, hub, "KANIM-SBY", 15*time.Second)

	// A national holiday before the cut reaches the office.
	holiday := time.Now().AddDate(0, 0, 30).Format(time.DateOnly)
	if st := send(t, "PUT", h.URL+"/api/v1/holidays/"+holiday, h.AdminToken(), map[string]string{"name": "Hari Raya Nasional"}); st != 200 {
		t.Fatalf("holiday: %d", st)
	}
	if st := send(t, "PUT", h.URL+"/api/v1/holidays/"+holiday, "wrong", map[string]string{"name": "x"}); st != 401 {
		t.Fatalf("holiday without the admin token: %d", st)
	}
	hasHoliday := func(date string) bool {
		var answer struct{ Holidays []antre.Holiday }
		hub.Do("GET", "/api/v1/holidays", hub.Admin, nil, &answer)
		for _, x := range answer.Holidays {
			if x.Date == date {
				return true
			}
		}
		return false
	}
	hqtest.Eventually(t, 15*time.Second, "the holiday at the office", func() bool { return hasHoliday(holiday) })

	proxy.Cut()
	hqtest.Eventually(t, 15*time.Second, "the office to see the link down", func() bool { return !linkStatus(t, hub).Connected })
	start := time.Now()
	for range 40 {
		hub.Issue("B")
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("40 issues with the link down took %v", d)
	}
	st := linkStatus(t, hub)
	if st.Backlog < 40 || !strings.Contains(st.Message, "down") || !strings.Contains(st.Message, "last settings") || st.SettingsAt == nil {
		t.Fatalf("link page during the cut: %+v", st)
	}
	if !hasHoliday(holiday) {
		t.Fatal("the office lost headquarters' holiday while the link is down")
	}
	hqtest.Eventually(t, 15*time.Second, "headquarters to show the office offline", func() bool {
		s, _, _ := h.View("KANIM-SBY")
		return s.Link.State == "offline"
	})
	// Made at headquarters while the office is cut off: today's quota of group C.
	q := antre.Quota{WalkIn: 7, Online: 2, Priority: 1}
	if st := send(t, "PUT", h.URL+"/api/v1/offices/KANIM-SBY/quota/"+hub.DB().Today()+"/C", h.AdminToken(), q); st != 200 {
		t.Fatalf("quota: %d", st)
	}

	proxy.Restore()
	caughtUp(t, h, hub, "KANIM-SBY", 30*time.Second)
	hqtest.Eventually(t, 15*time.Second, "headquarters' quota at the office", func() bool {
		var answer struct{ Groups []antre.GroupQuota }
		hub.Do("GET", "/api/v1/quota", "", nil, &answer)
		for _, g := range answer.Groups {
			if g.Group == "C" {
				return g.Quota == q
			}
		}
		return false
	})
	caughtUp(t, h, hub, "KANIM-SBY", 15*time.Second)
	sameFigures(t, h, hub, "KANIM-SBY")
	noDuplicates(t, h)
	if s, _, _ := h.View("KANIM-SBY"); s.IssuedToday != 41 || s.Link.State != "online" {
		t.Fatalf("after the cut: %+v", s)
	}
}

// TestPostgresDown: with headquarters' PostgreSQL down and NATS up, offices keep shipping into
// JetStream, headquarters acknowledges nothing and says so on /healthz; a message lost from
// the stream meanwhile is a gap headquarters asks the office for; once PostgreSQL is back
// every event is stored exactly once.
func TestPostgresDown(t *testing.T) {
	pgc := hqtest.Own(t)
	url, err := pgc.CreateDB(context.Background(), "hq")
	if err != nil {
		t.Fatal(err)
	}
	h := hqtest.StartHQ(t, func(c *hq.Config) { c.Postgres = url })
	creds := h.Office("KANIM-LPG", "Kantor Imigrasi Lampung", "Lampung")
	hub := servertest.New(t, hqtest.Linked("KANIM-LPG", creds, h.NATSURL()))
	hub.Issue("A")
	caughtUp(t, h, hub, "KANIM-LPG", 15*time.Second)
	before, _, _ := h.View("KANIM-LPG")

	if err := pgc.Stop(); err != nil {
		t.Fatal(err)
	}
	for range 20 {
		hub.Issue("A")
	}
	// The office's events are in JetStream (acknowledged to the office), not in PostgreSQL.
	hqtest.Eventually(t, 15*time.Second, "the office to ship everything into JetStream", func() bool {
		st := linkStatus(t, hub)
		return st.Shipped == hub.DB().LastCommitted()
	})
	hqtest.Eventually(t, 15*time.Second, "headquarters to find PostgreSQL down", func() bool {
		return h.StoreDown() && getJSON(t, h.URL+"/healthz", nil) == 503
	})
	if s, _, _ := h.View("KANIM-LPG"); s.Events != before.Events {
		t.Fatalf("headquarters counted events while PostgreSQL was down: %d, before %d", s.Events, before.Events)
	}
	// Two messages are lost from the stream (a disk, an operator): one in the middle, the last.
	ctx := context.Background()
	stream, err := h.JetStream().Stream(ctx, hqwire.EventsStream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := stream.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	last := info.State.LastSeq
	for _, seq := range []uint64{last - 10, last} {
		if err := stream.DeleteMsg(ctx, seq); err != nil {
			t.Fatalf("delete %d: %v", seq, err)
		}
	}

	if err := pgc.Start(); err != nil {
		t.Fatal(err)
	}
	caughtUp(t, h, hub, "KANIM-LPG", 45*time.Second)
	noDuplicates(t, h)
	sameFigures(t, h, hub, "KANIM-LPG")
	if getJSON(t, h.URL+"/healthz", nil) != 200 {
		t.Fatal("headquarters not healthy after PostgreSQL returned")
	}
}
