package hqtest

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"antre/hq"
	"antre/hq/natsd"
	"antre/hq/pg"
	"antre/hqwire"
	"antre/server"
	"antre/server/servertest"
)

// HQ is a running headquarters for a test: a new database on the shared cluster (or the one
// the options give), an embedded NATS server on a free port with a certificate of the test's
// own CA, and the dashboard on a free port.
type HQ struct {
	*hq.HQ
	// URL is the dashboard's and the API's address.
	URL    string
	Config hq.Config
	t      testing.TB
	stop   func()
}

// TestLog is where parts started by tests log: nowhere, or standard error with ANTRE_TEST_LOG.
func TestLog() *slog.Logger {
	if os.Getenv("ANTRE_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// StartHQ starts headquarters with test timings (a gap is asked for after 1 s, a restored log
// is judged against what was stored 2 s before) changed by opts, and stops it when the test
// ends.
func StartHQ(t testing.TB, opts ...func(*hq.Config)) *HQ {
	t.Helper()
	dir := t.TempDir()
	ca, err := natsd.NewCA("Antre test CA")
	if err != nil {
		t.Fatal(err)
	}
	cert, key, err := ca.Issue([]string{"127.0.0.1", "localhost"})
	if err != nil {
		t.Fatal(err)
	}
	files := natsd.TLSFiles{CA: filepath.Join(dir, "ca.pem"), Cert: filepath.Join(dir, "cert.pem"), Key: filepath.Join(dir, "key.pem")}
	for path, b := range map[string][]byte{files.CA: ca.CertPEM, files.Cert: cert, files.Key: key} {
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg := hq.Config{Addr: "127.0.0.1:0", Data: filepath.Join(dir, "data"), NATSListen: "127.0.0.1:0", AdminToken: "test-admin",
		TLSCert: files.Cert, TLSKey: files.Key, TLSCA: files.CA, GapGrace: time.Second, RestoreMargin: 2 * time.Second, OfflineAfter: 3 * time.Second}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.Postgres == "" {
		cfg.Postgres = Database(t)
	}
	h := &HQ{Config: cfg, t: t}
	h.start()
	t.Cleanup(h.Stop)
	return h
}

func (h *HQ) start() {
	t := h.t
	t.Helper()
	ctx := context.Background()
	x, err := hq.Open(ctx, h.Config, TestLog())
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", h.Config.Addr)
	if err != nil {
		x.Close()
		t.Fatal(err)
	}
	h.HQ, h.URL = x, "http://"+l.Addr().String()
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		x.Serve(sctx, l)
	}()
	h.stop = func() {
		cancel()
		<-done
		x.Close()
	}
}

// Stop stops headquarters; it is idempotent.
func (h *HQ) Stop() {
	if h.stop != nil {
		h.stop()
		h.stop = nil
	}
}

// Office registers an office and returns its credentials.
func (h *HQ) Office(code, name, region string) hqwire.Credentials {
	h.t.Helper()
	c, err := h.AddOffice(context.Background(), pg.Office{Code: code, Name: name, Region: region})
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

// Linked returns the options that link a test hub to headquarters as office code with creds,
// through natsURL (headquarters' own, or a proxy's tls://127.0.0.1:PORT), with a quick
// heartbeat.
func Linked(code string, creds hqwire.Credentials, natsURL string) servertest.Option {
	return func(c *server.Config) {
		c.Office.Code = code
		c.Office.Name = "Kantor Imigrasi " + code
		c.HQ.NATSURL = natsURL
		c.HQ.Credentials = creds.String()
		c.HQ.Heartbeat = 300 * time.Millisecond
		c.HQ.RetryMax = time.Second
		c.HQ.AckWait = 3 * time.Second
	}
}

// Eventually waits until cond holds, failing the test with what after timeout.
func Eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
