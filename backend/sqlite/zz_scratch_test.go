package sqlite

import (
	"context"
	"os"
	"testing"
	"time"

	"pauta/backend"
)

func TestScratchCal(t *testing.T) {
	path := os.Getenv("SCRATCH_DB")
	if path == "" {
		t.Skip()
	}
	db, err := Open(context.Background(), path, backend.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	rng := ` p.deleted_at IS NULL AND p.kind = 'post' AND p.scheduled_at IS NOT NULL AND c.archived = 0 AND p.scheduled_at >= '2026-11-29T00:00:00Z' AND p.scheduled_at < '2027-01-12T00:00:00Z'`
	qs := map[string]string{
		"main": `SELECT p.id, p.client_id, p.status, substr(p.base_text, 1, 320), p.scheduled_at, p.time_zone, p.needs_approval, p.content_hash, p.approval_status, p.approval_hash, c.require_approval FROM posts p JOIN clients c ON c.id = p.client_id WHERE` + rng + ` ORDER BY p.scheduled_at, p.id`,
		"variants": `SELECT v.post_id, v.account_id, a.network FROM posts p JOIN clients c ON c.id = p.client_id JOIN variants v ON v.post_id = p.id JOIN accounts a ON a.id = v.account_id WHERE` + rng + ` ORDER BY v.post_id, v.id`,
		"labels": `SELECT l.post_id, l.label FROM posts p JOIN clients c ON c.id = p.client_id JOIN post_labels l ON l.post_id = p.id WHERE` + rng + ` ORDER BY l.post_id, l.position`,
		"media": `SELECT pm.post_id, pm.media_id FROM posts p JOIN clients c ON c.id = p.client_id JOIN post_media pm ON pm.post_id = p.id WHERE` + rng + ` ORDER BY pm.post_id, pm.position, pm.media_id`,
	}
	for i := 0; i < 5; i++ {
		t0 := time.Now()
		l, _ := db.ListCalendarPosts(ctx, backend.PostFilter{From: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC), To: time.Date(2027, 1, 12, 0, 0, 0, 0, time.UTC)})
		t.Logf("full %v %d", time.Since(t0), len(l))
		for _, k := range []string{"main", "variants", "labels", "media"} {
			t0 := time.Now()
			rows, err := db.db.QueryContext(ctx, qs[k])
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			cols, _ := rows.Columns()
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			for rows.Next() {
				rows.Scan(ptrs...)
				n++
			}
			rows.Close()
			t.Logf("%s %v %d", k, time.Since(t0), n)
		}
	}
}
