package antre

import (
	"fmt"
	"slices"
)

// Regulation names the rules a public satisfaction survey (Survei Kepuasan Masyarakat) and its
// index (Indeks Kepuasan Masyarakat, IKM) follow. Both are built in and an office chooses one:
//
//   - PermenPANRB 14/2017, in force and the default: 9 elements (requirements; procedure;
//     completion time; fee; product specification; officer competence; officer behaviour;
//     handling of complaints, suggestions and input; facilities), each weighing 1/9;
//     categories A 88.31–100, B 76.61–88.30, C 65.00–76.60, D 25.00–64.99.
//   - KEPMENPAN 25/M.PAN/2/2004: 14 elements, each weighing 1/14; categories A 81.26–100,
//     B 62.51–81.25, C 43.76–62.50, D 25.00–43.75.
//
// Under both, every element is answered 1 to 4; an element's NRR (nilai rata-rata) is the mean
// of its answers, and the index is the mean of the element NRRs times 25 (so 25 to 100).
type Regulation string

// The built-in regulations.
const (
	RegPermenPANRB2017 Regulation = "permenpanrb-14-2017"
	RegKepmenPAN2004   Regulation = "kepmenpan-25-2004"
)

// Regulations lists the built-in regulations, the default first.
var Regulations = []Regulation{RegPermenPANRB2017, RegKepmenPAN2004}

// regulationRules are each regulation's element count and the lowest index (in hundredths) of
// categories A, B and C; anything lower is D.
var regulationRules = map[Regulation]struct {
	elements int
	floors   [3]int
}{
	RegPermenPANRB2017: {9, [3]int{8831, 7661, 6500}},
	RegKepmenPAN2004:   {14, [3]int{8126, 6251, 4376}},
}

// Valid reports whether r is a built-in regulation.
func (r Regulation) Valid() bool { _, ok := regulationRules[r]; return ok }

// Elements is how many elements (unsur) the regulation's questionnaire asks: 9 or 14.
func (r Regulation) Elements() int { return regulationRules[r].elements }

// QualityCategory is the service quality an index value falls in (mutu pelayanan): A very good,
// B good, C poor, D very poor.
type QualityCategory string

// The quality categories.
const (
	QualityA QualityCategory = "A"
	QualityB QualityCategory = "B"
	QualityC QualityCategory = "C"
	QualityD QualityCategory = "D"
)

// Name is the category's name in lang ("sangat baik" … "tidak baik").
func (c QualityCategory) Name(lang string) string { return T(lang, MsgKey("ikm.category."+string(c))) }

// Category returns the quality category of an index given in hundredths (8831 is 88.31). The
// regulations draw their ranges to two decimals, so the index is rounded to two decimals
// before it is placed: 88.30 is B and 88.31 is A under PermenPANRB 14/2017.
func (r Regulation) Category(centi int) QualityCategory {
	f := regulationRules[r].floors
	switch {
	case centi >= f[0]:
		return QualityA
	case centi >= f[1]:
		return QualityB
	case centi >= f[2]:
		return QualityC
	}
	return QualityD
}

// CheckAnswers checks one response's answers: exactly one per element of r, in order, each 1
// to 4.
func (r Regulation) CheckAnswers(answers []int) error {
	n := r.Elements()
	if len(answers) != n {
		return Errorf(EINVALID, MsgSurveyAnswers, "%d answers for the %d elements of %s", len(answers), n, r).WithArgs(n)
	}
	for i, a := range answers {
		if a < 1 || a > 4 {
			return Errorf(EINVALID, MsgSurveyAnswers, "answer %d to element %d is not 1 to 4", a, i+1).WithArgs(n)
		}
	}
	return nil
}

// ElementScore is one element's result: its NRR (the mean answer, to three decimals), the same
// converted to the index scale (× 25, to two decimals) and its category. Lowest marks the
// elements the report names for improvement first.
type ElementScore struct {
	Element  int             `json:"element"`
	NRR      float64         `json:"nrr"`
	Index    float64         `json:"index"`
	Category QualityCategory `json:"category"`
	Lowest   bool            `json:"lowest"`
}

// IKM is the satisfaction index of a set of responses under a regulation. With no responses
// there is no index: Index is nil and Category empty.
type IKM struct {
	Regulation Regulation      `json:"regulation"`
	Responses  int             `json:"responses"`
	Elements   []ElementScore  `json:"elements"`
	Index      *float64        `json:"index"`
	Category   QualityCategory `json:"category"`
}

// Tally adds up survey responses under one regulation. The index is computed from the exact
// sums (the mean of the element means is the total of all answers over elements × responses)
// and rounded once, half up, to two decimals; NRRs are rounded to three decimals for showing
// only. Each element weighs exactly 1/n (not the rounded 0.111 or 0.071 of the regulations'
// worked examples), so answers of 4 throughout give 100.
type Tally struct {
	reg   Regulation
	count int
	sums  []int
}

// NewTally starts an empty tally under r.
func NewTally(r Regulation) *Tally {
	return &Tally{reg: r, sums: make([]int, r.Elements())}
}

// Add counts one response; answers that CheckAnswers refuses are not counted.
func (t *Tally) Add(answers []int) error {
	if err := t.reg.CheckAnswers(answers); err != nil {
		return err
	}
	for i, a := range answers {
		t.sums[i] += a
	}
	t.count++
	return nil
}

// Responses is how many responses were counted.
func (t *Tally) Responses() int { return t.count }

// roundDiv divides a by b (both ≥ 0, b > 0) rounding half up.
func roundDiv(a, b int) int { return (2*a + b) / (2 * b) }

// Result is the index of the counted responses, with the three lowest elements marked (ties
// with the third included) for the report's improvement priorities; an element at the highest
// NRR is never marked, so when every element scores the same none stands out.
func (t *Tally) Result() IKM {
	n := t.reg.Elements()
	out := IKM{Regulation: t.reg, Responses: t.count, Elements: make([]ElementScore, n)}
	for i := range out.Elements {
		out.Elements[i].Element = i + 1
	}
	if t.count == 0 {
		return out
	}
	total := 0
	for i, s := range t.sums {
		total += s
		centi := roundDiv(2500*s, t.count)
		out.Elements[i].NRR = float64(roundDiv(1000*s, t.count)) / 1000
		out.Elements[i].Index = float64(centi) / 100
		out.Elements[i].Category = t.reg.Category(centi)
	}
	centi := roundDiv(2500*total, n*t.count)
	idx := float64(centi) / 100
	out.Index, out.Category = &idx, t.reg.Category(centi)
	// The lowest: every element whose sum is at most the third-lowest sum and below the
	// highest (equal counts make sums and means order alike).
	sorted := slices.Clone(t.sums)
	slices.Sort(sorted)
	limit, top := sorted[min(2, n-1)], sorted[n-1]
	for i, s := range t.sums {
		out.Elements[i].Lowest = s <= limit && s < top
	}
	return out
}

// ComputeIKM is the index of responses under r; it fails on the first response CheckAnswers
// refuses, naming it.
func ComputeIKM(r Regulation, responses [][]int) (IKM, error) {
	if !r.Valid() {
		return IKM{}, fmt.Errorf("unknown regulation %q", r)
	}
	t := NewTally(r)
	for i, a := range responses {
		if err := t.Add(a); err != nil {
			return IKM{}, fmt.Errorf("response %d: %w", i+1, err)
		}
	}
	return t.Result(), nil
}
