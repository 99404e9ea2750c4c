package sms

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"antre/smsgw"
)

// Config is the SMS module's configuration, under the key `sms` of the hub's configuration.
// Adapter chooses the gateway: "kannel" (Kannel's HTTP sendsms), "smpp" (an SMPP transceiver),
// "http" (a commercial provider's HTTP API) or "none", the default, which sends nothing and
// writes nothing to the outbox.
type Config struct {
	Adapter string `mapstructure:"adapter"`
	// Sender is the sender id (an alphanumeric name or a number) messages are sent from.
	Sender string       `mapstructure:"sender"`
	Kannel KannelConfig `mapstructure:"kannel"`
	SMPP   SMPPConfig   `mapstructure:"smpp"`
	HTTP   HTTPConfig   `mapstructure:"http"`

	// RatePerSecond limits the message parts sent per second over all messages.
	RatePerSecond float64 `mapstructure:"rate_per_second"`
	// MaxParts is the most parts one message may have; longer messages are dead-lettered and
	// templates that would be longer are refused.
	MaxParts int `mapstructure:"max_parts"`
	// NearAhead is how many tickets ahead make "your turn is near" (0 turns it off).
	NearAhead int `mapstructure:"near_ahead"`
	// Milestones are the remaining-quota broadcasts per group: "50%" (half the quota left),
	// "10" (ten left), "0" (used up).
	Milestones []string `mapstructure:"milestones"`
	// OpenDays are the weekdays (0 Sunday … 6 Saturday) on which the day's quota is broadcast.
	OpenDays []int `mapstructure:"open_days"`

	// InboundSecret, when set, must be given as the `secret` query parameter by the gateway on
	// the inbound and delivery-report callbacks.
	InboundSecret string `mapstructure:"inbound_secret"`
	// InboundLimit is how many messages one number may send per InboundWindow; more get no answer.
	InboundLimit  int           `mapstructure:"inbound_limit"`
	InboundWindow time.Duration `mapstructure:"inbound_window"`

	// MaxAttempts is how many sends a message gets before it is dead-lettered.
	MaxAttempts int `mapstructure:"max_attempts"`
	// RetryMin and RetryMax bound the exponential back-off between attempts (with jitter).
	RetryMin time.Duration `mapstructure:"retry_min"`
	RetryMax time.Duration `mapstructure:"retry_max"`
	// StaleAfter is how long a message about a call or a near turn stays worth sending; older
	// ones are dead-lettered instead of telling an applicant to go to a counter hours later.
	StaleAfter time.Duration `mapstructure:"stale_after"`
	// PollInterval is how often the worker looks for due messages when nothing woke it.
	PollInterval time.Duration `mapstructure:"poll_interval"`
	// SendTimeout bounds one send to the gateway.
	SendTimeout time.Duration `mapstructure:"send_timeout"`
}

// The gateways' settings are the adapters' (package smsgw), under sms.kannel, sms.smpp and
// sms.http.
type (
	KannelConfig = smsgw.KannelConfig
	SMPPConfig   = smsgw.SMPPConfig
	HTTPConfig   = smsgw.HTTPConfig
)

// DefaultConfig returns the defaults: no adapter, 5 messages a second, at most 3 parts,
// "your turn is near" at 5 tickets ahead, milestones at half the quota, 10 left and used up,
// quota broadcasts Monday to Friday, 5 inbound messages per number per 10 minutes, 10 attempts
// with back-off from 5 s to 10 min.
func DefaultConfig() Config {
	return Config{
		Adapter:       "none",
		Sender:        "IMIGRASI",
		Kannel:        KannelConfig{DLRMask: 27},
		SMPP:          SMPPConfig{EnquireLink: 30 * time.Second, Rebind: 5 * time.Second, RequestTimeout: 10 * time.Second},
		HTTP:          HTTPConfig{Method: "POST", Format: "form", ToField: "to", TextField: "text"},
		RatePerSecond: 5,
		MaxParts:      3,
		NearAhead:     5,
		Milestones:    []string{"50%", "10", "0"},
		OpenDays:      []int{1, 2, 3, 4, 5},
		InboundLimit:  5,
		InboundWindow: 10 * time.Minute,
		MaxAttempts:   10,
		RetryMin:      5 * time.Second,
		RetryMax:      10 * time.Minute,
		StaleAfter:    time.Hour,
		PollInterval:  time.Second,
		SendTimeout:   15 * time.Second,
	}
}

// milestone is one remaining-quota threshold: a count of tickets left, or a percentage of the
// day's quota.
type milestone struct {
	n       int
	percent bool
}

// left returns how many tickets remain at the milestone for a day's quota.
func (ms milestone) left(quota int) int {
	if ms.percent {
		return quota * ms.n / 100
	}
	return ms.n
}

func parseMilestones(specs []string) ([]milestone, error) {
	out := make([]milestone, 0, len(specs))
	for _, s := range specs {
		s = strings.TrimSpace(s)
		pct := strings.HasSuffix(s, "%")
		n, err := strconv.Atoi(strings.TrimSuffix(s, "%"))
		if err != nil || n < 0 || (pct && n > 100) {
			return nil, fmt.Errorf("sms.milestones: %q is neither a count nor a percentage", s)
		}
		out = append(out, milestone{n: n, percent: pct})
	}
	return out, nil
}

func (c Config) validate() error {
	switch c.Adapter {
	case "none", "":
	case "kannel":
		if c.Kannel.URL == "" {
			return fmt.Errorf("sms.kannel.url is required for the kannel adapter")
		}
	case "smpp":
		if c.SMPP.Addr == "" || c.SMPP.SystemID == "" {
			return fmt.Errorf("sms.smpp.addr and sms.smpp.system_id are required for the smpp adapter")
		}
		if c.SMPP.EnquireLink <= 0 || c.SMPP.RequestTimeout <= 0 {
			return fmt.Errorf("sms.smpp.enquire_link and sms.smpp.request_timeout must be positive")
		}
	case "http":
		if c.HTTP.URL == "" || c.HTTP.ToField == "" || c.HTTP.TextField == "" {
			return fmt.Errorf("sms.http.url, to_field and text_field are required for the http adapter")
		}
		if f := c.HTTP.Format; f != "form" && f != "json" {
			return fmt.Errorf("sms.http.format must be form or json, not %q", f)
		}
	default:
		return fmt.Errorf("sms.adapter must be kannel, smpp, http or none, not %q", c.Adapter)
	}
	switch {
	case c.RatePerSecond <= 0:
		return fmt.Errorf("sms.rate_per_second must be positive")
	case c.MaxParts < 1 || c.MaxParts > 255:
		return fmt.Errorf("sms.max_parts must be 1 to 255")
	case c.NearAhead < 0:
		return fmt.Errorf("sms.near_ahead must not be negative")
	case c.MaxAttempts < 1:
		return fmt.Errorf("sms.max_attempts must be at least 1")
	case c.RetryMin <= 0 || c.RetryMax < c.RetryMin:
		return fmt.Errorf("sms.retry_min must be positive and at most sms.retry_max")
	case c.PollInterval <= 0 || c.SendTimeout <= 0 || c.StaleAfter <= 0:
		return fmt.Errorf("sms.poll_interval, sms.send_timeout and sms.stale_after must be positive")
	case c.InboundLimit < 1 || c.InboundWindow <= 0:
		return fmt.Errorf("sms.inbound_limit and sms.inbound_window must be positive")
	}
	for _, d := range c.OpenDays {
		if d < 0 || d > 6 {
			return fmt.Errorf("sms.open_days: %d is not a weekday (0 Sunday … 6 Saturday)", d)
		}
	}
	return nil
}
