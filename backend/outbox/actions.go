package outbox

import (
	"context"
	"net/url"
	"strings"
	"time"

	"pauta/backend"
)

// Items returns rows of the outbox view, with why due ones are waiting.
func (o *Outbox) Items(ctx context.Context, f backend.OutboxFilter) ([]backend.OutboxItem, error) {
	items, err := o.store.OutboxItems(ctx, f)
	if err != nil {
		return nil, err
	}
	now := o.clock.Now()
	o.mu.Lock()
	defer o.mu.Unlock()
	for i := range items {
		it := &items[i]
		if it.AwaitingApproval && it.State == backend.OutboxPending {
			it.Waiting = backend.WaitApproval // never sent before the client approves (approval.go)
			continue
		}
		if it.State != backend.OutboxPending || it.Due.After(now) || it.RemoteScheduled {
			continue // a post scheduled on the server waits for nothing here
		}
		switch {
		case it.Paused:
			it.Waiting = backend.WaitPaused
		case after(it.NextAttemptAt, now):
			it.Waiting = backend.WaitBackoff
		default:
			host := o.opt.Host(backend.Account{ID: it.AccountID, Network: it.Network, Handle: it.Handle})
			if hs, ok := o.hosts[host]; ok && host != "" && !hs.online {
				it.Waiting = backend.WaitOffline
			}
		}
	}
	return items, nil
}

// after an action: the view changed and the loop may have work.
func (o *Outbox) acted() {
	o.mu.Lock()
	o.dirty = true
	o.remoteDirty = true // a server-side schedule may have to follow (remote.go)
	o.mu.Unlock()
	o.flush()
	o.nudge()
}

func conflict(key, format string, args ...any) error {
	return backend.Errorf(backend.EConflict, key, format, args...)
}

// PublishNow sends a variant as soon as possible, late or not: a missed,
// failed, skipped, needs_review or waiting one. Several of one account are
// spaced by Options.Spacing, never sent in a burst. From needs_review it
// means the user checked the network does not have the post.
func (o *Outbox) PublishNow(ctx context.Context, variantID int64) error {
	j, err := o.store.OutboxJob(ctx, variantID)
	if err != nil {
		return err
	}
	if j.Account.Network.Manual() {
		return backend.Errorf(backend.EInvalid, "outbox.manual_network", "%s posts are published by hand: open the network, then mark the post as published", j.Account.Network)
	}
	now := o.clock.Now()
	err = o.store.OutboxUpdate(ctx, variantID, func(v *backend.VariantPublish, a *backend.AccountOutbox) error {
		switch v.State {
		case backend.OutboxSending:
			return conflict("outbox.sending", "this post is being sent right now")
		case backend.OutboxPublished:
			return conflict("outbox.already_published", "this post is already published")
		case backend.OutboxDueManual:
			return backend.Errorf(backend.EInvalid, "outbox.manual_network", "this post is published by hand")
		}
		slot := floorSecond(now)
		if a.SpacedUntil != nil && a.SpacedUntil.Add(o.opt.Spacing).After(slot) {
			slot = a.SpacedUntil.Add(o.opt.Spacing)
		}
		a.SpacedUntil = &slot
		v.State, v.DueAt, v.Approved, v.DueFor, v.NextAttemptAt = backend.OutboxPending, &slot, true, nil, nil
		v.UncertainSince, v.Attempts = nil, 0
		v.LastErrorCode, v.LastErrorKey, v.LastError = "", "", ""
		return nil
	})
	if err != nil {
		return err
	}
	o.acted()
	return nil
}

// Retry is PublishNow for a failed or needs_review variant (the retry button).
func (o *Outbox) Retry(ctx context.Context, variantID int64) error {
	return o.PublishNow(ctx, variantID)
}

