package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/sqlite"
)

// InboxSummaries (one query for the page's groups, keyset paging) gives
// exactly what the query-per-group version gave, for every filter, page and
// offset, over items with many ties in time and groups that need several
// pages of items to find.
func TestInboxSummariesMatchPerGroupQueries(t *testing.T) {
	ctx := context.Background()
	db, path := open(t)
	rng := rand.New(rand.NewSource(7))
	var clients []int64
	var accounts []*backend.Account
	for i := 0; i < 3; i++ {
		clients = append(clients, mustClient(t, db, fmt.Sprint("Cliente ", i), "Europe/Madrid").ID)
	}
	for i := 0; i < 5; i++ {
		accounts = append(accounts, mustAccount(t, db, clients[i%3], []backend.Network{backend.Mastodon, backend.Bluesky}[i%2], fmt.Sprintf("a%d@social.example", i)))
	}
	kinds := []backend.InboxKind{backend.KindMention, backend.KindReply, backend.KindLike, backend.KindBoost, backend.KindFollow}
	base := now.Truncate(time.Hour)
	for k, a := range accounts {
		var items []backend.InboxItem
		for j := 0; j < 400; j++ {
			kind := kinds[rng.Intn(len(kinds))]
			about := ""
			if kind != backend.KindFollow {
				about = fmt.Sprint("p", rng.Intn(6))
			}
			// minutes over four days: many items share a time, within and across accounts
			at := base.Add(-time.Duration(rng.Intn(4*24*60/10)) * 10 * time.Minute)
			items = append(items, backend.InboxItem{AccountID: a.ID, ArrivedAt: now, Notification: notif(fmt.Sprint(j), kind, at, about)})
		}
		if k == 0 { // one busy post: 2,500 likes a minute apart, two or three groups
			for j := 0; j < 2500; j++ {
				items = append(items, backend.InboxItem{AccountID: a.ID, ArrivedAt: now,
					Notification: notif(fmt.Sprint("l", j), backend.KindLike, base.Add(-time.Duration(j)*time.Minute), "hot")})
			}
		}
		if k == 4 { // boosts of as many posts, three a minute: groups of one item
			for j := 0; j < 300; j++ {
				items = append(items, backend.InboxItem{AccountID: a.ID, ArrivedAt: now,
					Notification: notif(fmt.Sprint("b", j), backend.KindBoost, base.Add(-time.Duration(j/3)*time.Minute), fmt.Sprint("u", j))})
			}
		}
		if _, err := db.InboxSave(ctx, items, backend.InboxSync{AccountID: a.ID}); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE inbox_items SET state = CASE abs(random()) % 3 WHEN 0 THEN 'done' WHEN 1 THEN 'snoozed' ELSE 'new' END,
		snoozed_until = '2030-01-01T00:00:00Z', tags = CASE abs(random()) % 4 WHEN 0 THEN '["lead"]' ELSE '[]' END WHERE abs(random()) % 2 = 0`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE inbox_items SET snoozed_until = NULL WHERE state <> 'snoozed'`); err != nil {
		t.Fatal(err)
	}
	filters := []backend.InboxFilter{
		{},
		{States: []string{backend.InboxNew}},
		{States: []string{backend.InboxNew}, Limit: 1000},
		{ClientID: clients[0]},
		{ClientID: clients[1], States: []string{backend.InboxNew, backend.InboxSnoozed}},
		{AccountID: accounts[0].ID, Limit: 1000},
		{AccountID: accounts[0].ID, Kinds: []backend.InboxKind{backend.KindLike}, Limit: 3},
		{Network: backend.Bluesky},
		{Kinds: []backend.InboxKind{backend.KindFollow}},
		{Tag: "lead"},
		{Limit: 10, Offset: 5},
		{Limit: 50, Offset: 120},
		{AccountID: accounts[4].ID, Kinds: []backend.InboxKind{backend.KindBoost}, Limit: 1000},
		{Offset: 100000},
	}
	for _, chunk := range []int{1000, 7} {
		restore := sqlite.SetSummaryChunk(chunk)
		compareSummaries(t, db, filters)
		restore()
	}
	// One client's items are each account's page merged; the same as one
	// query sorting all of them, alerts first, with ties in time.
	if _, err := raw.Exec(`UPDATE inbox_items SET alert = '["estafa"]', alerted = 1 WHERE abs(random()) % 9 = 0`); err != nil {
		t.Fatal(err)
	}
	for _, f := range append(filters,
		backend.InboxFilter{ClientID: clients[0], Kinds: []backend.InboxKind{backend.KindMention, backend.KindReply}, States: []string{backend.InboxNew}},
		backend.InboxFilter{ClientID: clients[1], Limit: 30, Offset: 45},
		backend.InboxFilter{ClientID: clients[2], Network: backend.Bluesky, Limit: 1000},
		backend.InboxFilter{ClientID: 999}) {
		want, err := db.InboxListOneQuery(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.InboxList(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("list %+v: %d items, want %d", f, len(got), len(want))
		}
		for n := range want {
			if got[n].ID != want[n].ID {
				t.Fatalf("list %+v: item %d is %d, want %d", f, n, got[n].ID, want[n].ID)
			}
		}
	}
	// The busy post needs several pages of items to find its groups.
	all, err := db.InboxSummaries(ctx, backend.InboxFilter{AccountID: accounts[0].ID, Kinds: []backend.InboxKind{backend.KindLike}, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	hot := 0
	for _, s := range all {
		if s.AboutID == "hot" {
			hot += s.Count
			if len(s.Authors) != 1 || len(s.IDs) != s.Count {
				t.Fatalf("summary %+v", s)
			}
		}
	}
	if hot != 2500 {
		t.Fatalf("the busy post's groups count %d likes, want 2500", hot)
	}
}

func compareSummaries(t *testing.T, db *sqlite.DB, filters []backend.InboxFilter) {
	t.Helper()
	ctx := context.Background()
	for _, f := range filters {
		want, err := db.InboxSummariesPerGroup(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.InboxSummaries(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		wj, _ := json.Marshal(want)
		gj, _ := json.Marshal(got)
		if string(wj) != string(gj) {
			t.Errorf("filter %+v:\n got %d %.600s\nwant %d %.600s", f, len(got), gj, len(want), wj)
		}
		if f.Offset < 1000 && len(want) == 0 {
			t.Errorf("filter %+v found no groups: the comparison proves nothing", f)
		}
	}
}
