package hqlink_test

import (
	"testing"

	"antre/hqlink"
	"antre/server/servertest"
)

// TestNotLinked: a hub without hq.nats_url runs as before and its link page says it is not
// linked; staff only.
func TestNotLinked(t *testing.T) {
	hub := servertest.New(t)
	hub.Issue("A")
	var st hqlink.Status
	if code := hub.Do("GET", "/api/v1/hq/link?lang=en", hub.Officer, nil, &st); code != 200 {
		t.Fatalf("status %d", code)
	}
	if st.Linked || st.Message != "This office is not linked to headquarters." {
		t.Fatalf("%+v", st)
	}
	if code := hub.Do("GET", "/api/v1/hq/link", hub.Display, nil, nil); code != 403 {
		t.Fatalf("a display reads the link: %d", code)
	}
	if code := hub.Do("GET", "/hq", "", nil, nil); code != 200 {
		t.Fatalf("page %d", code)
	}
}

func TestNeedsCredentials(t *testing.T) {
	if _, err := hqlink.New(hqlink.Config{NATSURL: "tls://127.0.0.1:4222"}); err == nil {
		t.Fatal("a link without credentials accepted")
	}
}
