package metrics_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/metrics"
	"pauta/backend/platform/mastodon"
	"pauta/backend/sqlite"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

type reach struct{ up bool }

func (r *reach) Online(context.Context, string) bool { return r.up }

// instance is a Mastodon instance speaking GET /api/v1/statuses?id[]=,
// GET /api/v1/statuses/:id and verify_credentials, counting calls.
type instance struct {
	mu        sync.Mutex
	calls     map[string]int
	likes     int
	followers int
	gone      map[string]bool
	limited   time.Time // answer 429 until then (by the test clock)
	clock     *clock
}

func (in *instance) handler(w http.ResponseWriter, r *http.Request) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.calls[r.URL.Path]++
	w.Header().Set("Content-Type", "application/json")
	if in.clock.Now().Before(in.limited) {
		w.Header().Set("X-RateLimit-Reset", in.limited.Format(time.RFC3339))
		w.WriteHeader(429)
		io.WriteString(w, `{"error":"Too many requests"}`)
		return
	}
	switch r.URL.Path {
	case "/api/v1/accounts/verify_credentials":
		fmt.Fprintf(w, `{"id":"7","username":"sol","followers_count":%d}`, in.followers)
	case "/api/v1/statuses":
		var parts []string
		for _, id := range r.URL.Query()["id[]"] {
			if !in.gone[id] {
				parts = append(parts, fmt.Sprintf(`{"id":%q,"replies_count":1,"reblogs_count":2,"favourites_count":%d}`, id, in.likes))
			}
		}
		io.WriteString(w, "["+strings.Join(parts, ",")+"]")
	default:
		w.WriteHeader(404)
		io.WriteString(w, `{"error":"Record not found"}`)
	}
}

func (in *instance) count(path string) int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.calls[path]
}

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC) // 10:00 in Madrid

type fixture struct {
	t    *testing.T
	ctx  context.Context
	db   *sqlite.DB
	clk  *clock
	net  *reach
	in   *instance
	col  *metrics.Collector
	acc  backend.Account
	cl   *backend.Client
	vars map[string]int64 // remote id → variant
}

func setup(t *testing.T) *fixture {
	ctx := context.Background()
	clk := &clock{t: t0}
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "pauta.db"), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	in := &instance{calls: map[string]int{}, likes: 5, followers: 300, gone: map[string]bool{}, clock: clk}
	srv := httptest.NewServer(http.HandlerFunc(in.handler))
	t.Cleanup(srv.Close)
	cl := &backend.Client{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"}
	if err := db.CreateClient(ctx, cl); err != nil {
		t.Fatal(err)
	}
	acc := &backend.Account{ClientID: cl.ID, Network: backend.Mastodon, Handle: "@sol@example.social"}
	if err := db.CreateAccount(ctx, acc); err != nil {
		t.Fatal(err)
	}
	acc.Connection, acc.ServiceURL, acc.RemoteID = backend.ConnConnected, srv.URL, "7"
	if err := db.UpdateAccountConnection(ctx, acc); err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, ctx: ctx, db: db, clk: clk, net: &reach{up: true}, in: in, acc: *acc, cl: cl, vars: map[string]int64{}}
	fetch := func(ctx context.Context, a backend.Account) (backend.MetricsFetcher, error) {
		if a.Network != backend.Mastodon {
			return nil, nil
		}
		return mastodon.New(a.ServiceURL, "token", srv.Client(), clk)
	}
	f.col = metrics.New(db, fetch, clk, f.net, func(a backend.Account) string { return strings.TrimPrefix(a.ServiceURL, "http://") }, nil)
	return f
}

