package bluesky

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"

	"pauta/backend"
	"pauta/backend/platform/httpx"
)

// ThreadDepth and ThreadParents bound how much of a conversation
// getPostThread returns (replies below the post, ancestors above it).
const (
	ThreadDepth   = 10
	ThreadParents = 80
)

// threadNode is the app.bsky.feed.getPostThread union: a
// #threadViewPost, a #notFoundPost or a #blockedPost.
type threadNode struct {
	Type     string        `json:"$type"`
	URI      string        `json:"uri"` // notFound / blocked
	NotFound bool          `json:"notFound"`
	Blocked  bool          `json:"blocked"`
	Post     *postView     `json:"post"`
	Parent   *threadNode   `json:"parent"`
	Replies  []*threadNode `json:"replies"`
}

// postView is app.bsky.feed.defs#postView.
type postView struct {
	URI         string          `json:"uri"`
	CID         string          `json:"cid"`
	Author      profileView     `json:"author"`
	Record      json.RawMessage `json:"record"`
	ReplyCount  int             `json:"replyCount"`
	RepostCount int             `json:"repostCount"`
	LikeCount   int             `json:"likeCount"`
	QuoteCount  int             `json:"quoteCount"`
	IndexedAt   string          `json:"indexedAt"`
}

// Thread returns the conversation around ref (app.bsky.feed.getPostThread):
// its ancestors from the root down, ref itself, then every reply below it
// oldest first. Deleted posts are kept in place with Deleted set, hidden
// ones (a block) with Blocked. A post that no longer exists is ENotFound
// bluesky.post_not_found.
func (c *Client) Thread(ctx context.Context, acct backend.Account, ref backend.RemoteRef) ([]backend.RemotePost, error) {
	s, err := c.checkAccount(ctx, acct)
	if err != nil {
		return nil, err
	}
	uri := ref.URI
	if uri == "" && ValidTID(ref.ID) {
		uri = "at://" + s.DID + "/" + Collection + "/" + ref.ID // one of our posts, known by record key
	}
	if uriRkey(uri) == "" {
		return nil, backend.Errorf(backend.EInvalid, "bluesky.post_not_found", "no Bluesky post to read the conversation of")
	}
	q := url.Values{"uri": {uri}, "depth": {fmt.Sprint(ThreadDepth)}, "parentHeight": {fmt.Sprint(ThreadParents)}}
	var a struct {
		Thread *threadNode `json:"thread"`
	}
	err = c.authed(ctx, http.MethodGet, "app.bsky.feed.getPostThread", q, "", nil, &a)
	if e := backend.AsError(err); e != nil && e.Params["error"] == "NotFound" {
		return nil, httpx.Wrap(backend.Errorf(backend.ENotFound, "bluesky.post_not_found", "the Bluesky post was deleted"), err)
	}
	if err != nil {
		return nil, fmt.Errorf("bluesky thread: %w", err)
	}
	if a.Thread == nil {
		return nil, badAnswer(hostOf(s.PDS))
	}
	var out []backend.RemotePost
	// Ancestors, nearest first, then reversed so the root leads.
	var up []backend.RemotePost
	for n, i := a.Thread.Parent, 0; n != nil && i < ThreadParents+1; n, i = n.Parent, i+1 {
		up = append(up, threadPost(s, n))
	}
	for i := len(up) - 1; i >= 0; i-- {
		out = append(out, up[i])
	}
	asked := threadPost(s, a.Thread)
	out = append(out, asked)
	// A deleted ancestor ends the chain the AppView sends: the root, which
	// the post's reply reference names, is read on its own.
	if asked.Root != nil && out[0].Ref.URI != asked.Root.URI {
		found, err := c.getPosts(ctx, []string{asked.Root.URI})
		if err != nil {
			return nil, fmt.Errorf("bluesky thread: %w", err)
		}
		root := backend.RemotePost{Ref: postRef(s, asked.Root.URI, asked.Root.CID, ""), Deleted: true}
		if p, ok := found[asked.Root.URI]; ok {
			root = viewPost(s, p)
		}
		out = append([]backend.RemotePost{root}, out...)
	}
	var below []backend.RemotePost
	var walk func(ns []*threadNode, depth int)
	walk = func(ns []*threadNode, depth int) {
		for _, n := range ns {
			if n == nil || depth > ThreadDepth+1 {
				continue
			}
			below = append(below, threadPost(s, n))
			walk(n.Replies, depth+1)
		}
	}
	walk(a.Thread.Replies, 1)
	sort.SliceStable(below, func(i, j int) bool { return below[i].CreatedAt.Before(below[j].CreatedAt) })
	return append(out, below...), nil
}

// threadPost turns one node into a RemotePost; unavailable nodes keep
// only their reference.
func threadPost(s Session, n *threadNode) backend.RemotePost {
	switch {
	case n.Post != nil && n.Type != "app.bsky.feed.defs#notFoundPost" && n.Type != "app.bsky.feed.defs#blockedPost":
		return viewPost(s, *n.Post)
	case n.Blocked || n.Type == "app.bsky.feed.defs#blockedPost":
		return backend.RemotePost{Ref: postRef(s, n.URI, "", ""), Blocked: true}
	default:
		return backend.RemotePost{Ref: postRef(s, n.URI, "", ""), Deleted: true}
	}
}

// viewPost reads an app.bsky.feed.defs#postView.
func viewPost(s Session, p postView) backend.RemotePost {
	var rec postRecord
	if json.Unmarshal(p.Record, &rec) != nil {
		rec = postRecord{}
	}
	return remotePost(s, p.URI, p.CID, p.Author, rec)
}
