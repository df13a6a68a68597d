// Command seed fills a data directory with the calendar bench's workload:
// 20 clients (4 zones, 3 accounts each) and 10,000 posts spread over a year
// centred on today (about 800 a month), mixed statuses and labels.
//
//	go run ./bench/calendar/seed -data-dir /tmp/pauta-calbench
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"path/filepath"
	"time"

	"pauta/app"
	"pauta/backend"
	"pauta/backend/sqlite"
	"pauta/bench/lib/seedws"
)

func main() {
	dir := flag.String("data-dir", "", "empty directory to fill")
	nClients := flag.Int("clients", 20, "clients")
	nPosts := flag.Int("posts", 10000, "posts")
	flag.Parse()
	ctx := context.Background()
	a := seedws.Open(ctx, *dir)
	type cl struct {
		id       int64
		accounts []int64
	}
	var clients []cl
	for i := 0; i < *nClients; i++ {
		c := seedws.Client(a, i)
		var ids []int64
		for _, n := range []string{"instagram", "facebook", "bluesky"} {
			acc, err := a.Clients.AddAccount(app.AccountInput{ClientID: c.ID, Network: n, Handle: fmt.Sprintf("@cliente%02d", i+1)})
			if err != nil {
				log.Fatal(err)
			}
			ids = append(ids, acc.ID)
		}
		clients = append(clients, cl{c.ID, ids})
	}
	if err := a.Settings.StartEmpty(); err != nil {
		log.Fatal(err)
	}
	a.Close()

	db, err := sqlite.Open(ctx, filepath.Join(*dir, app.DBFile), backend.SystemClock{})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	now := time.Now().UTC()
	start := now.AddDate(0, -6, 0).Truncate(time.Hour)
	span := now.AddDate(0, 6, 0).Sub(start)
	step := span / time.Duration(*nPosts)
	labels := [][]string{{"producto"}, {"evento", "otoño"}, {}, {"receta"}, {"oferta", "producto"}}
	zoneOf := func(i int) string { return seedws.Zones[i%len(seedws.Zones)] }
	t0 := time.Now()
	for i := 0; i < *nPosts; i++ {
		ci := i % len(clients)
		// Round to 5 minutes and keep to 07:00–21:55 UTC, as people schedule.
		at := start.Add(time.Duration(i) * step).Truncate(5 * time.Minute)
		at = time.Date(at.Year(), at.Month(), at.Day(), 7+at.Hour()%15, at.Minute(), 0, 0, time.UTC)
		st := backend.StatusScheduled
		switch {
		case at.Before(now) && i%17 == 0:
			st = backend.StatusFailed
		case at.Before(now):
			st = backend.StatusPublished
		case i%5 == 0:
			st = backend.StatusDraft
		}
		acc := clients[ci].accounts
		p := backend.Post{ClientID: clients[ci].id, Status: st, TimeZone: zoneOf(ci),
			BaseText:    fmt.Sprintf("Post %d: pan de masa madre, talleres y novedades de la semana #marca", i),
			ScheduledAt: &at, Labels: labels[i%len(labels)],
			Variants: []backend.Variant{{AccountID: acc[0]}, {AccountID: acc[1+i%2]}}}
		if i%3 == 0 {
			p.Variants = p.Variants[:1]
		}
		if err := db.CreatePost(ctx, &p); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("seeded %s: %d clients, %d posts in %s\n", *dir, len(clients), *nPosts, time.Since(t0).Round(time.Millisecond))
}
