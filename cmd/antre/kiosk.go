package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"antre/kiosk"
	"antre/printers"
)

func init() {
	commands["kiosk"] = command{summary: "run a ticket kiosk (antre kiosk --hub URL --token TOKEN --printer ADDR --paper 58|80)", run: runKiosk}
}

const kioskUsage = `usage: antre kiosk --hub URL --token TOKEN --printer ADDR --paper 58|80|80-180 [flags]

Runs the ticket kiosk: serves its touch page on ANTRE_KIOSK_ADDR (default 127.0.0.1:8081),
takes numbers from the hub with the kiosk's device token and prints them. Every flag can also
be set in the environment (shown in brackets); the environment keeps the token and the PIN out
of the process list.

Show the page full screen with Chromium in kiosk mode (or pass --browser to have the kiosk
start and watch it):

  chromium ` + "{{CHROMIUM}}" + `

flags:`

// runKiosk runs the kiosk runtime until it is stopped, and the kiosk browser when asked.
func runKiosk(ctx context.Context, args []string) error {
	fs := pflag.NewFlagSet("kiosk", pflag.ContinueOnError)
	hub := fs.String("hub", os.Getenv("ANTRE_HUB"), "hub URL, e.g. http://10.0.0.2:8080 [ANTRE_HUB]")
	token := fs.String("token", os.Getenv("ANTRE_KIOSK_TOKEN"), "kiosk device token, from: antre device add --role kiosk [ANTRE_KIOSK_TOKEN]")
	pair := fs.String("pair", os.Getenv("ANTRE_KIOSK_PAIR"), "the pairing address the admin console shows for a new kiosk (HUB/kiosk#token=…), instead of --hub and --token [ANTRE_KIOSK_PAIR]")
	addr := fs.String("printer", os.Getenv("ANTRE_PRINTER"), "printer: usb:/dev/usb/lp0, tcp:HOST[:PORT] or file:PATH [ANTRE_PRINTER]")
	paper := fs.String("paper", envOr("ANTRE_PAPER", "80"), "paper: 58, 80, or 80-180 (80 mm, 180 dpi head) [ANTRE_PAPER]")
	listen := fs.String("addr", envOr("ANTRE_KIOSK_ADDR", kiosk.DefaultAddr), "where the page is served; keep it on 127.0.0.1 [ANTRE_KIOSK_ADDR]")
	pin := fs.String("admin-pin", os.Getenv("ANTRE_KIOSK_PIN"), "PIN of the officer menu (4–12 digits; hold the top-left corner 3 s); empty turns the menu off [ANTRE_KIOSK_PIN]")
	footer := fs.StringArray("footer", nil, "a footer line of every ticket; repeat for more lines (default \""+strings.Join(kiosk.DefaultFooter(), " / ")+"\")")
	native := fs.Bool("native-barcodes", false, "send barcodes as printer commands instead of images")
	status := fs.Duration("status-interval", kiosk.DefaultStatusInterval, "how often the printer's status is read")
	idle := fs.Duration("idle", kiosk.DefaultIdleReset, "return the page to the start after this long without a touch")
	state := fs.String("state-dir", envOr("ANTRE_KIOSK_STATE", kiosk.DefaultStateDir()), "directory (created 0700) keeping the reports to the hub and the unprinted tickets across restarts; one per kiosk [ANTRE_KIOSK_STATE]")
	browser := fs.String("browser", os.Getenv("ANTRE_KIOSK_BROWSER"), "start this Chromium in kiosk mode on the page and restart it if it exits, e.g. /usr/bin/chromium [ANTRE_KIOSK_BROWSER]")
	profile := fs.String("browser-profile", envOr("ANTRE_KIOSK_BROWSER_PROFILE", defaultBrowserProfile()), "Chromium profile directory for --browser [ANTRE_KIOSK_BROWSER_PROFILE]")
	fs.SetOutput(os.Stderr)
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, strings.Replace(kioskUsage, "{{CHROMIUM}}", strings.Join(kiosk.ChromiumArgs("http://"+kiosk.DefaultAddr+"/", "/var/lib/antre/chromium"), " "), 1))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil
		}
		return err
	}
	if *pair != "" {
		h, tok, err := kioskPairing(*pair)
		if err != nil {
			return err
		}
		*hub, *token = h, tok
	}
	if fs.NArg() > 0 || *hub == "" || *token == "" || *addr == "" {
		fs.Usage()
		return errors.New("need --hub, --token and --printer")
	}
	prof, err := printers.ProfileByName(*paper)
	if err != nil {
		return err
	}
	prof.NativeBarcodes = *native
	if len(*footer) == 0 {
		*footer = kiosk.DefaultFooter()
	}
	log := newLogger()
	k, err := kiosk.New(kiosk.Config{
		Hub: *hub, Token: *token, Printer: *addr, Profile: prof, Footer: *footer, AdminPIN: *pin,
		StatusInterval: *status, IdleReset: *idle, StateDir: *state, Log: log,
	})
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	if *browser != "" {
		url := "http://" + l.Addr().String() + "/"
		go keepBrowser(ctx, *browser, kiosk.ChromiumArgs(url, *profile), log.With("browser", *browser))
	}
	return k.Serve(ctx, l)
}

func defaultBrowserProfile() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "antre-kiosk-chromium")
}

// keepBrowser runs the kiosk browser until ctx ends, starting it again a few seconds after it
// exits (a crash, or someone closing it).
func keepBrowser(ctx context.Context, bin string, args []string, log *slog.Logger) {
	for ctx.Err() == nil {
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.WaitDelay = 5 * time.Second
		log.Info("starting the kiosk browser")
		err := cmd.Run()
		if ctx.Err() != nil {
			return
		}
		log.Warn("kiosk browser exited; starting it again", "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(3 * time.Second):
		}
	}
}

// kioskPairing reads the admin console's pairing address of a kiosk, HUB/kiosk#token=TOKEN,
// into the hub's URL and the kiosk's token.
func kioskPairing(pair string) (hub, token string, err error) {
	u, err := url.Parse(pair)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !strings.HasSuffix(u.Path, "/kiosk") {
		return "", "", errors.New("--pair: not a kiosk pairing address (HUB/kiosk#token=…)")
	}
	frag, _ := url.ParseQuery(u.Fragment)
	if token = frag.Get("token"); token == "" {
		return "", "", errors.New("--pair: the address has no #token=")
	}
	return u.Scheme + "://" + u.Host + strings.TrimSuffix(u.Path, "/kiosk"), token, nil
}
