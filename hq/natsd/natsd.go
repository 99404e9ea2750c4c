// Package natsd is headquarters' side of NATS: its identity (an operator, the ANTRE account
// every office and headquarters live in, and the system account), the office credentials it
// signs, the TLS certificates of its own CA, the embedded single-node JetStream server `antre
// hq` runs by default, and the configuration of an external three-node cluster for production.
//
// Identity is NATS's decentralised JWT authentication: servers trust the operator and know the
// two accounts; a user (an office, or headquarters itself) proves itself with a JWT signed by
// the account key and the seed of its own key. Adding an office therefore needs no server
// reload: `antre hq office add` signs a JWT whose permissions (hqwire.OfficePermissions) name the
// office's own subjects.
package natsd

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/jwt/v2"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"

	"antre/hqwire"
)

// Keys is headquarters' NATS identity. The seeds are secrets: they live in one file readable
// by headquarters' user only (KeysFile), created once and kept; losing them means issuing every
// office new credentials.
type Keys struct {
	operator, account, system nkeys.KeyPair
	// OperatorJWT, AccountJWT and SystemJWT are what every server of the link must trust.
	OperatorJWT, AccountJWT, SystemJWT string
	// AccountKey and SystemKey are the accounts' public keys.
	AccountKey, SystemKey string
}

// KeysFile is where LoadKeys keeps the identity inside headquarters' data directory.
func KeysFile(data string) string { return filepath.Join(data, "nats", "keys.json") }

type keysFile struct {
	Operator string `json:"operator_seed"`
	Account  string `json:"account_seed"`
	System   string `json:"system_seed"`
}

// LoadKeys reads the identity from KeysFile(data), creating it (mode 0600) the first time.
func LoadKeys(data string) (*Keys, error) {
	path := KeysFile(data)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createKeys(path)
	}
	if err != nil {
		return nil, err
	}
	var f keysFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return keysFrom(f)
}

func createKeys(path string) (*Keys, error) {
	var f keysFile
	for _, k := range []struct {
		create func() (nkeys.KeyPair, error)
		seed   *string
	}{{nkeys.CreateOperator, &f.Operator}, {nkeys.CreateAccount, &f.Account}, {nkeys.CreateAccount, &f.System}} {
		kp, err := k.create()
		if err != nil {
			return nil, err
		}
		s, err := kp.Seed()
		if err != nil {
			return nil, err
		}
		*k.seed = string(s)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	b, _ := json.MarshalIndent(f, "", "  ")
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, err
	}
	return keysFrom(f)
}

func keysFrom(f keysFile) (*Keys, error) {
	var k Keys
	var err error
	if k.operator, err = nkeys.FromSeed([]byte(f.Operator)); err != nil {
		return nil, fmt.Errorf("operator seed: %w", err)
	}
	if k.account, err = nkeys.FromSeed([]byte(f.Account)); err != nil {
		return nil, fmt.Errorf("account seed: %w", err)
	}
	if k.system, err = nkeys.FromSeed([]byte(f.System)); err != nil {
		return nil, fmt.Errorf("system seed: %w", err)
	}
	opub, _ := k.operator.PublicKey()
	k.AccountKey, _ = k.account.PublicKey()
	k.SystemKey, _ = k.system.PublicKey()
	oc := jwt.NewOperatorClaims(opub)
	oc.Name = "antre"
	oc.SystemAccount = k.SystemKey
	if k.OperatorJWT, err = oc.Encode(k.operator); err != nil {
		return nil, err
	}
	ac := jwt.NewAccountClaims(k.AccountKey)
	ac.Name = "ANTRE"
	ac.Limits.JetStreamLimits = jwt.JetStreamLimits{MemoryStorage: -1, DiskStorage: -1, Streams: -1, Consumer: -1, MaxAckPending: -1,
		MemoryMaxStreamBytes: -1, DiskMaxStreamBytes: -1}
	if k.AccountJWT, err = ac.Encode(k.operator); err != nil {
		return nil, err
	}
	sc := jwt.NewAccountClaims(k.SystemKey)
	sc.Name = "SYS"
	if k.SystemJWT, err = sc.Encode(k.operator); err != nil {
		return nil, err
	}
	return &k, nil
}

