// Package outbox publishes due variants when the laptop is online: never
// twice, never silently lost. Every step of a variant is committed to the
// store before the next one; `sending` is written before the network call, so
// a crash leaves a state that says "maybe sent", resolved on the next start
// by the network's idempotency or handed to the user for review.
//
// The loop (Run) sleeps until the next due time or a tick, wakes early on
// new work (Wake), backs off per account (capped exponential with jitter,
// Retry-After honoured) and stops with its context.
//
// One variant's states (backend.OutboxState):
//
//	pending ──due, direct network──▶ sending ──ok──────────────▶ published
//	   │  ▲                            │ ├──EInvalid────────────▶ failed
//	   │  └──ETransient / 429 / EAuth──┘ └──crash: see below
//	   ├──due, manual network──▶ due_manual ──MarkPublished──▶ published
//	   ├──never tried, due > grace ago──▶ missed ──PublishNow / Reschedule──▶ pending
//	   └──Skip──▶ skipped
//
// A variant found in sending at start-up goes back to pending with its
// outcome unknown (UncertainSince). Before any re-send the network is asked
// (resolve.go): Bluesky by record key; Mastodon by the account's statuses
// since the mark taken before the call, a re-send only once the call has
// settled on the server's clock. What cannot be told goes to needs_review.
package outbox

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"pauta/backend"
)

// Reachability is a cheap check that a network's host answers.
type Reachability interface {
	Online(ctx context.Context, host string) bool
}

// Events receives small invalidation events (backend.EventOutboxChanged,
// EventOnlineChanged, EventDueManual); the UI refetches.
type Events interface {
	Emit(name string, data ...any)
}

// DefaultHost is the host to check for an account: the instance of a
// Mastodon handle ("@me@example.social"), bsky.social for Bluesky, none for
// manual networks.
func DefaultHost(a backend.Account) string {
	switch a.Network {
	case backend.Mastodon:
		h := strings.TrimSpace(a.Handle)
		if i := strings.LastIndex(h, "@"); i >= 0 {
			h = h[i+1:]
		}
		if strings.Contains(h, ".") || strings.Contains(h, ":") {
			return h
		}
		return ""
	case backend.Bluesky:
		return "bsky.social"
	}
	return ""
}

// DefaultWindow is how long a re-send with the same keys is safe: what the
// publisher says (backend.IdempotentPublisher), else 55 min for Mastodon (the
// server keeps an Idempotency-Key for an hour), forever for Bluesky (putRecord
// with the stored record key), never for anything else.
func DefaultWindow(n backend.Network, p backend.Publisher) time.Duration {
	if ip, ok := p.(backend.IdempotentPublisher); ok {
		return ip.IdempotencyWindow()
	}
	switch n {
	case backend.Mastodon:
		return 55 * time.Minute
	case backend.Bluesky:
		return backend.Forever
	}
	return 0
}

// NopEvents drops events.
type NopEvents struct{}

func (NopEvents) Emit(string, ...any) {}

// AlwaysOnline says every host answers (tests, the CLI).
type AlwaysOnline struct{}

func (AlwaysOnline) Online(context.Context, string) bool { return true }

type hostState struct {
	online  bool
	checked time.Time
}

// Outbox publishes due variants. Create it with New, then Run it.
type Outbox struct {
	store  backend.OutboxStore
	pubs   map[backend.Network]backend.Publisher
	clock  backend.Clock
	reach  Reachability
	events Events
	opt    Options

	wake chan struct{}
	sem  chan struct{}
	wg   sync.WaitGroup

	mu            sync.Mutex
	busy          map[int64]bool // accounts with a worker
	inflight      map[int64]bool // variants between claim and outcome
	hosts         map[string]hostState
	lastOnline    bool
	lastKnown     bool
	lastReconcile time.Time
	reconcileNow  bool
	dirty         bool
	flushPending  bool
	warned        map[string]bool
	passes        int           // completed passes (tests)
	grace         time.Duration // Options.Grace, changed by SetGrace (settings.go)

	// Server-side scheduling per account (remote.go).
	remote      map[int64]*remoteAccount
	skippedBusy bool // a pass left due work to an account busy with a sync
	remoteDirty bool // an action changed a variant: sync the server-side schedules
}

