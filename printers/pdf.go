package printers

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"

	"github.com/go-pdf/fpdf"
)

// Vertical margins of the PDF page, in millimetres; the side margins are those of the printer.
const pdfMarginMM = 4

// WritePDF renders l as a one-page PDF as wide as p's paper and as long as the ticket, for
// ordinary printers and for preview. It draws the lines, rules, images and barcodes that
// EncodeESCPOS prints, at the same places: text in Courier, whose characters are as wide as
// the printer's, and pictures dot for dot. The PDF is stamped with l.Created, so the same
// layout gives the same bytes.
func WritePDF(w io.Writer, l Layout, p Profile) error {
	blocks, err := place(l, p)
	if err != nil {
		return err
	}
	dot := 25.4 / float64(p.DPI) // millimetres per dot
	left := (p.PaperMM - float64(p.Dots)*dot) / 2
	height := 2.0 * pdfMarginMM
	for _, b := range blocks {
		height += float64(b.height) * dot
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: p.PaperMM, Ht: height}})
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCreationDate(l.Created)
	pdf.SetModificationDate(l.Created)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(l.Title, true)
	pdf.SetCreator("Antre", false)
	pdf.AddPage()
	pdf.SetLineWidth(0.3)
	y := float64(pdfMarginMM)
	for i, b := range blocks {
		switch b.kind {
		case textBlock:
			// Courier's characters are 0.6 em wide: an em of 20 dots per size makes them as
			// wide as font A's 12-dot cells.
			em := 20 * float64(b.size) * dot
			style := ""
			if b.bold {
				style = "B"
			}
			pdf.SetFont("Courier", style, em*72/25.4)
			w := float64(len(b.text)*charDots*b.size) * dot
			x := left + float64(alignOffset(b.align, len(b.text)*charDots*b.size, p.Dots))*dot
			cell := float64(charRows*b.size) * dot
			if b.invert {
				pdf.SetFillColor(0, 0, 0)
				pdf.Rect(x, y, w, cell, "F")
				pdf.SetTextColor(255, 255, 255)
			}
			pdf.Text(x, y+cell*0.78, b.text)
			pdf.SetTextColor(0, 0, 0)
		case ruleBlock:
			mid := y + float64(b.height)*dot/2
			pdf.Line(left, mid, left+float64(p.Dots)*dot, mid)
		case pictureBlock:
			name := fmt.Sprintf("picture%d", i)
			opt := fpdf.ImageOptions{ImageType: "PNG"}
			pdf.RegisterImageOptionsReader(name, opt, bytes.NewReader(pngOf(b.bm)))
			pdf.ImageOptions(name, left, y, float64(b.bm.w)*dot, float64(b.bm.h)*dot, false, opt, 0, "")
		}
		y += float64(b.height) * dot
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("printers: pdf: %w", err)
	}
	return pdf.Output(w)
}

// pngOf encodes bm as a 1-bit PNG.
func pngOf(bm *bitmap) []byte {
	img := image.NewPaletted(image.Rect(0, 0, bm.w, bm.h), color.Palette{color.White, color.Black})
	for y := 0; y < bm.h; y++ {
		for x := 0; x < bm.w; x++ {
			if bm.black(x, y) {
				img.Pix[y*img.Stride+x] = 1
			}
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img) // writing to memory cannot fail
	return buf.Bytes()
}
