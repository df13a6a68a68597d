package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"pauta/backend"
)

var _ backend.RemoteScheduleStore = (*DB)(nil)

// remoteHeld is true for a variant v whose scheduled status the instance has,
// or may have: the local publishing path leaves it alone.
const remoteHeld = `EXISTS (SELECT 1 FROM remote_schedules r WHERE r.variant_id = v.id AND r.post_id = v.post_id
	AND (r.remote_id <> '' OR r.creating_since IS NOT NULL))`

const remoteCols = `variant_id, post_id, account_id, remote_id, scheduled_at, hash, text, idempotency_key, creating_since,
	refused_hash, last_error_code, last_error_key, last_error, updated_at, mark_at`

func scanRemote(row scanner) (backend.RemoteSchedule, error) {
	var r backend.RemoteSchedule
	var at, creating, updated, mark sql.NullString
	err := row.Scan(&r.VariantID, &r.PostID, &r.AccountID, &r.RemoteID, &at, &r.Hash, &r.Text, &r.IdempotencyKey, &creating,
		&r.RefusedHash, &r.LastErrorCode, &r.LastErrorKey, &r.LastError, &updated, &mark)
	if err != nil {
		return r, err
	}
	r.ScheduledAt, r.CreatingSince, r.UpdatedAt, r.MarkAt = nullableTime(at), nullableTime(creating), nullableTime(updated), nullableTime(mark)
	return r, nil
}

// RemoteAccounts returns the connected Mastodon accounts and the accounts
// with rows (a disconnected account's schedules are still shown).
func (db *DB) RemoteAccounts(ctx context.Context) ([]backend.Account, error) {
	rows, err := db.query(ctx, `SELECT `+accountCols+` FROM accounts WHERE (network = 'mastodon' AND connection = 'connected')
		OR id IN (SELECT account_id FROM remote_schedules) ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("remote accounts: %w", err)
	}
	defer rows.Close()
	out := []backend.Account{}
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("remote accounts: %w", err)
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}

// RemoteSchedules returns the account's rows by variant id.
func (db *DB) RemoteSchedules(ctx context.Context, accountID int64) ([]backend.RemoteSchedule, error) {
	rows, err := db.query(ctx, `SELECT `+remoteCols+` FROM remote_schedules WHERE account_id = ? ORDER BY variant_id`, accountID)
	if err != nil {
		return nil, fmt.Errorf("remote schedules: %w", err)
	}
	defer rows.Close()
	out := []backend.RemoteSchedule{}
	for rows.Next() {
		r, err := scanRemote(rows)
		if err != nil {
			return nil, fmt.Errorf("remote schedules: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RemoteCandidates returns the account's pending variants of live posts (not
// ideas or drafts; another variant may have failed) due after `after`,
// without a first comment (a reply cannot be
// scheduled on the server: those stay local), by due time.
func (db *DB) RemoteCandidates(ctx context.Context, accountID int64, after time.Time) ([]backend.OutboxJob, error) {
	rows, err := db.query(ctx, `SELECT `+jobCols+jobFrom+` WHERE v.account_id = ? AND v.state = 'pending' AND `+outboxActive+`
		AND TRIM(v.first_comment) = '' AND v.uncertain_since IS NULL
		AND COALESCE(v.due_at, p.scheduled_at) > ? ORDER BY COALESCE(v.due_at, p.scheduled_at), v.id`, accountID, formatTime(after))
	if err != nil {
		return nil, fmt.Errorf("remote candidates: %w", err)
	}
	defer rows.Close()
	out := []backend.OutboxJob{}
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, fmt.Errorf("remote candidates: %w", err)
		}
		out = append(out, *j)
	}
	return out, rows.Err()
}

// RemoteIntent records a create call before it is made, in one transaction
// with the checks that make it safe: the variant is pending, its post live
// and due after notBefore, and no row holds it yet (never two scheduled
// statuses for one variant).
func (db *DB) RemoteIntent(ctx context.Context, r backend.RemoteSchedule, notBefore time.Time) error {
	if r.CreatingSince == nil || r.IdempotencyKey == "" {
		return backend.Errorf(backend.EInternal, "internal", "remote intent without a start time or key")
	}
	err := db.tx(ctx, func(rawTx *sql.Tx) error {
		tx := stx{rawTx, db}
		var postID int64
		var due string
		err := tx.QueryRowContext(ctx, `SELECT v.post_id, COALESCE(v.due_at, p.scheduled_at) FROM variants v JOIN posts p ON p.id = v.post_id
			WHERE v.id = ? AND v.account_id = ? AND v.state = 'pending' AND `+outboxActive, r.VariantID, r.AccountID).Scan(&postID, &due)
		if errors.Is(err, sql.ErrNoRows) {
			return backend.Errorf(backend.ENotFound, "variant.not_found", "variant %d is not waiting to be published", r.VariantID)
		}
		if err != nil {
			return err
		}
		if !parseTime(due).After(notBefore) {
			return backend.Errorf(backend.EConflict, "outbox.remote_too_late", "variant %d is due too soon to schedule it on the server", r.VariantID)
		}
		var held int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM remote_schedules WHERE variant_id = ? AND (remote_id <> '' OR creating_since IS NOT NULL)`,
			r.VariantID).Scan(&held); err != nil {
			return err
		}
		if held > 0 {
			return backend.Errorf(backend.EConflict, "outbox.remote_held", "variant %d already has a scheduled status", r.VariantID)
		}
		return saveRemote(ctx, tx, r, postID, db.now())
	})
	if err != nil {
		if e := (*backend.Error)(nil); errors.As(err, &e) {
			return err
		}
		return fmt.Errorf("remote intent variant %d: %w", r.VariantID, err)
	}
	return nil
}

