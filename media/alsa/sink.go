package alsa

import (
	"context"
	"fmt"

	"antre/media"
)

// OpenSink returns the sink named by an --audio setting: "alsa" opens the sound device with
// Open, "none" is media.Discard. When the device cannot be opened it returns media.Discard
// together with Open's error, so a display logs the error and keeps running silent while a
// one-shot command can fail on it. Any other name is an error with a nil Sink.
func OpenSink(ctx context.Context, name string) (media.Sink, error) {
	switch name {
	case "none":
		return media.Discard{}, nil
	case "alsa":
		s, err := Open(ctx)
		if err != nil {
			return media.Discard{}, err
		}
		return s, nil
	}
	return nil, fmt.Errorf("unknown audio output %q (want alsa or none)", name)
}
