package browsertest

import (
	"math"
	"testing"
)

// TestContrastRatio: the WCAG formula gives the ratios the WCAG tools give for these pairs.
func TestContrastRatio(t *testing.T) {
	for _, tc := range []struct {
		fg, bg RGB
		want   float64
	}{
		{RGB{0, 0, 0}, RGB{255, 255, 255}, 21},
		{RGB{255, 255, 255}, RGB{0, 0, 0}, 21},
		{RGB{0x77, 0x77, 0x77}, RGB{255, 255, 255}, 4.48},
		{RGB{0xc7, 0x77, 0x00}, RGB{255, 255, 255}, 3.46},    // the old "Tidak Hadir" button
		{RGB{0x1f, 0x9d, 0x55}, RGB{255, 255, 255}, 3.49},    // the old "Selesai" button
		{RGB{0x1f, 0x9d, 0x55}, RGB{0xdf, 0xf3, 0xe7}, 3.01}, // the old "Selesai dilayani" badge
		{RGB{0x12, 0x34, 0x56}, RGB{0x12, 0x34, 0x56}, 1},
	} {
		if got := ContrastRatio(tc.fg, tc.bg); math.Abs(got-tc.want) > 0.005 {
			t.Errorf("%s on %s: %.3f, want %.2f", tc.fg, tc.bg, got, tc.want)
		}
	}
}
