package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"antre"
	"antre/internal/httpapi"
)

// monthlyCheck is how often the worker looks whether last month's report is written.
const monthlyCheck = time.Hour

// monthly is the worker that keeps last month's report in the data directory: at the start of
// serving and every hour it writes DATA/reports/YYYY-MM.pdf and YYYY-MM.json (Indonesian) for
// the month before the current one, unless they exist or the office's log starts after it.
func (m *Module) monthly(ctx context.Context) error {
	t := time.NewTicker(monthlyCheck)
	defer t.Stop()
	for {
		if _, err := m.WriteMonthly(ctx); err != nil && ctx.Err() == nil {
			m.log.Error("monthly report failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// WriteMonthly writes the previous month's report files if they are missing and returns the
// PDF's path ("" when nothing was written: it exists, or no event is that old).
func (m *Module) WriteMonthly(ctx context.Context) (string, error) {
	loc := m.host.Office().Location
	now := m.host.Now().In(loc)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
	prev := first.AddDate(0, -1, 0)
	path := filepath.Join(m.dir, prev.Format("2006-01")+".pdf")
	if _, err := os.Stat(path); err == nil {
		return "", nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	evs, err := m.events.EventsSince(ctx, 0, 1)
	if err != nil || len(evs) == 0 || !evs[0].At.Before(first) {
		return "", err
	}
	pr := Period{From: prev.Format(time.DateOnly), To: first.AddDate(0, 0, -1).Format(time.DateOnly)}
	doc, err := m.document(ctx, pr)
	if err != nil {
		return "", err
	}
	var pdf bytes.Buffer
	if err := WritePDF(&pdf, doc, "id", now); err != nil {
		return "", err
	}
	js, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(m.dir, 0o750); err != nil {
		return "", err
	}
	if err := writeFile(filepath.Join(m.dir, prev.Format("2006-01")+".json"), js); err != nil {
		return "", err
	}
	if err := writeFile(path, pdf.Bytes()); err != nil {
		return "", err
	}
	m.log.Info("monthly report written", "path", path, "issued", doc.Tickets.Issued)
	return path, nil
}

// writeFile writes b to path through a temporary file and a rename, so a reader never sees
// half a report.
func writeFile(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o640); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// monthlyName is a kept report's file name: YYYY-MM.pdf or YYYY-MM.json.
var monthlyName = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}\.(pdf|json)$`)

// Monthly lists the kept monthly reports' file names, newest first.
func (m *Module) Monthly() ([]string, error) {
	entries, err := os.ReadDir(m.dir)
	if errors.Is(err, os.ErrNotExist) {
		return []string{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, e := range entries {
		if monthlyName.MatchString(e.Name()) {
			out = append(out, e.Name())
		}
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out, nil
}

func (m *Module) handleMonthlyList(w http.ResponseWriter, r *http.Request) {
	files, err := m.Monthly()
	if err != nil {
		m.fail(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"files": files})
}

// handleMonthlyFile serves one kept report; a name that is not YYYY-MM.pdf or .json, or a
// report not written, is not found.
func (m *Module) handleMonthlyFile(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	if !monthlyName.MatchString(name) {
		m.fail(w, r, antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "no monthly report %q", truncate(name, 20)))
		return
	}
	b, err := os.ReadFile(filepath.Join(m.dir, name))
	if errors.Is(err, os.ErrNotExist) {
		m.fail(w, r, antre.Errorf(antre.ENOTFOUND, antre.MsgNotFound, "no monthly report %s", name))
		return
	}
	if err != nil {
		m.fail(w, r, err)
		return
	}
	if strings.HasSuffix(name, ".pdf") {
		w.Header().Set("Content-Type", "application/pdf")
	} else {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	w.Header().Set("Content-Disposition", `attachment; filename="antre-laporan-`+name+`"`)
	w.Write(b)
}
