package main

import (
	"testing"

	"antre"
	"antre/server"
)

// TestKioskPairing: antre kiosk --pair reads the hub and the token from the address the admin
// console shows for a new kiosk, and refuses anything else.
func TestKioskPairing(t *testing.T) {
	hub, tok, err := kioskPairing(server.PairURL("http://10.0.0.2:8080", antre.RoleKiosk, "abc123"))
	if err != nil || hub != "http://10.0.0.2:8080" || tok != "abc123" {
		t.Errorf("pairing address: %q %q %v", hub, tok, err)
	}
	for _, bad := range []string{"", "10.0.0.2:8080/kiosk#token=x", "http://10.0.0.2:8080/display#token=x", "http://10.0.0.2:8080/kiosk", "ftp://h/kiosk#token=x"} {
		if _, _, err := kioskPairing(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
