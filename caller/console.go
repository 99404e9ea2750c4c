package caller

import (
	"antre/client"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"antre"
)

// Key is what one key of the terminal console does; the keys that act on the counter's ticket
// are named by the words of the hub's counter routes (POST /api/v1/counters/{n}/{word}).
type Key string

// The console's keys.
const (
	KeyNext   Key = "next"
	KeyRecall Key = "recall"
	KeyNoShow Key = "no-show"
	KeyFinish Key = "finish"
	KeyStart  Key = "start"
	KeyStatus Key = "status"
	KeyHelp   Key = "help"
	KeyQuit   Key = "quit"
)

// KeyOf maps a key of a numeric keypad (or keyboard) to what it does, as the web console does:
// 0 or Enter next, 1 recall, 2 no-show, 3 finish, 4 start; 5 or "." shows the counter's status,
// 9 or "?" the keys, q, Ctrl-C or Ctrl-D quits. ok is false for any other key.
func KeyOf(key byte) (k Key, ok bool) {
	switch key {
	case '0', '\r', '\n':
		return KeyNext, true
	case '1':
		return KeyRecall, true
	case '2':
		return KeyNoShow, true
	case '3':
		return KeyFinish, true
	case '4':
		return KeyStart, true
	case '5', '.':
		return KeyStatus, true
	case '9', '?':
		return KeyHelp, true
	case 'q', 'Q', 0x03, 0x04:
		return KeyQuit, true
	}
	return "", false
}

// Console is the terminal console of one counter, for counters with only a numeric keypad:
// each key is one action on the hub, and the console prints the counter's ticket after it, or
// the hub's message when it refuses. Lines end in CR LF, so they print right in raw mode.
type Console struct {
	Client  *client.Client
	Counter int
	Out     io.Writer
	// Lang is "en" for English, Indonesian otherwise.
	Lang string

	office struct {
		Name     string          `json:"name"`
		TimeZone string          `json:"time_zone"`
		Groups   []antre.Group   `json:"groups"`
		Counters []antre.Counter `json:"counters"`
	}
	loc *time.Location
}

// Start reads the office (group names, the counter's groups), checks the counter exists, and
// prints the keys and the counter's status.
func (c *Console) Start(ctx context.Context) error {
	if err := c.Client.Do(ctx, "GET", "/api/v1/office", nil, &c.office); err != nil {
		return errors.New(c.Client.Message(err))
	}
	if !slices.ContainsFunc(c.office.Counters, func(x antre.Counter) bool { return x.Number == c.Counter }) {
		return fmt.Errorf("%s", antre.T(c.Lang, antre.MsgCounterNotFound))
	}
	c.loc = time.Local
	if l, err := time.LoadLocation(c.office.TimeZone); err == nil {
		c.loc = l
	}
	c.say("title", c.office.Name, c.Counter)
	c.say("keys")
	c.Press(ctx, '5')
	return nil
}

// Run handles keys from in until a quit key, the end of in, or ctx's end. Keys pressed while an
// action is in flight are dropped, so a held Enter calls one ticket, not several; the escape
// sequences of keys outside the keypad (arrows, Insert …) are skipped whole.
func (c *Console) Run(ctx context.Context, in io.Reader) error {
	keys := make(chan byte, 256)
	go func() {
		defer close(keys)
		buf := make([]byte, 64)
		for {
			n, err := in.Read(buf)
			for _, b := range buf[:n] {
				keys <- b
			}
			if err != nil {
				return
			}
		}
	}()
	for {
		var k byte
		var ok bool
		select {
		case <-ctx.Done():
			return ctx.Err()
		case k, ok = <-keys:
			if !ok {
				return nil
			}
		}
		if k == 0x1b {
			skipEscape(keys)
			continue
		}
		if !c.Press(ctx, k) {
			return nil
		}
		for len(keys) > 0 {
			<-keys
		}
	}
}

