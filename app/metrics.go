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
		return a.mastodonClient(ctx, acc)
	case backend.Bluesky:
		// Hook for the Bluesky fetcher (issue #15 with #14's client): the
		// Bluesky client reads figures once it implements MetricsFetcher
		// (app.bsky.feed.getPosts, getProfile); until then it is skipped.
		c, err := a.blueskyClient(acc)
		if err != nil {
			return nil, err
		}
		if f, ok := any(c).(backend.MetricsFetcher); ok {
			return f, nil
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
