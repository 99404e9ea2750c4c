package workflow

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"antre"
	"antre/printers"
)

// Config is the workflow module's configuration, under the key `workflow` of the hub's
// configuration (ANTRE_WORKFLOW_… in the environment).
type Config struct {
	// CompletionDays is the completion promised to the applicant, in working days after the
	// payment's business date (seed 001: cut from 5 to 3).
	CompletionDays int `mapstructure:"completion_days"`
	// AtRiskPercent is the share of the promised time after which a file not yet ready raises
	// an "at risk" alert; past the promised day's closing time it is late.
	AtRiskPercent int `mapstructure:"at_risk_percent"`
	// MaxRetakes is how many times a failed biometric verification is retaken before the
	// adjudicator decides.
	MaxRetakes int `mapstructure:"max_retakes"`
	// Fees is the PNBP fee per application kind, in rupiah (new, replacement, lost, damaged,
	// change). A kind left out keeps its default.
	Fees map[string]int64 `mapstructure:"fees"`
	// Checklists are the documents the OSS desk checks per kind; "a|b|c" is one requirement any
	// of whose documents will do. A kind left out keeps its default.
	Checklists map[string][]string `mapstructure:"checklists"`
	// QA are the security features the printing desk checks on every printed passport.
	QA []string `mapstructure:"qa"`
	// Checks configures the outside checks (cekal, duplicate, biometric, identity).
	Checks map[string]CheckConfig `mapstructure:"checks"`
	// Desks are the desks with a receipt printer.
	Desks []DeskConfig `mapstructure:"desks"`
	// StatusPerMinute and StatusBurst limit the public status look-ups per client address.
	StatusPerMinute int `mapstructure:"status_per_minute"`
	StatusBurst     int `mapstructure:"status_burst"`
	// StatusFloor is the time every public status answer takes at least, found or not, so an
	// application number's existence cannot be told by the answer's timing.
	StatusFloor time.Duration `mapstructure:"status_floor"`
	// AlertInterval is how often the worker looks for files at risk or late and retries checks
	// that have not answered.
	AlertInterval time.Duration `mapstructure:"alert_interval"`
	// ListDir is where the office-local check lists live (default DATA/lists).
	ListDir string `mapstructure:"list_dir"`
}

// CheckConfig is how one outside check is answered. Adapter "list" reads an office-local list
// file (File, default LIST_DIR/KIND.txt): a missing or unreadable file is pending, never clear.
// Adapter "http" asks a service (URL) with a time-out per attempt and retries; no answer is
// pending. Adapter "none" leaves the check pending, so no file passes adjudication.
type CheckConfig struct {
	Adapter string        `mapstructure:"adapter"`
	File    string        `mapstructure:"file"`
	URL     string        `mapstructure:"url"`
	Token   string        `mapstructure:"token"`
	Timeout time.Duration `mapstructure:"timeout"`
	Retries int           `mapstructure:"retries"`
}

// DeskConfig is a desk (an OSS desk, the pickup counter) with its receipt printer: an address
// printers.Open takes (tcp:HOST:PORT, usb:/dev/usb/lp0, file:PATH) and its paper (58, 80,
// 80-180).
type DeskConfig struct {
	Name    string `mapstructure:"name"`
	Printer string `mapstructure:"printer"`
	Paper   string `mapstructure:"paper"`
}

// DefaultConfig returns the defaults: 3 working days, at risk past 75%, 2 retakes, the PNBP
// fees of PP 28/2019 for an ordinary 48-page passport (Rp350,000; a lost passport adds
// Rp1,000,000 and a damaged one Rp500,000), the usual documents, the security features of the
// quality check, office-local lists for every check (an HTTP service is asked with 5 s per
// attempt and 2 retries), 20 look-ups a minute per client (burst 10)
// answered in no less than 40 ms, alerts and check retries every minute.
func DefaultConfig() Config {
	return Config{
		CompletionDays: 3,
		AtRiskPercent:  75,
		MaxRetakes:     2,
		Fees:           map[string]int64{"new": 350000, "replacement": 350000, "lost": 1350000, "damaged": 850000, "change": 350000},
		Checklists: map[string][]string{
			"new":         {"ktp", "kk", "birth_certificate|diploma|marriage_book"},
			"replacement": {"ktp", "old_passport"},
			"lost":        {"ktp", "kk", "birth_certificate|diploma|marriage_book", "police_report"},
			"damaged":     {"ktp", "kk", "birth_certificate|diploma|marriage_book", "old_passport"},
			"change":      {"ktp", "kk", "old_passport", "change_evidence"},
		},
		QA: []string{"data_page", "photo", "hologram", "uv_features", "microtext", "lamination"},
		Checks: map[string]CheckConfig{
			"cekal":     {Adapter: "list", Timeout: 5 * time.Second, Retries: 2},
			"duplicate": {Adapter: "list", Timeout: 5 * time.Second, Retries: 2},
			"biometric": {Adapter: "list", Timeout: 5 * time.Second, Retries: 2},
			"identity":  {Adapter: "list", Timeout: 5 * time.Second, Retries: 2},
		},
		StatusPerMinute: 20,
		StatusBurst:     10,
		StatusFloor:     40 * time.Millisecond,
		AlertInterval:   time.Minute,
	}
}

