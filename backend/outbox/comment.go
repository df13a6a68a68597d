package outbox

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"pauta/backend"
)

// First comments: a post's first comment goes out as a reply to the
// published post (Mastodon in_reply_to_id, Bluesky reply root and parent)
// right after it, with the same guarantees as the post (backend/comment.go):
// keys generated once and stored, `sending` committed before the call, an
// interrupted call resolved by the network (resolve.go: record key on
// Bluesky, reply target on Mastodon), else needs_review; backoff, Retry-After and
// the auth pause are the account's, shared with its posts.
//
// The store sets a comment pending in the transaction that publishes its
// post; the worker that published the post sends it at once, and every pass
// picks up the ones left (retries, recovery). A comment never blocks or
// re-sends its post.

// commentKey is a comment's key in Outbox.inflight (posts use their variant id).
func commentKey(variantID int64) int64 { return -variantID }

// commentStore is the store's CommentStore, nil when it has none.
func (o *Outbox) commentStore() backend.CommentStore {
	cs, _ := o.store.(backend.CommentStore)
	return cs
}

// dueComments recovers comments interrupted mid-call and returns the ready
// ones by account (paused or backing-off accounts wait), and the earliest
// later retry time (zero: none).
func (o *Outbox) dueComments(ctx context.Context, now time.Time, accs map[int64]backend.AccountOutbox) (map[int64][]backend.CommentJob, time.Time, error) {
	cs := o.commentStore()
	if cs == nil {
		return nil, time.Time{}, nil
	}
	sending, err := cs.CommentJobs(ctx, []backend.CommentState{backend.CommentSending}, time.Time{}, 0)
	if err != nil {
		return nil, time.Time{}, err
	}
	for _, j := range sending {
		if o.isInflight(commentKey(j.Publish.VariantID)) {
			continue
		}
		if err := o.recoverComment(ctx, cs, j.Publish.VariantID); err != nil {
			return nil, time.Time{}, err
		}
	}
	jobs, err := cs.CommentJobs(ctx, []backend.CommentState{backend.CommentPending}, now, o.opt.BatchSize)
	if err != nil {
		return nil, time.Time{}, err
	}
	out := map[int64][]backend.CommentJob{}
	for _, j := range jobs {
		a := accs[j.Publish.AccountID]
		if a.PausedReason != "" || after(a.BackoffUntil, now) || o.pubs[j.Account.Network] == nil {
			continue
		}
		if !j.Active && j.Publish.UncertainSince == nil {
			continue // the post was deleted or moved back to draft: nothing new goes out
		}
		out[j.Publish.AccountID] = append(out[j.Publish.AccountID], j)
	}
	next, ok, err := cs.CommentNextWake(ctx, now)
	if err != nil || !ok {
		return out, time.Time{}, err
	}
	return out, next, nil
}

// addCommentAccounts appends to order the accounts that only have comments
// to send, in a stable order.
func addCommentAccounts(order []int64, groups map[int64][]backend.OutboxJob, comments map[int64][]backend.CommentJob) []int64 {
	var extra []int64
	for acc := range comments {
		if _, ok := groups[acc]; !ok {
			extra = append(extra, acc)
		}
	}
	slices.Sort(extra)
	return append(order, extra...)
}

// earliest is the earlier of two optional times (zero = none).
func earliest(a, b time.Time) time.Time {
	switch {
	case a.IsZero():
		return b
	case b.IsZero() || a.Before(b):
		return a
	}
	return b
}

func (o *Outbox) recoverComment(ctx context.Context, cs backend.CommentStore, id int64) error {
	err := cs.CommentUpdate(ctx, id, func(c *backend.CommentPublish, _ *backend.AccountOutbox) error {
		if c.State != backend.CommentSending {
			return errSkip
		}
		c.State = backend.CommentPending
		if c.UncertainSince == nil {
			c.UncertainSince = c.SendingSince
			if c.UncertainSince == nil {
				t := floorSecond(o.clock.Now())
				c.UncertainSince = &t
			}
		}
		c.LastErrorCode, c.LastErrorKey, c.LastError = backend.EInterrupted, "outbox.comment_interrupted", "the app stopped while this comment was being sent"
		return nil
	})
	if err != nil && !errors.Is(err, errSkip) && backend.ErrorCode(err) != backend.ENotFound {
		return err
	}
	o.changed()
	return nil
}

