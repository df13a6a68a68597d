package outbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http/httptest"
	"regexp"
	"sort"
	"testing"
	"time"

	"pauta/backend"
)

func transient(msg string) error {
	return backend.Errorf(backend.ETransient, "network.transient", "%s", msg)
}

func TestDueTimes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	acc := e.account(backend.Mastodon, "@sol@example.social")
	post, ids := e.post(t0.Add(10*time.Minute), "Pan recién hecho", acc)
	pub := &fakePub{window: time.Hour}
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub}, Options{})

	e.runOnce(o)
	if n := len(pub.Calls()); n != 0 {
		t.Fatalf("published %d before its time", n)
	}
	next, ok, err := e.db.OutboxNextWake(e.ctx, e.clock.Now())
	if err != nil || !ok || !next.Equal(t0.Add(10*time.Minute)) {
		t.Fatalf("next wake %v %v %v, want %v", next, ok, err, t0.Add(10*time.Minute))
	}
	e.clock.Advance(10*time.Minute - time.Second)
	e.runOnce(o)
	if n := len(pub.Calls()); n != 0 {
		t.Fatalf("published a second early")
	}
	e.clock.Advance(time.Second)
	e.runOnce(o)
	calls := pub.Calls()
	if len(calls) != 1 {
		t.Fatalf("%d calls, want 1", len(calls))
	}
	req := calls[0]
	if req.Text != "Pan recién hecho" || req.Language != "es" || req.Account.ID != acc.ID {
		t.Errorf("request %+v", req)
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(req.IdempotencyKey) {
		t.Errorf("idempotency key %q", req.IdempotencyKey)
	}
	if !regexp.MustCompile(`^[2-7a-j][2-7a-z]{12}$`).MatchString(req.RecordKey) {
		t.Errorf("record key %q", req.RecordKey)
	}
	if !req.CreatedAt.Equal(t0.Add(10 * time.Minute)) {
		t.Errorf("createdAt %v", req.CreatedAt)
	}
	v := e.wantState(ids[0], backend.OutboxPublished)
	if v.Remote.URL == "" || v.PublishedAt == nil || v.Attempts != 1 || v.IdempotencyKey != req.IdempotencyKey {
		t.Errorf("stored %+v", v)
	}
	if s := e.postStatus(post); s != backend.StatusPublished {
		t.Errorf("post status %s, want published", s)
	}
	if e.events.count(backend.EventOutboxChanged) == 0 {
		t.Error("no outbox:changed event")
	}
	// Nothing more to do: nothing is sent twice.
	e.clock.Advance(time.Hour)
	e.runOnce(o)
	if n := len(pub.Calls()); n != 1 {
		t.Fatalf("%d calls after publishing, want 1", n)
	}
	if _, ok, _ := e.db.OutboxNextWake(e.ctx, e.clock.Now()); ok {
		t.Error("a wake-up is planned with nothing pending")
	}
}

func TestDraftsAndDeletedPostsAreNotPublished(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	acc := e.account(backend.Mastodon, "@sol@example.social")
	draft := &backend.Post{ClientID: e.client.ID, Status: backend.StatusDraft, BaseText: "draft", ScheduledAt: &t0, TimeZone: "UTC",
		Variants: []backend.Variant{{AccountID: acc.ID}}}
	if err := e.db.CreatePost(e.ctx, draft); err != nil {
		t.Fatal(err)
	}
	deleted, _ := e.post(t0, "deleted", acc)
	if err := e.db.DeletePost(e.ctx, deleted); err != nil {
		t.Fatal(err)
	}
	pub := &fakePub{window: time.Hour}
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub}, Options{})
	e.runOnce(o)
	if n := len(pub.Calls()); n != 0 {
		t.Fatalf("published %d drafts or deleted posts", n)
	}
}

