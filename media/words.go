package media

import (
	"fmt"
	"strings"

	"antre"
)

// The fixed phrases of every announcement. Each is one unit: like every word below, it names one
// clip of the bank.
const (
	unitNumber  = "nomor antrean"
	unitCounter = "silakan menuju loket"
)

// digitWord returns the Indonesian name of the digit d (0–9), which is also the cardinal word
// of 1–9.
func digitWord(d int) string {
	return [...]string{"nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"}[d]
}

// groupLetters are the group prefixes that can be announced (those of antre.DefaultGroups): the
// bank has a clip for each.
const groupLetters = "ABCDEF"

// NumberWords returns the Indonesian cardinal of n as clip units, for 0 ≤ n ≤ antre.MaxNumber
// (the highest ticket number, also taken as the highest counter number): "nol" for 0, "X belas"
// for 12–19, "X puluh Y" for 20–99, "X ratus …" for 200–999. The prefix "se-" replaces "satu"
// only in sepuluh (10), sebelas (11) and seratus (100–199).
func NumberWords(n int) ([]string, error) {
	if n < 0 || n > antre.MaxNumber {
		return nil, fmt.Errorf("number %d has no words: outside 0–%d", n, antre.MaxNumber)
	}
	if n == 0 {
		return []string{digitWord(0)}, nil
	}
	var w []string
	switch h := n / 100; h {
	case 0:
	case 1:
		w = append(w, "seratus")
	default:
		w = append(w, digitWord(h), "ratus")
	}
	switch tens, ones := n%100/10, n%10; {
	case tens == 0 && ones == 0:
	case tens == 0:
		w = append(w, digitWord(ones))
	case tens == 1 && ones == 0:
		w = append(w, "sepuluh")
	case tens == 1 && ones == 1:
		w = append(w, "sebelas")
	case tens == 1:
		w = append(w, digitWord(ones), "belas")
	default:
		w = append(w, digitWord(tens), "puluh")
		if ones != 0 {
			w = append(w, digitWord(ones))
		}
	}
	return w, nil
}

// Call is one announcement of a ticket at a counter. It is valid by construction (see ParseCall):
// its code is a group letter A–F and three digits, its counter is 1–antre.MaxNumber.
type Call struct {
	group   string
	number  int
	counter int
}

// ParseCall reads a ticket code as printed (antre.ParseCode: a letter, either case, and three
// digits, e.g. "A012") and the counter number 1–antre.MaxNumber. A code whose letter has no
// clip (only A–F do), like any other invalid input, is an *antre.Error with code EINVALID.
func ParseCall(code string, counter int) (Call, error) {
	group, n, err := antre.ParseCode(code)
	if err != nil {
		return Call{}, err
	}
	if !strings.Contains(groupLetters, group) {
		return Call{}, antre.Errorf(antre.EINVALID, antre.MsgBadGroup, "ticket code %q: no voice for group letter %s (only %s)", code, group, groupLetters)
	}
	if counter < 1 || counter > antre.MaxNumber {
		return Call{}, antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "counter %d outside 1–%d", counter, antre.MaxNumber).WithArgs("loket")
	}
	return Call{group: group, number: n, counter: counter}, nil
}

// Code is the ticket code as printed: the upper-case group letter and three digits.
func (c Call) Code() string { return antre.FormatCode(c.group, c.number) }

// Counter is the number of the counter the ticket is called to.
func (c Call) Counter() int { return c.counter }

// Options choose how a call is spoken.
type Options struct {
	// Digits speaks the ticket number's three digits one by one ("nol satu dua" for A012);
	// otherwise it is spoken as a cardinal without leading zeros ("dua belas"). The counter is
	// always a cardinal.
	Digits bool
}

// Phrases returns the units of the announcement of c in two phrases: "nomor antrean", the group
// letter (shown as the upper-case letter, spoken by its Indonesian name) and the ticket number;
// then "silakan menuju loket" and the counter number. Every unit names one clip of the bank.
func (c Call) Phrases(opts Options) [][]string {
	ticket := []string{unitNumber, c.group}
	if opts.Digits {
		for _, d := range []byte(antre.FormatCode("", c.number)) {
			ticket = append(ticket, digitWord(int(d-'0')))
		}
	} else {
		ticket = append(ticket, mustNumberWords(c.number)...)
	}
	return [][]string{ticket, append([]string{unitCounter}, mustNumberWords(c.counter)...)}
}

// Words returns the units of the announcement of c in the order spoken, as one list: joined
// with spaces they read "nomor antrean A dua belas silakan menuju loket tiga".
func (c Call) Words(opts Options) []string {
	var w []string
	for _, p := range c.Phrases(opts) {
		w = append(w, p...)
	}
	return w
}

// mustNumberWords is NumberWords for a number that ParseCall has already bounded.
func mustNumberWords(n int) []string {
	w, err := NumberWords(n)
	if err != nil {
		panic(err)
	}
	return w
}
