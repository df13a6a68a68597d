package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"regexp"
	"testing"

	"pauta/backend"
	icsexport "pauta/backend/ics"
	"pauta/backend/sqlite"
)

// Every database gets a random workspace id when it is created; the
// calendar export reads the same setting.
func TestWorkspaceIDCreatedWithTheDatabase(t *testing.T) {
	ctx := context.Background()
	a, pathA := open(t)
	b, _ := open(t)
	idA, err := a.WorkspaceID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	idB, _ := b.WorkspaceID(ctx)
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(idA) || idA == idB {
		t.Fatalf("workspace ids %q and %q", idA, idB)
	}
	if sqlite.WorkspaceIDKey != icsexport.WorkspaceIDKey {
		t.Fatal("the keychain and the calendar export must read the same id")
	}
	a.Close()
	again, err := sqlite.Open(ctx, pathA, backend.FixedClock{T: now})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if id, _ := again.WorkspaceID(ctx); id != idA {
		t.Fatalf("reopened: %q, want %q", id, idA)
	}
}

// A workspace from before the migration keeps the id its calendar export
// created (its UIDs stay stable); one without an id gets one.
func TestWorkspaceIDMigration(t *testing.T) {
	ctx := context.Background()
	for name, before := range map[string]string{"kept": "78787878787878787878787878787878", "created": "", "blank": "  "} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "pauta.db")
			if err := sqlite.CreateAtVersion(ctx, path, 8); err != nil { // the schema before 0009
				t.Fatal(err)
			}
			raw, _ := sql.Open("sqlite", path)
			raw.Exec(`DELETE FROM settings WHERE key = 'workspace.id'`)
			if before != "" {
				raw.Exec(`INSERT INTO settings (key, value) VALUES ('workspace.id', ?)`, before)
			}
			raw.Close()
			db, err := sqlite.Open(ctx, path, backend.FixedClock{T: now})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			id, err := db.WorkspaceID(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if name == "kept" && id != before {
				t.Fatalf("id %q, want the existing %q", id, before)
			}
			if name != "kept" && !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(id) {
				t.Fatalf("id %q", id)
			}
		})
	}
}
