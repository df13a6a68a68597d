package outbox

// Server-side scheduling (Mastodon). A pending variant due more than
// RemoteLead ahead is handed to the instance with scheduled_at, so it goes
// out even with the laptop closed. The design is declarative: for each
// variant the outbox compares what the instance should have (a hash of text,
// media and language, and the due time) with what it recorded the instance
// has (backend.RemoteSchedule), and fixes the difference while the host is
// online:
//
//	nothing recorded, due > now+RemoteLead ──────────▶ create (intent first)
//	same content, other time, still far enough ──────▶ PUT scheduled_at
//	other content (or too close to move) ────────────▶ cancel (+ create)
//	variant gone, draft, deleted, skipped, … ────────▶ cancel
//	listed no more, before its time ─────────────────▶ needs_review ("cancelled on <instance>")
//	listed no more, its time passed ─────────────────▶ published (URL from the account's statuses)
//
// Exactly once: a row with a scheduled status id, or with a create call whose
// outcome is unknown (CreatingSince, written before the call), holds the
// variant: OutboxJobs leaves it out, so the local path never publishes it.
// A create interrupted by a crash is resolved by listing the instance's
// scheduled statuses (matched by text and time), timed on the server's clock
// (remote_recover.go); never by a replay trusting the Idempotency-Key.
// A refused create (4xx) falls back to local publishing at the due time,
// with the reason stored.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"pauta/backend"
)

// RemoteLead is how far ahead a post must be due to be handed to the
// instance: the instance wants 5 minutes, plus a minute for the call.
const RemoteLead = 6 * time.Minute

// remoteListEvery is how often the instance's list of scheduled statuses is
// read while online (cancelled on the website, published while asleep).
const remoteListEvery = 3 * time.Minute

type remoteAccount struct {
	listedAt time.Time
	failures int
	until    time.Time
	backedAt time.Time // when until was set: a clock gone back before it ends the wait
	// triedAt is when the last finished worker started (whatever came of
	// it): the watchdog lets a sync try before calling a reservation stuck.
	triedAt time.Time
}

func (o *Outbox) remoteParts() (backend.RemoteScheduler, backend.RemoteScheduleStore, bool) {
	rs, ok := o.store.(backend.RemoteScheduleStore)
	if !ok {
		return nil, nil, false
	}
	sched, ok := o.pubs[backend.Mastodon].(backend.RemoteScheduler)
	if !ok {
		return nil, nil, false
	}
	return sched, rs, true
}

// startRemote starts a sync worker for each Mastodon account that is not
// busy publishing: diff says the posts may have changed (a wake, or the
// minute's reconcile); the instance's list is read every remoteListEvery.
func (o *Outbox) startRemote(ctx context.Context, now time.Time, diff bool, accs map[int64]backend.AccountOutbox) error {
	sched, rs, ok := o.remoteParts()
	if !ok {
		return nil
	}
	o.mu.Lock()
	diff = diff || o.remoteDirty
	o.remoteDirty = false
	o.mu.Unlock()
	accounts, err := rs.RemoteAccounts(ctx)
	if err != nil {
		return err
	}
	for _, acc := range accounts {
		if a := accs[acc.ID]; a.PausedReason != "" {
			continue
		}
		o.mu.Lock()
		if o.remote == nil {
			o.remote = map[int64]*remoteAccount{}
		}
		ra := o.remote[acc.ID]
		if ra == nil {
			ra = &remoteAccount{}
			o.remote[acc.ID] = ra
		}
		list := ra.listedAt.IsZero() || now.Sub(ra.listedAt) >= remoteListEvery || now.Before(ra.listedAt)
		backoff := now.Before(ra.until) && !now.Before(ra.backedAt)
		skip := o.busy[acc.ID] || backoff || (!diff && !list)
		if !skip {
			o.busy[acc.ID] = true
		}
		o.mu.Unlock()
		if skip {
			continue
		}
		o.wg.Add(1)
		go o.remoteWorker(ctx, sched, rs, acc, list)
	}
	return nil
}

func (o *Outbox) remoteWorker(ctx context.Context, sched backend.RemoteScheduler, rs backend.RemoteScheduleStore, acc backend.Account, list bool) {
	moved := false
	started := o.clock.Now()
	defer func() {
		o.mu.Lock()
		if ra := o.remote[acc.ID]; ra != nil && ctx.Err() == nil {
			ra.triedAt = started
		}
		delete(o.busy, acc.ID)
		skipped := o.skippedBusy
		o.skippedBusy = false
		o.mu.Unlock()
		o.wg.Done()
		if moved {
			o.changed()
			o.events.Emit(backend.EventPostsChanged)
		}
		// Look again only if something moved or due work waited for this
		// account: a sync that did nothing (offline) must not make the loop spin.
		if moved || skipped {
			o.nudge()
		}
	}()
	select {
	case o.sem <- struct{}{}:
	case <-ctx.Done():
		return
	}
	defer func() { <-o.sem }()
	host := o.opt.Host(acc)
	if host != "" && !o.hostOnline(ctx, host) {
		return
	}
	s := &remoteSync{o: o, sched: sched, rs: rs, acc: acc, host: host, now: o.clock.Now()}
	err := s.run(ctx, list)
	moved = s.moved
	o.mu.Lock()
	ra := o.remote[acc.ID]
	if err == nil && ra != nil {
		ra.failures, ra.until = 0, time.Time{}
		if list && s.listed {
			ra.listedAt = s.now
		}
	}
	o.mu.Unlock()
	if err != nil && ctx.Err() == nil {
		o.remoteFailed(ctx, acc, host, err)
	}
}

