package workflow_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"antre"
	"antre/server"
	"antre/server/servertest"
	"antre/server/sqlite"
)

// seedFiles puts n open files at stage directly in the store (one transaction), numbered after
// the existing ones, as if they had come through the earlier stages.
func seedFiles(b testing.TB, h *servertest.Hub, stage antre.Stage, n int) {
	b.Helper()
	now := h.Clock.Now().UnixMilli()
	err := h.DB().Update(context.Background(), func(tx *sqlite.Tx) error {
		var start int
		if err := tx.QueryRow(`SELECT COUNT(*) FROM wf_files`).Scan(&start); err != nil {
			return err
		}
		st, err := tx.Prepare(`INSERT INTO wf_files (number, ticket, ticket_date, ticket_group, kind, nik, name, birth_date, birth_place,
			female, stage, status, stage_since, created_at, created_by, updated_at)
			VALUES (?, ?, '2026-11-25', 'A', 'new', ?, 'Pemohon Uji', '1990-08-17', 'Jakarta', 0, ?, 'open', ?, ?, 'bench', ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for i := start + 1; i <= start+n; i++ {
			if _, err := st.Exec(antre.FormatApplicationNumber(2026, i), fmt.Sprintf("S%05d", i), fmt.Sprintf("31710117089%05d", i),
				stage, now, now, now); err != nil {
				return err
			}
		}
		_, err = tx.Exec(`INSERT INTO wf_sequences (name, last) VALUES ('file/2026', ?) ON CONFLICT (name) DO UPDATE SET last = excluded.last`, start+n)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
}

// officers adds n logged-in users of role and returns their tokens.
func officers(b testing.TB, h *servertest.Hub, role antre.Role, n int) []string {
	b.Helper()
	var out []string
	for i := range n {
		name := fmt.Sprintf("%s%d", role, i+1)
		if err := h.DB().AddUser(context.Background(), name, role, "rahasia-bench"); err != nil {
			b.Fatal(err)
		}
		var tok struct{ Token string }
		if st := h.Do("POST", "/api/v1/login", "", map[string]string{"name": name, "password": "rahasia-bench"}, &tok); st != 200 {
			b.Fatalf("login %s: %d", name, st)
		}
		out = append(out, tok.Token)
	}
	return out
}

// racers runs total presses of press from 8 goroutines at once (one officer each, on 2 CPUs)
// and reports presses/s and the p50 and p99 of the "next" request alone.
func racers(b *testing.B, total int, press func(officer int) (time.Duration, error)) {
	var next atomic.Int64
	lat := make([][]time.Duration, 8)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for o := range 8 {
		wg.Go(func() {
			for next.Add(1) <= int64(total) {
				d, err := press(o)
				if err != nil {
					b.Error(err)
					return
				}
				lat[o] = append(lat[o], d)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	if len(all) == 0 {
		return
	}
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "presses/s")
	b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "next-p50-ms")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "next-p99-ms")
}

// post sends an empty-bodied or JSON POST with token and drains the answer.
func post(client *http.Client, url, token, body string) (int, error) {
	req, err := http.NewRequest("POST", url, stringsReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// BenchmarkNextFile: eight approvers race at one stage, each pressing "next" and finishing the
// file it gave (the next press needs the desk free, as the hub's own "next" finishes the
// counter's ticket): one press is POST next + POST complete over HTTP on a real hub. Compare
// with BenchmarkNextTicket in the same run.
func BenchmarkNextFile(b *testing.B) {
	h := servertest.New(b)
	tokens := officers(b, h, antre.RoleApprover, 8)
	seedFiles(b, h, antre.StageApproval, b.N)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	racers(b, b.N, func(o int) (time.Duration, error) {
		t0 := time.Now()
		req, _ := http.NewRequest("POST", h.URL+"/api/v1/stages/approval/next", nil)
		req.Header.Set("Authorization", "Bearer "+tokens[o])
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		var s struct{ Number string }
		err = decodeJSON(resp.Body, &s)
		resp.Body.Close()
		d := time.Since(t0)
		if err != nil || resp.StatusCode != 200 {
			return d, fmt.Errorf("next: %d %v", resp.StatusCode, err)
		}
		st, err := post(client, h.URL+"/api/v1/applications/"+s.Number+"/complete", tokens[o], `{"stage":"approval","outcome":"pass"}`)
		if err != nil || st != 200 {
			return d, fmt.Errorf("complete %s: %d %v", s.Number, st, err)
		}
		return d, nil
	})
}

// BenchmarkNextTicket is the baseline: eight officers at eight counters press the hub's own
// "next" (which finishes the counter's ticket and calls the next) over HTTP on a real hub.
func BenchmarkNextTicket(b *testing.B) {
	h := servertest.New(b, func(c *server.Config) {
		c.Groups = nil
		for g := 'A'; g <= 'Z'; g++ {
			max := antre.MaxNumber
			zero := 0
			c.Groups = append(c.Groups, server.GroupConfig{Code: string(g), NameID: "Layanan " + string(g), WalkIn: &max, Online: &zero, Priority: &zero})
		}
		c.Counters = countersServing(letters())
	})
	if b.N > 26*antre.MaxNumber {
		b.Skipf("b.N %d is more than a day's tickets", b.N)
	}
	groups := letters()
	for i := range b.N {
		if _, _, err := h.DB().Issue(context.Background(), sqlite.IssueRequest{Group: groups[i%26], Actor: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
	tokens := officers(b, h, antre.RoleOfficer, 8)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	racers(b, b.N, func(o int) (time.Duration, error) {
		t0 := time.Now()
		st, err := post(client, fmt.Sprintf("%s/api/v1/counters/%d/next", h.URL, o+1), tokens[o], "")
		if err != nil || st != 200 {
			return 0, fmt.Errorf("next ticket: %d %v", st, err)
		}
		return time.Since(t0), nil
	})
}

func letters() []string {
	out := make([]string, 0, 26)
	for g := 'A'; g <= 'Z'; g++ {
		out = append(out, string(g))
	}
	return out
}

func stringsReader(s string) io.Reader { return strings.NewReader(s) }

func decodeJSON(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }

// countersServing is eight counters serving every group.
func countersServing(groups []string) []antre.Counter {
	var out []antre.Counter
	for n := 1; n <= 8; n++ {
		out = append(out, antre.Counter{Number: n, Name: fmt.Sprintf("Loket %d", n), Groups: groups})
	}
	return out
}

// BenchmarkWorklist reads a stage's worklist snapshot (GET /api/v1/stages/biometrics/worklist,
// what a console loads on connecting) with 100 and with 5,000 open files at the stage.
func BenchmarkWorklist(b *testing.B) {
	for _, n := range []int{100, 5000} {
		b.Run(fmt.Sprintf("files=%d", n), func(b *testing.B) {
			h := servertest.New(b)
			tok := officers(b, h, antre.RoleBiometric, 1)[0]
			seedFiles(b, h, antre.StageBiometrics, n)
			req, _ := http.NewRequest("GET", h.URL+"/api/v1/stages/biometrics/worklist", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			var size int64
			b.ResetTimer()
			for range b.N {
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				size, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("worklist: %d", resp.StatusCode)
				}
			}
			b.ReportMetric(float64(size), "bytes")
		})
	}
}
