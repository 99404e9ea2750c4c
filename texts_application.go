package antre

// The passport workflow's rules speak through these entries of the catalogue ("application."):
// what an officer or applicant is told when a file's step is refused or its data is wrong.
const (
	MsgBadStage           MsgKey = "application.bad_stage"
	MsgBadKind            MsgKey = "application.bad_kind"
	MsgGroupNoApplication MsgKey = "application.group_no_application"
	MsgBadApplicationNo   MsgKey = "application.bad_number"
	MsgFileState          MsgKey = "application.bad_state"
	MsgFileClosed         MsgKey = "application.closed"
	MsgChecksPending      MsgKey = "application.checks_pending"
	MsgCheckHit           MsgKey = "application.check_hit"
	MsgNeedDocuments      MsgKey = "application.need_documents"
	MsgNeedCaptures       MsgKey = "application.need_captures"
	MsgNeedReceipt        MsgKey = "application.need_receipt"
	MsgNeedBlank          MsgKey = "application.need_blank"
	MsgNeedQA             MsgKey = "application.need_qa"
	MsgNeedFaceCheck      MsgKey = "application.need_face_check"
	MsgNIKFormat          MsgKey = "application.nik_format"
	MsgNIKRegion          MsgKey = "application.nik_region"
	MsgNIKDate            MsgKey = "application.nik_date"
	MsgNIKBirth           MsgKey = "application.nik_birth"
)

// applicationTexts are the workflow rules' messages. [Indonesian, English]
var applicationTexts = Messages{
	MsgBadStage:           {"Tahap layanan tidak dikenal.", "Unknown workflow stage."},
	MsgBadKind:            {"Jenis permohonan tidak sesuai dengan layanan nomor antrean ini.", "This kind of application does not match the ticket's service."},
	MsgGroupNoApplication: {"Nomor antrean layanan ini tidak membuka permohonan paspor.", "Tickets of this service do not open a passport application."},
	MsgBadApplicationNo:   {"Nomor permohonan tidak valid. Nomor permohonan terdiri dari 10 angka, contoh 2026000042.", "Invalid application number. It has 10 digits, e.g. 2026000042."},
	MsgFileState:          {"Tindakan ini tidak dapat dilakukan pada tahap berkas saat ini.", "This action is not possible at the file's current stage."},
	MsgFileClosed:         {"Berkas ini sudah selesai atau ditutup.", "This file is finished or closed."},
	MsgChecksPending:      {"Hasil pemeriksaan (cekal, duplikasi, biometrik, data kependudukan) belum lengkap; berkas belum dapat diteruskan.", "The checks (cekal, duplicate, biometric, population data) have not all answered; the file cannot go on yet."},
	MsgCheckHit:           {"Pemeriksaan menemukan catatan yang harus diputuskan terlebih dahulu.", "A check found a record that must be decided first."},
	MsgNeedDocuments:      {"Dokumen persyaratan belum lengkap diperiksa.", "Not every required document has been checked."},
	MsgNeedCaptures:       {"Foto, sepuluh sidik jari dan tanda tangan harus direkam terlebih dahulu.", "Photo, ten fingerprints and signature must be captured first."},
	MsgNeedReceipt:        {"Nomor bukti pembayaran wajib diisi.", "The payment receipt number is required."},
	MsgNeedBlank:          {"Nomor seri blanko paspor dari persediaan kantor wajib diisi.", "A blank passport serial from the office's stock is required."},
	MsgNeedQA:             {"Pemeriksaan mutu fitur pengaman paspor belum lengkap.", "The quality check of the passport's security features is incomplete."},
	MsgNeedFaceCheck:      {"Pencocokan wajah pemohon wajib dikonfirmasi sebelum paspor diserahkan.", "The applicant's face check must be confirmed before hand-over."},
	MsgNIKFormat:          {"NIK harus terdiri dari 16 angka.", "A NIK has 16 digits."},
	MsgNIKRegion:          {"Kode wilayah pada NIK (provinsi, kabupaten/kota, kecamatan) tidak valid.", "The NIK's region code (province, regency/city, district) is invalid."},
	MsgNIKDate:            {"Tanggal lahir pada NIK tidak valid.", "The date of birth in the NIK is invalid."},
	MsgNIKBirth:           {"Tanggal lahir tidak sesuai dengan NIK.", "The date of birth does not match the NIK."},
}
