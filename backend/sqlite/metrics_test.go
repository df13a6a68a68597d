package sqlite_test

import (
	"testing"
	"time"

	"pauta/backend"
)

func ip(n int) *int { return &n }

func TestMetricsStoreRoundTrip(t *testing.T) {
	f := obSetup(t)
	ig := &backend.Account{ClientID: f.client.ID, Network: backend.Instagram, Handle: "sol.ig"}
	if err := f.db.CreateAccount(f.ctx, ig); err != nil {
		t.Fatal(err)
	}
	acc := f.acc
	acc.Connection, acc.ServiceURL, acc.RemoteID = backend.ConnConnected, "https://example.social", "1"
	if err := f.db.UpdateAccountConnection(f.ctx, &acc); err != nil {
		t.Fatal(err)
	}
	pub := obNow.Add(-3 * time.Hour)
	p := f.post(backend.StatusScheduled, tp(pub), "hola 🌞", acc, *ig)
	mv, iv := p.Variants[0].ID, p.Variants[1].ID
	f.set(mv, func(v *backend.VariantPublish, _ *backend.AccountOutbox) {
		v.State, v.PublishedAt, v.Remote = backend.OutboxPublished, tp(pub), backend.RemoteRef{ID: "109", URL: "https://example.social/@sol/109"}
	})

	// Manual figures are refused before the post is published, and on Mastodon.
	wantKey(t, f.db.SaveManualMetrics(f.ctx, iv, backend.ManualFigures{Likes: ip(3)}), backend.EInvalid, "report.not_published")
	f.set(iv, func(v *backend.VariantPublish, _ *backend.AccountOutbox) { v.State = backend.OutboxPublished })
	wantKey(t, f.db.SaveManualMetrics(f.ctx, mv, backend.ManualFigures{Likes: ip(3)}), backend.EInvalid, "report.figures_fetched")
	wantKey(t, f.db.SaveManualMetrics(f.ctx, iv, backend.ManualFigures{Likes: ip(-1)}), backend.EInvalid, "report.figure_negative")
	if err := f.db.SaveManualMetrics(f.ctx, iv, backend.ManualFigures{Likes: ip(40), Comments: ip(5), Reach: ip(900), Saves: ip(2)}); err != nil {
		t.Fatal(err)
	}

	targets, err := f.db.MetricsTargets(f.ctx, obNow.Add(-30*24*time.Hour))
	if err != nil || len(targets) != 1 || targets[0].VariantID != mv || targets[0].Ref.ID != "109" || targets[0].FetchedAt != nil || !targets[0].PublishedAt.Equal(pub) {
		t.Fatalf("targets %+v %v", targets, err)
	}
	if err := f.db.SaveNetworkMetrics(f.ctx, mv, backend.PostMetrics{Replies: 1, Reposts: 2, Likes: 7, Quotes: 1}, obNow); err != nil {
		t.Fatal(err)
	}
	// A fetch never overwrites manual figures.
	if err := f.db.SaveNetworkMetrics(f.ctx, iv, backend.PostMetrics{Likes: 1}, obNow); err != nil {
		t.Fatal(err)
	}
	posts, err := f.db.ReportPosts(f.ctx, f.client.ID, obNow.Add(-24*time.Hour), obNow)
	if err != nil || len(posts) != 2 {
		t.Fatalf("posts %+v %v", posts, err)
	}
	byNet := map[backend.Network]backend.ReportPost{}
	for _, r := range posts {
		byNet[r.Network] = r
	}
	if m := byNet[backend.Mastodon].Figures; m == nil || m.Interactions() != 11 || m.Source != backend.SourceNetwork || byNet[backend.Mastodon].Text != "hola 🌞" {
		t.Fatalf("mastodon figures %+v", m)
	}
	if g := byNet[backend.Instagram].Figures; g == nil || g.Likes != 40 || g.Replies != 5 || *g.Reach != 900 || g.Interactions() != 47 || g.Source != backend.SourceManual {
		t.Fatalf("manual figures %+v", g)
	}
	// A deleted status keeps its last figures, marked deleted.
	if err := f.db.SaveNetworkMetrics(f.ctx, mv, backend.PostMetrics{Deleted: true}, obNow.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	posts, _ = f.db.ReportPosts(f.ctx, f.client.ID, obNow.Add(-24*time.Hour), obNow)
	if m := posts[0].Figures; !m.Deleted || m.Likes != 7 {
		t.Fatalf("deleted %+v", m)
	}

	// One follower snapshot per account and day: the first wins.
	for i, n := range []int{100, 120} {
		wrote, err := f.db.SaveFollowers(f.ctx, backend.FollowerSnapshot{AccountID: acc.ID, Day: "2026-11-24", Followers: n, TakenAt: obNow})
		if err != nil || wrote != (i == 0) {
			t.Fatalf("snapshot %d: %v %v", i, wrote, err)
		}
	}
	if has, _ := f.db.HasFollowers(f.ctx, acc.ID, "2026-11-24"); !has {
		t.Fatal("no snapshot")
	}
	snaps, err := f.db.Followers(f.ctx, f.client.ID, "2026-11-01", "2026-11-30")
	if err != nil || len(snaps) != 1 || snaps[0].Followers != 100 {
		t.Fatalf("snaps %+v %v", snaps, err)
	}

	o := &backend.Objectives{ClientID: f.client.ID, Month: "2026-11", PostsPerNetwork: map[backend.Network]int{backend.Mastodon: 12}, Interactions: ip(300)}
	if err := f.db.SaveObjectives(f.ctx, o); err != nil {
		t.Fatal(err)
	}
	wantKey(t, f.db.SaveObjectives(f.ctx, &backend.Objectives{ClientID: f.client.ID, Month: "2026-13"}), backend.EInvalid, "report.month_invalid")
	wantKey(t, f.db.SaveObjectives(f.ctx, &backend.Objectives{ClientID: f.client.ID, Month: "2026-12", Interactions: ip(-5)}), backend.EInvalid, "report.figure_negative")
	got, err := f.db.GetObjectives(f.ctx, f.client.ID, "2026-11")
	if err != nil || got.PostsPerNetwork[backend.Mastodon] != 12 || *got.Interactions != 300 || got.FollowersGained != nil {
		t.Fatalf("objectives %+v %v", got, err)
	}

	txt := &backend.ReportText{ClientID: f.client.ID, From: "2026-11-01", To: "2026-12-01", Summary: "Buen mes, €", Plan: "Más vídeo"}
	if err := f.db.SaveReportText(f.ctx, txt); err != nil {
		t.Fatal(err)
	}
	wantKey(t, f.db.SaveReportText(f.ctx, &backend.ReportText{ClientID: f.client.ID, From: "2026-12-01", To: "2026-11-01"}), backend.EInvalid, "report.period_invalid")
	back, err := f.db.GetReportText(f.ctx, f.client.ID, "2026-11-01", "2026-12-01")
	if err != nil || back.Summary != "Buen mes, €" || back.Plan != "Más vídeo" {
		t.Fatalf("text %+v %v", back, err)
	}
}
