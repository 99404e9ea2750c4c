package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"antre/media"
	"antre/media/alsa"
)

func init() {
	commands["announce"] = command{
		summary: "speak a queue call, or print its words (--words) or WAV (--wav)",
		run:     runAnnounce,
	}
}

// runAnnounce announces one call. With --words it prints the words on one line, with --wav it
// writes the rendered WAV file; otherwise it plays the announcement on the --audio output.
func runAnnounce(ctx context.Context, args []string) error {
	fs := newFlags("announce", "usage: antre announce CODE --counter N [--digits] [--words | --wav FILE | --audio alsa|none]")
	counter := fs.Int("counter", 0, "number of the counter the ticket is called to (1–999)")
	digits := fs.Bool("digits", false, "speak the ticket number digit by digit (nol satu dua) instead of as a number")
	words := fs.Bool("words", false, "print the words of the announcement on one line instead of playing it")
	wavPath := fs.String("wav", "", "write the announcement as a WAV `file` (- for standard output) instead of playing it")
	audio := fs.String("audio", envOr("ANTRE_AUDIO", "alsa"), "sound output to play on: alsa or none [ANTRE_AUDIO]")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	positional := fs.Args()
	if len(positional) != 1 {
		fs.Usage()
		return fmt.Errorf("want one ticket code, got %d arguments", len(positional))
	}
	call, err := media.ParseCall(positional[0], *counter)
	if err != nil {
		return err
	}
	opts := media.Options{Digits: *digits}

	if *words {
		fmt.Println(strings.Join(call.Words(opts), " "))
	}
	if *words && *wavPath == "" {
		return nil
	}
	r, err := media.NewRenderer()
	if err != nil {
		return err
	}
	if *wavPath != "" {
		wav, err := r.WAV(call, opts)
		if err != nil {
			return err
		}
		if *wavPath == "-" {
			_, err = os.Stdout.Write(wav)
			return err
		}
		return os.WriteFile(*wavPath, wav, 0o644)
	}
	sink, err := alsa.OpenSink(ctx, *audio)
	if err != nil {
		return err
	}
	pcm, err := r.PCM(call, opts)
	if err != nil {
		return err
	}
	return sink.Play(ctx, pcm)
}
