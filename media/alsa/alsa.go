//go:build cgo && !noalsa

package alsa

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"antre/media"

	"github.com/hajimehoshi/oto/v2"
)

const (
	// readyTimeout bounds the wait for oto to open the device.
	readyTimeout = 5 * time.Second
	// settle is how long Open lets a freshly opened device run before suspending it, so a device
	// that starts slowly (a pipe, a USB card waking up) is streaming before the first Play.
	settle = 500 * time.Millisecond
	// playMargin is added to a buffer's duration to bound Play: device latency and start-up.
	playMargin = 2 * time.Second
	// suspendTimeout bounds suspending the device: oto waits for the write in progress, which
	// never ends on a device that stopped consuming samples.
	suspendTimeout = time.Second
	// pollInterval is how often Play checks for the end of playback and for device errors.
	pollInterval = 10 * time.Millisecond
)

// Sink plays PCM in the media render format on the default ALSA device. It holds the process's
// only oto context (oto supports one per process), suspended while idle; Play calls are
// serialised, so announcements never overlap.
type Sink struct {
	mu    sync.Mutex
	oto   *oto.Context
	stuck error // set once the device stopped consuming samples; every later Play returns it
}

// Open opens the default sound device for media.SampleRate mono 16-bit playback. oto reports a
// missing device only after its context is ready, so Open waits for that (bounded by ctx and
// readyTimeout) and returns an error naming the device problem ("no sound device: …") when
// there is none: the caller logs it and keeps running with media.Discard. A process calls Open
// at most once, successful or not.
func Open(ctx context.Context) (*Sink, error) {
	c, ready, err := oto.NewContextWithOptions(&oto.NewContextOptions{
		SampleRate:   media.SampleRate,
		ChannelCount: 1,
		Format:       oto.FormatSignedInt16LE,
		// A quarter second of device buffer: a busy display PC (or CI machine) can fall behind
		// for that long without an underrun cutting a gap into an announcement. It adds no delay
		// before the first sample is handed over, only before it is heard.
		BufferSize: 250 * time.Millisecond,
	})
	if err != nil {
		return nil, fmt.Errorf("no sound device: %w", err)
	}
	timeout := time.NewTimer(readyTimeout)
	defer timeout.Stop()
	select {
	case <-ready:
	case <-timeout.C:
		return nil, fmt.Errorf("no sound device: not ready after %v", readyTimeout)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if err := c.Err(); err != nil {
		return nil, fmt.Errorf("no sound device: %w", err)
	}
	select {
	case <-time.After(settle):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	s := &Sink{oto: c}
	if err := s.suspend(); err != nil {
		return nil, fmt.Errorf("no sound device: %w", err)
	}
	return s, nil
}

// Play plays pcm and returns when oto has handed its last sample to the device. It fails when
// the device reports an error, when ctx is done, or when playback has not ended within pcm's
// duration plus playMargin (a device that stopped consuming samples); it never waits longer
// than that plus suspendTimeout. After a device got stuck, Play fails at once.
func (s *Sink) Play(ctx context.Context, pcm []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stuck != nil {
		return s.stuck
	}
	limit := media.Duration(pcm) + playMargin
	ctx, cancel := context.WithTimeoutCause(ctx, limit,
		fmt.Errorf("sound device: %v of audio still playing after %v", media.Duration(pcm), limit))
	defer cancel()
	err := s.play(ctx, pcm)
	if serr := s.suspend(); err == nil {
		err = serr
	}
	return err
}

// play resumes the device and plays pcm on it until oto has handed over the last sample, the
// device fails or ctx is done.
func (s *Sink) play(ctx context.Context, pcm []byte) error {
	if err := await(ctx, s.oto.Resume); err != nil {
		return fmt.Errorf("sound device: %w", err)
	}
	p := s.oto.NewPlayer(bytes.NewReader(pcm))
	defer p.Close()
	p.Play()
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		if err := s.oto.Err(); err != nil {
			return fmt.Errorf("sound device: %w", err)
		}
		if err := p.Err(); err != nil {
			return fmt.Errorf("sound device: %w", err)
		}
		if !p.IsPlaying() {
			return nil
		}
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-tick.C:
		}
	}
}

// suspend stops feeding the device, waiting at most suspendTimeout for the write in progress;
// when that does not end the device is stuck, and s remembers it.
func (s *Sink) suspend() error {
	ctx, cancel := context.WithTimeout(context.Background(), suspendTimeout)
	defer cancel()
	err := await(ctx, s.oto.Suspend)
	if errors.Is(err, context.DeadlineExceeded) {
		s.stuck = fmt.Errorf("sound device stuck: a write to it has not returned for %v", suspendTimeout)
		return s.stuck
	}
	return err
}

// await runs f, an oto call that blocks while the device's current write lasts, and waits for
// it until ctx is done. On a stuck device f's goroutine stays blocked: s.stuck stops new ones.
func await(ctx context.Context, f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