func TestGracePeriodMissedAndPublishNowSpaced(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	acc := e.account(backend.Mastodon, "@sol@example.social")
	_, inGrace := e.post(t0.Add(-14*time.Minute), "a bit late", acc)
	missedPost, missed := e.post(t0.Add(-16*time.Minute), "too late", acc)
	pub := &fakePub{window: time.Hour}
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub}, Options{})

	e.runOnce(o)
	e.wantState(inGrace[0], backend.OutboxPublished)
	v := e.wantState(missed[0], backend.OutboxMissed)
	if v.DueFor == nil || !v.DueFor.Equal(t0.Add(-16*time.Minute)) {
		t.Errorf("missed due for %v", v.DueFor)
	}
	if n := len(pub.Calls()); n != 1 {
		t.Fatalf("%d calls, want 1 (the missed post is not sent late)", n)
	}
	if s := e.postStatus(missedPost); s != backend.StatusNeedsReview {
		t.Errorf("missed post status %s, want needs_review", s)
	}
	items, err := o.Items(e.ctx, backend.OutboxFilter{States: []backend.OutboxState{backend.OutboxMissed}})
	if err != nil || len(items) != 1 || items[0].VariantID != missed[0] {
		t.Fatalf("missed items %+v %v", items, err)
	}

	// Several missed posts of one account: publish now spaces them.
	var more []int64
	for i := 0; i < 3; i++ {
		_, ids := e.post(t0.Add(-time.Duration(20+i)*time.Minute), fmt.Sprint("missed ", i), acc)
		more = append(more, ids[0])
	}
	e.runOnce(o)
	for _, id := range append([]int64{missed[0]}, more...) {
		e.wantState(id, backend.OutboxMissed)
		if err := o.PublishNow(e.ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	spacing := 3 * time.Minute
	for i, id := range append([]int64{missed[0]}, more...) {
		v := e.wantState(id, backend.OutboxPending)
		if want := t0.Add(time.Duration(i) * spacing); v.DueAt == nil || !v.DueAt.Equal(want) || !v.Approved {
			t.Errorf("publish now #%d: due %v approved %v, want %v", i, v.DueAt, v.Approved, want)
		}
	}
	for i := 0; i < 4; i++ {
		e.runOnce(o)
		if n := len(pub.Calls()); n != 2+i {
			t.Fatalf("after slot %d: %d calls, want %d (no burst)", i, n, 2+i)
		}
		e.clock.Advance(spacing)
	}
	for _, id := range append([]int64{missed[0]}, more...) {
		e.wantState(id, backend.OutboxPublished)
	}
	if s := e.postStatus(missedPost); s != backend.StatusPublished {
		t.Errorf("post status %s, want published", s)
	}
}

func TestBackoffGrowsToItsCapAndKeepsTheKeys(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	acc := e.account(backend.Mastodon, "@sol@example.social")
	_, ids := e.post(t0, "retry me", acc)
	_, later := e.post(t0, "same account, waits too", acc)
	pub := &fakePub{window: time.Hour}
	pub.set(func(n int, req backend.PublishRequest) (backend.RemoteRef, error) {
		if n <= 7 {
			return backend.RemoteRef{}, transient("503 Service Unavailable")
		}
		return backend.RemoteRef{ID: "1"}, nil
	})
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub}, Options{MinBackoff: 5 * time.Second, MaxBackoff: time.Minute})
	want := []time.Duration{5, 10, 20, 40, 60, 60, 60}
	for i, d := range want {
		e.runOnce(o)
		if n := len(pub.Calls()); n != i+1 {
			t.Fatalf("attempt %d: %d calls", i+1, n)
		}
		v := e.wantState(ids[0], backend.OutboxPending)
		got := v.NextAttemptAt.Sub(e.clock.Now())
		if got != d*time.Second {
			t.Fatalf("attempt %d: next in %s, want %s", i+1, got, d*time.Second)
		}
		if v.LastErrorCode != backend.ETransient || v.UncertainSince == nil || !v.UncertainSince.Equal(t0) {
			t.Errorf("attempt %d: %+v", i+1, v)
		}
		// Not a second early, not even for the other post of the account.
		e.clock.Advance(got - time.Second)
		e.runOnce(o)
		if n := len(pub.Calls()); n != i+1 {
			t.Fatalf("attempt %d: retried %s early", i+1, time.Second)
		}
		e.clock.Advance(time.Second)
	}
	e.runOnce(o)
	e.wantState(ids[0], backend.OutboxPublished)
	e.wantState(later[0], backend.OutboxPublished)
	calls := pub.Calls()
	for _, c := range calls[1:8] {
		if c.IdempotencyKey != calls[0].IdempotencyKey || c.RecordKey != calls[0].RecordKey || !c.CreatedAt.Equal(calls[0].CreatedAt) {
			t.Fatalf("a retry changed the keys: %+v vs %+v", c, calls[0])
		}
	}
	a, _ := o.accountStates(e.ctx)
	if a[acc.ID].Failures != 0 || a[acc.ID].BackoffUntil != nil {
		t.Errorf("backoff not reset after a success: %+v", a[acc.ID])
	}
}