// IssueUser signs a user of the ANTRE account named name with perms (nil: everything in the
// account, for headquarters itself) and returns its JWT, the seed of its new key and the key's
// public part.
func (k *Keys) IssueUser(name string, perms *jwt.Permissions) (userJWT, seed, public string, err error) {
	kp, err := nkeys.CreateUser()
	if err != nil {
		return "", "", "", err
	}
	public, _ = kp.PublicKey()
	uc := jwt.NewUserClaims(public)
	uc.Name = name
	if perms != nil {
		uc.Permissions = *perms
	}
	if userJWT, err = uc.Encode(k.account); err != nil {
		return "", "", "", err
	}
	s, err := kp.Seed()
	return userJWT, string(s), public, err
}

// IssueOffice signs an office's credentials: a user named after the office with
// hqwire.OfficePermissions, and caPEM for the office to trust headquarters' certificate.
func (k *Keys) IssueOffice(code string, caPEM []byte) (hqwire.Credentials, string, error) {
	if err := hqwire.ValidOfficeCode(code); err != nil {
		return hqwire.Credentials{}, "", err
	}
	perms := hqwire.OfficePermissions(code)
	j, seed, pub, err := k.IssueUser(code, &perms)
	return hqwire.Credentials{JWT: j, Seed: seed, CA: string(caPEM)}, pub, err
}

// Apply makes o trust the identity: the operator, the two accounts preloaded in a memory
// resolver, the system account.
func (k *Keys) Apply(o *server.Options) error {
	opc, err := jwt.DecodeOperatorClaims(k.OperatorJWT)
	if err != nil {
		return err
	}
	res := &server.MemAccResolver{}
	if err := res.Store(k.AccountKey, k.AccountJWT); err != nil {
		return err
	}
	if err := res.Store(k.SystemKey, k.SystemJWT); err != nil {
		return err
	}
	o.TrustedOperators = []*jwt.OperatorClaims{opc}
	o.AccountResolver = res
	o.SystemAccount = k.SystemKey
	return nil
}

// TLSFiles are a server's certificate and key and the CA that signed it, as PEM files.
type TLSFiles struct {
	CA, Cert, Key string
}

// EnsureTLS returns headquarters' own CA and a server certificate for hosts (names or IP
// addresses) under dir, creating them the first time (ECDSA P-256; the CA for 20 years, the
// certificate for 5). An operator who has certificates from the ministry's CA configures those
// instead.
func EnsureTLS(dir string, hosts []string) (TLSFiles, error) {
	f := TLSFiles{CA: filepath.Join(dir, "ca.pem"), Cert: filepath.Join(dir, "server.pem"), Key: filepath.Join(dir, "server-key.pem")}
	if _, err := os.Stat(f.Key); err == nil {
		return f, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return f, err
	}
	ca, err := NewCA("Antre headquarters CA")
	if err != nil {
		return f, err
	}
	cert, key, err := ca.Issue(hosts)
	if err != nil {
		return f, err
	}
	if err := os.WriteFile(filepath.Join(dir, "ca-key.pem"), ca.KeyPEM, 0o600); err != nil {
		return f, err
	}
	if err := os.WriteFile(f.CA, ca.CertPEM, 0o644); err != nil {
		return f, err
	}
	if err := os.WriteFile(f.Cert, cert, 0o644); err != nil {
		return f, err
	}
	return f, os.WriteFile(f.Key, key, 0o600)
}

// CA is a certificate authority of headquarters' own (or a test's).
type CA struct {
	CertPEM, KeyPEM []byte
	cert            *x509.Certificate
	key             *ecdsa.PrivateKey
}

// NewCA creates a CA named name, valid for 20 years.
func NewCA(name string) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tpl := &x509.Certificate{SerialNumber: serial(), Subject: pkix.Name{CommonName: name, Organization: []string{"Antre"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(20, 0, 0), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, _ := x509.ParseCertificate(der)
	kb, _ := x509.MarshalECPrivateKey(key)
	return &CA{CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), KeyPEM: pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}),
		cert: cert, key: key}, nil
}