// New builds an outbox over store, publishing through pubs (one per direct
// network; manual networks need none). Nil clock, reach or events mean the
// system clock, AlwaysOnline and NopEvents.
func New(store backend.OutboxStore, pubs map[backend.Network]backend.Publisher, clock backend.Clock, reach Reachability, events Events, opt Options) *Outbox {
	opt.defaults()
	if clock == nil {
		clock = backend.SystemClock{}
	}
	if reach == nil {
		reach = AlwaysOnline{}
	}
	if events == nil {
		events = NopEvents{}
	}
	if pubs == nil {
		pubs = map[backend.Network]backend.Publisher{}
	}
	return &Outbox{
		store: store, pubs: pubs, clock: clock, reach: reach, events: events, opt: opt,
		wake:     make(chan struct{}, 1),
		sem:      make(chan struct{}, opt.Parallel),
		busy:     map[int64]bool{},
		inflight: map[int64]bool{},
		hosts:    map[string]hostState{},
		warned:   map[string]bool{},
		grace:    opt.Grace,
	}
}

// Wake makes the loop look for due work now. Call it after a post was
// scheduled, edited or moved: the next pass also re-queues missed posts
// moved later in the editor.
func (o *Outbox) Wake() {
	o.mu.Lock()
	o.reconcileNow = true
	o.mu.Unlock()
	o.nudge()
}

// nudge wakes the loop without asking for a reconcile (the outbox's own work).
func (o *Outbox) nudge() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Run publishes due variants until ctx ends, then waits for the calls in
// flight to record their outcome. It returns ctx.Err().
func (o *Outbox) Run(ctx context.Context) error {
	timer := time.NewTimer(0)
	defer timer.Stop()
	failures := 0
	var lastLog time.Time
	for {
		select {
		case <-ctx.Done():
			o.wg.Wait()
			o.flush()
			return ctx.Err()
		case <-timer.C:
		case <-o.wake:
		}
		next, err := o.pass(ctx)
		var d time.Duration
		if err != nil && ctx.Err() == nil {
			failures++
			d = capped(o.opt.MinBackoff, o.opt.Tick, failures)
			if time.Since(lastLog) > time.Minute {
				o.opt.Logf("outbox: %v (retrying in %s)", err, d)
				lastLog = time.Now()
			}
		} else {
			failures = 0
			d = o.sleepFor(next)
		}
		timer.Reset(d)
	}
}

// RunOnce does one pass and waits for the calls it started: the CLI's
// "publish due posts now", and deterministic tests.
func (o *Outbox) RunOnce(ctx context.Context) error {
	_, err := o.pass(ctx)
	o.wg.Wait()
	o.flush()
	return err
}

// sleepFor is how long to sleep until next (zero: none known), at most a tick.
func (o *Outbox) sleepFor(next time.Time) time.Duration {
	d := o.opt.Tick
	if !next.IsZero() {
		if n := next.Sub(o.clock.Now()); n < d {
			d = n
		}
	}
	if d < 10*time.Millisecond {
		d = 10 * time.Millisecond
	}
	return d
}

// capped is base·2^(n-1), at most max.
func capped(base, max time.Duration, n int) time.Duration {
	d := base
	for i := 1; i < n; i++ {
		d *= 2
		if d >= max || d <= 0 {
			return max
		}
	}
	if d > max {
		return max
	}
	return d
}

// backoff is the jittered delay after the n-th consecutive failure: in
// [d/2, d) for d = capped(min, max, n).
func (o *Outbox) backoff(n int) time.Duration {
	d := capped(o.opt.MinBackoff, o.opt.MaxBackoff, n)
	return d/2 + time.Duration(o.opt.Jitter()*float64(d/2))
}

