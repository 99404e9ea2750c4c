package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/spf13/pflag"
)

// Every antre subcommand reads its flags one way: pflag (--name value, flags before or after the
// arguments), each flag's default taken from its ANTRE_… environment variable when that is set
// (so tokens and passwords can stay out of the process list), and `antre server` reads a YAML
// file too, through viper (server.LoadConfig).

// newFlags returns a subcommand's flag set; usage is printed before the flags' list on --help.
func newFlags(name, usage string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; --help is not an error (the usage has been printed).
func parseFlags(fs *pflag.FlagSet, args []string) (help bool, err error) {
	err = fs.Parse(args)
	if errors.Is(err, pflag.ErrHelp) {
		return true, nil
	}
	return false, err
}

// envOr is the environment variable key, or def when it is unset or empty.
func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// envInt is envOr for a whole number; a value that is not one leaves def.
func envInt(key string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return n
	}
	return def
}

// envBool is envOr for a yes/no (1, true, yes …).
func envBool(key string, def bool) bool {
	if b, err := strconv.ParseBool(os.Getenv(key)); err == nil {
		return b
	}
	return def
}

// envDuration is envOr for a duration such as 3s or 45s.
func envDuration(key string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(key)); err == nil {
		return d
	}
	return def
}
