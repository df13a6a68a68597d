// Package inbox keeps every connected account's inbox up to date: it polls
// each account's notifications through a backend.InboxFetcher, stores new
// items once (flagging alert words of the client's crisis plan), backs off
// when offline, honours rate limits, and sleeps until the next account is
// due so an idle inbox costs nothing.
package inbox

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"pauta/backend"
)

// Store is what the sync needs of the database.
type Store interface {
	backend.InboxStore
	ListAccounts(ctx context.Context, clientID int64) ([]backend.Account, error)
	OutboxAccounts(ctx context.Context) ([]backend.AccountOutbox, error)
	OutboxUpdateAccount(ctx context.Context, accountID int64, fn func(a *backend.AccountOutbox) error) error
}

// Fetchers returns the fetcher for an account (nil, nil: the network has
// none yet). The app builds it with the account's token from the keychain.
type Fetchers func(ctx context.Context, acct backend.Account) (backend.InboxFetcher, error)

// Events receives the inbox's invalidation events (backend.EventInboxChanged)
// and alerts (backend.EventInboxAlert with the new alert items).
type Events interface {
	Emit(name string, data ...any)
}

// Options tune the sync; zero values take the defaults.
type Options struct {
	Interval   time.Duration // between polls of one account (default 2 min)
	MaxBackoff time.Duration // longest wait after failures (default 30 min)
	AuthRetry  time.Duration // wait after a refused token or missing scope (default 1 h)
	Cap        int           // items per poll at most; beyond, a gap (default 400)
	OlderPage  int           // items per "load older" (default 200)
	Logf       func(format string, args ...any)
}

func (o *Options) defaults() {
	if o.Interval <= 0 {
		o.Interval = 2 * time.Minute
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 30 * time.Minute
	}
	if o.AuthRetry <= 0 {
		o.AuthRetry = time.Hour
	}
	if o.Cap <= 0 {
		o.Cap = 400
	}
	if o.OlderPage <= 0 {
		o.OlderPage = 200
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
}

// Sync polls the accounts. Build it with New; run it with Run.
type Sync struct {
	store    Store
	fetchers Fetchers
	clock    backend.Clock
	events   Events
	opt      Options
	wake     chan struct{}
	mu       sync.Mutex // one account fetch at a time (a pass, load older)
}

// New builds the sync. A nil clock is the system clock; nil events drop them.
func New(store Store, fetchers Fetchers, clock backend.Clock, events Events, opt Options) *Sync {
	opt.defaults()
	if clock == nil {
		clock = backend.SystemClock{}
	}
	if events == nil {
		events = nopEvents{}
	}
	return &Sync{store: store, fetchers: fetchers, clock: clock, events: events, opt: opt, wake: make(chan struct{}, 1)}
}

type nopEvents struct{}

func (nopEvents) Emit(string, ...any) {}

// Wake makes the loop look at every account now (after a connect, when
// the app comes back online).
func (s *Sync) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run polls until ctx ends. Between passes it sleeps until the next account
// or snoozed item is due (at most one Interval), or until Wake.
func (s *Sync) Run(ctx context.Context) error {
	return loop(ctx, s.wake, func() time.Duration {
		next, err := s.Pass(ctx)
		if err != nil && ctx.Err() == nil {
			s.opt.Logf("inbox: %v", err)
			return s.opt.Interval
		}
		if next.IsZero() {
			return s.opt.Interval
		}
		return min(max(next.Sub(s.clock.Now()), time.Second), s.opt.Interval)
	})
}

// loop runs pass at once, then again when woken or when the wait pass
// returned has gone by, until ctx ends (the sync and the avatars).
func loop(ctx context.Context, wake <-chan struct{}, pass func() time.Duration) error {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
		case <-wake:
		}
		d := pass()
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(d)
	}
}

// Pass polls every connected account that is due, puts snoozed items whose
// time came back to new, and returns when the next thing is due.
func (s *Sync) Pass(ctx context.Context) (time.Time, error) {
	now := s.clock.Now()
	var next time.Time
	soon := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	n, snooze, err := s.store.InboxUnsnooze(ctx, now)
	if err != nil {
		return next, err
	}
	if n > 0 {
		s.events.Emit(backend.EventInboxChanged)
	}
	if snooze != nil {
		soon(*snooze)
	}
	accts, err := s.store.ListAccounts(ctx, 0)
	if err != nil {
		return next, err
	}
	paused, err := s.pausedAccounts(ctx)
	if err != nil {
		return next, err
	}
	for _, a := range accts {
		if a.Connection != backend.ConnConnected || a.Network.Manual() || paused[a.ID] {
			continue
		}
		st, err := s.store.InboxSyncState(ctx, a.ID)
		if err != nil {
			return next, err
		}
		if st.NextSyncAt != nil && st.NextSyncAt.After(now) {
			soon(*st.NextSyncAt)
			continue
		}
		st, err = s.syncAccount(ctx, a, st)
		if err != nil {
			return next, err
		}
		if st.NextSyncAt != nil {
			soon(*st.NextSyncAt)
		}
	}
	return next, nil
}