// published adds a post published on the account at pub with remote id.
func (f *fixture) published(id string, pub time.Time) {
	f.t.Helper()
	p := &backend.Post{ClientID: f.cl.ID, Status: backend.StatusScheduled, BaseText: "post " + id, ScheduledAt: &pub, TimeZone: "Europe/Madrid",
		Variants: []backend.Variant{{AccountID: f.acc.ID}}}
	if err := f.db.CreatePost(f.ctx, p); err != nil {
		f.t.Fatal(err)
	}
	err := f.db.OutboxUpdate(f.ctx, p.Variants[0].ID, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
		v.State, v.PublishedAt, v.Remote = backend.OutboxPublished, &pub, backend.RemoteRef{ID: id}
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	f.vars[id] = p.Variants[0].ID
}

func (f *fixture) pass() time.Time {
	f.t.Helper()
	next, err := f.col.Pass(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return next
}

func (f *fixture) figures() map[int64]*backend.Figures {
	posts, err := f.db.ReportPosts(f.ctx, f.cl.ID, t0.Add(-90*24*time.Hour), t0.Add(90*24*time.Hour))
	if err != nil {
		f.t.Fatal(err)
	}
	out := map[int64]*backend.Figures{}
	for _, p := range posts {
		out[p.VariantID] = p.Figures
	}
	return out
}

func TestNextFetchDecays(t *testing.T) {
	pub := t0
	at := func(d time.Duration) *time.Time { x := pub.Add(d); return &x }
	cases := []struct {
		fetched *time.Time
		deleted bool
		want    time.Duration // after pub; -1 = never
	}{
		{nil, false, 0},
		{at(time.Hour), false, time.Hour + 30*time.Minute},
		{at(10 * time.Hour), false, 12 * time.Hour},
		{at(3 * 24 * time.Hour), false, 4 * 24 * time.Hour},
		{at(29*24*time.Hour + 12*time.Hour), false, 30 * 24 * time.Hour}, // one last read at 30 days
		{at(30 * 24 * time.Hour), false, -1},
		{nil, true, -1},
	}
	for i, c := range cases {
		got, ok := metrics.NextFetch(pub, c.fetched, c.deleted)
		if c.want < 0 {
			if ok {
				t.Errorf("%d: next %v, want never", i, got)
			}
			continue
		}
		if !ok || !got.Equal(pub.Add(c.want)) {
			t.Errorf("%d: next %v %v, want %v", i, got, ok, pub.Add(c.want))
		}
	}
}

func TestCollectorReadsDuePostsAndFollowers(t *testing.T) {
	f := setup(t)
	f.published("101", t0.Add(-time.Hour))
	f.published("102", t0.Add(-5*24*time.Hour))
	f.published("103", t0.Add(-40*24*time.Hour)) // too old: never read
	f.in.gone["102"] = true

	next := f.pass()
	figs := f.figures()
	if m := figs[f.vars["101"]]; m == nil || m.Likes != 5 || m.Replies != 1 || m.Reposts != 2 || m.Deleted {
		t.Fatalf("101: %+v", m)
	}
	if m := figs[f.vars["102"]]; m == nil || !m.Deleted {
		t.Fatalf("102: %+v", m)
	}
	if figs[f.vars["103"]] != nil {
		t.Fatal("a post older than 30 days was read")
	}
	if got := f.in.count("/api/v1/statuses"); got != 1 {
		t.Fatalf("%d batch calls, want 1 (both due posts in one)", got)
	}
	if want := t0.Add(30 * time.Minute); !next.Equal(want) {
		t.Fatalf("next pass %v, want %v (the fresh post)", next, want)
	}
	snaps, _ := f.db.Followers(f.ctx, f.cl.ID, "2026-11-20", "2026-11-20")
	if len(snaps) != 1 || snaps[0].Followers != 300 {
		t.Fatalf("snapshots %+v", snaps)
	}

	// Nothing is due yet: no call at all.
	f.clk.Set(t0.Add(10 * time.Minute))
	f.pass()
	if f.in.count("/api/v1/statuses") != 1 || f.in.count("/api/v1/accounts/verify_credentials") != 1 {
		t.Fatalf("calls %v", f.in.calls)
	}

	// Due again: the fresh post only (the deleted one is never asked again),
	// and the day's snapshot is not taken twice.
	f.in.likes = 9
	f.clk.Set(t0.Add(31 * time.Minute))
	f.pass()
	if m := f.figures()[f.vars["101"]]; m.Likes != 9 {
		t.Fatalf("101 after refresh: %+v", m)
	}
	if f.in.count("/api/v1/accounts/verify_credentials") != 1 {
		t.Fatal("a second snapshot the same day")
	}

	// Next day in Madrid (23:00 UTC): a new snapshot.
	f.in.followers = 310
	f.clk.Set(time.Date(2026, 11, 20, 23, 0, 0, 0, time.UTC))
	f.pass()
	snaps, _ = f.db.Followers(f.ctx, f.cl.ID, "2026-11-01", "2026-11-30")
	if len(snaps) != 2 || snaps[1].Day != "2026-11-21" || snaps[1].Followers != 310 {
		t.Fatalf("snapshots %+v", snaps)
	}
}

func TestCollectorOfflineCallsNothing(t *testing.T) {
	f := setup(t)
	f.published("101", t0.Add(-time.Hour))
	f.net.up = false
	next := f.pass()
	if len(f.in.calls) != 0 {
		t.Fatalf("calls while offline: %v", f.in.calls)
	}
	if want := t0.Add(metrics.OfflineRetry); !next.Equal(want) {
		t.Fatalf("next %v, want %v", next, want)
	}
	f.net.up = true
	f.pass()
	if f.figures()[f.vars["101"]] == nil {
		t.Fatal("not read once online")
	}
}

func TestCollectorRespectsRateLimit(t *testing.T) {
	f := setup(t)
	f.published("101", t0.Add(-time.Hour))
	f.in.limited = t0.Add(10 * time.Minute)
	next := f.pass()
	calls := f.in.count("/api/v1/accounts/verify_credentials")
	if calls != 1 || f.figures()[f.vars["101"]] != nil {
		t.Fatalf("calls %v", f.in.calls)
	}
	if want := t0.Add(10 * time.Minute); !next.Equal(want) {
		t.Fatalf("next %v, want the reset %v", next, want)
	}
	f.clk.Set(t0.Add(5 * time.Minute))
	f.pass()
	if f.in.count("/api/v1/accounts/verify_credentials") != calls || f.in.count("/api/v1/statuses") != 0 {
		t.Fatalf("called before the reset: %v", f.in.calls)
	}
	f.clk.Set(t0.Add(11 * time.Minute))
	f.pass()
	if f.figures()[f.vars["101"]] == nil {
		t.Fatal("not read after the reset")
	}
}

// countingStore counts the collector's passes (one MetricsTargets each).
type countingStore struct {
	*sqlite.DB
	passes chan struct{}
}

func (s countingStore) MetricsTargets(ctx context.Context, since time.Time) ([]backend.MetricsTarget, error) {
	s.passes <- struct{}{}
	return s.DB.MetricsTargets(ctx, since)
}

func TestRunSleepsUntilWokenAndStops(t *testing.T) {
	f := setup(t)
	cs := countingStore{DB: f.db, passes: make(chan struct{}, 10)}
	col := metrics.New(cs, func(context.Context, backend.Account) (backend.MetricsFetcher, error) { return nil, nil }, f.clk, f.net,
		func(backend.Account) string { return "" }, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- col.Run(ctx) }()
	<-cs.passes // the first pass, at once
	select {
	case <-cs.passes:
		t.Fatal("a second pass without a reason: nothing is due for hours")
	case <-time.After(300 * time.Millisecond):
	}
	col.Wake()
	select {
	case <-cs.passes:
	case <-time.After(5 * time.Second):
		t.Fatal("Wake did not start a pass")
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("Run returned %v", err)
	}
}
