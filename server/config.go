package server

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"antre"
	"antre/checkin"
	"antre/hqlink"
	"antre/report"
	"antre/sms"
	"antre/voice"
	"antre/workflow"
)

// Config is the hub's configuration: defaults that run a demo office out of the box, overridden
// by a YAML file (--config), then by ANTRE_… environment variables (ANTRE_ADDR,
// ANTRE_OFFICE_TIMEZONE, ANTRE_POLICY_RATIO …: the key in upper case with dots as underscores),
// then by flags.
type Config struct {
	// Addr is the listen address; keep it on 127.0.0.1 unless devices on the office LAN connect.
	Addr string `mapstructure:"addr"`
	// Data is the data directory; the store is Data/antre.db.
	Data string `mapstructure:"data"`
	// PublicURL is the address devices and applicants' phones reach the hub at; ticket QR codes
	// link to PublicURL/status/CODE.
	PublicURL string `mapstructure:"public_url"`
	// Synchronous is SQLite's synchronous pragma, FULL (every acknowledged ticket survives a
	// power cut) or NORMAL (faster; a power cut may lose the last commits, a crash does not).
	Synchronous string        `mapstructure:"synchronous"`
	Office      OfficeConfig  `mapstructure:"office"`
	Quota       QuotaConfig   `mapstructure:"quota"`
	Groups      []GroupConfig `mapstructure:"groups"`
	Counters    []antre.Counter
	Policy      PolicyConfig  `mapstructure:"policy"`
	Display     DisplayConfig `mapstructure:"display"`
	// Demo creates demo accounts and devices on a store that has no accounts yet. It is off
	// unless asked for (make run, antre server --demo): a real office has no demo log-ins.
	Demo bool `mapstructure:"demo"`
	// Init creates a new, empty store where a marker says one existed before (the flag --init
	// only; never from a file or the environment).
	Init bool `mapstructure:"-"`
	// CookieSecure marks the officers' session cookie Secure, for hubs served over HTTPS (a
	// public_url starting with https:// does the same).
	CookieSecure bool `mapstructure:"cookie_secure"`
	// PasswordCost is the bcrypt cost for new passwords (10; tests use the minimum, 4).
	PasswordCost int `mapstructure:"password_cost"`
	// SMS configures the SMS module (sms.adapter none by default: nothing is sent).
	SMS sms.Config `mapstructure:"sms"`
	// Workflow configures the passport workflow module (fees, checklists, checks, desks …).
	Workflow workflow.Config `mapstructure:"workflow"`
	// HQ links the office to headquarters (hq.nats_url empty by default: not linked); the
	// office's code is office.code.
	HQ hqlink.Config `mapstructure:"hq"`
	// Survey, Complaints and Info configure the applicant's-voice module: the satisfaction
	// survey (survey.regulation …), complaint handling and the information kiosk.
	Survey     voice.SurveyConfig     `mapstructure:"survey"`
	Complaints voice.ComplaintsConfig `mapstructure:"complaints"`
	Info       voice.InfoConfig       `mapstructure:"info"`
	// Checkin configures the check-in of online bookings at the kiosk (checkin.strict_periods …).
	Checkin checkin.Config `mapstructure:"checkin"`
	// Report configures the reports module (report.monthly on by default: last month's report
	// is kept in DATA/reports).
	Report report.Config `mapstructure:"report"`
	// SessionTTL is how long an officer's log-in lasts.
	SessionTTL time.Duration `mapstructure:"session_ttl"`
}

// OfficeConfig describes the office.
type OfficeConfig struct {
	Code     string   `mapstructure:"code"`
	Name     string   `mapstructure:"name"`
	TimeZone string   `mapstructure:"timezone"`
	Opens    string   `mapstructure:"opens"`
	Closes   string   `mapstructure:"closes"`
	Periods  []string `mapstructure:"periods"`
	// OpenDays are the weekdays the office opens, 0 Sunday … 6 Saturday (default Monday to
	// Friday); with the holiday calendar they make its working days.
	OpenDays []int `mapstructure:"open_days"`
}

