package workflow_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"antre"
	"antre/server"
	"antre/workflow"
)

// toAdjudication opens a file for app's applicant and passes it through intake and biometrics.
func (e *env) toAdjudication(app map[string]any) string {
	e.t.Helper()
	var f summary
	e.ok("oss1", "POST", "/api/v1/applications", app, &f)
	e.complete("oss1", f.Number, "intake", "pass", "", map[string]any{"documents": newDocs})
	e.next("bio1", "biometrics")
	e.complete("bio1", f.Number, "biometrics", "pass", "", map[string]any{"captures": allCaptures})
	return f.Number
}

// fileStatus reads a file's state as staff see it.
func (e *env) fileStatus(number string) summary {
	e.t.Helper()
	var s summary
	e.ok("kakanim", "GET", "/api/v1/applications/"+number+"/file", nil, &s)
	return s
}

// TestCekalHit: the cekal service (HTTP, on a real socket) answers hit: the file is held for
// Wasdakim at once (the module asks early, without waiting for the adjudicator), the applicant
// reads "in review" only; Wasdakim's BAP and then the head's decision: cleared goes back to
// adjudication and on to payment; refused closes the file without payment.
func TestCekalHit(t *testing.T) {
	var asked atomic.Int32
	watch := map[string]bool{}
	cekal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		var q struct{ Kind, NIK string }
		json.NewDecoder(r.Body).Decode(&q)
		res := "clear"
		if watch[q.NIK] {
			res = "hit"
		}
		json.NewEncoder(w).Encode(map[string]string{"result": res, "ref": "PUSDAKIM-1"})
	}))
	defer cekal.Close()
	e := newEnv(t, func(c *server.Config) {
		c.Workflow.Checks = map[string]workflow.CheckConfig{"cekal": {Adapter: "http", URL: cekal.URL, Timeout: 2 * time.Second, Retries: 1}}
	})
	cleared, refused := applicant(e.serve("oss1", "A", 1), false), applicant("", false)
	watch[cleared["nik"].(string)], watch[refused["nik"].(string)] = true, true
	n := e.toAdjudication(cleared)
	waitFor(t, "the file held after the cekal hit", func() bool { return e.fileStatus(n).Status == "held" })
	if asked.Load() == 0 {
		t.Fatal("the cekal service was not asked")
	}
	pub := e.public(n)
	if pub["status"] != "in_review" {
		t.Errorf("public status of a held file: %v", pub)
	}
	_, body := e.raw("", "/api/v1/applications/"+n)
	if contains(body, "cekal") || contains(body, "held") || contains(body, "Wasdakim") {
		t.Errorf("the public learns the reason: %s", body)
	}
	e.refused("adj1", "POST", "/api/v1/stages/adjudication/next", nil, 409, antre.EEMPTY)
	e.refused("adj1", "POST", "/api/v1/applications/"+n+"/complete", map[string]any{"stage": "adjudication", "outcome": "pass"}, 409, "conflict")
	e.refused("adj1", "POST", "/api/v1/applications/"+n+"/decision", map[string]any{"decision": "cleared", "reason": "x"}, 403, "forbidden")
	e.refused("kakanim", "POST", "/api/v1/applications/"+n+"/decision", map[string]any{"decision": "cleared", "reason": "x"}, 409, "conflict") // BAP first
	e.refused("adj1", "POST", "/api/v1/applications/"+n+"/enforcement", map[string]any{"ref": ""}, 400, "invalid")
	s := summary{}
	e.ok("adj1", "POST", "/api/v1/applications/"+n+"/enforcement", map[string]any{"ref": "BAP/WASDAKIM/12/2026", "note": "nama sama, orang berbeda"}, &s)
	if s.Status != "awaiting_decision" {
		t.Fatalf("after the BAP: %+v", s)
	}
	e.refused("kakanim", "POST", "/api/v1/applications/"+n+"/decision", map[string]any{"decision": "cleared"}, 400, "invalid")
	e.ok("kakanim", "POST", "/api/v1/applications/"+n+"/decision", map[string]any{"decision": "cleared", "reason": "bukan subjek cekal"}, &s)
	if s.Stage != "adjudication" || s.Status != "open" {
		t.Fatalf("cleared: %+v", s)
	}
	e.next("adj1", "adjudication")
	if s = e.complete("adj1", n, "adjudication", "pass", "", nil); s.Stage != "payment" {
		t.Fatalf("cleared file passes adjudication: %+v", s)
	}

	refused["ticket"] = e.serve("oss1", "A", 1)
	m := e.toAdjudication(refused)
	waitFor(t, "the second file held", func() bool { return e.fileStatus(m).Status == "held" })
	e.ok("kakanim", "POST", "/api/v1/applications/"+m+"/enforcement", map[string]any{"ref": "BAP/13"}, nil)
	s = summary{}
	e.ok("kakanim", "POST", "/api/v1/applications/"+m+"/decision", map[string]any{"decision": "refused", "reason": "subjek cekal aktif"}, &s)
	if s.Status != "refused" || s.Fee != 0 || s.BillingCode != "" {
		t.Errorf("refused: %+v (no payment may be asked)", s)
	}
	if pub := e.public(m); pub["status"] != "refused" {
		t.Errorf("public after refusal: %v", pub)
	}
	e.refused("adj1", "POST", "/api/v1/applications/"+m+"/complete", map[string]any{"stage": "adjudication", "outcome": "pass"}, 409, "conflict")
}

