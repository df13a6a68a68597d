package app

import (
	"context"
	"time"

	"pauta/backend"
	"pauta/backend/platform/mastodon"
)

// The Mastodon route is also the outbox's backend.RemoteScheduler: it hands
// scheduled posts to the instance (server-side scheduling), with a client
// built from the account's instance and the token in the keychain.
var _ backend.RemoteScheduler = mastodonRoute{}

func (r mastodonRoute) ScheduleRemote(ctx context.Context, req backend.PublishRequest, at time.Time) (backend.RemoteScheduled, error) {
	c, err := r.app.mastodonClient(ctx, req.Account)
	if err != nil {
		return backend.RemoteScheduled{}, backend.NotSent(credentialsError(err, req.Account))
	}
	return c.ScheduleRemote(ctx, req, at)
}

func (r mastodonRoute) RescheduleRemote(ctx context.Context, acc backend.Account, id string, at time.Time) (backend.RemoteScheduled, error) {
	c, err := r.app.mastodonClient(ctx, acc)
	if err != nil {
		return backend.RemoteScheduled{}, credentialsError(err, acc)
	}
	return c.RescheduleRemote(ctx, acc, id, at)
}

func (r mastodonRoute) CancelRemote(ctx context.Context, acc backend.Account, id string) error {
	c, err := r.app.mastodonClient(ctx, acc)
	if err != nil {
		return credentialsError(err, acc)
	}
	return c.CancelRemote(ctx, acc, id)
}

func (r mastodonRoute) ListRemote(ctx context.Context, acc backend.Account) ([]backend.RemoteScheduled, time.Time, error) {
	c, err := r.app.mastodonClient(ctx, acc)
	if err != nil {
		return nil, time.Time{}, credentialsError(err, acc)
	}
	return c.ListRemote(ctx, acc)
}

func (r mastodonRoute) RecentStatuses(ctx context.Context, acc backend.Account) ([]backend.RemoteStatus, error) {
	c, err := r.app.mastodonClient(ctx, acc)
	if err != nil {
		return nil, credentialsError(err, acc)
	}
	return c.RecentStatuses(ctx, acc)
}

var _ backend.ScheduleProber = mastodonRoute{}

func (r mastodonRoute) ProbeRemote(ctx context.Context, acc backend.Account) (bool, error) {
	c, err := r.app.mastodonClient(ctx, acc)
	if err != nil {
		return false, credentialsError(err, acc)
	}
	return c.ProbeRemote(ctx, acc)
}

// probeSchedules asks a Mastodon server whether it holds scheduled posts,
// at connect and reconnect. A failed question leaves it unknown: the outbox
// asks again before handing any post over, and publishes from here meanwhile.
func probeSchedules(ctx context.Context, c *mastodon.Client, clock backend.Clock) (string, *time.Time) {
	ok, err := c.ProbeScheduling(ctx)
	if err != nil {
		return backend.ServerSchedulesUnknown, nil
	}
	at := clock.Now().UTC().Truncate(time.Second)
	if ok {
		return backend.ServerSchedulesYes, &at
	}
	return backend.ServerSchedulesNo, &at
}
