package backend

import (
	"context"
	"errors"
	"math"
	"time"
)

// OutboxState is where one variant is in its publishing. Every change is
// committed before the next step, so a crash leaves a state that says what
// is known: a variant in OutboxSending may or may not have reached the network.
type OutboxState string

const (
	OutboxPending     OutboxState = "pending"      // waiting for its time (or a retry)
	OutboxSending     OutboxState = "sending"      // written before the network call
	OutboxPublished   OutboxState = "published"    // the network has it (RemoteRef stored)
	OutboxFailed      OutboxState = "failed"       // the network refused it for good (reason stored)
	OutboxNeedsReview OutboxState = "needs_review" // the outcome is unknown and re-sending is not safe
	OutboxMissed      OutboxState = "missed"       // its time passed while asleep or offline: not sent late
	OutboxSkipped     OutboxState = "skipped"      // the user chose not to publish it
	OutboxDueManual   OutboxState = "due_manual"   // a manual network's post is due: the user publishes it
)

// OutboxStates lists every state.
var OutboxStates = []OutboxState{OutboxPending, OutboxSending, OutboxPublished, OutboxFailed, OutboxNeedsReview, OutboxMissed, OutboxSkipped, OutboxDueManual}

// Valid reports whether s is a known state.
func (s OutboxState) Valid() bool {
	for _, k := range OutboxStates {
		if k == s {
			return true
		}
	}
	return false
}

// Outbox error codes stored as a variant's LastErrorCode, beyond the
// Publisher's own (ETransient, ERateLimited, EAuth, EInvalid).
const (
	EOutcomeUnknown = "outcome_unknown" // interrupted mid-call and re-sending is not safe
	EInterrupted    = "interrupted"     // the app stopped mid-call; resolved on the next start
)

// Outbox events: small invalidation events, the UI refetches.
const (
	EventOutboxChanged = "outbox:changed"    // no data
	EventOnlineChanged = "online:changed"    // data: bool, online
	EventDueManual     = "outbox:due_manual" // data: []int64, variant ids now due (desktop notification)
)

// Manual reports whether posts to n are published by the user: Pauta reminds
// at the due time and the user marks them published.
func (n Network) Manual() bool { return n != Mastodon && n != Bluesky }

// Forever is the idempotency window of a network where a re-send with the
// same keys can never create a second post (Bluesky putRecord with a record key).
const Forever time.Duration = math.MaxInt64

// IdempotentPublisher is a Publisher that says how long after an attempt a
// re-send with the same IdempotencyKey / RecordKey cannot create a second
// post: Mastodon keeps the Idempotency-Key about 1 h, Bluesky forever. A
// Publisher without it is assumed never safe to re-send (Mastodon and
// Bluesky get their documented defaults). The window is measured on the
// laptop's clock, so it is only used for a publisher that is neither a
// Resolver nor a Finder (lookup.go); Mastodon's is a Finder.
type IdempotentPublisher interface {
	IdempotencyWindow() time.Duration
}

// Resolver is a Publisher that can tell whether a request interrupted
// mid-call reached the network (Bluesky: getRecord by record key). Found
// false with a nil error means it certainly did not.
type Resolver interface {
	Lookup(ctx context.Context, req PublishRequest) (RemoteRef, bool, error)
}

// VariantPublish is the stored publishing state of one variant.
type VariantPublish struct {
	VariantID       int64       `json:"variantId"`
	PostID          int64       `json:"postId"`
	AccountID       int64       `json:"accountId"`
	State           OutboxState `json:"state"`
	IdempotencyKey  string      `json:"idempotencyKey"`  // generated once, sent on every retry
	RecordKey       string      `json:"recordKey"`       // generated once (Bluesky TID)
	RemoteCreatedAt *time.Time  `json:"remoteCreatedAt"` // generated once (Bluesky createdAt)
	Attempts        int         `json:"attempts"`
	NextAttemptAt   *time.Time  `json:"nextAttemptAt"` // not before (backoff, Retry-After)
	LastErrorCode   string      `json:"lastErrorCode"`
	LastErrorKey    string      `json:"lastErrorKey"`
	LastError       string      `json:"lastError"`
	Remote          RemoteRef   `json:"remote"`
	PublishedAt     *time.Time  `json:"publishedAt"`
	SendingSince    *time.Time  `json:"sendingSince"` // start of the current (or last) call
	// UncertainSince is the start of the earliest call whose outcome is
	// unknown (interrupted, timed out); nil when every call is known not to
	// have created a post. A re-send happens only once the network says it
	// does not have it (Resolver, Finder).
	UncertainSince *time.Time `json:"uncertainSince"`
	// DueAt overrides the post's time for this variant (reschedule, publish now).
	DueAt *time.Time `json:"dueAt"`
	// Approved: the user asked for it to go out late (publish now, retry), so
	// it is not turned into a missed post again.
	Approved bool `json:"approved"`
	// DueFor is the due time a missed, skipped or due_manual variant was set
	// for: moving the post later in the editor puts it back in the queue.
	DueFor         *time.Time `json:"dueFor"`
	StateChangedAt *time.Time `json:"stateChangedAt"`
	// Mark is the account's timeline just before the current (or last)
	// call (backend.Finder); nil when none was taken.
	Mark *RemoteMark `json:"mark"`
	// MediaUploads are the images the last attempt uploaded (reused by a retry).
	MediaUploads []MediaUpload `json:"mediaUploads"`
}

