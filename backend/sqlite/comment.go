package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"pauta/backend"
)

// First comments (migration 0007): a variant's first comment has its own
// publishing state in the comment_* columns of variants.

var _ backend.CommentStore = (*DB)(nil)

const commentCols = `v.id, v.post_id, v.account_id, v.comment_state, v.comment_idempotency_key, v.comment_record_key, v.comment_created_at,
	v.comment_attempts, v.comment_next_attempt_at, v.comment_error_code, v.comment_error_key, v.comment_error,
	v.comment_remote_id, v.comment_remote_uri, v.comment_remote_cid, v.comment_remote_url, v.comment_published_at,
	v.comment_sending_since, v.comment_uncertain_since, v.comment_mark_id, v.comment_mark_at`

func commentDest(c *backend.CommentPublish) ([]any, func()) {
	var created, next, published, sending, uncertain, markAt sql.NullString
	var markID string
	dest := []any{&c.VariantID, &c.PostID, &c.AccountID, &c.State, &c.IdempotencyKey, &c.RecordKey, &created,
		&c.Attempts, &next, &c.LastErrorCode, &c.LastErrorKey, &c.LastError,
		&c.Remote.ID, &c.Remote.URI, &c.Remote.CID, &c.Remote.URL, &published, &sending, &uncertain, &markID, &markAt}
	return dest, func() {
		c.RemoteCreatedAt, c.NextAttemptAt, c.PublishedAt = nullableTime(created), nullableTime(next), nullableTime(published)
		c.SendingSince, c.UncertainSince = nullableTime(sending), nullableTime(uncertain)
		c.Mark = markFrom(markID, markAt)
	}
}

const commentJobCols = commentCols + `, v.remote_id, v.remote_uri, v.remote_cid, v.remote_url,
	a.client_id, a.network, a.handle, a.display_name, a.connection, a.service_url, a.remote_id, a.created_at,
	v.first_comment, c.language, (p.deleted_at IS NULL AND p.status NOT IN ('idea', 'draft'))`

func scanCommentJob(row scanner) (*backend.CommentJob, error) {
	var j backend.CommentJob
	dest, finish := commentDest(&j.Publish)
	var accCreated string
	dest = append(dest, &j.Parent.ID, &j.Parent.URI, &j.Parent.CID, &j.Parent.URL,
		&j.Account.ClientID, &j.Account.Network, &j.Account.Handle, &j.Account.DisplayName, &j.Account.Connection,
		&j.Account.ServiceURL, &j.Account.RemoteID, &accCreated, &j.Text, &j.Language, &j.Active)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	finish()
	j.Account.ID = j.Publish.AccountID
	j.Account.CreatedAt = parseTime(accCreated)
	return &j, nil
}

// CommentJobs returns the comments in states (pending ones only when ready
// by readyBy), by variant id.
func (db *DB) CommentJobs(ctx context.Context, states []backend.CommentState, readyBy time.Time, limit int) ([]backend.CommentJob, error) {
	ph := make([]string, len(states))
	args := make([]any, 0, len(states)+1)
	for i, s := range states {
		ph[i] = "?"
		args = append(args, string(s))
	}
	if len(states) == 0 {
		return []backend.CommentJob{}, nil
	}
	q := `SELECT ` + commentJobCols + jobFrom + ` WHERE v.comment_state IN (` + strings.Join(ph, ", ") + `)`
	if !readyBy.IsZero() {
		q += ` AND (v.comment_state <> 'pending' OR v.comment_next_attempt_at IS NULL OR v.comment_next_attempt_at <= ?)`
		args = append(args, formatTime(readyBy))
	}
	q += ` ORDER BY v.id`
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("comment jobs: %w", err)
	}
	defer rows.Close()
	out := []backend.CommentJob{}
	for rows.Next() {
		j, err := scanCommentJob(rows)
		if err != nil {
			return nil, fmt.Errorf("comment jobs: %w", err)
		}
		out = append(out, *j)
	}
	return out, rows.Err()
}