// skipEscape drops the rest of an escape sequence: ESC [ … final byte, or ESC O and one byte.
// A lone ESC (nothing follows within 50 ms) is dropped by itself.
func skipEscape(keys <-chan byte) {
	next := func() (byte, bool) {
		select {
		case b, ok := <-keys:
			return b, ok
		case <-time.After(50 * time.Millisecond):
			return 0, false
		}
	}
	switch b, ok := next(); {
	case !ok:
	case b == 'O':
		next()
	case b == '[':
		for {
			b, ok := next()
			if !ok || (b >= 0x40 && b <= 0x7e) {
				return
			}
		}
	}
}

// Press performs the action of key and prints its outcome; it returns false for a quit key.
// Keys without an action are ignored.
func (c *Console) Press(ctx context.Context, key byte) bool {
	a, ok := KeyOf(key)
	if !ok {
		return true
	}
	switch a {
	case KeyQuit:
		c.say("bye")
		return false
	case KeyHelp:
		c.say("keys")
		return true
	case KeyStatus:
		c.status(ctx)
		return true
	}
	var out struct {
		Ticket antre.Ticket `json:"ticket"`
		Code   string       `json:"code"`
	}
	err := c.Client.Do(ctx, "POST", fmt.Sprintf("/api/v1/counters/%d/%s", c.Counter, a), struct{}{}, &out)
	if err != nil {
		c.say("error", c.Client.Message(err))
		return true
	}
	t := out.Ticket
	switch a {
	case KeyNext:
		c.say("called", t.Code, c.groupName(t.QueueGroup), c.Counter, c.category(t))
	case KeyRecall:
		c.say("recalled", t.Code, t.Recalls)
	case KeyNoShow:
		c.say("no_show", t.Code)
	case KeyFinish:
		c.say("finished", t.Code)
	case KeyStart:
		c.say("started", t.Code)
	}
	return true
}

// status prints the counter's current ticket and how many wait in the groups it serves.
func (c *Console) status(ctx context.Context) {
	var cs struct{ Counters []antre.CounterState }
	if err := c.Client.Do(ctx, "GET", "/api/v1/counters", nil, &cs); err != nil {
		c.say("error", c.Client.Message(err))
		return
	}
	var q struct{ Groups []antre.GroupQuota }
	if err := c.Client.Do(ctx, "GET", "/api/v1/quota", nil, &q); err != nil {
		c.say("error", c.Client.Message(err))
		return
	}
	i := slices.IndexFunc(cs.Counters, func(x antre.CounterState) bool { return x.Number == c.Counter })
	if i < 0 {
		c.say("error", antre.T(c.Lang, antre.MsgCounterNotFound))
		return
	}
	me := cs.Counters[i]
	var waiting []string
	for _, g := range q.Groups {
		if me.Serves(g.Group) {
			waiting = append(waiting, fmt.Sprintf("%s %d", g.Group, g.Waiting))
		}
	}
	if t := me.Current; t != nil {
		since := t.CalledAt
		if t.StartedAt != nil {
			since = t.StartedAt
		}
		at := ""
		if since != nil {
			at = since.In(c.loc).Format("15:04")
		}
		c.say("status_current", c.Counter, t.Code, c.text("st_"+string(t.Status)), at, strings.Join(waiting, ", "))
	} else {
		c.say("status_free", c.Counter, strings.Join(waiting, ", "))
	}
}

func (c *Console) groupName(code string) string {
	for _, g := range c.office.Groups {
		if g.Code == code {
			return g.Name(c.Lang)
		}
	}
	return code
}

// category is " · PRIORITAS (lansia)" for a dispensation ticket, "" otherwise.
func (c *Console) category(t antre.Ticket) string {
	if t.Category == antre.CatNone {
		return ""
	}
	return c.text("priority", string(t.Category))
}

func (c *Console) text(key string, args ...any) string { return text(c.Lang, key, args...) }

func (c *Console) say(key string, args ...any) {
	io.WriteString(c.Out, c.text(key, args...)+"\r\n")
}

// text returns the console's message key ("console.KEY" in the catalogue) in lang, formatted
// with args.
func text(lang, key string, args ...any) string {
	return antre.T(lang, antre.MsgKey("console."+key), args...)
}
