package backend

import (
	"context"
	"time"
)

// Error codes a network or the keychain can answer with, beyond the basics.
const (
	ETransient   = "transient"    // network down, timeout, 5xx: retry later
	ERateLimited = "rate_limited" // 429: retry after Error.RetryAfter
	EAuth        = "auth"         // token revoked or wrong: the account needs reconnecting
)

// Secrets keeps tokens in the OS keychain, never on disk. Get answers a
// not_found *Error for a missing entry and an unavailable one when there is
// no keychain (no Secret Service, locked, timed out).
type Secrets interface {
	Set(ctx context.Context, key, value string) error
	Get(ctx context.Context, key string) (string, error)
	Delete(ctx context.Context, key string) error
}

// MediaFile is an image ready for one network (already resized by the media presets).
type MediaFile struct {
	Path   string  `json:"path"`
	MIME   string  `json:"mime"`
	Alt    string  `json:"alt"`
	Width  int     `json:"width"`
	Height int     `json:"height"`
	FocusX float64 `json:"focusX"` // 0..1 from the left
	FocusY float64 `json:"focusY"` // 0..1 from the top
}

// RemoteRef points at something a network published.
type RemoteRef struct {
	ID  string `json:"id"`  // Mastodon status id, or the Bluesky record key
	URI string `json:"uri"` // at:// URI (Bluesky)
	CID string `json:"cid"` // content id (Bluesky)
	URL string `json:"url"` // a web link a person can open
}

// PublishRequest is one variant going to one account. The idempotency
// fields are generated once, stored with the variant and sent unchanged on
// every retry, so a retry can never create a second post.
type PublishRequest struct {
	Account        Account     `json:"account"`
	Text           string      `json:"text"`
	Language       string      `json:"language"` // the client's content language
	Media          []MediaFile `json:"media"`
	IdempotencyKey string      `json:"idempotencyKey"` // Mastodon Idempotency-Key
	RecordKey      string      `json:"recordKey"`      // Bluesky TID record key
	CreatedAt      time.Time   `json:"createdAt"`      // Bluesky createdAt, identical on retries
	ReplyTo        *RemoteRef  `json:"replyTo"`        // first comment: reply to this
	Root           *RemoteRef  `json:"root"`           // Bluesky thread root (= ReplyTo for a first comment)
	// Like, when set, makes the request a like of that post instead of a
	// post (Mastodon favourite, Bluesky app.bsky.feed.like at RecordKey).
	Like *RemoteRef `json:"like"`
	// Uploaded are images an earlier attempt uploaded (lookup.go): the
	// publisher reuses the ones whose key matches instead of uploading again.
	Uploaded []MediaUpload `json:"uploaded"`
	// OnUploaded, when set, is called with every upload of this attempt
	// before the post is sent; its error stops the attempt (not sent).
	OnUploaded func(ups []MediaUpload) error `json:"-"`
}

// Publisher publishes to one network. Errors are *Error with a code that
// says what to do: ETransient / ERateLimited (retry), EAuth (reconnect),
// EInvalid (permanent: show the message).
type Publisher interface {
	Publish(ctx context.Context, req PublishRequest) (RemoteRef, error)
}
