package voice_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"antre"
	"antre/server"
	"antre/voice"
)

// ikm is GET /api/v1/ikm's answer.
type ikm struct {
	Regulation string   `json:"regulation"`
	Responses  int      `json:"responses"`
	Tickets    int      `json:"tickets"`
	Share      *float64 `json:"share_percent"`
	Elements   []struct {
		Element int     `json:"element"`
		NRR     float64 `json:"nrr"`
		Lowest  bool    `json:"lowest"`
		Name    struct{ ID string }
	} `json:"elements"`
	Index     *float64 `json:"index"`
	Category  string   `json:"category"`
	Lowest    []int    `json:"lowest"`
	Profile   map[string]map[string]int
	Breakdown []struct {
		Key       string   `json:"key"`
		Responses int      `json:"responses"`
		Tickets   int      `json:"tickets"`
		Share     *float64 `json:"share_percent"`
		Index     *float64 `json:"index"`
		Category  string   `json:"category"`
	} `json:"breakdown"`
}

var nine = []int{4, 4, 4, 4, 4, 4, 4, 4, 4}

// TestOneResponsePerTicket: the ticket's QR code carries its token; the survey opens only
// once the ticket is finished at a counter, only with the ticket's own token, and takes one
// response: a second one for the same ticket is a conflict and changes nothing. Bad answers
// are refused in Indonesian (English with ?lang=en), nothing recorded.
func TestOneResponsePerTicket(t *testing.T) {
	e := newEnv(t)
	a := e.issue("A", nil)
	b := e.issue("A", nil)
	if len(a.Token) != 16 || a.Token == b.Token {
		t.Fatalf("tokens %q %q", a.Token, b.Token)
	}
	post := func(tk ticket, token string, answers []int) map[string]any {
		return map[string]any{"ticket": tk.Code, "token": token, "answers": answers}
	}
	msg := e.refused("", "POST", "/api/v1/surveys", post(a, a.Token, nine), 409, "conflict")
	if !strings.Contains(msg, "setelah nomor antrean Anda selesai dilayani") {
		t.Errorf("before the finish: %q", msg)
	}
	var st struct{ State string }
	e.ok("", "GET", "/api/v1/surveys/state?ticket="+a.Code+"&token="+a.Token, nil, &st)
	if st.State != "not_served" {
		t.Errorf("state before the finish %q", st.State)
	}
	if got := e.serve("petugas", 1); got != a.Code {
		t.Fatalf("served %s", got)
	}
	// another ticket's token, a made-up one: forbidden
	e.refused("", "POST", "/api/v1/surveys", post(a, b.Token, nine), 403, "forbidden")
	e.refused("", "POST", "/api/v1/surveys", post(a, "AAAAAAAAAAAAAAAA", nine), 403, "forbidden")
	e.refused("", "POST", "/api/v1/surveys", post(a, "", nine), 400, "invalid")
	if msg := e.refused("", "POST", "/api/v1/surveys", post(a, a.Token, []int{4, 4, 4}), 400, "invalid"); msg != "Jawaban survei harus 9 angka, masing-masing 1 sampai 4." {
		t.Errorf("3 answers: %q", msg)
	}
	if msg := e.refused("", "POST", "/api/v1/surveys?lang=en", post(a, a.Token, []int{4, 4, 4, 4, 4, 4, 4, 4, 5}), 400, "invalid"); msg != "A survey response needs 9 answers, each 1 to 4." {
		t.Errorf("a 5 in English: %q", msg)
	}
	bad := post(a, a.Token, nine)
	bad["profile"] = map[string]string{"age": "a99"}
	e.refused("", "POST", "/api/v1/surveys", bad, 400, "invalid")
	e.refused("", "POST", "/api/v1/surveys", map[string]any{"ticket": "A1", "token": a.Token, "answers": nine}, 400, "invalid")

	good := post(a, strings.ToLower(a.Token), []int{4, 3, 3, 4, 4, 4, 4, 3, 4})
	good["profile"] = map[string]string{"age": "a30", "sex": "f", "education": ""}
	good["suggestion"] = "Ruang tunggu kurang kursi."
	var rc struct {
		Ticket       string
		BusinessDate string `json:"business_date"`
		Counter      int
	}
	if st := e.do("", "POST", "/api/v1/surveys", good, &rc); st != 201 || rc.Ticket != a.Code || rc.BusinessDate != "2026-11-25" || rc.Counter != 1 {
		t.Fatalf("first response: %d %+v", st, rc)
	}
	if msg := e.refused("", "POST", "/api/v1/surveys", post(a, a.Token, nine), 409, "conflict"); msg != "Survei untuk nomor antrean ini sudah diisi. Terima kasih." {
		t.Errorf("second response: %q", msg)
	}
	e.ok("", "GET", "/api/v1/surveys/state?ticket="+strings.ToLower(a.Code)+"&token="+a.Token, nil, &st)
	if st.State != "answered" {
		t.Errorf("state after %q", st.State)
	}
	if ev := e.events("survey.answered"); len(ev) != 1 || ev[0].Ticket != a.Code || ev[0].Counter != 1 || strings.Contains(string(ev[0].Data), a.Token) {
		t.Errorf("events %+v", ev)
	}

	var r ikm
	e.refused("petugas", "GET", "/api/v1/ikm", nil, 403, "forbidden")
	e.refused("", "GET", "/api/v1/ikm", nil, 401, "unauthorized")
	e.ok("kakanim", "GET", "/api/v1/ikm?from=2026-11-25&to=2026-11-25", nil, &r)
	// one response (4 3 3 4 4 4 4 3 4: 33 of 36) among 1 finished ticket: 33/36 × 25 = 91.67, A
	if r.Regulation != "permenpanrb-14-2017" || r.Responses != 1 || r.Tickets != 1 || r.Share == nil || *r.Share != 100 ||
		r.Index == nil || *r.Index != 91.67 || r.Category != "A" || !slices.Equal(r.Lowest, []int{2, 3, 8}) {
		t.Errorf("ikm %+v", r)
	}
	if r.Profile["age"]["a30"] != 1 || r.Profile["sex"]["f"] != 1 || len(r.Profile["education"]) != 0 {
		t.Errorf("profile %v", r.Profile)
	}
	if r.Elements[0].Name.ID != "Persyaratan" {
		t.Errorf("element names %+v", r.Elements[0])
	}
	e.refused("admin", "GET", "/api/v1/ikm?from=2026-11-30&to=2026-11-01", nil, 400, "invalid")
	e.refused("admin", "GET", "/api/v1/ikm?period=2026-Q5", nil, 400, "invalid")
	e.refused("admin", "GET", "/api/v1/ikm?by=week", nil, 400, "invalid")
}

