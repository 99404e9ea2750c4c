// Package hq is headquarters: the national tier every office ships its events to. It runs
// `antre hq`: a PostgreSQL store (package pg), a JetStream the offices publish into (embedded,
// package natsd, or an external cluster), the ingest that stores each office's events exactly
// once, the settings headquarters sends the offices (national holidays, quotas), the
// national dashboard, API and reports, and online booking of an arrival day (booking.go: the
// public page and API, one-time codes by SMS, the offices' days and hand-overs).
//
// The rules it keeps:
//   - an event is stored once per (office, event ID), acknowledged to JetStream only after its
//     transaction committed: PostgreSQL down means nothing acknowledged and nothing lost;
//   - an office is who its subject says, never what its message claims;
//   - an office's event IDs are contiguous; a hole that stays is asked for again (gap);
//   - an office whose log went back below what headquarters has (a restored backup) is flagged,
//     and an ID that comes again with other content is kept aside, never counted;
//   - figures come from the events through package tally, ordered by event ID, so they equal
//     the office's own whatever either clock says.
package hq

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"antre"
	"antre/hq/natsd"
	"antre/hq/pg"
	"antre/hqwire"
)

// HQ is headquarters' server.
type HQ struct {
	cfg   Config
	log   *slog.Logger
	store *pg.Store
	keys  *natsd.Keys
	ns    *server.Server // the embedded NATS server; nil with an external cluster
	nc    *nats.Conn
	js    jetstream.JetStream
	// natsURL is where offices reach JetStream; caPEM the CA they must trust.
	natsURL string
	caPEM   []byte
	view    *view
	ws      *broadcaster
	mux     *http.ServeMux
	// pgDown is set while PostgreSQL refuses the ingest.
	pgDown atomic.Bool
	// poke wakes the settings publisher.
	poke   chan struct{}
	book   *booking
	status *nats.Subscription
}

// Open opens headquarters' store (applying its migrations), its NATS identity, the embedded
// NATS server (unless an external cluster is configured), and the JetStream streams and
// consumers.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*HQ, error) {
	if err := cfg.complete(); err != nil {
		return nil, err
	}
	if err := antre.AddMessages(messages); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Data, 0o750); err != nil {
		return nil, err
	}
	h := &HQ{cfg: cfg, log: log, mux: http.NewServeMux(), poke: make(chan struct{}, 1)}
	ok := false
	defer func() {
		if !ok {
			h.Close()
		}
	}()
	var err error
	if h.store, err = openStore(ctx, cfg.Postgres, log); err != nil {
		return nil, err
	}
	if h.keys, err = natsd.LoadKeys(cfg.Data); err != nil {
		return nil, err
	}
	if h.cfg.AdminToken == "" {
		if h.cfg.AdminToken, err = adminToken(cfg.Data); err != nil {
			return nil, err
		}
	}
	if err := h.startNATS(ctx); err != nil {
		return nil, err
	}
	h.view = newView(cfg.Now, cfg.OfflineAfter, cfg.ClockSkew)
	if err := h.loadOffices(ctx); err != nil {
		return nil, err
	}
	if h.status, err = h.nc.Subscribe(hqwire.StatusSubjects, h.onStatus); err != nil {
		return nil, err
	}
	h.ws = newBroadcaster(h.view, log)
	h.newBooking()
	h.routes()
	ok = true
	return h, nil
}

// openStore connects to PostgreSQL, waiting up to a minute for it (it may start with us).
func openStore(ctx context.Context, url string, log *slog.Logger) (*pg.Store, error) {
	deadline := time.Now().Add(time.Minute)
	for {
		s, err := pg.Open(ctx, url)
		if err == nil {
			return s, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return nil, fmt.Errorf("postgres: %w", err)
		}
		log.Warn("waiting for PostgreSQL", "err", err)
		time.Sleep(time.Second)
	}
}

