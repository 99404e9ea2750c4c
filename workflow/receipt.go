package workflow

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"time"

	"antre"
	"antre/printers"
)

// receiptLayout lays out the receipt (tanda terima) of a file in lang: the office, the title,
// the application number very large and as Code 128, the ticket, the applicant's name (it is
// the applicant's own paper), the kind, when and by whom it was received, the seven stages, the
// promised date (or the rule, before payment), the fee and billing code once known, and how to
// check the status: the web address (also as a QR code), SMS STATUS and the information kiosk's
// scanner.
func (m *Module) receiptLayout(f file, lang string) printers.Layout {
	t := func(key string, args ...any) string {
		return antre.T(lang, antre.MsgKey("workflow.receipt."+key), args...)
	}
	loc := m.office.Location
	received := f.CreatedAt.In(loc).Format("02-01-2006 15:04")
	statusURL := m.host.PublicURL() + "/application/" + url.PathEscape(f.Number)
	els := []printers.Element{
		printers.Text{Text: m.office.Name, Align: printers.AlignCenter, Bold: true},
		printers.Text{Text: t("title"), Align: printers.AlignCenter, Bold: true},
		printers.Rule{},
		printers.Text{Text: t("number"), Align: printers.AlignCenter},
		printers.Text{Text: f.Number, Align: printers.AlignCenter, Bold: true, Size: 3},
		printers.Barcode{Symbology: printers.Code128, Data: f.Number},
		printers.Feed{Lines: 1},
		printers.Text{Text: t("ticket", f.Ticket)},
		printers.Text{Text: t("name", f.Name)},
		printers.Text{Text: t("kind", antre.T(lang, antre.MsgKey("workflow.kind."+string(f.Kind))))},
		printers.Text{Text: t("received", received, f.CreatedBy)},
		printers.Rule{},
		printers.Text{Text: t("stages")},
	}
	if f.Due != "" {
		d, _ := time.Parse(time.DateOnly, f.Due)
		els = append(els, printers.Text{Text: t("due", d.Format("02-01-2006")), Bold: true})
	} else {
		els = append(els, printers.Text{Text: t("due_rule", m.cfg.CompletionDays), Bold: true})
	}
	if f.BillingCode != "" {
		els = append(els, printers.Text{Text: t("fee", rupiah(f.Fee), f.BillingCode)})
	}
	els = append(els, printers.Rule{},
		printers.Text{Text: t("check", statusURL)},
		printers.Barcode{Symbology: printers.QR, Data: statusURL},
		printers.Text{Text: t("sms", f.Number), Align: printers.AlignCenter},
		printers.Text{Text: t("kiosk"), Align: printers.AlignCenter},
		printers.Rule{},
		printers.Text{Text: t("keep"), Align: printers.AlignCenter},
	)
	return printers.Layout{Title: t("title") + " " + f.Number, Created: f.CreatedAt, Elements: els}
}

// desk returns the configured desk named name.
func (m *Module) desk(name string) (DeskConfig, printers.Profile, error) {
	for _, d := range m.cfg.Desks {
		if d.Name == name {
			p, err := printers.ProfileByName(d.Paper)
			return d, p, err
		}
	}
	return DeskConfig{}, printers.Profile{}, antre.Errorf(antre.EINVALID, msgBadDesk, "no desk %q", truncate(name, 32)).WithArgs(truncate(name, 32))
}

// PrintReceipt prints a file's receipt on the printer of the desk p works at: the printer's
// status first (a fault is refused with its problem, nothing printed), then the ESC/POS job in
// one write. The view of the applicant's data is recorded.
func (m *Module) PrintReceipt(ctx context.Context, p antre.Principal, number, deskName, lang string) (int, error) {
	number, err := antre.ParseApplicationNumber(number)
	if err != nil {
		return 0, err
	}
	d, prof, err := m.desk(deskName)
	if err != nil {
		return 0, err
	}
	f, err := loadFile(ctx, m.db, number)
	if err != nil {
		return 0, err
	}
	if err := m.recordView(ctx, p, number, "receipt:"+d.Name); err != nil {
		return 0, err
	}
	job, err := printers.EncodeESCPOS(m.receiptLayout(f, lang), prof)
	if err != nil {
		return 0, err
	}
	fail := func(err error) (int, error) {
		m.log.Warn("receipt printer", "desk", d.Name, "printer", d.Printer, "err", err)
		return 0, antre.Errorf(antre.EUNAVAILABLE, msgPrinter, "desk %s printer: %v", d.Name, err).WithArgs(err.Error())
	}
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	pr, err := printers.Open(pctx, d.Printer)
	if err != nil {
		return fail(err)
	}
	defer pr.Close()
	st, err := pr.Status(pctx)
	if err != nil {
		return fail(err)
	}
	if err := st.Err(); err != nil {
		return fail(err)
	}
	if _, err := pr.Write(job); err != nil {
		return fail(err)
	}
	return len(job), nil
}

// ReceiptPDF writes a file's receipt as a PDF as wide as the desk's paper (80 mm when no desk is
// given) to w, for an ordinary printer or the applicant's phone. The view is recorded.
func (m *Module) ReceiptPDF(ctx context.Context, p antre.Principal, number, deskName, lang string, w io.Writer) error {
	number, err := antre.ParseApplicationNumber(number)
	if err != nil {
		return err
	}
	prof := printers.Profile80()
	if deskName != "" {
		if _, prof, err = m.desk(deskName); err != nil {
			return err
		}
	}
	f, err := loadFile(ctx, m.db, number)
	if err != nil {
		return err
	}
	if err := m.recordView(ctx, p, number, "receipt:pdf"); err != nil {
		return err
	}
	if err := printers.WritePDF(w, m.receiptLayout(f, lang), prof); err != nil {
		return fmt.Errorf("receipt pdf: %w", err)
	}
	return nil
}
