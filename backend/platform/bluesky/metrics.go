package bluesky

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"pauta/backend"
)

// The report side (issue #15): a published post's figures and the
// account's follower count, read from the AppView through the PDS.

var _ backend.MetricsFetcher = (*Client)(nil)

// PostsPerCall is the most URIs app.bsky.feed.getPosts takes.
const PostsPerCall = 25

// PostMetrics reads replies, reposts, likes and quotes of refs with
// app.bsky.feed.getPosts, 25 URIs a call, one answer per ref in order. A
// post the AppView no longer returns (deleted, or its author gone) is
// Deleted with no figures. A ref without a URI is one of the account's
// posts known by record key.
func (c *Client) PostMetrics(ctx context.Context, acct backend.Account, refs []backend.RemoteRef) ([]backend.PostMetrics, error) {
	s, err := c.checkAccount(ctx, acct)
	if err != nil {
		return nil, err
	}
	out := make([]backend.PostMetrics, len(refs))
	uris := make([]string, len(refs))
	for i, r := range refs {
		out[i].Ref = r
		uris[i] = r.URI
		if uris[i] == "" && ValidTID(r.ID) {
			uris[i] = "at://" + s.DID + "/" + Collection + "/" + r.ID
		}
	}
	for start := 0; start < len(refs); start += PostsPerCall {
		end := min(start+PostsPerCall, len(refs))
		q := url.Values{}
		for _, u := range uris[start:end] {
			if uriRkey(u) != "" { // a malformed URI would fail the whole call
				q.Add("uris", u)
			}
		}
		found, err := c.getPosts(ctx, q["uris"])
		if err != nil {
			return nil, fmt.Errorf("bluesky post figures: %w", err)
		}
		for i := start; i < end; i++ {
			p, ok := found[uris[i]]
			if !ok {
				out[i].Deleted = true
				continue
			}
			if out[i].Ref.URI == "" {
				out[i].Ref.URI = p.URI
			}
			if out[i].Ref.CID == "" {
				out[i].Ref.CID = p.CID
			}
			out[i].Replies, out[i].Reposts, out[i].Likes, out[i].Quotes =
				max(p.ReplyCount, 0), max(p.RepostCount, 0), max(p.LikeCount, 0), max(p.QuoteCount, 0)
		}
	}
	return out, nil
}

// getPosts reads up to 25 posts (app.bsky.feed.getPosts), by URI; posts
// the AppView does not have are missing from the map.
func (c *Client) getPosts(ctx context.Context, uris []string) (map[string]postView, error) {
	found := map[string]postView{}
	if len(uris) == 0 {
		return found, nil
	}
	var a struct {
		Posts []postView `json:"posts"`
	}
	if err := c.authed(ctx, http.MethodGet, "app.bsky.feed.getPosts", url.Values{"uris": uris}, "", nil, &a); err != nil {
		return nil, err
	}
	for _, p := range a.Posts {
		found[p.URI] = p
	}
	return found, nil
}

// Followers is the account's follower count (app.bsky.actor.getProfile).
func (c *Client) Followers(ctx context.Context, acct backend.Account) (int, error) {
	s, err := c.checkAccount(ctx, acct)
	if err != nil {
		return 0, err
	}
	var a struct {
		DID            string `json:"did"`
		FollowersCount *int   `json:"followersCount"`
	}
	if err := c.authed(ctx, http.MethodGet, "app.bsky.actor.getProfile", url.Values{"actor": {s.DID}}, "", nil, &a); err != nil {
		return 0, fmt.Errorf("bluesky followers: %w", err)
	}
	if a.DID != s.DID || a.FollowersCount == nil || *a.FollowersCount < 0 {
		return 0, badAnswer(hostOf(s.PDS))
	}
	return *a.FollowersCount, nil
}
