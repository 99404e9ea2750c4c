// Package printertest runs a fake network receipt printer for tests of code that prints.
//
// New starts a printer listening on 127.0.0.1 that speaks raw TCP printing like a port 9100
// printer: it keeps every byte it is sent, splits the stream into jobs at each cut, and
// answers the real-time status queries DLE EOT 1, 2 and 4 from a state the test changes while
// it runs:
//
//	p := printertest.New(t)
//	kiosk := startKiosk(p.Addr())   // "tcp:127.0.0.1:PORT"
//	p.SetPaperOut(true)             // the next status query reports paper out
//	...
//	p.SetPaperOut(false)
//	jobs := p.WaitJobs(2)           // fails the test if two jobs have not arrived in time
//
// Parse, Images and Text read ESC/POS streams back, for assertions on what was printed.
package printertest

import (
	"fmt"
	"net"
	"slices"
	"sync"
	"testing"
	"time"
)

// WaitTimeout is how long WaitBytes and WaitJobs wait before failing the test.
const WaitTimeout = 10 * time.Second

// State is what the printer reports about itself. The zero State is a ready printer with
// paper; a printer with its cover open or out of paper also reports itself offline, as real
// printers do.
type State struct {
	Offline, CoverOpen, PaperNearEnd, PaperOut bool
}

// Job is one print job: the bytes from the first byte after the previous cut (or the start)
// up to and including the next cut, without the status queries that came in between.
type Job struct {
	Data []byte
	// State is the printer's state when the job's first byte arrived. A job that arrived
	// while the printer could not print would have been held by a real printer and printed,
	// perhaps a second time, once the paper was loaded.
	State State
}

// Printer is a fake receipt printer on a TCP port. Its methods are safe to call from any
// goroutine, except that WaitBytes and WaitJobs fail the test and so belong on the test's
// goroutine. It stops when the test ends.
type Printer struct {
	t  testing.TB
	ln net.Listener
	wg sync.WaitGroup

	mu      sync.Mutex
	state   State
	silent  bool          // status queries are not answered
	delay   time.Duration // status replies are sent this late
	stalled bool          // connections are not read
	drop    bool          // a connection is reset as soon as print data arrives on it
	closed  bool
	data    []byte
	jobs    []Job
	dropped []Job // jobs cut off by a reset, with the bytes that arrived
	queries int
	conns   map[net.Conn]bool
	changed chan struct{} // closed and replaced whenever anything above changes
	done    chan struct{} // closed when the printer stops
}

// New starts a ready printer on 127.0.0.1 at a free port; it is stopped, and its connections
// closed, when the test ends.
func New(t testing.TB) *Printer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("printertest: %v", err)
	}
	p := &Printer{t: t, ln: ln, conns: map[net.Conn]bool{},
		changed: make(chan struct{}), done: make(chan struct{})}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.close)
	return p
}

// Addr is the printer's address in the form printers.Open takes: "tcp:127.0.0.1:PORT".
func (p *Printer) Addr() string { return "tcp:" + p.ln.Addr().String() }

// HostPort is the printer's TCP address, "127.0.0.1:PORT".
func (p *Printer) HostPort() string { return p.ln.Addr().String() }

// SetOnline takes the printer offline (false) or back online (true), as its feed button or an
// error would.
func (p *Printer) SetOnline(on bool) { p.update(func() { p.state.Offline = !on }) }

// SetCoverOpen opens or closes the roll cover.
func (p *Printer) SetCoverOpen(open bool) { p.update(func() { p.state.CoverOpen = open }) }

// SetPaperNearEnd sets or clears the paper-near-end sensor.
func (p *Printer) SetPaperNearEnd(near bool) { p.update(func() { p.state.PaperNearEnd = near }) }

// SetPaperOut runs the paper out (true) or loads a new roll (false).
func (p *Printer) SetPaperOut(out bool) { p.update(func() { p.state.PaperOut = out }) }

// SetState sets the whole state at once.
func (p *Printer) SetState(s State) { p.update(func() { p.state = s }) }

// SetSilent stops (true) or resumes answering status queries, like a printer that has hung
// or a link that carries data one way only; print data is still taken.
func (p *Printer) SetSilent(silent bool) { p.update(func() { p.silent = silent }) }

// SetReplyDelay makes the printer answer status queries only after d, like a busy printer or
// a slow network; zero answers at once.
func (p *Printer) SetReplyDelay(d time.Duration) { p.update(func() { p.delay = d }) }

// SetStalled stops (true) or resumes reading from the network, like a printer whose receive
// buffer is full: writes to it block once the network buffers fill, and status queries go
// unanswered.
func (p *Printer) SetStalled(stalled bool) { p.update(func() { p.stalled = stalled }) }

// SetDropJobs makes the printer reset (true) each connection as soon as print data arrives on
// it, after keeping what came up to the job's cut, while still answering status queries as
// ready: a printer or a link that fails in the middle of every ticket. No job completes while
// it is on; each cut-off job is listed by Dropped.
func (p *Printer) SetDropJobs(drop bool) { p.update(func() { p.drop = drop }) }

// State returns the printer's state.
func (p *Printer) State() State {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state
}

// Queries is how many status queries (DLE EOT) the printer has received.
func (p *Printer) Queries() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.queries
}

// Bytes returns every byte received so far, in order, without the status queries.
func (p *Printer) Bytes() []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.data)
}

// Jobs returns the jobs completed (cut) so far, in order.
func (p *Printer) Jobs() []Job {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.jobs)
}

// Dropped returns the jobs cut off by SetDropJobs so far, in order: each holds the part of a
// job that arrived before the connection was reset.
func (p *Printer) Dropped() []Job {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.dropped)
}

