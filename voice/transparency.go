package voice

import (
	"context"
	"time"

	"antre"
)

// Call is one call of the day as the public may see it: when, which ticket of which group, at
// which counter, and the rule that chose it (ratio_normal, ratio_priority, fallback_normal,
// fallback_priority, ageing, or specific: an officer called it by its code with a reason,
// which is recorded for the office but not shown here), with the rule's kind (ratio,
// fallback, ageing, specific).
type Call struct {
	At      time.Time `json:"at"`
	Ticket  string    `json:"ticket"`
	Group   string    `json:"group"`
	Counter int       `json:"counter"`
	Reason  string    `json:"reason"`
	Kind    string    `json:"kind"`
}

// reasonKind is the kind of a call's rule.
func reasonKind(r string) string {
	switch r {
	case antre.ReasonRatioNormal, antre.ReasonRatioPriority:
		return "ratio"
	case antre.ReasonFallbackNormal, antre.ReasonFallbackPriority:
		return "fallback"
	case antre.ReasonAgeing, antre.ReasonSpecific:
		return r
	}
	return "other"
}

// DispensationCount is how many dispensations of one category were granted on the day,
// declared at the kiosk or granted by an officer; who and why stay with the office.
type DispensationCount struct {
	Category antre.Category `json:"category"`
	Count    int            `json:"count"`
}

// LastMonth is the index of the last calendar month: its period, regulation, responses, index
// and category.
type LastMonth struct {
	From       string                `json:"from"`
	To         string                `json:"to"`
	Regulation antre.Regulation      `json:"regulation"`
	Responses  int                   `json:"responses"`
	Index      *float64              `json:"index"`
	Category   antre.QualityCategory `json:"category"`
}

// Transparency is the public record of a day that makes every jump in the queue visible: the
// calls in order with why each was chosen, the dispensations by category, and the last
// month's satisfaction index. (The passport workflow's out-of-order takes are its own public
// view, GET /api/v1/stages, which the page shows beside these.)
type Transparency struct {
	Date          string              `json:"date"`
	Calls         []Call              `json:"calls"`
	Specific      int                 `json:"specific"`
	Dispensations []DispensationCount `json:"dispensations"`
	LastMonth     LastMonth           `json:"index_last_month"`
}

// Transparency returns the record of business date (today when empty).
func (m *Module) Transparency(ctx context.Context, date string) (Transparency, error) {
	if date == "" {
		date = m.businessDate()
	}
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return Transparency{}, antre.Errorf(antre.EINVALID, msgBadPeriod, "date %q", truncate(date, 20))
	}
	out := Transparency{Date: date, Calls: []Call{}, Dispensations: []DispensationCount{}}
	rows, err := m.db.QueryContext(ctx, `SELECT at, ticket, grp, counter, reason FROM voice_calls WHERE business_date = ? ORDER BY id`, date)
	if err != nil {
		return out, err
	}
	for rows.Next() {
		var c Call
		var at int64
		if err := rows.Scan(&at, &c.Ticket, &c.Group, &c.Counter, &c.Reason); err != nil {
			rows.Close()
			return out, err
		}
		c.At, c.Kind = time.UnixMilli(at).UTC(), reasonKind(c.Reason)
		if c.Kind == antre.ReasonSpecific {
			out.Specific++
		}
		out.Calls = append(out.Calls, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	counts := map[antre.Category]int{}
	rows, err = m.db.QueryContext(ctx, `SELECT category, COUNT(*) FROM voice_dispensations WHERE business_date = ? GROUP BY category`, date)
	if err != nil {
		return out, err
	}
	for rows.Next() {
		var c antre.Category
		var n int
		if err := rows.Scan(&c, &n); err != nil {
			rows.Close()
			return out, err
		}
		counts[c] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	for _, c := range antre.Categories {
		out.Dispensations = append(out.Dispensations, DispensationCount{Category: c, Count: counts[c]})
	}
	from, to := m.lastMonth()
	r, err := m.Results(ctx, ResultsQuery{From: from, To: to})
	if err != nil {
		return out, err
	}
	out.LastMonth = LastMonth{From: from, To: to, Regulation: r.Regulation, Responses: r.Responses, Index: r.Index, Category: r.Category}
	return out, nil
}
