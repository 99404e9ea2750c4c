package media

import (
	"context"
	"log/slog"
)

// Sink plays PCM in the render format. Play returns once every sample has been handed to the
// device (or discarded), or with an error; it is never asked to play two buffers at once by a
// Player, and returns ctx's error soon after ctx is done.
type Sink interface {
	Play(ctx context.Context, pcm []byte) error
}

// Discard is the Sink of a display without sound (--audio none): it drops the PCM at once.
type Discard struct{}

// Play drops pcm and returns ctx's error, if any.
func (Discard) Play(ctx context.Context, pcm []byte) error { return ctx.Err() }

// QueueSize is how many announcements may wait for the Sink before Enqueue refuses more.
const QueueSize = 32

// Player announces calls one after another, never overlapping: Enqueue adds a call to a FIFO
// queue and Run renders and plays each in turn. A recall is announced again by enqueuing it
// again.
type Player struct {
	renderer *Renderer
	sink     Sink
	log      *slog.Logger
	queue    chan queued
}

// queued is one announcement waiting in the Player's queue.
type queued struct {
	call Call
	opts Options
}

// NewPlayer returns a Player that renders with r and plays on sink, logging to log each
// announcement that could not be played.
func NewPlayer(r *Renderer, sink Sink, log *slog.Logger) *Player {
	return &Player{renderer: r, sink: sink, log: log, queue: make(chan queued, QueueSize)}
}

// Enqueue adds c to the end of the queue without waiting. With QueueSize announcements already
// waiting it drops c and returns ErrQueueFull.
func (p *Player) Enqueue(c Call, opts Options) error {
	select {
	case p.queue <- queued{c, opts}:
		return nil
	default:
		return ErrQueueFull
	}
}

// Run plays queued announcements in order until ctx is done, and then returns ctx's error.
// A failed announcement is logged and skipped: the next one is still played. A Player has one
// Run at a time; two would play at once.
func (p *Player) Run(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case q := <-p.queue:
			pcm, err := p.renderer.PCM(q.call, q.opts)
			if err == nil {
				err = p.sink.Play(ctx, pcm)
			}
			if err != nil && ctx.Err() == nil {
				p.log.ErrorContext(ctx, "announcement not played", "code", q.call.Code(), "counter", q.call.Counter(), "err", err)
			}
		}
	}
}