// QuotaConfig sets how a group's total daily quota splits into pools when a group gives only
// its total.
type QuotaConfig struct {
	PerGroup        int `mapstructure:"per_group"`
	OnlinePercent   int `mapstructure:"online_percent"`
	PriorityPercent int `mapstructure:"priority_percent"`
}

// GroupConfig is one service group; Quota is its daily total, split by QuotaConfig unless
// WalkIn, Online and Priority are given.
type GroupConfig struct {
	Code     string `mapstructure:"code"`
	Prefix   string `mapstructure:"prefix"`
	NameID   string `mapstructure:"name_id"`
	NameEN   string `mapstructure:"name_en"`
	Quota    int    `mapstructure:"quota"`
	WalkIn   *int   `mapstructure:"walkin"`
	Online   *int   `mapstructure:"online"`
	Priority *int   `mapstructure:"priority"`
}

// PolicyConfig configures calling (see antre.Policy).
type PolicyConfig struct {
	Ratio      int           `mapstructure:"ratio"`
	Ageing     time.Duration `mapstructure:"ageing"`
	MaxRecalls int           `mapstructure:"max_recalls"`
	LateWindow time.Duration `mapstructure:"late_window"`
	// ServiceTime estimates waits until the day has finished tickets to measure.
	ServiceTime time.Duration `mapstructure:"service_time"`
}

// DisplayConfig is what waiting-room displays show besides the queue.
// It reaches display pages in the stream's snapshot; the media folder's path stays on the hub.
type DisplayConfig struct {
	RunningText []string `mapstructure:"running_text" json:"running_text"`
	MediaDir    string   `mapstructure:"media_dir" json:"-"`
	Recent      int      `mapstructure:"recent" json:"recent"`
}

func defaults(v *viper.Viper) {
	v.SetDefault("addr", "127.0.0.1:8080")
	v.SetDefault("data", "data")
	v.SetDefault("public_url", "")
	v.SetDefault("synchronous", "FULL")
	v.SetDefault("office.code", "KANIM-DEMO")
	v.SetDefault("office.name", "Kantor Imigrasi Demo")
	v.SetDefault("office.timezone", "Asia/Jakarta")
	v.SetDefault("office.opens", "08:00")
	v.SetDefault("office.closes", "16:00")
	v.SetDefault("office.periods", []string{"08:00-12:00", "12:00-16:00"})
	v.SetDefault("office.open_days", []int{1, 2, 3, 4, 5})
	v.SetDefault("quota.per_group", 60)
	v.SetDefault("quota.online_percent", 20)
	v.SetDefault("quota.priority_percent", 10)
	v.SetDefault("policy.ratio", 2)
	v.SetDefault("policy.ageing", "45m")
	v.SetDefault("policy.max_recalls", 3)
	v.SetDefault("policy.late_window", "30m")
	v.SetDefault("policy.service_time", "5m")
	v.SetDefault("display.running_text", []string{
		"Layanan paspor ini GRATIS di luar biaya resmi PNBP. Tolak calo!",
		"Biaya paspor elektronik 10 tahun Rp650.000; paspor biasa 10 tahun Rp350.000.",
		"Siapkan e-KTP, Kartu Keluarga dan akta kelahiran/ijazah/buku nikah asli.",
	})
	v.SetDefault("display.media_dir", "")
	v.SetDefault("display.recent", 8)
	v.SetDefault("demo", false)
	v.SetDefault("cookie_secure", false)
	v.SetDefault("session_ttl", "12h")
	v.SetDefault("password_cost", 10)
	smsDefaults(v)
	keyDefaults(v, "workflow.", workflow.DefaultConfig())
	keyDefaults(v, "hq.", hqlink.DefaultConfig())
	keyDefaults(v, "survey.", voice.DefaultSurveyConfig())
	keyDefaults(v, "complaints.", voice.DefaultComplaintsConfig())
	keyDefaults(v, "info.", voice.DefaultInfoConfig())
	keyDefaults(v, "checkin.", checkin.DefaultConfig())
	keyDefaults(v, "report.", report.DefaultConfig())
}

