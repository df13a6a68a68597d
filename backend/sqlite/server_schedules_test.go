package sqlite_test

import (
	"testing"
	"time"

	"pauta/backend"
)

// Whether an account's server holds scheduled posts is stored with the
// account (unknown until asked) and read back by every account query the UI
// and the outbox use.
func TestServerSchedulesStoredWithTheAccount(t *testing.T) {
	f := obSetup(t)
	a, err := f.db.GetAccount(f.ctx, f.acc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a.ServerSchedules != backend.ServerSchedulesUnknown || a.SchedulesProbedAt != nil {
		t.Fatalf("new account: %q %v", a.ServerSchedules, a.SchedulesProbedAt)
	}
	at := obNow.Add(90 * time.Second)
	if err := f.db.SetServerSchedules(f.ctx, f.acc.ID, backend.ServerSchedulesNo, at); err != nil {
		t.Fatal(err)
	}
	if err := f.db.SetServerSchedules(f.ctx, f.acc.ID, "maybe", at); backend.ErrorCode(err) != backend.EInvalid {
		t.Fatalf("a bad value: %v", err)
	}
	if err := f.db.SetServerSchedules(f.ctx, 9999, backend.ServerSchedulesNo, at); backend.ErrorCode(err) != backend.ENotFound {
		t.Fatalf("no account: %v", err)
	}
	list, err := f.db.ListAccounts(f.ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range list {
		if x.ID == f.acc.ID && (x.ServerSchedules != backend.ServerSchedulesNo || x.SchedulesProbedAt == nil || !x.SchedulesProbedAt.Equal(at)) {
			t.Fatalf("listed: %+v", x)
		}
	}
	// A reconnect writes the answer it got.
	a, _ = f.db.GetAccount(f.ctx, f.acc.ID)
	a.ServerSchedules, a.SchedulesProbedAt = backend.ServerSchedulesYes, nil
	if err := f.db.UpdateAccountConnection(f.ctx, a); err != nil {
		t.Fatal(err)
	}
	a, _ = f.db.GetAccount(f.ctx, f.acc.ID)
	if a.ServerSchedules != backend.ServerSchedulesYes || a.SchedulesProbedAt != nil {
		t.Fatalf("after reconnect: %q %v", a.ServerSchedules, a.SchedulesProbedAt)
	}
}
