// Package client is the one client of the hub's API, used by every device runtime (the kiosk,
// the keypad console, the speaker PC) and by tools: requests with time-outs, one error type
// decoded from the API's envelope {"error":{"code","message"}}, an officer's log-in renewed
// when it expires, and the event stream followed with resume, backoff and jitter (Stream).
package client

import (
	"antre"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// DefaultTimeout bounds each request unless Options say otherwise.
const DefaultTimeout = 5 * time.Second

// Options configure a Client.
type Options struct {
	// Token is a device's token (antre device add); an officer logs in instead (Login).
	Token string
	// Lang is the language of the hub's refusals: "en", or Indonesian otherwise.
	Lang string
	// Timeout bounds each request; zero means DefaultTimeout.
	Timeout time.Duration
	// MaxConns bounds the connections kept to the hub; zero means 4.
	MaxConns int
}

// Client calls the hub's API with one token.
type Client struct {
	base    *url.URL
	lang    string
	timeout time.Duration
	http    *http.Client

	mu       sync.Mutex
	token    string
	name, pw string // an officer's log-in, to renew an expired session once
}

// New returns a client of the hub at hubURL (http://HOST:PORT or https://…).
func New(hubURL string, o Options) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(hubURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("hub URL %q: want http://HOST:PORT", hubURL)
	}
	if o.Lang != "en" {
		o.Lang = "id"
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxConns <= 0 {
		o.MaxConns = 4
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = o.MaxConns
	return &Client{base: u, lang: o.Lang, timeout: o.Timeout, token: o.Token, http: &http.Client{Transport: t}}, nil
}

// In returns a client that asks for the hub's messages in lang and otherwise is c: same hub,
// token and connections (a kiosk answers each applicant in the language they chose). A session
// it renews is its own.
func (c *Client) In(lang string) *Client {
	if lang != "en" {
		lang = "id"
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return &Client{base: c.base, lang: lang, timeout: c.timeout, http: c.http, token: c.token, name: c.name, pw: c.pw}
}

// Base is the hub's URL.
func (c *Client) Base() *url.URL { u := *c.base; return &u }

// Lang is the language of the hub's messages to this client.
func (c *Client) Lang() string { return c.lang }

// Token is the token requests carry.
func (c *Client) Token() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token
}

// Close drops the idle connections to the hub.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// Error is the hub refusing a request (Status and Code from the API's envelope, Message for the
// user in the client's language) or the hub not answering at all (Status 0, Err the cause).
type Error struct {
	Status  int
	Code    string
	Message string
	Err     error
}

// Error describes the refusal in English, for logs.
func (e *Error) Error() string {
	if e.Status == 0 {
		return "hub unreachable: " + e.Err.Error()
	}
	return fmt.Sprintf("hub answered %d %s: %s", e.Status, e.Code, e.Message)
}

// Unwrap is the transport's error of an unreachable hub.
func (e *Error) Unwrap() error { return e.Err }

// Temporary reports whether the same request may succeed later: the hub could not be reached or
// timed out, or answered with a server error or "too many requests".
func (e *Error) Temporary() bool {
	return e.Status == 0 || e.Status >= 500 || e.Status == http.StatusTooManyRequests || e.Status == http.StatusRequestTimeout
}

// Temporary reports whether err is a client error that may succeed when the request is sent
// again (see Error.Temporary); a cancelled context is not.
func Temporary(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Temporary() && !errors.Is(err, context.Canceled)
}

// Refusal returns the hub's refusal in err, if err is one (and not an unreachable hub).
func Refusal(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) && e.Status != 0 {
		return e, true
	}
	return nil, false
}

// Do sends a JSON request (body may be nil) with the client's token and language, within the
// client's time-out, and decodes a 2xx answer into out (which may be nil). Any other outcome is
// an *Error. An officer's expired session is renewed once with the log-in it was opened with.
func (c *Client) Do(ctx context.Context, method, path string, body, out any, hdr ...http.Header) error {
	err := c.send(ctx, method, path, body, out, hdr)
	if e, ok := Refusal(err); ok && e.Status == http.StatusUnauthorized && path != "/api/v1/login" {
		c.mu.Lock()
		name, pw := c.name, c.pw
		c.mu.Unlock()
		if pw != "" {
			if _, lerr := c.Login(ctx, name, pw); lerr != nil {
				return lerr
			}
			err = c.send(ctx, method, path, body, out, hdr)
		}
	}
	return err
}

// Login opens a user's session and returns the user's role; later requests carry the session.
// A wrong password is an *Error with the hub's message.
func (c *Client) Login(ctx context.Context, name, password string) (antre.Role, error) {
	var out struct {
		Token string
		Role  antre.Role
	}
	if err := c.send(ctx, http.MethodPost, "/api/v1/login", map[string]string{"name": name, "password": password}, &out, nil); err != nil {
		return "", err
	}
	c.mu.Lock()
	c.token, c.name, c.pw = out.Token, name, password
	c.mu.Unlock()
	return out.Role, nil
}

// Message is what to show a user for err, in the client's language: the hub's message for a
// refusal, "the hub cannot be reached" when it did not answer.
func (c *Client) Message(err error) string {
	if e, ok := Refusal(err); ok {
		return e.Message
	}
	var e *Error
	if errors.As(err, &e) {
		return antre.T(c.lang, antre.MsgUnreachable)
	}
	return antre.ErrorMessage(err, c.lang)
}

// maxAnswer bounds an answer the client reads (a busy day's snapshot fits many times).
const maxAnswer = 16 << 20

func (c *Client) send(ctx context.Context, method, path string, body, out any, hdr []http.Header) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base.String()+path+sep+"lang="+c.lang, r)
	if err != nil {
		return err
	}
	for _, h := range hdr {
		for k, v := range h {
			req.Header[k] = v
		}
	}
	if tok := c.Token(); tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return &Error{Err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return &Error{Err: err}
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Error struct{ Code, Message string }
		}
		json.Unmarshal(data, &e)
		if e.Error.Message == "" {
			e.Error.Message = fmt.Sprintf("HTTP %d", resp.StatusCode)
		}
		return &Error{Status: resp.StatusCode, Code: e.Error.Code, Message: e.Error.Message}
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("hub %s %s: %w", method, path, err)
		}
	}
	return nil
}