func (s *Sync) pausedAccounts(ctx context.Context) (map[int64]bool, error) {
	list, err := s.store.OutboxAccounts(ctx)
	if err != nil {
		return nil, err
	}
	out := map[int64]bool{}
	for _, a := range list {
		if a.PausedReason == backend.EAuth {
			out[a.AccountID] = true
		}
	}
	return out, nil
}

// syncAccount fetches what is new for one account and stores it; while a
// gap is open (a poll hit its cap before the old mark) it reads the gap
// first, one capped page run per pass, so nothing is missed. A fetch error
// is recorded in the account's sync state; only a store failure is returned.
func (s *Sync) syncAccount(ctx context.Context, a backend.Account, st backend.InboxSync) (backend.InboxSync, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.fetchers(ctx, a)
	if err == nil && f == nil {
		return st, nil // no inbox for this network yet
	}
	q := backend.NotificationQuery{Since: st.Mark, Limit: s.opt.Cap}
	filling := st.Gap && st.GapFrom != ""
	if filling {
		q = backend.NotificationQuery{Before: st.GapFrom, Since: st.GapUntil, Limit: s.opt.Cap}
	}
	var batch backend.NotificationBatch
	if err == nil {
		batch, err = f.Notifications(ctx, a, q)
	}
	now := s.clock.Now()
	if err != nil {
		return s.failed(ctx, a, st, now, err)
	}
	switch {
	case filling:
		st.GapFrom = batch.Older
		if batch.Older == "" {
			st.Gap, st.GapFrom, st.GapUntil = false, "", ""
		}
	case st.Mark == "":
		st.Older = batch.Older // the first sync: history waits for "load older"
	case batch.Gap:
		st.Gap, st.GapFrom, st.GapUntil = true, batch.Older, st.Mark
	}
	if !filling && batch.Mark != "" {
		st.Mark = batch.Mark
	}
	st.SyncedAt, st.Failures = &now, 0
	st.ErrorCode, st.ErrorKey, st.Error, st.ErrorParams = "", "", "", nil
	due := now.Add(max(s.opt.Interval, batch.Wait))
	if st.Gap && batch.Wait == 0 {
		due = now.Add(time.Second) // more to read down to the old mark: go on at once
	}
	st.NextSyncAt = &due
	items := batch.Items
	if l, ok := f.(backend.Listener); ok && !st.Gap {
		items = append(items, s.listen(ctx, l, a, &st)...)
	}
	if err := s.save(ctx, a, items, st, now); err != nil {
		return st, err
	}
	if st.MarkRead && !st.Gap && st.Mark != "" && st.Mark != st.ReadMark {
		s.markRead(ctx, f, a, st)
	}
	return st, nil
}

// listen reads the client's watched hashtags and keywords (one page each
// per poll) and moves their marks. A failing term is skipped this time.
func (s *Sync) listen(ctx context.Context, l backend.Listener, a backend.Account, st *backend.InboxSync) []backend.Notification {
	settings, err := s.store.InboxClientSettings(ctx, a.ClientID)
	if err != nil || len(settings.Watch) == 0 {
		return nil
	}
	marks := map[string]string{}
	var out []backend.Notification
	for _, term := range settings.Watch {
		mark := st.ListenMarks[term]
		b, err := l.Listen(ctx, a, term, mark, 40)
		if err != nil {
			s.opt.Logf("inbox: listening to %q on account %d: %v", term, a.ID, err)
			marks[term] = mark
			continue
		}
		if b.Mark != "" {
			mark = b.Mark
		}
		marks[term] = mark
		out = append(out, b.Items...)
	}
	st.ListenMarks = marks // terms no longer watched are dropped
	return out
}

// save flags alert words, saves the items with the sync state and tells
// the UI (and the desktop, for alerts).
func (s *Sync) save(ctx context.Context, a backend.Account, ns []backend.Notification, st backend.InboxSync, now time.Time) error {
	settings, err := s.store.InboxClientSettings(ctx, a.ClientID)
	if err != nil {
		return err
	}
	items := make([]backend.InboxItem, 0, len(ns))
	for _, n := range ns {
		it := backend.InboxItem{AccountID: a.ID, ClientID: a.ClientID, Notification: n, ArrivedAt: now}
		if n.Subject != nil && len(settings.AlertWords) > 0 {
			it.Alert = backend.MatchAlerts(settings.AlertWords, n.Subject.Text)
		}
		items = append(items, it)
	}
	added, err := s.store.InboxSave(ctx, items, st)
	if err != nil {
		return fmt.Errorf("inbox of account %d: %w", a.ID, err)
	}
	if len(added) > 0 {
		s.events.Emit(backend.EventInboxChanged)
	}
	var alerts []backend.InboxItem
	for _, it := range added {
		if len(it.Alert) > 0 {
			alerts = append(alerts, it)
		}
	}
	if len(alerts) > 0 {
		s.events.Emit(backend.EventInboxAlert, alerts)
	}
	return nil
}

