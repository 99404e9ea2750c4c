package demodata

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"antre"
	"antre/voice"
	"antre/workflow"
)

// documents are what an applicant of a kind brings (the workflow's default checklists).
var documents = map[antre.ApplicationKind][]string{
	antre.KindNew:         {"ktp", "kk", "birth_certificate"},
	antre.KindReplacement: {"ktp", "old_passport"},
	antre.KindLost:        {"ktp", "kk", "birth_certificate", "police_report"},
	antre.KindDamaged:     {"ktp", "kk", "birth_certificate", "old_passport"},
	antre.KindChange:      {"ktp", "kk", "old_passport", "change_evidence"},
}

var captures = func() []string {
	out := []string{"photo"}
	for i := 1; i <= 10; i++ {
		out = append(out, fmt.Sprintf("finger_%d", i))
	}
	return append(out, "signature")
}()

var qaItems = []string{"data_page", "photo", "hologram", "uv_features", "microtext", "lamination"}

// openFile is the OSS officer opening the application file from the ticket being served and
// finishing intake: most pass, a few are returned for missing documents, a lost or damaged
// passport's BAP is recorded first.
func (s *sim) openFile(c *counter, v *visit, done time.Time) error {
	a := v.app
	if a.cekal {
		if err := appendLine(filepath.Join(s.lists, "cekal.txt"), a.person.nik); err != nil {
			return err
		}
	}
	sum, err := s.flow.Open(s.ctx, c.officer, workflow.OpenRequest{Ticket: v.code, NIK: a.person.nik, Name: a.person.name,
		BirthDate: a.person.birth, BirthPlace: a.person.place, Phone: a.person.phone, Kind: a.kind})
	if err != nil {
		return fmt.Errorf("open a file for %s: %w", v.code, err)
	}
	s.rep.Files++
	number := sum.Number
	if a.cekal {
		s.cekal[number] = true
	}
	s.plan(done, func() error {
		req := workflow.CompleteRequest{Stage: "intake", Outcome: "pass", Details: workflow.Details{Documents: documents[a.kind]}}
		if a.kind.NeedsBAP() {
			s.bapNo++
			req.Details.BAP = &workflow.BAPInput{Ref: fmt.Sprintf("BAP/%s/%04d", s.now().In(s.loc).Format("2006"), s.bapNo),
				Date: s.now().In(s.loc).Format(time.DateOnly), Note: "paspor " + string(a.kind)}
		}
		if s.chance(0.03) {
			req = workflow.CompleteRequest{Stage: "intake", Outcome: "fail", Reason: "dokumen persyaratan tidak lengkap"}
		}
		out, err := s.flow.Complete(s.ctx, c.officer, number, req)
		if err != nil {
			return fmt.Errorf("intake of %s: %w", number, err)
		}
		s.arrived(out)
		if out.Status == antre.FileReturned {
			s.rep.Returned++
		}
		return nil
	})
	return nil
}

// handOver is the pickup officer handing the passport over after the face check.
func (s *sim) handOver(v *visit) error {
	n := v.app.file
	if _, err := s.flow.Take(s.ctx, ambil, "pickup", n, "", ""); err != nil {
		return fmt.Errorf("take %s at pickup: %w", n, err)
	}
	if _, err := s.flow.Complete(s.ctx, ambil, n, workflow.CompleteRequest{Stage: "pickup", Outcome: "pass",
		Details: workflow.Details{FaceCheck: true}}); err != nil {
		return fmt.Errorf("hand over %s: %w", n, err)
	}
	s.rep.PickedUp++
	return nil
}

// pickupOn plans an applicant's return for the passport on date (nothing when date is past
// the history).
// The pickup counter tells applicants which day to come, so that no day's pickups exceed
// pickupCap (the pickup group's walk-in quota is 42).
func (s *sim) pickupOn(date, number string) {
	for date != "" && s.inHistory(date) {
		if len(s.pickups[date]) < pickupCap {
			s.pickups[date] = append(s.pickups[date], number)
			return
		}
		date = s.workingDayAfter(date, 1)
	}
}

// pickupCap is the most pickups a day.
const pickupCap = 38

// survey is a served applicant answering the satisfaction survey on the counter's tablet or
// through the ticket's QR code: mostly satisfied, some not.
func (s *sim) survey(v *visit) error {
	answers := make([]int, s.elems)
	mood := s.rng.NormFloat64() * 0.5
	for i := range answers {
		x := 3.35 + mood + 0.45*s.rng.NormFloat64()
		answers[i] = min(4, max(1, int(x+0.5)))
	}
	via := "tablet"
	if s.chance(0.4) {
		via = "qr"
	}
	_, err := s.say.Answer(s.ctx, voice.Response{Ticket: v.code, Token: s.tokens.TicketToken(v.date, v.code), Answers: answers, Via: via})
	if err != nil {
		return fmt.Errorf("survey of %s: %w", v.code, err)
	}
	s.rep.Surveys++
	return nil
}

