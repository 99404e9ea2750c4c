package sms

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// smscEvent is one line the test SMSC (testdata/smsc/smsc.js) prints.
type smscEvent struct {
	Event    string  `json:"event"`
	Port     int     `json:"port"`
	ID       string  `json:"id"`
	Seq      int32   `json:"seq"`
	From     string  `json:"from"`
	To       string  `json:"to"`
	Coding   int     `json:"coding"`
	EsmClass int     `json:"esm_class"`
	UDH      [][]int `json:"udh"`
	Text     string  `json:"text"`
	Status   int     `json:"status"`
	at       time.Time
}

// testSMSC is the npm smpp SMSC on 127.0.0.1.
type testSMSC struct {
	stdin  io.WriteCloser
	events chan smscEvent
	port   int
}

func startSMSC(t *testing.T) *testSMSC {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed; the SMPP test needs it and `npm ci --prefix sms/testdata/smsc`")
	}
	dir, _ := filepath.Abs("testdata/smsc")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "smpp")); err != nil {
		t.Fatalf("the test SMSC's packages are missing: run `npm ci --prefix sms/testdata/smsc`")
	}
	cmd := exec.Command(node, "smsc.js")
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &testSMSC{stdin: stdin, events: make(chan smscEvent, 100)}
	t.Cleanup(func() {
		stdin.Close()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var e smscEvent
			if err := json.Unmarshal(sc.Bytes(), &e); err == nil {
				e.at = time.Now()
				s.events <- e
			}
		}
		close(s.events)
	}()
	e := s.next(t, "listening")
	s.port = e.Port
	return s
}

// next returns the next event of one of kinds, skipping others.
func (s *testSMSC) next(t *testing.T, kinds ...string) smscEvent {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case e, ok := <-s.events:
			if !ok {
				t.Fatal("the test SMSC exited")
			}
			for _, k := range kinds {
				if e.Event == k {
					return e
				}
			}
		case <-timeout:
			t.Fatalf("no %v event from the test SMSC in 10s", kinds)
		}
	}
}

func (s *testSMSC) command(t *testing.T, c map[string]any) {
	t.Helper()
	b, _ := json.Marshal(c)
	if _, err := s.stdin.Write(append(b, '\n')); err != nil {
		t.Fatal(err)
	}
}

