package antre

// The ticket kiosk's words: its page (kiosk.*, through /static/texts.js?page=kiosk) and the
// answers of its runtime's local API (kiosk.err_*).
var kioskTexts = Messages{
	"kiosk.err_method_not_allowed": {"Metode tidak diizinkan.", "Method not allowed."},
	"kiosk.err_not_found":          {"Tidak ditemukan.", "Not found."},
	"kiosk.err_forbidden":          {"Permintaan dari situs lain ditolak.", "Requests from another site are refused."},
	"kiosk.err_bad_request":        {"Permintaan tidak valid.", "Invalid request."},
	"kiosk.err_not_ready":          {"Kios belum siap: menunggu data kantor dari server.", "The kiosk is not ready: waiting for the office's data from the hub."},
	"kiosk.err_busy":               {"Nomor sebelumnya masih diproses.", "The previous number is still being processed."},
	"kiosk.err_admin_session":      {"Menu petugas terkunci. Masukkan PIN.", "The officer menu is locked. Enter the PIN."},
	"kiosk.err_admin_disabled":     {"Menu petugas tidak diaktifkan di kios ini.", "The officer menu is turned off on this kiosk."},
	"kiosk.err_pin_locked":         {"Terlalu banyak PIN salah. Coba lagi nanti.", "Too many wrong PINs. Try again later."},
	"kiosk.err_wrong_pin":          {"PIN salah.", "Wrong PIN."},
	"kiosk.err_bad_code":           {"Nomor antrean tidak valid. Contoh yang benar: A012.", "Invalid queue number. A valid one looks like A012."},
	"kiosk.err_internal":           {"Terjadi kesalahan pada kios. Hubungi petugas.", "Something went wrong at the kiosk. Please ask an officer."},
}
