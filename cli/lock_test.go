package cli

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"pauta/app"
	"pauta/backend"
	"pauta/backend/wslock"
)

// While a Pauta window holds the workspace: `pauta demo` is refused naming
// its process, a second window start is handed to it without opening the
// store, and export-ics works (read-only, seeing the window's latest write).
// Once the window is killed (kill -9) the workspace opens again.
func TestCommandsWhileTheWindowHoldsTheWorkspace(t *testing.T) {
	ws := demoWorkspace(t)
	scheduled, _ := demoPosts(t, ws)
	window := startWindow(t, ws)
	holder := fmt.Sprintf("is open in another Pauta (process %d, the window); close it first", window.Process.Pid)

	code, out, errOut := run(t, nil, "demo", "--data-dir", ws)
	if code != 1 || out != "" || !strings.Contains(errOut, holder) {
		t.Errorf("demo while the window runs: %d %q %q", code, out, errOut)
	}

	var fwdDir string
	var fwdErr error
	var stderr bytes.Buffer
	code = Run(Env{Args: []string{"--data-dir", ws}, Stdout: &stderr, Stderr: &stderr, Version: "test",
		Clock:   backend.FixedClock{T: exportNow},
		Launch:  func(*app.App) error { t.Error("a second window opened the store"); return nil },
		Forward: func(dir string, busy error) error { fwdDir, fwdErr = dir, busy; return nil }})
	if code != 1 || fwdDir != ws || !wslock.IsLocked(fwdErr) || !strings.Contains(stderr.String(), holder) {
		t.Errorf("second window start: %d, forwarded %q %v, %q", code, fwdDir, fwdErr, stderr.String())
	}

	code, out, errOut = exportICS(t, "--data-dir", ws, "-o", "-")
	if code != 0 || len(calEvents(parseCal(t, out))) != scheduled {
		t.Errorf("export while the window runs: %d %q, %d events want %d", code, errOut, len(calEvents(parseCal(t, out))), scheduled)
	}
	if code, _, errOut := exportICS(t, "--data-dir", ws, "--client", "Fresh in WAL", "-o", "-"); code != 0 {
		t.Errorf("the export does not see the window's latest write: %d %q", code, errOut)
	}

	window.Process.Kill()
	if err := window.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("the window process was not running until killed: %v", err)
	}
	start := time.Now()
	if code, out, errOut := run(t, nil, "demo", "--data-dir", ws); code != 0 || !strings.Contains(out, "Created 0 clients") {
		t.Errorf("demo after kill -9 of the window: %d %q %q", code, out, errOut)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("opening after the kill took %s", d)
	}
}
