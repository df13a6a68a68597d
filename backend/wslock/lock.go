// Package wslock keeps one Pauta process per workspace: an exclusive OS lock
// (flock on Unix, LockFileEx on Windows) on <data dir>/pauta.lock, held for
// the process's lifetime and dropped by the OS when the process dies, so a
// kill -9 never leaves the workspace locked. The file names the holder so a
// refused second process can say which one to close.
package wslock

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"pauta/backend"
)

// File is the lock file's name inside the data directory.
const File = "pauta.lock"

// errBusy is what tryLock returns when another open file holds the lock.
var errBusy = errors.New("workspace lock held")

// Holder is the process named in the lock file.
type Holder struct {
	PID  int    // 0 when the holder has not written its name yet
	Role string // "the window", "pauta demo", …
}

// Lock is a held workspace lock.
type Lock struct {
	mu   sync.Mutex
	f    *os.File
	path string
}

// Acquire takes the lock on the workspace in dir (creating dir 0700 and the
// lock file 0600), without waiting. role says who holds it, for the message
// a refused process shows. A lock held elsewhere (another process, or
// another Acquire in this one) is refused with the store.locked error.
func Acquire(dir, role string) (*Lock, error) {
	if dir == "" {
		dir = "." // as filepath.Join(dir, "pauta.db") reads it
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, backend.Errorf(backend.EUnavailable, "store.dir", "cannot create the data folder %s: %v", dir, err).WithParam("path", dir)
	}
	path := filepath.Join(dir, File)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, backend.Errorf(backend.EUnavailable, "store.open", "cannot open the workspace lock %s: %v", path, err).WithParam("path", dir)
	}
	if err := tryLock(f); err != nil {
		f.Close()
		if errors.Is(err, errBusy) {
			return nil, lockedError(dir, readHolder(path))
		}
		return nil, backend.Errorf(backend.EUnavailable, "store.open", "cannot lock the workspace %s: %v", dir, err).WithParam("path", dir)
	}
	// The holder's name is a courtesy for the refusal message: failing to
	// write it does not make the lock less held.
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(fmt.Sprintf("%d\n%s\n", os.Getpid(), role)), 0)
	}
	return &Lock{f: f, path: path}, nil
}

// Release drops the lock; a second call does nothing. The file stays: deleting
// it while another process waits to open it would let two processes lock two
// different files of the same name.
func (l *Lock) Release() error {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	_ = l.f.Truncate(0) // a stale name must not be blamed later
	err := unlock(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

// readHolder reads the holder's name, waiting briefly for a holder that
// has locked the file but not yet written it.
func readHolder(path string) Holder {
	var h Holder
	for i := 0; i < 5; i++ {
		if h = parseHolder(path); h.PID != 0 {
			return h
		}
		time.Sleep(20 * time.Millisecond)
	}
	return h
}

func parseHolder(path string) Holder {
	f, err := os.Open(path)
	if err != nil {
		return Holder{}
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, 512))
	lines := strings.SplitN(string(b), "\n", 3)
	pid, err := strconv.Atoi(strings.TrimSpace(lines[0]))
	if err != nil || pid <= 0 || len(lines) < 2 {
		return Holder{}
	}
	return Holder{PID: pid, Role: strings.TrimSpace(lines[1])}
}

// lockedError is the refusal: a *backend.Error naming the running process.
func lockedError(dir string, h Holder) *backend.Error {
	if h.PID == 0 {
		return backend.Errorf(backend.EConflict, "store.locked",
			"the workspace in %s is open in another Pauta; close it first", dir).
			WithParam("path", dir).WithParam("pid", "?").WithParam("role", "")
	}
	role := h.Role
	if role == "" {
		role = "Pauta"
	}
	return backend.Errorf(backend.EConflict, "store.locked",
		"the workspace in %s is open in another Pauta (process %d, %s); close it first", dir, h.PID, role).
		WithParam("path", dir).WithParam("pid", strconv.Itoa(h.PID)).WithParam("role", h.Role)
}

// IsLocked reports whether err is the refusal of a workspace held elsewhere.
func IsLocked(err error) bool {
	var e *backend.Error
	return errors.As(err, &e) && e.Key == "store.locked"
}
