package sqlite_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"pauta/backend"
)

// InboxSyncStates (one query for the inbox page) gives each synced
// account's state as InboxSyncState does, and leaves out the others.
func TestInboxSyncStatesMatchOneByOne(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	c := mustClient(t, db, "Acme", "Europe/Madrid")
	synced := mustAccount(t, db, c.ID, backend.Mastodon, "acme@social.example")
	failing := mustAccount(t, db, c.ID, backend.Bluesky, "acme.bsky.social")
	never := mustAccount(t, db, c.ID, backend.Mastodon, "acme2@social.example")
	at, next := now.Add(-time.Minute), now.Add(time.Hour)
	if err := db.InboxSetSync(ctx, backend.InboxSync{AccountID: synced.ID, Mark: "9", Gap: true, GapFrom: "4", SyncedAt: &at, NextSyncAt: &next,
		ListenMarks: map[string]string{"#pan": "77"}}); err != nil {
		t.Fatal(err)
	}
	if err := db.InboxSetSync(ctx, backend.InboxSync{AccountID: failing.ID, Failures: 2, ErrorCode: "unavailable", ErrorKey: "net.down",
		ErrorParams: map[string]string{"host": "bsky.social"}, NextSyncAt: &next}); err != nil {
		t.Fatal(err)
	}
	all, err := db.InboxSyncStates(ctx)
	if err != nil || len(all) != 2 {
		t.Fatalf("%v %+v", err, all)
	}
	for _, id := range []int64{synced.ID, failing.ID} {
		one, err := db.InboxSyncState(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(all[id], one) || one.AccountID != id {
			t.Errorf("account %d: %+v, one by one %+v", id, all[id], one)
		}
	}
	if all[synced.ID].Mark != "9" || all[synced.ID].ListenMarks["#pan"] != "77" || all[failing.ID].ErrorParams["host"] != "bsky.social" {
		t.Fatalf("round trip: %+v", all)
	}
	if _, ok := all[never.ID]; ok {
		t.Fatal("an account never synced has a state")
	}
}
