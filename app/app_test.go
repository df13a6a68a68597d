package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"pauta/backend"
)

// recorder is an Emitter that remembers event names.
type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) Emit(name string, _ ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, name)
}

var _ Emitter = (*recorder)(nil)

// Tuesday 24 November 2026, 10:00 UTC.
var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func newApp(t *testing.T) (*App, *recorder) {
	t.Helper()
	rec := &recorder{}
	a, err := New(context.Background(), Config{DataDir: t.TempDir(), Version: "test", Clock: backend.FixedClock{T: testNow}, Emitter: rec, Secrets: newMemSecrets()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a, rec
}

func wantKey(t *testing.T, err error, key string) *backend.Error {
	t.Helper()
	e := backend.AsError(err)
	if e == nil || e.Key != key {
		t.Fatalf("got %v, want key %s", err, key)
	}
	return e
}

func TestFormatError(t *testing.T) {
	out := FormatError(fmt.Errorf("save: %w", backend.Errorf(backend.EInvalid, "client.name_required", "a client needs a name").WithField("name")))
	if out != `{"code":"invalid","key":"client.name_required","message":"a client needs a name","field":"name"}` {
		t.Errorf("formatted: %v", out)
	}
	out = FormatError(errors.New("disk I/O error"))
	if out != `{"code":"internal","key":"internal","message":"disk I/O error"}` {
		t.Errorf("unknown error formatted: %v", out)
	}
	var back backend.Error
	if err := json.Unmarshal([]byte(FormatError(backend.Errorf(backend.EConflict, "account.duplicate", "x").WithParam("handle", "@sol")).(string)), &back); err != nil || back.Params["handle"] != "@sol" {
		t.Errorf("params lost: %+v %v", back, err)
	}
}

func TestClientsAndAccountsThroughServices(t *testing.T) {
	a, rec := newApp(t)
	c, err := a.Clients.Save(ClientInput{Name: "Panadería Sol", Color: "#e8833a", TimeZone: "Europe/Madrid", Language: "es"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.Clients.Save(ClientInput{Name: "", TimeZone: "Europe/Madrid"})
	if e := wantKey(t, err, "client.name_required"); e.Field != "name" {
		t.Errorf("field %q", e.Field)
	}
	_, err = a.Clients.Save(ClientInput{Name: "Otro", TimeZone: "Madrid"})
	wantKey(t, err, "client.zone_invalid")
	acc, err := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: "instagram", Handle: "@sol"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: "instagram", Handle: "@sol"})
	wantKey(t, err, "account.duplicate")
	ws, err := a.Clients.Workspace(false)
	if err != nil || len(ws.Clients) != 1 || len(ws.Accounts) != 1 || ws.Accounts[0].ID != acc.ID {
		t.Fatalf("workspace %+v %v", ws, err)
	}
	// Editing keeps the archived flag and the id.
	c2, err := a.Clients.Save(ClientInput{ID: c.ID, Name: "Panadería Sol Madrid", Color: "#e8833a", TimeZone: "Europe/Madrid", Language: "es"})
	if err != nil || c2.ID != c.ID {
		t.Fatal(err)
	}
	if err := a.Clients.SetArchived(c.ID, true); err != nil {
		t.Fatal(err)
	}
	ws, _ = a.Clients.Workspace(false)
	if len(ws.Clients) != 0 {
		t.Error("archived client listed")
	}
	if err := a.Clients.RemoveAccount(acc.ID); err != nil {
		t.Fatal(err)
	}
	if len(rec.events) == 0 || rec.events[0] != EventClientsChanged {
		t.Errorf("events %v", rec.events)
	}
	if len(a.Clients.Networks()) != 11 {
		t.Error("networks")
	}
}

func TestPostsThroughServices(t *testing.T) {
	a, rec := newApp(t)
	madrid, _ := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"})
	tokyo, _ := a.Clients.Save(ClientInput{Name: "Sakura", TimeZone: "Asia/Tokyo", Language: "ja"})
	ig, _ := a.Clients.AddAccount(AccountInput{ClientID: madrid.ID, Network: "instagram", Handle: "@sol"})
	x, _ := a.Clients.AddAccount(AccountInput{ClientID: tokyo.ID, Network: "x", Handle: "@sakura"})

	_, err := a.Posts.Save(PostInput{ClientID: madrid.ID, Status: "scheduled", Text: "hola", Date: "2026-11-25", Time: "09:30"})
	if e := wantKey(t, err, "post.account_required"); e.Field != "accounts" {
		t.Errorf("field %q", e.Field)
	}
	_, err = a.Posts.Save(PostInput{ClientID: madrid.ID, Status: "scheduled", Text: "hola", Variants: []VariantInput{{AccountID: ig.ID}}})
	wantKey(t, err, "post.time_required")

	res, err := saveWithImage(t, a, PostInput{ClientID: madrid.ID, Status: "scheduled", Text: "Pan", Date: "2026-11-25", Time: "09:30",
		Labels: []string{"producto"}, Variants: []VariantInput{{AccountID: ig.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Post.ScheduledAt != "2026-11-25T08:30:00Z" || res.Post.Local != "2026-11-25T09:30" || res.Post.ZoneLabel != "CET +01:00" ||
		res.Shifted || res.Post.Variants[0].Network != "instagram" {
		t.Errorf("saved %+v", res)
	}
	// 00:30 in Tokyo on the 26th is still the 25th in UTC: it belongs to the 26th.
	tk, err := a.Posts.Save(PostInput{ClientID: tokyo.ID, Status: "draft", Text: "桜", Date: "2026-11-26", Time: "00:30", Variants: []VariantInput{{AccountID: x.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	day25, _ := a.Posts.List(PostQuery{From: "2026-11-25", To: "2026-11-25"})
	day26, _ := a.Posts.List(PostQuery{From: "2026-11-26", To: "2026-11-26"})
	if len(day25) != 1 || day25[0].ID != res.Post.ID || len(day26) != 1 || day26[0].ID != tk.Post.ID {
		t.Errorf("by local day: 25=%v 26=%v", day25, day26)
	}
	only, _ := a.Posts.List(PostQuery{ClientID: tokyo.ID, From: "2026-11-01", To: "2026-11-30"})
	if len(only) != 1 {
		t.Errorf("client filter: %v", only)
	}
	_, err = a.Posts.List(PostQuery{From: "2026-11-30", To: "2026-11-01"})
	wantKey(t, err, "range.inverted")

	// Spring-forward gap: the user is told.
	gap, err := a.Posts.Save(PostInput{ClientID: madrid.ID, Status: "draft", Date: "2027-03-28", Time: "02:30", Variants: []VariantInput{{AccountID: ig.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	if !gap.Shifted || gap.Local != "2027-03-28T03:00" {
		t.Errorf("gap %+v", gap)
	}
	// Edit keeps the id; delete removes.
	upd, err := a.Posts.Save(PostInput{ID: res.Post.ID, ClientID: madrid.ID, Status: "draft", Text: "Pan 2", Date: "2026-11-27", Time: "10:00", Variants: []VariantInput{{AccountID: ig.ID, Text: "IG"}}})
	if err != nil || upd.Post.ID != res.Post.ID || upd.Post.Variants[0].Text != "IG" {
		t.Fatalf("update %+v %v", upd, err)
	}
	got, err := a.Posts.Get(res.Post.ID)
	if err != nil || got.Text != "Pan 2" || got.Status != "draft" {
		t.Errorf("get %+v %v", got, err)
	}
	if err := a.Posts.Delete(res.Post.ID); err != nil {
		t.Fatal(err)
	}
	_, err = a.Posts.Get(res.Post.ID)
	wantKey(t, err, "post.not_found")
	n := 0
	for _, e := range rec.events {
		if e == EventPostsChanged {
			n++
		}
	}
	if n != 7 { // 5, and the draft and the image of the Instagram post (saveWithImage)
		t.Errorf("posts:changed events = %d, want 7", n)
	}
	// Archived clients' posts leave the "all clients" calendar.
	a.Clients.SetArchived(tokyo.ID, true)
	day26, _ = a.Posts.List(PostQuery{From: "2026-11-26", To: "2026-11-26"})
	if len(day26) != 0 {
		t.Errorf("archived client's post listed: %v", day26)
	}
}

func TestSettingsFirstRunAndDemo(t *testing.T) {
	a, _ := newApp(t)
	s, err := a.Settings.Get()
	if err != nil || !s.FirstRun || s.Version != "test" {
		t.Fatalf("first run settings %+v %v", s, err)
	}
	wantKey(t, a.Settings.SetLanguage("fr"), "settings.language_invalid")
	if err := a.Settings.SetLanguage("it"); err != nil {
		t.Fatal(err)
	}
	r, err := a.Settings.CreateDemo()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Clients) != 3 || r.Accounts != 6 || r.Posts < 35 || r.Posts > 45 {
		t.Errorf("demo report %+v", r)
	}
	s, _ = a.Settings.Get()
	if s.FirstRun || s.Language != "it" {
		t.Errorf("after demo %+v", s)
	}
	// The demo posts fall in this week and next, in each client's own zone.
	posts, err := a.Posts.List(PostQuery{From: "2026-11-23", To: "2026-12-06"})
	if err != nil || len(posts) != r.Posts {
		t.Errorf("demo posts in this and next week: %d of %d (%v)", len(posts), r.Posts, err)
	}
	// Posts earlier this week are shown as published and are never queued.
	if err := a.outbox.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if due, _ := a.Outbox.Items(OutboxQuery{States: []string{"due_manual", "missed", "sending", "failed"}}); len(due) != 0 {
		t.Errorf("demo posts in the past queued: %+v", due)
	}
	published := 0
	for _, p := range posts {
		if p.Status == "published" {
			published++
			if p.ScheduledAt >= testNow.Format(time.RFC3339) {
				t.Errorf("future post published: %+v", p)
			}
		}
	}
	if published == 0 {
		t.Error("no past demo post shown as published")
	}
	// Every scheduled or draft demo post for a network that needs an image
	// has one (a card made by the editor's renderer), so the demo could
	// really be scheduled.
	withImage := 0
	for _, p := range posts {
		if p.Status != "scheduled" && p.Status != "draft" {
			continue
		}
		need := false
		for _, v := range p.Variants {
			need = need || backend.RequiresMedia(backend.Network(v.Network))
		}
		if !need {
			continue
		}
		imgs, err := a.Media.PostImages(p.ID)
		if err != nil || len(imgs) == 0 {
			t.Errorf("demo post %d (%q) for a network that needs an image has none (%v)", p.ID, p.Text, err)
			continue
		}
		withImage++
	}
	if withImage == 0 {
		t.Error("no demo post needed an image: the check above checked nothing")
	}
	again, err := a.Settings.CreateDemo()
	if err != nil || len(again.Clients) != 0 || again.Posts != 0 || len(again.Skipped) != 3 {
		t.Errorf("second demo %+v %v", again, err)
	}
}

func TestSystemLanguage(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		m    map[string]string
		want string
	}{
		{map[string]string{"LANG": "it_IT.UTF-8"}, "it"},
		{map[string]string{"LANG": "en_GB.UTF-8", "LC_ALL": "es_ES.UTF-8"}, "es"},
		{map[string]string{"LANG": "fr_FR.UTF-8"}, ""},
		{map[string]string{"LANG": "C.UTF-8", "LC_MESSAGES": "it"}, "it"},
		{map[string]string{}, ""},
	}
	for _, c := range cases {
		if got := SystemLanguage(env(c.m)); got != c.want {
			t.Errorf("%v → %q, want %q", c.m, got, c.want)
		}
	}
}

func TestDefaultDataDir(t *testing.T) {
	t.Setenv("PAUTA_DATA_DIR", "/tmp/x-pauta")
	if d, _ := DefaultDataDir(); d != "/tmp/x-pauta" {
		t.Errorf("env override %q", d)
	}
	t.Setenv("PAUTA_DATA_DIR", "")
	t.Setenv("XDG_CONFIG_HOME", "/tmp/xdg")
	if d, _ := DefaultDataDir(); d != "/tmp/xdg/pauta" {
		t.Errorf("xdg %q", d)
	}
}
