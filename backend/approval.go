package backend

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ApprovalStatus is where a post is in the client's approval (issue 19).
type ApprovalStatus string

const (
	ApprovalNone     ApprovalStatus = "none"     // never sent to the client
	ApprovalPending  ApprovalStatus = "pending"  // in a package, no answer yet
	ApprovalApproved ApprovalStatus = "approved" // the client approved it
	ApprovalChanges  ApprovalStatus = "changes"  // the client asked for changes
)

// Valid reports whether s is a known status.
func (s ApprovalStatus) Valid() bool {
	switch s {
	case ApprovalNone, ApprovalPending, ApprovalApproved, ApprovalChanges:
		return true
	}
	return false
}

// MaxApprovalComment bounds a client's comment on one post.
const MaxApprovalComment = 5000

// Approval is a post's approval state. Hash is the content hash the decision
// (or the package, while pending) applies to; Changed says the post was
// edited since (its content hash differs), so an approval no longer counts.
type Approval struct {
	Status    ApprovalStatus `json:"status"`
	Comment   string         `json:"comment"`
	Hash      string         `json:"hash"`
	DecidedAt *time.Time     `json:"decidedAt"`
	PackageID string         `json:"packageId"`
	Changed   bool           `json:"changed"`
	// Required: the post needs approval (its own flag or its client's
	// setting). Waiting: required, not published, and not approved for its
	// current content — the outbox holds it.
	Required bool `json:"required"`
	Waiting  bool `json:"waiting"`
}

// ApprovalContent is what a client approves: the texts, each variant's
// account, text and first comment (FirstComment: the post's own, for a
// post without accounts), the images in order and the time. Labels, status and
// the approval itself are not part of it.
type ApprovalContent struct {
	BaseText     string
	FirstComment string
	ScheduledAt  *time.Time
	Variants     []Variant
	MediaIDs     []int64 // in order
}

// ContentHash is a short, stable hash of c (hex, 32 characters): the
// same content always gives the same hash, whatever the order variants
// were saved in.
func ContentHash(c ApprovalContent) string {
	h := sha256.New()
	field := func(s string) {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
		h.Write([]byte{';'})
	}
	field("pauta-approval-1")
	field(c.BaseText)
	// A first comment every account shares hashes as the post's comment did
	// before each account had its own (approvals given then stay valid);
	// different comments hash with each variant.
	vs := append([]Variant(nil), c.Variants...)
	sort.Slice(vs, func(i, j int) bool { return vs[i].AccountID < vs[j].AccountID })
	common, same := c.FirstComment, true
	if len(vs) > 0 {
		common = vs[0].FirstComment
		for _, v := range vs[1:] {
			same = same && v.FirstComment == common
		}
	}
	if !same {
		common = ""
	} else if common == "" {
		common = c.FirstComment // the post's own (no account has one)
	}
	field(common)
	if c.ScheduledAt != nil {
		field(c.ScheduledAt.UTC().Format(time.RFC3339))
	} else {
		field("")
	}
	field(strconv.Itoa(len(vs)))
	for _, v := range vs {
		field(strconv.FormatInt(v.AccountID, 10))
		field(strings.TrimSpace(v.Text))
		if !same {
			field("comment:" + v.FirstComment)
		}
	}
	field(strconv.Itoa(len(c.MediaIDs)))
	for _, id := range c.MediaIDs {
		field(strconv.FormatInt(id, 10))
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// ApprovalDecision is the client's answer on one post.
type ApprovalDecision struct {
	PostID   int64          `json:"postId"`
	Hash     string         `json:"hash"`
	Decision ApprovalStatus `json:"decision"` // ApprovalApproved or ApprovalChanges
	Comment  string         `json:"comment"`
}

// ApprovalAnswer is a decoded answer file.
type ApprovalAnswer struct {
	PackageID   string             `json:"packageId"`
	WorkspaceID string             `json:"workspaceId"`
	ClientID    int64              `json:"clientId"`
	Decisions   []ApprovalDecision `json:"decisions"`
}

// ApprovalPackageInfo is a package as the workspace remembers it.
type ApprovalPackageInfo struct {
	ID        string    `json:"id"`
	ClientID  int64     `json:"clientId"`
	From      time.Time `json:"from"`
	To        time.Time `json:"to"`
	PostIDs   []int64   `json:"postIds"`
	CreatedAt time.Time `json:"createdAt"`
}

// ApprovalResult says what an imported answer did.
type ApprovalResult struct {
	PackageID string  `json:"packageId"`
	ClientID  int64   `json:"clientId"`
	Approved  []int64 `json:"approved"`
	Changes   []int64 `json:"changes"`
	// Changed are posts edited since the package: the decision and comment
	// are recorded against the content the client saw, so the post shows
	// "changed since approval" and an approval does not let it publish.
	Changed []int64 `json:"changed"`
}

// ApprovalStore keeps packages and decisions.
type ApprovalStore interface {
	// CreateApprovalPackage records a package of the client's live, dated,
	// unpublished posts in [from, to) and marks those not yet decided for
	// their current content as pending; it returns the posts (with their
	// approval state and current content hash), by time.
	CreateApprovalPackage(ctx context.Context, id string, clientID int64, from, to time.Time) ([]Post, error)
	GetApprovalPackage(ctx context.Context, id string) (*ApprovalPackageInfo, error)
	// ApplyApprovalAnswer checks every decision against the package and the
	// posts and writes them all in one transaction, or none.
	ApplyApprovalAnswer(ctx context.Context, a ApprovalAnswer) (*ApprovalResult, error)
	// SetPostNeedsApproval marks one post as needing the client's approval.
	SetPostNeedsApproval(ctx context.Context, postID int64, needs bool) error
}
