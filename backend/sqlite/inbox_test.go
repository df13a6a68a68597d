package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/sqlite"
)

func notif(id string, kind backend.InboxKind, at time.Time, about string) backend.Notification {
	n := backend.Notification{RemoteID: id, Kind: kind, CreatedAt: at, Author: backend.RemoteAuthor{ID: "a" + id, Handle: "p" + id + "@x.example", Name: "P " + id}}
	if about != "" {
		n.About = &backend.RemoteRef{ID: about}
	}
	if !kind.Summarised() {
		n.Subject = &backend.RemotePost{Ref: backend.RemoteRef{ID: "s" + id}, Text: "hello " + id}
	}
	return n
}

func TestInboxSaveNeverDuplicates(t *testing.T) {
	ctx := context.Background()
	db, path := open(t)
	c := mustClient(t, db, "Acme", "Europe/Madrid")
	a := mustAccount(t, db, c.ID, backend.Mastodon, "acme@social.example")
	t0 := now.Add(-time.Hour)
	items := []backend.InboxItem{
		{AccountID: a.ID, Notification: notif("1", backend.KindMention, t0, ""), ArrivedAt: now},
		{AccountID: a.ID, Notification: notif("2", backend.KindReply, t0.Add(time.Minute), "p9"), ArrivedAt: now, Alert: []string{"estafa"}},
	}
	added, err := db.InboxSave(ctx, items, backend.InboxSync{AccountID: a.ID, Mark: "2", Older: "1"})
	if err != nil || len(added) != 2 || added[0].ID == 0 {
		t.Fatalf("first save: %v %+v", err, added)
	}
	// A re-fetch of the same page (and one new item) adds only the new one.
	items = append(items, backend.InboxItem{AccountID: a.ID, Notification: notif("3", backend.KindQuote, t0.Add(2*time.Minute), "p9"), ArrivedAt: now})
	added, err = db.InboxSave(ctx, items, backend.InboxSync{AccountID: a.ID, Mark: "3", Gap: true})
	if err != nil || len(added) != 1 || added[0].Notification.RemoteID != "3" {
		t.Fatalf("second save: %v %+v", err, added)
	}
	list, err := db.InboxList(ctx, backend.InboxFilter{})
	if err != nil || len(list) != 3 {
		t.Fatalf("list: %v %d", err, len(list))
	}
	if list[0].Notification.RemoteID != "2" || list[1].Notification.RemoteID != "3" || list[0].Alert[0] != "estafa" {
		t.Fatalf("alerts first, then newest: %s %s", list[0].Notification.RemoteID, list[1].Notification.RemoteID)
	}
	if list[0].ClientID != c.ID || list[0].Notification.Subject.Text != "hello 2" || list[0].Notification.About.ID != "p9" {
		t.Fatalf("round trip: %+v", list[0])
	}
	s, err := db.InboxSyncState(ctx, a.ID)
	if err != nil || s.Mark != "3" || !s.Gap || s.Older != "" {
		t.Fatalf("sync: %v %+v", err, s)
	}
	// Kept across a restart.
	db.Close()
	db2, err := sqlite.Open(ctx, path, backend.FixedClock{T: now})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if l, _ := db2.InboxList(ctx, backend.InboxFilter{}); len(l) != 3 {
		t.Fatalf("after reopen: %d", len(l))
	}
	var n int
	raw, _ := sql.Open("sqlite", path)
	defer raw.Close()
	raw.QueryRow(`SELECT COUNT(*) FROM inbox_items WHERE account_id = ? AND remote_id = '2'`, a.ID).Scan(&n)
	if n != 1 {
		t.Fatalf("rows for remote id 2: %d", n)
	}
}

