package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"golang.org/x/term"

	"antre/caller"
	"antre/client"
)

func init() {
	commands["caller"] = command{
		summary: "keypad console of a counter (antre caller --hub URL --counter N --name NAME [--password PW])",
		run:     runCaller,
	}
}

// runCaller runs the terminal console of a counter that has only a numeric keypad. The
// password comes from --password, else from ANTRE_PASSWORD, else it is asked for on the
// terminal (so it need not appear in the process list).
func runCaller(ctx context.Context, args []string) error {
	fs := newFlags("caller", "usage: antre caller --hub URL --counter N --name NAME [--password PW] [--lang id|en]")
	hub := fs.String("hub", os.Getenv("ANTRE_HUB"), "the hub's address, e.g. http://10.0.0.2:8080 [ANTRE_HUB]")
	counter := fs.Int("counter", envInt("ANTRE_COUNTER", 0), "the number of this counter [ANTRE_COUNTER]")
	name := fs.String("name", os.Getenv("ANTRE_NAME"), "the officer's log-in name [ANTRE_NAME]")
	password := fs.String("password", "", "the officer's password (default: $ANTRE_PASSWORD, or asked for) [ANTRE_PASSWORD]")
	lang := fs.String("lang", envOr("ANTRE_LANG", "id"), "language of the console: id or en [ANTRE_LANG]")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *hub == "" || *counter <= 0 || *name == "" {
		fs.Usage()
		return fmt.Errorf("--hub, --counter and --name are required")
	}
	stdin := int(os.Stdin.Fd())
	interactive := term.IsTerminal(stdin)
	pw := *password
	if pw == "" {
		pw = os.Getenv("ANTRE_PASSWORD")
	}
	if pw == "" && interactive {
		fmt.Fprintf(os.Stderr, "Kata sandi / password for %s: ", *name)
		b, err := term.ReadPassword(stdin)
		fmt.Fprintln(os.Stderr)
		if err != nil {
			return err
		}
		pw = string(b)
	}
	hubc, err := client.New(*hub, client.Options{Lang: *lang})
	if err != nil {
		return err
	}
	role, err := hubc.Login(ctx, *name, pw)
	if err != nil {
		return errors.New(hubc.Message(err))
	}
	if !role.Staff() {
		return fmt.Errorf("%s is a %s account, not an officer", *name, role)
	}
	con := &caller.Console{Client: hubc, Counter: *counter, Out: os.Stdout, Lang: *lang}
	if err := con.Start(ctx); err != nil {
		return err
	}
	if interactive {
		old, err := term.MakeRaw(stdin)
		if err != nil {
			return err
		}
		defer term.Restore(stdin, old)
	}
	if err := con.Run(ctx, os.Stdin); !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
