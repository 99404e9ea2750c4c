package smsgw

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// kannel sends through Kannel's smsbox sendsms interface. Kannel splits long messages itself;
// UCS-2 text goes as coding=2 in UTF-8. Delivery reports come back to dlr-url with the outbox id.
// Answers: 202 "0: Accepted for delivery" or "3: Queued for later delivery" (Kannel stored it)
// are success; 403 and other 4xx are permanent (credentials, a malformed request); 5xx,
// a refused connection and a timeout are temporary.
//
// The parts of kannel.conf the module relies on (the integration test writes a whole one):
//
//	group = core
//	store-type = file                  # queued messages survive a crash of bearerbox
//	store-location = "/var/spool/kannel/store"
//
//	group = sendsms-user
//	username = antre                   # sms.kannel.username / password
//	password = …
//	max-messages = 3                   # at least sms.max_parts
//	concatenation = true
//
//	group = sms-service                # inbound: the hub answers, Kannel sends the answer
//	keyword = default
//	catch-all = true
//	get-url = "http://127.0.0.1:8080/api/v1/sms/inbound?from=%p&text=%a&secret=…"
//	omit-empty = true                  # a rate-limited number gets no answer
//	max-messages = 3
//	concatenation = true
type kannel struct {
	cfg    KannelConfig
	from   string
	secret string
	client *http.Client
}

// NewKannel returns the Sender through Kannel's smsbox at cfg.URL, sending from the sender id
// from; secret goes in the delivery-report URL.
func NewKannel(cfg KannelConfig, from, secret string) Sender { return newKannel(cfg, from, secret) }

func newKannel(cfg KannelConfig, from, secret string) *kannel {
	return &kannel{cfg: cfg, from: from, secret: secret, client: &http.Client{}}
}

// Send implements Sender.
func (k *kannel) Send(ctx context.Context, m Message) (Receipt, error) {
	v := url.Values{
		"username": {k.cfg.Username},
		"password": {k.cfg.Password},
		"to":       {m.To},
		"text":     {m.Text},
		"charset":  {"UTF-8"},
	}
	if m.From != "" {
		v.Set("from", m.From)
	}
	if CodingOf(m.Text) == UCS2 {
		v.Set("coding", "2")
	}
	if k.cfg.SMSC != "" {
		v.Set("smsc", k.cfg.SMSC)
	}
	if k.cfg.DLRURL != "" && k.cfg.DLRMask > 0 {
		cb := url.Values{"id": {strconv.FormatInt(m.ID, 10)}}
		if k.secret != "" {
			cb.Set("secret", k.secret)
		}
		sep := "?"
		if strings.Contains(k.cfg.DLRURL, "?") {
			sep = "&"
		}
		// %d is Kannel's placeholder for the report type; Kannel decodes the parameter first.
		v.Set("dlr-url", k.cfg.DLRURL+sep+cb.Encode()+"&type=%d")
		v.Set("dlr-mask", strconv.Itoa(k.cfg.DLRMask))
	}
	u := k.cfg.URL
	if strings.Contains(u, "?") {
		u += "&" + v.Encode()
	} else {
		u += "?" + v.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return Receipt{}, permanent("kannel request: %v", err)
	}
	resp, err := k.client.Do(req)
	if err != nil {
		return Receipt{}, transportError("kannel", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	answer := strings.TrimSpace(string(b))
	switch {
	case resp.StatusCode < 300 && (strings.HasPrefix(answer, "0:") || strings.HasPrefix(answer, "3:")):
		return Receipt{}, nil
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return Receipt{}, temporary("kannel answered %d %q", resp.StatusCode, answer)
	}
	return Receipt{}, permanent("kannel answered %d %q", resp.StatusCode, answer)
}

// transportError classes an HTTP client error: no connection is temporary and certain not to
// have reached the gateway; anything after the request went out is temporary and ambiguous.
// The request URL is left out of the message: its query carries credentials.
func transportError(gateway string, err error) *SendError {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	se := temporary("%s: %v", gateway, err)
	var op *net.OpError
	if !(errors.As(err, &op) && op.Op == "dial") {
		se.Ambiguous = true
	}
	return se
}
