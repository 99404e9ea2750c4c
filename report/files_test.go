package report_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"antre"
	"antre/server"
)

// TestReportFilesAcrossHoliday walks two passport files through the workflow's API: both paid
// on Tuesday 1 December 2026, with Thursday 3 December closed (a holiday). The first is ready on
// Monday 7 December, the 3rd working day after its payment (Wednesday 2, Friday 4, Monday 7):
// on time. The second is ready on Tuesday 8 December, the 4th: late. The report counts both
// against the office calendar, and the day of the first file's readiness alone counts it, its
// payment folded from before the period.
func TestReportFilesAcrossHoliday(t *testing.T) {
	lists := t.TempDir()
	for _, k := range antre.CheckKinds {
		if err := os.WriteFile(filepath.Join(lists, string(k)+".txt"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	day := func(d, hh, mm int) time.Time { return time.Date(2026, 12, d, hh, mm, 0, 0, wib) }
	e := newEnv(t, day(1, 8, 0), func(c *server.Config) {
		c.Workflow.ListDir = lists
		c.Workflow.StatusFloor = time.Millisecond
	})
	roles := map[string]antre.Role{"oss1": antre.RoleOSS, "bio1": antre.RoleBiometric, "adj1": antre.RoleAdjudicator,
		"kasir1": antre.RoleCashier, "cetak1": antre.RolePrinting, "sah1": antre.RoleApprover}
	for n, r := range roles {
		e.addUser(n, r)
	}
	e.do(day(1, 8, 0), "admin", "PUT", "/api/v1/holidays/2026-12-03", map[string]any{"name": "Cuti bersama", "kind": "cuti_bersama"}, 200)
	e.do(day(1, 8, 0), "cetak1", "POST", "/api/v1/blanks", map[string]any{"first": "A1000001", "count": 5}, 200)
	complete := func(at time.Time, user, number, stage string, details map[string]any) {
		t.Helper()
		if stage != "intake" {
			e.do(at, user, "POST", "/api/v1/stages/"+stage+"/take", map[string]any{"number": number}, 200)
		}
		e.do(at, user, "POST", "/api/v1/applications/"+number+"/complete", map[string]any{"stage": stage, "outcome": "pass", "details": details}, 200)
	}
	var numbers []string
	for i, code := range []string{"A001", "A002"} {
		e.issue(day(1, 8, 1+i), "A", code)
	}
	for i, code := range []string{"A001", "A002"} {
		e.next(day(1, 8, 5+i), "oss1", 1, code)
		out := e.do(day(1, 8, 10+i), "oss1", "POST", "/api/v1/applications", map[string]any{"ticket": code,
			"nik": fmt.Sprintf("31710117089000%02d", i+1), "name": "Siti Rahmawati", "birth_date": "1990-08-17", "birth_place": "Jakarta"}, 201)
		numbers = append(numbers, out["number"].(string))
		complete(day(1, 8, 30+i), "oss1", numbers[i], "intake", map[string]any{"documents": []string{"ktp", "kk", "birth_certificate"}})
	}
	captures := map[string]any{"captures": []string{"photo", "finger_1", "finger_2", "finger_3", "finger_4", "finger_5", "finger_6",
		"finger_7", "finger_8", "finger_9", "finger_10", "signature"}}
	for i, n := range numbers {
		complete(day(1, 9, i), "bio1", n, "biometrics", captures)
	}
	for i, n := range numbers {
		complete(day(1, 9, 30+i), "adj1", n, "adjudication", nil)
	}
	for i, n := range numbers {
		complete(day(1, 10, i), "kasir1", n, "payment", map[string]any{"receipt": fmt.Sprintf("NTPN0123456789A%d", i)})
	}
	qa := map[string]any{"qa": []string{"data_page", "photo", "hologram", "uv_features", "microtext", "lamination"}}
	complete(day(4, 9, 0), "cetak1", numbers[0], "printing", qa)
	complete(day(4, 9, 30), "cetak1", numbers[1], "printing", qa)
	complete(day(7, 10, 0), "sah1", numbers[0], "approval", nil) // Monday: the 3rd working day
	complete(day(8, 10, 0), "sah1", numbers[1], "approval", nil) // Tuesday: the 4th

	type files struct {
		Files []struct {
			Kind      string
			Opened    int
			Completed int
			OnTime    int `json:"on_time"`
			Late      int
		} `json:"files"`
		Stages []struct {
			Stage string
			Time  struct {
				Count   int
				MedianS int64 `json:"median_s"`
			}
		} `json:"stages"`
	}
	var rep files
	_, body, _ := e.get("kakanim", "/api/v1/reports?from=2026-12-01&to=2026-12-31")
	if err := json.Unmarshal(body, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Files) != 1 || rep.Files[0].Kind != "new" || rep.Files[0].Opened != 2 || rep.Files[0].Completed != 2 ||
		rep.Files[0].OnTime != 1 || rep.Files[0].Late != 1 {
		t.Errorf("files %+v, want new: 2 opened, 2 completed, 1 on time (3rd working day across the holiday), 1 late", rep.Files)
	}
	stages := map[string]int64{}
	for _, s := range rep.Stages {
		stages[s.Stage] = s.Time.MedianS
	}
	// biometrics 08:30 → 09:00 and 08:31 → 09:01, 30 min each; approval: Friday 09:00 → Monday
	// 10:00 (73 h) and Friday 09:30 → Tuesday 10:00 (96.5 h): the median (rank 1 of 2) is 73 h
	if stages["biometrics"] != 1800 || stages["approval"] != int64((3*24*time.Hour+time.Hour)/time.Second) {
		t.Errorf("stage times %v, want biometrics 1800 s, approval median 262800 s (73 h)", stages)
	}
	rep = files{}
	_, body, _ = e.get("kakanim", "/api/v1/reports?from=2026-12-07&to=2026-12-07")
	json.Unmarshal(body, &rep)
	if len(rep.Files) != 1 || rep.Files[0].Completed != 1 || rep.Files[0].OnTime != 1 || rep.Files[0].Opened != 0 {
		t.Errorf("Monday 7 December: %+v, want 1 completed on time (paid the week before)", rep.Files)
	}
	_, pdf, _ := e.get("kakanim", "/api/v1/reports?from=2026-12-01&to=2026-12-31&format=pdf")
	if text := pdfText(t, pdf); !containsAll(text, "Berkas per jenis", "Paspor baru", "Tepat waktu", "Terlambat") {
		t.Errorf("the PDF lacks the files' table:\n%s", text)
	}
}

func containsAll(s string, subs ...string) bool {
	for _, x := range subs {
		if !strings.Contains(s, x) {
			return false
		}
	}
	return true
}