// adminToken reads (or makes, the first time) the token that authorises changes.
func adminToken(data string) (string, error) {
	path := filepath.Join(data, "admin.token")
	if b, err := os.ReadFile(path); err == nil {
		return strings.TrimSpace(string(b)), nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	b := make([]byte, 24)
	rand.Read(b)
	tok := hex.EncodeToString(b)
	return tok, os.WriteFile(path, []byte(tok+"\n"), 0o600)
}

// startNATS starts the embedded server (or finds the external cluster), connects headquarters
// to it and makes sure the streams and headquarters' consumer exist.
func (h *HQ) startNATS(ctx context.Context) error {
	cfg := h.cfg
	url := cfg.NATSExternal
	if url == "" {
		files := natsd.TLSFiles{CA: cfg.TLSCA, Cert: cfg.TLSCert, Key: cfg.TLSKey}
		if files.Cert == "" {
			var err error
			if files, err = natsd.EnsureTLS(filepath.Join(cfg.Data, "tls"), cfg.TLSHosts); err != nil {
				return fmt.Errorf("tls: %w", err)
			}
		}
		if files.CA != "" {
			b, err := os.ReadFile(files.CA)
			if err != nil {
				return fmt.Errorf("tls ca: %w", err)
			}
			h.caPEM = b
		}
		ns, err := natsd.Start(natsd.Config{Listen: cfg.NATSListen, StoreDir: filepath.Join(cfg.Data, "nats", "jetstream"), TLS: files,
			SyncAlways: cfg.SyncAlways}, h.keys)
		if err != nil {
			return err
		}
		h.ns = ns
		addr := ns.Addr().(*net.TCPAddr)
		host := addr.IP.String()
		if addr.IP.IsUnspecified() {
			host = "127.0.0.1"
		}
		url = fmt.Sprintf("tls://%s", net.JoinHostPort(host, fmt.Sprint(addr.Port)))
	} else if cfg.NATSCA != "" {
		b, err := os.ReadFile(cfg.NATSCA)
		if err != nil {
			return fmt.Errorf("nats ca: %w", err)
		}
		h.caPEM = b
	}
	h.natsURL = url
	userJWT, seed, _, err := h.keys.IssueUser("hq", nil)
	if err != nil {
		return err
	}
	opts := []nats.Option{nats.Name("antre-hq"), hqwire.UserOptions(userJWT, seed), nats.MaxReconnects(-1), nats.ReconnectWait(250 * time.Millisecond),
		nats.RetryOnFailedConnect(true), nats.ReconnectBufSize(-1),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) { h.log.Warn("NATS link down", "err", err) }),
		nats.ReconnectHandler(func(c *nats.Conn) { h.log.Info("NATS link up", "server", c.ConnectedUrlRedacted()) })}
	if strings.HasPrefix(url, "tls://") || len(h.caPEM) > 0 {
		tc, err := hqwire.TLSConfig(h.caPEM)
		if err != nil {
			return err
		}
		opts = append(opts, nats.Secure(tc))
	}
	if h.nc, err = nats.Connect(url, opts...); err != nil {
		return fmt.Errorf("nats %s: %w", url, err)
	}
	if h.js, err = jetstream.New(h.nc); err != nil {
		return err
	}
	deadline := time.Now().Add(time.Minute)
	for {
		err = h.ensureStreams(ctx)
		if err == nil || time.Now().After(deadline) || ctx.Err() != nil {
			return err
		}
		h.log.Warn("waiting for JetStream", "err", err)
		time.Sleep(500 * time.Millisecond)
	}
}