func TestBackoffJitterBounds(t *testing.T) {
	o := New(nil, nil, nil, nil, nil, Options{MinBackoff: time.Second, MaxBackoff: 30 * time.Second})
	for n := 1; n < 12; n++ {
		d := capped(time.Second, 30*time.Second, n)
		for i := 0; i < 200; i++ {
			got := o.backoff(n)
			if got < d/2 || got > d {
				t.Fatalf("backoff(%d) = %s, want in [%s, %s]", n, got, d/2, d)
			}
		}
	}
	if capped(time.Second, time.Hour, 200) != time.Hour {
		t.Error("overflow not capped")
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	acc := e.account(backend.Bluesky, "sol.bsky.social")
	_, ids := e.post(t0, "rate limited", acc)
	_, other := e.post(t0, "same account", acc)
	pub := &fakePub{window: backend.Forever}
	pub.set(func(n int, req backend.PublishRequest) (backend.RemoteRef, error) {
		if n == 1 {
			e := backend.Errorf(backend.ERateLimited, "network.rate_limited", "429 Too Many Requests")
			e.RetryAfter = 90 * time.Second
			return backend.RemoteRef{}, e
		}
		return backend.RemoteRef{ID: req.RecordKey}, nil
	})
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Bluesky: pub}, Options{MinBackoff: time.Second})
	e.runOnce(o)
	v := e.wantState(ids[0], backend.OutboxPending)
	if v.NextAttemptAt == nil || !v.NextAttemptAt.Equal(t0.Add(90*time.Second)) || v.UncertainSince != nil {
		t.Fatalf("after a 429: %+v", v)
	}
	e.clock.Advance(89 * time.Second)
	e.runOnce(o)
	if n := len(pub.Calls()); n != 1 {
		t.Fatalf("%d calls before Retry-After passed", n)
	}
	e.clock.Advance(time.Second)
	e.runOnce(o)
	e.wantState(ids[0], backend.OutboxPublished)
	e.wantState(other[0], backend.OutboxPublished)
}

func TestAuthErrorPausesTheAccountUntilResume(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	bad := e.account(backend.Mastodon, "@sol@example.social")
	good := e.account(backend.Bluesky, "sol.bsky.social")
	_, p1 := e.post(t0, "one", bad)
	_, p2 := e.post(t0, "two", bad)
	_, p3 := e.post(t0, "three", good)
	mast := &fakePub{window: time.Hour}
	revoked := true
	mast.set(func(n int, req backend.PublishRequest) (backend.RemoteRef, error) {
		if revoked {
			return backend.RemoteRef{}, backend.Errorf(backend.EAuth, "network.auth", "401 The access token was revoked")
		}
		return backend.RemoteRef{ID: fmt.Sprint(n)}, nil
	})
	bsky := &fakePub{window: backend.Forever}
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: mast, backend.Bluesky: bsky}, Options{})
	e.runOnce(o)
	if n := len(mast.Calls()); n != 1 {
		t.Fatalf("%d calls to the revoked account, want 1", n)
	}
	e.wantState(p1[0], backend.OutboxPending)
	e.wantState(p2[0], backend.OutboxPending)
	e.wantState(p3[0], backend.OutboxPublished)
	items, err := o.Items(e.ctx, backend.OutboxFilter{AccountID: bad.ID})
	if err != nil || len(items) != 2 || !items[0].Paused || items[0].Waiting != backend.WaitPaused || items[0].ErrorCode != backend.EAuth {
		t.Fatalf("items %+v %v", items, err)
	}
	for i := 0; i < 3; i++ {
		e.clock.Advance(2 * time.Minute)
		e.runOnce(o)
	}
	if n := len(mast.Calls()); n != 1 {
		t.Fatalf("a paused account was called again (%d calls)", n)
	}
	e.wantState(p1[0], backend.OutboxPending) // waits, does not fail
	revoked = false
	if err := o.Resume(e.ctx, bad.ID); err != nil {
		t.Fatal(err)
	}
	e.runOnce(o)
	e.wantState(p1[0], backend.OutboxPublished)
	e.wantState(p2[0], backend.OutboxPublished)
	if err := o.Resume(e.ctx, 9999); backend.ErrorCode(err) != backend.ENotFound {
		t.Errorf("resume of an unknown account: %v", err)
	}
}

func TestPermanentFailureKeepsTheReason(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	acc := e.account(backend.Mastodon, "@sol@example.social")
	post, ids := e.post(t0, "too long", acc)
	pub := &fakePub{window: time.Hour}
	pub.set(func(n int, req backend.PublishRequest) (backend.RemoteRef, error) {
		if n == 1 {
			return backend.RemoteRef{}, backend.Errorf(backend.EInvalid, "mastodon.validation", "Validation failed: Text character limit of 500 exceeded")
		}
		return backend.RemoteRef{ID: "9"}, nil
	})
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub}, Options{})
	e.runOnce(o)
	v := e.wantState(ids[0], backend.OutboxFailed)
	if v.LastErrorCode != backend.EInvalid || v.LastErrorKey != "mastodon.validation" || v.LastError == "" {
		t.Errorf("reason not kept: %+v", v)
	}
	if s := e.postStatus(post); s != backend.StatusFailed {
		t.Errorf("post status %s, want failed", s)
	}
	e.clock.Advance(time.Hour)
	e.runOnce(o)
	if n := len(pub.Calls()); n != 1 {
		t.Fatalf("a permanent failure was retried (%d calls)", n)
	}
	items, _ := o.Items(e.ctx, backend.OutboxFilter{States: []backend.OutboxState{backend.OutboxFailed}})
	if len(items) != 1 || items[0].Error == "" {
		t.Fatalf("failed items %+v", items)
	}
	if err := o.Retry(e.ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	e.runOnce(o)
	e.wantState(ids[0], backend.OutboxPublished)
	if s := e.postStatus(post); s != backend.StatusPublished {
		t.Errorf("post status %s, want published", s)
	}
	if err := o.Retry(e.ctx, ids[0]); backend.ErrorCode(err) != backend.EConflict {
		t.Errorf("retry of a published post: %v", err)
	}
}

