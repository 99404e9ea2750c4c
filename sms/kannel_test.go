//go:build linux

package sms

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"antre/module"
	"unicode/utf16"
)

// Kannel's fake SMSC listens on all interfaces and cannot be told otherwise, so when Kannel is
// installed the whole test binary runs again inside a network namespace of its own (unshare -n,
// with only the loopback up): nothing the tests start is reachable from outside.
const netnsEnv = "ANTRE_SMS_NETNS"

// netnsErr says why the tests run outside a private network namespace although Kannel is
// installed; the Kannel tests then fail with it instead of exposing ports.
var netnsErr error

func TestMain(m *testing.M) {
	if os.Getenv(netnsEnv) == "" && kannelBinaries() != nil {
		code, err := runInNetns()
		if err == nil {
			os.Exit(code)
		}
		netnsErr = err
	}
	os.Exit(m.Run())
}

// runInNetns runs this test binary with the same arguments in a new network namespace and
// returns its exit code; an error means no namespace could be made.
func runInNetns() (int, error) {
	if out, err := exec.Command("unshare", "-n", "true").CombinedOutput(); err != nil {
		return 0, fmt.Errorf("unshare -n: %v: %s", err, out)
	}
	self, err := os.Executable()
	if err != nil {
		return 0, err
	}
	args := append([]string{"-n", "--", "sh", "-c", `ip link set lo up && exec "$0" "$@"`, self}, os.Args[1:]...)
	cmd := exec.Command("unshare", args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), netnsEnv+"=1")
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), nil
	}
	if err != nil {
		return 0, err
	}
	return 0, nil
}

// kannelPaths are the Kannel programs the integration tests run.
type kannelPaths struct{ bearerbox, smsbox, fakesmsc string }

