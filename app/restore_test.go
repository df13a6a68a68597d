package app

import (
	"archive/zip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pauta/backend"
)

// backupOf writes a backup of a's workspace the way `pauta backup` does.
func backupOf(t *testing.T, a *App, extra map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "copy.db")
	if err := a.store.BackupTo(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "backup.zip")
	f, _ := os.Create(out)
	zw := zip.NewWriter(f)
	w, _ := zw.Create(DBFile)
	src, _ := os.Open(db)
	io.Copy(w, src)
	src.Close()
	for _, p := range mediaFiles(t, a) {
		rel, _ := filepath.Rel(a.cfg.DataDir, p)
		w, _ := zw.Create(filepath.ToSlash(rel))
		data, _ := os.ReadFile(p)
		w.Write(data)
	}
	for name, data := range extra {
		w, _ := zw.Create(name)
		w.Write(data)
	}
	zw.Close()
	f.Close()
	return out
}

func TestRestoreFromBackupAtNextStart(t *testing.T) {
	src, _ := newApp(t)
	client := importEnv(t, src)
	dir := t.TempDir()
	writeFile(t, dir, "taza.jpg", photoJPEG(640, 480, 9))
	csv := "date,time,account,text,media\n2026-12-01,10:00,instagram,Hola,taza.jpg\n"
	if _, err := src.Imports.Apply(ImportRequest{ClientID: client, Path: writeFile(t, dir, "p.csv", []byte(csv))}); err != nil {
		t.Fatal(err)
	}
	backup := backupOf(t, src, nil)

	ws := t.TempDir()
	b, err := New(context.Background(), Config{DataDir: ws, Clock: backend.FixedClock{T: testNow}, Emitter: NopEmitter{}, Secrets: newMemSecrets()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Clients.Save(ClientInput{Name: "Otro", TimeZone: "Europe/Rome", Language: "it"}); err != nil {
		t.Fatal(err)
	}
	info, err := b.Archives.StageRestore(backup)
	if err != nil || info.Clients != 1 || info.Posts != 1 || info.Images != 1 {
		t.Fatalf("stage: %+v %v", info, err)
	}
	cs, _ := b.store.ListClients(t.Context(), true)
	if len(cs) != 1 || cs[0].Name != "Otro" {
		t.Fatalf("staging changed the open workspace: %+v", cs)
	}
	b.Close()

	c, err := New(context.Background(), Config{DataDir: ws, Clock: backend.FixedClock{T: testNow}, Emitter: NopEmitter{}, Secrets: newMemSecrets()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cs, _ = c.store.ListClients(t.Context(), true)
	posts, _ := c.store.ListPosts(t.Context(), backend.PostFilter{Ideas: true})
	if len(cs) != 1 || cs[0].Name != "Café Luna" || len(posts) != 1 || len(mediaFiles(t, c)) != 1 {
		t.Errorf("after restore: %+v, %d posts, %d images", cs, len(posts), len(mediaFiles(t, c)))
	}
	kept, _ := filepath.Glob(filepath.Join(ws, DBFile+".before-restore-*"))
	if len(kept) == 0 {
		t.Error("the previous database was not kept")
	}
	if _, err := os.Stat(filepath.Join(ws, restorePending)); err == nil {
		t.Error("the pending backup is still there")
	}
}

func TestRestoreRefusesBadBackups(t *testing.T) {
	a, _ := newApp(t)
	importEnv(t, a)
	evil := backupOf(t, a, map[string][]byte{"../evil.sh": []byte("x")})
	_, err := a.Archives.StageRestore(evil)
	wantKey(t, err, "backup.invalid")
	other := backupOf(t, a, map[string][]byte{"notes.txt": []byte("x")})
	_, err = a.Archives.StageRestore(other)
	wantKey(t, err, "backup.invalid")
	notZip := writeFile(t, t.TempDir(), "x.zip", []byte(strings.Repeat("x", 100)))
	_, err = a.Archives.StageRestore(notZip)
	wantKey(t, err, "backup.invalid")
	if _, err := os.Stat(filepath.Join(a.cfg.DataDir, restorePending)); err == nil {
		t.Error("a refused backup was staged")
	}
}
