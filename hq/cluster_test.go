package hq_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	natsserver "github.com/nats-io/nats-server/v2/server"

	"antre/hq"
	"antre/hq/hqtest"
	"antre/hq/natsd"
	"antre/hqwire"
	"antre/server/servertest"
)

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestNodeLoss: headquarters on an external three-node JetStream cluster (streams with three
// replicas), each node started from the configuration `antre hq nats-config` prints; the node
// leading the events stream is killed while an office ships; every event still reaches
// PostgreSQL exactly once.
func TestNodeLoss(t *testing.T) {
	data := t.TempDir()
	keys, err := natsd.LoadKeys(data) // headquarters' identity, which the nodes trust
	if err != nil {
		t.Fatal(err)
	}
	ca, err := natsd.NewCA("Antre test cluster CA")
	if err != nil {
		t.Fatal(err)
	}
	cert, key, err := ca.Issue([]string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tlsFiles := natsd.TLSFiles{CA: filepath.Join(dir, "ca.pem"), Cert: filepath.Join(dir, "cert.pem"), Key: filepath.Join(dir, "key.pem")}
	for p, b := range map[string][]byte{tlsFiles.CA: ca.CertPEM, tlsFiles.Cert: cert, tlsFiles.Key: key} {
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var routes, urls []string
	var clientPorts []int
	for range 3 {
		clientPorts = append(clientPorts, freePort(t))
		cp := freePort(t)
		routes = append(routes, fmt.Sprintf("nats-route://127.0.0.1:%d", cp))
	}
	nodes := map[string]*natsserver.Server{}
	for i := range 3 {
		name := fmt.Sprintf("hq-nats-%d", i+1)
		conf := natsd.ClusterConfig(keys, natsd.ClusterNode{Name: name, Listen: fmt.Sprintf("127.0.0.1:%d", clientPorts[i]),
			Cluster: strings.TrimPrefix(routes[i], "nats-route://"), Routes: routes, StoreDir: filepath.Join(dir, name), TLS: tlsFiles})
		path := filepath.Join(dir, name+".conf")
		if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
			t.Fatal(err)
		}
		opts, err := natsserver.ProcessConfigFile(path)
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, conf)
		}
		opts.NoLog, opts.NoSigs = true, true
		s, err := natsserver.NewServer(opts)
		if err != nil {
			t.Fatal(err)
		}
		go s.Start()
		nodes[name] = s
		urls = append(urls, fmt.Sprintf("tls://127.0.0.1:%d", clientPorts[i]))
		t.Cleanup(s.Shutdown)
	}
	for name, s := range nodes {
		if !s.ReadyForConnections(20 * time.Second) {
			t.Fatalf("%s did not start", name)
		}
	}
	cluster := strings.Join(urls, ",")
	h := hqtest.StartHQ(t, func(c *hq.Config) {
		c.Data, c.NATSExternal, c.NATSCA, c.Replicas = data, cluster, tlsFiles.CA, 3
		c.TLSCert, c.TLSKey, c.TLSCA = "", "", ""
	})
	creds := h.Office("KANIM-BTM", "Kantor Imigrasi Batam", "Kepulauan Riau")
	hub := servertest.New(t, hqtest.Linked("KANIM-BTM", creds, cluster))
	for range 5 {
		hub.Issue("A")
	}
	caughtUp(t, h, hub, "KANIM-BTM", 30*time.Second)

	stream, err := h.JetStream().Stream(context.Background(), hqwire.EventsStream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := stream.Info(context.Background())
	if err != nil || info.Cluster == nil || len(info.Cluster.Replicas) != 2 {
		t.Fatalf("events stream not on three nodes: %+v %v", info.Cluster, err)
	}
	leader := nodes[info.Cluster.Leader]
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the office keeps issuing while the node goes
		defer wg.Done()
		for i := range 60 {
			hub.Issue(string(rune('B' + i%3)))
			time.Sleep(10 * time.Millisecond)
		}
	}()
	time.Sleep(150 * time.Millisecond)
	leader.Shutdown()
	wg.Wait()
	caughtUp(t, h, hub, "KANIM-BTM", 60*time.Second)
	noDuplicates(t, h)
	sameFigures(t, h, hub, "KANIM-BTM")
}
