package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"antre"
	"antre/internal/logx"
	"antre/server"
	"antre/server/sqlite"
)

func init() {
	commands["server"] = command{summary: "run the office hub (antre server [--config FILE] [--addr ADDR] [--data DIR])", run: runServer}
	commands["user"] = command{summary: "add an account (antre user add --role officer|oss|…|head|admin --name NAME --password PW)", run: runUser}
	commands["device"] = command{summary: "register a device (antre device add --role kiosk|display|feedback --name NAME)", run: runDevice}
}

// Demo log-ins, created only when the store has no accounts and demo mode is on.
var demoUsers = []struct {
	name     string
	role     antre.Role
	password string
}{
	{"admin", antre.RoleAdmin, "admin123"},
	{"petugas1", antre.RoleOfficer, "petugas123"},
	{"petugas2", antre.RoleOfficer, "petugas123"},
}

// newLogger logs to standard error at info level (debug with ANTRE_DEBUG set). A message that
// repeats is written at most 20 times in 10 seconds, then counted, so that no burst of requests
// can fill the disk with log lines.
func newLogger() *slog.Logger {
	lvl := slog.LevelInfo
	if os.Getenv("ANTRE_DEBUG") != "" {
		lvl = slog.LevelDebug
	}
	return slog.New(logx.Limit(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl}), 20, 10*time.Second))
}

func runServer(ctx context.Context, args []string) error {
	fs := pflag.NewFlagSet("server", pflag.ContinueOnError)
	server.Flags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := server.LoadConfig(fs)
	if err != nil {
		return err
	}
	log := newLogger()
	hub, err := server.Open(ctx, cfg, log, nil)
	if err != nil {
		return err
	}
	defer hub.Close()
	if cfg.Demo {
		if err := seedDemo(ctx, hub.DB(), cfg); err != nil {
			return err
		}
	}
	l, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	return hub.Serve(ctx, l)
}

// seedDemo creates the demo accounts in a store without accounts, gives the demo kiosk,
// displays (the TV and the information kiosk) and counter 1's survey tablet fresh tokens (tokens are stored hashed, so a demo can only show new ones), and prints
// the URLs and log-ins, so anyone can try everything at once.
func seedDemo(ctx context.Context, db *sqlite.DB, cfg *server.Config) error {
	has, err := db.HasUsers(ctx)
	if err != nil {
		return err
	}
	if !has {
		for _, u := range demoUsers {
			if err := db.AddUser(ctx, u.name, u.role, u.password); err != nil {
				return err
			}
		}
	}
	kiosk, err := db.AddDevice(ctx, "kiosk-demo", antre.RoleKiosk)
	if err != nil {
		return err
	}
	display, err := db.AddDevice(ctx, "display-demo", antre.RoleDisplay)
	if err != nil {
		return err
	}
	info, err := db.AddDevice(ctx, "info-demo", antre.RoleDisplay)
	if err != nil {
		return err
	}
	tablet, err := db.AddDevice(ctx, "feedback-demo", antre.RoleFeedback)
	if err != nil {
		return err
	}
	if err := db.SetDeviceSettings(ctx, "feedback-demo", json.RawMessage(`{"counter": 1}`)); err != nil {
		return err
	}
	u := cfg.PublicURL
	var b strings.Builder
	fmt.Fprintf(&b, "\nAntre demo office %q (data in %s)\n\n", cfg.Office.Name, cfg.Data)
	fmt.Fprintf(&b, "  Caller console:  %s/caller\n", u)
	fmt.Fprintf(&b, "  Display (TV):    %s/display?token=%s\n", u, display)
	fmt.Fprintf(&b, "  Ticket status:   %s/status/A001\n", u)
	fmt.Fprintf(&b, "  Info kiosk:      %s/info?token=%s\n", u, info)
	fmt.Fprintf(&b, "  Survey tablet:   %s/feedback?token=%s (counter 1)\n", u, tablet)
	fmt.Fprintf(&b, "  Transparency:    %s/transparansi   Complaints: %s/aduan\n", u, u)
	fmt.Fprintf(&b, "  Admin console:   %s/admin   Head's dashboard: %s/dashboard   Reports: %s/api/v1/reports\n", u, u, u)
	fmt.Fprintf(&b, "  API:             %s/api/v1/quota\n", u)
	fmt.Fprintf(&b, "  Kiosk:           %s kiosk --hub %s --token %s --printer file:/tmp/antre-tickets.bin --paper 80\n", self(), u, kiosk)
	if ok, err := db.HasUsers(ctx, "admin", "petugas1", "petugas2"); err == nil && ok {
		fmt.Fprintf(&b, "  Log-ins:         petugas1 / petugas123, petugas2 / petugas123 (officers), admin / admin123\n")
	}
	fmt.Fprintf(&b, "\nThe demo devices get new tokens at every start; without --demo no demo accounts or devices are made.\n\n")
	fmt.Fprint(os.Stdout, b.String())
	return nil
}

// self is how this program was started, for commands printed to copy: bin/antre, or antre when
// it runs from the PATH.
func self() string {
	if len(os.Args) > 0 && strings.ContainsRune(os.Args[0], '/') {
		return os.Args[0]
	}
	return "antre"
}

// openStore opens the store of the configured data directory without starting a hub; it works
// while the hub runs (SQLite's lock and busy timeout serialise the writes). A data directory
// whose store is missing but was created before is refused, as the hub refuses it.
func openStore(ctx context.Context, fs *pflag.FlagSet) (*sqlite.DB, error) {
	cfg, err := server.LoadConfig(fs)
	if err != nil {
		return nil, err
	}
	office, err := cfg.OfficeValue()
	if err != nil {
		return nil, err
	}
	path, err := cfg.DBPath()
	if err != nil {
		return nil, err
	}
	return sqlite.Open(ctx, path, sqlite.Options{Office: office, PasswordCost: cfg.PasswordCost, Init: cfg.Init})
}

func subcommand(args []string, want string) ([]string, error) {
	if len(args) == 0 || args[0] != want {
		return nil, fmt.Errorf("usage: the only subcommand is %q", want)
	}
	return args[1:], nil
}

func runUser(ctx context.Context, args []string) error {
	args, err := subcommand(args, "add")
	if err != nil {
		return err
	}
	fs := pflag.NewFlagSet("user add", pflag.ContinueOnError)
	server.Flags(fs)
	role := fs.String("role", "officer", "officer, a workflow stage (oss, biometric, adjudicator, cashier, printing, approver, pickup), head or admin")
	name := fs.String("name", "", "log-in name")
	pw := fs.String("password", "", "password (at least 6 characters)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openStore(ctx, fs)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.AddUser(ctx, *name, antre.Role(*role), *pw); err != nil {
		return err
	}
	fmt.Printf("user %s (%s) saved\n", *name, *role)
	return nil
}

func runDevice(ctx context.Context, args []string) error {
	args, err := subcommand(args, "add")
	if err != nil {
		return err
	}
	fs := pflag.NewFlagSet("device add", pflag.ContinueOnError)
	server.Flags(fs)
	role := fs.String("role", "", "kiosk, display or feedback (a survey tablet at a counter)")
	name := fs.String("name", "", "device name, e.g. kiosk-lobby")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openStore(ctx, fs)
	if err != nil {
		return err
	}
	defer db.Close()
	tok, err := db.AddDevice(ctx, *name, antre.Role(*role))
	if err != nil {
		return err
	}
	fmt.Printf("device %s (%s) registered; its token:\n%s\n", *name, *role, tok)
	return nil
}