func TestManualNetworksAreDueThenMarkedPublished(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ig := e.account(backend.Instagram, "panaderiasol")
	mast := e.account(backend.Mastodon, "@sol@example.social")
	post, ids := e.post(t0.Add(time.Minute), "Pan", ig, mast)
	_, late := e.post(t0.Add(-3*time.Hour), "late reminder", ig)
	pub := &fakePub{window: time.Hour}
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub}, Options{})
	e.runOnce(o)
	// Late manual posts are still shown as due (the user decides), never missed.
	e.wantState(late[0], backend.OutboxDueManual)
	e.wantState(ids[0], backend.OutboxPending)
	e.clock.Advance(time.Minute)
	e.runOnce(o)
	e.wantState(ids[0], backend.OutboxDueManual)
	e.wantState(ids[1], backend.OutboxPublished)
	if s := e.postStatus(post); s != backend.StatusScheduled {
		t.Errorf("post status %s while the Instagram variant is due, want scheduled", s)
	}
	if n := e.events.count(backend.EventDueManual); n != 2 {
		t.Errorf("%d due_manual events, want 2", n)
	}
	e.events.mu.Lock()
	var last []any
	for i, n := range e.events.list {
		if n == backend.EventDueManual {
			last = e.events.data[i]
		}
	}
	e.events.mu.Unlock()
	if len(last) != 1 || fmt.Sprint(last[0]) != fmt.Sprint([]int64{ids[0]}) {
		t.Errorf("due_manual event data %v", last)
	}
	if err := o.PublishNow(e.ctx, ids[0]); backend.ErrorCode(err) != backend.EInvalid {
		t.Errorf("publish now on a manual network: %v", err)
	}
	if err := o.MarkPublished(e.ctx, ids[0], "javascript:alert(1)"); backend.ErrorCode(err) != backend.EInvalid {
		t.Errorf("bad url accepted: %v", err)
	}
	if err := o.MarkPublished(e.ctx, ids[0], "https://www.instagram.com/p/abc/"); err != nil {
		t.Fatal(err)
	}
	v := e.wantState(ids[0], backend.OutboxPublished)
	if v.Remote.URL != "https://www.instagram.com/p/abc/" || v.PublishedAt == nil {
		t.Errorf("marked %+v", v)
	}
	if s := e.postStatus(post); s != backend.StatusPublished {
		t.Errorf("post status %s, want published", s)
	}
	if err := o.MarkPublished(e.ctx, late[0], ""); err != nil {
		t.Fatal(err)
	}
	e.wantState(late[0], backend.OutboxPublished)
	if n := len(pub.Calls()); n != 1 {
		t.Errorf("%d calls", n)
	}
}

