// Package metrics is the collector of the monthly report (issue #15): while
// the laptop is online it refreshes the figures of published Mastodon and
// Bluesky posts on a decaying schedule and takes one follower count per
// account and day. It runs beside the outbox loop, sleeps on one timer
// between passes (no polling) and never calls a host that does not answer.
package metrics

import (
	"context"
	"errors"
	"log"
	"sync"
	"time"

	"pauta/backend"
)

// Schedule: how often a post's figures are read, by age at the last read.
const (
	FreshAge      = 6 * time.Hour       // first hours: every FreshEvery
	FreshEvery    = 30 * time.Minute    //
	EarlyAge      = 48 * time.Hour      // up to 48 h: every EarlyEvery
	EarlyEvery    = 2 * time.Hour       //
	LateAge       = 30 * 24 * time.Hour // up to 30 days: daily; then never
	LateEvery     = 24 * time.Hour      //
	Batch         = 20                  // refs per PostMetrics call (the fetchers batch further down)
	OfflineRetry  = 5 * time.Minute     // a host that did not answer is asked again after this
	ErrorBackoff  = 15 * time.Minute    // a transient error
	AuthBackoff   = 6 * time.Hour       // a refused token: the account needs reconnecting
	MaxSleep      = 6 * time.Hour       // wake at least this often (clock jumps, new posts)
	minSleep      = time.Second         //
	followersHour = 0                   // a new day (client's zone) starts a new snapshot
)

// NextFetch is when a post published at pub, last read at fetched (nil =
// never), is read next; false once it is 30 days old at its last read, or
// deleted.
func NextFetch(pub time.Time, fetched *time.Time, deleted bool) (time.Time, bool) {
	if deleted {
		return time.Time{}, false
	}
	if fetched == nil {
		return pub, true
	}
	age := fetched.Sub(pub)
	var every time.Duration
	switch {
	case age < FreshAge:
		every = FreshEvery
	case age < EarlyAge:
		every = EarlyEvery
	case age < LateAge:
		every = LateEvery
	default:
		return time.Time{}, false
	}
	next := fetched.Add(every)
	if end := pub.Add(LateAge); next.After(end) {
		next = end // one last read at 30 days
	}
	return next, true
}

// Store is what the collector reads and writes.
type Store interface {
	backend.MetricsStore
	ListAccounts(ctx context.Context, clientID int64) ([]backend.Account, error)
	GetClient(ctx context.Context, id int64) (*backend.Client, error)
}

// FetcherFunc gives the fetcher for an account: nil (and no error) when its
// network has none.
type FetcherFunc func(ctx context.Context, acc backend.Account) (backend.MetricsFetcher, error)

// Reachability says whether a host answers (outbox.NetReachability).
type Reachability interface {
	Online(ctx context.Context, host string) bool
}

// Collector refreshes figures and follower counts.
type Collector struct {
	store   Store
	fetcher FetcherFunc
	clock   backend.Clock
	reach   Reachability
	host    func(backend.Account) string
	changed func() // figures were saved (the report screen refetches)

	mu      sync.Mutex
	backoff map[int64]time.Time // account → no call before
	wake    chan struct{}
}

// New builds a collector. host names the server an account talks to;
// changed (may be nil) is called after a pass saved something.
func New(store Store, fetcher FetcherFunc, clock backend.Clock, reach Reachability, host func(backend.Account) string, changed func()) *Collector {
	if changed == nil {
		changed = func() {}
	}
	return &Collector{store: store, fetcher: fetcher, clock: clock, reach: reach, host: host, changed: changed,
		backoff: map[int64]time.Time{}, wake: make(chan struct{}, 1)}
}

// Wake asks for a pass now (a post was published, the laptop came online).
func (c *Collector) Wake() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// Run passes until ctx ends, sleeping on one timer in between.
func (c *Collector) Run(ctx context.Context) error {
	for {
		next, err := c.Pass(ctx)
		if err != nil && ctx.Err() == nil {
			log.Printf("metrics: %v", err)
		}
		d := next.Sub(c.clock.Now())
		d = min(max(d, minSleep), MaxSleep)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		case <-c.wake:
			t.Stop()
		}
	}
}

