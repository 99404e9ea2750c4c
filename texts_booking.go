package antre

// The catalogue keys of the SMS headquarters sends for booking.
const (
	MsgBookingSMSCode       MsgKey = "bookingsms.code"
	MsgBookingSMSMoveCode   MsgKey = "bookingsms.move_code"
	MsgBookingSMSCancelCode MsgKey = "bookingsms.cancel_code"
	MsgBookingSMSHelp       MsgKey = "bookingsms.help"
	MsgBookingSMSOffer      MsgKey = "bookingsms.offer"
	MsgBookingSMSFull       MsgKey = "bookingsms.full"
	MsgBookingSMSCodeSent   MsgKey = "bookingsms.code_sent"
	MsgBookingSMSDone       MsgKey = "bookingsms.done"
	MsgBookingSMSNoSession  MsgKey = "bookingsms.no_session"
)

// Online booking's words: the refusals of the booking rules (booking.go) and the public
// booking page at headquarters, which takes them from /static/texts.js?page=booking,live.
// {0} marks where the page puts a value; %s and %d are the refusals' arguments.
var bookingTexts = Messages{
	MsgBookingFull:      {"Kuota online hari itu sudah penuh. Silakan pilih hari lain.", "That day's online quota is full. Please choose another day."},
	MsgBookingClosedDay: {"Kantor tutup pada %s.", "The office is closed on %s."},
	MsgBookingNotOpen:   {"Pemesanan untuk %s dibuka pada %s.", "Booking for %s opens at %s."},
	MsgBookingCutOff:    {"Pemesanan untuk %s sudah ditutup.", "Booking for %s has closed."},
	MsgBookingPast:      {"Tanggal %s sudah lewat.", "The date %s has passed."},
	MsgBookingNIKTaken:  {"NIK ini sudah memiliki pemesanan pada hari itu.", "This NIK already has a booking on that day."},
	MsgBookingPhone:     {"Nomor telepon ini sudah dipakai untuk pemesanan lain pada hari itu.", "This phone number is already used for another booking on that day."},
	MsgBookingCooling:   {"NIK ini %d kali tidak hadir; pemesanan baru dapat dilakukan mulai %s.", "This NIK missed %d bookings; it may book again from %s."},
	MsgBookingBadCode:   {"Kode verifikasi salah.", "Wrong verification code."},
	MsgBookingExpired:   {"Kode verifikasi sudah kedaluwarsa. Silakan minta kode baru.", "The verification code has expired. Please ask for a new one."},
	MsgBookingAttempts:  {"Terlalu banyak percobaan. Silakan minta kode baru.", "Too many attempts. Please ask for a new code."},
	MsgBookingUsedCode:  {"Kode verifikasi ini sudah dipakai.", "This verification code was already used."},
	MsgBookingMovedOnce: {"Pemesanan hanya dapat dipindah satu kali.", "A booking can be moved only once."},
	MsgBookingNotActive: {"Pemesanan ini tidak aktif lagi.", "This booking is no longer active."},
	MsgBookingNoOnline:  {"Kantor ini tidak membuka pemesanan online untuk layanan itu.", "This office takes no online bookings for that service."},
	MsgBookingPeriod:    {"Pilih periode kedatangan 08-12 atau 12-16.", "Choose the arrival period 08-12 or 12-16."},
	MsgBookingName:      {"Isi nama lengkap (2 sampai 80 huruf).", "Enter the full name (2 to 80 letters)."},
	// The booking page's words.
	"booking.title":           {"Pemesanan Antrean Paspor", "Passport Queue Booking"},
	"booking.lang_other":      {"English", "Bahasa Indonesia"},
	"booking.intro":           {"Pilih hari kedatangan. Nomor antrean diambil di kantor saat Anda datang. Gratis, jangan gunakan calo.", "Choose the day you come. You take your queue number at the office when you arrive. It is free: do not use brokers."},
	"booking.office":          {"Kantor", "Office"},
	"booking.group":           {"Layanan", "Service"},
	"booking.date":            {"Tanggal", "Date"},
	"booking.period":          {"Waktu kedatangan", "Arrival time"},
	"booking.nik":             {"NIK (16 angka)", "NIK (16 digits)"},
	"booking.name":            {"Nama lengkap", "Full name"},
	"booking.phone":           {"Nomor HP", "Mobile number"},
	"booking.send_code":       {"Kirim kode SMS", "Send SMS code"},
	"booking.code_sent":       {"Kode 6 angka telah dikirim lewat SMS.", "A 6-digit code was sent by SMS."},
	"booking.code":            {"Kode SMS", "SMS code"},
	"booking.confirm":         {"Konfirmasi", "Confirm"},
	"booking.booked":          {"Pemesanan Anda", "Your booking"},
	"booking.bring":           {"Tunjukkan kode ini di kios kantor dan ketik 6 angka terakhir NIK Anda.", "Show this code at the office's kiosk and type the last 6 digits of your NIK."},
	"booking.move":            {"Pindah jadwal", "Reschedule"},
	"booking.cancel":          {"Batalkan", "Cancel"},
	"booking.find":            {"Sudah memesan? Masukkan kode pemesanan", "Booked already? Enter the booking code"},
	"booking.show":            {"Tampilkan", "Show"},
	"booking.free":            {"{0} tempat", "{0} places"},
	"booking.full_short":      {"penuh", "full"},
	"booking.day_full":        {"Hari ini penuh untuk layanan itu. Pilih hari lain.", "This day is full for that service. Choose another day."},
	"booking.next_free":       {"Hari yang masih tersedia: {0}.", "Days still free: {0}."},
	"booking.done":            {"Pemesanan berhasil. Simpan kode ini.", "Booked. Keep this code."},
	"booking.cancelled":       {"Pemesanan dibatalkan.", "The booking is cancelled."},
	"booking.state":           {"Status", "State"},
	"booking.state_active":    {"Aktif", "Active"},
	"booking.state_cancelled": {"Dibatalkan", "Cancelled"},
	"booking.state_used":      {"Sudah check-in", "Checked in"},
	"booking.state_no_show":   {"Tidak hadir", "Did not come"},
	// The SMS headquarters sends: the one-time codes and the answers to booking by SMS (Indonesian
	// only, as an SMS is read; no page loads "bookingsms.").
	MsgBookingSMSCode:       {"Kode pemesanan antrean paspor: %s. Berlaku 5 menit. Jangan berikan kode ini kepada siapa pun.", "Passport queue booking code: %s. Valid 5 minutes. Do not give it to anyone."},
	MsgBookingSMSMoveCode:   {"Kode pindah jadwal antrean paspor: %s. Jangan berikan kode ini kepada siapa pun.", "Passport queue reschedule code: %s. Do not give it to anyone."},
	MsgBookingSMSCancelCode: {"Kode pembatalan antrean paspor: %s. Jangan berikan kode ini kepada siapa pun.", "Passport queue cancellation code: %s. Do not give it to anyone."},
	MsgBookingSMSHelp:       {"Format: BOOK <kantor> <tanggal> <layanan>, mis. BOOK KANIM-JKT 2026-12-09 A", "Format: BOOK <office> <date> <service>, e.g. BOOK KANIM-JKT 2026-12-09 A"},
	MsgBookingSMSOffer:      {"Tersedia %s pukul %s di %s (layanan %s). Balas: NIK <16 angka> <nama lengkap>", "Free on %s at %s at %s (service %s). Reply: NIK <16 digits> <full name>"},
	MsgBookingSMSFull:       {"Penuh pada %s. Hari tersedia: %s. Kirim BOOK lagi dengan tanggal lain.", "Full on %s. Free days: %s. Send BOOK again with another date."},
	MsgBookingSMSCodeSent:   {"Kode 6 angka dikirim lewat SMS. Balas: KODE <6 angka>", "A 6-digit code was sent by SMS. Reply: KODE <6 digits>"},
	MsgBookingSMSDone:       {"Pemesanan %s: %s %s pukul %s, layanan %s. Tunjukkan kode ini di kios kantor dan ketik 6 angka terakhir NIK.", "Booking %s: %s %s at %s, service %s. Show this code at the office's kiosk and type your NIK's last 6 digits."},
	MsgBookingSMSNoSession:  {"Kirim dahulu: BOOK <kantor> <tanggal> <layanan>", "First send: BOOK <office> <date> <service>"},
}
