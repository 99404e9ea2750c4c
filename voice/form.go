package voice

import (
	"fmt"
	"regexp"

	"antre"
)

// keyRE is what a profile question's or option's key may be.
var keyRE = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// Text is a text in both languages, as the pages receive it.
type Text struct {
	ID string `json:"id"`
	EN string `json:"en"`
}

// text is the catalogue entry key in both languages.
func text(key antre.MsgKey) Text { return Text{ID: antre.T("id", key), EN: antre.T("en", key)} }

// Element is one element of the questionnaire: its number, short name, question and the four
// answers from 1 (worst) to 4 (best).
type Element struct {
	Element  int     `json:"element"`
	Name     Text    `json:"name"`
	Question Text    `json:"question"`
	Scale    [4]Text `json:"scale"`
}

// ProfileQuestion is one optional question about the respondent.
type ProfileQuestion struct {
	Key     string   `json:"key"`
	Label   Text     `json:"label"`
	Options []Option `json:"options"`
}

// Option is one answer to a profile question.
type Option struct {
	Key  string `json:"key"`
	Text Text   `json:"text"`
}

// Form is the questionnaire as the survey pages show it: the regulation, its elements and
// the optional questions about the respondent.
type Form struct {
	Regulation antre.Regulation  `json:"regulation"`
	Elements   []Element         `json:"elements"`
	Profile    []ProfileQuestion `json:"profile"`
}

