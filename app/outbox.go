package app

import (
	"context"
	"net/url"
	"strings"
	"time"

	"pauta/backend"
	"pauta/backend/outbox"
)

// mastodonRoute publishes for any connected Mastodon account: it builds a
// client from the account's instance and the token in the keychain.
type mastodonRoute struct{ app *App }

func (r mastodonRoute) Publish(ctx context.Context, req backend.PublishRequest) (backend.RemoteRef, error) {
	c, err := r.app.mastodonClient(ctx, req.Account)
	if err != nil {
		return backend.RemoteRef{}, backend.NotSent(credentialsError(err, req.Account))
	}
	return c.Publish(ctx, req)
}

// Mark and Find let the outbox resolve an interrupted publish by looking
// for the status on the instance (backend.Finder), measuring time on the
// server's clock; the Idempotency-Key is still sent but not relied on.
func (r mastodonRoute) Mark(ctx context.Context, acct backend.Account) (backend.RemoteMark, error) {
	c, err := r.app.mastodonClient(ctx, acct)
	if err != nil {
		return backend.RemoteMark{}, credentialsError(err, acct)
	}
	return c.Mark(ctx, acct)
}

func (r mastodonRoute) Find(ctx context.Context, req backend.PublishRequest, mark backend.RemoteMark) (backend.FindResult, error) {
	c, err := r.app.mastodonClient(ctx, req.Account)
	if err != nil {
		return backend.FindResult{}, credentialsError(err, req.Account)
	}
	return c.Find(ctx, req, mark)
}

// IdempotencyWindow: Mastodon keeps an Idempotency-Key about an hour.
func (mastodonRoute) IdempotencyWindow() time.Duration { return 55 * time.Minute }

// blueskyRoute publishes for any connected Bluesky account with the
// session kept in the keychain.
type blueskyRoute struct{ app *App }

func (r blueskyRoute) Publish(ctx context.Context, req backend.PublishRequest) (backend.RemoteRef, error) {
	c, err := r.app.blueskyClient(req.Account)
	if err != nil {
		return backend.RemoteRef{}, backend.NotSent(err)
	}
	ref, err := c.Publish(ctx, req)
	if code := backend.ErrorCode(err); code == backend.ENotFound {
		err = backend.NotSent(credentialsError(err, req.Account))
	}
	return ref, err
}

// Lookup tells whether an interrupted publish reached the PDS (the record
// key is ours, so the record's presence answers it).
func (r blueskyRoute) Lookup(ctx context.Context, req backend.PublishRequest) (backend.RemoteRef, bool, error) {
	c, err := r.app.blueskyClient(req.Account)
	if err != nil {
		return backend.RemoteRef{}, false, err
	}
	rec, err := c.GetRecord(ctx, req.RecordKey)
	if backend.ErrorCode(err) == backend.ENotFound {
		return backend.RemoteRef{}, false, nil
	}
	if err != nil {
		return backend.RemoteRef{}, false, err
	}
	return rec.Ref, true, nil
}

// IdempotencyWindow: putRecord with our record key can never duplicate.
func (blueskyRoute) IdempotencyWindow() time.Duration { return backend.Forever }

// credentialsError turns a missing keychain entry into "reconnect".
func credentialsError(err error, a backend.Account) error {
	if backend.ErrorCode(err) == backend.ENotFound {
		return backend.Errorf(backend.EAuth, "account.reconnect", "%s needs to be connected again", a.Handle).WithParam("handle", a.Handle)
	}
	return err
}

// accountHost is the host the outbox checks before publishing for a.
func accountHost(a backend.Account) string {
	if a.ServiceURL != "" {
		if u, err := url.Parse(a.ServiceURL); err == nil && u.Host != "" {
			return u.Host
		}
	}
	return outbox.DefaultHost(a)
}

func newOutbox(a *App) *outbox.Outbox {
	pubs := map[backend.Network]backend.Publisher{
		backend.Mastodon: mastodonRoute{a},
		backend.Bluesky:  blueskyRoute{a},
	}
	return outbox.New(a.store, pubs, a.cfg.Clock, outbox.NetReachability{}, outboxEvents{a}, outbox.Options{Host: accountHost,
		// Images sized for the variant's network (app/media_publish.go).
		Prepare: func(ctx context.Context, j backend.OutboxJob, req *backend.PublishRequest) error {
			return a.Media.preparePublish(ctx, j, req)
		}})
}

// OutboxService is bound to the frontend: what is queued, sending, failed,
// waiting for review, missed or due to publish by hand.
type OutboxService struct{ app *App }

// OutboxQuery selects outbox rows (no states = everything needing attention or waiting).
type OutboxQuery struct {
	States   []string `json:"states"`
	ClientID int64    `json:"clientId"`
	// RecentHours keeps rows due or published in the last N hours or
	// later (0: any), e.g. "published recently".
	RecentHours int `json:"recentHours"`
}

// Items returns the outbox rows.
func (s *OutboxService) Items(q OutboxQuery) ([]backend.OutboxItem, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	f := backend.OutboxFilter{ClientID: q.ClientID}
	if q.RecentHours > 0 {
		since := s.app.cfg.Clock.Now().Add(-time.Duration(q.RecentHours) * time.Hour)
		f.Since = &since
	}
	for _, st := range q.States {
		f.States = append(f.States, backend.OutboxState(st))
	}
	items, err := s.app.outbox.Items(ctx, f)
	if items == nil {
		items = []backend.OutboxItem{}
	}
	return items, err
}

// PublishNow publishes a missed or failed variant now (spaced per account).
func (s *OutboxService) PublishNow(variantID int64) error {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.outbox.PublishNow(ctx, variantID)
}

// Reschedule moves a variant to a date and time in its client's zone.
func (s *OutboxService) Reschedule(variantID int64, date, clock string) error {
	ctx, cancel := s.app.call()
	defer cancel()
	job, err := s.app.store.OutboxJob(ctx, variantID)
	if err != nil {
		return err
	}
	c, err := s.app.store.GetClient(ctx, job.Account.ClientID)
	if err != nil {
		return err
	}
	r, err := backend.ResolveLocal(backend.LocalInput{Date: date, Time: clock}, c.TimeZone)
	if err != nil {
		return err
	}
	return s.app.outbox.RescheduleVariant(ctx, variantID, r.UTC)
}

// Skip gives up on a variant (it will not be published).
func (s *OutboxService) Skip(variantID int64) error {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.outbox.Skip(ctx, variantID)
}

// MarkPublished records a variant published by hand, with its URL if known.
func (s *OutboxService) MarkPublished(variantID int64, postURL string) error {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.outbox.MarkPublished(ctx, variantID, strings.TrimSpace(postURL))
}

// Online is the global connection indicator.
func (s *OutboxService) Online() backend.OnlineStatus { return s.app.outbox.Online() }
