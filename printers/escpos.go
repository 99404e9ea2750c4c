package printers

import (
	"fmt"
	"image"
)

// ESC/POS control bytes.
const (
	esc = 0x1b
	gs  = 0x1d
	dle = 0x10
	eot = 0x04
	lf  = 0x0a
)

// rasterBand is the most rows sent in one GS v 0 command: small printers overflow their
// receive buffer on taller images, so a picture goes out as a stack of bands.
const rasterBand = 256

// Encoder builds an ESC/POS byte stream in memory, one command per method, written from the
// Epson ESC/POS command reference. Each method appends exactly the command it names; Bytes
// returns the stream. The zero Encoder is ready to use.
type Encoder struct {
	buf []byte
}

// Bytes returns the stream built so far. It aliases the encoder's buffer until the next call.
func (e *Encoder) Bytes() []byte { return e.buf }

// Reset empties the stream and keeps its buffer for reuse.
func (e *Encoder) Reset() { e.buf = e.buf[:0] }

// Init resets the printer to its power-on settings (ESC @): left aligned, bold off, size 1.
func (e *Encoder) Init() { e.buf = append(e.buf, esc, '@') }

// CodePage437 selects character code table 0, PC437 (ESC t 0). Text is still limited to
// ASCII, which every code page shares.
func (e *Encoder) CodePage437() { e.buf = append(e.buf, esc, 't', 0) }

// Align sets the alignment of the following lines (ESC a n).
func (e *Encoder) Align(a Align) { e.buf = append(e.buf, esc, 'a', byte(min(a, AlignRight))) }

// Bold turns emphasised printing on or off (ESC E n).
func (e *Encoder) Bold(on bool) { e.buf = append(e.buf, esc, 'E', flag(on)) }

// Invert turns white-on-black printing on or off (GS B n).
func (e *Encoder) Invert(on bool) { e.buf = append(e.buf, gs, 'B', flag(on)) }

// Size sets the character magnification, width and height each from 1 to 8 (GS ! n); values
// outside that range are clamped.
func (e *Encoder) Size(width, height int) {
	w, h := min(max(width, 1), 8), min(max(height, 1), 8)
	e.buf = append(e.buf, gs, '!', byte((w-1)<<4|(h-1)))
}

// Text appends s as printable ASCII (see Transliterate), without ending the line.
func (e *Encoder) Text(s string) { e.buf = append(e.buf, Transliterate(s)...) }

// Line appends s like Text, then prints the line and feeds one line (LF).
func (e *Encoder) Line(s string) {
	e.Text(s)
	e.buf = append(e.buf, lf)
}

// Feed prints the buffered line and feeds n further lines (ESC d n, repeated past 255).
func (e *Encoder) Feed(n int) {
	for ; n > 0; n -= 255 {
		e.buf = append(e.buf, esc, 'd', byte(min(n, 255)))
	}
}

// Cut feeds the paper to the cutter and cuts it, fully or leaving a hinge (GS V 65 0 or
// GS V 66 0).
func (e *Encoder) Cut(partial bool) {
	m := byte(65)
	if partial {
		m = 66
	}
	e.buf = append(e.buf, gs, 'V', m, 0)
}

// Image prints img as a raster image (GS v 0), one pixel per dot, in black and white by
// dithering d. It is printed from the left margin; the printer drops dots beyond its width.
func (e *Encoder) Image(img image.Image, d Dither) {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	e.raster(rasterize(img, w, h, 0, d))
}

// raster prints bm with GS v 0 in bands of at most rasterBand rows.
func (e *Encoder) raster(bm *bitmap) {
	for y := 0; y < bm.h; y += rasterBand {
		rows := min(rasterBand, bm.h-y)
		e.buf = append(e.buf, gs, 'v', '0', 0,
			byte(bm.stride), byte(bm.stride>>8), byte(rows), byte(rows>>8))
		e.buf = append(e.buf, bm.bits[y*bm.stride:(y+rows)*bm.stride]...)
	}
}

// Code128 prints data as a native Code128 symbol in code set B (GS k 73), with bars module
// dots wide (2 to 6, GS w) and height dots tall (GS h), without human-readable text (GS H 0).
// Data must be printable ASCII; a '{' is escaped as the printer requires.
func (e *Encoder) Code128(data string, module, height int) error {
	if !isPrintableASCII(data) || data == "" {
		return fmt.Errorf("printers: Code128 data %q is not printable ASCII", data)
	}
	var body []byte
	body = append(body, '{', 'B')
	for i := 0; i < len(data); i++ {
		if data[i] == '{' {
			body = append(body, '{')
		}
		body = append(body, data[i])
	}
	if len(body) > 255 {
		return fmt.Errorf("printers: Code128 data of %d bytes is too long", len(data))
	}
	e.buf = append(e.buf, gs, 'h', byte(min(max(height, 1), 255)),
		gs, 'w', byte(min(max(module, 2), 6)),
		gs, 'H', 0,
		gs, 'k', 73, byte(len(body)))
	e.buf = append(e.buf, body...)
	return nil
}

// QR prints data as a native QR symbol (GS ( k): model 2, modules of module dots (1 to 16),
// error correction level M.
func (e *Encoder) QR(data string, module int) error {
	n := len(data) + 3
	if data == "" || n > 0xffff {
		return fmt.Errorf("printers: QR data of %d bytes", len(data))
	}
	e.buf = append(e.buf,
		gs, '(', 'k', 4, 0, 49, 65, 50, 0, // model 2
		gs, '(', 'k', 3, 0, 49, 67, byte(min(max(module, 1), 16)), // module size
		gs, '(', 'k', 3, 0, 49, 69, 49, // error correction M
		gs, '(', 'k', byte(n), byte(n>>8), 49, 80, 48) // store data
	e.buf = append(e.buf, data...)
	e.buf = append(e.buf, gs, '(', 'k', 3, 0, 49, 81, 48) // print
	return nil
}

// StatusQuery is the real-time status request DLE EOT n: n = 1 printer, 2 offline cause,
// 4 paper roll sensor. The printer answers each with one byte; see DecodeStatus.
func StatusQuery(n byte) []byte { return []byte{dle, eot, n} }

func flag(on bool) byte {
	if on {
		return 1
	}
	return 0
}
