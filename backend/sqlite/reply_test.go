package sqlite_test

import (
	"context"
	"testing"
	"time"

	"pauta/backend"
)

func TestQueueReply(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	c := mustClient(t, db, "Acme", "Europe/Madrid")
	a := mustAccount(t, db, c.ID, backend.Bluesky, "acme.bsky.social")
	root := backend.RemoteRef{URI: "at://did:plc:me/app.bsky.feed.post/1", CID: "bafy1"}
	mention := notif("at://did:plc:x/app.bsky.feed.post/2", backend.KindReply, now, "")
	mention.Subject.Ref = backend.RemoteRef{URI: "at://did:plc:x/app.bsky.feed.post/2", CID: "bafy2"}
	mention.Subject.Root = &root
	added, err := db.InboxSave(ctx, []backend.InboxItem{
		{AccountID: a.ID, Notification: mention, ArrivedAt: now},
		{AccountID: a.ID, Notification: notif("f1", backend.KindFollow, now, ""), ArrivedAt: now},
	}, backend.InboxSync{AccountID: a.ID})
	if err != nil || len(added) != 2 {
		t.Fatal(err)
	}
	_, err = db.QueueReply(ctx, backend.ReplyDraft{InboxItemID: added[0].ID, Text: "  "})
	wantKey(t, err, backend.EInvalid, "inbox.reply_empty")
	_, err = db.QueueReply(ctx, backend.ReplyDraft{InboxItemID: added[1].ID, Text: "hi"})
	wantKey(t, err, backend.EInvalid, "inbox.reply_no_post")
	dm := notif("dm1", backend.KindDirect, now, "")
	dms, err := db.InboxSave(ctx, []backend.InboxItem{{AccountID: a.ID, Notification: dm, ArrivedAt: now}}, backend.InboxSync{AccountID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.QueueReply(ctx, backend.ReplyDraft{InboxItemID: dms[0].ID, Text: "hi"})
	wantKey(t, err, backend.EInvalid, "inbox.reply_direct")
	_, err = db.QueueReply(ctx, backend.ReplyDraft{InboxItemID: 999, Text: "hi"})
	wantKey(t, err, backend.ENotFound, "inbox.not_found")

	r, err := db.QueueReply(ctx, backend.ReplyDraft{InboxItemID: added[0].ID, Text: "¡Gracias!"})
	if err != nil {
		t.Fatal(err)
	}
	j, err := db.OutboxJob(ctx, r.VariantID)
	if err != nil {
		t.Fatal(err)
	}
	if j.ReplyTo == nil || j.ReplyTo.CID != "bafy2" || j.Root == nil || j.Root.URI != root.URI || j.InboxItemID != added[0].ID ||
		j.Text != "¡Gracias!" || !j.Publish.Approved || j.Publish.State != backend.OutboxPending || j.Language != "es" {
		t.Fatalf("job: %+v", j)
	}
	// Due now: the outbox picks it up; the calendar does not show it.
	due, err := db.OutboxJobs(ctx, backend.OutboxQuery{States: []backend.OutboxState{backend.OutboxPending}, DueBy: now})
	if err != nil || len(due) != 1 {
		t.Fatalf("due: %v %d", err, len(due))
	}
	posts, err := db.ListPosts(ctx, backend.PostFilter{ClientID: c.ID, From: now.Add(-time.Hour), To: now.Add(time.Hour)})
	if err != nil || len(posts) != 0 {
		t.Fatalf("calendar shows the reply: %v %d", err, len(posts))
	}
	it, _ := db.InboxGet(ctx, added[0].ID)
	if it.State != backend.InboxDone || it.FirstReplyAt != nil {
		t.Fatalf("item after queueing: %+v", it)
	}
	// Sent: the first reply time is the publish time, kept on a second reply.
	sent := now.Add(5 * time.Minute)
	publish := func(id int64, at time.Time) {
		if err := db.OutboxUpdate(ctx, id, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
			v.State, v.PublishedAt, v.Remote = backend.OutboxPublished, &at, backend.RemoteRef{URI: "at://did:plc:me/app.bsky.feed.post/3"}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	publish(r.VariantID, sent)
	r2, _ := db.QueueReply(ctx, backend.ReplyDraft{InboxItemID: added[0].ID, Text: "otra"})
	publish(r2.VariantID, sent.Add(time.Hour))
	it, _ = db.InboxGet(ctx, added[0].ID)
	if it.FirstReplyAt == nil || !it.FirstReplyAt.Equal(sent) {
		t.Fatalf("first reply at: %v", it.FirstReplyAt)
	}
	rs, err := db.InboxReplies(ctx, added[0].ID)
	if err != nil || len(rs) != 2 || rs[0].State != backend.OutboxPublished || rs[1].Text != "otra" {
		t.Fatalf("replies: %v %+v", err, rs)
	}
}