// CommentJob returns one variant's comment job.
func (db *DB) CommentJob(ctx context.Context, variantID int64) (*backend.CommentJob, error) {
	j, err := scanCommentJob(db.queryRow(ctx, `SELECT `+commentJobCols+jobFrom+` WHERE v.id = ?`, variantID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.Errorf(backend.ENotFound, "variant.not_found", "variant %d does not exist", variantID)
	}
	if err != nil {
		return nil, fmt.Errorf("comment job %d: %w", variantID, err)
	}
	return j, nil
}

// CommentUpdate reads a comment's and its account's state, lets fn change
// them and writes both back in one transaction. The keys generated once never change.
func (db *DB) CommentUpdate(ctx context.Context, variantID int64, fn func(c *backend.CommentPublish, a *backend.AccountOutbox) error) error {
	err := db.tx(ctx, func(rawTx *sql.Tx) error {
		tx := stx{rawTx, db}
		var c backend.CommentPublish
		dest, finish := commentDest(&c)
		err := tx.QueryRowContext(ctx, `SELECT `+commentCols+` FROM variants v WHERE v.id = ?`, variantID).Scan(dest...)
		if errors.Is(err, sql.ErrNoRows) {
			return backend.Errorf(backend.ENotFound, "variant.not_found", "variant %d does not exist", variantID)
		}
		if err != nil {
			return err
		}
		finish()
		a, err := loadAccountOutbox(ctx, tx, c.AccountID)
		if err != nil {
			return err
		}
		before, beforeAcc := c, a
		if err := fn(&c, &a); err != nil {
			return err
		}
		if !c.State.Valid() {
			return backend.Errorf(backend.EInternal, "outbox.state_invalid", "unknown comment state %q", c.State)
		}
		c.VariantID, c.PostID, c.AccountID = before.VariantID, before.PostID, before.AccountID
		if before.IdempotencyKey != "" {
			c.IdempotencyKey = before.IdempotencyKey
		}
		if before.RecordKey != "" {
			c.RecordKey = before.RecordKey
		}
		if before.RemoteCreatedAt != nil {
			c.RemoteCreatedAt = before.RemoteCreatedAt
		}
		if _, err := tx.ExecContext(ctx, `UPDATE variants SET comment_state = ?, comment_idempotency_key = ?, comment_record_key = ?,
			comment_created_at = ?, comment_attempts = ?, comment_next_attempt_at = ?, comment_error_code = ?, comment_error_key = ?,
			comment_error = ?, comment_remote_id = ?, comment_remote_uri = ?, comment_remote_cid = ?, comment_remote_url = ?,
			comment_published_at = ?, comment_sending_since = ?, comment_uncertain_since = ?,
			comment_mark_id = ?, comment_mark_at = ? WHERE id = ?`,
			c.State, c.IdempotencyKey, c.RecordKey, timeArg(c.RemoteCreatedAt), c.Attempts, timeArg(c.NextAttemptAt),
			c.LastErrorCode, c.LastErrorKey, c.LastError, c.Remote.ID, c.Remote.URI, c.Remote.CID, c.Remote.URL,
			timeArg(c.PublishedAt), timeArg(c.SendingSince), timeArg(c.UncertainSince), markID(c.Mark), markAt(c.Mark), variantID); err != nil {
			return err
		}
		a.AccountID = c.AccountID
		if a != beforeAcc {
			return saveAccountOutbox(ctx, tx, &a)
		}
		return nil
	})
	if err != nil {
		if e := (*backend.Error)(nil); errors.As(err, &e) {
			return err
		}
		return fmt.Errorf("comment update variant %d: %w", variantID, err)
	}
	return nil
}

// CommentNextWake is the earliest retry time after now of a pending comment.
func (db *DB) CommentNextWake(ctx context.Context, now time.Time) (time.Time, bool, error) {
	var next sql.NullString
	err := db.queryRow(ctx, `SELECT MIN(comment_next_attempt_at) FROM variants
		WHERE comment_state = 'pending' AND comment_next_attempt_at > ?`, formatTime(now)).Scan(&next)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("comment next wake: %w", err)
	}
	if !next.Valid {
		return time.Time{}, false, nil
	}
	return parseTime(next.String), true, nil
}

// queueComment is called inside OutboxUpdate when a variant becomes
// published: a direct network's variant with something to reply to and a
// variant with a first comment gets its comment pending, atomically with the
// post. A comment that was already started keeps its state.
func queueComment(ctx context.Context, tx stx, variantID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE variants SET comment_state = 'pending'
		WHERE id = ? AND comment_state = ''
		AND ((account_id IN (SELECT id FROM accounts WHERE network = 'mastodon') AND remote_id <> '')
			OR (account_id IN (SELECT id FROM accounts WHERE network = 'bluesky') AND remote_uri <> '' AND remote_cid <> ''))
		AND TRIM(first_comment) <> ''`, variantID)
	return err
}

// commentAttention: comment states that keep a published variant in the
// outbox view (its comment still has to go out, or needs the user).
const commentAttention = `('pending', 'sending', 'failed', 'needs_review')`

// fillComments adds the first comment and its state to outbox rows.
func (db *DB) fillComments(ctx context.Context, items []backend.OutboxItem) error {
	if len(items) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(items))
	ph := make([]string, len(items))
	args := make([]any, len(items))
	for i, it := range items {
		idx[it.VariantID] = i
		ph[i], args[i] = "?", it.VariantID
	}
	rows, err := db.db.QueryContext(ctx, `SELECT v.id, v.first_comment, v.comment_state, v.comment_error_code, v.comment_error_key,
		v.comment_error, v.comment_remote_url, v.comment_attempts, v.comment_next_attempt_at
		FROM variants v WHERE v.id IN (`+strings.Join(ph, ", ")+`)`, args...)
	if err != nil {
		return fmt.Errorf("outbox items: comments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c backend.OutboxItem
		var next sql.NullString
		if err := rows.Scan(&id, &c.FirstComment, &c.CommentState, &c.CommentErrorCode, &c.CommentErrorKey, &c.CommentError,
			&c.CommentURL, &c.CommentAttempts, &next); err != nil {
			return fmt.Errorf("outbox items: comments: %w", err)
		}
		it := &items[idx[id]]
		it.FirstComment, it.CommentState, it.CommentErrorCode, it.CommentErrorKey = c.FirstComment, c.CommentState, c.CommentErrorCode, c.CommentErrorKey
		it.CommentError, it.CommentURL, it.CommentAttempts, it.CommentNextAttemptAt = c.CommentError, c.CommentURL, c.CommentAttempts, nullableTime(next)
	}
	return rows.Err()
}