// TestIndexFromTheAPI answers the hand-worked fixture of the domain's tests through the whole
// path (tickets served at two counters, answered by their tokens) and reads the same NRR,
// index and category back, with the breakdown per counter and the share of tickets answered.
func TestIndexFromTheAPI(t *testing.T) {
	e := newEnv(t)
	// Element sums 14 14 11 15 12 15 15 11 14 over 4 respondents: 121 / 36 × 25 = 84.03, B.
	fixture := [][]int{
		{4, 4, 3, 4, 3, 4, 4, 3, 4},
		{3, 4, 3, 3, 3, 4, 4, 3, 3},
		{4, 3, 2, 4, 3, 3, 4, 2, 3},
		{3, 3, 3, 4, 3, 4, 3, 3, 4},
	}
	var tks []ticket
	for range 5 {
		tks = append(tks, e.issue("B", nil))
	}
	for i := range tks {
		e.serve("petugas", 1+i%2) // counters 1 2 1 2 1
	}
	for i, a := range fixture {
		e.ok("", "POST", "/api/v1/surveys", map[string]any{"ticket": tks[i].Code, "token": tks[i].Token, "answers": a, "via": "tablet"}, nil)
	}
	var r ikm
	e.ok("admin", "GET", "/api/v1/ikm?period=2026-11&by=counter", nil, &r)
	var nrr []float64
	for _, el := range r.Elements {
		nrr = append(nrr, el.NRR)
	}
	if r.Responses != 4 || r.Tickets != 5 || *r.Share != 80 || *r.Index != 84.03 || r.Category != "B" ||
		!slices.Equal(nrr, []float64{3.5, 3.5, 2.75, 3.75, 3, 3.75, 3.75, 2.75, 3.5}) || !slices.Equal(r.Lowest, []int{3, 5, 8}) {
		t.Errorf("ikm %+v (nrr %v)", r, nrr)
	}
	// counter 1 served tickets 1, 3, 5 and got responses 1 and 3: (33 + 28) / 18 × 25 = 84.72;
	// counter 2 served 2 and 4: (30 + 30) / 18 × 25 = 83.33
	if len(r.Breakdown) != 2 || r.Breakdown[0].Key != "1" || r.Breakdown[0].Responses != 2 || r.Breakdown[0].Tickets != 3 ||
		*r.Breakdown[0].Index != 84.72 || *r.Breakdown[0].Share != 66.7 || r.Breakdown[1].Key != "2" || *r.Breakdown[1].Index != 83.33 {
		t.Errorf("per counter %+v", r.Breakdown)
	}
	e.ok("admin", "GET", "/api/v1/ikm?period=2026&by=quarter&group=B", nil, &r)
	if len(r.Breakdown) != 1 || r.Breakdown[0].Key != "2026-Q4" || r.Responses != 4 {
		t.Errorf("per quarter %+v", r.Breakdown)
	}
	e.ok("admin", "GET", "/api/v1/ikm?from=2026-11-25&to=2026-11-25&group=A", nil, &r)
	if r.Responses != 0 || r.Index != nil || r.Category != "" || r.Tickets != 0 {
		t.Errorf("group A without responses %+v", r)
	}
}