// WaitBytes waits until at least n bytes have been received and returns them all; it fails
// the test after WaitTimeout.
func (p *Printer) WaitBytes(n int) []byte {
	p.t.Helper()
	return waitFor(p, fmt.Sprintf("%d bytes", n), func() ([]byte, bool) {
		return slices.Clone(p.data), len(p.data) >= n
	})
}

// WaitJobs waits until at least n jobs have been completed by a cut and returns them all; it
// fails the test after WaitTimeout.
func (p *Printer) WaitJobs(n int) []Job {
	p.t.Helper()
	return waitFor(p, fmt.Sprintf("%d jobs", n), func() ([]Job, bool) {
		return slices.Clone(p.jobs), len(p.jobs) >= n
	})
}

// waitFor calls check, under the lock, whenever the printer changes, until it reports done.
func waitFor[T any](p *Printer, what string, check func() (T, bool)) T {
	p.t.Helper()
	timeout := time.NewTimer(WaitTimeout)
	defer timeout.Stop()
	for {
		p.mu.Lock()
		v, done := check()
		changed, got, jobs := p.changed, len(p.data), len(p.jobs)
		p.mu.Unlock()
		if done {
			return v
		}
		select {
		case <-changed:
		case <-timeout.C:
			p.t.Fatalf("printertest: waited %v for %s; got %d bytes in %d jobs", WaitTimeout, what, got, jobs)
		}
	}
}

// update changes the printer under its lock and wakes whoever waits for a change.
func (p *Printer) update(change func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	change()
	close(p.changed)
	p.changed = make(chan struct{})
}

func (p *Printer) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			c.Close()
			return
		}
		p.conns[c] = true
		p.wg.Add(1)
		p.mu.Unlock()
		go p.serve(c)
	}
}

func (p *Printer) close() {
	p.ln.Close()
	close(p.done)
	p.update(func() {
		p.closed = true
		for c := range p.conns {
			c.Close()
		}
	})
	p.wg.Wait()
}

// serve reads one connection: print data goes to the current job, status queries are
// answered on the connection.
func (p *Printer) serve(c net.Conn) {
	defer p.wg.Done()
	defer func() {
		p.mu.Lock()
		delete(p.conns, c)
		p.mu.Unlock()
		c.Close()
	}()
	var (
		pending []byte
		job     *Job // the job being received on this connection
		buf     = make([]byte, 32<<10)
	)
	for p.awaitReading() {
		n, err := c.Read(buf)
		if !p.awaitReading() { // a read under way when the stall began is held too
			return
		}
		pending = append(pending, buf[:n]...)
		var (
			replies []byte
			delay   time.Duration
			drop    bool
		)
		pending, replies, delay, drop = p.consume(pending, &job)
		if drop {
			if tc, ok := c.(*net.TCPConn); ok {
				tc.SetLinger(0) // close with a reset, as a printer that fails does
			}
			return
		}
		if len(replies) > 0 {
			select {
			case <-time.After(delay):
			case <-p.done:
				return
			}
			if _, err := c.Write(replies); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// awaitReading blocks while the printer is stalled; it returns false once it is closed.
func (p *Printer) awaitReading() bool {
	for {
		p.mu.Lock()
		stalled, closed, changed := p.stalled, p.closed, p.changed
		p.mu.Unlock()
		if closed {
			return false
		}
		if !stalled {
			return true
		}
		<-changed
	}
}

// consume takes the complete commands at the start of pending: it records print data and
// collects the replies to status queries and the delay to send them after. It returns the
// bytes of an incomplete last command, to be completed by the next read, and whether the
// connection is to be dropped because print data arrived while SetDropJobs is on.
func (p *Printer) consume(pending []byte, job **Job) (rest, replies []byte, delay time.Duration, drop bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	off := 0
	for off < len(pending) {
		c, err := next(pending[off:])
		if err != nil {
			p.t.Errorf("printertest: byte %d of the stream: %v", len(p.data), err)
			c = Command{Name: "unknown", Raw: pending[off : off+1]}
		}
		if c.Raw == nil {
			break
		}
		off += len(c.Raw)
		if c.Name == "DLE EOT" {
			p.queries++
			if !p.silent {
				replies = append(replies, p.reply(c.Params[0]))
			}
			continue
		}
		if p.drop && c.IsCut() {
			break // the link fails before the job is cut: it never completes
		}
		if *job == nil {
			*job = &Job{State: p.state}
		}
		(*job).Data = append((*job).Data, c.Raw...)
		p.data = append(p.data, c.Raw...)
		if c.IsCut() {
			p.jobs = append(p.jobs, **job)
			*job = nil
		}
	}
	if p.drop && *job != nil {
		p.dropped = append(p.dropped, **job)
		*job, drop = nil, true
	}
	if off > 0 {
		close(p.changed)
		p.changed = make(chan struct{})
	}
	return append(pending[:0], pending[off:]...), replies, p.delay, drop
}

// reply is the printer's answer to DLE EOT n: 0x12 when all is clear, with the bits of the
// ESC/POS reference set for what is wrong.
func (p *Printer) reply(n byte) byte {
	s := p.state
	b := byte(0x12)
	switch n {
	case 1: // printer status: bit 3 offline
		if s.Offline || s.CoverOpen || s.PaperOut {
			b |= 0x08
		}
	case 2: // offline cause: bit 2 cover open, bit 5 stopped at paper end
		if s.CoverOpen {
			b |= 0x04
		}
		if s.PaperOut {
			b |= 0x20
		}
	case 4: // paper roll sensor: bits 2–3 near end, bits 5–6 out
		if s.PaperNearEnd {
			b |= 0x0c
		}
		if s.PaperOut {
			b |= 0x60
		}
	}
	return b
}
