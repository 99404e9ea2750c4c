package caller

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// APIError is the hub's refusal of a request: the HTTP status, the application code and the
// message for the officer, in the language the client asked for.
type APIError struct {
	Status  int
	Code    string
	Message string
}

// Error returns the officer's message.
func (e *APIError) Error() string { return e.Message }

// Client calls the hub's API as one officer. It logs in with a name and password and, when the
// session expires during a shift, logs in again once and retries.
type Client struct {
	hub      string
	lang     string
	http     *http.Client
	name     string
	password string
	token    string
}

// NewClient returns a client of the hub at hubURL (http://HOST:PORT) whose refusals are in
// lang ("en", or Indonesian otherwise).
func NewClient(hubURL, lang string) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(hubURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("hub URL %q: want http://HOST:PORT", hubURL)
	}
	if lang != "en" {
		lang = "id"
	}
	return &Client{hub: u.String(), lang: lang, http: &http.Client{}}, nil
}

// Login opens a session for the officer name; a wrong password is an *APIError with the hub's
// message.
func (c *Client) Login(ctx context.Context, name, password string) error {
	c.name, c.password = name, password
	var out struct{ Token, Role string }
	if err := c.send(ctx, http.MethodPost, "/api/v1/login", map[string]string{"name": name, "password": password}, &out); err != nil {
		return err
	}
	if out.Role != "officer" && out.Role != "admin" {
		return fmt.Errorf("%s is a %s account, not an officer", name, out.Role)
	}
	c.token = out.Token
	return nil
}

// Do sends a JSON request with the session and decodes the answer into out (which may be nil).
// A refusal is an *APIError; an expired session is renewed once.
func (c *Client) Do(ctx context.Context, method, path string, body, out any) error {
	err := c.send(ctx, method, path, body, out)
	var ae *APIError
	if errors.As(err, &ae) && ae.Status == http.StatusUnauthorized && c.password != "" {
		if lerr := c.Login(ctx, c.name, c.password); lerr != nil {
			return lerr
		}
		err = c.send(ctx, method, path, body, out)
	}
	return err
}

func (c *Client) send(ctx context.Context, method, path string, body, out any) error {
	var r *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	} else {
		r = bytes.NewReader(nil)
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	req, err := http.NewRequestWithContext(ctx, method, c.hub+path+sep+"lang="+c.lang, r)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return &APIError{Code: "unreachable", Message: c.text("unreachable")}
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		var e struct {
			Error struct{ Code, Message string }
		}
		json.NewDecoder(resp.Body).Decode(&e)
		if e.Error.Message == "" {
			e.Error.Message = fmt.Sprintf("HTTP %d", resp.StatusCode)
		}
		return &APIError{Status: resp.StatusCode, Code: e.Error.Code, Message: e.Error.Message}
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func (c *Client) text(key string, args ...any) string { return text(c.lang, key, args...) }
