package outbox

import (
	"context"
	"time"

	"pauta/backend"
)

// Resolving a call whose outcome is unknown, before anything is sent again
// (posts and first comments alike). The answer never depends on the
// laptop's clock moving forward:
//   - Resolver (Bluesky): the record key is ours; found, or certainly absent.
//   - Finder (Mastodon): the account's statuses since the mark taken before
//     the call. Found: published. Not found: the call has surely finished on
//     the server once Settle has passed on the SERVER's clock (the Date of
//     the listing minus the Date of the mark), and only then is it re-sent;
//     before that it is looked up again later. Idempotency keys are still
//     sent but not relied on: GoToSocial ignores them and Mastodon forgets
//     them after an hour and does not merge concurrent duplicates.
//   - neither (test fakes): the publisher's claimed window on the laptop's
//     clock, never when the clock went back. No production publisher is here.
//
// Anything else (no mark stored, a listing refused or too long) cannot be
// told: needs_review for the user.

// verdict is what to do about an earlier call with an unknown outcome.
type verdict int

const (
	vResend verdict = iota // the network certainly does not have it: send
	vFound                 // the network has it: ref
	vWait                  // not seen yet and the call may still be running: look again after `after`
	vReview                // cannot tell: the user checks
	vError                 // the lookup failed: err (retry with the account's backoff)
)

type resolution struct {
	v     verdict
	ref   backend.RemoteRef
	after time.Duration
	err   error
	// absent: a vResend proven by the network (the earlier call created
	// nothing), so the uncertainty is cleared; false for the window
	// fallback, which counts from the earliest uncertain call.
	absent bool
}

// dateResolution is the HTTP Date header's: a second. Two Dates can
// understate the time between them by up to that much.
const dateResolution = time.Second

// resolve asks the network what became of an earlier call (req built from
// the stored keys, mark the one stored with that call, since its start).
func (o *Outbox) resolve(ctx context.Context, pub backend.Publisher, n backend.Network, req backend.PublishRequest, mark *backend.RemoteMark, since time.Time) resolution {
	cctx, cancel := context.WithTimeout(ctx, o.opt.PublishTimeout)
	defer cancel()
	if r, ok := pub.(backend.Resolver); ok {
		ref, found, err := r.Lookup(cctx, req)
		switch {
		case err != nil:
			return resolution{v: vError, err: err}
		case found:
			return resolution{v: vFound, ref: ref}
		}
		return resolution{v: vResend, absent: true}
	}
	if f, ok := pub.(backend.Finder); ok {
		if mark == nil || mark.ServerTime.IsZero() {
			return resolution{v: vReview} // claimed without a mark (older version, or the mark was refused)
		}
		res, err := f.Find(cctx, req, *mark)
		switch {
		case err != nil:
			return resolution{v: vError, err: err}
		case res.Found:
			return resolution{v: vFound, ref: res.Ref}
		case !res.Complete || res.ServerTime.IsZero():
			return resolution{v: vReview}
		}
		elapsed := res.ServerTime.Sub(mark.ServerTime) - dateResolution
		if elapsed >= o.opt.Settle {
			return resolution{v: vResend, absent: true}
		}
		return resolution{v: vWait, after: max(o.opt.Settle-elapsed, time.Second)}
	}
	if o.safeToResend(n, pub, since, o.clock.Now()) {
		return resolution{v: vResend}
	}
	return resolution{v: vReview}
}

// safeToResend is the fallback for a publisher that can neither look a call
// up nor mark the timeline: inside its claimed idempotency window, measured
// on the laptop's clock, and never when that clock went back.
func (o *Outbox) safeToResend(n backend.Network, p backend.Publisher, since, now time.Time) bool {
	w := o.opt.Window(n, p)
	if w == backend.Forever {
		return true
	}
	d := now.Sub(since)
	return w > 0 && d >= 0 && d < w
}

