package kiosk

import (
	"context"
	"net/http"
	"net/url"

	"antre"
	"antre/client"
)

// The kiosk's calls to the hub, through the one hub client (package client), with the kiosk's
// device token; the token stays in the runtime, the page never sees it.

// officeInfo is what the kiosk needs from GET /api/v1/office.
type officeInfo struct {
	Name      string        `json:"name"`
	TimeZone  string        `json:"time_zone"`
	PublicURL string        `json:"public_url"`
	Groups    []antre.Group `json:"groups"`
}

func office(ctx context.Context, c *client.Client) (officeInfo, error) {
	var o officeInfo
	err := c.Do(ctx, http.MethodGet, "/api/v1/office", nil, &o)
	return o, err
}

// held lists the tickets this kiosk issued today and has not confirmed printed.
func held(ctx context.Context, c *client.Client) ([]antre.Ticket, error) {
	var out struct{ Tickets []antre.Ticket }
	err := c.Do(ctx, http.MethodGet, "/api/v1/tickets/held", nil, &out)
	return out.Tickets, err
}

// deviceName is the name the hub knows this kiosk by; reprint requests name it.
func deviceName(ctx context.Context, c *client.Client) (string, error) {
	var me struct{ Name string }
	err := c.Do(ctx, http.MethodGet, "/api/v1/me", nil, &me)
	return me.Name, err
}

func quota(ctx context.Context, c *client.Client) ([]antre.GroupQuota, error) {
	var q struct {
		Groups []antre.GroupQuota `json:"groups"`
	}
	err := c.Do(ctx, http.MethodGet, "/api/v1/quota", nil, &q)
	return q.Groups, err
}

// issue asks for a ticket. key is the tap's idempotency key: sending it again returns the
// ticket the first request issued. Refusals carry their message in lang.
func issue(ctx context.Context, c *client.Client, group string, cat antre.Category, key, lang string) (antre.IssuedTicket, error) {
	var t antre.IssuedTicket
	err := c.In(lang).Do(ctx, http.MethodPost, "/api/v1/tickets", map[string]any{"group": group, "category": cat}, &t,
		http.Header{"Idempotency-Key": {key}})
	return t, err
}

// checkIn checks a booking in (its code and the NIK's last 6 digits): the hub issues its
// ticket from the online pool. key is the check-in's idempotency key, as for issue; refusals
// (wrong day, used, digits not matching …) carry their message in lang.
func checkIn(ctx context.Context, c *client.Client, booking, last6, key, lang string) (antre.IssuedTicket, error) {
	var t antre.IssuedTicket
	err := c.In(lang).Do(ctx, http.MethodPost, "/api/v1/checkins", map[string]string{"booking": booking, "nik_last6": last6}, &t,
		http.Header{"Idempotency-Key": {key}})
	return t, err
}

// lookup returns the public view of a ticket: its status now, and who is ahead of it.
func lookup(ctx context.Context, c *client.Client, code string) (antre.TicketView, error) {
	var v antre.TicketView
	err := c.Do(ctx, http.MethodGet, "/api/v1/tickets/"+url.PathEscape(code), nil, &v)
	return v, err
}

// refusedWith reports whether err is the hub refusing with HTTP status.
func refusedWith(err error, status int) bool {
	e, ok := client.Refusal(err)
	return ok && e.Status == status
}
