package webui_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"antre"
	"antre/internal/webui"
)

// root is the module's root, seen from this package's directory (where go test runs).
const root = "../.."

// pageFiles are the device pages whose words come from the catalogue: the HTML file, and the
// texts.js address it must load before its scripts.
var pageFiles = []struct{ html, texts string }{
	{"display/web/display.html", "/static/texts.js?page=display,live"},
	{"display/web/status.html", "/static/texts.js?page=status,live"},
	{"caller/web/caller.html", "/static/texts.js?page=caller,live"},
	{"kiosk/page/index.html", "/static/texts.js?page=kiosk"}, // the kiosk page does not use live.js
	{"hq/web/booking.html", "/static/texts.js?page=booking,live"},
}

// scriptDirs says where a script address of the pages is in the source tree.
var scriptDirs = map[string]string{
	"/static/":         "internal/webui/static",
	"/display/static/": "display/web",
	"/caller/static/":  "caller/web",
	"/hq/":             "hq/web",
}

// dynamic lists, per script, the lookups whose key is computed (t(expr) where expr is not one
// string literal) and the keys each can look up. A computed lookup missing here fails the test,
// so a new one must say which keys it reads.
func dynamic(t *testing.T) map[string]map[string][]string {
	live := read(t, "internal/webui/static/live.js")
	// The stream's states (Stream.setState in live.js); the pages add "lost", a wait grown long.
	states := matches(live, `setState\('(\w+)'`)
	if len(states) < 5 {
		t.Fatalf("live.js sets the states %v", states)
	}
	displayStates := slices.DeleteFunc(slices.Clone(states), func(s string) bool { return s == "stopped" }) // the TV never stops its stream
	display := read(t, "display/web/display.js")
	caller := read(t, "caller/web/caller.js")
	overlays := matches(display, `overlay\('(\w+)'`)

	var categories, selfDeclared, pools []string
	for _, c := range antre.Categories {
		categories = append(categories, string(c))
		if c.SelfDeclared() {
			selfDeclared = append(selfDeclared, string(c))
		}
	}
	for _, p := range antre.Pools {
		pools = append(pools, string(p))
	}
	statuses := []string{string(antre.StatusWaiting), string(antre.StatusCalled), string(antre.StatusServing),
		string(antre.StatusDone), string(antre.StatusNoShow), string(antre.StatusCancelled)}
	// The printer problems the kiosk runtime reports (kiosk/printer.go, and "restart" for a
	// ticket a restart left unprinted), and the states of its admin menu's tickets (adminTicket).
	problems := []string{"paper_out", "cover_open", "printer_offline", "printer_error", "printer_unreachable", "write_failed", "restart"}
	kioskStates := []string{"printing", "printed", "held", "cancelled", "done", "not_found", "expired", "settled", ""}
	var staffRoles []string
	for _, r := range antre.StaffRoles {
		staffRoles = append(staffRoles, string(r))
	}

	return map[string]map[string][]string{
		"display.js": {
			"'conn_' + s":     prefixed("conn_", append(displayStates, "lost")...),
			"kind + '_title'": suffixed("_title", overlays...),
			"kind + '_text'":  suffixed("_text", overlays...),
			"button.label":    matches(display, `label: '(\w+)'`),
		},
		"status.js": {
			"v.status": statuses,
		},
		"caller.js": {
			"'role_' + me.role":         prefixed("role_", staffRoles...), // the console lets staff in
			"'conn_' + s":               prefixed("conn_", append(states, "lost")...),
			"a.ok":                      matches(caller, `ok: '(\w+)'`),
			"'st_' + st":                prefixed("st_", string(antre.StatusCalled), string(antre.StatusServing)), // a counter's ticket
			"'cat_' + current.category": prefixed("cat_", categories...),
			"'cat_' + r.category":       prefixed("cat_", categories...),
			"'cat_' + x":                prefixed("cat_", categories...),
			"'pool_' + current.pool":    prefixed("pool_", pools...),
		},
		"booking.js": {
			"'state_' + b.state": prefixed("state_", "active", "cancelled", "used", "no_show"), // the states of a booking (hq/pg)
		},
		"kiosk.js": {
			"'problem_' + p":              prefixed("problem_", problems...),
			"'cat_' + c":                  prefixed("cat_", selfDeclared...),
			"'cat_' + tk.category":        prefixed("cat_", categories...),
			"'cat_note_' + c":             prefixed("cat_note_", selfDeclared...),
			"'state_' + (it.state || '')": prefixed("state_", kioskStates...),
		},
	}
}

