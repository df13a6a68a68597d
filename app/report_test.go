package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pauta/backend"
	"pauta/backend/keychain"
)

type folderRec struct{ opened []string }

func (f *folderRec) OpenFolder(p string) error { f.opened = append(f.opened, p); return nil }

func TestReportServiceThroughTheDemo(t *testing.T) {
	a, rec := newApp(t)
	r, err := a.Settings.CreateDemo()
	if err != nil || r.History < 150 {
		t.Fatalf("demo %+v %v", r, err)
	}
	ctx, cancel := a.call()
	defer cancel()
	c, err := a.store.FindClientByName(ctx, "Panadería Sol")
	if err != nil {
		t.Fatal(err)
	}
	folders := &folderRec{}
	a.Report.opener = folders

	v, err := a.Report.Get(ReportQuery{ClientID: c.ID, Month: "2026-10"})
	if err != nil || v.Lang != "es" || len(v.Report.Posts) == 0 || v.Report.Totals[1].Value == nil {
		t.Fatalf("report %+v %v", v, err)
	}
	_, err = a.Report.Get(ReportQuery{ClientID: c.ID, From: "2026-10-20", To: "2026-10-01"})
	wantKey(t, err, "report.period_invalid")

	// The summary and plan are kept per period.
	if err := a.Report.SaveText(backend.ReportText{ClientID: c.ID, From: "2026-10-01", To: "2026-11-01", Summary: "Buen mes", Plan: "Más vídeo"}); err != nil {
		t.Fatal(err)
	}
	v, _ = a.Report.Get(ReportQuery{ClientID: c.ID, Month: "2026-10"})
	if v.Report.Text.Summary != "Buen mes" || v.Report.Text.Plan != "Más vídeo" {
		t.Fatalf("text %+v", v.Report.Text)
	}

	// Objectives as typed: text refused, thousands accepted.
	err = a.Report.SaveObjectives(ObjectivesInput{ClientID: c.ID, Month: "2026-10", Interactions: "mucho"})
	wantKey(t, err, "report.figure_not_number")
	if err := a.Report.SaveObjectives(ObjectivesInput{ClientID: c.ID, Month: "2026-10", Interactions: "1.500", PostsPerNetwork: map[string]string{"instagram": "12"}}); err != nil {
		t.Fatal(err)
	}
	o, _ := a.Report.Objectives(c.ID, "2026-10")
	if *o.Interactions != 1500 || o.PostsPerNetwork[backend.Instagram] != 12 || o.FollowersGained != nil {
		t.Fatalf("objectives %+v", o)
	}

	// Figures typed by hand for a published manual post.
	var postID, variantID int64
	for _, p := range v.Report.Posts {
		if p.Network == backend.Instagram {
			postID, variantID = p.PostID, p.VariantID
			break
		}
	}
	mv, err := a.Report.ManualFigures(postID)
	if err != nil || len(mv) != 1 || !mv[0].Published || mv[0].Fields[0] != "likes" {
		t.Fatalf("manual variants %+v %v", mv, err)
	}
	wantKey(t, a.Report.SaveManualFigures(variantID, ManualInput{Likes: "doce"}), "report.figure_not_number")
	wantKey(t, a.Report.SaveManualFigures(variantID, ManualInput{Likes: "-3"}), "report.figure_negative")
	if err := a.Report.SaveManualFigures(variantID, ManualInput{Likes: "77", Comments: "4", Reach: "2 100"}); err != nil {
		t.Fatal(err)
	}
	mv, _ = a.Report.ManualFigures(postID)
	if f := mv[0].Figures; f.Likes != 77 || f.Replies != 4 || *f.Reach != 2100 || f.Source != backend.SourceManual || f.Saves != nil {
		t.Fatalf("figures %+v", f)
	}
	if !strings.Contains(strings.Join(rec.events, " "), EventMetricsChanged) {
		t.Fatal("no metrics:changed event")
	}

	// Exports land in the workspace's reports folder, atomically, and open it when asked.
	if err := a.Report.SetAuthor("Lucía Pérez"); err != nil {
		t.Fatal(err)
	}
	pdf, err := a.Report.ExportPDF(ExportRequest{Query: ReportQuery{ClientID: c.ID, Month: "2026-10"}, OpenFolder: true})
	if err != nil || filepath.Base(pdf) != "Panadería Sol 2026-10.pdf" {
		t.Fatalf("pdf %q %v", pdf, err)
	}
	if b, err := os.ReadFile(pdf); err != nil || !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatalf("not a PDF: %v", err)
	}
	csvPath, err := a.Report.ExportCSV(ExportRequest{Query: ReportQuery{ClientID: c.ID, From: "2026-10-01", To: "2026-10-15"}, Separator: ","})
	if err != nil || filepath.Base(csvPath) != "Panadería Sol 2026-10-01_2026-10-15.csv" {
		t.Fatalf("csv %q %v", csvPath, err)
	}
	if b, _ := os.ReadFile(csvPath); strings.HasPrefix(string(b), "\ufeff") || !strings.Contains(string(b), "fecha,hora,red") {
		t.Fatalf("csv head %q", string(b)[:40])
	}
	_, err = a.Report.ExportCSV(ExportRequest{Query: ReportQuery{ClientID: c.ID, Month: "2026-10"}, Separator: "|"})
	wantKey(t, err, "report.separator_invalid")
	if len(folders.opened) != 1 || folders.opened[0] != a.Report.Folder() {
		t.Fatalf("opened %v", folders.opened)
	}
}

func TestMetricsFetcherPerNetwork(t *testing.T) {
	a, _ := newApp(t)
	ctx, cancel := a.call()
	defer cancel()
	c := &backend.Client{Name: "Fetch", TimeZone: "Europe/Madrid", Language: "es"}
	if err := a.store.CreateClient(ctx, c); err != nil {
		t.Fatal(err)
	}
	mk := func(n backend.Network, handle, service, remote string, connected bool) backend.Account {
		acc := &backend.Account{ClientID: c.ID, Network: n, Handle: handle}
		if err := a.store.CreateAccount(ctx, acc); err != nil {
			t.Fatal(err)
		}
		if connected {
			acc.Connection, acc.ServiceURL, acc.RemoteID = backend.ConnConnected, service, remote
			if err := a.store.UpdateAccountConnection(ctx, acc); err != nil {
				t.Fatal(err)
			}
		}
		return *acc
	}
	masto := mk(backend.Mastodon, "@sol@example.social", "https://example.social", "1", true)
	if err := a.vault.Store(ctx, masto, keychain.KindToken, "tok"); err != nil {
		t.Fatal(err)
	}
	bsky := mk(backend.Bluesky, "sol.bsky.social", "https://bsky.social", "did:plc:abc", true)
	ig := mk(backend.Instagram, "sol.ig", "", "", false)
	for _, c := range []struct {
		acc  backend.Account
		want bool
	}{{masto, true}, {bsky, true}, {ig, false}} {
		f, err := a.metricsFetcher(ctx, c.acc)
		if err != nil || (f != nil) != c.want {
			t.Errorf("%s: fetcher %v, %v", c.acc.Network, f, err)
		}
	}
}
