package voice

import (
	"fmt"

	"antre"
)

// The module's error messages.
const (
	msgNotServed         antre.MsgKey = "voice.e.not_served"
	msgBadToken          antre.MsgKey = "voice.e.bad_token"
	msgAnswered          antre.MsgKey = "voice.e.answered"
	msgTooLong           antre.MsgKey = "voice.e.too_long"
	msgTabletUnbound     antre.MsgKey = "voice.e.tablet_unbound"
	msgBadPeriod         antre.MsgKey = "voice.e.bad_period"
	msgRequired          antre.MsgKey = "voice.e.required"
	msgLength            antre.MsgKey = "voice.e.length"
	msgBadCategory       antre.MsgKey = "voice.e.bad_category"
	msgComplaintNotFound antre.MsgKey = "voice.e.complaint_not_found"
	msgNotHolder         antre.MsgKey = "voice.e.not_holder"
	msgSMSRejected       antre.MsgKey = "voice.e.sms_rejected"
	msgNoWorkflow        antre.MsgKey = "voice.e.no_workflow"
	msgComplaintStatus   antre.MsgKey = "voice.e.complaint_status"
	msgUnknownCode       antre.MsgKey = "voice.e.unknown_code"
	msgTooMany           antre.MsgKey = "voice.e.too_many"
	msgDeskOnly          antre.MsgKey = "voice.e.desk_only"
	msgDeskChannel       antre.MsgKey = "voice.e.desk_channel"
)

