package outbox

import (
	"testing"
	"time"

	"pauta/backend"
)

// approve answers the package for the post's current content.
func (e *env) approve(pkg string, postID int64, hash string, d backend.ApprovalStatus) {
	e.t.Helper()
	ws, err := e.db.WorkspaceID(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.db.ApplyApprovalAnswer(e.ctx, backend.ApprovalAnswer{PackageID: pkg, WorkspaceID: ws, ClientID: e.client.ID,
		Decisions: []backend.ApprovalDecision{{PostID: postID, Hash: hash, Decision: d}}}); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) waiting(variantID int64, o *Outbox) string {
	e.t.Helper()
	items, err := o.Items(e.ctx, backend.OutboxFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, it := range items {
		if it.VariantID == variantID {
			return it.Waiting
		}
	}
	e.t.Fatalf("variant %d is not in the outbox view", variantID)
	return ""
}

func TestClientRequiringApprovalNeverPublishesAnUnapprovedPost(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.client.RequireApproval = true
	if err := e.db.UpdateClient(e.ctx, e.client); err != nil {
		t.Fatal(err)
	}
	masto := e.account(backend.Mastodon, "@sol@example.social")
	insta := e.account(backend.Instagram, "sol")
	postID, vids := e.post(t0.Add(time.Minute), "pan de hoy", masto, insta)
	pub := &fakePub{window: time.Hour}
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub}, Options{})

	e.clock.Set(t0.Add(2 * time.Minute))
	e.runOnce(o)
	// Even asked to go out now, an unapproved post stays put.
	if err := o.PublishNow(e.ctx, vids[0]); err != nil {
		t.Fatal(err)
	}
	e.runOnce(o)
	if n := len(pub.Calls()); n != 0 {
		t.Fatalf("published %d unapproved posts", n)
	}
	e.wantState(vids[0], backend.OutboxPending)
	e.wantState(vids[1], backend.OutboxPending) // not even shown as due to publish by hand
	if w := e.waiting(vids[0], o); w != backend.WaitApproval {
		t.Fatalf("waiting = %q, want %q", w, backend.WaitApproval)
	}

	// Changes requested: still held.
	posts, err := e.db.CreateApprovalPackage(e.ctx, "pkg-1", e.client.ID, t0, t0.Add(time.Hour))
	if err != nil || len(posts) != 1 {
		t.Fatalf("package: %v, %d posts", err, len(posts))
	}
	hash := posts[0].ContentHash
	e.approve("pkg-1", postID, hash, backend.ApprovalChanges)
	e.runOnce(o)
	if n := len(pub.Calls()); n != 0 {
		t.Fatalf("published %d posts with changes requested", n)
	}

	// Approved for its current content: out it goes.
	e.approve("pkg-1", postID, hash, backend.ApprovalApproved)
	e.runOnce(o)
	if n := len(pub.Calls()); n != 1 {
		t.Fatalf("published %d times once approved, want 1", n)
	}
	e.wantState(vids[0], backend.OutboxPublished)
	e.wantState(vids[1], backend.OutboxDueManual)
}

