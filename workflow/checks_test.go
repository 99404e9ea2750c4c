package workflow_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"antre"
	"antre/workflow"
)

var subject = workflow.Subject{Application: "2026000001", NIK: "3171011708900001", Name: "Budi  Santoso", BirthDate: "1990-08-17"}

// TestHTTPChecker: the service is asked with the subject and a token; a failed attempt (500,
// an unreadable answer, a time-out) is retried; when no attempt answers, the check has no
// answer (the module records pending, never clear).
func TestHTTPChecker(t *testing.T) {
	var calls atomic.Int32
	answers := []func(w http.ResponseWriter){
		func(w http.ResponseWriter) { w.WriteHeader(500) },
		func(w http.ResponseWriter) { io.WriteString(w, `{"result":"maybe"}`) },
		func(w http.ResponseWriter) { io.WriteString(w, `{"result":"hit","ref":"PUSDAKIM-9"}`) },
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var q map[string]any
		json.NewDecoder(r.Body).Decode(&q)
		if r.Header.Get("Authorization") != "Bearer tkn" || q["kind"] != "cekal" || q["nik"] != subject.NIK || q["application"] != subject.Application {
			t.Errorf("request %v %v", r.Header, q)
		}
		answers[int(calls.Add(1)-1)%len(answers)](w)
	}))
	defer srv.Close()
	c := &workflow.HTTPChecker{Kind: antre.CheckCekal, URL: srv.URL, Token: "tkn", Timeout: time.Second, Retries: 2}
	v, err := c.Check(context.Background(), subject)
	if err != nil || v.Result != antre.CheckHit || v.Ref != "PUSDAKIM-9" || calls.Load() != 3 {
		t.Fatalf("after two failed attempts: %+v %v (%d calls)", v, err, calls.Load())
	}
	calls.Store(0)
	c.Retries = 1
	if v, err := c.Check(context.Background(), subject); err == nil {
		t.Errorf("two failed attempts answered %+v", v)
	}

	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)
	c = &workflow.HTTPChecker{Kind: antre.CheckIdentity, URL: slow.URL, Timeout: 50 * time.Millisecond, Retries: 1}
	start := time.Now()
	if v, err := c.Check(context.Background(), subject); err == nil {
		t.Errorf("a silent service answered %+v", v)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("two 50 ms attempts took %v", d)
	}
	c = &workflow.HTTPChecker{Kind: antre.CheckIdentity, URL: "http://127.0.0.1:1", Timeout: time.Second}
	if _, err := c.Check(context.Background(), subject); err == nil {
		t.Error("an unreachable service answered")
	}
}

// TestListChecker: a NIK or a name with its date of birth on the list is a hit; the file is
// read again when it changes; a missing file answers nothing.
func TestListChecker(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cekal.txt")
	l := &workflow.ListChecker{Path: path}
	if _, err := l.Check(context.Background(), subject); err == nil {
		t.Fatal("a missing list answered")
	}
	os.WriteFile(path, []byte("# daftar cekal\n3171019999990001\n"), 0o644)
	if v, err := l.Check(context.Background(), subject); err != nil || v.Result != antre.CheckClear {
		t.Fatalf("not on the list: %+v %v", v, err)
	}
	os.WriteFile(path, []byte("# daftar cekal, diperbarui\n3171019999990001\nbudi santoso ; 1990-08-17  # nama dan tanggal lahir\n"), 0o644)
	future := time.Now().Add(time.Hour)
	os.Chtimes(path, future, future)
	if v, err := l.Check(context.Background(), subject); err != nil || v.Result != antre.CheckHit {
		t.Fatalf("on the list by name and birth: %+v %v", v, err)
	}
	other := subject
	other.BirthDate = "1991-08-17"
	if v, _ := l.Check(context.Background(), other); v.Result != antre.CheckClear {
		t.Errorf("same name, other birth date: %+v", v)
	}
	os.WriteFile(path, []byte(subject.NIK+"\n"), 0o644)
	os.Chtimes(path, future.Add(time.Hour), future.Add(time.Hour))
	if v, _ := l.Check(context.Background(), other); v.Result != antre.CheckHit {
		t.Errorf("on the list by NIK: %+v", v)
	}
	os.Remove(path)
	if _, err := l.Check(context.Background(), subject); err == nil {
		t.Error("a list removed since answered")
	}
}
