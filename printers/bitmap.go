package printers

import (
	"fmt"
	"image"
	"image/color"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"
	"github.com/boombuler/barcode/qr"
)

// Quiet zones, in modules, that barcode readers need around a symbol; boombuler's images have
// none, so they are added here.
const (
	code128Quiet = 10
	qrQuiet      = 4
)

// Barcode module sizes in dots: whole dots, so every bar and square prints the same width.
// Code128 uses 3 dots per module; QR uses a 64th of the paper width, at most 8 (6 on 58 mm,
// 8 on 80 mm). Both are made smaller when a symbol would not fit the paper. The Code128 bars
// are 10 mm tall.
const (
	code128Module = 3
	qrMaxModule   = 8
	code128BarMM  = 10
)

// bitmap is a black-and-white picture in the printer's raster format: rows of stride bytes,
// the most significant bit of a byte is the leftmost dot, and a set bit is a black dot.
type bitmap struct {
	w, h, stride int
	bits         []byte
}

func newBitmap(w, h int) *bitmap {
	stride := (w + 7) / 8
	return &bitmap{w: w, h: h, stride: stride, bits: make([]byte, stride*h)}
}

func (b *bitmap) set(x, y int) { b.bits[y*b.stride+x/8] |= 0x80 >> (x % 8) }

func (b *bitmap) black(x, y int) bool { return b.bits[y*b.stride+x/8]&(0x80>>(x%8)) != 0 }

// fillRect blackens the w × h dots whose top-left corner is (x, y).
func (b *bitmap) fillRect(x, y, w, h int) {
	for yy := y; yy < y+h; yy++ {
		for xx := x; xx < x+w; xx++ {
			b.set(xx, yy)
		}
	}
}

// alignOffset is the left margin, in dots, that puts something w dots wide at a on the paper.
func alignOffset(a Align, w, dots int) int {
	switch a {
	case AlignCenter:
		return (dots - w) / 2
	case AlignRight:
		return dots - w
	}
	return 0
}

// rasterize draws img as w × h black-and-white dots (scaling it down by averaging when it is
// larger), left blank columns, in a bitmap of left+w columns.
func rasterize(img image.Image, w, h, left int, d Dither) *bitmap {
	lum := luminance(img, w, h)
	bm := newBitmap(left+w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			old := lum[y*w+x]
			if old < 128 {
				bm.set(left+x, y)
			}
			if d != FloydSteinberg {
				continue
			}
			e := old
			if old >= 128 {
				e = old - 255
			}
			if x+1 < w {
				lum[y*w+x+1] += e * 7 / 16
			}
			if y+1 < h {
				if x > 0 {
					lum[(y+1)*w+x-1] += e * 3 / 16
				}
				lum[(y+1)*w+x] += e * 5 / 16
				if x+1 < w {
					lum[(y+1)*w+x+1] += e * 1 / 16
				}
			}
		}
	}
	return bm
}

// luminance samples img onto a w × h grid of grey levels, 0 black to 255 white, each the mean
// of the pixels it covers. Transparent pixels count as white paper.
func luminance(img image.Image, w, h int) []float32 {
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	out := make([]float32, w*h)
	for y := 0; y < h; y++ {
		y0, y1 := b.Min.Y+y*sh/h, b.Min.Y+max((y+1)*sh/h, y*sh/h+1)
		for x := 0; x < w; x++ {
			x0, x1 := b.Min.X+x*sw/w, b.Min.X+max((x+1)*sw/w, x*sw/w+1)
			var sum float32
			for sy := y0; sy < y1; sy++ {
				for sx := x0; sx < x1; sx++ {
					sum += grey(img.At(sx, sy))
				}
			}
			out[y*w+x] = sum / float32((y1-y0)*(x1-x0))
		}
	}
	return out
}

// grey is the luminance of c over white paper, 0 to 255.
func grey(c color.Color) float32 {
	r, g, b, a := c.RGBA()
	paper := 0xffff - a
	return float32(299*(r+paper)+587*(g+paper)+114*(b+paper)) / 1000 / 257
}

// fitImage is the size, in dots, at which img prints on dots of width: its own size, or scaled
// down with its aspect ratio when it is wider.
func fitImage(img image.Image, dots int) (w, h int) {
	w, h = img.Bounds().Dx(), img.Bounds().Dy()
	if w > dots {
		h = max(1, h*dots/w)
		w = dots
	}
	return w, h
}

// symbol is a barcode laid out in dots: its picture, centred with its quiet zone, and the
// module size used, which native printing reuses.
type symbol struct {
	bm     *bitmap
	module int
}

// makeSymbol encodes data as a barcode of symbology s and draws it centred on p's paper.
func makeSymbol(s Symbology, data string, p Profile) (symbol, error) {
	var (
		code          barcode.Barcode
		err           error
		quiet, module int
		rows          int // height in modules, or 0 for a 1-D code
	)
	switch s {
	case Code128:
		code, err = code128.Encode(data)
		quiet, module = code128Quiet, code128Module
	case QR:
		code, err = qr.Encode(data, qr.M, qr.Auto)
		quiet, module = qrQuiet, min(qrMaxModule, p.Dots/64)
		rows = code.Bounds().Dy() + 2*quiet
	default:
		return symbol{}, fmt.Errorf("printers: %v barcode", s)
	}
	if err != nil {
		return symbol{}, fmt.Errorf("printers: %v of %q: %w", s, data, err)
	}
	cols := code.Bounds().Dx() + 2*quiet
	module = min(module, p.Dots/cols)
	if module < 1 {
		return symbol{}, fmt.Errorf("printers: %v of %q needs %d dots, the paper has %d", s, data, cols, p.Dots)
	}
	h := rows * module
	if rows == 0 {
		h = p.mmDots(code128BarMM)
	}
	left := alignOffset(AlignCenter, cols*module, p.Dots)
	bm := newBitmap(left+cols*module, h)
	b := code.Bounds()
	for my := b.Min.Y; my < b.Max.Y; my++ {
		for mx := b.Min.X; mx < b.Max.X; mx++ {
			if grey(code.At(mx, my)) >= 128 {
				continue
			}
			x := left + (mx-b.Min.X+quiet)*module
			if rows == 0 {
				bm.fillRect(x, 0, module, h)
			} else {
				bm.fillRect(x, (my-b.Min.Y+quiet)*module, module, module)
			}
		}
	}
	return symbol{bm: bm, module: module}, nil
}