// builtinElements are the elements of each regulation: a short key (the catalogue entry
// voice.el.REG.N.…), its name, question and answers, from the regulations' model
// questionnaires. [Indonesian, English]
var builtinElements = map[antre.Regulation][]struct {
	name, question [2]string
	scale          [4][2]string
}{
	antre.RegPermenPANRB2017: {
		{[2]string{"Persyaratan", "Requirements"}, [2]string{"Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?", "How well do the requirements fit the service?"},
			[4][2]string{{"Tidak sesuai", "Not suitable"}, {"Kurang sesuai", "Barely suitable"}, {"Sesuai", "Suitable"}, {"Sangat sesuai", "Very suitable"}}},
		{[2]string{"Prosedur", "Procedure"}, [2]string{"Bagaimana pemahaman Anda tentang kemudahan prosedur pelayanan di unit ini?", "How easy is this office's procedure?"},
			[4][2]string{{"Tidak mudah", "Not easy"}, {"Kurang mudah", "Barely easy"}, {"Mudah", "Easy"}, {"Sangat mudah", "Very easy"}}},
		{[2]string{"Waktu penyelesaian", "Completion time"}, [2]string{"Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?", "How fast is the service?"},
			[4][2]string{{"Tidak cepat", "Not fast"}, {"Kurang cepat", "Barely fast"}, {"Cepat", "Fast"}, {"Sangat cepat", "Very fast"}}},
		{[2]string{"Biaya/tarif", "Fee"}, [2]string{"Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?", "How fair is the fee of the service?"},
			[4][2]string{{"Sangat mahal", "Very expensive"}, {"Cukup mahal", "Rather expensive"}, {"Murah", "Cheap"}, {"Gratis", "Free"}}},
		{[2]string{"Produk layanan", "Product"}, [2]string{"Bagaimana pendapat Anda tentang kesesuaian produk pelayanan dalam standar pelayanan dengan hasil yang diberikan?", "How well does what you received match the service standard?"},
			[4][2]string{{"Tidak sesuai", "Not suitable"}, {"Kurang sesuai", "Barely suitable"}, {"Sesuai", "Suitable"}, {"Sangat sesuai", "Very suitable"}}},
		{[2]string{"Kompetensi petugas", "Officers' competence"}, [2]string{"Bagaimana pendapat Anda tentang kompetensi/kemampuan petugas dalam pelayanan?", "How competent are the officers?"},
			[4][2]string{{"Tidak kompeten", "Not competent"}, {"Kurang kompeten", "Barely competent"}, {"Kompeten", "Competent"}, {"Sangat kompeten", "Very competent"}}},
		{[2]string{"Perilaku petugas", "Officers' behaviour"}, [2]string{"Bagaimana pendapat Anda tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?", "How polite and friendly are the officers?"},
			[4][2]string{{"Tidak sopan dan ramah", "Not polite"}, {"Kurang sopan dan ramah", "Barely polite"}, {"Sopan dan ramah", "Polite and friendly"}, {"Sangat sopan dan ramah", "Very polite and friendly"}}},
		{[2]string{"Penanganan pengaduan", "Complaint handling"}, [2]string{"Bagaimana pendapat Anda tentang penanganan pengaduan, saran dan masukan?", "How are complaints, suggestions and input handled?"},
			[4][2]string{{"Tidak ada", "There is none"}, {"Ada tetapi tidak berfungsi", "There is, but it does not work"}, {"Berfungsi kurang maksimal", "It works, not fully"}, {"Dikelola dengan baik", "It is handled well"}}},
		{[2]string{"Sarana dan prasarana", "Facilities"}, [2]string{"Bagaimana pendapat Anda tentang kualitas sarana dan prasarana?", "How good are the facilities?"},
			[4][2]string{{"Buruk", "Bad"}, {"Cukup", "Fair"}, {"Baik", "Good"}, {"Sangat baik", "Very good"}}},
	},
	antre.RegKepmenPAN2004: {
		{[2]string{"Prosedur pelayanan", "Procedure"}, [2]string{"Bagaimana kemudahan prosedur pelayanan di unit ini?", "How easy is the procedure?"},
			[4][2]string{{"Tidak mudah", "Not easy"}, {"Kurang mudah", "Barely easy"}, {"Mudah", "Easy"}, {"Sangat mudah", "Very easy"}}},
		{[2]string{"Persyaratan pelayanan", "Requirements"}, [2]string{"Bagaimana kesesuaian persyaratan pelayanan dengan jenis pelayanannya?", "How well do the requirements fit the service?"},
			[4][2]string{{"Tidak sesuai", "Not suitable"}, {"Kurang sesuai", "Barely suitable"}, {"Sesuai", "Suitable"}, {"Sangat sesuai", "Very suitable"}}},
		{[2]string{"Kejelasan petugas", "Clarity of officers"}, [2]string{"Bagaimana kejelasan dan kepastian petugas yang melayani?", "How clear is who serves you?"},
			[4][2]string{{"Tidak jelas", "Not clear"}, {"Kurang jelas", "Barely clear"}, {"Jelas", "Clear"}, {"Sangat jelas", "Very clear"}}},
		{[2]string{"Kedisiplinan petugas", "Officers' discipline"}, [2]string{"Bagaimana kedisiplinan petugas dalam memberikan pelayanan?", "How disciplined are the officers?"},
			[4][2]string{{"Tidak disiplin", "Not disciplined"}, {"Kurang disiplin", "Barely disciplined"}, {"Disiplin", "Disciplined"}, {"Sangat disiplin", "Very disciplined"}}},
		{[2]string{"Tanggung jawab petugas", "Officers' responsibility"}, [2]string{"Bagaimana tanggung jawab petugas dalam memberikan pelayanan?", "How responsible are the officers?"},
			[4][2]string{{"Tidak bertanggung jawab", "Not responsible"}, {"Kurang bertanggung jawab", "Barely responsible"}, {"Bertanggung jawab", "Responsible"}, {"Sangat bertanggung jawab", "Very responsible"}}},
		{[2]string{"Kemampuan petugas", "Officers' ability"}, [2]string{"Bagaimana kemampuan petugas dalam memberikan pelayanan?", "How able are the officers?"},
			[4][2]string{{"Tidak mampu", "Not able"}, {"Kurang mampu", "Barely able"}, {"Mampu", "Able"}, {"Sangat mampu", "Very able"}}},
		{[2]string{"Kecepatan pelayanan", "Speed"}, [2]string{"Bagaimana kecepatan pelayanan di unit ini?", "How fast is the service?"},
			[4][2]string{{"Tidak cepat", "Not fast"}, {"Kurang cepat", "Barely fast"}, {"Cepat", "Fast"}, {"Sangat cepat", "Very fast"}}},
		{[2]string{"Keadilan pelayanan", "Fairness"}, [2]string{"Bagaimana keadilan untuk mendapatkan pelayanan di unit ini?", "How fairly is the service given?"},
			[4][2]string{{"Tidak adil", "Not fair"}, {"Kurang adil", "Barely fair"}, {"Adil", "Fair"}, {"Sangat adil", "Very fair"}}},
		{[2]string{"Kesopanan petugas", "Officers' courtesy"}, [2]string{"Bagaimana kesopanan dan keramahan petugas dalam memberikan pelayanan?", "How polite and friendly are the officers?"},
			[4][2]string{{"Tidak sopan dan ramah", "Not polite"}, {"Kurang sopan dan ramah", "Barely polite"}, {"Sopan dan ramah", "Polite and friendly"}, {"Sangat sopan dan ramah", "Very polite and friendly"}}},
		{[2]string{"Kewajaran biaya", "Fairness of the fee"}, [2]string{"Bagaimana kewajaran biaya untuk mendapatkan pelayanan?", "How fair is the fee?"},
			[4][2]string{{"Tidak wajar", "Not fair"}, {"Kurang wajar", "Barely fair"}, {"Wajar", "Fair"}, {"Sangat wajar", "Very fair"}}},
		{[2]string{"Kepastian biaya", "Certainty of the fee"}, [2]string{"Bagaimana kesesuaian antara biaya yang dibayarkan dengan biaya yang telah ditetapkan?", "How well did what you paid match the set fee?"},
			[4][2]string{{"Selalu tidak sesuai", "Never matched"}, {"Kadang-kadang sesuai", "Sometimes matched"}, {"Banyak sesuainya", "Mostly matched"}, {"Selalu sesuai", "Always matched"}}},
		{[2]string{"Kepastian jadwal", "Certainty of the schedule"}, [2]string{"Bagaimana ketepatan pelaksanaan terhadap jadwal waktu pelayanan?", "How well is the service schedule kept?"},
			[4][2]string{{"Selalu tidak tepat", "Never on time"}, {"Kadang-kadang tepat", "Sometimes on time"}, {"Banyak tepatnya", "Mostly on time"}, {"Selalu tepat", "Always on time"}}},
		{[2]string{"Kenyamanan lingkungan", "Comfort"}, [2]string{"Bagaimana kenyamanan di lingkungan unit pelayanan?", "How comfortable is the office?"},
			[4][2]string{{"Tidak nyaman", "Not comfortable"}, {"Kurang nyaman", "Barely comfortable"}, {"Nyaman", "Comfortable"}, {"Sangat nyaman", "Very comfortable"}}},
		{[2]string{"Keamanan pelayanan", "Security"}, [2]string{"Bagaimana keamanan pelayanan di unit ini?", "How safe is the office?"},
			[4][2]string{{"Tidak aman", "Not safe"}, {"Kurang aman", "Barely safe"}, {"Aman", "Safe"}, {"Sangat aman", "Very safe"}}},
	},
}

