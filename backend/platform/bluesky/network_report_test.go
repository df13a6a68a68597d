package bluesky_test

import (
	"context"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/metrics"
	"pauta/backend/platform/bluesky"
	"pauta/backend/report"
	"pauta/backend/sqlite"
)

type alwaysOnline struct{}

func (alwaysOnline) Online(context.Context, string) bool { return true }

// reportFromNetwork runs Pauta's own path on the real network's figures:
// the post published on the PDS is a published post of a client in a real
// workspace file, the metrics collector reads its figures and the
// account's followers through c, and the client's monthly report counts
// them (issue #15: likes, reposts and a follow by another account appear
// in the report).
func reportFromNetwork(t *testing.T, ctx context.Context, c *bluesky.Client, pds string, acct backend.Account, post backend.RemoteRef,
	want backend.PostMetrics, followers int) {
	t.Helper()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "pauta.db"), backend.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cl := &backend.Client{Name: "Tienda", TimeZone: "Europe/Madrid", Language: "es"}
	if err := db.CreateClient(ctx, cl); err != nil {
		t.Fatal(err)
	}
	acc := &backend.Account{ClientID: cl.ID, Network: backend.Bluesky, Handle: acct.Handle}
	if err := db.CreateAccount(ctx, acc); err != nil {
		t.Fatal(err)
	}
	acc.Connection, acc.ServiceURL, acc.RemoteID = backend.ConnConnected, pds, acct.RemoteID
	if err := db.UpdateAccountConnection(ctx, acc); err != nil {
		t.Fatal(err)
	}
	pub := time.Now().Add(-time.Minute)
	p := &backend.Post{ClientID: cl.ID, Status: backend.StatusScheduled, BaseText: "Nuevo horario de la tienda", ScheduledAt: &pub, TimeZone: cl.TimeZone,
		Variants: []backend.Variant{{AccountID: acc.ID}}}
	if err := db.CreatePost(ctx, p); err != nil {
		t.Fatal(err)
	}
	err = db.OutboxUpdate(ctx, p.Variants[0].ID, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
		v.State, v.PublishedAt, v.Remote = backend.OutboxPublished, &pub, post
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	fetch := func(_ context.Context, a backend.Account) (backend.MetricsFetcher, error) {
		if a.Network != backend.Bluesky {
			return nil, nil
		}
		return c, nil
	}
	host := func(a backend.Account) string { u, _ := url.Parse(a.ServiceURL); return u.Host }
	if _, err := metrics.New(db, fetch, backend.SystemClock{}, alwaysOnline{}, host, nil).Pass(ctx); err != nil {
		t.Fatal(err)
	}

	loc, _ := time.LoadLocation(cl.TimeZone)
	period, err := report.MonthPeriod(pub.In(loc).Format("2006-01"), loc)
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Load(ctx, db, db, cl, period)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Posts) != 1 || r.Posts[0].Figures == nil {
		t.Fatalf("report posts %+v", r.Posts)
	}
	f := r.Posts[0].Figures
	if f.Replies != want.Replies || f.Reposts != want.Reposts || f.Likes != want.Likes || f.Quotes != want.Quotes {
		t.Fatalf("report figures %+v, the network said %+v", *f, want)
	}
	sum := want.Replies + want.Reposts + want.Likes + want.Quotes
	if r.Posts[0].Interactions != sum || len(r.Networks) != 1 || r.Networks[0].Network != backend.Bluesky || r.Networks[0].Likes != want.Likes ||
		r.Networks[0].Reposts != want.Reposts || r.Networks[0].Interactions != sum {
		t.Fatalf("report rows: post %+v networks %+v", r.Posts[0], r.Networks)
	}
	var total *float64
	for _, m := range r.Totals {
		if m.Key == "interactions" {
			total = m.Value
		}
	}
	if total == nil || int(*total) != sum {
		t.Fatalf("report totals %+v", r.Totals)
	}
	if len(r.Followers) != 1 || len(r.Followers[0].Points) != 1 || r.Followers[0].Points[0].Followers != followers {
		t.Fatalf("report followers %+v", r.Followers)
	}
}
