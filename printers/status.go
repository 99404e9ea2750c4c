package printers

import (
	"fmt"
	"slices"
	"strings"
)

// Status is what a printer reports about itself through DLE EOT 1, 2 and 4. A printer that
// cannot report (a file, a one-way link) has a Status that is not Known, and such a status
// never stops printing.
type Status struct {
	// Known is false when the link cannot read status; the other fields are then meaningless.
	Known bool
	// Online is false while the printer refuses to print: cover open, paper out, an error,
	// or paper being fed by the button.
	Online bool
	// CoverOpen is set while the roll cover is open.
	CoverOpen bool
	// PaperNearEnd is set when the roll is nearly used up; printing still works.
	PaperNearEnd bool
	// PaperOut is set when the roll is used up and printing has stopped.
	PaperOut bool
	// Failed is set after an error the printer reports as such: a cutter jam, an overheated
	// head or another mechanical fault.
	Failed bool
}

// DecodeStatus decodes the replies to DLE EOT 1 (printer), DLE EOT 2 (offline cause) and
// DLE EOT 4 (paper roll sensor). Every reply has bit 1 and bit 4 set and bits 0 and 7 clear,
// so 0x12 is the all-clear byte; a byte that breaks that pattern is not a status reply and is
// an error. The bits read are, for n=1: bit 3 offline; n=2: bit 2 cover open, bit 5 stopped at
// paper end, bit 6 error; n=4: bits 2–3 paper near end, bits 5–6 paper out.
func DecodeStatus(printer, offline, paper byte) (Status, error) {
	for i, b := range [...]byte{printer, offline, paper} {
		if b&0x93 != 0x12 {
			return Status{}, fmt.Errorf("printers: %#02x is not a reply to DLE EOT %d", b, [...]int{1, 2, 4}[i])
		}
	}
	return Status{
		Known:        true,
		Online:       printer&0x08 == 0,
		CoverOpen:    offline&0x04 != 0,
		PaperNearEnd: paper&0x0c != 0,
		PaperOut:     paper&0x60 != 0 || offline&0x20 != 0,
		Failed:       offline&0x40 != 0,
	}, nil
}

// Problems lists why the printer cannot print, most specific first: a cover open, paper out or
// an error explain being offline, so Offline is listed only when nothing else does.
func (s Status) Problems() []Problem {
	if !s.Known {
		return nil
	}
	var ps []Problem
	if s.PaperOut {
		ps = append(ps, PaperOut)
	}
	if s.CoverOpen {
		ps = append(ps, CoverOpen)
	}
	if s.Failed {
		ps = append(ps, Failure)
	}
	if len(ps) == 0 && !s.Online {
		ps = append(ps, Offline)
	}
	return ps
}

// Err returns a *FaultError listing the Problems when there are any, and nil when the printer
// can print or its status is not known. Paper near end is a warning, not a fault.
func (s Status) Err() error {
	if ps := s.Problems(); len(ps) > 0 {
		return &FaultError{Problems: ps}
	}
	return nil
}

// String describes the status in English for logs: "ready", "ready, paper near end",
// "paper out, cover open" or "status unknown".
func (s Status) String() string {
	if !s.Known {
		return "status unknown"
	}
	var parts []string
	for _, p := range s.Problems() {
		parts = append(parts, p.english())
	}
	if len(parts) == 0 {
		parts = append(parts, "ready")
	}
	if s.PaperNearEnd {
		parts = append(parts, "paper near end")
	}
	return strings.Join(parts, ", ")
}

// Problem is one reason a printer cannot print.
type Problem uint8

// Problems a printer reports.
const (
	// Offline: the printer refuses to print for no reason it reports, e.g. paper being fed.
	Offline Problem = iota + 1
	// CoverOpen: the roll cover is open.
	CoverOpen
	// PaperOut: the roll is used up.
	PaperOut
	// Failure: a cutter jam, an overheated head or another fault the printer reports.
	Failure
)

// String names the problem in Indonesian and English, for people at the office.
func (p Problem) String() string { return p.indonesian() + " (" + p.english() + ")" }

func (p Problem) indonesian() string {
	switch p {
	case Offline:
		return "printer tidak siap"
	case CoverOpen:
		return "penutup printer terbuka"
	case PaperOut:
		return "kertas habis"
	case Failure:
		return "printer mengalami kerusakan"
	}
	return "masalah tidak dikenal"
}

func (p Problem) english() string {
	switch p {
	case Offline:
		return "printer offline"
	case CoverOpen:
		return "cover open"
	case PaperOut:
		return "paper out"
	case Failure:
		return "printer error"
	}
	return "unknown problem"
}

// FaultError reports that a printer cannot print, and why. Its message is in Indonesian and
// English: "printer tidak bisa mencetak: kertas habis (paper out)".
type FaultError struct {
	Problems []Problem
}

// Error lists the problems in both languages.
func (e *FaultError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return "printer tidak bisa mencetak / printer cannot print: " + strings.Join(parts, ", ")
}

// Has reports whether p is one of the problems.
func (e *FaultError) Has(p Problem) bool { return slices.Contains(e.Problems, p) }
