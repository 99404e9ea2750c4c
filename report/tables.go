package report

import (
	"strconv"

	"antre"
	"antre/tally"
)

// Document is a report as the API answers it in JSON: the office, the period and every table's
// figures (tally.Report's fields at the top level).
type Document struct {
	Office     string `json:"office"`
	OfficeName string `json:"office_name"`
	tally.Report
}

// seconds is a duration cell in whole seconds; PDF shows it as minutes.
type seconds int64

// percent is a share in percent with one decimal.
type percent float64

// score is an index with two decimals (84.03); PDF writes it in lang's marks (84,03).
type score float64

// date is a YYYY-MM-DD cell; PDF writes it in words ("4 Desember 2026").
type date string

// Table is one of a report's tables: its name (the CSV file, the &table= value), its columns'
// catalogue keys and its rows of cells (string, int, seconds, percent or date).
type Table struct {
	Name    string
	Columns []string
	Rows    [][]any
}

// TableNames lists the tables every report has, in the order the PDF and the zip hold them.
var TableNames = []string{"summary", "days", "groups", "pools", "categories", "calls", "counters", "officers", "hours",
	"files", "stages", "satisfaction", "complaints"}

func dist(d tally.Distribution) []any {
	return []any{d.Count, seconds(d.MedianS), seconds(d.P90S), seconds(d.MaxS)}
}

var distCols = []string{"count", "median_s", "p90_s", "max_s"}

// waitCols and svcCols are a counter's or officer's columns: the tickets it called first and
// their waits, the service segments it gave and their times.
var (
	waitCols = []string{"called", "wait_median_s", "wait_p90_s", "wait_max_s"}
	svcCols  = []string{"served", "service_median_s", "service_p90_s", "service_max_s"}
)

func counts(c tally.TicketCounts) []any { return []any{c.Issued, c.Served, c.NoShow, c.Cancelled} }

var countCols = []string{"issued", "served", "no_show", "cancelled"}

