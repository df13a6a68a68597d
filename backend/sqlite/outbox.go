package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"pauta/backend"
)

var _ backend.OutboxStore = (*DB)(nil)

// A variant belongs to the queue while its post is live and not an idea or a draft.
// A post held for the client's approval (approval.go) is not in the queue.
const outboxActive = `p.deleted_at IS NULL AND p.status NOT IN ('idea', 'draft') AND COALESCE(v.due_at, p.scheduled_at) IS NOT NULL AND NOT ` + approvalHeld

const publishCols = `v.id, v.post_id, v.account_id, v.state, v.idempotency_key, v.record_key, v.remote_created_at,
	v.attempts, v.next_attempt_at, v.last_error_code, v.last_error_key, v.last_error,
	v.remote_id, v.remote_uri, v.remote_cid, v.remote_url, v.published_at, v.sending_since,
	v.uncertain_since, v.due_at, v.approved, v.due_for, v.state_changed_at, v.mark_id, v.mark_at, v.media_uploads`

type scanner interface{ Scan(...any) error }

// prepared returns a cached prepared statement: the outbox loop runs the
// same few queries on every pass, and parsing them dominated its cost.
func (db *DB) prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	cache := &db.stmts
	if st, ok := cache.Load(q); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := db.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if prev, loaded := cache.LoadOrStore(q, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := db.prepared(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := db.prepared(ctx, q)
	if err != nil {
		return db.db.QueryRowContext(ctx, q, args...) // reports the same error
	}
	return st.QueryRowContext(ctx, args...)
}

// stx runs a transaction's statements through the prepared ones.
type stx struct {
	tx *sql.Tx
	db *DB
}

func (s stx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := s.db.prepared(ctx, q)
	if err != nil {
		return s.tx.QueryRowContext(ctx, q, args...)
	}
	return s.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
}

func (s stx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := s.db.prepared(ctx, q)
	if err != nil {
		return nil, err
	}
	return s.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
}

func nullableTime(s sql.NullString) *time.Time {
	if !s.Valid || s.String == "" {
		return nil
	}
	t := parseTime(s.String)
	return &t
}

func timeArg(t *time.Time) any {
	if t == nil {
		return nil
	}
	return formatTime(*t)
}

// publishDest returns the scan destinations for publishCols and a function
// that finishes the conversion once scanned.
func publishDest(v *backend.VariantPublish) ([]any, func()) {
	var created, next, published, sending, uncertain, due, dueFor, changed, markAt sql.NullString
	var markID, uploads string
	dest := []any{&v.VariantID, &v.PostID, &v.AccountID, &v.State, &v.IdempotencyKey, &v.RecordKey, &created,
		&v.Attempts, &next, &v.LastErrorCode, &v.LastErrorKey, &v.LastError,
		&v.Remote.ID, &v.Remote.URI, &v.Remote.CID, &v.Remote.URL, &published, &sending,
		&uncertain, &due, &v.Approved, &dueFor, &changed, &markID, &markAt, &uploads}
	return dest, func() {
		v.RemoteCreatedAt, v.NextAttemptAt, v.PublishedAt = nullableTime(created), nullableTime(next), nullableTime(published)
		v.SendingSince, v.UncertainSince, v.DueAt = nullableTime(sending), nullableTime(uncertain), nullableTime(due)
		v.DueFor, v.StateChangedAt = nullableTime(dueFor), nullableTime(changed)
		v.Mark = markFrom(markID, markAt)
		v.MediaUploads = nil
		if uploads != "" {
			_ = json.Unmarshal([]byte(uploads), &v.MediaUploads) // written by us; a damaged value only costs a re-upload
		}
	}
}

const jobCols = publishCols + `, a.client_id, a.network, a.handle, a.display_name, a.connection, a.service_url, a.remote_id, a.limits, a.created_at, v.text, p.base_text, c.language, COALESCE(v.due_at, p.scheduled_at),
	v.reply_to, v.reply_root, COALESCE(v.inbox_item_id, 0), v.like_of`

// jobFrom starts from variants (CROSS JOIN fixes the order): the queue is
// found through variants_state, so a pass costs the size of the queue, not
// of the post history.
const jobFrom = ` FROM variants v
	CROSS JOIN posts p ON p.id = v.post_id
	CROSS JOIN accounts a ON a.id = v.account_id
	CROSS JOIN clients c ON c.id = p.client_id`

func scanJob(row scanner) (*backend.OutboxJob, error) {
	var j backend.OutboxJob
	dest, finish := publishDest(&j.Publish)
	var accCreated, limits, text, base, due, replyTo, root, like string
	dest = append(dest, &j.Account.ClientID, &j.Account.Network, &j.Account.Handle, &j.Account.DisplayName,
		&j.Account.Connection, &j.Account.ServiceURL, &j.Account.RemoteID, &limits, &accCreated, &text, &base, &j.Language, &due,
		&replyTo, &root, &j.InboxItemID, &like)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	finish()
	j.Account.ID = j.Publish.AccountID
	j.Account.CreatedAt = parseTime(accCreated)
	_ = json.Unmarshal([]byte(limits), &j.Account.Limits)
	j.Text = text
	if strings.TrimSpace(text) == "" {
		j.Text = base
	}
	j.Due = parseTime(due)
	j.ReplyTo, j.Root, j.Like = refFrom(replyTo), refFrom(root), refFrom(like)
	return &j, nil
}

func stateList(states []backend.OutboxState) (string, []any) {
	ph := make([]string, len(states))
	args := make([]any, len(states))
	for i, s := range states {
		ph[i], args[i] = "?", string(s)
	}
	return strings.Join(ph, ", "), args
}

// OutboxJobs returns the jobs q selects, by due time then id.
func (db *DB) OutboxJobs(ctx context.Context, q backend.OutboxQuery) ([]backend.OutboxJob, error) {
	var where []string
	var args []any
	if !q.Inactive {
		where = append(where, outboxActive)
	}
	if len(q.States) > 0 {
		ph, a := stateList(q.States)
		where = append(where, "v.state IN ("+ph+")")
		args = append(args, a...)
	}
	if !q.DueBy.IsZero() {
		where = append(where, "COALESCE(v.due_at, p.scheduled_at) <= ?")
		args = append(args, formatTime(q.DueBy))
	}
	if q.AccountID != 0 {
		where = append(where, "v.account_id = ?")
		args = append(args, q.AccountID)
	}
	if !q.IncludeHeld {
		where = append(where, "NOT "+remoteHeld) // scheduled on the server: never sent locally
	}
	s := `SELECT ` + jobCols + jobFrom
	if len(where) > 0 {
		s += ` WHERE ` + strings.Join(where, " AND ")
	}
	s += ` ORDER BY COALESCE(v.due_at, p.scheduled_at), v.id`
	if q.Limit > 0 {
		s += fmt.Sprintf(" LIMIT %d", q.Limit)
	}
	rows, err := db.query(ctx, s, args...)
	if err != nil {
		return nil, fmt.Errorf("outbox jobs: %w", err)
	}
	defer rows.Close()
	out := []backend.OutboxJob{}
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, fmt.Errorf("outbox jobs: %w", err)
		}
		out = append(out, *j)
	}
	return out, rows.Err()
}

