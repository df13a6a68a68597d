package outbox

// Servers without server-side scheduling (issue 12). GoToSocial before 0.20
// answers 501 to a scheduled create and 404 to the list: such an account's
// posts are published from here at their time. Whether a server schedules is
// asked at connect, before the first hand-over and again daily (by the
// injected clock: a jump of the wall clock only moves a harmless question);
// a 501/404/405 on those endpoints during a sync also says "no".

import (
	"context"
	"strings"
	"time"

	"pauta/backend"
)

// capability makes sure the account's answer is known and fresh: after it
// returns nil, s.acc.ServerSchedules is yes or no. A question that fails
// stops the sync (retried with the backoff); nothing is handed over meanwhile,
// so the local path publishes at the due time.
func (s *remoteSync) capability(ctx context.Context) error {
	a := s.acc
	if a.ServerSchedules != backend.ServerSchedulesUnknown && a.SchedulesProbedAt != nil &&
		s.now.Before(a.SchedulesProbedAt.Add(backend.ServerScheduleReprobe)) && !s.now.Before(*a.SchedulesProbedAt) {
		return nil
	}
	ok, err := s.probe(ctx)
	if err != nil {
		return err
	}
	return s.setCapability(ctx, ok)
}

// probe asks the server (ScheduleProber, or else the list).
func (s *remoteSync) probe(ctx context.Context) (bool, error) {
	cctx, cancel := context.WithTimeout(ctx, s.o.opt.PublishTimeout)
	defer cancel()
	if p, ok := s.sched.(backend.ScheduleProber); ok {
		return p.ProbeRemote(cctx, s.acc)
	}
	_, _, err := s.sched.ListRemote(cctx, s.acc)
	switch {
	case err == nil:
		return true, nil
	case backend.ErrorCode(err) == backend.ENoServerSchedule:
		return false, nil
	}
	return false, err
}

// setCapability records the answer; a change is told to the UI (the composer
// says when a post must be published from here).
func (s *remoteSync) setCapability(ctx context.Context, ok bool) error {
	v := backend.ServerSchedulesNo
	if ok {
		v = backend.ServerSchedulesYes
	}
	at := floorSecond(s.now)
	if st, has := s.o.store.(backend.ServerScheduleStore); has {
		if err := st.SetServerSchedules(ctx, s.acc.ID, v, at); err != nil {
			return err
		}
	}
	changed := s.acc.ServerSchedules != v
	s.acc.ServerSchedules, s.acc.SchedulesProbedAt = v, &at
	if changed {
		if v == backend.ServerSchedulesNo {
			s.o.opt.Logf("outbox: %s cannot hold scheduled posts: its posts are published from this computer", s.acc.Handle)
		}
		s.o.events.Emit(backend.EventAccountsChanged)
	}
	return nil
}

// noScheduling is the answer of a server without scheduled statuses: record
// it, so no create is tried again until the daily question says otherwise.
func (s *remoteSync) noScheduling(ctx context.Context, err error) bool {
	if backend.ErrorCode(err) != backend.ENoServerSchedule {
		return false
	}
	if serr := s.setCapability(ctx, false); serr != nil {
		s.o.opt.Logf("outbox: %v", serr)
	}
	return true
}

// releaseRefused lets go the rows of a server without scheduled statuses
// whose create it answered "not implemented" (recorded before this version
// as a retryable 501): nothing was created, so the local path publishes the
// variant at its time. A row whose create has another unknown outcome keeps
// holding it: a 404 on the list says nothing about what the server has; past
// its time the watchdog shows it as missed (watchdog.go).
func (s *remoteSync) releaseRefused(ctx context.Context, rows []backend.RemoteSchedule) error {
	for _, r := range rows {
		if r.RemoteID != "" || r.CreatingSince == nil {
			continue
		}
		if !answered501(r) {
			// The user chose to publish it anyway (publish now after the
			// watchdog's warning), or it is no longer waiting: let it go.
			j, err := s.o.store.OutboxJob(ctx, r.VariantID)
			if err != nil && backend.ErrorCode(err) != backend.ENotFound {
				return err
			}
			waiting := j != nil && j.Publish.PostID == r.PostID && awaiting(j.Publish)
			if waiting && !(j.Publish.State == backend.OutboxPending && j.Publish.Approved) {
				continue
			}
			if err := s.rs.RemoteDelete(ctx, r.VariantID); err != nil {
				return err
			}
			s.moved = true
			continue
		}
		r.CreatingSince = nil
		if r.ScheduledAt != nil {
			r.RefusedHash = r.Hash + "@" + r.ScheduledAt.UTC().Format(time.RFC3339)
		}
		r.LastErrorCode, r.LastErrorKey = backend.ENoServerSchedule, "mastodon.no_server_schedule"
		r.LastError = s.host + " cannot hold scheduled posts: Pauta publishes them from this computer at their time"
		if err := s.rs.RemoteSave(ctx, r); err != nil {
			return err
		}
		s.moved = true
	}
	return nil
}

// answered501 reports whether a row's last create was answered 501 Not
// Implemented: now ENoServerSchedule; before, a retryable "answered 501".
func answered501(r backend.RemoteSchedule) bool {
	return r.LastErrorCode == backend.ENoServerSchedule ||
		(r.LastErrorCode == backend.ETransient && r.LastErrorKey == "network.transient" && strings.Contains(r.LastError, " answered 501:"))
}

// refusedByServer reports whether a row's refusal came from a server without
// scheduled statuses: once it has them (an upgrade), the variant is handed
// over like any other.
func refusedByServer(r *backend.RemoteSchedule) bool {
	return r != nil && r.LastErrorCode == backend.ENoServerSchedule
}

// awaiting reports whether a variant still waits for its server-side
// schedule's outcome: pending, or missed by the watchdog because the
// server's answer never came (watchdog.go).
func awaiting(v backend.VariantPublish) bool {
	return v.State == backend.OutboxPending || (v.State == backend.OutboxMissed && v.LastErrorKey == keyMissedUnconfirmed)
}