// builtinProfile are the respondent's questions the regulations' reports group by.
var builtinProfile = []struct {
	key     string
	label   [2]string
	options [][3]string // key, Indonesian, English
}{
	{"age", [2]string{"Usia", "Age"}, [][3]string{{"u20", "Di bawah 20 tahun", "Under 20"}, {"a20", "20–29 tahun", "20–29"},
		{"a30", "30–39 tahun", "30–39"}, {"a40", "40–49 tahun", "40–49"}, {"a50", "50 tahun ke atas", "50 and over"}}},
	{"sex", [2]string{"Jenis kelamin", "Sex"}, [][3]string{{"m", "Laki-laki", "Male"}, {"f", "Perempuan", "Female"}}},
	{"education", [2]string{"Pendidikan terakhir", "Education"}, [][3]string{{"sd", "SD", "Primary"}, {"smp", "SMP", "Junior secondary"},
		{"sma", "SMA/SMK", "Senior secondary"}, {"diploma", "D1–D4", "Diploma"}, {"s1", "S1", "Bachelor"}, {"s2", "S2 ke atas", "Master or higher"}}},
	{"occupation", [2]string{"Pekerjaan", "Occupation"}, [][3]string{{"civil", "PNS/TNI/Polri", "Civil servant, military, police"},
		{"private", "Pegawai swasta", "Private employee"}, {"self", "Wiraswasta", "Self-employed"}, {"student", "Pelajar/Mahasiswa", "Student"},
		{"migrant", "Pekerja migran", "Migrant worker"}, {"other", "Lainnya", "Other"}}},
}