// ceilSecond rounds t up to a whole second: the store keeps seconds, and a
// retry time must never be rounded earlier.
func ceilSecond(t time.Time) time.Time {
	t = t.UTC()
	if tr := t.Truncate(time.Second); !tr.Equal(t) {
		return tr.Add(time.Second)
	}
	return t
}

func floorSecond(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

var errSkip = errors.New("outbox: state moved on")

// pass recovers interrupted calls, sorts out due variants (missed,
// due_manual) and starts one worker per account with due work. It returns
// the next time something becomes due (zero: none known).
func (o *Outbox) pass(ctx context.Context) (time.Time, error) {
	defer func() {
		o.mu.Lock()
		o.passes++
		o.mu.Unlock()
		o.scheduleFlush()
	}()
	now := o.clock.Now()

	rec := o.shouldReconcile(now)
	if rec {
		n, err := o.store.OutboxReconcile(ctx, now)
		if err != nil {
			return time.Time{}, err
		}
		if n > 0 {
			o.changed()
		}
	}

	// Calls interrupted by a crash (or an unrecorded outcome): back to
	// pending with an unknown outcome, to be resolved before any re-send.
	sending, err := o.store.OutboxJobs(ctx, backend.OutboxQuery{States: []backend.OutboxState{backend.OutboxSending}, Inactive: true})
	if err != nil {
		return time.Time{}, err
	}
	for _, j := range sending {
		if o.isInflight(j.Publish.VariantID) {
			continue
		}
		if err := o.recoverInterrupted(ctx, j.Publish.VariantID); err != nil {
			return time.Time{}, err
		}
	}

	accs, err := o.accountStates(ctx)
	if err != nil {
		return time.Time{}, err
	}
	if err := o.watchdog(ctx, now, accs); err != nil { // watchdog.go
		return time.Time{}, err
	}
	jobs, err := o.store.OutboxJobs(ctx, backend.OutboxQuery{States: []backend.OutboxState{backend.OutboxPending}, DueBy: now, Limit: o.opt.BatchSize})
	if err != nil {
		return time.Time{}, err
	}
	var order []int64
	groups := map[int64][]backend.OutboxJob{}
	var dueManual []int64
	grace := o.Grace()
	for _, j := range jobs {
		v := j.Publish
		if j.Account.Network.Manual() {
			if err := o.toDueManual(ctx, j); err == nil {
				dueManual = append(dueManual, v.VariantID)
			} else if !errors.Is(err, errSkip) {
				return time.Time{}, err
			}
			continue
		}
		if v.Attempts == 0 && v.UncertainSince == nil && !v.Approved && now.Sub(j.Due) > grace {
			if err := o.toMissed(ctx, j); err != nil && !errors.Is(err, errSkip) {
				return time.Time{}, err
			}
			continue
		}
		a := accs[v.AccountID]
		if a.PausedReason != "" || after(v.NextAttemptAt, now) || after(a.BackoffUntil, now) {
			continue
		}
		if o.pubs[j.Account.Network] == nil {
			o.warnOnce("nopub:"+string(j.Account.Network), "outbox: no publisher for %s: its posts wait", j.Account.Network)
			continue
		}
		if _, ok := groups[v.AccountID]; !ok {
			order = append(order, v.AccountID)
		}
		groups[v.AccountID] = append(groups[v.AccountID], j)
	}
	if len(dueManual) > 0 {
		o.events.Emit(backend.EventDueManual, dueManual)
	}
	// First comments to send or retry (comment.go).
	comments, commentNext, err := o.dueComments(ctx, now, accs)
	if err != nil {
		return time.Time{}, err
	}
	order = addCommentAccounts(order, groups, comments)
	for _, acc := range order {
		o.mu.Lock()
		if o.busy[acc] {
			o.skippedBusy = true // the worker holding it nudges when done (remote.go)
			o.mu.Unlock()
			continue
		}
		o.busy[acc] = true
		o.mu.Unlock()
		o.wg.Add(1)
		go o.worker(ctx, acc, groups[acc], comments[acc])
	}
	// Server-side schedules (remote.go): after the local workers took their accounts.
	if err := o.startRemote(ctx, now, rec, accs); err != nil {
		return time.Time{}, err
	}
	next, ok, err := o.store.OutboxNextWake(ctx, now)
	if err != nil {
		return time.Time{}, err
	}
	if !ok {
		next = time.Time{}
	}
	return earliest(next, commentNext), nil
}

func after(t *time.Time, now time.Time) bool { return t != nil && t.After(now) }

// reconcileEvery is how often a pass also re-queues posts moved in the editor
// and repairs post statuses (a whole-table query).
const reconcileEvery = time.Minute

func (o *Outbox) shouldReconcile(now time.Time) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.reconcileNow && !o.lastReconcile.IsZero() && now.Sub(o.lastReconcile) < reconcileEvery && !now.Before(o.lastReconcile) {
		return false
	}
	o.reconcileNow = false
	o.lastReconcile = now
	return true
}

