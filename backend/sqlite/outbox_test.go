package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/sqlite"
)

var obNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

type obFixture struct {
	t      *testing.T
	db     *sqlite.DB
	ctx    context.Context
	client *backend.Client
	acc    backend.Account
	acc2   backend.Account
}

func obSetup(t *testing.T) *obFixture {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "pauta.db"), backend.FixedClock{T: obNow})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := &backend.Client{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"}
	if err := db.CreateClient(ctx, c); err != nil {
		t.Fatal(err)
	}
	f := &obFixture{t: t, db: db, ctx: ctx, client: c}
	for i, h := range []string{"@sol@example.social", "sol.bsky.social"} {
		a := &backend.Account{ClientID: c.ID, Network: []backend.Network{backend.Mastodon, backend.Bluesky}[i], Handle: h}
		if err := db.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			f.acc = *a
		} else {
			f.acc2 = *a
		}
	}
	return f
}

func (f *obFixture) post(status backend.PostStatus, at *time.Time, text string, accs ...backend.Account) *backend.Post {
	f.t.Helper()
	p := &backend.Post{ClientID: f.client.ID, Status: status, BaseText: text, ScheduledAt: at, TimeZone: "Europe/Madrid"}
	for _, a := range accs {
		p.Variants = append(p.Variants, backend.Variant{AccountID: a.ID})
	}
	if err := f.db.CreatePost(f.ctx, p); err != nil {
		f.t.Fatal(err)
	}
	return p
}

func (f *obFixture) set(id int64, fn func(v *backend.VariantPublish, a *backend.AccountOutbox)) {
	f.t.Helper()
	if err := f.db.OutboxUpdate(f.ctx, id, func(v *backend.VariantPublish, a *backend.AccountOutbox) error { fn(v, a); return nil }); err != nil {
		f.t.Fatal(err)
	}
}

