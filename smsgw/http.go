package smsgw

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// httpProvider sends through a commercial SMS provider's HTTP API described by HTTPConfig: the
// message goes as form fields (or the query, for GET) or a JSON object with the configured
// names. Answers: 2xx passing the success test is success; 429, 5xx, no connection and a
// timeout are temporary; any other 4xx and a 2xx failing the success test are permanent.
type httpProvider struct {
	cfg    HTTPConfig
	from   string
	client *http.Client
}

// NewHTTP returns the Sender of a commercial provider's HTTP API described by cfg, sending
// from the sender id from.
func NewHTTP(cfg HTTPConfig, from string) Sender { return newHTTPProvider(cfg, from) }

func newHTTPProvider(cfg HTTPConfig, from string) *httpProvider {
	if cfg.Method == "" {
		cfg.Method = http.MethodPost
	}
	return &httpProvider{cfg: cfg, from: from, client: &http.Client{}}
}

// Send implements Sender.
func (h *httpProvider) Send(ctx context.Context, m Message) (Receipt, error) {
	fields := map[string]string{}
	for k, v := range h.cfg.Extra {
		fields[k] = v
	}
	fields[h.cfg.ToField], fields[h.cfg.TextField] = m.To, m.Text
	if h.cfg.FromField != "" && m.From != "" {
		fields[h.cfg.FromField] = m.From
	}
	req, err := h.request(ctx, fields)
	if err != nil {
		return Receipt{}, permanent("http provider request: %v", err)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return Receipt{}, transportError("http provider", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return Receipt{}, &SendError{Temporary: true, Throttled: true, Err: fmt.Errorf("http provider answered 429")}
	case resp.StatusCode >= 500:
		return Receipt{}, temporary("http provider answered %d %q", resp.StatusCode, snippet(body))
	case resp.StatusCode >= 300:
		return Receipt{}, permanent("http provider answered %d %q", resp.StatusCode, snippet(body))
	}
	if h.cfg.SuccessPath == "" && h.cfg.MessageIDPath == "" {
		return Receipt{}, nil
	}
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		return Receipt{}, permanent("http provider answered non-JSON %q", snippet(body))
	}
	if h.cfg.SuccessPath != "" {
		if v, ok := jsonPath(doc, h.cfg.SuccessPath); !ok || v != h.cfg.SuccessValue {
			return Receipt{}, permanent("http provider refused: %s = %q in %q", h.cfg.SuccessPath, v, snippet(body))
		}
	}
	var r Receipt
	if h.cfg.MessageIDPath != "" {
		if id, ok := jsonPath(doc, h.cfg.MessageIDPath); ok && id != "" {
			r.GatewayIDs = []string{id}
		}
	}
	return r, nil
}

func (h *httpProvider) request(ctx context.Context, fields map[string]string) (*http.Request, error) {
	var body io.Reader
	u, contentType := h.cfg.URL, ""
	switch {
	case h.cfg.Format == "json":
		b, err := json.Marshal(fields)
		if err != nil {
			return nil, err
		}
		body, contentType = bytes.NewReader(b), "application/json"
	case h.cfg.Method == http.MethodGet:
		v := url.Values{}
		for k, f := range fields {
			v.Set(k, f)
		}
		sep := "?"
		if strings.Contains(u, "?") {
			sep = "&"
		}
		u += sep + v.Encode()
	default:
		v := url.Values{}
		for k, f := range fields {
			v.Set(k, f)
		}
		body, contentType = strings.NewReader(v.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequestWithContext(ctx, h.cfg.Method, u, body)
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range h.cfg.Headers {
		req.Header.Set(k, v)
	}
	if h.cfg.Username != "" || h.cfg.Password != "" {
		req.SetBasicAuth(h.cfg.Username, h.cfg.Password)
	}
	return req, nil
}

// jsonPath returns the value at a dotted path ("data.0.id") of a decoded JSON document as a
// string: strings as they are, numbers and booleans in their JSON form.
func jsonPath(doc any, path string) (string, bool) {
	for _, key := range strings.Split(path, ".") {
		switch v := doc.(type) {
		case map[string]any:
			doc = v[key]
		case []any:
			i, err := strconv.Atoi(key)
			if err != nil || i < 0 || i >= len(v) {
				return "", false
			}
			doc = v[i]
		default:
			return "", false
		}
	}
	switch v := doc.(type) {
	case string:
		return v, true
	case float64, bool:
		b, _ := json.Marshal(v)
		return string(b), true
	}
	return "", false
}

func snippet(b []byte) string {
	s := string(b)
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "")
	}
	return s
}
