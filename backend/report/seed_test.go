package report_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/sqlite"
)

var madrid, _ = time.LoadLocation("Europe/Madrid")

func local(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, madrid)
	if err != nil {
		panic(err)
	}
	return t
}

func ip(n int) *int { return &n }

type seeded struct {
	db     *sqlite.DB
	client *backend.Client
	masto  backend.Account
	ig     backend.Account
}

// seed builds a real workspace: a client in Madrid with a connected
// Mastodon account and a manual Instagram one, posts across October 2026
// (the clocks go back on the 25th) and one in September.
func seed(t testing.TB, lang string) *seeded {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "pauta.db"), backend.FixedClock{T: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := &seeded{db: db, client: &backend.Client{Name: "Café Ñandú", Color: "#c0392b", TimeZone: "Europe/Madrid", Language: lang}}
	if err := db.CreateClient(ctx, s.client); err != nil {
		t.Fatal(err)
	}
	m := &backend.Account{ClientID: s.client.ID, Network: backend.Mastodon, Handle: "@cafe@example.social"}
	ig := &backend.Account{ClientID: s.client.ID, Network: backend.Instagram, Handle: "cafe.nandu"}
	for _, a := range []*backend.Account{m, ig} {
		if err := db.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	m.Connection, m.ServiceURL, m.RemoteID = backend.ConnConnected, "https://example.social", "1"
	if err := db.UpdateAccountConnection(ctx, m); err != nil {
		t.Fatal(err)
	}
	s.masto, s.ig = *m, *ig
	s.post(t, m, "2026-09-10 10:00", "Septiembre", &backend.PostMetrics{Likes: 20})
	s.post(t, m, "2026-10-20 10:00", "Nuevo café de temporada ☕ por 3 €", &backend.PostMetrics{Likes: 10, Replies: 2, Reposts: 3})
	s.post(t, m, "2026-10-27 10:00", "Después del cambio de hora 🕙", &backend.PostMetrics{Likes: 20, Replies: 1, Reposts: 4, Quotes: 1})
	s.post(t, m, "2026-10-22 12:00", "Sin cifras todavía", nil)
	v := s.post(t, ig, "2026-10-21 18:00", "Foto del local", nil)
	if err := db.SaveManualMetrics(ctx, v, backend.ManualFigures{Likes: ip(5), Comments: ip(1), Reach: ip(300)}); err != nil {
		t.Fatal(err)
	}
	s.post(t, ig, "2026-10-23 12:00", "Historia sin cifras", nil)
	for day, n := range map[string]int{"2026-09-30": 100, "2026-10-01": 101, "2026-10-15": 120, "2026-10-31": 150} {
		if _, err := db.SaveFollowers(ctx, backend.FollowerSnapshot{AccountID: m.ID, Day: day, Followers: n, TakenAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	err = db.SaveObjectives(ctx, &backend.Objectives{ClientID: s.client.ID, Month: "2026-10", PostsPerNetwork: map[backend.Network]int{backend.Mastodon: 4},
		Interactions: ip(40), FirstResponseMinutes: ip(60)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// post adds a published post at a Madrid wall time; figures (network) when given.
func (s *seeded) post(t testing.TB, a *backend.Account, at, text string, m *backend.PostMetrics) int64 {
	t.Helper()
	ctx := context.Background()
	when := local(at).UTC()
	p := &backend.Post{ClientID: s.client.ID, Status: backend.StatusScheduled, BaseText: text, ScheduledAt: &when, TimeZone: "Europe/Madrid",
		Variants: []backend.Variant{{AccountID: a.ID}}}
	if err := s.db.CreatePost(ctx, p); err != nil {
		t.Fatal(err)
	}
	vid := p.Variants[0].ID
	err := s.db.OutboxUpdate(ctx, vid, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
		v.State = backend.OutboxPublished
		if a.Network.Direct() {
			v.PublishedAt, v.Remote = &when, backend.RemoteRef{ID: at, URL: "https://example.social/@cafe/1"}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if m != nil {
		if err := s.db.SaveNetworkMetrics(ctx, vid, *m, when.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	return vid
}

// inbox is an InboxReader over fixed items.
type inbox []backend.InboxItem

func (in inbox) InboxItemsForReport(_ context.Context, _ int64, from, to time.Time) ([]backend.InboxItem, error) {
	var out []backend.InboxItem
	for _, it := range in {
		if !it.ArrivedAt.Before(from) && it.ArrivedAt.Before(to) {
			out = append(out, it)
		}
	}
	return out, nil
}

func tp(t time.Time) *time.Time { return &t }

func (s *seeded) inbox() inbox {
	item := func(kind backend.InboxKind, at string, reply time.Duration, tags []string, pinned bool, alert []string, text string) backend.InboxItem {
		arr := local(at).UTC()
		it := backend.InboxItem{AccountID: s.masto.ID, ClientID: s.client.ID, ArrivedAt: arr, Tags: tags, Pinned: pinned, Alert: alert,
			Notification: backend.Notification{Kind: kind, Author: backend.RemoteAuthor{Handle: "ana@example.social", Name: "Ana"},
				Subject: &backend.RemotePost{Text: text}}}
		if reply > 0 {
			it.FirstReplyAt = tp(arr.Add(reply))
		}
		return it
	}
	return inbox{
		item(backend.KindReply, "2026-10-20 11:00", 30*time.Minute, []string{"question"}, false, nil, "¿Abrís el domingo?"),
		item(backend.KindMention, "2026-10-21 09:00", 90*time.Minute, []string{"praise"}, true, nil, "El mejor café de la ciudad"),
		item(backend.KindMention, "2026-10-22 09:00", 0, []string{"complaint"}, false, []string{"estafa"}, "Esto es una estafa"),
		item(backend.KindLike, "2026-10-22 10:00", 0, nil, false, nil, ""),
		item(backend.KindReply, "2026-09-20 10:00", time.Minute, nil, false, nil, "fuera del periodo"),
	}
}
