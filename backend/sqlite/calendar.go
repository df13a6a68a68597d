package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"pauta/backend"
)

// snippetSource bounds the text read for a snippet: enough for
// backend.SnippetMax characters after white space is collapsed.
const snippetSource = 4 * backend.SnippetMax

// ListCalendarPosts returns what the calendar draws of the dated posts with
// scheduled_at in [f.From, f.To) (f.Ideas and f.OnlyIdeas are ignored),
// ordered by time. Posts in the bin and inbox replies are left out, and so
// are archived clients' posts when f.ClientID is 0 ("all clients" means the
// active ones). Four queries in one read transaction, whatever the number
// of posts: the posts, then their accounts, labels and first images for the
// whole range (a subquery per post for those cost twice as much).
func (db *DB) ListCalendarPosts(ctx context.Context, f backend.PostFilter) ([]backend.CalendarPost, error) {
	where := []string{"p.deleted_at IS NULL", "p.kind = 'post'", "p.scheduled_at IS NOT NULL"}
	var args []any
	if f.ClientID != 0 {
		where = append(where, "p.client_id = ?")
		args = append(args, f.ClientID)
	} else {
		where = append(where, "c.archived = 0")
	}
	if !f.From.IsZero() {
		where = append(where, "p.scheduled_at >= ?")
		args = append(args, formatTime(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, "p.scheduled_at < ?")
		args = append(args, formatTime(f.To))
	}
	posts := ` FROM posts p JOIN clients c ON c.id = p.client_id`
	cond := ` WHERE ` + strings.Join(where, " AND ")
	out := []backend.CalendarPost{}
	err := db.snapshot(ctx, func(conn *sql.Conn) error {
		rows, err := conn.QueryContext(ctx, `SELECT p.id, p.client_id, p.status, substr(p.base_text, 1, `+strconv.Itoa(snippetSource)+`), p.scheduled_at, p.time_zone,
			p.needs_approval, p.content_hash, p.approval_status, p.approval_hash, c.require_approval`+posts+cond+` ORDER BY p.scheduled_at, p.id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p backend.CalendarPost
			var text, sched, contentHash string
			var clientRequires bool
			a := &p.Approval
			if err := rows.Scan(&p.ID, &p.ClientID, &p.Status, &text, &sched, &p.TimeZone,
				&a.Required, &contentHash, &a.Status, &a.Hash, &clientRequires); err != nil {
				return err
			}
			p.Snippet = backend.Snippet(text, backend.SnippetMax)
			p.ScheduledAt = parseTime(sched)
			// As scanPost: Required holds the post's own flag until here.
			a.Changed = a.Status != backend.ApprovalNone && a.Status != backend.ApprovalPending && a.Hash != contentHash
			a.Required = a.Required || clientRequires
			a.Waiting = a.Required && p.Status != backend.StatusPublished && !(a.Status == backend.ApprovalApproved && !a.Changed)
			a.Hash = ""
			p.Variants = []backend.CalendarVariant{}
			p.Labels = []string{}
			out = append(out, p)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		at := make(map[int64]*backend.CalendarPost, len(out))
		for i := range out {
			at[out[i].ID] = &out[i]
		}
		// No ORDER BY: SQLite would sort every row of the range; each post's
		// few rows are put in order here instead (accounts as added, labels
		// by position, the first image by position).
		var v backend.CalendarVariant
		var vid int64
		vids := make(map[int64][]int64, len(out))
		if err := eachRow(ctx, conn, `SELECT v.post_id, v.id, v.account_id, a.network`+posts+` JOIN variants v ON v.post_id = p.id JOIN accounts a ON a.id = v.account_id`+cond,
			args, []any{&vid, &v.AccountID, &v.Network}, func(p *backend.CalendarPost) {
				vids[p.ID], p.Variants = insertInOrder(vids[p.ID], p.Variants, vid, v)
			}, at); err != nil {
			return err
		}
		var label string
		var pos int
		positions := make(map[int64][]int, len(out))
		if err := eachRow(ctx, conn, `SELECT l.post_id, l.label, l.position`+posts+` JOIN post_labels l ON l.post_id = p.id`+cond,
			args, []any{&label, &pos}, func(p *backend.CalendarPost) {
				positions[p.ID], p.Labels = insertInOrder(positions[p.ID], p.Labels, pos, label)
			}, at); err != nil {
			return err
		}
		var media int64
		first := make(map[int64][2]int64, len(out))
		return eachRow(ctx, conn, `SELECT pm.post_id, pm.media_id, pm.position`+posts+` JOIN post_media pm ON pm.post_id = p.id`+cond,
			args, []any{&media, &pos}, func(p *backend.CalendarPost) {
				key := [2]int64{int64(pos), media}
				if f, ok := first[p.ID]; !ok || key[0] < f[0] || key[0] == f[0] && key[1] < f[1] {
					first[p.ID] = key
					p.MediaID = media
				}
			}, at)
	})
	if err != nil {
		return nil, fmt.Errorf("list calendar posts: %w", err)
	}
	return out, nil
}

// insertInOrder puts v into vals where key keeps keys ascending (keys and
// vals run side by side; a post has a few of each, mostly in order).
func insertInOrder[K cmp.Ordered, V any](keys []K, vals []V, key K, v V) ([]K, []V) {
	k := len(keys)
	for k > 0 && keys[k-1] > key {
		k--
	}
	return slices.Insert(keys, k, key), slices.Insert(vals, k, v)
}

// eachRow runs q, whose first column is the id of one of the posts in at,
// scans the other columns of each row into dest, and calls fn with that post.
func eachRow(ctx context.Context, conn *sql.Conn, q string, args, dest []any, fn func(*backend.CalendarPost), at map[int64]*backend.CalendarPost) error {
	rows, err := conn.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var id int64
	cols := append([]any{&id}, dest...)
	for rows.Next() {
		if err := rows.Scan(cols...); err != nil {
			return err
		}
		if p := at[id]; p != nil {
			fn(p)
		}
	}
	return rows.Err()
}
