package printertest_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"antre/printers/printertest"
)

func dial(t *testing.T, p *printertest.Printer) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", p.HostPort())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func query(t *testing.T, c net.Conn, n byte) byte {
	t.Helper()
	if _, err := c.Write([]byte{0x10, 0x04, n}); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	var b [1]byte
	if _, err := io.ReadFull(c, b[:]); err != nil {
		t.Fatal(err)
	}
	return b[0]
}

// TestReplies checks the answers to DLE EOT 1, 2 and 4 in each state, bit for bit as the
// ESC/POS reference gives them.
func TestReplies(t *testing.T) {
	p := printertest.New(t)
	c := dial(t, p)
	for _, tc := range []struct {
		state      printertest.State
		n1, n2, n4 byte
	}{
		{printertest.State{}, 0x12, 0x12, 0x12},
		{printertest.State{Offline: true}, 0x1a, 0x12, 0x12},
		{printertest.State{CoverOpen: true}, 0x1a, 0x16, 0x12},
		{printertest.State{PaperNearEnd: true}, 0x12, 0x12, 0x1e},
		{printertest.State{PaperOut: true}, 0x1a, 0x32, 0x72},
	} {
		p.SetState(tc.state)
		if got := []byte{query(t, c, 1), query(t, c, 2), query(t, c, 4)}; !bytes.Equal(got, []byte{tc.n1, tc.n2, tc.n4}) {
			t.Errorf("%+v: replies % x, want % x", tc.state, got, []byte{tc.n1, tc.n2, tc.n4})
		}
	}
	if p.Queries() != 15 {
		t.Errorf("%d queries counted, want 15", p.Queries())
	}
	if len(p.Bytes()) != 0 {
		t.Errorf("status queries were recorded as print data: % x", p.Bytes())
	}
}

// TestJobs checks the stream is split into jobs at each cut, that each job remembers the
// printer's state when it began, and that status queries are left out of the data.
func TestJobs(t *testing.T) {
	p := printertest.New(t)
	c := dial(t, p)
	first := []byte("\x1b@A042\n\x1dV\x41\x00")
	c.Write(first[:5]) // a job may arrive in pieces, even inside a command
	c.Write(first[5:11])
	query(t, c, 1)
	c.Write(first[11:])
	p.WaitJobs(1)
	p.SetPaperOut(true)
	second := []byte("\x1b@A043\n\x1dV\x01")
	c.Write(second)
	c.Write([]byte("\x1b@A04"))
	jobs := p.WaitJobs(2)
	if len(jobs) != 2 || !bytes.Equal(jobs[0].Data, first) || !bytes.Equal(jobs[1].Data, second) {
		t.Fatalf("jobs %+v", jobs)
	}
	if jobs[0].State.PaperOut || !jobs[1].State.PaperOut {
		t.Errorf("job states %+v, %+v: want the second sent while paper out", jobs[0].State, jobs[1].State)
	}
	all := p.WaitBytes(len(first) + len(second) + 5)
	if want := slices.Concat(first, second, []byte("\x1b@A04")); !bytes.Equal(all, want) {
		t.Errorf("bytes %q, want %q", all, want)
	}
}

// TestRasterIsNotAQuery checks that image data which happens to hold the bytes of DLE EOT is
// taken as image data, not answered.
func TestRasterIsNotAQuery(t *testing.T) {
	p := printertest.New(t)
	c := dial(t, p)
	job := []byte{0x1d, 'v', '0', 0, 3, 0, 1, 0, 0x10, 0x04, 0x01, 0x1d, 'V', 0}
	c.Write(job)
	jobs := p.WaitJobs(1)
	if !bytes.Equal(jobs[0].Data, job) || p.Queries() != 0 {
		t.Errorf("job % x with %d queries", jobs[0].Data, p.Queries())
	}
}

func TestSilentAndStalled(t *testing.T) {
	p := printertest.New(t)
	c := dial(t, p)
	p.SetSilent(true)
	c.Write([]byte{0x10, 0x04, 0x01})
	c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if n, err := c.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Errorf("silent printer answered")
	}
	p.SetSilent(false)
	p.SetStalled(true)
	c.Write([]byte("A042"))
	time.Sleep(50 * time.Millisecond)
	if got := p.Bytes(); len(got) != 0 {
		t.Errorf("stalled printer read %q", got)
	}
	p.SetStalled(false)
	if got := p.WaitBytes(4); string(got) != "A042" {
		t.Errorf("after the stall: %q", got)
	}
}