// Tables are the report's tables; lang names the rows that are words (a pool, a category).
func Tables(d Document, lang string) []Table {
	r := d.Report
	var out []Table
	add := func(name string, cols []string, rows [][]any) {
		if rows == nil {
			rows = [][]any{}
		}
		out = append(out, Table{Name: name, Columns: cols, Rows: rows})
	}
	add("summary", []string{"figure", "value"}, [][]any{
		{antre.T(lang, "report.col.issued"), r.Tickets.Issued},
		{antre.T(lang, "report.col.served"), r.Tickets.Served},
		{antre.T(lang, "report.col.no_show"), r.Tickets.NoShow},
		{antre.T(lang, "report.col.cancelled"), r.Tickets.Cancelled},
		{antre.T(lang, "report.col.wait_median"), seconds(r.Waiting.MedianS)},
		{antre.T(lang, "report.col.wait_p90"), seconds(r.Waiting.P90S)},
		{antre.T(lang, "report.col.wait_max"), seconds(r.Waiting.MaxS)},
		{antre.T(lang, "report.col.service_median"), seconds(r.Service.MedianS)},
		{antre.T(lang, "report.col.service_p90"), seconds(r.Service.P90S)},
		{antre.T(lang, "report.col.within_target"), percent(r.WithinTargetPct)},
		{antre.T(lang, "report.col.out_of_order"), r.OutOfOrder},
		{antre.T(lang, "report.col.booking_checked_in"), r.Bookings.CheckedIn},
		{antre.T(lang, "report.col.booking_no_show"), r.Bookings.NoShow},
	})
	var rows [][]any
	for _, x := range r.Days {
		rows = append(rows, append(append([]any{date(x.Date)}, counts(x.TicketCounts)...), seconds(x.WaitMedianS)))
	}
	add("days", append(append([]string{"date"}, countCols...), "wait_median_s"), rows)
	rows = nil
	for _, g := range r.Groups {
		row := append(append([]any{g.Group}, counts(g.TicketCounts)...), dist(g.Waiting)[1:]...)
		row = append(append(row, dist(g.Service)[1:]...), g.WithinTarget)
		rows = append(rows, row)
	}
	add("groups", append(append(append(append([]string{"group"}, countCols...), "wait_median_s", "wait_p90_s", "wait_max_s"),
		"service_median_s", "service_p90_s", "service_max_s"), "within_target"), rows)
	rows = nil
	for _, p := range r.Pools {
		rows = append(rows, []any{antre.PoolText(antre.Pool(p.Key)).In(lang), p.Count})
	}
	add("pools", []string{"pool", "tickets"}, rows)
	rows = nil
	for _, c := range r.Categories {
		rows = append(rows, []any{antre.Category(c.Key).Name(lang), c.Count})
	}
	add("categories", []string{"category", "tickets"}, rows)
	rows = nil
	for _, c := range r.Calls {
		rows = append(rows, []any{antre.T(lang, antre.MsgKey("report.reason."+c.Key)), c.Count})
	}
	add("calls", []string{"reason", "calls"}, rows)
	rows = nil
	for _, c := range r.Counters {
		rows = append(rows, append(append([]any{c.Counter}, dist(c.Waiting)...), dist(c.Service)...))
	}
	add("counters", append(append([]string{"counter"}, waitCols...), svcCols...), rows)
	rows = nil
	for _, o := range r.Officers {
		rows = append(rows, append(append([]any{o.Officer}, dist(o.Waiting)...), dist(o.Service)...))
	}
	add("officers", append(append([]string{"officer"}, waitCols...), svcCols...), rows)
	rows = nil
	for h := range 24 {
		if r.Arrivals[h] > 0 || r.Finishes[h] > 0 {
			rows = append(rows, []any{strconv.Itoa(h) + ":00", r.Arrivals[h], r.Finishes[h]})
		}
	}
	add("hours", []string{"hour", "arrivals", "finished"}, rows)
	rows = nil
	for _, f := range r.Files {
		rows = append(rows, []any{antre.T(lang, antre.MsgKey("report.kind."+f.Kind)), f.Opened, f.Completed, f.OnTime, f.Late, f.Refused, f.Returned})
	}
	add("files", []string{"kind", "opened", "completed", "on_time", "late", "refused", "returned"}, rows)
	rows = nil
	for _, s := range r.Stages {
		rows = append(rows, append([]any{antre.T(lang, antre.MsgKey("report.stage."+string(s.Stage)))}, dist(s.Time)...))
	}
	add("stages", append([]string{"stage"}, distCols...), rows)
	rows = nil
	for _, s := range r.Satisfaction {
		var idx any = "–"
		if s.Index != nil {
			idx = score(*s.Index)
		}
		rows = append(rows, []any{string(s.Regulation), "", s.Responses, idx, s.Category.Name(lang)})
		for _, e := range s.Elements {
			rows = append(rows, []any{string(s.Regulation), "U" + strconv.Itoa(e.Element), s.Responses, score(e.Index), e.Category.Name(lang)})
		}
	}
	add("satisfaction", []string{"regulation", "element", "responses", "index", "quality"}, rows)
	rows = nil
	for _, c := range r.Complaints {
		rows = append(rows, []any{antre.T(lang, antre.MsgKey("complaint.category."+or(c.Category, "other"))), c.Received, c.Closed, c.Rejected,
			seconds(c.ToClose.MedianS), seconds(c.ToClose.MaxS)})
	}
	add("complaints", []string{"category", "received", "closed", "rejected", "to_close_median_s", "to_close_max_s"}, rows)
	return out
}

func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// plain is a cell as CSV writes it: digits without separators, seconds as seconds.
func plain(v any) string {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x)
	case seconds:
		return strconv.FormatInt(int64(x), 10)
	case percent:
		return strconv.FormatFloat(float64(x), 'f', 1, 64)
	case score:
		return strconv.FormatFloat(float64(x), 'f', 2, 64)
	case date:
		return string(x)
	case string:
		return x
	}
	return ""
}
