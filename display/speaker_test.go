package display_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"antre/client"
	"antre/display"
	"antre/media"
	"antre/server/servertest"
)

// logBuffer collects a test's log lines; it is safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// count is how many log lines contain s.
func (b *logBuffer) count(s string) int { return strings.Count(b.String(), s) }

// waitLog waits until n log lines contain s.
func waitLog(t *testing.T, b *logBuffer, s string, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); b.count(s) < n; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("log has %d of %d %q lines:\n%s", b.count(s), n, s, b)
		}
	}
}

// recordingSink stands for the speakers: it takes a little time for each announcement,
// records what it played, and counts any Play that starts while another still plays.
type recordingSink struct {
	mu       sync.Mutex
	played   [][]byte
	busy     atomic.Int32
	overlaps atomic.Int32
}

func (s *recordingSink) Play(ctx context.Context, pcm []byte) error {
	if s.busy.Add(1) > 1 {
		s.overlaps.Add(1)
	}
	defer s.busy.Add(-1)
	time.Sleep(30 * time.Millisecond)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.played = append(s.played, pcm)
	return nil
}

func (s *recordingSink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.played)
}

// call is an expected announcement.
type call struct {
	code    string
	counter int
	digits  bool
}

// startSpeaker runs the antre display runtime against h with token, playing on a recording
// sink through the real media.Player; it stops when the test ends.
func startSpeaker(t *testing.T, h *servertest.Hub, token string) (*recordingSink, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	r, err := media.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	sink := &recordingSink{}
	player := media.NewPlayer(r, sink, log)
	sp := display.Speaker{Stream: &client.Stream{Client: mustClient(h.URL, token), Log: log, MinDelay: 50 * time.Millisecond, MaxDelay: 500 * time.Millisecond}, Player: player, Log: log}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { player.Run(ctx) })
	wg.Go(func() {
		if err := sp.Run(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("speaker stopped: %v", err)
		}
	})
	t.Cleanup(func() {
		cancel()
		wg.Wait()
	})
	waitLog(t, logs, "hub state received", 1)
	return sink, logs
}

// checkPlayed waits until the sink has played len(want) announcements and checks that they are
// want's, in order, with none overlapping.
func checkPlayed(t *testing.T, sink *recordingSink, want []call) {
	t.Helper()
	r, err := media.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(15 * time.Second); sink.count() < len(want); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("played %d of %d announcements", sink.count(), len(want))
		}
	}
	time.Sleep(200 * time.Millisecond) // nothing more may come
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if len(sink.played) != len(want) {
		t.Fatalf("played %d announcements, want %d", len(sink.played), len(want))
	}
	for i, w := range want {
		c, err := media.ParseCall(w.code, w.counter)
		if err != nil {
			t.Fatal(err)
		}
		pcm, err := r.PCM(c, media.Options{Digits: w.digits})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(sink.played[i], pcm) {
			t.Errorf("announcement %d is not %s at counter %d (digits %v)", i, w.code, w.counter, w.digits)
		}
	}
	if n := sink.overlaps.Load(); n != 0 {
		t.Errorf("%d announcements overlapped", n)
	}
}

// TestSpeakerAnnouncesInOrder: every call and recall is announced once, in order, one after
// another, including a call made after the hub restarted and before the runtime reconnected.
func TestSpeakerAnnouncesInOrder(t *testing.T) {
	h := servertest.New(t)
	tok, err := h.DB().AddDevice(t.Context(), "speaker-1", "display")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []string{"A", "A", "B", "C"} {
		h.Issue(g)
	}
	next(t, h, 4) // before the runtime starts: part of its snapshot, not announced
	sink, logs := startSpeaker(t, h, tok)

	next(t, h, 1)
	if st := h.Do("POST", "/api/v1/counters/1/recall", h.Officer, nil, nil); st != 200 {
		t.Fatalf("recall: %d", st)
	}
	next(t, h, 2)
	checkPlayed(t, sink, []call{{"A002", 1, false}, {"A002", 1, false}, {"B001", 2, false}})

	h.Restart()
	next(t, h, 3) // the runtime is still reconnecting
	waitLog(t, logs, "following the hub", 2)
	checkPlayed(t, sink, []call{{"A002", 1, false}, {"A002", 1, false}, {"B001", 2, false}, {"C001", 3, false}})
	if !strings.Contains(logs.String(), "resume_after=") {
		t.Errorf("reconnect did not resume:\n%s", logs)
	}
}

// TestSpeakerFollowsSettings: a runtime announces only the groups and counters its device
// settings show, digit by digit when they say so.
func TestSpeakerFollowsSettings(t *testing.T) {
	h := servertest.New(t)
	tok, err := h.DB().AddDevice(t.Context(), "speaker-b2", "display")
	if err != nil {
		t.Fatal(err)
	}
	if st := h.Do("PUT", "/api/v1/devices/speaker-b2/settings", h.Admin, map[string]any{"groups": []string{"B"}, "counters": []int{2}, "digits": true}, nil); st != 204 {
		t.Fatalf("settings: %d", st)
	}
	for _, g := range []string{"A", "B", "B"} {
		h.Issue(g)
	}
	sink, _ := startSpeaker(t, h, tok)
	next(t, h, 1) // A001 at 1: neither group nor counter shown
	if st := h.Do("POST", "/api/v1/tickets/B001/call", h.Officer, map[string]any{"counter": 1, "reason": "test"}, nil); st != 200 {
		t.Fatalf("call B001: %d", st) // group shown, counter not
	}
	next(t, h, 2) // B002 at 2: shown
	checkPlayed(t, sink, []call{{"B002", 2, true}})
}

// TestSpeakerReplaced: when another connection takes the device's token, the runtime says so
// and waits instead of taking it back at once, so two runtimes sharing a token do not fight.
func TestSpeakerReplaced(t *testing.T) {
	h := servertest.New(t)
	_, logs := startSpeaker(t, h, h.Display)
	other := openDisplayStream(t, h, h.Display)
	waitLog(t, logs, "another connection uses the same display token", 1)
	time.Sleep(time.Second)
	if n := logs.count("following the hub"); n != 1 {
		t.Errorf("runtime reconnected %d times after being replaced", n-1)
	}
	other()
}

// openDisplayStream connects a second Stream with token, as a second screen would; the returned
// function stops it.
func openDisplayStream(t *testing.T, h *servertest.Hub, token string) func() {
	t.Helper()
	logs := &logBuffer{}
	s := &client.Stream{Client: mustClient(h.URL, token), Log: slog.New(slog.NewTextHandler(logs, nil))}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Run(ctx, func(context.Context, client.Message) {})
	}()
	waitLog(t, logs, "following the hub", 1)
	return func() {
		cancel()
		<-done
	}
}

// TestStreamRefusedToken: a token the hub does not know ends the runtime with ErrUnauthorized.
func TestStreamRefusedToken(t *testing.T) {
	h := servertest.New(t)
	s := &client.Stream{Client: mustClient(h.URL, "not-a-token"), Log: slog.New(slog.DiscardHandler)}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Run(ctx, func(context.Context, client.Message) {}); !errors.Is(err, client.ErrUnauthorized) {
		t.Fatalf("Run: %v, want ErrUnauthorized", err)
	}
	if _, err := client.New("10.0.0.1:8080", client.Options{}); err == nil {
		t.Fatal("a hub URL without scheme was accepted")
	}
}

// mustClient is a client of hub with a device token.
func mustClient(hub, token string) *client.Client {
	c, err := client.New(hub, client.Options{Token: token})
	if err != nil {
		panic(err)
	}
	return c
}
