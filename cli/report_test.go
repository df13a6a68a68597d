package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"pauta/app"
	"pauta/backend"
	"pauta/backend/demo"
	"pauta/backend/sqlite"
)

func reportCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(Env{Args: append([]string{"report"}, args...), Stdout: &out, Stderr: &errb, Version: "test",
		Clock: backend.FixedClock{T: exportNow}, Launch: func(*app.App) error { t.Fatal("window launched"); return nil }})
	return code, out.String(), errb.String()
}

func TestReportCommand(t *testing.T) {
	dir := demoWorkspace(t)
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, app.DBFile), backend.FixedClock{T: exportNow})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedHistory(context.Background(), db, backend.FixedClock{T: exportNow}, []string{"Studio Brera"}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out := filepath.Join(t.TempDir(), "report.pdf")
	code, stdout, stderr := reportCmd(t, "--data-dir", dir, "--client", "studio brera", "--month", "2026-10", "-o", out)
	if code != 0 || !strings.Contains(stdout, "Studio Brera") {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		txt, err := exec.Command("pdftotext", out, "-").Output()
		if err != nil || !strings.Contains(string(txt), "Report mensile") || !strings.Contains(string(txt), "ottobre 2026") {
			t.Fatalf("pdf text %q %v", txt, err)
		}
	}
	csvOut := filepath.Join(t.TempDir(), "posts.csv")
	code, _, stderr = reportCmd(t, "--data-dir", dir, "--client", "Studio Brera", "--from", "2026-10-01", "--to", "2026-10-31", "--csv", "-o", csvOut)
	b, _ := os.ReadFile(csvOut)
	if code != 0 || !strings.HasPrefix(string(b), "\ufeffdata;ora;rete") {
		t.Fatalf("exit %d %s: %q", code, stderr, string(b[:min(40, len(b))]))
	}

	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--data-dir", dir, "--month", "2026-10", "-o", out}, 2, "--client"},
		{[]string{"--data-dir", dir, "--client", "Nadie", "--month", "2026-10", "-o", out}, 1, `no client is called "Nadie"`},
		{[]string{"--data-dir", dir, "--client", "Studio Brera", "--month", "2026-13", "-o", out}, 1, "is not a month"},
		{[]string{"--data-dir", dir, "--client", "Studio Brera", "--month", "2026-10", "-o", filepath.Join(dir, "missing", "r.pdf")}, 1, "cannot write"},
		{[]string{"--data-dir", t.TempDir(), "--client", "Studio Brera", "--month", "2026-10", "-o", out}, 1, "no Pauta workspace"},
	} {
		code, _, stderr := reportCmd(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d %q, want %d %q", c.args, code, stderr, c.code, c.want)
		}
	}
}
