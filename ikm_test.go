package antre

import (
	"slices"
	"testing"
)

// fill returns respondents responses of n answers each, every answer 4 except the first threes
// answers in reading order (respondent 1's element 1, 2 … then respondent 2's), which are 3.
// The sums are then easy to work out by hand.
func fill(respondents, n, threes int) [][]int {
	out := make([][]int, respondents)
	k := 0
	for i := range out {
		out[i] = make([]int, n)
		for j := range out[i] {
			out[i][j] = 4
			if k < threes {
				out[i][j] = 3
			}
			k++
		}
	}
	return out
}

// TestIKMHandWorked checks the index against fixtures worked out by hand (the arithmetic is in
// each case's comment), for both regulations, including the values on each side of the A/B
// boundary: the index is rounded to two decimals, half up, before its category is read.
func TestIKMHandWorked(t *testing.T) {
	cases := []struct {
		name      string
		reg       Regulation
		responses [][]int
		nrr       []float64 // nil: not checked
		lowest    []int     // elements marked lowest; nil: not checked
		index     float64
		category  QualityCategory
	}{
		{
			// Element sums: 14 14 11 15 12 15 15 11 14 over 4 respondents; NRR 3.5 3.5 2.75 3.75 3
			// 3.75 3.75 2.75 3.5. Total 121; 121 / (9 × 4) = 3.36111; × 25 = 84.0277 → 84.03: B
			// (76.61–88.30). The three lowest: elements 3 and 8 (2.75) and 5 (3.00).
			name: "permenpanrb 4 respondents", reg: RegPermenPANRB2017,
			responses: [][]int{
				{4, 4, 3, 4, 3, 4, 4, 3, 4},
				{3, 4, 3, 3, 3, 4, 4, 3, 3},
				{4, 3, 2, 4, 3, 3, 4, 2, 3},
				{3, 3, 3, 4, 3, 4, 3, 3, 4},
			},
			nrr:    []float64{3.5, 3.5, 2.75, 3.75, 3, 3.75, 3.75, 2.75, 3.5},
			lowest: []int{3, 5, 8},
			index:  84.03, category: QualityB,
		},
		{
			// 19 respondents, the first 80 of 171 answers 3 (respondents 1–8 wholly, respondent 9's
			// elements 1–8), the rest 4. Elements 1–8: 9 × 3 + 10 × 4 = 67, NRR 67/19 = 3.526;
			// element 9: 8 × 3 + 11 × 4 = 68, NRR 3.579. Total 171 × 4 − 80 = 604; 604 / 171 × 25 =
			// 88.3041 → 88.30: B, the top of B.
			name: "permenpanrb 88.30", reg: RegPermenPANRB2017, responses: fill(19, 9, 80),
			nrr:   []float64{3.526, 3.526, 3.526, 3.526, 3.526, 3.526, 3.526, 3.526, 3.579},
			index: 88.30, category: QualityB,
		},
		{
			// 24 respondents, the first 101 of 216 answers 3 (respondents 1–11 wholly, respondent
			// 12's elements 1 and 2). Total 216 × 4 − 101 = 763; 763 / 216 × 25 = 88.3102 → 88.31:
			// A, the bottom of A. Elements 1–2: 12 × 3 + 12 × 4 = 84, NRR 3.5; elements 3–9:
			// 11 × 3 + 13 × 4 = 85, NRR 3.542. The third-lowest is tied with the top, which never
			// counts as lowest: elements 1 and 2 are marked.
			name: "permenpanrb 88.31", reg: RegPermenPANRB2017, responses: fill(24, 9, 101),
			nrr:    []float64{3.5, 3.5, 3.542, 3.542, 3.542, 3.542, 3.542, 3.542, 3.542},
			lowest: []int{1, 2},
			index:  88.31, category: QualityA,
		},
		{
			// 26 respondents, the first 219 of 234 answers 3 (respondents 1–24 wholly, respondent
			// 25's elements 1–3); 234 × 4 − 219 = 717; 717 / 234 × 25 = 76.6026 → 76.60: C, the
			// top of C (65.00–76.60).
			name: "permenpanrb 76.60", reg: RegPermenPANRB2017, responses: fill(26, 9, 219),
			index: 76.60, category: QualityC,
		},
		{
			// 19 respondents, the first 160 of 171 answers 3; 684 − 160 = 524; 524 / 171 × 25 =
			// 76.6082 → 76.61: B, the bottom of B.
			name: "permenpanrb 76.61", reg: RegPermenPANRB2017, responses: fill(19, 9, 160),
			index: 76.61, category: QualityB,
		},
		{
			// Every answer 1: NRR 1, index 25.00, D; every answer 4: index 100, A.
			name: "permenpanrb floor", reg: RegPermenPANRB2017, responses: [][]int{{1, 1, 1, 1, 1, 1, 1, 1, 1}},
			index: 25, category: QualityD, lowest: []int{},
		},
		{
			name: "permenpanrb ceiling", reg: RegPermenPANRB2017, responses: fill(3, 9, 0), index: 100, category: QualityA,
		},
		{
			// Two respondents: 4 3 3 3 4 3 3 3 4 3 3 3 4 3 (46) and 3 4 3 3 3 4 3 3 3 4 3 3 3 3 (45).
			// Element sums 7 7 6 6 7 7 6 6 7 7 6 6 7 6: NRR 3.5 or 3.0. Total 91; 91 / (14 × 2) × 25
			// = 81.25: B (62.51–81.25), its top. The lowest: the seven elements at 3.0.
			name: "kepmenpan 81.25", reg: RegKepmenPAN2004,
			responses: [][]int{
				{4, 3, 3, 3, 4, 3, 3, 3, 4, 3, 3, 3, 4, 3},
				{3, 4, 3, 3, 3, 4, 3, 3, 3, 4, 3, 3, 3, 3},
			},
			nrr:    []float64{3.5, 3.5, 3, 3, 3.5, 3.5, 3, 3, 3.5, 3.5, 3, 3, 3.5, 3},
			lowest: []int{3, 4, 7, 8, 11, 12, 14},
			index:  81.25, category: QualityB,
		},
		{
			// 61 respondents, the first 640 of 854 answers 3 (respondents 1–45 wholly, respondent
			// 46's elements 1–10); 854 × 4 − 640 = 2776; 2776 / 854 × 25 = 81.2646 → 81.26: A.
			// Elements 1–10: 46 × 3 + 15 × 4 = 198, NRR 3.246; elements 11–14: 45 × 3 + 16 × 4 =
			// 199, NRR 3.262.
			name: "kepmenpan 81.26", reg: RegKepmenPAN2004, responses: fill(61, 14, 640),
			nrr:   []float64{3.246, 3.246, 3.246, 3.246, 3.246, 3.246, 3.246, 3.246, 3.246, 3.246, 3.262, 3.262, 3.262, 3.262},
			index: 81.26, category: QualityA,
		},
		{
			// One respondent answering 3 throughout bar two 2s: 3 × 12 + 2 × 2 = 40; 40 / 14 × 25 =
			// 71.4286 → 71.43: B (62.51–81.25).
			name: "kepmenpan one respondent", reg: RegKepmenPAN2004,
			responses: [][]int{{3, 3, 2, 3, 3, 3, 3, 3, 3, 3, 2, 3, 3, 3}},
			lowest:    []int{3, 11}, index: 71.43, category: QualityB,
		},
		{
			// 35 threes and nothing else … 62.50 needs 35 / 56 of the way: one respondent of 14
			// answers: 2 × 7 + 3 × 7 = 35; 35 / 14 × 25 = 62.50: C (43.76–62.50), its top.
			name: "kepmenpan 62.50", reg: RegKepmenPAN2004,
			responses: [][]int{{2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3}},
			index:     62.50, category: QualityC,
		},
		{
			// 1 × 14 answers: 1 × 7 + 2 × 7 = 21; 21 / 14 × 25 = 37.50: D (25.00–43.75).
			name: "kepmenpan D", reg: RegKepmenPAN2004,
			responses: [][]int{{1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2}},
			index:     37.50, category: QualityD,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ComputeIKM(c.reg, c.responses)
			if err != nil {
				t.Fatal(err)
			}
			if got.Responses != len(c.responses) || got.Index == nil || *got.Index != c.index || got.Category != c.category {
				idx := -1.0
				if got.Index != nil {
					idx = *got.Index
				}
				t.Errorf("%d responses, index %.4f %s; want %d, %.2f %s", got.Responses, idx, got.Category, len(c.responses), c.index, c.category)
			}
			if c.nrr != nil {
				var nrr []float64
				for _, e := range got.Elements {
					nrr = append(nrr, e.NRR)
				}
				if !slices.Equal(nrr, c.nrr) {
					t.Errorf("NRR %v, want %v", nrr, c.nrr)
				}
			}
			if c.lowest != nil {
				low := []int{}
				for _, e := range got.Elements {
					if e.Lowest {
						low = append(low, e.Element)
					}
				}
				if !slices.Equal(low, c.lowest) {
					t.Errorf("lowest %v, want %v", low, c.lowest)
				}
			}
		})
	}
}

