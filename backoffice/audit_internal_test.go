package backoffice

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"antre"
)

// TestEntryMasksPersonalData: whatever an admin change's event carries under a phone or NIK
// key, at any depth, reaches the audit log masked; other values pass unchanged.
func TestEntryMasksPersonalData(t *testing.T) {
	data, _ := json.Marshal(map[string]any{
		"name":   "#7",
		"action": "edited",
		"before": map[string]any{"phone": "6281234567890", "contact": map[string]any{"msisdn": "6285712345678", "nik": "3171015708900001"}},
		"after":  map[string]any{"phones": []any{"6281234567890"}, "note": "6281234567890 stays: not a phone field", "walkin": 3},
	})
	en := entryOf(antre.Event{ID: 1, Type: "sms.retried", At: time.Now(), Actor: "kepala", Data: data})
	all := string(en.Before) + string(en.After)
	for _, raw := range []string{`"6281234567890"`, "6285712345678", "3171015708900001"} {
		if strings.Contains(all, raw) {
			t.Errorf("%s unmasked in %s", raw, all)
		}
	}
	for _, masked := range []string{antre.MaskPhone("6281234567890"), antre.MaskPhone("6285712345678"), antre.MaskNIK("3171015708900001"), `"walkin":3`} {
		if !strings.Contains(all, masked) {
			t.Errorf("%s missing from %s", masked, all)
		}
	}
	if en.Subject != "#7" || en.Detail != "edited" || en.Actor != "kepala" {
		t.Errorf("entry %+v", en)
	}
}
