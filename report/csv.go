package report

import (
	"archive/zip"
	"encoding/csv"
	"io"
	"strings"
	"time"

	"antre"
)

// WriteCSV writes table t as UTF-8 CSV: a header row of its columns' names in lang, then its
// rows, numbers as plain digits and durations in seconds.
func WriteCSV(w io.Writer, t Table, lang string) error {
	cw := csv.NewWriter(w)
	head := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = antre.T(lang, antre.MsgKey("report.col."+c))
		if strings.HasSuffix(c, "_s") {
			head[i] += " (" + antre.T(lang, "report.seconds") + ")"
		}
	}
	cw.Write(head)
	for _, row := range t.Rows {
		rec := make([]string, len(row))
		for i, v := range row {
			rec[i] = plain(v)
			if _, ok := v.(seconds); ok && i == 1 && t.Name == "summary" {
				rec[0] += " (" + antre.T(lang, "report.seconds") + ")"
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// WriteZip writes every table as NAME.csv into one zip archive, stamped with made.
func WriteZip(w io.Writer, tables []Table, lang string, made time.Time) error {
	z := zip.NewWriter(w)
	for _, t := range tables {
		f, err := z.CreateHeader(&zip.FileHeader{Name: t.Name + ".csv", Method: zip.Deflate, Modified: made})
		if err != nil {
			return err
		}
		if err := WriteCSV(f, t, lang); err != nil {
			return err
		}
	}
	return z.Close()
}