// desk is a workflow stage's officer working through the stage's worklist in file order until
// the given time of day (or capacity files; 0 is unbounded), lo to hi minutes a file, looking
// again every 20 minutes when the worklist is empty.
func (s *sim) desk(date, stage string, p antre.Principal, lo, hi float64, untilH, untilM, capacity int) func() error {
	until := s.local(date, untilH, untilM)
	done := 0
	var step func() error
	step = func() error {
		if !s.now().Before(until) || (capacity > 0 && done >= capacity) {
			return nil
		}
		list := s.worklist[antre.Stage(stage)]
		if len(list) == 0 {
			s.plan(s.now().Add(20*time.Minute), step)
			return nil
		}
		var f workflow.Summary
		var err error
		if len(list) >= 4 && s.chance(0.01) {
			// an applicant shows a ticket for a flight the day after tomorrow: the officer takes
			// the latest file out of order, with the reason recorded
			f, err = s.flow.Take(s.ctx, p, stage, list[len(list)-1], "tiket keberangkatan lusa (perjalanan mendesak)", string(antre.TakeUrgentTravel))
		} else {
			f, err = s.flow.Next(s.ctx, p, stage)
		}
		if antre.ErrorCode(err) == antre.EEMPTY {
			return fmt.Errorf("next at %s: the worklist is empty, though %d files were sent there", stage, len(list))
		}
		if err != nil {
			return fmt.Errorf("take a file at %s: %w", stage, err)
		}
		s.taken(f)
		done++
		at := s.now().Add(s.minutes(lo, hi))
		s.plan(at, func() error {
			if err := s.work(date, stage, p, f); err != nil {
				return err
			}
			s.plan(s.now().Add(time.Duration(5+s.rng.IntN(40))*time.Second), step)
			return nil
		})
		return nil
	}
	return step
}

// work completes a stage's work on a file the officer took.
func (s *sim) work(date, stage string, p antre.Principal, f workflow.Summary) error {
	req := workflow.CompleteRequest{Stage: stage, Outcome: "pass"}
	switch stage {
	case "biometrics":
		req.Details.Captures = captures
		if f.Retakes == 0 && s.chance(0.03) {
			req = workflow.CompleteRequest{Stage: stage, Outcome: "fail", Reason: "verifikasi sidik jari gagal, diambil ulang",
				Details: workflow.Details{Captures: captures}}
		}
	case "adjudication":
		if s.chance(0.004) {
			req = workflow.CompleteRequest{Stage: stage, Outcome: "fail", Reason: "data kependudukan tidak sesuai dokumen"}
		}
	case "payment":
		s.ntpn++
		req.Details.Receipt = fmt.Sprintf("NTPN%012d", s.ntpn)
	case "printing":
		if err := s.stock(); err != nil {
			return err
		}
		s.serial++
		req.Details.Serial, req.Details.QA = serialOf(s.serial), qaItems
		if f.Retakes == 0 && s.chance(0.015) {
			req = workflow.CompleteRequest{Stage: stage, Outcome: "fail", Reason: "laminasi rusak saat pencetakan",
				Details: workflow.Details{Serial: serialOf(s.serial)}}
		}
	case "approval":
		if s.chance(0.005) {
			req = workflow.CompleteRequest{Stage: stage, Outcome: "fail", Reason: "salah cetak pada halaman biodata"}
		}
	}
	if stage == "adjudication" {
		// passing adjudication asks the outside checks first, reading the file outside the
		// change: it must see what the generator wrote
		if err := s.db.Flush(s.ctx); err != nil {
			return err
		}
	}
	out, err := s.flow.Complete(s.ctx, p, f.Number, req)
	if stage == "adjudication" && antre.ErrorCode(err) == antre.ECONFLICT {
		// the checks found the applicant on the cekal list: the file is held for Wasdakim
		if !s.cekal[f.Number] {
			return fmt.Errorf("adjudication of %s: %w", f.Number, err)
		}
		s.rep.Held++
		s.enforce(date, f.Number)
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s of %s: %w", stage, f.Number, err)
	}
	if out.Holder == p.Name && req.Outcome == "fail" {
		// a spoiled print stays with the printer, who prints it again on the next blank
		out.Retakes = max(out.Retakes, 1)
		return s.work(date, stage, p, out)
	}
	s.arrived(out)
	switch {
	case out.Status == antre.FileRefused:
		s.rep.Refused++
	case stage == "payment":
		s.due[f.Number] = out.Due
	case stage == "approval" && out.Stage == antre.StagePickup:
		today := s.now().In(s.loc).Format(time.DateOnly)
		if due := s.due[f.Number]; due != "" && today > due {
			s.rep.Late++
		}
		delete(s.due, f.Number)
		if !s.chance(0.04) {
			k := 1 + min(s.rng.IntN(3)+s.rng.IntN(4), 8)
			s.pickupOn(s.workingDayAfter(today, k), f.Number)
		}
	}
	return nil
}

