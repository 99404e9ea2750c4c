//go:build !cgo || noalsa

package alsa

import (
	"context"
	"errors"
)

// Sink is the ALSA sink; without cgo no value of it exists.
type Sink struct{}

// Open reports that this binary was built without ALSA (without cgo, or with the noalsa tag
// because the ALSA headers were missing) and so cannot reach the sound device.
func Open(ctx context.Context) (*Sink, error) {
	return nil, errors.New("no sound device: antre was built without ALSA (install libasound2-dev and run make build again), so playback is unavailable")
}

// Play is never reached: Open returns no Sink without cgo.
func (s *Sink) Play(ctx context.Context, pcm []byte) error {
	return errors.New("no sound device: antre was built without cgo")
}