// remoteFailed classifies an error that stopped an account's sync: EAuth
// pauses the account until it is reconnected; anything else backs the sync
// off (Retry-After honoured).
func (o *Outbox) remoteFailed(ctx context.Context, acc backend.Account, host string, err error) {
	e := backend.AsError(err)
	if backend.ErrorCode(err) == backend.EAuth {
		now := floorSecond(o.clock.Now())
		uerr := o.store.OutboxUpdateAccount(ctx, acc.ID, func(a *backend.AccountOutbox) error {
			a.PausedReason, a.PausedMessage, a.PausedAt = backend.EAuth, e.Message, &now
			return nil
		})
		if uerr != nil {
			o.opt.Logf("outbox: remote schedule: %v", uerr)
		}
		o.changed()
		return
	}
	o.forgetHost(host)
	o.mu.Lock()
	ra := o.remote[acc.ID]
	if ra != nil {
		ra.failures++
		wait := o.backoff(ra.failures)
		if e != nil && e.RetryAfter > 0 {
			wait = e.RetryAfter
		}
		ra.backedAt = o.clock.Now()
		ra.until = ra.backedAt.Add(wait)
	}
	o.mu.Unlock()
	o.opt.Logf("outbox: remote schedule for account %d: %v", acc.ID, err)
}

// remoteSync is one account's sync.
type remoteSync struct {
	o      *Outbox
	sched  backend.RemoteScheduler
	rs     backend.RemoteScheduleStore
	acc    backend.Account
	host   string
	now    time.Time
	moved  bool
	listed bool

	remote    []backend.RemoteScheduled // the instance's list (when read)
	listAt    time.Time                 // the server's time of that list (zero: unknown)
	listedIDs map[string]bool           // the rows' ids known before the list was read
	statuses  []backend.RemoteStatus    // the account's recent statuses (read once, when needed)
	readSt    bool
}

// target is what the instance should have for a candidate.
type target struct {
	job  backend.OutboxJob
	req  backend.PublishRequest
	hash string
	at   time.Time
}

func (t target) key() string { return t.hash + "@" + t.at.UTC().Format(time.RFC3339) }

