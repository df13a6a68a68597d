package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"pauta/backend"
)

var _ backend.LikeStore = (*DB)(nil)

const likeCols = `SELECT v.id, v.post_id, v.inbox_item_id, v.state, v.published_at, v.last_error_key, v.last_error
	FROM variants v JOIN posts p ON p.id = v.post_id
	WHERE v.inbox_item_id = ? AND p.kind = 'like' AND p.deleted_at IS NULL`

func scanLike(row scanner) (backend.InboxLike, error) {
	var l backend.InboxLike
	var published sql.NullString
	err := row.Scan(&l.VariantID, &l.PostID, &l.InboxItemID, &l.State, &published, &l.ErrorKey, &l.Error)
	l.PublishedAt = nullableTime(published)
	return l, err
}

// QueueLike writes a like of the item's post due now for the outbox; an
// item already liked (or being liked, or whose like failed for good and
// is not retried here) answers its like.
func (db *DB) QueueLike(ctx context.Context, itemID int64) (backend.InboxLike, error) {
	var out backend.InboxLike
	now := db.now()
	err := db.tx(ctx, func(tx *sql.Tx) error {
		l, err := scanLike(tx.QueryRowContext(ctx, likeCols+` ORDER BY v.id DESC LIMIT 1`, itemID))
		if err == nil {
			out = l
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		it, err := scanInbox(tx.QueryRowContext(ctx, `SELECT `+inboxCols+inboxFrom+` WHERE i.id = ?`, itemID))
		if errors.Is(err, sql.ErrNoRows) {
			return backend.Errorf(backend.ENotFound, "inbox.not_found", "inbox item %d does not exist", itemID)
		}
		if err != nil {
			return err
		}
		target := backend.LikeTarget(it.Notification)
		if target == nil {
			return backend.Errorf(backend.EInvalid, "inbox.like_no_post", "there is no post to like here")
		}
		var zone string
		if err := tx.QueryRowContext(ctx, `SELECT time_zone FROM clients WHERE id = ?`, it.ClientID).Scan(&zone); err != nil {
			return err
		}
		// What the outbox view shows for it: a heart and the post liked
		// (language-neutral; the like itself carries no text).
		label := "♥ @" + strings.TrimPrefix(it.Notification.Author.Handle, "@")
		if sub := it.Notification.Subject; sub != nil && sub.Text != "" {
			r := []rune(sub.Text)
			if len(r) > 80 {
				r = append(r[:79], '…')
			}
			label += ": " + string(r)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO posts (client_id, status, base_text, scheduled_at, time_zone, created_at, updated_at, kind)
			VALUES (?, 'scheduled', ?, ?, ?, ?, ?, 'like')`, it.ClientID, label, now, zone, now, now)
		if err != nil {
			return err
		}
		postID, _ := res.LastInsertId()
		// approved: a like given offline goes out when the network is back.
		if err := tx.QueryRowContext(ctx, `INSERT INTO variants (post_id, account_id, text, like_of, inbox_item_id, approved)
			VALUES (?, ?, '', ?, ?, 1) RETURNING id`, postID, it.AccountID, refArg(target), it.ID).Scan(&out.VariantID); err != nil {
			return err
		}
		out.PostID, out.InboxItemID, out.State = postID, it.ID, backend.OutboxPending
		return nil
	})
	if err != nil {
		if e := (*backend.Error)(nil); errors.As(err, &e) {
			return out, err
		}
		return out, fmt.Errorf("queue like of inbox item %d: %w", itemID, err)
	}
	return out, nil
}

// InboxLikeOf returns the item's like, nil when there is none.
func (db *DB) InboxLikeOf(ctx context.Context, itemID int64) (*backend.InboxLike, error) {
	l, err := scanLike(db.db.QueryRowContext(ctx, likeCols+` ORDER BY v.id DESC LIMIT 1`, itemID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("inbox like: %w", err)
	}
	return &l, nil
}
