package app

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"pauta/backend"
)

// The calendar's lean query against a real SQLite file: the fields a chip
// shows, deleted posts and archived clients left out, and the range's edges
// in each client's own zone.
func TestCalendarPostsAreLeanAndInTheClientsZone(t *testing.T) {
	a, _ := newApp(t)
	ctx := context.Background()
	tokyo, err := a.Clients.Save(ClientInput{Name: "Tokyo", TimeZone: "Asia/Tokyo", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	la, err := a.Clients.Save(ClientInput{Name: "LA", TimeZone: "America/Los_Angeles", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	gone, err := a.Clients.Save(ClientInput{Name: "Archived", TimeZone: "Europe/Madrid", Language: "es"})
	if err != nil {
		t.Fatal(err)
	}
	ig, _ := a.Clients.AddAccount(AccountInput{ClientID: tokyo.ID, Network: "instagram", Handle: "@tk"})
	fb, _ := a.Clients.AddAccount(AccountInput{ClientID: tokyo.ID, Network: "facebook", Handle: "@tkfb"})
	save := func(in PostInput) PostView {
		t.Helper()
		r, err := a.Posts.Save(in)
		if err != nil {
			t.Fatal(err)
		}
		return r.Post
	}
	long := strings.Repeat("palabra ", 40) + "\n\n  fin"
	// Range 2026-11-01 … 2026-11-30, each post on its client's wall clock.
	first := save(PostInput{ClientID: tokyo.ID, Status: "draft", Text: long, Date: "2026-11-01", Time: "00:30", // 2026-10-31 15:30 UTC
		Labels: []string{"promo", "Navidad, 2026"}, Variants: []VariantInput{{AccountID: fb.ID, Text: "own text"}, {AccountID: ig.ID}}})
	last := save(PostInput{ClientID: la.ID, Status: "draft", Text: "last evening", Date: "2026-11-30", Time: "23:30"}) // 2026-12-01 07:30 UTC
	save(PostInput{ClientID: tokyo.ID, Status: "draft", Text: "day before", Date: "2026-10-31", Time: "23:59"})
	save(PostInput{ClientID: la.ID, Status: "draft", Text: "day after", Date: "2026-12-01", Time: "00:00"})
	save(PostInput{ClientID: tokyo.ID, Status: "idea", Text: "an idea"})
	binned := save(PostInput{ClientID: tokyo.ID, Status: "draft", Text: "in the bin", Date: "2026-11-10", Time: "10:00"})
	if err := a.Posts.Delete(binned.ID); err != nil {
		t.Fatal(err)
	}
	archived := save(PostInput{ClientID: gone.ID, Status: "draft", Text: "archived client", Date: "2026-11-12", Time: "10:00"})
	g, _ := a.store.GetClient(ctx, gone.ID)
	g.Archived = true
	if err := a.store.UpdateClient(ctx, g); err != nil {
		t.Fatal(err)
	}
	// Two images on the first post: the one in position 0 is the thumbnail.
	var ids []int64
	for i, h := range []string{"a", "b"} {
		m := backend.Media{ClientID: tokyo.ID, Hash: strings.Repeat(h, 64), Name: h + ".png", Format: "png", Bytes: 10, Width: 10, Height: 10, FocalX: 0.5, FocalY: 0.5}
		if _, err := a.store.CreateMedia(ctx, &m); err != nil {
			t.Fatal(err, i)
		}
		ids = append(ids, m.ID)
	}
	if err := a.store.SetPostMedia(ctx, first.ID, []backend.PostMedia{{MediaID: ids[1], Position: 0}, {MediaID: ids[0], Position: 1}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Approval.SetNeedsApproval(last.ID, true); err != nil {
		t.Fatal(err)
	}

	got, err := a.Posts.Calendar(PostQuery{From: "2026-11-01", To: "2026-11-30"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d posts, want the first and last of the range: %+v", len(got), got)
	}
	p := got[0]
	want := CalendarPost{ID: first.ID, ClientID: tokyo.ID, Status: "draft", Snippet: p.Snippet,
		ScheduledAt: "2026-10-31T15:30:00Z", TimeZone: "Asia/Tokyo", Local: "2026-11-01T00:30",
		Labels: []string{"promo", "Navidad, 2026"}, MediaID: ids[1],
		Variants: []CalendarTarget{{AccountID: fb.ID, Network: "facebook"}, {AccountID: ig.ID, Network: "instagram"}}}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("first post\n got %+v\nwant %+v", p, want)
	}
	if n := len([]rune(p.Snippet)); n > backend.SnippetMax || !strings.HasPrefix(p.Snippet, "palabra palabra") || !strings.HasSuffix(p.Snippet, "palabra…") {
		t.Errorf("snippet (%d chars) %q", n, p.Snippet)
	}
	q := got[1]
	if q.ID != last.ID || q.Local != "2026-11-30T23:30" || q.ScheduledAt != "2026-12-01T07:30:00Z" || q.MediaID != 0 || len(q.Variants) != 0 || len(q.Labels) != 0 || q.Snippet != "last evening" {
		t.Errorf("last post %+v", q)
	}
	if !q.Approval.Required || !q.Approval.Waiting || q.Approval.Status != "none" {
		t.Errorf("approval %+v", q.Approval)
	}
	// One client, archived or not: its own posts only.
	if one, _ := a.Posts.Calendar(PostQuery{ClientID: gone.ID, From: "2026-11-01", To: "2026-11-30"}); len(one) != 1 || one[0].ID != archived.ID {
		t.Errorf("archived client's own calendar: %+v", one)
	}
	// The same posts as the full list, in the same order.
	full, _ := a.Posts.List(PostQuery{From: "2026-11-01", To: "2026-11-30"})
	if len(full) != len(got) || full[0].ID != got[0].ID || full[1].ID != got[1].ID || full[0].Local != got[0].Local {
		t.Errorf("list %+v, calendar %+v", full, got)
	}
	if _, err := a.Posts.Calendar(PostQuery{From: "2026-11-30", To: "2026-11-01"}); backend.AsError(err) == nil || backend.AsError(err).Key != "range.inverted" {
		t.Errorf("inverted range: %v", err)
	}
	// A real file on disk, not an in-memory database.
	if fi, err := os.Stat(filepath.Join(a.cfg.DataDir, DBFile)); err != nil || fi.Size() == 0 {
		t.Fatalf("database file: %v", err)
	}
}

func TestSnippet(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"  hola\n\tmundo  ", "hola mundo"},
		{strings.Repeat("x", 12), "xxxxxxxxxxxx"},
		{strings.Repeat("y", 13), "yyyyyyyyyyy…"},
		{"uno dos tres cuatro", "uno dos…"},
		{"ñññññ ñññññ ñññññ", "ñññññ ñññññ…"},
	} {
		if got := backend.Snippet(c.in, 12); got != c.want || len([]rune(got)) > 12 {
			t.Errorf("Snippet(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
