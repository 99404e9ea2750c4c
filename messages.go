package antre

import (
	"fmt"
	"sync"
)

// MsgKey names a user-facing message in the catalogue.
type MsgKey string

// The message catalogue keys.
const (
	MsgInternal        MsgKey = "internal"
	MsgBadRequest      MsgKey = "bad_request"
	MsgTooLarge        MsgKey = "too_large"
	MsgBadAction       MsgKey = "bad_action"
	MsgBadState        MsgKey = "bad_state"
	MsgBadCode         MsgKey = "bad_code"
	MsgBadGroup        MsgKey = "bad_group"
	MsgBadPool         MsgKey = "bad_pool"
	MsgBadCategory     MsgKey = "bad_category"
	MsgOfficerOnly     MsgKey = "officer_only"
	MsgNeedReason      MsgKey = "need_reason"
	MsgQuotaExhausted  MsgKey = "quota_exhausted"
	MsgQueueEmpty      MsgKey = "queue_empty"
	MsgTicketNotFound  MsgKey = "ticket_not_found"
	MsgCounterNotFound MsgKey = "counter_not_found"
	MsgNotServed       MsgKey = "not_served"
	MsgNotYourTicket   MsgKey = "not_your_ticket"
	MsgLateExpired     MsgKey = "late_expired"
	MsgLoginFailed     MsgKey = "login_failed"
	MsgLoginRequired   MsgKey = "login_required"
	MsgForbidden       MsgKey = "forbidden"
	MsgTooMany         MsgKey = "too_many"
	MsgNotFound        MsgKey = "not_found"
	MsgBadPhone        MsgKey = "bad_phone"
	MsgBadQuota        MsgKey = "bad_quota"
	MsgNotYourPrint    MsgKey = "not_your_print"
	MsgOnlineByCheckIn MsgKey = "online_by_check_in"
	MsgIdemReused      MsgKey = "idempotency_reused"
	MsgCrossSite       MsgKey = "cross_site"
	MsgMethod          MsgKey = "method_not_allowed"
	MsgUnavailable     MsgKey = "unavailable"
	MsgUnreachable     MsgKey = "unreachable"
)

// Messages are entries of the catalogue of user-facing text: for each key, the Indonesian and the
// English text (fmt verbs where the message takes arguments).
type Messages map[MsgKey][2]string

// catalogue is the one catalogue of user-facing text: the hub's messages, the words of its
// consoles and pages (texts_*.go), and the modules' entries added by AddMessages when the hub
// mounts them.
var (
	catalogueMu sync.RWMutex
	catalogue   = merge(hubMessages, consoleTexts, kioskTexts, displayTexts, statusTexts, callerTexts, liveTexts, applicationTexts, voiceTexts, adminTexts, bookingTexts)
)

// merge joins parts of the catalogue; a key worded in two parts is a programming error.
func merge(parts ...Messages) Messages {
	out := Messages{}
	for _, p := range parts {
		for k, v := range p {
			if _, dup := out[k]; dup {
				panic("catalogue key " + string(k) + " is worded twice")
			}
			out[k] = v
		}
	}
	return out
}

