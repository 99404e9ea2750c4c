package workflow

import "antre"

// The module's error messages.
const (
	msgNotFound         antre.MsgKey = "workflow.not_found"
	msgTicketNotServed  antre.MsgKey = "workflow.ticket_not_served"
	msgTicketUsed       antre.MsgKey = "workflow.ticket_used"
	msgNIKOpen          antre.MsgKey = "workflow.nik_open"
	msgNumbersUsed      antre.MsgKey = "workflow.numbers_used"
	msgEmpty            antre.MsgKey = "workflow.empty"
	msgHolding          antre.MsgKey = "workflow.holding"
	msgNotYours         antre.MsgKey = "workflow.not_yours"
	msgNotTaken         antre.MsgKey = "workflow.not_taken"
	msgOutOfOrder       antre.MsgKey = "workflow.out_of_order"
	msgWrongStage       antre.MsgKey = "workflow.wrong_stage"
	msgRoleStage        antre.MsgKey = "workflow.role_stage"
	msgBadOutcome       antre.MsgKey = "workflow.bad_outcome"
	msgBadDocument      antre.MsgKey = "workflow.bad_document"
	msgBadCapture       antre.MsgKey = "workflow.bad_capture"
	msgBadQA            antre.MsgKey = "workflow.bad_qa"
	msgBadReceipt       antre.MsgKey = "workflow.bad_receipt"
	msgBadSerial        antre.MsgKey = "workflow.bad_serial"
	msgBadBAP           antre.MsgKey = "workflow.bad_bap"
	msgBadDecision      antre.MsgKey = "workflow.bad_decision"
	msgNoBlanks         antre.MsgKey = "workflow.no_blanks"
	msgBlankUnavailable antre.MsgKey = "workflow.blank_unavailable"
	msgAlreadyVIP       antre.MsgKey = "workflow.already_vip"
	msgBadDesk          antre.MsgKey = "workflow.bad_desk"
	msgPrinter          antre.MsgKey = "workflow.printer"
	msgTooMany          antre.MsgKey = "workflow.too_many"
)

