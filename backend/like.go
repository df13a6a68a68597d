package backend

import (
	"context"
	"time"
)

// Likes from the inbox (issue #14): liking a remote post sends something
// to a network, so it is outbox work like a reply: a post of kind "like"
// with one variant for the item's account whose Like is the post it likes.
// The outbox claims it, keeps the record key chosen once, and sends it
// with the same state machine (Mastodon favourite, which the server
// answers the same way however often it is asked; Bluesky an
// app.bsky.feed.like record written at that key, so a retry never creates
// a second like).

// InboxLike is the like Pauta sent or is sending for an inbox item.
type InboxLike struct {
	VariantID   int64       `json:"variantId"`
	PostID      int64       `json:"postId"`
	InboxItemID int64       `json:"inboxItemId"`
	State       OutboxState `json:"state"`
	PublishedAt *time.Time  `json:"publishedAt"`
	ErrorKey    string      `json:"errorKey"`
	Error       string      `json:"error"`
}

// LikeStore queues likes (the SQLite store implements it).
type LikeStore interface {
	// QueueLike writes a like of the item's post due now for the outbox.
	// Liking an item already liked (or being liked) returns that like.
	QueueLike(ctx context.Context, itemID int64) (InboxLike, error)
	// InboxLikeOf returns the item's like, nil when there is none.
	InboxLikeOf(ctx context.Context, itemID int64) (*InboxLike, error)
}

// LikeTarget is the post liking n likes (nil when there is none: a follow,
// a deleted status).
func LikeTarget(n Notification) *RemoteRef {
	p, _ := ReplyTarget(n)
	return p
}
