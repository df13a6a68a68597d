package demo_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/demo"
	"pauta/backend/report"
	"pauta/backend/sqlite"
)

func TestHistoryFillsTheReport(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "pauta.db"), backend.FixedClock{T: now})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := demo.Seed(ctx, db, backend.FixedClock{T: now})
	if err != nil {
		t.Fatal(err)
	}
	n, err := demo.SeedHistory(ctx, db, backend.FixedClock{T: now}, r.Clients)
	if err != nil || n < 150 {
		t.Fatalf("%d history posts, %v", n, err)
	}
	for _, name := range r.Clients {
		c, _ := db.FindClientByName(ctx, name)
		loc, _ := backend.LoadZone(c.TimeZone)
		for _, month := range []string{"2026-09", "2026-10"} {
			p, _ := report.MonthPeriod(month, loc)
			rep, err := report.Load(ctx, db, nil, c, p)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range rep.Totals {
				if m.Value == nil || *m.Value <= 0 {
					t.Errorf("%s %s: %s is %v (%s)", name, month, m.Key, m.Value, m.Reason)
				}
			}
			if len(rep.Top) != 5 || rep.Best == nil || len(rep.Followers) != 2 || len(rep.Objectives) < 3 {
				t.Errorf("%s %s: top %d best %v followers %d objectives %d", name, month, len(rep.Top), rep.Best, len(rep.Followers), len(rep.Objectives))
			}
		}
	}
}
