package printers_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"antre/printers"
	"antre/printers/printertest"
)

func TestParseAddr(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want printers.Addr
	}{
		{"usb:/dev/usb/lp0", printers.Addr{Scheme: "usb", Target: "/dev/usb/lp0"}},
		{"tcp:192.168.1.50:9100", printers.Addr{Scheme: "tcp", Target: "192.168.1.50:9100"}},
		{"tcp:printer-loket.local", printers.Addr{Scheme: "tcp", Target: "printer-loket.local:9100"}},
		{"tcp:[fe80::1]:9101", printers.Addr{Scheme: "tcp", Target: "[fe80::1]:9101"}},
		{"tcp:[fe80::1]", printers.Addr{Scheme: "tcp", Target: "[fe80::1]:9100"}},
		{"file:/tmp/ticket.bin", printers.Addr{Scheme: "file", Target: "/tmp/ticket.bin"}},
		{"file:tickets/out.bin", printers.Addr{Scheme: "file", Target: "tickets/out.bin"}},
	} {
		got, err := printers.ParseAddr(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseAddr(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "/dev/usb/lp0", "usb:", "lpt:1", "tcp:", "tcp:host:", "tcp:host:99999",
		"tcp:host:ipp", "tcp::9100", "tcp:fe80::1"} {
		if a, err := printers.ParseAddr(bad); err == nil {
			t.Errorf("ParseAddr(%q) = %+v, want an error", bad, a)
		}
	}
}

func open(t *testing.T, d printers.Dialer, addr string) printers.Printer {
	t.Helper()
	p, err := d.Open(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func TestTCPPrint(t *testing.T) {
	tp := printertest.New(t)
	pr := open(t, printers.Dialer{}, tp.Addr())
	ctx := context.Background()
	st, err := pr.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Err() != nil || !st.Known || !st.Online {
		t.Fatalf("ready printer reports %v", st)
	}
	l := sampleLayout(t)
	for range 2 {
		if err := printers.Print(ctx, pr, l, printers.Profile58()); err != nil {
			t.Fatal(err)
		}
	}
	jobs := tp.WaitJobs(2)
	want := encode(t, l, printers.Profile58())
	for i, j := range jobs {
		if !bytes.Equal(j.Data, want) {
			t.Errorf("job %d: the printer got %d bytes, other than the %d sent", i, len(j.Data), len(want))
		}
	}
	if tp.Queries() != 3 {
		t.Errorf("status took %d queries, want DLE EOT 1, 2 and 4", tp.Queries())
	}
}

// TestTCPStatus checks each state of the printer comes through the link as the kiosk needs it.
func TestTCPStatus(t *testing.T) {
	tp := printertest.New(t)
	pr := open(t, printers.Dialer{}, tp.Addr())
	for _, tc := range []struct {
		state   printertest.State
		problem printers.Problem // 0: can print
		near    bool
	}{
		{printertest.State{}, 0, false},
		{printertest.State{PaperNearEnd: true}, 0, true},
		{printertest.State{PaperOut: true, PaperNearEnd: true}, printers.PaperOut, true},
		{printertest.State{CoverOpen: true}, printers.CoverOpen, false},
		{printertest.State{Offline: true}, printers.Offline, false},
		{printertest.State{}, 0, false},
	} {
		tp.SetState(tc.state)
		st, err := pr.Status(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var fe *printers.FaultError
		switch err := st.Err(); {
		case tc.problem == 0 && err != nil:
			t.Errorf("%+v: %v", tc.state, err)
		case tc.problem != 0 && (!errors.As(err, &fe) || !fe.Has(tc.problem)):
			t.Errorf("%+v: Err() = %v, want %v", tc.state, err, tc.problem)
		}
		if st.PaperNearEnd != tc.near {
			t.Errorf("%+v: paper near end %v", tc.state, st.PaperNearEnd)
		}
	}
}

// TestTCPStatusTimeout checks a printer that does not answer makes Status fail within the
// read timeout instead of hanging the kiosk.
func TestTCPStatusTimeout(t *testing.T) {
	tp := printertest.New(t)
	tp.SetSilent(true)
	pr := open(t, printers.Dialer{ReadTimeout: 100 * time.Millisecond}, tp.Addr())
	start := time.Now()
	_, err := pr.Status(context.Background())
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("silent printer: %v, want a time-out", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Status took %v with a 100ms read timeout", d)
	}
	tp.SetSilent(false)
	if _, err := pr.Status(context.Background()); err != nil {
		t.Errorf("after the printer answers again: %v", err)
	}
}

// TestTCPLateReplyDiscarded checks that a reply arriving after its query timed out is not
// taken as the answer to the next query.
func TestTCPLateReplyDiscarded(t *testing.T) {
	tp := printertest.New(t)
	tp.SetState(printertest.State{CoverOpen: true, PaperOut: true})
	tp.SetReplyDelay(300 * time.Millisecond)
	pr := open(t, printers.Dialer{ReadTimeout: 100 * time.Millisecond}, tp.Addr())
	if _, err := pr.Status(context.Background()); err == nil {
		t.Fatal("a reply 300ms late was taken within a 100ms timeout")
	}
	tp.SetReplyDelay(0)
	time.Sleep(400 * time.Millisecond) // the late reply arrives
	st, err := pr.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := printers.Status{Known: true, CoverOpen: true, PaperOut: true}
	if st != want {
		t.Errorf("status %+v, want %+v", st, want)
	}
}

func TestStatusFollowsContext(t *testing.T) {
	tp := printertest.New(t)
	tp.SetSilent(true)
	pr := open(t, printers.Dialer{ReadTimeout: time.Minute}, tp.Addr())

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := pr.Status(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("status past the context's deadline: %v", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	if _, err := pr.Status(ctx); !errors.Is(err, context.Canceled) || time.Since(start) > 5*time.Second {
		t.Errorf("status with a cancelled context: %v after %v", err, time.Since(start))
	}
}

// TestTCPWriteTimeout checks a printer that stops taking data makes the write fail after the
// write timeout.
func TestTCPWriteTimeout(t *testing.T) {
	tp := printertest.New(t)
	tp.SetStalled(true)
	pr := open(t, printers.Dialer{WriteTimeout: 200 * time.Millisecond}, tp.Addr())
	start := time.Now()
	_, err := pr.Write(bytes.Repeat([]byte(" "), 64<<20)) // more than the network buffers hold
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("write to a stalled printer: %v, want a time-out", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("write took %v with a 200ms timeout", d)
	}
}

func TestTCPConnect(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	if _, err := printers.Open(context.Background(), "tcp:"+addr); err == nil {
		t.Error("opened a port nobody listens on")
	}
	// An address that does not answer: the dial fails, at once where the network is
	// unreachable and after the connect timeout where packets are dropped.
	start := time.Now()
	_, err = printers.Dialer{ConnectTimeout: 200 * time.Millisecond}.Open(context.Background(), "tcp:192.0.2.1:9100")
	if err == nil || time.Since(start) > 2*time.Second {
		t.Errorf("dial to an address that does not answer: %v after %v", err, time.Since(start))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := printers.Open(ctx, "tcp:192.0.2.1:9100"); !errors.Is(err, context.Canceled) {
		t.Errorf("dial with a cancelled context: %v", err)
	}
}

func TestFilePrinter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ticket.bin")
	if err := os.WriteFile(path, []byte("old ticket"), 0o644); err != nil {
		t.Fatal(err)
	}
	pr := open(t, printers.Dialer{}, "file:"+path)
	st, err := pr.Status(context.Background())
	if err != nil || st.Known || st.Err() != nil {
		t.Errorf("file status: %+v, %v; want unknown, no fault", st, err)
	}
	l := sampleLayout(t)
	if err := printers.Print(context.Background(), pr, l, printers.Profile80()); err != nil {
		t.Fatal(err)
	}
	if err := pr.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, encode(t, l, printers.Profile80())) {
		t.Errorf("file holds %d bytes, not the job", len(got))
	}
}

func TestUSBRefusesPlainFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lp0")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := printers.Open(context.Background(), "usb:"+path)
	if err == nil || !strings.Contains(err.Error(), "file:") {
		t.Errorf("usb: on a plain file: %v, want advice to use file:", err)
	}
	if _, err := printers.Open(context.Background(), "usb:/dev/usb/lp-missing"); err == nil {
		t.Error("opened a missing device")
	}
}
