package hq

import (
	"net/http"
	"strings"
	"time"

	"antre"
	"antre/internal/httpapi"
	"antre/tally"
)

// OfficeReportLookback is how far before a period headquarters reads an office's events for
// its report, as the office's own reports module does by default (report.lookback): a file
// paid in the month before and ready in this one is judged against its payment.
const OfficeReportLookback = 62 * 24 * time.Hour

// OfficeReport is one office's figures over a period as headquarters computes them: the
// office's events as headquarters holds them, folded through tally.Period, the rules the
// office's own reports use, so that both agree to the unit on the same events.
type OfficeReport struct {
	Office     string `json:"office"`
	OfficeName string `json:"office_name"`
	tally.Report
}

// officeReport answers GET /api/v1/offices/{code}/report?from=YYYY-MM-DD&to=YYYY-MM-DD. The
// working days are the weekdays without headquarters' national holidays (an office's own
// closed days are not known here; they only move the on-time count of passport files).
func (h *HQ) officeReport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	from, to := r.URL.Query().Get("from"), r.URL.Query().Get("to")
	f, err1 := time.Parse(time.DateOnly, from)
	t, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil || t.Before(f) || t.Sub(f) > 3660*24*time.Hour {
		h.fail(w, r, antre.Errorf(antre.EINVALID, antre.MsgBadRequest, "office report from %q to %q: two dates YYYY-MM-DD, in order, at most ten years apart", from, to).WithArgs("from / to"))
		return
	}
	o, err := h.store.Office(ctx, strings.ToUpper(r.PathValue("code")))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if o.TimeZone == "" {
		h.fail(w, r, antre.Errorf(antre.ECONFLICT, antre.MsgBadState, "office %s has not yet sent its time zone (its first day event)", o.Code))
		return
	}
	loc, err := time.LoadLocation(o.TimeZone)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	holidays, err := h.store.Holidays(ctx, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	start, _ := time.ParseInLocation(time.DateOnly, from, loc)
	end, _ := time.ParseInLocation(time.DateOnly, to, loc)
	p := tally.NewPeriod(from, to, loc, antre.NewCalendar(nil, holidays))
	const batch = 5000
	for since := int64(0); ; {
		evs, err := h.store.EventsAt(ctx, o.Code, start.Add(-OfficeReportLookback), end.AddDate(0, 0, 1), since, batch)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, e := range evs {
			p.Apply(e)
			since = e.ID
		}
		if len(evs) < batch {
			break
		}
	}
	httpapi.WriteJSON(w, http.StatusOK, OfficeReport{Office: o.Code, OfficeName: o.Name, Report: p.Report()})
}
