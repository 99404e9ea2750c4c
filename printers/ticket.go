package printers

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"antre"
)

// TicketPrint is how an office prints the hub's tickets: what it adds to the hub's answer.
type TicketPrint struct {
	// Office is the name of the passport office, printed first.
	Office string
	// Location is the office's time zone, in which the issue time is printed; nil keeps the
	// ticket's own.
	Location *time.Location
	// Footer lines close the ticket, e.g. "Layanan ini GRATIS. Tolak calo." and fee lines.
	Footer []string
	// Lang chooses the labels and the group's name: "id" (the default when empty) or "en".
	Lang string
	// Mark, when set, is printed in place of the priority mark (a test page's
	// "BUKAN NOMOR ANTREAN").
	Mark string
}

// TicketLayout lays out t, the hub's answer to an issue, as p prints it: office, service group,
// "NOMOR ANTREAN" and the code very large, the priority mark, date and time, the visitors ahead
// and the estimated wait, the arrival period, the Code128 of the code, the QR of the status URL
// with a caption, and the footer. Labels are Indonesian unless p.Lang is "en". The ticket's
// code is required; a line whose value the ticket lacks is left out.
func TicketLayout(t antre.IssuedTicket, p TicketPrint) (Layout, error) {
	if strings.TrimSpace(t.Code) == "" {
		return Layout{}, errors.New("printers: ticket has no code")
	}
	lb, err := labelsFor(p.Lang)
	if err != nil {
		return Layout{}, err
	}
	issued := t.IssuedAt
	if p.Location != nil {
		issued = issued.In(p.Location)
	}
	name := t.GroupName
	if p.Lang == "en" && t.GroupNameEN != "" {
		name = t.GroupNameEN
	}
	mark := p.Mark
	if mark == "" {
		mark = t.PriorityMark(p.Lang)
	}
	wait := time.Duration(t.EstimatedWaitMinutes) * time.Minute
	var els []Element
	add := func(e ...Element) { els = append(els, e...) }
	if p.Office != "" {
		add(Text{Text: p.Office, Align: AlignCenter, Bold: true, Size: 1})
	}
	if group := strings.TrimSpace(joinNonEmpty(" - ", t.Group, name)); group != "" {
		add(Text{Text: group, Align: AlignCenter})
	}
	add(Rule{},
		Text{Text: lb.number, Align: AlignCenter},
		Text{Text: t.Code, Align: AlignCenter, Bold: true, Size: 6})
	if mark != "" {
		add(Text{Text: " " + mark + " ", Align: AlignCenter, Bold: true, Size: 2, Invert: true})
	}
	add(Text{Text: lb.dateTime(issued), Align: AlignCenter}, Rule{},
		Text{Text: fmt.Sprintf(lb.ahead, t.Ahead)})
	if wait > 0 {
		add(Text{Text: fmt.Sprintf(lb.wait, lb.duration(wait))})
	}
	if t.ArrivalPeriod != "" {
		add(Text{Text: fmt.Sprintf(lb.arrival, t.ArrivalPeriod)})
	}
	add(Feed{Lines: 1}, Barcode{Symbology: Code128, Data: t.Code})
	if t.StatusURL != "" {
		add(Feed{Lines: 1}, Barcode{Symbology: QR, Data: t.StatusURL},
			Text{Text: lb.scan, Align: AlignCenter})
	}
	if len(p.Footer) > 0 {
		add(Rule{})
		for _, f := range p.Footer {
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
