package kiosk

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// DefaultStateDir is where a kiosk keeps what must survive its restart unless told otherwise:
// antre-kiosk in the user's cache directory (in the temporary directory when the user has
// none).
func DefaultStateDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "antre-kiosk")
}

// stateName is the state file's name in the state directory.
const stateName = "state.json"

// savedState is what survives a restart of the runtime, in StateDir/state.json: the reports
// not yet delivered to the hub, in order; the tickets owed a print, with what is needed to
// print them again in the applicant's language; and the alerts raised at the hub. The hub
// knows every unprinted ticket too, so a lost file loses reports and languages, never a number.
type savedState struct {
	Version int `json:"version"`
	// Token is a digest of the device token: one kiosk's state is never taken up by another
	// (its reports would be refused, and its tickets are not the other's to print).
	Token   string         `json:"token"`
	Reports []note         `json:"reports"`
	Tickets []ticketRecord `json:"tickets"`
	Alerts  []string       `json:"alerts,omitempty"`
}

// stateVersion is the version of savedState written.
const stateVersion = 1

// tokenDigest is how the state file names the device token: enough to tell two tokens apart,
// nothing to use in place of one.
func tokenDigest(token string) string {
	sum := sha256.Sum256([]byte("antre-kiosk-state\x00" + token))
	return hex.EncodeToString(sum[:8])
}

// stateFile writes the kiosk's state file whenever its content changes.
type stateFile struct {
	dir string

	mu   sync.Mutex // one write at a time, in the order the states were taken
	last []byte     // what the file holds
}

// save writes the state file if what must survive a restart has changed since the last write:
// the reports waiting, the tickets held or printing, the alerts raised. It is called after
// every change of those, without k.mu held.
func (k *Kiosk) save() {
	k.state.mu.Lock()
	defer k.state.mu.Unlock()
	k.mu.Lock()
	st := savedState{Version: stateVersion, Token: tokenDigest(k.cfg.Token), Reports: k.reports.queued(), Tickets: []ticketRecord{}}
	for _, code := range k.held {
		st.Tickets = append(st.Tickets, *k.tickets[code])
	}
	for _, code := range k.recent {
		if r := k.tickets[code]; r != nil && r.State == statePrinting {
			st.Tickets = append(st.Tickets, *r)
		}
	}
	for _, kind := range alertKinds() {
		if k.alerts[kind].on {
			st.Alerts = append(st.Alerts, kind)
		}
	}
	k.mu.Unlock()
	data, err := json.MarshalIndent(st, "", "\t")
	if err != nil {
		k.log.Error("kiosk state not encoded", "err", err)
		return
	}
	if bytes.Equal(data, k.state.last) {
		return
	}
	if err := writeAtomic(k.state.dir, stateName, data); err != nil {
		k.log.Error("kiosk state not saved; reports and held tickets would not survive a restart", "dir", k.state.dir, "err", err)
		return
	}
	k.state.last = data
}

// staleReport reports whether n is a print report made on an earlier day than today, in the
// office's time zone (the PC's until the office is known): its ticket code now names another
// ticket, which it must not mark.
func (k *Kiosk) staleReport(n note) bool {
	if n.Ticket == "" || n.At.IsZero() {
		return false
	}
	k.mu.Lock()
	loc := k.loc
	k.mu.Unlock()
	if loc == nil {
		loc = time.Local
	}
	return n.At.In(loc).Format(time.DateOnly) != time.Now().In(loc).Format(time.DateOnly)
}

// writeAtomic replaces dir/name with data so that a crash leaves either the old file or the
// new one: it writes a temporary file, syncs it, renames it over the old one and syncs the
// directory.
func writeAtomic(dir, name string, data []byte) error {
	f, err := os.CreateTemp(dir, name+".*.tmp") // mode 0600
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// load creates the state directory (0700) and takes up the state file left by an earlier run
// with the same token: its reports are queued again, its tickets held again, its alerts known
// to be raised. A ticket that was printing when the runtime stopped may have come out, in
// part: it is held, and that print counts as an attempt. A damaged file is set aside as
// state.json.damaged and the runtime starts afresh; the hub still lists the unprinted tickets.
func (k *Kiosk) load() error {
	dir := k.state.dir
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("kiosk: state directory: %w", err)
	}
	path := filepath.Join(dir, stateName)
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("kiosk: state file: %w", err)
	}
	var st savedState
	if err := json.Unmarshal(data, &st); err != nil || st.Version != stateVersion {
		if err == nil {
			err = fmt.Errorf("version %d, want %d", st.Version, stateVersion)
		}
		k.log.Error("kiosk state file damaged; set aside, starting afresh", "path", path, "err", err)
		return os.Rename(path, path+".damaged")
	}
	if st.Token != tokenDigest(k.cfg.Token) {
		k.log.Warn("kiosk state file belongs to another device token; not used", "path", path)
		return nil
	}
	now := time.Now()
	k.mu.Lock()
	defer k.mu.Unlock()
	k.reports.notes = append(k.reports.notes, st.Reports...)
	for _, rec := range st.Tickets {
		if rec.Issued.Code == "" || k.tickets[rec.Issued.Code] != nil {
			continue
		}
		if rec.State == statePrinting {
			rec.State, rec.Problem = stateHeld, "restart"
			rec.Attempts++
		}
		if rec.State != stateHeld {
			continue
		}
		k.rememberLocked(rec)
		k.held = append(k.held, rec.Issued.Code)
	}
	for _, kind := range st.Alerts {
		if a := k.alerts[kind]; a != nil {
			a.on, a.seen = true, now // cleared only after AlertClearAfter of this run
		}
	}
	k.state.last = data
	k.log.Info("kiosk state taken up", "path", path, "reports", len(st.Reports), "held", len(k.held), "alerts", st.Alerts)
	return nil
}
