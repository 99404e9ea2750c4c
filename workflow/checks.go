package workflow

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"antre"
)

// Subject is what an outside check is asked about: the applicant as the file records them.
type Subject struct {
	Application string `json:"application"`
	NIK         string `json:"nik"`
	Name        string `json:"name"`
	BirthDate   string `json:"birth_date"`
	BirthPlace  string `json:"birth_place"`
	Female      bool   `json:"female"`
}

// Verdict is a check's answer: clear or hit, with the answering system's reference. A check
// that cannot answer returns an error instead, which the module records as pending: never
// clear.
type Verdict struct {
	Result antre.CheckResult
	Ref    string
}

// Checker answers one outside check (the cekal list, duplicate passports, biometric matching,
// the national data centre). Implementations: HTTPChecker for a service, ListChecker for an
// office-local list file. Check must return within its context's deadline; any error means
// the check did not answer.
type Checker interface {
	Check(ctx context.Context, s Subject) (Verdict, error)
}

// errNoSource is the answer of a check with no adapter: pending.
var errNoSource = errors.New("no source configured for this check")

// noChecker is the checker of a check without a source: it never answers.
type noChecker struct{}

// Check answers nothing: the check stays pending.
func (noChecker) Check(context.Context, Subject) (Verdict, error) { return Verdict{}, errNoSource }

// HTTPChecker asks a service over HTTP: it POSTs the Subject as JSON with the check's kind
// ({"kind": "cekal", "application": …, "nik": …}) and reads {"result": "clear"|"hit",
// "ref": "…"}. Each attempt is bounded by Timeout; a failed attempt (no connection, a time-out,
// a status other than 200, an answer it cannot read) is retried up to Retries times with a
// short back-off. When no attempt succeeds the check did not answer.
type HTTPChecker struct {
	Kind    antre.CheckKind
	URL     string
	Token   string
	Timeout time.Duration
	Retries int
	Client  *http.Client
}

// Check asks the service.
func (c *HTTPChecker) Check(ctx context.Context, s Subject) (Verdict, error) {
	body, err := json.Marshal(struct {
		Kind antre.CheckKind `json:"kind"`
		Subject
	}{c.Kind, s})
	if err != nil {
		return Verdict{}, err
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	client := c.Client
	if client == nil {
		client = http.DefaultClient
	}
	var last error
	for attempt := 0; attempt <= c.Retries; attempt++ {
		if attempt > 0 {
			wait := time.Duration(100<<min(attempt-1, 5)) * time.Millisecond
			wait = wait/2 + rand.N(wait/2+1)
			select {
			case <-ctx.Done():
				return Verdict{}, errors.Join(last, ctx.Err())
			case <-time.After(wait):
			}
		}
		var v Verdict
		v, last = c.once(ctx, client, timeout, body)
		if last == nil {
			return v, nil
		}
	}
	return Verdict{}, fmt.Errorf("%s check at %s: %w", c.Kind, c.URL, last)
}

func (c *HTTPChecker) once(ctx context.Context, client *http.Client, timeout time.Duration, body []byte) (Verdict, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(body))
	if err != nil {
		return Verdict{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return Verdict{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return Verdict{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return Verdict{}, fmt.Errorf("status %d", resp.StatusCode)
	}
	var ans struct {
		Result string `json:"result"`
		Ref    string `json:"ref"`
	}
	if err := json.Unmarshal(b, &ans); err != nil {
		return Verdict{}, fmt.Errorf("answer: %w", err)
	}
	switch r := antre.CheckResult(ans.Result); r {
	case antre.CheckClear, antre.CheckHit:
		return Verdict{Result: r, Ref: truncate(ans.Ref, 64)}, nil
	}
	return Verdict{}, fmt.Errorf("answer %q is neither clear nor hit", ans.Result)
}

// ListChecker answers from a list file the office imports: one entry per line, each a NIK or a
// name and date of birth ("BUDI SANTOSO;1990-08-17"), '#' starting a comment. A subject on the
// list is a hit, anyone else is clear; the file is read again when it changes. A missing or
// unreadable file answers nothing (pending), so an office that has not imported its list passes
// nobody.
type ListChecker struct {
	Path string

	mu      sync.Mutex
	modTime time.Time
	size    int64
	niks    map[string]bool
	people  map[string]bool
}

// Check looks the subject up in the list.
func (l *ListChecker) Check(_ context.Context, s Subject) (Verdict, error) {
	niks, people, err := l.load()
	if err != nil {
		return Verdict{}, err
	}
	ref := "list:" + filepath.Base(l.Path)
	if niks[s.NIK] || people[personKey(s.Name, s.BirthDate)] {
		return Verdict{Result: antre.CheckHit, Ref: ref}, nil
	}
	return Verdict{Result: antre.CheckClear, Ref: ref}, nil
}

func (l *ListChecker) load() (map[string]bool, map[string]bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fi, err := os.Stat(l.Path)
	if err != nil {
		return nil, nil, err
	}
	if l.niks != nil && fi.ModTime().Equal(l.modTime) && fi.Size() == l.size {
		return l.niks, l.people, nil
	}
	f, err := os.Open(l.Path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	niks, people := map[string]bool{}, map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" {
			continue
		}
		if name, birth, ok := strings.Cut(line, ";"); ok {
			people[personKey(name, birth)] = true
			continue
		}
		niks[line] = true
	}
	if err := sc.Err(); err != nil {
		return nil, nil, err
	}
	l.niks, l.people, l.modTime, l.size = niks, people, fi.ModTime(), fi.Size()
	return niks, people, nil
}

// personKey is how a name and a date of birth are compared: case and spacing do not matter.
func personKey(name, birth string) string {
	return strings.ToUpper(strings.Join(strings.Fields(name), " ")) + ";" + strings.TrimSpace(birth)
}

// checkers builds the configured checker of every kind.
func checkers(c Config) map[antre.CheckKind]Checker {
	out := map[antre.CheckKind]Checker{}
	for _, k := range antre.CheckKinds {
		cc := c.Checks[string(k)]
		switch cc.Adapter {
		case "list":
			path := cc.File
			if path == "" {
				path = filepath.Join(c.ListDir, string(k)+".txt")
			}
			out[k] = &ListChecker{Path: path}
		case "http":
			out[k] = &HTTPChecker{Kind: k, URL: cc.URL, Token: cc.Token, Timeout: cc.Timeout, Retries: cc.Retries}
		default:
			out[k] = noChecker{}
		}
	}
	return out
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
