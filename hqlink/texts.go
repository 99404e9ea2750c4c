package hqlink

import "antre"

// messages are the module's entries of the catalogue: the link page's words (texts.js?page=
// hqlink) and the sentence of its status. [Indonesian, English]
var messages = antre.Messages{
	"hqlink.title":       {"Koneksi ke Kantor Pusat", "Link to headquarters"},
	"hqlink.not_linked":  {"Kantor ini tidak terhubung ke kantor pusat.", "This office is not linked to headquarters."},
	"hqlink.up":          {"Terhubung ke kantor pusat; %d event menunggu dikirim.", "Linked to headquarters; %d events wait to be sent."},
	"hqlink.down":        {"Koneksi ke kantor pusat terputus sejak %s; %d event menunggu dikirim. Kantor tetap berjalan dengan pengaturan terakhir dari pusat (diterima %s).", "The link to headquarters is down since %s; %d events wait to be sent. The office keeps working with the last settings from headquarters (received %s)."},
	"hqlink.down_never":  {"Koneksi ke kantor pusat terputus sejak %s; %d event menunggu dikirim. Kantor tetap berjalan; belum ada pengaturan dari pusat.", "The link to headquarters is down since %s; %d events wait to be sent. The office keeps working; no settings from headquarters yet."},
	"hqlink.login":       {"Silakan masuk terlebih dahulu di konsol petugas.", "Please log in at the officer console first."},
	"hqlink.today":       {"Hari ini", "Today"},
	"hqlink.issued":      {"Diterbitkan", "Issued"},
	"hqlink.served":      {"Dilayani", "Served"},
	"hqlink.waiting":     {"Menunggu", "Waiting"},
	"hqlink.remaining":   {"Sisa kuota", "Quota left"},
	"hqlink.backlog":     {"Menunggu dikirim", "Waiting to be sent"},
	"hqlink.shipped":     {"Terkirim s.d. event", "Shipped through event"},
	"hqlink.settings":    {"Pengaturan dari pusat", "Settings from headquarters"},
	"hqlink.kind":        {"Jenis", "Kind"},
	"hqlink.received_at": {"Diterima", "Received"},
	"hqlink.result":      {"Hasil", "Result"},
}
