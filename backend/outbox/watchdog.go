package outbox

// The watchdog (issue 12): no post sits in pending past its time + grace
// without a visible state. Each pass, a pending variant due more than the
// grace ago that is not about to be sent turns missed, with why in its
// LastErrorKey, so the outbox view offers publish now / reschedule / skip:
//
//	held by the server, confirmed (scheduled status id) ─▶ left alone: the server publishes it
//	held, the create's answer never came ────────────────▶ missed (outbox.missed_server_unconfirmed)
//	the server cannot hold scheduled posts ──────────────▶ missed (outbox.missed_server_unscheduled)
//	the account needs reconnecting ──────────────────────▶ missed (outbox.missed_paused)
//	its host is offline ─────────────────────────────────▶ missed (outbox.missed_offline)
//	tried, failed for certain, next retry later ─────────▶ missed (outbox.missed_retrying)
//	never tried, nothing more known ─────────────────────▶ missed by the pass (toMissed)
//
// Never missed: a variant whose outcome is unknown (UncertainSince: its own
// review path), one the user asked to publish late (Approved), one in
// flight. Turning pending into missed sends nothing, so a wall-clock jump
// can at worst show a post as missed early; it never publishes twice.

import (
	"context"
	"errors"
	"time"

	"pauta/backend"
)

// EMissed is the LastErrorCode of a variant the watchdog turned missed.
const EMissed = "missed"

// Reasons of the watchdog (i18n keys, in the frontend catalogues).
const (
	keyMissedUnconfirmed = "outbox.missed_server_unconfirmed"
	keyMissedUnscheduled = "outbox.missed_server_unscheduled"
	keyMissedPaused      = "outbox.missed_paused"
	keyMissedOffline     = "outbox.missed_offline"
	keyMissedRetrying    = "outbox.missed_retrying"
)

type missReason struct{ key, msg string }

// watchdog turns the stuck pending variants missed (see above). It runs in
// the pass before any worker starts, and skips accounts a worker holds.
func (o *Outbox) watchdog(ctx context.Context, now time.Time, accs map[int64]backend.AccountOutbox) error {
	grace := o.Grace()
	jobs, err := o.store.OutboxJobs(ctx, backend.OutboxQuery{States: []backend.OutboxState{backend.OutboxPending},
		DueBy: now.Add(-grace), IncludeHeld: true, Limit: o.opt.BatchSize})
	if err != nil || len(jobs) == 0 {
		return err
	}
	byAcc := map[int64][]backend.OutboxJob{}
	var order []int64
	for _, j := range jobs {
		v := j.Publish
		if j.Account.Network.Manual() || v.UncertainSince != nil || v.Approved || now.Sub(j.Due) <= grace {
			continue
		}
		if _, ok := byAcc[v.AccountID]; !ok {
			order = append(order, v.AccountID)
		}
		byAcc[v.AccountID] = append(byAcc[v.AccountID], j)
	}
	if len(order) == 0 {
		return nil
	}
	remote := o.remoteAccounts(ctx)
	for _, id := range order {
		// Hold the account like a worker: a sync resolving a schedule and
		// the watchdog never decide on one variant at once.
		o.mu.Lock()
		if o.busy[id] {
			o.mu.Unlock()
			continue
		}
		o.busy[id] = true
		o.mu.Unlock()
		err := o.watchAccount(ctx, now, byAcc[id], accs[id], remote[id])
		o.mu.Lock()
		delete(o.busy, id)
		o.mu.Unlock()
		if err != nil {
			return err
		}
	}
	return nil
}

// remoteAccounts returns the Mastodon accounts with what is known of their
// server, and their rows (nil when the outbox has no server-side scheduling).
func (o *Outbox) remoteAccounts(ctx context.Context) map[int64]*remoteInfo {
	_, rs, ok := o.remoteParts()
	if !ok {
		return nil
	}
	list, err := rs.RemoteAccounts(ctx)
	if err != nil {
		o.opt.Logf("outbox: watchdog: %v", err)
		return nil
	}
	out := map[int64]*remoteInfo{}
	for _, a := range list {
		out[a.ID] = &remoteInfo{acc: a, rs: rs}
	}
	return out
}

type remoteInfo struct {
	acc  backend.Account
	rs   backend.RemoteScheduleStore
	rows map[int64]backend.RemoteSchedule
}

