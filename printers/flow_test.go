package printers

import (
	"image"
	"image/color"
	"slices"
	"strings"
	"testing"
)

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		in   string
		cols int
		want []string
	}{
		{"Layanan ini GRATIS.", 32, []string{"Layanan ini GRATIS."}},
		{"Paspor  biasa    Rp350.000", 32, []string{"Paspor  biasa    Rp350.000"}},
		{"Kantor Imigrasi Kelas I Khusus TPI Jakarta Selatan", 32,
			[]string{"Kantor Imigrasi Kelas I Khusus", "TPI Jakarta Selatan"}},
		{"https://antrean.example/status/A042", 16,
			[]string{"https://antrean.", "example/status/A", "042"}},
		{"", 32, []string{""}},
	} {
		if got := wrap(tc.in, tc.cols); !slices.Equal(got, tc.want) {
			t.Errorf("wrap(%q, %d) = %q, want %q", tc.in, tc.cols, got, tc.want)
		}
	}
}

// TestTextShrinksToFit checks that large text is set smaller rather than broken, and only
// wraps at size 1.
func TestTextShrinksToFit(t *testing.T) {
	p := Profile58() // 32 columns at size 1
	for _, tc := range []struct {
		text      string
		size      int
		wantSize  int
		wantLines int
	}{
		{"A042", 6, 6, 1},     // 4 × 72 = 288 dots
		{"PRI-1042", 6, 4, 1}, // 8 × 48 = 384 dots
		{"PRIORITAS - Lansia", 2, 1, 1},
		{strings.Repeat("kata ", 10), 2, 1, 2},
		{"A042", 0, 1, 1},
		{"A042", 12, 8, 1}, // 4 × 96 = 384
	} {
		blocks := placeText(nil, Text{Text: tc.text, Size: tc.size}, p)
		if len(blocks) != tc.wantLines || blocks[0].size != tc.wantSize {
			t.Errorf("%q at size %d: %d lines at size %d, want %d at %d",
				tc.text, tc.size, len(blocks), blocks[0].size, tc.wantLines, tc.wantSize)
		}
	}
}

func uniform(w, h int, y uint8) image.Image {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = y
	}
	return img
}

func blackShare(bm *bitmap) float64 {
	n := 0
	for y := 0; y < bm.h; y++ {
		for x := 0; x < bm.w; x++ {
			if bm.black(x, y) {
				n++
			}
		}
	}
	return float64(n) / float64(bm.w*bm.h)
}

// TestDither checks that thresholding makes a grey all black or all white, while
// Floyd–Steinberg keeps its shade as a share of black dots.
func TestDither(t *testing.T) {
	for _, tc := range []struct {
		grey      uint8
		threshold float64
	}{{60, 1}, {100, 1}, {200, 0}, {240, 0}} {
		img := uniform(64, 64, tc.grey)
		if got := blackShare(rasterize(img, 64, 64, 0, Threshold)); got != tc.threshold {
			t.Errorf("grey %d thresholded: %.2f black, want %.0f", tc.grey, got, tc.threshold)
		}
		want := 1 - float64(tc.grey)/255
		if got := blackShare(rasterize(img, 64, 64, 0, FloydSteinberg)); got < want-0.03 || got > want+0.03 {
			t.Errorf("grey %d dithered: %.2f black, want %.2f", tc.grey, got, want)
		}
	}
}

func TestTransparentIsPaper(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 8, 8)) // transparent black
	if got := blackShare(rasterize(img, 8, 8, 0, Threshold)); got != 0 {
		t.Errorf("transparent pixels printed: %.2f black", got)
	}
}

