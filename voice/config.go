package voice

import (
	"fmt"
	"strings"
	"time"

	"antre"
)

// Config is the module's configuration. Its parts are top-level keys of the hub's
// configuration, as an office speaks of them: survey.…, complaints.… and info.… (also
// ANTRE_SURVEY_REGULATION and the like in the environment).
type Config struct {
	Survey     SurveyConfig
	Complaints ComplaintsConfig
	Info       InfoConfig
}

// SurveyConfig configures the satisfaction survey and its index.
type SurveyConfig struct {
	// Regulation is the rule the index follows: permenpanrb-14-2017 (9 elements, the default)
	// or kepmenpan-25-2004 (14 elements).
	Regulation string `mapstructure:"regulation"`
	// Elements are the questionnaire's texts, one per element of the regulation in its order;
	// empty keeps the built-in texts of the regulation (the catalogue's voice.el.… entries).
	Elements []ElementConfig `mapstructure:"elements"`
	// Profile are the optional questions about the respondent that the report groups answers
	// by; empty keeps the built-in ones (age band, sex, education, occupation). Answering them
	// is always optional.
	Profile []ProfileConfig `mapstructure:"profile"`
	// NoProfile asks no questions about the respondent at all.
	NoProfile bool `mapstructure:"no_profile"`
	// TabletWindow is how long after a finish at a counter its feedback tablet offers that
	// ticket's survey; the next finish there replaces it sooner.
	TabletWindow time.Duration `mapstructure:"tablet_window"`
	// ValidDays is how many days after its finish a ticket's survey can still be answered from
	// its QR code or SMS link.
	ValidDays int `mapstructure:"valid_days"`
	// SMSLink sends the survey's link by SMS to a finished ticket that gave a phone number
	// (through the SMS module, when it has a gateway).
	SMSLink bool `mapstructure:"sms_link"`
}

// ElementConfig is one element's texts: its short name, its question and the four answers
// from worst (1) to best (4), in Indonesian and English.
type ElementConfig struct {
	NameID     string   `mapstructure:"name_id"`
	NameEN     string   `mapstructure:"name_en"`
	QuestionID string   `mapstructure:"question_id"`
	QuestionEN string   `mapstructure:"question_en"`
	ScaleID    []string `mapstructure:"scale_id"`
	ScaleEN    []string `mapstructure:"scale_en"`
}

// ProfileConfig is one question about the respondent and its options.
type ProfileConfig struct {
	Key     string          `mapstructure:"key"`
	LabelID string          `mapstructure:"label_id"`
	LabelEN string          `mapstructure:"label_en"`
	Options []ProfileOption `mapstructure:"options"`
}

// ProfileOption is one answer to a profile question; Key is what is stored and counted.
type ProfileOption struct {
	Key string `mapstructure:"key"`
	ID  string `mapstructure:"id"`
	EN  string `mapstructure:"en"`
}

// ComplaintsConfig configures complaint handling.
type ComplaintsConfig struct {
	// DueDays is how many working days the office has to answer a complaint, counted from the
	// business day it was received; an open complaint past its due date is escalated to the
	// head of office.
	DueDays int `mapstructure:"due_days"`
	// CheckInterval is how often the worker looks for overdue complaints (on the hub's clock).
	CheckInterval time.Duration `mapstructure:"check_interval"`
	// PerMinute and Burst limit the public web form's complaints per client address.
	PerMinute int `mapstructure:"per_minute"`
	Burst     int `mapstructure:"burst"`
}

// InfoConfig configures the information kiosk (/info).
type InfoConfig struct {
	// Idle is how long the kiosk waits without a touch before it returns to its start, in
	// Indonesian, with every form emptied.
	Idle time.Duration `mapstructure:"idle"`
	// StatusPerMinute and StatusBurst limit the status look-ups (a ticket, an application or a
	// complaint) per client address; StatusFloor is the least time every answer takes, found
	// or not, so that existence cannot be read from the timing.
	StatusPerMinute int           `mapstructure:"status_per_minute"`
	StatusBurst     int           `mapstructure:"status_burst"`
	StatusFloor     time.Duration `mapstructure:"status_floor"`
}

// DefaultSurveyConfig is PermenPANRB 14/2017 with the built-in texts and profile, a tablet
// that offers a finished ticket's survey for 5 minutes, links valid 7 days, and the SMS link
// on.
func DefaultSurveyConfig() SurveyConfig {
	return SurveyConfig{Regulation: string(antre.RegPermenPANRB2017), TabletWindow: 5 * time.Minute, ValidDays: 7, SMSLink: true}
}