// hubMessages are the hub's own messages: errors and refusals the API and the devices show.
var hubMessages = Messages{ // [Indonesian, English]
	MsgInternal:         {"Terjadi kesalahan pada sistem. Silakan coba lagi atau hubungi petugas.", "Something went wrong. Please try again or ask an officer."},
	MsgBadRequest:       {"Permintaan tidak valid: %v.", "Invalid request: %v."},
	MsgTooLarge:         {"Permintaan terlalu besar.", "The request is too large."},
	MsgBadAction:        {"Tindakan tidak dikenal.", "Unknown action."},
	MsgBadState:         {"Tindakan ini tidak dapat dilakukan pada status nomor antrean saat ini.", "This action is not possible in the ticket's current status."},
	MsgBadCode:          {"Nomor antrean tidak valid. Contoh yang benar: A012.", "Invalid queue number. A valid one looks like A012."},
	MsgBadGroup:         {"Layanan tidak dikenal.", "Unknown service group."},
	MsgBadPool:          {"Jenis kuota tidak dikenal.", "Unknown quota pool."},
	MsgBadCategory:      {"Kategori prioritas tidak dikenal.", "Unknown priority category."},
	MsgOfficerOnly:      {"Kategori VIP/VVIP hanya dapat diberikan oleh petugas.", "Only an officer can grant VIP/VVIP."},
	MsgNeedReason:       {"Alasan wajib diisi.", "A reason is required."},
	MsgQuotaExhausted:   {"Maaf, kuota %[2]s untuk layanan %[1]s hari ini sudah habis. Silakan datang kembali pada hari kerja berikutnya.", "Sorry, today's %[2]s quota for %[1]s is used up. Please come back on the next working day."},
	MsgQueueEmpty:       {"Tidak ada antrean yang menunggu untuk loket ini.", "No one is waiting for this counter."},
	MsgTicketNotFound:   {"Nomor antrean tidak ditemukan untuk hari ini.", "Queue number not found for today."},
	MsgCounterNotFound:  {"Loket tidak ditemukan.", "Counter not found."},
	MsgNotServed:        {"Loket ini tidak melayani layanan tersebut.", "This counter does not serve that group."},
	MsgNotYourTicket:    {"Nomor antrean ini sedang ditangani loket lain.", "This ticket is being handled at another counter."},
	MsgLateExpired:      {"Batas waktu keterlambatan sudah lewat; nomor ini tidak dapat diaktifkan kembali.", "The late-arrival window has passed; this number cannot be reactivated."},
	MsgLoginFailed:      {"Nama pengguna atau kata sandi salah.", "Wrong user name or password."},
	MsgLoginRequired:    {"Silakan masuk terlebih dahulu.", "Please log in first."},
	MsgForbidden:        {"Anda tidak berwenang melakukan tindakan ini.", "You are not allowed to do this."},
	MsgTooMany:          {"Terlalu banyak percobaan gagal. Coba lagi dalam %d detik.", "Too many failed attempts. Try again in %d seconds."},
	MsgNotFound:         {"Tidak ditemukan.", "Not found."},
	MsgBadPhone:         {"Nomor telepon tidak valid. Gunakan format 08xx atau +628xx.", "Invalid phone number. Use 08xx or +628xx."},
	MsgBadQuota:         {"Kuota tidak valid.", "Invalid quota."},
	MsgNotYourPrint:     {"Hanya kios yang menerbitkan nomor ini yang dapat melaporkan cetakannya.", "Only the kiosk that issued this number can report its print."},
	MsgOnlineByCheckIn:  {"Nomor antrean online hanya diterbitkan saat check-in pemesanan atau oleh petugas.", "Online queue numbers are issued only at booking check-in or by an officer."},
	MsgIdemReused:       {"Kunci permintaan ini sudah dipakai untuk permintaan lain.", "This request key was already used for a different request."},
	MsgCrossSite:        {"Permintaan dari situs lain ditolak.", "Requests from another site are refused."},
	MsgMethod:           {"Metode tidak diizinkan untuk alamat ini.", "Method not allowed for this address."},
	MsgUnavailable:      {"Layanan sedang tidak tersedia. Silakan coba lagi atau hubungi petugas.", "The service is unavailable. Please try again or ask an officer."},
	MsgUnreachable:      {"Server tidak dapat dihubungi.", "The hub cannot be reached."},
	"ticket.priority":   {"PRIORITAS", "PRIORITY"},
	"category.elderly":  {"Lansia", "Elderly"},
	"category.disabled": {"Disabilitas", "Disability"},
	"category.pregnant": {"Ibu Hamil", "Pregnant"},
	"category.toddler":  {"Balita", "Toddler"},
	"category.vip":      {"VIP", "VIP"},
	"category.vvip":     {"VVIP", "VVIP"},
}

// AddMessages adds entries to the catalogue. Adding an entry again with the same texts changes
// nothing (a hub restarted in one process mounts its modules again); a key that exists with
// other texts is refused, so two parts can never silently word one key differently.
func AddMessages(m Messages) error {
	catalogueMu.Lock()
	defer catalogueMu.Unlock()
	for k, v := range m {
		if old, ok := catalogue[k]; ok && old != v {
			return fmt.Errorf("catalogue key %q is already worded differently", k)
		}
	}
	for k, v := range m {
		catalogue[k] = v
	}
	return nil
}

// CatalogueWithPrefix returns the catalogue's entries whose key starts with prefix, in lang, for
// pages that take their words from the hub.
func CatalogueWithPrefix(lang, prefix string) map[string]string {
	catalogueMu.RLock()
	defer catalogueMu.RUnlock()
	out := map[string]string{}
	i := 0
	if lang == "en" {
		i = 1
	}
	for k, v := range catalogue {
		if len(k) >= len(prefix) && string(k[:len(prefix)]) == prefix {
			out[string(k)] = v[i]
		}
	}
	return out
}

// Text is a message argument that exists in both languages, such as a group's name; T picks
// the one of the message's language.
type Text struct{ ID, EN string }

// In returns the text in lang ("en" for English, Indonesian otherwise).
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	return t.ID
}

// PoolText names a quota pool for applicants.
func PoolText(p Pool) Text {
	switch p {
	case PoolOnline:
		return Text{"antrean online", "online"}
	case PoolPriority:
		return Text{"antrean prioritas", "priority"}
	}
	return Text{"antrean umum", "walk-in"}
}

// T returns catalogue message key in lang ("en" for English, Indonesian otherwise), formatted
// with args when the entry takes them; Text arguments are taken in the same language.
func T(lang string, key MsgKey, args ...any) string {
	catalogueMu.RLock()
	m, ok := catalogue[key]
	catalogueMu.RUnlock()
	if !ok {
		return string(key)
	}
	s := m[0]
	if lang == "en" {
		s = m[1]
	}
	if len(args) > 0 {
		local := make([]any, len(args))
		for i, a := range args {
			if t, ok := a.(Text); ok {
				a = t.In(lang)
			}
			local[i] = a
		}
		return fmt.Sprintf(s, local...)
	}
	return s
}