// ensureStreams creates or updates the two streams and headquarters' ingest consumer.
func (h *HQ) ensureStreams(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := h.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: hqwire.EventsStream, Subjects: []string{hqwire.EventsSubjects},
		Retention: jetstream.LimitsPolicy, MaxAge: h.cfg.StreamMaxAge, Duplicates: h.cfg.Duplicates, Replicas: h.cfg.Replicas,
		Storage: jetstream.FileStorage, Discard: jetstream.DiscardOld, MaxMsgSize: 1 << 20}); err != nil {
		return fmt.Errorf("stream %s: %w", hqwire.EventsStream, err)
	}
	if _, err := h.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: hqwire.SettingsStream, Subjects: []string{hqwire.SettingsSubjects},
		Retention: jetstream.LimitsPolicy, MaxAge: 90 * 24 * time.Hour, Duplicates: h.cfg.Duplicates, Replicas: h.cfg.Replicas,
		Storage: jetstream.FileStorage, MaxMsgSize: 1 << 20}); err != nil {
		return fmt.Errorf("stream %s: %w", hqwire.SettingsStream, err)
	}
	_, err := h.js.CreateOrUpdateConsumer(ctx, hqwire.EventsStream, jetstream.ConsumerConfig{Durable: hqwire.IngestConsumer,
		FilterSubject: hqwire.EventsSubjects, AckPolicy: jetstream.AckExplicitPolicy, AckWait: 30 * time.Second, MaxAckPending: 20000,
		DeliverPolicy: jetstream.DeliverAllPolicy, MaxRequestBatch: 1000})
	return err
}

// ensureConsumer creates the durable consumer through which office reads its settings.
func (h *HQ) ensureConsumer(ctx context.Context, office string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, err := h.js.CreateOrUpdateConsumer(ctx, hqwire.SettingsStream, jetstream.ConsumerConfig{Durable: hqwire.SettingsConsumer(office),
		FilterSubject: hqwire.SettingsSubject(office), AckPolicy: jetstream.AckExplicitPolicy, AckWait: 30 * time.Second,
		MaxAckPending: 1000, DeliverPolicy: jetstream.DeliverAllPolicy})
	return err
}

// NATSURL is where offices reach headquarters' JetStream (ANTRE_HQ_NATS_URL on a hub).
func (h *HQ) NATSURL() string { return h.natsURL }

// CA is the PEM of the CA offices must trust for the link (nil: the system's roots).
func (h *HQ) CA() []byte { return h.caPEM }

// Store is headquarters' database.
func (h *HQ) Store() *pg.Store { return h.store }

// JetStream is headquarters' JetStream context, for tests and tools.
func (h *HQ) JetStream() jetstream.JetStream { return h.js }

// AdminToken authorises changes through the API.
func (h *HQ) AdminToken() string { return h.cfg.AdminToken }

// Handler is headquarters' HTTP handler (dashboard, API, WebSocket).
func (h *HQ) Handler() http.Handler { return h.mux }

// Serve runs headquarters until ctx ends: the HTTP server on l, the ingest, the settings
// publisher, the offices' watch, the gap check and the reports' folding.
func (h *HQ) Serve(ctx context.Context, l net.Listener) error {
	srv := &http.Server{Handler: h.mux, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	wctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for name, run := range map[string]func(context.Context) error{
		"ingest": h.runIngest, "settings": h.runSettings, "offices": h.runOffices, "gaps": h.runGaps, "days": h.runDays, "stream": h.ws.run,
		"booking": h.runBooking,
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(wctx); err != nil && wctx.Err() == nil {
				h.log.Error("worker stopped", "worker", name, "err", err)
			}
		}()
	}
	defer func() {
		stop()
		wg.Wait()
	}()
	h.log.Info("headquarters ready", "addr", l.Addr().String(), "nats", h.natsURL)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	h.ws.closeAll()
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// Close stops the NATS connection and the embedded server and closes the store.
func (h *HQ) Close() error {
	if h.status != nil {
		h.status.Unsubscribe()
	}
	if h.nc != nil {
		h.nc.Close()
	}
	if h.ns != nil {
		h.ns.Shutdown()
		h.ns.WaitForShutdown()
	}
	if h.store != nil {
		h.store.Close()
	}
	return nil
}

// sleep waits d or until ctx ends, reporting whether ctx is still alive.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