// DefaultComplaintsConfig gives the office 10 working days to answer (about the two weeks the
// public service law allows), looks for overdue complaints every minute, and takes 5 web
// complaints a minute per address (3 at once).
func DefaultComplaintsConfig() ComplaintsConfig {
	return ComplaintsConfig{DueDays: 10, CheckInterval: time.Minute, PerMinute: 5, Burst: 3}
}

// DefaultInfoConfig returns the kiosk to its start after 60 s and allows 30 status look-ups a
// minute per address (10 at once), each answered in no less than 40 ms.
func DefaultInfoConfig() InfoConfig {
	return InfoConfig{Idle: 60 * time.Second, StatusPerMinute: 30, StatusBurst: 10, StatusFloor: 40 * time.Millisecond}
}

// complete fills what c leaves out from the defaults and checks the rest.
func (c *Config) complete() error {
	s, ds := &c.Survey, DefaultSurveyConfig()
	if s.Regulation == "" {
		s.Regulation = ds.Regulation
	}
	s.Regulation = strings.ToLower(strings.TrimSpace(s.Regulation))
	reg := antre.Regulation(s.Regulation)
	if !reg.Valid() {
		return fmt.Errorf("survey.regulation must be %s or %s, not %q", antre.RegPermenPANRB2017, antre.RegKepmenPAN2004, s.Regulation)
	}
	if s.TabletWindow == 0 {
		s.TabletWindow = ds.TabletWindow
	}
	if s.ValidDays == 0 {
		s.ValidDays = ds.ValidDays
	}
	if s.TabletWindow < time.Second || s.ValidDays < 1 || s.ValidDays > 90 {
		return fmt.Errorf("survey.tablet_window must be at least 1s and survey.valid_days 1 to 90")
	}
	if len(s.Elements) > 0 && len(s.Elements) != reg.Elements() {
		return fmt.Errorf("survey.elements has %d entries; %s has %d elements", len(s.Elements), reg, reg.Elements())
	}
	for i, e := range s.Elements {
		if strings.TrimSpace(e.NameID) == "" || strings.TrimSpace(e.QuestionID) == "" {
			return fmt.Errorf("survey.elements[%d] needs name_id and question_id", i)
		}
		if len(e.ScaleID) != 4 || (len(e.ScaleEN) != 0 && len(e.ScaleEN) != 4) {
			return fmt.Errorf("survey.elements[%d]: scale_id needs the 4 answers from worst to best (scale_en too, when given)", i)
		}
	}
	keys := map[string]bool{}
	for i, p := range s.Profile {
		if p.Key == "" || !keyRE.MatchString(p.Key) || keys[p.Key] || p.LabelID == "" || len(p.Options) < 2 {
			return fmt.Errorf("survey.profile[%d] needs a key of its own (a-z, 0-9, _), label_id and at least 2 options", i)
		}
		keys[p.Key] = true
		opts := map[string]bool{}
		for j, o := range p.Options {
			if o.Key == "" || !keyRE.MatchString(o.Key) || opts[o.Key] || o.ID == "" {
				return fmt.Errorf("survey.profile[%d].options[%d] needs a key of its own (a-z, 0-9, _) and id", i, j)
			}
			opts[o.Key] = true
		}
	}

	cc, dc := &c.Complaints, DefaultComplaintsConfig()
	if cc.DueDays == 0 {
		cc.DueDays = dc.DueDays
	}
	if cc.CheckInterval == 0 {
		cc.CheckInterval = dc.CheckInterval
	}
	if cc.PerMinute == 0 {
		cc.PerMinute = dc.PerMinute
	}
	if cc.Burst == 0 {
		cc.Burst = dc.Burst
	}
	switch {
	case cc.DueDays < 1 || cc.DueDays > 60:
		return fmt.Errorf("complaints.due_days must be 1 to 60")
	case cc.CheckInterval < 10*time.Millisecond:
		return fmt.Errorf("complaints.check_interval must be at least 10ms")
	case cc.PerMinute < 1 || cc.Burst < 1:
		return fmt.Errorf("complaints.per_minute and complaints.burst must be positive")
	}

	ic, di := &c.Info, DefaultInfoConfig()
	if ic.Idle == 0 {
		ic.Idle = di.Idle
	}
	if ic.StatusPerMinute == 0 {
		ic.StatusPerMinute = di.StatusPerMinute
	}
	if ic.StatusBurst == 0 {
		ic.StatusBurst = di.StatusBurst
	}
	if ic.Idle < 5*time.Second || ic.StatusPerMinute < 1 || ic.StatusBurst < 1 || ic.StatusFloor < 0 {
		return fmt.Errorf("info.idle must be at least 5s, info.status_per_minute and status_burst positive, status_floor not negative")
	}
	return nil
}
