package sqlite_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// oldWorkspace is a workspace file as an older Pauta left it: every
// migration before the file named from (e.g. "0022") applied by hand, so a
// test can put rows in it before the newer migrations run on Open.
func oldWorkspace(t *testing.T, from string) (string, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	names, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	for _, name := range names {
		if filepath.Base(name) >= from {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(string(b)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	return path, raw
}