// takeMark asks a Finder where the account's timeline stands, just before a
// send. A refusal (EInvalid, ENotFound: no such account id, a server without
// the listing) is logged and the call goes out without a mark: should its
// outcome be unknown it goes to review. Any other error is returned: nothing
// was sent, the caller backs off.
func (o *Outbox) takeMark(ctx context.Context, pub backend.Publisher, acct backend.Account) (*backend.RemoteMark, error) {
	f, ok := pub.(backend.Finder)
	if !ok {
		return nil, nil
	}
	cctx, cancel := context.WithTimeout(ctx, o.opt.PublishTimeout)
	m, err := f.Mark(cctx, acct)
	cancel()
	if err != nil {
		if code := backend.ErrorCode(err); code == backend.EInvalid || code == backend.ENotFound {
			o.warnOnce("mark:"+acct.Handle, "outbox: cannot mark the timeline of %s (an interrupted send will need review): %v", acct.Handle, err)
			return nil, nil
		}
		return nil, err
	}
	if m.ServerTime.IsZero() {
		return nil, nil
	}
	return &m, nil
}

// reusableUploads keeps the uploads of an earlier attempt a retry may
// reuse: only with a fresh mark, and only while the server's clock says
// they are younger than MediaReuse (servers delete unattached media).
func (o *Outbox) reusableUploads(ups []backend.MediaUpload, mark *backend.RemoteMark) []backend.MediaUpload {
	if mark == nil || len(ups) == 0 {
		return nil
	}
	var out []backend.MediaUpload
	for _, u := range ups {
		age := mark.ServerTime.Sub(u.At)
		if u.ID != "" && !u.At.IsZero() && age >= -dateResolution && age < o.opt.MediaReuse {
			out = append(out, u)
		}
	}
	return out
}

// lookAgain leaves a post pending with its outcome unknown, to be looked up
// again after d (the account is not backed off: its other posts go on).
func (o *Outbox) lookAgain(ctx context.Context, id int64, d time.Duration) (bool, bool) {
	next := ceilSecond(o.clock.Now().Add(d))
	err := o.store.OutboxUpdate(ctx, id, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
		if v.State != backend.OutboxPending {
			return errSkip
		}
		v.NextAttemptAt = &next
		return nil
	})
	return o.stored(err, false)
}

// toReview hands a post whose outcome cannot be told to the user.
func (o *Outbox) toReview(ctx context.Context, id int64) (bool, bool) {
	err := o.store.OutboxUpdate(ctx, id, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
		if v.State != backend.OutboxPending {
			return errSkip
		}
		v.State = backend.OutboxNeedsReview
		v.NextAttemptAt = nil
		v.LastErrorCode, v.LastErrorKey = backend.EOutcomeUnknown, "outbox.outcome_unknown"
		v.LastError = "the post may or may not have been published, and sending it again could publish it twice: check the network"
		return nil
	})
	return o.stored(err, false)
}

// commentLookAgain and commentToReview do the same for a first comment.
func (o *Outbox) commentLookAgain(ctx context.Context, cs backend.CommentStore, id int64, d time.Duration) (bool, bool) {
	next := ceilSecond(o.clock.Now().Add(d))
	err := cs.CommentUpdate(ctx, id, func(c *backend.CommentPublish, _ *backend.AccountOutbox) error {
		if c.State != backend.CommentPending {
			return errSkip
		}
		c.NextAttemptAt = &next
		return nil
	})
	return o.stored(err, false)
}

func (o *Outbox) commentToReview(ctx context.Context, cs backend.CommentStore, id int64) (bool, bool) {
	err := cs.CommentUpdate(ctx, id, func(c *backend.CommentPublish, _ *backend.AccountOutbox) error {
		if c.State != backend.CommentPending {
			return errSkip
		}
		c.State, c.NextAttemptAt = backend.CommentNeedsReview, nil
		c.LastErrorCode, c.LastErrorKey = backend.EOutcomeUnknown, "outbox.comment_outcome_unknown"
		c.LastError = "the first comment may or may not have been published, and sending it again could publish it twice: check the network"
		return nil
	})
	return o.stored(err, false)
}
