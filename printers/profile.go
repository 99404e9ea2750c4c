package printers

import "fmt"

// Font A of ESC/POS printers is 12 × 24 dots at 180 and 203 dpi alike; every profile uses it,
// so a line holds Dots/12 characters at size 1.
const (
	charDots = 12
	charRows = 24
)

// Profile describes a class of receipt printer: its paper, its print head and how it takes
// barcodes. The layout of a ticket does not depend on the profile; the profile decides how many
// characters fit a line, the barcode module sizes and the PDF page size. Build one with
// Profile58, Profile80, Profile80At180 or ProfileByName, then set the options.
type Profile struct {
	// Name is how the profile is chosen on the command line: "58", "80" or "80-180".
	Name string
	// PaperMM is the width of the paper roll in millimetres; the PDF page is this wide.
	PaperMM float64
	// Dots is the printable width in dots. Text, rules and images never go beyond it.
	Dots int
	// DPI is the resolution of the print head, in dots per inch. It turns dots into
	// millimetres for the PDF, and the default line spacing (1/6 inch) into dots.
	DPI int
	// NativeBarcodes sends Code128 with GS k and QR with GS ( k instead of raster images.
	// Raster is the default because printers differ in which native barcodes they support.
	NativeBarcodes bool
	// PartialCut leaves a small hinge when cutting the ticket off; the default is a full cut.
	PartialCut bool
}

// Profile58 is the common 58 mm printer: 384 dots at 203 dpi, 32 characters per line.
func Profile58() Profile { return Profile{Name: "58", PaperMM: 58, Dots: 384, DPI: 203} }

// Profile80 is the common 80 mm printer: 576 dots at 203 dpi, 48 characters per line.
func Profile80() Profile { return Profile{Name: "80", PaperMM: 80, Dots: 576, DPI: 203} }

// Profile80At180 is an 80 mm printer with a 180 dpi head (Epson TM-T88 class): 512 dots,
// 42 characters per line.
func Profile80At180() Profile { return Profile{Name: "80-180", PaperMM: 80, Dots: 512, DPI: 180} }

// ProfileByName returns the profile named "58", "80" or "80-180".
func ProfileByName(name string) (Profile, error) {
	for _, p := range []Profile{Profile58(), Profile80(), Profile80At180()} {
		if p.Name == name {
			return p, nil
		}
	}
	return Profile{}, fmt.Errorf("printers: unknown paper %q (want 58, 80 or 80-180)", name)
}

// columns is how many characters of magnification size fit one line.
func (p Profile) columns(size int) int { return p.Dots / (charDots * size) }

// lineDots is how far one line of text of magnification size advances the paper: the default
// line spacing of 1/6 inch, or the character height when the characters are taller.
func (p Profile) lineDots(size int) int { return max(p.DPI/6, charRows*size) }

// mmDots converts millimetres to whole dots.
func (p Profile) mmDots(mm float64) int { return int(mm*float64(p.DPI)/25.4 + 0.5) }