// TestImageFitsPaper checks a wide logo is scaled down to the paper, keeping its shape, and
// placed by its alignment.
func TestImageFitsPaper(t *testing.T) {
	logo := image.NewRGBA(image.Rect(0, 0, 1000, 500))
	for y := 0; y < 500; y++ {
		for x := 0; x < 1000; x++ {
			logo.Set(x, y, color.Black)
		}
	}
	small := uniform(100, 10, 0)
	for _, p := range []Profile{Profile58(), Profile80()} {
		blocks, err := place(Layout{Elements: []Element{
			Image{Image: logo},
			Image{Image: small, Align: AlignCenter},
			Image{Image: small, Align: AlignRight},
		}}, p)
		if err != nil {
			t.Fatal(err)
		}
		if bm := blocks[0].bm; bm.w != p.Dots || bm.h != p.Dots/2 || blackShare(bm) != 1 {
			t.Errorf("%s: logo printed %d × %d, want %d × %d", p.Name, bm.w, bm.h, p.Dots, p.Dots/2)
		}
		if x := firstBlack(blocks[1].bm); x != (p.Dots-100)/2 {
			t.Errorf("%s: centred image starts at dot %d, want %d", p.Name, x, (p.Dots-100)/2)
		}
		if x := firstBlack(blocks[2].bm); x != p.Dots-100 {
			t.Errorf("%s: right-aligned image starts at dot %d, want %d", p.Name, x, p.Dots-100)
		}
	}
}

func firstBlack(bm *bitmap) int {
	for x := 0; x < bm.w; x++ {
		if bm.black(x, 0) {
			return x
		}
	}
	return -1
}

// runs returns the lengths of the runs of equal dots in row y.
func runs(bm *bitmap, y int) (lengths []int, first, last int) {
	first, last = -1, -1
	for x := 0; x < bm.w; x++ {
		b := bm.black(x, y)
		if b {
			if first < 0 {
				first = x
			}
			last = x
		}
		if x == 0 || b != bm.black(x-1, y) {
			lengths = append(lengths, 0)
		}
		lengths[len(lengths)-1]++
	}
	return lengths, first, last
}

// TestSymbolModules checks whole-dot modules and quiet zones: every bar is a multiple of the
// module, with at least 10 modules of white on each side of a Code128 and 4 around a QR.
func TestSymbolModules(t *testing.T) {
	for _, tc := range []struct {
		p      Profile
		s      Symbology
		data   string
		module int
		quiet  int
	}{
		{Profile58(), Code128, "A042", 3, 10},
		{Profile80(), Code128, "A042", 3, 10},
		{Profile58(), Code128, "PRIORITAS-42", 2, 10},
		{Profile58(), Code128, "PRIORITAS-LANSIA-0042", 1, 10},
		{Profile58(), QR, "https://antrean.example/s/A042", 6, 4},
		{Profile80(), QR, "https://antrean.example/s/A042", 8, 4},
		{Profile80At180(), QR, "https://antrean.example/s/A042", 8, 4},
		{Profile58(), QR, strings.Repeat("https://antrean.example/", 8), 5, 4},
	} {
		s, err := makeSymbol(tc.s, tc.data, tc.p)
		if err != nil {
			t.Fatal(err)
		}
		if s.module != tc.module {
			t.Errorf("%s %v %q: module %d dots, want %d", tc.p.Name, tc.s, tc.data, s.module, tc.module)
		}
		y := s.bm.h / 2
		if tc.s == QR {
			y = (tc.quiet + 3) * s.module // through the finder patterns
		}
		lengths, first, last := runs(s.bm, y)
		for _, n := range lengths[1 : len(lengths)-1] {
			if n%s.module != 0 {
				t.Errorf("%s %v: a run of %d dots with %d-dot modules", tc.p.Name, tc.s, n, s.module)
			}
		}
		if width := s.bm.w; first < tc.quiet*s.module || width-1-last < tc.quiet*s.module || width > tc.p.Dots {
			t.Errorf("%s %v: dark from dot %d to %d of %d: quiet zone under %d modules", tc.p.Name, tc.s, first, last, width, tc.quiet)
		}
	}
	if _, err := makeSymbol(Code128, strings.Repeat("x", 60), Profile58()); err == nil {
		t.Error("a Code128 too wide for the paper was drawn")
	}
}
