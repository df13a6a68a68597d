package backend

import (
	"context"
	"time"
)

// Authors' avatars in the inbox (issue #14): fetched when online, shrunk
// and kept in the workspace cache, served to the UI by the app; a remote
// URL is never shown directly.

// AvatarWant is an author whose avatar should be fetched: none cached yet,
// or the cached one is older than the refresh interval.
type AvatarWant struct {
	Key  string // network + ":" + the author's id (Mastodon account id, Bluesky DID)
	URL  string // where the network says the avatar is
	File string // the file cached now ("" = none)
}

// AvatarRecord is the outcome of one fetch.
type AvatarRecord struct {
	Key       string
	URL       string
	File      string // the cached file's name ("" = none: the initial is shown)
	FetchedAt time.Time
	Failed    bool   // bad answer: kept until the next refresh, never retried sooner
	Error     string // why, for the log
}

// AvatarStore keeps what was fetched (the SQLite store implements it).
type AvatarStore interface {
	// AvatarsDue lists authors of items created at or after since whose
	// avatar was never fetched or was last tried at or before staleBefore,
	// newest first, at most limit.
	AvatarsDue(ctx context.Context, since, staleBefore time.Time, limit int) ([]AvatarWant, error)
	SaveAvatar(ctx context.Context, r AvatarRecord) error
	// AvatarFileUsed says whether any author's avatar is that file.
	AvatarFileUsed(ctx context.Context, file string) (bool, error)
}
