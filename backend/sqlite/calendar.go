package sqlite

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"pauta/backend"
)

// snippetSource bounds the text read for a snippet: enough for
// backend.SnippetMax characters after white space is collapsed.
const snippetSource = 4 * backend.SnippetMax

// ListCalendarPosts returns what the calendar draws of the dated posts with
// scheduled_at in [f.From, f.To) (f.Ideas and f.OnlyIdeas are ignored),
// ordered by time: one query, whatever the number of posts. Posts in the
// bin and inbox replies are left out, and so are archived clients' posts
// when f.ClientID is 0 ("all clients" means the active ones).
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
	// Variants as "account:network" and labels joined by U+001F (a label
	// never holds a control character), each in its own order.
	q := `SELECT p.id, p.client_id, p.status, substr(p.base_text, 1, ` + strconv.Itoa(snippetSource) + `), p.scheduled_at, p.time_zone,
		p.needs_approval, p.content_hash, p.approval_status, p.approval_hash, c.require_approval,
		COALESCE((SELECT pm.media_id FROM post_media pm WHERE pm.post_id = p.id ORDER BY pm.position, pm.media_id LIMIT 1), 0),
		COALESCE((SELECT group_concat(v.account_id || ':' || a.network, ',' ORDER BY v.id) FROM variants v JOIN accounts a ON a.id = v.account_id WHERE v.post_id = p.id), ''),
		COALESCE((SELECT group_concat(l.label, char(31) ORDER BY l.position) FROM post_labels l WHERE l.post_id = p.id), '')
	FROM posts p JOIN clients c ON c.id = p.client_id
	WHERE ` + strings.Join(where, " AND ") + `
	ORDER BY p.scheduled_at, p.id`
	rows, err := db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list calendar posts: %w", err)
	}
	defer rows.Close()
	out := []backend.CalendarPost{}
	for rows.Next() {
		var p backend.CalendarPost
		var text, sched, contentHash, variants, labels string
		var clientRequires bool
		a := &p.Approval
		if err := rows.Scan(&p.ID, &p.ClientID, &p.Status, &text, &sched, &p.TimeZone,
			&a.Required, &contentHash, &a.Status, &a.Hash, &clientRequires, &p.MediaID, &variants, &labels); err != nil {
			return nil, fmt.Errorf("list calendar posts: %w", err)
		}
		p.Snippet = backend.Snippet(text, backend.SnippetMax)
		p.ScheduledAt = parseTime(sched)
		// As scanPost: Required holds the post's own flag until here.
		a.Changed = a.Status != backend.ApprovalNone && a.Status != backend.ApprovalPending && a.Hash != contentHash
		a.Required = a.Required || clientRequires
		a.Waiting = a.Required && p.Status != backend.StatusPublished && !(a.Status == backend.ApprovalApproved && !a.Changed)
		a.Hash = ""
		p.Variants = []backend.CalendarVariant{}
		if variants != "" {
			for _, v := range strings.Split(variants, ",") {
				id, net, _ := strings.Cut(v, ":")
				n, err := strconv.ParseInt(id, 10, 64)
				if err != nil {
					return nil, fmt.Errorf("list calendar posts: variant %q: %w", v, err)
				}
				p.Variants = append(p.Variants, backend.CalendarVariant{AccountID: n, Network: backend.Network(net)})
			}
		}
		p.Labels = []string{}
		if labels != "" {
			p.Labels = strings.Split(labels, "\x1f")
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
