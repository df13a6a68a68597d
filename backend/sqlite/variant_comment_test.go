package sqlite_test

import (
	"context"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/sqlite"
)

// Migration 0020 keeps existing posts' behaviour: the post's first comment
// goes onto each of its variants (and the content hash an approval was given
// for stays the same); an idea without accounts keeps it on the post.
func TestVariantCommentMigration(t *testing.T) {
	path, raw := oldWorkspace(t, "0020")
	for _, q := range []string{
		`PRAGMA user_version = 19`,
		`INSERT INTO clients (id, name, color, time_zone, language, created_at, updated_at) VALUES (1, 'Sol', '#4f7cff', 'UTC', 'es', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
		`INSERT INTO accounts (id, client_id, network, handle, created_at) VALUES (1, 1, 'instagram', 'sol', '2026-01-01T00:00:00Z'), (2, 1, 'linkedin', 'sol-li', '2026-01-01T00:00:00Z')`,
		`INSERT INTO posts (id, client_id, status, base_text, first_comment, scheduled_at, time_zone, created_at, updated_at) VALUES (1, 1, 'scheduled', 'Pan', '#pan', '2026-12-02T10:00:00Z', 'UTC', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
		`INSERT INTO posts (id, client_id, status, base_text, first_comment, time_zone, created_at, updated_at) VALUES (2, 1, 'idea', 'Idea', 'link en bio', 'UTC', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
		`INSERT INTO variants (id, post_id, account_id, text) VALUES (1, 1, 1, ''), (2, 1, 2, '')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	hashBefore := backend.ContentHash(backend.ApprovalContent{BaseText: "Pan", FirstComment: "#pan", ScheduledAt: tpOf("2026-12-02T10:00:00Z"),
		Variants: []backend.Variant{{AccountID: 1}, {AccountID: 2}}})
	raw.Close()

	ctx := context.Background()
	db, err := sqlite.Open(ctx, path, backend.FixedClock{T: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := db.GetPost(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.FirstComment != "" || len(p.Variants) != 2 || p.Variants[0].FirstComment != "#pan" || p.Variants[1].FirstComment != "#pan" {
		t.Fatalf("post after migration %+v", p)
	}
	if got := backend.ContentHash(backend.ApprovalContent{BaseText: p.BaseText, ScheduledAt: p.ScheduledAt, Variants: p.Variants}); got != hashBefore {
		t.Errorf("content hash changed: %s, was %s", got, hashBefore)
	}
	idea, err := db.GetPost(ctx, 2)
	if err != nil || idea.FirstComment != "link en bio" {
		t.Fatalf("idea %+v %v", idea, err)
	}

	// Saved with LinkedIn's comment removed: each variant keeps its own.
	p.Variants[1].FirstComment = ""
	if err := db.UpdatePost(ctx, p); err != nil {
		t.Fatal(err)
	}
	again, err := db.GetPost(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if again.Variants[0].FirstComment != "#pan" || again.Variants[1].FirstComment != "" {
		t.Errorf("after save %+v", again.Variants)
	}
	if again.ContentHash == hashBefore {
		t.Error("a different comment per account kept the old content hash")
	}
	// The idea gets accounts: its "same for all" comment goes to both.
	idea.Variants = []backend.Variant{{AccountID: 1}, {AccountID: 2}}
	if err := db.UpdatePost(ctx, idea); err != nil {
		t.Fatal(err)
	}
	idea, _ = db.GetPost(ctx, 2)
	if idea.FirstComment != "" || idea.Variants[0].FirstComment != "link en bio" || idea.Variants[1].FirstComment != "link en bio" {
		t.Errorf("idea with accounts %+v", idea)
	}
}

func tpOf(s string) *time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return &t
}
