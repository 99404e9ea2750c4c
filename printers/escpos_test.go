package printers

import (
	"bytes"
	"image"
	"image/color"
	"strings"
	"testing"
)

func TestEncoderCommands(t *testing.T) {
	for _, tc := range []struct {
		name string
		emit func(e *Encoder)
		want []byte
	}{
		{"init", (*Encoder).Init, []byte{0x1b, 0x40}},
		{"code page 437", (*Encoder).CodePage437, []byte{0x1b, 0x74, 0}},
		{"align center", func(e *Encoder) { e.Align(AlignCenter) }, []byte{0x1b, 0x61, 1}},
		{"align right", func(e *Encoder) { e.Align(AlignRight) }, []byte{0x1b, 0x61, 2}},
		{"bold on", func(e *Encoder) { e.Bold(true) }, []byte{0x1b, 0x45, 1}},
		{"bold off", func(e *Encoder) { e.Bold(false) }, []byte{0x1b, 0x45, 0}},
		{"invert on", func(e *Encoder) { e.Invert(true) }, []byte{0x1d, 0x42, 1}},
		{"size 2 × 3", func(e *Encoder) { e.Size(2, 3) }, []byte{0x1d, 0x21, 0x12}},
		{"size clamped", func(e *Encoder) { e.Size(0, 9) }, []byte{0x1d, 0x21, 0x07}},
		{"line", func(e *Encoder) { e.Line("Jam 08:00–12:00") }, []byte("Jam 08:00-12:00\n")},
		{"feed", func(e *Encoder) { e.Feed(3) }, []byte{0x1b, 0x64, 3}},
		{"long feed", func(e *Encoder) { e.Feed(300) }, []byte{0x1b, 0x64, 255, 0x1b, 0x64, 45}},
		{"full cut", func(e *Encoder) { e.Cut(false) }, []byte{0x1d, 0x56, 65, 0}},
		{"partial cut", func(e *Encoder) { e.Cut(true) }, []byte{0x1d, 0x56, 66, 0}},
		{"native Code128", func(e *Encoder) { e.Code128("A{1", 3, 80) }, []byte{
			0x1d, 0x68, 80, 0x1d, 0x77, 3, 0x1d, 0x48, 0, 0x1d, 0x6b, 73, 6, '{', 'B', 'A', '{', '{', '1'}},
		{"native QR", func(e *Encoder) { e.QR("hi", 6) }, []byte{
			0x1d, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00,
			0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, 6,
			0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, 0x31,
			0x1d, 0x28, 0x6b, 5, 0, 0x31, 0x50, 0x30, 'h', 'i',
			0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30}},
	} {
		var e Encoder
		tc.emit(&e)
		if !bytes.Equal(e.Bytes(), tc.want) {
			t.Errorf("%s: % x, want % x", tc.name, e.Bytes(), tc.want)
		}
	}
	if got := StatusQuery(4); !bytes.Equal(got, []byte{0x10, 0x04, 4}) {
		t.Errorf("StatusQuery(4) = % x", got)
	}
}

func TestEncoderRejectsBadBarcodeData(t *testing.T) {
	var e Encoder
	if err := e.Code128("A\x1b042", 3, 80); err == nil {
		t.Error("Code128 took a control character")
	}
	if err := e.Code128(strings.Repeat("9", 254), 3, 80); err == nil {
		t.Error("Code128 took more data than GS k can carry")
	}
	if err := e.QR("", 6); err == nil {
		t.Error("QR took empty data")
	}
	if len(e.Bytes()) != 0 {
		t.Errorf("rejected barcodes wrote % x", e.Bytes())
	}
}

// TestEncoderImage checks the raster format: width in bytes, height in dots, a set bit is
// black and the most significant bit is the leftmost dot.
func TestEncoderImage(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 10, 2))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	img.SetGray(0, 0, color.Gray{})
	img.SetGray(9, 0, color.Gray{})
	img.SetGray(1, 1, color.Gray{Y: 60})
	var e Encoder
	e.Image(img, Threshold)
	want := []byte{0x1d, 0x76, 0x30, 0, 2, 0, 2, 0, 0x80, 0x40, 0x40, 0x00}
	if !bytes.Equal(e.Bytes(), want) {
		t.Errorf("image: % x, want % x", e.Bytes(), want)
	}
}

// TestEncoderImageBands checks that a tall picture goes out in bands a small printer's buffer
// can take.
func TestEncoderImageBands(t *testing.T) {
	var e Encoder
	e.Image(image.NewGray(image.Rect(0, 0, 16, 600)), Threshold)
	var heights []int
	b := e.Bytes()
	for len(b) > 0 {
		if !bytes.HasPrefix(b, []byte{0x1d, 0x76, 0x30, 0}) {
			t.Fatalf("expected GS v 0, got % x", b[:min(8, len(b))])
		}
		w, h := int(b[4])|int(b[5])<<8, int(b[6])|int(b[7])<<8
		heights = append(heights, h)
		b = b[8+w*h:]
	}
	if len(heights) != 3 || heights[0] != 256 || heights[1] != 256 || heights[2] != 88 {
		t.Errorf("bands of %v rows, want [256 256 88]", heights)
	}
}

func TestTransliterate(t *testing.T) {
	for in, want := range map[string]string{
		"Kantor Imigrasi":        "Kantor Imigrasi",
		"café résumé naïve":      "cafe resume naive",
		"“Tolak calo”":           `"Tolak calo"`,
		"‘ok’":                   "'ok'",
		"08:00–12:00 — buka":     "08:00-12:00 - buka",
		"• Paspor":               "* Paspor",
		"Straße Æsir Øre":        "Strasse AEsir Ore",
		"tunggu…":                "tunggu...",
		"ﬁle":                    "file",
		"Rp 650.000\u00a0(PNBP)": "Rp 650.000 (PNBP)",
		"\x1b@\tok\r\n":          " @ ok  ",
		"日本":                     "??",
		"±5 °C":                  "+/-5 oC",
		"Łódź":                   "Lodz",
	} {
		if got := Transliterate(in); got != want {
			t.Errorf("Transliterate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTextCannotInjectCommands(t *testing.T) {
	var e Encoder
	e.Line("A042\x1d\x56\x00\x1b@")
	for _, b := range e.Bytes()[:len(e.Bytes())-1] {
		if b < 0x20 || b > 0x7e {
			t.Fatalf("text wrote byte %#02x: % x", b, e.Bytes())
		}
	}
}
