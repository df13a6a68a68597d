package figimport

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/csvimport"
)

var madrid, _ = time.LoadLocation("Europe/Madrid")

func at(s string) *time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, madrid)
	if err != nil {
		panic(err)
	}
	return &t
}

func table(t *testing.T, name string) *csvimport.Table {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	tb, err := csvimport.Read(b)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func ip(n int) *int { return &n }

func igTargets() []backend.FigureTarget {
	return []backend.FigureTarget{
		// Marked published with its link, 2 minutes before the export says.
		{VariantID: 1, PostID: 11, Text: "Foto del local", URL: "https://instagram.com/p/AbC123", PublishedAt: at("2026-10-21 18:00")},
		// No link: due at 12:00, marked published an hour later.
		{VariantID: 2, PostID: 12, Text: "Historia", DueAt: at("2026-10-23 12:00"), PublishedAt: at("2026-10-23 13:10"),
			Figures: &backend.Figures{Likes: 1, Replies: 1, Reach: ip(10), Source: backend.SourceManual}},
		{VariantID: 3, PostID: 13, Text: "Otro", PublishedAt: at("2026-10-31 18:00")},
	}
}

func TestMetaInstagramExport(t *testing.T) {
	p, err := Build(table(t, "meta_instagram.csv"), backend.Instagram, igTargets(), madrid)
	if err != nil {
		t.Fatal(err)
	}
	if p.Matched != 2 || p.Unmatched != 1 || p.Invalid != 0 || len(p.Rows) != 3 {
		t.Fatalf("plan %+v", p)
	}
	r := p.Rows[0]
	if r.Line != 2 || r.VariantID != 1 || r.Match != "link" || *r.Figures.Likes != 152 || *r.Figures.Comments != 12 || *r.Figures.Shares != 4 ||
		*r.Figures.Reach != 1980 || *r.Figures.Saves != 9 {
		t.Fatalf("row 2 %+v", r)
	}
	// Its permalink is unknown to Pauta: matched by time (6 min from due).
	if r := p.Rows[1]; r.VariantID != 2 || r.Match != "time" || *r.Figures.Likes != 41 || *r.Figures.Reach != 640 {
		t.Fatalf("row 3 %+v", r)
	}
	if r := p.Rows[2]; r.Status != Unmatched || r.Issues[0].Key != "figimport.no_post" {
		t.Fatalf("row 4 %+v", r)
	}
	// Reach, not Impressions; Likes; the unknown columns read as nothing.
	read := map[string]Field{}
	for _, c := range p.Columns {
		read[c.Header] = c.Field
	}
	if read["Reach"] != FReach || read["Impressions"] != "" || read["Permalink"] != FLink || read["Publish time"] != FTime || read["Follows"] != "" || read["Date"] != "" {
		t.Fatalf("columns %v", read)
	}
	if u := p.Updates(); len(u) != 2 || u[1].VariantID != 2 {
		t.Fatalf("updates %+v", u)
	}
}

func TestLinkedInExportSkipsItsTitleLine(t *testing.T) {
	targets := []backend.FigureTarget{{VariantID: 7, Text: "Nueva carta", URL: "https://www.linkedin.com/feed/update/urn:li:activity:7111", PublishedAt: at("2026-10-20 09:00")}}
	p, err := Build(table(t, "linkedin_posts.csv"), backend.LinkedIn, targets, madrid)
	if err != nil {
		t.Fatal(err)
	}
	if p.Matched != 1 || p.Unmatched != 1 || p.Rows[0].Line != 3 {
		t.Fatalf("plan %+v", p)
	}
	f := p.Rows[0].Figures
	// LinkedIn has no reach: impressions stand for it; no saves field.
	if *f.Likes != 48 || *f.Comments != 5 || *f.Shares != 7 || *f.Reach != 1204 || f.Saves != nil {
		t.Fatalf("figures %+v", f)
	}
	// A date without a time cannot be matched to one post.
	if r := p.Rows[1]; r.Issues[0].Key != "figimport.date_only" {
		t.Fatalf("row %+v", r)
	}
}

func TestSpanishExportDayFirstAndGroupedNumbers(t *testing.T) {
	p, err := Build(table(t, "meta_es.csv"), backend.Instagram, igTargets(), madrid)
	if err != nil {
		t.Fatal(err)
	}
	r := p.Rows[0]
	if p.Matched != 1 || r.VariantID != 3 || *r.Figures.Likes != 1204 || *r.Figures.Reach != 2300 || r.Figures.Saves != nil || r.Figures.Shares != nil {
		t.Fatalf("row %+v", r)
	}
}

func TestBadValuesMarkRowsInvalid(t *testing.T) {
	p, err := Build(table(t, "bad_values.csv"), backend.Instagram, igTargets(), madrid)
	if err != nil {
		t.Fatal(err)
	}
	if p.Invalid != 2 || p.Matched != 0 {
		t.Fatalf("plan %+v", p)
	}
	if is := p.Rows[0].Issues[0]; is.Column != "Likes" || is.Key != "report.figure_negative" {
		t.Fatalf("issue %+v", is)
	}
	if is := p.Rows[1].Issues[0]; is.Column != "Likes" || is.Key != "report.figure_not_number" || is.Params["value"] != "muchos" {
		t.Fatalf("issue %+v", is)
	}
}

func TestWrongFile(t *testing.T) {
	_, err := Build(table(t, "posts_plan.csv"), backend.Instagram, igTargets(), madrid)
	if e := backend.AsError(err); e == nil || e.Key != "figimport.no_columns" {
		t.Fatalf("err %v", err)
	}
	tb := &csvimport.Table{Header: []string{"Likes", "Comments"}, Records: [][]string{{"1", "2"}}}
	if _, err := Build(tb, backend.Instagram, nil, madrid); backend.AsError(err).Key != "figimport.no_key_column" {
		t.Fatalf("err %v", err)
	}
	tb = &csvimport.Table{Header: []string{"Permalink", "Likes"}, Records: [][]string{{"", ""}}}
	if _, err := Build(tb, backend.Instagram, nil, madrid); backend.AsError(err).Key != "figimport.no_rows" {
		t.Fatalf("err %v", err)
	}
}

func TestTwoRowsForOnePostAndTies(t *testing.T) {
	tb := &csvimport.Table{Header: []string{"Publish time", "Likes"}, Records: [][]string{
		{"10/31/2026 18:01", "5"}, {"10/31/2026 18:02", "6"}, {"10/31/2026 20:00", "1"}}}
	targets := []backend.FigureTarget{{VariantID: 3, PublishedAt: at("2026-10-31 18:00")},
		{VariantID: 4, PublishedAt: at("2026-10-31 19:55")}, {VariantID: 5, DueAt: at("2026-10-31 20:05")}}
	p, err := Build(tb, backend.Instagram, targets, madrid)
	if err != nil {
		t.Fatal(err)
	}
	if p.Rows[0].Status != Matched || p.Rows[1].Issues[0].Key != "figimport.duplicate" || p.Rows[1].Issues[0].Params["line"] != "2" ||
		p.Rows[2].Issues[0].Key != "figimport.ambiguous" {
		t.Fatalf("rows %+v", p.Rows)
	}
}
