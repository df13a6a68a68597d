package outbox

import (
	"context"
	"errors"
	"net"
	"time"

	"pauta/backend"
)

// recoverInterrupted puts a variant found in `sending` (the app stopped
// mid-call) back to pending, its outcome unknown since that call started.
// publishOne then resolves it with the network (resolve.go) or hands it to
// the user; it is never blindly re-sent.
func (o *Outbox) recoverInterrupted(ctx context.Context, id int64) error {
	err := o.store.OutboxUpdate(ctx, id, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
		if v.State != backend.OutboxSending {
			return errSkip
		}
		v.State = backend.OutboxPending
		if v.UncertainSince == nil {
			v.UncertainSince = v.SendingSince
			if v.UncertainSince == nil { // cannot happen; be safe
				t := floorSecond(o.clock.Now())
				v.UncertainSince = &t
			}
		}
		v.LastErrorCode, v.LastErrorKey, v.LastError = backend.EInterrupted, "outbox.interrupted", "the app stopped while this post was being sent"
		return nil
	})
	if err != nil && !errors.Is(err, errSkip) && backend.ErrorCode(err) != backend.ENotFound {
		return err
	}
	o.changed()
	return nil
}

func (o *Outbox) toDueManual(ctx context.Context, j backend.OutboxJob) error {
	due := j.Due
	err := o.store.OutboxUpdate(ctx, j.Publish.VariantID, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
		if v.State != backend.OutboxPending {
			return errSkip
		}
		v.State, v.DueFor = backend.OutboxDueManual, &due
		return nil
	})
	if err == nil {
		o.changed()
	}
	return err
}

func (o *Outbox) toMissed(ctx context.Context, j backend.OutboxJob) error {
	due := j.Due
	err := o.store.OutboxUpdate(ctx, j.Publish.VariantID, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
		if v.State != backend.OutboxPending || v.Attempts != 0 || v.UncertainSince != nil || v.Approved {
			return errSkip
		}
		v.State, v.DueFor = backend.OutboxMissed, &due
		v.LastErrorCode, v.LastErrorKey, v.LastError = "", "", ""
		return nil
	})
	if err == nil {
		o.changed()
	}
	return err
}

// request is what the publisher receives, built only from stored values so
// every retry sends exactly the same keys and createdAt.
func request(j backend.OutboxJob, v backend.VariantPublish) backend.PublishRequest {
	req := backend.PublishRequest{
		Account:        j.Account,
		Text:           j.Text,
		Language:       j.Language,
		IdempotencyKey: v.IdempotencyKey,
		RecordKey:      v.RecordKey,
		Uploaded:       v.MediaUploads,
		ReplyTo:        j.ReplyTo, // an inbox reply: the post it answers
		Root:           j.Root,
		Like:           j.Like, // an inbox like: the post it likes
	}
	if v.RemoteCreatedAt != nil {
		req.CreatedAt = *v.RemoteCreatedAt
	}
	return req
}

// lookupRequest is what a lookup compares with: the stored keys and uploads,
// and the images Prepare gives (Media stays nil when it cannot say, so
// their number is not compared; no images is an empty, non-nil list).
func (o *Outbox) lookupRequest(ctx context.Context, pub backend.Publisher, j backend.OutboxJob) backend.PublishRequest {
	req := request(j, j.Publish)
	if _, ok := pub.(backend.Finder); !ok {
		return req
	}
	if o.opt.Prepare == nil {
		req.Media = []backend.MediaFile{}
		return req
	}
	r := req
	if err := o.opt.Prepare(ctx, j, &r); err == nil {
		req.Media = r.Media
		if req.Media == nil {
			req.Media = []backend.MediaFile{}
		}
	}
	return req
}

