package smsgw

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/linxGnu/gosmpp"
	"github.com/linxGnu/gosmpp/data"
	"github.com/linxGnu/gosmpp/pdu"
)

// smppSender is an SMPP 3.4 transceiver: it submits messages and receives inbound messages and
// delivery receipts (deliver_sm) on the same bind. Each part of a long message is its own
// submit_sm with its own sequence number and a concatenation header; gosmpp's SubmitSM.Split
// is not used because it copies one sequence number into every part and cuts GSM-7 at 134
// characters instead of 153. Answers: ESME_RTHROTTLED and a full queue ask the worker to slow
// down; a system error, a failed submit and a missing answer are temporary; every other error
// status (a bad number, a refused sender) is permanent.
type smppSender struct {
	cfg  SMPPConfig
	from string
	sink Sink
	log  *slog.Logger

	mu      sync.Mutex
	session *gosmpp.Session
	pending map[int32]chan pdu.PDU
	ctx     context.Context // Run's context, for the sink calls made by gosmpp's goroutines
}

// Runner is a Sender that holds a link of its own (SMPP's bind): Run keeps it up until ctx
// ends, and the sender's owner runs it beside its sending.
type Runner interface {
	Run(ctx context.Context) error
}

// NewSMPP returns the SMPP transceiver bound to cfg.Addr, sending from the sender id from and
// handing inbound messages and delivery receipts to sink; it is a Runner.
func NewSMPP(cfg SMPPConfig, from string, sink Sink, log *slog.Logger) Sender {
	return newSMPP(cfg, from, sink, log)
}

func newSMPP(cfg SMPPConfig, from string, sink Sink, log *slog.Logger) *smppSender {
	return &smppSender{cfg: cfg, from: from, sink: sink, log: log.With("gateway", "smpp"),
		pending: map[int32]chan pdu.PDU{}, ctx: context.Background()}
}

