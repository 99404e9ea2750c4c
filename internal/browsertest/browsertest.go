// Package browsertest starts headless Chromium for tests of the device pages: one browser per
// test, with the flags that keep it quiet on a closed network, a fresh profile, and tabs the
// test opens as it needs. Tests are skipped where /usr/bin/chromium is not installed.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium is where Debian's chromium package installs the browser.
const Chromium = "/usr/bin/chromium"

// Options change the browser a test starts.
type Options struct {
	// Autoplay lets pages play sound without a user gesture, as the display's kiosk mode does
	// (--autoplay-policy=no-user-gesture-required).
	Autoplay bool
	// Width and Height are the window size; 0 means 1920×1080.
	Width, Height int
}

// New starts a browser for t and returns the context of its first tab; the browser stops when
// the test ends. The context has no deadline: tests bound each step with their own timeouts.
func New(t testing.TB, o Options) context.Context {
	t.Helper()
	if _, err := os.Stat(Chromium); err != nil {
		t.Skipf("%s not installed (apt-get install -y chromium)", Chromium)
	}
	if o.Width == 0 {
		o.Width, o.Height = 1920, 1080
	}
	flags := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(o.Width, o.Height),
	)
	if o.Autoplay {
		flags = append(flags, chromedp.Flag("autoplay-policy", "no-user-gesture-required"))
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), flags...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil { // start the browser now, so failures show here
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// Tab opens a new tab in the browser of ctx; it closes when the test ends.
func Tab(t testing.TB, ctx context.Context) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx)
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	return tab
}

// Do runs steps in tab, failing the test when they fail or do not finish within timeout.
func Do(t testing.TB, tab context.Context, timeout time.Duration, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, timeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// Eval evaluates the JavaScript expression expr in tab (awaiting it when it is a promise) and
// returns its value, failing the test on an error or after timeout.
func Eval[T any](t testing.TB, tab context.Context, timeout time.Duration, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// WaitJS polls the JavaScript expression expr in tab until it is true, failing the test with
// what describes the wait (and the value of show, when given) after timeout.
func WaitJS(t testing.TB, tab context.Context, timeout time.Duration, expr, show string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, timeout)
	defer cancel()
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return
		}
		select {
		case <-ctx.Done():
			var got any
			if show != "" {
				sctx, scancel := context.WithTimeout(tab, 5*time.Second)
				got, _ = chromedp.Run(sctx, chromedp.Evaluate[any](show))
				scancel()
			}
			t.Fatalf("waited %v for %s (err %v); %s = %v", timeout, expr, err, show, fmt.Sprint(got))
		case <-tick.C:
		}
	}
}
