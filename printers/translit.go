package printers

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Transliterate returns s in printable ASCII, the part of code page 437 that every printer
// shares. Letters lose their accents (é → e, ñ → n) and compatibility forms are expanded
// (… → ..., ﬁ → fi); typographic punctuation becomes its ASCII look-alike (“ ” → ", ‘ ’ → ',
// – — → -, • → *, « » → "); a few letters become their usual spelling (ß → ss, æ → ae,
// ø → o); any whitespace or control character becomes a space; anything else becomes '?'.
// ASCII text is returned unchanged.
func Transliterate(s string) string {
	if isPrintableASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFKD.String(s) {
		switch {
		case r >= ' ' && r <= '~':
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r):
			// accents and other combining marks, split off by NFKD
		case unicode.IsSpace(r) || unicode.IsControl(r):
			b.WriteByte(' ')
		default:
			b.WriteString(asciiFor(r))
		}
	}
	return b.String()
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// asciiFor is the ASCII spelling of r, a character that has no decomposition into ASCII.
func asciiFor(r rune) string {
	switch r {
	case '‘', '’', '‚', '‛', '′':
		return "'"
	case '“', '”', '„', '‟', '″', '«', '»':
		return `"`
	case '‐', '‑', '‒', '–', '—', '―', '−':
		return "-"
	case '•', '·', '∙', '◦', '‣', '⁃':
		return "*"
	case '×':
		return "x"
	case '÷':
		return "/"
	case '±':
		return "+/-"
	case '©':
		return "(c)"
	case '®':
		return "(R)"
	case '€':
		return "EUR"
	case '°':
		return "o"
	case 'ß':
		return "ss"
	case 'æ':
		return "ae"
	case 'Æ':
		return "AE"
	case 'œ':
		return "oe"
	case 'Œ':
		return "OE"
	case 'ø':
		return "o"
	case 'Ø':
		return "O"
	case 'đ', 'ð':
		return "d"
	case 'Đ', 'Ð':
		return "D"
	case 'ł':
		return "l"
	case 'Ł':
		return "L"
	case 'ı':
		return "i"
	case 'þ':
		return "th"
	case 'Þ':
		return "Th"
	}
	return "?"
}