// run binds and stays bound until ctx ends; gosmpp binds again by itself when the link breaks
// after the first bind, and run retries a first bind that fails.
func (s *smppSender) Run(ctx context.Context) error {
	s.mu.Lock()
	s.ctx = ctx
	s.mu.Unlock()
	auth := gosmpp.Auth{SMSC: s.cfg.Addr, SystemID: s.cfg.SystemID, Password: s.cfg.Password, SystemType: s.cfg.SystemType}
	settings := gosmpp.Settings{
		EnquireLink: s.cfg.EnquireLink,
		ReadTimeout: 3 * s.cfg.EnquireLink,
		OnAllPDU:    s.handle,
		OnReceivingError: func(err error) {
			s.log.Warn("smpp receive", "err", err)
		},
		OnRebindingError: func(err error) {
			s.log.Warn("smpp rebind", "err", err)
		},
		OnClosed: func(state gosmpp.State) {
			s.log.Warn("smpp link closed", "state", state.String())
			s.failPending()
		},
		OnRebind: func() { s.log.Info("smpp bound again") },
	}
	for {
		sess, err := gosmpp.NewSession(gosmpp.TRXConnector(gosmpp.NonTLSDialer, auth), settings, s.cfg.Rebind)
		if err == nil {
			s.log.Info("smpp bound", "addr", s.cfg.Addr)
			s.mu.Lock()
			s.session = sess
			s.mu.Unlock()
			<-ctx.Done()
			s.mu.Lock()
			s.session = nil
			s.mu.Unlock()
			return sess.Close()
		}
		s.log.Warn("smpp bind", "addr", s.cfg.Addr, "err", err)
		t := time.NewTimer(s.cfg.Rebind)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// failPending ends every wait for an answer when the link closes: the answer will not come.
func (s *smppSender) failPending() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for seq, ch := range s.pending {
		close(ch)
		delete(s.pending, seq)
	}
}

// Send implements Sender.
func (s *smppSender) Send(ctx context.Context, m Message) (Receipt, error) {
	s.mu.Lock()
	sess := s.session
	s.mu.Unlock()
	if sess == nil {
		return Receipt{}, temporary("smpp: not bound to %s", s.cfg.Addr)
	}
	pdus, err := s.submits(m)
	if err != nil {
		return Receipt{}, err
	}
	var r Receipt
	for _, sm := range pdus {
		id, err := s.submit(ctx, sess, sm)
		if err != nil {
			return r, err
		}
		r.GatewayIDs = append(r.GatewayIDs, id)
	}
	return r, nil
}

// submits builds the submit_sm of every part of m.
func (s *smppSender) submits(m Message) ([]*pdu.SubmitSM, error) {
	coding, parts := Split(m.Text)
	enc := data.GSM7BIT
	if coding == UCS2 {
		enc = data.UCS2
	}
	src, err := address(m.From)
	if err != nil {
		return nil, permanent("smpp sender %q: %v", m.From, err)
	}
	dst, err := pdu.NewAddressWithTonNpiAddr(data.GSM_TON_INTERNATIONAL, data.GSM_NPI_E164, m.To)
	if err != nil {
		return nil, permanent("smpp destination %q: %v", m.To, err)
	}
	ref := byte(rand.N(256))
	out := make([]*pdu.SubmitSM, 0, len(parts))
	for i, text := range parts {
		sm := pdu.NewSubmitSM().(*pdu.SubmitSM) // a new PDU: a sequence number of its own
		sm.SourceAddr, sm.DestAddr = src, dst
		sm.RegisteredDelivery = data.SM_SMSC_RECEIPT_REQUESTED
		b, err := enc.Encode(text)
		if err != nil {
			return nil, permanent("smpp encode: %v", err)
		}
		if err := sm.Message.SetMessageDataWithEncoding(b, enc); err != nil {
			return nil, permanent("smpp part %d: %v", i+1, err)
		}
		if len(parts) > 1 {
			sm.Message.SetUDH(pdu.UDH{pdu.NewIEConcatMessage(byte(len(parts)), byte(i+1), ref)})
			sm.EsmClass |= data.SM_UDH_GSM
		}
		out = append(out, sm)
	}
	return out, nil
}

// address is the source address for sender id from: an alphanumeric name, or a number.
func address(from string) (pdu.Address, error) {
	alpha := strings.IndexFunc(from, func(r rune) bool { return r < '0' || r > '9' }) >= 0
	if alpha {
		return pdu.NewAddressWithTonNpiAddr(data.GSM_TON_ALPHANUMERIC, data.GSM_NPI_UNKNOWN, from)
	}
	return pdu.NewAddressWithTonNpiAddr(data.GSM_TON_INTERNATIONAL, data.GSM_NPI_E164, from)
}

// submit sends one submit_sm and waits for its answer.
func (s *smppSender) submit(ctx context.Context, sess *gosmpp.Session, sm *pdu.SubmitSM) (string, error) {
	seq := sm.GetSequenceNumber()
	ch := make(chan pdu.PDU, 1)
	s.mu.Lock()
	s.pending[seq] = ch
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.pending, seq)
		s.mu.Unlock()
	}()
	if err := sess.Transceiver().Submit(sm); err != nil {
		return "", temporary("smpp submit: %v", err)
	}
	t := time.NewTimer(s.cfg.RequestTimeout)
	defer t.Stop()
	var p pdu.PDU
	var ok bool
	select {
	case p, ok = <-ch:
		if !ok {
			return "", &SendError{Temporary: true, Ambiguous: true, Err: fmt.Errorf("smpp link closed before the answer")}
		}
	case <-t.C:
		return "", &SendError{Temporary: true, Ambiguous: true, Err: fmt.Errorf("smpp: no answer in %s", s.cfg.RequestTimeout)}
	case <-ctx.Done():
		return "", &SendError{Temporary: true, Ambiguous: true, Err: ctx.Err()}
	}
	status := p.GetHeader().CommandStatus
	switch status {
	case data.ESME_ROK:
		if resp, ok := p.(*pdu.SubmitSMResp); ok {
			return resp.MessageID, nil
		}
		return "", temporary("smpp: answer %T to submit_sm", p)
	case data.ESME_RTHROTTLED, data.ESME_RMSGQFUL:
		return "", &SendError{Temporary: true, Throttled: true, Err: fmt.Errorf("smpp: %s", status)}
	case data.ESME_RSYSERR, data.ESME_RSUBMITFAIL, data.ESME_RX_T_APPN:
		return "", temporary("smpp: %s", status)
	}
	return "", permanent("smpp: %s", status)
}