// commentAfterPost sends a post's first comment right after the post was
// published, when the store queued one.
func (o *Outbox) commentAfterPost(ctx context.Context, variantID int64) (moved, stop bool) {
	cs := o.commentStore()
	if cs == nil || ctx.Err() != nil {
		return false, false
	}
	j, err := cs.CommentJob(ctx, variantID)
	if err != nil {
		return o.stored(err, false)
	}
	if j.Publish.State != backend.CommentPending {
		return false, false
	}
	return o.publishComment(ctx, *j)
}

// commentRequest is what the publisher receives for a comment: only stored
// values, so every retry sends the same keys, createdAt and reply refs.
func commentRequest(j backend.CommentJob, c backend.CommentPublish) backend.PublishRequest {
	parent := j.Parent
	req := backend.PublishRequest{
		Account:        j.Account,
		Text:           j.Text,
		Language:       j.Language,
		IdempotencyKey: c.IdempotencyKey,
		RecordKey:      c.RecordKey,
		ReplyTo:        &parent,
		Root:           &parent,
	}
	if c.RemoteCreatedAt != nil {
		req.CreatedAt = *c.RemoteCreatedAt
	}
	return req
}

// publishComment takes one pending comment through sending to its outcome,
// like publishOne does for a post.
func (o *Outbox) publishComment(ctx context.Context, j backend.CommentJob) (moved, stop bool) {
	cs := o.commentStore()
	id := j.Publish.VariantID
	pub := o.pubs[j.Account.Network]
	if cs == nil || pub == nil {
		return false, false
	}
	host := o.opt.Host(j.Account)
	key := commentKey(id)
	o.mu.Lock()
	if o.inflight[key] {
		o.mu.Unlock()
		return false, false
	}
	o.inflight[key] = true
	o.mu.Unlock()
	defer func() {
		o.mu.Lock()
		delete(o.inflight, key)
		o.mu.Unlock()
	}()

	clearUncertain := false
	if since := j.Publish.UncertainSince; since != nil {
		r := o.resolve(ctx, pub, j.Account.Network, commentRequest(j, j.Publish), j.Publish.Mark, *since) // resolve.go
		switch r.v {
		case vError:
			if ctx.Err() != nil {
				return false, true
			}
			return o.commentLookupFailed(ctx, cs, id, r.err, host)
		case vFound:
			return o.commentPublished(ctx, cs, id, backend.CommentPending, r.ref)
		case vWait:
			return o.commentLookAgain(ctx, cs, id, r.after)
		case vReview:
			return o.commentToReview(ctx, cs, id)
		}
		clearUncertain = r.absent
	}
	if !j.Active { // the post was deleted or moved back to draft: nothing new goes out
		if !clearUncertain {
			return false, false
		}
		err := cs.CommentUpdate(ctx, id, func(c *backend.CommentPublish, _ *backend.AccountOutbox) error {
			if c.State != backend.CommentPending {
				return errSkip
			}
			c.UncertainSince = nil // the network certainly does not have it
			return nil
		})
		return o.stored(err, false)
	}
	if strings.TrimSpace(j.Text) == "" { // the comment was removed in the editor
		err := cs.CommentUpdate(ctx, id, func(c *backend.CommentPublish, _ *backend.AccountOutbox) error {
			if c.State != backend.CommentPending {
				return errSkip
			}
			c.State, c.NextAttemptAt = backend.CommentSkipped, nil
			if c.UncertainSince != nil && !clearUncertain { // an earlier call may have published it
				c.State = backend.CommentNeedsReview
				c.LastErrorCode, c.LastErrorKey = backend.EOutcomeUnknown, "outbox.comment_outcome_unknown"
				c.LastError = "the first comment may or may not have been published: check the network"
				return nil
			}
			c.UncertainSince = nil
			c.LastErrorCode, c.LastErrorKey, c.LastError = "", "", ""
			return nil
		})
		return o.stored(err, false)
	}
	if missingParent(j) {
		err := cs.CommentUpdate(ctx, id, func(c *backend.CommentPublish, _ *backend.AccountOutbox) error {
			if c.State != backend.CommentPending {
				return errSkip
			}
			c.State, c.NextAttemptAt = backend.CommentFailed, nil
			c.LastErrorCode, c.LastErrorKey = backend.EInvalid, "outbox.comment_no_parent"
			c.LastError = "the published post's reference is missing, so the first comment cannot reply to it: post the comment by hand"
			return nil
		})
		return o.stored(err, false)
	}

	// The timeline's mark, stored with the claim (resolve.go).
	mark, merr := o.takeMark(ctx, pub, j.Account)
	if merr != nil {
		if ctx.Err() != nil {
			return false, true
		}
		return o.commentLookupFailed(ctx, cs, id, merr, host)
	}

	// Claim: `sending` with the keys generated once, committed before the call.
	now := o.clock.Now()
	var claimed backend.CommentPublish
	err := cs.CommentUpdate(ctx, id, func(c *backend.CommentPublish, _ *backend.AccountOutbox) error {
		if c.State != backend.CommentPending {
			return errSkip
		}
		if c.IdempotencyKey == "" {
			c.IdempotencyKey = NewIdempotencyKey()
		}
		if c.RecordKey == "" {
			c.RecordKey = NewRecordKey(now)
		}
		if c.RemoteCreatedAt == nil {
			t := floorSecond(now)
			c.RemoteCreatedAt = &t
		}
		if clearUncertain {
			c.UncertainSince = nil
		}
		t := floorSecond(now)
		c.State, c.SendingSince, c.Mark = backend.CommentSending, &t, mark
		c.Attempts++
		claimed = *c
		return nil
	})
	if err != nil {
		return o.stored(err, false)
	}
	o.changed()

	wctx, wcancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer wcancel()
	cctx, cancel := context.WithTimeout(ctx, o.opt.PublishTimeout)
	ref, perr := pub.Publish(cctx, commentRequest(j, claimed))
	cancel()
	if perr == nil {
		return o.commentPublished(wctx, cs, id, backend.CommentSending, ref)
	}
	return o.commentFailedCall(wctx, cs, id, perr, ctx.Err() != nil, host)
}

