package server

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockData takes the data directory for this hub's life: an exclusive lock on DIR/antre.lock,
// which holds the hub's PID. A second hub on the same directory would split the live stream (a
// display on one would miss tickets issued through the other), so it is refused with the
// holder's PID. The lock ends with the process, however it ends.
func lockData(dir string) (release func(), err error) {
	path := filepath.Join(dir, "antre.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("data directory lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			pid := strings.TrimSpace(string(b))
			if pid == "" {
				pid = "unknown"
			}
			return nil, fmt.Errorf("another antre server (PID %s) is using the data directory %s; stop it first, or give this hub its own directory (--data)", pid, dir)
		}
		return nil, fmt.Errorf("data directory lock %s: %w", path, err)
	}
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return func() {
		f.Truncate(0)
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