// TestKepmenpanRegulation: with survey.regulation kepmenpan-25-2004 the form has 14 elements,
// a response needs 14 answers, and the hand-worked 81.25 is B.
func TestKepmenpanRegulation(t *testing.T) {
	e := newEnv(t, func(c *server.Config) { c.Survey.Regulation = "kepmenpan-25-2004" })
	var form struct {
		Regulation string
		Elements   []struct{ Scale [4]struct{ ID string } }
		Profile    []struct{ Key string }
	}
	e.ok("", "GET", "/api/v1/surveys/form", nil, &form)
	if form.Regulation != "kepmenpan-25-2004" || len(form.Elements) != 14 || form.Elements[10].Scale[0].ID != "Selalu tidak sesuai" || len(form.Profile) != 4 {
		t.Fatalf("form %+v", form)
	}
	a, b := e.issue("A", nil), e.issue("A", nil)
	e.serve("petugas", 1)
	e.serve("petugas", 1)
	e.refused("", "POST", "/api/v1/surveys", map[string]any{"ticket": a.Code, "token": a.Token, "answers": nine}, 400, "invalid")
	e.ok("", "POST", "/api/v1/surveys", map[string]any{"ticket": a.Code, "token": a.Token, "answers": []int{4, 3, 3, 3, 4, 3, 3, 3, 4, 3, 3, 3, 4, 3}}, nil)
	e.ok("", "POST", "/api/v1/surveys", map[string]any{"ticket": b.Code, "token": b.Token, "answers": []int{3, 4, 3, 3, 3, 4, 3, 3, 3, 4, 3, 3, 3, 3}}, nil)
	var r ikm
	e.ok("admin", "GET", "/api/v1/ikm?from=2026-11-01&to=2026-11-30", nil, &r)
	if r.Regulation != "kepmenpan-25-2004" || len(r.Elements) != 14 || *r.Index != 81.25 || r.Category != "B" {
		t.Errorf("ikm %+v", r)
	}
	// the key as an office sets it: survey.regulation, ANTRE_SURVEY_REGULATION in the environment
	t.Setenv("ANTRE_SURVEY_REGULATION", "kepmenpan-25-2004")
	t.Setenv("ANTRE_COMPLAINTS_DUE_DAYS", "14")
	cfg, err := server.LoadConfig(nil)
	if err != nil || cfg.Survey.Regulation != "kepmenpan-25-2004" || cfg.Complaints.DueDays != 14 || !cfg.Survey.SMSLink || cfg.Info.Idle != time.Minute {
		t.Fatalf("config %+v %+v %v", cfg.Survey, cfg.Complaints, err)
	}
	for _, bad := range []voice.Config{
		{Survey: voice.SurveyConfig{Regulation: "permenpan-2099"}},
		{Survey: voice.SurveyConfig{Elements: []voice.ElementConfig{{NameID: "Satu", QuestionID: "?", ScaleID: []string{"1", "2", "3", "4"}}}}},
		{Survey: voice.SurveyConfig{Profile: []voice.ProfileConfig{{Key: "Usia!", LabelID: "Usia"}}}},
		{Complaints: voice.ComplaintsConfig{DueDays: 99}},
	} {
		if _, err := voice.New(bad); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
}

// TestTabletOnlyAfterAFinishAtItsCounter: a feedback tablet shows no survey until a ticket is
// finished at its own counter, then that ticket's (and its token answers it), and none after
// the answer, after the next finish elsewhere only the newest at its counter counts, and none
// once the window has passed. A tablet without a counter is told so; officers and displays
// cannot ask.
func TestTabletOnlyAfterAFinishAtItsCounter(t *testing.T) {
	e := newEnv(t)
	e.tokens["tablet"] = e.addDevice("feedback-2", antre.RoleFeedback, `{"counter": 2}`)
	e.tokens["loose"] = e.addDevice("feedback-x", antre.RoleFeedback, "")
	type inv struct {
		Survey *struct {
			Ticket, Token string
			Counter       int
		}
	}
	var got inv
	tablet := func() inv {
		t.Helper()
		var v inv
		e.ok("tablet", "GET", "/api/v1/surveys/tablet", nil, &v)
		return v
	}
	if got = tablet(); got.Survey != nil {
		t.Fatalf("a survey before any finish: %+v", got.Survey)
	}
	if msg := e.refused("loose", "GET", "/api/v1/surveys/tablet", nil, 409, "conflict"); !strings.Contains(msg, "belum ditetapkan untuk loket") {
		t.Errorf("unbound tablet: %q", msg)
	}
	e.refused("petugas", "GET", "/api/v1/surveys/tablet", nil, 403, "forbidden")
	e.refused("display", "GET", "/api/v1/surveys/tablet", nil, 403, "forbidden")

	a, b, c := e.issue("A", nil), e.issue("A", nil), e.issue("A", nil)
	// called at counter 2 but not finished: nothing
	e.ok("petugas", "POST", "/api/v1/counters/2/next", nil, nil)
	if got = tablet(); got.Survey != nil {
		t.Fatalf("a survey for a ticket only called: %+v", got.Survey)
	}
	// the next press finishes a at counter 2 (a real finish) and calls b
	e.ok("petugas", "POST", "/api/v1/counters/2/next", nil, nil)
	if got = tablet(); got.Survey == nil || got.Survey.Ticket != a.Code || got.Survey.Token != a.Token || got.Survey.Counter != 2 {
		t.Fatalf("after a's finish at counter 2: %+v", got.Survey)
	}
	// b finished at counter 2 too, then c at counter 1: the tablet shows b, never c
	e.ok("petugas", "POST", "/api/v1/counters/2/finish", nil, nil)
	e.ok("petugas2", "POST", "/api/v1/counters/1/next", nil, nil)
	e.ok("petugas2", "POST", "/api/v1/counters/1/finish", nil, nil)
	if got = tablet(); got.Survey == nil || got.Survey.Ticket != b.Code {
		t.Fatalf("after b at 2 and c at 1: %+v", got.Survey)
	}
	e.ok("", "POST", "/api/v1/surveys", map[string]any{"ticket": got.Survey.Ticket, "token": got.Survey.Token, "answers": nine, "via": "tablet"}, nil)
	if got = tablet(); got.Survey != nil {
		t.Fatalf("after b answered: %+v", got.Survey)
	}
	_ = c
	d := e.issue("A", nil)
	e.serve("petugas", 2)
	if got = tablet(); got.Survey == nil || got.Survey.Ticket != d.Code {
		t.Fatalf("after d: %+v", got.Survey)
	}
	e.h.Clock.Advance(5*time.Minute + time.Second)
	if got = tablet(); got.Survey != nil {
		t.Fatalf("after the window: %+v", got.Survey)
	}
	// the token still answers from the applicant's phone
	e.ok("", "POST", "/api/v1/surveys", map[string]any{"ticket": d.Code, "token": d.Token, "answers": nine}, nil)
}

// TestConfiguredTexts: the office's own element texts and profile questions replace the
// built-in ones (English falls back to the Indonesian), and answers to the profile are checked
// against them.
func TestConfiguredTexts(t *testing.T) {
	var els []voice.ElementConfig
	for i := range 9 {
		els = append(els, voice.ElementConfig{NameID: "Unsur " + itoa(i+1), QuestionID: "Pertanyaan " + itoa(i+1) + "?",
			ScaleID: []string{"buruk", "cukup", "baik", "sangat baik"}})
	}
	e := newEnv(t, func(c *server.Config) {
		c.Survey.Elements = els
		c.Survey.Profile = []voice.ProfileConfig{{Key: "visit", LabelID: "Kunjungan", LabelEN: "Visit",
			Options: []voice.ProfileOption{{Key: "first", ID: "Pertama", EN: "First"}, {Key: "again", ID: "Ulang"}}}}
	})
	var form struct {
		Elements []struct {
			Name  struct{ ID, EN string }
			Scale [4]struct{ ID, EN string }
		}
		Profile []struct {
			Key     string
			Options []struct{ Key string }
		}
	}
	e.ok("", "GET", "/api/v1/surveys/form", nil, &form)
	if len(form.Elements) != 9 || form.Elements[8].Name.ID != "Unsur 9" || form.Elements[8].Name.EN != "Unsur 9" ||
		form.Elements[0].Scale[3].EN != "sangat baik" || len(form.Profile) != 1 || form.Profile[0].Key != "visit" {
		t.Fatalf("form %+v", form)
	}
	tk := e.issue("A", nil)
	e.serve("petugas", 1)
	e.refused("", "POST", "/api/v1/surveys", map[string]any{"ticket": tk.Code, "token": tk.Token, "answers": nine,
		"profile": map[string]string{"age": "a20"}}, 400, "invalid")
	e.ok("", "POST", "/api/v1/surveys", map[string]any{"ticket": tk.Code, "token": tk.Token, "answers": nine,
		"profile": map[string]string{"visit": "again"}}, nil)
	var r ikm
	e.ok("admin", "GET", "/api/v1/ikm", nil, &r)
	if r.Profile["visit"]["again"] != 1 || r.Elements[0].Name.ID != "Unsur 1" || *r.Index != 100 {
		t.Errorf("results %+v", r)
	}
}
