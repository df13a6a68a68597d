package sqlite_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/sqlite"
)

func hashOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func mustMedia(t *testing.T, db *sqlite.DB, client int64, name, content string) *backend.Media {
	t.Helper()
	m := &backend.Media{ClientID: client, Hash: hashOf(content), Name: name, Format: "jpeg", Bytes: 100, Width: 40, Height: 30}
	created, err := db.CreateMedia(context.Background(), m)
	if err != nil || !created {
		t.Fatalf("create media %s: created %v, %v", name, created, err)
	}
	return m
}

func TestMediaCreateDedupListSearch(t *testing.T) {
	db, path := open(t)
	ctx := context.Background()
	c := mustClient(t, db, "Sol", "Europe/Madrid")
	other := mustClient(t, db, "Luna", "Europe/Rome")

	a := mustMedia(t, db, c.ID, "  Playa.jpg ", "a")
	if a.Name != "Playa.jpg" || a.FocalX != 0 || a.ID == 0 || !a.CreatedAt.Equal(now) {
		t.Errorf("created %+v", a)
	}
	// Same content for the same client: the existing row comes back.
	dup := &backend.Media{ClientID: c.ID, Hash: hashOf("a"), Name: "copy.jpg", Format: "jpeg", Bytes: 100, Width: 40, Height: 30, FocalX: 0.5, FocalY: 0.5}
	created, err := db.CreateMedia(ctx, dup)
	if err != nil || created || dup.ID != a.ID || dup.Name != "Playa.jpg" {
		t.Fatalf("duplicate: created %v err %v %+v", created, err, dup)
	}
	// Same content for another client is that client's own row.
	o := mustMedia(t, db, other.ID, "sol.jpg", "a")
	if o.ID == a.ID {
		t.Error("another client's import reused the row")
	}
	if n := count(t, path, "media"); n != 2 {
		t.Errorf("%d rows, want 2", n)
	}
	wantKey(t, func() error {
		_, err := db.CreateMedia(ctx, &backend.Media{ClientID: 999, Hash: hashOf("z"), Bytes: 1, Width: 1, Height: 1})
		return err
	}(),
		backend.ENotFound, "client.not_found")
	wantKey(t, func() error {
		_, err := db.CreateMedia(ctx, &backend.Media{ClientID: c.ID, Hash: "../../etc", Bytes: 1, Width: 1, Height: 1})
		return err
	}(),
		backend.EInvalid, "media.hash_invalid")

	// Newest first; same second breaks ties by id.
	b := mustMedia(t, db, c.ID, "Croissant_100%.png", "b")
	list, err := db.ListMedia(ctx, c.ID, "")
	if err != nil || len(list) != 2 || list[0].ID != b.ID || list[1].ID != a.ID {
		t.Fatalf("list %+v %v", list, err)
	}
	for search, want := range map[string]int{"playa": 1, "PLAYA": 1, "_100%": 1, "%": 1, "x": 0, "": 2, ".": 2} {
		got, err := db.ListMedia(ctx, c.ID, search)
		if err != nil || len(got) != want {
			t.Errorf("search %q: %d results %v, want %d", search, len(got), err, want)
		}
	}
	if _, err := db.UpdateMediaMeta(ctx, a.ID, "Atardecer en la playa de Ñora", 0.2, 0.8); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.ListMedia(ctx, c.ID, "ñora"); len(got) != 1 {
		t.Errorf("alt text search: %+v", got)
	}
}