// handle answers every PDU the SMSC sends. It runs on gosmpp's receiving goroutine.
func (s *smppSender) handle(p pdu.PDU) (pdu.PDU, bool) {
	switch q := p.(type) {
	case *pdu.SubmitSMResp, *pdu.GenericNack:
		s.mu.Lock()
		ch, ok := s.pending[p.GetSequenceNumber()]
		s.mu.Unlock()
		if ok {
			select {
			case ch <- p:
			default:
			}
		}
		return nil, false
	case *pdu.DeliverSM:
		resp := q.GetResponse()
		if err := s.deliver(q); err != nil {
			s.log.Error("smpp deliver_sm", "err", err)
			resp.(*pdu.DeliverSMResp).CommandStatus = data.ESME_RX_T_APPN // the SMSC delivers it again
		}
		return resp, false
	case *pdu.EnquireLink:
		return q.GetResponse(), false
	case *pdu.Unbind:
		return q.GetResponse(), true
	}
	if p.CanResponse() {
		return p.GetResponse(), false
	}
	return nil, false
}

// deliver passes a deliver_sm to the sink: a delivery receipt as a report, anything else as an
// inbound message. Of a concatenated inbound message only the first part is taken: commands
// are short, and answering every part would answer one message several times.
func (s *smppSender) deliver(d *pdu.DeliverSM) error {
	s.mu.Lock()
	ctx := s.ctx
	s.mu.Unlock()
	if d.EsmClass&data.SM_SMSC_DLV_RCPT_TYPE != 0 {
		r, ok := parseReceipt(d)
		if !ok {
			return nil
		}
		return s.sink.Report(ctx, r)
	}
	if total, part, _, ok := d.Message.UDH().GetConcatInfo(); ok && total > 1 && part != 1 {
		return nil
	}
	text, err := d.Message.GetMessage()
	if err != nil {
		return fmt.Errorf("decode inbound message: %w", err)
	}
	return s.sink.ReceiveQueued(ctx, Inbound{From: d.SourceAddr.Address(), Text: text, At: time.Now()})
}

// receiptStates maps SMPP receipt states (stat: in the text, or message_state) to delivery states.
var receiptStates = map[string]DeliveryState{
	"DELIVRD": StateDelivered, "ACCEPTD": StateAccepted, "ENROUTE": StateAccepted,
	"UNDELIV": StateUndelivered, "REJECTD": StateUndelivered, "EXPIRED": StateUndelivered,
	"DELETED": StateUndelivered, "UNKNOWN": StateUndelivered,
	"1": StateAccepted, "2": StateDelivered, "3": StateUndelivered, "4": StateUndelivered,
	"5": StateUndelivered, "6": StateAccepted, "7": StateUndelivered, "8": StateUndelivered,
}

// parseReceipt reads a delivery receipt: the receipted_message_id and message_state TLVs when
// present, else the "id:… stat:…" text of SMPP 3.4 appendix B.
func parseReceipt(d *pdu.DeliverSM) (Report, bool) {
	var id, stat string
	if f, ok := d.OptionalParameters[pdu.TagReceiptedMessageID]; ok {
		id = f.String()
	}
	if f, ok := d.OptionalParameters[pdu.TagMessageStateOption]; ok && len(f.Data) == 1 {
		stat = fmt.Sprint(f.Data[0])
	}
	text, _ := d.Message.GetMessage()
	for _, field := range strings.Fields(text) {
		k, v, ok := strings.Cut(field, ":")
		switch {
		case !ok:
		case strings.EqualFold(k, "id") && id == "":
			id = v
		case strings.EqualFold(k, "stat") && stat == "":
			stat = strings.ToUpper(v)
		}
	}
	state, ok := receiptStates[stat]
	if id == "" || !ok {
		return Report{}, false
	}
	detail := ""
	if state == StateUndelivered {
		detail = "smsc receipt " + stat
	}
	return Report{GatewayID: id, State: state, Detail: detail}, true
}
