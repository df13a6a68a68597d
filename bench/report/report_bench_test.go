// Package report_bench measures the monthly report on a busy client: 1,000
// posts published in a month on four accounts, with figures, and 90 days of
// follower counts. Goals: the report model under 150 ms, the PDF under 1 s,
// the CSV of 10,000 posts under 300 ms.
//
//	go test -run '^$' -bench . -benchmem ./bench/report/
package report_bench

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/report"
	"pauta/backend/sqlite"
)

var (
	once   sync.Once
	db     *sqlite.DB
	client *backend.Client
	period report.Period
	seeded error
)

func setup(b *testing.B) {
	once.Do(func() {
		ctx := context.Background()
		dir, _ := filepath.Abs(b.TempDir())
		db, seeded = sqlite.Open(ctx, filepath.Join(dir, "pauta.db"), backend.FixedClock{T: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)})
		if seeded != nil {
			return
		}
		client = &backend.Client{Name: "Panadería Bench", TimeZone: "Europe/Madrid", Language: "es"}
		if seeded = db.CreateClient(ctx, client); seeded != nil {
			return
		}
		var accs []backend.Account
		for _, n := range []backend.Network{backend.Mastodon, backend.Bluesky, backend.Instagram, backend.LinkedIn} {
			a := backend.Account{ClientID: client.ID, Network: n, Handle: "bench-" + string(n)}
			if seeded = db.CreateAccount(ctx, &a); seeded != nil {
				return
			}
			accs = append(accs, a)
		}
		loc, _ := time.LoadLocation("Europe/Madrid")
		period, _ = report.MonthPeriod("2026-10", loc)
		for i := 0; i < 1000; i++ {
			a := accs[i%len(accs)]
			at := period.From.Add(time.Duration(i) * 44 * time.Minute)
			p := backend.Post{ClientID: client.ID, Status: backend.StatusPublished, ScheduledAt: &at, TimeZone: "Europe/Madrid",
				BaseText: fmt.Sprintf("Post %d: pan de masa madre recién hecho, ven temprano 🥖 #Marca", i), Variants: []backend.Variant{{AccountID: a.ID}}}
			if seeded = db.CreatePost(ctx, &p); seeded != nil {
				return
			}
			v := p.Variants[0].ID
			if a.Network.Direct() {
				seeded = db.SaveNetworkMetrics(ctx, v, backend.PostMetrics{Likes: i % 97, Replies: i % 7, Reposts: i % 13}, at.Add(time.Hour))
			} else {
				l, c, r := i%89, i%5, i*3
				seeded = db.SaveManualMetrics(ctx, v, backend.ManualFigures{Likes: &l, Comments: &c, Reach: &r})
			}
			if seeded != nil {
				return
			}
		}
		for _, a := range accs {
			for d := 0; d < 90; d++ {
				day := time.Date(2026, 8, 5, 12, 0, 0, 0, loc).AddDate(0, 0, d)
				if _, seeded = db.SaveFollowers(ctx, backend.FollowerSnapshot{AccountID: a.ID, Day: day.Format("2006-01-02"), Followers: 1000 + d*3, TakenAt: day}); seeded != nil {
					return
				}
			}
		}
	})
	if seeded != nil {
		b.Fatal(seeded)
	}
}

func load(b *testing.B) *report.Report {
	r, err := report.Load(context.Background(), db, nil, client, period)
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// BenchmarkModel is the report screen's work in Go: two periods read from
// SQLite and the model computed (goal: under 150 ms).
func BenchmarkModel(b *testing.B) {
	setup(b)
	var r *report.Report
	for b.Loop() {
		r = load(b)
	}
	if len(r.Posts) != 1000 {
		b.Fatalf("%d posts", len(r.Posts))
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/report")
}

// BenchmarkPDF renders the month's PDF (goal: under 1 s).
func BenchmarkPDF(b *testing.B) {
	setup(b)
	r := load(b)
	r.Text.Summary = "Un mes con 1.000 publicaciones."
	for b.Loop() {
		if err := report.RenderPDF(io.Discard, r, report.PDFOptions{Author: "Bench"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/pdf")
}

// BenchmarkCSV10k writes 10,000 posts as CSV (goal: under 300 ms).
func BenchmarkCSV10k(b *testing.B) {
	setup(b)
	r := load(b)
	rows := make([]report.PostRow, 0, 10000)
	for len(rows) < 10000 {
		rows = append(rows, r.Posts...)
	}
	rows = rows[:10000]
	for b.Loop() {
		if err := report.RenderCSV(io.Discard, "es", rows, report.CSVOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/csv")
}