// publishOne takes one due variant through sending to its outcome. moved
// says whether its state changed; stop says the account should not go on
// (backoff, pause, or the store failing).
func (o *Outbox) publishOne(ctx context.Context, j backend.OutboxJob) (moved, stop bool) {
	id := j.Publish.VariantID
	pub := o.pubs[j.Account.Network]
	host := o.opt.Host(j.Account)

	// Mark in flight before the claim commits: a pass must never take a
	// variant this worker is sending for an interrupted one.
	o.mu.Lock()
	if o.inflight[id] {
		o.mu.Unlock()
		return false, false
	}
	o.inflight[id] = true
	o.mu.Unlock()
	defer func() {
		o.mu.Lock()
		delete(o.inflight, id)
		o.mu.Unlock()
	}()

	clearUncertain := false
	// A like (issue #14) is sent again rather than looked up: the network
	// answers a repeated favourite, or the like record at the same key,
	// without creating a second one.
	if since := j.Publish.UncertainSince; since != nil && j.Like == nil {
		r := o.resolve(ctx, pub, j.Account.Network, o.lookupRequest(ctx, pub, j), j.Publish.Mark, *since) // resolve.go
		switch r.v {
		case vError:
			if ctx.Err() != nil {
				return false, true
			}
			return o.lookupFailed(ctx, j, r.err, host)
		case vFound:
			moved, stop := o.published(ctx, id, []backend.OutboxState{backend.OutboxPending}, r.ref)
			if moved && !stop {
				_, stop = o.commentAfterPost(ctx, id) // comment.go
				return true, stop
			}
			return moved, stop
		case vWait:
			return o.lookAgain(ctx, id, r.after)
		case vReview:
			return o.toReview(ctx, id)
		}
		clearUncertain = r.absent // the network certainly does not have it
	}

	// Where the account's timeline stands, stored with the claim: what an
	// interrupted call is looked up against (resolve.go).
	var mark *backend.RemoteMark
	var merr error
	if j.Like == nil {
		mark, merr = o.takeMark(ctx, pub, j.Account)
	}
	if merr != nil {
		if ctx.Err() != nil {
			return false, true
		}
		return o.lookupFailed(ctx, j, merr, host)
	}

	// Claim: `sending` is committed, with the keys generated once, before
	// the network is called.
	now := o.clock.Now()
	var claimed backend.VariantPublish
	err := o.store.OutboxUpdate(ctx, id, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
		if v.State != backend.OutboxPending {
			return errSkip
		}
		if v.IdempotencyKey == "" {
			v.IdempotencyKey = NewIdempotencyKey()
		}
		if v.RecordKey == "" {
			v.RecordKey = NewRecordKey(now)
		}
		if v.RemoteCreatedAt == nil {
			t := floorSecond(now)
			v.RemoteCreatedAt = &t
		}
		if clearUncertain {
			v.UncertainSince = nil
		}
		t := floorSecond(now)
		v.State, v.SendingSince = backend.OutboxSending, &t
		v.Mark, v.MediaUploads = mark, o.reusableUploads(v.MediaUploads, mark)
		v.Attempts++
		claimed = *v
		return nil
	})
	if err != nil {
		return o.stored(err, false)
	}
	o.changed()

	// The outcome is recorded even when the app is shutting down.
	wctx, wcancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer wcancel()

	req := request(j, claimed)
	if o.opt.Prepare != nil {
		// Media files and reply refs; a failure here sent nothing.
		if err := o.opt.Prepare(ctx, j, &req); err != nil {
			return o.failedCall(wctx, j, backend.NotSent(err), ctx.Err() != nil, "")
		}
		// The keys are the stored ones, whatever Prepare did.
		fixed := request(j, claimed)
		req.Account, req.IdempotencyKey, req.RecordKey, req.CreatedAt = fixed.Account, fixed.IdempotencyKey, fixed.RecordKey, fixed.CreatedAt
		req.Uploaded, req.Like = fixed.Uploaded, fixed.Like
	}
	// Images uploaded by this attempt are stored before the status is sent,
	// so a retry reuses them instead of uploading again.
	req.OnUploaded = func(ups []backend.MediaUpload) error {
		ups = append([]backend.MediaUpload(nil), ups...)
		for i := range ups {
			if ups[i].At.IsZero() && claimed.Mark != nil {
				// Uploaded after the mark: dated by the mark's server time,
				// which can only make it look older.
				ups[i].At = claimed.Mark.ServerTime
			}
		}
		return o.store.OutboxUpdate(wctx, id, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
			if v.State != backend.OutboxSending {
				return errSkip
			}
			v.MediaUploads = ups
			return nil
		})
	}
	cctx, cancel := context.WithTimeout(ctx, o.opt.PublishTimeout)
	ref, perr := pub.Publish(cctx, req)
	cancel()
	if perr == nil {
		moved, stop := o.published(wctx, id, []backend.OutboxState{backend.OutboxSending}, ref)
		if moved && !stop {
			_, stop = o.commentAfterPost(ctx, id) // the first comment, right after (comment.go)
		}
		return moved, stop
	}
	return o.failedCall(wctx, j, perr, ctx.Err() != nil, host)
}

// stored turns a store outcome into (moved, stop).
func (o *Outbox) stored(err error, stop bool) (bool, bool) {
	switch {
	case err == nil:
		o.changed()
		return true, stop
	case errors.Is(err, errSkip), backend.ErrorCode(err) == backend.ENotFound:
		return false, stop
	default:
		o.opt.Logf("outbox: %v", err)
		return false, true
	}
}

