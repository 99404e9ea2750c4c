package hq

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"antre"
	"antre/internal/httpapi"
	"antre/tally"
)

// Report is the national report of one period: each office's figures added up over the
// period's business dates (tally.Sum of the days' figures, so a day counts as the office
// counts it), and the national total.
type Report struct {
	// Period is "day", "month" or "year"; From and To its first and last dates.
	Period string      `json:"period"`
	From   string      `json:"from"`
	To     string      `json:"to"`
	Region string      `json:"region,omitempty"`
	Rows   []ReportRow `json:"rows"`
	Total  ReportRow   `json:"total"`
	// Stale counts days whose newest events were not yet folded when the report was made.
	Stale int `json:"stale"`
}

// ReportRow is one office's (or the nation's) figures over the period.
type ReportRow struct {
	Code               string `json:"code"`
	Name               string `json:"name"`
	Region             string `json:"region"`
	Days               int    `json:"days"`
	Issued             int    `json:"issued"`
	Served             int    `json:"served"`
	NoShows            int    `json:"no_shows"`
	Cancelled          int    `json:"cancelled"`
	Called             int    `json:"called"`
	AverageWaitSeconds int64  `json:"average_wait_seconds"`
	LongestWaitSeconds int64  `json:"longest_wait_seconds"`
}

func row(f tally.Figures, days int) ReportRow {
	return ReportRow{Days: days, Issued: f.Issued, Served: f.Served, NoShows: f.NoShows, Cancelled: f.Cancelled, Called: f.Called,
		AverageWaitSeconds: f.AverageWaitSeconds(), LongestWaitSeconds: f.LongestWaitSeconds}
}

// periodRange reads a period and its date (2026-11-25, 2026-11 or 2026) into first and last
// business dates.
func periodRange(period, date string) (string, string, error) {
	bad := antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "report period %q date %q", period, date).WithArgs("period / date")
	switch period {
	case "", "day":
		d, err := time.Parse(time.DateOnly, date)
		if err != nil {
			return "", "", bad
		}
		return d.Format(time.DateOnly), d.Format(time.DateOnly), nil
	case "month":
		d, err := time.Parse("2006-01", date)
		if err != nil {
			return "", "", bad
		}
		return d.Format(time.DateOnly), d.AddDate(0, 1, -1).Format(time.DateOnly), nil
	case "year":
		d, err := time.Parse("2006", date)
		if err != nil {
			return "", "", bad
		}
		return d.Format(time.DateOnly), d.AddDate(1, 0, -1).Format(time.DateOnly), nil
	}
	return "", "", bad
}

// BuildReport makes the report of a period (day, month or year) and its date, for one region
// or all ("").
func (h *HQ) BuildReport(ctx context.Context, period, date, region string) (Report, error) {
	if period == "" {
		period = "day"
	}
	from, to, err := periodRange(period, date)
	if err != nil {
		return Report{}, err
	}
	if err := h.foldStaleDays(ctx); err != nil {
		return Report{}, err
	}
	days, err := h.store.Days(ctx, from, to)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Period: period, From: from, To: to, Region: region, Rows: []ReportRow{}}
	per := map[string][]tally.Figures{}
	for _, d := range days {
		per[d.Office] = append(per[d.Office], d.Figures)
		if d.Stale {
			rep.Stale++
		}
	}
	var all []tally.Figures
	for _, s := range h.view.summaries(region, "region", false) {
		fs := per[s.Code]
		r := row(tally.Sum(fs...), len(fs))
		r.Code, r.Name, r.Region = s.Code, s.Name, s.Region
		rep.Rows = append(rep.Rows, r)
		all = append(all, fs...)
	}
	rep.Total = row(tally.Sum(all...), 0)
	rep.Total.Code = "TOTAL"
	return rep, nil
}