func TestMediaUpdateDeleteUnusedPostMedia(t *testing.T) {
	db, path := open(t)
	ctx := context.Background()
	c := mustClient(t, db, "Sol", "Europe/Madrid")
	other := mustClient(t, db, "Luna", "Europe/Rome")
	mustAccount(t, db, c.ID, backend.Instagram, "@sol")
	a := mustMedia(t, db, c.ID, "a.jpg", "a")
	b := mustMedia(t, db, c.ID, "b.jpg", "b")
	foreign := mustMedia(t, db, other.ID, "f.jpg", "f")

	m, err := db.UpdateMediaMeta(ctx, a.ID, "  Pan recién hecho  ", 0.25, 0.1234)
	if err != nil || m.Alt != "Pan recién hecho" || m.FocalX != 0.25 || m.FocalY != 0.123 {
		t.Fatalf("update %+v %v", m, err)
	}
	_, err = db.UpdateMediaMeta(ctx, a.ID, "", 1.5, 0.5)
	wantKey(t, err, backend.EInvalid, "media.focal_invalid")
	_, err = db.UpdateMediaMeta(ctx, a.ID, string(make([]rune, backend.MaxStoredAltText+1)), 0.5, 0.5)
	wantKey(t, err, backend.EInvalid, "media.alt_too_long")
	_, err = db.UpdateMediaMeta(ctx, 999, "", 0.5, 0.5)
	wantKey(t, err, backend.ENotFound, "media.not_found")
	if got, _ := db.GetMedia(ctx, a.ID); got.Alt != "Pan recién hecho" {
		t.Errorf("failed update changed the row: %+v", got)
	}

	p := &backend.Post{ClientID: c.ID, Status: backend.StatusIdea, BaseText: "Hola", TimeZone: "Europe/Madrid"}
	if err := db.CreatePost(ctx, p); err != nil {
		t.Fatal(err)
	}
	wantKey(t, db.SetPostMedia(ctx, p.ID, []backend.PostMedia{{MediaID: foreign.ID}}), backend.EInvalid, "media.other_client")
	wantKey(t, db.SetPostMedia(ctx, p.ID, []backend.PostMedia{{MediaID: 999}}), backend.ENotFound, "media.not_found")
	wantKey(t, db.SetPostMedia(ctx, 999, nil), backend.ENotFound, "post.not_found")
	if err := db.SetPostMedia(ctx, p.ID, []backend.PostMedia{{MediaID: b.ID, Presets: map[backend.Network]string{backend.Instagram: "instagram.square"}}, {MediaID: a.ID}, {MediaID: b.ID}}); err != nil {
		t.Fatal(err)
	}
	pm, err := db.ListPostMedia(ctx, p.ID)
	if err != nil || len(pm) != 2 || pm[0].MediaID != b.ID || pm[0].Presets[backend.Instagram] != "instagram.square" || pm[1].MediaID != a.ID || len(pm[1].Presets) != 0 {
		t.Fatalf("post media %+v %v", pm, err)
	}

	// Used images cannot be deleted; the count is in the error.
	if got, _ := db.GetMedia(ctx, a.ID); got.Uses != 1 {
		t.Errorf("uses %d", got.Uses)
	}
	e := backend.AsError(db.DeleteMedia(ctx, a.ID))
	if e == nil || e.Key != "media.in_use" || e.Params["posts"] != "1" {
		t.Fatalf("delete used: %+v", e)
	}
	unused, err := db.UnusedMedia(ctx, c.ID)
	if err != nil || len(unused) != 0 {
		t.Errorf("unused while used: %+v %v", unused, err)
	}

	// A post in the bin no longer keeps its images.
	if err := db.DeletePost(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	unused, _ = db.UnusedMedia(ctx, c.ID)
	if len(unused) != 2 || unused[0].ID != a.ID {
		t.Fatalf("unused after delete: %+v", unused)
	}
	if err := db.DeleteMedia(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	wantKey(t, db.DeleteMedia(ctx, a.ID), backend.ENotFound, "media.not_found")
	if n := count(t, path, "post_media"); n != 1 {
		t.Errorf("post_media rows %d, want 1 (b only)", n)
	}
	if in, _ := db.HashInUse(ctx, hashOf("a")); in {
		t.Error("hash a still in use")
	}
	if in, _ := db.HashInUse(ctx, hashOf("f")); !in {
		t.Error("hash f not in use")
	}
	// Ids are never reused (URLs and browser caches key on them).
	c2 := mustMedia(t, db, c.ID, "c.jpg", "c")
	if c2.ID <= foreign.ID {
		t.Errorf("id %d reused", c2.ID)
	}
	// Purging the post drops its links.
	if _, err := db.PurgeDeleted(ctx, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := count(t, path, "post_media"); n != 0 {
		t.Errorf("post_media rows %d after purge", n)
	}
}
