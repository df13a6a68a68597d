package inbox_test

import (
	"context"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/inbox"
	"pauta/backend/platform/mastodon"
	"pauta/backend/sqlite"
)

// The inbox's speed goals (issue #14), as figures:
//   - opening the inbox (first 100 items of all clients, with the summary
//     rows) over 20 accounts × 5,000 stored items: < 50 ms;
//   - a poll cycle of 20 accounts with nothing new: < 20 ms of CPU;
//   - 10,000 new items after a week offline ingested: < 2 s.
// Run: go test -run '^$' -bench Inbox -benchtime 20x ./backend/inbox/

func seededDB(b *testing.B, accounts, perAccount int) (*sqlite.DB, []backend.Account, *server) {
	b.Helper()
	ctx := context.Background()
	clk := &clock{t: t0}
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "pauta.db"), clk)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	srv := &server{next: 1}
	var accts []backend.Account
	for i := 0; i < accounts; i++ {
		c := &backend.Client{Name: fmt.Sprint("Client ", i), TimeZone: "Europe/Madrid", Language: "es"}
		if err := db.CreateClient(ctx, c); err != nil {
			b.Fatal(err)
		}
		a := &backend.Account{ClientID: c.ID, Network: backend.Mastodon, Handle: fmt.Sprintf("acct%d@social.example", i)}
		if err := db.CreateAccount(ctx, a); err != nil {
			b.Fatal(err)
		}
		items := make([]backend.InboxItem, perAccount)
		kinds := []backend.InboxKind{backend.KindMention, backend.KindReply, backend.KindLike, backend.KindBoost, backend.KindFollow}
		for j := range items {
			k := kinds[j%len(kinds)]
			n := backend.Notification{RemoteID: fmt.Sprint(j + 1), Kind: k, CreatedAt: t0.Add(-time.Duration(j) * time.Minute),
				Author: backend.RemoteAuthor{ID: fmt.Sprint(j), Handle: fmt.Sprintf("fan%d@else.example", j), Name: "Fan"}}
			if !k.Summarised() {
				n.Subject = &backend.RemotePost{Ref: backend.RemoteRef{ID: fmt.Sprint("s", j)}, Text: "¿Abrís el domingo? Una pregunta de prueba con algo de texto."}
			} else {
				n.About = &backend.RemoteRef{ID: fmt.Sprint("p", j%40)}
			}
			items[j] = backend.InboxItem{AccountID: a.ID, Notification: n, ArrivedAt: t0}
		}
		if _, err := db.InboxSave(ctx, items, backend.InboxSync{AccountID: a.ID, Mark: fmt.Sprint(perAccount)}); err != nil {
			b.Fatal(err)
		}
		accts = append(accts, *a)
	}
	return db, accts, srv
}

