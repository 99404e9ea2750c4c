package report_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestReportSatisfactionAndComplaints: four survey answers through the voice module's API give
// the report the index the voice module itself computes (84,03, B: element sums 14 14 11 15 12
// 15 15 11 14 over 4 respondents, 121 / 36 × 25); complaints count by category with their time
// to close.
func TestReportSatisfactionAndComplaints(t *testing.T) {
	e := newEnv(t, at(8, 0))
	answers := [][]int{
		{4, 4, 3, 4, 3, 4, 4, 3, 4},
		{3, 4, 3, 3, 3, 4, 4, 3, 3},
		{4, 3, 2, 4, 3, 3, 4, 2, 3},
		{3, 3, 3, 4, 3, 4, 3, 3, 4},
	}
	type ticket struct{ code, token string }
	var tks []ticket
	for i := range answers {
		out := e.do(at(8, 1+i), "kiosk", "POST", "/api/v1/tickets", map[string]any{"group": "B"}, http.StatusCreated)
		u, err := url.Parse(out["status_url"].(string))
		if err != nil {
			t.Fatal(err)
		}
		tks = append(tks, ticket{out["code"].(string), u.Query().Get("k")})
	}
	for i, tk := range tks {
		e.next(at(9, 2*i), "citra", 3, tk.code)
		e.do(at(9, 2*i+1), "citra", "POST", "/api/v1/counters/3/finish", nil, 200)
	}
	for i, a := range answers {
		e.do(at(10, i), "", "POST", "/api/v1/surveys", map[string]any{"ticket": tks[i].code, "token": tks[i].token, "answers": a}, 201)
	}
	fee := e.do(at(10, 30), "ani", "POST", "/api/v1/complaints/record", map[string]any{"channel": "desk", "category": "fee", "text": "Diminta biaya tambahan."}, 201)
	e.do(at(10, 31), "ani", "POST", "/api/v1/complaints/record", map[string]any{"channel": "box", "category": "facilities", "text": "Kursi kurang."}, 201)
	n := fee["number"].(string)
	e.do(at(11, 0), "ani", "POST", "/api/v1/complaints/"+n+"/take", nil, 200)
	e.do(at(11, 30), "ani", "POST", "/api/v1/complaints/"+n+"/answer", map[string]any{"answer": "Sudah ditegur."}, 200)
	e.do(at(14, 30), "kakanim", "POST", "/api/v1/complaints/"+n+"/close", nil, 200) // 4 hours after receipt

	e.h.Clock.Set(at(15, 0))
	var rep struct {
		Satisfaction []struct {
			Regulation string
			Responses  int
			Index      *float64
			Category   string
		} `json:"satisfaction"`
		Complaints []struct {
			Category         string
			Received, Closed int
			ToClose          struct {
				MaxS int64 `json:"max_s"`
			} `json:"to_close"`
		} `json:"complaints"`
	}
	_, body, _ := e.get("kakanim", "/api/v1/reports?from=2026-12-02&to=2026-12-02")
	if err := json.Unmarshal(body, &rep); err != nil {
		t.Fatal(err)
	}
	var ikm struct {
		Responses int
		Index     *float64
		Category  string
	}
	e.h.Do("GET", "/api/v1/ikm?from=2026-12-02&to=2026-12-02", e.tokens["kakanim"], nil, &ikm)
	if len(rep.Satisfaction) != 1 || rep.Satisfaction[0].Responses != 4 || rep.Satisfaction[0].Index == nil ||
		*rep.Satisfaction[0].Index != 84.03 || rep.Satisfaction[0].Category != "B" || ikm.Index == nil || *ikm.Index != 84.03 {
		t.Errorf("satisfaction %+v (the voice module's own: %+v), want 4 responses, 84.03, B in both", rep.Satisfaction, ikm)
	}
	byCat := map[string][3]int64{}
	for _, c := range rep.Complaints {
		byCat[c.Category] = [3]int64{int64(c.Received), int64(c.Closed), c.ToClose.MaxS}
	}
	if byCat["fee"] != [3]int64{1, 1, 4 * 3600} || byCat["facilities"] != [3]int64{1, 0, 0} {
		t.Errorf("complaints %v, want fee: 1 received, 1 closed in 4 h; facilities: 1 received, open", byCat)
	}
	var dash struct {
		Open       int `json:"open_complaints"`
		Complaints int `json:"complaints_today"`
	}
	e.h.Do("GET", "/api/v1/dashboard", e.tokens["kakanim"], nil, &dash)
	if dash.Open != 1 || dash.Complaints != 2 {
		t.Errorf("dashboard: %+v, want 2 complaints today, 1 open", dash)
	}
	_, pdf, _ := e.get("kakanim", "/api/v1/reports?from=2026-12-02&to=2026-12-02&format=pdf")
	if text := pdfText(t, pdf); !strings.Contains(text, "84,03") || !strings.Contains(text, "Pengaduan per kategori") {
		t.Errorf("the PDF lacks the index:\n%s", text)
	}
	_, csv, _ := e.get("kakanim", "/api/v1/reports?from=2026-12-02&to=2026-12-02&format=csv&table=satisfaction")
	if !strings.Contains(string(csv), "permenpanrb-14-2017,,4,84.03,") {
		t.Errorf("the satisfaction CSV: %s", csv)
	}
}
