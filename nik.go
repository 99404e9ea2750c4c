package antre

import (
	"time"
)

// NIK is an Indonesian identity number (Nomor Induk Kependudukan) as its 16 digits say: the
// region of registration (province, regency or city, district: two digits each), the date of
// birth as DDMMYY with 40 added to the day for women, and a sequence (0001 to 9999) among the
// people of that region born that day. Whether a person with this NIK exists is the national
// data centre's answer (CheckIdentity); ParseNIK checks only what the number itself says.
type NIK struct {
	Number                      string
	Province, Regency, District string
	// Birth is the date of birth as the NIK says it, at midnight UTC. The NIK has a two-digit
	// year; ParseNIK puts it in the latest century that does not make it a future date.
	Birth  time.Time
	Female bool
	Seq    int
}

// provinces are the province codes of the Ministry of Home Affairs (Kemendagri), including
// Papua's codes old and new.
var provinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true, "16": true, "17": true, "18": true, "19": true,
	"21": true, "31": true, "32": true, "33": true, "34": true, "35": true, "36": true,
	"51": true, "52": true, "53": true, "61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "72": true, "73": true, "74": true, "75": true, "76": true, "81": true, "82": true,
	"91": true, "92": true, "93": true, "94": true, "95": true, "96": true, "97": true,
}

// ParseNIK checks a NIK against its rules: 16 digits; a known province code; a regency and a
// district code other than 00; a real date of birth (day 01–31 for men, 41–71 for women) not
// after today; a sequence other than 0000. today is the office's current date. Errors are
// invalid errors naming the broken part.
func ParseNIK(s string, today time.Time) (NIK, error) {
	if len(s) != 16 {
		return NIK{}, Errorf(EINVALID, MsgNIKFormat, "NIK has %d characters, not 16", len(s))
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return NIK{}, Errorf(EINVALID, MsgNIKFormat, "NIK %s has a non-digit", MaskNIK(s))
		}
	}
	n := NIK{Number: s, Province: s[0:2], Regency: s[2:4], District: s[4:6]}
	if !provinces[n.Province] {
		return NIK{}, Errorf(EINVALID, MsgNIKRegion, "NIK %s: unknown province %s", MaskNIK(s), n.Province)
	}
	if n.Regency == "00" || n.District == "00" {
		return NIK{}, Errorf(EINVALID, MsgNIKRegion, "NIK %s: regency %s / district %s", MaskNIK(s), n.Regency, n.District)
	}
	day, month, yy := digits2(s[6:8]), digits2(s[8:10]), digits2(s[10:12])
	if day > 40 {
		n.Female = true
		day -= 40
	}
	year := 2000 + yy
	if year > today.Year() {
		year -= 100
	}
	b := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if day < 1 || month < 1 || month > 12 || b.Day() != day || b.Month() != time.Month(month) {
		return NIK{}, Errorf(EINVALID, MsgNIKDate, "NIK %s: no date %02d-%02d-%02d", MaskNIK(s), day, month, yy)
	}
	t := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	if b.After(t) {
		// a two-digit year this year with a later day: born a century ago, or a mistake
		b = b.AddDate(-100, 0, 0)
	}
	n.Birth = b
	n.Seq = digits2(s[12:14])*100 + digits2(s[14:16])
	if n.Seq == 0 {
		return NIK{}, Errorf(EINVALID, MsgNIKFormat, "NIK %s: sequence 0000", MaskNIK(s))
	}
	return n, nil
}

// MatchesBirth reports whether a date of birth given with the NIK (YYYY-MM-DD) is the NIK's:
// same day, month and two-digit year, so the century comes from the given date. It returns the
// given date.
func (n NIK) MatchesBirth(date string) (time.Time, bool) {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return time.Time{}, false
	}
	return d, d.Day() == n.Birth.Day() && d.Month() == n.Birth.Month() && d.Year()%100 == n.Birth.Year()%100
}

func digits2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }
