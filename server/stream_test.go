package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"antre/server/servertest"
)

type wsMsg struct {
	ID       int64  `json:"id"`
	Type     string `json:"type"`
	Ticket   string `json:"ticket"`
	Counter  int    `json:"counter"`
	Snapshot *struct {
		LastEventID int64 `json:"last_event_id"`
		Waiting     []struct{ Code string }
		Groups      []struct {
			Group   string
			Waiting int
		}
	} `json:"snapshot"`
}

func dial(t *testing.T, h *servertest.Hub, token string, since int64) *websocket.Conn {
	t.Helper()
	u := "ws" + strings.TrimPrefix(h.URL, "http") + "/ws?token=" + token
	if since >= 0 {
		u += fmt.Sprintf("&since=%d", since)
	}
	c, resp, err := websocket.DefaultDialer.Dial(u, nil)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial: %v (status %d)", err, status)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func read(t *testing.T, c *websocket.Conn) wsMsg {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, b, err := c.ReadMessage()
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	var m wsMsg
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestStreamResume: a client that disconnects and reconnects with its last event id receives
// every missed event exactly once, in order, then live events.
func TestStreamResume(t *testing.T) {
	h := servertest.New(t)
	issue(t, h, map[string]any{"group": "A"})
	c := dial(t, h, h.Display, -1)
	snap := read(t, c)
	if snap.Type != "snapshot" || snap.Snapshot == nil || snap.ID != 1 || snap.Snapshot.Groups[0].Waiting != 1 {
		t.Fatalf("first message %+v", snap)
	}
	issue(t, h, map[string]any{"group": "B"})
	live := read(t, c)
	if live.ID != 2 || live.Type != "ticket.issued" || live.Ticket != "B001" {
		t.Fatalf("live %+v", live)
	}
	c.Close()

	// while away: three more changes
	issue(t, h, map[string]any{"group": "C"})
	next(t, h, 2)
	act(t, h, "/api/v1/counters/2/recall", nil, 200)

	c2 := dial(t, h, h.Display, live.ID)
	var got []string
	for range 3 {
		m := read(t, c2)
		got = append(got, fmt.Sprintf("%d:%s:%s", m.ID, m.Type, m.Ticket))
	}
	if want := "3:ticket.issued:C001 4:ticket.called:A001 5:ticket.recalled:A001"; strings.Join(got, " ") != want {
		t.Fatalf("missed events\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	issue(t, h, map[string]any{"group": "D"})
	if m := read(t, c2); m.ID != 6 || m.Ticket != "D001" {
		t.Fatalf("live after resume %+v", m)
	}
	// nothing is sent twice: the next message is the next event
	c2.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if _, b, err := c2.ReadMessage(); err == nil {
		t.Fatalf("unexpected message %s", b)
	}
}

// TestStreamResumeTooOld: a resume point too far back, or from another store, gets a snapshot.
func TestStreamResumeTooOld(t *testing.T) {
	h := servertest.New(t)
	issue(t, h, map[string]any{"group": "A"})
	if m := read(t, dial(t, h, h.Officer, 999)); m.Type != "snapshot" || m.ID != 1 {
		t.Fatalf("resume from the future: %+v", m)
	}
	for range 2001 {
		h.DB().Alert(t.Context(), "kiosk-1", "paper_out", "x", true)
		h.DB().Alert(t.Context(), "kiosk-1", "paper_out", "", false)
		if id, _ := h.DB().LastEventID(t.Context()); id > 2003 {
			break
		}
	}
	if m := read(t, dial(t, h, h.Officer, 1)); m.Type != "snapshot" {
		t.Fatalf("resume 2000+ events back: %+v", m)
	}
}

func TestStreamNeedsToken(t *testing.T) {
	h := servertest.New(t)
	_, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(h.URL, "http")+"/ws", nil)
	if err == nil || resp == nil || resp.StatusCode != 401 {
		t.Fatalf("no token: %v %v", err, resp)
	}
}

// TestOneConnectionPerDisplay: a display that connects again replaces its older connection.
func TestOneConnectionPerDisplay(t *testing.T) {
	h := servertest.New(t)
	old := dial(t, h, h.Display, -1)
	read(t, old)
	fresh := dial(t, h, h.Display, -1)
	read(t, fresh)
	old.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _, err := old.ReadMessage()
	if ce, ok := err.(*websocket.CloseError); !ok || !strings.Contains(ce.Text, "replaced") {
		t.Fatalf("old connection: %v", err)
	}
	issue(t, h, map[string]any{"group": "A"})
	if m := read(t, fresh); m.Ticket != "A001" {
		t.Fatalf("fresh connection %+v", m)
	}
}

// TestSlowClientDropped: a client that stops reading is dropped when its buffer fills, and the
// others keep receiving without delay.
func TestSlowClientDropped(t *testing.T) {
	h := servertest.New(t)
	slow := dial(t, h, h.Officer, -1)
	read(t, slow)
	fast := dial(t, h, h.Admin, -1) // staff: devices never get alerts
	read(t, fast)
	done := make(chan int)
	go func() {
		n := 0
		for {
			fast.SetReadDeadline(time.Now().Add(10 * time.Second))
			if _, _, err := fast.ReadMessage(); err != nil {
				done <- n
				return
			}
			n++
			if n == 3000 {
				done <- n
				return
			}
		}
	}()
	// the slow client reads nothing while 3000 events (with large frames) pass
	for i := range 1500 {
		h.DB().Alert(t.Context(), "kiosk-1", "paper", strings.Repeat("x", 8000)+fmt.Sprint(i), true)
		h.DB().Alert(t.Context(), "kiosk-1", "paper", "", false)
	}
	if n := <-done; n != 3000 {
		t.Fatalf("fast client got %d of 3000 events", n)
	}
	var dropped bool
	for range 100 {
		body := metricsText(t, h)
		if strings.Contains(body, "antre_stream_dropped_total 1") {
			dropped = true
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !dropped {
		t.Fatal("slow client was not dropped")
	}
}
