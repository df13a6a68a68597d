package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"pauta/backend"
)

var _ backend.ApprovalStore = (*DB)(nil)

// approvalHeld is true for a post p that needs the client's approval (its
// own flag or its client's setting) and has no approval of its current
// content: the outbox leaves its variants alone (outboxActive).
const approvalHeld = `((p.needs_approval = 1 OR EXISTS (SELECT 1 FROM clients ca WHERE ca.id = p.client_id AND ca.require_approval = 1))
	AND NOT (p.approval_status = 'approved' AND p.approval_hash <> '' AND p.approval_hash = p.content_hash))`

// refreshContentHash stores the hash of the post's current content
// (backend.ContentHash). Every write of the texts, variants, images or time
// calls it in its own transaction.
func refreshContentHash(ctx context.Context, tx *sql.Tx, postID int64) error {
	var c backend.ApprovalContent
	var sched sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT base_text, first_comment, scheduled_at FROM posts WHERE id = ?`, postID).Scan(&c.BaseText, &c.FirstComment, &sched)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	c.ScheduledAt = nullableTime(sched)
	rows, err := tx.QueryContext(ctx, `SELECT account_id, text, first_comment FROM variants WHERE post_id = ? ORDER BY account_id`, postID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var v backend.Variant
		if err := rows.Scan(&v.AccountID, &v.Text, &v.FirstComment); err != nil {
			rows.Close()
			return err
		}
		c.Variants = append(c.Variants, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	mrows, err := tx.QueryContext(ctx, `SELECT media_id FROM post_media WHERE post_id = ? ORDER BY position`, postID)
	if err != nil {
		return err
	}
	for mrows.Next() {
		var id int64
		if err := mrows.Scan(&id); err != nil {
			mrows.Close()
			return err
		}
		c.MediaIDs = append(c.MediaIDs, id)
	}
	mrows.Close()
	if err := mrows.Err(); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE posts SET content_hash = ? WHERE id = ?`, backend.ContentHash(c), postID)
	return err
}

