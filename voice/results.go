package voice

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"antre"
)

// ResultsQuery asks for the index of a period (business dates From to To, both included),
// optionally of one service group or one counter, optionally broken down By day, month,
// quarter, year, group or counter.
type ResultsQuery struct {
	From, To string
	Group    string
	Counter  int
	By       string
}

// ElementResult is one element's result with its name.
type ElementResult struct {
	antre.ElementScore
	Name Text `json:"name"`
}

// Row is one line of a breakdown: its key (a date, 2026-11, 2026-Q4, 2026, a group or a
// counter), its responses and finished tickets, the share of those answered, and its index.
type Row struct {
	Key          string                `json:"key"`
	Responses    int                   `json:"responses"`
	Tickets      int                   `json:"tickets"`
	SharePercent *float64              `json:"share_percent"`
	Index        *float64              `json:"index"`
	Category     antre.QualityCategory `json:"category"`
}

// Results are the survey's results for a period as the regulation's report asks: the index
// and its category, the response count and the share of finished tickets answered, each
// element's NRR with the lowest marked (and listed in Lowest), the respondents' profile, and
// the breakdown asked for. Responses given under another regulation (before the office
// changed it) are counted in OtherRegulation only.
type Results struct {
	Regulation      antre.Regulation          `json:"regulation"`
	From            string                    `json:"from"`
	To              string                    `json:"to"`
	Group           string                    `json:"group,omitempty"`
	Counter         int                       `json:"counter,omitempty"`
	Responses       int                       `json:"responses"`
	Tickets         int                       `json:"tickets"`
	SharePercent    *float64                  `json:"share_percent"`
	Index           *float64                  `json:"index"`
	Category        antre.QualityCategory     `json:"category"`
	CategoryName    Text                      `json:"category_name"`
	Elements        []ElementResult           `json:"elements"`
	Lowest          []int                     `json:"lowest"`
	Profile         map[string]map[string]int `json:"profile"`
	OtherRegulation int                       `json:"other_regulation"`
	By              string                    `json:"by,omitempty"`
	Breakdown       []Row                     `json:"breakdown,omitempty"`
}

// ParsePeriod turns a period as people name it into business dates: a day (2026-11-25), a
// month (2026-11), a quarter (2026-Q4) or a year (2026).
func ParsePeriod(p string) (from, to string, err error) {
	p = strings.ToUpper(strings.TrimSpace(p))
	bad := antre.Errorf(antre.EINVALID, msgBadPeriod, "period %q", truncate(p, 20))
	switch {
	case len(p) == 10:
		if _, err := time.Parse(time.DateOnly, p); err != nil {
			return "", "", bad
		}
		return p, p, nil
	case len(p) == 7 && p[4] == '-' && p[5] != 'Q':
		d, err := time.Parse("2006-01", p)
		if err != nil {
			return "", "", bad
		}
		return d.Format(time.DateOnly), d.AddDate(0, 1, -1).Format(time.DateOnly), nil
	case len(p) == 7 && p[4] == '-' && p[5] == 'Q':
		y, err1 := strconv.Atoi(p[:4])
		q, err2 := strconv.Atoi(p[6:])
		if err1 != nil || err2 != nil || q < 1 || q > 4 || y < 2000 {
			return "", "", bad
		}
		d := time.Date(y, time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, time.UTC)
		return d.Format(time.DateOnly), d.AddDate(0, 3, -1).Format(time.DateOnly), nil
	case len(p) == 4:
		y, err := strconv.Atoi(p)
		if err != nil || y < 2000 {
			return "", "", bad
		}
		return fmt.Sprintf("%04d-01-01", y), fmt.Sprintf("%04d-12-31", y), nil
	}
	return "", "", bad
}

// byKey is the breakdown key of a response or finish.
func byKey(by, date, group string, counter int) string {
	switch by {
	case "day":
		return date
	case "month":
		return date[:7]
	case "quarter":
		m, _ := strconv.Atoi(date[5:7])
		return fmt.Sprintf("%s-Q%d", date[:4], (m+2)/3)
	case "year":
		return date[:4]
	case "group":
		return group
	case "counter":
		return strconv.Itoa(counter)
	}
	return ""
}

// share is part of whole in percent to one decimal, or nil without a whole.
func share(part, whole int) *float64 {
	if whole == 0 {
		return nil
	}
	v := float64((2000*part+whole)/(2*whole)) / 10
	return &v
}