// crashInSending leaves a variant as a killed app would: sending, keys stored.
func (e *env) crashInSending(id int64, since time.Time) backend.VariantPublish {
	e.t.Helper()
	var out backend.VariantPublish
	err := e.db.OutboxUpdate(e.ctx, id, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
		s := since.UTC().Truncate(time.Second)
		v.State, v.SendingSince, v.Attempts = backend.OutboxSending, &s, 1
		v.IdempotencyKey, v.RecordKey, v.RemoteCreatedAt = NewIdempotencyKey(), NewRecordKey(since), &s
		out = *v
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

func TestStartupRecovery(t *testing.T) {
	t.Parallel()
	t.Run("resolver finds it: published without sending", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		acc := e.account(backend.Bluesky, "sol.bsky.social")
		post, ids := e.post(t0.Add(-3*time.Hour), "sent before the crash", acc)
		crashed := e.crashInSending(ids[0], t0.Add(-3*time.Hour))
		var asked []string
		pub := resolvingPub{fakePub: &fakePub{window: backend.Forever}, lookup: func(req backend.PublishRequest) (backend.RemoteRef, bool, error) {
			asked = append(asked, req.RecordKey)
			return backend.RemoteRef{ID: req.RecordKey, URI: "at://did:plc:x/app.bsky.feed.post/" + req.RecordKey, CID: "bafy"}, true, nil
		}}
		o := e.outbox(map[backend.Network]backend.Publisher{backend.Bluesky: pub}, Options{})
		e.runOnce(o)
		v := e.wantState(ids[0], backend.OutboxPublished)
		if len(pub.Calls()) != 0 || len(asked) != 1 || asked[0] != crashed.RecordKey || v.Remote.CID != "bafy" {
			t.Fatalf("calls %d, lookups %v, stored %+v", len(pub.Calls()), asked, v)
		}
		if s := e.postStatus(post); s != backend.StatusPublished {
			t.Errorf("post %s", s)
		}
	})
	t.Run("resolver does not find it: sent again with the same keys", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		acc := e.account(backend.Bluesky, "sol.bsky.social")
		_, ids := e.post(t0.Add(-3*time.Hour), "lost in the crash", acc)
		crashed := e.crashInSending(ids[0], t0.Add(-3*time.Hour))
		lookups := 0
		pub := resolvingPub{fakePub: &fakePub{window: 0}, lookup: func(req backend.PublishRequest) (backend.RemoteRef, bool, error) {
			lookups++
			if lookups == 1 {
				return backend.RemoteRef{}, false, transient("getRecord: connection reset")
			}
			return backend.RemoteRef{}, false, nil
		}}
		o := e.outbox(map[backend.Network]backend.Publisher{backend.Bluesky: pub}, Options{MinBackoff: time.Second})
		e.runOnce(o)
		v := e.wantState(ids[0], backend.OutboxPending) // lookup failed: wait, do not send
		if len(pub.Calls()) != 0 || v.NextAttemptAt == nil {
			t.Fatalf("sent while unresolved: %+v", v)
		}
		e.clock.Advance(time.Minute)
		e.runOnce(o)
		e.wantState(ids[0], backend.OutboxPublished)
		calls := pub.Calls()
		if len(calls) != 1 || calls[0].RecordKey != crashed.RecordKey || calls[0].IdempotencyKey != crashed.IdempotencyKey || !calls[0].CreatedAt.Equal(*crashed.RemoteCreatedAt) {
			t.Fatalf("calls %+v, crashed %+v", calls, crashed)
		}
	})
	t.Run("no resolver, outside the window: needs review", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		acc := e.account(backend.Mastodon, "@sol@example.social")
		post, ids := e.post(t0.Add(-2*time.Hour), "maybe sent", acc)
		e.crashInSending(ids[0], t0.Add(-2*time.Hour))
		pub := &fakePub{window: time.Hour}
		o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub}, Options{})
		e.runOnce(o)
		v := e.wantState(ids[0], backend.OutboxNeedsReview)
		if len(pub.Calls()) != 0 || v.LastErrorCode != backend.EOutcomeUnknown {
			t.Fatalf("calls %d, %+v", len(pub.Calls()), v)
		}
		if s := e.postStatus(post); s != backend.StatusNeedsReview {
			t.Errorf("post %s", s)
		}
		e.clock.Advance(time.Hour)
		e.runOnce(o)
		if len(pub.Calls()) != 0 {
			t.Fatal("needs_review was re-sent on its own")
		}
		// The user found it on the network.
		if err := o.MarkPublished(e.ctx, ids[0], "https://example.social/@sol/1"); err != nil {
			t.Fatal(err)
		}
		e.wantState(ids[0], backend.OutboxPublished)
	})
	t.Run("no resolver, inside the window: re-sent with the same key", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		acc := e.account(backend.Mastodon, "@sol@example.social")
		_, ids := e.post(t0.Add(-10*time.Minute), "maybe sent", acc)
		crashed := e.crashInSending(ids[0], t0.Add(-10*time.Minute))
		pub := &fakePub{window: time.Hour}
		o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub}, Options{})
		e.runOnce(o)
		e.wantState(ids[0], backend.OutboxPublished)
		if c := pub.Calls(); len(c) != 1 || c[0].IdempotencyKey != crashed.IdempotencyKey {
			t.Fatalf("calls %+v", c)
		}
	})
	t.Run("a publisher that cannot re-send safely: needs review at once", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		acc := e.account(backend.Mastodon, "@sol@example.social")
		_, ids := e.post(t0, "maybe sent", acc)
		e.crashInSending(ids[0], t0)
		pub := &fakePub{window: 0}
		o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub}, Options{})
		e.runOnce(o)
		e.wantState(ids[0], backend.OutboxNeedsReview)
		if len(pub.Calls()) != 0 {
			t.Fatal("re-sent without idempotency")
		}
	})
}

