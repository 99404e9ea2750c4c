package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"antre/server"
	"antre/server/servertest"
)

// TestHubSendsSMS: with the generic HTTP adapter pointed at a provider endpoint started by the
// test (the edge this machine cannot reach: a commercial SMS API), a ticket issued with a phone
// number gets its "called" message after the officer calls it, and an inbound ANTRI command is
// answered through the hub's route. The Kannel and SMPP paths are tested in the sms package.
func TestHubSendsSMS(t *testing.T) {
	var mu sync.Mutex
	var got []url.Values
	provider := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		mu.Lock()
		got = append(got, r.PostForm)
		mu.Unlock()
		io.WriteString(w, `{"status":"ok","id":"m1"}`)
	}))
	defer provider.Close()
	h := servertest.New(t, func(c *server.Config) {
		c.SMS.Adapter = "http"
		c.SMS.HTTP.URL = provider.URL
		c.SMS.InboundSecret = "s3cret"
		c.SMS.RatePerSecond = 100
		c.SMS.PollInterval = 50 * time.Millisecond
	})
	tr := issue(t, h, map[string]any{"group": "A", "phone": "0812-3456-7890"})
	issue(t, h, map[string]any{"group": "A"})
	next(t, h, 2)
	var text string
	for range 200 {
		mu.Lock()
		for _, f := range got {
			if f.Get("to") == "6281234567890" && strings.Contains(f.Get("text"), tr.Code) {
				text = f.Get("text")
			}
		}
		mu.Unlock()
		if text != "" {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Logf("called message: %s", text)
	if !strings.Contains(text, "2") || !strings.Contains(strings.ToLower(text), "loket") {
		t.Fatalf("called message %q (all: %v)", text, got)
	}
	// the gateway's callbacks need the secret: without it nobody can unsubscribe a number
	for _, cb := range []string{"/api/v1/sms/inbound?from=081377778888&text=STOP", "/api/v1/sms/inbound?from=081377778888&text=STOP&secret=wrong",
		"/api/v1/sms/dlr?id=1&type=1"} {
		if resp, err := http.Get(h.URL + cb); err != nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("%s without the secret: %v %v", cb, resp.StatusCode, err)
		}
	}
	resp, err := http.Get(h.URL + "/api/v1/sms/inbound?secret=s3cret&from=6281111111111&text=" + url.QueryEscape("antri a002"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "A002") {
		t.Fatalf("inbound answer %d %q", resp.StatusCode, b)
	}
}