// messages are the module's errors and the words its Go code writes. [Indonesian, English]
var messages = antre.Messages{
	msgNotServed:         {"Survei dapat diisi setelah nomor antrean Anda selesai dilayani di loket.", "The survey opens once your ticket has been served at a counter."},
	msgBadToken:          {"Tautan survei ini tidak cocok dengan nomor antrean. Pindai kode QR pada tiket Anda.", "This survey link does not match the ticket. Scan the QR code on your ticket."},
	msgAnswered:          {"Survei untuk nomor antrean ini sudah diisi. Terima kasih.", "This ticket's survey has already been answered. Thank you."},
	msgTooLong:           {"Teks terlalu panjang (paling banyak %d karakter).", "The text is too long (at most %d characters)."},
	msgTabletUnbound:     {"Tablet ini belum ditetapkan untuk loket mana pun. Hubungi admin.", "This tablet is not assigned to a counter. Ask the admin."},
	msgBadPeriod:         {"Periode tidak valid. Gunakan tanggal YYYY-MM-DD (dari tidak setelah sampai), atau 2026-11, 2026-Q4, 2026.", "Invalid period. Use YYYY-MM-DD dates (from not after to), or 2026-11, 2026-Q4, 2026."},
	msgRequired:          {"Isian %s wajib diisi.", "The field %s is required."},
	msgLength:            {"Isian %s harus %d sampai %d karakter.", "The field %s must have %d to %d characters."},
	msgBadCategory:       {"Kategori pengaduan tidak dikenal.", "Unknown complaint category."},
	msgComplaintNotFound: {"Nomor pengaduan tidak ditemukan. Periksa kembali nomor Anda.", "Complaint number not found. Please check it."},
	msgNotHolder:         {"Pengaduan ini sedang ditangani oleh %s.", "This complaint is handled by %s."},
	msgSMSRejected:       {"tidak dapat ditindaklanjuti: %s", "cannot be taken further: %s"},
	msgNoWorkflow:        {"Status permohonan paspor belum dapat dicek di sini. Silakan tanyakan kepada petugas.", "The status of passport applications cannot be checked here yet. Please ask an officer."},
	msgComplaintStatus:   {"Pengaduan %s (%s).", "Complaint %s (%s)."},
	msgUnknownCode:       {"Kode tidak dikenali. Pindai barcode tiket atau tanda terima, atau ketik nomornya (contoh: A012, 2026000001, ADU-7KQ3-XM9P).", "Code not recognised. Scan the barcode of a ticket or receipt, or type its number (e.g. A012, 2026000001, ADU-7KQ3-XM9P)."},
	msgTooMany:           {"Terlalu banyak permintaan. Coba lagi dalam %d detik.", "Too many requests. Try again in %d seconds."},
	msgDeskOnly:          {"Pengaduan lewat loket atau kotak saran dicatat oleh petugas.", "Complaints at the desk or from the box are recorded by an officer."},
	msgDeskChannel:       {"Pengaduan yang dicatat petugas berasal dari loket pengaduan (desk) atau kotak saran (box).", "A complaint an officer records comes from the desk (desk) or the suggestion box (box)."},

	// The kiosk's words for a ticket's state (voice.info.t.STATUS).
	"voice.info.t.waiting":   {"Menunggu dipanggil: %d antrean di depan, perkiraan %d menit.", "Waiting to be called: %d ahead, about %d minutes."},
	"voice.info.t.called":    {"Dipanggil — silakan menuju loket %d.", "Called — please go to counter %d."},
	"voice.info.t.serving":   {"Sedang dilayani di loket %d.", "Being served at counter %d."},
	"voice.info.t.done":      {"Selesai dilayani.", "Served."},
	"voice.info.t.no_show":   {"Tidak hadir saat dipanggil — segera hubungi petugas.", "Missed the call — please see an officer now."},
	"voice.info.t.cancelled": {"Dibatalkan.", "Cancelled."},

	// The kiosk's default texts, which an admin may replace (PUT /api/v1/info).
	"voice.info.about.A": {"Untuk WNI yang belum pernah memiliki paspor: paspor baru 24 atau 48 halaman.", "For citizens who never had a passport: a new passport of 24 or 48 pages."},
	"voice.info.about.B": {"Penggantian paspor yang habis masa berlakunya atau halamannya penuh.", "Replacing a passport that has expired or whose pages are full."},
	"voice.info.about.C": {"Penggantian paspor yang hilang atau rusak, atau bekas SPLP. Diperlukan Berita Acara Pemeriksaan (BAP).", "Replacing a lost or damaged passport, or a former SPLP. A report (BAP) is taken first."},
	"voice.info.about.D": {"Layanan khusus untuk penyandang disabilitas, lansia, ibu hamil dan pemohon dengan balita, untuk semua jenis permohonan.", "Special handling for disabled and elderly applicants, pregnant women and applicants with toddlers, for every kind of application."},
	"voice.info.about.E": {"Pengambilan paspor yang sudah selesai. Pemohon datang sendiri.", "Picking up a finished passport. The applicant comes in person."},
	"voice.info.about.F": {"Perubahan data paspor (nama, alamat, status dan lainnya).", "Changing a passport's data (name, address, status and more)."},
	"voice.info.req.E.1": {"Tanda terima permohonan (bukti permohonan)", "The application receipt"},
	"voice.info.req.E.2": {"e-KTP asli", "The original e-KTP (identity card)"},
	"voice.info.flow.1":  {"Ambil nomor antrean di kios sesuai layanan.", "Take a queue number at the kiosk for your service."},
	"voice.info.flow.2":  {"Loket OSS: berkas diperiksa dan data direkam.", "OSS desk: your documents are checked and your data entered."},
	"voice.info.flow.3":  {"Foto, sidik jari dan tanda tangan.", "Photo, fingerprints and signature."},
	"voice.info.flow.4":  {"Pemeriksaan (adjudikasi), termasuk cekal, sebelum Anda membayar.", "Review (adjudication), including the watch list, before you pay."},
	"voice.info.flow.5":  {"Bayar PNBP di bank atau kantor pos dengan kode billing.", "Pay the PNBP fee at a bank or post office with the billing code."},
	"voice.info.flow.6":  {"Paspor dicetak, diperiksa mutunya dan disahkan Kepala Kantor.", "The passport is printed, quality-checked and approved by the head of office."},
	"voice.info.flow.7":  {"Ambil paspor dengan tanda terima (SMS memberi tahu bila siap).", "Pick up the passport with your receipt (an SMS tells you when it is ready)."},
}

