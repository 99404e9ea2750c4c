package hq

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// broadcaster keeps the dashboards live: a WebSocket client gets every office's summary when it
// connects ({"type":"offices","offices":[…]}), then the summaries of the offices that changed,
// at most five times a second ({"type":"changed","offices":[…]}). A client that falls behind
// is dropped; its page reconnects and starts again from a fresh list.
type broadcaster struct {
	view    *view
	log     *slog.Logger
	mu      sync.Mutex
	clients map[*wsClient]bool
}

type wsClient struct {
	conn *websocket.Conn
	send chan []byte
	once sync.Once
}

func (c *wsClient) close() { c.once.Do(func() { close(c.send) }) }

func newBroadcaster(v *view, log *slog.Logger) *broadcaster {
	return &broadcaster{view: v, log: log, clients: map[*wsClient]bool{}}
}

var hqUpgrader = websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 16 << 10}

const (
	wsWriteWait = 10 * time.Second
	wsPing      = 25 * time.Second
)

type streamMsg struct {
	Type    string          `json:"type"`
	Offices []OfficeSummary `json:"offices"`
}

// serve answers GET /ws.
func (b *broadcaster) serve(w http.ResponseWriter, r *http.Request) {
	conn, err := hqUpgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &wsClient{conn: conn, send: make(chan []byte, 64)}
	first, _ := json.Marshal(streamMsg{Type: "offices", Offices: b.view.summaries("", "code", false)})
	c.send <- first
	b.mu.Lock()
	b.clients[c] = true
	b.mu.Unlock()
	go func() { // reads only to notice the close
		for {
			if _, _, err := conn.ReadMessage(); err != nil {
				b.drop(c)
				return
			}
		}
	}()
	ping := time.NewTicker(wsPing)
	defer ping.Stop()
	defer conn.Close()
	for {
		select {
		case msg, ok := <-c.send:
			conn.SetWriteDeadline(time.Now().Add(wsWriteWait))
			if !ok {
				conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, ""))
				return
			}
			if err := conn.WriteMessage(websocket.TextMessage, msg); err != nil {
				b.drop(c)
				return
			}
		case <-ping.C:
			if err := conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(wsWriteWait)); err != nil {
				b.drop(c)
				return
			}
		}
	}
}

func (b *broadcaster) drop(c *wsClient) {
	b.mu.Lock()
	delete(b.clients, c)
	b.mu.Unlock()
	c.close()
}

// run sends the changed offices' summaries to every client until ctx ends.
func (b *broadcaster) run(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-b.view.notify:
		}
		if !sleep(ctx, 200*time.Millisecond) { // changes that come together go together
			return nil
		}
		codes := b.view.takeChanged()
		if len(codes) == 0 {
			continue
		}
		out := streamMsg{Type: "changed", Offices: make([]OfficeSummary, 0, len(codes))}
		for _, c := range codes {
			if s, _, ok := b.view.get(c); ok {
				out.Offices = append(out.Offices, s)
			}
		}
		msg, _ := json.Marshal(out)
		b.mu.Lock()
		for c := range b.clients {
			select {
			case c.send <- msg:
			default:
				delete(b.clients, c)
				c.close()
			}
		}
		b.mu.Unlock()
	}
}

// closeAll ends every client's stream (at shutdown).
func (b *broadcaster) closeAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for c := range b.clients {
		delete(b.clients, c)
		c.close()
	}
}
