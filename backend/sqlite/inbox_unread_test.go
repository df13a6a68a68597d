package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"path/filepath"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/sqlite"
)

// countUnread is the plain count InboxUnread must agree with, read from the
// file through a connection of its own.
func countUnread(t *testing.T, raw *sql.DB) map[int64]int {
	t.Helper()
	rows, err := raw.Query(`SELECT a.client_id, COUNT(*) FROM inbox_items i JOIN accounts a ON a.id = i.account_id WHERE i.state <> 'done' GROUP BY a.client_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var c int64
		var n int
		if err := rows.Scan(&c, &n); err != nil {
			t.Fatal(err)
		}
		out[c] = n
	}
	return out
}

func sameCounts(a, b map[int64]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// The unread counters kept by migration 0022's triggers agree with a plain
// COUNT(*) after every kind of change, in random order.
func TestInboxUnreadCountersFollowEveryChange(t *testing.T) {
	ctx := context.Background()
	db, path := open(t)
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var clients []int64
	for i := 0; i < 3; i++ {
		clients = append(clients, mustClient(t, db, fmt.Sprint("Cliente ", i), "Europe/Madrid").ID)
	}
	var accounts []*backend.Account
	nextAccount := 0
	addAccount := func() {
		nextAccount++
		accounts = append(accounts, mustAccount(t, db, clients[nextAccount%len(clients)], backend.Mastodon, fmt.Sprintf("a%d@social.example", nextAccount)))
	}
	for i := 0; i < 4; i++ {
		addAccount()
	}
	rng := rand.New(rand.NewSource(14))
	items := func(where string) []int64 {
		rows, err := raw.Query(`SELECT id FROM inbox_items ` + where + ` ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var ids []int64
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			ids = append(ids, id)
		}
		return ids
	}
	kinds := []backend.InboxKind{backend.KindMention, backend.KindReply, backend.KindLike, backend.KindBoost, backend.KindFollow}
	clock := now
	remote := 0
	ops := map[string]int{}
	most := 0
	for step := 0; step < 400; step++ {
		op := rng.Intn(20)
		ids := items("")
		if len(accounts) == 0 {
			addAccount()
		}
		a := accounts[rng.Intn(len(accounts))]
		var name string
		switch {
		case op < 7: // save: new items, and some already stored
			name = "save"
			var batch []backend.InboxItem
			for k := 1 + rng.Intn(6); k > 0; k-- {
				remote++
				id := remote
				if rng.Intn(4) == 0 && remote > 5 {
					id = 1 + rng.Intn(remote-1) // a re-fetch: never counted twice
				}
				batch = append(batch, backend.InboxItem{AccountID: a.ID, ArrivedAt: clock,
					Notification: notif(fmt.Sprint(id), kinds[rng.Intn(len(kinds))], clock.Add(-time.Duration(rng.Intn(5000))*time.Minute), fmt.Sprint("p", rng.Intn(3)))})
			}
			if _, err := db.InboxSave(ctx, batch, backend.InboxSync{AccountID: a.ID, Mark: fmt.Sprint(remote)}); err != nil {
				t.Fatal(err)
			}
		case op < 12 && len(ids) > 0: // one or more items done, new again or snoozed
			pick := []int64{ids[rng.Intn(len(ids))], ids[rng.Intn(len(ids))]}
			if pick[0] == pick[1] {
				pick = pick[:1]
			}
			state := []string{backend.InboxNew, backend.InboxDone, backend.InboxSnoozed}[rng.Intn(3)]
			name = "update " + state
			back := clock.Add(time.Duration(1+rng.Intn(120)) * time.Minute)
			if err := db.InboxUpdate(ctx, pick, func(it *backend.InboxItem) error {
				it.State, it.SnoozedUntil = state, &back
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		case op < 14: // time passes, snoozed items come back
			name = "unsnooze"
			clock = clock.Add(time.Duration(rng.Intn(90)) * time.Minute)
			if _, _, err := db.InboxUnsnooze(ctx, clock); err != nil {
				t.Fatal(err)
			}
		case op == 14: // mark all done: everything, a client's or an account's
			f := []backend.InboxFilter{{}, {ClientID: a.ClientID}, {AccountID: a.ID, Kinds: []backend.InboxKind{backend.KindLike, backend.KindMention}}}[rng.Intn(3)]
			name = "mark done"
			if _, err := db.InboxMarkDone(ctx, f); err != nil {
				t.Fatal(err)
			}
		case op < 17 && len(items(`WHERE kind IN ('mention', 'reply')`)) > 0: // a reply queued marks its item done
			name = "reply"
			posts := items(`WHERE kind IN ('mention', 'reply')`)
			if _, err := db.QueueReply(ctx, backend.ReplyDraft{InboxItemID: posts[rng.Intn(len(posts))], Text: "¡Gracias!"}); err != nil {
				t.Fatal(err)
			}
		case op == 17: // an account deleted (its items go with it), another added
			name = "delete account"
			k := rng.Intn(len(accounts))
			if err := db.DeleteAccount(ctx, accounts[k].ID); err != nil {
				t.Fatal(err)
			}
			accounts = append(accounts[:k], accounts[k+1:]...)
			if rng.Intn(2) == 0 {
				addAccount()
			}
		case op == 18 && len(ids) > 0: // an item deleted by itself (no code path does it yet: the trigger is ready)
			name = "delete item"
			if _, err := raw.Exec(`DELETE FROM inbox_items WHERE id = ?`, ids[rng.Intn(len(ids))]); err != nil {
				t.Fatal(err)
			}
		default:
			continue
		}
		ops[name]++
		got, err := db.InboxUnread(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := countUnread(t, raw)
		if !sameCounts(got, want) {
			t.Fatalf("step %d (%s): InboxUnread %v, COUNT(*) %v", step, name, got, want)
		}
		total := 0
		for _, n := range want {
			total += n
		}
		most = max(most, total)
	}
	if ops["delete account"] == 0 || ops["unsnooze"] == 0 || ops["reply"] == 0 || ops["mark done"] == 0 || ops["delete item"] == 0 || most < 20 {
		t.Fatalf("the random walk missed an operation: %v", ops)
	}
	want := countUnread(t, raw)
	if len(want) == 0 {
		t.Fatalf("nothing left unread at the end (%v)", ops)
	}

	// A backup carries the counters (and their triggers) with it.
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	if err := db.BackupTo(ctx, copyPath); err != nil {
		t.Fatal(err)
	}
	cp, err := sqlite.Open(ctx, copyPath, backend.FixedClock{T: now})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if got, err := cp.InboxUnread(ctx); err != nil || !sameCounts(got, want) {
		t.Fatalf("backup copy: %v %v, want %v", got, err, want)
	}
	if _, err := cp.InboxMarkDone(ctx, backend.InboxFilter{}); err != nil {
		t.Fatal(err)
	}
	if got, err := cp.InboxUnread(ctx); err != nil || len(got) != 0 {
		t.Fatalf("backup copy after mark all done: %v %v", got, err)
	}
}

// A workspace left by Pauta at migration 0021 with items in its inbox gets
// the right counters when 0022 fills them.
func TestInboxUnreadMigration(t *testing.T) {
	path, raw := oldWorkspace(t, "0022")
	for _, q := range []string{
		`PRAGMA user_version = 21`,
		`INSERT INTO clients (id, name, color, time_zone, language, created_at, updated_at) VALUES
			(1, 'Sol', '#4f7cff', 'UTC', 'es', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
			(2, 'Luna', '#4f7cff', 'UTC', 'es', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
			(3, 'Mar', '#4f7cff', 'UTC', 'es', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
		`INSERT INTO accounts (id, client_id, network, handle, created_at) VALUES
			(1, 1, 'mastodon', 'sol', '2026-01-01T00:00:00Z'), (2, 1, 'bluesky', 'sol.bsky', '2026-01-01T00:00:00Z'),
			(3, 2, 'mastodon', 'luna', '2026-01-01T00:00:00Z'), (4, 3, 'mastodon', 'mar', '2026-01-01T00:00:00Z')`,
		`INSERT INTO inbox_items (account_id, remote_id, kind, created_at, notification, state, snoozed_until, arrived_at) VALUES
			(1, 'r1', 'mention', '2026-01-02T00:00:00Z', '{}', 'new', NULL, '2026-01-02T00:00:00Z'),
			(1, 'r2', 'reply', '2026-01-02T00:01:00Z', '{}', 'snoozed', '2026-01-03T00:00:00Z', '2026-01-02T00:01:00Z'),
			(1, 'r3', 'like', '2026-01-02T00:02:00Z', '{}', 'done', NULL, '2026-01-02T00:02:00Z'),
			(2, 'r1', 'mention', '2026-01-02T00:00:00Z', '{}', 'new', NULL, '2026-01-02T00:00:00Z'),
			(3, 'r1', 'mention', '2026-01-02T00:00:00Z', '{}', 'done', NULL, '2026-01-02T00:00:00Z'),
			(3, 'r2', 'follow', '2026-01-02T00:00:00Z', '{}', 'new', NULL, '2026-01-02T00:00:00Z'),
			(4, 'r1', 'mention', '2026-01-02T00:00:00Z', '{}', 'done', NULL, '2026-01-02T00:00:00Z')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()

	ctx := context.Background()
	db, err := sqlite.Open(ctx, path, backend.FixedClock{T: now})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := map[int64]int{1: 3, 2: 1}
	if got, err := db.InboxUnread(ctx); err != nil || !sameCounts(got, want) {
		t.Fatalf("after migration: %v %v, want %v", got, err, want)
	}
	// The counters go on from there: client 3's only item comes back.
	list, err := db.InboxList(ctx, backend.InboxFilter{ClientID: 3})
	if err != nil || len(list) != 1 {
		t.Fatalf("client 3: %v %v", list, err)
	}
	if err := db.InboxUpdate(ctx, []int64{list[0].ID}, func(it *backend.InboxItem) error { it.State = backend.InboxNew; return nil }); err != nil {
		t.Fatal(err)
	}
	want[3] = 1
	if got, err := db.InboxUnread(ctx); err != nil || !sameCounts(got, want) {
		t.Fatalf("after an update: %v %v, want %v", got, err, want)
	}
}