// report answers GET /api/v1/report?period=day|month|year&date=…[&region=R][&format=csv|pdf].
func (h *HQ) report(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	rep, err := h.BuildReport(r.Context(), q.Get("period"), q.Get("date"), q.Get("region"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lang := httpapi.Lang(r)
	name := fmt.Sprintf("antre-laporan-%s-%s", rep.Period, strings.ReplaceAll(q.Get("date"), "/", ""))
	switch q.Get("format") {
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		WriteReportCSV(w, rep, lang)
	case "pdf":
		var b bytes.Buffer
		if err := WriteReportPDF(&b, rep, lang, h.view.now()); err != nil {
			h.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.pdf"`)
		w.Write(b.Bytes())
	default:
		httpapi.WriteJSON(w, http.StatusOK, rep)
	}
}

// reportColumns are the report's columns: catalogue key and value of a row.
var reportColumns = []struct {
	key antre.MsgKey
	val func(ReportRow) string
}{
	{"hq.office", func(r ReportRow) string { return r.Code }},
	{"hq.name", func(r ReportRow) string { return r.Name }},
	{"hq.region", func(r ReportRow) string { return r.Region }},
	{"hq.days", func(r ReportRow) string { return strconv.Itoa(r.Days) }},
	{"hq.issued", func(r ReportRow) string { return strconv.Itoa(r.Issued) }},
	{"hq.served", func(r ReportRow) string { return strconv.Itoa(r.Served) }},
	{"hq.no_shows", func(r ReportRow) string { return strconv.Itoa(r.NoShows) }},
	{"hq.cancelled", func(r ReportRow) string { return strconv.Itoa(r.Cancelled) }},
	{"hq.average_wait", func(r ReportRow) string { return minutes(r.AverageWaitSeconds) }},
	{"hq.longest_wait", func(r ReportRow) string { return minutes(r.LongestWaitSeconds) }},
}

func minutes(s int64) string { return strconv.FormatFloat(float64(s)/60, 'f', 1, 64) }

// WriteReportCSV writes the report as CSV: a header of the columns' names in lang, a row per
// office, the national total last. Waits are in minutes.
func WriteReportCSV(w interface{ Write([]byte) (int, error) }, rep Report, lang string) error {
	cw := csv.NewWriter(w)
	head := make([]string, len(reportColumns))
	for i, c := range reportColumns {
		head[i] = antre.T(lang, c.key)
	}
	cw.Write(head)
	for _, r := range append(append([]ReportRow{}, rep.Rows...), rep.Total) {
		rec := make([]string, len(reportColumns))
		for i, c := range reportColumns {
			rec[i] = c.val(r)
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// WriteReportPDF writes the report as a landscape A4 PDF table with its title, period and the
// time it was made (stamped, so the same report at the same instant gives the same bytes).
func WriteReportPDF(w interface{ Write([]byte) (int, error) }, rep Report, lang string, made time.Time) error {
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.SetCreationDate(made)
	pdf.SetModificationDate(made)
	pdf.SetCatalogSort(true)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	title := antre.T(lang, "hq.report_title")
	pdf.SetTitle(title, true)
	pdf.SetCreator("Antre", false)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 14)
	pdf.CellFormat(0, 8, tr(title), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	period := antre.T(lang, antre.MsgKey("hq.period."+rep.Period))
	sub := fmt.Sprintf("%s: %s – %s", period, rep.From, rep.To)
	if rep.Region != "" {
		sub += " · " + antre.T(lang, "hq.region") + ": " + rep.Region
	}
	pdf.CellFormat(0, 6, tr(sub), "", 1, "L", false, 0, "")
	pdf.CellFormat(0, 6, tr(antre.T(lang, "hq.generated")+": "+made.UTC().Format("2006-01-02 15:04 UTC")), "", 1, "L", false, 0, "")
	pdf.Ln(2)
	widths := []float64{32, 70, 30, 14, 18, 18, 18, 18, 28, 28}
	pdf.SetFont("Helvetica", "B", 8)
	pdf.SetFillColor(230, 230, 230)
	for i, c := range reportColumns {
		pdf.CellFormat(widths[i], 7, tr(antre.T(lang, c.key)), "1", 0, "C", true, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont("Helvetica", "", 8)
	rows := append(append([]ReportRow{}, rep.Rows...), rep.Total)
	for n, r := range rows {
		if n == len(rows)-1 {
			pdf.SetFont("Helvetica", "B", 8)
		}
		for i, c := range reportColumns {
			align := "R"
			if i < 3 {
				align = "L"
			}
			v := c.val(r)
			if n == len(rows)-1 && i == 0 {
				v = antre.T(lang, "hq.total")
			}
			pdf.CellFormat(widths[i], 6, tr(v), "1", 0, align, false, 0, "")
		}
		pdf.Ln(-1)
	}
	if rep.Stale > 0 {
		pdf.Ln(2)
		pdf.SetFont("Helvetica", "I", 8)
		pdf.CellFormat(0, 5, tr(antre.T(lang, "hq.report_stale", rep.Stale)), "", 1, "L", false, 0, "")
	}
	return pdf.Output(w)
}
