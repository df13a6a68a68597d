package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/sqlite"
)

// A first comment is queued in the transaction that publishes its post, only
// when there is something to reply to on a direct network; its own keys
// never change once generated; the CHECK keeps its states honest.
func TestFirstCommentQueuedWithThePost(t *testing.T) {
	f := obSetup(t)
	ig := &backend.Account{ClientID: f.client.ID, Network: backend.Instagram, Handle: "sol"}
	if err := f.db.CreateAccount(f.ctx, ig); err != nil {
		t.Fatal(err)
	}
	at := obNow.Add(-time.Minute)
	p := &backend.Post{ClientID: f.client.ID, Status: backend.StatusScheduled, BaseText: "Pan", FirstComment: "Receta 👉 enlace", ScheduledAt: &at,
		TimeZone: "Europe/Madrid", Variants: []backend.Variant{{AccountID: f.acc.ID}, {AccountID: f.acc2.ID}, {AccountID: ig.ID}}}
	if err := f.db.CreatePost(f.ctx, p); err != nil {
		t.Fatal(err)
	}
	none := f.post(backend.StatusScheduled, &at, "Sin comentario", f.acc)
	publish := func(id int64, ref backend.RemoteRef) {
		t.Helper()
		err := f.db.OutboxUpdate(f.ctx, id, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
			v.State, v.Remote = backend.OutboxPublished, ref
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	state := func(id int64) backend.CommentJob {
		t.Helper()
		j, err := f.db.CommentJob(f.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return *j
	}
	masto, bsky, manual := p.Variants[0].ID, p.Variants[1].ID, p.Variants[2].ID
	if s := state(masto).Publish.State; s != backend.CommentNone {
		t.Fatalf("before publishing: %q", s)
	}
	publish(masto, backend.RemoteRef{ID: "109", URL: "https://example.social/@sol/109"})
	publish(bsky, backend.RemoteRef{ID: "3kabc", URI: "at://did:plc:x/app.bsky.feed.post/3kabc"}) // no cid: nothing to reply to
	publish(manual, backend.RemoteRef{URL: "https://instagram.com/p/x"})
	publish(none.Variants[0].ID, backend.RemoteRef{ID: "110"})
	mj := state(masto)
	if mj.Publish.State != backend.CommentPending || mj.Parent.ID != "109" || mj.Text != "Receta 👉 enlace" || mj.Language != "es" ||
		mj.Account.Network != backend.Mastodon || !mj.Active {
		t.Fatalf("mastodon comment job %+v", mj)
	}
	for _, id := range []int64{bsky, manual, none.Variants[0].ID} {
		if s := state(id).Publish.State; s != backend.CommentNone {
			t.Errorf("variant %d: comment %q, want none", id, s)
		}
	}
	jobs, err := f.db.CommentJobs(f.ctx, []backend.CommentState{backend.CommentPending}, obNow, 0)
	if err != nil || len(jobs) != 1 || jobs[0].Publish.VariantID != masto {
		t.Fatalf("pending comments %+v %v", jobs, err)
	}

	// Keys are generated once; a retry time hides it from ready jobs until then.
	later := obNow.Add(time.Hour)
	created := obNow
	err = f.db.CommentUpdate(f.ctx, masto, func(c *backend.CommentPublish, a *backend.AccountOutbox) error {
		c.IdempotencyKey, c.RecordKey, c.RemoteCreatedAt, c.NextAttemptAt = "key-1", "3krec", &created, &later
		c.LastErrorCode, c.LastErrorKey, c.LastError = backend.ETransient, "network.transient", "503"
		a.Failures = 1
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = f.db.CommentUpdate(f.ctx, masto, func(c *backend.CommentPublish, _ *backend.AccountOutbox) error {
		c.IdempotencyKey, c.RecordKey, c.RemoteCreatedAt = "key-2", "other", nil
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if c := state(masto).Publish; c.IdempotencyKey != "key-1" || c.RecordKey != "3krec" || c.RemoteCreatedAt == nil || !c.RemoteCreatedAt.Equal(created) {
		t.Fatalf("keys changed: %+v", c)
	}
	if jobs, _ := f.db.CommentJobs(f.ctx, []backend.CommentState{backend.CommentPending}, obNow, 0); len(jobs) != 0 {
		t.Errorf("a comment waiting for its retry is ready: %+v", jobs)
	}
	if next, ok, err := f.db.CommentNextWake(f.ctx, obNow); err != nil || !ok || !next.Equal(later) {
		t.Errorf("next wake %v %v %v", next, ok, err)
	}
	accs, _ := f.db.OutboxAccounts(f.ctx)
	if len(accs) != 1 || accs[0].Failures != 1 {
		t.Errorf("account state %+v", accs)
	}

	// The default outbox view keeps a published post whose comment waits, with its state.
	items, err := f.db.OutboxItems(f.ctx, backend.OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var found *backend.OutboxItem
	for i := range items {
		if items[i].VariantID == masto {
			found = &items[i]
		}
		if items[i].VariantID == bsky {
			t.Error("a published post without a comment to send is in the default view")
		}
	}
	if found == nil || found.CommentState != backend.CommentPending || found.CommentErrorKey != "network.transient" || found.FirstComment != "Receta 👉 enlace" ||
		found.CommentNextAttemptAt == nil || !found.CommentNextAttemptAt.Equal(later) {
		t.Fatalf("item %+v", found)
	}

	// Unknown states are refused, by the store and by the schema.
	err = f.db.CommentUpdate(f.ctx, masto, func(c *backend.CommentPublish, _ *backend.AccountOutbox) error {
		c.State = "lost"
		return nil
	})
	if backend.ErrorCode(err) != backend.EInternal {
		t.Errorf("unknown comment state: %v", err)
	}
	path := filepath.Join(t.TempDir(), "check.db")
	db2, err := sqlite.Open(f.ctx, path, backend.FixedClock{T: obNow})
	if err != nil {
		t.Fatal(err)
	}
	c2 := &backend.Client{Name: "Sol", TimeZone: "UTC", Language: "es"}
	a2 := &backend.Account{Network: backend.Mastodon, Handle: "@sol@example.social"}
	if err := db2.CreateClient(f.ctx, c2); err != nil {
		t.Fatal(err)
	}
	a2.ClientID = c2.ID
	if err := db2.CreateAccount(f.ctx, a2); err != nil {
		t.Fatal(err)
	}
	if err := db2.CreatePost(f.ctx, &backend.Post{ClientID: c2.ID, Status: backend.StatusIdea, BaseText: "x", TimeZone: "UTC",
		Variants: []backend.Variant{{AccountID: a2.ID}}}); err != nil {
		t.Fatal(err)
	}
	db2.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE variants SET comment_state = 'lost'`); err == nil {
		t.Error("the schema accepted an unknown comment state")
	}
	if _, err := raw.Exec(`UPDATE variants SET comment_state = 'failed'`); err != nil {
		t.Errorf("a known comment state refused: %v", err)
	}
}
