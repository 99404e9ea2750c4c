package antre

// The applicant's voice speaks through these entries of the catalogue: the satisfaction
// index's categories ("ikm."), and the complaints' states and categories and their rules'
// refusals ("complaint.").
const (
	MsgSurveyAnswers   MsgKey = "ikm.bad_answers"
	MsgComplaintState  MsgKey = "complaint.bad_state"
	MsgComplaintNumber MsgKey = "complaint.bad_number"
)

// voiceTexts are the index's and the complaints' words. [Indonesian, English]
var voiceTexts = Messages{
	MsgSurveyAnswers:   {"Jawaban survei harus %d angka, masing-masing 1 sampai 4.", "A survey response needs %d answers, each 1 to 4."},
	MsgComplaintState:  {"Tindakan ini tidak dapat dilakukan pada pengaduan yang berstatus %s.", "This is not possible for a complaint that is %s."},
	MsgComplaintNumber: {"Nomor pengaduan tidak valid. Contoh yang benar: ADU-7KQ3-XM9P.", "Invalid complaint number. A valid one looks like ADU-7KQ3-XM9P."},

	"ikm.category.A": {"sangat baik", "very good"},
	"ikm.category.B": {"baik", "good"},
	"ikm.category.C": {"kurang baik", "poor"},
	"ikm.category.D": {"tidak baik", "very poor"},

	"complaint.status.received":     {"diterima", "received"},
	"complaint.status.under_review": {"sedang ditindaklanjuti", "under review"},
	"complaint.status.answered":     {"sudah dijawab", "answered"},
	"complaint.status.closed":       {"selesai", "closed"},
	"complaint.status.rejected":     {"tidak dapat ditindaklanjuti", "rejected"},

	"complaint.category.procedure":   {"Prosedur dan persyaratan", "Procedure and requirements"},
	"complaint.category.time":        {"Waktu tunggu dan penyelesaian", "Waiting and completion time"},
	"complaint.category.fee":         {"Biaya dan pungutan", "Fees and charges"},
	"complaint.category.conduct":     {"Perilaku petugas", "Officers' conduct"},
	"complaint.category.broker":      {"Calo", "Brokers (calo)"},
	"complaint.category.facilities":  {"Sarana dan prasarana", "Facilities"},
	"complaint.category.information": {"Informasi layanan", "Service information"},
	"complaint.category.other":       {"Lainnya", "Other"},
}
