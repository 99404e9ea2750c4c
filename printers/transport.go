package printers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Printer is an open link to a receipt printer. Write sends job bytes; Status asks a two-way
// link (USB, TCP) for the printer's real-time status and returns a Status that is not Known
// on a one-way link (a file). A Printer is safe for use by several goroutines; a write and a
// status exchange never interleave. A write that fails may have sent part of a job, which the
// printer may still be waiting to complete: close the Printer, check Status on a new one and
// print the whole ticket again.
type Printer interface {
	io.Writer
	Status(ctx context.Context) (Status, error)
	Close() error
}

// Default time limits of a Dialer.
const (
	DefaultConnectTimeout = 5 * time.Second
	DefaultWriteTimeout   = 10 * time.Second
	DefaultReadTimeout    = 2 * time.Second
)

// DefaultTCPPort is the raw printing port (JetDirect, "port 9100"), used when a tcp address
// has no port.
const DefaultTCPPort = "9100"

// Dialer opens printers with time limits. A zero field takes its Default value.
type Dialer struct {
	// ConnectTimeout bounds establishing a TCP connection.
	ConnectTimeout time.Duration
	// WriteTimeout bounds each write; a printer that stops taking data (paper out, buffer
	// full) makes the write fail after it.
	WriteTimeout time.Duration
	// ReadTimeout bounds the wait for each status reply.
	ReadTimeout time.Duration
}

// Open opens the printer at addr with the default time limits; see Dialer.Open.
func Open(ctx context.Context, addr string) (Printer, error) { return Dialer{}.Open(ctx, addr) }

