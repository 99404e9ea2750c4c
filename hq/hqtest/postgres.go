// Package hqtest starts the real parts headquarters' tests and benchmarks need: a throwaway
// PostgreSQL cluster (initialised and run as the postgres user when the test runs as root,
// since initdb refuses root), a TCP proxy that cuts and restores an office's link, and a test
// CA. Tests are skipped where PostgreSQL is not installed (scripts/install-deps.sh installs it).
package hqtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PostgresBin finds PostgreSQL's programs: $ANTRE_PG_BIN, or the newest
// /usr/lib/postgresql/N/bin (Debian keeps them off the PATH).
func PostgresBin() (string, error) {
	if d := os.Getenv("ANTRE_PG_BIN"); d != "" {
		return d, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		a, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		b, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return a > b
	})
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", fmt.Errorf("PostgreSQL is not installed (apt-get install -y postgresql)")
}

// Postgres is a PostgreSQL cluster in a directory of its own, listening on 127.0.0.1 only.
type Postgres struct {
	// Dir holds the cluster (Dir/data), its socket and its log (Dir/log).
	Dir  string
	Port int
	// Fast turns durability off (fsync, full-page writes): for tests, which never pull the power.
	Fast bool
	bin  string
	cred *syscall.Credential
	temp bool
	seq  atomic.Int64
}

// NewPostgres initialises a cluster in dir (a new temporary directory when dir is empty) with
// one superuser, antre, trusted on 127.0.0.1, without starting it. As root it runs initdb as
// the postgres user and gives that user the directory.
func NewPostgres(dir string) (*Postgres, error) {
	bin, err := PostgresBin()
	if err != nil {
		return nil, err
	}
	p := &Postgres{Dir: dir, bin: bin}
	if p.Dir == "" {
		if p.Dir, err = os.MkdirTemp("", "antre-pg-*"); err != nil {
			return nil, err
		}
		p.temp = true
	}
	if err := os.MkdirAll(p.Dir, 0o700); err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root, PostgreSQL needs the postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		p.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(p.Dir, uid, gid); err != nil {
			return nil, err
		}
	}
	if _, err := os.Stat(filepath.Join(p.Dir, "data", "PG_VERSION")); err == nil {
		return p, nil // initialised before: keep it
	}
	if out, err := p.run("initdb", "-D", filepath.Join(p.Dir, "data"), "-A", "trust", "-U", "antre", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	return p, nil
}

func (p *Postgres) run(prog string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(p.bin, prog), args...)
	cmd.Dir = p.Dir
	if p.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: p.cred}
	}
	return cmd.CombinedOutput()
}

// Start starts the cluster on Port (a free port the first time) and waits until it accepts
// connections.
func (p *Postgres) Start() error {
	if p.Port == 0 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		p.Port = l.Addr().(*net.TCPAddr).Port
		l.Close()
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=200", p.Port, p.Dir)
	if p.Fast {
		opts += " -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
	}
	if out, err := p.run("pg_ctl", "-D", filepath.Join(p.Dir, "data"), "-o", opts, "-l", filepath.Join(p.Dir, "log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(p.Dir, "log"))
		return fmt.Errorf("pg_ctl start: %v: %s\n%s", err, out, log)
	}
	return nil
}

// Stop stops the cluster (fast shutdown: connections are closed, nothing committed is lost).
func (p *Postgres) Stop() error {
	if out, err := p.run("pg_ctl", "-D", filepath.Join(p.Dir, "data"), "-m", "fast", "-w", "stop"); err != nil {
		return fmt.Errorf("pg_ctl stop: %v: %s", err, out)
	}
	return nil
}

// Remove stops the cluster if it runs and deletes a temporary directory.
func (p *Postgres) Remove() {
	p.Stop()
	if p.temp {
		os.RemoveAll(p.Dir)
	}
}

// URL is the address of database db.
func (p *Postgres) URL(db string) string {
	return fmt.Sprintf("postgres://antre@127.0.0.1:%d/%s?sslmode=disable", p.Port, db)
}

// CreateDB creates a new database named after name (made unique) and returns its URL.
func (p *Postgres) CreateDB(ctx context.Context, name string) (string, error) {
	db := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return '_'
	}, name)
	if len(db) > 40 {
		db = db[:40]
	}
	db = fmt.Sprintf("%s_%d", db, p.seq.Add(1))
	c, err := pgx.Connect(ctx, p.URL("postgres"))
	if err != nil {
		return "", err
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{db}.Sanitize()); err != nil {
		return "", err
	}
	return p.URL(db), nil
}

var shared struct {
	once sync.Once
	pg   *Postgres
	err  error
}

// Main runs a test binary's tests with one shared PostgreSQL cluster, started when the first
// test asks for a database, and removes it after the last test. Call it from TestMain.
func Main(m *testing.M) int {
	code := m.Run()
	if shared.pg != nil {
		shared.pg.Remove()
	}
	return code
}

// Database returns the URL of a new, empty database on the test binary's shared cluster (see
// Main); it skips the test where PostgreSQL is not installed.
func Database(t testing.TB) string {
	t.Helper()
	shared.once.Do(func() {
		var p *Postgres
		if p, shared.err = NewPostgres(""); shared.err != nil {
			return
		}
		p.Fast = true
		if shared.err = p.Start(); shared.err != nil {
			p.Remove()
			return
		}
		shared.pg = p
	})
	if shared.err != nil {
		if _, err := PostgresBin(); err != nil {
			t.Skip(err)
		}
		t.Fatal(shared.err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	url, err := shared.pg.CreateDB(ctx, t.Name())
	if err != nil {
		t.Fatal(err)
	}
	return url
}

// Own starts a cluster of the test's own (to stop and start it), removed when the test ends.
func Own(t testing.TB) *Postgres {
	t.Helper()
	p, err := NewPostgres("")
	if err != nil {
		if _, e := PostgresBin(); e != nil {
			t.Skip(e)
		}
		t.Fatal(err)
	}
	p.Fast = true
	if err := p.Start(); err != nil {
		p.Remove()
		t.Fatal(err)
	}
	t.Cleanup(p.Remove)
	return p
}
