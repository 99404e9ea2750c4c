package media

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordingSink records what it plays, takes a little time for each buffer, fails the buffers
// listed in fail, and reports an overlap if Play is entered while it is already playing.
type recordingSink struct {
	mu      sync.Mutex
	playing bool
	overlap bool
	played  [][]byte
	fail    map[int]bool // by index of the call to Play
	calls   int
	done    chan struct{} // receives after every Play
}

func (s *recordingSink) Play(ctx context.Context, pcm []byte) error {
	s.mu.Lock()
	if s.playing {
		s.overlap = true
	}
	s.playing = true
	n := s.calls
	s.calls++
	s.mu.Unlock()

	time.Sleep(5 * time.Millisecond)

	s.mu.Lock()
	s.playing = false
	s.played = append(s.played, pcm)
	s.mu.Unlock()
	s.done <- struct{}{}
	if s.fail[n] {
		return errors.New("device unplugged")
	}
	return nil
}

func mustCall(t testing.TB, code string, counter int) Call {
	t.Helper()
	c, err := ParseCall(code, counter)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestPlayerOrder enqueues three calls, the last a recall of the first, while the first plays:
// they play in order, one at a time, and a failed one is logged and does not stop the next.
func TestPlayerOrder(t *testing.T) {
	r, _ := syntheticRenderer()
	sink := &recordingSink{done: make(chan struct{}, 3), fail: map[int]bool{1: true}}
	var logs bytes.Buffer
	p := NewPlayer(r, sink, slog.New(slog.NewTextHandler(&logs, nil)))

	calls := []struct {
		call Call
		opts Options
	}{
		{mustCall(t, "A012", 3), Options{}},
		{mustCall(t, "A012", 3), Options{Digits: true}},
		{mustCall(t, "A012", 3), Options{}},
	}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error)
	go func() { ran <- p.Run(ctx) }()
	for _, c := range calls {
		if err := p.Enqueue(c.call, c.opts); err != nil {
			t.Fatal(err)
		}
	}
	for range calls {
		<-sink.done
	}
	cancel()
	if err := <-ran; !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v, want context.Canceled", err)
	}

	if sink.overlap {
		t.Error("two announcements played at once")
	}
	if len(sink.played) != len(calls) {
		t.Fatalf("%d announcements played, want %d", len(sink.played), len(calls))
	}
	for i, c := range calls {
		want, err := r.PCM(c.call, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(sink.played[i], want) {
			t.Errorf("announcement %d is not the render of call %d", i, i)
		}
	}
	if !strings.Contains(logs.String(), "device unplugged") || !strings.Contains(logs.String(), "code=A012") {
		t.Errorf("failed announcement not logged: %q", logs.String())
	}
}

func TestPlayerQueueFull(t *testing.T) {
	r, _ := syntheticRenderer()
	p := NewPlayer(r, Discard{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	c := mustCall(t, "A001", 1)
	for i := range QueueSize {
		if err := p.Enqueue(c, Options{}); err != nil {
			t.Fatalf("Enqueue %d: %v", i, err)
		}
	}
	if err := p.Enqueue(c, Options{}); !errors.Is(err, ErrQueueFull) {
		t.Errorf("Enqueue on a full queue: %v, want ErrQueueFull", err)
	}
}

func TestDiscard(t *testing.T) {
	if err := (Discard{}).Play(context.Background(), make([]byte, 10)); err != nil {
		t.Error(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := (Discard{}).Play(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Play after cancel: %v", err)
	}
}

func TestDuration(t *testing.T) {
	if d := Duration(make([]byte, 2*SampleRate+1)); d != time.Second {
		t.Errorf("Duration of one second of PCM = %v", d)
	}
}

// handedSink reports each buffer on handed and drops it.
type handedSink chan []byte

func (s handedSink) Play(ctx context.Context, pcm []byte) error {
	s <- pcm
	return nil
}

// BenchmarkCallToSink measures "call → first audio sample handed to the sink": from Enqueue of
// a call to the sink's Play receiving its rendered PCM, with the embedded clip bank.
func BenchmarkCallToSink(b *testing.B) {
	r, err := NewRenderer()
	if err != nil {
		b.Fatal(err)
	}
	sink := make(handedSink)
	p := NewPlayer(r, sink, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go p.Run(ctx)
	c := mustCall(b, "E999", 999)
	for b.Loop() {
		if err := p.Enqueue(c, Options{}); err != nil {
			b.Fatal(err)
		}
		<-sink
	}
}

// BenchmarkRender measures rendering the longest announcement to PCM.
func BenchmarkRender(b *testing.B) {
	r, err := NewRenderer()
	if err != nil {
		b.Fatal(err)
	}
	c := mustCall(b, "E999", 999)
	for b.Loop() {
		if _, err := r.PCM(c, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewRenderer measures loading the embedded bank (what RenderCall pays each time).
func BenchmarkNewRenderer(b *testing.B) {
	for b.Loop() {
		if _, err := NewRenderer(); err != nil {
			b.Fatal(err)
		}
	}
}