// Issue signs a server certificate for hosts (names or IP addresses), valid for 5 years, and
// returns it and its key as PEM.
func (ca *CA) Issue(hosts []string) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tpl := &x509.Certificate{SerialNumber: serial(), Subject: pkix.Name{CommonName: hosts[0], Organization: []string{"Antre"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(5, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tpl.IPAddresses = append(tpl.IPAddresses, ip)
		} else {
			tpl.DNSNames = append(tpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return nil, nil, err
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), nil
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	return n
}

// Config is the embedded server's configuration.
type Config struct {
	// Listen is the address offices connect to (host:port; port 0 picks a free one).
	Listen string
	// StoreDir holds JetStream's files.
	StoreDir string
	// TLS is the server's certificate and key; every client connection must use TLS.
	TLS TLSFiles
	// SyncAlways makes JetStream fsync every message before acknowledging it; without it
	// JetStream syncs every 2 minutes and a power cut at headquarters can lose recently
	// acknowledged events from the stream, which headquarters then asks the offices for again
	// (a gap). See the README's failure table.
	SyncAlways bool
	// Name names the server.
	Name string
}

// Start runs an embedded single-node JetStream server trusting keys and waits until it
// accepts connections.
func Start(cfg Config, keys *Keys) (*server.Server, error) {
	host, port, err := splitHostPort(cfg.Listen)
	if err != nil {
		return nil, err
	}
	o := &server.Options{ServerName: cfg.Name, Host: host, Port: port, JetStream: true, StoreDir: cfg.StoreDir, NoSigs: true, NoLog: true,
		SyncAlways: cfg.SyncAlways, DisableJetStreamBanner: true, MaxPayload: 1 << 20}
	if o.ServerName == "" {
		o.ServerName = "antre-hq"
	}
	if cfg.TLS.Cert != "" {
		cert, err := tls.LoadX509KeyPair(cfg.TLS.Cert, cfg.TLS.Key)
		if err != nil {
			return nil, fmt.Errorf("nats tls: %w", err)
		}
		o.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		o.TLS = true
		o.TLSTimeout = 5
	}
	if err := keys.Apply(o); err != nil {
		return nil, err
	}
	s, err := server.NewServer(o)
	if err != nil {
		return nil, err
	}
	go s.Start()
	if !s.ReadyForConnections(30 * time.Second) {
		s.Shutdown()
		return nil, fmt.Errorf("nats server on %s did not start", cfg.Listen)
	}
	return s, nil
}

func splitHostPort(addr string) (string, int, error) {
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("nats listen address %q: %w", addr, err)
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		return "", 0, fmt.Errorf("nats listen address %q: %w", addr, err)
	}
	if n == 0 {
		n = -1 // nats-server's "any free port"
	}
	return h, n, nil
}

// ClusterNode describes one node of an external cluster for ClusterConfig.
type ClusterNode struct {
	// Name is the node's server name (hq-nats-1).
	Name string
	// Listen is where offices and headquarters connect (0.0.0.0:4222); Cluster where the
	// nodes talk to each other (0.0.0.0:6222).
	Listen, Cluster string
	// Routes are the cluster addresses of every node (nats-route://10.0.0.1:6222 …).
	Routes []string
	// StoreDir holds the node's JetStream files.
	StoreDir string
	// TLS is the node's certificate for offices (empty: no TLS, for a test only).
	TLS TLSFiles
}

// ClusterConfig is a nats-server configuration file for one node of an external cluster that
// trusts keys: JetStream on, the node's routes, and the identity inline (operator JWT, system
// account, a memory resolver with both accounts preloaded). nats-server -c reads it; the
// README shows one for three nodes.
func ClusterConfig(keys *Keys, n ClusterNode) string {
	var b strings.Builder
	q := strconv.Quote
	fmt.Fprintf(&b, "server_name: %s\nlisten: %s\n", q(n.Name), q(n.Listen))
	fmt.Fprintf(&b, "jetstream: { store_dir: %s }\n", q(n.StoreDir))
	fmt.Fprintf(&b, "cluster: {\n  name: \"antre-hq\"\n  listen: %s\n  routes: [\n", q(n.Cluster))
	for _, r := range n.Routes {
		fmt.Fprintf(&b, "    %s\n", q(r))
	}
	b.WriteString("  ]\n}\n")
	if n.TLS.Cert != "" {
		fmt.Fprintf(&b, "tls: { cert_file: %s, key_file: %s, timeout: 5 }\n", q(n.TLS.Cert), q(n.TLS.Key))
	}
	fmt.Fprintf(&b, "operator: %s\nsystem_account: %s\nresolver: MEMORY\nresolver_preload: {\n  %s: %s\n  %s: %s\n}\n",
		q(keys.OperatorJWT), keys.SystemKey, keys.AccountKey, q(keys.AccountJWT), keys.SystemKey, q(keys.SystemJWT))
	return b.String()
}
