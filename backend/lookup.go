package backend

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// Finding an attempt whose outcome is unknown on a network that cannot be
// asked by key (Mastodon): before each send the outbox takes a RemoteMark
// (the account's newest status and the server's clock), stores it with the
// claim, and after an interruption lists the account's statuses since the
// mark. Elapsed time is always measured on the server's clock, never the
// laptop's.

// RemoteMark is where an account's own timeline stood just before a send.
type RemoteMark struct {
	LastID     string    `json:"lastId"`     // newest status id then ("" = none)
	ServerTime time.Time `json:"serverTime"` // the server's Date header then
}

// FindResult is what a Finder saw among the account's statuses since a mark.
type FindResult struct {
	Found bool      // a status matching the request: Ref
	Ref   RemoteRef //
	// Complete: every status since the mark was read; false when there were
	// too many, or the server refused the listing: it cannot tell.
	Complete bool
	// ServerTime is the server's Date of the listing (zero: unknown).
	ServerTime time.Time
}

// Finder is a Publisher that can mark an account's timeline before a send
// and find the status an interrupted send may have created (Mastodon).
type Finder interface {
	Mark(ctx context.Context, acct Account) (RemoteMark, error)
	Find(ctx context.Context, req PublishRequest, mark RemoteMark) (FindResult, error)
}

// MediaUpload is an image already uploaded for a variant (Mastodon media
// id), reused by a retry instead of uploading it again.
type MediaUpload struct {
	Key string    `json:"key"` // MediaFile.UploadKey of what was uploaded
	ID  string    `json:"id"`  // the network's media id
	At  time.Time `json:"at"`  // the server's Date of the upload (zero: unknown)
}

// UploadKey identifies what an upload sent: the rendered file (its path is
// content-derived), its alt text and focal point. A changed image or alt
// text gets a new key, so a stale upload is never reused.
func (m MediaFile) UploadKey() string {
	h := sha256.New()
	for _, s := range []string{m.Path, m.MIME, m.Alt, strconv.FormatFloat(m.FocusX, 'g', -1, 64), strconv.FormatFloat(m.FocusY, 'g', -1, 64)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}
