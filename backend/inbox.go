package backend

import (
	"context"
	"time"
)

// The community half (issue #14): what networks tell an account, fetched
// by a per-network adapter, stored once per (account, remote id) and shown
// in the inbox. Adapters turn remote HTML into plain text + links before
// anything reaches these types; nothing here ever holds remote markup.

// InboxKind says why an item is in the inbox.
type InboxKind string

const (
	KindMention   InboxKind = "mention"   // someone named the account
	KindReply     InboxKind = "reply"     // an answer to one of our posts
	KindQuote     InboxKind = "quote"     // our post quoted
	KindDirect    InboxKind = "direct"    // a private message, where the network has them
	KindBoost     InboxKind = "boost"     // reblog / repost of our post
	KindLike      InboxKind = "like"      // favourite / like of our post
	KindFollow    InboxKind = "follow"    // a new follower
	KindListening InboxKind = "listening" // a match of a watched hashtag or keyword
)

// Summarised reports the kinds the inbox collapses into one summary row
// per post and day instead of one row per person.
func (k InboxKind) Summarised() bool {
	return k == KindBoost || k == KindLike || k == KindFollow
}

// RemoteAuthor is the person behind a notification or a post.
type RemoteAuthor struct {
	ID        string `json:"id"`        // Mastodon account id, Bluesky DID
	Handle    string `json:"handle"`    // user@instance, name.bsky.social
	Name      string `json:"name"`      // display name, plain text
	AvatarURL string `json:"avatarUrl"` // remote; the app caches it before showing it
	URL       string `json:"url"`       // profile page
}

// RemotePost is a post on a network, read back as plain text.
type RemotePost struct {
	Ref       RemoteRef    `json:"ref"`
	Author    RemoteAuthor `json:"author"`
	Text      string       `json:"text"`  // plain text; links kept as their URL text
	Links     []string     `json:"links"` // http(s) links found in the post, in order
	Language  string       `json:"language"`
	CreatedAt time.Time    `json:"createdAt"`
	ReplyTo   *RemoteRef   `json:"replyTo"` // parent, when the post is a reply
	Root      *RemoteRef   `json:"root"`    // thread root, when the post is a reply
	Deleted   bool         `json:"deleted"` // the network says it is gone
	Blocked   bool         `json:"blocked"` // the network hides it: a block between the account and its author
}

// Notification is one thing a network told an account, as fetched.
type Notification struct {
	RemoteID  string       `json:"remoteId"` // Mastodon notification id, Bluesky notification record URI
	Kind      InboxKind    `json:"kind"`
	CreatedAt time.Time    `json:"createdAt"` // when it happened (server time)
	Author    RemoteAuthor `json:"author"`
	// Subject is the post that mentions, replies or quotes (nil for a
	// follow, a like or a boost, and when the status was deleted).
	Subject *RemotePost `json:"subject"`
	// About is our post the notification is about: the post replied to,
	// liked, boosted or quoted (nil for mentions outside a thread and follows).
	About *RemoteRef `json:"about"`
	// Filtered: Mastodon put it among notification requests (a stranger).
	Filtered bool `json:"filtered"`
}

// NotificationQuery asks an adapter for notifications. Marks and cursors
// are opaque strings the same adapter returned before.
type NotificationQuery struct {
	Since  string // high-water mark from an earlier batch: everything newer ("" = first sync)
	Before string // cursor from an earlier batch's Older: the page older than it ("load older")
	Limit  int    // at most this many items in all (pages are followed up to it)
}

// NotificationBatch is what one fetch found, newest first.
type NotificationBatch struct {
	Items []Notification
	Mark  string // new high-water mark for the next Since ("" = nothing new)
	Older string // cursor to load older items ("" = none left)
	// Gap: Limit was reached before Since, so items between the oldest
	// returned and Since were not fetched (shown as "load older").
	Gap bool
	// Wait: the server's rate limit is nearly used up; the next fetch of
	// this account should not start before Wait has passed (0 = no advice).
	Wait time.Duration
}

// InboxFetcher reads an account's notifications and threads. Errors are
// *Error: ETransient / ERateLimited (retry later, RetryAfter honoured),
// EAuth (reconnect; a token without the needed scope is EAuth with key
// "inbox.scope_missing" and the scope as param "scope"), EInvalid for a
// cursor the server refuses (the caller restarts from Since = "").
type InboxFetcher interface {
	Notifications(ctx context.Context, acct Account, q NotificationQuery) (NotificationBatch, error)
	// Thread returns the conversation around ref, oldest first, ref included.
	Thread(ctx context.Context, acct Account, ref RemoteRef) ([]RemotePost, error)
	// MarkRead moves the network's own read marker up to mark (an
	// earlier batch's Mark), for accounts where the user turned it on.
	MarkRead(ctx context.Context, acct Account, mark string) error
}

// Inbox item states, kept locally.
const (
	InboxNew     = "new"
	InboxDone    = "done"
	InboxSnoozed = "snoozed" // back to new at SnoozedUntil
)

// InboxItem is a stored notification with what the user did about it.
type InboxItem struct {
	ID           int64        `json:"id"`
	AccountID    int64        `json:"accountId"`
	ClientID     int64        `json:"clientId"`
	Notification Notification `json:"notification"`
	State        string       `json:"state"`
	SnoozedUntil *time.Time   `json:"snoozedUntil"`
	Tags         []string     `json:"tags"`   // question, praise, complaint, crisis, lead, …
	Pinned       bool         `json:"pinned"` // a notable quote for the report
	Alert        []string     `json:"alert"`  // alert words of the client's crisis plan it matched
	Note         string       `json:"note"`   // the user's note (crisis outcome)
	ArrivedAt    time.Time    `json:"arrivedAt"`
	FirstReplyAt *time.Time   `json:"firstReplyAt"` // when our first reply to it was sent
	// Avatar is the author's cached avatar file ("" = none: show the
	// initial); the app serves it at /media/avatar/<Avatar>.
	Avatar string `json:"avatar"`
	// Liked is the state of our like of it in the outbox ("" = not liked).
	Liked OutboxState `json:"liked"`
}

// InboxReader is what the monthly report (issue #15) reads of the inbox:
// every item of the client's accounts that arrived in [from, to).
type InboxReader interface {
	InboxItemsForReport(ctx context.Context, clientID int64, from, to time.Time) ([]InboxItem, error)
}

// PostMetrics are a published post's public figures, as a network counts them.
type PostMetrics struct {
	Ref     RemoteRef `json:"ref"`
	Replies int       `json:"replies"`
	Reposts int       `json:"reposts"` // boosts / reposts
	Likes   int       `json:"likes"`   // favourites / likes
	Quotes  int       `json:"quotes"`
	Deleted bool      `json:"deleted"` // the network no longer has it (no figures)
}

// MetricsFetcher reads figures for the monthly report (issue #15).
type MetricsFetcher interface {
	// PostMetrics answers one entry per ref, in order; it batches as the
	// network allows (Mastodon id[]=, Bluesky getPosts 25 at a time). On an
	// error (rate limit mid-way) the entries already read, a prefix of refs,
	// may come back with it: the caller keeps them.
	PostMetrics(ctx context.Context, acct Account, refs []RemoteRef) ([]PostMetrics, error)
	// Followers is the account's follower count now.
	Followers(ctx context.Context, acct Account) (int, error)
}