// TestIKMCategoryBoundaries reads the categories at each side of every boundary, in hundredths.
func TestIKMCategoryBoundaries(t *testing.T) {
	for _, c := range []struct {
		reg   Regulation
		centi int
		want  QualityCategory
	}{
		{RegPermenPANRB2017, 10000, QualityA}, {RegPermenPANRB2017, 8831, QualityA}, {RegPermenPANRB2017, 8830, QualityB},
		{RegPermenPANRB2017, 7661, QualityB}, {RegPermenPANRB2017, 7660, QualityC}, {RegPermenPANRB2017, 6500, QualityC},
		{RegPermenPANRB2017, 6499, QualityD}, {RegPermenPANRB2017, 2500, QualityD},
		{RegKepmenPAN2004, 8126, QualityA}, {RegKepmenPAN2004, 8125, QualityB}, {RegKepmenPAN2004, 6251, QualityB},
		{RegKepmenPAN2004, 6250, QualityC}, {RegKepmenPAN2004, 4376, QualityC}, {RegKepmenPAN2004, 4375, QualityD},
	} {
		if got := c.reg.Category(c.centi); got != c.want {
			t.Errorf("%s %d: %s, want %s", c.reg, c.centi, got, c.want)
		}
	}
	if RegPermenPANRB2017.Elements() != 9 || RegKepmenPAN2004.Elements() != 14 || Regulation("x").Valid() {
		t.Error("element counts")
	}
	if QualityA.Name("id") != "sangat baik" || QualityD.Name("en") != "very poor" {
		t.Error("category names")
	}
}

