package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"antre/hq"
	"antre/hq/natsd"
	"antre/hq/pg"
	"antre/smsgw"
)

func init() {
	commands["hq"] = command{summary: "run headquarters (antre hq [--postgres URL]); antre hq office add --code C --name N; antre hq nats-config", run: runHQ}
}

const hqUsage = `usage: antre hq [flags]
       antre hq office add --code KANIM-TBK --name NAME [--region R] [--timezone Asia/Jakarta]
       antre hq nats-config --name hq-nats-1 --listen 0.0.0.0:4222 --cluster 0.0.0.0:6222 --route nats-route://10.0.0.1:6222 …

Runs headquarters: every office ships its events into JetStream, headquarters stores them in
PostgreSQL once each and shows the national dashboard at http://ANTRE_HQ_ADDR/. By default it
embeds a single NATS server with JetStream (files in DATA/nats, TLS with its own CA in
DATA/tls) on ANTRE_HQ_NATS_LISTEN; with ANTRE_HQ_NATS_EXTERNAL it uses an external cluster
whose nodes run the configuration antre hq nats-config prints. Every flag can also be set in
the environment (shown in brackets).

flags:`

// hqFlags declares headquarters' flags (defaults from the environment) and returns a function
// that reads them into a configuration.
func hqFlags(fs *pflag.FlagSet) func() hq.Config {
	addr := fs.String("addr", envOr("ANTRE_HQ_ADDR", "127.0.0.1:8090"), "where the dashboard and the API listen [ANTRE_HQ_ADDR]")
	data := fs.String("data", envOr("ANTRE_DATA", "hq-data"), "data directory: NATS identity and files, TLS, admin token [ANTRE_DATA]")
	postgres := fs.String("postgres", os.Getenv("ANTRE_HQ_POSTGRES"), "PostgreSQL URL, postgres://user@host:5432/antre [ANTRE_HQ_POSTGRES]")
	listen := fs.String("nats-listen", envOr("ANTRE_HQ_NATS_LISTEN", "127.0.0.1:4222"), "where the embedded NATS server listens for offices [ANTRE_HQ_NATS_LISTEN]")
	external := fs.String("nats-external", os.Getenv("ANTRE_HQ_NATS_EXTERNAL"), "URLs of an external NATS cluster, comma-separated; no embedded server then [ANTRE_HQ_NATS_EXTERNAL]")
	natsCA := fs.String("nats-ca", os.Getenv("ANTRE_HQ_NATS_CA"), "CA (PEM) of the external cluster's certificates [ANTRE_HQ_NATS_CA]")
	replicas := fs.Int("replicas", envInt("ANTRE_HQ_NATS_REPLICAS", 0), "stream replicas (default 1 embedded, 3 external) [ANTRE_HQ_NATS_REPLICAS]")
	cert := fs.String("tls-cert", os.Getenv("ANTRE_HQ_TLS_CERT"), "the embedded server's certificate (PEM); default: one of headquarters' own CA [ANTRE_HQ_TLS_CERT]")
	key := fs.String("tls-key", os.Getenv("ANTRE_HQ_TLS_KEY"), "its key [ANTRE_HQ_TLS_KEY]")
	ca := fs.String("tls-ca", os.Getenv("ANTRE_HQ_TLS_CA"), "the CA that signed --tls-cert, put in offices' credentials [ANTRE_HQ_TLS_CA]")
	hosts := fs.String("tls-hosts", os.Getenv("ANTRE_HQ_TLS_HOSTS"), "names and addresses offices reach the embedded server by, comma-separated, for headquarters' own certificate [ANTRE_HQ_TLS_HOSTS]")
	sync := fs.Bool("nats-sync-always", envBool("ANTRE_HQ_NATS_SYNC_ALWAYS", false), "fsync every JetStream message before acknowledging it [ANTRE_HQ_NATS_SYNC_ALWAYS]")
	token := fs.String("admin-token", os.Getenv("ANTRE_HQ_ADMIN_TOKEN"), "token for changes (holidays, quotas); default: DATA/admin.token [ANTRE_HQ_ADMIN_TOKEN]")
	maxAge := fs.Duration("stream-max-age", envDuration("ANTRE_HQ_STREAM_MAX_AGE", 7*24*time.Hour), "how long the events stream keeps messages [ANTRE_HQ_STREAM_MAX_AGE]")
	national := fs.Bool("booking-national-nik", envBool("ANTRE_HQ_BOOKING_NATIONAL_NIK", false), "one live booking per NIK per day nationally, not per office [ANTRE_HQ_BOOKING_NATIONAL_NIK]")
	smsAdapter := fs.String("sms-adapter", envOr("ANTRE_HQ_SMS_ADAPTER", "none"), "gateway of booking's one-time codes: kannel, http or none [ANTRE_HQ_SMS_ADAPTER]")
	smsURL := fs.String("sms-url", os.Getenv("ANTRE_HQ_SMS_URL"), "Kannel's sendsms URL or the HTTP provider's URL [ANTRE_HQ_SMS_URL]")
	smsUser := fs.String("sms-username", os.Getenv("ANTRE_HQ_SMS_USERNAME"), "the gateway's user name [ANTRE_HQ_SMS_USERNAME]")
	smsPassword := fs.String("sms-password", os.Getenv("ANTRE_HQ_SMS_PASSWORD"), "the gateway's password [ANTRE_HQ_SMS_PASSWORD]")
	smsSender := fs.String("sms-sender", envOr("ANTRE_HQ_SMS_SENDER", "IMIGRASI"), "sender id of the codes [ANTRE_HQ_SMS_SENDER]")
	smsSecret := fs.String("sms-inbound-secret", os.Getenv("ANTRE_HQ_SMS_INBOUND_SECRET"), "secret the gateway gives on /api/v1/sms/inbound (booking by SMS; empty: off) [ANTRE_HQ_SMS_INBOUND_SECRET]")
	return func() hq.Config {
		c := hq.Config{Addr: *addr, Data: *data, Postgres: *postgres, NATSListen: *listen, NATSExternal: *external, NATSCA: *natsCA,
			Replicas: *replicas, TLSCert: *cert, TLSKey: *key, TLSCA: *ca, SyncAlways: *sync, AdminToken: *token, StreamMaxAge: *maxAge}
		c.Booking = hq.BookingConfig{NationalNIK: *national, SMSAdapter: *smsAdapter, SMSSender: *smsSender, SMSInboundSecret: *smsSecret,
			SMSKannel: smsgw.KannelConfig{URL: *smsURL, Username: *smsUser, Password: *smsPassword},
			SMSHTTP:   smsgw.HTTPConfig{URL: *smsURL, Username: *smsUser, Password: *smsPassword}}
		if *hosts != "" {
			c.TLSHosts = strings.Split(*hosts, ",")
		}
		return c
	}
}