// emptyOK are the entries a page shows as nothing on purpose.
var emptyOK = map[string]bool{
	"caller.conn_stopped": true, // the console's stream is stopped only behind the log-in
}

// TestPageTexts reads the device pages as a browser loads them: each loads its words from the
// one catalogue (texts.js) before its scripts, and every key its HTML (data-t) and its scripts
// (t('key'), and the computed lookups of dynamic) look up is worded in both languages. No page
// script keeps words of its own (a dictionary, or a catalogue text written out), the HTML's
// placeholder texts are the catalogue's, and the catalogue holds no page words no page reads.
func TestPageTexts(t *testing.T) {
	dyn := dynamic(t)
	used := map[string]bool{}    // catalogue keys a page reads
	checked := map[string]bool{} // scripts checked for words of their own
	for _, pf := range pageFiles {
		t.Run(path.Base(pf.html), func(t *testing.T) {
			html := read(t, pf.html)
			scripts := regexp.MustCompile(`<script src="([^"]+)"`).FindAllStringSubmatch(html, -1)
			if len(scripts) < 2 || scripts[0][1] != pf.texts {
				t.Fatalf("the first script must be %s; the page loads %v", pf.texts, scripts)
			}
			words := served(t, pf.texts)
			pages := strings.Split(strings.TrimPrefix(pf.texts, "/static/texts.js?page="), ",")

			var keys []string
			for _, m := range regexp.MustCompile(`data-t="([^"]*)"`).FindAllStringSubmatch(html, -1) {
				keys = append(keys, m[1])
			}
			// Text the HTML shows before its script runs must be the catalogue's Indonesian.
			for _, m := range regexp.MustCompile(`data-t="([^"]*)"[^>]*>([^<]+)<`).FindAllStringSubmatch(html, -1) {
				if want := words["id"][m[1]]; m[2] != want {
					t.Errorf("%s: data-t=%q shows %q before its script runs; the catalogue says %q", pf.html, m[1], m[2], want)
				}
			}
			for _, s := range scripts[1:] {
				file := scriptFile(pf.html, s[1])
				src := code(read(t, file))
				if !checked[file] {
					noOwnWords(t, file, src)
					checked[file] = true
				}
				// Only lookups through t are scanned: a translator by another name would hide.
				for _, name := range matches(src, `([\w$]+)\s*=\s*(?:L\.)?translator\(`) {
					if name != "t" {
						t.Errorf("%s calls its translator %s; name it t, so this test reads its lookups", file, name)
					}
				}
				for _, expr := range lookups(src) {
					if key, ok := literal(expr); ok {
						keys = append(keys, key)
						continue
					}
					if strings.HasSuffix(expr, ".dataset.t") {
						continue // the data-t keys of the HTML
					}
					ks, ok := dyn[path.Base(file)][expr]
					if !ok {
						t.Errorf("%s: t(%s) computes its key; say in dynamic which keys it reads", file, expr)
					}
					keys = append(keys, ks...)
				}
			}
			if len(keys) < 10 {
				t.Fatalf("found only the keys %v", keys)
			}
			for _, k := range keys {
				for _, lang := range []string{"id", "en"} {
					v, ok := words[lang][k]
					if !ok {
						t.Errorf("%s looks up %q, but the catalogue has none of %s in %q", pf.html, k, strings.Join(suffixed("."+k, pages...), ", "), lang)
						continue
					}
					if v == "" && !emptyOK[owner(k, pages)] {
						t.Errorf("%s: %q is empty in %q", pf.html, k, lang)
					}
				}
				used[owner(k, pages)] = true
			}
		})
	}
	for _, prefix := range []string{"display.", "status.", "caller.", "kiosk.", "live."} {
		for k := range antre.CatalogueWithPrefix("id", prefix) {
			if !used[k] && !strings.HasPrefix(k, "kiosk.err_") { // kiosk.err_*: the kiosk runtime's answers
				t.Errorf("the catalogue's %q is read by no page", k)
			}
		}
	}
}

// TestPageLookupsFound: the scan finds the lookup forms the pages use, and refuses a dictionary.
func TestPageLookupsFound(t *testing.T) {
	src := code(`function t(key, vars) {} // t(key) is
	  x(t('a'), t("b", 1), t('conn_' + s), L.t('no'), get('no'), it('no'), t(f(1, 2), 3)); /* t('no') */
	  fetch('ws://x/' + t('c'));`)
	want := []string{"'a'", `"b"`, "'conn_' + s", "f(1, 2)", "'c'"}
	if got := lookups(src); !slices.Equal(got, want) {
		t.Errorf("lookups %q, want %q", got, want)
	}
	for _, dict := range []string{"const dict = {\n id: { a: 'A' },\n en: { a: 'A' } };", "const TEXT = {};", "x = {en: {}}"} {
		if ownWords(dict) == "" {
			t.Errorf("%q not seen as a dictionary", dict)
		}
	}
}

