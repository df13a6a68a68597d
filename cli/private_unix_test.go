//go:build unix

package cli

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"pauta/app"
)

// asUnprivileged reports whether the calling test should run its body here.
// Root ignores file modes, so under root the test re-runs itself in a copy of
// the test binary as nobody and this process only checks that it passed.
func asUnprivileged(t *testing.T) bool {
	t.Helper()
	if os.Geteuid() != 0 || os.Getenv("PAUTA_CLI_UNPRIVILEGED") != "" {
		return true
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "pauta-unprivileged-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, "tmp")
	os.Mkdir(tmp, 0o777)
	os.Chmod(tmp, 0o1777)
	os.Chmod(dir, 0o755)
	bin := filepath.Join(dir, "cli.test")
	src, err := os.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	dst, err := os.OpenFile(bin, os.O_WRONLY|os.O_CREATE, 0o755)
	if err == nil {
		_, err = io.Copy(dst, src)
		dst.Close()
	}
	src.Close()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^"+t.Name()+"$", "-test.v", "-test.count=1")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PAUTA_CLI_UNPRIVILEGED=1", "TMPDIR="+tmp)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("--- PASS: "+t.Name())) {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
	return false
}

// export-ics reads a workspace whose database is 0444 in a 0555 folder (a
// backup, a read-only share) and leaves it exactly as it was.
func TestExportICSOnAReadOnlyWorkspace(t *testing.T) {
	if !asUnprivileged(t) {
		return
	}
	ws := demoWorkspace(t)
	scheduled, _ := demoPosts(t, ws)
	db := filepath.Join(ws, app.DBFile)
	os.Chmod(db, 0o444)
	os.Chmod(ws, 0o555)
	t.Cleanup(func() { os.Chmod(ws, 0o700) })
	before, _ := os.ReadFile(db)
	names := func() string {
		es, _ := os.ReadDir(ws)
		var n []string
		for _, e := range es {
			n = append(n, e.Name())
		}
		return strings.Join(n, " ")
	}
	listed := names()

	code, out, errOut := exportICS(t, "--data-dir", ws, "-o", "-")
	if code != 0 {
		t.Fatalf("export of a read-only workspace: %d %q", code, errOut)
	}
	if n := len(calEvents(parseCal(t, out))); n != scheduled {
		t.Errorf("%d events, want %d", n, scheduled)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) || names() != listed {
		t.Errorf("the read-only workspace changed: %s → %s", listed, names())
	}
}

// Everything Pauta creates in a new workspace is private under the usual
// umask 022: the folder 0700, pauta.db, its -wal and -shm and the lock 0600.
func TestWorkspaceFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	ws := filepath.Join(t.TempDir(), "pauta")
	var seen []string
	code, _, errOut := run(t, func(a *app.App) error {
		// While the window is open, the WAL files exist.
		return filepath.WalkDir(ws, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			want := fs.FileMode(0o600)
			if d.IsDir() {
				want = 0o700
			}
			if info.Mode().Perm() != want {
				t.Errorf("%s is %v, want %v", p, info.Mode().Perm(), want)
			}
			seen = append(seen, d.Name())
			return nil
		})
	}, "--data-dir", ws, "--demo")
	if code != 0 {
		t.Fatalf("%d %q", code, errOut)
	}
	for _, f := range []string{"pauta.db", "pauta.db-wal", "pauta.db-shm", "pauta.lock"} {
		if !strings.Contains(" "+strings.Join(seen, " ")+" ", " "+f+" ") {
			t.Errorf("%s not created (saw %v)", f, seen)
		}
	}
}
