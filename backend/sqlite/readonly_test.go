package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"pauta/backend"
	"pauta/backend/sqlite"
)

// A read-only open sees what a writer that still has the database open has
// committed (in the WAL, not yet checkpointed) and refuses every change with
// store.read_only before SQLite is asked.
func TestReadOnlySeesTheWritersWAL(t *testing.T) {
	ctx := context.Background()
	w, path := open(t)
	mustClient(t, w, "Panadería Sol", "Europe/Madrid")
	if st, err := os.Stat(path + "-wal"); err != nil || st.Size() == 0 {
		t.Fatalf("the writer's change is not in the WAL: %v", err)
	}
	r, err := sqlite.OpenReadOnly(ctx, path, backend.FixedClock{T: now})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cs, err := r.ListClients(ctx, false)
	if err != nil || len(cs) != 1 || cs[0].Name != "Panadería Sol" {
		t.Fatalf("read-only sees %+v %v", cs, err)
	}
	mustClient(t, w, "Studio Brera", "Europe/Rome") // the writer goes on writing
	if cs, _ := r.ListClients(ctx, false); len(cs) != 2 {
		t.Errorf("a later commit is not seen: %d clients", len(cs))
	}
	wantKey(t, r.CreateClient(ctx, &backend.Client{Name: "X", TimeZone: "Europe/Madrid", Language: "es"}), backend.EUnavailable, "store.read_only")
	wantKey(t, r.SetSetting(ctx, "k", "v"), backend.EUnavailable, "store.read_only")
	if id, ok, err := r.GetSetting(ctx, backend.WorkspaceIDKey); err != nil || !ok || len(id) != 32 {
		t.Errorf("the writer did not give the workspace an id: %q %v %v", id, ok, err)
	}
}

// A read-only open never migrates: an older or newer schema is refused and
// the file is left byte for byte as it was; a missing file is not created.
func TestReadOnlyRefusesAnotherSchema(t *testing.T) {
	ctx := context.Background()
	for _, v := range []int{1, 999} {
		db, path := open(t)
		db.Close()
		raw, _ := sql.Open("sqlite", path)
		if _, err := raw.Exec(fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
			t.Fatal(err)
		}
		raw.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		raw.Close()
		before, _ := os.ReadFile(path)
		_, err := sqlite.OpenReadOnly(ctx, path, nil)
		if v == 1 {
			wantKey(t, err, backend.EUnavailable, "store.older_schema")
		} else {
			wantKey(t, err, backend.ENewerSchema, "store.newer_schema")
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
			t.Errorf("schema %d: the database was modified", v)
		}
	}
	missing := filepath.Join(t.TempDir(), "pauta.db")
	if _, err := sqlite.OpenReadOnly(ctx, missing, nil); err == nil {
		t.Error("a missing database opened")
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("a read-only open created %s", missing)
	}
}

// pauta.db, its -wal and -shm are created 0600 even with the usual umask
// 022, and an existing database readable by others is made private.
func TestDatabaseFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "ws")
	path := filepath.Join(dir, "pauta.db")
	db, err := sqlite.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustClient(t, db, "Sol", "Europe/Madrid")
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v, want 0600", filepath.Base(p), st.Mode().Perm(), err)
		}
	}
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o700 {
		t.Errorf("data folder %v, want 0700", st.Mode().Perm())
	}
	db.Close()
	os.Chmod(path, 0o644)
	db, err = sqlite.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("an existing 0644 database is left %v", st.Mode().Perm())
	}
}
