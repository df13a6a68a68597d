package app

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pauta/backend"
)

// figuresEnv is a client with an Instagram and a Facebook account (figures
// entered by hand) and a Mastodon one, in a real workspace.
type figuresEnv struct {
	a      *App
	client *backend.Client
	ig, fb backend.Account
	madrid *time.Location
}

func newFiguresEnv(t *testing.T) *figuresEnv {
	a, _ := newApp(t)
	ctx := context.Background()
	e := &figuresEnv{a: a, client: &backend.Client{Name: "Café Ñandú", TimeZone: "Europe/Madrid", Language: "es"}}
	e.madrid, _ = time.LoadLocation("Europe/Madrid")
	if err := a.store.CreateClient(ctx, e.client); err != nil {
		t.Fatal(err)
	}
	for _, acc := range []*backend.Account{{Network: backend.Instagram, Handle: "cafe.nandu"}, {Network: backend.Facebook, Handle: "Café Ñandú"},
		{Network: backend.Mastodon, Handle: "@cafe@example.social"}} {
		acc.ClientID = e.client.ID
		if err := a.store.CreateAccount(ctx, acc); err != nil {
			t.Fatal(err)
		}
		switch acc.Network {
		case backend.Instagram:
			e.ig = *acc
		case backend.Facebook:
			e.fb = *acc
		}
	}
	return e
}

