package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pauta/app"
)

// Without a desktop, a window start says so in one line of the system's
// language, exits non-zero and creates nothing (no folder, no pauta.db).
func TestNoDisplayRefusesAndCreatesNothing(t *testing.T) {
	for lang, want := range map[string]string{
		"es_ES.UTF-8": "sesión de escritorio", "it_IT.UTF-8": "sessione desktop", "en_GB.UTF-8": "desktop session", "C": "desktop session", "de_DE.UTF-8": "desktop session",
	} {
		for _, args := range [][]string{{}, {"--demo"}} {
			dir := filepath.Join(t.TempDir(), "ws")
			var out, errb bytes.Buffer
			env := map[string]string{"LANG": lang}
			code := Run(Env{Args: append([]string{"--data-dir", dir}, args...), Stdout: &out, Stderr: &errb, Version: "1",
				Display: func() bool { return false },
				Getenv:  func(k string) string { return env[k] },
				Launch:  func(*app.App) error { t.Fatal("window launched"); return nil }})
			msg := errb.String()
			if code == 0 || !strings.Contains(msg, want) || !strings.Contains(msg, "pauta --help") || strings.Count(msg, "\n") != 1 || out.Len() != 0 {
				t.Errorf("%s %v: code %d, stdout %q, stderr %q", lang, args, code, out.String(), msg)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("%s %v: the workspace folder was created (%v)", lang, args, err)
			}
		}
	}
}

// The command line works without a desktop: only the window needs one.
func TestNoDisplayCommandLineStillWorks(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	code := Run(Env{Args: []string{"demo", "--data-dir", dir}, Stdout: &out, Stderr: &errb, Version: "1",
		Display: func() bool { return false }, Launch: func(*app.App) error { return nil }})
	if code != 0 {
		t.Fatalf("demo without a display: %d %s", code, errb.String())
	}
	for _, args := range [][]string{{"--version"}, {"--help"}} {
		out.Reset()
		if code := Run(Env{Args: args, Stdout: &out, Stderr: &errb, Version: "1", Display: func() bool { return false }}); code != 0 || out.Len() == 0 {
			t.Errorf("%v without a display: %d", args, code)
		}
	}
}

func TestDesktopSession(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		vars map[string]string
		goos string
		want bool
	}{
		{map[string]string{}, "linux", false},
		{map[string]string{"DISPLAY": ":0"}, "linux", true},
		{map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, "linux", true},
		{map[string]string{}, "freebsd", false},
		{map[string]string{}, "windows", true},
		{map[string]string{}, "darwin", true},
	}
	for _, c := range cases {
		if got := DesktopSession(env(c.vars), c.goos); got != c.want {
			t.Errorf("%v %s: %v", c.vars, c.goos, got)
		}
	}
}
