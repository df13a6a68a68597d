package app

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"pauta/backend"
)

type fakeOpener struct {
	mu   sync.Mutex
	urls []string
}

func (f *fakeOpener) OpenURL(u string) {
	f.mu.Lock()
	f.urls = append(f.urls, u)
	f.mu.Unlock()
}

type note struct{ title, body string }

type fakeNotifier struct {
	mu    sync.Mutex
	notes []note
}

func (f *fakeNotifier) Notify(title, body string) error {
	f.mu.Lock()
	f.notes = append(f.notes, note{title, body})
	f.mu.Unlock()
	return nil
}

func uiApp(t *testing.T, dir string) (*App, *recorder, *fakeOpener, *fakeNotifier) {
	t.Helper()
	rec, op, no := &recorder{}, &fakeOpener{}, &fakeNotifier{}
	a, err := New(context.Background(), Config{DataDir: dir, Version: "test", Clock: backend.FixedClock{T: testNow}, Emitter: rec,
		Secrets: newMemSecrets(), Opener: op, Notifier: no})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a, rec, op, no
}

// "Open the composer" opens the network's intent page with the variant's
// text, and refuses a variant that does not exist.
func TestOpenComposerOpensTheNetworksIntent(t *testing.T) {
	a, _, op, _ := uiApp(t, t.TempDir())
	c, _ := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"})
	x, _ := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: "x", Handle: "@sol"})
	ig, _ := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: "instagram", Handle: "@sol.ig"})
	text := "Pan recién hecho & café #sol"
	if _, err := saveWithImage(t, a, PostInput{ClientID: c.ID, Status: "scheduled", Text: text, Date: "2026-11-24", Time: "18:00",
		Variants: []VariantInput{{AccountID: x.ID}, {AccountID: ig.ID}}}); err != nil {
		t.Fatal(err)
	}
	items, err := a.Outbox.Items(OutboxQuery{})
	if err != nil || len(items) != 2 {
		t.Fatalf("items %+v %v", items, err)
	}
	for _, it := range items {
		if err := a.Outbox.OpenComposer(it.VariantID); err != nil {
			t.Fatal(err)
		}
	}
	if len(op.urls) != 2 {
		t.Fatalf("opened %q", op.urls)
	}
	got := map[string]string{}
	for _, raw := range op.urls {
		u, _ := url.Parse(raw)
		got[u.Host] = u.Query().Get("text")
	}
	if got["x.com"] != text {
		t.Errorf("x intent text %q (%q)", got["x.com"], op.urls)
	}
	if _, ok := got["www.instagram.com"]; !ok {
		t.Errorf("instagram page not opened: %q", op.urls)
	}
	wantKey(t, a.Outbox.OpenComposer(99999), "variant.not_found")
}

