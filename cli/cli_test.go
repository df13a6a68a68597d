package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"pauta/app"
	"pauta/backend"
)

func run(t *testing.T, launch Launcher, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	if launch == nil {
		launch = func(*app.App) error { t.Fatal("window launched"); return nil }
	}
	code := Run(Env{Args: args, Stdout: &out, Stderr: &errb, Version: "1.2.3",
		Clock: backend.FixedClock{T: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}, Launch: launch})
	return code, out.String(), errb.String()
}

func TestHelpAndVersion(t *testing.T) {
	if code, out, _ := run(t, nil, "--help"); code != 0 || !strings.Contains(out, "pauta demo") {
		t.Errorf("help: %d %q", code, out)
	}
	if code, out, _ := run(t, nil, "--version"); code != 0 || out != "pauta 1.2.3\n" {
		t.Errorf("version: %d %q", code, out)
	}
	if code, _, errOut := run(t, nil, "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: %d %q", code, errOut)
	}
	if code, _, errOut := run(t, nil, "--nope"); code != 2 || !strings.Contains(errOut, "nope") {
		t.Errorf("unknown flag: %d %q", code, errOut)
	}
}

func TestDemoTwiceCreatesNothingNew(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := run(t, nil, "demo", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "created client Panadería Sol") || !strings.Contains(out, "Created 3 clients, 6 accounts,") {
		t.Fatalf("first demo: %d %q %q", code, out, errOut)
	}
	code, out, _ = run(t, nil, "demo", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "Created 0 clients, 0 accounts, 0 posts.") || !strings.Contains(out, "already there") {
		t.Fatalf("second demo: %d %q", code, out)
	}
}

func TestDataDirFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PAUTA_DATA_DIR", dir)
	var got string
	code, _, errOut := run(t, func(a *app.App) error {
		s, err := a.Settings.Get()
		got = s.DataDir
		return err
	})
	if code != 0 || got != dir {
		t.Errorf("launch with env data dir: %d %q %q", code, got, errOut)
	}
}

func TestLaunchWithDemoAndLaunchFailure(t *testing.T) {
	dir := t.TempDir()
	var clients int
	code, _, _ := run(t, func(a *app.App) error {
		ws, err := a.Clients.Workspace(false)
		clients = len(ws.Clients)
		return err
	}, "--data-dir", dir, "--demo")
	if code != 0 || clients != 3 {
		t.Errorf("--demo: code %d, %d clients", code, clients)
	}
	code, _, errOut := run(t, func(*app.App) error { return errors.New("no display") }, "--data-dir", dir)
	if code != 1 || !strings.Contains(errOut, "no display") {
		t.Errorf("launch failure: %d %q", code, errOut)
	}
}

func TestUnusableDataDir(t *testing.T) {
	code, _, errOut := run(t, nil, "demo", "--data-dir", "/proc/pauta-cannot-be-here")
	if code != 1 || !strings.Contains(errOut, "cannot create the data folder") {
		t.Errorf("unusable data dir: %d %q", code, errOut)
	}
}

// PAUTA_CLOCK_SHIFT runs the app on a moved clock, and says so; a value
// that is not a duration is refused before anything is opened.
func TestClockShift(t *testing.T) {
	base := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	start := func(shift string) (int, time.Time, string) {
		var errb bytes.Buffer
		var got time.Time
		code := Run(Env{Args: []string{"--data-dir", t.TempDir()}, Stdout: &bytes.Buffer{}, Stderr: &errb, Version: "1",
			Clock:  backend.FixedClock{T: base},
			Getenv: func(k string) string { return map[string]string{ClockShiftEnv: shift}[k] },
			Launch: func(a *app.App) error { got = a.Clock().Now(); return nil }})
		return code, got, errb.String()
	}
	if code, now, msg := start("24h"); code != 0 || !now.Equal(base.Add(24*time.Hour)) || !strings.Contains(msg, "clock shifted by 24h0m0s") {
		t.Fatalf("24h: %d %v %q", code, now, msg)
	}
	if code, now, msg := start(""); code != 0 || !now.Equal(base) || msg != "" {
		t.Fatalf("unset: %d %v %q", code, now, msg)
	}
	if code, now, msg := start("tomorrow"); code != 2 || !now.IsZero() || !strings.Contains(msg, `PAUTA_CLOCK_SHIFT="tomorrow" is not a duration`) {
		t.Fatalf("not a duration: %d %v %q", code, now, msg)
	}
}