// regKey is a regulation's short name in catalogue keys.
func regKey(r antre.Regulation) string {
	if r == antre.RegKepmenPAN2004 {
		return "k25"
	}
	return "p14"
}

// formMessages are the built-in questionnaire's entries of the catalogue:
// voice.el.REG.N.{name,q,s1…s4} and voice.pf.KEY, voice.pf.KEY.OPTION.
func formMessages() antre.Messages {
	m := antre.Messages{}
	for reg, els := range builtinElements {
		for i, e := range els {
			p := fmt.Sprintf("voice.el.%s.%d.", regKey(reg), i+1)
			m[antre.MsgKey(p+"name")] = e.name
			m[antre.MsgKey(p+"q")] = e.question
			for j, s := range e.scale {
				m[antre.MsgKey(fmt.Sprintf("%ss%d", p, j+1))] = s
			}
		}
	}
	for _, q := range builtinProfile {
		m[antre.MsgKey("voice.pf."+q.key)] = q.label
		for _, o := range q.options {
			m[antre.MsgKey("voice.pf."+q.key+"."+o[0])] = [2]string{o[1], o[2]}
		}
	}
	return m
}

// buildForm is the questionnaire of the configuration: its elements' texts, else the
// catalogue's built-in ones; its profile questions, else the built-in ones, or none. English
// left out of the configuration falls back to the Indonesian.
func buildForm(c SurveyConfig) Form {
	reg := antre.Regulation(c.Regulation)
	f := Form{Regulation: reg, Elements: make([]Element, reg.Elements()), Profile: []ProfileQuestion{}}
	for i := range f.Elements {
		e := Element{Element: i + 1}
		if len(c.Elements) > 0 {
			ce := c.Elements[i]
			e.Name, e.Question = Text{ce.NameID, or(ce.NameEN, ce.NameID)}, Text{ce.QuestionID, or(ce.QuestionEN, ce.QuestionID)}
			for j := range 4 {
				en := ce.ScaleID[j]
				if len(ce.ScaleEN) == 4 {
					en = ce.ScaleEN[j]
				}
				e.Scale[j] = Text{ce.ScaleID[j], en}
			}
		} else {
			p := fmt.Sprintf("voice.el.%s.%d.", regKey(reg), i+1)
			e.Name, e.Question = text(antre.MsgKey(p+"name")), text(antre.MsgKey(p+"q"))
			for j := range 4 {
				e.Scale[j] = text(antre.MsgKey(fmt.Sprintf("%ss%d", p, j+1)))
			}
		}
		f.Elements[i] = e
	}
	switch {
	case c.NoProfile:
	case len(c.Profile) > 0:
		for _, q := range c.Profile {
			pq := ProfileQuestion{Key: q.Key, Label: Text{q.LabelID, or(q.LabelEN, q.LabelID)}}
			for _, o := range q.Options {
				pq.Options = append(pq.Options, Option{Key: o.Key, Text: Text{o.ID, or(o.EN, o.ID)}})
			}
			f.Profile = append(f.Profile, pq)
		}
	default:
		for _, q := range builtinProfile {
			pq := ProfileQuestion{Key: q.key, Label: text(antre.MsgKey("voice.pf." + q.key))}
			for _, o := range q.options {
				pq.Options = append(pq.Options, Option{Key: o[0], Text: text(antre.MsgKey("voice.pf." + q.key + "." + o[0]))})
			}
			f.Profile = append(f.Profile, pq)
		}
	}
	return f
}

func or(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// checkProfile checks a respondent's optional answers about themselves against the form:
// known questions, known options; an empty answer is left out.
func (f Form) checkProfile(p map[string]string) (map[string]string, error) {
	out := map[string]string{}
	for k, v := range p {
		if v == "" {
			continue
		}
		var q *ProfileQuestion
		for i := range f.Profile {
			if f.Profile[i].Key == k {
				q = &f.Profile[i]
			}
		}
		if q == nil {
			return nil, antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "unknown profile question %q", truncate(k, 32)).WithArgs("profile")
		}
		ok := false
		for _, o := range q.Options {
			ok = ok || o.Key == v
		}
		if !ok {
			return nil, antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "unknown answer %q to %s", truncate(v, 32), k).WithArgs("profile." + k)
		}
		out[k] = v
	}
	return out, nil
}