// missingParent reports whether the published post lacks what a reply needs.
func missingParent(j backend.CommentJob) bool {
	if j.Account.Network == backend.Bluesky {
		return j.Parent.URI == "" || j.Parent.CID == ""
	}
	return j.Parent.ID == ""
}

func (o *Outbox) commentPublished(ctx context.Context, cs backend.CommentStore, id int64, from backend.CommentState, ref backend.RemoteRef) (bool, bool) {
	now := floorSecond(o.clock.Now())
	err := cs.CommentUpdate(ctx, id, func(c *backend.CommentPublish, a *backend.AccountOutbox) error {
		if c.State != from {
			return errSkip
		}
		c.State, c.Remote, c.PublishedAt = backend.CommentPublished, ref, &now
		c.NextAttemptAt, c.UncertainSince = nil, nil
		c.LastErrorCode, c.LastErrorKey, c.LastError = "", "", ""
		a.Failures, a.BackoffUntil = 0, nil
		return nil
	})
	return o.stored(err, false)
}

// commentFailedCall records a failed comment call like failedCall does for a post.
func (o *Outbox) commentFailedCall(ctx context.Context, cs backend.CommentStore, id int64, perr error, shutdown bool, host string) (bool, bool) {
	now := o.clock.Now()
	e := backend.AsError(perr)
	code := backend.ErrorCode(perr)
	if shutdown {
		code = backend.EInterrupted
	}
	definite := code == backend.EInvalid || code == backend.EAuth || code == backend.ERateLimited
	uncertain := !definite && !notSent(perr)
	err := cs.CommentUpdate(ctx, id, func(c *backend.CommentPublish, a *backend.AccountOutbox) error {
		if c.State != backend.CommentSending {
			return errSkip
		}
		c.LastErrorCode, c.LastErrorKey, c.LastError = code, e.Key, e.Message
		if uncertain && c.UncertainSince == nil {
			c.UncertainSince = c.SendingSince
		}
		c.State = backend.CommentPending
		switch code {
		case backend.EInvalid:
			c.State, c.NextAttemptAt = backend.CommentFailed, nil
			a.Failures, a.BackoffUntil = 0, nil
			return nil
		case backend.EAuth:
			t := floorSecond(now)
			a.PausedReason, a.PausedMessage, a.PausedAt = backend.EAuth, e.Message, &t
			return nil
		case backend.EInterrupted:
			c.LastErrorKey, c.LastError = "outbox.comment_interrupted", "the app stopped while this comment was being sent"
			return nil
		case backend.ERateLimited:
			a.Failures++
			wait := o.backoff(a.Failures)
			if e.RetryAfter > 0 {
				wait = e.RetryAfter
			}
			next := ceilSecond(now.Add(wait))
			c.NextAttemptAt, a.BackoffUntil = &next, &next
		default:
			a.Failures++
			next := ceilSecond(now.Add(o.backoff(a.Failures)))
			c.NextAttemptAt, a.BackoffUntil = &next, &next
		}
		if c.Attempts >= o.opt.MaxAttempts {
			c.NextAttemptAt = nil
			if c.UncertainSince != nil {
				c.State = backend.CommentNeedsReview
			} else {
				c.State = backend.CommentFailed
			}
		}
		return nil
	})
	if code != backend.EInvalid {
		o.forgetHost(host)
	}
	return o.stored(err, code != backend.EInvalid)
}