func TestTimeoutThenLongOfflineGoesToReviewUnlessNotSent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		err  error
		want backend.OutboxState
	}{
		{"timeout: the outcome is unknown", transient("context deadline exceeded"), backend.OutboxNeedsReview},
		// Certainly not sent, but 2 h late: missed with its reason (watchdog.go), never sent late by itself.
		{"connection refused: certainly not sent", backend.NotSent(transient("connection refused")), backend.OutboxMissed},
		{"dial error in the chain", fmt.Errorf("post status: %w", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("no route to host")}), backend.OutboxMissed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			acc := e.account(backend.Mastodon, "@sol@example.social")
			_, ids := e.post(t0, "hello", acc)
			pub := &fakePub{window: time.Hour}
			pub.set(func(n int, req backend.PublishRequest) (backend.RemoteRef, error) {
				if n == 1 {
					return backend.RemoteRef{}, tc.err
				}
				return backend.RemoteRef{ID: "1"}, nil
			})
			o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub}, Options{ReachTTL: -1})
			e.runOnce(o)
			e.wantState(ids[0], backend.OutboxPending)
			e.reach.setAll(true)
			e.clock.Advance(2 * time.Hour)
			e.runOnce(o)
			e.reach.setAll(false)
			e.runOnce(o)
			e.wantState(ids[0], tc.want)
		})
	}
}

func TestMaxAttempts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	acc := e.account(backend.Mastodon, "@sol@example.social")
	_, unsure := e.post(t0, "timeouts", acc)
	pub := &fakePub{window: time.Hour}
	pub.set(func(n int, req backend.PublishRequest) (backend.RemoteRef, error) {
		return backend.RemoteRef{}, transient("timeout")
	})
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub}, Options{MaxAttempts: 3, MinBackoff: time.Second, MaxBackoff: time.Second})
	for i := 0; i < 5; i++ {
		e.runOnce(o)
		e.clock.Advance(time.Second)
	}
	e.wantState(unsure[0], backend.OutboxNeedsReview)
	if n := len(pub.Calls()); n != 3 {
		t.Fatalf("%d calls, want 3", n)
	}
}

func TestOfflineWaitsForConnection(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	acc := e.account(backend.Mastodon, "@sol@example.social")
	_, ids := e.post(t0, "offline", acc)
	_, later := e.post(t0.Add(10*time.Minute), "offline for too long", acc)
	pub := &fakePub{window: time.Hour}
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub}, Options{ReachTTL: -1})
	if st := o.Online(); st.Known {
		t.Errorf("online status known before any check: %+v", st)
	}
	e.reach.setAll(true)
	e.runOnce(o)
	e.wantState(ids[0], backend.OutboxPending)
	if len(pub.Calls()) != 0 {
		t.Fatal("called while offline")
	}
	items, _ := o.Items(e.ctx, backend.OutboxFilter{})
	if len(items) != 2 || items[0].Waiting != backend.WaitOffline || items[1].Waiting != "" {
		t.Fatalf("items %+v", items)
	}
	if st := o.Online(); !st.Known || st.Online || st.Hosts["example.social"] {
		t.Errorf("status %+v", st)
	}
	e.clock.Advance(10 * time.Minute)
	e.reach.setAll(false)
	e.runOnce(o)
	e.wantState(ids[0], backend.OutboxPublished) // 10 min late: within the grace period
	e.wantState(later[0], backend.OutboxPublished)
	if st := o.Online(); !st.Online {
		t.Errorf("status %+v", st)
	}
	if n := e.events.count(backend.EventOnlineChanged); n != 2 {
		t.Errorf("%d online:changed events, want 2", n)
	}
	// Offline past the grace period: missed, not sent late.
	_, gone := e.post(t0.Add(time.Hour), "asleep", acc)
	e.reach.setAll(true)
	e.clock.Set(t0.Add(time.Hour + 16*time.Minute))
	e.runOnce(o)
	e.wantState(gone[0], backend.OutboxMissed)
	e.reach.setAll(false)
	e.runOnce(o)
	e.wantState(gone[0], backend.OutboxMissed)
}

