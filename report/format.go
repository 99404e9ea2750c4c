package report

import (
	"antre"

	"strconv"
	"strings"
	"time"
)

var monthsID = [12]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}

// FormatInt writes n with the thousands separator of lang: "1.234" in Indonesian, "1,234" in
// English.
func FormatInt(n int64, lang string) string {
	sep := "."
	if lang == "en" {
		sep = ","
	}
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// FormatDecimal writes x with one decimal in lang's marks: "12,5" in Indonesian, "12.5" in
// English.
func FormatDecimal(x float64, lang string) string {
	s := strconv.FormatFloat(x, 'f', 1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.ParseInt(whole, 10, 64)
	if lang == "en" {
		return FormatInt(n, lang) + "." + frac
	}
	return FormatInt(n, lang) + "," + frac
}

// FormatDate writes a YYYY-MM-DD date in words: "4 Desember 2026", "4 December 2026" in
// English; anything else as it is.
func FormatDate(d, lang string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	if lang == "en" {
		return t.Format("2 January 2006")
	}
	return strconv.Itoa(t.Day()) + " " + monthsID[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// cell is a cell as the PDF shows it in lang: numbers with separators, durations in minutes
// with one decimal, dates in words.
func cell(v any, lang string) string {
	switch x := v.(type) {
	case int:
		return FormatInt(int64(x), lang)
	case seconds:
		return FormatDecimal(float64(x)/60, lang) + " " + antre.T(lang, "report.minutes")
	case percent:
		return FormatDecimal(float64(x), lang) + " %"
	case score:
		if lang == "en" {
			return strconv.FormatFloat(float64(x), 'f', 2, 64)
		}
		return strings.Replace(strconv.FormatFloat(float64(x), 'f', 2, 64), ".", ",", 1)
	case date:
		return FormatDate(string(x), lang)
	case string:
		return x
	}
	return ""
}
