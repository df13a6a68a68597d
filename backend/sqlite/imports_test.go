package sqlite_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/sqlite"
)

func importBatch(client, account int64, n int) *backend.ImportBatch {
	b := &backend.ImportBatch{ClientID: client, Label: "import-2026-11-24", FileName: "month.csv"}
	for i := range n {
		t := now.Add(time.Duration(i+1) * time.Hour)
		b.Posts = append(b.Posts, backend.ImportPost{Post: backend.Post{ClientID: client, Status: backend.StatusScheduled,
			BaseText: fmt.Sprintf("post %d", i), ScheduledAt: &t, Labels: []string{"spring"},
			Variants: []backend.Variant{{AccountID: account}}}})
	}
	return b
}

func countRows(t *testing.T, db *sqlite.DB, table string) int {
	t.Helper()
	n, err := db.CountRows(context.Background(), table)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportAllOrNothing(t *testing.T) {
	db, _ := open(t)
	ctx := context.Background()
	c := mustClient(t, db, "Luna", "Europe/Madrid")
	a := mustAccount(t, db, c.ID, backend.Instagram, "luna")
	other := mustClient(t, db, "Sol", "Europe/Rome")
	oa := mustAccount(t, db, other.ID, backend.Instagram, "sol")

	b := importBatch(c.ID, a.ID, 1000)
	b.Posts[3].Media = []backend.Media{{Hash: strings.Repeat("a", 64), Name: "a.jpg", Format: "jpeg", Bytes: 10, Width: 4, Height: 3}}
	b.Posts[997].Post.Variants[0].AccountID = oa.ID // row 999 of the spreadsheet: another client's account
	_, err := db.ApplyImport(ctx, b)
	wantKey(t, err, backend.EInvalid, "post.account_other_client")
	if e := backend.AsError(err); e.Params["index"] != "997" {
		t.Errorf("index %q", e.Params["index"])
	}
	for _, table := range []string{"posts", "variants", "post_labels", "media", "post_media", "imports", "import_posts", "import_media"} {
		if n := countRows(t, db, table); n != 0 {
			t.Errorf("%s has %d rows after a failed import", table, n)
		}
	}
}

func TestImportAndUndo(t *testing.T) {
	db, _ := open(t)
	ctx := context.Background()
	c := mustClient(t, db, "Luna", "Europe/Madrid")
	a := mustAccount(t, db, c.ID, backend.Instagram, "luna")
	keep := &backend.Post{ClientID: c.ID, Status: backend.StatusDraft, BaseText: "mine", ScheduledAt: at("2026-12-01T10:00:00Z"), Variants: []backend.Variant{{AccountID: a.ID}}}
	if err := db.CreatePost(ctx, keep); err != nil {
		t.Fatal(err)
	}
	old := &backend.Media{ClientID: c.ID, Hash: strings.Repeat("b", 64), Name: "old.jpg", Format: "jpeg", Bytes: 10, Width: 4, Height: 3}
	if _, err := db.CreateMedia(ctx, old); err != nil {
		t.Fatal(err)
	}
	b := importBatch(c.ID, a.ID, 3)
	fresh := backend.Media{Hash: strings.Repeat("c", 64), Name: "new.jpg", Format: "jpeg", Bytes: 10, Width: 4, Height: 3, Alt: "a cup"}
	b.Posts[0].Media = []backend.Media{fresh, {Hash: old.Hash, Name: "old again.jpg", Format: "jpeg", Bytes: 10, Width: 4, Height: 3}}
	b.Posts[1].Media = []backend.Media{fresh}
	rec, err := db.ApplyImport(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Posts != 3 || rec.Label != "import-2026-11-24" {
		t.Errorf("record %+v", rec)
	}
	got, err := db.GetPost(ctx, b.Posts[0].Post.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Labels, []string{"spring", "import-2026-11-24"}) || got.Status != backend.StatusScheduled {
		t.Errorf("labels %v status %s", got.Labels, got.Status)
	}
	pm, err := db.ListPostMedia(ctx, got.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(pm) != 2 || pm[1].MediaID != old.ID {
		t.Errorf("post media %+v (old image %d)", pm, old.ID)
	}
	if n := countRows(t, db, "media"); n != 2 {
		t.Errorf("%d library images, want 2 (one reused)", n)
	}

	removed, dropped, err := db.UndoImport(ctx, rec.ID)
	if err != nil || removed != 3 || len(dropped) != 1 || dropped[0].Hash != fresh.Hash {
		t.Fatalf("undo: %d %+v %v", removed, dropped, err)
	}
	left, err := db.ListPosts(ctx, backend.PostFilter{ClientID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 || left[0].ID != keep.ID {
		t.Errorf("after undo: %+v", left)
	}
	lib, err := db.ListMedia(ctx, c.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(lib) != 1 || lib[0].ID != old.ID {
		t.Errorf("library after undo: %+v", lib)
	}
	_, _, err = db.UndoImport(ctx, rec.ID)
	wantKey(t, err, backend.EConflict, "import.already_undone")
	list, err := db.ListImports(ctx, c.ID)
	if err != nil || len(list) != 1 || list[0].UndoneAt == nil {
		t.Errorf("imports %+v %v", list, err)
	}
}

func TestUndoRefusedOncePublished(t *testing.T) {
	db, _ := open(t)
	ctx := context.Background()
	c := mustClient(t, db, "Luna", "Europe/Madrid")
	a := mustAccount(t, db, c.ID, backend.Mastodon, "luna@example.social")
	b := importBatch(c.ID, a.ID, 2)
	rec, err := db.ApplyImport(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.MarkPublishedForTest(ctx, b.Posts[1].Post.ID, "https://example.social/@luna/1"); err != nil {
		t.Fatal(err)
	}
	_, _, err = db.UndoImport(ctx, rec.ID)
	wantKey(t, err, backend.EConflict, "import.published")
	if n := countRows(t, db, "posts"); n != 2 {
		t.Errorf("%d posts after a refused undo", n)
	}
}
