package media

import (
	"strings"
	"testing"

	"antre"
)

func TestNumberWords(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{0, "nol"},
		{1, "satu"},
		{7, "tujuh"},
		{9, "sembilan"},
		{10, "sepuluh"},
		{11, "sebelas"},
		{12, "dua belas"},
		{19, "sembilan belas"},
		{20, "dua puluh"},
		{21, "dua puluh satu"},
		{45, "empat puluh lima"},
		{99, "sembilan puluh sembilan"},
		{100, "seratus"},
		{101, "seratus satu"},
		{110, "seratus sepuluh"},
		{111, "seratus sebelas"},
		{115, "seratus lima belas"},
		{120, "seratus dua puluh"},
		{199, "seratus sembilan puluh sembilan"},
		{200, "dua ratus"},
		{201, "dua ratus satu"},
		{211, "dua ratus sebelas"},
		{310, "tiga ratus sepuluh"},
		{512, "lima ratus dua belas"},
		{807, "delapan ratus tujuh"},
		{990, "sembilan ratus sembilan puluh"},
		{999, "sembilan ratus sembilan puluh sembilan"},
	}
	for _, tt := range tests {
		w, err := NumberWords(tt.n)
		if err != nil {
			t.Errorf("NumberWords(%d): %v", tt.n, err)
			continue
		}
		if got := strings.Join(w, " "); got != tt.want {
			t.Errorf("NumberWords(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

// TestNumberWordsAll checks rules that hold for every number 0–999: "satu" is only ever the
// last word (sepuluh, sebelas and seratus replace "satu puluh", "satu belas", "satu ratus"),
// "nol" only stands alone, and distinct numbers have distinct words.
func TestNumberWordsAll(t *testing.T) {
	seen := map[string]int{}
	for n := 0; n <= antre.MaxNumber; n++ {
		w, err := NumberWords(n)
		if err != nil {
			t.Fatalf("NumberWords(%d): %v", n, err)
		}
		s := strings.Join(w, " ")
		for i, word := range w {
			if word == "satu" && i != len(w)-1 || word == "nol" && n != 0 {
				t.Errorf("NumberWords(%d) = %q", n, s)
			}
		}
		if m, dup := seen[s]; dup {
			t.Errorf("NumberWords(%d) = NumberWords(%d) = %q", n, m, s)
		}
		seen[s] = n
	}
	for _, n := range []int{-1, antre.MaxNumber + 1} {
		if _, err := NumberWords(n); err == nil {
			t.Errorf("NumberWords(%d) succeeded", n)
		}
	}
}

func TestCallWords(t *testing.T) {
	tests := []struct {
		code    string
		counter int
		digits  bool
		want    string
	}{
		{"A012", 3, false, "nomor antrean A dua belas silakan menuju loket tiga"},
		{"A012", 3, true, "nomor antrean A nol satu dua silakan menuju loket tiga"},
		{"b007", 1, false, "nomor antrean B tujuh silakan menuju loket satu"},
		{"C100", 10, false, "nomor antrean C seratus silakan menuju loket sepuluh"},
		{"D010", 11, false, "nomor antrean D sepuluh silakan menuju loket sebelas"},
		{"D100", 11, true, "nomor antrean D satu nol nol silakan menuju loket sebelas"},
		{"E999", 21, false, "nomor antrean E sembilan ratus sembilan puluh sembilan silakan menuju loket dua puluh satu"},
		{"F005", 999, true, "nomor antrean F nol nol lima silakan menuju loket sembilan ratus sembilan puluh sembilan"},
	}
	for _, tt := range tests {
		c, err := ParseCall(tt.code, tt.counter)
		if err != nil {
			t.Errorf("ParseCall(%q, %d): %v", tt.code, tt.counter, err)
			continue
		}
		if got := strings.Join(c.Words(Options{Digits: tt.digits}), " "); got != tt.want {
			t.Errorf("%s at %d (digits %v) = %q, want %q", tt.code, tt.counter, tt.digits, got, tt.want)
		}
	}
}

func TestCallPhrases(t *testing.T) {
	c, err := ParseCall("A012", 3)
	if err != nil {
		t.Fatal(err)
	}
	got := c.Phrases(Options{})
	want := [][]string{{"nomor antrean", "A", "dua", "belas"}, {"silakan menuju loket", "tiga"}}
	if len(got) != len(want) {
		t.Fatalf("Phrases = %q, want %q", got, want)
	}
	for i := range want {
		if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("phrase %d = %q, want %q", i, got[i], want[i])
		}
	}
	if c.Code() != "A012" || c.Counter() != 3 {
		t.Errorf("Code, Counter = %q, %d, want A012, 3", c.Code(), c.Counter())
	}
}

func TestParseCallRejects(t *testing.T) {
	tests := []struct {
		code    string
		counter int
		msg     antre.MsgKey
	}{
		{"", 1, antre.MsgBadCode},
		{"A", 1, antre.MsgBadCode},
		{"A12", 1, antre.MsgBadCode},
		{"A0123", 1, antre.MsgBadCode},
		{"A000", 1, antre.MsgBadCode},
		{"A01x", 1, antre.MsgBadCode},
		{"A-12", 1, antre.MsgBadCode},
		{"1012", 1, antre.MsgBadCode},
		{"é12", 1, antre.MsgBadCode},
		{"G012", 1, antre.MsgBadGroup},
		{"z999", 1, antre.MsgBadGroup},
		{"A012", 0, antre.MsgBadRequest},
		{"A012", 1000, antre.MsgBadRequest},
	}
	for _, tt := range tests {
		_, err := ParseCall(tt.code, tt.counter)
		e, ok := err.(*antre.Error)
		if !ok || e.Code != antre.EINVALID || e.Msg != tt.msg {
			t.Errorf("ParseCall(%q, %d) error = %#v, want EINVALID with %s", tt.code, tt.counter, err, tt.msg)
		}
	}
}
