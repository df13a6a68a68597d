package backend

import (
	"context"
	"strings"
	"time"
)

// Replies from the inbox (issue #14) are posts of their own kind with one
// variant that answers a remote post: the outbox sends them like any post
// (keys generated once, "sending" committed before the call, crash
// recovery), with the reply refs in the PublishRequest. No second path.

// ReplyDraft is what the user wrote in the inbox.
type ReplyDraft struct {
	InboxItemID int64  `json:"inboxItemId"`
	Text        string `json:"text"`
}

// InboxReply is a reply Pauta sent or is sending for an inbox item.
type InboxReply struct {
	VariantID   int64       `json:"variantId"`
	PostID      int64       `json:"postId"`
	InboxItemID int64       `json:"inboxItemId"`
	Text        string      `json:"text"`
	State       OutboxState `json:"state"`
	RemoteURL   string      `json:"remoteUrl"`
	PublishedAt *time.Time  `json:"publishedAt"`
	ErrorKey    string      `json:"errorKey"`
	Error       string      `json:"error"`
}

// ReplyStore queues replies (the SQLite store implements it).
type ReplyStore interface {
	// QueueReply writes the reply as a post of kind "reply" due now, with
	// one variant for the item's account answering the item's post, and
	// marks the item done, in one transaction. The outbox sends it.
	QueueReply(ctx context.Context, d ReplyDraft) (InboxReply, error)
	// InboxReplies returns the replies to an item, oldest first.
	InboxReplies(ctx context.Context, itemID int64) ([]InboxReply, error)
}

// ReplyTarget is the post a reply to n answers and its thread's root (nil
// when there is no post to answer: a follow, a like, a deleted status).
func ReplyTarget(n Notification) (parent, root *RemoteRef) {
	if n.Subject == nil || n.Subject.Deleted || (n.Subject.Ref.ID == "" && n.Subject.Ref.URI == "") {
		return nil, nil
	}
	p := n.Subject.Ref
	r := p
	if n.Subject.Root != nil {
		r = *n.Subject.Root
	}
	return &p, &r
}

// Validate checks a reply before it is queued.
func (d *ReplyDraft) Validate() error {
	d.Text = strings.TrimSpace(d.Text)
	if d.Text == "" {
		return Errorf(EInvalid, "inbox.reply_empty", "write the reply first").WithField("text")
	}
	return nil
}
