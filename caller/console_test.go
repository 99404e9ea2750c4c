package caller_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"antre"
	"antre/caller"
	"antre/client"
	"antre/server/servertest"
)

func TestKeyOf(t *testing.T) {
	for _, tc := range []struct {
		key  byte
		want caller.Key
		ok   bool
	}{
		{'0', caller.KeyNext, true}, {'\r', caller.KeyNext, true}, {'\n', caller.KeyNext, true},
		{'1', caller.KeyRecall, true}, {'2', caller.KeyNoShow, true}, {'3', caller.KeyFinish, true}, {'4', caller.KeyStart, true},
		{'5', caller.KeyStatus, true}, {'.', caller.KeyStatus, true}, {'9', caller.KeyHelp, true}, {'?', caller.KeyHelp, true},
		{'q', caller.KeyQuit, true}, {0x03, caller.KeyQuit, true}, {0x04, caller.KeyQuit, true},
		{'6', "", false}, {'x', "", false}, {' ', "", false}, {0x1b, "", false},
	} {
		if got, ok := caller.KeyOf(tc.key); got != tc.want || ok != tc.ok {
			t.Errorf("KeyOf(%q) = %q, %v; want %q, %v", tc.key, got, ok, tc.want, tc.ok)
		}
	}
}

// screen is the console's output, safe to read while the console writes.
type screen struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// keypad types on a running console and reads what it prints.
type keypad struct {
	t   *testing.T
	w   io.Writer
	out *screen
	at  int // how much of the output has been read
}

// press types keys and waits for a new line containing want.
func (k *keypad) press(keys, want string) {
	k.t.Helper()
	if _, err := io.WriteString(k.w, keys); err != nil {
		k.t.Fatal(err)
	}
	k.expect(want)
}

// expect waits for output after what was read so far that contains want.
func (k *keypad) expect(want string) {
	k.t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		s := k.out.String()
		if i := strings.Index(s[k.at:], want); i >= 0 {
			k.at += i + len(want)
			return
		}
		if time.Now().After(deadline) {
			k.t.Fatalf("console did not print %q; it printed:\n%s", want, s[k.at:])
		}
	}
}

// TestConsole runs the keypad console against a hub, typing into a pipe as the keypad would.
func TestConsole(t *testing.T) {
	// the afternoon, so that the night the session expires in ends the business day
	wib, _ := time.LoadLocation("Asia/Jakarta")
	h := servertest.Start(t, servertest.Settings{Start: time.Date(2026, 11, 25, 15, 0, 0, 0, wib)})
	for _, g := range []string{"A", "A", "B", "C", "C"} {
		h.Issue(g)
	}
	hubc, err := client.New(h.URL, client.Options{Lang: "id"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hubc.Login(t.Context(), "petugas", "salah"); err == nil || hubc.Message(err) != antre.T("id", antre.MsgLoginFailed) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := hubc.Login(t.Context(), "petugas", "rahasia1"); err != nil {
		t.Fatal(err)
	}
	out := &screen{}
	con := &caller.Console{Client: hubc, Counter: 3, Out: out}
	if err := con.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	r, w := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- con.Run(context.Background(), r) }()
	k := &keypad{t: t, w: w, out: out}
	k.expect("Loket 3: kosong · menunggu: A 2, B 1, C 2, D 0, E 0, F 0")

	k.press("0", "▶ A001  Paspor baru 24 dan 48 halaman  → Loket 3")
	k.press("1", "↻ A001 dipanggil ulang (1×)")
	k.press("4", "● mulai melayani A001")
	k.press("5", "Loket 3: A001 (dilayani sejak")
	k.press("3", "✔ A001 selesai")
	k.press("\r", "▶ A002")
	k.press("2", "✖ A002 tidak hadir")
	k.press("3", "! "+antre.T("id", antre.MsgTicketNotFound))
	if tk, _ := h.DB().Ticket(t.Context(), "A001"); tk.Status != antre.StatusDone {
		t.Errorf("A001 is %s", tk.Status)
	}

	// An Insert key (ESC [ 2 ~) is not a "2"; a held Enter calls one ticket, not three.
	k.press("\x1b[2~\r\r\r", "▶ B001")
	time.Sleep(300 * time.Millisecond)
	if tk, _ := h.DB().Ticket(t.Context(), "C001"); tk.Status != antre.StatusWaiting {
		t.Errorf("a held Enter called C001 too (%s)", tk.Status)
	}
	if tk, _ := h.DB().Ticket(t.Context(), "B001"); tk.Status != antre.StatusCalled {
		t.Errorf("the Insert key acted on B001 (%s)", tk.Status)
	}

	// The session expires overnight: the console logs in again by itself, on a new day.
	h.Clock.Advance(13 * time.Hour)
	k.press("5", "Loket 3: kosong")
	k.press("q", "Sampai jumpa.")
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	w.Close()
}
