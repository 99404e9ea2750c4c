package workflow

import (
	"context"
	"strconv"
	"strings"
	"time"

	"antre"
)

// PublicStatus is what anyone may learn about an application from its number: its stage and
// status in plain words, the promised date and what to do next. Never the applicant's identity,
// never an internal reason (a cekal hit, a duplicate and a biometric review all read "in
// review").
type PublicStatus struct {
	Number string      `json:"number"`
	Stage  antre.Stage `json:"stage"`
	Status string      `json:"status"`
	Due    string      `json:"due,omitempty"`
	Text   string      `json:"text"`
	Next   string      `json:"next"`
}

// publicStatus is a file's status as the applicant sees it: waiting, in_progress, bap_required,
// retake, in_review, ready, picked_up, refused or returned.
func publicStatus(f file) string {
	switch f.State.Status {
	case antre.FilePickedUp, antre.FileRefused, antre.FileReturned, antre.FileBAPRequired, antre.FileRetake:
		return string(f.State.Status)
	case antre.FileHeld, antre.FileAwaitingDecision, antre.FileDuplicateReview, antre.FileBiometricReview:
		return "in_review"
	}
	switch {
	case f.State.Stage == antre.StagePickup:
		return "ready"
	case f.Holder != "":
		return "in_progress"
	}
	return "waiting"
}

// stageText names a stage for applicants, in both languages.
func stageText(s antre.Stage) antre.Text {
	return antre.Text{ID: antre.T("id", antre.MsgKey("workflow.stage."+string(s))), EN: antre.T("en", antre.MsgKey("workflow.stage."+string(s)))}
}

// statusText is the file's status in plain words in lang.
func (m *Module) statusText(f file, lang string) string {
	st := publicStatus(f)
	if st == "waiting" || st == "in_progress" {
		return antre.T(lang, antre.MsgKey("workflow.public."+st), stageText(f.State.Stage))
	}
	return antre.T(lang, antre.MsgKey("workflow.public."+st))
}

// nextText says what the applicant does next, in lang.
func (m *Module) nextText(f file, lang string) string {
	key := publicStatus(f)
	if key == "waiting" || key == "in_progress" {
		key = "wait"
		if f.State.Stage == antre.StagePayment {
			return antre.T(lang, "workflow.next.pay", rupiah(f.Fee))
		}
	}
	return antre.T(lang, antre.MsgKey("workflow.next."+key))
}

// rupiah formats an amount as Indonesians write it: Rp350.000.
func rupiah(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return "Rp" + b.String()
}

// Status returns the public status of an application in lang, or a not_found error. Found or
// not, the look-up runs the same query; the handler evens out the answer's timing.
func (m *Module) Status(ctx context.Context, number, lang string) (PublicStatus, error) {
	number, err := antre.ParseApplicationNumber(strings.TrimSpace(number))
	if err != nil {
		return PublicStatus{}, err
	}
	f, err := loadFile(ctx, m.db, number)
	if err != nil {
		return PublicStatus{}, err
	}
	return PublicStatus{Number: f.Number, Stage: f.State.Stage, Status: publicStatus(f), Due: f.Due,
		Text: m.statusText(f, lang), Next: m.nextText(f, lang)}, nil
}

// statusService answers the SMS module's STATUS command (sms.ApplicationStatus).
type statusService struct{ m *Module }

// StatusText is an application's status in plain words for an SMS, with the promised date once
// it is known; nothing personal, no internal reason. An unknown number is a not_found error.
func (s statusService) StatusText(ctx context.Context, number, lang string) (string, error) {
	if _, err := antre.ParseApplicationNumber(number); err != nil {
		return "", antre.Errorf(antre.ENOTFOUND, msgNotFound, "application %q", truncate(number, 32))
	}
	st, err := s.m.Status(ctx, number, lang)
	if err != nil {
		return "", err
	}
	t := strings.TrimSuffix(st.Text, ".")
	if st.Due != "" && st.Status != "picked_up" && st.Status != "ready" {
		if d, err := time.Parse(time.DateOnly, st.Due); err == nil {
			t += antre.T(lang, "workflow.sms.due", d.Format("02-01-2006"))
		}
	}
	return t, nil
}
