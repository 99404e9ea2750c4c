package hq

import (
	"fmt"
	"net"
	"strings"
	"time"
)

// Config is headquarters' configuration. `antre hq` fills it from flags whose defaults come
// from ANTRE_… environment variables (ANTRE_HQ_ADDR, ANTRE_HQ_POSTGRES, ANTRE_HQ_NATS_LISTEN,
// ANTRE_DATA …).
type Config struct {
	// Addr is where the dashboard and the API listen (ANTRE_HQ_ADDR, 127.0.0.1:8090).
	Addr string
	// Data is headquarters' data directory: its NATS identity (nats/keys.json), its CA and
	// certificate (tls/), the embedded JetStream's files (nats/jetstream) (ANTRE_DATA).
	Data string
	// Postgres is the URL of headquarters' database (ANTRE_HQ_POSTGRES).
	Postgres string
	// NATSListen is where the embedded NATS server listens for offices (ANTRE_HQ_NATS_LISTEN,
	// 127.0.0.1:4222; an office's ANTRE_HQ_NATS_URL points here, as tls://HOST:PORT).
	NATSListen string
	// NATSExternal, when set, is the comma-separated URLs of an external NATS cluster
	// (ANTRE_HQ_NATS_EXTERNAL): headquarters embeds no server and uses that one, whose nodes
	// trust headquarters' identity (antre hq nats-config).
	NATSExternal string
	// NATSCA is the PEM file of the CA that signed the external cluster's certificates
	// (ANTRE_HQ_NATS_CA); offices get it in their credentials.
	NATSCA string
	// Replicas is how many copies JetStream keeps of each stream: 1 for the embedded server,
	// 3 for an external cluster by default (ANTRE_HQ_NATS_REPLICAS).
	Replicas int
	// TLSCert and TLSKey are the embedded server's certificate (ANTRE_HQ_TLS_CERT,
	// ANTRE_HQ_TLS_KEY, with its CA in TLSCA); empty: headquarters' own CA in Data/tls signs one
	// for TLSHosts.
	TLSCert, TLSKey, TLSCA string
	// TLSHosts are the names and addresses offices reach the embedded server by, for the
	// certificate headquarters makes itself (ANTRE_HQ_TLS_HOSTS, comma-separated; the listen
	// host, localhost and 127.0.0.1 are always in it).
	TLSHosts []string
	// SyncAlways makes the embedded JetStream fsync every message before acknowledging it
	// (ANTRE_HQ_NATS_SYNC_ALWAYS); see natsd.Config.
	SyncAlways bool
	// AdminToken authorises changes (holidays, quotas, clearing flags) as
	// "Authorization: Bearer TOKEN" (ANTRE_HQ_ADMIN_TOKEN); empty: one is made and kept in
	// Data/admin.token.
	AdminToken string
	// StreamMaxAge is how long the events stream keeps messages after headquarters stored them
	// (7 days): replays and late consumers read from it.
	StreamMaxAge time.Duration
	// Duplicates is JetStream's window for dropping a re-published message ID (2 minutes); a
	// replay older than that is dropped by PostgreSQL's primary key instead.
	Duplicates time.Duration
	// OfflineAfter is how long without a heartbeat makes an office's link "offline" (20 s).
	OfflineAfter time.Duration
	// GapGrace is how long a hole in an office's event IDs may stay before headquarters asks
	// the office for the missing events (10 s).
	GapGrace time.Duration
	// RestoreMargin is how old a stored ID must be before a heartbeat whose newest event is
	// below it flags the office's log as gone back (15 s): a heartbeat and the events shipped
	// after it take different paths to headquarters.
	RestoreMargin time.Duration
	// ClockSkew is how far an office's clock may be from headquarters' before it is flagged
	// (2 minutes).
	ClockSkew time.Duration
	// Booking is the online booking's configuration (BookingConfig).
	Booking BookingConfig
	// Now is headquarters' clock (time.Now when nil).
	Now func() time.Time
}

// complete fills the defaults and checks the configuration.
func (c *Config) complete() error {
	if c.Addr == "" {
		c.Addr = "127.0.0.1:8090"
	}
	if c.Data == "" {
		c.Data = "hq-data"
	}
	if c.Postgres == "" {
		return fmt.Errorf("headquarters needs its PostgreSQL database: set ANTRE_HQ_POSTGRES (postgres://user@host:port/db) or --postgres")
	}
	if c.NATSListen == "" {
		c.NATSListen = "127.0.0.1:4222"
	}
	if c.Replicas == 0 {
		c.Replicas = 1
		if c.NATSExternal != "" {
			c.Replicas = 3
		}
	}
	if c.StreamMaxAge == 0 {
		c.StreamMaxAge = 7 * 24 * time.Hour
	}
	if c.Duplicates == 0 {
		c.Duplicates = 2 * time.Minute
	}
	if c.OfflineAfter == 0 {
		c.OfflineAfter = 20 * time.Second
	}
	if c.GapGrace == 0 {
		c.GapGrace = 10 * time.Second
	}
	if c.RestoreMargin == 0 {
		c.RestoreMargin = 15 * time.Second
	}
	if c.ClockSkew == 0 {
		c.ClockSkew = 2 * time.Minute
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if err := c.Booking.complete(); err != nil {
		return err
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return fmt.Errorf("give both the NATS certificate and its key (ANTRE_HQ_TLS_CERT, ANTRE_HQ_TLS_KEY) or neither")
	}
	if c.NATSExternal == "" {
		host, _, err := net.SplitHostPort(c.NATSListen)
		if err != nil {
			return fmt.Errorf("nats listen address %q: %w", c.NATSListen, err)
		}
		hosts := []string{"localhost", "127.0.0.1"}
		if host != "" && host != "0.0.0.0" && host != "::" {
			hosts = append([]string{host}, hosts...)
		}
		for _, h := range c.TLSHosts {
			if h = strings.TrimSpace(h); h != "" {
				hosts = append(hosts, h)
			}
		}
		c.TLSHosts = hosts
	}
	return nil
}
