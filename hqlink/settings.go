package hqlink

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"antre"
	"antre/hqwire"
	"antre/module"
)

// receive reads the office's settings through its durable consumer while the link is up,
// applying each once and acknowledging it after it was applied and recorded.
func (m *Module) receive(ctx context.Context, nc *nats.Conn, js jetstream.JetStream) {
	var cons jetstream.Consumer
	backoff := 500 * time.Millisecond
	for ctx.Err() == nil {
		if !nc.IsConnected() {
			sleep(ctx, 250*time.Millisecond)
			continue
		}
		if cons == nil {
			cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			c, err := js.Consumer(cctx, hqwire.SettingsStream, hqwire.SettingsConsumer(m.office.Code))
			cancel()
			if err != nil {
				if ctx.Err() == nil {
					m.log.Debug("hq link: settings consumer", "err", err)
					sleep(ctx, backoff)
					backoff = min(2*backoff, m.cfg.RetryMax)
				}
				continue
			}
			cons, backoff = c, 500*time.Millisecond
		}
		batch, err := cons.Fetch(20, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			if ctx.Err() == nil {
				cons = nil
				sleep(ctx, backoff)
			}
			continue
		}
		for msg := range batch.Messages() {
			if err := m.take(ctx, js, msg); err != nil {
				m.log.Warn("hq link: setting not applied; it comes again", "err", err)
				msg.NakWithDelay(5 * time.Second)
				continue
			}
			msg.Ack()
		}
	}
}

// take applies one setting unless it was applied before, and records it.
func (m *Module) take(ctx context.Context, js jetstream.JetStream, msg jetstream.Msg) error {
	var s hqwire.Setting
	if err := json.Unmarshal(msg.Data(), &s); err != nil || s.ID == 0 {
		m.log.Error("hq link: unreadable setting from headquarters; dropped", "err", err)
		return nil
	}
	var result string
	err := m.db.QueryRowContext(ctx, `SELECT result FROM hqlink_settings WHERE id = ?`, s.ID).Scan(&result)
	if err == nil && (result == "applied" || result == "expired") {
		return nil // applied before: the acknowledgement was lost
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	result, err = m.apply(ctx, js, s)
	if err != nil {
		return err
	}
	now := m.now()
	if _, err := m.db.ExecContext(ctx, `INSERT INTO hqlink_settings (id, kind, body, received_at, result) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET result = excluded.result, received_at = excluded.received_at`, s.ID, s.Kind, string(msg.Data()), now.UnixMilli(), result); err != nil {
		return err
	}
	m.link.mu.Lock()
	m.link.settingsAt = now
	m.link.mu.Unlock()
	m.log.Info("hq link: setting from headquarters", "id", s.ID, "kind", s.Kind, "result", result)
	return nil
}

// apply applies a setting and says what became of it: "applied", "expired" (a quota for a day
// already past), "kept" (no module handles its kind yet), or an error to try again.
func (m *Module) apply(ctx context.Context, js jetstream.JetStream, s hqwire.Setting) (string, error) {
	switch s.Kind {
	case hqwire.KindHolidaySet:
		if s.Holiday == nil {
			return "invalid", nil
		}
		if err := m.set.SetHoliday(ctx, *s.Holiday, "hq", "hq"); err != nil {
			if antre.ErrorCode(err) == antre.EINVALID {
				return "invalid: " + err.Error(), nil
			}
			return "", err
		}
	case hqwire.KindHolidayDelete:
		if err := m.set.DeleteHoliday(ctx, s.Date, "hq"); err != nil && antre.ErrorCode(err) != antre.ENOTFOUND {
			return "", err
		}
	case hqwire.KindQuota:
		if s.Quota == nil {
			return "invalid", nil
		}
		if err := m.set.SetQuotaOn(ctx, s.Date, s.Group, *s.Quota, "hq"); err != nil {
			switch antre.ErrorCode(err) {
			case antre.EINVALID:
				if s.Date < m.office.BusinessDate(m.now()) {
					return "expired", nil
				}
				return "invalid: " + err.Error(), nil
			case antre.ENOTFOUND:
				return "invalid: " + err.Error(), nil
			}
			return "", err
		}
	case hqwire.KindResend:
		if err := m.resend(ctx, js, s); err != nil {
			return "", err
		}
	default:
		h, ok := module.Find[SettingHandler](m.svc)
		if !ok || !h.HandlesSetting(s.Kind) {
			return "kept", nil
		}
		if err := h.ApplySetting(ctx, s); err != nil {
			return "", err
		}
	}
	return "applied", nil
}
