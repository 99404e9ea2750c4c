package antre

// The public ticket status page's words (display/web/status.js, /status/CODE), as the
// catalogue's "status." entries; the page takes them from /static/texts.js?page=status,live.
// The keys waiting … cancelled are the ticket's statuses; {0} marks where the page puts a value.
var statusTexts = Messages{
	"status.title":      {"Status Nomor Antrean Paspor", "Passport Queue Number Status"},
	"status.ahead":      {"Di depan Anda", "Ahead of you"},
	"status.estimate":   {"Perkiraan tunggu", "Estimated wait"},
	"status.issued":     {"Diambil pukul", "Taken at"},
	"status.quota_left": {"Sisa kuota datang langsung hari ini", "Walk-in quota left today"},
	"status.lookup":     {"Cek nomor antrean lain", "Check another number"},
	"status.check":      {"Cek", "Check"},
	"status.people":     {"{0} orang", "{0} people"},
	"status.minutes":    {"± {0} menit", "± {0} min"},
	"status.note":       {"Halaman ini diperbarui otomatis. Layanan antrean tidak dipungut biaya; jangan gunakan jasa calo.", "This page updates by itself. Queue numbers are free of charge; do not use brokers."},
	"status.updated":    {"Diperbarui {0}", "Updated {0}"},
	"status.waiting":    {"Menunggu dipanggil", "Waiting to be called"},
	"status.called":     {"Dipanggil — silakan menuju Loket {0}", "Called — please go to counter {0}"},
	"status.serving":    {"Sedang dilayani di Loket {0}", "Being served at counter {0}"},
	"status.done":       {"Selesai dilayani", "Served"},
	"status.no_show":    {"Tidak hadir saat dipanggil — segera hubungi petugas", "Missed the call — please see an officer now"},
	"status.cancelled":  {"Dibatalkan", "Cancelled"},
	"status.other_lang": {"English", "Bahasa Indonesia"},
	"status.title_page": {"Status Nomor Antrean", "Queue Number Status"},
	"status.survey":     {"Nilai layanan kami", "Rate our service"},
}
