package outbox

import (
	"context"
	"errors"
	"time"

	"pauta/backend"
)

// Resolving a server-side schedule's create call whose outcome is unknown
// (CreatingSince set, no RemoteID: the answer was lost, or the app died).
// The instance's list of scheduled statuses is read:
//   - listed (same text and time, not another row's): adopted;
//   - not listed and before its time: the call may still be running on the
//     server. It surely created nothing only once the list was read Settle
//     after the mark taken before the call, on the SERVER's clock (Date
//     headers); then the row lets go and the sync creates anew (new key,
//     new mark). Before that nothing is sent and the row keeps holding the
//     variant. The create is never replayed on the strength of its
//     Idempotency-Key: GoToSocial ignores it, Mastodon forgets it after an
//     hour and does not merge concurrent duplicates;
//   - its time passed: published by the instance (found among the account's
//     statuses), else the variant goes to review.
// Nothing here depends on the laptop's clock moving forward.

// mark is the server's time just before a create call (nil when the
// publisher cannot mark, or the server refused: the first list read after
// the call then stands in for it). An error means nothing was sent.
func (s *remoteSync) mark(ctx context.Context) (*time.Time, error) {
	m, err := s.o.takeMark(ctx, s.o.pubs[backend.Mastodon], s.acc)
	if err != nil || m == nil {
		return nil, err
	}
	at := m.ServerTime.UTC()
	return &at, nil
}

func (s *remoteSync) readList(ctx context.Context) error {
	l, at, err := s.sched.ListRemote(ctx, s.acc)
	if err != nil {
		s.noScheduling(ctx, err)
		return err
	}
	s.remote, s.listAt, s.listed = l, at, true
	return nil
}

func (s *remoteSync) inList(id string) bool {
	for _, x := range s.remote {
		if x.ID == id {
			return true
		}
	}
	return false
}

// serverNow is the server's time of this sync's list when it said it, else
// the laptop's.
func (s *remoteSync) serverNow() time.Time {
	if !s.listAt.IsZero() {
		return s.listAt
	}
	return s.now
}

// recover resolves a create call whose outcome is unknown. done says the
// row no longer has an unknown outcome; false with no error: look again at
// a later sync.
func (s *remoteSync) recover(ctx context.Context, r backend.RemoteSchedule, j *backend.OutboxJob) (bool, error) {
	if !s.listed {
		if err := s.readList(ctx); err != nil {
			return false, err
		}
	}
	claimed := map[string]bool{}
	if rows, err := s.rs.RemoteSchedules(ctx, s.acc.ID); err == nil {
		for _, x := range rows {
			claimed[x.RemoteID] = true
		}
	} else {
		return false, err
	}
	text := r.Text // what was sent (the post may have been edited since)
	// The instance has it: adopt it.
	for _, x := range s.remote {
		if claimed[x.ID] || r.ScheduledAt == nil || !x.ScheduledAt.Truncate(time.Second).Equal(r.ScheduledAt.Truncate(time.Second)) {
			continue
		}
		if !sameText(x.Text, text) {
			continue
		}
		r.RemoteID, r.CreatingSince, r.MarkAt = x.ID, nil, nil
		r.LastErrorCode, r.LastErrorKey, r.LastError = "", "", ""
		s.moved = true
		return true, s.rs.RemoteSave(ctx, r)
	}
	if r.ScheduledAt != nil && r.ScheduledAt.After(s.serverNow().Add(time.Minute)) {
		return s.notListed(ctx, r)
	}
	// Its time passed: published by the instance, or never created.
	// (A variant the watchdog showed as missed meanwhile is resolved alike.)
	if j != nil && awaiting(j.Publish) {
		ref, found, err := s.findPublished(ctx, text, *r.ScheduledAt)
		if err != nil {
			return false, err
		}
		if found {
			s.o.published(ctx, j.Publish.VariantID, []backend.OutboxState{backend.OutboxPending, backend.OutboxMissed}, ref)
		} else {
			err := s.o.store.OutboxUpdate(ctx, j.Publish.VariantID, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
				if !awaiting(*v) {
					return errSkip
				}
				v.State, v.NextAttemptAt = backend.OutboxNeedsReview, nil
				v.LastErrorCode, v.LastErrorKey = backend.EOutcomeUnknown, "outbox.outcome_unknown"
				v.LastError = "the post may or may not have been published, and sending it again could publish it twice: check the network"
				return nil
			})
			if err != nil && !errors.Is(err, errSkip) {
				return false, err
			}
		}
	}
	s.moved = true
	return true, s.rs.RemoteDelete(ctx, r.VariantID)
}

// notListed decides about a create the list does not show, before its time:
// "not created" only once the list was read at least Settle after the mark
// by the server's clock; until then the row is left as it is.
func (s *remoteSync) notListed(ctx context.Context, r backend.RemoteSchedule) (bool, error) {
	switch {
	case s.listAt.IsZero():
		return false, nil // the server does not say its time: resolved when its time passes
	case r.MarkAt == nil:
		// No mark (an older row, or the mark was refused): this list was
		// read after the call started, so its time is a later, safe mark.
		at := s.listAt
		r.MarkAt = &at
		return false, s.rs.RemoteSave(ctx, r)
	}
	if s.listAt.Sub(*r.MarkAt)-dateResolution < s.o.opt.Settle {
		return false, nil // may still be running on the server: look again later
	}
	r.CreatingSince, r.MarkAt = nil, nil
	s.moved = true
	return true, s.rs.RemoteSave(ctx, r)
}