// TestChecksPendingAndDuplicate: a check that cannot answer (its list is missing) is pending and
// the file cannot pass; once the list is there the file passes. A duplicate found puts the file
// under the adjudicator's review: pass only with a reason.
func TestChecksPendingAndDuplicate(t *testing.T) {
	e := newEnv(t)
	if err := os.Remove(filepath.Join(e.lists, "identity.txt")); err != nil {
		t.Fatal(err)
	}
	dup := applicant("", false)
	writeList(t, e.lists, antre.CheckDuplicate, "# passports still valid\n"+dup["nik"].(string)+"\n")
	n := e.toAdjudication(applicant(e.serve("oss1", "A", 1), false))
	e.next("adj1", "adjudication")
	msg := e.refused("adj1", "POST", "/api/v1/applications/"+n+"/complete", map[string]any{"stage": "adjudication", "outcome": "pass"}, 409, "conflict")
	if !has(msg, "belum lengkap") {
		t.Errorf("pass on a pending check: %q", msg)
	}
	var checks struct {
		Checks map[string]string `json:"checks"`
	}
	e.ok("adj1", "POST", "/api/v1/applications/"+n+"/checks", nil, &checks)
	if checks.Checks["identity"] != "pending" || checks.Checks["cekal"] != "clear" {
		t.Errorf("checks: %v", checks.Checks)
	}
	writeList(t, e.lists, antre.CheckIdentity, "")
	if s := e.complete("adj1", n, "adjudication", "pass", "", nil); s.Stage != "payment" {
		t.Fatalf("pass once the list answers: %+v", s)
	}

	dup["ticket"] = e.serve("oss1", "A", 1)
	m := e.toAdjudication(dup)
	waitFor(t, "the duplicate under review", func() bool { return e.fileStatus(m).Status == "duplicate_review" })
	if got := e.next("adj1", "adjudication"); got.Number != m || got.Status != "duplicate_review" {
		t.Fatalf("next: %+v", got)
	}
	e.refused("adj1", "POST", "/api/v1/applications/"+m+"/complete", map[string]any{"stage": "adjudication", "outcome": "pass"}, 400, "invalid")
	if s := e.complete("adj1", m, "adjudication", "pass", "paspor lama dinyatakan hilang, BAP ada", nil); s.Stage != "payment" {
		t.Fatalf("duplicate decided: %+v", s)
	}
}