func TestInboxFiltersStatesAndSummaries(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	c1 := mustClient(t, db, "Acme", "Europe/Madrid")
	c2 := mustClient(t, db, "Beta", "Europe/Rome")
	m := mustAccount(t, db, c1.ID, backend.Mastodon, "acme@social.example")
	b := mustAccount(t, db, c2.ID, backend.Bluesky, "beta.bsky.social")
	day := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	var items []backend.InboxItem
	for i := 0; i < 5; i++ { // five likes of p1 on one day, two on the next
		items = append(items, backend.InboxItem{AccountID: m.ID, Notification: notif(fmt.Sprint("l", i), backend.KindLike, day.Add(time.Duration(i)*time.Hour), "p1"), ArrivedAt: now})
	}
	for i := 0; i < 2; i++ {
		items = append(items, backend.InboxItem{AccountID: m.ID, Notification: notif(fmt.Sprint("m", i), backend.KindLike, day.Add(24*time.Hour+time.Duration(i)), "p1"), ArrivedAt: now})
	}
	items = append(items, backend.InboxItem{AccountID: m.ID, Notification: notif("r1", backend.KindReply, day, "p1"), ArrivedAt: now})
	if _, err := db.InboxSave(ctx, items, backend.InboxSync{AccountID: m.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.InboxSave(ctx, []backend.InboxItem{{AccountID: b.ID, Notification: notif("at://x/1", backend.KindMention, day, ""), ArrivedAt: now.Add(-40 * 24 * time.Hour)}}, backend.InboxSync{AccountID: b.ID}); err != nil {
		t.Fatal(err)
	}
	sums, err := db.InboxSummaries(ctx, backend.InboxFilter{ClientID: c1.ID})
	if err != nil || len(sums) != 2 || sums[0].Count != 2 || sums[1].Count != 5 || sums[1].Day != "2026-11-20" || len(sums[1].IDs) != 5 {
		t.Fatalf("summaries: %v %+v", err, sums)
	}
	// A row names its newest author; the others are read on demand, in the
	// order asked (a missing id is left out).
	if a := sums[1].Authors; len(a) != 1 || a[0].Name != "P l4" {
		t.Fatalf("summary author: %+v", a)
	}
	group := sums[1].IDs
	authors, err := db.InboxAuthors(ctx, []int64{group[4], group[3], 99999, group[0]})
	if err != nil || len(authors) != 3 || authors[0].Name != "P l4" || authors[1].Name != "P l3" || authors[2].Handle != "pl0@x.example" {
		t.Fatalf("authors: %v %+v", err, authors)
	}
	for _, tc := range []struct {
		name string
		f    backend.InboxFilter
		want int
	}{
		{"all", backend.InboxFilter{}, 9},
		{"client", backend.InboxFilter{ClientID: c2.ID}, 1},
		{"network", backend.InboxFilter{Network: backend.Mastodon}, 8},
		{"kind", backend.InboxFilter{Kinds: []backend.InboxKind{backend.KindReply, backend.KindMention}}, 2},
		{"limit", backend.InboxFilter{Limit: 3}, 3},
		{"state", backend.InboxFilter{States: []string{backend.InboxDone}}, 0},
	} {
		l, err := db.InboxList(ctx, tc.f)
		if err != nil || len(l) != tc.want {
			t.Errorf("%s: %v got %d want %d", tc.name, err, len(l), tc.want)
		}
	}
	// Bulk done per filter, then tags, pin, snooze and their checks.
	ids, err := db.InboxMarkDone(ctx, backend.InboxFilter{ClientID: c1.ID, Kinds: []backend.InboxKind{backend.KindLike}})
	if err != nil || len(ids) != 7 {
		t.Fatalf("mark done: %v %d", err, len(ids))
	}
	unread, _ := db.InboxUnread(ctx)
	if unread[c1.ID] != 1 || unread[c2.ID] != 1 {
		t.Fatalf("unread: %v", unread)
	}
	l, _ := db.InboxList(ctx, backend.InboxFilter{Kinds: []backend.InboxKind{backend.KindReply}})
	id := l[0].ID
	err = db.InboxUpdate(ctx, []int64{id}, func(it *backend.InboxItem) error { it.State = backend.InboxSnoozed; return nil })
	wantKey(t, err, backend.EInvalid, "inbox.snooze_time_required")
	until := now.Add(time.Hour)
	if err := db.InboxUpdate(ctx, []int64{id}, func(it *backend.InboxItem) error {
		it.State, it.SnoozedUntil, it.Tags, it.Pinned, it.Note = backend.InboxSnoozed, &until, []string{"question"}, true, "call back"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if l, _ := db.InboxList(ctx, backend.InboxFilter{Tag: "question", Pinned: true}); len(l) != 1 || l[0].Note != "call back" || l[0].State != backend.InboxSnoozed {
		t.Fatalf("tag filter: %+v", l)
	}
	if n, next, err := db.InboxUnsnooze(ctx, now); err != nil || n != 0 || next == nil || !next.Equal(until) {
		t.Fatalf("unsnooze early: %d %v %v", n, next, err)
	}
	if n, next, err := db.InboxUnsnooze(ctx, until); err != nil || n != 1 || next != nil {
		t.Fatalf("unsnooze: %d %v %v", n, next, err)
	}
	if it, _ := db.InboxGet(ctx, id); it.State != backend.InboxNew || it.SnoozedUntil != nil {
		t.Fatalf("after unsnooze: %+v", it)
	}
	// The report reads by arrival time.
	rep, err := db.InboxItemsForReport(ctx, c2.ID, now.Add(-41*24*time.Hour), now.Add(-39*24*time.Hour))
	if err != nil || len(rep) != 1 {
		t.Fatalf("report: %v %d", err, len(rep))
	}
	if rep, _ := db.InboxItemsForReport(ctx, c2.ID, now.Add(-39*24*time.Hour), now); len(rep) != 0 {
		t.Fatalf("report range: %d", len(rep))
	}
	if _, err := db.InboxGet(ctx, 999); backend.ErrorCode(err) != backend.ENotFound {
		t.Fatalf("missing item: %v", err)
	}
}

func TestSavedRepliesAndCrisisPlan(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	c := mustClient(t, db, "Acme", "Europe/Madrid")
	other := mustClient(t, db, "Beta", "Europe/Rome")
	wantKey(t, db.SaveSavedReply(ctx, &backend.SavedReply{Title: " ", Text: "x"}), backend.EInvalid, "inbox.saved_title_required")
	shared := &backend.SavedReply{Title: "Thanks", Text: "Thank you {name}!", Tags: []string{"praise", "praise"}}
	own := &backend.SavedReply{ClientID: c.ID, Title: "Holding", Text: "Hola {handle}, lo estamos revisando.", Crisis: true}
	mine := &backend.SavedReply{ClientID: other.ID, Title: "Other", Text: "x"}
	for _, r := range []*backend.SavedReply{shared, own, mine} {
		if err := db.SaveSavedReply(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	l, err := db.ListSavedReplies(ctx, c.ID)
	if err != nil || len(l) != 2 || l[0].ID != own.ID || l[1].ID != shared.ID || len(l[1].Tags) != 1 {
		t.Fatalf("list: %v %+v", err, l)
	}
	author := backend.RemoteAuthor{Handle: "ana@x.example", Name: "Ana"}
	if got := l[0].Fill(author); got != "Hola @ana@x.example, lo estamos revisando." {
		t.Fatalf("fill: %q", got)
	}
	if got := l[1].Fill(backend.RemoteAuthor{Handle: "bo.bsky.social"}); got != "Thank you bo.bsky.social!" {
		t.Fatalf("fill without name: %q", got)
	}
	own.Text = "edited"
	if err := db.SaveSavedReply(ctx, own); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteSavedReply(ctx, shared.ID); err != nil {
		t.Fatal(err)
	}
	if l, _ := db.ListSavedReplies(ctx, c.ID); len(l) != 1 || l[0].Text != "edited" {
		t.Fatalf("after edit/delete: %+v", l)
	}
	s, err := db.InboxClientSettings(ctx, c.ID)
	if err != nil || len(s.Tags) != 5 || s.Tags[4] != "lead" || len(s.AlertWords) != 0 {
		t.Fatalf("defaults: %v %+v", err, s)
	}
	s.AlertWords = []string{"estafa", " Estafa ", "denuncia", ""}
	s.Tags = []string{"vip"}
	if err := db.SetInboxClientSettings(ctx, &s); err != nil {
		t.Fatal(err)
	}
	if s, _ := db.InboxClientSettings(ctx, c.ID); len(s.AlertWords) != 2 || s.Tags[0] != "vip" {
		t.Fatalf("saved settings: %+v", s)
	}
}

func TestMatchAlerts(t *testing.T) {
	words := []string{"estafa", "truffa", "no funciona", "scam"}
	for _, tc := range []struct {
		text string
		want int
	}{
		{"¡Esto es una ESTAFÁ!", 1},
		{"Una truffa, davvero. Scam!!", 2},
		{"la app NO FUNCIONA desde ayer", 1},
		{"estafador no es estafa-free", 1},
		{"scammer", 0},
		{"", 0},
	} {
		if got := backend.MatchAlerts(words, tc.text); len(got) != tc.want {
			t.Errorf("%q: got %v", tc.text, got)
		}
	}
}
