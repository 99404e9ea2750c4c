// Package smsgw is the SMS gateways' adapters: one Sender interface and its Kannel (smsbox
// sendsms), SMPP 3.4 transceiver and commercial HTTP provider implementations, with GSM 03.38
// encoding and splitting. It imports nothing of the project, so both an office's SMS module
// (package sms) and headquarters (package hq) send through the same code.
package smsgw

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Sender hands one message to a gateway. Send returns once the gateway has taken the message
// (not when the phone has it: delivery reports say that later), with the gateway's message ids
// when it gives any. Every failure is a *SendError that says whether trying again can help.
type Sender interface {
	Send(ctx context.Context, m Message) (Receipt, error)
}

// Message is one outbox message as a gateway sees it. ID is the outbox id, which gateways that
// call back with delivery reports by URL (Kannel) put in that URL.
type Message struct {
	ID   int64
	To   string // international form without plus: 628123456789
	From string
	Text string
}

// Receipt is what the gateway answered: the message id of every part, when it gives ids.
type Receipt struct {
	GatewayIDs []string
}

// SendError is a failed send. Temporary failures (gateway down, overloaded, timed out) are
// retried with back-off; permanent ones (refused number, bad credentials, malformed message) go
// to the dead letters at once. Throttled means the gateway asked us to slow down: the worker
// pauses all sending, not only this message. Ambiguous means the request may have reached the
// gateway before the failure, so the retry waits for a delivery report that would show it did.
type SendError struct {
	Temporary bool
	Throttled bool
	Ambiguous bool
	Err       error
}

// Error describes the failure with its class.
func (e *SendError) Error() string {
	class := "permanent"
	if e.Temporary {
		class = "temporary"
	}
	return class + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *SendError) Unwrap() error { return e.Err }

// Classify returns err as a *SendError; an error a Sender did not class is temporary, so that
// nothing is dropped by mistake.
func Classify(err error) *SendError { return classify(err) }

func temporary(format string, args ...any) *SendError {
	return &SendError{Temporary: true, Err: fmt.Errorf(format, args...)}
}

func permanent(format string, args ...any) *SendError {
	return &SendError{Err: fmt.Errorf(format, args...)}
}

// classify returns err as a *SendError; an error a Sender did not class is temporary, so that
// nothing is dropped by mistake.
func classify(err error) *SendError {
	var se *SendError
	if errors.As(err, &se) {
		return se
	}
	return &SendError{Temporary: true, Err: err}
}

// DeliveryState is where a sent message stands according to the network.
type DeliveryState string

// The delivery states, in the order a report may move a message forward: a later report never
// moves it back, so reports may arrive twice or out of order.
const (
	StateSent        DeliveryState = "sent"        // the gateway took it
	StateAccepted    DeliveryState = "accepted"    // the SMSC took it
	StateDelivered   DeliveryState = "delivered"   // the phone has it
	StateUndelivered DeliveryState = "undelivered" // the network gave up (a part failed)
)

// Report is a delivery report. A gateway that called back by URL names the outbox message by
// OutboxID; one that reports by its own message ids (SMPP receipts, HTTP providers) by GatewayID.
type Report struct {
	OutboxID  int64
	GatewayID string
	State     DeliveryState
	Detail    string
}

// Inbound is a message an applicant sent to the gateway's number.
type Inbound struct {
	From string
	Text string
	At   time.Time
}

// Sink takes what a gateway pushes to the hub: inbound messages, whose answer goes through the
// outbox, and delivery reports. An error makes the gateway deliver the PDU again later. The
// SMS module is the Sink of an office's gateways.
type Sink interface {
	ReceiveQueued(ctx context.Context, in Inbound) error
	Report(ctx context.Context, r Report) error
}
