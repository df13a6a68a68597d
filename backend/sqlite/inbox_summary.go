package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"pauta/backend"
)

// InboxSummaries groups the summarised kinds (boost, like, follow) matching
// f per account, kind, post and day (UTC), newest first. It finds the
// newest groups by reading the matching items newest first (a page of
// groups costs about that many items, not the whole history), then counts
// all the page's groups exactly through their index in one query, and
// reads each group's newest author in one lookup by id.
func (db *DB) InboxSummaries(ctx context.Context, f backend.InboxFilter) ([]backend.InboxSummary, error) {
	if len(f.Kinds) == 0 {
		f.Kinds = []backend.InboxKind{backend.KindBoost, backend.KindLike, backend.KindFollow}
	}
	where, args := inboxWhere(f)
	groups, err := db.summaryGroups(ctx, f, limitOf(f)+f.Offset)
	if err != nil {
		return nil, fmt.Errorf("inbox summaries: %w", err)
	}
	if f.Offset >= len(groups) {
		return []backend.InboxSummary{}, nil
	}
	groups = groups[f.Offset:]
	// The page's groups go in as one JSON parameter: [account, kind, about,
	// day, next day] each; the cross joins keep SQLite on the group index.
	keys := make([][]any, len(groups))
	for n, g := range groups {
		day, _ := time.Parse("2006-01-02", g.day)
		keys[n] = []any{g.account, g.kind, g.about, g.day, formatTime(day.Add(24 * time.Hour))}
	}
	js, _ := json.Marshal(keys)
	cond := ""
	if where != "" {
		cond = " AND " + strings.TrimPrefix(where, " WHERE ")
	}
	// Per group: the counts and ids from its items (the group index covers
	// them); then the newest item's author of every group in one lookup by
	// id (the row names one; the others are read when the row is opened).
	rows, err := db.db.QueryContext(ctx, `WITH keys AS MATERIALIZED (SELECT key AS pos, value->>0 AS account_id, value->>1 AS kind, value->>2 AS about_id,
			value->>3 AS day_from, value->>4 AS day_until FROM json_each(?))
		SELECT g.pos, a.client_id, COUNT(*), SUM(i.state <> 'done'), MAX(i.created_at), json_group_array(i.id ORDER BY i.created_at, i.id)
			FROM keys g CROSS JOIN inbox_items i CROSS JOIN accounts a WHERE i.account_id = g.account_id AND i.kind = g.kind AND i.about_id = g.about_id
			AND i.created_at >= g.day_from AND i.created_at < g.day_until AND a.id = i.account_id`+cond+` GROUP BY g.pos ORDER BY g.pos`,
		append([]any{string(js)}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("inbox summaries: %w", err)
	}
	defer rows.Close()
	out := make([]backend.InboxSummary, 0, len(groups))
	var newest []int64 // the newest item of each summary
	for rows.Next() {
		var pos int
		var clientID int64
		var count, unread int
		var last, ids string
		if err := rows.Scan(&pos, &clientID, &count, &unread, &last, &ids); err != nil {
			return nil, fmt.Errorf("inbox summaries: %w", err)
		}
		g := groups[pos]
		s := backend.InboxSummary{AccountID: g.account, ClientID: clientID, Kind: backend.InboxKind(g.kind), AboutID: g.about, Day: g.day,
			Count: count, New: unread, Newest: parseTime(last)}
		_ = json.Unmarshal([]byte(ids), &s.IDs)
		if len(s.IDs) > 0 {
			newest = append(newest, s.IDs[len(s.IDs)-1])
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("inbox summaries: %w", err)
	}
	authors, err := db.inboxAuthors(ctx, newest)
	if err != nil {
		return nil, fmt.Errorf("inbox summaries: %w", err)
	}
	for n := range out {
		s := &out[n]
		if len(s.IDs) == 0 {
			continue
		}
		if a, ok := authors[s.IDs[len(s.IDs)-1]]; ok {
			s.Authors = []backend.RemoteAuthor{a}
		}
	}
	return out, nil
}

// InboxAuthors returns the authors of the items ids, in that order (ids
// that do not exist, or whose author cannot be read, are left out).
func (db *DB) InboxAuthors(ctx context.Context, ids []int64) ([]backend.RemoteAuthor, error) {
	byID, err := db.inboxAuthors(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("inbox authors: %w", err)
	}
	out := make([]backend.RemoteAuthor, 0, len(ids))
	for _, id := range ids {
		if a, ok := byID[id]; ok {
			out = append(out, a)
		}
	}
	return out, nil
}

// inboxAuthors reads the authors of the items ids, by id.
func (db *DB) inboxAuthors(ctx context.Context, ids []int64) (map[int64]backend.RemoteAuthor, error) {
	out := make(map[int64]backend.RemoteAuthor, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	js, _ := json.Marshal(ids)
	rows, err := db.db.QueryContext(ctx, `SELECT i.id, i.notification->'$.author' FROM inbox_items i WHERE i.id IN (SELECT value FROM json_each(?))`, string(js))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var author sql.NullString
		if err := rows.Scan(&id, &author); err != nil {
			return nil, err
		}
		var a backend.RemoteAuthor
		if author.Valid && json.Unmarshal([]byte(author.String), &a) == nil {
			out[id] = a
		}
	}
	return out, rows.Err()
}

// summaryChunk is how many items summaryGroups reads per page (tests make
// it small to cross many page boundaries).
var summaryChunk = 1000

type summaryGroup struct {
	account int64
	kind    string
	about   string
	day     string
}

// summaryGroups returns the first want distinct groups of the items
// matching f, newest first (ties by id, as the created_at index gives
// them). The items are read in pages by (created_at, id), so a page of
// groups costs about the items read, not the whole history: over all
// accounts through the created_at index; for one client or account, per
// account through its (account_id, created_at) index, merged here (SQLite
// would otherwise sort every item of the client to read the newest).
func (db *DB) summaryGroups(ctx context.Context, f backend.InboxFilter, want int) ([]summaryGroup, error) {
	var streams []*itemPages
	if f.ClientID == 0 && f.AccountID == 0 {
		where, args := inboxWhere(f)
		streams = append(streams, &itemPages{where: where, args: args})
	} else {
		accounts := []int64{f.AccountID}
		if f.AccountID == 0 {
			var err error
			if accounts, err = db.clientAccountIDs(ctx, f.ClientID); err != nil {
				return nil, err
			}
		}
		for _, id := range accounts {
			g := f
			g.AccountID = id
			where, args := inboxWhere(g)
			// the kinds must not pick the group index: it reads the account's
			// items out of time order, to be sorted
			streams = append(streams, &itemPages{where: strings.Replace(where, "i.kind IN", "+i.kind IN", 1), args: args})
		}
	}
	for _, s := range streams {
		s.size = min(2*want, summaryChunk) // then doubling, up to summaryChunk
	}
	var groups []summaryGroup
	seen := map[summaryGroup]bool{}
	for len(groups) < want {
		var next *itemPages
		for _, s := range streams {
			if err := s.fill(ctx, db); err != nil {
				return nil, err
			}
			if len(s.buf) > 0 && (next == nil || s.buf[0].before(next.buf[0])) {
				next = s
			}
		}
		if next == nil {
			break
		}
		r := next.buf[0]
		next.buf = next.buf[1:]
		if !seen[r.group] {
			seen[r.group] = true
			groups = append(groups, r.group)
		}
	}
	return groups, nil
}

func (db *DB) clientAccountIDs(ctx context.Context, clientID int64) ([]int64, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id FROM accounts WHERE client_id = ? ORDER BY id`, clientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

type summaryRow struct {
	id    int64
	at    string
	group summaryGroup
}

func (r summaryRow) before(o summaryRow) bool {
	return r.at > o.at || r.at == o.at && r.id < o.id
}

// itemPages reads the items matching where newest first, a page at a
// time, each page after the last row of the one before.
type itemPages struct {
	where string
	args  []any
	buf   []summaryRow
	last  summaryRow // the last row read, once a page was read
	read  bool
	done  bool
	size  int // rows per page
}

func (p *itemPages) fill(ctx context.Context, db *DB) error {
	if len(p.buf) > 0 || p.done {
		return nil
	}
	q, args := `SELECT i.id, i.created_at, i.account_id, i.kind, i.about_id`+inboxFrom+p.where, append([]any{}, p.args...)
	if p.read {
		and := " WHERE "
		if p.where != "" {
			and = " AND "
		}
		q += and + "i.created_at <= ? AND (i.created_at < ? OR i.id > ?)"
		args = append(args, p.last.at, p.last.at, p.last.id)
	}
	rows, err := db.db.QueryContext(ctx, q+` ORDER BY i.created_at DESC, i.id LIMIT ?`, append(args, p.size)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r summaryRow
		if err := rows.Scan(&r.id, &r.at, &r.group.account, &r.group.kind, &r.group.about); err != nil {
			return err
		}
		if r.group.day = r.at; len(r.group.day) > 10 {
			r.group.day = r.group.day[:10]
		}
		p.buf = append(p.buf, r)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	p.done = len(p.buf) < p.size
	p.size = min(2*p.size, summaryChunk)
	if len(p.buf) > 0 {
		p.last, p.read = p.buf[len(p.buf)-1], true
	}
	return nil
}
