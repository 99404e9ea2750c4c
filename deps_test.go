package antre_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// projectDeps lists the project's packages that pkg imports, directly or not (go list -deps).
func projectDeps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	var deps []string
	for _, d := range strings.Fields(string(out)) {
		if (d == "antre" || strings.HasPrefix(d, "antre/")) && d != pkg {
			deps = append(deps, d)
		}
	}
	return deps
}

// The modules behind the hub's module seam (package module).
var modules = []string{"antre/sms", "antre/workflow", "antre/hqlink", "antre/voice", "antre/checkin", "antre/report", "antre/backoffice"}

// The device roles: each runs on its own PC and talks to the hub only through its API.
var roles = []string{"antre/kiosk", "antre/caller", "antre/display"}

// TestLayers keeps the arrows of the code pointing one way (ARCHITECTURE.md): the domain
// imports nothing of the project; no device role imports the store, the hub or another role;
// no module imports the hub, the store or another module; headquarters imports neither the hub
// nor its modules; the shared client, the seam, the figures' rules and the link's protocol stay
// small; printers depends on the domain alone.
func TestLayers(t *testing.T) {
	if deps := projectDeps(t, "antre"); len(deps) > 0 {
		t.Errorf("the domain imports %v", deps)
	}
	forbidden := func(pkg string, bad ...string) {
		t.Helper()
		for _, d := range projectDeps(t, pkg) {
			for _, b := range bad {
				if d == b || strings.HasPrefix(d, b+"/") {
					t.Errorf("%s imports %s", pkg, d)
				}
			}
		}
	}
	for _, r := range roles {
		others := slices.DeleteFunc(slices.Clone(roles), func(x string) bool { return x == r })
		forbidden(r, append([]string{"antre/server", "antre/module"}, append(others, modules...)...)...)
	}
	for _, m := range modules {
		others := slices.DeleteFunc(slices.Clone(modules), func(x string) bool { return x == m })
		forbidden(m, append([]string{"antre/server"}, append(others, roles...)...)...)
	}
	// The demo-data generator drives the hub from above; nothing it drives may depend on it.
	for _, p := range append(append([]string{"antre/server", "antre/hq"}, modules...), roles...) {
		forbidden(p, "antre/demodata")
	}
	// Headquarters is a tier of its own: it shares with the hub only the domain, the link's
	// protocol and the figures' rules, never the hub, its store or its modules.
	forbidden("antre/hq", append([]string{"antre/server", "antre/module"}, append(modules, roles...)...)...)
	// The SMS gateways' adapters serve an office's SMS module and headquarters alike: a leaf.
	if deps := projectDeps(t, "antre/smsgw"); len(deps) > 0 {
		t.Errorf("antre/smsgw imports %v; it imports nothing of the project", deps)
	}
	for _, p := range []string{"antre/client", "antre/module", "antre/printers", "antre/tally", "antre/hqwire"} {
		for _, d := range projectDeps(t, p) {
			if d != "antre" {
				t.Errorf("%s imports %s; it may depend on the domain alone", p, d)
			}
		}
	}
}
