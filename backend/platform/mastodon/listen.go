package mastodon

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"pauta/backend"
)

// Listening (backend.Listener): the public posts with a watched hashtag
// (GET /api/v1/timelines/tag/:hashtag) or keyword (GET /api/v2/search,
// type=statuses; instances search only posts that opted in), newer than a
// mark. Remote ids are "listen:<status id>" so they never clash with
// notification ids of the same account.

var _ backend.Listener = (*Client)(nil)

// Listen reads one page of posts matching term newer than since.
func (c *Client) Listen(ctx context.Context, acct backend.Account, term, since string, limit int) (backend.NotificationBatch, error) {
	if limit <= 0 || limit > inboxPage {
		limit = inboxPage
	}
	me, err := c.accountID(ctx, acct)
	if err != nil {
		return backend.NotificationBatch{}, c.inboxErr(err, "read:accounts")
	}
	term = strings.TrimSpace(term)
	v := url.Values{"limit": {strconv.Itoa(limit)}}
	if since != "" {
		v.Set("min_id", since)
	}
	var list []remoteStatus
	if tag := strings.TrimPrefix(term, "#"); tag != term {
		err = c.call(ctx, http.MethodGet, "/api/v1/timelines/tag/"+url.PathEscape(tag)+"?"+v.Encode(), nil, "", nil, &list)
	} else {
		v.Set("q", term)
		v.Set("type", "statuses")
		var res struct {
			Statuses []remoteStatus `json:"statuses"`
		}
		err = c.call(ctx, http.MethodGet, "/api/v2/search?"+v.Encode(), nil, "", nil, &res)
		list = res.Statuses
	}
	if err != nil {
		return backend.NotificationBatch{}, c.inboxErr(err, "read:search")
	}
	var b backend.NotificationBatch
	for _, s := range list {
		if s.ID == "" || (since != "" && !laterID(s.ID, since)) {
			continue
		}
		if b.Mark == "" || laterID(s.ID, b.Mark) {
			b.Mark = s.ID
		}
		if s.Account.ID == me || s.Visibility == "direct" {
			continue // our own posts, and anything not public, are not listening
		}
		p := c.post(s)
		b.Items = append(b.Items, backend.Notification{RemoteID: "listen:" + s.ID, Kind: backend.KindListening, CreatedAt: p.CreatedAt,
			Author: p.Author, Subject: &p})
	}
	return b, nil
}