// messages are the module's entries of the one catalogue. [Indonesian, English]
var messages = antre.Messages{
	msgNotFound:         {"Nomor permohonan tidak ditemukan. Periksa nomor pada tanda terima Anda.", "Application number not found. Check the number on your receipt."},
	msgTicketNotServed:  {"Nomor antrean ini tidak sedang Anda layani. Panggil nomor tersebut di loket Anda terlebih dahulu.", "You are not serving this ticket. Call it at your counter first."},
	msgTicketUsed:       {"Nomor antrean ini sudah dipakai untuk permohonan %s. Satu nomor antrean untuk satu permohonan.", "This ticket already opened application %s. One ticket serves one application."},
	msgNIKOpen:          {"NIK ini masih memiliki permohonan yang sedang diproses (%s).", "This NIK has an application in progress (%s)."},
	msgNumbersUsed:      {"Nomor permohonan tahun ini sudah habis.", "This year's application numbers are used up."},
	msgEmpty:            {"Tidak ada berkas yang menunggu di tahap ini.", "No file waits at this stage."},
	msgHolding:          {"Anda masih memegang berkas %s di tahap ini. Selesaikan atau kembalikan berkas itu dahulu.", "You still hold file %s at this stage. Finish or release it first."},
	msgNotYours:         {"Berkas ini sedang dipegang petugas lain.", "Another officer holds this file."},
	msgNotTaken:         {"Berkas ini bukan berkas yang Anda ambil. Ambil berkas berikutnya, atau sertakan alasan untuk mengambilnya di luar urutan.", "You did not take this file. Take the next file, or give a reason to take this one out of order."},
	msgOutOfOrder:       {"Berkas ini bukan berkas berikutnya (berikutnya: %s). Mengambil di luar urutan memerlukan alasan, dan dicatat.", "This is not the next file (next: %s). Taking it out of order needs a reason, which is recorded."},
	msgWrongStage:       {"Berkas ini tidak berada di tahap %s.", "This file is not at %s."},
	msgRoleStage:        {"Peran Anda tidak mengerjakan tahap ini.", "Your role does not work this stage."},
	msgBadOutcome:       {"Hasil harus \"pass\" (lulus) atau \"fail\" (gagal).", "The outcome must be \"pass\" or \"fail\"."},
	msgBadDocument:      {"Dokumen tidak dikenal: %s.", "Unknown document: %s."},
	msgBadCapture:       {"Data biometrik tidak dikenal: %s.", "Unknown biometric item: %s."},
	msgBadQA:            {"Fitur pengaman tidak dikenal: %s.", "Unknown security feature: %s."},
	msgBadReceipt:       {"Nomor bukti pembayaran tidak valid (6–32 huruf besar atau angka).", "Invalid payment receipt number (6–32 capital letters or digits)."},
	msgBadSerial:        {"Nomor seri blanko paspor tidak valid (contoh: A1234567).", "Invalid blank passport serial (e.g. A1234567)."},
	msgBadBAP:           {"Nomor BAP wajib diisi (huruf, angka, / . -), tanggal berformat YYYY-MM-DD.", "A BAP needs its number (letters, digits, / . -) and a YYYY-MM-DD date."},
	msgBadDecision:      {"Keputusan harus \"cleared\" (dilanjutkan) atau \"refused\" (ditolak).", "The decision must be \"cleared\" or \"refused\"."},
	msgNoBlanks:         {"Persediaan blanko paspor habis.", "No blank passports left in stock."},
	msgBlankUnavailable: {"Blanko paspor %s tidak tersedia di persediaan kantor.", "Blank passport %s is not available in the office's stock."},
	msgAlreadyVIP:       {"Berkas ini sudah tercatat di buku VIP.", "This file is already in the VIP book."},
	msgBadDesk:          {"Meja %s tidak memiliki printer tanda terima.", "Desk %s has no receipt printer."},
	msgPrinter:          {"Tanda terima tidak dapat dicetak: %s.", "The receipt could not be printed: %s."},
	msgTooMany:          {"Terlalu banyak permintaan. Coba lagi dalam %d detik.", "Too many requests. Try again in %d seconds."},

	"workflow.stage.intake":       {"loket OSS (penerimaan berkas)", "the OSS desk (intake)"},
	"workflow.stage.biometrics":   {"foto, sidik jari dan tanda tangan", "photo, fingerprints and signature"},
	"workflow.stage.adjudication": {"pemeriksaan (adjudikasi)", "review (adjudication)"},
	"workflow.stage.payment":      {"pembayaran PNBP", "payment of the fee"},
	"workflow.stage.printing":     {"pencetakan paspor", "passport printing"},
	"workflow.stage.approval":     {"pengesahan oleh Kepala Kantor", "approval by the head of office"},
	"workflow.stage.pickup":       {"pengambilan paspor", "passport pickup"},

	"workflow.public.waiting":      {"Menunggu giliran di tahap %s.", "Waiting for its turn at %s."},
	"workflow.public.in_progress":  {"Sedang diproses di tahap %s.", "Being processed at %s."},
	"workflow.public.bap_required": {"Menunggu berita acara (BAP) paspor hilang atau rusak.", "Waiting for the report (BAP) on the lost or damaged passport."},
	"workflow.public.retake":       {"Foto dan sidik jari perlu diambil ulang.", "Photo and fingerprints must be taken again."},
	"workflow.public.in_review":    {"Dalam pemeriksaan lanjutan oleh kantor imigrasi.", "Under further review by the immigration office."},
	"workflow.public.ready":        {"Paspor sudah selesai dan dapat diambil.", "The passport is ready for pickup."},
	"workflow.public.picked_up":    {"Paspor sudah diambil.", "The passport has been picked up."},
	"workflow.public.refused":      {"Permohonan tidak dapat dilanjutkan.", "The application cannot go ahead."},
	"workflow.public.returned":     {"Berkas dikembalikan karena persyaratan belum lengkap.", "The file was returned: the requirements are incomplete."},

	"workflow.next.wait":         {"Tidak perlu tindakan. Cek status lagi nanti.", "Nothing to do now. Check the status again later."},
	"workflow.next.pay":          {"Bayar PNBP %s dengan kode billing dari kasir, lalu serahkan bukti bayar.", "Pay the fee of %s with the billing code from the cashier, then hand in the receipt."},
	"workflow.next.bap_required": {"Ikuti pemeriksaan untuk berita acara di kantor imigrasi.", "Attend the interview for the report at the immigration office."},
	"workflow.next.retake":       {"Datang ke loket biometrik dengan membawa tanda terima.", "Come to the biometrics desk with your receipt."},
	"workflow.next.in_review":    {"Petugas akan menghubungi Anda. Bawa tanda terima bila datang ke kantor.", "An officer will contact you. Bring your receipt when you come to the office."},
	"workflow.next.ready":        {"Ambil nomor antrean layanan E (pengambilan paspor), bawa tanda terima dan e-KTP.", "Take a queue number for service E (passport pickup) and bring your receipt and e-KTP."},
	"workflow.next.picked_up":    {"Terima kasih. Mohon isi survei kepuasan layanan.", "Thank you. Please fill in the satisfaction survey."},
	"workflow.next.refused":      {"Silakan hubungi kantor imigrasi untuk penjelasan.", "Please contact the immigration office for an explanation."},
	"workflow.next.returned":     {"Lengkapi persyaratan, lalu ambil nomor antrean baru.", "Complete the requirements, then take a new queue number."},
	"workflow.sms.due":           {", perkiraan selesai %s", ", expected ready %s"},

	"workflow.receipt.title":    {"TANDA TERIMA PERMOHONAN PASPOR", "PASSPORT APPLICATION RECEIPT"},
	"workflow.receipt.number":   {"Nomor permohonan", "Application number"},
	"workflow.receipt.ticket":   {"Nomor antrean: %s", "Queue number: %s"},
	"workflow.receipt.name":     {"Nama: %s", "Name: %s"},
	"workflow.receipt.kind":     {"Jenis: %s", "Kind: %s"},
	"workflow.receipt.received": {"Diterima: %s oleh %s", "Received: %s by %s"},
	"workflow.receipt.stages":   {"Tahapan: 1 loket OSS, 2 foto & sidik jari, 3 pemeriksaan, 4 pembayaran, 5 pencetakan, 6 pengesahan, 7 pengambilan", "Stages: 1 OSS desk, 2 photo & fingerprints, 3 review, 4 payment, 5 printing, 6 approval, 7 pickup"},
	"workflow.receipt.due":      {"Perkiraan selesai: %s", "Expected ready: %s"},
	"workflow.receipt.due_rule": {"Selesai %d hari kerja setelah pembayaran", "Ready %d working days after payment"},
	"workflow.receipt.fee":      {"Biaya PNBP: %s  Kode billing: %s", "Fee: %s  Billing code: %s"},
	"workflow.receipt.check":    {"Cek status: %s", "Check status: %s"},
	"workflow.receipt.sms":      {"atau SMS: STATUS %s", "or SMS: STATUS %s"},
	"workflow.receipt.kiosk":    {"atau pindai barcode ini di kios informasi", "or scan this barcode at the information kiosk"},
	"workflow.receipt.keep":     {"Simpan tanda terima ini untuk mengambil paspor. Layanan ini tanpa calo.", "Keep this receipt to pick up your passport. No brokers."},

	"workflow.kind.new":         {"Paspor baru", "New passport"},
	"workflow.kind.replacement": {"Penggantian (habis berlaku/halaman penuh)", "Replacement (expired/full)"},
	"workflow.kind.lost":        {"Penggantian paspor hilang", "Replacement of a lost passport"},
	"workflow.kind.damaged":     {"Penggantian paspor rusak", "Replacement of a damaged passport"},
	"workflow.kind.change":      {"Perubahan data", "Change of data"},
}

// catalogue is every entry the module adds: its messages and its pages' words.
func catalogue() antre.Messages {
	out := antre.Messages{}
	for _, part := range []antre.Messages{messages, pageTexts} {
		for k, v := range part {
			if _, dup := out[k]; dup {
				panic("workflow: catalogue key " + string(k) + " is worded twice")
			}
			out[k] = v
		}
	}
	return out
}