func (o *Outbox) commentLookupFailed(ctx context.Context, cs backend.CommentStore, id int64, lerr error, host string) (bool, bool) {
	now := o.clock.Now()
	e := backend.AsError(lerr)
	code := backend.ErrorCode(lerr)
	err := cs.CommentUpdate(ctx, id, func(c *backend.CommentPublish, a *backend.AccountOutbox) error {
		if c.State != backend.CommentPending {
			return errSkip
		}
		c.LastErrorCode, c.LastErrorKey, c.LastError = code, e.Key, e.Message
		if code == backend.EAuth {
			t := floorSecond(now)
			a.PausedReason, a.PausedMessage, a.PausedAt = backend.EAuth, e.Message, &t
			return nil
		}
		a.Failures++
		wait := o.backoff(a.Failures)
		if code == backend.ERateLimited && e.RetryAfter > 0 {
			wait = e.RetryAfter
		}
		next := ceilSecond(now.Add(wait))
		c.NextAttemptAt, a.BackoffUntil = &next, &next
		return nil
	})
	o.forgetHost(host)
	return o.stored(err, true)
}

// RetryComment sends a failed first comment again, or one in needs_review
// after the user checked that the network does not have it. The post itself
// is never sent again.
func (o *Outbox) RetryComment(ctx context.Context, variantID int64) error {
	return o.commentAction(ctx, variantID, func(c *backend.CommentPublish) {
		c.State, c.NextAttemptAt, c.UncertainSince, c.Attempts = backend.CommentPending, nil, nil, 0
		c.LastErrorCode, c.LastErrorKey, c.LastError = "", "", ""
	})
}

// SkipComment gives up on a first comment (the user posted it by hand, or
// does not want it): it will not be sent.
func (o *Outbox) SkipComment(ctx context.Context, variantID int64) error {
	return o.commentAction(ctx, variantID, func(c *backend.CommentPublish) {
		c.State, c.NextAttemptAt = backend.CommentSkipped, nil
	})
}

// commentAction applies the user's choice to a comment that is neither
// being sent, nor published, nor absent.
func (o *Outbox) commentAction(ctx context.Context, variantID int64, apply func(c *backend.CommentPublish)) error {
	none := func() error {
		return backend.Errorf(backend.EInvalid, "outbox.comment_none", "this post has no first comment to send")
	}
	cs := o.commentStore()
	if cs == nil {
		return none()
	}
	err := cs.CommentUpdate(ctx, variantID, func(c *backend.CommentPublish, _ *backend.AccountOutbox) error {
		switch c.State {
		case backend.CommentSending:
			return conflict("outbox.comment_sending", "the first comment is being sent right now")
		case backend.CommentPublished:
			return conflict("outbox.comment_published", "the first comment is already published")
		case backend.CommentNone:
			return none()
		}
		apply(c)
		return nil
	})
	if err != nil {
		return err
	}
	o.acted()
	return nil
}
