package mastodon

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"pauta/backend"
)

// Favourite likes a status (POST /api/v1/statuses/:id/favourite). The
// instance answers a repeated favourite with the same status and no second
// favourite, so the outbox may send it again when an answer was lost. The
// returned ref is the liked status.
func (c *Client) Favourite(ctx context.Context, ref backend.RemoteRef) (backend.RemoteRef, error) {
	if ref.ID == "" {
		return backend.RemoteRef{}, backend.NotSent(backend.Errorf(backend.EInvalid, "inbox.like_no_post", "there is no post to like here"))
	}
	var st Status
	err := c.call(ctx, http.MethodPost, "/api/v1/statuses/"+url.PathEscape(ref.ID)+"/favourite", nil, "", nil, &st)
	if err != nil {
		return backend.RemoteRef{}, fmt.Errorf("like on mastodon: %w", err)
	}
	if st.ID == "" {
		return backend.RemoteRef{}, fmt.Errorf("like on mastodon: %w", c.badAnswer())
	}
	return backend.RemoteRef{ID: st.ID, URL: firstNonEmpty(st.URL, st.URI, ref.URL)}, nil
}
