package outbox

import (
	"testing"
	"time"

	"pauta/backend"
)

// The grace period follows the setting from the next pass on: a post 20 min
// late is missed with the default, published with 30 min, and a shorter
// grace makes a 10-minute-late post missed.
func TestSetGraceChangesWhatIsMissed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	acc := e.account(backend.Mastodon, "@sol@example.social")
	pub := &fakePub{window: time.Hour}
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub}, Options{})
	if g := o.Grace(); g != 15*time.Minute {
		t.Fatalf("default grace %s", g)
	}
	_, late := e.post(t0.Add(-20*time.Minute), "20 min late", acc)
	o.SetGrace(30 * time.Minute)
	e.runOnce(o)
	e.wantState(late[0], backend.OutboxPublished)

	_, tooLate := e.post(t0.Add(-20*time.Minute), "20 min late again", acc)
	o.SetGrace(0) // back to the default
	if g := o.Grace(); g != 15*time.Minute {
		t.Fatalf("grace after reset %s", g)
	}
	e.runOnce(o)
	e.wantState(tooLate[0], backend.OutboxMissed)

	o.SetGrace(5 * time.Minute)
	_, ten := e.post(t0.Add(-10*time.Minute), "10 min late", acc)
	_, four := e.post(t0.Add(-4*time.Minute), "4 min late", acc)
	e.runOnce(o)
	e.wantState(ten[0], backend.OutboxMissed)
	e.wantState(four[0], backend.OutboxPublished)
	if n := len(pub.Calls()); n != 2 {
		t.Errorf("%d calls, want 2", n)
	}

	// The clock moves on: with the grace raised, a post just due 50 min from
	// now and reached 40 min late still goes out.
	o.SetGrace(time.Hour)
	_, later := e.post(t0.Add(50*time.Minute), "later", acc)
	e.clock.Advance(90 * time.Minute)
	e.runOnce(o)
	e.wantState(later[0], backend.OutboxPublished)

	for _, tc := range []struct{ in, want time.Duration }{
		{time.Second, MinGrace}, {48 * time.Hour, MaxGrace}, {-time.Minute, 15 * time.Minute}, {42 * time.Minute, 42 * time.Minute},
	} {
		o.SetGrace(tc.in)
		if g := o.Grace(); g != tc.want {
			t.Errorf("SetGrace(%s): %s, want %s", tc.in, g, tc.want)
		}
	}
}

// CheckNow forgets the cached host checks: the next pass asks the network
// again even inside ReachTTL, so a server back online is used at once.
func TestCheckNowRechecksHosts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	acc := e.account(backend.Mastodon, "@sol@example.social")
	_, ids := e.post(t0, "waiting", acc)
	pub := &fakePub{window: time.Hour}
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: pub}, Options{ReachTTL: time.Hour})
	e.reach.setAll(true)
	e.runOnce(o)
	e.wantState(ids[0], backend.OutboxPending)
	e.reach.setAll(false)
	e.runOnce(o) // the cached "offline" still holds
	e.wantState(ids[0], backend.OutboxPending)
	o.CheckNow()
	e.runOnce(o)
	e.wantState(ids[0], backend.OutboxPublished)
	if n := len(pub.Calls()); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

func TestDropHostLeavesTheIndicator(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	gone := e.account(backend.Mastodon, "@old@gone.social")
	kept := e.account(backend.Mastodon, "@sol@example.social")
	_, a := e.post(t0, "gone", gone)
	_, b := e.post(t0, "kept", kept)
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: &fakePub{window: time.Hour}}, Options{ReachTTL: time.Hour})
	e.reach.mu.Lock()
	e.reach.down = map[string]bool{"example.social": true}
	e.reach.mu.Unlock()
	e.runOnce(o)
	e.wantState(a[0], backend.OutboxPublished)
	e.wantState(b[0], backend.OutboxPending)
	if st := o.Online(); !st.Known || !st.Online || len(st.Hosts) != 2 {
		t.Fatalf("before: %+v, want online with 2 hosts", st)
	}
	o.DropHost("gone.social")
	if st := o.Online(); !st.Known || st.Online || len(st.Hosts) != 1 {
		t.Fatalf("after dropping the answering host: %+v, want offline with 1 host", st)
	}
	o.DropHost("example.social")
	if st := o.Online(); st.Known || len(st.Hosts) != 0 {
		t.Fatalf("after dropping every host: %+v, want unknown", st)
	}
	o.DropHost("never.seen") // no-op
}