// published adds a post due at a Madrid wall time, marked published at
// marked (nil: when due) with link url.
func (e *figuresEnv) published(t *testing.T, acc backend.Account, due string, marked *time.Time, text, url string) (postID, variantID int64) {
	t.Helper()
	ctx := context.Background()
	when, err := time.ParseInLocation("2006-01-02 15:04", due, e.madrid)
	if err != nil {
		t.Fatal(err)
	}
	when = when.UTC()
	p := &backend.Post{ClientID: e.client.ID, Status: backend.StatusScheduled, BaseText: text, ScheduledAt: &when, TimeZone: "Europe/Madrid",
		Variants: []backend.Variant{{AccountID: acc.ID}}}
	if err := e.a.store.CreatePost(ctx, p); err != nil {
		t.Fatal(err)
	}
	if marked == nil {
		marked = &when
	}
	err = e.a.store.OutboxUpdate(ctx, p.Variants[0].ID, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
		v.State, v.PublishedAt, v.Remote = backend.OutboxPublished, marked, backend.RemoteRef{URL: url}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return p.ID, p.Variants[0].ID
}

func figFixture(t *testing.T, name string) string {
	p, err := filepath.Abs(filepath.Join("..", "backend", "figimport", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportFiguresFromMetaExport(t *testing.T) {
	e := newFiguresEnv(t)
	a := e.a
	ctx := context.Background()
	later := time.Date(2026, 10, 23, 13, 10, 0, 0, e.madrid)
	_, v1 := e.published(t, e.ig, "2026-10-21 18:00", nil, "Foto del local", "https://instagram.com/p/AbC123/")
	_, v2 := e.published(t, e.ig, "2026-10-23 12:00", &later, "Historia", "")
	// A Facebook post at the same time as the Instagram one: not this file's.
	_, vfb := e.published(t, e.fb, "2026-10-23 12:00", nil, "Historia en Facebook", "")
	if err := a.store.SaveManualMetrics(ctx, v2, backend.ManualFigures{Likes: figIP(1), Reach: figIP(10), Saves: figIP(1)}); err != nil {
		t.Fatal(err)
	}

	pv, err := a.Report.PreviewFigures(FiguresImportRequest{ClientID: e.client.ID, Path: figFixture(t, "meta_instagram.csv")})
	if err != nil {
		t.Fatal(err)
	}
	if pv.AccountID != e.ig.ID || len(pv.Accounts) != 2 || pv.Plan.Matched != 2 || pv.Plan.Unmatched != 1 || pv.FileName != "meta_instagram.csv" {
		t.Fatalf("preview %+v %+v", pv, pv.Plan)
	}
	// The dry run wrote nothing.
	if f := figuresOf(t, a, e.client.ID, v1); f != nil {
		t.Fatalf("figures before applying: %+v", f)
	}
	// The file changed since the preview: nothing is written.
	_, err = a.Report.ImportFigures(FiguresImportRequest{ClientID: e.client.ID, AccountID: e.ig.ID, Path: figFixture(t, "meta_instagram.csv"), Expect: 3})
	wantKey(t, err, "figimport.file_changed")

	n, err := a.Report.ImportFigures(FiguresImportRequest{ClientID: e.client.ID, AccountID: e.ig.ID, Path: figFixture(t, "meta_instagram.csv"), Expect: 2})
	if err != nil || n != 2 {
		t.Fatalf("import %d %v", n, err)
	}
	f := figuresOf(t, a, e.client.ID, v1)
	if f == nil || f.Likes != 152 || f.Replies != 12 || f.Reposts != 4 || *f.Reach != 1980 || *f.Saves != 9 || f.Source != backend.SourceManual {
		t.Fatalf("figures %+v", f)
	}
	if f := figuresOf(t, a, e.client.ID, v2); f.Likes != 41 || *f.Reach != 640 || *f.Saves != 2 {
		t.Fatalf("figures of the post matched by time %+v", f)
	}
	if f := figuresOf(t, a, e.client.ID, vfb); f != nil {
		t.Fatalf("the Facebook post got figures %+v", f)
	}
	// The report shows them as entered by hand.
	v, err := a.Report.Get(ReportQuery{ClientID: e.client.ID, Month: "2026-10"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, nw := range v.Report.Networks {
		if nw.Network == backend.Instagram {
			found = nw.Manual && nw.Likes == 193
		}
	}
	if !found {
		t.Fatalf("networks %+v", v.Report.Networks)
	}
}

func TestImportFiguresBadInputWritesNothing(t *testing.T) {
	e := newFiguresEnv(t)
	a := e.a
	_, v1 := e.published(t, e.ig, "2026-10-21 18:00", nil, "Foto del local", "https://instagram.com/p/AbC123/")
	req := func(name string) FiguresImportRequest {
		return FiguresImportRequest{ClientID: e.client.ID, AccountID: e.ig.ID, Path: figFixture(t, name)}
	}
	// Negative numbers and text: the preview says which rows, applying refuses.
	pv, err := a.Report.PreviewFigures(req("bad_values.csv"))
	if err != nil || pv.Plan.Invalid != 2 {
		t.Fatalf("preview %+v %v", pv.Plan, err)
	}
	_, err = a.Report.ImportFigures(req("bad_values.csv"))
	if e := wantKey(t, err, "figimport.invalid_rows"); e.Params["count"] != "2" {
		t.Fatalf("params %v", e.Params)
	}
	// Another kind of file.
	_, err = a.Report.PreviewFigures(req("posts_plan.csv"))
	wantKey(t, err, "figimport.no_columns")
	// No row is one of this account's posts.
	_, err = a.Report.ImportFigures(req("linkedin_posts.csv"))
	wantKey(t, err, "figimport.no_matches")
	// A workbook, a missing file, an account of another kind.
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "insights.xlsx")
	os.WriteFile(xlsx, []byte("PK\x03\x04rest"), 0o600)
	_, err = a.Report.PreviewFigures(FiguresImportRequest{ClientID: e.client.ID, Path: xlsx})
	wantKey(t, err, "csv.is_xlsx")
	_, err = a.Report.PreviewFigures(FiguresImportRequest{ClientID: e.client.ID, Path: filepath.Join(dir, "nope.csv")})
	wantKey(t, err, "csv.file_missing")
	_, err = a.Report.PreviewFigures(FiguresImportRequest{ClientID: e.client.ID, AccountID: 999, Path: figFixture(t, "meta_instagram.csv")})
	wantKey(t, err, "figimport.account_invalid")
	// The store writes all or nothing: a missing post refuses the lot.
	err = a.store.SaveManualMetricsAll(context.Background(), []backend.ManualUpdate{{VariantID: v1, Figures: backend.ManualFigures{Likes: figIP(3)}},
		{VariantID: 99999, Figures: backend.ManualFigures{Likes: figIP(4)}}})
	wantKey(t, err, "report.variant_not_found")
	if f := figuresOf(t, a, e.client.ID, v1); f != nil {
		t.Fatalf("figures written: %+v", f)
	}
}

func figuresOf(t *testing.T, a *App, clientID, variantID int64) *backend.Figures {
	t.Helper()
	ctx := context.Background()
	list, err := a.store.ReportPosts(ctx, clientID, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range list {
		if r.VariantID == variantID {
			return r.Figures
		}
	}
	t.Fatalf("variant %d not in the report", variantID)
	return nil
}

// The report's PDF shows the top posts' first images, rendered from the
// library; a post whose image file is gone gets none, and the export works.
func TestReportPDFThumbnailsFromTheLibrary(t *testing.T) {
	if _, err := exec.LookPath("pdfimages"); err != nil {
		t.Fatal("pdfimages is missing: install poppler-utils")
	}
	e := newFiguresEnv(t)
	a := e.a
	ctx := context.Background()
	rep, err := a.Media.Import(e.client.ID, []string{write(t, "a.jpg", photoJPEG(900, 600, 1)), write(t, "b.jpg", photoJPEG(600, 900, 2))})
	if err != nil || rep.Imported != 2 {
		t.Fatalf("import %+v %v", rep, err)
	}
	for i, text := range []string{"Con foto", "Con foto perdida"} {
		post, v := e.published(t, e.ig, "2026-10-2"+string(rune('1'+i))+" 18:00", nil, text, "")
		if err := a.store.SetPostMedia(ctx, post, []backend.PostMedia{{PostID: post, MediaID: rep.Results[i].Media.ID}}); err != nil {
			t.Fatal(err)
		}
		if err := a.store.SaveManualMetrics(ctx, v, backend.ManualFigures{Likes: figIP(10 + i)}); err != nil {
			t.Fatal(err)
		}
	}
	m, _ := a.store.GetMedia(ctx, rep.Results[1].Media.ID)
	lost, _ := a.Media.filePath(m.Hash, m.Format)
	if err := os.Remove(lost); err != nil {
		t.Fatal(err)
	}
	pdf, err := a.Report.ExportPDF(ExportRequest{Query: ReportQuery{ClientID: e.client.ID, Month: "2026-10"}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdfimages", "-list", pdf).Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")[2:]
	if len(lines) != 1 || !strings.Contains(lines[0], "jpeg") || !strings.Contains(lines[0], " 120 ") {
		t.Fatalf("images in the PDF:\n%s", out)
	}
}

func figIP(n int) *int { return &n }

func TestReportExportRefusesASecondAtOnce(t *testing.T) {
	e := newFiguresEnv(t)
	e.a.Report.exporting.Lock() // an export running
	_, err := e.a.Report.ExportCSV(ExportRequest{Query: ReportQuery{ClientID: e.client.ID, Month: "2026-10"}})
	wantKey(t, err, "report.export_running")
	e.a.Report.exporting.Unlock()
	if _, err := e.a.Report.ExportCSV(ExportRequest{Query: ReportQuery{ClientID: e.client.ID, Month: "2026-10"}}); err != nil {
		t.Fatal(err)
	}
}
