package sms

import (
	"strings"
	"testing"

	"antre"
)

// TestTemplatesFitOnePart: every template in code, in both languages, with realistic values
// is one GSM-7 part.
func TestTemplatesFitOnePart(t *testing.T) {
	for name, def := range defaultTemplates {
		for _, body := range []string{def.id, def.en} {
			text := render(body, def.params)
			if strings.Contains(text, "{") {
				t.Errorf("%s: unfilled placeholder in %q", name, text)
			}
			c, n := PartCount(text)
			if c != GSM7 || n != 1 {
				t.Errorf("%s: %v in %d parts (%d chars): %q", name, c, n, len(text), text)
			}
			if err := checkTemplate(name, body, 1); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
}

func TestCheckTemplate(t *testing.T) {
	if err := checkTemplate(tplCalled, "Nomor {code} ke loket {counter}", 1); err != nil {
		t.Errorf("valid edit refused: %v", err)
	}
	if err := checkTemplate(tplCalled, "Nomor {code} ke {name}", 1); antre.ErrorCode(err) != antre.EINVALID {
		t.Errorf("unknown placeholder: got %v", err)
	}
	if err := checkTemplate(tplCalled, strings.Repeat("panjang ", 30), 1); antre.ErrorCode(err) != antre.EINVALID {
		t.Errorf("too long: got %v", err)
	}
	if err := checkTemplate("nope", "x", 1); antre.ErrorCode(err) != antre.ENOTFOUND {
		t.Errorf("unknown template: got %v", err)
	}
}

// TestNormalizePhone checks the numbers the module stores and answers to, as the hub
// normalises them.
func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"0812-3456-789", "628123456789", true},
		{"+62 812 3456 789", "628123456789", true},
		{"628123456789", "628123456789", true},
		{"(0812) 3456.7890", "6281234567890", true},
		{"0812345678901234", "", false},
		{"08123", "", false},
		{"021-555-1234", "", false},
		{"+65 8123 4567", "", false},
		{"0812abc", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		got, err := antre.NormalizePhone(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
		if !tc.ok && antre.ErrorCode(err) != antre.EINVALID {
			t.Errorf("NormalizePhone(%q): error code %s, want invalid", tc.in, antre.ErrorCode(err))
		}
	}
	if got := inboundPhone("+6281234567890"); got != "6281234567890" {
		t.Errorf("inboundPhone: %q", got)
	}
	if got := inboundPhone("+6581234567"); got != "6581234567" {
		t.Errorf("inboundPhone of a foreign number: %q", got)
	}
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		text string
		want Command
	}{
		{"STATUS 1234567890", Command{Kind: CmdStatus, Arg: "1234567890", Lang: "id"}},
		{"status 1234-5678-90", Command{Kind: CmdStatus, Arg: "1234567890", Lang: "id"}},
		{"  Status#ab12/34 ", Command{Kind: CmdStatus, Arg: "AB12/34", Lang: "id"}},
		{"ANTRI A012", Command{Kind: CmdQueue, Arg: "A012", Lang: "id"}},
		{"antri a-012", Command{Kind: CmdQueue, Arg: "A012", Lang: "id"}},
		{"antrean:b007", Command{Kind: CmdQueue, Arg: "B007", Lang: "id"}},
		{"queue c003", Command{Kind: CmdQueue, Arg: "C003", Lang: "en"}},
		{"ANTRI", Command{Kind: CmdQueue, Lang: "id"}},
		{"KUOTA", Command{Kind: CmdQuota, Lang: "id"}},
		{"kuota hari ini", Command{Kind: CmdQuota, Arg: "HARIINI", Lang: "id"}},
		{"Quota", Command{Kind: CmdQuota, Lang: "en"}},
		{"STOP", Command{Kind: CmdStop, Lang: "id"}},
		{"berhenti", Command{Kind: CmdStop, Lang: "id"}},
		{"Mulai", Command{Kind: CmdStart, Lang: "id"}},
		{"start", Command{Kind: CmdStart, Lang: "en"}},
		{"INFO", Command{Kind: CmdHelp, Lang: "id"}},
		{"bantuan", Command{Kind: CmdHelp, Lang: "id"}},
		{"help", Command{Kind: CmdHelp, Lang: "en"}},
		{"ADUAN petugas loket 2 minta uang: Rp 50.000", Command{Kind: CmdComplaint, Arg: "PETUGASLOKET2MINTAUANGRP50000",
			Text: "petugas loket 2 minta uang: Rp 50.000", Lang: "id"}},
		{"complaint  the toilet is broken ", Command{Kind: CmdComplaint, Arg: "THETOILETISBROKEN", Text: "the toilet is broken", Lang: "en"}},
		{"halo pak", Command{Kind: CmdHelp, Lang: "id", Unknown: true}},
		{"", Command{Kind: CmdHelp, Lang: "id", Unknown: true}},
		{"STATUSX 1", Command{Kind: CmdHelp, Lang: "id", Unknown: true}},
	}
	for _, tc := range tests {
		if got := ParseCommand(tc.text); got != tc.want {
			t.Errorf("ParseCommand(%q) = %+v, want %+v", tc.text, got, tc.want)
		}
	}
}