func (s *remoteSync) run(ctx context.Context, list bool) error {
	if s.acc.Network != backend.Mastodon || s.acc.Connection != backend.ConnConnected {
		// Disconnected: nothing can be changed on the instance, which still
		// publishes what it holds; the rows keep holding their variants.
		return nil
	}
	if err := s.capability(ctx); err != nil { // remote_capability.go
		return err
	}
	rows, err := s.rs.RemoteSchedules(ctx, s.acc.ID)
	if err != nil {
		return err
	}
	if s.acc.ServerSchedules == backend.ServerSchedulesNo {
		s.listed = true // nothing to list: look again in remoteListEvery
		return s.releaseRefused(ctx, rows)
	}
	byVariant := map[int64]backend.RemoteSchedule{}
	needList := list
	for _, r := range rows {
		byVariant[r.VariantID] = r
		if r.CreatingSince != nil && r.RemoteID == "" {
			needList = true // an interrupted create: look before anything else
		}
	}
	if needList && len(rows) > 0 {
		if err := s.readList(ctx); err != nil {
			if backend.ErrorCode(err) == backend.ENoServerSchedule {
				s.listed = true
				return s.releaseRefused(ctx, rows)
			}
			return err
		}
		// Only the rows read before the list are compared with it.
		s.listedIDs = map[string]bool{}
		for _, r := range rows {
			if r.RemoteID != "" {
				s.listedIDs[r.RemoteID] = true
			}
		}
	} else if list {
		s.listed = true // nothing to compare with
	}

	cands, err := s.rs.RemoteCandidates(ctx, s.acc.ID, s.now)
	if err != nil {
		return err
	}
	seen := map[int64]bool{}
	for _, j := range cands {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		id := j.Publish.VariantID
		seen[id] = true
		r, has := byVariant[id]
		if has && r.PostID != j.Publish.PostID {
			// A reused variant id: the old row's status is not this variant's.
			if err := s.drop(ctx, r, nil); err != nil {
				return err
			}
			has = false
		}
		if !has && !j.Due.After(s.now.Add(RemoteLead)) {
			continue // too close: the local path publishes it
		}
		t, ok, err := s.target(ctx, j)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			s.o.opt.Logf("outbox: cannot prepare variant %d for the server: %v", id, err)
			continue // left as it is; the local path publishes it if it stays so
		}
		if !ok {
			if has && r.Held() {
				if err := s.drop(ctx, r, &j); err != nil {
					return err
				}
			}
			continue
		}
		var rp *backend.RemoteSchedule
		if has {
			rp = &r
		}
		if err := s.converge(ctx, rp, t); err != nil {
			return err
		}
	}
	// Rows whose variant no longer wants a server-side schedule.
	for _, r := range rows {
		if seen[r.VariantID] {
			continue
		}
		if err := s.unwanted(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// target builds the request the instance should have for j. ok is false
// when it cannot be scheduled on the server (Prepare made a reply).
func (s *remoteSync) target(ctx context.Context, j backend.OutboxJob) (target, bool, error) {
	req := request(j, j.Publish)
	if s.o.opt.Prepare != nil {
		if err := s.o.opt.Prepare(ctx, j, &req); err != nil {
			return target{}, false, err
		}
	}
	req.Account = j.Account
	if req.ReplyTo != nil || req.Like != nil {
		return target{}, false, nil
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%d\x00", req.Text, req.Language, len(req.Media))
	for _, m := range req.Media {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%.4f\x00%.4f\x00", m.Path, m.MIME, m.Alt, m.FocusX, m.FocusY)
	}
	return target{job: j, req: req, hash: hex.EncodeToString(h.Sum(nil)), at: j.Due.UTC()}, true, nil
}

// converge makes the instance have t for a candidate (r: its row, or nil).
func (s *remoteSync) converge(ctx context.Context, r *backend.RemoteSchedule, t target) error {
	far := t.at.After(s.now.Add(RemoteLead))
	if r != nil && r.CreatingSince != nil && r.RemoteID == "" {
		done, err := s.recover(ctx, *r, &t.job)
		if err != nil || !done {
			return err
		}
		fresh, err := s.row(ctx, t.job.Publish.VariantID)
		if err != nil {
			return err
		}
		r = fresh
	}
	if r != nil && r.RemoteID != "" && s.listedIDs[r.RemoteID] && !s.inList(r.RemoteID) {
		// Gone from the instance's list: cancelled on the website, or published.
		return s.gone(ctx, *r, &t.job)
	}
	if r != nil && r.Held() {
		switch {
		case r.Hash == t.hash && r.ScheduledAt != nil && r.ScheduledAt.Equal(t.at):
			return nil // the instance has it
		case r.Hash == t.hash && far:
			return s.move(ctx, *r, t)
		}
		// Other content (a scheduled status's text and media cannot be
		// changed), or too close to move: cancel, then create if far enough.
		gone, err := s.cancel(ctx, *r, &t.job)
		if err != nil || !gone {
			return err
		}
		r = nil
	}
	if r != nil && r.RefusedHash == t.key() && !refusedByServer(r) {
		return nil // refused as it is: published locally
	}
	if !far {
		return nil
	}
	return s.create(ctx, t)
}

func (s *remoteSync) row(ctx context.Context, variantID int64) (*backend.RemoteSchedule, error) {
	rows, err := s.rs.RemoteSchedules(ctx, s.acc.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if r.VariantID == variantID {
			return &r, nil
		}
	}
	return nil, nil
}

// CancelRemoteAccount cancels the server-side schedules of an account about
// to be removed (its token goes with it, so they could not be managed
// later). It waits for the account's worker, and returns the first error;
// rows it could not cancel are left for the caller's removal to drop.
func (o *Outbox) CancelRemoteAccount(ctx context.Context, acc backend.Account) error {
	sched, rs, ok := o.remoteParts()
	if !ok {
		return nil
	}
	for {
		o.mu.Lock()
		if !o.busy[acc.ID] {
			o.busy[acc.ID] = true
			o.mu.Unlock()
			break
		}
		o.mu.Unlock()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	defer func() {
		o.mu.Lock()
		delete(o.busy, acc.ID)
		o.mu.Unlock()
	}()
	rows, err := rs.RemoteSchedules(ctx, acc.ID)
	if err != nil {
		return err
	}
	var first error
	for _, r := range rows {
		if r.RemoteID == "" {
			continue
		}
		err := sched.CancelRemote(ctx, acc, r.RemoteID)
		if err != nil && backend.ErrorCode(err) != backend.ENotFound {
			if first == nil {
				first = err
			}
			continue
		}
		if err := rs.RemoteDelete(ctx, r.VariantID); err != nil && first == nil {
			first = err
		}
	}
	return first
}
