package outbox

// What a server-side scheduling pass (remote.go) does to one variant's
// row: create the scheduled status, send it, move or cancel it, drop a row
// that is no longer wanted, and tell a status the instance published from
// one it was asked to forget.

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode"

	"pauta/backend"
)

// create records the intent, then hands t to the instance.
func (s *remoteSync) create(ctx context.Context, t target) error {
	if s.acc.ServerSchedules != backend.ServerSchedulesYes {
		return nil // the server cannot hold it: published from here
	}
	mark, err := s.mark(ctx) // remote_recover.go
	if err != nil {
		return err
	}
	now := floorSecond(s.now)
	at := t.at
	r := backend.RemoteSchedule{VariantID: t.job.Publish.VariantID, PostID: t.job.Publish.PostID, AccountID: s.acc.ID,
		ScheduledAt: &at, Hash: t.hash, Text: t.req.Text, IdempotencyKey: NewIdempotencyKey(), CreatingSince: &now, MarkAt: mark}
	if err := s.rs.RemoteIntent(ctx, r, s.o.clock.Now().Add(backend.MinRemoteAhead)); err != nil {
		if c := backend.ErrorCode(err); c == backend.ENotFound || c == backend.EConflict {
			return nil // moved on meanwhile: the next sync sees it
		}
		return err
	}
	s.moved = true
	return s.send(ctx, r, t.req)
}

// send makes the create call of an intent row and records its outcome.
func (s *remoteSync) send(ctx context.Context, r backend.RemoteSchedule, req backend.PublishRequest) error {
	req.IdempotencyKey = r.IdempotencyKey
	cctx, cancel := context.WithTimeout(ctx, s.o.opt.PublishTimeout)
	ss, err := s.sched.ScheduleRemote(cctx, req, *r.ScheduledAt)
	cancel()
	wctx, wcancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer wcancel()
	if err == nil {
		r.RemoteID, r.CreatingSince = ss.ID, nil
		if !ss.ScheduledAt.IsZero() {
			at := floorSecond(ss.ScheduledAt) // a replay answers with the original's time
			r.ScheduledAt = &at
		}
		r.RefusedHash, r.LastErrorCode, r.LastErrorKey, r.LastError = "", "", "", ""
		return s.rs.RemoteSave(wctx, r)
	}
	code := backend.ErrorCode(err)
	e := backend.AsError(err)
	switch {
	case code == backend.ENoServerSchedule:
		// The server does not implement scheduled statuses (501/404/405):
		// nothing was created. Publish from here; create no more.
		r.CreatingSince, r.RefusedHash = nil, r.Hash+"@"+r.ScheduledAt.UTC().Format(time.RFC3339)
		r.LastErrorCode, r.LastErrorKey, r.LastError = code, e.Key, e.Message
		s.noScheduling(wctx, err)
		return s.rs.RemoteSave(wctx, r)
	case code == backend.EInvalid:
		// Refused (422, too soon, …): publish locally at the due time.
		r.CreatingSince, r.RefusedHash = nil, r.Hash+"@"+r.ScheduledAt.UTC().Format(time.RFC3339)
		r.LastErrorCode, r.LastErrorKey, r.LastError = code, e.Key, e.Message
		s.o.opt.Logf("outbox: the instance refused to schedule variant %d, it will be published from here: %v", r.VariantID, err)
		return s.rs.RemoteSave(wctx, r)
	case code == backend.EAuth, code == backend.ERateLimited, notSent(err):
		// Certainly not created.
		r.CreatingSince = nil
		r.LastErrorCode, r.LastErrorKey, r.LastError = code, e.Key, e.Message
		if serr := s.rs.RemoteSave(wctx, r); serr != nil {
			return serr
		}
		return err
	default:
		// Maybe created: the row keeps holding the variant until resolved.
		r.LastErrorCode, r.LastErrorKey, r.LastError = code, e.Key, e.Message
		if serr := s.rs.RemoteSave(wctx, r); serr != nil {
			return serr
		}
		return err
	}
}