// Flags declares the hub's flags on fs.
func Flags(fs *pflag.FlagSet) {
	fs.String("config", "", "YAML configuration file")
	fs.String("addr", "", "listen address (env ANTRE_ADDR, default 127.0.0.1:8080)")
	fs.String("data", "", "data directory (env ANTRE_DATA, default ./data)")
	fs.Bool("demo", false, "create demo accounts and devices in an empty store (env ANTRE_DEMO)")
	fs.Bool("init", false, "create a new, empty store even though this data directory had one (after a deliberate reset)")
}

// LoadConfig reads the configuration: defaults, then the file named by the --config flag, then
// the environment, then the flags that were set.
func LoadConfig(fs *pflag.FlagSet) (*Config, error) {
	v := viper.New()
	defaults(v)
	v.SetEnvPrefix("ANTRE")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	if fs != nil {
		if f, _ := fs.GetString("config"); f != "" {
			v.SetConfigFile(f)
			if err := v.ReadInConfig(); err != nil {
				return nil, fmt.Errorf("read config %s: %w", f, err)
			}
		}
		for _, name := range []string{"addr", "data", "demo"} {
			if fl := fs.Lookup(name); fl != nil && fl.Changed {
				if err := v.BindPFlag(name, fl); err != nil {
					return nil, err
				}
			}
		}
	}
	var c Config
	if err := v.Unmarshal(&c); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if fs != nil {
		c.Init, _ = fs.GetBool("init")
	}
	if v.IsSet("counters") {
		if err := v.UnmarshalKey("counters", &c.Counters); err != nil {
			return nil, fmt.Errorf("config counters: %w", err)
		}
	}
	return &c, c.complete()
}

// complete fills derived defaults (groups A–F, counters 1–4) and checks the rules.
func (c *Config) complete() error {
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.Addr
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	if len(c.Groups) == 0 {
		for _, g := range antre.DefaultGroups() {
			c.Groups = append(c.Groups, GroupConfig{Code: g.Code, Prefix: g.Prefix, NameID: g.NameID, NameEN: g.NameEN})
		}
	}
	if len(c.Counters) == 0 {
		all := make([]string, 0, len(c.Groups))
		for _, g := range c.Groups {
			all = append(all, g.Code)
		}
		for i := 1; i <= 4; i++ {
			c.Counters = append(c.Counters, antre.Counter{Number: i, Name: fmt.Sprintf("Loket %d", i), Groups: all})
		}
	}
	if _, err := c.OfficeValue(); err != nil {
		return err
	}
	for _, g := range c.GroupValues() {
		if err := g.Validate(); err != nil {
			return err
		}
	}
	if c.Policy.Ratio < 0 {
		return fmt.Errorf("policy.ratio must be 0 or more")
	}
	if s := strings.ToUpper(c.Synchronous); s != "FULL" && s != "NORMAL" {
		return fmt.Errorf("synchronous must be FULL or NORMAL, not %q", c.Synchronous)
	}
	return nil
}

// OfficeValue returns the office with its time zone and periods parsed.
func (c *Config) OfficeValue() (antre.Office, error) {
	loc, err := time.LoadLocation(c.Office.TimeZone)
	if err != nil {
		return antre.Office{}, fmt.Errorf("office.timezone %q: %w", c.Office.TimeZone, err)
	}
	o := antre.Office{Code: c.Office.Code, Name: c.Office.Name, Location: loc}
	if o.Code == "" || o.Name == "" {
		return o, fmt.Errorf("office.code and office.name are required")
	}
	if o.Opens, err = antre.ParseClock(c.Office.Opens); err != nil {
		return o, fmt.Errorf("office.opens: %w", err)
	}
	if o.Closes, err = antre.ParseClock(c.Office.Closes); err != nil {
		return o, fmt.Errorf("office.closes: %w", err)
	}
	for _, p := range c.Office.Periods {
		a, b, ok := strings.Cut(p, "-")
		if !ok {
			return o, fmt.Errorf("office.periods: %q must look like 08:00-12:00", p)
		}
		s, err1 := antre.ParseClock(strings.TrimSpace(a))
		e, err2 := antre.ParseClock(strings.TrimSpace(b))
		if err1 != nil || err2 != nil || e <= s {
			return o, fmt.Errorf("office.periods: %q must look like 08:00-12:00", p)
		}
		o.Periods = append(o.Periods, antre.ArrivalPeriod{Start: s, End: e})
	}
	return o, nil
}

