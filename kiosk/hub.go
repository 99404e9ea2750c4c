package kiosk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/websocket"

	"antre"
)

// requestTimeout bounds each request to the hub; a tap retries after it.
const requestTimeout = 5 * time.Second

// hubClient talks to the office hub with the kiosk's device token. The token stays here: the
// page never sees it.
type hubClient struct {
	base  *url.URL
	token string
	http  *http.Client
}

func newHubClient(base, token string) (*hubClient, error) {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("kiosk: hub URL %q: want http://HOST:PORT", base)
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 4
	return &hubClient{base: u, token: token, http: &http.Client{Transport: t}}, nil
}

// hubError is a refusal by the hub: its HTTP status, application code and the message for the
// applicant, in the language asked for.
type hubError struct {
	Status  int
	Code    string
	Message string
}

func (e *hubError) Error() string {
	return fmt.Sprintf("hub answered %d %s: %s", e.Status, e.Code, e.Message)
}

// retryable reports whether a request that failed with err may succeed when sent again: the
// hub could not be reached, timed out, or answered with a server error or "too many".
func retryable(err error) bool {
	var he *hubError
	if errors.As(err, &he) {
		return he.Status >= 500 || he.Status == http.StatusTooManyRequests || he.Status == http.StatusRequestTimeout
	}
	return err != nil && !errors.Is(err, context.Canceled)
}

// do sends a JSON request and decodes a 2xx answer into out (may be nil). Any other answer is
// a *hubError.
func (c *hubClient) do(ctx context.Context, method, path string, hdr http.Header, body, out any) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base.String()+path, r)
	if err != nil {
		return 0, err
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Error struct{ Code, Message string }
		}
		json.Unmarshal(data, &e)
		return resp.StatusCode, &hubError{Status: resp.StatusCode, Code: e.Error.Code, Message: e.Error.Message}
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, fmt.Errorf("hub %s %s: %w", method, path, err)
		}
	}
	return resp.StatusCode, nil
}

// officeInfo is what the kiosk needs from GET /api/v1/office.
type officeInfo struct {
	Name      string        `json:"name"`
	TimeZone  string        `json:"time_zone"`
	PublicURL string        `json:"public_url"`
	Groups    []antre.Group `json:"groups"`
}

func (c *hubClient) office(ctx context.Context) (officeInfo, error) {
	var o officeInfo
	_, err := c.do(ctx, http.MethodGet, "/api/v1/office", nil, nil, &o)
	return o, err
}

// held lists the tickets whose print failed at this kiosk and are still owed.
func (c *hubClient) held(ctx context.Context) ([]antre.Ticket, error) {
	var out struct{ Tickets []antre.Ticket }
	_, err := c.do(ctx, http.MethodGet, "/api/v1/tickets/held", nil, nil, &out)
	return out.Tickets, err
}

// deviceName is the name the hub knows this kiosk by; reprint requests name it.
func (c *hubClient) deviceName(ctx context.Context) (string, error) {
	var me struct{ Name string }
	_, err := c.do(ctx, http.MethodGet, "/api/v1/me", nil, nil, &me)
	return me.Name, err
}

func (c *hubClient) quota(ctx context.Context) ([]antre.GroupQuota, error) {
	var q struct {
		Groups []antre.GroupQuota `json:"groups"`
	}
	_, err := c.do(ctx, http.MethodGet, "/api/v1/quota", nil, nil, &q)
	return q.Groups, err
}

// issue asks for a ticket. key is the tap's idempotency key: sending it again returns the
// ticket the first request issued. Refusals carry their message in lang.
func (c *hubClient) issue(ctx context.Context, group string, cat antre.Category, key, lang string) (antre.IssuedTicket, error) {
	var t antre.IssuedTicket
	hdr := http.Header{"Idempotency-Key": {key}}
	_, err := c.do(ctx, http.MethodPost, "/api/v1/tickets?lang="+url.QueryEscape(lang), hdr,
		map[string]any{"group": group, "category": cat}, &t)
	return t, err
}

// lookup returns the public view of a ticket: its status now, and who is ahead of it.
func (c *hubClient) lookup(ctx context.Context, code string) (antre.TicketView, error) {
	var v antre.TicketView
	_, err := c.do(ctx, http.MethodGet, "/api/v1/tickets/"+url.PathEscape(code), nil, nil, &v)
	return v, err
}

// streamURL is the WebSocket address of the hub's event stream, resuming after event since
// (a negative since asks for a snapshot).
func (c *hubClient) streamURL(since int64) string {
	u := *c.base
	u.Scheme = map[string]string{"http": "ws", "https": "wss"}[u.Scheme]
	u.Path += "/ws"
	if since >= 0 {
		u.RawQuery = fmt.Sprintf("since=%d", since)
	}
	return u.String()
}

// streamMsg is one message of the hub's stream: a snapshot, or an event.
type streamMsg struct {
	antre.Event
	Snapshot *struct {
		Groups []antre.GroupQuota `json:"groups"`
	} `json:"snapshot"`
}

// stream connects to the event stream after event since and calls handle for each message
// until the connection breaks or ctx ends. connected is called once the hub accepted.
func (c *hubClient) stream(ctx context.Context, since int64, connected func(), handle func(streamMsg)) error {
	d := websocket.Dialer{HandshakeTimeout: requestTimeout}
	conn, resp, err := d.DialContext(ctx, c.streamURL(since), http.Header{"Authorization": {"Bearer " + c.token}})
	if err != nil {
		if resp != nil {
			return &hubError{Status: resp.StatusCode, Code: "stream", Message: resp.Status}
		}
		return err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	connected()
	// The hub pings every 25 s; a connection silent for longer than that is dead.
	const readWait = 70 * time.Second
	conn.SetPingHandler(func(data string) error {
		conn.SetReadDeadline(time.Now().Add(readWait))
		return conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(requestTimeout))
	})
	for {
		conn.SetReadDeadline(time.Now().Add(readWait))
		_, data, err := conn.ReadMessage()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		var m streamMsg
		if err := json.Unmarshal(data, &m); err != nil {
			return fmt.Errorf("stream message: %w", err)
		}
		handle(m)
	}
}
