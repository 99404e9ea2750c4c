package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"antre/client"
	"antre/display"
	"antre/media"
	"antre/media/alsa"
)

func init() {
	commands["display"] = command{
		summary: "speak the hub's calls on this PC's speakers (antre display --hub URL --token TOKEN [--audio alsa|none])",
		run:     runDisplay,
	}
}

// runDisplay is the runtime of the PC that drives a waiting-room TV's speakers: it follows the
// hub's events and plays every call and recall the display shows, one after another. Without a
// sound device it says so and keeps following the hub, so the log still shows every call.
func runDisplay(ctx context.Context, args []string) error {
	fs := newFlags("display", "usage: antre display --hub URL --token TOKEN [--audio alsa|none]")
	hub := fs.String("hub", os.Getenv("ANTRE_HUB"), "the hub's address, e.g. http://10.0.0.2:8080 [ANTRE_HUB]")
	token := fs.String("token", os.Getenv("ANTRE_DISPLAY_TOKEN"), "the device token of a display registered on the hub (antre device add --role display); give this runtime its own, not the TV page's [ANTRE_DISPLAY_TOKEN]")
	audio := fs.String("audio", envOr("ANTRE_AUDIO", "alsa"), "sound output: alsa or none [ANTRE_AUDIO]")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *hub == "" || *token == "" {
		fs.Usage()
		return fmt.Errorf("--hub and --token are required")
	}
	log := newLogger()
	sink, err := alsa.OpenSink(ctx, *audio)
	if sink == nil {
		return err
	}
	if err != nil {
		log.Error("NO SOUND: announcements will not be heard; following the hub anyway (check the speakers and `aplay -l`, or run with --audio none)", "err", err)
	} else {
		log.Info("sound output ready", "audio", *audio)
	}
	r, err := media.NewRenderer()
	if err != nil {
		return err
	}
	player := media.NewPlayer(r, sink, log)
	go player.Run(ctx)
	hubc, err := client.New(*hub, client.Options{Token: *token})
	if err != nil {
		return err
	}
	sp := display.Speaker{Stream: &client.Stream{Client: hubc, Log: log}, Player: player, Log: log}
	if err := sp.Run(ctx); !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
