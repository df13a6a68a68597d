package backend

import (
	"context"
	"time"
)

// Server-side scheduling (Mastodon scheduled statuses): a post due more than
// a few minutes ahead is handed to the instance, which publishes it even when
// the laptop is closed. Pauta records what the instance has (or may have) for
// each variant in a RemoteSchedule and, while online, makes it match what it
// should have: the variant's text, media, language and due time.

// EventPostsChanged is the app's "posts:changed" event, emitted by the
// outbox when a sync changed what the calendar shows (scheduled on the
// server, published by the instance, cancelled on the website).
const EventPostsChanged = "posts:changed"

// MinRemoteAhead is how far ahead Mastodon accepts a scheduled_at.
const MinRemoteAhead = 5 * time.Minute

// RemoteScheduled is a status the network will publish at ScheduledAt.
type RemoteScheduled struct {
	ID          string    `json:"id"`
	ScheduledAt time.Time `json:"scheduledAt"`
	Text        string    `json:"text"`
}

// RemoteStatus is a published status of the account (to find the one a
// scheduled status became).
type RemoteStatus struct {
	Ref       RemoteRef `json:"ref"`
	CreatedAt time.Time `json:"createdAt"`
	Text      string    `json:"text"` // plain text (HTML stripped)
}

// RemoteScheduler is a Publisher that can also hand a status to the network
// to publish later (Mastodon: POST /api/v1/statuses with scheduled_at, and
// /api/v1/scheduled_statuses). Errors are classified like Publish's; a
// scheduled status that is no longer there is ENotFound.
type RemoteScheduler interface {
	// ScheduleRemote uploads req's media and schedules the status at `at`,
	// with req.IdempotencyKey (a replay returns the original).
	ScheduleRemote(ctx context.Context, req PublishRequest, at time.Time) (RemoteScheduled, error)
	// RescheduleRemote moves a scheduled status to `at`.
	RescheduleRemote(ctx context.Context, acc Account, id string, at time.Time) (RemoteScheduled, error)
	// CancelRemote deletes a scheduled status.
	CancelRemote(ctx context.Context, acc Account, id string) error
	// ListRemote returns every scheduled status of the account, and the
	// server's time of the list (the Date of its first page; zero when the
	// server does not say): an interrupted create is timed on that clock.
	ListRemote(ctx context.Context, acc Account) ([]RemoteScheduled, time.Time, error)
	// RecentStatuses returns the account's latest published statuses.
	RecentStatuses(ctx context.Context, acc Account) ([]RemoteStatus, error)
}

// RemoteSchedule is what Pauta knows the network has for one variant. A row
// whose RemoteID is set, or whose create call's outcome is unknown
// (CreatingSince), holds the variant: the local publishing path never sends it.
type RemoteSchedule struct {
	VariantID int64  `json:"variantId"`
	PostID    int64  `json:"postId"` // the variant's post when the row was written
	AccountID int64  `json:"accountId"`
	RemoteID  string `json:"remoteId"` // the scheduled status id ("" = none known)
	// ScheduledAt and Hash are what the instance has (or was asked for):
	// the time, and a hash of text, media and language.
	ScheduledAt *time.Time `json:"scheduledAt"`
	Hash        string     `json:"hash"`
	Text        string     `json:"text"` // the text sent, to recognise the status after a crash
	// IdempotencyKey is the key of the current create call, new for each create.
	IdempotencyKey string `json:"idempotencyKey"`
	// CreatingSince is written before a create call and cleared once its
	// outcome is recorded: set after a crash, the call may have reached it.
	CreatingSince *time.Time `json:"creatingSince"`
	// MarkAt is the server's time taken just before that create call (nil:
	// none yet): once a list read Settle later on the server's clock does
	// not show the status, the call surely created nothing.
	MarkAt *time.Time `json:"markAt"`
	// RefusedHash is the hash+time the instance refused (422): the variant is
	// published locally unless it changes.
	RefusedHash   string     `json:"refusedHash"`
	LastErrorCode string     `json:"lastErrorCode"`
	LastErrorKey  string     `json:"lastErrorKey"`
	LastError     string     `json:"lastError"`
	UpdatedAt     *time.Time `json:"updatedAt"`
}

// Held reports whether the network has, or may have, a scheduled status for
// the variant.
func (r RemoteSchedule) Held() bool { return r.RemoteID != "" || r.CreatingSince != nil }

// RemoteScheduleStore keeps the rows. Rows survive the variant (a variant
// removed from a post still has its scheduled status to cancel) and go with
// the account.
type RemoteScheduleStore interface {
	// RemoteAccounts returns the connected Mastodon accounts and any account
	// that has rows.
	RemoteAccounts(ctx context.Context) ([]Account, error)
	// RemoteSchedules returns the account's rows.
	RemoteSchedules(ctx context.Context, accountID int64) ([]RemoteSchedule, error)
	// RemoteCandidates returns the account's pending variants of live posts
	// (not ideas or drafts) due after `after` that can be scheduled on the server (no
	// first comment), by due time.
	RemoteCandidates(ctx context.Context, accountID int64, after time.Time) ([]OutboxJob, error)
	// RemoteIntent records a create call before it is made: it writes r with
	// CreatingSince set, only while the variant is pending and due after
	// notBefore (ENotFound / EConflict otherwise) and no row holds it.
	RemoteIntent(ctx context.Context, r RemoteSchedule, notBefore time.Time) error
	// RemoteSave writes r (insert or replace).
	RemoteSave(ctx context.Context, r RemoteSchedule) error
	// RemoteDelete removes the variant's row.
	RemoteDelete(ctx context.Context, variantID int64) error
	// RemoteHeldPosts returns the posts (of ids, or all when nil) with a
	// variant scheduled on the server, and the earliest time per post.
	RemoteHeldPosts(ctx context.Context, postIDs []int64) (map[int64]time.Time, error)
}

// Whether an account's server holds scheduled statuses (Account.ServerSchedules).
// GoToSocial before 0.20 answers 501 to a scheduled create and 404 to the
// list: its posts are published from the laptop at their time.
const (
	ServerSchedulesUnknown = ""    // not asked yet, or the question failed: publish from here
	ServerSchedulesYes     = "yes" // the server takes scheduled statuses
	ServerSchedulesNo      = "no"  // it does not: keep Pauta open at the post's time
)

// ServerScheduleReprobe is how often an account's answer is asked again (a
// server may gain the feature in an upgrade).
const ServerScheduleReprobe = 24 * time.Hour

// ENoServerSchedule is the error of a scheduled-status call the server does
// not implement (501, 404 or 405 on those endpoints): nothing was created.
const ENoServerSchedule = "no_server_schedule"

// ScheduleProber is a RemoteScheduler that can ask cheaply whether the
// account's server holds scheduled statuses: ok false with a nil error means
// it certainly does not; an error means the question could not be answered.
type ScheduleProber interface {
	ProbeRemote(ctx context.Context, acc Account) (ok bool, err error)
}

// ServerScheduleStore records an account's answer and when it was asked.
type ServerScheduleStore interface {
	SetServerSchedules(ctx context.Context, accountID int64, value string, probedAt time.Time) error
}

// EventAccountsChanged is the app's "clients:changed" event: an account's
// details changed (here: whether its server holds scheduled posts).
const EventAccountsChanged = "clients:changed"
