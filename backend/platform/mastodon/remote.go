package mastodon

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"pauta/backend"
	"pauta/backend/platform/httpx"
)

// The client is a backend.RemoteScheduler: server-side scheduling for the
// outbox. The account argument is ignored (a client is one account), except
// for its RemoteID in RecentStatuses.
var (
	_ backend.RemoteScheduler = (*Client)(nil)
	_ backend.ScheduleProber  = (*Client)(nil)
)

func remoteScheduled(ss ScheduledStatus) backend.RemoteScheduled {
	return backend.RemoteScheduled{ID: ss.ID, ScheduledAt: ss.ScheduledAt.UTC(), Text: ss.Params.Text}
}

// ScheduleRemote is ScheduleStatus for the outbox.
func (c *Client) ScheduleRemote(ctx context.Context, req backend.PublishRequest, at time.Time) (backend.RemoteScheduled, error) {
	ss, err := c.ScheduleStatus(ctx, req, at)
	if err != nil {
		return backend.RemoteScheduled{}, err
	}
	return remoteScheduled(ss), nil
}

// ProbeRemote is ProbeScheduling for the outbox.
func (c *Client) ProbeRemote(ctx context.Context, _ backend.Account) (bool, error) {
	return c.ProbeScheduling(ctx)
}

// ProbeScheduling asks whether the instance holds scheduled statuses, with
// the cheapest call there is (GET /api/v1/scheduled_statuses?limit=1): 200
// says yes; 501, 404 or 405 say it does not implement them (GoToSocial
// before 0.20); anything else is an error (ask again later).
func (c *Client) ProbeScheduling(ctx context.Context) (bool, error) {
	var list []ScheduledStatus
	err := c.call(ctx, http.MethodGet, "/api/v1/scheduled_statuses?limit=1", nil, "", nil, &list)
	switch {
	case err == nil:
		return true, nil
	case unsupported(err):
		return false, nil
	}
	return false, fmt.Errorf("ask mastodon for scheduled statuses: %w", err)
}

// unsupported reports whether err is the answer of a server that has no such
// endpoint: 501 Not Implemented, 404 Not Found or 405 Method Not Allowed.
func unsupported(err error) bool {
	e := backend.AsError(err)
	if e == nil {
		return false
	}
	switch e.Params["status"] {
	case "501", "404", "405":
		return true
	}
	return false
}

// noScheduling turns an unsupported answer of a scheduled-status endpoint
// into ENoServerSchedule; other errors pass unchanged. Such an answer came
// before anything was created, so it is also marked NotSent.
func (c *Client) noScheduling(err error) error {
	if !unsupported(err) {
		return err
	}
	return backend.NotSent(httpx.Wrap(backend.Errorf(backend.ENoServerSchedule, "mastodon.no_server_schedule",
		"%s cannot hold scheduled posts: Pauta publishes them from this computer at their time", c.host()).WithParam("host", c.host()), err))
}

// RescheduleRemote is UpdateScheduled for the outbox.
func (c *Client) RescheduleRemote(ctx context.Context, _ backend.Account, id string, at time.Time) (backend.RemoteScheduled, error) {
	ss, err := c.UpdateScheduled(ctx, id, at)
	if err != nil {
		return backend.RemoteScheduled{}, err
	}
	return remoteScheduled(ss), nil
}

// CancelRemote is CancelScheduled for the outbox.
func (c *Client) CancelRemote(ctx context.Context, _ backend.Account, id string) error {
	return c.CancelScheduled(ctx, id)
}

// ListRemote is ListScheduledAt for the outbox.
func (c *Client) ListRemote(ctx context.Context, _ backend.Account) ([]backend.RemoteScheduled, time.Time, error) {
	list, at, err := c.ListScheduledAt(ctx)
	if err != nil {
		return nil, time.Time{}, err
	}
	out := make([]backend.RemoteScheduled, len(list))
	for i, ss := range list {
		out[i] = remoteScheduled(ss)
	}
	return out, at, nil
}

// PublishedStatus is a status as GET /api/v1/accounts/:id/statuses lists it.
type PublishedStatus struct {
	ID        string    `json:"id"`
	URI       string    `json:"uri"`
	URL       string    `json:"url"`
	CreatedAt time.Time `json:"created_at"`
	Content   string    `json:"content"` // HTML
}

// RecentStatuses returns the account's latest 40 statuses (no boosts), with
// their HTML content turned into plain text. Without acc.RemoteID the
// account id is read from verify_credentials.
func (c *Client) RecentStatuses(ctx context.Context, acc backend.Account) ([]backend.RemoteStatus, error) {
	id := acc.RemoteID
	if id == "" {
		me, err := c.Verify(ctx)
		if err != nil {
			return nil, err
		}
		id = me.ID
	}
	var list []PublishedStatus
	if err := c.call(ctx, http.MethodGet, "/api/v1/accounts/"+url.PathEscape(id)+"/statuses?limit=40&exclude_reblogs=true", nil, "", nil, &list); err != nil {
		return nil, fmt.Errorf("read mastodon statuses: %w", err)
	}
	out := make([]backend.RemoteStatus, 0, len(list))
	for _, s := range list {
		out = append(out, backend.RemoteStatus{
			Ref:       backend.RemoteRef{ID: s.ID, URL: firstNonEmpty(s.URL, s.URI)},
			CreatedAt: s.CreatedAt.UTC(),
			Text:      PlainText(s.Content),
		})
	}
	return out, nil
}

var (
	reBreak = regexp.MustCompile(`(?i)<br\s*/?>|</p>\s*<p[^>]*>`)
	reTag   = regexp.MustCompile(`<[^>]*>`)
)

// PlainText turns a status's HTML content back into the text that was
// posted, near enough to compare: paragraphs and line breaks become new
// lines, tags go, entities are decoded.
func PlainText(content string) string {
	s := reBreak.ReplaceAllString(content, "\n")
	s = reTag.ReplaceAllString(s, "")
	return strings.TrimSpace(html.UnescapeString(s))
}
