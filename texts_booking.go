package antre

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
}
