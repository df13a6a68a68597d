package demo_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/demo"
	"pauta/backend/sqlite"
)

// The demo's hashtag first comment goes to Instagram only.
func TestDemoInstagramOnlyComment(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "pauta.db"), backend.FixedClock{T: now})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := demo.Seed(ctx, db, backend.FixedClock{T: now}); err != nil {
		t.Fatal(err)
	}
	accs, err := db.ListAccounts(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	net := map[int64]backend.Network{}
	for _, a := range accs {
		net[a.ID] = a.Network
	}
	posts, err := db.ListPosts(ctx, backend.PostFilter{Ideas: true})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range posts {
		if !strings.HasPrefix(p.BaseText, "Lunes de masa madre") {
			continue
		}
		found = true
		for _, v := range p.Variants {
			if has := v.FirstComment != ""; has != (net[v.AccountID] == backend.Instagram) {
				t.Errorf("%s comment %q", net[v.AccountID], v.FirstComment)
			}
		}
	}
	if !found {
		t.Fatal("demo post missing")
	}
}
