package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"antre"
)

// Stream settings. A client that falls more than clientBuffer events behind is dropped rather
// than slowing the others; a resume from further back than maxResume events gets a snapshot.
const (
	clientBuffer = 1024
	maxResume    = 2000
	writeWait    = 5 * time.Second
	pongWait     = 60 * time.Second
	pingPeriod   = 25 * time.Second
)

// broker fans committed events out to WebSocket clients. publish runs under the store's write
// lock, in commit order, and never blocks: each client has its own buffer and writer.
type broker struct {
	mu       sync.Mutex
	clients  map[*client]struct{}
	devices  map[int64]*client // one connection per registered display
	dropped  atomic.Int64
	lastSeen atomic.Int64
}

type client struct {
	ch     chan frame
	quit   chan struct{}
	once   sync.Once
	why    atomic.Value // string: why the hub closed it
	device bool         // a kiosk or display: gets the events' device views only
}

// frame is one event, encoded once for staff and once as devices may see it (nil: devices do
// not get it).
type frame struct {
	id     int64
	staff  []byte
	device []byte
}

// msg is the frame's bytes for c, nil when c must not get it.
func (f frame) msg(device bool) []byte {
	if device {
		return f.device
	}
	return f.staff
}

// encodeFrame encodes e for staff and for devices.
func encodeFrame(e antre.Event) frame {
	f := frame{id: e.ID}
	f.staff, _ = json.Marshal(e)
	if d, ok := e.DeviceView(); ok {
		f.device, _ = json.Marshal(d)
	}
	return f
}

func newBroker() *broker {
	return &broker{clients: map[*client]struct{}{}, devices: map[int64]*client{}}
}

func (c *client) close(why string) {
	c.once.Do(func() {
		c.why.Store(why)
		close(c.quit)
	})
}

// publish encodes each event once per audience and offers it to every client.
func (b *broker) publish(evs []antre.Event) {
	frames := make([]frame, len(evs))
	for i, e := range evs {
		frames[i] = encodeFrame(e)
	}
	b.lastSeen.Store(evs[len(evs)-1].ID)
	b.mu.Lock()
	defer b.mu.Unlock()
	for c := range b.clients {
		for _, f := range frames {
			if f.msg(c.device) == nil {
				continue
			}
			select {
			case c.ch <- f:
			default:
				b.dropped.Add(1)
				c.close("slow client: too far behind")
				delete(b.clients, c)
			}
		}
	}
}

func (b *broker) add(p antre.Principal) *client {
	deviceID := p.DeviceID
	c := &client{ch: make(chan frame, clientBuffer), quit: make(chan struct{}), device: !p.Role.Staff()}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.clients[c] = struct{}{}
	if deviceID != 0 {
		if old := b.devices[deviceID]; old != nil {
			old.close("replaced by a newer connection of the same display")
			delete(b.clients, old)
		}
		b.devices[deviceID] = c
	}
	return c
}

func (b *broker) remove(c *client, deviceID int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.clients, c)
	if deviceID != 0 && b.devices[deviceID] == c {
		delete(b.devices, deviceID)
	}
}

// closeDevice ends the stream of device id, if it has one open (a revoked device).
func (b *broker) closeDevice(id int64, why string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if c := b.devices[id]; c != nil {
		c.close(why)
		delete(b.clients, c)
		delete(b.devices, id)
	}
}

func (b *broker) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.clients)
}

// upgrader accepts WebSocket connections from the hub's own pages and from clients that are not
// browsers (the device runtimes send no Origin); require has already refused other sites.
var upgrader = websocket.Upgrader{
	ReadBufferSize:  1024,
	WriteBufferSize: 4096,
}

// snapshotMsg is the first message of a stream without a usable resume point.
type snapshotMsg struct {
	ID       int64           `json:"id"`
	Type     string          `json:"type"`
	Snapshot json.RawMessage `json:"snapshot"`
	Device   json.RawMessage `json:"device,omitempty"`
	Display  *DisplayConfig  `json:"display,omitempty"`
}

// snapshotJSON encodes snapshots once: the store hands out one *antre.Snapshot per state and
// audience, and a burst of connections to that state shares its encoding.
type snapshotJSON struct {
	mu   sync.Mutex
	last map[*antre.Snapshot][]byte
}

func (c *snapshotJSON) encode(s *antre.Snapshot) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if b, ok := c.last[s]; ok {
		return b
	}
	b, _ := json.Marshal(s)
	if len(c.last) >= 4 {
		c.last = nil
	}
	if c.last == nil {
		c.last = map[*antre.Snapshot][]byte{}
	}
	c.last[s] = b
	return b
}

// serveWS streams events: a snapshot first (or, with ?since=ID, exactly the events after ID when
// they are few enough), then every live event in order. Each message carries its event id, so a
// client resumes with the last id it saw.
func (h *Hub) serveWS(w http.ResponseWriter, r *http.Request) {
	p := principal(r.Context())
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	defer conn.Close()
	c := h.broker.add(p)
	defer h.broker.remove(c, p.DeviceID)
	h.metrics.wsConnects.Add(1)

	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	go func() { // reader: answers pings/pongs and notices the client going away
		defer cancel()
		conn.SetReadLimit(4096)
		conn.SetReadDeadline(time.Now().Add(pongWait))
		conn.SetPongHandler(func(string) error { return conn.SetReadDeadline(time.Now().Add(pongWait)) })
		for {
			if _, _, err := conn.NextReader(); err != nil {
				return
			}
		}
	}()

	send := func(msg []byte) error {
		conn.SetWriteDeadline(time.Now().Add(writeWait))
		return conn.WriteMessage(websocket.TextMessage, msg)
	}
	last, resumed := int64(-1), false
	if s := r.URL.Query().Get("since"); s != "" {
		since, err := strconv.ParseInt(s, 10, 64)
		if err == nil && since >= 0 {
			top := h.queries.LastCommitted()
			evs, err := h.queries.EventsSince(ctx, since, maxResume+1)
			if err != nil {
				h.log.Error("ws resume", "err", err)
				return
			}
			if len(evs) <= maxResume && since <= top {
				resumed, last = true, since
				for _, e := range evs {
					if msg := encodeFrame(e).msg(c.device); msg != nil {
						if err := send(msg); err != nil {
							return
						}
					}
					last = e.ID
				}
			}
		}
	}
	if !resumed {
		snap, err := h.queries.SnapshotFor(ctx, p.Role)
		if err != nil {
			h.log.Error("ws snapshot", "err", err)
			return
		}
		msg, _ := json.Marshal(snapshotMsg{ID: snap.LastEventID, Type: "snapshot", Snapshot: h.snapJSON.encode(snap), Device: p.Settings, Display: h.display.Load()})
		if err := send(msg); err != nil {
			return
		}
		last = snap.LastEventID
	}

	ping := time.NewTicker(pingPeriod)
	defer ping.Stop()
	for {
		select {
		case f := <-c.ch:
			if f.id <= last {
				continue // already sent by the resume or contained in the snapshot
			}
			if err := send(f.msg(c.device)); err != nil {
				return
			}
			last = f.id
		case <-ping.C:
			if err := conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)); err != nil {
				return
			}
		case <-c.quit:
			why, _ := c.why.Load().(string)
			h.log.Info("ws client closed by hub", "who", p.Name, "why", why)
			conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.ClosePolicyViolation, why), time.Now().Add(time.Second))
			return
		case <-ctx.Done():
			return
		}
	}
}
