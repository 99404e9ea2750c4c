// Package hqwire is the link between an office hub and headquarters as both ends speak it: the
// NATS subjects and JetStream streams, who may publish and consume what, the messages that
// travel (events as headquarters may see them, the office's heartbeat, headquarters' settings)
// and the office's credentials. The hub's module (hqlink) and headquarters (hq) both use it, so
// a subject or a message is defined once.
//
// The rules of the link:
//   - an office publishes its events to EventsSubject(office), in ID order, each with the
//     message ID MsgID(office, id), so JetStream stores a retried publish once;
//   - an office's credentials let it publish only under its own subjects and consume only its
//     own settings consumer (OfficePermissions): it cannot publish as another office;
//   - headquarters publishes each office's settings to SettingsSubject(office), which the office
//     reads through its durable consumer SettingsConsumer(office);
//   - nothing personal travels whole: events are shipped as HQView has them.
package hqwire

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/jwt/v2"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"

	"antre"
)

// The JetStream streams and headquarters' consumer.
const (
	// EventsStream holds every office's events (subjects antre.events.OFFICE).
	EventsStream = "ANTRE_EVENTS"
	// SettingsStream holds headquarters' settings for every office (antre.settings.OFFICE).
	SettingsStream = "ANTRE_SETTINGS"
	// IngestConsumer is headquarters' durable consumer of EventsStream.
	IngestConsumer = "hq-ingest"

	eventsPrefix   = "antre.events."
	statusPrefix   = "antre.status."
	settingsPrefix = "antre.settings."
)

// EventsSubjects, StatusSubjects and SettingsSubjects match every office's subject of a kind.
const (
	EventsSubjects   = eventsPrefix + "*"
	StatusSubjects   = statusPrefix + "*"
	SettingsSubjects = settingsPrefix + "*"
)

