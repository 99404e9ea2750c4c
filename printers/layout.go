package printers

import (
	"image"
	"time"
)

// Layout is what a ticket says and in which order, independent of paper width and output.
// It is built once (see TicketLayout) and rendered by both backends, EncodeESCPOS and
// WritePDF, so the printed ticket and its PDF show the same lines, pictures and barcodes.
type Layout struct {
	// Title names the document, e.g. "Antrean A042"; the PDF carries it as its title.
	Title string
	// Created stamps the PDF. Taking it from the layout, not the clock, makes the same layout
	// render to the same bytes; a zero Created stamps the time of writing.
	Created time.Time
	// Elements are printed top to bottom.
	Elements []Element
}

// Element is one item of a layout: a Text, Image, Barcode, Rule or Feed.
type Element interface{ element() }

// Align places a line of text or an image on the width of the paper.
type Align uint8

// Alignments. The zero value is AlignLeft, as on a freshly initialised printer.
const (
	AlignLeft Align = iota
	AlignCenter
	AlignRight
)

// Text is one paragraph in the printer's font (font A, fixed width). Size is the character
// magnification, 1 to 8 in both directions (0 means 1). A paragraph longer than a line at its
// size is set at the largest smaller size at which it fits one line; only at size 1 is it
// wrapped, at spaces where possible. Characters outside ASCII are transliterated.
type Text struct {
	Text  string
	Align Align
	Bold  bool
	Size  int
	// Invert prints white on black, for marks that must stand out (priority).
	Invert bool
}

// Image is a picture such as an office logo, printed as a raster image in black and white:
// one pixel is one dot, and a picture wider than the paper is scaled down to fit.
type Image struct {
	Image  image.Image
	Align  Align
	Dither Dither
}

// Barcode is a Code128 or QR symbol of Data, centred, with its quiet zone and whole-dot
// modules. It is printed as a raster image unless the profile asks for native barcodes.
type Barcode struct {
	Symbology Symbology
	Data      string
}

// Rule is a horizontal line across the paper, one text line high.
type Rule struct{}

// Feed is Lines empty lines of text at size 1.
type Feed struct{ Lines int }

func (Text) element()    {}
func (Image) element()   {}
func (Barcode) element() {}
func (Rule) element()    {}
func (Feed) element()    {}

// Symbology is a kind of barcode.
type Symbology uint8

// Symbologies: Code128 (code set B for native printing) and QR model 2 at error-correction
// level M.
const (
	Code128 Symbology = iota + 1
	QR
)

// String names the symbology as barcode readers do.
func (s Symbology) String() string {
	switch s {
	case Code128:
		return "Code128"
	case QR:
		return "QR"
	}
	return "unknown symbology"
}

// Dither is how a grey picture becomes black and white dots.
type Dither uint8

// Dithers. Threshold turns each pixel darker than mid-grey black: crisp for line art and
// logos. FloydSteinberg spreads each pixel's error to its neighbours: better for photographs.
const (
	Threshold Dither = iota
	FloydSteinberg
)
