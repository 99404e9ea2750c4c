package antre

// The waiting-room display's words (display/web/display.js), as the catalogue's "display."
// entries; the page takes them from /static/texts.js?page=display,live. {0} marks where the page
// puts a value.
var displayTexts = Messages{
	"display.subtitle":           {"Layanan Paspor · Informasi Antrean", "Passport Services · Queue Information"},
	"display.now_calling":        {"Nomor Antrean", "Queue Number"},
	"display.please_go":          {"Silakan menuju", "Please go to"},
	"display.counter":            {"Loket", "Counter"},
	"display.recall":             {"Panggilan ulang", "Called again"},
	"display.previous_calls":     {"Panggilan Sebelumnya", "Previous Calls"},
	"display.no_calls_yet":       {"Belum ada panggilan hari ini.", "No calls yet today."},
	"display.info":               {"Info", "Info"},
	"display.enable_sound":       {"Aktifkan suara", "Enable sound"},
	"display.waiting":            {"Menunggu", "Waiting"},
	"display.remaining":          {"Sisa kuota\ndatang langsung", "Walk-in\nquota left"},
	"display.quota_today":        {"Kuota datang langsung hari ini", "Today's walk-in quota"},
	"display.left":               {"sisa {0}", "{0} left"},
	"display.used_up":            {"habis", "used up"},
	"display.conn_open":          {"Terhubung", "Connected"},
	"display.conn_connecting":    {"Menyambungkan…", "Connecting…"},
	"display.conn_waiting":       {"Menyambung ulang…", "Reconnecting…"},
	"display.conn_lost":          {"Terputus", "Disconnected"},
	"display.conn_replaced":      {"Dibuka di tempat lain", "Opened elsewhere"},
	"display.conn_unauthorized":  {"Token ditolak", "Token refused"},
	"display.lost_banner":        {"Koneksi ke server terputus sejak {0}. Menyambung ulang otomatis…", "Connection to the server lost since {0}. Reconnecting automatically…"},
	"display.replaced_title":     {"Tampilan ini dibuka di tempat lain", "This display is open elsewhere"},
	"display.replaced_text":      {"Token perangkat layar ini sedang dipakai oleh tab atau layar lain, jadi sambungan di sini dihentikan. Tutup yang lain, atau tampilkan di sini.", "This screen's device token is in use by another tab or screen, so this one stopped. Close the other one, or show it here."},
	"display.take_over":          {"Tampilkan di sini", "Show it here"},
	"display.unauthorized_title": {"Token perangkat ditolak", "Device token refused"},
	"display.unauthorized_text":  {"Server tidak mengenali token layar ini. Daftarkan layar dengan \"antre device add --role display --name NAMA\" dan buka alamat dengan token barunya.", "The server does not know this screen's token. Register the screen with \"antre device add --role display --name NAME\" and open the address with its new token."},
	"display.no_token_title":     {"Token perangkat belum diisi", "No device token"},
	"display.no_token_text":      {"Buka halaman ini dengan token layar: /display?token=TOKEN.", "Open this page with the screen's token: /display?token=TOKEN."},
}
