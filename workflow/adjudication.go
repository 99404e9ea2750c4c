package workflow

import (
	"context"
	"sync"

	"antre"
	"antre/module"
)

// CheckView is a check's latest answer as staff see it.
type CheckView struct {
	Result antre.CheckResult `json:"result"`
	Source string            `json:"source"`
	Ref    string            `json:"ref,omitempty"`
	At     int64             `json:"at"`
}

// RunChecks asks the outside checks of a file at adjudication that have not answered yet and
// records their answers (see runChecks); the adjudicator or the head asks.
func (m *Module) RunChecks(ctx context.Context, p antre.Principal, number string) (map[antre.CheckKind]antre.CheckResult, error) {
	if p.Role != antre.RoleAdjudicator && p.Role != antre.RoleHead {
		return nil, forbidden(p, "run the checks")
	}
	number, err := antre.ParseApplicationNumber(number)
	if err != nil {
		return nil, err
	}
	return m.runChecks(ctx, number, p.Name)
}

// runChecks asks, outside any transaction, every check of a file at adjudication whose answer
// is missing or pending, and records the answers in one change with a workflow.checked event. A
// check that does not answer is recorded as pending, never clear. A cekal hit holds the file for
// enforcement (Wasdakim) in the same change; a duplicate or biometric match puts a file in
// normal work under the adjudicator's review. Answers already recorded (clear or hit) are not
// asked again. It returns the file's answers after.
func (m *Module) runChecks(ctx context.Context, number, actor string) (map[antre.CheckKind]antre.CheckResult, error) {
	f, err := loadFile(ctx, m.db, number)
	if err != nil {
		return nil, err
	}
	have, err := loadChecks(ctx, m.db, number)
	if err != nil {
		return nil, err
	}
	if f.State.Stage != antre.StageAdjudication || !f.State.Workable() {
		return have, nil
	}
	var ask []antre.CheckKind
	for _, k := range antre.CheckKinds {
		if r := have[k]; r == "" || r == antre.CheckPending {
			ask = append(ask, k)
		}
	}
	if len(ask) == 0 {
		return have, nil
	}
	subj := Subject{Application: f.Number, NIK: f.NIK, Name: f.Name, BirthDate: f.BirthDate, BirthPlace: f.BirthPlace, Female: f.Female}
	answers := make([]CheckView, len(ask))
	var wg sync.WaitGroup
	for i, k := range ask {
		wg.Go(func() {
			c := m.checks[k]
			v, err := c.Check(ctx, subj)
			src := sourceOf(c)
			if err != nil {
				m.log.Warn("check did not answer: pending", "check", k, "number", number, "err", err)
				answers[i] = CheckView{Result: antre.CheckPending, Source: src}
				return
			}
			answers[i] = CheckView{Result: v.Result, Source: src, Ref: v.Ref}
		})
	}
	wg.Wait()
	changed := false
	for i, k := range ask {
		changed = changed || have[k] != answers[i].Result
	}
	if !changed {
		return have, nil
	}
	out := map[antre.CheckKind]antre.CheckResult{}
	err = m.db.Update(ctx, func(tx module.Tx) error {
		f, err := loadFile(ctx, tx, number)
		if err != nil {
			return err
		}
		if f.State.Stage != antre.StageAdjudication || !f.State.Workable() {
			return nil // it moved on meanwhile: the answers are no longer needed
		}
		now := ms(tx.Now())
		results := map[antre.CheckKind]antre.CheckResult{}
		for i, k := range ask {
			a := answers[i]
			if _, err := tx.ExecContext(ctx, `INSERT INTO wf_checks (number, kind, result, source, ref, at) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (number, kind) DO UPDATE SET result = excluded.result, source = excluded.source, ref = excluded.ref, at = excluded.at`,
				number, k, a.Result, a.Source, a.Ref, now); err != nil {
				return err
			}
			results[k] = a.Result
		}
		if out, err = loadChecks(ctx, tx, number); err != nil {
			return err
		}
		if err := tx.Emit(antre.Event{Type: EvChecked, Actor: actor}, map[string]any{"number": number, "results": results}); err != nil {
			return err
		}
		switch {
		case results[antre.CheckCekal] == antre.CheckHit:
			to, err := f.State.Next(antre.StepCekalHit, antre.FileFacts{})
			if err != nil {
				return err
			}
			m.log.Warn("cekal hit: file held for enforcement", "number", number)
			return setState(ctx, tx, &f, to, antre.StepCekalHit, actor, "", false, nil)
		case (results[antre.CheckDuplicate] == antre.CheckHit || results[antre.CheckBiometric] == antre.CheckHit) && f.State.Status == antre.FileOpen:
			to, err := f.State.Next(antre.StepDuplicate, antre.FileFacts{})
			if err != nil {
				return err
			}
			return setState(ctx, tx, &f, to, antre.StepDuplicate, actor, "", true, nil)
		}
		return nil
	})
	return out, err
}

// sourceOf names the adapter a check answered through.
func sourceOf(c Checker) string {
	switch c.(type) {
	case *ListChecker:
		return "list"
	case *HTTPChecker:
		return "http"
	case noChecker:
		return "none"
	}
	return "custom"
}

// checkWaiting asks the checks of the files at adjudication that have not all answered: done
// early, before the adjudicator takes the file, and again while a check is pending.
func (m *Module) checkWaiting(ctx context.Context) error {
	rows, err := m.db.QueryContext(ctx, `SELECT number FROM wf_files f WHERE stage = 'adjudication'
		AND status IN ('open', 'biometric_review', 'duplicate_review') AND closed_at IS NULL
		AND (SELECT COUNT(*) FROM wf_checks c WHERE c.number = f.number AND c.result <> 'pending') < ? ORDER BY id LIMIT 100`,
		len(antre.CheckKinds))
	if err != nil {
		return err
	}
	var numbers []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		numbers = append(numbers, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, n := range numbers {
		if ctx.Err() != nil {
			return nil
		}
		if _, err := m.runChecks(ctx, n, "system"); err != nil && antre.ErrorCode(err) == antre.EINTERNAL {
			return err
		}
	}
	return nil
}
