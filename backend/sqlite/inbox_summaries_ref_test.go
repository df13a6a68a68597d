package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"pauta/backend"
)

// InboxSummariesPerGroup is InboxSummaries as it was before the one-query
// version: groups found with OFFSET chunks, then one query per group. Its
// orders are spelled out (ties by id) where it left them to the plan. Kept
// here as the reference the new one must agree with.
func (db *DB) InboxSummariesPerGroup(ctx context.Context, f backend.InboxFilter) ([]backend.InboxSummary, error) {
	if len(f.Kinds) == 0 {
		f.Kinds = []backend.InboxKind{backend.KindBoost, backend.KindLike, backend.KindFollow}
	}
	where, args := inboxWhere(f)
	want := limitOf(f) + f.Offset
	type key struct {
		account int64
		kind    string
		about   string
		day     string
	}
	var groups []key
	seen := map[key]bool{}
	const chunk = 2000
	for off := 0; len(groups) < want; off += chunk {
		rows, err := db.db.QueryContext(ctx, `SELECT i.account_id, i.kind, i.about_id, substr(i.created_at, 1, 10)`+inboxFrom+where+
			` ORDER BY i.created_at DESC, i.id LIMIT ? OFFSET ?`, append(append([]any{}, args...), chunk, off)...)
		if err != nil {
			return nil, fmt.Errorf("inbox summaries: %w", err)
		}
		n := 0
		for rows.Next() {
			n++
			var k key
			if err := rows.Scan(&k.account, &k.kind, &k.about, &k.day); err != nil {
				rows.Close()
				return nil, fmt.Errorf("inbox summaries: %w", err)
			}
			if !seen[k] && len(groups) < want {
				seen[k] = true
				groups = append(groups, k)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("inbox summaries: %w", err)
		}
		if n < chunk {
			break
		}
	}
	if f.Offset >= len(groups) {
		return []backend.InboxSummary{}, nil
	}
	groups = groups[f.Offset:]
	gw := " WHERE i.account_id = ? AND i.kind = ? AND i.about_id = ? AND i.created_at >= ? AND i.created_at < ?"
	if where != "" {
		gw += " AND " + strings.TrimPrefix(where, " WHERE ")
	}
	out := make([]backend.InboxSummary, 0, len(groups))
	for _, g := range groups {
		day, _ := time.Parse("2006-01-02", g.day)
		gargs := append([]any{g.account, g.kind, g.about, g.day, formatTime(day.Add(24 * time.Hour))}, args...)
		s := backend.InboxSummary{AccountID: g.account, Kind: backend.InboxKind(g.kind), AboutID: g.about, Day: g.day}
		var newest, ids, authors string
		err := db.queryRow(ctx, `SELECT a.client_id, COUNT(*), SUM(i.state <> 'done'), MAX(i.created_at), json_group_array(i.id ORDER BY i.created_at, i.id),
			(SELECT json_group_array(json_extract(x.notification, '$.author')) FROM (SELECT i.notification`+inboxFrom+gw+` ORDER BY i.created_at DESC, i.id DESC LIMIT 1) x)`+
			inboxFrom+gw, append(append([]any{}, gargs...), gargs...)...).Scan(&s.ClientID, &s.Count, &s.New, &newest, &ids, &authors)
		if err != nil {
			return nil, fmt.Errorf("inbox summary: %w", err)
		}
		s.Newest = parseTime(newest)
		_ = json.Unmarshal([]byte(ids), &s.IDs)
		_ = json.Unmarshal([]byte(authors), &s.Authors)
		out = append(out, s)
	}
	return out, nil
}

// InboxListOneQuery is InboxList as one query for every filter (one
// client's page was the sort of all its items): the reference the
// per-account merge for a client must agree with.
func (db *DB) InboxListOneQuery(ctx context.Context, f backend.InboxFilter) ([]backend.InboxItem, error) {
	where, args := inboxWhere(f)
	const order = ` ORDER BY i.alerted DESC, i.created_at DESC, i.id DESC`
	return db.inboxQuery(ctx, `SELECT `+inboxCols+inboxFrom+` WHERE i.id IN (SELECT i.id`+inboxFrom+where+order+` LIMIT ? OFFSET ?)`+order,
		append(args, limitOf(f), f.Offset)...)
}