// arrived notes a file that a change left in a stage's worklist (nobody holds it, and it is
// workable there), so that the stage's desk knows there is work without asking the hub.
func (s *sim) arrived(f workflow.Summary) {
	if f.Holder == "" && (antre.FileState{Stage: f.Stage, Status: f.Status}).Workable() {
		s.worklist[f.Stage] = append(s.worklist[f.Stage], f.Number)
	}
}

// taken removes a file an officer took from its stage's worklist.
func (s *sim) taken(f workflow.Summary) {
	list := s.worklist[f.Stage]
	if i := slices.Index(list, f.Number); i >= 0 {
		s.worklist[f.Stage] = slices.Delete(list, i, i+1)
	}
}

// enforce plays a cekal hit's path: Wasdakim's BAP the next working day, the head's decision
// the day after (most refused, some cleared as a namesake).
func (s *sim) enforce(date, number string) {
	d1 := s.workingDayAfter(date, 1)
	if d1 == "" {
		return
	}
	s.plan(s.local(d1, 10, 0).Add(s.minutes(0, 60)), func() error {
		s.bapNo++
		if _, err := s.flow.EnforcementBAP(s.ctx, adj, number, workflow.BAPInput{Ref: fmt.Sprintf("BAP/WASDAKIM/%04d", s.bapNo),
			Date: d1, Note: "pemeriksaan oleh seksi intelijen dan penindakan"}); err != nil {
			return fmt.Errorf("enforcement BAP of %s: %w", number, err)
		}
		d2 := s.workingDayAfter(d1, 1)
		if d2 == "" {
			return nil
		}
		s.plan(s.local(d2, 11, 0).Add(s.minutes(0, 90)), func() error {
			decision, reason := "refused", "tercantum dalam daftar cekal"
			if s.chance(0.3) {
				decision, reason = "cleared", "nama sama, bukan subjek cekal"
			}
			out, err := s.flow.Decide(s.ctx, kakanim, number, decision, reason)
			if err != nil {
				return fmt.Errorf("decision on %s: %w", number, err)
			}
			s.arrived(out)
			if out.Status == antre.FileRefused {
				s.rep.Refused++
			}
			return nil
		})
		return nil
	})
}

// serialOf is the i-th blank passport's serial.
func serialOf(i int) string { return fmt.Sprintf("X%07d", i) }

// stock keeps blank passports in stock: the office receives them in boxes of 500.
func (s *sim) stock() error {
	if s.serial < s.blanks {
		return nil
	}
	if _, _, err := s.flow.AddBlanks(s.ctx, cetak, nil, serialOf(s.blanks+1), 500); err != nil {
		return fmt.Errorf("blanks: %w", err)
	}
	s.blanks += 500
	return nil
}

// complaintTexts are complaints as applicants write them, per category.
var complaintTexts = []struct {
	cat   antre.ComplaintCategory
	share float64
	text  string
}{
	{antre.ComplaintTime, 33, "Antrean sangat lama, saya menunggu lebih dari dua jam di ruang tunggu."},
	{antre.ComplaintProcedure, 14, "Persyaratan yang diminta di loket berbeda dengan informasi di website."},
	{antre.ComplaintInformation, 14, "Status permohonan saya tidak berubah padahal sudah membayar di bank."},
	{antre.ComplaintFacilities, 15, "Kursi ruang tunggu kurang dan pendingin ruangan tidak menyala."},
	{antre.ComplaintConduct, 9, "Petugas di loket kurang ramah saat menjelaskan kekurangan dokumen."},
	{antre.ComplaintBroker, 6, "Ada orang di parkiran yang menawarkan jasa antre cepat dengan bayaran."},
	{antre.ComplaintFee, 4, "Saya diminta biaya tambahan di luar biaya resmi PNBP."},
	{antre.ComplaintOther, 5, "Mohon layanan dibuka juga pada hari Sabtu untuk pekerja."},
}

var channels = []antre.ComplaintChannel{antre.ChannelWeb, antre.ChannelSMS, antre.ChannelDesk, antre.ChannelBox}