// AccountOutbox is an account's publishing state: paused until reconnected,
// backing off after failures, and the slots given to "publish now" so several
// missed posts never go out in a burst.
type AccountOutbox struct {
	AccountID     int64      `json:"accountId"`
	PausedReason  string     `json:"pausedReason"` // "" or EAuth
	PausedMessage string     `json:"pausedMessage"`
	PausedAt      *time.Time `json:"pausedAt"`
	Failures      int        `json:"failures"` // consecutive transient failures: the backoff exponent
	BackoffUntil  *time.Time `json:"backoffUntil"`
	SpacedUntil   *time.Time `json:"spacedUntil"` // the last "publish now" slot handed out
}

// OutboxJob is what publishing one variant needs.
type OutboxJob struct {
	Publish  VariantPublish `json:"publish"`
	Account  Account        `json:"account"`
	Text     string         `json:"text"`     // the variant's effective text
	Language string         `json:"language"` // the client's content language
	// Due is when the variant is due: its DueAt, or else the post's time.
	Due time.Time `json:"due"`
	// A reply from the inbox (issue #14): the post it answers and the
	// thread's root, and the inbox item it answers (0: not a reply).
	ReplyTo     *RemoteRef `json:"replyTo"`
	Root        *RemoteRef `json:"root"`
	InboxItemID int64      `json:"inboxItemId"`
	// A like from the inbox: the post it likes (nil: not a like).
	Like *RemoteRef `json:"like"`
}

// OutboxQuery selects jobs. Zero values mean "any".
type OutboxQuery struct {
	States    []OutboxState
	DueBy     time.Time // due at or before
	AccountID int64
	// Inactive includes variants of drafts, ideas and deleted posts (recovery
	// of a call interrupted after the post was moved back to draft).
	Inactive bool
	// IncludeHeld includes variants scheduled on the server (or maybe so):
	// left out by default, so the local path never publishes them.
	IncludeHeld bool
	Limit       int
}

// OutboxFilter selects rows of the outbox view. Zero values mean "any";
// no States means the ones needing attention or waiting: pending, sending,
// failed, needs_review, missed, due_manual.
type OutboxFilter struct {
	States    []OutboxState `json:"states"`
	ClientID  int64         `json:"clientId"`
	AccountID int64         `json:"accountId"`
	PostID    int64         `json:"postId"`
	DueBefore *time.Time    `json:"dueBefore"`
	Since     *time.Time    `json:"since"` // due or published at or after (recent rows)
	Limit     int           `json:"limit"` // 0: 500
}

// Why a due variant is waiting, filled in by the outbox from what it knows now.
const (
	WaitOffline = "offline" // waiting for connection
	WaitBackoff = "backoff" // retrying later (NextAttemptAt)
	WaitPaused  = "paused"  // the account needs reconnecting
	// WaitApproval: the post needs the client's approval of its current
	// content first; it is never sent before (approval.go).
	WaitApproval = "approval"
)

