package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	"pauta/backend"
)

// seedBusy fills a workspace with 20 clients and 10,000 posts over about a
// year (~800 a month), the calendar bench's workload.
func seedBusy(b *testing.B) *App {
	b.Helper()
	a, err := New(context.Background(), Config{DataDir: b.TempDir(), Clock: backend.FixedClock{T: testNow}, Emitter: NopEmitter{}, Secrets: newMemSecrets()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })
	zones := []string{"Europe/Madrid", "Europe/Rome", "Europe/London", "America/Mexico_City"}
	var accounts [][]int64
	var clients []backend.Client
	for i := 0; i < 20; i++ {
		c, err := a.Clients.Save(ClientInput{Name: fmt.Sprintf("Client %02d", i), TimeZone: zones[i%len(zones)], Language: "es"})
		if err != nil {
			b.Fatal(err)
		}
		clients = append(clients, c)
		var ids []int64
		for _, n := range []string{"instagram", "facebook", "bluesky"} {
			acc, err := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: n, Handle: "@c" + fmt.Sprint(i)})
			if err != nil {
				b.Fatal(err)
			}
			ids = append(ids, acc.ID)
		}
		accounts = append(accounts, ids)
	}
	ctx := context.Background()
	start := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 10000; i++ {
		ci := i % 20
		at := start.Add(time.Duration(i) * 53 * time.Minute) // ~10,000 posts over ~1 year
		p := backend.Post{ClientID: clients[ci].ID, Status: backend.StatusScheduled, BaseText: fmt.Sprintf("Post %d: pan de masa madre, talleres y novedades de la semana #marca", i),
			ScheduledAt: &at, Labels: []string{"producto"}, Variants: []backend.Variant{{AccountID: accounts[ci][0]}, {AccountID: accounts[ci][i%3]}}}
		if i%3 == 0 {
			p.Variants = p.Variants[:1]
		}
		if err := a.store.CreatePost(ctx, &p); err != nil {
			b.Fatal(err)
		}
	}
	return a
}

// BenchmarkListMonth is the Go half of opening a busy month view: the
// posts of a 6-week grid for all 20 clients.
func BenchmarkListMonth(b *testing.B) {
	a := seedBusy(b)
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		posts, err := a.Posts.List(PostQuery{From: "2026-11-23", To: "2027-01-03"})
		if err != nil {
			b.Fatal(err)
		}
		n = len(posts)
	}
	b.ReportMetric(float64(n), "posts")
}

// BenchmarkListWeek is the week view's query.
func BenchmarkListWeek(b *testing.B) {
	a := seedBusy(b)
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		posts, err := a.Posts.List(PostQuery{From: "2026-11-23", To: "2026-11-29"})
		if err != nil {
			b.Fatal(err)
		}
		n = len(posts)
	}
	b.ReportMetric(float64(n), "posts")
}
