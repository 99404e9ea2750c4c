package sms

import "antre/smsgw"

// The gateway adapters live in package smsgw, shared with headquarters; these names keep the
// module's code and its tests reading as before.
type (
	// Sender hands one message to a gateway (smsgw.Sender).
	Sender = smsgw.Sender
	// Message is one outbox message as a gateway sees it (smsgw.Message).
	Message = smsgw.Message
	// Receipt is a gateway's answer (smsgw.Receipt).
	Receipt = smsgw.Receipt
	// SendError is a failed send, classed (smsgw.SendError).
	SendError = smsgw.SendError
	// DeliveryState is where a sent message stands (smsgw.DeliveryState).
	DeliveryState = smsgw.DeliveryState
	// Report is a delivery report (smsgw.Report).
	Report = smsgw.Report
	// Inbound is a message an applicant sent (smsgw.Inbound).
	Inbound = smsgw.Inbound
	// Sink takes what a gateway pushes (smsgw.Sink); the Module is its gateways' Sink.
	Sink = smsgw.Sink
	// Coding is a message's alphabet (smsgw.Coding).
	Coding = smsgw.Coding
)

// The delivery states and codings (smsgw's).
const (
	StateSent        = smsgw.StateSent
	StateAccepted    = smsgw.StateAccepted
	StateDelivered   = smsgw.StateDelivered
	StateUndelivered = smsgw.StateUndelivered
	GSM7             = smsgw.GSM7
	UCS2             = smsgw.UCS2
)

// CodingOf, Split and PartCount are smsgw's: a text's coding, its parts, their count.
var (
	CodingOf  = smsgw.CodingOf
	Split     = smsgw.Split
	PartCount = smsgw.PartCount
)

var _ Sink = (*Module)(nil)

func classify(err error) *SendError { return smsgw.Classify(err) }

// runner is a sender with a link of its own to keep up (SMPP).
type runner = smsgw.Runner