// OutboxJob returns one variant's job, whatever its post's status.
func (db *DB) OutboxJob(ctx context.Context, variantID int64) (*backend.OutboxJob, error) {
	j, err := scanJob(db.queryRow(ctx, `SELECT `+jobCols+jobFrom+` WHERE v.id = ?`, variantID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.Errorf(backend.ENotFound, "variant.not_found", "variant %d does not exist", variantID)
	}
	if err != nil {
		return nil, fmt.Errorf("outbox job %d: %w", variantID, err)
	}
	return j, nil
}

func loadAccountOutbox(ctx context.Context, tx stx, accountID int64) (backend.AccountOutbox, error) {
	a := backend.AccountOutbox{AccountID: accountID}
	var pausedAt, backoff, spaced sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT paused_reason, paused_message, paused_at, failures, backoff_until, spaced_until
		FROM account_state WHERE account_id = ?`, accountID).Scan(&a.PausedReason, &a.PausedMessage, &pausedAt, &a.Failures, &backoff, &spaced)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return a, err
	}
	a.PausedAt, a.BackoffUntil, a.SpacedUntil = nullableTime(pausedAt), nullableTime(backoff), nullableTime(spaced)
	return a, nil
}

func saveAccountOutbox(ctx context.Context, tx stx, a *backend.AccountOutbox) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO account_state (account_id, paused_reason, paused_message, paused_at, failures, backoff_until, spaced_until)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (account_id) DO UPDATE SET paused_reason = excluded.paused_reason, paused_message = excluded.paused_message,
			paused_at = excluded.paused_at, failures = excluded.failures, backoff_until = excluded.backoff_until, spaced_until = excluded.spaced_until`,
		a.AccountID, a.PausedReason, a.PausedMessage, timeArg(a.PausedAt), a.Failures, timeArg(a.BackoffUntil), timeArg(a.SpacedUntil))
	return err
}

