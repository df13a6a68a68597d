package outbox

import (
	"testing"
	"time"

	"pauta/backend"
)

// Exactly once for server-side schedules without trusting the laptop's
// clock or the server's key memory (issue 12 §3), on a GoToSocial 0.20-like
// server: it schedules like Mastodon but ignores Idempotency-Key.

// lostCreate hands a post to the server, whose create is still being
// processed when the client gives up: the row holds the variant with its
// outcome unknown. release lets the server finish (store) that create.
func lostCreate(t *testing.T, e *gtsEnv, o *Outbox, due time.Time, text string) (int64, func()) {
	t.Helper()
	hold := make(chan struct{})
	released := false
	release := func() {
		if !released {
			released = true
			close(hold)
			e.gts.processing.Wait()
		}
	}
	t.Cleanup(release) // before the server closes: it waits for its handlers
	e.gts.set(func() { e.gts.hold = hold })
	_, ids := e.post(due, text, e.acc)
	e.sync(o)
	r := e.rows()
	if len(r) != 1 || r[0].CreatingSince == nil || r[0].RemoteID != "" || r[0].MarkAt == nil {
		t.Fatalf("after a lost create the row must hold the variant with its mark: %+v", r)
	}
	if n := e.gts.count("POST scheduled"); n != 1 {
		t.Fatalf("%d creates, want 1", n)
	}
	return ids[0], release
}

func newSlowGTSEnv(t *testing.T) *gtsEnv {
	probed := t0
	e := newGTSEnv(t, "0.20.0", backend.ServerSchedulesYes, &probed)
	e.opt.PublishTimeout = 300 * time.Millisecond // the client gives up while the server works
	e.opt.Prepare = nil
	return e
}

// wantOneScheduled checks the server holds one scheduled status with text,
// created once, and the row holds its id.
func (e *gtsEnv) wantOneScheduled(text string) {
	e.t.Helper()
	e.gts.mu.Lock()
	var ids []string
	for id, s := range e.gts.scheduled {
		if s.Params.Text != text {
			e.t.Fatalf("server holds %q", s.Params.Text)
		}
		ids = append(ids, id)
	}
	e.gts.mu.Unlock()
	r := e.rows()
	if len(ids) != 1 || len(r) != 1 || r[0].RemoteID != ids[0] || r[0].CreatingSince != nil {
		e.t.Fatalf("server holds %v, rows %+v; want one, adopted", ids, r)
	}
}

// (1) The create's answer is lost while the server is still processing it
// when the next list is read: not listed, but not settled on the server's
// clock, so nothing is sent (a replay with the same key would be a second
// status there). Once the server stores it, the row adopts it.
func TestRemoteGTSLostCreateStillProcessingNotReplayed(t *testing.T) {
	e := newSlowGTSEnv(t)
	o := e.newOutbox()
	due := t0.Add(3 * time.Hour)
	id, release := lostCreate(t, e, o, due, "Focaccia alle 11")
	// Settle is PublishTimeout + 3 min on the server's clock: look at +1 and +2 min.
	for i := 0; i < 2; i++ {
		e.clock.Advance(time.Minute)
		e.sync(o)
		if n := e.gts.count("POST scheduled"); n != 1 {
			t.Fatalf("created %d times while the first create may still be running", n)
		}
		if r := e.rows(); len(r) != 1 || !r[0].Held() || r[0].RemoteID != "" {
			t.Fatalf("the row must keep holding the variant: %+v", r)
		}
		e.wantState(id, backend.OutboxPending)
	}
	release()
	e.clock.Advance(remoteListEvery)
	e.sync(o)
	e.wantOneScheduled("Focaccia alle 11")
	for i := 0; i < 3; i++ {
		e.clock.Advance(time.Hour)
		e.sync(o)
	}
	e.wantOneScheduled("Focaccia alle 11")
	if n := e.gts.count("POST scheduled"); n != 1 || e.gts.count("POST statuses") != 0 {
		t.Fatalf("calls %v", e.gts.calls)
	}
}