// Manual posts falling due send one desktop notification per pass, in the
// UI language, naming the count, the client and the first text; the
// outbox:due_manual event still reaches the UI.
func TestDueManualPostsNotifyInTheUILanguage(t *testing.T) {
	a, rec, _, no := uiApp(t, t.TempDir())
	if err := a.Settings.SetLanguage("it"); err != nil {
		t.Fatal(err)
	}
	c, _ := a.Clients.Save(ClientInput{Name: "Studio Brera", TimeZone: "Europe/Rome", Language: "it"})
	ig, _ := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: "instagram", Handle: "@brera"})
	for _, text := range []string{"Nuova collezione\nin negozio", "Secondo post"} {
		if _, err := saveWithImage(t, a, PostInput{ClientID: c.ID, Status: "scheduled", Text: text, Date: "2026-11-24", Time: "11:00",
			Variants: []VariantInput{{AccountID: ig.ID}}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.outbox.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(no.notes) != 1 {
		t.Fatalf("notifications %+v", no.notes)
	}
	n := no.notes[0]
	if n.title != "È ora di pubblicare 2 post a mano" || !strings.HasPrefix(n.body, "Studio Brera · Instagram: Nuova collezione …") || !strings.HasSuffix(n.body, "(e altri 1)") {
		t.Errorf("notification %+v", n)
	}
	found := false
	rec.mu.Lock()
	for _, e := range rec.events {
		found = found || e == backend.EventDueManual
	}
	rec.mu.Unlock()
	if !found {
		t.Error("outbox:due_manual not emitted")
	}
	// Nothing new due: no second notification.
	if err := a.outbox.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(no.notes) != 1 {
		t.Errorf("notified again: %+v", no.notes)
	}
	// Spanish, one post.
	if err := a.Settings.SetLanguage("es"); err != nil {
		t.Fatal(err)
	}
	if _, err := saveWithImage(t, a, PostInput{ClientID: c.ID, Status: "scheduled", Text: "Hola", Date: "2026-11-24", Time: "11:00",
		Variants: []VariantInput{{AccountID: ig.ID}}}); err != nil {
		t.Fatal(err)
	}
	if err := a.outbox.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(no.notes) != 2 || no.notes[1].title != "Toca publicar a mano" || no.notes[1].body != "Studio Brera · Instagram: Hola" {
		t.Errorf("notifications %+v", no.notes)
	}
}

// The grace period is a setting: 15 min by default, validated, applied to
// the running outbox at once and again when the workspace is reopened.
func TestGraceSettingReachesTheOutbox(t *testing.T) {
	dir := t.TempDir()
	a, _, _, _ := uiApp(t, dir)
	s, err := a.Settings.Get()
	if err != nil || s.GraceMinutes != 15 || a.outbox.Grace() != 15*time.Minute {
		t.Fatalf("default %+v %v %s", s, err, a.outbox.Grace())
	}
	for _, bad := range []int{0, -5, 1441} {
		if e := wantKey(t, a.Settings.SetGrace(bad), "settings.grace_invalid"); e.Field != "graceMinutes" {
			t.Errorf("field %q", e.Field)
		}
	}
	if err := a.Settings.SetGrace(45); err != nil {
		t.Fatal(err)
	}
	if g := a.outbox.Grace(); g != 45*time.Minute {
		t.Errorf("running outbox grace %s", g)
	}
	a.Close()
	b, _, _, _ := uiApp(t, dir)
	s, _ = b.Settings.Get()
	if s.GraceMinutes != 45 || b.outbox.Grace() != 45*time.Minute {
		t.Errorf("after reopening: %d min, outbox %s", s.GraceMinutes, b.outbox.Grace())
	}
}

// "Reschedule to the next slot" picks the account's next free posting slot
// in the client's zone, skipping a slot another post already takes.
func TestRescheduleNextSlot(t *testing.T) {
	a, _, _, _ := uiApp(t, t.TempDir())
	c, _ := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"})
	ig, _ := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: "instagram", Handle: "@sol"})
	res, err := saveWithImage(t, a, PostInput{ClientID: c.ID, Status: "scheduled", Text: "Pan", Date: "2026-11-24", Time: "11:00", Variants: []VariantInput{{AccountID: ig.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.outbox.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	items, _ := a.Outbox.Items(OutboxQuery{States: []string{"due_manual"}})
	if len(items) != 1 {
		t.Fatalf("items %+v", items)
	}
	_, err = a.Outbox.RescheduleNextSlot(items[0].VariantID)
	wantKey(t, err, "slot.none")
	var slots []SlotView
	for d := 0; d < 5; d++ {
		slots = append(slots, SlotView{AccountID: ig.ID, Weekday: d, Time: "09:30"})
	}
	if err := a.Planning.SetSlots(ig.ID, slots); err != nil {
		t.Fatal(err)
	}
	// Wednesday 09:30 is taken by another post.
	if _, err := saveWithImage(t, a, PostInput{ClientID: c.ID, Status: "scheduled", Text: "Otro", Date: "2026-11-25", Time: "09:30", Variants: []VariantInput{{AccountID: ig.ID}}}); err != nil {
		t.Fatal(err)
	}
	local, err := a.Outbox.RescheduleNextSlot(items[0].VariantID)
	if err != nil || local != "2026-11-26T09:30" {
		t.Fatalf("next slot %q %v", local, err)
	}
	pending, _ := a.Outbox.Items(OutboxQuery{States: []string{"pending"}, ClientID: c.ID})
	found := false
	for _, it := range pending {
		if it.PostID == res.Post.ID {
			found = true
			if want := time.Date(2026, 11, 26, 8, 30, 0, 0, time.UTC); !it.Due.Equal(want) {
				t.Errorf("due %s, want %s", it.Due, want)
			}
		}
	}
	if !found {
		t.Errorf("not back in the queue: %+v", pending)
	}
}

// "Published recently" asks only for the last hours' rows.
func TestItemsRecentHours(t *testing.T) {
	a, _, _, _ := uiApp(t, t.TempDir())
	c, _ := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"})
	ig, _ := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: "instagram", Handle: "@sol"})
	for _, tm := range []string{"11:00", "09:00"} { // 10:00 and 08:00 UTC; now is 10:00 UTC
		if _, err := saveWithImage(t, a, PostInput{ClientID: c.ID, Status: "scheduled", Text: tm, Date: "2026-11-24", Time: tm, Variants: []VariantInput{{AccountID: ig.ID}}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.outbox.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	due, _ := a.Outbox.Items(OutboxQuery{States: []string{"due_manual"}})
	for _, it := range due {
		if err := a.Outbox.MarkPublished(it.VariantID, ""); err != nil {
			t.Fatal(err)
		}
	}
	all, _ := a.Outbox.Items(OutboxQuery{States: []string{"published"}})
	recent, _ := a.Outbox.Items(OutboxQuery{States: []string{"published"}, RecentHours: 1})
	if len(all) != 2 || len(recent) != 2 { // both were published just now
		t.Errorf("all %d, recent %d", len(all), len(recent))
	}
	// A post due 2 h ago and published 2 h ago is not recent; one due now is.
	a2, _, _, _ := uiApp(t, t.TempDir())
	c2, _ := a2.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"})
	ig2, _ := a2.Clients.AddAccount(AccountInput{ClientID: c2.ID, Network: "instagram", Handle: "@sol"})
	for _, tm := range []string{"11:00", "09:00"} {
		if _, err := saveWithImage(t, a2, PostInput{ClientID: c2.ID, Status: "scheduled", Text: tm, Date: "2026-11-24", Time: tm, Variants: []VariantInput{{AccountID: ig2.ID}}}); err != nil {
			t.Fatal(err)
		}
	}
	recent, _ = a2.Outbox.Items(OutboxQuery{States: []string{"pending"}, RecentHours: 1})
	if len(recent) != 1 || recent[0].Text != "11:00" {
		t.Errorf("recent pending %+v", recent)
	}
}
