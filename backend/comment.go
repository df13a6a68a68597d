package backend

import (
	"context"
	"time"
)

// CommentState is where a variant's first comment is in its publishing. A
// first comment is a reply to the published post, sent right after it with
// the same exactly-once guarantees: its own keys generated once, its own
// state committed before every step, "sending" written before the call.
//
//	""  ──main post published with a reply ref and a first comment──▶ pending
//	pending ──▶ sending ──ok──▶ published
//	              ├──EInvalid──▶ failed ──RetryComment──▶ pending
//	              └──crash: outcome unknown: Resolver (Bluesky) or Finder
//	                 (Mastodon, by reply target), else needs_review
//
// "" means there is nothing to send: no first comment, the main post not
// published (yet), a manual network (the user posts the comment by hand), or
// a post published by hand without a link to reply to.
type CommentState string

const (
	CommentNone        CommentState = ""
	CommentPending     CommentState = "pending"
	CommentSending     CommentState = "sending"
	CommentPublished   CommentState = "published"
	CommentFailed      CommentState = "failed"
	CommentNeedsReview CommentState = "needs_review"
	CommentSkipped     CommentState = "skipped" // the user gave up on it (or posted it by hand)
)

// CommentStates lists every comment state.
var CommentStates = []CommentState{CommentNone, CommentPending, CommentSending, CommentPublished, CommentFailed, CommentNeedsReview, CommentSkipped}

// Valid reports whether s is a known comment state.
func (s CommentState) Valid() bool {
	for _, k := range CommentStates {
		if k == s {
			return true
		}
	}
	return false
}

// CommentPublish is the stored publishing state of a variant's first comment.
type CommentPublish struct {
	VariantID       int64        `json:"variantId"`
	PostID          int64        `json:"postId"`
	AccountID       int64        `json:"accountId"`
	State           CommentState `json:"state"`
	IdempotencyKey  string       `json:"idempotencyKey"`  // generated once (Mastodon Idempotency-Key)
	RecordKey       string       `json:"recordKey"`       // generated once (Bluesky TID)
	RemoteCreatedAt *time.Time   `json:"remoteCreatedAt"` // generated once (Bluesky createdAt)
	Attempts        int          `json:"attempts"`
	NextAttemptAt   *time.Time   `json:"nextAttemptAt"`
	LastErrorCode   string       `json:"lastErrorCode"`
	LastErrorKey    string       `json:"lastErrorKey"`
	LastError       string       `json:"lastError"`
	Remote          RemoteRef    `json:"remote"` // the reply, once published
	PublishedAt     *time.Time   `json:"publishedAt"`
	SendingSince    *time.Time   `json:"sendingSince"`
	UncertainSince  *time.Time   `json:"uncertainSince"` // as VariantPublish.UncertainSince
	Mark            *RemoteMark  `json:"mark"`           // as VariantPublish.Mark
}

// CommentJob is what publishing one first comment needs.
type CommentJob struct {
	Publish  CommentPublish `json:"publish"`
	Parent   RemoteRef      `json:"parent"` // the published post: the reply's parent and root
	Account  Account        `json:"account"`
	Text     string         `json:"text"` // the post's first comment, now
	Language string         `json:"language"`
	// Active is false when the post was deleted or moved back to draft: an
	// interrupted call is still resolved, nothing new is sent.
	Active bool `json:"active"`
}

// CommentStore keeps first comments' publishing state (the SQLite store
// implements it next to OutboxStore; the outbox uses it when present).
// When a variant's state becomes published with a reply ref (Mastodon status
// id, Bluesky uri+cid) on a direct network and its post has a first comment,
// the store sets the comment pending in the same transaction, so a crash
// can never lose it.
type CommentStore interface {
	// CommentJobs returns the comments in the given states (pending ones only
	// when NextAttemptAt is not after readyBy; zero readyBy: all), by variant.
	CommentJobs(ctx context.Context, states []CommentState, readyBy time.Time, limit int) ([]CommentJob, error)
	// CommentJob returns one variant's comment job (ENotFound when the variant does not exist).
	CommentJob(ctx context.Context, variantID int64) (*CommentJob, error)
	// CommentUpdate reads a comment's state and its account's, lets fn change
	// them and writes both back in one transaction. fn must not do I/O.
	CommentUpdate(ctx context.Context, variantID int64, fn func(c *CommentPublish, a *AccountOutbox) error) error
	// CommentNextWake is the earliest retry time after now of a pending comment.
	CommentNextWake(ctx context.Context, now time.Time) (time.Time, bool, error)
}
