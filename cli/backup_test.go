package cli

import (
	"archive/zip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pauta/app"
	"pauta/backend"
	"pauta/backend/sqlite"
)

func TestBackupWhileTheAppIsOpen(t *testing.T) {
	ws := importWorkspace(t)
	// The app holds the workspace (and writes to it) while the backup runs.
	a, err := app.New(context.Background(), app.Config{DataDir: ws, Role: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	media := filepath.Join(ws, "media", "ab", strings.Repeat("ab", 32)+".jpg")
	os.MkdirAll(filepath.Dir(media), 0o700)
	os.WriteFile(media, []byte("an image"), 0o600)
	os.WriteFile(filepath.Join(filepath.Dir(media), ".import-123"), []byte("half"), 0o600)

	out := filepath.Join(t.TempDir(), "backup.zip")
	code, stdout, errOut := run(t, nil, "backup", "--data-dir", ws, "-o", out)
	if code != 0 || !strings.Contains(stdout, "1 image") {
		t.Fatalf("backup: %d %q %q", code, stdout, errOut)
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	names := map[string]bool{}
	restored := t.TempDir()
	for _, f := range zr.File {
		names[f.Name] = true
		if f.Name == app.DBFile {
			rc, _ := f.Open()
			w, _ := os.Create(filepath.Join(restored, app.DBFile))
			io.Copy(w, rc)
			w.Close()
			rc.Close()
		}
	}
	if len(names) != 2 || !names["media/ab/"+strings.Repeat("ab", 32)+".jpg"] {
		t.Errorf("backup holds %v", names)
	}
	db, err := sqlite.OpenReadOnly(context.Background(), filepath.Join(restored, app.DBFile), backend.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.FindClientByName(context.Background(), "Café Luna"); err != nil {
		t.Errorf("the backed-up database: %v", err)
	}
	// An existing file is never overwritten.
	if code, _, errOut := run(t, nil, "backup", "--data-dir", ws, "-o", out); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Errorf("second backup: %d %q", code, errOut)
	}
}
