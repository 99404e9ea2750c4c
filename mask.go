package antre

import (
	"strings"
	"unicode/utf8"
)

// Personal data (NIK, names, phone numbers) never reaches a log or a device stream whole; these
// masks keep just enough to tell two records apart.

// MaskPhone keeps a phone number's first four and last three digits: 6281*****890. Anything
// shorter than eight characters is masked whole.
func MaskPhone(s string) string {
	if len(s) < 8 {
		return strings.Repeat("*", len(s))
	}
	return s[:4] + strings.Repeat("*", len(s)-7) + s[len(s)-3:]
}

// MaskNIK keeps a NIK's first four (province and regency) and last four digits:
// 3171********8901.
func MaskNIK(s string) string {
	if len(s) < 9 {
		return strings.Repeat("*", len(s))
	}
	return s[:4] + strings.Repeat("*", len(s)-8) + s[len(s)-4:]
}

// MaskName keeps the first letter of each word of a name: "Budi Santoso" → "B*** S******".
// Text typed into a log-in name field can be a password typed in the wrong box, so it is masked
// the same way, and cut to 32 characters.
func MaskName(s string) string {
	var b strings.Builder
	first := true
	n := 0
	for _, r := range s {
		if n == 32 {
			b.WriteString("…")
			break
		}
		n++
		switch {
		case r == ' ':
			b.WriteRune(r)
			first = true
		case first:
			b.WriteRune(r)
			first = false
		default:
			b.WriteByte('*')
		}
	}
	if b.Len() == 0 && utf8.RuneCountInString(s) == 0 {
		return `""`
	}
	return b.String()
}