// TestBiometricFailure: a failed verification is retaken up to max_retakes (2) times, the
// applicant told to come back; the third failure goes to the adjudicator, who passes it only
// with a reason.
func TestBiometricFailure(t *testing.T) {
	e := newEnv(t)
	f := e.open("oss1", "A", 1)
	e.complete("oss1", f.Number, "intake", "pass", "", map[string]any{"documents": newDocs})
	for i := 1; i <= 2; i++ {
		e.next("bio1", "biometrics")
		e.refused("bio1", "POST", "/api/v1/applications/"+f.Number+"/complete", map[string]any{"stage": "biometrics", "outcome": "fail"}, 400, "invalid")
		s := e.complete("bio1", f.Number, "biometrics", "fail", "verifikasi sidik jari gagal", map[string]any{"captures": allCaptures})
		if s.Stage != "biometrics" || s.Status != "retake" || s.Retakes != i || s.Holder != "" {
			t.Fatalf("failure %d: %+v", i, s)
		}
		if pub := e.public(f.Number); pub["status"] != "retake" || !has(pub["next"].(string), "biometrik") {
			t.Errorf("public after failure %d: %v", i, pub)
		}
	}
	e.next("bio1", "biometrics")
	// the retake's captures are its own: the earlier attempt's do not count
	msg := e.refused("bio1", "POST", "/api/v1/applications/"+f.Number+"/complete", map[string]any{"stage": "biometrics", "outcome": "pass"}, 400, "invalid")
	if !has(msg, "sidik jari") {
		t.Errorf("pass without this attempt's captures: %q", msg)
	}
	e.ok("bio1", "POST", "/api/v1/applications/"+f.Number+"/captures", map[string]any{"items": allCaptures[:6]}, nil)
	e.refused("bio1", "POST", "/api/v1/applications/"+f.Number+"/captures", map[string]any{"items": []string{"toe_1"}}, 400, "invalid")
	s := e.complete("bio1", f.Number, "biometrics", "fail", "verifikasi gagal lagi", nil)
	if s.Stage != "adjudication" || s.Status != "biometric_review" {
		t.Fatalf("third failure: %+v", s)
	}
	if pub := e.public(f.Number); pub["status"] != "in_review" {
		t.Errorf("public under review: %v", pub)
	}
	e.next("adj1", "adjudication")
	e.refused("adj1", "POST", "/api/v1/applications/"+f.Number+"/complete", map[string]any{"stage": "adjudication", "outcome": "pass"}, 400, "invalid")
	if s := e.complete("adj1", f.Number, "adjudication", "pass", "wawancara: identitas cocok, sidik jari aus", nil); s.Stage != "payment" {
		t.Fatalf("adjudicator passes: %+v", s)
	}
}

// TestLostPassportAndReturn: a lost passport (group C) waits for its BAP at intake and cannot
// leave before; an incomplete file is returned with a reason.
func TestLostPassportAndReturn(t *testing.T) {
	e := newEnv(t)
	code := e.serve("oss1", "C", 1)
	var f summary
	e.ok("oss1", "POST", "/api/v1/applications", applicant(code, true), &f)
	if f.Kind != "lost" || f.Status != "bap_required" {
		t.Fatalf("lost passport: %+v", f)
	}
	lostDocs := map[string]any{"documents": []string{"ktp", "kk", "diploma", "police_report"}}
	msg := e.refused("oss1", "POST", "/api/v1/applications/"+f.Number+"/complete", map[string]any{"stage": "intake", "outcome": "pass",
		"details": lostDocs}, 409, "conflict")
	if pub := e.public(f.Number); pub["status"] != "bap_required" {
		t.Errorf("public: %v (%s)", pub, msg)
	}
	e.refused("oss2", "POST", "/api/v1/applications/"+f.Number+"/bap", map[string]any{"ref": "BAP/HLG/7"}, 409, "conflict")
	e.ok("oss1", "POST", "/api/v1/applications/"+f.Number+"/bap", map[string]any{"ref": "BAP/HLG/7", "date": "2026-11-25"}, &f)
	if f.Status != "open" || f.Holder != "oss1" {
		t.Fatalf("after the BAP: %+v", f)
	}
	e.refused("oss1", "POST", "/api/v1/applications/"+f.Number+"/complete", map[string]any{"stage": "intake", "outcome": "pass",
		"details": map[string]any{"documents": newDocs}}, 400, "invalid") // no police report
	if s := e.complete("oss1", f.Number, "intake", "pass", "", lostDocs); s.Stage != "biometrics" {
		t.Fatalf("lost passport leaves intake: %+v", s)
	}
	// damaged, with the BAP in the completion's details
	code = e.serve("oss2", "C", 2)
	app := applicant(code, false)
	app["kind"] = "damaged"
	e.ok("oss2", "POST", "/api/v1/applications", app, &f)
	if s := e.complete("oss2", f.Number, "intake", "pass", "", map[string]any{"bap": map[string]any{"ref": "BAP/RSK/1"},
		"documents": []string{"ktp", "kk", "birth_certificate", "old_passport"}}); s.Stage != "biometrics" || s.Kind != "damaged" {
		t.Fatalf("damaged: %+v", s)
	}
	// returned: documents incomplete, the applicant comes back with a new number
	g := e.open("oss1", "B", 1)
	e.refused("oss1", "POST", "/api/v1/applications/"+g.Number+"/complete", map[string]any{"stage": "intake", "outcome": "fail"}, 400, "invalid")
	if s := e.complete("oss1", g.Number, "intake", "fail", "paspor lama tidak dibawa", nil); s.Status != "returned" {
		t.Fatalf("returned: %+v", s)
	}
	if pub := e.public(g.Number); pub["status"] != "returned" || has(pub["text"].(string), "paspor lama tidak dibawa") {
		t.Errorf("public after return: %v", pub)
	}
}

