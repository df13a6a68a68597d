//go:build unix

// Command outbox measures the outbox: the time to drain due posts across
// accounts against local fake Mastodon servers, and the CPU the loop uses
// while idle (it must not spin).
//
//	go run ./bench/outbox                     # 1,000 posts, 20 accounts, 10 s idle
//	go run ./bench/outbox -latency 50ms       # with a slow network
//	go run ./bench/outbox -future 200 -idle 3m # idle while 200 posts are scheduled on the server
//
// With -future N, N more posts two hours ahead are handed to the (in-memory)
// instance as server-side schedules; the idle measurement then includes the
// loop's periodic sync and reconcile with the instance's list.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"pauta/backend"
	"pauta/backend/outbox"
	"pauta/backend/sqlite"
)

// server is a fake Mastodon POST /api/v1/statuses with Idempotency-Key memory.
type server struct {
	latency time.Duration
	mu      sync.Mutex
	byKey   map[string]string
	created map[string]int
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/api/v1/statuses" {
		http.NotFound(w, r)
		return
	}
	text, key := r.FormValue("status"), r.Header.Get("Idempotency-Key")
	time.Sleep(s.latency)
	s.mu.Lock()
	id, ok := s.byKey[key]
	if !ok {
		id = fmt.Sprint(len(s.byKey) + 1)
		s.byKey[key] = id
		s.created[text]++
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"id":%q,"url":"https://bench.example/%s"}`, id, id)
}

// publisher is a tiny Mastodon-like publisher (not the real platform package).
// Its server-side schedules live in memory (sched): the bench measures the
// outbox's own work, not HTTP.
type publisher struct {
	client *http.Client
	sched  *memSched
}

type memSched struct {
	mu    sync.Mutex
	byAcc map[int64]map[string]backend.RemoteScheduled
	byKey map[string]string
	calls int
}

func (p publisher) ScheduleRemote(ctx context.Context, req backend.PublishRequest, at time.Time) (backend.RemoteScheduled, error) {
	m := p.sched
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	if id, ok := m.byKey[req.IdempotencyKey]; ok {
		return m.byAcc[req.Account.ID][id], nil
	}
	id := fmt.Sprint(len(m.byKey) + 1)
	m.byKey[req.IdempotencyKey] = id
	if m.byAcc[req.Account.ID] == nil {
		m.byAcc[req.Account.ID] = map[string]backend.RemoteScheduled{}
	}
	rs := backend.RemoteScheduled{ID: id, ScheduledAt: at, Text: req.Text}
	m.byAcc[req.Account.ID][id] = rs
	return rs, nil
}

func (p publisher) RescheduleRemote(ctx context.Context, acc backend.Account, id string, at time.Time) (backend.RemoteScheduled, error) {
	m := p.sched
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	rs := m.byAcc[acc.ID][id]
	rs.ScheduledAt = at
	m.byAcc[acc.ID][id] = rs
	return rs, nil
}

func (p publisher) CancelRemote(ctx context.Context, acc backend.Account, id string) error {
	m := p.sched
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	delete(m.byAcc[acc.ID], id)
	return nil
}

func (p publisher) ListRemote(ctx context.Context, acc backend.Account) ([]backend.RemoteScheduled, error) {
	m := p.sched
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	var out []backend.RemoteScheduled
	for _, rs := range m.byAcc[acc.ID] {
		out = append(out, rs)
	}
	return out, nil
}

func (p publisher) RecentStatuses(ctx context.Context, acc backend.Account) ([]backend.RemoteStatus, error) {
	return nil, nil
}

func (m *memSched) count() (scheduled, calls int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, a := range m.byAcc {
		scheduled += len(a)
	}
	return scheduled, m.calls
}

func (p publisher) IdempotencyWindow() time.Duration { return 55 * time.Minute }

func (p publisher) Publish(ctx context.Context, req backend.PublishRequest) (backend.RemoteRef, error) {
	host := outbox.DefaultHost(req.Account)
	form := url.Values{"status": {req.Text}}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+host+"/api/v1/statuses", strings.NewReader(form.Encode()))
	if err != nil {
		return backend.RemoteRef{}, err
	}
	hreq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	hreq.Header.Set("Idempotency-Key", req.IdempotencyKey)
	resp, err := p.client.Do(hreq)
	if err != nil {
		return backend.RemoteRef{}, fmt.Errorf("%w: %w", backend.Errorf(backend.ETransient, "network.transient", "post: %v", err), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return backend.RemoteRef{}, backend.Errorf(backend.ETransient, "network.transient", "HTTP %d", resp.StatusCode)
	}
	var st struct{ ID, URL string }
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return backend.RemoteRef{}, backend.Errorf(backend.ETransient, "network.transient", "decode: %v", err)
	}
	return backend.RemoteRef{ID: st.ID, URL: st.URL}, nil
}

func cpu() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		log.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func main() {
	posts := flag.Int("posts", 1000, "due posts")
	accounts := flag.Int("accounts", 20, "accounts, one fake server each")
	latency := flag.Duration("latency", 0, "server latency per request")
	parallel := flag.Int("parallel", 0, "accounts publishing at once (0: the outbox default, 4)")
	idle := flag.Duration("idle", 10*time.Second, "idle measurement")
	future := flag.Int("future", 0, "posts two hours ahead, scheduled on the (in-memory) instance")
	flag.Parse()
	ctx := context.Background()

	dir, err := os.MkdirTemp("", "pauta-outbox-bench")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := sqlite.Open(ctx, filepath.Join(dir, "pauta.db"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	client := &backend.Client{Name: "Bench", TimeZone: "UTC", Language: "es"}
	if err := db.CreateClient(ctx, client); err != nil {
		log.Fatal(err)
	}
	var servers []*server
	var accs []backend.Account
	for i := 0; i < *accounts; i++ {
		s := &server{latency: *latency, byKey: map[string]string{}, created: map[string]int{}}
		hs := httptest.NewServer(s)
		defer hs.Close()
		a := &backend.Account{ClientID: client.ID, Network: backend.Mastodon, Handle: fmt.Sprintf("bench%d@%s", i, strings.TrimPrefix(hs.URL, "http://")),
			Connection: backend.ConnConnected}
		if err := db.CreateAccount(ctx, a); err != nil {
			log.Fatal(err)
		}
		servers, accs = append(servers, s), append(accs, *a)
	}
	due := time.Now().Add(-time.Minute)
	seedStart := time.Now()
	for i := 0; i < *posts; i++ {
		p := &backend.Post{ClientID: client.ID, Status: backend.StatusScheduled, BaseText: fmt.Sprintf("bench post %d", i), ScheduledAt: &due, TimeZone: "UTC",
			Variants: []backend.Variant{{AccountID: accs[i%len(accs)].ID}}}
		if err := db.CreatePost(ctx, p); err != nil {
			log.Fatal(err)
		}
	}
	later := time.Now().Add(2 * time.Hour)
	for i := 0; i < *future; i++ {
		p := &backend.Post{ClientID: client.ID, Status: backend.StatusScheduled, BaseText: fmt.Sprintf("future post %d", i), ScheduledAt: &later, TimeZone: "UTC",
			Variants: []backend.Variant{{AccountID: accs[i%len(accs)].ID}}}
		if err := db.CreatePost(ctx, p); err != nil {
			log.Fatal(err)
		}
	}
	seeded := time.Since(seedStart)
	sched := &memSched{byAcc: map[int64]map[string]backend.RemoteScheduled{}, byKey: map[string]string{}}

	httpClient := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	o := outbox.New(db, map[backend.Network]backend.Publisher{backend.Mastodon: publisher{httpClient, sched}}, nil,
		outbox.NetReachability{Timeout: time.Second}, nil, outbox.Options{Parallel: *parallel})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	cpu0 := cpu()
	start := time.Now()
	go func() { done <- o.Run(runCtx) }()
	for {
		soon := time.Now().Add(time.Minute) // the due posts, not the future ones
		items, err := o.Items(ctx, backend.OutboxFilter{States: []backend.OutboxState{backend.OutboxPending, backend.OutboxSending}, DueBefore: &soon, Limit: 1})
		if err != nil {
			log.Fatal(err)
		}
		if len(items) == 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	for {
		if n, _ := sched.count(); n >= *future {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	drain := time.Since(start)
	drainCPU := cpu() - cpu0

	published, _ := db.OutboxItems(ctx, backend.OutboxFilter{States: []backend.OutboxState{backend.OutboxPublished}, Limit: *posts + 1})
	twice, missing := 0, 0
	for i, s := range servers {
		s.mu.Lock()
		for j := i; j < *posts; j += len(servers) {
			switch n := s.created[fmt.Sprintf("bench post %d", j)]; {
			case n > 1:
				twice++
			case n == 0:
				missing++
			}
		}
		s.mu.Unlock()
	}

	time.Sleep(time.Second) // let the last events and connections settle
	cpu1 := cpu()
	_, calls0 := sched.count()
	time.Sleep(*idle)
	idleCPU := cpu() - cpu1
	onServer, calls1 := sched.count()
	cancel()
	<-done

	fmt.Printf("seeded %d posts across %d accounts in %s\n", *posts, *accounts, seeded.Round(time.Millisecond))
	fmt.Printf("drained in %s (%.0f posts/s), CPU %s; published %d, twice %d, missing %d\n",
		drain.Round(time.Millisecond), float64(*posts)/drain.Seconds(), drainCPU.Round(time.Millisecond), len(published), twice, missing)
	if *future > 0 {
		fmt.Printf("server-side: %d of %d future posts scheduled on the instance; %d instance calls while idle\n", onServer, *future, calls1-calls0)
	}
	fmt.Printf("idle for %s: CPU %s (%.3f%% of one core)\n", *idle, idleCPU.Round(time.Microsecond), 100*idleCPU.Seconds()/idle.Seconds())
	if twice > 0 || missing > 0 || len(published) != *posts || onServer != *future {
		os.Exit(1)
	}
}