// kannelBinaries finds Debian's kannel and kannel-extras programs, or returns nil.
func kannelBinaries() *kannelPaths {
	find := func(name string, dirs ...string) string {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
		for _, d := range dirs {
			if p := filepath.Join(d, name); fileExists(p) {
				return p
			}
		}
		return ""
	}
	k := &kannelPaths{
		bearerbox: find("bearerbox", "/usr/sbin"),
		smsbox:    find("smsbox", "/usr/sbin"),
		fakesmsc:  find("fakesmsc", "/usr/lib/kannel/test"),
	}
	if k.bearerbox == "" || k.smsbox == "" || k.fakesmsc == "" {
		return nil
	}
	return k
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// freePort returns a TCP port free on the loopback.
func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// kannelRig is Kannel's bearerbox and smsbox with a fake SMSC and its client fakesmsc, and the
// hub: the module's routes on an httptest server that Kannel calls for inbound messages and
// delivery reports.
type kannelRig struct {
	bin                                   *kannelPaths
	dir                                   string
	admin, boxPort, smscPort, sendsmsPort int
	f                                     *fixture
	hubURL                                string
	bearerbox, smsbox                     *exec.Cmd
	output                                lockedBuffer // what the boxes print before their logs open
	phone                                 *fakePhone
}

// lockedBuffer collects the output of several processes.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newKannelRig starts everything; cfg gets the Kannel adapter's settings filled in.
func newKannelRig(t testing.TB, cfg Config) *kannelRig {
	t.Helper()
	bin := kannelBinaries()
	if bin == nil {
		t.Skip("Kannel is not installed (Debian packages kannel and kannel-extras)")
	}
	if netnsErr != nil {
		t.Fatalf("Kannel is installed but the test cannot run it in a private network namespace: %v", netnsErr)
	}
	if os.Getenv(netnsEnv) == "" {
		t.Fatal("Kannel test outside a private network namespace")
	}
	r := &kannelRig{bin: bin, dir: t.TempDir(),
		admin: freePort(t), boxPort: freePort(t), smscPort: freePort(t), sendsmsPort: freePort(t)}

	// The hub first: Kannel needs its address.
	hubLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.hubURL = "http://" + hubLn.Addr().String()
	cfg.Adapter = "kannel"
	cfg.InboundSecret = "s3cret"
	cfg.Kannel = KannelConfig{
		URL:      fmt.Sprintf("http://127.0.0.1:%d/cgi-bin/sendsms", r.sendsmsPort),
		Username: "antre", Password: "rahasia", DLRURL: r.hubURL + "/api/v1/sms/dlr", DLRMask: 27,
	}
	r.f = newFixture(t, cfg)
	srv := &httptest.Server{Listener: hubLn, Config: &http.Server{Handler: r.f.mux}}
	srv.Start()
	t.Cleanup(srv.Close)

	conf := fmt.Sprintf(`group = core
admin-port = %[1]d
admin-password = adm1n
smsbox-port = %[2]d
box-allow-ip = "127.0.0.1"
log-file = "%[5]s/bearerbox.log"
log-level = 1
access-log = "%[5]s/access.log"
store-type = file
store-location = "%[5]s/store"
dlr-storage = internal
sms-resend-freq = 1
sms-resend-retry = -1

group = smsc
smsc = fake
smsc-id = fake
port = %[3]d
connect-allow-ip = "127.0.0.1"

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = %[2]d
sendsms-port = %[4]d
log-file = "%[5]s/smsbox.log"
log-level = 1

group = sendsms-user
username = antre
password = rahasia
max-messages = 10
concatenation = true

group = sms-service
keyword = default
catch-all = true
get-url = "%[6]s/api/v1/sms/inbound?from=%%p&text=%%a&secret=s3cret"
accept-x-kannel-headers = false
omit-empty = true
max-messages = 3
concatenation = true
`, r.admin, r.boxPort, r.smscPort, r.sendsmsPort, r.dir, r.hubURL)
	if err := os.WriteFile(filepath.Join(r.dir, "kannel.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		r.stop(r.bearerbox)
		r.stop(r.smsbox)
		if t.Failed() {
			for _, f := range []string{"bearerbox.log", "smsbox.log"} {
				b, _ := os.ReadFile(filepath.Join(r.dir, f))
				if len(b) > 3000 {
					b = b[len(b)-3000:]
				}
				t.Logf("%s (end):\n%s", f, b)
			}
			t.Logf("output of the boxes:\n%s", r.output.String())
		}
	})
	r.startBoxes(t)
	r.phone = r.startPhone(t, "")
	return r
}

// startBoxes starts bearerbox and smsbox and waits until both listen.
func (r *kannelRig) startBoxes(t testing.TB) {
	t.Helper()
	r.bearerbox = r.start(t, r.bin.bearerbox, filepath.Join(r.dir, "kannel.conf"))
	// Not the fake SMSC's port: a probe would be its client, and Kannel would count queued
	// messages written to the probe as sent.
	waitListening(t, r.boxPort)
	r.smsbox = r.start(t, r.bin.smsbox, filepath.Join(r.dir, "kannel.conf"))
	waitListening(t, r.sendsmsPort)
}

// start runs a Kannel program that dies with the test.
func (r *kannelRig) start(t testing.TB, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Dir = r.dir
	cmd.Stdout, cmd.Stderr = &r.output, &r.output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// stop kills a process and reaps it.
func (r *kannelRig) stop(cmd *exec.Cmd) {
	if cmd == nil || cmd.Process == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
}

func waitListening(t testing.TB, port int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing listens on port %d: %v", port, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// fakePhone is a running fakesmsc: the network side of Kannel's fake SMSC. It records every
// message that reaches it, reassembling concatenated parts. A fakesmsc that finds the fake SMSC
// not listening yet exits at once; the phone then starts it again until it connects.
type fakePhone struct {
	args   []string
	path   string
	closed chan struct{}
	done   chan struct{}

	mu    sync.Mutex
	cmd   *exec.Cmd
	parts int
	got   []received
	split map[string][]string // concatenation ref → parts so far
	seen  chan struct{}
}

// received is a whole message as it reached the network.
type received struct {
	from, to, text string
	parts          int
	at             time.Time
}

var gotMessage = regexp.MustCompile(`Got message \d+: <(.*)>$`)

// startPhone connects a fakesmsc; with mo set it sends that one message (from to text …) first.
func (r *kannelRig) startPhone(t testing.TB, mo string) *fakePhone {
	t.Helper()
	args := []string{"-H", "127.0.0.1", "-r", fmt.Sprint(r.smscPort)}
	if mo == "" {
		args = append(args, "-m", "0", "0 0 text unused") // receive only
	} else {
		args = append(args, "-m", "1", "-i", "0", mo)
	}
	p := &fakePhone{path: r.bin.fakesmsc, args: args, closed: make(chan struct{}), done: make(chan struct{}),
		split: map[string][]string{}, seen: make(chan struct{}, 1)}
	go p.supervise(t)
	t.Cleanup(p.close)
	return p
}

// supervise runs fakesmsc until the phone is closed, again whenever it could not connect.
func (p *fakePhone) supervise(t testing.TB) {
	defer close(p.done)
	for {
		pr, pw := io.Pipe()
		cmd := exec.Command(p.path, p.args...)
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		cmd.Stdout, cmd.Stderr = pw, pw
		// Start under the lock that close holds to kill: either close sees this process, or
		// this sees the phone closed.
		p.mu.Lock()
		select {
		case <-p.closed:
			p.mu.Unlock()
			return
		default:
		}
		err := cmd.Start()
		p.cmd = cmd
		p.mu.Unlock()
		if err != nil {
			t.Error(err)
			return
		}
		go func() {
			_ = cmd.Wait()
			pw.Close()
		}()
		refused := false
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			if m := gotMessage.FindStringSubmatch(sc.Text()); m != nil {
				p.add(m[1], time.Now())
			} else if strings.Contains(sc.Text(), "Failed to open connection") {
				refused = true
			}
		}
		if !refused {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// close disconnects the phone; Kannel keeps what it would send to it.
func (p *fakePhone) close() {
	p.mu.Lock()
	select {
	case <-p.closed:
	default:
		close(p.closed)
		if p.cmd != nil && p.cmd.Process != nil {
			_ = p.cmd.Process.Signal(syscall.SIGKILL)
		}
	}
	p.mu.Unlock()
	<-p.done
}

// add parses one line of fakesmsc: "from to text …", "from to ucs-2 <urlcoded UTF-16BE>",
// "from to data <urlcoded>", or "from to udh <urlcoded udh> (text|data|ucs-2) <message>".
func (p *fakePhone) add(line string, at time.Time) {
	f := strings.SplitN(line, " ", 4)
	if len(f) < 4 {
		return
	}
	from, to, kind, rest := f[0], f[1], f[2], f[3]
	udh := ""
	if kind == "udh" {
		g := strings.SplitN(rest, " ", 3)
		if len(g) < 3 {
			return
		}
		udh, _ = url.QueryUnescape(g[0])
		kind, rest = g[1], g[2]
	}
	text := decodeFake(kind, rest)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.parts++
	if len(udh) >= 6 && udh[1] == 0 { // IE 00: concatenation, 8-bit reference
		ref, total, seq := udh[3], int(udh[4]), int(udh[5])
		key := fmt.Sprintf("%s/%s/%d", from, to, ref)
		parts := p.split[key]
		if parts == nil {
			parts = make([]string, total)
		}
		if seq >= 1 && seq <= total {
			parts[seq-1] = text
		}
		p.split[key] = parts
		for _, s := range parts {
			if s == "" {
				return
			}
		}
		delete(p.split, key)
		p.got = append(p.got, received{from: from, to: to, text: strings.Join(parts, ""), parts: total, at: at})
	} else {
		p.got = append(p.got, received{from: from, to: to, text: text, parts: 1, at: at})
	}
	select {
	case p.seen <- struct{}{}:
	default:
	}
}

func decodeFake(kind, s string) string {
	switch kind {
	case "text":
		return s
	case "ucs-2":
		b, _ := url.QueryUnescape(s)
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = binary.BigEndian.Uint16([]byte(b[2*i:]))
		}
		return string(utf16.Decode(u))
	}
	b, _ := url.QueryUnescape(s)
	return b
}

// messages returns what reached the phone.
func (p *fakePhone) messages() []received {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]received(nil), p.got...)
}

// waitCount waits until n whole messages arrived.
func (p *fakePhone) waitCount(t testing.TB, n int, d time.Duration) []received {
	t.Helper()
	waitFor(t, d, fmt.Sprintf("%d messages at the fake SMSC", n), func() bool { return len(p.messages()) >= n })
	return p.messages()
}

// outboxStatus returns the outbox status of every message, by dedupe key.
func (f *fixture) outboxStatus(t testing.TB) map[string]string {
	out := map[string]string{}
	for _, r := range f.rows(t, `SELECT dedupe_key, status FROM sms_outbox`) {
		out[r[0]] = r[1]
	}
	return out
}

func kannelConfig() Config {
	cfg := DefaultConfig()
	cfg.RatePerSecond = 2000
	cfg.RetryMin, cfg.RetryMax = 200*time.Millisecond, time.Second
	cfg.PollInterval = 100 * time.Millisecond
	cfg.SendTimeout = 5 * time.Second
	return cfg
}

// countTexts counts how often each text reached the phone.
func countTexts(msgs []received) map[string]int {
	n := map[string]int{}
	for _, m := range msgs {
		n[m.text]++
	}
	return n
}

func TestKannel(t *testing.T) {
	r := newKannelRig(t, kannelConfig())
	f := r.f
	f.run(t)
	ctx := context.Background()

	t.Run("plain, two-part and UCS-2 messages arrive and are reported delivered", func(t *testing.T) {
		long := "Paspor permohonan 2026-0042 sudah selesai dan dapat diambil di Kanim Jakarta Selatan. " +
			"Bawa bukti permohonan, KTP asli dan paspor lama bila ada. Loket pengambilan buka 08:00-15:00 setiap hari kerja."
		ucs := "Nomor antrean A007 dipanggil ke loket 2 — “segera”."
		want := map[string]struct {
			text  string
			parts int
		}{"k-plain": {"Nomor antrean A001 dipanggil. Silakan menuju loket 3.", 1}, "k-long": {long, 2}, "k-ucs": {ucs, 1}}
		for key, w := range want {
			if err := f.m.enqueue(ctx, f.db, outMsg{key: key, kind: tplCalled, phone: "6281234500001", body: w.text}, f.clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		if c, n := PartCount(long); c != GSM7 || n != 2 {
			t.Fatalf("long text is %v in %d parts", c, n)
		}
		if CodingOf(ucs) != UCS2 {
			t.Fatal("ucs text is not UCS-2")
		}
		got := r.phone.waitCount(t, 3, 15*time.Second)
		byText := map[string]received{}
		for _, m := range got {
			byText[m.text] = m
		}
		for key, w := range want {
			m, ok := byText[w.text]
			if !ok {
				t.Errorf("%s did not arrive intact; got %+v", key, got)
				continue
			}
			if m.parts != w.parts || m.to != "6281234500001" || m.from != "IMIGRASI" {
				t.Errorf("%s: %d parts from %s to %s", key, m.parts, m.from, m.to)
			}
		}
		waitFor(t, 10*time.Second, "delivery reports", func() bool {
			s := f.outboxStatus(t)
			return s["k-plain"] == "delivered" && s["k-long"] == "delivered" && s["k-ucs"] == "delivered"
		})
	})

	t.Run("inbound STATUS is answered", func(t *testing.T) {
		f.host.services.Provide(statuses{"5550001": "sedang diproses"})
		r.phone.close()
		r.phone = r.startPhone(t, "6281277770000 1234 text status 555-0001")
		got := r.phone.waitCount(t, 1, 15*time.Second)
		if got[0].to != "6281277770000" || got[0].text != "Permohonan 5550001: sedang diproses." {
			t.Errorf("answer %+v", got[0])
		}
		if rows := f.rows(t, `SELECT phone, result FROM sms_inbound WHERE body = 'status 555-0001'`); len(rows) != 1 ||
			rows[0][0] != "6281277770000" || rows[0][1] != "status" {
			t.Errorf("inbound record: %v", rows)
		}
		r.phone.close()
		r.phone = r.startPhone(t, "")
	})

	t.Run("bearerbox killed with queued messages delivers each once", func(t *testing.T) {
		r.phone.close() // the network is away: Kannel queues
		keys := enqueueN(t, f, "kill", 5)
		waitFor(t, 10*time.Second, "Kannel to take the messages", func() bool {
			s := f.outboxStatus(t)
			for _, k := range keys {
				if s[k] != "sent" {
					return false
				}
			}
			return true
		})
		r.stop(r.bearerbox) // SIGKILL
		r.stop(r.smsbox)
		r.startBoxes(t)
		r.phone = r.startPhone(t, "")
		r.phone.waitCount(t, 5, 20*time.Second)
		time.Sleep(time.Second) // room for a duplicate to show up
		checkOnce(t, r.phone.messages(), "kill", 5)
	})

	t.Run("gateway unreachable for a while: retried and delivered once", func(t *testing.T) {
		r.phone.close()
		r.stop(r.bearerbox)
		r.stop(r.smsbox)
		keys := enqueueN(t, f, "down", 5)
		waitFor(t, 10*time.Second, "failed attempts", func() bool {
			rows := f.rows(t, `SELECT MIN(attempts) >= 2 FROM sms_outbox WHERE dedupe_key LIKE 'down/%'`)
			return rows[0][0] == "1"
		})
		r.startBoxes(t)
		r.phone = r.startPhone(t, "")
		r.phone.waitCount(t, 5, 20*time.Second)
		time.Sleep(time.Second)
		checkOnce(t, r.phone.messages(), "down", 5)
		waitFor(t, 10*time.Second, "delivery reports after the outage", func() bool {
			s := f.outboxStatus(t)
			for _, k := range keys {
				if s[k] != "delivered" {
					return false
				}
			}
			return true
		})
	})
}

// enqueueN writes n numbered messages with keys prefix/i.
func enqueueN(t testing.TB, f *fixture, prefix string, n int) []string {
	t.Helper()
	var keys []string
	for i := range n {
		key := fmt.Sprintf("%s/%d", prefix, i)
		body := fmt.Sprintf("Pesan uji %s nomor %d.", prefix, i)
		if err := f.m.enqueue(context.Background(), f.db, outMsg{key: key, kind: tplCalled, phone: "6281299990000", body: body}, f.clock.Now()); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, key)
	}
	return keys
}

// checkOnce checks that messages prefix 0…n-1 each arrived exactly once.
func checkOnce(t testing.TB, msgs []received, prefix string, n int) {
	t.Helper()
	counts := countTexts(msgs)
	for i := range n {
		if c := counts[fmt.Sprintf("Pesan uji %s nomor %d.", prefix, i)]; c != 1 {
			t.Errorf("message %s %d arrived %d times", prefix, i, c)
		}
	}
}

// BenchmarkKannelThroughput measures messages per second from the outbox through Kannel to the
// fake SMSC: b.N messages written in one transaction, until the last reaches the SMSC.
func BenchmarkKannelThroughput(b *testing.B) {
	cfg := kannelConfig()
	cfg.RatePerSecond = 100000
	r := newKannelRig(b, cfg)
	f := r.f
	f.run(b)
	warmUp(b, r)
	b.ResetTimer()
	start := time.Now()
	if err := f.db.Update(context.Background(), func(tx module.Tx) error {
		for i := range b.N {
			if err := f.m.enqueue(context.Background(), tx, outMsg{key: fmt.Sprint("bench/", i), kind: tplCalled,
				phone: "6281200001111", body: fmt.Sprintf("Nomor antrean A%03d dipanggil. Silakan menuju loket 3.", i%1000)}, f.clock.Now()); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	r.phone.waitCount(b, b.N+1, time.Duration(b.N)*100*time.Millisecond+10*time.Second)
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
}

// warmUp sends one message through, so the benchmark does not time Kannel's first routing.
func warmUp(b *testing.B, r *kannelRig) {
	if err := r.f.m.enqueue(context.Background(), r.f.db, outMsg{key: "warm-up", kind: tplCalled, phone: "6281200000000",
		body: "Pemanasan."}, r.f.clock.Now()); err != nil {
		b.Fatal(err)
	}
	r.phone.waitCount(b, 1, 10*time.Second)
}

// BenchmarkKannelCallLatency measures the time from a call (its transaction with OnEvent) to
// "your number is called" reaching the fake SMSC (p50-ms, p99-ms), the part until the worker
// hands the message to Kannel (handoff-…) and the call transaction itself (commit-…).
func BenchmarkKannelCallLatency(b *testing.B) {
	r := newKannelRig(b, kannelConfig())
	f := r.f
	fullQuota(b, f.store)
	rec := &handoffRecorder{Sender: f.m.sender, at: map[string]time.Time{}}
	f.m.sender = rec
	f.run(b)
	warmUp(b, r)
	codes := make([]string, b.N)
	for i := range b.N {
		codes[i] = f.hub.issue(string(rune('A'+i/999%6)), "081234567890")
	}
	lat := make([]time.Duration, 0, b.N)
	handoff := make([]time.Duration, 0, b.N)
	commit := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i, code := range codes {
		start := time.Now()
		f.hub.call(code, 1+i%9)
		commit = append(commit, time.Since(start))
		want := fmt.Sprintf("Nomor antrean %s dipanggil. Silakan menuju loket %d.", code, 1+i%9)
		deadline := time.After(10 * time.Second)
		for found := false; !found; {
			for _, m := range r.phone.messages() {
				if m.text == want {
					lat, found = append(lat, m.at.Sub(start)), true
					handoff = append(handoff, rec.handedAt(want).Sub(start))
					break
				}
			}
			if !found {
				select {
				case <-r.phone.seen:
				case <-deadline:
					b.Fatalf("%s: no message in 10s", code)
				}
			}
		}
	}
	b.StopTimer()
	reportPercentiles(b, "", lat)
	reportPercentiles(b, "handoff-", handoff)
	reportPercentiles(b, "commit-", commit)
}

// handoffRecorder notes when each text was handed to the gateway.
type handoffRecorder struct {
	Sender
	mu sync.Mutex
	at map[string]time.Time
}

func (h *handoffRecorder) Send(ctx context.Context, m Message) (Receipt, error) {
	h.mu.Lock()
	h.at[m.Text] = time.Now()
	h.mu.Unlock()
	return h.Sender.Send(ctx, m)
}

func (h *handoffRecorder) handedAt(text string) time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.at[text]
}

func reportPercentiles(b *testing.B, prefix string, d []time.Duration) {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	ms := func(x time.Duration) float64 { return float64(x.Microseconds()) / 1000 }
	b.ReportMetric(ms(d[len(d)/2]), prefix+"p50-ms")
	b.ReportMetric(ms(d[(len(d)*99)/100]), prefix+"p99-ms")
}