// move changes the time of a scheduled status.
func (s *remoteSync) move(ctx context.Context, r backend.RemoteSchedule, t target) error {
	cctx, cancel := context.WithTimeout(ctx, s.o.opt.PublishTimeout)
	_, err := s.sched.RescheduleRemote(cctx, s.acc, r.RemoteID, t.at)
	cancel()
	switch backend.ErrorCode(err) {
	case "":
		at := t.at
		r.ScheduledAt = &at
		r.LastErrorCode, r.LastErrorKey, r.LastError = "", "", ""
		s.moved = true
		return s.rs.RemoteSave(ctx, r)
	case backend.ENotFound:
		return s.gone(ctx, r, &t.job)
	case backend.EInvalid:
		// Refused: cancel it and publish locally.
		gone, err2 := s.cancel(ctx, r, &t.job)
		if err2 != nil || !gone {
			return err2
		}
		e := backend.AsError(err)
		return s.rs.RemoteSave(ctx, backend.RemoteSchedule{VariantID: r.VariantID, PostID: r.PostID, AccountID: r.AccountID,
			RefusedHash: t.key(), LastErrorCode: backend.EInvalid, LastErrorKey: e.Key, LastError: e.Message})
	}
	return err
}

// cancel deletes the scheduled status; gone says the row no longer holds the
// variant. A status already gone near or after its time may have been
// published: that is resolved like one that left the list.
func (s *remoteSync) cancel(ctx context.Context, r backend.RemoteSchedule, j *backend.OutboxJob) (bool, error) {
	cctx, cancel := context.WithTimeout(ctx, s.o.opt.PublishTimeout)
	err := s.sched.CancelRemote(cctx, s.acc, r.RemoteID)
	cancel()
	if code := backend.ErrorCode(err); err != nil && code != backend.ENotFound {
		return false, err
	} else if code == backend.ENotFound && r.ScheduledAt != nil && !r.ScheduledAt.After(s.now.Add(time.Minute)) {
		if err := s.gone(ctx, r, j); err != nil {
			return false, err
		}
		still, err := s.row(ctx, r.VariantID)
		return err == nil && (still == nil || !still.Held()), err
	}
	s.moved = true
	return true, s.rs.RemoteDelete(ctx, r.VariantID)
}

// drop cancels a held row that is no longer wanted, or forgets one that holds nothing.
func (s *remoteSync) drop(ctx context.Context, r backend.RemoteSchedule, j *backend.OutboxJob) error {
	if r.CreatingSince != nil && r.RemoteID == "" {
		done, err := s.recover(ctx, r, j)
		if err != nil || !done {
			return err
		}
		fresh, err := s.row(ctx, r.VariantID)
		if err != nil || fresh == nil {
			return err
		}
		r = *fresh
	}
	if r.RemoteID != "" {
		_, err := s.cancel(ctx, r, j)
		return err
	}
	return s.rs.RemoteDelete(ctx, r.VariantID)
}

// unwanted handles a row whose variant is not a candidate: its time passed
// (the instance publishes it), or it was deleted, moved to draft, skipped,
// removed from the post, given a first comment…: cancel.
func (s *remoteSync) unwanted(ctx context.Context, r backend.RemoteSchedule) error {
	j, err := s.o.store.OutboxJob(ctx, r.VariantID)
	if backend.ErrorCode(err) == backend.ENotFound {
		j, err = nil, nil
	}
	if err != nil {
		return err
	}
	if j != nil && (j.Publish.PostID != r.PostID || j.Publish.AccountID != r.AccountID) {
		j = nil // a reused id
	}
	if j != nil && r.Held() && j.Publish.State == backend.OutboxPending && !j.Due.After(s.now) && r.ScheduledAt != nil && j.Due.Equal(*r.ScheduledAt) {
		active, err := s.active(ctx, j)
		if err != nil {
			return err
		}
		if active {
			// Its time came: the instance publishes it. Resolved from the list.
			if r.CreatingSince != nil && r.RemoteID == "" {
				_, err := s.recover(ctx, r, j)
				return err
			}
			if s.listedIDs[r.RemoteID] && !s.inList(r.RemoteID) {
				return s.gone(ctx, r, j)
			}
			return nil
		}
	}
	if !r.Held() {
		return s.rs.RemoteDelete(ctx, r.VariantID)
	}
	return s.drop(ctx, r, j)
}