// complete fills what the configuration leaves out from the defaults and checks the rest;
// data is the hub's data directory.
func (c *Config) complete(data string) error {
	d := DefaultConfig()
	if c.CompletionDays == 0 {
		c.CompletionDays = d.CompletionDays
	}
	if c.AtRiskPercent == 0 {
		c.AtRiskPercent = d.AtRiskPercent
	}
	fees := map[string]int64{}
	for k, v := range d.Fees {
		fees[k] = v
	}
	for k, v := range c.Fees {
		fees[strings.ToLower(k)] = v
	}
	c.Fees = fees
	lists := map[string][]string{}
	for k, v := range d.Checklists {
		lists[k] = v
	}
	for k, v := range c.Checklists {
		lists[strings.ToLower(k)] = v
	}
	c.Checklists = lists
	if len(c.QA) == 0 {
		c.QA = d.QA
	}
	checks := map[string]CheckConfig{}
	for k, v := range d.Checks {
		checks[k] = v
	}
	for k, v := range c.Checks {
		checks[strings.ToLower(k)] = v
	}
	c.Checks = checks
	if c.ListDir == "" {
		c.ListDir = filepath.Join(data, "lists")
	}
	if c.StatusPerMinute == 0 {
		c.StatusPerMinute = d.StatusPerMinute
	}
	if c.StatusBurst == 0 {
		c.StatusBurst = d.StatusBurst
	}
	if c.AlertInterval == 0 {
		c.AlertInterval = d.AlertInterval
	}
	switch {
	case c.CompletionDays < 1 || c.CompletionDays > 60:
		return fmt.Errorf("workflow.completion_days must be 1 to 60")
	case c.AtRiskPercent < 1 || c.AtRiskPercent > 100:
		return fmt.Errorf("workflow.at_risk_percent must be 1 to 100")
	case c.MaxRetakes < 0:
		return fmt.Errorf("workflow.max_retakes must not be negative")
	case c.StatusPerMinute < 1 || c.StatusBurst < 1 || c.StatusFloor < 0:
		return fmt.Errorf("workflow.status_per_minute and status_burst must be positive, status_floor not negative")
	case c.AlertInterval < 10*time.Millisecond:
		return fmt.Errorf("workflow.alert_interval must be at least 10ms")
	}
	for _, k := range antre.Kinds {
		if c.Fees[string(k)] < 0 {
			return fmt.Errorf("workflow.fees.%s must not be negative", k)
		}
	}
	for k := range c.Fees {
		if !antre.ApplicationKind(k).Valid() {
			return fmt.Errorf("workflow.fees: unknown kind %q", k)
		}
	}
	for k := range c.Checklists {
		if !antre.ApplicationKind(k).Valid() {
			return fmt.Errorf("workflow.checklists: unknown kind %q", k)
		}
	}
	for k, cc := range c.Checks {
		if !slices.Contains(antre.CheckKinds, antre.CheckKind(k)) {
			return fmt.Errorf("workflow.checks: unknown check %q (want cekal, duplicate, biometric, identity)", k)
		}
		switch cc.Adapter {
		case "list", "none":
		case "http":
			if cc.URL == "" {
				return fmt.Errorf("workflow.checks.%s.url is required for the http adapter", k)
			}
			if cc.Retries < 0 || cc.Timeout < 0 {
				return fmt.Errorf("workflow.checks.%s: timeout and retries must not be negative", k)
			}
		default:
			return fmt.Errorf("workflow.checks.%s.adapter must be list, http or none, not %q", k, cc.Adapter)
		}
	}
	seen := map[string]bool{}
	for i, dc := range c.Desks {
		if dc.Name == "" || seen[dc.Name] {
			return fmt.Errorf("workflow.desks[%d]: a desk needs a name of its own", i)
		}
		seen[dc.Name] = true
		if _, err := printers.ParseAddr(dc.Printer); err != nil {
			return fmt.Errorf("workflow.desks[%d] (%s): %w", i, dc.Name, err)
		}
		if dc.Paper == "" {
			c.Desks[i].Paper = "80"
		}
		if _, err := printers.ProfileByName(c.Desks[i].Paper); err != nil {
			return fmt.Errorf("workflow.desks[%d] (%s): %w", i, dc.Name, err)
		}
	}
	return nil
}

// requirements turns a kind's checklist into its requirements, each a list of documents any of
// which will do.
func (c *Config) requirements(k antre.ApplicationKind) [][]string {
	var out [][]string
	for _, r := range c.Checklists[string(k)] {
		out = append(out, strings.Split(r, "|"))
	}
	return out
}

// documentsComplete reports whether the checked documents meet every requirement of kind k.
func (c *Config) documentsComplete(k antre.ApplicationKind, checked []string) bool {
	for _, req := range c.requirements(k) {
		ok := false
		for _, d := range req {
			ok = ok || slices.Contains(checked, d)
		}
		if !ok {
			return false
		}
	}
	return true
}
