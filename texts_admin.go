package antre

// The hub's refusals of an admin's changes to accounts and devices, as catalogue entries
// ("admin."): the admin console shows them next to the field that was refused.
const (
	MsgUserName      MsgKey = "admin.user_name"
	MsgUserRole      MsgKey = "admin.user_role"
	MsgPassword      MsgKey = "admin.password"
	MsgUserNotFound  MsgKey = "admin.user_not_found"
	MsgLastAdmin     MsgKey = "admin.last_admin"
	MsgUserDisabled  MsgKey = "admin.user_disabled"
	MsgDeviceName    MsgKey = "admin.device_name"
	MsgDeviceRole    MsgKey = "admin.device_role"
	MsgDeviceTaken   MsgKey = "admin.device_taken"
	MsgDeviceMissing MsgKey = "admin.device_missing"
	MsgDeviceJSON    MsgKey = "admin.device_settings"
	MsgRunningText   MsgKey = "admin.running_text"
	MsgCounterSetup  MsgKey = "admin.counter_setup"
)

var adminTexts = Messages{
	MsgUserName:      {"Nama pengguna wajib diisi (paling banyak 64 karakter).", "A user name is required (at most 64 characters)."},
	MsgUserRole:      {"Peran tidak dikenal untuk pengguna: %v.", "Unknown role for a user: %v."},
	MsgPassword:      {"Kata sandi minimal 6 karakter.", "The password must have at least 6 characters."},
	MsgUserNotFound:  {"Pengguna tidak ditemukan.", "No such user."},
	MsgLastAdmin:     {"Admin aktif terakhir tidak dapat dinonaktifkan atau diubah perannya.", "The last active admin cannot be disabled or given another role."},
	MsgUserDisabled:  {"Akun ini dinonaktifkan. Hubungi admin kantor.", "This account is disabled. Ask the office's admin."},
	MsgDeviceName:    {"Nama perangkat wajib diisi (huruf, angka, titik, garis bawah atau tanda hubung; paling banyak 64).", "A device name is required (letters, digits, dots, underscores or hyphens; at most 64)."},
	MsgDeviceRole:    {"Peran perangkat harus kiosk, display atau feedback.", "A device's role must be kiosk, display or feedback."},
	MsgDeviceTaken:   {"Nama perangkat sudah dipakai.", "That device name is taken."},
	MsgDeviceMissing: {"Perangkat tidak ditemukan.", "No such device."},
	MsgCounterSetup:  {"Loket perlu nama (1 sampai 40 karakter) dan paling sedikit satu layanan, masing-masing sekali.", "A counter needs a name (1 to 40 characters) and at least one service, each once."},
	MsgRunningText:   {"Teks berjalan: paling banyak %d baris, tiap baris 1 sampai %d karakter.", "Running text: at most %d lines, each of 1 to %d characters."},
	MsgDeviceJSON:    {"Pengaturan perangkat harus berupa objek JSON: %v.", "A device's settings must be a JSON object: %v."},
}
