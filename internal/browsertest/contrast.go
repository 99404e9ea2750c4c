package browsertest

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"
)

// RGB is an opaque sRGB colour with 8-bit channels.
type RGB [3]uint8

// String is the colour as CSS hex, #rrggbb.
func (c RGB) String() string { return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2]) }

// luminance is WCAG 2's relative luminance of c: its linearised channels weighted by how
// bright the eye sees them.
func (c RGB) luminance() float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c[0]) + 0.7152*lin(c[1]) + 0.0722*lin(c[2])
}

// ContrastRatio is WCAG 2's contrast ratio of two colours, (L1 + 0.05) / (L2 + 0.05) of the
// lighter and the darker one's relative luminance: 1 for equal colours, 21 for black on white.
// Level AA asks 4.5 for normal text.
func ContrastRatio(a, b RGB) float64 {
	la, lb := a.luminance(), b.luminance()
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// Text is a piece of text a page shows: the element holding it (tag#id.classes, after its
// nearest ancestor with an id when it has none itself: "button#btn-finish span"), the text,
// and the colours it is drawn in and on, with transparency and opacity already blended.
// Unknown is set when a background image (a gradient, a picture) lies under it, so its
// background colour cannot be told.
type Text struct {
	Element    string
	Text       string
	Color      RGB
	Background RGB
	Unknown    bool
}

// Ratio is the WCAG contrast ratio of the text's colour on its background.
func (x Text) Ratio() float64 { return ContrastRatio(x.Color, x.Background) }

// String names the text and its colours, for test failures.
func (x Text) String() string {
	if x.Unknown {
		return fmt.Sprintf("%s %q: %s on a background image", x.Element, x.Text, x.Color)
	}
	return fmt.Sprintf("%s %q: %s on %s = %.2f:1", x.Element, x.Text, x.Color, x.Background, x.Ratio())
}

// visibleTexts finds every element that shows text of its own (a text node, or the value or
// placeholder of a field) and is rendered, except disabled controls, which WCAG exempts. The
// background is the element's and its ancestors' background colours blended from the page's
// white canvas down; the text colour is blended on it with the opacity of the element and its
// ancestors.
const visibleTexts = `(() => {
  const rgba = (s) => {
    const m = (s || '').match(/rgba?\(([^)]+)\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => [0, 1, 2].map((i) => Math.round(top[i] * top[3] + under[i] * (1 - top[3])));
  const tag = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + Array.from(el.classList).map((c) => '.' + c).join('');
  const name = (el) => {
    const a = el.id ? null : el.parentElement && el.parentElement.closest('[id]');
    return (a ? tag(a) + ' ' : '') + tag(el);
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (['SCRIPT', 'STYLE', 'TEMPLATE', 'IFRAME', 'OPTION'].includes(el.tagName)) continue;
    const field = ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName) && el.type !== 'hidden';
    let text = Array.from(el.childNodes).filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
    let style = getComputedStyle(el);
    if (field && el.tagName === 'SELECT') text = el.selectedOptions.length ? el.selectedOptions[0].textContent.trim() : '';
    else if (field && el.value) text = el.type === 'password' ? '•'.repeat(el.value.length) : el.value;
    else if (field && el.placeholder) { text = el.placeholder; style = getComputedStyle(el, '::placeholder'); }
    if (!text) continue;
    if (!el.getClientRects().length || getComputedStyle(el).visibility !== 'visible' || el.closest('[hidden], dialog:not([open])')) continue;
    if (el.closest(':disabled')) continue;
    const chain = [];
    let opacity = 1, image = false;
    for (let a = el; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      chain.unshift(rgba(s.backgroundColor));
      opacity *= Number(s.opacity);
      if (s.backgroundImage !== 'none') image = true;
    }
    let bg = [255, 255, 255];
    for (const c of chain) bg = over(c, bg);
    const fg = rgba(style.color);
    fg[3] *= opacity;
    out.push({ element: name(el), text: text.slice(0, 60), color: over(fg, bg), background: bg, unknown: image });
  }
  return out;
})()`

// Texts lists the texts the page in tab shows now, with their colours (see Text).
func Texts(t testing.TB, tab context.Context) []Text {
	t.Helper()
	type raw struct {
		Element, Text     string
		Color, Background []float64
		Unknown           bool
	}
	rgb := func(v []float64) RGB {
		var c RGB
		for i := range min(len(v), 3) {
			c[i] = uint8(max(0, min(255, v[i])))
		}
		return c
	}
	var out []Text
	for _, r := range Eval[[]raw](t, tab, 10*time.Second, visibleTexts) {
		out = append(out, Text{Element: r.Element, Text: r.Text, Color: rgb(r.Color), Background: rgb(r.Background), Unknown: r.Unknown})
	}
	return out
}
