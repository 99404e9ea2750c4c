package main

import (
	"antre"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"antre/printers"
)

func init() {
	commands["printer"] = command{summary: "print a test ticket (antre printer test --printer ADDR --paper 58|80)", run: runPrinter}
}

const printerUsage = "usage: antre printer test --printer ADDR --paper 58|80|80-180 [--code A042] [--office NAME] [--pdf FILE]"

// runPrinter prints a sample ticket, with its Code128 and QR, to check a printer and its paper
// width. On a two-way link it reads the printer's status first and refuses to print, with a
// message in Indonesian and English, when the printer reports a fault.
func runPrinter(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "test" {
		return errors.New(printerUsage)
	}
	fs := newFlags("printer test", printerUsage)
	addr := fs.String("printer", os.Getenv("ANTRE_PRINTER"), "printer address: usb:/dev/usb/lp0, tcp:HOST[:PORT] or file:PATH [ANTRE_PRINTER]")
	paper := fs.String("paper", envOr("ANTRE_PAPER", "80"), "paper: 58, 80, or 80-180 (80 mm, 180 dpi head) [ANTRE_PAPER]")
	code := fs.String("code", "A042", "ticket code")
	office := fs.String("office", "Kantor Imigrasi", "office name")
	pdfPath := fs.String("pdf", "", "also write the ticket as a PDF to `FILE`")
	lang := fs.String("lang", "id", "ticket language: id or en")
	priority := fs.String("priority", "", "priority mark, e.g. \"PRIORITAS – Lansia\"")
	native := fs.Bool("native", false, "send barcodes as printer commands instead of images")
	url := fs.String("url", "", "status URL in the QR (default https://antre.example/status/CODE)")
	timeout := fs.Duration("timeout", 15*time.Second, "give up on the printer after this long")
	if help, err := parseFlags(fs, args[1:]); help || err != nil {
		return err
	}
	if fs.NArg() > 0 || (*addr == "" && *pdfPath == "") {
		fs.Usage()
		return errors.New("need --printer ADDR or --pdf FILE")
	}
	profile, err := printers.ProfileByName(*paper)
	if err != nil {
		return err
	}
	profile.NativeBarcodes = *native
	if *url == "" {
		*url = "https://antre.example/status/" + *code
	}
	group := strings.TrimRight(*code, "0123456789")
	sample := antre.IssuedTicket{Ticket: antre.Ticket{Code: *code, Group: group, IssuedAt: time.Now()}, GroupName: "Contoh / Sample",
		Ahead: 12, EstimatedWaitMinutes: 35, ArrivalPeriod: "08:00–12:00", StatusURL: *url}
	layout, err := printers.TicketLayout(sample, printers.TicketPrint{Office: *office, Lang: *lang, Mark: *priority,
		Footer: []string{"Layanan ini GRATIS. Tolak calo.", "Tiket uji printer / printer test ticket"}})
	if err != nil {
		return err
	}
	if *pdfPath != "" {
		if err := writePDF(*pdfPath, layout, profile); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "PDF tertulis / PDF written: %s\n", *pdfPath)
	}
	if *addr == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	return printTest(ctx, *addr, layout, profile)
}

// printTest checks the printer's status, then prints the layout.
func printTest(ctx context.Context, addr string, l printers.Layout, p printers.Profile) error {
	pr, err := printers.Open(ctx, addr)
	if err != nil {
		return fmt.Errorf("printer tidak dapat dibuka / cannot open printer: %w", err)
	}
	defer pr.Close()
	st, err := pr.Status(ctx)
	if err != nil {
		return fmt.Errorf("status printer tidak terbaca / cannot read printer status: %w", err)
	}
	if err := st.Err(); err != nil {
		return err
	}
	if st.PaperNearEnd {
		fmt.Fprintln(os.Stderr, "peringatan: kertas hampir habis / warning: paper near end")
	}
	if err := printers.Print(ctx, pr, l, p); err != nil {
		return fmt.Errorf("gagal mencetak / printing failed: %w", err)
	}
	if err := pr.Close(); err != nil {
		return fmt.Errorf("gagal mencetak / printing failed: %w", err)
	}
	fmt.Fprintf(os.Stderr, "tiket uji tercetak / test ticket printed: %s, %s mm (%s)\n", addr, p.Name, st)
	return nil
}

func writePDF(path string, l printers.Layout, p printers.Profile) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := printers.WritePDF(f, l, p); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
