package smsgw

import "unicode/utf16"

// Coding is the alphabet a message travels in. A message whose every character is in the GSM
// 03.38 default alphabet (with its extension table) is sent in GSM-7: 160 characters in one part,
// 153 per part when concatenated, an extension character counting twice. Any other character
// makes the whole message UCS-2: 70 UTF-16 units in one part, 67 per part.
type Coding uint8

// The codings.
const (
	GSM7 Coding = iota
	UCS2
)

// String names the coding as gateways do.
func (c Coding) String() string {
	if c == UCS2 {
		return "UCS-2"
	}
	return "GSM-7"
}

// Part sizes of GSM 03.40: a part carries 140 octets; a concatenated part gives 6 of them to
// the user-data header.
const (
	gsmSingle  = 160
	gsmPart    = 153
	ucs2Single = 70
	ucs2Part   = 67
)

const gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

const gsmExtension = "\f^{}\\[~]|€"

// gsmSeptets returns how many septets r takes in GSM-7: 1 for the default alphabet, 2 for the
// extension table, 0 when r has no GSM-7 form.
func gsmSeptets(r rune) int {
	for _, c := range gsmBasic {
		if c == r {
			return 1
		}
	}
	for _, c := range gsmExtension {
		if c == r {
			return 2
		}
	}
	return 0
}

// CodingOf returns the coding text must be sent in.
func CodingOf(text string) Coding {
	for _, r := range text {
		if gsmSeptets(r) == 0 {
			return UCS2
		}
	}
	return GSM7
}

// Split cuts text into the parts it is sent in, never inside an extension character's escape
// pair or a UTF-16 surrogate pair. One part means no concatenation header.
func Split(text string) (Coding, []string) {
	coding := CodingOf(text)
	single, per := gsmSingle, gsmPart
	size := gsmSeptets
	if coding == UCS2 {
		single, per = ucs2Single, ucs2Part
		size = func(r rune) int { return len(utf16.Encode([]rune{r})) }
	}
	total := 0
	for _, r := range text {
		total += size(r)
	}
	if total <= single {
		return coding, []string{text}
	}
	var parts []string
	start, used := 0, 0
	for i, r := range text {
		n := size(r)
		if used+n > per {
			parts = append(parts, text[start:i])
			start, used = i, 0
		}
		used += n
	}
	return coding, append(parts, text[start:])
}

// PartCount returns the coding of text and how many parts it is sent in.
func PartCount(text string) (Coding, int) {
	c, parts := Split(text)
	return c, len(parts)
}
