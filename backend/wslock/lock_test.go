//go:build unix

package wslock_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/wslock"
)

// With PAUTA_WSLOCK_HOLD=<dir> the test binary is a holder process: it takes
// the lock, says so and waits to be killed.
func TestMain(m *testing.M) {
	if dir := os.Getenv("PAUTA_WSLOCK_HOLD"); dir != "" {
		if _, err := wslock.Acquire(dir, "holder test"); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("locked")
		io.Copy(io.Discard, os.Stdin) // hold until killed or the test's pipe closes
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// startHolder runs a holder process on dir and returns once it holds the lock.
func startHolder(t *testing.T, dir string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "PAUTA_WSLOCK_HOLD="+dir)
	if _, err := cmd.StdinPipe(); err != nil { // kept open: the holder waits on it
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "locked" {
		t.Fatalf("holder: %q %v", line, err)
	}
	return cmd
}

// A second process is refused with store.locked naming the holder's PID and
// role; kill -9 of the holder frees the workspace at once.
func TestAnotherProcessIsRefusedAndAKilledHolderFreesIt(t *testing.T) {
	dir := t.TempDir()
	holder := startHolder(t, dir)
	_, err := wslock.Acquire(dir, "second")
	e := backend.AsError(err)
	if e == nil || e.Key != "store.locked" || e.Code != backend.EConflict || !wslock.IsLocked(err) {
		t.Fatalf("second acquire: %v", err)
	}
	pid := strconv.Itoa(holder.Process.Pid)
	if e.Params["pid"] != pid || !strings.Contains(e.Message, "(process "+pid+", holder test)") {
		t.Errorf("refusal does not name the holder %s: %q %v", pid, e.Message, e.Params)
	}
	if err := holder.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := holder.Wait(); !killed(err) {
		t.Fatalf("the holder was not running until killed: %v", err)
	}
	l, err := wslock.Acquire(dir, "second")
	if err != nil {
		t.Fatalf("after kill -9 the workspace stays locked: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, wslock.File)); string(b) != fmt.Sprintf("%d\nsecond\n", os.Getpid()) {
		t.Errorf("lock file names %q", b)
	}
	if err := l.Release(); err != nil {
		t.Error(err)
	}
}

// The lock belongs to the open file: a second Acquire in the same process is
// refused too; Release frees it and can be called twice.
func TestSameProcessTwice(t *testing.T) {
	dir := t.TempDir()
	l, err := wslock.Acquire(dir, "first")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wslock.Acquire(dir, "second"); !wslock.IsLocked(err) || !strings.Contains(err.Error(), fmt.Sprintf("(process %d, first)", os.Getpid())) {
		t.Fatalf("second acquire in the same process: %v", err)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if err := l.Release(); err != nil {
		t.Errorf("second release: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, wslock.File)); len(b) != 0 {
		t.Errorf("a released lock still names %q", b)
	}
	l2, err := wslock.Acquire(dir, "again")
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	l2.Release()
}

// The data folder is created 0700 and the lock file 0600 with umask 022.
func TestLockFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "new", "ws")
	l, err := wslock.Acquire(dir, "x")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if st, err := os.Stat(dir); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("folder %v %v", st.Mode().Perm(), err)
	}
	if st, err := os.Stat(filepath.Join(dir, wslock.File)); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("lock file %v %v", st.Mode().Perm(), err)
	}
}

// A holder that has locked but not yet written its name is still refused
// (without a PID), not mistaken for a free workspace.
func TestUnnamedHolder(t *testing.T) {
	dir := t.TempDir()
	l, err := wslock.Acquire(dir, "x")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	os.Truncate(filepath.Join(dir, wslock.File), 0)
	start := time.Now()
	_, err = wslock.Acquire(dir, "y")
	if e := backend.AsError(err); e == nil || e.Key != "store.locked" || e.Params["pid"] != "?" {
		t.Fatalf("unnamed holder: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("refusal took %s", d)
	}
}

// killed reports whether a process ended by SIGKILL (and so was alive until then).
func killed(err error) bool {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}