// SetPostNeedsApproval marks a post as needing (or not) the client's approval.
func (db *DB) SetPostNeedsApproval(ctx context.Context, postID int64, needs bool) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE posts SET needs_approval = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`, needs, db.now(), postID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return backend.Errorf(backend.ENotFound, "post.not_found", "post %d does not exist", postID)
		}
		return refreshContentHash(ctx, tx, postID)
	})
	if err != nil {
		if e := (*backend.Error)(nil); errors.As(err, &e) {
			return err
		}
		return fmt.Errorf("set post %d needs approval: %w", postID, err)
	}
	return nil
}

// CreateApprovalPackage records package id: the client's live, dated posts
// in [from, to) not yet published. Those without a decision on their
// current content become pending in this package.
func (db *DB) CreateApprovalPackage(ctx context.Context, id string, clientID int64, from, to time.Time) ([]backend.Post, error) {
	if strings.TrimSpace(id) == "" {
		return nil, backend.Errorf(backend.EInternal, "internal", "approval package without an id")
	}
	var ids []int64
	now := db.now()
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM clients WHERE id = ?`, clientID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return backend.Errorf(backend.ENotFound, "client.not_found", "client %d does not exist", clientID)
		}
		rows, err := tx.QueryContext(ctx, `SELECT id FROM posts WHERE client_id = ? AND deleted_at IS NULL AND scheduled_at IS NOT NULL
			AND scheduled_at >= ? AND scheduled_at < ? AND status <> 'published' ORDER BY scheduled_at, id`, clientID, formatTime(from), formatTime(to))
		if err != nil {
			return err
		}
		for rows.Next() {
			var pid int64
			if err := rows.Scan(&pid); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, pid)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, pid := range ids {
			if err := refreshContentHash(ctx, tx, pid); err != nil {
				return err
			}
			// A decision on the current content stands; anything else
			// waits for this package's answer.
			if _, err := tx.ExecContext(ctx, `UPDATE posts SET approval_status = 'pending', approval_hash = content_hash, approval_package = ?
				WHERE id = ? AND NOT (approval_status IN ('approved', 'changes') AND approval_hash = content_hash)`, id, pid); err != nil {
				return err
			}
		}
		b, _ := json.Marshal(append([]int64{}, ids...))
		_, err = tx.ExecContext(ctx, `INSERT INTO approval_packages (id, client_id, from_at, to_at, post_ids, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			id, clientID, formatTime(from), formatTime(to), string(b), now)
		return err
	})
	if err != nil {
		if e := (*backend.Error)(nil); errors.As(err, &e) {
			return nil, err
		}
		return nil, fmt.Errorf("create approval package: %w", err)
	}
	out := make([]backend.Post, 0, len(ids))
	for _, pid := range ids {
		p, err := db.GetPost(ctx, pid)
		if backend.ErrorCode(err) == backend.ENotFound {
			continue // deleted since, in another window
		}
		if err != nil {
			return nil, err
		}
		out = append(out, *p)
	}
	return out, nil
}

// GetApprovalPackage returns a package recorded by CreateApprovalPackage.
func (db *DB) GetApprovalPackage(ctx context.Context, id string) (*backend.ApprovalPackageInfo, error) {
	return getPackage(ctx, db.db.QueryRowContext(ctx, `SELECT id, client_id, from_at, to_at, post_ids, created_at FROM approval_packages WHERE id = ?`, id))
}

func getPackage(ctx context.Context, row *sql.Row) (*backend.ApprovalPackageInfo, error) {
	var p backend.ApprovalPackageInfo
	var from, to, ids, created string
	err := row.Scan(&p.ID, &p.ClientID, &from, &to, &ids, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.Errorf(backend.ENotFound, "approval.unknown_package", "this answer is for a package this workspace did not make")
	}
	if err != nil {
		return nil, fmt.Errorf("approval package: %w", err)
	}
	p.From, p.To, p.CreatedAt = parseTime(from), parseTime(to), parseTime(created)
	if err := json.Unmarshal([]byte(ids), &p.PostIDs); err != nil {
		return nil, fmt.Errorf("approval package %s: %w", p.ID, err)
	}
	return &p, nil
}

func idList(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ", ")
}

// ApplyApprovalAnswer writes every decision of a, or none: the answer must
// come from this workspace, for a package it made, for that package's
// client and posts, all of them still there. A decision on content edited
// since is recorded against the content the client saw (Result.Changed):
// the post shows "changed since approval" and stays held.
func (db *DB) ApplyApprovalAnswer(ctx context.Context, a backend.ApprovalAnswer) (*backend.ApprovalResult, error) {
	res := &backend.ApprovalResult{PackageID: a.PackageID, ClientID: a.ClientID, Approved: []int64{}, Changes: []int64{}, Changed: []int64{}}
	now := db.now()
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var ws string
		if err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, backend.WorkspaceIDKey).Scan(&ws); err != nil {
			return err
		}
		if a.WorkspaceID != ws {
			return backend.Errorf(backend.EInvalid, "approval.other_workspace", "this answer is for a package made in another workspace")
		}
		pkg, err := getPackage(ctx, tx.QueryRowContext(ctx, `SELECT id, client_id, from_at, to_at, post_ids, created_at FROM approval_packages WHERE id = ?`, a.PackageID))
		if err != nil {
			return err
		}
		var clientName string
		if err := tx.QueryRowContext(ctx, `SELECT name FROM clients WHERE id = ?`, pkg.ClientID).Scan(&clientName); err != nil {
			return err
		}
		if a.ClientID != pkg.ClientID {
			return backend.Errorf(backend.EInvalid, "approval.other_client", "this answer names another client than its package (%s)", clientName).WithParam("client", clientName)
		}
		if len(a.Decisions) == 0 {
			return backend.Errorf(backend.EInvalid, "approval.empty", "this answer has no decision")
		}
		var gone []int64
		type row struct {
			d       backend.ApprovalDecision
			current string
		}
		var todo []row
		seen := map[int64]bool{}
		for _, d := range a.Decisions {
			if !slices.Contains(pkg.PostIDs, d.PostID) || seen[d.PostID] {
				return backend.Errorf(backend.EInvalid, "approval.tampered", "the answer names post %d, which its package did not hold", d.PostID)
			}
			seen[d.PostID] = true
			if (d.Decision != backend.ApprovalApproved && d.Decision != backend.ApprovalChanges) || len(d.Comment) > backend.MaxApprovalComment*4 {
				return backend.Errorf(backend.EInvalid, "approval.tampered", "the answer's decision on post %d is not one Pauta writes", d.PostID)
			}
			var client int64
			var deleted sql.NullString
			var current string
			err := tx.QueryRowContext(ctx, `SELECT client_id, deleted_at, content_hash FROM posts WHERE id = ?`, d.PostID).Scan(&client, &deleted, &current)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && deleted.Valid) {
				gone = append(gone, d.PostID)
				continue
			}
			if err != nil {
				return err
			}
			if client != pkg.ClientID {
				return backend.Errorf(backend.EInvalid, "approval.tampered", "post %d belongs to another client", d.PostID)
			}
			todo = append(todo, row{d, current})
		}
		if len(gone) > 0 {
			return backend.Errorf(backend.EConflict, "approval.posts_deleted", "posts %s of this answer were deleted since the package was made; nothing was applied", idList(gone)).
				WithParam("count", strconv.Itoa(len(gone))).WithParam("ids", idList(gone))
		}
		for _, r := range todo {
			if _, err := tx.ExecContext(ctx, `UPDATE posts SET approval_status = ?, approval_comment = ?, approval_hash = ?, approval_at = ?, approval_package = ?, updated_at = ?
				WHERE id = ?`, r.d.Decision, r.d.Comment, r.d.Hash, now, a.PackageID, now, r.d.PostID); err != nil {
				return err
			}
			switch {
			case r.d.Hash != r.current:
				res.Changed = append(res.Changed, r.d.PostID)
			case r.d.Decision == backend.ApprovalApproved:
				res.Approved = append(res.Approved, r.d.PostID)
			default:
				res.Changes = append(res.Changes, r.d.PostID)
			}
		}
		return nil
	})
	if err != nil {
		if e := (*backend.Error)(nil); errors.As(err, &e) {
			return nil, err
		}
		return nil, fmt.Errorf("apply approval answer: %w", err)
	}
	return res, nil
}
