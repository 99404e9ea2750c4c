package printers

import (
	"context"
	"io"
	"strings"
)

// EncodeESCPOS renders l as one ESC/POS job for a printer of profile p: it initialises the
// printer and selects code page 437, prints the elements top to bottom, then feeds the last
// line past the cutter and cuts (GS V), fully or partially as the profile says. Pictures are
// sent left aligned with their offset drawn in, so they land in the same place on every
// printer, whether or not it applies ESC a to raster images. Native barcodes are centred
// with ESC a; the printer returns to the start of the line after each.
func EncodeESCPOS(l Layout, p Profile) ([]byte, error) {
	blocks, err := place(l, p)
	if err != nil {
		return nil, err
	}
	var e Encoder
	e.buf = make([]byte, 0, 1024+jobSize(blocks))
	e.Init()
	e.CodePage437()
	st := printState{size: 1}
	for _, b := range blocks {
		switch b.kind {
		case textBlock:
			st.set(&e, b.align, b.bold, b.invert, b.size)
			e.Line(b.text)
		case ruleBlock:
			st.set(&e, AlignLeft, false, false, 1)
			e.Line(strings.Repeat("-", p.columns(1)))
		case feedBlock:
			e.Feed(b.lines)
		case pictureBlock:
			if b.native == nil {
				st.set(&e, AlignLeft, st.bold, false, st.size)
				e.raster(b.bm)
				continue
			}
			st.set(&e, AlignCenter, st.bold, false, st.size)
			if b.native.symbology == QR {
				err = e.QR(b.native.data, b.native.module)
			} else {
				err = e.Code128(b.native.data, b.native.module, b.height)
			}
			if err != nil { // the layout's data does not fit the printer's command
				return nil, err
			}
		}
	}
	e.Cut(p.PartialCut)
	return e.buf, nil
}

// jobSize estimates the bytes of a job, so its buffer is allocated once.
func jobSize(blocks []block) int {
	n := 0
	for _, b := range blocks {
		n += len(b.text) + 16
		if b.bm != nil {
			n += len(b.bm.bits) + 16
		}
	}
	return n
}

// printState is the printer's text mode while a job is encoded; it sends only the commands
// that change something.
type printState struct {
	align        Align
	bold, invert bool
	size         int
}

func (st *printState) set(e *Encoder, a Align, bold, invert bool, size int) {
	if a != st.align {
		e.Align(a)
	}
	if bold != st.bold {
		e.Bold(bold)
	}
	if invert != st.invert {
		e.Invert(invert)
	}
	if size != st.size {
		e.Size(size, size)
	}
	*st = printState{align: a, bold: bold, invert: invert, size: size}
}

// Print renders l for profile p with EncodeESCPOS and sends the job to w in one write. When w
// is a Printer from Open, the write gives up when ctx ends or the link's write timeout passes.
// Print does not check the printer's status; call Status first.
func Print(ctx context.Context, w io.Writer, l Layout, p Profile) error {
	job, err := EncodeESCPOS(l, p)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if cw, ok := w.(contextWriter); ok {
		_, err = cw.writeContext(ctx, job)
	} else {
		_, err = w.Write(job)
	}
	return err
}

// contextWriter is a transport whose writes can be abandoned when a context ends.
type contextWriter interface {
	writeContext(ctx context.Context, b []byte) (int, error)
}