func saveRemote(ctx context.Context, tx stx, r backend.RemoteSchedule, postID int64, now string) error {
	_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO remote_schedules (`+remoteCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.VariantID, postID, r.AccountID, r.RemoteID, timeArg(r.ScheduledAt), r.Hash, r.Text, r.IdempotencyKey, timeArg(r.CreatingSince),
		r.RefusedHash, r.LastErrorCode, r.LastErrorKey, r.LastError, now, timeArg(r.MarkAt))
	return err
}

// RemoteSave writes r, keeping the post id of its existing row (or of the variant).
func (db *DB) RemoteSave(ctx context.Context, r backend.RemoteSchedule) error {
	err := db.tx(ctx, func(rawTx *sql.Tx) error {
		tx := stx{rawTx, db}
		var postID int64
		err := tx.QueryRowContext(ctx, `SELECT post_id FROM remote_schedules WHERE variant_id = ?`, r.VariantID).Scan(&postID)
		if errors.Is(err, sql.ErrNoRows) {
			err = tx.QueryRowContext(ctx, `SELECT post_id FROM variants WHERE id = ?`, r.VariantID).Scan(&postID)
		}
		if errors.Is(err, sql.ErrNoRows) {
			return backend.Errorf(backend.ENotFound, "variant.not_found", "variant %d does not exist", r.VariantID)
		}
		if err != nil {
			return err
		}
		return saveRemote(ctx, tx, r, postID, db.now())
	})
	if err != nil {
		if e := (*backend.Error)(nil); errors.As(err, &e) {
			return err
		}
		return fmt.Errorf("remote save variant %d: %w", r.VariantID, err)
	}
	return nil
}

// RemoteDelete removes the variant's row.
func (db *DB) RemoteDelete(ctx context.Context, variantID int64) error {
	if _, err := db.db.ExecContext(ctx, `DELETE FROM remote_schedules WHERE variant_id = ?`, variantID); err != nil {
		return fmt.Errorf("remote delete variant %d: %w", variantID, err)
	}
	return nil
}

// RemoteHeldPosts returns the posts (among postIDs, or all when nil) with a
// variant scheduled on the server, with the earliest such time. The table
// holds only the future server-side schedules, so it is read whole.
func (db *DB) RemoteHeldPosts(ctx context.Context, postIDs []int64) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	if postIDs != nil && len(postIDs) == 0 {
		return out, nil
	}
	rows, err := db.query(ctx, `SELECT r.post_id, MIN(r.scheduled_at) FROM remote_schedules r
		JOIN variants v ON v.id = r.variant_id AND v.post_id = r.post_id
		WHERE r.remote_id <> '' AND v.state = 'pending' GROUP BY r.post_id`)
	if err != nil {
		return nil, fmt.Errorf("remote held posts: %w", err)
	}
	defer rows.Close()
	var want map[int64]bool
	if postIDs != nil {
		want = make(map[int64]bool, len(postIDs))
		for _, id := range postIDs {
			want[id] = true
		}
	}
	for rows.Next() {
		var id int64
		var at sql.NullString
		if err := rows.Scan(&id, &at); err != nil {
			return nil, fmt.Errorf("remote held posts: %w", err)
		}
		if want != nil && !want[id] {
			continue
		}
		out[id] = time.Time{}
		if t := nullableTime(at); t != nil {
			out[id] = *t
		}
	}
	return out, rows.Err()
}