// RescheduleVariant moves one variant to at (not in the past). A variant
// whose outcome is unknown cannot be rescheduled: review it first.
func (o *Outbox) RescheduleVariant(ctx context.Context, variantID int64, at time.Time) error {
	now := o.clock.Now()
	if at.Before(now.Add(-time.Minute)) {
		return backend.Errorf(backend.EInvalid, "outbox.reschedule_past", "pick a time in the future").WithField("scheduledAt")
	}
	at = floorSecond(at)
	err := o.store.OutboxUpdate(ctx, variantID, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
		switch v.State {
		case backend.OutboxSending:
			return conflict("outbox.sending", "this post is being sent right now")
		case backend.OutboxPublished:
			return conflict("outbox.already_published", "this post is already published")
		case backend.OutboxNeedsReview:
			if v.UncertainSince != nil || v.LastErrorCode == backend.EOutcomeUnknown {
				return conflict("outbox.needs_review", "check whether this post was published before rescheduling it")
			} // else: known not published (a server-side schedule cancelled on the website)
		}
		v.State, v.DueAt, v.Approved, v.DueFor, v.NextAttemptAt = backend.OutboxPending, &at, false, nil, nil
		if v.UncertainSince == nil {
			v.Attempts = 0
		}
		v.LastErrorCode, v.LastErrorKey, v.LastError = "", "", ""
		return nil
	})
	if err != nil {
		return err
	}
	o.acted()
	return nil
}

// ReschedulePost moves a whole post to at (not in the past) and puts its
// unpublished variants back in the queue.
func (o *Outbox) ReschedulePost(ctx context.Context, postID int64, at time.Time) error {
	if at.Before(o.clock.Now().Add(-time.Minute)) {
		return backend.Errorf(backend.EInvalid, "outbox.reschedule_past", "pick a time in the future").WithField("scheduledAt")
	}
	if err := o.store.ReschedulePost(ctx, postID, floorSecond(at)); err != nil {
		return err
	}
	o.acted()
	return nil
}

// Skip drops a variant from the queue: it will not be published.
func (o *Outbox) Skip(ctx context.Context, variantID int64) error {
	j, err := o.store.OutboxJob(ctx, variantID)
	if err != nil {
		return err
	}
	due := j.Due
	err = o.store.OutboxUpdate(ctx, variantID, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
		switch v.State {
		case backend.OutboxSending:
			return conflict("outbox.sending", "this post is being sent right now")
		case backend.OutboxPublished:
			return conflict("outbox.already_published", "this post is already published")
		}
		v.State, v.NextAttemptAt, v.DueFor = backend.OutboxSkipped, nil, &due
		return nil
	})
	if err != nil {
		return err
	}
	o.acted()
	return nil
}

// MarkPublished records that the user published a variant by hand (manual
// networks), or found it published (needs_review). postURL is optional.
func (o *Outbox) MarkPublished(ctx context.Context, variantID int64, postURL string) error {
	postURL = strings.TrimSpace(postURL)
	if postURL != "" {
		u, err := url.Parse(postURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return backend.Errorf(backend.EInvalid, "outbox.url_invalid", "%q is not a web address", postURL).WithField("url")
		}
	}
	now := floorSecond(o.clock.Now())
	err := o.store.OutboxUpdate(ctx, variantID, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
		switch v.State {
		case backend.OutboxSending:
			return conflict("outbox.sending", "this post is being sent right now")
		case backend.OutboxPublished:
			if postURL != "" {
				v.Remote.URL = postURL
			}
			return nil
		}
		v.State, v.PublishedAt, v.NextAttemptAt, v.UncertainSince = backend.OutboxPublished, &now, nil, nil
		v.LastErrorCode, v.LastErrorKey, v.LastError = "", "", ""
		if postURL != "" {
			v.Remote.URL = postURL
		}
		return nil
	})
	if err != nil {
		return err
	}
	o.acted()
	return nil
}

// Resume lifts an account's pause after it was reconnected, and its backoff.
func (o *Outbox) Resume(ctx context.Context, accountID int64) error {
	err := o.store.OutboxUpdateAccount(ctx, accountID, func(a *backend.AccountOutbox) error {
		a.PausedReason, a.PausedMessage, a.PausedAt = "", "", nil
		a.Failures, a.BackoffUntil = 0, nil
		return nil
	})
	if err != nil {
		return err
	}
	o.acted()
	return nil
}
