package hqwire

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nats-io/jwt/v2"
	"github.com/nats-io/nkeys"

	"antre"
)

// TestHQView: phone numbers and NIKs leave the office masked; other data and the event stay.
func TestHQView(t *testing.T) {
	e := antre.Event{ID: 7, Type: antre.EvPassport, Actor: "petugas1", Data: json.RawMessage(`{"application":"A-1","phone":"6281234567890","nik":"3171012345678901","name":"Hari Raya"}`)}
	v := HQView(e)
	var m map[string]string
	if err := json.Unmarshal(v.Data, &m); err != nil {
		t.Fatal(err)
	}
	if m["phone"] != "6281******890" || m["nik"] != "3171********8901" || m["application"] != "A-1" || m["name"] != "Hari Raya" || v.Actor != "petugas1" {
		t.Fatalf("HQ view %s", v.Data)
	}
	if strings.Contains(string(e.Data), "*") {
		t.Fatal("HQView changed the event it was given")
	}
}

// TestCredentials: the one-line form and a .creds file give the same credentials, and the
// office they were issued for.
func TestCredentials(t *testing.T) {
	akp, _ := nkeys.CreateAccount()
	ukp, _ := nkeys.CreateUser()
	pub, _ := ukp.PublicKey()
	uc := jwt.NewUserClaims(pub)
	uc.Name = "KANIM-TBK"
	uc.Permissions = OfficePermissions("KANIM-TBK")
	tok, err := uc.Encode(akp)
	if err != nil {
		t.Fatal(err)
	}
	seed, _ := ukp.Seed()
	c := Credentials{JWT: tok, Seed: string(seed), CA: "-----BEGIN CERTIFICATE-----\n"}
	line := c.String()
	if strings.ContainsAny(line, " \n") {
		t.Fatalf("not one line: %q", line)
	}
	got, err := ParseCredentials(line)
	if err != nil || got != c {
		t.Fatalf("parse %v %v", got, err)
	}
	path := filepath.Join(t.TempDir(), "office.creds")
	os.WriteFile(path, c.File(), 0o600)
	got, err = ParseCredentials(path)
	if err != nil || got.JWT != c.JWT || got.Seed != c.Seed {
		t.Fatalf("parse file %v %v", got, err)
	}
	if o, err := got.Office(); err != nil || o != "KANIM-TBK" {
		t.Fatalf("office %q %v", o, err)
	}
	if _, err := ParseCredentials("antre-hq:!!"); err == nil {
		t.Fatal("garbage accepted")
	}
	for _, p := range uc.Permissions.Pub.Allow {
		if !strings.Contains(p, "KANIM-TBK") {
			t.Errorf("office may publish to %s", p)
		}
	}
}

func TestSubjects(t *testing.T) {
	if o, ok := OfficeOf(EventsSubject("KANIM-TBK")); !ok || o != "KANIM-TBK" {
		t.Fatal(o)
	}
	if _, ok := OfficeOf("antre.events.a.b"); ok {
		t.Fatal("a subject with two tokens is no office's")
	}
	for _, bad := range []string{"", "k", "KANIM.TBK", "KANIM TBK", "kanim-tbk", "*", ">"} {
		if ValidOfficeCode(bad) == nil {
			t.Errorf("%q accepted as an office code", bad)
		}
	}
}