// OutboxUpdate reads a variant's and its account's state, lets fn change
// them, and writes both back with the post's status, in one transaction.
func (db *DB) OutboxUpdate(ctx context.Context, variantID int64, fn func(v *backend.VariantPublish, a *backend.AccountOutbox) error) error {
	err := db.tx(ctx, func(rawTx *sql.Tx) error {
		tx := stx{rawTx, db}
		var v backend.VariantPublish
		dest, finish := publishDest(&v)
		err := tx.QueryRowContext(ctx, `SELECT `+publishCols+` FROM variants v WHERE v.id = ?`, variantID).Scan(dest...)
		if errors.Is(err, sql.ErrNoRows) {
			return backend.Errorf(backend.ENotFound, "variant.not_found", "variant %d does not exist", variantID)
		}
		if err != nil {
			return err
		}
		finish()
		a, err := loadAccountOutbox(ctx, tx, v.AccountID)
		if err != nil {
			return err
		}
		before, beforeAcc := v, a
		if err := fn(&v, &a); err != nil {
			return err
		}
		if !v.State.Valid() {
			return backend.Errorf(backend.EInternal, "outbox.state_invalid", "unknown outbox state %q", v.State)
		}
		if v.State != before.State {
			now := db.clock.Now().UTC().Truncate(time.Second)
			v.StateChangedAt = &now
		}
		// The identity and the keys generated once never change here.
		v.VariantID, v.PostID, v.AccountID = before.VariantID, before.PostID, before.AccountID
		if before.IdempotencyKey != "" {
			v.IdempotencyKey = before.IdempotencyKey
		}
		if before.RecordKey != "" {
			v.RecordKey = before.RecordKey
		}
		if before.RemoteCreatedAt != nil {
			v.RemoteCreatedAt = before.RemoteCreatedAt
		}
		if _, err := tx.ExecContext(ctx, `UPDATE variants SET state = ?, idempotency_key = ?, record_key = ?, remote_created_at = ?,
			attempts = ?, next_attempt_at = ?, last_error_code = ?, last_error_key = ?, last_error = ?,
			remote_id = ?, remote_uri = ?, remote_cid = ?, remote_url = ?, published_at = ?, sending_since = ?,
			uncertain_since = ?, due_at = ?, approved = ?, due_for = ?, state_changed_at = ?,
			mark_id = ?, mark_at = ?, media_uploads = ? WHERE id = ?`,
			v.State, v.IdempotencyKey, v.RecordKey, timeArg(v.RemoteCreatedAt),
			v.Attempts, timeArg(v.NextAttemptAt), v.LastErrorCode, v.LastErrorKey, v.LastError,
			v.Remote.ID, v.Remote.URI, v.Remote.CID, v.Remote.URL, timeArg(v.PublishedAt), timeArg(v.SendingSince),
			timeArg(v.UncertainSince), timeArg(v.DueAt), v.Approved, timeArg(v.DueFor), timeArg(v.StateChangedAt),
			markID(v.Mark), markAt(v.Mark), uploadsArg(v.MediaUploads), variantID); err != nil {
			return err
		}
		a.AccountID = v.AccountID
		if a != beforeAcc {
			if err := saveAccountOutbox(ctx, tx, &a); err != nil {
				return err
			}
		}
		if v.State != before.State {
			if v.State == backend.OutboxPublished {
				if err := queueComment(ctx, tx, variantID); err != nil { // comment.go
					return err
				}
				if err := replySent(ctx, tx, variantID, v.PublishedAt, db.now()); err != nil { // reply.go
					return err
				}
			}
			return refreshPostStatus(ctx, tx, v.PostID, db.now())
		}
		return nil
	})
	if err != nil {
		if e := (*backend.Error)(nil); errors.As(err, &e) {
			return err
		}
		return fmt.Errorf("outbox update variant %d: %w", variantID, err)
	}
	return nil
}

