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

const postCols = `p.id, p.client_id, p.status, p.base_text, p.first_comment, p.scheduled_at, p.time_zone, p.sequence, p.deleted_at, p.created_at, p.updated_at,
	COALESCE((SELECT v.remote_url FROM variants v WHERE v.post_id = p.id AND v.remote_url != '' ORDER BY v.id LIMIT 1), ''),
	p.needs_approval, p.content_hash, p.approval_status, p.approval_comment, p.approval_hash, p.approval_at, p.approval_package,
	COALESCE((SELECT c.require_approval FROM clients c WHERE c.id = p.client_id), 0)`

func scanPost(row interface{ Scan(...any) error }) (*backend.Post, error) {
	var p backend.Post
	var sched, deleted, decided sql.NullString
	var clientRequires bool
	var created, updated string
	a := &p.Approval
	if err := row.Scan(&p.ID, &p.ClientID, &p.Status, &p.BaseText, &p.FirstComment, &sched, &p.TimeZone, &p.Sequence, &deleted, &created, &updated, &p.PublishedURL,
		&p.NeedsApproval, &p.ContentHash, &a.Status, &a.Comment, &a.Hash, &decided, &a.PackageID, &clientRequires); err != nil {
		return nil, err
	}
	a.DecidedAt = nullableTime(decided)
	a.Changed = a.Status != backend.ApprovalNone && a.Status != backend.ApprovalPending && a.Hash != p.ContentHash
	a.Required = p.NeedsApproval || clientRequires
	a.Waiting = a.Required && p.Status != backend.StatusPublished && !(a.Status == backend.ApprovalApproved && !a.Changed)
	if deleted.Valid {
		t := parseTime(deleted.String)
		p.DeletedAt = &t
	}
	if sched.Valid {
		t := parseTime(sched.String)
		p.ScheduledAt = &t
	}
	p.CreatedAt, p.UpdatedAt = parseTime(created), parseTime(updated)
	p.Labels, p.Variants = []string{}, []backend.Variant{}
	return &p, nil
}

