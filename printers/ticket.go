package printers

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Ticket is what a kiosk prints for a visitor: everything the visitor needs to know while
// waiting, and the codes staff and phones scan.
type Ticket struct {
	// Office is the name of the passport office, printed first.
	Office string
	// GroupCode and GroupName identify the service group (e.g. "A", "Paspor Baru").
	GroupCode, GroupName string
	// Code is the ticket code as it is called (e.g. "A042"): printed very large and encoded
	// in the Code128. It is required.
	Code string
	// IssuedAt is when the ticket was taken; it is printed in Location.
	IssuedAt time.Time
	// Location is the office's time zone; nil keeps IssuedAt's own.
	Location *time.Location
	// Ahead is how many visitors wait before this one.
	Ahead int
	// EstimatedWait is the expected wait, printed in whole minutes rounded up; zero or less
	// leaves the line out.
	EstimatedWait time.Duration
	// ArrivalPeriod is the visit slot the ticket belongs to, e.g. "08:00–12:00"; empty leaves
	// the line out.
	ArrivalPeriod string
	// Priority marks a priority ticket, e.g. "PRIORITAS – Lansia"; printed white on black.
	Priority string
	// StatusURL is the public page of the ticket's status, encoded in the QR; empty leaves the
	// QR out.
	StatusURL string
	// Footer lines close the ticket, e.g. "Layanan ini GRATIS. Tolak calo." and fee lines.
	Footer []string
	// Lang chooses the labels: "id" (the default when empty) or "en".
	Lang string
}

// TicketLayout lays a ticket out: office, service group, "NOMOR ANTREAN" and the code very
// large, the priority mark, date and time, the visitors ahead and the estimated wait, the
// arrival period, the Code128 of the code, the QR of the status URL with a caption, and the
// footer. Labels are Indonesian unless Lang is "en".
func TicketLayout(t Ticket) (Layout, error) {
	if strings.TrimSpace(t.Code) == "" {
		return Layout{}, errors.New("printers: ticket has no code")
	}
	lb, err := labelsFor(t.Lang)
	if err != nil {
		return Layout{}, err
	}
	issued := t.IssuedAt
	if t.Location != nil {
		issued = issued.In(t.Location)
	}
	var els []Element
	add := func(e ...Element) { els = append(els, e...) }
	if t.Office != "" {
		add(Text{Text: t.Office, Align: AlignCenter, Bold: true, Size: 1})
	}
	if group := strings.TrimSpace(joinNonEmpty(" - ", t.GroupCode, t.GroupName)); group != "" {
		add(Text{Text: group, Align: AlignCenter})
	}
	add(Rule{},
		Text{Text: lb.number, Align: AlignCenter},
		Text{Text: t.Code, Align: AlignCenter, Bold: true, Size: 6})
	if t.Priority != "" {
		add(Text{Text: " " + t.Priority + " ", Align: AlignCenter, Bold: true, Size: 2, Invert: true})
	}
	add(Text{Text: lb.dateTime(issued), Align: AlignCenter}, Rule{},
		Text{Text: fmt.Sprintf(lb.ahead, t.Ahead)})
	if t.EstimatedWait > 0 {
		add(Text{Text: fmt.Sprintf(lb.wait, lb.duration(t.EstimatedWait))})
	}
	if t.ArrivalPeriod != "" {
		add(Text{Text: fmt.Sprintf(lb.arrival, t.ArrivalPeriod)})
	}
	add(Feed{Lines: 1}, Barcode{Symbology: Code128, Data: t.Code})
	if t.StatusURL != "" {
		add(Feed{Lines: 1}, Barcode{Symbology: QR, Data: t.StatusURL},
			Text{Text: lb.scan, Align: AlignCenter})
	}
	if len(t.Footer) > 0 {
		add(Rule{})
		for _, f := range t.Footer {
			add(Text{Text: f, Align: AlignCenter})
		}
	}
	return Layout{Title: lb.title + " " + t.Code, Created: t.IssuedAt, Elements: els}, nil
}

func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

// labels is the wording of a ticket in one language.
type labels struct {
	title, number, ahead, wait, arrival, scan string
	days                                      [7]string
	months                                    [12]string
	hours, minutes                            string
}

func labelsFor(lang string) (labels, error) {
	switch lang {
	case "", "id":
		return labels{
			title:   "Antrean",
			number:  "NOMOR ANTREAN",
			ahead:   "Antrean di depan Anda: %d",
			wait:    "Perkiraan tunggu: %s",
			arrival: "Jam kedatangan: %s",
			scan:    "Pindai untuk cek status antrean",
			days:    [7]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"},
			months:  [12]string{"Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"},
			hours:   "jam", minutes: "menit",
		}, nil
	case "en":
		return labels{
			title:   "Ticket",
			number:  "QUEUE NUMBER",
			ahead:   "Waiting ahead of you: %d",
			wait:    "Estimated wait: %s",
			arrival: "Arrival period: %s",
			scan:    "Scan to see your queue status",
			days:    [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
			months:  [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
			hours:   "h", minutes: "min",
		}, nil
	}
	return labels{}, fmt.Errorf("printers: ticket language %q (want id or en)", lang)
}

// dateTime is e.g. "Selasa, 25 Nov 2026 08:15 WIB": short enough for a 58 mm line.
func (lb labels) dateTime(t time.Time) string {
	return fmt.Sprintf("%s, %d %s %d %s", lb.days[t.Weekday()], t.Day(), lb.months[t.Month()-1],
		t.Year(), t.Format("15:04 MST"))
}

// duration is e.g. "1 jam 5 menit", in whole minutes rounded up.
func (lb labels) duration(d time.Duration) string {
	m := int((d + time.Minute - 1) / time.Minute)
	switch {
	case m < 60:
		return fmt.Sprintf("%d %s", m, lb.minutes)
	case m%60 == 0:
		return fmt.Sprintf("%d %s", m/60, lb.hours)
	}
	return fmt.Sprintf("%d %s %d %s", m/60, lb.hours, m%60, lb.minutes)
}