// pageTexts are the words of the module's pages, served to them by
// /static/texts.js?page=voice,… without the "voice." prefix; "{0}" is filled in by the page.
// [Indonesian, English]
var pageTexts = antre.Messages{
	"voice.sv.title":            {"Survei Kepuasan Masyarakat", "Public Satisfaction Survey"},
	"voice.sv.other_lang":       {"English", "Bahasa Indonesia"},
	"voice.sv.tablet_idle":      {"Terima kasih atas kunjungan Anda", "Thank you for your visit"},
	"voice.sv.tablet_idle_sub":  {"Survei muncul di sini setelah Anda selesai dilayani di loket ini.", "The survey appears here once you have been served at this counter."},
	"voice.sv.for_ticket":       {"Penilaian layanan untuk nomor antrean", "Your rating of the service for ticket"},
	"voice.sv.intro":            {"Pilih satu jawaban untuk setiap pertanyaan. Jawaban Anda tidak dikaitkan dengan nama Anda.", "Choose one answer to each question. Your answers are not linked to your name."},
	"voice.sv.profile":          {"Tentang Anda (tidak wajib)", "About you (optional)"},
	"voice.sv.no_answer":        {"— tidak diisi —", "— no answer —"},
	"voice.sv.suggestion":       {"Saran (tidak wajib)", "Suggestion (optional)"},
	"voice.sv.submit":           {"Kirim penilaian", "Send rating"},
	"voice.sv.answer_all":       {"Mohon jawab pertanyaan nomor {0}.", "Please answer question {0}."},
	"voice.sv.thanks":           {"Terima kasih atas penilaian Anda!", "Thank you for your rating!"},
	"voice.sv.thanks_sub":       {"Penilaian Anda membantu kami memperbaiki layanan.", "Your rating helps us improve the service."},
	"voice.sv.no_token":         {"Buka survei dengan memindai kode QR pada tiket Anda atau dari tautan SMS.", "Open the survey by scanning the QR code on your ticket or from the SMS link."},
	"voice.sv.state_answered":   {"Survei untuk nomor antrean ini sudah diisi. Terima kasih.", "This ticket's survey has already been answered. Thank you."},
	"voice.sv.state_not_served": {"Survei dapat diisi setelah nomor antrean Anda selesai dilayani di loket.", "The survey opens once your ticket has been served at a counter."},

	"voice.cp.title":           {"Pengaduan Layanan", "Service Complaints"},
	"voice.cp.other_lang":      {"English", "Bahasa Indonesia"},
	"voice.cp.lookup":          {"Cek pengaduan dengan nomornya", "Check a complaint by its number"},
	"voice.cp.check":           {"Cek", "Check"},
	"voice.cp.new":             {"Sampaikan pengaduan", "Make a complaint"},
	"voice.cp.category":        {"Tentang apa?", "What is it about?"},
	"voice.cp.text":            {"Uraian pengaduan", "Your complaint"},
	"voice.cp.phone":           {"Nomor HP untuk jawaban lewat SMS (tidak wajib)", "Mobile number for the answer by SMS (optional)"},
	"voice.cp.ref":             {"Nomor antrean atau permohonan (tidak wajib)", "Ticket or application number (optional)"},
	"voice.cp.privacy":         {"Nomor HP Anda hanya dipakai untuk mengirim jawaban dan tidak ditampilkan.", "Your number is used only to send the answer and is never shown."},
	"voice.cp.send":            {"Kirim pengaduan", "Send complaint"},
	"voice.cp.facts":           {"{0} · diterima {1} · batas jawaban {2}", "{0} · received {1} · answer due {2}"},
	"voice.cp.answer":          {"Jawaban: {0}", "Answer: {0}"},
	"voice.cp.reason":          {"Alasan: {0}", "Reason: {0}"},
	"voice.cp.cat_procedure":   {"Prosedur dan persyaratan", "Procedure and requirements"},
	"voice.cp.cat_time":        {"Waktu tunggu dan penyelesaian", "Waiting and completion time"},
	"voice.cp.cat_fee":         {"Biaya dan pungutan", "Fees and charges"},
	"voice.cp.cat_conduct":     {"Perilaku petugas", "Officers' conduct"},
	"voice.cp.cat_broker":      {"Calo", "Brokers (calo)"},
	"voice.cp.cat_facilities":  {"Sarana dan prasarana", "Facilities"},
	"voice.cp.cat_information": {"Informasi layanan", "Service information"},
	"voice.cp.cat_other":       {"Lainnya", "Other"},

	"voice.tr.title":                    {"Transparansi Antrean Hari Ini", "Today's Queue, in the Open"},
	"voice.tr.other_lang":               {"English", "Bahasa Indonesia"},
	"voice.tr.intro":                    {"Setiap panggilan tercatat beserta aturan yang memilihnya. Tidak ada nomor yang dapat dibeli: laporkan calo lewat pengaduan.", "Every call is recorded with the rule that chose it. No place can be bought: report brokers through a complaint."},
	"voice.tr.index":                    {"Indeks Kepuasan Masyarakat bulan lalu", "Last month's satisfaction index"},
	"voice.tr.index_value":              {"{0} ({1}, {2}) dari {3} responden, {4} s.d. {5}", "{0} ({1}, {2}) from {3} respondents, {4} to {5}"},
	"voice.tr.index_none":               {"Belum ada responden pada {0} s.d. {1}.", "No respondents from {0} to {1}."},
	"voice.tr.cat_A":                    {"sangat baik", "very good"},
	"voice.tr.cat_B":                    {"baik", "good"},
	"voice.tr.cat_C":                    {"kurang baik", "poor"},
	"voice.tr.cat_D":                    {"tidak baik", "very poor"},
	"voice.tr.calls":                    {"Panggilan hari ini, berurutan", "Today's calls, in order"},
	"voice.tr.calls_summary":            {"{0} panggilan, {1} di antaranya panggilan khusus oleh petugas dengan alasan tercatat.", "{0} calls, {1} of them specific calls by an officer with a recorded reason."},
	"voice.tr.col_time":                 {"Pukul", "Time"},
	"voice.tr.col_ticket":               {"Nomor", "Ticket"},
	"voice.tr.col_counter":              {"Loket", "Counter"},
	"voice.tr.col_reason":               {"Mengapa nomor ini", "Why this number"},
	"voice.tr.no_calls":                 {"Belum ada panggilan hari ini.", "No calls yet today."},
	"voice.tr.reason_ratio_normal":      {"Giliran antrean umum (urutan tetap)", "Ordinary queue's turn (fixed ratio)"},
	"voice.tr.reason_ratio_priority":    {"Giliran antrean prioritas (urutan tetap)", "Priority queue's turn (fixed ratio)"},
	"voice.tr.reason_fallback_normal":   {"Antrean prioritas kosong: antrean umum", "No priority ticket waiting: ordinary queue"},
	"voice.tr.reason_fallback_priority": {"Antrean umum kosong: antrean prioritas", "No ordinary ticket waiting: priority queue"},
	"voice.tr.reason_ageing":            {"Sudah menunggu terlalu lama", "Waited too long"},
	"voice.tr.reason_specific":          {"Panggilan khusus oleh petugas (alasan tercatat)", "Specific call by an officer (reason recorded)"},
	"voice.tr.reason_other":             {"Lainnya", "Other"},
	"voice.tr.dispensations":            {"Dispensasi (prioritas) hari ini", "Dispensations (priority) today"},
	"voice.tr.dcat_elderly":             {"Lansia", "Elderly"},
	"voice.tr.dcat_disabled":            {"Disabilitas", "Disability"},
	"voice.tr.dcat_pregnant":            {"Ibu hamil", "Pregnant"},
	"voice.tr.dcat_toddler":             {"Balita", "Toddler"},
	"voice.tr.dcat_vip":                 {"VIP", "VIP"},
	"voice.tr.dcat_vvip":                {"VVIP", "VVIP"},
	"voice.tr.takes":                    {"Berkas diambil di luar urutan hari ini", "Files taken out of order today"},
	"voice.tr.no_takes":                 {"Tidak ada berkas yang diambil di luar urutan hari ini.", "No file was taken out of order today."},
	"voice.tr.updated":                  {"Diperbarui {0}", "Updated {0}"},

	"voice.info.title":              {"Informasi Layanan Paspor", "Passport Service Information"},
	"voice.info.other_lang":         {"English", "Bahasa Indonesia"},
	"voice.info.back":               {"‹ Kembali", "‹ Back"},
	"voice.info.welcome":            {"Selamat datang. Apa yang ingin Anda ketahui?", "Welcome. What would you like to know?"},
	"voice.info.tile_services":      {"Layanan & persyaratan", "Services & requirements"},
	"voice.info.tile_services_sub":  {"Dokumen, biaya, lama penyelesaian", "Documents, fees, completion time"},
	"voice.info.tile_flow":          {"Alur permohonan", "How an application goes"},
	"voice.info.tile_flow_sub":      {"Dari nomor antrean sampai paspor diambil", "From the queue number to pickup"},
	"voice.info.tile_queue":         {"Antrean saat ini", "The queue now"},
	"voice.info.tile_queue_sub":     {"Nomor yang dilayani, yang menunggu, sisa kuota", "Numbers served, waiting, quota left"},
	"voice.info.tile_complaint":     {"Pengaduan", "Complaints"},
	"voice.info.tile_complaint_sub": {"Sampaikan keluhan atau laporkan calo", "Tell us what went wrong or report a broker"},
	"voice.info.services":           {"Pilih layanan", "Choose a service"},
	"voice.info.requirements":       {"Persyaratan", "What to bring"},
	"voice.info.fee":                {"Biaya", "Fee"},
	"voice.info.time":               {"Lama penyelesaian", "Completion time"},
	"voice.info.ask_officer":        {"Tanyakan kepada petugas informasi.", "Please ask an information officer."},
	"voice.info.fee_none":           {"Tanpa biaya.", "No fee."},
	"voice.info.days":               {"{0} hari kerja setelah pembayaran", "{0} working days after payment"},
	"voice.info.same_day":           {"Hari yang sama", "The same day"},
	"voice.info.flow":               {"Alur permohonan paspor", "How a passport application goes"},
	"voice.info.queue":              {"Antrean saat ini", "The queue now"},
	"voice.info.now_serving":        {"Sedang dilayani", "Now serving"},
	"voice.info.counter":            {"Loket {0}", "Counter {0}"},
	"voice.info.groups":             {"Menunggu dan sisa kuota", "Waiting and quota left"},
	"voice.info.col_service":        {"Layanan", "Service"},
	"voice.info.col_waiting":        {"Menunggu", "Waiting"},
	"voice.info.col_left":           {"Sisa kuota datang langsung", "Walk-in quota left"},
	"voice.info.status":             {"Status", "Status"},
	"voice.info.kind_ticket":        {"Nomor antrean", "Queue number"},
	"voice.info.kind_application":   {"Permohonan paspor", "Passport application"},
	"voice.info.kind_complaint":     {"Pengaduan", "Complaint"},
	"voice.info.complaint":          {"Sampaikan pengaduan", "Make a complaint"},
	"voice.info.complaint_category": {"Tentang apa?", "What is it about?"},
	"voice.info.complaint_text":     {"Uraian pengaduan", "Your complaint"},
	"voice.info.complaint_phone":    {"Nomor HP untuk jawaban (tidak wajib)", "Mobile number for the answer (optional)"},
	"voice.info.complaint_ref":      {"Nomor antrean/permohonan (tidak wajib)", "Ticket/application number (optional)"},
	"voice.info.complaint_send":     {"Kirim pengaduan", "Send complaint"},
	"voice.info.complaint_done":     {"Pengaduan Anda diterima. Simpan nomor ini untuk mengecek jawabannya:", "Your complaint is received. Keep this number to check the answer:"},
	"voice.info.complaint_due":      {"Jawaban paling lambat {0}.", "Answer due by {0}."},
	"voice.info.scan":               {"Pindai barcode tiket/tanda terima atau ketik nomornya", "Scan a ticket's or receipt's barcode, or type its number"},
	"voice.info.check":              {"Cek status", "Check status"},
}

// catalogue is every entry of the module: its messages, the built-in questionnaire and the
// pages' words.
func catalogue() antre.Messages {
	out := antre.Messages{}
	for _, part := range []antre.Messages{messages, formMessages(), pageTexts} {
		for k, v := range part {
			if _, dup := out[k]; dup {
				panic(fmt.Sprintf("voice: catalogue key %s is worded twice", k))
			}
			out[k] = v
		}
	}
	return out
}