// active reports whether j's post is live and scheduled (it is still meant
// to be published at its time).
func (s *remoteSync) active(ctx context.Context, j *backend.OutboxJob) (bool, error) {
	jobs, err := s.o.store.OutboxJobs(ctx, backend.OutboxQuery{States: []backend.OutboxState{backend.OutboxPending}, AccountID: j.Account.ID,
		DueBy: j.Due, IncludeHeld: true, Limit: 0})
	if err != nil {
		return false, err
	}
	for _, x := range jobs {
		if x.Publish.VariantID == j.Publish.VariantID {
			return true, nil
		}
	}
	return false, nil
}

// gone resolves a scheduled status the instance no longer has: before its
// time it was cancelled on the website (the variant goes to review); after
// it, the instance published it (found among the account's statuses, or
// recorded without a link).
func (s *remoteSync) gone(ctx context.Context, r backend.RemoteSchedule, j *backend.OutboxJob) error {
	pending := j != nil && j.Publish.State == backend.OutboxPending && j.Publish.PostID == r.PostID
	text := r.Text
	if text == "" && j != nil {
		text = j.Text
	}
	if r.ScheduledAt != nil && r.ScheduledAt.After(s.now.Add(time.Minute)) {
		if pending {
			// Published already, if this computer's clock is behind the instance's.
			ref, found, err := s.findPublished(ctx, text, *r.ScheduledAt)
			if err != nil {
				return err
			}
			if found {
				s.o.published(ctx, r.VariantID, []backend.OutboxState{backend.OutboxPending}, ref)
				s.moved = true
				return s.rs.RemoteDelete(ctx, r.VariantID)
			}
		}
		if pending {
			host := s.host
			err := s.o.store.OutboxUpdate(ctx, r.VariantID, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
				if v.State != backend.OutboxPending {
					return errSkip
				}
				v.State, v.NextAttemptAt = backend.OutboxNeedsReview, nil
				v.LastErrorCode, v.LastErrorKey = ERemoteCancelled, "outbox.remote_cancelled"
				v.LastError = "the scheduled post was cancelled on " + host
				return nil
			})
			if err != nil && !errors.Is(err, errSkip) && backend.ErrorCode(err) != backend.ENotFound {
				return err
			}
		}
		s.moved = true
		return s.rs.RemoteDelete(ctx, r.VariantID)
	}
	if pending && r.ScheduledAt != nil {
		ref, found, err := s.findPublished(ctx, text, *r.ScheduledAt)
		if err != nil {
			return err
		}
		if !found && s.now.Before(*r.ScheduledAt) {
			return nil // due any moment: look again later
		}
		s.o.published(ctx, r.VariantID, []backend.OutboxState{backend.OutboxPending}, ref)
	}
	s.moved = true
	return s.rs.RemoteDelete(ctx, r.VariantID)
}

// ERemoteCancelled is the error code of a variant whose server-side schedule
// was cancelled outside Pauta (on the instance's website).
const ERemoteCancelled = "remote_cancelled"

// findPublished looks for the status a scheduled one became: created around
// `at` with the same text.
func (s *remoteSync) findPublished(ctx context.Context, text string, at time.Time) (backend.RemoteRef, bool, error) {
	if !s.readSt {
		st, err := s.sched.RecentStatuses(ctx, s.acc)
		if err != nil {
			return backend.RemoteRef{}, false, err
		}
		s.statuses, s.readSt = st, true
	}
	for _, st := range s.statuses {
		if st.CreatedAt.Before(at.Add(-2*time.Minute)) || st.CreatedAt.After(at.Add(6*time.Hour)) {
			continue
		}
		if sameText(st.Text, text) {
			return st.Ref, true, nil
		}
	}
	return backend.RemoteRef{}, false, nil
}

// sameText compares two texts ignoring whitespace (the instance renders
// paragraphs and line breaks as HTML).
func sameText(a, b string) bool {
	squash := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, s)
	}
	return squash(a) == squash(b)
}