// served is what texts.js at address answers, per language.
func served(t *testing.T, address string) map[string]map[string]string {
	t.Helper()
	rec := httptest.NewRecorder()
	webui.Shared().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, address, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", address, rec.Code, rec.Body)
	}
	return decodeTexts(t, rec.Body.Bytes())
}

// owner is the catalogue key behind a page's key: the first page's entry that has it.
func owner(key string, pages []string) string {
	for _, p := range pages {
		if _, ok := antre.CatalogueWithPrefix("id", p+"."+key)[p+"."+key]; ok {
			return p + "." + key
		}
	}
	return pages[0] + "." + key
}

// scriptFile is the source file of a script address of the page html.
func scriptFile(html, src string) string {
	for prefix, dir := range scriptDirs {
		if rest, ok := strings.CutPrefix(src, prefix); ok {
			return path.Join(dir, rest)
		}
	}
	return path.Join(path.Dir(html), src)
}

// commentRE finds the scripts' comments: /* … */, and // … after a space or at a line's start
// (so not the // of an address in a string).
var commentRE = regexp.MustCompile(`(?s)/\*.*?\*/|(?m)(?:^|[ \t])//[^\n]*`)

// code is a script without its comments, which may quote lookups and words as examples.
func code(src string) string { return commentRE.ReplaceAllString(src, " ") }

// callRE finds calls of a function named t (not x.t or another name ending in t).
var callRE = regexp.MustCompile(`(?:^|[^\w.$])t\(`)

// lookups returns the first argument of every t(…) call in src, as written, except t's own
// definition.
func lookups(src string) []string {
	var out []string
	for _, m := range callRE.FindAllStringIndex(src, -1) {
		if strings.HasSuffix(src[:m[1]], "function t(") {
			continue
		}
		out = append(out, strings.TrimSpace(firstArg(src[m[1]:])))
	}
	return out
}

// firstArg is the text of s up to the comma or parenthesis that ends the first argument.
func firstArg(s string) string {
	depth, quote := 0, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == '(' || c == '[' || c == '{':
			depth++
		case (c == ')' || c == ']' || c == '}') && depth > 0:
			depth--
		case (c == ',' || c == ')') && depth == 0:
			return s[:i]
		}
	}
	return s
}

// literal returns the string of a one-literal expression ('key' or "key").
func literal(expr string) (string, bool) {
	if len(expr) >= 2 && (expr[0] == '\'' || expr[0] == '"') && expr[len(expr)-1] == expr[0] && !strings.ContainsAny(expr[1:len(expr)-1], `'"\`) {
		return expr[1 : len(expr)-1], true
	}
	return "", false
}

// dictRE finds what a page's own dictionary looks like: a per-language object, or the names
// the dictionaries had.
var dictRE = regexp.MustCompile(`\b(?:id|en)\s*:\s*\{|\b(?:const|let|var)\s+(?:dict|TEXT|TEXTS|texts|messages)\s*=`)

// ownWords returns a dictionary literal in src, or "".
func ownWords(src string) string { return dictRE.FindString(src) }

// noOwnWords fails when a page script keeps words outside the catalogue: a dictionary, or a
// catalogue text of more than one word written out as a string.
func noOwnWords(t *testing.T, file, src string) {
	t.Helper()
	if d := ownWords(src); d != "" {
		t.Errorf("%s keeps a dictionary (%q): its words belong in the catalogue", file, d)
	}
	texts := map[string]bool{}
	for _, lang := range []string{"id", "en"} {
		for _, v := range antre.CatalogueWithPrefix(lang, "") {
			if strings.Contains(v, " ") {
				texts[v] = true
			}
		}
	}
	for _, m := range regexp.MustCompile(`'([^'\\\n]*)'|"([^"\\\n]*)"`).FindAllStringSubmatch(src, -1) {
		if s := m[1] + m[2]; texts[s] {
			t.Errorf("%s writes out %q, a text of the catalogue: look it up instead", file, s)
		}
	}
}

// matches returns the first group of every match of re in src.
func matches(src, re string) []string {
	var out []string
	for _, m := range regexp.MustCompile(re).FindAllStringSubmatch(src, -1) {
		out = append(out, m[1])
	}
	return out
}

func prefixed(prefix string, s ...string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = prefix + x
	}
	return out
}

func suffixed(suffix string, s ...string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = x + suffix
	}
	return out
}

func read(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(path.Join(root, file))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
