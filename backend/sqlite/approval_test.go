package sqlite_test

import (
	"context"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/sqlite"
)

func mustPost(t *testing.T, db *sqlite.DB, c *backend.Client, when string, text string, accs ...*backend.Account) *backend.Post {
	t.Helper()
	p := &backend.Post{ClientID: c.ID, Status: backend.StatusScheduled, BaseText: text, ScheduledAt: at(when), Labels: []string{"a"}}
	for _, a := range accs {
		p.Variants = append(p.Variants, backend.Variant{AccountID: a.ID})
	}
	if err := db.CreatePost(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	got, err := db.GetPost(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestContentHashFollowsWhatTheClientApproves(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	c := mustClient(t, db, "Sol", "Europe/Madrid")
	a := mustAccount(t, db, c.ID, backend.Mastodon, "@sol@x.social")
	b := mustAccount(t, db, c.ID, backend.Instagram, "sol")
	p := mustPost(t, db, c, "2026-12-01T10:00:00Z", "hola", a)
	if len(p.ContentHash) != 32 {
		t.Fatalf("hash %q", p.ContentHash)
	}
	seen := map[string]string{p.ContentHash: "created"}
	step := func(what string, change func(p *backend.Post), same bool) {
		t.Helper()
		cur, _ := db.GetPost(ctx, p.ID)
		before := cur.ContentHash
		change(cur)
		after, _ := db.GetPost(ctx, p.ID)
		if same != (after.ContentHash == before) {
			t.Fatalf("%s: hash %s → %s (same wanted: %v)", what, before, after.ContentHash, same)
		}
		if !same {
			if prev, ok := seen[after.ContentHash]; ok {
				t.Fatalf("%s: hash repeats the one after %s", what, prev)
			}
			seen[after.ContentHash] = what
		}
	}
	update := func(p *backend.Post) {
		if err := db.UpdatePost(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	step("labels", func(p *backend.Post) { p.Labels = []string{"b"}; update(p) }, true)
	step("text", func(p *backend.Post) { p.BaseText = "hola!"; update(p) }, false)
	step("first comment", func(p *backend.Post) { p.FirstComment = "#pan"; update(p) }, false)
	step("variant added", func(p *backend.Post) { p.Variants = append(p.Variants, backend.Variant{AccountID: b.ID}); update(p) }, false)
	step("variant text", func(p *backend.Post) { p.Variants[1].Text = "solo IG"; update(p) }, false)
	step("time in the editor", func(p *backend.Post) { p.ScheduledAt = at("2026-12-01T11:00:00Z"); update(p) }, false)
	step("rescheduled from the outbox", func(p *backend.Post) {
		if err := db.ReschedulePost(ctx, p.ID, time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	}, false)
	m := &backend.Media{ClientID: c.ID, Name: "x.jpg", Hash: "aa00000000000000000000000000000000000000000000000000000000000000", Format: "jpeg", Bytes: 1, Width: 1, Height: 1}
	if _, err := db.CreateMedia(ctx, m); err != nil {
		t.Fatal(err)
	}
	step("image", func(p *backend.Post) {
		if err := db.SetPostMedia(ctx, p.ID, []backend.PostMedia{{PostID: p.ID, MediaID: m.ID}}); err != nil {
			t.Fatal(err)
		}
	}, false)
}

type approvalFixture struct {
	db     *sqlite.DB
	path   string
	client *backend.Client
	posts  []backend.Post // in the package
	ws     string
}

func newApprovalFixture(t *testing.T) *approvalFixture {
	t.Helper()
	ctx := context.Background()
	db, path := open(t)
	c := mustClient(t, db, "Sol", "Europe/Madrid")
	a := mustAccount(t, db, c.ID, backend.Mastodon, "@sol@x.social")
	mustPost(t, db, c, "2026-11-30T10:00:00Z", "before the week", a)
	mustPost(t, db, c, "2026-12-01T10:00:00Z", "uno", a)
	mustPost(t, db, c, "2026-12-02T10:00:00Z", "dos", a)
	mustPost(t, db, c, "2026-12-03T10:00:00Z", "tres", a)
	posts, err := db.CreateApprovalPackage(ctx, "pkg", c.ID, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 3 || posts[0].BaseText != "uno" {
		t.Fatalf("package holds %d posts: %+v", len(posts), posts)
	}
	for _, p := range posts {
		if p.Approval.Status != backend.ApprovalPending || p.Approval.PackageID != "pkg" || p.Approval.Hash != p.ContentHash {
			t.Fatalf("post %d after packaging: %+v", p.ID, p.Approval)
		}
	}
	ws, err := db.WorkspaceID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return &approvalFixture{db: db, path: path, client: c, posts: posts, ws: ws}
}

func (f *approvalFixture) answer() backend.ApprovalAnswer {
	a := backend.ApprovalAnswer{PackageID: "pkg", WorkspaceID: f.ws, ClientID: f.client.ID}
	for i, p := range f.posts {
		d := backend.ApprovalDecision{PostID: p.ID, Hash: p.ContentHash, Decision: backend.ApprovalApproved}
		if i == 2 {
			d.Decision, d.Comment = backend.ApprovalChanges, "otra foto, por favor"
		}
		a.Decisions = append(a.Decisions, d)
	}
	return a
}

// unchanged fails if any post of the package left pending.
func (f *approvalFixture) unchanged(t *testing.T) {
	t.Helper()
	for _, p := range f.posts {
		got, err := f.db.GetPost(context.Background(), p.ID)
		if err != nil {
			continue // deleted
		}
		if got.Approval.Status != backend.ApprovalPending || got.Approval.Comment != "" {
			t.Fatalf("post %d changed by a refused answer: %+v", p.ID, got.Approval)
		}
	}
}

func TestApplyApprovalAnswer(t *testing.T) {
	ctx := context.Background()
	f := newApprovalFixture(t)
	res, err := f.db.ApplyApprovalAnswer(ctx, f.answer())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Approved) != 2 || len(res.Changes) != 1 || len(res.Changed) != 0 {
		t.Fatalf("result %+v", res)
	}
	p, _ := f.db.GetPost(ctx, f.posts[2].ID)
	if p.Approval.Status != backend.ApprovalChanges || p.Approval.Comment != "otra foto, por favor" || p.Approval.DecidedAt == nil || p.Approval.Changed {
		t.Fatalf("changes requested: %+v", p.Approval)
	}
	// A new package leaves the decided posts as they are.
	posts, err := f.db.CreateApprovalPackage(ctx, "pkg-b", f.client.ID, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC))
	if err != nil || posts[0].Approval.Status != backend.ApprovalApproved || posts[0].Approval.PackageID != "pkg" {
		t.Fatalf("repackaged: %v %+v", err, posts[0].Approval)
	}
}

func TestApprovalAnswerRefusals(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name      string
		change    func(f *approvalFixture, a *backend.ApprovalAnswer)
		code, key string
	}{
		{"another workspace", func(f *approvalFixture, a *backend.ApprovalAnswer) {
			a.WorkspaceID = "0123456789abcdef0123456789abcdef"
		}, backend.EInvalid, "approval.other_workspace"},
		{"unknown package", func(f *approvalFixture, a *backend.ApprovalAnswer) { a.PackageID = "nope" }, backend.ENotFound, "approval.unknown_package"},
		{"another client", func(f *approvalFixture, a *backend.ApprovalAnswer) {
			other := mustClient(&testing.T{}, f.db, "Luna", "Europe/Rome")
			a.ClientID = other.ID
		}, backend.EInvalid, "approval.other_client"},
		{"post outside the package", func(f *approvalFixture, a *backend.ApprovalAnswer) { a.Decisions[1].PostID = 1 }, backend.EInvalid, "approval.tampered"},
		{"post twice", func(f *approvalFixture, a *backend.ApprovalAnswer) { a.Decisions[1].PostID = a.Decisions[0].PostID }, backend.EInvalid, "approval.tampered"},
		{"unknown decision", func(f *approvalFixture, a *backend.ApprovalAnswer) { a.Decisions[0].Decision = backend.ApprovalNone }, backend.EInvalid, "approval.tampered"},
		{"no decision", func(f *approvalFixture, a *backend.ApprovalAnswer) { a.Decisions = nil }, backend.EInvalid, "approval.empty"},
		{"post deleted since", func(f *approvalFixture, a *backend.ApprovalAnswer) {
			if err := f.db.DeletePost(ctx, f.posts[2].ID); err != nil {
				panic(err)
			}
		}, backend.EConflict, "approval.posts_deleted"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newApprovalFixture(t)
			a := f.answer()
			tc.change(f, &a)
			_, err := f.db.ApplyApprovalAnswer(ctx, a)
			wantKey(t, err, tc.code, tc.key)
			f.unchanged(t) // nothing applied half-way
		})
	}
}

func TestApprovalOfContentEditedSinceIsNotApprovalOfTheNewContent(t *testing.T) {
	ctx := context.Background()
	f := newApprovalFixture(t)
	p, _ := f.db.GetPost(ctx, f.posts[0].ID)
	p.BaseText = "uno, corregido"
	if err := f.db.UpdatePost(ctx, p); err != nil {
		t.Fatal(err)
	}
	res, err := f.db.ApplyApprovalAnswer(ctx, f.answer())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Changed) != 1 || res.Changed[0] != p.ID || len(res.Approved) != 1 {
		t.Fatalf("result %+v", res)
	}
	got, _ := f.db.GetPost(ctx, p.ID)
	if got.Approval.Status != backend.ApprovalApproved || !got.Approval.Changed || got.Approval.Hash != f.posts[0].ContentHash {
		t.Fatalf("edited post: %+v (content %s)", got.Approval, got.ContentHash)
	}
	// Held when approval is required: the approval is of the old content.
	f.client.RequireApproval = true
	if err := f.db.UpdateClient(ctx, f.client); err != nil {
		t.Fatal(err)
	}
	c, _ := f.db.GetClient(ctx, f.client.ID)
	if !c.RequireApproval {
		t.Fatal("require approval not saved")
	}
	jobs, err := f.db.OutboxJobs(ctx, backend.OutboxQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		if j.Publish.PostID == p.ID {
			t.Fatal("a post changed since approval is in the publishing queue")
		}
	}
	if len(jobs) != 1 || jobs[0].Publish.PostID != f.posts[1].ID { // "before the week" was never approved
		var ids []int64
		for _, j := range jobs {
			ids = append(ids, j.Publish.PostID)
		}
		t.Fatalf("queue holds posts %v, want only the approved %d", ids, f.posts[1].ID)
	}
}
