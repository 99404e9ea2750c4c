package antre

import "fmt"

// Group is a service group (seed 001, "Sistem Antrian OSS"): tickets of a group share a prefix
// and a daily quota. The default office has groups A–F; an office may rename or re-quota them.
type Group struct {
	Code   string `json:"code"`
	NameID string `json:"name_id"`
	NameEN string `json:"name_en"`
	// Prefix starts every ticket code of the group (A001 …); it is one capital letter.
	Prefix string `json:"prefix"`
	Quota  Quota  `json:"quota"`
}

// Name returns the group's name in lang ("en" for English, Indonesian otherwise).
func (g Group) Name(lang string) string {
	if lang == "en" && g.NameEN != "" {
		return g.NameEN
	}
	return g.NameID
}

// Pool is the part of a group's daily quota a ticket draws on. Walk-in applicants use the
// walk-in pool, applicants who booked online the online pool (20% of the quota by default), and
// dispensation holders (elderly, disabled, pregnant, toddler, VIP/VVIP) the priority pool.
type Pool string

// The quota pools.
const (
	PoolWalkIn   Pool = "walkin"
	PoolOnline   Pool = "online"
	PoolPriority Pool = "priority"
)

// Pools lists every pool in display order.
var Pools = []Pool{PoolWalkIn, PoolOnline, PoolPriority}

// Valid reports whether p is one of the three pools.
func (p Pool) Valid() bool {
	return p == PoolWalkIn || p == PoolOnline || p == PoolPriority
}

// Quota is a group's daily quota split into pools. A pool of 0 issues nothing from that pool.
type Quota struct {
	WalkIn   int `json:"walkin"`
	Online   int `json:"online"`
	Priority int `json:"priority"`
}

// Of returns the quota of pool p.
func (q Quota) Of(p Pool) int {
	switch p {
	case PoolWalkIn:
		return q.WalkIn
	case PoolOnline:
		return q.Online
	case PoolPriority:
		return q.Priority
	}
	return 0
}

// Total is the day's quota over all pools.
func (q Quota) Total() int { return q.WalkIn + q.Online + q.Priority }

// SplitQuota splits a group's daily total into pools: onlinePct percent online and priorityPct
// percent priority, each rounded to the nearest ticket, the rest walk-in.
func SplitQuota(total, onlinePct, priorityPct int) Quota {
	on := (total*onlinePct + 50) / 100
	pr := (total*priorityPct + 50) / 100
	if on+pr > total {
		pr = total - on
	}
	return Quota{WalkIn: total - on - pr, Online: on, Priority: pr}
}

// MaxNumber is the highest ticket number of a day: codes are a prefix and three digits.
const MaxNumber = 999

// Validate checks the rules of a group definition.
func (g Group) Validate() error {
	if len(g.Code) != 1 || g.Code[0] < 'A' || g.Code[0] > 'Z' {
		return fmt.Errorf("group code %q must be one capital letter", g.Code)
	}
	if len(g.Prefix) != 1 || g.Prefix[0] < 'A' || g.Prefix[0] > 'Z' {
		return fmt.Errorf("group %s: prefix %q must be one capital letter", g.Code, g.Prefix)
	}
	if g.NameID == "" {
		return fmt.Errorf("group %s: Indonesian name is required", g.Code)
	}
	if g.Quota.WalkIn < 0 || g.Quota.Online < 0 || g.Quota.Priority < 0 {
		return fmt.Errorf("group %s: quota must not be negative", g.Code)
	}
	if g.Quota.Total() > MaxNumber {
		return fmt.Errorf("group %s: daily quota %d exceeds %d tickets", g.Code, g.Quota.Total(), MaxNumber)
	}
	return nil
}

// DefaultGroups are the six service groups of seed 001, with the field study's daily quota of 60
// split 20% online and 10% priority.
func DefaultGroups() []Group {
	q := SplitQuota(60, 20, 10)
	return []Group{
		{Code: "A", Prefix: "A", Quota: q, NameID: "Paspor baru 24 dan 48 halaman", NameEN: "New passport, 24 or 48 pages"},
		{Code: "B", Prefix: "B", Quota: q, NameID: "Penggantian paspor habis berlaku / halaman penuh", NameEN: "Replacement: expired or pages full"},
		{Code: "C", Prefix: "C", Quota: q, NameID: "Penggantian paspor hilang / rusak / ex SPLP", NameEN: "Replacement: lost or damaged"},
		{Code: "D", Prefix: "D", Quota: q, NameID: "Penanganan khusus / disabilitas", NameEN: "Special handling / disability"},
		{Code: "E", Prefix: "E", Quota: q, NameID: "Pengambilan paspor", NameEN: "Passport pickup"},
		{Code: "F", Prefix: "F", Quota: q, NameID: "Perubahan data", NameEN: "Change of data"},
	}
}

// Counter is a service counter (loket) and the groups its officers serve. Counters are addressed
// by their number, as announced ("silakan menuju loket tiga").
type Counter struct {
	Number int      `json:"number"`
	Name   string   `json:"name"`
	Groups []string `json:"groups"`
}

// Serves reports whether the counter serves group code g.
func (c Counter) Serves(g string) bool {
	for _, x := range c.Groups {
		if x == g {
			return true
		}
	}
	return false
}
