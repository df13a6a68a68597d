package app

import (
	"context"

	"pauta/backend"
	"pauta/backend/metrics"
	"pauta/backend/outbox"
)

// EventMetricsChanged tells the report screen that figures or follower
// counts were saved.
const EventMetricsChanged = "metrics:changed"

// metricsFetcher is the figures reader of a connected account; nil for a
// network Pauta does not read (manual ones). Network clients are built only
// in secrets.go, with the token from the keychain.
func (a *App) metricsFetcher(ctx context.Context, acc backend.Account) (backend.MetricsFetcher, error) {
	if acc.Connection != backend.ConnConnected {
		return nil, nil
	}
	switch acc.Network {
	case backend.Mastodon:
		if c, err := a.mastodonClient(ctx, acc); err != nil {
			return nil, err // never a typed nil inside the interface
		} else {
			return c, nil
		}
	case backend.Bluesky:
		if c, err := a.blueskyClient(acc); err != nil { // app.bsky.feed.getPosts, getProfile
			return nil, err
		} else {
			return c, nil
		}
	}
	return nil, nil
}

func newCollector(a *App) *metrics.Collector {
	return metrics.New(a.store, a.metricsFetcher, a.cfg.Clock, outbox.NetReachability{}, accountHost,
		func() { a.emitter.Emit(EventMetricsChanged) })
}

// StartMetrics runs the figures collector until ctx ends (beside the outbox).
func (a *App) StartMetrics(ctx context.Context) {
	go func() { _ = a.metrics.Run(ctx) }()
}
