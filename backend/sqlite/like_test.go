package sqlite_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"pauta/backend"
)

func TestQueueLike(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	c := mustClient(t, db, "Acme", "Europe/Madrid")
	a := mustAccount(t, db, c.ID, backend.Mastodon, "acme@social.example")
	added, err := db.InboxSave(ctx, []backend.InboxItem{
		{AccountID: a.ID, Notification: notif("1", backend.KindListening, now, ""), ArrivedAt: now},
		{AccountID: a.ID, Notification: notif("f1", backend.KindFollow, now, ""), ArrivedAt: now},
	}, backend.InboxSync{AccountID: a.ID})
	if err != nil || len(added) != 2 {
		t.Fatal(err)
	}
	_, err = db.QueueLike(ctx, added[1].ID)
	wantKey(t, err, backend.EInvalid, "inbox.like_no_post")
	_, err = db.QueueLike(ctx, 999)
	wantKey(t, err, backend.ENotFound, "inbox.not_found")
	if l, err := db.InboxLikeOf(ctx, added[0].ID); err != nil || l != nil {
		t.Fatalf("like before liking: %v %+v", err, l)
	}

	l, err := db.QueueLike(ctx, added[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	again, err := db.QueueLike(ctx, added[0].ID)
	if err != nil || again.VariantID != l.VariantID {
		t.Fatalf("a second like made another: %v %+v %+v", err, again, l)
	}
	j, err := db.OutboxJob(ctx, l.VariantID)
	if err != nil {
		t.Fatal(err)
	}
	if j.Text != "♥ @p1@x.example: hello 1" {
		t.Fatalf("outbox label %q", j.Text)
	}
	if j.Like == nil || j.Like.ID != "s1" || j.ReplyTo != nil || j.InboxItemID != added[0].ID || !j.Publish.Approved || j.Publish.State != backend.OutboxPending {
		t.Fatalf("job: %+v", j)
	}
	due, err := db.OutboxJobs(ctx, backend.OutboxQuery{States: []backend.OutboxState{backend.OutboxPending}, DueBy: now})
	if err != nil || len(due) != 1 {
		t.Fatalf("due: %v %d", err, len(due))
	}
	// Not a reply, not in the calendar, the item stays as it was.
	if rs, err := db.InboxReplies(ctx, added[0].ID); err != nil || len(rs) != 0 {
		t.Fatalf("a like listed as a reply: %v %+v", err, rs)
	}
	posts, err := db.ListPosts(ctx, backend.PostFilter{ClientID: c.ID, From: now.Add(-time.Hour), To: now.Add(time.Hour)})
	if err != nil || len(posts) != 0 {
		t.Fatalf("calendar shows the like: %v %d", err, len(posts))
	}
	it, _ := db.InboxGet(ctx, added[0].ID)
	if it.State != backend.InboxNew || it.Liked != backend.OutboxPending {
		t.Fatalf("item after liking: %+v", it)
	}
	at := now.Add(time.Minute)
	if err := db.OutboxUpdate(ctx, l.VariantID, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
		v.State, v.PublishedAt, v.Remote = backend.OutboxPublished, &at, backend.RemoteRef{ID: "s1"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	it, _ = db.InboxGet(ctx, added[0].ID)
	if it.Liked != backend.OutboxPublished || it.FirstReplyAt != nil {
		t.Fatalf("item after the like went out: %+v", it)
	}
	got, err := db.InboxLikeOf(ctx, added[0].ID)
	if err != nil || got == nil || got.State != backend.OutboxPublished || got.PublishedAt == nil {
		t.Fatalf("like: %v %+v", err, got)
	}
	// The report does not count a like as a published post.
	rp, err := db.ReportPosts(ctx, c.ID, now.Add(-time.Hour), now.Add(time.Hour))
	if err != nil || len(rp) != 0 {
		t.Fatalf("report posts: %v %+v", err, rp)
	}
}

func TestAvatarsDue(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	c := mustClient(t, db, "Acme", "Europe/Madrid")
	a := mustAccount(t, db, c.ID, backend.Bluesky, "acme.bsky.social")
	n1 := notif("1", backend.KindMention, now, "")
	n1.Author.AvatarURL = "https://cdn.example/a1.jpg"
	n2 := notif("2", backend.KindMention, now.Add(time.Minute), "")
	n2.Author.AvatarURL = "https://cdn.example/a2.jpg"
	n3 := notif("3", backend.KindMention, now.Add(-60*24*time.Hour), "") // too old
	n3.Author.AvatarURL = "https://cdn.example/a3.jpg"
	n4 := notif("4", backend.KindMention, now, "") // no avatar
	added, err := db.InboxSave(ctx, []backend.InboxItem{
		{AccountID: a.ID, Notification: n1, ArrivedAt: now}, {AccountID: a.ID, Notification: n2, ArrivedAt: now},
		{AccountID: a.ID, Notification: n3, ArrivedAt: now}, {AccountID: a.ID, Notification: n4, ArrivedAt: now},
	}, backend.InboxSync{AccountID: a.ID})
	if err != nil || len(added) != 4 {
		t.Fatal(err)
	}
	since, stale := now.Add(-30*24*time.Hour), now.Add(-24*time.Hour)
	due, err := db.AvatarsDue(ctx, since, stale, 10)
	if err != nil || len(due) != 2 || due[0].Key != "bluesky:a2" || due[1].Key != "bluesky:a1" || due[0].URL != n2.Author.AvatarURL {
		t.Fatalf("due: %v %+v", err, due)
	}
	if err := db.SaveAvatar(ctx, backend.AvatarRecord{Key: "bluesky:a2", URL: n2.Author.AvatarURL, File: "f2.jpg", FetchedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveAvatar(ctx, backend.AvatarRecord{Key: "bluesky:a1", URL: n1.Author.AvatarURL, FetchedAt: now, Failed: true, Error: "status 404"}); err != nil {
		t.Fatal(err)
	}
	if due, err := db.AvatarsDue(ctx, since, stale, 10); err != nil || len(due) != 0 {
		t.Fatalf("due after fetching: %v %+v", err, due)
	}
	it, _ := db.InboxGet(ctx, added[1].ID)
	if it.Avatar != "f2.jpg" {
		t.Fatalf("item avatar %q", it.Avatar)
	}
	// A day later both are due again; a failed refresh keeps the file.
	due, err = db.AvatarsDue(ctx, since, now.Add(time.Hour), 10)
	if err != nil || len(due) != 2 || due[0].File != "f2.jpg" {
		t.Fatalf("due a day later: %v %+v", err, due)
	}
	if err := db.SaveAvatar(ctx, backend.AvatarRecord{Key: "bluesky:a2", URL: n2.Author.AvatarURL, FetchedAt: now.Add(25 * time.Hour), Failed: true}); err != nil {
		t.Fatal(err)
	}
	if it, _ := db.InboxGet(ctx, added[1].ID); it.Avatar != "f2.jpg" {
		t.Fatalf("avatar lost on a failed refresh: %q", it.Avatar)
	}
	if used, err := db.AvatarFileUsed(ctx, "f2.jpg"); err != nil || !used {
		t.Fatalf("used: %v %v", used, err)
	}
}

// Migration 0021 widens posts.kind's CHECK by editing sqlite_schema: the
// file must stay sound, the new kind accepted and unknown kinds refused.
func TestLikeMigrationSchemaSound(t *testing.T) {
	db, path := open(t)
	c := mustClient(t, db, "Acme", "Europe/Madrid")
	a := mustAccount(t, db, c.ID, backend.Mastodon, "acme@social.example")
	if err := db.CreatePost(context.Background(), &backend.Post{ClientID: c.ID, Status: backend.StatusIdea, BaseText: "x", TimeZone: "UTC",
		Variants: []backend.Variant{{AccountID: a.ID}}}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var res string
	if err := raw.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Fatalf("integrity_check: %q %v", res, err)
	}
	var ddl string
	if err := raw.QueryRow(`SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'posts'`).Scan(&ddl); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ddl, `'like'`) {
		t.Fatalf("posts.kind not widened: %s", ddl)
	}
	if _, err := raw.Exec(`UPDATE posts SET kind = 'boost'`); err == nil {
		t.Error("the schema accepted an unknown post kind")
	}
	if _, err := raw.Exec(`UPDATE posts SET kind = 'like'`); err != nil {
		t.Errorf("kind 'like' refused: %v", err)
	}
}
