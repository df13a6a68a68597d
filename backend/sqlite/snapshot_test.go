package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"pauta/backend"
)

// snapshot's queries see the workspace as it was when the first one ran,
// even when another connection commits in between (a calendar page never
// mixes two states), and its connection goes back to the pool usable.
func TestSnapshotReadsOneState(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "pauta.db"), backend.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func(q interface {
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}) int {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM clients`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var first, second int
	err = db.snapshot(ctx, func(conn *sql.Conn) error {
		first = count(conn)
		if err := db.CreateClient(ctx, &backend.Client{Name: "Entre medias", Color: "#123456", TimeZone: "Europe/Madrid", Language: "es"}); err != nil {
			return err
		}
		second = count(conn)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if first != second {
		t.Fatalf("inside one snapshot: %d clients, then %d", first, second)
	}
	if now := count(db.db); now != first+1 {
		t.Fatalf("after it: %d clients, want %d", now, first+1)
	}
	// The pool's connections are all usable for writes again.
	for i := 0; i < 3; i++ {
		if err := db.CreateClient(ctx, &backend.Client{Name: "Después " + string(rune('A'+i)), Color: "#123456", TimeZone: "Europe/Madrid", Language: "es"}); err != nil {
			t.Fatal(err)
		}
	}
}
