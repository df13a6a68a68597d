package outbox

import (
	"errors"
	"testing"
	"time"

	"pauta/backend"
)

// No post sits in pending past its time + grace without a visible state:
// one whose retries are pushed past it (a long Retry-After), one of a paused
// account and one whose host is down turn missed with why, and the outbox
// view lists them with that reason. One whose outcome is unknown, one the
// user asked to publish late, and one within the grace stay pending.
func TestWatchdogTurnsStuckPendingMissedWithReason(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	masto := e.account(backend.Mastodon, "@sol@example.social")
	paused := e.account(backend.Mastodon, "@luna@paused.social")
	down := e.account(backend.Mastodon, "@mar@down.social")
	bsky := e.account(backend.Bluesky, "@sol.bsky.social")
	_, limited := e.post(t0, "Oferta del día", masto)
	_, pausedIDs := e.post(t0, "Cuenta sin conectar", paused)
	_, downIDs := e.post(t0, "Servidor caído", down)
	_, unsure := e.post(t0, "¿Salió?", bsky)

	// 429 with a Retry-After of an hour: certainly not sent, retried later.
	pub := &fakePub{window: time.Hour}
	pub.set(func(n int, req backend.PublishRequest) (backend.RemoteRef, error) {
		e := backend.Errorf(backend.ERateLimited, "network.rate_limited", "rate limited")
		e.RetryAfter = time.Hour
		return backend.RemoteRef{}, e
	})
	// A Bluesky call that timed out: its outcome is unknown (UncertainSince).
	bpub := &fakePub{window: 0}
	bpub.set(func(int, backend.PublishRequest) (backend.RemoteRef, error) {
		return backend.RemoteRef{}, transient("context deadline exceeded")
	})
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub, backend.Bluesky: bpub}, Options{ReachTTL: -1})
	if err := e.db.OutboxUpdateAccount(e.ctx, paused.ID, func(a *backend.AccountOutbox) error {
		a.PausedReason, a.PausedMessage = backend.EAuth, "token revoked"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	e.reach.mu.Lock()
	e.reach.down["down.social"] = true
	e.reach.mu.Unlock()

	e.runOnce(o)
	e.wantState(limited[0], backend.OutboxPending)
	if v := e.wantState(unsure[0], backend.OutboxPending); v.UncertainSince == nil {
		t.Fatalf("the timeout must leave the outcome unknown: %+v", v)
	}
	// Within the grace nothing is missed.
	e.clock.Set(t0.Add(14 * time.Minute))
	e.runOnce(o)
	for _, id := range []int64{limited[0], pausedIDs[0], downIDs[0]} {
		e.wantState(id, backend.OutboxPending)
	}
	// Past it.
	e.clock.Set(t0.Add(16 * time.Minute))
	e.runOnce(o)
	want := map[int64]string{limited[0]: keyMissedRetrying, pausedIDs[0]: keyMissedPaused, downIDs[0]: keyMissedOffline}
	for id, key := range want {
		if v := e.wantState(id, backend.OutboxMissed); v.LastErrorCode != EMissed || v.LastErrorKey != key || v.LastError == "" || v.DueFor == nil || !v.DueFor.Equal(t0) {
			t.Errorf("variant %d: %+v, want reason %s", id, v, key)
		}
	}
	if v := e.job(unsure[0]).Publish; v.State == backend.OutboxMissed {
		t.Fatalf("an unknown outcome must not become missed: %+v", v)
	}
	items, err := o.Items(e.ctx, backend.OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, it := range items {
		if key, ok := want[it.VariantID]; ok {
			seen++
			if it.State != backend.OutboxMissed || it.ErrorKey != key {
				t.Errorf("outbox view %+v", it)
			}
		}
	}
	if seen != len(want) {
		t.Fatalf("the outbox view lists %d of the missed posts: %+v", seen, items)
	}
	sent := len(pub.Calls())

	// Publish now: approved, so the watchdog leaves it alone while it
	// waits for the account's Retry-After and retries.
	if err := o.PublishNow(e.ctx, limited[0]); err != nil {
		t.Fatal(err)
	}
	e.runOnce(o)
	e.clock.Advance(time.Hour)
	e.runOnce(o)
	if v := e.job(limited[0]).Publish; v.State != backend.OutboxPending || !v.Approved {
		t.Fatalf("approved: %+v", v)
	}
	if len(pub.Calls()) != sent+1 { // after the account's Retry-After
		t.Fatalf("calls %d, want %d", len(pub.Calls()), sent+1)
	}
}

// The watchdog never sends: a pass that makes posts missed publishes nothing,
// and a variant taken by a worker between the read and the write is left to it.
func TestWatchdogOnlyTurnsPendingMissed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	acc := e.account(backend.Mastodon, "@sol@example.social")
	_, ids := e.post(t0, "Tarde", acc)
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: &fakePub{}}, Options{})
	j := e.job(ids[0])
	j.Publish.Attempts = 1 // as read before a worker's claim
	err := o.watchMissed(e.ctx, j, missReason{keyMissedRetrying, "x"})
	if !errors.Is(err, errSkip) {
		t.Fatalf("a changed variant must be left alone: %v", err)
	}
	e.wantState(ids[0], backend.OutboxPending)
}
