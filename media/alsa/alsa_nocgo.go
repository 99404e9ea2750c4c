//go:build !cgo

package alsa

import (
	"context"
	"errors"
)

// Sink is the ALSA sink; without cgo no value of it exists.
type Sink struct{}

// Open reports that this binary was built without cgo and so cannot reach the sound device.
func Open(ctx context.Context) (*Sink, error) {
	return nil, errors.New("no sound device: antre was built without cgo, so ALSA playback is unavailable")
}

// Play is never reached: Open returns no Sink without cgo.
func (s *Sink) Play(ctx context.Context, pcm []byte) error {
	return errors.New("no sound device: antre was built without cgo")
}