// markRead moves the network's read marker once nothing of the account is
// left to handle in Pauta (the user opted in per account).
func (s *Sync) markRead(ctx context.Context, f backend.InboxFetcher, a backend.Account, st backend.InboxSync) {
	open, err := s.store.InboxList(ctx, backend.InboxFilter{AccountID: a.ID, States: []string{backend.InboxNew, backend.InboxSnoozed}, Limit: 1})
	if err != nil || len(open) > 0 {
		return
	}
	if err := f.MarkRead(ctx, a, st.Mark); err != nil {
		s.opt.Logf("inbox: read marker of account %d: %v", a.ID, err)
		return
	}
	st.ReadMark = st.Mark
	_ = s.store.InboxSetSync(ctx, st)
}

// failed records a fetch error: offline and server errors back off
// (doubling up to MaxBackoff), a rate limit waits as told, a refused token
// pauses the account until it is connected again, a missing scope and a
// refused cursor are shown on the account.
func (s *Sync) failed(ctx context.Context, a backend.Account, st backend.InboxSync, now time.Time, err error) (backend.InboxSync, error) {
	e := backend.AsError(err)
	st.Failures++
	st.ErrorCode, st.ErrorKey, st.Error, st.ErrorParams = e.Code, e.Key, e.Message, e.Params
	wait := backoff(s.opt.Interval, s.opt.MaxBackoff, st.Failures)
	switch e.Code {
	case backend.ERateLimited:
		wait = max(e.RetryAfter, s.opt.Interval)
	case backend.EAuth:
		wait = s.opt.AuthRetry
		if e.Key != "inbox.scope_missing" { // the token itself was refused: the account needs reconnecting
			if perr := s.store.OutboxUpdateAccount(ctx, a.ID, func(o *backend.AccountOutbox) error {
				if o.PausedReason == "" {
					o.PausedReason, o.PausedMessage, o.PausedAt = backend.EAuth, e.Message, &now
				}
				return nil
			}); perr != nil && !errors.Is(perr, context.Canceled) {
				return st, perr
			}
		}
	case backend.EInvalid:
		st.Mark = "" // the server refuses the cursor: start again from the newest (nothing is duplicated)
	}
	due := now.Add(wait)
	st.NextSyncAt = &due
	if err := s.store.InboxSetSync(ctx, st); err != nil {
		return st, err
	}
	s.events.Emit(backend.EventInboxChanged)
	return st, nil
}

func backoff(base, limit time.Duration, failures int) time.Duration {
	d := base
	for i := 1; i < failures && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}

// LoadOlder fetches the page older than the account's "load older" cursor:
// the history from before the first sync.
func (s *Sync) LoadOlder(ctx context.Context, accountID int64) (int, error) {
	st, err := s.store.InboxSyncState(ctx, accountID)
	if err != nil {
		return 0, err
	}
	if st.Older == "" {
		return 0, nil
	}
	accts, err := s.store.ListAccounts(ctx, 0)
	if err != nil {
		return 0, err
	}
	for _, a := range accts {
		if a.ID != accountID {
			continue
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		f, err := s.fetchers(ctx, a)
		if err != nil {
			return 0, err
		}
		if f == nil {
			return 0, nil
		}
		batch, err := f.Notifications(ctx, a, backend.NotificationQuery{Before: st.Older, Limit: s.opt.OlderPage})
		if err != nil {
			return 0, err
		}
		st.Older = batch.Older
		return len(batch.Items), s.save(ctx, a, batch.Items, st, s.clock.Now())
	}
	return 0, backend.Errorf(backend.ENotFound, "account.not_found", "account %d does not exist", accountID)
}

// Reset clears an account's error and makes it due now (after the user
// connected it again or added a scope).
func (s *Sync) Reset(ctx context.Context, accountID int64) error {
	st, err := s.store.InboxSyncState(ctx, accountID)
	if err != nil {
		return err
	}
	st.Failures, st.NextSyncAt = 0, nil
	st.ErrorCode, st.ErrorKey, st.Error, st.ErrorParams = "", "", "", nil
	if err := s.store.InboxSetSync(ctx, st); err != nil {
		return err
	}
	s.Wake()
	return nil
}