// TestIKMRefusesBadAnswers: a response must answer every element 1 to 4; none is counted
// otherwise, and no responses give no index.
func TestIKMRefusesBadAnswers(t *testing.T) {
	for _, a := range [][]int{{4, 4, 4}, {4, 4, 4, 4, 4, 4, 4, 4, 5}, {0, 4, 4, 4, 4, 4, 4, 4, 4}, nil} {
		err := RegPermenPANRB2017.CheckAnswers(a)
		if ErrorCode(err) != EINVALID || ErrorMessage(err, "id") != "Jawaban survei harus 9 angka, masing-masing 1 sampai 4." {
			t.Errorf("%v: %v (%q)", a, err, ErrorMessage(err, "id"))
		}
	}
	tl := NewTally(RegKepmenPAN2004)
	if tl.Add(make([]int, 9)) == nil || tl.Responses() != 0 {
		t.Error("a 9-answer response counted under the 14-element regulation")
	}
	r := tl.Result()
	if r.Index != nil || r.Category != "" || len(r.Elements) != 14 {
		t.Errorf("no responses: %+v", r)
	}
	if _, err := ComputeIKM(RegPermenPANRB2017, [][]int{fill(1, 9, 0)[0], {9}}); err == nil {
		t.Error("a bad second response passed")
	}
}
