package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"pauta/backend"
)

var _ backend.ReplyStore = (*DB)(nil)

func refArg(r *backend.RemoteRef) string {
	if r == nil {
		return ""
	}
	b, _ := json.Marshal(r)
	return string(b)
}

func refFrom(s string) *backend.RemoteRef {
	if s == "" {
		return nil
	}
	var r backend.RemoteRef
	if json.Unmarshal([]byte(s), &r) != nil {
		return nil
	}
	return &r
}

// QueueReply writes a reply post due now for the outbox and marks the item done.
func (db *DB) QueueReply(ctx context.Context, d backend.ReplyDraft) (backend.InboxReply, error) {
	if err := d.Validate(); err != nil {
		return backend.InboxReply{}, err
	}
	var out backend.InboxReply
	now := db.now()
	err := db.tx(ctx, func(tx *sql.Tx) error {
		it, err := scanInbox(tx.QueryRowContext(ctx, `SELECT `+inboxCols+inboxFrom+` WHERE i.id = ?`, d.InboxItemID))
		if errors.Is(err, sql.ErrNoRows) {
			return backend.Errorf(backend.ENotFound, "inbox.not_found", "inbox item %d does not exist", d.InboxItemID)
		}
		if err != nil {
			return err
		}
		if it.Notification.Kind == backend.KindDirect {
			// Replies go out public: a private message is answered on the network itself.
			return backend.Errorf(backend.EInvalid, "inbox.reply_direct", "answer private messages on the network itself")
		}
		parent, root := backend.ReplyTarget(it.Notification)
		if parent == nil {
			return backend.Errorf(backend.EInvalid, "inbox.reply_no_post", "there is no post to answer here")
		}
		var zone string
		if err := tx.QueryRowContext(ctx, `SELECT time_zone FROM clients WHERE id = ?`, it.ClientID).Scan(&zone); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO posts (client_id, status, base_text, scheduled_at, time_zone, created_at, updated_at, kind)
			VALUES (?, 'scheduled', ?, ?, ?, ?, ?, 'reply')`, it.ClientID, d.Text, now, zone, now, now)
		if err != nil {
			return err
		}
		postID, _ := res.LastInsertId()
		// approved: a reply written offline goes out when the network is back,
		// however late (it is never turned into a missed post).
		if err := tx.QueryRowContext(ctx, `INSERT INTO variants (post_id, account_id, text, reply_to, reply_root, inbox_item_id, approved)
			VALUES (?, ?, ?, ?, ?, ?, 1) RETURNING id`, postID, it.AccountID, d.Text, refArg(parent), refArg(root), it.ID).Scan(&out.VariantID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE inbox_items SET state = 'done', snoozed_until = NULL WHERE id = ?`, it.ID); err != nil {
			return err
		}
		out.PostID, out.InboxItemID, out.Text, out.State = postID, it.ID, d.Text, backend.OutboxPending
		return nil
	})
	if err != nil {
		if e := (*backend.Error)(nil); errors.As(err, &e) {
			return out, err
		}
		return out, fmt.Errorf("queue reply to inbox item %d: %w", d.InboxItemID, err)
	}
	return out, nil
}

// replySent records, in the transaction that marks a reply variant
// published, the item's first reply time and its done state.
func replySent(ctx context.Context, tx stx, variantID int64, publishedAt *time.Time, now string) error {
	at := now
	if publishedAt != nil {
		at = formatTime(*publishedAt)
	}
	_, err := tx.ExecContext(ctx, `UPDATE inbox_items SET state = 'done', snoozed_until = NULL, first_reply_at = COALESCE(first_reply_at, ?)
		WHERE id = (SELECT v.inbox_item_id FROM variants v JOIN posts p ON p.id = v.post_id WHERE v.id = ? AND p.kind = 'reply')`, at, variantID)
	return err
}

// InboxReplies returns the replies to an item, oldest first.
func (db *DB) InboxReplies(ctx context.Context, itemID int64) ([]backend.InboxReply, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT v.id, v.post_id, v.text, v.state, v.remote_url, v.published_at, v.last_error_key, v.last_error
		FROM variants v JOIN posts p ON p.id = v.post_id WHERE v.inbox_item_id = ? AND p.kind = 'reply' AND p.deleted_at IS NULL ORDER BY v.id`, itemID)
	if err != nil {
		return nil, fmt.Errorf("inbox replies: %w", err)
	}
	defer rows.Close()
	out := []backend.InboxReply{}
	for rows.Next() {
		r := backend.InboxReply{InboxItemID: itemID}
		var published sql.NullString
		if err := rows.Scan(&r.VariantID, &r.PostID, &r.Text, &r.State, &r.RemoteURL, &published, &r.ErrorKey, &r.Error); err != nil {
			return nil, err
		}
		r.PublishedAt = nullableTime(published)
		out = append(out, r)
	}
	return out, rows.Err()
}

// PostAnswered finds our post an inbox item is about: the account's
// variant published as ref (Mastodon status id, Bluesky at:// URI). Found
// false when Pauta did not publish it.
func (db *DB) PostAnswered(ctx context.Context, accountID int64, ref backend.RemoteRef) (postID int64, text, url string, found bool, err error) {
	if ref.ID == "" && ref.URI == "" {
		return 0, "", "", false, nil
	}
	err = db.db.QueryRowContext(ctx, `SELECT v.post_id, CASE WHEN v.text <> '' THEN v.text ELSE p.base_text END, v.remote_url
		FROM variants v JOIN posts p ON p.id = v.post_id
		WHERE v.account_id = ? AND ((? <> '' AND v.remote_id = ?) OR (? <> '' AND v.remote_uri = ?)) AND p.kind = 'post' LIMIT 1`,
		accountID, ref.ID, ref.ID, ref.URI, ref.URI).Scan(&postID, &text, &url)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", "", false, nil
	}
	if err != nil {
		return 0, "", "", false, fmt.Errorf("post answered: %w", err)
	}
	return postID, text, url, true, nil
}
