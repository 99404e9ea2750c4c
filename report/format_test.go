package report

import "testing"

func TestIndonesianFormats(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{FormatInt(1234, "id"), "1.234"},
		{FormatInt(19703, "id"), "19.703"},
		{FormatInt(1234567, "en"), "1,234,567"},
		{FormatInt(-1234, "id"), "-1.234"},
		{FormatInt(999, "id"), "999"},
		{FormatDecimal(29, "id"), "29,0"},
		{FormatDecimal(1234.56, "id"), "1.234,6"},
		{FormatDecimal(1234.56, "en"), "1,234.6"},
		{FormatDate("2026-12-04", "id"), "4 Desember 2026"},
		{FormatDate("2026-08-17", "id"), "17 Agustus 2026"},
		{FormatDate("2026-12-04", "en"), "4 December 2026"},
		{FormatDate("kemarin", "id"), "kemarin"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