// OutboxItem is a row of the outbox view.
type OutboxItem struct {
	VariantID     int64       `json:"variantId"`
	PostID        int64       `json:"postId"`
	AccountID     int64       `json:"accountId"`
	ClientID      int64       `json:"clientId"`
	ClientName    string      `json:"clientName"`
	Network       Network     `json:"network"`
	Handle        string      `json:"handle"`
	Text          string      `json:"text"`
	State         OutboxState `json:"state"`
	Due           time.Time   `json:"due"`
	Attempts      int         `json:"attempts"`
	NextAttemptAt *time.Time  `json:"nextAttemptAt"`
	ErrorCode     string      `json:"errorCode"`
	ErrorKey      string      `json:"errorKey"`
	Error         string      `json:"error"`
	RemoteURL     string      `json:"remoteUrl"`
	PublishedAt   *time.Time  `json:"publishedAt"`
	Paused        bool        `json:"paused"`
	Waiting       string      `json:"waiting"` // "", WaitOffline, WaitBackoff, WaitPaused, WaitApproval
	// AwaitingApproval: the post is held until the client approves it.
	AwaitingApproval bool `json:"awaitingApproval"`
	// The first comment (backend/comment.go): its text (manual networks: for
	// the user to copy) and, on direct networks, its own publishing state
	// ("" = nothing to send; a published row whose comment is pending,
	// sending, failed or needs_review stays in the default outbox view).
	FirstComment         string       `json:"firstComment"`
	CommentState         CommentState `json:"commentState"`
	CommentErrorCode     string       `json:"commentErrorCode"`
	CommentErrorKey      string       `json:"commentErrorKey"`
	CommentError         string       `json:"commentError"`
	CommentURL           string       `json:"commentUrl"`
	CommentAttempts      int          `json:"commentAttempts"`
	CommentNextAttemptAt *time.Time   `json:"commentNextAttemptAt"`
	// RemoteScheduled: the network (Mastodon) has it scheduled and publishes
	// it at RemoteScheduledAt, even with the laptop closed.
	RemoteScheduled   bool       `json:"remoteScheduled"`
	RemoteScheduledAt *time.Time `json:"remoteScheduledAt"`
	// RemoteError* is why the instance refused to schedule a pending
	// variant on the server ("" = it did not): Pauta publishes it from
	// here at its time instead, so the computer must be on and online.
	RemoteErrorCode string `json:"remoteErrorCode"`
	RemoteErrorKey  string `json:"remoteErrorKey"`
	RemoteError     string `json:"remoteError"`
}

// OnlineStatus is the global connection indicator.
type OnlineStatus struct {
	Known     bool            `json:"known"`  // false until a host was checked
	Online    bool            `json:"online"` // some network host answered
	CheckedAt time.Time       `json:"checkedAt"`
	Hosts     map[string]bool `json:"hosts"`
}

// OutboxStore keeps the outbox state. Every method commits before returning.
type OutboxStore interface {
	// OutboxJobs returns the jobs q selects, by due time.
	OutboxJobs(ctx context.Context, q OutboxQuery) ([]OutboxJob, error)
	// OutboxJob returns one variant's job (ENotFound when it does not exist).
	OutboxJob(ctx context.Context, variantID int64) (*OutboxJob, error)
	// OutboxUpdate reads a variant's state and its account's, lets fn change
	// them and writes both back with the post's status, in one transaction.
	// fn must not do I/O; an error from it rolls back and is returned.
	OutboxUpdate(ctx context.Context, variantID int64, fn func(v *VariantPublish, a *AccountOutbox) error) error
	// OutboxUpdateAccount does the same for an account alone.
	OutboxUpdateAccount(ctx context.Context, accountID int64, fn func(a *AccountOutbox) error) error
	// OutboxAccounts returns every account's outbox state (rows only for
	// accounts that have one).
	OutboxAccounts(ctx context.Context) ([]AccountOutbox, error)
	// OutboxNextWake is the earliest time after now at which a pending
	// variant may become ready (a lower bound: waking early costs one idle
	// pass); false when none will.
	OutboxNextWake(ctx context.Context, now time.Time) (time.Time, bool, error)
	// OutboxReconcile puts back in the queue the missed, skipped and
	// due_manual variants whose post was moved later than they were due.
	OutboxReconcile(ctx context.Context, now time.Time) (int, error)
	// OutboxItems returns rows of the outbox view.
	OutboxItems(ctx context.Context, f OutboxFilter) ([]OutboxItem, error)
	// ReschedulePost moves a post to at and puts its unpublished variants back
	// in the queue (bumping its sequence).
	ReschedulePost(ctx context.Context, postID int64, at time.Time) error
}

// NotSent marks a publish error that happened before the request could
// reach the network (connection refused, DNS failure, no credentials yet):
// retrying it can never create a second post. Publishers wrap such errors
// with it; the code of the wrapped *Error still counts.
func NotSent(err error) error {
	if err == nil {
		return nil
	}
	return &notSentError{err}
}

type notSentError struct{ err error }

func (e *notSentError) Error() string { return e.err.Error() }
func (e *notSentError) Unwrap() error { return e.err }

// IsNotSent reports whether err was marked with NotSent.
func IsNotSent(err error) bool {
	var e *notSentError
	return errors.As(err, &e)
}
