package outbox

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/sqlite"
)

var t0 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// fakeClock is a clock the test moves.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// fakePub is a publisher whose answers the test scripts; it records calls.
type fakePub struct {
	mu     sync.Mutex
	calls  []backend.PublishRequest
	answer func(n int, req backend.PublishRequest) (backend.RemoteRef, error) // n: 1-based call number
	window time.Duration
}

var _ backend.IdempotentPublisher = (*fakePub)(nil)

func (p *fakePub) Publish(ctx context.Context, req backend.PublishRequest) (backend.RemoteRef, error) {
	p.mu.Lock()
	p.calls = append(p.calls, req)
	n := len(p.calls)
	answer := p.answer
	p.mu.Unlock()
	if answer == nil {
		return backend.RemoteRef{ID: fmt.Sprint(n), URL: "https://example.social/@me/" + fmt.Sprint(n)}, nil
	}
	return answer(n, req)
}

func (p *fakePub) IdempotencyWindow() time.Duration { return p.window }

func (p *fakePub) Calls() []backend.PublishRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]backend.PublishRequest(nil), p.calls...)
}

func (p *fakePub) set(answer func(int, backend.PublishRequest) (backend.RemoteRef, error)) {
	p.mu.Lock()
	p.answer = answer
	p.mu.Unlock()
}

// resolvingPub is a fakePub that can also look a request up.
type resolvingPub struct {
	*fakePub
	lookup func(req backend.PublishRequest) (backend.RemoteRef, bool, error)
}

func (p resolvingPub) Lookup(ctx context.Context, req backend.PublishRequest) (backend.RemoteRef, bool, error) {
	return p.lookup(req)
}

// events records what the outbox emits.
type events struct {
	mu   sync.Mutex
	list []string
	data [][]any
}

func (e *events) Emit(name string, data ...any) {
	e.mu.Lock()
	e.list = append(e.list, name)
	e.data = append(e.data, data)
	e.mu.Unlock()
}

func (e *events) count(name string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, l := range e.list {
		if l == name {
			n++
		}
	}
	return n
}

// fakeReach is a switchable network.
type fakeReach struct {
	mu   sync.Mutex
	down map[string]bool
	all  bool // everything down
	n    int
}

func (r *fakeReach) Online(ctx context.Context, host string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n++
	return !r.all && !r.down[host]
}

func (r *fakeReach) setAll(down bool) {
	r.mu.Lock()
	r.all = down
	r.mu.Unlock()
}

type env struct {
	t      *testing.T
	db     *sqlite.DB
	path   string
	clock  *fakeClock
	client *backend.Client
	reach  *fakeReach
	events *events
	ctx    context.Context
}

func newEnv(t *testing.T) *env {
	t.Helper()
	clock := &fakeClock{t: t0}
	path := filepath.Join(t.TempDir(), "pauta.db")
	db, err := sqlite.Open(context.Background(), path, clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := &backend.Client{Name: "Panadería Sol", TimeZone: "Europe/Madrid", Language: "es"}
	if err := db.CreateClient(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return &env{t: t, db: db, path: path, clock: clock, client: c, reach: &fakeReach{down: map[string]bool{}}, events: &events{}, ctx: context.Background()}
}

func (e *env) account(n backend.Network, handle string) backend.Account {
	e.t.Helper()
	a := &backend.Account{ClientID: e.client.ID, Network: n, Handle: handle}
	if err := e.db.CreateAccount(e.ctx, a); err != nil {
		e.t.Fatal(err)
	}
	return *a
}

// post schedules a post at `at` to the accounts and returns its variant ids
// in the accounts' order.
func (e *env) post(at time.Time, text string, accounts ...backend.Account) (int64, []int64) {
	e.t.Helper()
	p := &backend.Post{ClientID: e.client.ID, Status: backend.StatusScheduled, BaseText: text, ScheduledAt: &at, TimeZone: "Europe/Madrid"}
	for _, a := range accounts {
		p.Variants = append(p.Variants, backend.Variant{AccountID: a.ID})
	}
	if err := e.db.CreatePost(e.ctx, p); err != nil {
		e.t.Fatal(err)
	}
	ids := make([]int64, len(p.Variants))
	for i, v := range p.Variants {
		ids[i] = v.ID
	}
	return p.ID, ids
}

func (e *env) outbox(pubs map[backend.Network]backend.Publisher, opt Options) *Outbox {
	if opt.Jitter == nil {
		opt.Jitter = func() float64 { return 0.999999 } // the top of the range: delays ≈ d
	}
	if opt.Logf == nil {
		opt.Logf = e.t.Logf
	}
	return New(e.db, pubs, e.clock, e.reach, e.events, opt)
}

func (e *env) job(id int64) backend.OutboxJob {
	e.t.Helper()
	j, err := e.db.OutboxJob(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return *j
}

func (e *env) state(id int64) backend.OutboxState { e.t.Helper(); return e.job(id).Publish.State }

func (e *env) wantState(id int64, want backend.OutboxState) backend.VariantPublish {
	e.t.Helper()
	v := e.job(id).Publish
	if v.State != want {
		e.t.Fatalf("variant %d: state %s (%s: %s), want %s", id, v.State, v.LastErrorCode, v.LastError, want)
	}
	return v
}

func (e *env) postStatus(id int64) backend.PostStatus {
	e.t.Helper()
	p, err := e.db.GetPost(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return p.Status
}

func (e *env) runOnce(o *Outbox) {
	e.t.Helper()
	if err := o.RunOnce(e.ctx); err != nil {
		e.t.Fatal(err)
	}
}