var codeRE = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{1,31}$`)

// ValidOfficeCode checks an office code: 2 to 32 capital letters, digits and hyphens, starting
// with a letter or digit (KANIM-TBK), so that it is one token of a NATS subject.
func ValidOfficeCode(code string) error {
	if !codeRE.MatchString(code) {
		return fmt.Errorf("office code %q: use 2 to 32 capital letters, digits and hyphens (KANIM-TBK)", code)
	}
	return nil
}

// EventsSubject is where office publishes its events.
func EventsSubject(office string) string { return eventsPrefix + office }

// StatusSubject is where office publishes its heartbeat.
func StatusSubject(office string) string { return statusPrefix + office }

// SettingsSubject is where headquarters publishes office's settings.
func SettingsSubject(office string) string { return settingsPrefix + office }

// SettingsConsumer names the durable consumer through which office reads its settings.
func SettingsConsumer(office string) string { return "office-" + office }

// InboxPrefix is the prefix of office's reply subjects: an office may only subscribe under it,
// so it never sees replies meant for another office.
func InboxPrefix(office string) string { return "_INBOX." + office }

// OfficeOf returns the office a subject of the link belongs to, and whether it is one.
func OfficeOf(subject string) (string, bool) {
	for _, p := range []string{eventsPrefix, statusPrefix, settingsPrefix} {
		if o, ok := strings.CutPrefix(subject, p); ok && ValidOfficeCode(o) == nil {
			return o, true
		}
	}
	return "", false
}

// MsgID is the JetStream message ID of office's event id: a publish retried with the same ID
// within the stream's duplicate window is stored once.
func MsgID(office string, id int64) string { return office + ":" + strconv.FormatInt(id, 10) }

// ResendMsgID is the message ID of an event published again at headquarters' request (a gap):
// a new ID, since the stream may remember the first one, yet the same for retries of the resend.
func ResendMsgID(office string, id int64, request int64) string {
	return MsgID(office, id) + ":resend-" + strconv.FormatInt(request, 10)
}

// OfficePermissions are what an office's credentials allow: publishing its events and its
// heartbeat, reading and acknowledging its own settings consumer, and replies under its own
// inbox prefix. Nothing else: not another office's subjects, not the JetStream API beyond its
// consumer.
func OfficePermissions(office string) jwt.Permissions {
	var p jwt.Permissions
	c := SettingsConsumer(office)
	p.Pub.Allow.Add(
		EventsSubject(office),
		StatusSubject(office),
		"$JS.API.CONSUMER.INFO."+SettingsStream+"."+c,
		"$JS.API.CONSUMER.MSG.NEXT."+SettingsStream+"."+c,
		"$JS.ACK."+SettingsStream+"."+c+".>",
	)
	p.Sub.Allow.Add(InboxPrefix(office) + ".>")
	return p
}

// Status is an office's heartbeat, published every few seconds while the link is up; it is how
// headquarters knows the office's backlog, its clock and whether its log went back.
type Status struct {
	Office string `json:"office"`
	// LastCommitted is the ID of the office's newest event; Shipped the newest one headquarters
	// has acknowledged. Their difference is the backlog.
	LastCommitted int64 `json:"last_committed"`
	Shipped       int64 `json:"shipped"`
	// Now is the office's clock when it sent the heartbeat.
	Now time.Time `json:"now"`
	// SettingsAt is when the office last received a setting from headquarters (zero: never).
	SettingsAt time.Time `json:"settings_at,omitzero"`
}

// The kinds of Setting.
const (
	// KindHolidaySet closes Holiday.Date (a national holiday or cuti bersama).
	KindHolidaySet = "holiday.set"
	// KindHolidayDelete opens Date again.
	KindHolidayDelete = "holiday.delete"
	// KindQuota sets Group's Quota for Date, today or a coming day.
	KindQuota = "quota.set"
	// KindResend asks the office to publish its events From to To again (headquarters found a
	// gap).
	KindResend = "events.resend"
	// KindBookings carries a day's online bookings (Data), for the booking module.
	KindBookings = "bookings.day"
	// KindOnlineHandover hands a day's unused online quota over to walk-ins (Data), for the
	// booking module.
	KindOnlineHandover = "quota.online_handover"
)

// Setting is one message headquarters sends an office. Kinds the office does not know are
// kept (not lost) and offered to the module that handles them.
type Setting struct {
	// ID is headquarters' number of the setting; the office applies each ID once.
	ID      int64          `json:"id"`
	Kind    string         `json:"kind"`
	Holiday *antre.Holiday `json:"holiday,omitempty"`
	Date    string         `json:"date,omitempty"`
	Group   string         `json:"group,omitempty"`
	Quota   *antre.Quota   `json:"quota,omitempty"`
	From    int64          `json:"from,omitempty"`
	To      int64          `json:"to,omitempty"`
	// Data carries the kinds defined by later modules (bookings, online quota hand-over).
	Data json.RawMessage `json:"data,omitempty"`
}

// SettingMsgID is the JetStream message ID of setting id: headquarters' retried publish is
// stored once.
func SettingMsgID(id int64) string { return "setting:" + strconv.FormatInt(id, 10) }

// personal lists the keys of an event's data that hold personal data, and how each is masked
// before the event leaves the office.
var personal = map[string]func(string) string{
	"phone":          antre.MaskPhone,
	"nik":            antre.MaskNIK,
	"applicant_name": antre.MaskName,
}

// HQView returns e as headquarters may see it: the same event with every phone number, NIK
// and applicant's name in its data masked (antre.MaskPhone, MaskNIK, MaskName). Officers'
// names (the actor) stay: they are the office's accountability. e is not changed.
func HQView(e antre.Event) antre.Event {
	if len(e.Data) == 0 {
		return e
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(e.Data, &m) != nil {
		return e
	}
	changed := false
	for k, mask := range personal {
		var s string
		if v, ok := m[k]; ok && json.Unmarshal(v, &s) == nil && s != "" {
			m[k], _ = json.Marshal(mask(s))
			changed = true
		}
	}
	if changed {
		e.Data, _ = json.Marshal(m)
	}
	return e
}

// Credentials are what an office needs to join the link: its user JWT (signed by
// headquarters, carrying OfficePermissions), the seed of its key, and headquarters' CA
// certificate (PEM) when headquarters uses its own.
type Credentials struct {
	JWT  string `json:"jwt"`
	Seed string `json:"seed"`
	CA   string `json:"ca,omitempty"`
}

const credsPrefix = "antre-hq:"

// String is the credentials on one line, "antre-hq:" and base64 (URL alphabet) of their JSON:
// what `antre hq office add` prints last and ANTRE_HQ_CREDENTIALS accepts.
func (c Credentials) String() string {
	b, _ := json.Marshal(c)
	return credsPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// File is the credentials as a NATS .creds file (JWT and seed, the CA left out).
func (c Credentials) File() []byte {
	return fmt.Appendf(nil, "-----BEGIN NATS USER JWT-----\n%s\n------END NATS USER JWT------\n\n"+
		"************************* IMPORTANT *************************\nNKEY Seed printed below can be used to sign and prove identity.\nNKEYs are sensitive and should be treated as secrets.\n\n"+
		"-----BEGIN USER NKEY SEED-----\n%s\n------END USER NKEY SEED------\n", c.JWT, c.Seed)
}

// ParseCredentials reads credentials given as the one-line form (String), or as the path of a
// NATS .creds file.
func ParseCredentials(s string) (Credentials, error) {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, credsPrefix); ok {
		b, err := base64.RawURLEncoding.DecodeString(rest)
		if err != nil {
			return Credentials{}, fmt.Errorf("credentials: %w", err)
		}
		var c Credentials
		if err := json.Unmarshal(b, &c); err != nil || c.JWT == "" || c.Seed == "" {
			return Credentials{}, fmt.Errorf("credentials: not the form antre hq office add prints")
		}
		return c, nil
	}
	b, err := os.ReadFile(s)
	if err != nil {
		return Credentials{}, fmt.Errorf("credentials: neither the one-line form nor a readable .creds file: %w", err)
	}
	tok, err := jwt.ParseDecoratedJWT(b)
	if err != nil {
		return Credentials{}, fmt.Errorf("credentials %s: %w", s, err)
	}
	kp, err := nkeys.ParseDecoratedNKey(b)
	if err != nil {
		return Credentials{}, fmt.Errorf("credentials %s: %w", s, err)
	}
	seed, err := kp.Seed()
	if err != nil {
		return Credentials{}, fmt.Errorf("credentials %s: %w", s, err)
	}
	return Credentials{JWT: tok, Seed: string(seed)}, nil
}

// Office is the office code the credentials' JWT was issued for (its name), checked against
// the permissions it carries.
func (c Credentials) Office() (string, error) {
	uc, err := jwt.DecodeUserClaims(c.JWT)
	if err != nil {
		return "", fmt.Errorf("credentials: %w", err)
	}
	if err := ValidOfficeCode(uc.Name); err != nil {
		return "", fmt.Errorf("credentials: not an office's: %w", err)
	}
	return uc.Name, nil
}

// TLSConfig is the client TLS configuration that trusts caPEM (headquarters' own CA) or, when
// it is empty, the system's roots.
func TLSConfig(caPEM []byte) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if len(caPEM) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(caPEM) {
			return nil, fmt.Errorf("no certificate in the CA given")
		}
		cfg.RootCAs = pool
	}
	return cfg, nil
}

// UserOptions are the NATS options that authenticate with a user JWT and its seed.
func UserOptions(userJWT, seed string) nats.Option {
	return nats.UserJWTAndSeed(userJWT, seed)
}