// Results computes the survey's results for q. A period must be real dates in order; by must
// be one of the breakdowns.
func (m *Module) Results(ctx context.Context, q ResultsQuery) (Results, error) {
	for _, d := range []string{q.From, q.To} {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return Results{}, antre.Errorf(antre.EINVALID, msgBadPeriod, "date %q", truncate(d, 20))
		}
	}
	if q.From > q.To {
		return Results{}, antre.Errorf(antre.EINVALID, msgBadPeriod, "from %s after to %s", q.From, q.To)
	}
	switch q.By {
	case "", "day", "month", "quarter", "year", "group", "counter":
	default:
		return Results{}, antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "breakdown %q", truncate(q.By, 20)).WithArgs("by")
	}
	reg := m.form.Regulation
	where, args := `business_date BETWEEN ? AND ?`, []any{q.From, q.To}
	if q.Group != "" {
		where, args = where+` AND grp = ?`, append(args, q.Group)
	}
	if q.Counter != 0 {
		where, args = where+` AND counter = ?`, append(args, q.Counter)
	}
	out := Results{Regulation: reg, From: q.From, To: q.To, Group: q.Group, Counter: q.Counter, By: q.By,
		Profile: map[string]map[string]int{}, Lowest: []int{}}
	for _, pq := range m.form.Profile {
		out.Profile[pq.Key] = map[string]int{}
	}
	all := antre.NewTally(reg)
	parts := map[string]*antre.Tally{}
	tickets := map[string]int{}
	rows, err := m.db.QueryContext(ctx, `SELECT business_date, grp, counter, regulation, answers, profile FROM voice_responses WHERE `+where, args...)
	if err != nil {
		return out, err
	}
	for rows.Next() {
		var date, group, r, answers, profile string
		var counter int
		if err := rows.Scan(&date, &group, &counter, &r, &answers, &profile); err != nil {
			rows.Close()
			return out, err
		}
		if antre.Regulation(r) != reg {
			out.OtherRegulation++
			continue
		}
		var a []int
		if err := json.Unmarshal([]byte(answers), &a); err != nil || all.Add(a) != nil {
			m.log.Warn("survey response unreadable", "group", group, "counter", counter, "date", date)
			continue
		}
		if q.By != "" {
			k := byKey(q.By, date, group, counter)
			if parts[k] == nil {
				parts[k] = antre.NewTally(reg)
			}
			parts[k].Add(a)
		}
		var p map[string]string
		if json.Unmarshal([]byte(profile), &p) == nil {
			for k, v := range p {
				if out.Profile[k] != nil {
					out.Profile[k][v]++
				}
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	rows, err = m.db.QueryContext(ctx, `SELECT business_date, grp, counter, COUNT(*) FROM voice_finishes WHERE `+where+`
		GROUP BY business_date, grp, counter`, args...)
	if err != nil {
		return out, err
	}
	for rows.Next() {
		var date, group string
		var counter, n int
		if err := rows.Scan(&date, &group, &counter, &n); err != nil {
			rows.Close()
			return out, err
		}
		out.Tickets += n
		if q.By != "" {
			tickets[byKey(q.By, date, group, counter)] += n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	ikm := all.Result()
	out.Responses, out.Index, out.Category = ikm.Responses, ikm.Index, ikm.Category
	out.SharePercent = share(out.Responses, out.Tickets)
	if out.Category != "" {
		out.CategoryName = text(antre.MsgKey("ikm.category." + string(out.Category)))
	}
	for i, e := range ikm.Elements {
		out.Elements = append(out.Elements, ElementResult{ElementScore: e, Name: m.form.Elements[i].Name})
		if e.Lowest {
			out.Lowest = append(out.Lowest, e.Element)
		}
	}
	if q.By != "" {
		keys := map[string]bool{}
		for k := range parts {
			keys[k] = true
		}
		for k := range tickets {
			keys[k] = true
		}
		for k := range keys {
			row := Row{Key: k, Tickets: tickets[k]}
			if t := parts[k]; t != nil {
				r := t.Result()
				row.Responses, row.Index, row.Category = r.Responses, r.Index, r.Category
			}
			row.SharePercent = share(row.Responses, row.Tickets)
			out.Breakdown = append(out.Breakdown, row)
		}
		sort.Slice(out.Breakdown, func(i, j int) bool {
			a, b := out.Breakdown[i].Key, out.Breakdown[j].Key
			if q.By == "counter" {
				x, _ := strconv.Atoi(a)
				y, _ := strconv.Atoi(b)
				return x < y
			}
			return a < b
		})
	}
	return out, nil
}

// lastMonth is the period of the calendar month before the office's business date now.
func (m *Module) lastMonth() (string, string) {
	d, _ := time.Parse(time.DateOnly, m.businessDate())
	first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	return first.Format(time.DateOnly), first.AddDate(0, 1, -1).Format(time.DateOnly)
}