// Pass reads whatever is due and returns when the next pass is needed.
func (c *Collector) Pass(ctx context.Context) (time.Time, error) {
	now := c.clock.Now()
	next := now.Add(MaxSleep)
	soon := func(t time.Time) {
		if t.Before(next) {
			next = t
		}
	}
	targets, err := c.store.MetricsTargets(ctx, now.Add(-LateAge-LateEvery))
	if err != nil {
		return now.Add(ErrorBackoff), err
	}
	due := map[int64][]backend.MetricsTarget{}
	accs := map[int64]backend.Account{}
	for _, t := range targets {
		at, ok := NextFetch(t.PublishedAt, t.FetchedAt, t.Deleted)
		if !ok {
			continue
		}
		if at.After(now) {
			soon(at)
			continue
		}
		if after, ok := NextFetch(t.PublishedAt, &now, false); ok {
			soon(after) // once read now
		}
		due[t.Account.ID] = append(due[t.Account.ID], t)
		accs[t.Account.ID] = t.Account
	}
	all, err := c.store.ListAccounts(ctx, 0)
	if err != nil {
		return now.Add(ErrorBackoff), err
	}
	zones := map[int64]*time.Location{}
	followers := map[int64]string{} // account → day still without a snapshot
	for _, a := range all {
		if a.Connection != backend.ConnConnected || !a.Network.Direct() {
			continue
		}
		loc := c.zone(ctx, zones, a.ClientID)
		local := now.In(loc)
		day := local.Format("2006-01-02")
		soon(time.Date(local.Year(), local.Month(), local.Day()+1, followersHour, 0, 0, 0, loc))
		if has, err := c.store.HasFollowers(ctx, a.ID, day); err == nil && !has {
			followers[a.ID] = day
			accs[a.ID] = a
		}
	}
	saved := false
	for id, acc := range accs {
		if ctx.Err() != nil {
			break
		}
		if until := c.blockedUntil(id); until.After(now) {
			soon(until)
			continue
		}
		if h := c.host(acc); h != "" && !c.reach.Online(ctx, h) {
			soon(now.Add(OfflineRetry))
			continue
		}
		f, err := c.fetcher(ctx, acc)
		if err != nil {
			soon(c.fail(id, now, err))
			continue
		}
		if f == nil {
			continue // no fetcher for this network (yet)
		}
		if day, ok := followers[id]; ok {
			n, err := f.Followers(ctx, acc)
			if err != nil {
				soon(c.fail(id, now, err))
				continue
			}
			if wrote, err := c.store.SaveFollowers(ctx, backend.FollowerSnapshot{AccountID: id, Day: day, Followers: n, TakenAt: now}); err != nil {
				return now.Add(ErrorBackoff), err
			} else if wrote {
				saved = true
			}
		}
		if w, err := c.readFigures(ctx, f, acc, due[id], now); err != nil {
			saved = saved || w
			if errors.As(err, new(storeError)) {
				return now.Add(ErrorBackoff), err
			}
			soon(c.fail(id, now, err))
		} else {
			saved = saved || w
		}
	}
	if saved {
		c.changed()
	}
	return next, nil
}

// readFigures reads due posts Batch at a time and saves what came back
// (also the part read before a rate limit).
func (c *Collector) readFigures(ctx context.Context, f backend.MetricsFetcher, acc backend.Account, due []backend.MetricsTarget, now time.Time) (bool, error) {
	saved := false
	for start := 0; start < len(due); start += Batch {
		chunk := due[start:min(start+Batch, len(due))]
		refs := make([]backend.RemoteRef, len(chunk))
		for i, t := range chunk {
			refs[i] = t.Ref
		}
		got, err := f.PostMetrics(ctx, acc, refs)
		for i, m := range got {
			if i >= len(chunk) {
				break
			}
			if e := c.store.SaveNetworkMetrics(ctx, chunk[i].VariantID, m, now); e != nil {
				return saved, storeError{e}
			}
			saved = true
		}
		if err != nil {
			return saved, err
		}
	}
	return saved, nil
}

// storeError is a failed write (not the account's fault).
type storeError struct{ error }

func (e storeError) Unwrap() error { return e.error }

// fail records an account's error and says when to try it again.
func (c *Collector) fail(id int64, now time.Time, err error) time.Time {
	wait := ErrorBackoff
	e := backend.AsError(err)
	switch {
	case e != nil && e.Code == backend.ERateLimited && e.RetryAfter > 0:
		wait = e.RetryAfter
	case e != nil && e.Code == backend.EAuth:
		wait = AuthBackoff
	}
	until := now.Add(wait)
	c.mu.Lock()
	c.backoff[id] = until
	c.mu.Unlock()
	return until
}

func (c *Collector) blockedUntil(id int64) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.backoff[id]
}

func (c *Collector) zone(ctx context.Context, cache map[int64]*time.Location, clientID int64) *time.Location {
	if loc, ok := cache[clientID]; ok {
		return loc
	}
	loc := time.UTC
	if cl, err := c.store.GetClient(ctx, clientID); err == nil {
		if l, err := backend.LoadZone(cl.TimeZone); err == nil {
			loc = l
		}
	}
	cache[clientID] = loc
	return loc
}