// (2) The laptop's clock jumps 2 h back or forward between the lost create
// and the recovery (the server's does not): still exactly one.
func TestRemoteGTSLostCreateLaptopClockJumps(t *testing.T) {
	for _, jump := range []time.Duration{-2 * time.Hour, 2 * time.Hour} {
		t.Run(jump.String(), func(t *testing.T) {
			e := newSlowGTSEnv(t)
			o := e.newOutbox()
			due := t0.Add(6 * time.Hour)
			id, release := lostCreate(t, e, o, due, "Pizza al taglio")
			e.gts.set(func() { e.gts.skew = -jump })
			e.clock.Advance(jump + time.Minute)
			e.sync(o)
			e.clock.Advance(time.Minute)
			e.sync(o)
			if n := e.gts.count("POST scheduled"); n != 1 {
				t.Fatalf("laptop clock %s: created %d times", jump, n)
			}
			e.wantState(id, backend.OutboxPending)
			release()
			e.clock.Advance(remoteListEvery)
			e.sync(o)
			e.wantOneScheduled("Pizza al taglio")
			e.clock.Advance(time.Hour)
			e.sync(o)
			e.wantOneScheduled("Pizza al taglio")
			if n := e.gts.count("POST scheduled"); n != 1 {
				t.Fatalf("calls %v", e.gts.calls)
			}
		})
	}
}

// (3) A create that never reached the server (the intent was committed,
// then the app died) is created again only once Settle has passed on the
// server's clock since its mark: not before, whatever the laptop's clock.
func TestRemoteCreateNeverSentCreatedOnceServerSettled(t *testing.T) {
	probed := t0
	e := newGTSEnv(t, "0.20.0", backend.ServerSchedulesYes, &probed)
	e.opt.Prepare = nil
	due := t0.Add(5 * time.Hour)
	_, ids := e.post(due, "Cornetti caldi", e.acc)
	j := e.job(ids[0])
	mark, since := t0, t0
	row := backend.RemoteSchedule{VariantID: ids[0], PostID: j.Publish.PostID, AccountID: e.acc.ID, ScheduledAt: &due,
		Hash: "x", Text: "Cornetti caldi", IdempotencyKey: NewIdempotencyKey(), CreatingSince: &since, MarkAt: &mark}
	if err := e.db.RemoteIntent(e.ctx, row, t0.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := e.db.RemoteIntent(e.ctx, row, t0.Add(5*time.Minute)); backend.ErrorCode(err) != backend.EConflict {
		t.Fatalf("a second intent for a held variant: %v, want a conflict", err)
	}
	// The local path leaves a held variant alone even when it is due.
	e.clock.Set(due)
	if jobs, _ := e.db.OutboxJobs(e.ctx, backend.OutboxQuery{States: []backend.OutboxState{backend.OutboxPending}}); len(jobs) != 0 {
		t.Fatalf("held variant offered to the local path: %+v", jobs)
	}
	o := e.newOutbox()
	settle := o.opt.Settle
	step := func(laptop, server time.Time) {
		t.Helper()
		e.gts.set(func() { e.gts.skew = server.Sub(laptop) })
		e.clock.Set(laptop)
		e.sync(o)
	}
	step(t0.Add(time.Minute), t0.Add(time.Minute))
	step(t0.Add(2*time.Hour), t0.Add(2*time.Minute))  // laptop 2 h ahead
	step(t0.Add(-2*time.Hour), t0.Add(3*time.Minute)) // laptop 2 h behind
	step(t0.Add(settle-2*time.Second), t0.Add(settle-2*time.Second))
	if n := e.gts.count("POST scheduled"); n != 0 {
		t.Fatalf("created %d times before the server's clock settled", n)
	}
	if r := e.rows(); len(r) != 1 || !r[0].Held() || r[0].RemoteID != "" {
		t.Fatalf("rows %+v", r)
	}
	e.wantState(ids[0], backend.OutboxPending)
	step(t0.Add(settle+2*time.Second), t0.Add(settle+2*time.Second))
	e.wantOneScheduled("Cornetti caldi")
	for i := 1; i <= 3; i++ {
		step(t0.Add(settle+time.Duration(i)*remoteListEvery), t0.Add(settle+time.Duration(i)*remoteListEvery))
	}
	e.wantOneScheduled("Cornetti caldi")
	if n := e.gts.count("POST scheduled"); n != 1 {
		t.Fatalf("calls %v", e.gts.calls)
	}
}
