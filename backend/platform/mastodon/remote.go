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
)

// The client is a backend.RemoteScheduler: server-side scheduling for the
// outbox. The account argument is ignored (a client is one account), except
// for its RemoteID in RecentStatuses.
var _ backend.RemoteScheduler = (*Client)(nil)

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

// ListRemote is ListScheduled for the outbox.
func (c *Client) ListRemote(ctx context.Context, _ backend.Account) ([]backend.RemoteScheduled, error) {
	list, err := c.ListScheduled(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]backend.RemoteScheduled, len(list))
	for i, ss := range list {
		out[i] = remoteScheduled(ss)
	}
	return out, nil
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