// complain files a complaint and plays its handling: the head takes it the next working day,
// answers (or rejects) it within a few days, and closes most answered ones.
func (s *sim) complain(date string) func() error {
	return func() error {
		w := make([]float64, len(complaintTexts))
		for i, c := range complaintTexts {
			w[i] = c.share
		}
		ct := complaintTexts[s.pick(w)]
		ch := channels[s.pick([]float64{40, 25, 20, 15})]
		req := voice.FileRequest{Channel: ch, Category: ct.cat, Text: ct.text}
		actor := ""
		switch ch {
		case antre.ChannelSMS:
			req.Phone = fmt.Sprintf("628%010d", 1200000000+s.rng.IntN(99999999))
		case antre.ChannelDesk, antre.ChannelBox:
			actor = desk.Name
		}
		c, err := s.say.File(s.ctx, req, actor)
		if err != nil {
			return fmt.Errorf("complaint: %w", err)
		}
		s.rep.Complaints++
		act := func(day string, h int, a antre.ComplaintAction, r voice.ActRequest, then func()) {
			if day == "" {
				return
			}
			s.plan(s.local(day, h, 0).Add(s.minutes(0, 90)), func() error {
				if _, err := s.say.Act(s.ctx, kakanim, c.Number, a, r); err != nil {
					return fmt.Errorf("complaint %s %s: %w", c.Number, a, err)
				}
				if then != nil {
					then()
				}
				return nil
			})
		}
		d1 := s.workingDayAfter(date, 1)
		act(d1, 9, antre.ComplaintTake, voice.ActRequest{}, nil)
		d2 := s.workingDayAfter(d1, 1+s.rng.IntN(4))
		if ct.cat == antre.ComplaintOther && s.chance(0.5) {
			act(d2, 10, antre.ComplaintReject, voice.ActRequest{Reason: "di luar kewenangan kantor imigrasi"}, nil)
			return nil
		}
		act(d2, 10, antre.ComplaintAnswer, voice.ActRequest{Answer: "Terima kasih atas masukan Anda; sudah kami tindak lanjuti dengan petugas terkait."}, nil)
		if s.chance(0.85) {
			act(s.workingDayAfter(d2, 1+s.rng.IntN(3)), 14, antre.ComplaintClose, voice.ActRequest{}, func() { s.rep.ComplaintsClosed++ })
		}
		return nil
	}
}

// person is an applicant's identity as the OSS desk records it.
type person struct {
	nik, name, birth, place, phone string
}

var (
	firstNames = []string{"Ahmad", "Budi", "Siti", "Dewi", "Rudi", "Rina", "Agus", "Nur", "Hendra", "Fitri", "Joko", "Sri", "Andi", "Yuni",
		"Dedi", "Lestari", "Fajar", "Ayu", "Rizky", "Indah", "Bambang", "Wati", "Hasan", "Mega", "Eko", "Putri", "Arif", "Novi"}
	lastNames = []string{"Santoso", "Wijaya", "Saputra", "Lestari", "Hidayat", "Siregar", "Nasution", "Harahap", "Gunawan", "Pratama",
		"Kurniawan", "Rahayu", "Setiawan", "Susanto", "Simanjuntak", "Lubis", "Purba", "Tan", "Halim", "Rahman"}
	places = []string{"Tanjung Balai Karimun", "Tanjung Batu", "Moro", "Batam", "Tanjungpinang", "Pekanbaru", "Medan", "Dumai"}
)

// newPerson makes the i-th applicant: a NIK registered in Kabupaten Karimun (21 02) whose
// district and sequence come from i (so no two applicants share one), a birth date 1 to 75
// years before now that the NIK carries, a name, a birthplace and (for most) a phone.
func newPerson(rng interface {
	IntN(int) int
	Float64() float64
}, i int, now time.Time) person {
	age := 1 + rng.IntN(75)
	birth := now.AddDate(-age, 0, -rng.IntN(365))
	female := rng.IntN(2) == 0
	day := birth.Day()
	if female {
		day += 40
	}
	district := 1 + (i/9999)%12
	seq := 1 + i%9999
	nik := fmt.Sprintf("2102%02d%02d%02d%02d%04d", district, day, int(birth.Month()), birth.Year()%100, seq)
	p := person{nik: nik, name: strings.ToUpper(firstNames[rng.IntN(len(firstNames))] + " " + lastNames[rng.IntN(len(lastNames))]),
		birth: birth.Format(time.DateOnly), place: places[rng.IntN(len(places))]}
	p.name = titleCase(p.name)
	if rng.Float64() < 0.8 {
		p.phone = fmt.Sprintf("08%02d%08d", 11+rng.IntN(12), rng.IntN(100000000))
	}
	return p
}
