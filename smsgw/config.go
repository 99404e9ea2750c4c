package smsgw

import "time"

// KannelConfig addresses Kannel's smsbox. URL is the sendsms URL
// (http://127.0.0.1:13013/cgi-bin/sendsms); DLRURL is the hub's delivery-report URL as Kannel
// reaches it (http://127.0.0.1:8080/api/v1/sms/dlr), empty for no delivery reports.
type KannelConfig struct {
	URL      string `mapstructure:"url"`
	Username string `mapstructure:"username"`
	Password string `mapstructure:"password"`
	DLRURL   string `mapstructure:"dlr_url"`
	// DLRMask selects the reports: 1 delivered, 2 failed, 8 accepted by the SMSC, 16 rejected.
	DLRMask int `mapstructure:"dlr_mask"`
	// SMSC routes messages to one smsc-id of Kannel; empty lets Kannel choose.
	SMSC string `mapstructure:"smsc"`
}

// SMPPConfig addresses an SMSC over SMPP 3.4, bound as a transceiver.
type SMPPConfig struct {
	Addr       string `mapstructure:"addr"`
	SystemID   string `mapstructure:"system_id"`
	Password   string `mapstructure:"password"`
	SystemType string `mapstructure:"system_type"`
	// EnquireLink is the keep-alive interval; the link is considered dead after 3 silent ones.
	EnquireLink time.Duration `mapstructure:"enquire_link"`
	// Rebind is the wait between attempts to bind again after the link broke.
	Rebind time.Duration `mapstructure:"rebind"`
	// RequestTimeout bounds the wait for a submit_sm_resp.
	RequestTimeout time.Duration `mapstructure:"request_timeout"`
}

// HTTPConfig describes a commercial SMS provider's HTTP API: where to send, how to
// authenticate, the request's field names, how to tell success and where the message id is.
type HTTPConfig struct {
	URL    string `mapstructure:"url"`
	Method string `mapstructure:"method"`
	// Format is "form" (application/x-www-form-urlencoded, or the query for GET) or "json".
	Format string `mapstructure:"format"`
	// Username and Password, when set, are sent as HTTP basic authentication.
	Username string `mapstructure:"username"`
	Password string `mapstructure:"password"`
	// Headers are sent with every request, e.g. {"Authorization": "Bearer …"}.
	Headers map[string]string `mapstructure:"headers"`
	// ToField, TextField and FromField name the request fields; FromField empty sends no sender.
	ToField   string `mapstructure:"to_field"`
	TextField string `mapstructure:"text_field"`
	FromField string `mapstructure:"from_field"`
	// Extra fields are sent as given with every request (an API key, a route name).
	Extra map[string]string `mapstructure:"extra"`
	// SuccessPath and SuccessValue test a 2xx JSON answer: the value at the dotted path
	// ("status", "data.0.code") must equal SuccessValue. An empty path accepts every 2xx answer.
	SuccessPath  string `mapstructure:"success_path"`
	SuccessValue string `mapstructure:"success_value"`
	// MessageIDPath is the dotted path of the provider's message id in the JSON answer.
	MessageIDPath string `mapstructure:"message_id_path"`
}
