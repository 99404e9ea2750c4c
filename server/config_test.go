package server_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"antre"
	"antre/server"
)

func load(t *testing.T, yaml string, args ...string) (*server.Config, error) {
	t.Helper()
	fs := pflag.NewFlagSet("server", pflag.ContinueOnError)
	server.Flags(fs)
	if yaml != "" {
		f := filepath.Join(t.TempDir(), "office.yaml")
		if err := os.WriteFile(f, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		args = append([]string{"--config", f}, args...)
	}
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return server.LoadConfig(fs)
}

func TestConfigDefaults(t *testing.T) {
	c, err := load(t, "")
	if err != nil {
		t.Fatal(err)
	}
	o, _ := c.OfficeValue()
	if c.Addr != "127.0.0.1:8080" || o.Location.String() != "Asia/Jakarta" || len(o.Periods) != 2 || o.Periods[0].String() != "08:00–12:00" {
		t.Errorf("defaults: %+v %+v", c, o)
	}
	gs := c.GroupValues()
	if len(gs) != 6 || gs[0].Quota != (antre.Quota{WalkIn: 42, Online: 12, Priority: 6}) || gs[5].NameEN != "Change of data" {
		t.Errorf("groups %+v", gs)
	}
	if len(c.Counters) != 4 || len(c.Counters[3].Groups) != 6 || c.Policy.Ratio != 2 || c.Policy.Ageing != 45*time.Minute {
		t.Errorf("counters/policy %+v %+v", c.Counters, c.Policy)
	}
}

// TestConfigPrecedence: file over defaults, environment over file, flags over everything.
func TestConfigPrecedence(t *testing.T) {
	yaml := `
addr: 0.0.0.0:9000
data: /srv/antre
office: {code: KANIM-TBK, name: Kanim Tanjung Balai Karimun, timezone: Asia/Makassar, periods: ["07:30-11:30"]}
quota: {per_group: 50, online_percent: 30}
groups:
  - {code: A, name_id: Paspor baru, name_en: New passport}
  - {code: E, prefix: P, name_id: Pengambilan, quota: 80, walkin: 75, online: 0, priority: 5}
counters:
  - {number: 7, name: Loket Tujuh, groups: [E]}
policy: {ratio: 3, ageing: 1h}
`
	t.Setenv("ANTRE_ADDR", "127.0.0.1:9100")
	t.Setenv("ANTRE_POLICY_RATIO", "1")
	c, err := load(t, yaml, "--data", "/tmp/flagdata")
	if err != nil {
		t.Fatal(err)
	}
	o, _ := c.OfficeValue()
	if c.Addr != "127.0.0.1:9100" || c.Data != "/tmp/flagdata" || c.Policy.Ratio != 1 || c.Policy.Ageing != time.Hour {
		t.Errorf("precedence: addr %s data %s ratio %d ageing %v", c.Addr, c.Data, c.Policy.Ratio, c.Policy.Ageing)
	}
	if o.Code != "KANIM-TBK" || o.Location.String() != "Asia/Makassar" || o.Periods[0] != (antre.ArrivalPeriod{Start: 450, End: 690}) {
		t.Errorf("office %+v", o)
	}
	gs := c.GroupValues()
	if gs[0].Quota != (antre.Quota{WalkIn: 30, Online: 15, Priority: 5}) || gs[1].Prefix != "P" || gs[1].Quota != (antre.Quota{WalkIn: 75, Priority: 5}) {
		t.Errorf("groups %+v", gs)
	}
	if len(c.Counters) != 1 || c.Counters[0].Number != 7 || c.Counters[0].Groups[0] != "E" {
		t.Errorf("counters %+v", c.Counters)
	}
}

func TestConfigRefusesNonsense(t *testing.T) {
	for _, y := range []string{
		"office: {timezone: Mars/Olympus}",
		"office: {periods: [\"12:00-08:00\"]}",
		"office: {opens: \"25:00\"}",
		"groups: [{code: AA, name_id: x}]",
		"groups: [{code: A, name_id: x, quota: 1200}]",
		"policy: {ratio: -1}",
		"synchronous: OFF",
	} {
		if _, err := load(t, y); err == nil {
			t.Errorf("accepted %q", y)
		} else if strings.TrimSpace(err.Error()) == "" {
			t.Errorf("empty error for %q", y)
		}
	}
}