func (ri *remoteInfo) row(ctx context.Context, variantID, postID int64) (backend.RemoteSchedule, bool, error) {
	if ri == nil {
		return backend.RemoteSchedule{}, false, nil
	}
	if ri.rows == nil {
		rows, err := ri.rs.RemoteSchedules(ctx, ri.acc.ID)
		if err != nil {
			return backend.RemoteSchedule{}, false, err
		}
		ri.rows = map[int64]backend.RemoteSchedule{}
		for _, r := range rows {
			ri.rows[r.VariantID] = r
		}
	}
	r, ok := ri.rows[variantID]
	return r, ok && r.PostID == postID, nil
}

func (o *Outbox) watchAccount(ctx context.Context, now time.Time, jobs []backend.OutboxJob, a backend.AccountOutbox, ri *remoteInfo) error {
	for _, j := range jobs {
		v := j.Publish
		if o.isInflight(v.VariantID) {
			continue
		}
		r, has, err := ri.row(ctx, v.VariantID, v.PostID)
		if err != nil {
			return err
		}
		why, ok := o.missReason(now, j, a, ri, r, has)
		if !ok {
			continue
		}
		if err := o.watchMissed(ctx, j, why); err != nil && !errors.Is(err, errSkip) && backend.ErrorCode(err) != backend.ENotFound {
			return err
		}
	}
	return nil
}

// missReason says whether a stuck variant turns missed now, and why.
func (o *Outbox) missReason(now time.Time, j backend.OutboxJob, a backend.AccountOutbox, ri *remoteInfo, r backend.RemoteSchedule, has bool) (missReason, bool) {
	v := j.Publish
	host := o.opt.Host(j.Account)
	if host == "" {
		host = string(j.Account.Network)
	}
	switch {
	case has && r.RemoteID != "":
		return missReason{}, false // the server has it and publishes it
	case has && r.Held():
		if !o.remoteTriedSince(v.AccountID, j.Due.Add(o.Grace())) {
			return missReason{}, false // a sync may still resolve it: let one try first
		}
		return missReason{keyMissedUnconfirmed, "Pauta handed this post to " + host + " but never learned whether the server took it: check the account before publishing it"}, true
	case a.PausedReason != "":
		return missReason{keyMissedPaused, "its time passed while the account needed connecting again"}, true
	case ri != nil && (ri.acc.ServerSchedules == backend.ServerSchedulesNo || (has && r.LastErrorCode == backend.ENoServerSchedule)) && v.Attempts == 0:
		return missReason{keyMissedUnscheduled, host + " cannot hold scheduled posts and Pauta was not open and online at its time"}, true
	case v.Attempts > 0 && (after(v.NextAttemptAt, now) || after(a.BackoffUntil, now)):
		return missReason{keyMissedRetrying, "it could not be sent before its time passed, so it was not sent late"}, true
	}
	o.mu.Lock()
	hs, known := o.hosts[o.opt.Host(j.Account)]
	o.mu.Unlock()
	if known && !hs.online {
		return missReason{keyMissedOffline, "its time passed while " + host + " could not be reached"}, true
	}
	return missReason{}, false // a retry due now is sent by this pass; one never tried is missed by it (toMissed)
}

// watchMissed turns j missed with why, if it is still pending as read.
func (o *Outbox) watchMissed(ctx context.Context, j backend.OutboxJob, why missReason) error {
	due := j.Due
	err := o.store.OutboxUpdate(ctx, j.Publish.VariantID, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
		if v.State != backend.OutboxPending || v.UncertainSince != nil || v.Approved || v.Attempts != j.Publish.Attempts {
			return errSkip
		}
		v.State, v.DueFor, v.NextAttemptAt = backend.OutboxMissed, &due, nil
		v.LastErrorCode, v.LastErrorKey, v.LastError = EMissed, why.key, why.msg
		return nil
	})
	if err == nil {
		o.changed()
	}
	return err
}

// remoteTriedSince reports whether a sync of the account started at or
// after t and finished.
func (o *Outbox) remoteTriedSince(accountID int64, t time.Time) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	ra := o.remote[accountID]
	return ra != nil && !ra.triedAt.IsZero() && !ra.triedAt.Before(t)
}