func runHQ(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "office" {
		return runHQOffice(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "nats-config" {
		return runHQNATSConfig(args[1:])
	}
	fs := newFlags("hq", hqUsage)
	cfg := hqFlags(fs)
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	c := cfg()
	log := newLogger()
	h, err := hq.Open(ctx, c, log)
	if err != nil {
		return err
	}
	defer h.Close()
	l, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stdout, "\nAntre headquarters\n\n  Dashboard:   http://%s/\n  API:         http://%s/api/v1/offices\n  Offices ship to: %s (ANTRE_HQ_NATS_URL)\n  Admin token: %s\n\n",
		l.Addr(), l.Addr(), h.NATSURL(), filepath.Join(c.Data, "admin.token"))
	return h.Serve(ctx, l)
}

const officeUsage = `usage: antre hq office add --code KANIM-TBK --name NAME [--region R] [--timezone Asia/Jakarta] [flags]

Registers an office with headquarters and prints its credentials, once: headquarters keeps
only their public key. The last line of the output is what the office's hub takes as
ANTRE_HQ_CREDENTIALS (with ANTRE_HQ_NATS_URL, and office.code the same code); a .creds file is
written next to it (DATA/offices/CODE.creds, mode 0600) for NATS tools. Works with
headquarters running or not.

flags:`

func runHQOffice(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return fmt.Errorf("usage: antre hq office add --code C --name N")
	}
	fs := newFlags("hq office add", officeUsage)
	cfg := hqFlags(fs)
	code := fs.String("code", "", "the office's code, as its hub's office.code (KANIM-TBK)")
	name := fs.String("name", "", "the office's name")
	region := fs.String("region", "", "its region, for the dashboard's filter (Kepulauan Riau)")
	tz := fs.String("timezone", "Asia/Jakarta", "its time zone (Asia/Jakarta, Asia/Makassar, Asia/Jayapura); the office reports its own once linked")
	if help, err := parseFlags(fs, args[1:]); help || err != nil {
		return err
	}
	if *code == "" || *name == "" {
		return fmt.Errorf("--code and --name are required")
	}
	c := cfg()
	creds, err := hq.AddOffice(ctx, c, pg.Office{Code: *code, Name: *name, Region: *region, TimeZone: *tz})
	if err != nil {
		return err
	}
	dir := filepath.Join(c.Data, "offices")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	file := filepath.Join(dir, *code+".creds")
	if err := os.WriteFile(file, creds.File(), 0o600); err != nil {
		return err
	}
	fmt.Printf("office %s (%s) added. Its credentials are shown once; give them to the office over a safe channel.\n", *code, *name)
	fmt.Printf("On its hub: office.code %s, ANTRE_HQ_NATS_URL=tls://HEADQUARTERS:PORT and ANTRE_HQ_CREDENTIALS= the line below (or %s).\n", *code, file)
	fmt.Println(creds.String())
	return nil
}

const natsConfigUsage = `usage: antre hq nats-config --name hq-nats-1 --listen 0.0.0.0:4222 --cluster 0.0.0.0:6222 --route URL … [--store DIR] [--tls-cert F --tls-key F]

Prints the nats-server configuration of one node of an external cluster that trusts
headquarters' identity (DATA/nats/keys.json, made if missing): run it on each of three nodes
(nats-server -c node.conf) and start headquarters with ANTRE_HQ_NATS_EXTERNAL listing them.

flags:`

func runHQNATSConfig(args []string) error {
	fs := newFlags("hq nats-config", natsConfigUsage)
	data := fs.String("data", envOr("ANTRE_DATA", "hq-data"), "headquarters' data directory [ANTRE_DATA]")
	name := fs.String("name", "hq-nats-1", "the node's server name")
	listen := fs.String("listen", "0.0.0.0:4222", "where offices and headquarters connect")
	cluster := fs.String("cluster", "0.0.0.0:6222", "where the nodes talk to each other")
	routes := fs.StringArray("route", nil, "a node's cluster URL (nats-route://10.0.0.1:6222); repeat for each of the three")
	store := fs.String("store", "/var/lib/nats/jetstream", "the node's JetStream directory")
	cert := fs.String("tls-cert", "", "the node's certificate for clients (PEM)")
	key := fs.String("tls-key", "", "its key")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	keys, err := natsd.LoadKeys(*data)
	if err != nil {
		return err
	}
	fmt.Print(natsd.ClusterConfig(keys, natsd.ClusterNode{Name: *name, Listen: *listen, Cluster: *cluster, Routes: *routes, StoreDir: *store,
		TLS: natsd.TLSFiles{Cert: *cert, Key: *key}}))
	return nil
}