func (f *obFixture) status(id int64) backend.PostStatus {
	f.t.Helper()
	p, err := f.db.GetPost(f.ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return p.Status
}

func tp(t time.Time) *time.Time { return &t }

func TestOutboxMigrationKeepsExistingRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"0001_init.sql", "0002_post_sequence.sql", "0003_planning.sql"} {
		b, err := os.ReadFile(filepath.Join("migrations", name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(string(b)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	for _, q := range []string{
		`PRAGMA user_version = 3`,
		`INSERT INTO clients (id, name, color, time_zone, language, created_at, updated_at) VALUES (1, 'Sol', '#4f7cff', 'UTC', 'es', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
		`INSERT INTO accounts (id, client_id, network, handle, created_at) VALUES (1, 1, 'mastodon', '@sol@example.social', '2026-01-01T00:00:00Z')`,
		`INSERT INTO posts (id, client_id, status, scheduled_at, time_zone, created_at, updated_at) VALUES (1, 1, 'published', '2026-01-02T10:00:00Z', 'UTC', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
		`INSERT INTO posts (id, client_id, status, scheduled_at, time_zone, created_at, updated_at) VALUES (2, 1, 'scheduled', '2026-12-02T10:00:00Z', 'UTC', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
		`INSERT INTO variants (id, post_id, account_id, text) VALUES (1, 1, 1, ''), (2, 2, 1, 'hola')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()
	db, err := sqlite.Open(context.Background(), path, backend.FixedClock{T: obNow})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for id, want := range map[int64]backend.OutboxState{1: backend.OutboxPublished, 2: backend.OutboxPending} {
		j, err := db.OutboxJob(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		v := j.Publish
		if v.State != want || v.Attempts != 0 || v.IdempotencyKey != "" || v.NextAttemptAt != nil || v.Approved {
			t.Errorf("variant %d after migration: %+v, want state %s", id, v, want)
		}
	}
	if accs, err := db.OutboxAccounts(context.Background()); err != nil || len(accs) != 0 {
		t.Errorf("account states %v %v", accs, err)
	}
}

func TestOutboxUpdateRoundTripAndGuards(t *testing.T) {
	f := obSetup(t)
	p := f.post(backend.StatusScheduled, tp(obNow), "hola", f.acc)
	id := p.Variants[0].ID
	sent := obNow.Add(time.Minute)
	f.set(id, func(v *backend.VariantPublish, a *backend.AccountOutbox) {
		v.State, v.IdempotencyKey, v.RecordKey, v.RemoteCreatedAt = backend.OutboxSending, "key-1", "3jzfcijpj2z2a", tp(obNow)
		v.Attempts, v.SendingSince, v.UncertainSince, v.NextAttemptAt = 2, &sent, tp(obNow), tp(sent)
		v.LastErrorCode, v.LastErrorKey, v.LastError = backend.ETransient, "network.transient", "timeout"
		v.DueAt, v.Approved, v.DueFor = tp(sent), true, tp(obNow)
		a.Failures, a.BackoffUntil, a.SpacedUntil = 3, tp(sent), tp(obNow)
		a.PausedReason, a.PausedMessage, a.PausedAt = backend.EAuth, "revoked", tp(obNow)
	})
	j, err := f.db.OutboxJob(f.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	v := j.Publish
	if v.State != backend.OutboxSending || v.IdempotencyKey != "key-1" || v.RecordKey != "3jzfcijpj2z2a" || !v.RemoteCreatedAt.Equal(obNow) ||
		v.Attempts != 2 || !v.SendingSince.Equal(sent) || !v.UncertainSince.Equal(obNow) || !v.NextAttemptAt.Equal(sent) ||
		v.LastErrorCode != backend.ETransient || v.LastErrorKey != "network.transient" || v.LastError != "timeout" ||
		!v.DueAt.Equal(sent) || !v.Approved || !v.DueFor.Equal(obNow) || v.StateChangedAt == nil || !v.StateChangedAt.Equal(obNow) {
		t.Errorf("round trip: %+v", v)
	}
	if !j.Due.Equal(sent) || j.Text != "hola" || j.Language != "es" || j.Account.Handle != "@sol@example.social" || j.Account.Network != backend.Mastodon {
		t.Errorf("job %+v", j)
	}
	accs, err := f.db.OutboxAccounts(f.ctx)
	if err != nil || len(accs) != 1 {
		t.Fatalf("accounts %v %v", accs, err)
	}
	if a := accs[0]; a.AccountID != f.acc.ID || a.Failures != 3 || !a.BackoffUntil.Equal(sent) || a.PausedReason != backend.EAuth || !a.SpacedUntil.Equal(obNow) {
		t.Errorf("account %+v", a)
	}
	// Keys generated once never change; nor does the identity.
	f.set(id, func(v *backend.VariantPublish, _ *backend.AccountOutbox) {
		v.IdempotencyKey, v.RecordKey, v.RemoteCreatedAt, v.PostID = "other", "other", tp(sent), 999
		v.State = backend.OutboxPublished
		v.Remote = backend.RemoteRef{ID: "1", URI: "at://x", CID: "bafy", URL: "https://example.social/@sol/1"}
	})
	j, _ = f.db.OutboxJob(f.ctx, id)
	if j.Publish.IdempotencyKey != "key-1" || j.Publish.RecordKey != "3jzfcijpj2z2a" || !j.Publish.RemoteCreatedAt.Equal(obNow) || j.Publish.PostID != p.ID {
		t.Errorf("keys changed: %+v", j.Publish)
	}
	if j.Publish.Remote.CID != "bafy" || j.Publish.Remote.URL == "" {
		t.Errorf("remote %+v", j.Publish.Remote)
	}
	if s := f.status(p.ID); s != backend.StatusPublished {
		t.Errorf("post status %s", s)
	}
	// An error from fn rolls everything back.
	boom := errors.New("boom")
	err = f.db.OutboxUpdate(f.ctx, id, func(v *backend.VariantPublish, a *backend.AccountOutbox) error {
		v.State, a.Failures = backend.OutboxFailed, 42
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("fn error: %v", err)
	}
	j, _ = f.db.OutboxJob(f.ctx, id)
	accs, _ = f.db.OutboxAccounts(f.ctx)
	if j.Publish.State != backend.OutboxPublished || accs[0].Failures != 3 {
		t.Error("not rolled back")
	}
	err = f.db.OutboxUpdate(f.ctx, id, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
		v.State = "gone"
		return nil
	})
	if backend.ErrorCode(err) != backend.EInternal {
		t.Errorf("unknown state accepted: %v", err)
	}
	if err := f.db.OutboxUpdate(f.ctx, 9999, func(*backend.VariantPublish, *backend.AccountOutbox) error { return nil }); backend.ErrorCode(err) != backend.ENotFound {
		t.Errorf("unknown variant: %v", err)
	}
	if err := f.db.OutboxUpdateAccount(f.ctx, 9999, func(*backend.AccountOutbox) error { return nil }); backend.ErrorCode(err) != backend.ENotFound {
		t.Errorf("unknown account: %v", err)
	}
	if _, err := f.db.OutboxJob(f.ctx, 9999); backend.ErrorCode(err) != backend.ENotFound {
		t.Errorf("unknown job: %v", err)
	}
	// The editor keeps the variant's row, so the outbox state survives a save.
	full, _ := f.db.GetPost(f.ctx, p.ID)
	full.BaseText = "hola de nuevo"
	if err := f.db.UpdatePost(f.ctx, full); err != nil {
		t.Fatal(err)
	}
	j, _ = f.db.OutboxJob(f.ctx, id)
	if j.Publish.State != backend.OutboxPublished || j.Publish.IdempotencyKey != "key-1" {
		t.Errorf("an editor save lost the outbox state: %+v", j.Publish)
	}
}

func TestOutboxJobsIsTheQueue(t *testing.T) {
	f := obSetup(t)
	due := f.post(backend.StatusScheduled, tp(obNow.Add(-time.Minute)), "due", f.acc)
	later := f.post(backend.StatusScheduled, tp(obNow.Add(time.Hour)), "later", f.acc)
	overridden := f.post(backend.StatusScheduled, tp(obNow.Add(time.Hour)), "moved earlier", f.acc2)
	f.set(overridden.Variants[0].ID, func(v *backend.VariantPublish, _ *backend.AccountOutbox) { v.DueAt = tp(obNow.Add(-2 * time.Minute)) })
	draft := f.post(backend.StatusDraft, tp(obNow.Add(-time.Minute)), "draft", f.acc)
	f.post(backend.StatusIdea, nil, "idea", f.acc)
	deleted := f.post(backend.StatusScheduled, tp(obNow.Add(-time.Minute)), "deleted", f.acc)
	if err := f.db.DeletePost(f.ctx, deleted.ID); err != nil {
		t.Fatal(err)
	}
	pending := []backend.OutboxState{backend.OutboxPending}
	jobs, err := f.db.OutboxJobs(f.ctx, backend.OutboxQuery{States: pending, DueBy: obNow})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, j := range jobs {
		got = append(got, j.Text)
	}
	if strings.Join(got, ",") != "moved earlier,due" {
		t.Errorf("due jobs %v", got)
	}
	all, _ := f.db.OutboxJobs(f.ctx, backend.OutboxQuery{States: pending})
	if len(all) != 3 || all[2].Publish.VariantID != later.Variants[0].ID {
		t.Errorf("queue %+v", all)
	}
	one, _ := f.db.OutboxJobs(f.ctx, backend.OutboxQuery{States: pending, AccountID: f.acc.ID, Limit: 1})
	if len(one) != 1 || one[0].Publish.VariantID != due.Variants[0].ID {
		t.Errorf("account filter %+v", one)
	}
	// A call interrupted after the post went back to draft is still found for recovery.
	f.set(draft.Variants[0].ID, func(v *backend.VariantPublish, _ *backend.AccountOutbox) { v.State = backend.OutboxSending })
	sending, _ := f.db.OutboxJobs(f.ctx, backend.OutboxQuery{States: []backend.OutboxState{backend.OutboxSending}, Inactive: true})
	if len(sending) != 1 {
		t.Errorf("sending %+v", sending)
	}
	if s, _ := f.db.OutboxJobs(f.ctx, backend.OutboxQuery{States: []backend.OutboxState{backend.OutboxSending}}); len(s) != 0 {
		t.Errorf("a draft is in the active queue: %+v", s)
	}
}

func TestPostStatusFollowsItsVariants(t *testing.T) {
	f := obSetup(t)
	p := f.post(backend.StatusScheduled, tp(obNow), "two accounts", f.acc, f.acc2)
	a, b := p.Variants[0].ID, p.Variants[1].ID
	for _, step := range []struct {
		a, b backend.OutboxState
		want backend.PostStatus
	}{
		{backend.OutboxSending, backend.OutboxPending, backend.StatusScheduled},
		{backend.OutboxPublished, backend.OutboxPending, backend.StatusScheduled},
		{backend.OutboxPublished, backend.OutboxDueManual, backend.StatusScheduled},
		{backend.OutboxPublished, backend.OutboxMissed, backend.StatusNeedsReview},
		{backend.OutboxPublished, backend.OutboxNeedsReview, backend.StatusNeedsReview},
		{backend.OutboxFailed, backend.OutboxNeedsReview, backend.StatusFailed},
		{backend.OutboxPublished, backend.OutboxSkipped, backend.StatusPublished},
		{backend.OutboxSkipped, backend.OutboxSkipped, backend.StatusDraft},
	} {
		f.set(a, func(v *backend.VariantPublish, _ *backend.AccountOutbox) { v.State = step.a })
		f.set(b, func(v *backend.VariantPublish, _ *backend.AccountOutbox) { v.State = step.b })
		if s := f.status(p.ID); s != step.want {
			t.Errorf("%s + %s: post %s, want %s", step.a, step.b, s, step.want)
		}
	}
	// Drafts and ideas are the user's: left alone.
	f.set(a, func(v *backend.VariantPublish, _ *backend.AccountOutbox) { v.State = backend.OutboxPublished })
	if s := f.status(p.ID); s != backend.StatusDraft {
		t.Errorf("a draft was changed to %s", s)
	}
	// A stale editor save overwrote the status: reconcile repairs it.
	q := f.post(backend.StatusScheduled, tp(obNow), "stale", f.acc)
	f.set(q.Variants[0].ID, func(v *backend.VariantPublish, _ *backend.AccountOutbox) { v.State = backend.OutboxPublished })
	full, _ := f.db.GetPost(f.ctx, q.ID)
	full.Status = backend.StatusScheduled
	if err := f.db.UpdatePost(f.ctx, full); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.OutboxReconcile(f.ctx, obNow); err != nil {
		t.Fatal(err)
	}
	if s := f.status(q.ID); s != backend.StatusPublished {
		t.Errorf("after reconcile: %s", s)
	}
}

func TestOutboxReconcileRequeuesPostsMovedLater(t *testing.T) {
	f := obSetup(t)
	p := f.post(backend.StatusScheduled, tp(obNow.Add(-time.Hour)), "missed", f.acc)
	id := p.Variants[0].ID
	f.set(id, func(v *backend.VariantPublish, _ *backend.AccountOutbox) {
		v.State, v.DueFor = backend.OutboxMissed, tp(obNow.Add(-time.Hour))
	})
	if n, err := f.db.OutboxReconcile(f.ctx, obNow); err != nil || n != 0 {
		t.Fatalf("reconcile of an unmoved post: %d %v", n, err)
	}
	full, _ := f.db.GetPost(f.ctx, p.ID)
	full.ScheduledAt = tp(obNow.Add(time.Hour))
	if err := f.db.UpdatePost(f.ctx, full); err != nil {
		t.Fatal(err)
	}
	if n, err := f.db.OutboxReconcile(f.ctx, obNow); err != nil || n != 1 {
		t.Fatalf("reconcile: %d %v", n, err)
	}
	j, _ := f.db.OutboxJob(f.ctx, id)
	if j.Publish.State != backend.OutboxPending || j.Publish.DueFor != nil {
		t.Errorf("after reconcile %+v", j.Publish)
	}
	if s := f.status(p.ID); s != backend.StatusScheduled {
		t.Errorf("post %s", s)
	}
}

func TestOutboxNextWake(t *testing.T) {
	f := obSetup(t)
	if _, ok, err := f.db.OutboxNextWake(f.ctx, obNow); ok || err != nil {
		t.Fatalf("empty: %v %v", ok, err)
	}
	f.post(backend.StatusScheduled, tp(obNow.Add(-time.Minute)), "due already", f.acc)
	f.post(backend.StatusDraft, tp(obNow.Add(time.Minute)), "a draft", f.acc)
	if _, ok, _ := f.db.OutboxNextWake(f.ctx, obNow); ok {
		t.Error("a wake for a post already due or a draft")
	}
	p := f.post(backend.StatusScheduled, tp(obNow.Add(time.Hour)), "later", f.acc)
	next, ok, err := f.db.OutboxNextWake(f.ctx, obNow)
	if err != nil || !ok || !next.Equal(obNow.Add(time.Hour)) {
		t.Errorf("next %v %v %v", next, ok, err)
	}
	q := f.post(backend.StatusScheduled, tp(obNow.Add(-time.Hour)), "retrying", f.acc2)
	f.set(q.Variants[0].ID, func(v *backend.VariantPublish, a *backend.AccountOutbox) {
		v.NextAttemptAt, a.BackoffUntil = tp(obNow.Add(30*time.Second)), tp(obNow.Add(20*time.Second))
	})
	if next, _, _ := f.db.OutboxNextWake(f.ctx, obNow); !next.Equal(obNow.Add(20 * time.Second)) {
		t.Errorf("next %v, want the backoff end", next)
	}
	f.set(p.Variants[0].ID, func(v *backend.VariantPublish, _ *backend.AccountOutbox) { v.DueAt = tp(obNow.Add(10 * time.Second)) })
	if next, _, _ := f.db.OutboxNextWake(f.ctx, obNow); !next.Equal(obNow.Add(10 * time.Second)) {
		t.Errorf("next %v, want the variant's own due time", next)
	}
}

func TestOutboxItems(t *testing.T) {
	f := obSetup(t)
	long := strings.Repeat("ñ", 300)
	p := f.post(backend.StatusScheduled, tp(obNow), long, f.acc, f.acc2)
	f.set(p.Variants[1].ID, func(v *backend.VariantPublish, a *backend.AccountOutbox) {
		v.State, v.LastErrorCode, v.LastError = backend.OutboxFailed, backend.EInvalid, "too long"
		a.PausedReason = backend.EAuth
	})
	f.set(p.Variants[0].ID, func(v *backend.VariantPublish, _ *backend.AccountOutbox) { v.State = backend.OutboxPublished })
	f.post(backend.StatusDraft, tp(obNow), "draft", f.acc)
	items, err := f.db.OutboxItems(f.ctx, backend.OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 {
		t.Fatalf("items %+v", items)
	}
	it := items[0]
	if it.State != backend.OutboxFailed || it.Error != "too long" || !it.Paused || it.ClientName != "Sol" || it.Network != backend.Bluesky ||
		len([]rune(it.Text)) != 281 || !it.Due.Equal(obNow) {
		t.Errorf("item %+v", it)
	}
	pub, _ := f.db.OutboxItems(f.ctx, backend.OutboxFilter{States: []backend.OutboxState{backend.OutboxPublished}, ClientID: f.client.ID, PostID: p.ID})
	if len(pub) != 1 || pub[0].AccountID != f.acc.ID {
		t.Errorf("published items %+v", pub)
	}
	if none, _ := f.db.OutboxItems(f.ctx, backend.OutboxFilter{ClientID: 9999}); len(none) != 0 {
		t.Errorf("client filter %+v", none)
	}
}

func TestReschedulePost(t *testing.T) {
	f := obSetup(t)
	p := f.post(backend.StatusScheduled, tp(obNow.Add(-time.Hour)), "move me", f.acc, f.acc2)
	f.set(p.Variants[0].ID, func(v *backend.VariantPublish, _ *backend.AccountOutbox) {
		v.State, v.Attempts = backend.OutboxFailed, 3
	})
	f.set(p.Variants[1].ID, func(v *backend.VariantPublish, _ *backend.AccountOutbox) { v.State = backend.OutboxNeedsReview })
	at := obNow.Add(24 * time.Hour)
	if err := f.db.ReschedulePost(f.ctx, p.ID, at); err != nil {
		t.Fatal(err)
	}
	full, _ := f.db.GetPost(f.ctx, p.ID)
	if !full.ScheduledAt.Equal(at) || full.Sequence != 1 {
		t.Errorf("post %+v", full)
	}
	j0, _ := f.db.OutboxJob(f.ctx, p.Variants[0].ID)
	j1, _ := f.db.OutboxJob(f.ctx, p.Variants[1].ID)
	if j0.Publish.State != backend.OutboxPending || j0.Publish.Attempts != 0 || j1.Publish.State != backend.OutboxNeedsReview {
		t.Errorf("variants %+v / %+v", j0.Publish, j1.Publish)
	}
	idea := f.post(backend.StatusIdea, nil, "idea")
	if err := f.db.ReschedulePost(f.ctx, idea.ID, at); backend.ErrorCode(err) != backend.EInvalid {
		t.Errorf("idea: %v", err)
	}
	if err := f.db.ReschedulePost(f.ctx, 9999, at); backend.ErrorCode(err) != backend.ENotFound {
		t.Errorf("unknown: %v", err)
	}
}
