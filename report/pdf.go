package report

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/go-pdf/fpdf"

	"antre"
)

// pageW is the usable width of a landscape A4 page between 10 mm margins.
const pageW = 277.0

// WritePDF writes the report as a landscape A4 PDF in lang: a cover with the office and the
// period, the summary, bar and line charts drawn with fpdf's own lines and rectangles (tickets
// per day or month, arrivals and finishes by hour, median wait per group), then every table;
// numbers and dates in lang's formats ("1.234", "4 Desember 2026"), durations in minutes, and
// "Halaman N dari M" at the foot of each page. It is stamped with made, so the same report at
// the same instant gives the same bytes.
func WritePDF(w io.Writer, d Document, lang string, made time.Time) error {
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.SetCreationDate(made)
	pdf.SetModificationDate(made)
	pdf.SetCatalogSort(true)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	title := antre.T(lang, "report.title")
	pdf.SetTitle(title, true)
	pdf.SetCreator("Antre", false)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("Helvetica", "", 8)
		pdf.CellFormat(0, 6, tr(antre.T(lang, "report.page", pdf.PageNo(), "{nb}")), "", 0, "C", false, 0, "")
	})
	period := FormatDate(d.From, lang)
	if d.To != d.From {
		period += " – " + FormatDate(d.To, lang)
	}

	// The cover.
	pdf.AddPage()
	pdf.SetY(60)
	pdf.SetFont("Helvetica", "B", 24)
	pdf.CellFormat(0, 14, tr(title), "", 1, "C", false, 0, "")
	pdf.SetFont("Helvetica", "", 16)
	pdf.CellFormat(0, 10, tr(d.OfficeName+" ("+d.Office+")"), "", 1, "C", false, 0, "")
	pdf.CellFormat(0, 10, tr(antre.T(lang, "report.period")+": "+period), "", 1, "C", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	pdf.CellFormat(0, 8, tr(antre.T(lang, "report.generated")+": "+FormatDate(made.Format(time.DateOnly), lang)+" "+made.Format("15:04 MST")),
		"", 1, "C", false, 0, "")
	pdf.Ln(10)
	// The four totals on the cover, large.
	totals := []struct {
		key antre.MsgKey
		n   int
	}{{"report.col.issued", d.Tickets.Issued}, {"report.col.served", d.Tickets.Served}, {"report.col.no_show", d.Tickets.NoShow}, {"report.col.cancelled", d.Tickets.Cancelled}}
	x0 := 10 + (pageW-4*60)/2
	y := pdf.GetY()
	for i, t := range totals {
		pdf.SetXY(x0+float64(i)*60, y)
		pdf.SetFont("Helvetica", "B", 20)
		pdf.CellFormat(60, 10, tr(FormatInt(int64(t.n), lang)), "", 2, "C", false, 0, "")
		pdf.SetFont("Helvetica", "", 10)
		pdf.CellFormat(60, 6, tr(antre.T(lang, t.key)), "", 0, "C", false, 0, "")
	}

	// The charts.
	pdf.AddPage()
	labels, bars, line := perDay(d, lang)
	chart(pdf, tr, antre.T(lang, "report.chart.days"), labels, bars, line, 10, 15, pageW, 80)
	hl, ha, hf := []string{}, []float64{}, []float64{}
	for h := 6; h < 19; h++ {
		hl, ha, hf = append(hl, strconv.Itoa(h)), append(ha, float64(d.Arrivals[h])), append(hf, float64(d.Finishes[h]))
	}
	chart(pdf, tr, antre.T(lang, "report.chart.hours"), hl, ha, hf, 10, 110, pageW/2-5, 70)
	gl, gw := []string{}, []float64{}
	for _, g := range d.Groups {
		gl, gw = append(gl, g.Group), append(gw, float64(g.Waiting.MedianS)/60)
	}
	chart(pdf, tr, antre.T(lang, "report.chart.groups"), gl, gw, nil, 10+pageW/2+5, 110, pageW/2-5, 70)

	// The tables.
	pdf.AddPage()
	for _, t := range Tables(d, lang) {
		table(pdf, tr, t, lang)
	}
	return pdf.Output(w)
}

// perDay is the series of the days chart: each day of a period up to 62 days, else each month.
func perDay(d Document, lang string) (labels []string, issued, served []float64) {
	if len(d.Days) <= 62 {
		for _, x := range d.Days {
			labels, issued, served = append(labels, x.Date[8:]), append(issued, float64(x.Issued)), append(served, float64(x.Served))
		}
		return
	}
	idx := map[string]int{}
	for _, x := range d.Days {
		m := x.Date[:7]
		i, ok := idx[m]
		if !ok {
			i = len(labels)
			idx[m] = i
			mon, _ := strconv.Atoi(x.Date[5:7])
			name := monthsID[mon-1][:3]
			if lang == "en" {
				name = time.Month(mon).String()[:3]
			}
			labels, issued, served = append(labels, name), append(issued, 0), append(served, 0)
		}
		issued[i] += float64(x.Issued)
		served[i] += float64(x.Served)
	}
	return
}