func (o *Outbox) accountStates(ctx context.Context) (map[int64]backend.AccountOutbox, error) {
	list, err := o.store.OutboxAccounts(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[int64]backend.AccountOutbox, len(list))
	for _, a := range list {
		m[a.AccountID] = a
	}
	return m, nil
}

func (o *Outbox) warnOnce(key, format string, args ...any) {
	o.mu.Lock()
	seen := o.warned[key]
	o.warned[key] = true
	o.mu.Unlock()
	if !seen {
		o.opt.Logf(format, args...)
	}
}

func (o *Outbox) isInflight(id int64) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.inflight[id]
}

// worker publishes one account's due variants in order, one at a time,
// after the first comments waiting for a retry (comment.go).
func (o *Outbox) worker(ctx context.Context, acc int64, jobs []backend.OutboxJob, comments []backend.CommentJob) {
	progress := false
	defer func() {
		o.mu.Lock()
		delete(o.busy, acc)
		o.mu.Unlock()
		o.wg.Done()
		// Look again only if something moved: a worker that could not do
		// anything (offline, store failing) must not make the loop spin.
		if progress {
			o.nudge()
		}
	}()
	select {
	case o.sem <- struct{}{}:
	case <-ctx.Done():
		return
	}
	defer func() { <-o.sem }()
	account := backend.Account{}
	if len(jobs) > 0 {
		account = jobs[0].Account
	} else if len(comments) > 0 {
		account = comments[0].Account
	}
	if host := o.opt.Host(account); host != "" && !o.hostOnline(ctx, host) {
		return
	}
	for _, c := range comments {
		if ctx.Err() != nil {
			return
		}
		moved, stop := o.publishComment(ctx, c)
		progress = progress || moved
		if stop {
			return
		}
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			return
		}
		moved, stop := o.publishOne(ctx, j)
		progress = progress || moved
		if stop {
			return
		}
	}
}

// changed marks the outbox view stale; events go out batched.
func (o *Outbox) changed() {
	o.mu.Lock()
	o.dirty = true
	o.mu.Unlock()
	o.scheduleFlush()
}

// scheduleFlush emits outbox:changed at most every 200 ms while things move,
// and never when nothing does (no idle timer).
func (o *Outbox) scheduleFlush() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.dirty || o.flushPending {
		return
	}
	o.flushPending = true
	time.AfterFunc(200*time.Millisecond, func() {
		o.mu.Lock()
		o.flushPending = false
		o.mu.Unlock()
		o.flush()
	})
}

func (o *Outbox) flush() {
	o.mu.Lock()
	d := o.dirty
	o.dirty = false
	o.mu.Unlock()
	if d {
		o.events.Emit(backend.EventOutboxChanged)
	}
}