func TestSMPP(t *testing.T) {
	smsc := startSMSC(t)
	cfg := DefaultConfig()
	cfg.Adapter = "smpp"
	cfg.SMPP = SMPPConfig{Addr: fmt.Sprintf("127.0.0.1:%d", smsc.port), SystemID: "antre", Password: "rahasia",
		EnquireLink: 2 * time.Second, Rebind: 200 * time.Millisecond, RequestTimeout: 3 * time.Second}
	cfg.RatePerSecond = 1000
	cfg.RetryMin, cfg.RetryMax = 100*time.Millisecond, 400*time.Millisecond
	cfg.PollInterval = 50 * time.Millisecond
	f := newFixture(t, cfg)
	f.run(t)
	smsc.next(t, "bound")
	ctx := context.Background()
	send := func(key, phone, body string) {
		t.Helper()
		if err := f.m.enqueue(ctx, f.db, outMsg{key: key, kind: tplCalled, phone: phone, body: body, prio: prioUrgent}, f.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("submit", func(t *testing.T) {
		send("s-plain", "6281355550001", "Nomor antrean A001 dipanggil. Silakan menuju loket 3.")
		e := smsc.next(t, "submit")
		if e.To != "6281355550001" || e.From != "IMIGRASI" || e.Coding != 0 || len(e.UDH) != 0 ||
			e.Text != "Nomor antrean A001 dipanggil. Silakan menuju loket 3." {
			t.Errorf("submit_sm: %+v", e)
		}
	})

	t.Run("long message: parts with their own sequence numbers", func(t *testing.T) {
		long := strings.Repeat("Paspor Anda sudah selesai dan dapat diambil di loket pengambilan. ", 4) + "{€}"
		send("s-long", "6281355550002", long)
		var text string
		seqs := map[int32]bool{}
		var ref int
		for i := 1; i <= 2; i++ {
			e := smsc.next(t, "submit")
			if len(e.UDH) != 1 || len(e.UDH[0]) != 5 || e.UDH[0][0] != 0 || e.UDH[0][3] != 2 || e.UDH[0][4] != i {
				t.Fatalf("part %d: UDH %v", i, e.UDH)
			}
			if i == 1 {
				ref = e.UDH[0][2]
			} else if e.UDH[0][2] != ref {
				t.Errorf("parts with references %d and %d", ref, e.UDH[0][2])
			}
			if e.EsmClass&0x40 == 0 {
				t.Errorf("part %d without the UDH indicator", i)
			}
			seqs[e.Seq] = true
			text += e.Text
		}
		if len(seqs) != 2 {
			t.Errorf("parts share a sequence number: %v", seqs)
		}
		if text != long {
			t.Errorf("reassembled %q", text)
		}
	})

	t.Run("UCS-2", func(t *testing.T) {
		text := "Nomor antrean A007 dipanggil — “segera” ke loket 2."
		send("s-ucs", "6281355550003", text)
		e := smsc.next(t, "submit")
		if e.Coding != 8 || e.Text != text {
			t.Errorf("UCS-2 submit: coding %d text %q", e.Coding, e.Text)
		}
	})

	t.Run("delivery receipts", func(t *testing.T) {
		waitFor(t, 10*time.Second, "delivered", func() bool {
			s := f.outboxStatus(t)
			return s["s-plain"] == "delivered" && s["s-long"] == "delivered" && s["s-ucs"] == "delivered"
		})
		if r := f.rows(t, `SELECT COUNT(*) FROM sms_gateway_ids WHERE outbox_id = (SELECT id FROM sms_outbox WHERE dedupe_key = 's-long')`); r[0][0] != "2" {
			t.Errorf("gateway ids of the long message: %v", r)
		}
	})

	t.Run("inbound message answered through the outbox", func(t *testing.T) {
		smsc.command(t, map[string]any{"cmd": "mo", "from": "6281355550009", "to": "1234", "text": "kuota"})
		// The reply may be submitted before the deliver_sm answer is written: take both in any order.
		var ack, reply *smscEvent
		for ack == nil || reply == nil {
			e := smsc.next(t, "mo_ack", "submit")
			if e.Event == "mo_ack" {
				ack = &e
			} else {
				reply = &e
			}
		}
		if ack.Status != 0 {
			t.Errorf("deliver_sm answered %d", ack.Status)
		}
		if reply.To != "6281355550009" || reply.Text != "Sisa kuota 25-11-2026: A:60 B:60 C:60 D:60 E:60 F:60." {
			t.Errorf("reply: %+v", reply)
		}
	})

	t.Run("throttling is answered with back-off", func(t *testing.T) {
		smsc.command(t, map[string]any{"cmd": "throttle", "n": 2})
		time.Sleep(50 * time.Millisecond)
		send("s-throttled", "6281355550004", "Nomor antrean B002 dipanggil. Silakan menuju loket 1.")
		first := smsc.next(t, "throttled")
		second := smsc.next(t, "throttled")
		e := smsc.next(t, "submit")
		if gap := second.at.Sub(first.at); gap < cfg.RetryMin/2 {
			t.Errorf("retried %s after ESME_RTHROTTLED: no back-off", gap)
		}
		if e.To != "6281355550004" {
			t.Errorf("after throttling: %+v", e)
		}
		waitFor(t, 5*time.Second, "sent", func() bool {
			r := f.rows(t, `SELECT status, attempts FROM sms_outbox WHERE dedupe_key = 's-throttled'`)
			return r[0][0] == "delivered" && r[0][1] == "1"
		})
	})
}