// OutboxUpdateAccount reads an account's state, lets fn change it and writes it back.
func (db *DB) OutboxUpdateAccount(ctx context.Context, accountID int64, fn func(a *backend.AccountOutbox) error) error {
	err := db.tx(ctx, func(rawTx *sql.Tx) error {
		tx := stx{rawTx, db}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts WHERE id = ?`, accountID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return backend.Errorf(backend.ENotFound, "account.not_found", "account %d does not exist", accountID)
		}
		a, err := loadAccountOutbox(ctx, tx, accountID)
		if err != nil {
			return err
		}
		if err := fn(&a); err != nil {
			return err
		}
		a.AccountID = accountID
		return saveAccountOutbox(ctx, tx, &a)
	})
	if err != nil {
		if e := (*backend.Error)(nil); errors.As(err, &e) {
			return err
		}
		return fmt.Errorf("outbox update account %d: %w", accountID, err)
	}
	return nil
}

// OutboxAccounts returns the accounts that have an outbox state row.
func (db *DB) OutboxAccounts(ctx context.Context) ([]backend.AccountOutbox, error) {
	rows, err := db.query(ctx, `SELECT account_id, paused_reason, paused_message, paused_at, failures, backoff_until, spaced_until FROM account_state ORDER BY account_id`)
	if err != nil {
		return nil, fmt.Errorf("outbox accounts: %w", err)
	}
	defer rows.Close()
	out := []backend.AccountOutbox{}
	for rows.Next() {
		var a backend.AccountOutbox
		var pausedAt, backoff, spaced sql.NullString
		if err := rows.Scan(&a.AccountID, &a.PausedReason, &a.PausedMessage, &pausedAt, &a.Failures, &backoff, &spaced); err != nil {
			return nil, fmt.Errorf("outbox accounts: %w", err)
		}
		a.PausedAt, a.BackoffUntil, a.SpacedUntil = nullableTime(pausedAt), nullableTime(backoff), nullableTime(spaced)
		out = append(out, a)
	}
	return out, rows.Err()
}

// OutboxNextWake is the earliest time after now at which a pending variant
// may become ready: its due time, its retry time or its account's backoff
// end. It is a lower bound (waking early costs one idle pass) found through
// indexes, so it stays cheap however many posts are queued.
func (db *DB) OutboxNextWake(ctx context.Context, now time.Time) (time.Time, bool, error) {
	n := formatTime(now)
	var next sql.NullString
	err := db.queryRow(ctx, `SELECT MIN(t) FROM (
		SELECT * FROM (SELECT p.scheduled_at AS t FROM posts p
			WHERE p.scheduled_at > ? AND p.deleted_at IS NULL AND p.status NOT IN ('idea', 'draft')
			AND EXISTS (SELECT 1 FROM variants v WHERE v.post_id = p.id AND v.state = 'pending' AND v.due_at IS NULL)
			ORDER BY p.scheduled_at LIMIT 1)
		UNION ALL SELECT MIN(due_at) FROM variants WHERE due_at > ? AND state = 'pending'
		UNION ALL SELECT MIN(next_attempt_at) FROM variants WHERE next_attempt_at > ? AND state = 'pending'
		UNION ALL SELECT MIN(backoff_until) FROM account_state WHERE backoff_until > ? AND paused_reason = ''
	)`, n, n, n, n).Scan(&next)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("outbox next wake: %w", err)
	}
	if !next.Valid {
		return time.Time{}, false, nil
	}
	return parseTime(next.String), true, nil
}

// derivedStatus is a post's status from its variants' states: published
// when every variant is published or skipped, failed when one failed, needs
// review when one is missed or unknown, scheduled while some wait, and back
// to draft when every variant was skipped.
const derivedStatus = `CASE
	WHEN SUM(state = 'skipped') = COUNT(*) THEN 'draft'
	WHEN SUM(state = 'published') > 0 AND SUM(state NOT IN ('published', 'skipped')) = 0 THEN 'published'
	WHEN SUM(state = 'failed') > 0 THEN 'failed'
	WHEN SUM(state IN ('needs_review', 'missed')) > 0 THEN 'needs_review'
	WHEN SUM(state IN ('pending', 'sending', 'due_manual')) > 0 THEN 'scheduled'
	END`

// refreshPostStatus sets the post's status from its variants (postID 0: every
// post), leaving ideas and drafts alone.
func refreshPostStatus(ctx context.Context, tx stx, postID int64, now string) error {
	inner := `SELECT post_id, ` + derivedStatus + ` AS s FROM variants`
	args := []any{now}
	if postID != 0 {
		inner += ` WHERE post_id = ?`
		args = append(args, postID)
	} else {
		// Published posts (the history) are settled: skip them.
		inner += ` WHERE post_id IN (SELECT id FROM posts WHERE status IN ('scheduled', 'failed', 'needs_review') AND deleted_at IS NULL)`
	}
	inner += ` GROUP BY post_id`
	_, err := tx.ExecContext(ctx, `UPDATE posts SET status = d.s, updated_at = ? FROM (`+inner+`) AS d
		WHERE d.post_id = posts.id AND d.s IS NOT NULL AND posts.status NOT IN ('idea', 'draft') AND posts.status <> d.s`, args...)
	return err
}

// OutboxReconcile puts back in the queue the missed, skipped and due_manual
// variants whose post was moved (in the editor) later than they were due,
// and brings every post's status in line with its variants (an editor save
// of a stale copy can overwrite it).
func (db *DB) OutboxReconcile(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := db.tx(ctx, func(rawTx *sql.Tx) error {
		tx := stx{rawTx, db}
		res, err := tx.ExecContext(ctx, `UPDATE variants SET state = 'pending', due_for = NULL, approved = 0, state_changed_at = ?
			WHERE state IN ('missed', 'skipped', 'due_manual') AND due_for IS NOT NULL AND due_at IS NULL
			AND post_id IN (SELECT p.id FROM posts p WHERE p.id = variants.post_id AND p.deleted_at IS NULL
				AND p.status NOT IN ('idea', 'draft') AND p.scheduled_at > variants.due_for AND p.scheduled_at > ?)`,
			formatTime(now), formatTime(now))
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		return refreshPostStatus(ctx, tx, 0, formatTime(now))
	})
	if err != nil {
		return 0, fmt.Errorf("outbox reconcile: %w", err)
	}
	return int(n), nil
}

// DefaultOutboxStates are the outbox view's states when a filter names none.
var DefaultOutboxStates = []backend.OutboxState{backend.OutboxPending, backend.OutboxSending, backend.OutboxFailed, backend.OutboxNeedsReview, backend.OutboxMissed, backend.OutboxDueManual}

// OutboxItems returns rows of the outbox view, by due time.
func (db *DB) OutboxItems(ctx context.Context, f backend.OutboxFilter) ([]backend.OutboxItem, error) {
	states := f.States
	if len(states) == 0 {
		states = DefaultOutboxStates
	}
	ph, args := stateList(states)
	stateCond := "v.state IN (" + ph + ")"
	if len(f.States) == 0 { // and published posts whose first comment still needs something (comment.go)
		stateCond = "(" + stateCond + " OR (v.state = 'published' AND v.comment_state IN " + commentAttention + "))"
	}
	where := []string{"p.deleted_at IS NULL", "COALESCE(v.due_at, p.scheduled_at) IS NOT NULL", stateCond,
		// Pending variants of drafts and ideas are not queued.
		"(v.state <> 'pending' OR p.status NOT IN ('idea', 'draft'))"}
	if f.ClientID != 0 {
		where = append(where, "p.client_id = ?")
		args = append(args, f.ClientID)
	}
	if f.AccountID != 0 {
		where = append(where, "v.account_id = ?")
		args = append(args, f.AccountID)
	}
	if f.PostID != 0 {
		where = append(where, "v.post_id = ?")
		args = append(args, f.PostID)
	}
	if f.DueBefore != nil {
		where = append(where, "COALESCE(v.due_at, p.scheduled_at) < ?")
		args = append(args, formatTime(*f.DueBefore))
	}
	if f.Since != nil {
		where = append(where, "(COALESCE(v.due_at, p.scheduled_at) >= ? OR v.published_at >= ?)")
		args = append(args, formatTime(*f.Since), formatTime(*f.Since))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 500
	}
	rows, err := db.query(ctx, `SELECT v.id, v.post_id, v.account_id, p.client_id, c.name, a.network, a.handle,
		v.text, p.base_text, v.state, COALESCE(v.due_at, p.scheduled_at), v.attempts, v.next_attempt_at,
		v.last_error_code, v.last_error_key, v.last_error, v.remote_url, v.published_at, COALESCE(s.paused_reason, ''), `+approvalHeld+`,
		CASE WHEN rs.remote_id <> '' AND v.state = 'pending' THEN rs.scheduled_at END,
		COALESCE(CASE WHEN rs.refused_hash <> '' AND rs.remote_id = '' AND v.state = 'pending' THEN rs.last_error_code END, ''),
		COALESCE(CASE WHEN rs.refused_hash <> '' AND rs.remote_id = '' AND v.state = 'pending' THEN rs.last_error_key END, ''),
		COALESCE(CASE WHEN rs.refused_hash <> '' AND rs.remote_id = '' AND v.state = 'pending' THEN rs.last_error END, '')`+jobFrom+`
		LEFT JOIN account_state s ON s.account_id = v.account_id
		LEFT JOIN remote_schedules rs ON rs.variant_id = v.id AND rs.post_id = v.post_id
		WHERE `+strings.Join(where, " AND ")+fmt.Sprintf(` ORDER BY COALESCE(v.due_at, p.scheduled_at), v.id LIMIT %d`, limit), args...)
	if err != nil {
		return nil, fmt.Errorf("outbox items: %w", err)
	}
	defer rows.Close()
	out := []backend.OutboxItem{}
	for rows.Next() {
		var it backend.OutboxItem
		var text, base, due, paused string
		var next, published, remoteAt sql.NullString
		if err := rows.Scan(&it.VariantID, &it.PostID, &it.AccountID, &it.ClientID, &it.ClientName, &it.Network, &it.Handle,
			&text, &base, &it.State, &due, &it.Attempts, &next, &it.ErrorCode, &it.ErrorKey, &it.Error, &it.RemoteURL, &published, &paused, &it.AwaitingApproval, &remoteAt,
			&it.RemoteErrorCode, &it.RemoteErrorKey, &it.RemoteError); err != nil {
			return nil, fmt.Errorf("outbox items: %w", err)
		}
		if strings.TrimSpace(text) == "" {
			text = base
		}
		it.Text = excerpt(text, 280)
		it.Due = parseTime(due)
		it.NextAttemptAt, it.PublishedAt = nullableTime(next), nullableTime(published)
		it.Paused = paused != ""
		it.RemoteScheduledAt = nullableTime(remoteAt)
		it.RemoteScheduled = it.RemoteScheduledAt != nil
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, db.fillComments(ctx, out) // comment.go
}

func excerpt(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}

// ReschedulePost moves a post to at, bumping its sequence, and puts its
// variants that are not published, sending or awaiting review back in the queue.
func (db *DB) ReschedulePost(ctx context.Context, postID int64, at time.Time) error {
	now := db.now()
	err := db.tx(ctx, func(rawTx *sql.Tx) error {
		tx := stx{rawTx, db}
		var status string
		err := tx.QueryRowContext(ctx, `SELECT status FROM posts WHERE id = ? AND deleted_at IS NULL`, postID).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return backend.Errorf(backend.ENotFound, "post.not_found", "post %d does not exist", postID)
		}
		if err != nil {
			return err
		}
		if status == string(backend.StatusIdea) || status == string(backend.StatusDraft) {
			return backend.Errorf(backend.EInvalid, "outbox.reschedule_unscheduled", "a %s is not in the outbox; schedule it in the editor", status)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE posts SET scheduled_at = ?, sequence = sequence + 1, updated_at = ? WHERE id = ?`,
			formatTime(at), now, postID); err != nil {
			return err
		}
		if err := refreshContentHash(ctx, rawTx, postID); err != nil { // the time is part of what the client approves
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE variants SET state = 'pending', due_at = NULL, approved = 0, due_for = NULL,
			next_attempt_at = NULL, attempts = CASE WHEN uncertain_since IS NULL THEN 0 ELSE attempts END, state_changed_at = ?
			WHERE post_id = ? AND state IN ('pending', 'missed', 'skipped', 'due_manual', 'failed')`, now, postID); err != nil {
			return err
		}
		return refreshPostStatus(ctx, tx, postID, now)
	})
	if err != nil {
		if e := (*backend.Error)(nil); errors.As(err, &e) {
			return err
		}
		return fmt.Errorf("reschedule post %d: %w", postID, err)
	}
	return nil
}
