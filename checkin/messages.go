package checkin

import "antre"

// The module's error messages, shown on the kiosk when a check-in is refused.
const (
	msgBadCode   antre.MsgKey = "checkin.e.bad_code"
	msgBadDigits antre.MsgKey = "checkin.e.bad_digits"
	msgUnknown   antre.MsgKey = "checkin.e.unknown"
	msgWrongDay  antre.MsgKey = "checkin.e.wrong_day"
	msgPastDay   antre.MsgKey = "checkin.e.past_day"
	msgUsed      antre.MsgKey = "checkin.e.used"
	msgCancelled antre.MsgKey = "checkin.e.cancelled"
	msgDigits    antre.MsgKey = "checkin.e.digits"
	msgClosed    antre.MsgKey = "checkin.e.closed"
	msgPeriod    antre.MsgKey = "checkin.e.period"
	msgTooMany   antre.MsgKey = "checkin.e.too_many"
	msgBadDate   antre.MsgKey = "checkin.e.bad_date"
)

// messages are the module's catalogue entries. [Indonesian, English]
var messages = antre.Messages{
	msgBadCode:   {"Kode pemesanan terdiri dari 8 sampai 16 huruf dan angka. Pindai kode QR pemesanan Anda atau ketik kodenya.", "A booking code has 8 to 16 letters and digits. Scan your booking's QR code or type its code."},
	msgBadDigits: {"Masukkan 6 digit terakhir NIK Anda (angka saja).", "Enter the last 6 digits of your NIK (digits only)."},
	msgUnknown:   {"Kode pemesanan tidak ditemukan untuk kantor ini hari ini. Periksa kode dan kantor tujuan Anda, atau tanyakan kepada petugas.", "Booking code not found at this office today. Check the code and the office you booked, or ask an officer."},
	msgWrongDay:  {"Pemesanan ini untuk tanggal %s, bukan hari ini. Silakan datang pada tanggal tersebut.", "This booking is for %s, not today. Please come on that day."},
	msgPastDay:   {"Pemesanan ini untuk tanggal %s, yang sudah lewat. Silakan pesan hari kedatangan yang baru, atau ambil nomor antrean biasa.", "This booking was for %s, which has passed. Please book a new arrival day, or take an ordinary queue number."},
	msgUsed:      {"Pemesanan ini sudah digunakan untuk check-in. Satu pemesanan hanya untuk satu nomor antrean.", "This booking has already been checked in. One booking gives one queue number."},
	msgCancelled: {"Pemesanan ini telah dibatalkan atau dipindahkan ke hari lain.", "This booking was cancelled or moved to another day."},
	msgDigits:    {"6 digit terakhir NIK tidak cocok dengan pemesanan ini. Pemesanan hanya berlaku untuk pemiliknya.", "The last 6 digits of the NIK do not match this booking. A booking is valid only for its owner."},
	msgClosed:    {"Check-in hanya dapat dilakukan pada jam layanan, %s–%s.", "Check-in is possible only during opening hours, %s–%s."},
	msgPeriod:    {"Check-in untuk pemesanan ini hanya pada periode kedatangannya, %s.", "This booking can be checked in only in its arrival period, %s."},
	msgTooMany:   {"Terlalu banyak percobaan. Coba lagi dalam %d detik, atau tanyakan kepada petugas.", "Too many attempts. Try again in %d seconds, or ask an officer."},
	msgBadDate:   {"Tanggal tidak valid. Gunakan YYYY-MM-DD.", "Invalid date. Use YYYY-MM-DD."},
}
