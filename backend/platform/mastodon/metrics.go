package mastodon

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"pauta/backend"
	"pauta/backend/platform/httpx"
)

// The client is a backend.MetricsFetcher: the public figures of the
// account's published statuses and its follower count, for the report.
var _ backend.MetricsFetcher = (*Client)(nil)

// StatusesBatch is how many ids one GET /api/v1/statuses?id[]= asks for
// (Mastodon answers at most this many).
const StatusesBatch = 20

// RateReserve is how many calls of the account's window the figures leave
// to publishing: below it the fetcher stops and says when to come back.
const RateReserve = 30

type statusCounts struct {
	ID              string  `json:"id"`
	RepliesCount    int     `json:"replies_count"`
	ReblogsCount    int     `json:"reblogs_count"`
	FavouritesCount int     `json:"favourites_count"`
	QuotesCount     int     `json:"quotes_count"` // Mastodon 4.5+; 0 elsewhere
	URL             *string `json:"url"`
}

// PostMetrics answers the figures of refs, one entry per ref, in order.
// It asks GET /api/v1/statuses?id[]= (Mastodon 4.3+) 20 ids at a time; a
// server without that endpoint (404, 405, 501) is asked status by status.
// A status the server no longer has comes back Deleted. A 429, or a window
// with fewer than RateReserve calls left, is ERateLimited with RetryAfter;
// the entries read before it (a prefix of refs) come back with the error.
func (c *Client) PostMetrics(ctx context.Context, _ backend.Account, refs []backend.RemoteRef) ([]backend.PostMetrics, error) {
	out := make([]backend.PostMetrics, 0, len(refs))
	for start := 0; start < len(refs); start += StatusesBatch {
		chunk := refs[start:min(start+StatusesBatch, len(refs))]
		var got []backend.PostMetrics
		var err error
		if !c.noBatch {
			got, err = c.batchMetrics(ctx, chunk)
			if unsupported(err) {
				c.noBatch, err = true, nil
			}
		}
		if c.noBatch {
			got, err = c.singleMetrics(ctx, chunk)
		}
		out = append(out, got...)
		if err != nil {
			return out, fmt.Errorf("read mastodon figures: %w", err)
		}
	}
	return out, nil
}

func (c *Client) batchMetrics(ctx context.Context, refs []backend.RemoteRef) ([]backend.PostMetrics, error) {
	q := url.Values{}
	for _, r := range refs {
		q.Add("id[]", r.ID)
	}
	var list []statusCounts
	hdr, err := c.callHeader(ctx, http.MethodGet, "/api/v1/statuses?"+q.Encode(), nil, "", nil, &list)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]statusCounts, len(list))
	for _, s := range list {
		byID[s.ID] = s
	}
	out := make([]backend.PostMetrics, len(refs))
	for i, r := range refs {
		s, ok := byID[r.ID]
		out[i] = toMetrics(r, s, !ok) // missing from the answer: deleted (or no longer visible)
	}
	return out, c.reserve(hdr)
}

func (c *Client) singleMetrics(ctx context.Context, refs []backend.RemoteRef) ([]backend.PostMetrics, error) {
	out := make([]backend.PostMetrics, 0, len(refs))
	for _, r := range refs {
		var s statusCounts
		hdr, err := c.callHeader(ctx, http.MethodGet, "/api/v1/statuses/"+url.PathEscape(r.ID), nil, "", nil, &s)
		switch {
		case err == nil:
			out = append(out, toMetrics(r, s, false))
		case backend.AsError(err) != nil && backend.AsError(err).Params["status"] == "404":
			out = append(out, toMetrics(r, s, true))
		default:
			return out, err
		}
		if err := c.reserve(hdr); err != nil {
			return out, err
		}
	}
	return out, nil
}

func toMetrics(r backend.RemoteRef, s statusCounts, deleted bool) backend.PostMetrics {
	if deleted {
		return backend.PostMetrics{Ref: r, Deleted: true}
	}
	return backend.PostMetrics{Ref: r, Replies: max(s.RepliesCount, 0), Reposts: max(s.ReblogsCount, 0),
		Likes: max(s.FavouritesCount, 0), Quotes: max(s.QuotesCount, 0)}
}

// reserve reads X-RateLimit-Remaining: with fewer than RateReserve calls
// left the figures wait for X-RateLimit-Reset, so publishing keeps its share.
func (c *Client) reserve(h http.Header) error {
	if h == nil {
		return nil
	}
	rem, err := strconv.Atoi(strings.TrimSpace(h.Get("X-RateLimit-Remaining")))
	if err != nil || rem >= RateReserve {
		return nil
	}
	d := httpx.RetryAfter(h, c.Clock.Now())
	e := backend.Errorf(backend.ERateLimited, "network.rate_limited", "%s is rate limiting: retry in %s", c.host(), d.Round(time.Second)).
		WithParam("host", c.host()).WithParam("seconds", strconv.Itoa(int((d+time.Second-1)/time.Second)))
	e.RetryAfter = d
	return e
}

// Followers is the account's follower count (verify_credentials).
func (c *Client) Followers(ctx context.Context, _ backend.Account) (int, error) {
	var a struct {
		FollowersCount *int `json:"followers_count"`
	}
	if err := c.call(ctx, http.MethodGet, "/api/v1/accounts/verify_credentials", nil, "", nil, &a); err != nil {
		return 0, fmt.Errorf("read mastodon followers: %w", err)
	}
	if a.FollowersCount == nil || *a.FollowersCount < 0 {
		return 0, c.badAnswer()
	}
	return *a.FollowersCount, nil
}
