package report_test

import (
	"context"
	"math"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/report"
)

func load(t *testing.T, s *seeded, month string, in backend.InboxReader) *report.Report {
	t.Helper()
	p, err := report.MonthPeriod(month, madrid)
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Load(context.Background(), s.db, in, s.client, p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func measure(r *report.Report, key string) report.Measure {
	for _, m := range r.Totals {
		if m.Key == key {
			return m
		}
	}
	return report.Measure{}
}

func near(p *float64, want float64) bool { return p != nil && math.Abs(*p-want) < 0.01 }

func TestReportFromSeededStore(t *testing.T) {
	s := seed(t, "es")
	r := load(t, s, "2026-10", s.inbox())

	if r.Period.FromDay != "2026-10-01" || r.Period.ToDay != "2026-11-01" || r.Previous.FromDay != "2026-09-01" || r.Previous.ToDay != "2026-10-01" {
		t.Fatalf("periods %+v %+v", r.Period, r.Previous)
	}
	// Oct 1 00:00 Madrid is Sep 30 22:00 UTC (summer time).
	if !r.Period.From.Equal(time.Date(2026, 9, 30, 22, 0, 0, 0, time.UTC)) || !r.Period.To.Equal(time.Date(2026, 10, 31, 23, 0, 0, 0, time.UTC)) {
		t.Fatalf("instants %v %v", r.Period.From, r.Period.To)
	}
	cases := []struct {
		key         string
		value, prev float64
		change      float64
		noChange    bool
		missing     bool
		missingWhy  string
	}{
		{key: "posts", value: 5, prev: 1, change: 400},
		{key: "interactions", value: 47, prev: 20, change: 135},
		{key: "engagement", value: 47.0 / 3, prev: 20, change: (47.0/3 - 20) / 20 * 100},
		{key: "followers_gained", value: 50, noChange: true}, // Sep has one count only: no gain to compare
	}
	for _, c := range cases {
		m := measure(r, c.key)
		if !near(m.Value, c.value) {
			t.Errorf("%s = %v, want %v", c.key, m.Value, c.value)
		}
		if c.noChange {
			if m.Change != nil {
				t.Errorf("%s change %v, want none", c.key, *m.Change)
			}
		} else if !near(m.Change, c.change) {
			t.Errorf("%s change %v, want %v", c.key, m.Change, c.change)
		}
	}

	if len(r.Daily) != 31 || r.Daily[19].Day != "2026-10-20" || r.Daily[19].Posts != 1 || r.Daily[19].Interactions != 15 || r.Daily[26].Interactions != 26 {
		t.Fatalf("daily %+v", r.Daily)
	}
	if len(r.Top) != 3 || r.Top[0].Interactions != 26 || r.Top[1].Interactions != 15 || r.Top[2].Network != backend.Instagram || r.Top[2].Figures.Source != backend.SourceManual {
		t.Fatalf("top %+v", r.Top)
	}
	// No figure invented: each post without figures says why.
	why := map[string]string{}
	for _, p := range r.Posts {
		why[p.Text] = p.Reason
	}
	if why["Sin cifras todavía"] != report.ReasonNotReadYet || why["Historia sin cifras"] != report.ReasonManualMissing || why["Foto del local"] != "" {
		t.Fatalf("reasons %v", why)
	}
	if len(r.Networks) != 2 || r.Networks[0].Network != backend.Instagram || r.Networks[0].Posts != 2 || r.Networks[0].WithFigures != 1 || !r.Networks[0].Manual ||
		r.Networks[1].Network != backend.Mastodon || r.Networks[1].Interactions != 41 || !near(r.Networks[1].PerPost, 20.5) {
		t.Fatalf("networks %+v", r.Networks)
	}
	// 10:00 in Madrid on both sides of the DST change (08:00 and 09:00 UTC).
	if r.Best == nil || r.Best.Hour != 10 || r.Best.Weekday != int(time.Tuesday) || r.Best.HourAvg != 20.5 {
		t.Fatalf("best %+v", r.Best)
	}
	if len(r.Followers) != 1 || len(r.Followers[0].Points) != 3 || *r.Followers[0].Gained != 50 {
		t.Fatalf("followers %+v", r.Followers)
	}

	if r.ObjMonth != "2026-10" || len(r.Objectives) != 3 {
		t.Fatalf("objectives %+v", r.Objectives)
	}
	for _, o := range r.Objectives {
		switch o.Key {
		case "posts":
			if *o.Result != 3 || *o.Met {
				t.Errorf("posts objective %+v", o)
			}
		case "interactions":
			if *o.Result != 47 || !*o.Met {
				t.Errorf("interactions objective %+v", o)
			}
		case "first_response_minutes":
			if !near(o.Result, 60) || !*o.Met {
				t.Errorf("response objective %+v", o)
			}
		}
	}

	sd := r.Said
	if !sd.Available || len(sd.Conversations) != 1 || sd.Conversations[0].Count != 3 || sd.Answered != 2 || sd.Unanswered != 1 {
		t.Fatalf("said %+v", sd)
	}
	if !near(sd.MedianMinutes, 60) || !near(sd.P90Minutes, 90) {
		t.Fatalf("response times %v %v", sd.MedianMinutes, sd.P90Minutes)
	}
	if len(sd.Quotes) != 1 || sd.Quotes[0].Text != "El mejor café de la ciudad" || len(sd.Crisis) != 1 || sd.Crisis[0].Alert[0] != "estafa" || sd.Crisis[0].RepliedAt != nil {
		t.Fatalf("quotes %+v crisis %+v", sd.Quotes, sd.Crisis)
	}
	if len(sd.Tags) != 3 {
		t.Fatalf("tags %+v", sd.Tags)
	}
}

func TestReportEmptyAndWithoutInbox(t *testing.T) {
	s := seed(t, "en")
	r := load(t, s, "2026-12", nil)
	if m := measure(r, "posts"); *m.Value != 0 {
		t.Fatalf("posts %+v", m)
	}
	for _, k := range []string{"interactions", "engagement"} {
		if m := measure(r, k); m.Value != nil || m.Reason != report.ReasonNoPosts {
			t.Fatalf("%s %+v", k, m)
		}
	}
	if m := measure(r, "followers_gained"); m.Value != nil || m.Reason != report.ReasonNoSnapshots {
		t.Fatalf("followers %+v", m)
	}
	if r.Best != nil || r.BestReason != report.ReasonNoPosts || len(r.Top) != 0 || len(r.Daily) != 31 {
		t.Fatalf("empty report %+v", r)
	}
	if r.Said.Available || r.Said.Reason != report.ReasonNoInbox {
		t.Fatalf("said %+v", r.Said)
	}
	// October without an inbox: the response objective says why it has no result.
	r = load(t, s, "2026-10", nil)
	for _, o := range r.Objectives {
		if o.Key == "first_response_minutes" && (o.Result != nil || o.Reason != report.ReasonNoInbox) {
			t.Fatalf("objective %+v", o)
		}
	}
}

func TestPeriods(t *testing.T) {
	p, err := report.DaysPeriod("2026-10-20", "2026-10-29", madrid)
	if err != nil || p.Days(madrid) != 10 || p.Month != "" {
		t.Fatalf("%+v %v", p, err)
	}
	prev := p.Previous(madrid)
	if prev.FromDay != "2026-10-10" || prev.ToDay != "2026-10-20" {
		t.Fatalf("previous %+v", prev)
	}
	if _, err := report.DaysPeriod("2026-10-20", "2026-10-01", madrid); backend.AsError(err).Key != "report.period_invalid" {
		t.Fatal(err)
	}
	if _, err := report.MonthPeriod("2026-13", madrid); backend.AsError(err).Key != "report.month_invalid" {
		t.Fatal(err)
	}
	m, _ := report.MonthPeriod("2026-03", madrid)
	if prev := m.Previous(madrid); prev.Month != "2026-02" || prev.Days(madrid) != 28 {
		t.Fatalf("%+v", prev)
	}
}