// OpenDays returns the office's open weekdays.
func (c *Config) OpenDays() ([]time.Weekday, error) {
	var out []time.Weekday
	for _, d := range c.Office.OpenDays {
		if d < 0 || d > 6 {
			return nil, fmt.Errorf("office.open_days: %d is not a weekday (0 Sunday … 6 Saturday)", d)
		}
		out = append(out, time.Weekday(d))
	}
	return out, nil
}

// GroupValues returns the configured groups with their quota split into pools.
func (c *Config) GroupValues() []antre.Group {
	out := make([]antre.Group, 0, len(c.Groups))
	for _, gc := range c.Groups {
		total := gc.Quota
		if total == 0 {
			total = c.Quota.PerGroup
		}
		q := antre.SplitQuota(total, c.Quota.OnlinePercent, c.Quota.PriorityPercent)
		if gc.WalkIn != nil || gc.Online != nil || gc.Priority != nil {
			q = antre.Quota{WalkIn: deref(gc.WalkIn), Online: deref(gc.Online), Priority: deref(gc.Priority)}
		}
		prefix := gc.Prefix
		if prefix == "" {
			prefix = gc.Code
		}
		out = append(out, antre.Group{Code: strings.ToUpper(gc.Code), Prefix: strings.ToUpper(prefix), NameID: gc.NameID, NameEN: gc.NameEN, Quota: q})
	}
	return out
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// checkSMS refuses an SMS gateway without the secret its callbacks need: without one, anyone on
// the LAN could unsubscribe any number or forge delivery reports.
func (c *Config) checkSMS() error {
	if c.SMS.Adapter == "" || c.SMS.Adapter == "none" || c.SMS.InboundSecret != "" {
		return nil
	}
	b := make([]byte, 18)
	rand.Read(b)
	example := base64.RawURLEncoding.EncodeToString(b)
	return fmt.Errorf("sms.adapter is %q but sms.inbound_secret is empty: the gateway's callbacks (inbound messages, delivery reports) "+
		"would accept anyone on the network. Set a secret, e.g. ANTRE_SMS_INBOUND_SECRET=%s, and add &secret=%s to Kannel's "+
		"sms-service get-url and to sms.kannel.dlr_url", c.SMS.Adapter, example, example)
}

// DBPath is the store's file inside the data directory, which is created if needed.
func (c *Config) DBPath() (string, error) {
	if err := os.MkdirAll(c.Data, 0o750); err != nil {
		return "", err
	}
	return filepath.Join(c.Data, "antre.db"), nil
}

// smsDefaults registers the SMS module's defaults key by key, so that every key can also be set
// through the environment (ANTRE_SMS_ADAPTER, ANTRE_SMS_KANNEL_URL …).
func smsDefaults(v *viper.Viper) { keyDefaults(v, "sms.", sms.DefaultConfig()) }

// keyDefaults registers a module configuration's defaults key by key under prefix, maps and
// nested structs included, so that a file or the environment can change one entry and keep the
// others (ANTRE_WORKFLOW_COMPLETION_DAYS, ANTRE_WORKFLOW_FEES_NEW …).
func keyDefaults(v *viper.Viper, prefix string, cfg any) {
	var walk func(key string, val any)
	walk = func(key string, val any) {
		rv := reflect.ValueOf(val)
		switch {
		case rv.Kind() == reflect.Struct:
			var m map[string]any
			if err := mapstructure.Decode(val, &m); err != nil {
				panic(err) // a struct always decodes into a map
			}
			for k, sub := range m {
				walk(key+"."+k, sub)
			}
		case rv.Kind() == reflect.Map && rv.Type().Key().Kind() == reflect.String:
			for _, k := range rv.MapKeys() {
				walk(key+"."+k.String(), rv.MapIndex(k).Interface())
			}
		default:
			v.SetDefault(key, val)
		}
	}
	walk(strings.TrimSuffix(prefix, "."), cfg)
}
