//go:build cgo

package alsa

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"antre/media"
)

// oto allows one context per process, so each test runs its sound device in a child process:
// this test binary again, with childEnv naming what the child does and ALSA_CONFIG_PATH
// choosing its ALSA configuration.
const childEnv = "ANTRE_ALSA_TEST_CHILD"

// The child modes.
const (
	childPlay     = "play"     // play announcements through a Player, print the latency to the sink
	childNoDevice = "nodevice" // Open must fail: print its error
	childStall    = "stall"    // Play on a device that stops consuming must fail in bounded time
)

// announcement is one call that the play child announces.
type announcement struct {
	code    string
	counter int
	opts    media.Options
}

// announcements are played by the play child and looked for in its capture, in order.
func announcements() []announcement {
	return []announcement{{"A012", 3, media.Options{}}, {"F007", 12, media.Options{Digits: true}}}
}

func TestMain(m *testing.M) {
	switch os.Getenv(childEnv) {
	case "":
		os.Exit(m.Run())
	case childPlay:
		os.Exit(runChild(playChild))
	case childNoDevice:
		os.Exit(runChild(noDeviceChild))
	case childStall:
		os.Exit(runChild(stallChild))
	}
	fmt.Fprintf(os.Stderr, "unknown %s\n", childEnv)
	os.Exit(2)
}

// runChild runs a child mode, reporting its error on stderr and in the exit status.
func runChild(f func(ctx context.Context) error) int {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := f(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	return 0
}

// signalSink passes each buffer to a Sink, reporting on handed when it gets it and on played
// once it has been played.
type signalSink struct {
	media.Sink
	handed chan time.Time // when Play was called
	played chan error
}

func (s signalSink) Play(ctx context.Context, pcm []byte) error {
	s.handed <- time.Now()
	err := s.Sink.Play(ctx, pcm)
	s.played <- err
	return err
}

// playChild enqueues all announcements at once on a Player over the default device, waits until
// each has played, then plays 200 ms of silence that pushes the last samples out of ALSA's file
// plugin buffer. It prints the latency from the first Enqueue to the sink's Play.
func playChild(ctx context.Context) error {
	sink, err := Open(ctx)
	if err != nil {
		return err
	}
	r, err := media.NewRenderer()
	if err != nil {
		return err
	}
	all := announcements()
	s := signalSink{Sink: sink, handed: make(chan time.Time, len(all)), played: make(chan error, len(all))}
	p := media.NewPlayer(r, s, slog.New(slog.NewTextHandler(os.Stderr, nil)))
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go p.Run(runCtx)
	start := time.Now()
	for _, a := range all {
		call, err := media.ParseCall(a.code, a.counter)
		if err != nil {
			return err
		}
		if err := p.Enqueue(call, a.opts); err != nil {
			return err
		}
	}
	fmt.Printf("call to sink: %v\n", (<-s.handed).Sub(start))
	for range all {
		if err := <-s.played; err != nil {
			return err
		}
	}
	return sink.Play(ctx, make([]byte, media.SampleRate/5*media.BytesPerSample))
}

// noDeviceChild expects Open to fail and prints its error.
func noDeviceChild(ctx context.Context) error {
	start := time.Now()
	_, err := Open(ctx)
	if err == nil {
		return errors.New("Open succeeded without a device")
	}
	fmt.Printf("after %v: %v\n", time.Since(start).Round(time.Millisecond), err)
	return nil
}

// stallChild plays 3 s of audio on a device that stops consuming samples after about 1.5 s of
// them: Play must fail within the audio's duration plus playMargin and suspendTimeout, and a
// second Play must fail at once.
func stallChild(ctx context.Context) error {
	sink, err := Open(ctx)
	if err != nil {
		return err
	}
	pcm := make([]byte, 3*media.SampleRate*media.BytesPerSample)
	for i := 0; i < len(pcm); i += 4 {
		pcm[i+1] = 0x10 // a square wave, so the samples are not silence
	}
	start := time.Now()
	err = sink.Play(ctx, pcm)
	fmt.Printf("first Play after %v: %v\n", time.Since(start).Round(time.Millisecond), err)
	if err == nil {
		return errors.New("Play on a stalled device succeeded")
	}
	start = time.Now()
	err = sink.Play(ctx, pcm)
	fmt.Printf("second Play after %v: %v\n", time.Since(start).Round(time.Millisecond), err)
	if err == nil {
		return errors.New("second Play on a stalled device succeeded")
	}
	return nil
}

// runChildProcess runs this test binary in mode with ALSA configured by config, and returns
// its standard output.
func runChildProcess(t *testing.T, mode, config string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	conf := filepath.Join(dir, "asound.conf")
	if err := os.WriteFile(conf, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, "ALSA_CONFIG_PATH="+conf)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 10 * time.Second // the device's pipe command inherits stdout and stderr
	err := cmd.Run()
	if stderr.Len() > 0 {
		t.Logf("child stderr:\n%s", stderr.String())
	}
	return stdout.String(), err
}

// TestPlayCaptured plays two announcements through oto into an ALSA plug that converts to
// 48 kHz mono S16 and a file PCM that pv paces in real time, and checks that the captured
// samples are the rendered ones, one announcement after the other.
func TestPlayCaptured(t *testing.T) {
	if _, err := exec.LookPath("pv"); err != nil {
		t.Skip("pv not installed (apt-get install -y pv)")
	}
	capture := filepath.Join(t.TempDir(), "captured.raw")
	config := fmt.Sprintf(`pcm.!default {
	type plug
	slave {
		pcm "capture"
		format S16_LE
		rate %d
		channels 1
	}
}
pcm.capture {
	type file
	slave.pcm { type null }
	format "raw"
	file "|exec pv -q -B 4096 -L %d > %s"
}
`, media.SampleRate, media.SampleRate*media.BytesPerSample, capture)
	out, err := runChildProcess(t, childPlay, config)
	t.Logf("child stdout:\n%s", out)
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	got := waitStable(t, capture)

	r, err := media.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	at := 0
	for _, a := range announcements() {
		call, err := media.ParseCall(a.code, a.counter)
		if err != nil {
			t.Fatal(err)
		}
		want, err := r.PCM(call, a.opts)
		if err != nil {
			t.Fatal(err)
		}
		i, err := findAfterSilence(got, at, want)
		if err != nil {
			t.Fatalf("%s: %v", a.code, err)
		}
		t.Logf("%s: %v of audio found at %v of the capture", a.code, media.Duration(want), media.Duration(got[:i]))
		at = i + len(want)
	}
	if rest := bytes.Trim(got[at:], "\x00"); len(rest) != 0 {
		t.Errorf("%d non-silent bytes after the last announcement", len(rest))
	}
}

// waitStable waits until the file at path exists and has stopped growing (pv writes the last
// samples after the child exits), and returns its content.
func waitStable(t *testing.T, path string) []byte {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	last := int64(-1)
	for stableSince := time.Now(); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		fi, err := os.Stat(path)
		if err != nil || fi.Size() != last || last == 0 {
			if err == nil {
				last = fi.Size()
			}
			stableSince = time.Now()
			continue
		}
		if time.Since(stableSince) >= 500*time.Millisecond {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			return data
		}
	}
	t.Fatalf("capture %s did not settle within 15 s (last size %d)", path, last)
	return nil
}