// ListPosts returns the posts matching f, ordered by time, with their
// variants and labels (three queries whatever the number of posts).
func (db *DB) ListPosts(ctx context.Context, f backend.PostFilter) ([]backend.Post, error) {
	where := []string{"p.deleted_at IS NULL", "p.kind = 'post'"} // inbox replies live in the inbox and the outbox, not the calendar
	var args []any
	if f.ClientID != 0 {
		where = append(where, "p.client_id = ?")
		args = append(args, f.ClientID)
	}
	var timeCond []string
	if f.OnlyIdeas {
		timeCond = append(timeCond, "p.scheduled_at IS NULL")
	} else if !f.From.IsZero() || !f.To.IsZero() {
		c := "(p.scheduled_at IS NOT NULL"
		if !f.From.IsZero() {
			c += " AND p.scheduled_at >= ?"
			args = append(args, formatTime(f.From))
		}
		if !f.To.IsZero() {
			c += " AND p.scheduled_at < ?"
			args = append(args, formatTime(f.To))
		}
		timeCond = append(timeCond, c+")")
		if f.Ideas {
			timeCond = append(timeCond, "p.scheduled_at IS NULL")
		}
	} else if !f.Ideas {
		timeCond = append(timeCond, "p.scheduled_at IS NOT NULL")
	}
	if len(timeCond) > 0 {
		where = append(where, "("+strings.Join(timeCond, " OR ")+")")
	}
	q := `SELECT ` + postCols + ` FROM posts p WHERE ` + strings.Join(where, " AND ")
	q += ` ORDER BY p.scheduled_at IS NULL, p.scheduled_at, p.id`

	rows, err := db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list posts: %w", err)
	}
	out := []backend.Post{}
	byID := map[int64]int{}
	for rows.Next() {
		p, err := scanPost(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("list posts: %w", err)
		}
		byID[p.ID] = len(out)
		out = append(out, *p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list posts: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	// Variants and labels of the same selection, joined back by post id.
	sub := `SELECT p.id FROM posts p WHERE ` + strings.Join(where, " AND ")
	vrows, err := db.db.QueryContext(ctx, `SELECT id, post_id, account_id, text, first_comment FROM variants WHERE post_id IN (`+sub+`) ORDER BY post_id, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list variants: %w", err)
	}
	for vrows.Next() {
		var v backend.Variant
		if err := vrows.Scan(&v.ID, &v.PostID, &v.AccountID, &v.Text, &v.FirstComment); err != nil {
			vrows.Close()
			return nil, fmt.Errorf("list variants: %w", err)
		}
		if i, ok := byID[v.PostID]; ok {
			out[i].Variants = append(out[i].Variants, v)
		}
	}
	vrows.Close()
	lrows, err := db.db.QueryContext(ctx, `SELECT post_id, label FROM post_labels WHERE post_id IN (`+sub+`) ORDER BY post_id, position`, args...)
	if err != nil {
		return nil, fmt.Errorf("list labels: %w", err)
	}
	defer lrows.Close()
	for lrows.Next() {
		var id int64
		var l string
		if err := lrows.Scan(&id, &l); err != nil {
			return nil, fmt.Errorf("list labels: %w", err)
		}
		if i, ok := byID[id]; ok {
			out[i].Labels = append(out[i].Labels, l)
		}
	}
	return out, lrows.Err()
}

// GetPost returns one post with its variants and labels.
func (db *DB) GetPost(ctx context.Context, id int64) (*backend.Post, error) {
	p, err := scanPost(db.db.QueryRowContext(ctx, `SELECT `+postCols+` FROM posts p WHERE p.id = ? AND p.deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.Errorf(backend.ENotFound, "post.not_found", "post %d does not exist", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get post %d: %w", id, err)
	}
	rows, err := db.db.QueryContext(ctx, `SELECT id, post_id, account_id, text, first_comment FROM variants WHERE post_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("get post %d: %w", id, err)
	}
	for rows.Next() {
		var v backend.Variant
		if err := rows.Scan(&v.ID, &v.PostID, &v.AccountID, &v.Text, &v.FirstComment); err != nil {
			rows.Close()
			return nil, err
		}
		p.Variants = append(p.Variants, v)
	}
	rows.Close()
	lrows, err := db.db.QueryContext(ctx, `SELECT label FROM post_labels WHERE post_id = ? ORDER BY position`, id)
	if err != nil {
		return nil, fmt.Errorf("get post %d: %w", id, err)
	}
	defer lrows.Close()
	for lrows.Next() {
		var l string
		if err := lrows.Scan(&l); err != nil {
			return nil, err
		}
		p.Labels = append(p.Labels, l)
	}
	return p, lrows.Err()
}

// checkPost validates p against the client and its accounts inside tx.
func checkPost(ctx context.Context, tx *sql.Tx, p *backend.Post) error {
	var zone string
	err := tx.QueryRowContext(ctx, `SELECT time_zone FROM clients WHERE id = ?`, p.ClientID).Scan(&zone)
	if errors.Is(err, sql.ErrNoRows) {
		return backend.Errorf(backend.ENotFound, "client.not_found", "client %d does not exist", p.ClientID).WithField("client")
	}
	if err != nil {
		return err
	}
	if p.TimeZone == "" {
		p.TimeZone = zone
	}
	if err := p.Normalize(); err != nil {
		return err
	}
	for _, v := range p.Variants {
		var owner int64
		err := tx.QueryRowContext(ctx, `SELECT client_id FROM accounts WHERE id = ?`, v.AccountID).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) {
			return backend.Errorf(backend.ENotFound, "account.not_found", "account %d does not exist", v.AccountID).WithField("accounts")
		}
		if err != nil {
			return err
		}
		if owner != p.ClientID {
			return backend.Errorf(backend.EInvalid, "post.account_other_client", "account %d belongs to another client", v.AccountID).WithField("accounts")
		}
	}
	return nil
}

func writeChildren(ctx context.Context, tx *sql.Tx, p *backend.Post) error {
	// Keep variant ids stable for accounts that stay: later issues hang
	// publishing state off them.
	keep := map[int64]bool{}
	for i := range p.Variants {
		v := &p.Variants[i]
		v.PostID = p.ID
		keep[v.AccountID] = true
		if err := tx.QueryRowContext(ctx, `INSERT INTO variants (post_id, account_id, text, first_comment) VALUES (?, ?, ?, ?)
			ON CONFLICT (post_id, account_id) DO UPDATE SET text = excluded.text, first_comment = excluded.first_comment RETURNING id`, p.ID, v.AccountID, v.Text, v.FirstComment).Scan(&v.ID); err != nil {
			return err
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT account_id FROM variants WHERE post_id = ?`, p.ID)
	if err != nil {
		return err
	}
	var drop []int64
	for rows.Next() {
		var a int64
		if err := rows.Scan(&a); err != nil {
			rows.Close()
			return err
		}
		if !keep[a] {
			drop = append(drop, a)
		}
	}
	rows.Close()
	for _, a := range drop {
		if _, err := tx.ExecContext(ctx, `DELETE FROM variants WHERE post_id = ? AND account_id = ?`, p.ID, a); err != nil {
			return err
		}
	}
	if p.Status == backend.StatusPublished {
		// Published elsewhere (by hand, an import, the demo): never queue it.
		if _, err := tx.ExecContext(ctx, `UPDATE variants SET state = 'published' WHERE post_id = ? AND state = 'pending'`, p.ID); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM post_labels WHERE post_id = ?`, p.ID); err != nil {
		return err
	}
	for i, l := range p.Labels {
		if _, err := tx.ExecContext(ctx, `INSERT INTO post_labels (post_id, label, position) VALUES (?, ?, ?)`, p.ID, l, i); err != nil {
			return err
		}
	}
	return nil
}

func nullTime(p *backend.Post) any {
	if p.ScheduledAt == nil {
		return nil
	}
	return formatTime(*p.ScheduledAt)
}

// CreatePost validates and inserts p with its variants and labels, all or nothing.
func (db *DB) CreatePost(ctx context.Context, p *backend.Post) error {
	now := db.now()
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := checkPost(ctx, tx, p); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO posts (client_id, status, base_text, first_comment, scheduled_at, time_zone, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.ClientID, p.Status, p.BaseText, p.FirstComment, nullTime(p), p.TimeZone, now, now)
		if err != nil {
			return err
		}
		if p.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if err := writeChildren(ctx, tx, p); err != nil {
			return err
		}
		return refreshContentHash(ctx, tx, p.ID) // approval.go
	})
	if err != nil {
		if e := (*backend.Error)(nil); errors.As(err, &e) {
			return err
		}
		return fmt.Errorf("create post: %w", err)
	}
	p.CreatedAt, p.UpdatedAt = parseTime(now), parseTime(now)
	return nil
}

// UpdatePost validates and saves p, replacing its variants and labels.
// A post cannot move to another client.
func (db *DB) UpdatePost(ctx context.Context, p *backend.Post) error {
	now := db.now()
	var created string
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var client int64
		err := tx.QueryRowContext(ctx, `SELECT client_id FROM posts WHERE id = ? AND deleted_at IS NULL`, p.ID).Scan(&client)
		if errors.Is(err, sql.ErrNoRows) {
			return backend.Errorf(backend.ENotFound, "post.not_found", "post %d does not exist", p.ID)
		}
		if err != nil {
			return err
		}
		if client != p.ClientID {
			return backend.Errorf(backend.EInvalid, "post.client_change", "a post cannot move to another client; duplicate it instead").WithField("client")
		}
		if err := checkPost(ctx, tx, p); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `UPDATE posts SET status = ?, base_text = ?, first_comment = ?, scheduled_at = ?, time_zone = ?, sequence = sequence + 1, updated_at = ?
			WHERE id = ? RETURNING sequence, created_at`,
			p.Status, p.BaseText, p.FirstComment, nullTime(p), p.TimeZone, now, p.ID).Scan(&p.Sequence, &created); err != nil {
			return err
		}
		if err := writeChildren(ctx, tx, p); err != nil {
			return err
		}
		return refreshContentHash(ctx, tx, p.ID) // approval.go
	})
	if err != nil {
		if e := (*backend.Error)(nil); errors.As(err, &e) {
			return err
		}
		return fmt.Errorf("update post %d: %w", p.ID, err)
	}
	p.CreatedAt, p.UpdatedAt = parseTime(created), parseTime(now)
	return nil
}

// DeletePost moves a post to the bin: it leaves the calendar and can be
// restored until PurgeDeleted removes it for good.
func (db *DB) DeletePost(ctx context.Context, id int64) error {
	return db.setDeleted(ctx, id, true)
}

// RestorePost brings a deleted post back (undo).
func (db *DB) RestorePost(ctx context.Context, id int64) error {
	return db.setDeleted(ctx, id, false)
}

func (db *DB) setDeleted(ctx context.Context, id int64, deleted bool) error {
	var n int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		q := `UPDATE posts SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`
		args := []any{db.now(), db.now(), id}
		if !deleted {
			q = `UPDATE posts SET deleted_at = NULL, updated_at = ? WHERE id = ? AND deleted_at IS NOT NULL`
			args = []any{db.now(), id}
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("delete post %d: %w", id, err)
	}
	if n == 0 {
		return backend.Errorf(backend.ENotFound, "post.not_found", "post %d does not exist", id)
	}
	return nil
}

// PurgeDeleted removes for good the posts deleted before `before`.
func (db *DB) PurgeDeleted(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM posts WHERE deleted_at IS NOT NULL AND deleted_at < ?`, formatTime(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("purge deleted posts: %w", err)
	}
	return int(n), nil
}