// Open opens the printer at addr (see ParseAddr): a USB printer device, opened for reading and
// writing so status replies can be read; a raw TCP connection; or a file, created or
// truncated, that receives the job bytes.
func (d Dialer) Open(ctx context.Context, addr string) (Printer, error) {
	a, err := ParseAddr(addr)
	if err != nil {
		return nil, err
	}
	var conn deadlineConn
	switch a.Scheme {
	case "file":
		f, err := os.OpenFile(a.Target, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			return nil, fmt.Errorf("printers: %w", err)
		}
		return fileLink{f}, nil
	case "usb":
		f, err := os.OpenFile(a.Target, os.O_RDWR, 0)
		if err != nil {
			return nil, fmt.Errorf("printers: %w", err)
		}
		// Deadlines work on devices that support poll, as the Linux printer class driver
		// does; without them a silent printer would hang the kiosk.
		if err := f.SetDeadline(time.Time{}); err != nil {
			f.Close()
			return nil, fmt.Errorf("printers: %s is not a printer device that can time out (%w); use file: to print to a file", a.Target, err)
		}
		conn = f
	case "tcp":
		nd := net.Dialer{Timeout: orDefault(d.ConnectTimeout, DefaultConnectTimeout)}
		c, err := nd.DialContext(ctx, "tcp", a.Target)
		if err != nil {
			return nil, fmt.Errorf("printers: %w", err)
		}
		conn = c
	}
	return &link{
		addr:         a,
		conn:         conn,
		writeTimeout: orDefault(d.WriteTimeout, DefaultWriteTimeout),
		readTimeout:  orDefault(d.ReadTimeout, DefaultReadTimeout),
	}, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Addr is a parsed printer address.
type Addr struct {
	// Scheme is "usb", "tcp" or "file".
	Scheme string
	// Target is the device path for usb, HOST:PORT for tcp and the path for file.
	Target string
}

// ParseAddr parses a printer address: "usb:/dev/usb/lp0" (a printer device file),
// "tcp:HOST:PORT" (raw printing; the port defaults to 9100, IPv6 hosts go in brackets) or
// "file:PATH".
func ParseAddr(s string) (Addr, error) {
	scheme, target, ok := strings.Cut(s, ":")
	if !ok || target == "" {
		return Addr{}, fmt.Errorf("printers: address %q: want usb:DEVICE, tcp:HOST:PORT or file:PATH", s)
	}
	switch scheme {
	case "usb", "file":
		return Addr{Scheme: scheme, Target: target}, nil
	case "tcp":
		host, port, err := net.SplitHostPort(target)
		if err != nil {
			host, port = strings.Trim(target, "[]"), DefaultTCPPort
			if strings.Contains(host, ":") && !strings.HasPrefix(target, "[") {
				return Addr{}, fmt.Errorf("printers: address %q: put an IPv6 host in brackets", s)
			}
		}
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 || host == "" {
			return Addr{}, fmt.Errorf("printers: address %q: want tcp:HOST:PORT", s)
		}
		return Addr{Scheme: scheme, Target: net.JoinHostPort(host, port)}, nil
	}
	return Addr{}, fmt.Errorf("printers: address %q: unknown scheme %q (want usb, tcp or file)", s, scheme)
}

// String returns the address in the form ParseAddr reads.
func (a Addr) String() string { return a.Scheme + ":" + a.Target }

// deadlineConn is a two-way link whose reads and writes can time out: a net.Conn or a device
// *os.File.
type deadlineConn interface {
	io.ReadWriteCloser
	SetReadDeadline(time.Time) error
	SetWriteDeadline(time.Time) error
}

// link is a Printer on a two-way connection.
type link struct {
	addr                      Addr
	conn                      deadlineConn
	writeTimeout, readTimeout time.Duration

	mu sync.Mutex // one write or status exchange at a time
	// stale is set when a status reply may still be on its way after a time-out; the next
	// exchange first discards it so replies stay paired with queries.
	stale bool
}

func (l *link) Write(b []byte) (int, error) { return l.writeContext(context.Background(), b) }

func (l *link) writeContext(ctx context.Context, b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	stop := l.limit(ctx, l.conn.SetWriteDeadline, l.writeTimeout)
	defer stop()
	n, err := l.conn.Write(b)
	return n, l.ioError(ctx, "write", err)
}

// Status sends DLE EOT 1, 2 and 4 one after the other, reads each one-byte reply within the
// read timeout, and decodes them with DecodeStatus.
func (l *link) Status(ctx context.Context) (Status, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stale {
		l.discard()
	}
	var reply [3]byte
	for i, n := range []byte{1, 2, 4} {
		b, err := l.query(ctx, n)
		if err != nil {
			l.stale = true
			return Status{}, err
		}
		reply[i] = b
	}
	st, err := DecodeStatus(reply[0], reply[1], reply[2])
	if err != nil {
		l.stale = true
		return Status{}, fmt.Errorf("%w (from %s)", err, l.addr)
	}
	return st, nil
}

// query sends DLE EOT n and reads the printer's one-byte answer.
func (l *link) query(ctx context.Context, n byte) (byte, error) {
	stopW := l.limit(ctx, l.conn.SetWriteDeadline, l.readTimeout)
	_, err := l.conn.Write(StatusQuery(n))
	stopW()
	if err != nil {
		return 0, l.ioError(ctx, "status query", err)
	}
	stopR := l.limit(ctx, l.conn.SetReadDeadline, l.readTimeout)
	defer stopR()
	var b [1]byte
	if _, err := io.ReadFull(l.conn, b[:]); err != nil {
		return 0, l.ioError(ctx, fmt.Sprintf("status reply to DLE EOT %d", n), err)
	}
	return b[0], nil
}

// discard reads and drops whatever the printer sent after an earlier exchange timed out.
func (l *link) discard() {
	var buf [64]byte
	for {
		l.conn.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		if _, err := l.conn.Read(buf[:]); err != nil {
			break
		}
	}
	l.stale = false
}

// limit sets a deadline timeout from now, or ctx's deadline when that is sooner, and makes it
// expire at once if ctx ends first. The returned function releases the context.
func (l *link) limit(ctx context.Context, set func(time.Time) error, timeout time.Duration) func() {
	deadline := time.Now().Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	set(deadline)
	expired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		set(time.Unix(1, 0))
		close(expired)
	})
	return func() {
		if !stop() {
			<-expired // the expiry is under way: let it finish before the next deadline is set
		}
	}
}

// ioError describes a failed operation, reporting the context's error when it ended the
// operation and a time-out as such.
func (l *link) ioError(ctx context.Context, op string, err error) error {
	deadline, ok := ctx.Deadline()
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return fmt.Errorf("printers: %s %s: %w", op, l.addr, ctx.Err())
	case ok && !time.Now().Before(deadline): // the link's deadline was the context's
		return fmt.Errorf("printers: %s %s: %w", op, l.addr, context.DeadlineExceeded)
	case errors.Is(err, os.ErrDeadlineExceeded):
		return fmt.Errorf("printers: %s %s: printer did not respond in time: %w", op, l.addr, err)
	}
	return fmt.Errorf("printers: %s %s: %w", op, l.addr, err)
}

func (l *link) Close() error { return l.conn.Close() }

// fileLink is a Printer that writes jobs to a file; it cannot read status.
type fileLink struct{ f *os.File }

func (f fileLink) Write(b []byte) (int, error) { return f.f.Write(b) }

// Status of a file is not Known, which never stops printing.
func (fileLink) Status(context.Context) (Status, error) { return Status{}, nil }

func (f fileLink) Close() error { return f.f.Close() }
