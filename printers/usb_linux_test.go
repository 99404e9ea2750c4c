package printers_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"antre/printers"
)

// fakeUSBPrinter stands in for a USB printer's device file with a pseudo-terminal in raw
// mode: the printers package opens the terminal's device path with usb: as it would
// /dev/usb/lp0, and the test plays the printer on the other side.
type fakeUSBPrinter struct {
	path     string
	received chan []byte
}

func newFakeUSBPrinter(t *testing.T, reply func(n byte) (byte, bool)) *fakeUSBPrinter {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Fatalf("pseudo-terminal for the USB test: %v", err)
	}
	t.Cleanup(func() { ptmx.Close() })
	var n uint32
	var unlock int32
	var tio syscall.Termios
	ioctl := func(req uintptr, arg unsafe.Pointer) {
		rc, err := ptmx.SyscallConn()
		if err != nil {
			t.Fatal(err)
		}
		var errno syscall.Errno
		rc.Control(func(fd uintptr) {
			_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, req, uintptr(arg))
		})
		if errno != 0 {
			t.Fatalf("ioctl %#x: %v", req, errno)
		}
	}
	ioctl(syscall.TIOCSPTLCK, unsafe.Pointer(&unlock))
	ioctl(syscall.TIOCGPTN, unsafe.Pointer(&n))
	// Raw mode, as cfmakeraw: no echo, no line editing, no newline translation.
	ioctl(syscall.TCGETS, unsafe.Pointer(&tio))
	tio.Iflag &^= syscall.IGNBRK | syscall.BRKINT | syscall.PARMRK | syscall.ISTRIP | syscall.INLCR |
		syscall.IGNCR | syscall.ICRNL | syscall.IXON
	tio.Oflag &^= syscall.OPOST
	tio.Lflag &^= syscall.ECHO | syscall.ECHONL | syscall.ICANON | syscall.ISIG | syscall.IEXTEN
	tio.Cflag = tio.Cflag&^(syscall.CSIZE|syscall.PARENB) | syscall.CS8
	tio.Cc[syscall.VMIN], tio.Cc[syscall.VTIME] = 1, 0
	ioctl(syscall.TCSETS, unsafe.Pointer(&tio))

	f := &fakeUSBPrinter{path: fmt.Sprintf("/dev/pts/%d", n), received: make(chan []byte, 64)}
	go func() {
		buf := make([]byte, 4096)
		for {
			k, err := ptmx.Read(buf)
			if err != nil {
				close(f.received)
				return
			}
			chunk := bytes.Clone(buf[:k])
			for i := 0; i+2 < len(chunk); i++ {
				if chunk[i] == 0x10 && chunk[i+1] == 0x04 {
					if b, ok := reply(chunk[i+2]); ok {
						ptmx.Write([]byte{b})
					}
				}
			}
			f.received <- chunk
		}
	}()
	return f
}

func TestUSBStatusAndPrint(t *testing.T) {
	fake := newFakeUSBPrinter(t, func(n byte) (byte, bool) {
		if n == 4 {
			return 0x1e, true // paper near end
		}
		return 0x12, true
	})
	pr := open(t, printers.Dialer{}, "usb:"+fake.path)
	st, err := pr.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := (printers.Status{Known: true, Online: true, PaperNearEnd: true}); st != want {
		t.Errorf("status %+v, want %+v", st, want)
	}
	if _, err := pr.Write([]byte("\x1b@tes\n")); err != nil {
		t.Fatal(err)
	}
	var got []byte
	timeout := time.After(5 * time.Second)
	for !bytes.HasSuffix(got, []byte("\x1b@tes\n")) {
		select {
		case b := <-fake.received:
			got = append(got, b...)
		case <-timeout:
			t.Fatalf("the device got % x", got)
		}
	}
	if want := "\x10\x04\x01\x10\x04\x02\x10\x04\x04\x1b@tes\n"; string(got) != want {
		t.Errorf("the device got %q, want %q", got, want)
	}
}

func TestUSBStatusTimeout(t *testing.T) {
	fake := newFakeUSBPrinter(t, func(byte) (byte, bool) { return 0, false })
	pr := open(t, printers.Dialer{ReadTimeout: 100 * time.Millisecond}, "usb:"+fake.path)
	start := time.Now()
	if _, err := pr.Status(context.Background()); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("silent device: %v, want a time-out", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Status took %v with a 100ms read timeout", d)
	}
}
