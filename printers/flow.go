package printers

import (
	"errors"
	"fmt"
	"strings"
)

// block is one line of text, rule, feed or picture of a layout placed on a profile's paper:
// what both backends draw, so they agree line by line and dot by dot.
type block struct {
	kind   blockKind
	text   string // one line of ASCII text
	size   int    // character magnification
	bold   bool
	invert bool
	align  Align
	lines  int     // feed
	bm     *bitmap // picture, already offset from the left margin
	native *nativeBarcode
	height int // dots the block advances the paper
}

type blockKind uint8

const (
	textBlock blockKind = iota
	ruleBlock
	feedBlock
	pictureBlock
)

// nativeBarcode is a barcode the printer draws itself; the block's bitmap shows the same
// symbol for the PDF.
type nativeBarcode struct {
	symbology Symbology
	data      string
	module    int // dots; the Code128 bars are as tall as the block
}

// place lays l out on p's paper: it sets text sizes, wraps lines, and draws images and
// barcodes in dots.
func place(l Layout, p Profile) ([]block, error) {
	if p.Dots < charDots || p.DPI <= 0 {
		return nil, fmt.Errorf("printers: profile %q has %d dots at %d dpi", p.Name, p.Dots, p.DPI)
	}
	var out []block
	for _, el := range l.Elements {
		switch el := el.(type) {
		case Text:
			out = placeText(out, el, p)
		case Rule:
			out = append(out, block{kind: ruleBlock, height: p.lineDots(1)})
		case Feed:
			if el.Lines > 0 {
				out = append(out, block{kind: feedBlock, lines: el.Lines, height: el.Lines * p.lineDots(1)})
			}
		case Image:
			if el.Image == nil {
				return nil, errors.New("printers: image element without an image")
			}
			w, h := fitImage(el.Image, p.Dots)
			if w == 0 || h == 0 {
				continue
			}
			bm := rasterize(el.Image, w, h, alignOffset(el.Align, w, p.Dots), el.Dither)
			out = append(out, block{kind: pictureBlock, bm: bm, height: bm.h})
		case Barcode:
			s, err := makeSymbol(el.Symbology, el.Data, p)
			if err != nil {
				return nil, err
			}
			b := block{kind: pictureBlock, bm: s.bm, height: s.bm.h}
			// Native Code128 modules are 2 to 6 dots; a code too long for that stays raster.
			if p.NativeBarcodes && (el.Symbology == QR || s.module >= 2) {
				b.native = &nativeBarcode{symbology: el.Symbology, data: el.Data, module: s.module}
			}
			out = append(out, b)
		default:
			return nil, fmt.Errorf("printers: unknown layout element %T", el)
		}
	}
	return out, nil
}

// placeText appends the lines of t: at the largest size, up to t.Size, at which its longest
// paragraph fits one line, wrapped only when even size 1 is too wide.
func placeText(out []block, t Text, p Profile) []block {
	paras := strings.Split(strings.ReplaceAll(t.Text, "\r\n", "\n"), "\n")
	longest := 0
	for i, s := range paras {
		paras[i] = Transliterate(s)
		longest = max(longest, len(paras[i]))
	}
	size := min(max(t.Size, 1), 8)
	for size > 1 && longest > p.columns(size) {
		size--
	}
	for _, para := range paras {
		for _, line := range wrap(para, p.columns(size)) {
			out = append(out, block{kind: textBlock, text: line, size: size, bold: t.Bold,
				invert: t.Invert, align: t.Align, height: p.lineDots(size)})
		}
	}
	return out
}

// wrap breaks s into lines of at most cols characters: at spaces where it can, inside words
// longer than a line where it must. A line that fits is kept as it is, spaces included.
func wrap(s string, cols int) []string {
	if len(s) <= cols {
		return []string{s}
	}
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len(line)+1+len(w) <= cols {
			line += " " + w
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		for len(w) > cols {
			lines = append(lines, w[:cols])
			w = w[cols:]
		}
		line = w
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}
