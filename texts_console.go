package antre

// The keypad console's words (antre caller), as the catalogue's "console." entries.
var consoleTexts = Messages{
	"console.title":          {"%s · Loket %d · konsol papan angka", "%s · Counter %d · keypad console"},
	"console.keys":           {"Tombol: 0/Enter panggil berikutnya · 1 panggil ulang · 2 tidak hadir · 3 selesai · 4 mulai layani · 5 status · 9 bantuan · q keluar", "Keys: 0/Enter call next · 1 recall · 2 no-show · 3 finish · 4 start · 5 status · 9 help · q quit"},
	"console.called":         {"▶ %s  %s  → Loket %d%s", "▶ %s  %s  → counter %d%s"},
	"console.priority":       {"  · PRIORITAS (%s)", "  · PRIORITY (%s)"},
	"console.recalled":       {"↻ %s dipanggil ulang (%d×)", "↻ %s called again (%d×)"},
	"console.no_show":        {"✖ %s tidak hadir", "✖ %s did not come"},
	"console.finished":       {"✔ %s selesai", "✔ %s finished"},
	"console.started":        {"● mulai melayani %s", "● serving %s"},
	"console.status_current": {"Loket %d: %s (%s sejak %s) · menunggu: %s", "Counter %d: %s (%s since %s) · waiting: %s"},
	"console.status_free":    {"Loket %d: kosong · menunggu: %s", "Counter %d: free · waiting: %s"},
	"console.st_called":      {"dipanggil", "called"},
	"console.st_serving":     {"dilayani", "serving"},
	"console.error":          {"! %s", "! %s"},
	"console.bye":            {"Sampai jumpa.", "Goodbye."},
}
