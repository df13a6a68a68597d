package sqlite_test

import (
	"testing"
	"time"

	"pauta/backend"
)

// A held variant is out of the local queue; the intent is refused for a
// variant that is not pending, due too soon, or already held; the row
// outlives the variant (its status must still be cancelled).
func TestRemoteScheduleRowsHoldVariants(t *testing.T) {
	f := obSetup(t)
	due := obNow.Add(time.Hour)
	p := f.post(backend.StatusScheduled, &due, "hola", f.acc, f.acc2)
	m, b := p.Variants[0].ID, p.Variants[1].ID
	since, mark := obNow, obNow.Add(-3*time.Second) // the server's clock, a little behind
	r := backend.RemoteSchedule{VariantID: m, PostID: p.ID, AccountID: f.acc.ID, ScheduledAt: &due, Hash: "h", Text: "hola",
		IdempotencyKey: "k1", CreatingSince: &since, MarkAt: &mark}

	if err := f.db.RemoteIntent(f.ctx, r, due); backend.ErrorCode(err) != backend.EConflict {
		t.Fatalf("due too soon: %v", err)
	}
	if err := f.db.RemoteIntent(f.ctx, r, obNow.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if rows, err := f.db.RemoteSchedules(f.ctx, f.acc.ID); err != nil || len(rows) != 1 || rows[0].MarkAt == nil || !rows[0].MarkAt.Equal(mark) {
		t.Fatalf("the create's mark must round-trip: %+v %v", rows, err)
	}
	if err := f.db.RemoteIntent(f.ctx, r, obNow.Add(5*time.Minute)); backend.ErrorCode(err) != backend.EConflict {
		t.Fatalf("a second intent: %v", err)
	}
	queue := func(by time.Time) map[int64]bool {
		jobs, err := f.db.OutboxJobs(f.ctx, backend.OutboxQuery{States: []backend.OutboxState{backend.OutboxPending}, DueBy: by})
		if err != nil {
			t.Fatal(err)
		}
		out := map[int64]bool{}
		for _, j := range jobs {
			out[j.Publish.VariantID] = true
		}
		return out
	}
	if q := queue(due); q[m] || !q[b] {
		t.Fatalf("local queue %v: the held Mastodon variant must be out, Bluesky in", q)
	}
	jobs, _ := f.db.OutboxJobs(f.ctx, backend.OutboxQuery{States: []backend.OutboxState{backend.OutboxPending}, IncludeHeld: true})
	if len(jobs) != 2 {
		t.Fatalf("IncludeHeld: %d jobs", len(jobs))
	}
	// Only a recorded id shows as "scheduled on the server".
	if held, _ := f.db.RemoteHeldPosts(f.ctx, nil); len(held) != 0 {
		t.Fatalf("held posts before the id: %v", held)
	}
	r.RemoteID, r.CreatingSince = "77", nil
	if err := f.db.RemoteSave(f.ctx, r); err != nil {
		t.Fatal(err)
	}
	held, _ := f.db.RemoteHeldPosts(f.ctx, []int64{p.ID})
	if at, ok := held[p.ID]; !ok || !at.Equal(due) {
		t.Fatalf("held posts %v", held)
	}
	items, _ := f.db.OutboxItems(f.ctx, backend.OutboxFilter{})
	for _, it := range items {
		if it.RemoteScheduled != (it.VariantID == m) {
			t.Fatalf("item %+v", it)
		}
	}
	// A refused row (no id) holds nothing.
	r2 := backend.RemoteSchedule{VariantID: b, PostID: p.ID, AccountID: f.acc2.ID, RefusedHash: "x"}
	if err := f.db.RemoteSave(f.ctx, r2); err != nil {
		t.Fatal(err)
	}
	if q := queue(due); !q[b] {
		t.Fatalf("a refused row must not hold: %v", q)
	}
	// The variant goes (the account removed from the post): the row stays.
	p.Variants = p.Variants[1:]
	if err := f.db.UpdatePost(f.ctx, p); err != nil {
		t.Fatal(err)
	}
	rows, err := f.db.RemoteSchedules(f.ctx, f.acc.ID)
	if err != nil || len(rows) != 1 || rows[0].RemoteID != "77" || rows[0].Text != "hola" || rows[0].PostID != p.ID {
		t.Fatalf("rows %+v %v", rows, err)
	}
	if held, _ := f.db.RemoteHeldPosts(f.ctx, nil); len(held) != 0 {
		t.Fatalf("held posts after the variant went: %v", held)
	}
	if err := f.db.RemoteDelete(f.ctx, m); err != nil {
		t.Fatal(err)
	}
	if rows, _ := f.db.RemoteSchedules(f.ctx, f.acc.ID); len(rows) != 0 {
		t.Fatalf("rows %+v", rows)
	}
}