// findAfterSilence checks that got, from offset at, is silent up to a copy of want (whose own
// leading silence, if any, is part of the silence) and returns the offset of that copy.
func findAfterSilence(got []byte, at int, want []byte) (int, error) {
	lead := len(want) - len(bytes.TrimLeft(want, "\x00"))
	nz := len(got) - len(bytes.TrimLeft(got[at:], "\x00"))
	if nz == len(got) {
		return 0, errors.New("only silence left in the capture")
	}
	start := nz - lead
	start -= start % media.BytesPerSample
	if start < at {
		return 0, fmt.Errorf("sound at capture byte %d, before the announcement can start", nz)
	}
	end := min(len(got), start+len(want))
	if !bytes.Equal(got[start:end], want) {
		for i := start; i < end; i++ {
			if got[i] != want[i-start] {
				return 0, fmt.Errorf("capture differs from the render at byte %d of %d (capture has %d bytes from there)", i-start, len(want), len(got)-start)
			}
		}
		return 0, fmt.Errorf("capture ends %d bytes into the %d-byte render", end-start, len(want))
	}
	return start, nil
}

// TestPlayStalled plays on a device that stops consuming samples (a pipe whose reader stops
// reading): Play must not hang.
func TestPlayStalled(t *testing.T) {
	if _, err := exec.LookPath("pv"); err != nil {
		t.Skip("pv not installed (apt-get install -y pv)")
	}
	config := fmt.Sprintf(`pcm.!default {
	type plug
	slave {
		pcm "stall"
		format S16_LE
		rate %d
		channels 1
	}
}
pcm.stall {
	type file
	slave.pcm { type null }
	format "raw"
	file "|exec sh -c 'pv -q -L %d -S -s 150000 >/dev/null; sleep 6'"
}
`, media.SampleRate, media.SampleRate*media.BytesPerSample)
	start := time.Now()
	out, err := runChildProcess(t, childStall, config)
	t.Logf("child stdout:\n%s", out)
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	if elapsed, bound := time.Since(start), settle+3*time.Second+playMargin+suspendTimeout+2*time.Second; elapsed > bound {
		t.Errorf("stalled playback took %v, want under %v", elapsed, bound)
	}
	if !strings.Contains(out, "still playing") || !strings.Contains(out, "stuck") {
		t.Errorf("errors do not say the device stalled:\n%s", out)
	}
}

// TestOpenNoDevice opens a device that does not exist: Open must say so within a bounded time
// instead of hanging.
func TestOpenNoDevice(t *testing.T) {
	start := time.Now()
	out, err := runChildProcess(t, childNoDevice, "pcm.!default {\n\ttype hw\n\tcard 99\n}\n")
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	if elapsed := time.Since(start); elapsed > readyTimeout+settle+5*time.Second {
		t.Errorf("no-device report took %v", elapsed)
	}
	if !strings.Contains(out, "no sound device") {
		t.Errorf("Open error %q does not say there is no sound device", out)
	}
	t.Logf("child: %s", out)
}
