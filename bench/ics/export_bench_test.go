// Package ics_bench measures the iCalendar export on a busy workspace:
// 20 clients, 10,000 dated posts over about a year. Goal: under 300 ms.
//
//	go test -run '^$' -bench . -benchmem ./bench/ics/
package ics_bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/ics"
	"pauta/backend/sqlite"
)

var now = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

const (
	nClients = 20
	nPosts   = 10000
)

var zones = []string{"Europe/Madrid", "Europe/Rome", "Europe/London", "America/Mexico_City", "America/New_York", "Australia/Sydney"}

// workload is the busy workspace in memory: statuses mixed, one to three
// variants per post (some with their own text), labels, accents and emoji.
func workload() ics.Data {
	var d ics.Data
	nets := []backend.Network{backend.Instagram, backend.Facebook, backend.Bluesky}
	for c := 0; c < nClients; c++ {
		d.Clients = append(d.Clients, backend.Client{ID: int64(c + 1), Name: fmt.Sprintf("Panadería Cliente %02d", c), TimeZone: zones[c%len(zones)]})
		for k, n := range nets {
			d.Accounts = append(d.Accounts, backend.Account{ID: int64(c*3 + k + 1), ClientID: int64(c + 1), Network: n, Handle: fmt.Sprintf("@cliente%02d", c)})
		}
	}
	start := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	statuses := []backend.PostStatus{backend.StatusScheduled, backend.StatusScheduled, backend.StatusPublished, backend.StatusDraft, backend.StatusNeedsReview}
	for i := 0; i < nPosts; i++ {
		c := i % nClients
		at := start.Add(time.Duration(i) * 53 * time.Minute)
		p := backend.Post{ID: int64(i + 1), ClientID: int64(c + 1), Status: statuses[i%len(statuses)], ScheduledAt: &at,
			TimeZone: zones[c%len(zones)], Sequence: i % 4, CreatedAt: start, UpdatedAt: at,
			BaseText: fmt.Sprintf("Post %d: nuevo pan de masa madre, talleres y novedades de la semana; ¡ven temprano! 🥖 #Marca\nSegunda línea con más detalles para la descripción.", i),
			Labels:   []string{"producto", "semana"}}
		for k := 0; k <= i%3; k++ {
			v := backend.Variant{ID: int64(i*3 + k), PostID: p.ID, AccountID: int64(c*3 + k + 1)}
			if k == 1 {
				v.Text = "Texto propio para Facebook, con más contexto y un enlace https://example.com/receta"
			}
			p.Variants = append(p.Variants, v)
		}
		d.Posts = append(d.Posts, p)
	}
	return d
}

// seedSQLite writes the same workload to a real SQLite file.
func seedSQLite(b *testing.B, d ics.Data) *sqlite.DB {
	b.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "pauta.db"), backend.FixedClock{T: now})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	ids := map[int64]int64{}
	for _, c := range d.Clients {
		c := c
		old := c.ID
		if err := db.CreateClient(ctx, &c); err != nil {
			b.Fatal(err)
		}
		ids[old] = c.ID
	}
	accs := map[int64]int64{}
	for _, a := range d.Accounts {
		a := a
		old := a.ID
		a.ClientID = ids[a.ClientID]
		if err := db.CreateAccount(ctx, &a); err != nil {
			b.Fatal(err)
		}
		accs[old] = a.ID
	}
	for _, p := range d.Posts {
		p := p
		p.ID, p.ClientID = 0, ids[p.ClientID]
		vs := make([]backend.Variant, len(p.Variants))
		for i, v := range p.Variants {
			vs[i] = backend.Variant{AccountID: accs[v.AccountID], Text: v.Text}
		}
		p.Variants = vs
		if err := db.CreatePost(ctx, &p); err != nil {
			b.Fatal(err)
		}
	}
	return db
}

// BenchmarkEncode is the pure encoding: data in memory → iCalendar bytes.
func BenchmarkEncode(b *testing.B) {
	d := workload()
	e := &ics.Exporter{Clock: backend.FixedClock{T: now}, Namespace: "0123abcd"}
	opts := ics.Options{IncludeDrafts: true}
	var out bytes.Buffer
	n, err := e.Write(&out, d, opts)
	if err != nil || n != nPosts {
		b.Fatalf("%d events, %v", n, err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(out.Len()))
	b.ReportMetric(float64(out.Len())/1e6, "MB/file")
	for b.Loop() {
		if _, err := e.Write(io.Discard, d, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSQLite is the full path from a real SQLite file.
func BenchmarkSQLite(b *testing.B) {
	d := workload()
	opts := ics.Options{IncludeDrafts: true}
	db := seedSQLite(b, d)
	svc := ics.NewService(db, backend.FixedClock{T: now})
	ctx := context.Background()

	// SQLite → clients, accounts, posts, no encoding: the store's share.
	b.Run("load-10k", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sel, err := svc.Clients(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			if d, err := svc.Load(ctx, sel, opts); err != nil || len(d.Posts) != nPosts {
				b.Fatalf("%d posts, %v", len(d.Posts), err)
			}
		}
	})

	// SQLite → clients, accounts, posts → one calendar of every client.
	b.Run("one-file-10k", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sel, err := svc.Clients(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			if n, err := svc.Write(ctx, io.Discard, sel, opts); err != nil || n != nPosts {
				b.Fatalf("%d events, %v", n, err)
			}
		}
	})

	// One file per client into a folder (a query and an atomic, synced
	// write per client).
	dir := b.TempDir()
	b.Run("dir-20-files", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sel, err := svc.Clients(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := svc.WriteDir(ctx, dir, sel, opts, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