func TestRescheduleSkipAndEditorMoves(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	acc := e.account(backend.Mastodon, "@sol@example.social")
	pub := &fakePub{window: time.Hour}
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub}, Options{})
	postA, a := e.post(t0.Add(-time.Hour), "a", acc)
	postB, b := e.post(t0.Add(-time.Hour), "b", acc)
	postC, c := e.post(t0.Add(-time.Hour), "c", acc)
	postD, d := e.post(t0.Add(-time.Hour), "d", acc)
	e.runOnce(o)
	for _, id := range []int64{a[0], b[0], c[0], d[0]} {
		e.wantState(id, backend.OutboxMissed)
	}
	if err := o.RescheduleVariant(e.ctx, a[0], t0.Add(-2*time.Hour)); backend.ErrorCode(err) != backend.EInvalid {
		t.Errorf("reschedule into the past: %v", err)
	}
	if err := o.RescheduleVariant(e.ctx, a[0], t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := o.ReschedulePost(e.ctx, postB, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := o.Skip(e.ctx, c[0]); err != nil {
		t.Fatal(err)
	}
	if s := e.postStatus(postC); s != backend.StatusDraft {
		t.Errorf("skipped post: %s, want draft", s)
	}
	// The editor moves D later (a save of the whole post).
	p, err := e.db.GetPost(e.ctx, postD)
	if err != nil {
		t.Fatal(err)
	}
	at := t0.Add(3 * time.Hour)
	p.ScheduledAt = &at
	if err := e.db.UpdatePost(e.ctx, p); err != nil {
		t.Fatal(err)
	}
	o.Wake() // as the app does after a save
	pb, _ := e.db.GetPost(e.ctx, postB)
	if pb.ScheduledAt == nil || !pb.ScheduledAt.Equal(t0.Add(2*time.Hour)) || pb.Sequence != 1 {
		t.Errorf("rescheduled post %+v", pb)
	}
	for _, step := range []struct {
		at   time.Duration
		want map[int64]backend.OutboxState
	}{
		{0, map[int64]backend.OutboxState{a[0]: backend.OutboxPending, b[0]: backend.OutboxPending, c[0]: backend.OutboxSkipped, d[0]: backend.OutboxPending}},
		{time.Hour, map[int64]backend.OutboxState{a[0]: backend.OutboxPublished, b[0]: backend.OutboxPending, d[0]: backend.OutboxPending}},
		{2 * time.Hour, map[int64]backend.OutboxState{b[0]: backend.OutboxPublished, d[0]: backend.OutboxPending}},
		{3 * time.Hour, map[int64]backend.OutboxState{d[0]: backend.OutboxPublished, c[0]: backend.OutboxSkipped}},
	} {
		e.clock.Set(t0.Add(step.at))
		e.runOnce(o)
		for id, want := range step.want {
			e.wantState(id, want)
		}
	}
	if s := e.postStatus(postA); s != backend.StatusPublished {
		t.Errorf("post A %s", s)
	}
	if n := len(pub.Calls()); n != 3 {
		t.Errorf("%d calls, want 3", n)
	}
}

func TestRunLoop(t *testing.T) {
	t.Run("idle: sleeps a tick at a time, wakes on new work", func(t *testing.T) {
		e := newEnv(t)
		acc := e.account(backend.Mastodon, "@sol@example.social")
		pub := &fakePub{window: time.Hour}
		o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub}, Options{Tick: 100 * time.Millisecond})
		ctx, cancel := context.WithCancel(e.ctx)
		done := make(chan error, 1)
		go func() { done <- o.Run(ctx) }()
		time.Sleep(550 * time.Millisecond)
		o.mu.Lock()
		passes := o.passes
		o.mu.Unlock()
		if passes < 1 || passes > 10 { // a tick at a time: no spinning
			t.Errorf("%d passes in 550 ms with a 100 ms tick", passes)
		}
		_, ids := e.post(t0, "new", acc)
		o.Wake()
		deadline := time.Now().Add(5 * time.Second)
		for e.state(ids[0]) != backend.OutboxPublished {
			if time.Now().After(deadline) {
				t.Fatal("Wake did not publish")
			}
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not stop")
		}
	})
	t.Run("sleeps until the next due time", func(t *testing.T) {
		e := newEnv(t)
		acc := e.account(backend.Mastodon, "@sol@example.social")
		e.clock.Set(time.Now()) // real time: the loop's timer must fire at the due time
		_, ids := e.post(time.Now().Add(1200*time.Millisecond).Truncate(time.Second).Add(time.Second), "soon", acc)
		real := &realClock{}
		pub := &fakePub{window: time.Hour}
		o := New(e.db, map[backend.Network]backend.Publisher{backend.Mastodon: pub}, real, e.reach, e.events, Options{Tick: time.Hour, Logf: t.Logf})
		ctx, cancel := context.WithCancel(e.ctx)
		defer cancel()
		go o.Run(ctx)
		deadline := time.Now().Add(5 * time.Second)
		for e.state(ids[0]) != backend.OutboxPublished {
			if time.Now().After(deadline) {
				t.Fatal("not published at its time with an hour-long tick")
			}
			time.Sleep(20 * time.Millisecond)
		}
		o.mu.Lock()
		passes := o.passes
		o.mu.Unlock()
		if passes > 6 {
			t.Errorf("%d passes for one due post", passes)
		}
	})
	t.Run("cancel mid-call records an unknown outcome, resolved on restart", func(t *testing.T) {
		e := newEnv(t)
		acc := e.account(backend.Mastodon, "@sol@example.social")
		_, ids := e.post(t0, "interrupted", acc)
		started := make(chan struct{})
		pub := &fakePub{window: time.Hour}
		pub.set(func(n int, req backend.PublishRequest) (backend.RemoteRef, error) {
			close(started)
			time.Sleep(50 * time.Millisecond)
			return backend.RemoteRef{}, context.Canceled
		})
		o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub}, Options{Tick: time.Hour})
		ctx, cancel := context.WithCancel(e.ctx)
		done := make(chan error, 1)
		go func() { done <- o.Run(ctx) }()
		<-started
		cancel()
		<-done
		v := e.wantState(ids[0], backend.OutboxPending)
		if v.LastErrorCode != backend.EInterrupted || v.UncertainSince == nil || v.NextAttemptAt != nil {
			t.Fatalf("after shutdown: %+v", v)
		}
		pub2 := &fakePub{window: time.Hour}
		o2 := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub2}, Options{})
		e.runOnce(o2)
		e.wantState(ids[0], backend.OutboxPublished)
		if c := pub2.Calls(); len(c) != 1 || c[0].IdempotencyKey != pub.Calls()[0].IdempotencyKey {
			t.Fatalf("re-send %+v", c)
		}
	})
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func TestKeys(t *testing.T) {
	seen := map[string]bool{}
	var keys []string
	now := time.Now()
	for i := 0; i < 2000; i++ {
		k := NewRecordKey(now) // the same instant: still unique and increasing
		if !regexp.MustCompile(`^[2-7a-j][2-7a-z]{12}$`).MatchString(k) || seen[k] {
			t.Fatalf("record key %q", k)
		}
		seen[k] = true
		keys = append(keys, k)
		if u := NewIdempotencyKey(); seen[u] || len(u) != 36 {
			t.Fatalf("uuid %q", u)
		} else {
			seen[u] = true
		}
	}
	if !sort.StringsAreSorted(keys) {
		t.Error("record keys do not sort by time")
	}
}

