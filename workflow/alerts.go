package workflow

import (
	"context"
	"time"

	"antre"
	"antre/module"
)

// Alert levels of a file whose promise runs: 1 at risk (past Config.AtRiskPercent of the time
// from payment to the promised day's closing time), 2 late (past it).
const (
	levelAtRisk = 1
	levelLate   = 2
)

// AlertFile is a file at risk or late, as the head's console lists it.
type AlertFile struct {
	Number string           `json:"number"`
	Stage  antre.Stage      `json:"stage"`
	Status antre.FileStatus `json:"status"`
	Holder string           `json:"holder,omitempty"`
	Due    string           `json:"due"`
	Level  string           `json:"level"`
	// Used is the share of the promised time used so far, in percent.
	Used int `json:"used_percent"`
	// InStage is how long the file has been at its stage, in minutes.
	InStage int `json:"in_stage_minutes"`
}

func levelName(l int) string {
	switch l {
	case levelLate:
		return "late"
	case levelAtRisk:
		return "at_risk"
	}
	return ""
}

// level is the alert level of a file paid at paid and promised for due, at now; used is the
// share of the time used, in percent.
func (m *Module) level(paid time.Time, due string, now time.Time) (level, used int) {
	deadline, err := m.office.Deadline(due)
	if err != nil || !deadline.After(paid) {
		return levelLate, 100
	}
	used = int(100 * now.Sub(paid) / deadline.Sub(paid))
	switch {
	case now.After(deadline):
		return levelLate, used
	case used >= m.cfg.AtRiskPercent:
		return levelAtRisk, used
	}
	return 0, used
}

// promised lists the files whose promise runs: paid, not ready yet, not closed.
func (m *Module) promised(ctx context.Context, q module.Querier) ([]file, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+fileCols+` FROM wf_files WHERE due <> '' AND closed_at IS NULL AND stage <> 'pickup' ORDER BY due, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []file
	for rows.Next() {
		f, err := scanFile(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Alerts lists the files at risk or late now, the latest first.
func (m *Module) Alerts(ctx context.Context) ([]AlertFile, error) {
	fs, err := m.promised(ctx, m.db)
	if err != nil {
		return nil, err
	}
	now := m.now()
	out := []AlertFile{}
	for _, f := range fs {
		if f.PaidAt == nil {
			continue
		}
		l, used := m.level(*f.PaidAt, f.Due, now)
		if l == 0 {
			continue
		}
		out = append(out, AlertFile{Number: f.Number, Stage: f.State.Stage, Status: f.State.Status, Holder: f.Holder, Due: f.Due,
			Level: levelName(l), Used: used, InStage: int(now.Sub(f.StageSince) / time.Minute)})
	}
	return out, nil
}

// scanAlerts raises a workflow.alert event, once per level, for each file that became at risk or
// late: the head's console shows it live.
func (m *Module) scanAlerts(ctx context.Context) error {
	fs, err := m.promised(ctx, m.db)
	if err != nil {
		return err
	}
	now := m.now()
	for _, f := range fs {
		if f.PaidAt == nil {
			continue
		}
		l, used := m.level(*f.PaidAt, f.Due, now)
		if l <= f.AlertLevel {
			continue
		}
		err := m.db.Update(ctx, func(tx module.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE wf_files SET alert_level = ? WHERE id = ? AND alert_level < ? AND closed_at IS NULL`, l, f.ID, l)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil
			}
			return tx.Emit(antre.Event{Type: EvAlert, Actor: "system"}, map[string]any{
				"number": f.Number, "level": levelName(l), "due": f.Due, "stage": f.State.Stage, "status": f.State.Status, "used_percent": used})
		})
		if err != nil {
			return err
		}
		m.log.Warn("file "+levelName(l), "number", f.Number, "due", f.Due, "stage", f.State.Stage)
	}
	return nil
}
