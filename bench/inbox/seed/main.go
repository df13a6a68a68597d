// Command seed fills a data directory with the inbox bench's workload
// (issue #14): 20 clients with one Mastodon account each and 5,000 stored
// inbox items per account (mentions, replies, likes, boosts, follows over
// the last weeks), plus a few posts so the calendar behind it is not empty.
//
//	go run ./bench/inbox/seed -data-dir /tmp/pauta-inboxbench
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
	nClients := flag.Int("clients", 20, "clients (one Mastodon account each)")
	perAccount := flag.Int("items", 5000, "inbox items per account")
	flag.Parse()
	ctx := context.Background()
	a := seedws.Open(ctx, *dir)
	var accounts []int64
	for i := 0; i < *nClients; i++ {
		c := seedws.Client(a, i)
		acc, err := a.Clients.AddAccount(app.AccountInput{ClientID: c.ID, Network: "mastodon", Handle: fmt.Sprintf("@cliente%02d@social.example", i+1)})
		if err != nil {
			log.Fatal(err)
		}
		accounts = append(accounts, acc.ID)
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
	now := time.Now().UTC().Truncate(time.Minute)
	kinds := []backend.InboxKind{backend.KindMention, backend.KindReply, backend.KindLike, backend.KindBoost, backend.KindFollow}
	texts := []string{
		"¿Abrís el domingo? Queríamos pasar con los niños por la mañana.",
		"Me encantó el taller de ayer, ¿cuándo es el próximo? https://example.org/taller",
		"El pedido llegó tarde y frío, no es la primera vez.",
		"Grazie per la risposta, ci vediamo sabato!",
	}
	t0 := time.Now()
	for ai, acc := range accounts {
		items := make([]backend.InboxItem, *perAccount)
		for j := range items {
			k := kinds[j%len(kinds)]
			at := now.Add(-time.Duration(j*7+ai) * time.Minute)
			n := backend.Notification{RemoteID: fmt.Sprint(j + 1), Kind: k, CreatedAt: at,
				Author: backend.RemoteAuthor{ID: fmt.Sprint(j % 900), Handle: fmt.Sprintf("fan%d@else.example", j%900), Name: fmt.Sprintf("Fan %d", j%900)}}
			if !k.Summarised() {
				n.Subject = &backend.RemotePost{Ref: backend.RemoteRef{ID: fmt.Sprint("s", j)}, Text: texts[j%len(texts)]}
			} else {
				n.About = &backend.RemoteRef{ID: fmt.Sprint("p", j%40)}
			}
			items[j] = backend.InboxItem{AccountID: acc, Notification: n, ArrivedAt: at}
		}
		if _, err := db.InboxSave(ctx, items, backend.InboxSync{AccountID: acc, Mark: fmt.Sprint(*perAccount)}); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("seeded %s: %d accounts × %d inbox items in %s\n", *dir, len(accounts), *perAccount, time.Since(t0).Round(time.Millisecond))
}
