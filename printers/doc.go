// Package printers prints queue tickets: it lays the hub's ticket (antre.IssuedTicket, the one
// shape a ticket has from the hub's answer to the paper) out once, then renders that layout
// as an ESC/POS job for a receipt printer or as a narrow PDF page for ordinary printers and
// on-screen preview, and it talks to receipt printers over USB, raw TCP (port 9100) or a file.
//
// The pieces, in the order a kiosk uses them:
//
//	l, err := printers.TicketLayout(t, tp)            // the hub's ticket as the office prints it
//	p, err := printers.Open(ctx, "tcp:10.0.0.7:9100") // a Printer: io.Writer plus Status
//	st, err := p.Status(ctx)                          // DLE EOT 1, 2, 4 decoded
//	if err := st.Err(); err != nil { ... }            // paper out, cover open, offline
//	err = printers.Print(ctx, p, l, printers.Profile80())
//	err = printers.WritePDF(w, l, printers.Profile80())
//
// A Profile (58 mm, 80 mm, 80 mm at 180 dpi) decides line width, barcode module sizes, whether
// barcodes are sent as raster images (the portable default) or as native printer commands, and
// the PDF page size. Text is sent in code page 437 restricted to ASCII; anything else is
// transliterated (see Transliterate).
package printers
