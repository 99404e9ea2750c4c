package demodata

import (
	"fmt"

	"antre"
)

// movingHolidays are the national holidays and cuti bersama whose dates change each year (the
// lunar and lunisolar calendars, Easter), as the joint ministerial decrees (SKB 3 Menteri) set
// them for 2025 and 2026. Years outside the table get the fixed-date holidays only.
var movingHolidays = map[int][]antre.Holiday{
	2025: {
		{Date: "2025-01-27", Name: "Isra Mikraj Nabi Muhammad SAW", Kind: antre.HolidayNational},
		{Date: "2025-01-28", Name: "Cuti bersama Tahun Baru Imlek", Kind: antre.HolidayCutiBersama},
		{Date: "2025-01-29", Name: "Tahun Baru Imlek", Kind: antre.HolidayNational},
		{Date: "2025-03-28", Name: "Cuti bersama Hari Suci Nyepi", Kind: antre.HolidayCutiBersama},
		{Date: "2025-03-31", Name: "Idul Fitri 1446 H", Kind: antre.HolidayNational},
		{Date: "2025-04-01", Name: "Idul Fitri 1446 H", Kind: antre.HolidayNational},
		{Date: "2025-04-02", Name: "Cuti bersama Idul Fitri", Kind: antre.HolidayCutiBersama},
		{Date: "2025-04-03", Name: "Cuti bersama Idul Fitri", Kind: antre.HolidayCutiBersama},
		{Date: "2025-04-04", Name: "Cuti bersama Idul Fitri", Kind: antre.HolidayCutiBersama},
		{Date: "2025-04-07", Name: "Cuti bersama Idul Fitri", Kind: antre.HolidayCutiBersama},
		{Date: "2025-04-18", Name: "Wafat Yesus Kristus", Kind: antre.HolidayNational},
		{Date: "2025-05-12", Name: "Hari Raya Waisak", Kind: antre.HolidayNational},
		{Date: "2025-05-13", Name: "Cuti bersama Waisak", Kind: antre.HolidayCutiBersama},
		{Date: "2025-05-29", Name: "Kenaikan Yesus Kristus", Kind: antre.HolidayNational},
		{Date: "2025-05-30", Name: "Cuti bersama Kenaikan Yesus Kristus", Kind: antre.HolidayCutiBersama},
		{Date: "2025-06-06", Name: "Idul Adha 1446 H", Kind: antre.HolidayNational},
		{Date: "2025-06-09", Name: "Cuti bersama Idul Adha", Kind: antre.HolidayCutiBersama},
		{Date: "2025-06-27", Name: "Tahun Baru Islam 1447 H", Kind: antre.HolidayNational},
		{Date: "2025-08-18", Name: "Cuti bersama Hari Kemerdekaan", Kind: antre.HolidayCutiBersama},
		{Date: "2025-09-05", Name: "Maulid Nabi Muhammad SAW", Kind: antre.HolidayNational},
		{Date: "2025-12-26", Name: "Cuti bersama Hari Raya Natal", Kind: antre.HolidayCutiBersama},
	},
	2026: {
		{Date: "2026-01-16", Name: "Isra Mikraj Nabi Muhammad SAW", Kind: antre.HolidayNational},
		{Date: "2026-02-16", Name: "Cuti bersama Tahun Baru Imlek", Kind: antre.HolidayCutiBersama},
		{Date: "2026-02-17", Name: "Tahun Baru Imlek", Kind: antre.HolidayNational},
		{Date: "2026-03-18", Name: "Cuti bersama Hari Suci Nyepi", Kind: antre.HolidayCutiBersama},
		{Date: "2026-03-19", Name: "Hari Suci Nyepi", Kind: antre.HolidayNational},
		{Date: "2026-03-20", Name: "Cuti bersama Idul Fitri", Kind: antre.HolidayCutiBersama},
		{Date: "2026-03-23", Name: "Cuti bersama Idul Fitri", Kind: antre.HolidayCutiBersama},
		{Date: "2026-03-24", Name: "Cuti bersama Idul Fitri", Kind: antre.HolidayCutiBersama},
		{Date: "2026-04-03", Name: "Wafat Yesus Kristus", Kind: antre.HolidayNational},
		{Date: "2026-05-14", Name: "Kenaikan Yesus Kristus", Kind: antre.HolidayNational},
		{Date: "2026-05-15", Name: "Cuti bersama Kenaikan Yesus Kristus", Kind: antre.HolidayCutiBersama},
		{Date: "2026-05-27", Name: "Idul Adha 1447 H", Kind: antre.HolidayNational},
		{Date: "2026-05-28", Name: "Cuti bersama Idul Adha", Kind: antre.HolidayCutiBersama},
		{Date: "2026-06-16", Name: "Tahun Baru Islam 1448 H", Kind: antre.HolidayNational},
		{Date: "2026-08-25", Name: "Maulid Nabi Muhammad SAW", Kind: antre.HolidayNational},
		{Date: "2026-12-24", Name: "Cuti bersama Hari Raya Natal", Kind: antre.HolidayCutiBersama},
	},
}

// fixedHolidays are the national holidays on the same date every year (month-day).
var fixedHolidays = []struct{ day, name string }{
	{"01-01", "Tahun Baru Masehi"},
	{"05-01", "Hari Buruh Internasional"},
	{"06-01", "Hari Lahir Pancasila"},
	{"08-17", "Hari Kemerdekaan Republik Indonesia"},
	{"12-25", "Hari Raya Natal"},
}

// Holidays returns the national holidays and cuti bersama of the years from first to last,
// in date order within each year: the fixed-date ones of every year and the moving ones this
// package knows (2025 and 2026).
func Holidays(first, last int) []antre.Holiday {
	var out []antre.Holiday
	for y := first; y <= last; y++ {
		for _, f := range fixedHolidays {
			out = append(out, antre.Holiday{Date: fmt.Sprintf("%04d-%s", y, f.day), Name: f.name, Kind: antre.HolidayNational})
		}
		out = append(out, movingHolidays[y]...)
	}
	return out
}