// chart draws a bar chart of bars with an optional line over it, in the box at x, y of width
// w and height h, with its title above, the scale's top at the left and the labels below.
func chart(pdf *fpdf.Fpdf, tr func(string) string, title string, labels []string, bars, line []float64, x, y, w, h float64) {
	pdf.SetFont("Helvetica", "B", 10)
	pdf.SetXY(x, y)
	pdf.CellFormat(w, 6, tr(title), "", 0, "L", false, 0, "")
	top := 0.0
	for i := range bars {
		top = max(top, bars[i])
		if i < len(line) {
			top = max(top, line[i])
		}
	}
	if top == 0 {
		top = 1
	}
	px, py, pw, ph := x+12, y+8, w-14, h-16
	pdf.SetDrawColor(120, 120, 120)
	pdf.SetLineWidth(0.2)
	pdf.Line(px, py, px, py+ph)
	pdf.Line(px, py+ph, px+pw, py+ph)
	pdf.SetFont("Helvetica", "", 7)
	pdf.SetXY(x, py-2)
	pdf.CellFormat(11, 4, strconv.FormatFloat(top, 'f', -1, 64), "", 0, "R", false, 0, "")
	pdf.SetXY(x, py+ph-2)
	pdf.CellFormat(11, 4, "0", "", 0, "R", false, 0, "")
	n := len(bars)
	if n == 0 {
		return
	}
	slot := pw / float64(n)
	pdf.SetFillColor(70, 130, 180)
	every := max(1, n/24)
	for i, v := range bars {
		bh := ph * v / top
		pdf.Rect(px+float64(i)*slot+slot*0.15, py+ph-bh, slot*0.7, bh, "F")
		if i%every == 0 {
			pdf.SetXY(px+float64(i)*slot, py+ph+1)
			pdf.CellFormat(slot*float64(every), 4, tr(labels[i]), "", 0, "C", false, 0, "")
		}
	}
	if len(line) > 0 {
		pdf.SetDrawColor(220, 90, 40)
		pdf.SetLineWidth(0.6)
		pdf.SetFillColor(220, 90, 40)
		for i := 0; i < len(line) && i < n; i++ {
			cx, cy := px+(float64(i)+0.5)*slot, py+ph-ph*line[i]/top
			if i > 0 {
				pdf.Line(px+(float64(i)-0.5)*slot, py+ph-ph*line[i-1]/top, cx, cy)
			}
			pdf.Circle(cx, cy, 0.8, "F")
		}
		pdf.SetLineWidth(0.2)
	}
	pdf.SetDrawColor(0, 0, 0)
}

// table draws t with its title, a header row and its rows, starting a new page when the rest
// does not fit.
func table(pdf *fpdf.Fpdf, tr func(string) string, t Table, lang string) {
	const rowH = 5.5
	if pdf.GetY()+3*rowH+8 > 190 {
		pdf.AddPage()
	}
	pdf.SetFont("Helvetica", "B", 11)
	pdf.CellFormat(0, 8, tr(antre.T(lang, antre.MsgKey("report.table."+t.Name))), "", 1, "L", false, 0, "")
	first := 55.0
	if len(t.Columns) > 8 {
		first = 25
	}
	rest := (pageW - first) / float64(max(len(t.Columns)-1, 1))
	if len(t.Columns) <= 3 {
		first, rest = 80, 40
	}
	width := func(i int) float64 {
		if i == 0 {
			return first
		}
		return rest
	}
	header := func() {
		pdf.SetFont("Helvetica", "B", 7)
		pdf.SetFillColor(230, 230, 230)
		for i, c := range t.Columns {
			pdf.CellFormat(width(i), rowH+1, tr(antre.T(lang, antre.MsgKey("report.col."+c))), "1", 0, "C", true, 0, "")
		}
		pdf.Ln(-1)
		pdf.SetFont("Helvetica", "", 8)
	}
	header()
	if len(t.Rows) == 0 {
		pdf.CellFormat(first, rowH, tr(antre.T(lang, "report.none")), "1", 1, "L", false, 0, "")
	}
	for _, row := range t.Rows {
		if pdf.GetY()+rowH > 192 {
			pdf.AddPage()
			header()
		}
		for i, v := range row {
			align := "R"
			if _, ok := v.(string); ok {
				align = "L"
			}
			pdf.CellFormat(width(i), rowH, tr(cell(v, lang)), "1", 0, align, false, 0, "")
		}
		pdf.Ln(-1)
	}
	pdf.Ln(4)
}

// fileName is a report's file name for a period: antre-laporan-FROM_TO.
func fileName(p Period) string { return fmt.Sprintf("antre-laporan-%s_%s", p.From, p.To) }