// TestSpoiledBlanks: blanks are taken from the office's stock only at printing; a spoiled print
// and a passport refused at approval are recorded with serial and reason, and the counts say so.
func TestSpoiledBlanks(t *testing.T) {
	e := newEnv(t)
	e.ok("cetak1", "POST", "/api/v1/blanks", map[string]any{"serials": []string{"B2000001", "B2000002", "B2000003"}}, nil)
	n := e.toAdjudication(applicant(e.serve("oss1", "A", 1), false))
	e.next("adj1", "adjudication")
	e.complete("adj1", n, "adjudication", "pass", "", nil)
	e.next("kasir1", "payment")
	e.refused("kasir1", "POST", "/api/v1/applications/"+n+"/complete", map[string]any{"stage": "payment", "outcome": "pass"}, 400, "invalid")
	e.refused("kasir1", "POST", "/api/v1/applications/"+n+"/complete", map[string]any{"stage": "payment", "outcome": "fail", "reason": "x"}, 409, "conflict")
	e.complete("kasir1", n, "payment", "pass", "", map[string]any{"receipt": "NTPN77"})
	e.next("cetak1", "printing")
	e.refused("cetak1", "POST", "/api/v1/applications/"+n+"/complete", map[string]any{"stage": "printing", "outcome": "fail", "reason": "tinta luntur",
		"details": map[string]any{"serial": "Z9999999"}}, 409, "conflict")
	s := e.complete("cetak1", n, "printing", "fail", "tinta luntur", map[string]any{"serial": "B2000001"})
	if s.Stage != "printing" || s.Holder != "cetak1" {
		t.Fatalf("spoiled print: %+v", s)
	}
	e.refused("cetak1", "POST", "/api/v1/applications/"+n+"/complete", map[string]any{"stage": "printing", "outcome": "pass",
		"details": map[string]any{"qa": allQA[:3]}}, 400, "invalid")
	e.refused("cetak1", "POST", "/api/v1/applications/"+n+"/complete", map[string]any{"stage": "printing", "outcome": "pass",
		"details": map[string]any{"qa": allQA, "serial": "B2000001"}}, 409, "conflict") // spoiled already
	e.complete("cetak1", n, "printing", "pass", "", map[string]any{"qa": allQA})
	e.next("sah1", "approval")
	if s := e.complete("sah1", n, "approval", "fail", "foto buram", nil); s.Stage != "printing" {
		t.Fatalf("refused at approval: %+v", s)
	}
	var inv struct {
		Available, Used, Spoiled int
		Spoils                   []struct{ Serial, Number, Reason, By string }
	}
	e.ok("kakanim", "GET", "/api/v1/blanks", nil, &inv)
	if inv.Available != 1 || inv.Used != 0 || inv.Spoiled != 2 || len(inv.Spoils) != 2 {
		t.Fatalf("stock after two spoiled blanks: %+v", inv)
	}
	reasons := map[string]string{}
	for _, sp := range inv.Spoils {
		reasons[sp.Serial] = sp.Reason + "/" + sp.By + "/" + sp.Number
	}
	if reasons["B2000001"] != "tinta luntur/cetak1/"+n || reasons["B2000002"] != "foto buram/sah1/"+n {
		t.Errorf("spoiled: %v", reasons)
	}
	e.next("cetak1", "printing")
	e.complete("cetak1", n, "printing", "pass", "", map[string]any{"qa": allQA})
	e.ok("kakanim", "GET", "/api/v1/blanks", nil, &inv)
	if inv.Available != 0 || inv.Used != 1 {
		t.Errorf("stock: %+v", inv)
	}
	// the stock is empty now: the next file cannot be printed
	m := e.toAdjudication(applicant(e.serve("oss1", "A", 1), false))
	e.next("adj1", "adjudication")
	e.complete("adj1", m, "adjudication", "pass", "", nil)
	e.next("kasir1", "payment")
	e.complete("kasir1", m, "payment", "pass", "", map[string]any{"receipt": "NTPN78"})
	e.next("cetak1", "printing")
	msg := e.refused("cetak1", "POST", "/api/v1/applications/"+m+"/complete", map[string]any{"stage": "printing", "outcome": "pass",
		"details": map[string]any{"qa": allQA}}, 409, "conflict")
	if !has(msg, "habis") {
		t.Errorf("no blanks: %q", msg)
	}
	e.refused("bio1", "GET", "/api/v1/blanks", nil, 403, "forbidden")
}
