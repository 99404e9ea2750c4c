// Package server is the office hub: it wires the store, the HTTP API, the WebSocket event stream,
// the device pages and the modules, and runs them as `antre server`.
package server

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"antre"
	"antre/module"
	"antre/server/sqlite"
)

// Hub is one office's hub.
type Hub struct {
	cfg      *Config
	db       *sqlite.DB // the store's life (open, close) and the modules' seam
	tickets  tickets
	settings settings
	queries  queries
	accounts accounts
	log      *slog.Logger
	broker   *broker
	throttle *throttle
	metrics  *metrics
	snapJSON snapshotJSON
	mux      *http.ServeMux
	services module.Services
	mods     []module.Module
	workers  []worker
	unlock   func()
	// display is what displays show besides the queue: the configuration's, with the running
	// text an admin set (stored, see sqlite.SetRunningText) instead of the file's.
	display   atomic.Pointer[DisplayConfig]
	displayMu sync.Mutex // one running text change at a time
}

// Open takes the data directory (one hub per directory), opens the store described by cfg
// (refusing a missing or damaged one, see sqlite.Open), applies the configured groups and
// counters, builds the hub's routes and mounts its modules (see modules).
func Open(ctx context.Context, cfg *Config, log *slog.Logger, now antre.Clock) (*Hub, error) {
	if now == nil {
		now = time.Now
	}
	office, err := cfg.OfficeValue()
	if err != nil {
		return nil, err
	}
	if err := cfg.checkSMS(); err != nil {
		return nil, err
	}
	openDays, err := cfg.OpenDays()
	if err != nil {
		return nil, err
	}
	mods, err := modules(cfg)
	if err != nil {
		return nil, err
	}
	var migrations []sqlite.Migrations
	for _, m := range mods {
		if fs := m.Migrations(); fs != nil {
			migrations = append(migrations, sqlite.Migrations{Name: m.Name(), FS: fs})
		}
	}
	path, err := cfg.DBPath()
	if err != nil {
		return nil, err
	}
	unlock, err := lockData(cfg.Data)
	if err != nil {
		return nil, err
	}
	db, err := sqlite.Open(ctx, path, sqlite.Options{
		Office:             office,
		Policy:             antre.Policy{Ratio: cfg.Policy.Ratio, Ageing: cfg.Policy.Ageing},
		MaxRecalls:         cfg.Policy.MaxRecalls,
		LateWindow:         cfg.Policy.LateWindow,
		DefaultServiceTime: cfg.Policy.ServiceTime,
		Now:                now,
		Synchronous:        cfg.Synchronous,
		PasswordCost:       cfg.PasswordCost,
		Modules:            migrations,
		Init:               cfg.Init,
		Recent:             cfg.Display.Recent,
		OpenDays:           openDays,
		Log:                log.With("part", "store"),
	})
	if err != nil {
		unlock()
		return nil, err
	}
	fail := func(err error) (*Hub, error) {
		db.Close()
		unlock()
		return nil, err
	}
	if err := db.SyncGroups(ctx, cfg.GroupValues()); err != nil {
		return fail(fmt.Errorf("groups: %w", err))
	}
	if err := db.SyncCounters(ctx, cfg.Counters); err != nil {
		return fail(fmt.Errorf("counters: %w", err))
	}
	h := &Hub{cfg: cfg, db: db, tickets: db, settings: db, queries: db, accounts: db, log: log, broker: newBroker(), throttle: newThrottle(db.Now), metrics: &metrics{}, mux: http.NewServeMux(), unlock: unlock}
	disp := cfg.Display
	if lines, ok, err := db.RunningText(ctx); err != nil {
		return fail(fmt.Errorf("running text: %w", err))
	} else if ok {
		disp.RunningText = lines
	}
	h.display.Store(&disp)
	db.OnCommit(h.broker.publish)
	h.routes()
	for _, m := range mods {
		if err := h.mount(m); err != nil {
			return fail(fmt.Errorf("module %s: %w", m.Name(), err))
		}
	}
	h.mods = mods
	return h, nil
}

// Module returns the mounted module named name (module.Module's Name), or nil: for tools that
// drive a module's own Go API on this hub, such as the demo-data generator.
func (h *Hub) Module(name string) module.Module {
	for _, m := range h.mods {
		if m.Name() == name {
			return m
		}
	}
	return nil
}

// Services are the services the mounted modules provide each other (module.Find reads them).
func (h *Hub) Services() *module.Services { return &h.services }

// DB returns the hub's store, for modules and tests.
func (h *Hub) DB() *sqlite.DB { return h.db }

// Handler returns the hub's HTTP handler.
func (h *Hub) Handler() http.Handler { return h.logRequests(h.mux) }

// Close closes the store and releases the data directory.
func (h *Hub) Close() error {
	err := h.db.Close()
	if h.unlock != nil {
		h.unlock()
		h.unlock = nil
	}
	return err
}

// Serve accepts requests on l until ctx ends, then shuts down gracefully: requests in flight
// finish (their transactions commit or roll back whole) and WebSocket clients are closed.
func (h *Hub) Serve(ctx context.Context, l net.Listener) error {
	srv := &http.Server{
		Handler:           h.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	mctx, stopModules := context.WithCancel(ctx)
	var workers sync.WaitGroup
	defer func() {
		stopModules()
		workers.Wait()
	}()
	for _, w := range h.workers {
		workers.Add(1)
		go func() {
			defer workers.Done()
			if err := w.run(mctx); err != nil && mctx.Err() == nil {
				w.log.Error("module worker stopped", "err", err)
			}
		}()
	}

	h.log.Info("ready", "addr", l.Addr().String(), "office", h.cfg.Office.Code, "business_date", h.queries.Today())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// logRequests logs each request with its status and duration.
func (h *Hub) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: 200}
		next.ServeHTTP(sw, r)
		lvl := slog.LevelDebug
		if sw.status >= 500 {
			lvl = slog.LevelError
		}
		h.log.Log(r.Context(), lvl, "http", "method", r.Method, "path", r.URL.Path, "status", sw.status, "dur", time.Since(start))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(s int) {
	w.status = s
	w.ResponseWriter.WriteHeader(s)
}

// Unwrap lets http.ResponseController and the WebSocket upgrader reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Hijack hands the connection to the WebSocket upgrader.
func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(w.ResponseWriter).Hijack()
}