func TestPostEditedAfterApprovalIsHeldAgain(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	masto := e.account(backend.Mastodon, "@sol@example.social")
	at := t0.Add(time.Hour)
	postID, vids := e.post(at, "pan de hoy", masto)
	if err := e.db.SetPostNeedsApproval(e.ctx, postID, true); err != nil {
		t.Fatal(err)
	}
	posts, err := e.db.CreateApprovalPackage(e.ctx, "pkg-2", e.client.ID, t0, t0.Add(2*time.Hour))
	if err != nil || len(posts) != 1 || posts[0].Approval.Status != backend.ApprovalPending {
		t.Fatalf("package: %v %+v", err, posts)
	}
	e.approve("pkg-2", postID, posts[0].ContentHash, backend.ApprovalApproved)
	p, _ := e.db.GetPost(e.ctx, postID)
	if p.Approval.Status != backend.ApprovalApproved || p.Approval.Changed {
		t.Fatalf("after approval: %+v", p.Approval)
	}
	p.BaseText = "pan de ayer"
	if err := e.db.UpdatePost(e.ctx, p); err != nil {
		t.Fatal(err)
	}
	p, _ = e.db.GetPost(e.ctx, postID)
	if !p.Approval.Changed {
		t.Fatalf("edited post not marked changed since approval: %+v (hash %s)", p.Approval, p.ContentHash)
	}
	pub := &fakePub{window: time.Hour}
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub}, Options{})
	e.clock.Set(at.Add(time.Second))
	e.runOnce(o)
	if n := len(pub.Calls()); n != 0 {
		t.Fatalf("published %d posts changed since approval", n)
	}
	if w := e.waiting(vids[0], o); w != backend.WaitApproval {
		t.Fatalf("waiting = %q", w)
	}
	// Once it no longer needs approval, it goes out.
	if err := e.db.SetPostNeedsApproval(e.ctx, postID, false); err != nil {
		t.Fatal(err)
	}
	e.runOnce(o)
	if n := len(pub.Calls()); n != 1 {
		t.Fatalf("a post no longer needing approval was published %d times", n)
	}
}

// Mastodon server-side schedules (remote.go) follow the hold: an unapproved
// post is never handed to the instance, an approved one is, and one already
// there is cancelled when approval becomes required.
func TestRemoteScheduleWaitsForApproval(t *testing.T) {
	e := newRemoteEnv(t)
	o := e.newOutbox()
	held, _ := e.post(t0.Add(2*time.Hour), "Necesita aprobación", e.acc)
	_, _ = e.post(t0.Add(3*time.Hour), "Ya programado", e.acc)
	if err := e.db.SetPostNeedsApproval(e.ctx, held, true); err != nil {
		t.Fatal(err)
	}
	e.runOnce(o)
	e.wantScheduled("Ya programado")

	posts, err := e.db.CreateApprovalPackage(e.ctx, "pkg-r", e.env.client.ID, t0, t0.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range posts {
		if p.ID == held {
			e.approve("pkg-r", held, p.ContentHash, backend.ApprovalApproved)
		}
	}
	e.sync(o)
	e.wantScheduled("Ya programado", "Necesita aprobación")

	// The client now requires approval: the unapproved one leaves the instance.
	e.env.client.RequireApproval = true
	if err := e.db.UpdateClient(e.ctx, e.env.client); err != nil {
		t.Fatal(err)
	}
	o.Wake()
	e.sync(o)
	e.wantScheduled("Necesita aprobación")
	if e.fake.count("DELETE") != 1 {
		t.Fatalf("calls %v", e.fake.calls)
	}
}

// Approved after its time and the grace period passed: it is missed, never
// sent late by itself (the user can still publish it now).
func TestApprovedTooLateIsMissedNotSentLate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	masto := e.account(backend.Mastodon, "@sol@example.social")
	postID, vids := e.post(t0.Add(time.Minute), "a tiempo", masto)
	if err := e.db.SetPostNeedsApproval(e.ctx, postID, true); err != nil {
		t.Fatal(err)
	}
	posts, err := e.db.CreateApprovalPackage(e.ctx, "pkg-late", e.client.ID, t0, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	pub := &fakePub{window: time.Hour}
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub}, Options{Grace: 15 * time.Minute})
	e.clock.Set(t0.Add(2 * time.Hour))
	e.runOnce(o)
	e.wantState(vids[0], backend.OutboxPending) // held: not even missed while it waits
	e.approve("pkg-late", postID, posts[0].ContentHash, backend.ApprovalApproved)
	e.runOnce(o)
	e.wantState(vids[0], backend.OutboxMissed)
	if n := len(pub.Calls()); n != 0 {
		t.Fatalf("sent late %d times", n)
	}
	if err := o.PublishNow(e.ctx, vids[0]); err != nil {
		t.Fatal(err)
	}
	e.runOnce(o)
	if n := len(pub.Calls()); n != 1 {
		t.Fatalf("publish now after approval: %d calls", n)
	}
}