func TestNetReachability(t *testing.T) {
	srv := httptest.NewServer(nil)
	defer srv.Close()
	host := srv.Listener.Addr().String()
	r := NetReachability{Timeout: time.Second}
	if !r.Online(context.Background(), host) {
		t.Errorf("%s not reachable", host)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	if r.Online(context.Background(), closed) {
		t.Errorf("closed port %s reachable", closed)
	}
}

func TestDefaultHost(t *testing.T) {
	for _, tc := range []struct {
		a    backend.Account
		want string
	}{
		{backend.Account{Network: backend.Mastodon, Handle: "@sol@mastodon.social"}, "mastodon.social"},
		{backend.Account{Network: backend.Mastodon, Handle: "sol@127.0.0.1:8080"}, "127.0.0.1:8080"},
		{backend.Account{Network: backend.Mastodon, Handle: "sol"}, ""},
		{backend.Account{Network: backend.Bluesky, Handle: "sol.bsky.social"}, "bsky.social"},
		{backend.Account{Network: backend.Instagram, Handle: "sol"}, ""},
	} {
		if got := DefaultHost(tc.a); got != tc.want {
			t.Errorf("DefaultHost(%+v) = %q, want %q", tc.a, got, tc.want)
		}
	}
}

func TestPrepareAddsMediaAndItsFailuresSendNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	acc := e.account(backend.Mastodon, "@sol@example.social")
	_, ok := e.post(t0, "with a photo", acc)
	_, bad := e.post(t0, "photo too big", acc)
	fails := 1
	pub := &fakePub{window: time.Hour}
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub}, Options{MinBackoff: time.Second,
		Prepare: func(ctx context.Context, j backend.OutboxJob, req *backend.PublishRequest) error {
			if j.Text == "photo too big" {
				return backend.Errorf(backend.EInvalid, "media.too_big", "the photo is over 16 MB")
			}
			if fails > 0 {
				fails--
				return errors.New("media folder not mounted")
			}
			req.IdempotencyKey = "tampered" // ignored: the stored keys are sent
			req.Media = []backend.MediaFile{{Path: "/tmp/pan.jpg", MIME: "image/jpeg", Alt: "pan"}}
			return nil
		}})
	e.runOnce(o)
	v := e.wantState(ok[0], backend.OutboxPending)
	if v.UncertainSince != nil || v.NextAttemptAt == nil || len(pub.Calls()) != 0 {
		t.Fatalf("after a prepare failure: %+v, %d calls", v, len(pub.Calls()))
	}
	e.clock.Advance(time.Minute)
	e.runOnce(o)
	e.wantState(ok[0], backend.OutboxPublished)
	e.wantState(bad[0], backend.OutboxFailed)
	calls := pub.Calls()
	if len(calls) != 1 || len(calls[0].Media) != 1 || calls[0].IdempotencyKey != v.IdempotencyKey {
		t.Fatalf("calls %+v", calls)
	}
}
