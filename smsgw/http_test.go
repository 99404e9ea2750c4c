package smsgw

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestJSONPath(t *testing.T) {
	var doc any
	if err := json.Unmarshal([]byte(`{"status":0,"ok":true,"data":{"messages":[{"id":"a1"},{"id":77}]}}`), &doc); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"status": "0", "ok": "true", "data.messages.0.id": "a1", "data.messages.1.id": "77",
	} {
		if got, ok := jsonPath(doc, path); !ok || got != want {
			t.Errorf("%s = %q, %v; want %q", path, got, ok, want)
		}
	}
	for _, path := range []string{"data.messages.2.id", "data.x", "status.y", "data.messages"} {
		if got, ok := jsonPath(doc, path); ok {
			t.Errorf("%s = %q, want no value", path, got)
		}
	}
}

// TestHTTPProviderJSON sends as a JSON body with basic authentication and classes the answers.
func TestHTTPProviderJSON(t *testing.T) {
	answers := []struct {
		status int
		body   string
	}{
		{200, `{"code":"00","result":{"msgid":"X-1"}}`},
		{200, `{"code":"51","message":"saldo tidak cukup"}`},
		{503, `busy`},
		{401, `{"error":"bad key"}`},
		{429, `slow down`},
	}
	n := 0
	var got map[string]string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "kanim" || p != "pw" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("request: auth %v, content type %q", ok, r.Header.Get("Content-Type"))
		}
		b, _ := io.ReadAll(r.Body)
		got = nil
		if err := json.Unmarshal(b, &got); err != nil {
			t.Errorf("body %s: %v", b, err)
		}
		a := answers[n]
		n++
		w.WriteHeader(a.status)
		fmt.Fprint(w, a.body)
	}))
	defer srv.Close()
	h := newHTTPProvider(HTTPConfig{URL: srv.URL, Method: "POST", Format: "json", Username: "kanim", Password: "pw",
		ToField: "destination", TextField: "content", FromField: "source", Extra: map[string]string{"route": "otp"},
		SuccessPath: "code", SuccessValue: "00", MessageIDPath: "result.msgid"}, "IMIGRASI")
	m := Message{ID: 1, To: "628123", From: "IMIGRASI", Text: "Halo"}

	r, err := h.Send(context.Background(), m)
	if err != nil || len(r.GatewayIDs) != 1 || r.GatewayIDs[0] != "X-1" {
		t.Errorf("success: %v %v", r, err)
	}
	want := map[string]string{"destination": "628123", "content": "Halo", "source": "IMIGRASI", "route": "otp"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	for i, want := range []SendError{{}, {Temporary: true}, {}, {Temporary: true, Throttled: true}} {
		_, err := h.Send(context.Background(), m)
		var se *SendError
		if !errors.As(err, &se) || se.Temporary != want.Temporary || se.Throttled != want.Throttled {
			t.Errorf("answer %d: %v, want temporary %v throttled %v", i+2, err, want.Temporary, want.Throttled)
		}
	}
	srv.Close()
	_, err = h.Send(context.Background(), m)
	var se *SendError
	if !errors.As(err, &se) || !se.Temporary || se.Ambiguous {
		t.Errorf("no connection: %+v", se)
	}
}