func (o *Outbox) published(ctx context.Context, id int64, from []backend.OutboxState, ref backend.RemoteRef) (bool, bool) {
	now := floorSecond(o.clock.Now())
	err := o.store.OutboxUpdate(ctx, id, func(v *backend.VariantPublish, a *backend.AccountOutbox) error {
		if !inStates(v.State, from) {
			return errSkip
		}
		v.State, v.Remote, v.PublishedAt = backend.OutboxPublished, ref, &now
		v.NextAttemptAt, v.UncertainSince = nil, nil
		v.LastErrorCode, v.LastErrorKey, v.LastError = "", "", ""
		a.Failures, a.BackoffUntil = 0, nil
		return nil
	})
	return o.stored(err, false)
}

func inStates(s backend.OutboxState, list []backend.OutboxState) bool {
	for _, k := range list {
		if k == s {
			return true
		}
	}
	return false
}

// notSent reports whether err certainly happened before the request left:
// marked by the publisher, or a dial / DNS failure in its chain.
func notSent(err error) bool {
	if backend.IsNotSent(err) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// failedCall records a call that returned an error:
//   - EInvalid: failed for good, with the reason;
//   - EAuth: back to pending, the account paused until Resume;
//   - ERateLimited: back to pending after Retry-After (or the backoff);
//   - anything else (ETransient, timeouts, unknown): back to pending after
//     the account's backoff, its outcome unknown unless certainly not sent;
//     after MaxAttempts it goes to needs_review (unknown) or failed.
func (o *Outbox) failedCall(ctx context.Context, j backend.OutboxJob, perr error, shutdown bool, host string) (bool, bool) {
	now := o.clock.Now()
	e := backend.AsError(perr)
	code := backend.ErrorCode(perr)
	if shutdown {
		code = backend.EInterrupted
	}
	definite := code == backend.EInvalid || code == backend.EAuth || code == backend.ERateLimited
	uncertain := !definite && !notSent(perr)
	err := o.store.OutboxUpdate(ctx, j.Publish.VariantID, func(v *backend.VariantPublish, a *backend.AccountOutbox) error {
		if v.State != backend.OutboxSending {
			return errSkip
		}
		v.LastErrorCode, v.LastErrorKey, v.LastError = code, e.Key, e.Message
		if uncertain && v.UncertainSince == nil {
			v.UncertainSince = v.SendingSince
		}
		v.State = backend.OutboxPending
		switch code {
		case backend.EInvalid:
			v.State, v.NextAttemptAt = backend.OutboxFailed, nil
			a.Failures, a.BackoffUntil = 0, nil
			return nil
		case backend.EAuth:
			t := floorSecond(now)
			a.PausedReason, a.PausedMessage, a.PausedAt = backend.EAuth, e.Message, &t
			return nil
		case backend.EInterrupted:
			v.LastErrorKey, v.LastError = "outbox.interrupted", "the app stopped while this post was being sent"
			return nil // no backoff: it is resolved on the next start
		case backend.ERateLimited:
			a.Failures++
			wait := o.backoff(a.Failures)
			if e.RetryAfter > 0 {
				wait = e.RetryAfter
			}
			next := ceilSecond(now.Add(wait))
			v.NextAttemptAt, a.BackoffUntil = &next, &next
		default:
			a.Failures++
			next := ceilSecond(now.Add(o.backoff(a.Failures)))
			v.NextAttemptAt, a.BackoffUntil = &next, &next
		}
		if v.Attempts >= o.opt.MaxAttempts {
			v.NextAttemptAt = nil
			if v.UncertainSince != nil {
				v.State = backend.OutboxNeedsReview
			} else {
				v.State = backend.OutboxFailed
			}
		}
		return nil
	})
	if code != backend.EInvalid {
		o.forgetHost(host)
	}
	moved, stop := o.stored(err, code != backend.EInvalid)
	return moved, stop
}

// lookupFailed backs the account off after a Resolver could not answer; the
// variant stays pending with its outcome unknown.
func (o *Outbox) lookupFailed(ctx context.Context, j backend.OutboxJob, lerr error, host string) (bool, bool) {
	now := o.clock.Now()
	e := backend.AsError(lerr)
	code := backend.ErrorCode(lerr)
	err := o.store.OutboxUpdate(ctx, j.Publish.VariantID, func(v *backend.VariantPublish, a *backend.AccountOutbox) error {
		if v.State != backend.OutboxPending {
			return errSkip
		}
		v.LastErrorCode, v.LastErrorKey, v.LastError = code, e.Key, e.Message
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
		v.NextAttemptAt, a.BackoffUntil = &next, &next
		return nil
	})
	o.forgetHost(host)
	return o.stored(err, true)
}