// TestDropJobs: a printer that drops every job answers status queries as ready, resets the
// connection once print data arrives, and keeps the part that came as a cut-off job.
func TestDropJobs(t *testing.T) {
	p := printertest.New(t)
	p.SetDropJobs(true)
	for i := range 2 {
		c := dial(t, p)
		if b := query(t, c, 1); b != 0x12 {
			t.Fatalf("connection %d: status %#02x, want ready", i, b)
		}
		c.Write([]byte("\x1b@A042\n"))
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := c.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("connection %d: read after print data: %v, want the connection reset", i, err)
		}
	}
	dropped := p.Dropped()
	if len(dropped) != 2 || string(dropped[0].Data) != "\x1b@A042\n" || len(p.Jobs()) != 0 {
		t.Errorf("dropped %+v, jobs %d; want two cut-off jobs and no complete one", dropped, len(p.Jobs()))
	}
	p.SetDropJobs(false)
	c := dial(t, p)
	c.Write([]byte("\x1b@A043\n\x1dV\x01"))
	if jobs := p.WaitJobs(1); !strings.Contains(string(jobs[0].Data), "A043") {
		t.Errorf("job after the drops: %q", jobs[0].Data)
	}
}

func TestParse(t *testing.T) {
	stream := slices.Concat(
		[]byte{0x1b, '@', 0x1b, 't', 0, 0x1b, 'a', 1, 0x1b, 'E', 1, 0x1d, '!', 0x55},
		[]byte("A042\n"),
		[]byte{0x1b, 'd', 2},
		[]byte{0x1d, 'k', 73, 6, '{', 'B', 'A', '0', '4', '2'},
		[]byte{0x1d, 'k', 4, 'A', '0', 0},
		[]byte{0x1d, '(', 'k', 5, 0, 49, 80, 48, 'h', 'i'},
		[]byte{0x1b, '*', 33, 1, 0, 1, 2, 3},
		[]byte{0x1d, 'V', 66, 0},
	)
	cmds, err := printertest.Parse(stream)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cmds {
		names = append(names, c.Name)
	}
	want := []string{"ESC @", "ESC t", "ESC a", "ESC E", "GS !", "text", "LF", "ESC d", "GS k", "GS k", "GS ( k", "ESC *", "GS V"}
	if !slices.Equal(names, want) {
		t.Errorf("commands %q, want %q", names, want)
	}
	if c := cmds[8]; string(c.Data) != "{BA042" {
		t.Errorf("GS k data %q", c.Data)
	}
	text, _ := printertest.Text(stream)
	if text != "A042\n\n\n" {
		t.Errorf("text %q", text)
	}
	for _, bad := range [][]byte{{0x1b, 'Z'}, {0x00}, {0x1d, 'v', '0', 0, 1, 0, 2}, {0x1b}} {
		if _, err := printertest.Parse(bad); err == nil {
			t.Errorf("Parse(% x) took it", bad)
		}
	}
}

// TestImages checks the raster decoding: MSB leftmost, a set bit black, consecutive bands of
// one width stacked, another command ending an image.
func TestImages(t *testing.T) {
	band := func(rows ...byte) []byte {
		return append([]byte{0x1d, 'v', '0', 0, 1, 0, byte(len(rows)), 0}, rows...)
	}
	stream := slices.Concat(band(0x80, 0x01), band(0xff), []byte("\n"), band(0x40))
	imgs, err := printertest.Images(stream)
	if err != nil {
		t.Fatal(err)
	}
	if len(imgs) != 2 || imgs[0].Bounds().Dx() != 8 || imgs[0].Bounds().Dy() != 3 || imgs[1].Bounds().Dy() != 1 {
		t.Fatalf("got %d images", len(imgs))
	}
	var rows []string
	for y := 0; y < 3; y++ {
		var sb strings.Builder
		for x := 0; x < 8; x++ {
			if imgs[0].GrayAt(x, y).Y == 0 {
				sb.WriteByte('#')
			} else {
				sb.WriteByte('.')
			}
		}
		rows = append(rows, sb.String())
	}
	if want := []string{"#.......", ".......#", "########"}; !slices.Equal(rows, want) {
		t.Errorf("image rows %q, want %q", rows, want)
	}
	if imgs[1].GrayAt(1, 0).Y != 0 || imgs[1].GrayAt(0, 0).Y != 255 {
		t.Errorf("second image wrong")
	}
}
