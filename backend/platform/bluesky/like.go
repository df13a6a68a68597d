package bluesky

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"pauta/backend"
)

// LikeCollection is where likes live.
const LikeCollection = "app.bsky.feed.like"

// LikeRecord is an app.bsky.feed.like record. Field order is fixed, so the
// same request always encodes to the same bytes.
type LikeRecord struct {
	Type      string    `json:"$type"`
	Subject   StrongRef `json:"subject"`
	CreatedAt string    `json:"createdAt"`
}

type putLikeInput struct {
	Repo       string     `json:"repo"`
	Collection string     `json:"collection"`
	Rkey       string     `json:"rkey"`
	Record     LikeRecord `json:"record"`
	SwapRecord *string    `json:"swapRecord"` // null: write only if absent (or identical)
}

// Like likes req.Like with putRecord at req.RecordKey (chosen once by the
// outbox and stored before the first call), swapRecord null: a retry
// writes the identical record at the same key, so there is never a second
// like. A record already at the key (InvalidSwap) is the like sent before.
func (c *Client) Like(ctx context.Context, req backend.PublishRequest) (backend.RemoteRef, error) {
	if !ValidTID(req.RecordKey) || req.CreatedAt.IsZero() {
		return backend.RemoteRef{}, backend.Errorf(backend.EInternal, "internal", "bluesky like without a valid record key or createdAt")
	}
	if req.Like == nil || req.Like.URI == "" || req.Like.CID == "" {
		return backend.RemoteRef{}, backend.NotSent(backend.Errorf(backend.EInvalid, "inbox.like_no_post", "there is no post to like here"))
	}
	s, err := c.current(ctx)
	if err != nil {
		return backend.RemoteRef{}, fmt.Errorf("like on bluesky: %w", err)
	}
	rec := LikeRecord{Type: LikeCollection, Subject: StrongRef{req.Like.URI, req.Like.CID}, CreatedAt: req.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z")}
	body, err := json.Marshal(putLikeInput{Repo: s.DID, Collection: LikeCollection, Rkey: req.RecordKey, Record: rec})
	if err != nil {
		return backend.RemoteRef{}, err
	}
	var out StrongRef
	err = c.authed(ctx, http.MethodPost, "com.atproto.repo.putRecord", nil, "application/json", body, &out)
	if e := backend.AsError(err); e != nil && e.Params["error"] == "InvalidSwap" {
		// Our key already holds a like: the one an earlier attempt wrote.
		return backend.RemoteRef{ID: req.RecordKey, URI: "at://" + s.DID + "/" + LikeCollection + "/" + req.RecordKey, URL: req.Like.URL}, nil
	}
	if err != nil {
		return backend.RemoteRef{}, fmt.Errorf("like on bluesky: %w", err)
	}
	if out.URI == "" {
		return backend.RemoteRef{}, badAnswer(hostOf(s.PDS))
	}
	return backend.RemoteRef{ID: req.RecordKey, URI: out.URI, CID: out.CID, URL: req.Like.URL}, nil
}
