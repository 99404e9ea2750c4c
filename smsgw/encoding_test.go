package smsgw

import (
	"strings"
	"testing"
)

func TestPartCount(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		coding Coding
		parts  int
	}{
		{"empty", "", GSM7, 1},
		{"short", "Nomor antrean A012 dipanggil.", GSM7, 1},
		{"160 GSM-7", strings.Repeat("a", 160), GSM7, 1},
		{"161 GSM-7", strings.Repeat("a", 161), GSM7, 2},
		{"306 GSM-7", strings.Repeat("a", 306), GSM7, 2},
		{"307 GSM-7", strings.Repeat("a", 307), GSM7, 3},
		{"GSM-7 accents", "Café à Zürich: é è ù ì ò Ç Ø å Δ Ω ¿ ¡ §", GSM7, 1},
		{"extension counts twice: 80 euros", strings.Repeat("€", 80), GSM7, 1},
		{"extension counts twice: 81 euros", strings.Repeat("€", 81), GSM7, 2},
		{"extension at the limit", strings.Repeat("a", 159) + "€", GSM7, 2},
		{"70 UCS-2", strings.Repeat("日", 70), UCS2, 1},
		{"71 UCS-2", strings.Repeat("日", 71), UCS2, 2},
		{"134 UCS-2", strings.Repeat("日", 134), UCS2, 2},
		{"135 UCS-2", strings.Repeat("日", 135), UCS2, 3},
		{"one non-GSM char makes UCS-2", strings.Repeat("a", 69) + "ç", UCS2, 1},
		{"curly quote is UCS-2", "Silakan “menuju” loket", UCS2, 1},
		{"emoji counts two units", strings.Repeat("😀", 35), UCS2, 1},
		{"emoji 36 is two parts", strings.Repeat("😀", 36), UCS2, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, n := PartCount(tc.text)
			if c != tc.coding || n != tc.parts {
				t.Errorf("PartCount = %v, %d; want %v, %d", c, n, tc.coding, tc.parts)
			}
			_, parts := Split(tc.text)
			if got := strings.Join(parts, ""); got != tc.text {
				t.Errorf("parts do not join to the text")
			}
		})
	}
}

func TestSplitKeepsPairsWhole(t *testing.T) {
	_, parts := Split(strings.Repeat("a", 152) + "€" + strings.Repeat("b", 10))
	if len(parts) != 2 || parts[0] != strings.Repeat("a", 152) || !strings.HasPrefix(parts[1], "€") {
		t.Errorf("escape pair split: %q", parts)
	}
	_, parts = Split(strings.Repeat("x", 66) + "😀" + strings.Repeat("日", 10))
	if len(parts) != 2 || parts[0] != strings.Repeat("x", 66) {
		t.Errorf("surrogate pair split: %q", parts)
	}
}