func BenchmarkInboxOpen(b *testing.B) {
	ctx := context.Background()
	db, accts, _ := seededDB(b, 20, 5000)
	open := []backend.InboxKind{backend.KindMention, backend.KindReply, backend.KindQuote, backend.KindDirect}
	b.Run("all clients", func(b *testing.B) {
		cpu0 := cpuTime()
		defer cpuPerOp(b, cpu0)
		for i := 0; i < b.N; i++ {
			if l, err := db.InboxList(ctx, backend.InboxFilter{Kinds: open, States: []string{backend.InboxNew}, Limit: 100}); err != nil || len(l) != 100 {
				b.Fatal(err, len(l))
			}
			if _, err := db.InboxSummaries(ctx, backend.InboxFilter{States: []string{backend.InboxNew}, Limit: 100}); err != nil {
				b.Fatal(err)
			}
			if _, err := db.InboxUnread(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	for name, fn := range map[string]func() error{
		"list": func() error {
			_, err := db.InboxList(ctx, backend.InboxFilter{Kinds: open, States: []string{backend.InboxNew}, Limit: 100})
			return err
		},
		"summaries": func() error {
			_, err := db.InboxSummaries(ctx, backend.InboxFilter{States: []string{backend.InboxNew}, Limit: 100})
			return err
		},
		"unread": func() error { _, err := db.InboxUnread(ctx); return err },
	} {
		b.Run("part "+name, func(b *testing.B) {
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				if err := fn(); err != nil {
					b.Fatal(err)
				}
			}
			cpuPerOp(b, cpu0)
		})
	}
	b.Run("switch client", func(b *testing.B) {
		cpu0 := cpuTime()
		defer cpuPerOp(b, cpu0)
		for i := 0; i < b.N; i++ {
			c := accts[i%len(accts)].ClientID
			if l, err := db.InboxList(ctx, backend.InboxFilter{ClientID: c, Kinds: open, States: []string{backend.InboxNew}, Limit: 100}); err != nil || len(l) != 100 {
				b.Fatal(err, len(l))
			}
			if _, err := db.InboxSummaries(ctx, backend.InboxFilter{ClientID: c, States: []string{backend.InboxNew}, Limit: 100}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// cpuPerOp reports this process's CPU time per op since cpu0: on a shared,
// loaded machine wall time mostly measures the neighbours.
func cpuPerOp(b *testing.B, cpu0 time.Duration) {
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// A pass over 20 connected accounts, each due and with nothing new: the
// whole cycle (store reads, one HTTP request per account to a local
// instance, the sync state write), in CPU time of this process (the fake
// instance runs in it too, so the figure is an upper bound).
func BenchmarkInboxEmptyPoll(b *testing.B) {
	ctx := context.Background()
	db, accts, srv := seededDB(b, 20, 50)
	srv.srv = newHTTPServer(b, srv)
	for i := range accts {
		accts[i].Connection, accts[i].ServiceURL, accts[i].RemoteID = backend.ConnConnected, srv.srv.URL, "me"
		if err := db.UpdateAccountConnection(ctx, &accts[i]); err != nil {
			b.Fatal(err)
		}
	}
	clk := &clock{t: t0}
	s := inbox.New(db, func(_ context.Context, a backend.Account) (backend.InboxFetcher, error) {
		return mastodon.New(a.ServiceURL, token, srv.srv.Client(), clk)
	}, clk, nil, inbox.Options{})
	if _, err := s.Pass(ctx); err != nil { // warm up: connections, statements
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		clk.add(time.Hour) // every account due again
		if _, err := s.Pass(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/cycle")
	b.ReportMetric(0, "cpu-ms/op")
}

// A week offline: 10,000 new notifications on the instance; passes run
// until the gap is read down to the old mark.
func BenchmarkInboxIngestWeek(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, accts, srv := seededDB(b, 1, 0)
		srv.srv = newHTTPServer(b, srv)
		a := accts[0]
		a.Connection, a.ServiceURL, a.RemoteID = backend.ConnConnected, srv.srv.URL, "me"
		if err := db.UpdateAccountConnection(ctx, &a); err != nil {
			b.Fatal(err)
		}
		srv.add(10, "mention", "antes")
		clk := &clock{t: t0}
		s := inbox.New(db, func(_ context.Context, a backend.Account) (backend.InboxFetcher, error) {
			return mastodon.New(a.ServiceURL, token, srv.srv.Client(), clk)
		}, clk, nil, inbox.Options{})
		if _, err := s.Pass(ctx); err != nil {
			b.Fatal(err)
		}
		srv.add(10000, "mention", "una semana después")
		b.StartTimer()
		for pass := 0; ; pass++ {
			clk.add(time.Hour)
			if _, err := s.Pass(ctx); err != nil {
				b.Fatal(err)
			}
			st, _ := db.InboxSyncState(ctx, a.ID)
			if !st.Gap {
				break
			}
			if pass > 100 {
				b.Fatal("gap never closed")
			}
		}
		b.StopTimer()
		unread, _ := db.InboxUnread(ctx)
		if unread[a.ClientID] != 10010 {
			b.Fatalf("stored %d, want 10010", unread[a.ClientID])
		}
	}
}

// BenchmarkAvatarsDue: the avatar fetcher's query over 20 accounts × 5,000
// items all created in the last week (its worst case: every item recent).
func BenchmarkAvatarsDue(b *testing.B) {
	db, _, _ := seededDB(b, 20, 5000)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.AvatarsDue(ctx, t0.Add(-30*24*time.Hour), t0.Add(-24*time.Hour), 20); err != nil {
			b.Fatal(err)
		}
	}
}
