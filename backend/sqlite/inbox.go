package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"pauta/backend"
)

var _ backend.InboxStore = (*DB)(nil)

const inboxCols = `i.id, i.account_id, a.client_id, i.notification, i.state, i.snoozed_until, i.tags, i.pinned, i.alert, i.note, i.arrived_at, i.first_reply_at,
	COALESCE((SELECT av.file FROM inbox_avatars av WHERE av.author_key = ` + authorKeyExpr + `), ''),
	COALESCE((SELECT lv.state FROM variants lv JOIN posts lp ON lp.id = lv.post_id
		WHERE lv.inbox_item_id = i.id AND lp.kind = 'like' AND lp.deleted_at IS NULL ORDER BY lv.id DESC LIMIT 1), '')`

const inboxFrom = ` FROM inbox_items i JOIN accounts a ON a.id = i.account_id`

func scanInbox(row scanner) (backend.InboxItem, error) {
	var it backend.InboxItem
	var notif, tags, alert, arrived string
	var snoozed, first sql.NullString
	if err := row.Scan(&it.ID, &it.AccountID, &it.ClientID, &notif, &it.State, &snoozed, &tags, &it.Pinned, &alert, &it.Note, &arrived, &first, &it.Avatar, &it.Liked); err != nil {
		return it, err
	}
	_ = json.Unmarshal([]byte(notif), &it.Notification) // written by us
	it.SnoozedUntil, it.FirstReplyAt = nullableTime(snoozed), nullableTime(first)
	it.Tags, it.Alert = decodeList(tags), decodeList(alert)
	it.ArrivedAt = parseTime(arrived)
	return it, nil
}

func (db *DB) inboxQuery(ctx context.Context, q string, args ...any) ([]backend.InboxItem, error) {
	rows, err := db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list inbox: %w", err)
	}
	defer rows.Close()
	out := []backend.InboxItem{}
	for rows.Next() {
		it, err := scanInbox(rows)
		if err != nil {
			return nil, fmt.Errorf("list inbox: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// InboxSave inserts the new items and writes the sync state in one transaction.
func (db *DB) InboxSave(ctx context.Context, items []backend.InboxItem, s backend.InboxSync) ([]backend.InboxItem, error) {
	var added []backend.InboxItem
	err := db.tx(ctx, func(tx *sql.Tx) error {
		added = added[:0]
		st, err := tx.PrepareContext(ctx, `INSERT INTO inbox_items (account_id, remote_id, kind, created_at, about_id, filtered, notification,
			state, tags, alert, alerted, arrived_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'new', '[]', ?, ?, ?)
			ON CONFLICT (account_id, remote_id) DO NOTHING`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, it := range items {
			n := it.Notification
			if n.RemoteID == "" {
				continue
			}
			about := ""
			if n.About != nil {
				about = n.About.ID
				if about == "" {
					about = n.About.URI
				}
			}
			b, _ := json.Marshal(n)
			res, err := st.ExecContext(ctx, it.AccountID, n.RemoteID, string(n.Kind), formatTime(n.CreatedAt), about, n.Filtered, string(b),
				encodeList(it.Alert), len(it.Alert) > 0, formatTime(it.ArrivedAt))
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 1 {
				id, _ := res.LastInsertId()
				it.ID, it.State = id, backend.InboxNew
				if it.Tags == nil {
					it.Tags = []string{}
				}
				added = append(added, it)
			}
		}
		return writeSync(ctx, tx, s)
	})
	if err != nil {
		if isForeignKey(err) {
			return nil, backend.Errorf(backend.ENotFound, "account.not_found", "account %d does not exist", s.AccountID)
		}
		return nil, fmt.Errorf("save inbox of account %d: %w", s.AccountID, err)
	}
	return added, nil
}

func writeSync(ctx context.Context, tx *sql.Tx, s backend.InboxSync) error {
	params, _ := json.Marshal(s.ErrorParams)
	if s.ErrorParams == nil {
		params = []byte("{}")
	}
	marks, _ := json.Marshal(s.ListenMarks)
	if s.ListenMarks == nil {
		marks = []byte("{}")
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO inbox_sync (account_id, mark, older, gap, gap_from, gap_until, mark_read, read_mark, synced_at, next_sync_at,
		failures, error_code, error_key, error, error_params, listen_marks) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (account_id) DO UPDATE SET mark = excluded.mark, older = excluded.older, gap = excluded.gap, gap_from = excluded.gap_from, gap_until = excluded.gap_until,
		mark_read = excluded.mark_read, read_mark = excluded.read_mark, synced_at = excluded.synced_at,
		next_sync_at = excluded.next_sync_at, failures = excluded.failures, error_code = excluded.error_code,
		error_key = excluded.error_key, error = excluded.error, error_params = excluded.error_params, listen_marks = excluded.listen_marks`,
		s.AccountID, s.Mark, s.Older, s.Gap, s.GapFrom, s.GapUntil, s.MarkRead, s.ReadMark, timeArg(s.SyncedAt), timeArg(s.NextSyncAt),
		s.Failures, s.ErrorCode, s.ErrorKey, s.Error, string(params), string(marks))
	return err
}

const syncCols = `account_id, mark, older, gap, gap_from, gap_until, mark_read, read_mark, synced_at, next_sync_at, failures, error_code, error_key, error, error_params, listen_marks`

func scanSync(row scanner) (backend.InboxSync, error) {
	var s backend.InboxSync
	var synced, next sql.NullString
	var params, marks string
	if err := row.Scan(&s.AccountID, &s.Mark, &s.Older, &s.Gap, &s.GapFrom, &s.GapUntil, &s.MarkRead, &s.ReadMark, &synced, &next, &s.Failures,
		&s.ErrorCode, &s.ErrorKey, &s.Error, &params, &marks); err != nil {
		return s, err
	}
	s.SyncedAt, s.NextSyncAt = nullableTime(synced), nullableTime(next)
	_ = json.Unmarshal([]byte(params), &s.ErrorParams)
	_ = json.Unmarshal([]byte(marks), &s.ListenMarks)
	return s, nil
}

// InboxSyncState returns an account's sync state (zero for one never synced).
func (db *DB) InboxSyncState(ctx context.Context, accountID int64) (backend.InboxSync, error) {
	s, err := scanSync(db.queryRow(ctx, `SELECT `+syncCols+` FROM inbox_sync WHERE account_id = ?`, accountID))
	if errors.Is(err, sql.ErrNoRows) {
		return backend.InboxSync{AccountID: accountID}, nil
	}
	if err != nil {
		return s, fmt.Errorf("inbox sync of account %d: %w", accountID, err)
	}
	return s, nil
}

// InboxSyncStates returns every synced account's sync state by account id
// in one query (accounts never synced are missing: their state is zero).
func (db *DB) InboxSyncStates(ctx context.Context) (map[int64]backend.InboxSync, error) {
	rows, err := db.query(ctx, `SELECT `+syncCols+` FROM inbox_sync`)
	if err != nil {
		return nil, fmt.Errorf("inbox syncs: %w", err)
	}
	defer rows.Close()
	out := map[int64]backend.InboxSync{}
	for rows.Next() {
		s, err := scanSync(rows)
		if err != nil {
			return nil, fmt.Errorf("inbox syncs: %w", err)
		}
		out[s.AccountID] = s
	}
	return out, rows.Err()
}

// InboxSetSync writes an account's sync state.
func (db *DB) InboxSetSync(ctx context.Context, s backend.InboxSync) error {
	err := db.tx(ctx, func(tx *sql.Tx) error { return writeSync(ctx, tx, s) })
	if isForeignKey(err) {
		return backend.Errorf(backend.ENotFound, "account.not_found", "account %d does not exist", s.AccountID)
	}
	return err
}

// inboxWhere builds the WHERE clause of a filter.
func inboxWhere(f backend.InboxFilter) (string, []any) {
	var conds []string
	var args []any
	if f.ClientID != 0 {
		conds, args = append(conds, "a.client_id = ?"), append(args, f.ClientID)
	}
	if f.AccountID != 0 {
		conds, args = append(conds, "i.account_id = ?"), append(args, f.AccountID)
	}
	if f.Network != "" {
		conds, args = append(conds, "a.network = ?"), append(args, string(f.Network))
	}
	if len(f.Kinds) > 0 {
		conds = append(conds, "i.kind IN (?"+strings.Repeat(", ?", len(f.Kinds)-1)+")")
		for _, k := range f.Kinds {
			args = append(args, string(k))
		}
	}
	if len(f.States) > 0 {
		conds = append(conds, "i.state IN (?"+strings.Repeat(", ?", len(f.States)-1)+")")
		for _, s := range f.States {
			args = append(args, s)
		}
	}
	if f.Tag != "" {
		conds, args = append(conds, "EXISTS (SELECT 1 FROM json_each(i.tags) WHERE value = ?)"), append(args, f.Tag)
	}
	if f.Pinned {
		conds = append(conds, "i.pinned = 1")
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func limitOf(f backend.InboxFilter) int {
	if f.Limit <= 0 || f.Limit > 1000 {
		return 100
	}
	return f.Limit
}

// InboxList returns the items matching f, alerts first, then newest first.
func (db *DB) InboxList(ctx context.Context, f backend.InboxFilter) ([]backend.InboxItem, error) {
	where, args := inboxWhere(f)
	args = append(args, limitOf(f), f.Offset)
	// The page's ids first, then their columns: SQLite computes a sorted
	// query's columns (the avatar and like lookups, the notification) for
	// every row it sorts, which is every match when the plan cannot read
	// them in order (one client's accounts), not only the page's.
	const order = ` ORDER BY i.alerted DESC, i.created_at DESC, i.id DESC`
	ids := `SELECT i.id` + inboxFrom + where + order + ` LIMIT ? OFFSET ?`
	if f.ClientID != 0 && f.AccountID == 0 {
		accounts, err := db.clientAccountIDs(ctx, f.ClientID)
		if err != nil {
			return nil, fmt.Errorf("inbox list: %w", err)
		}
		if len(accounts) == 0 {
			return []backend.InboxItem{}, nil
		}
		ids, args = clientPageIDs(f, accounts)
	}
	return db.inboxQuery(ctx, `SELECT `+inboxCols+inboxFrom+` WHERE i.id IN (`+ids+`)`+order, args...)
}

// clientPageIDs selects the ids of one page of a client's items: each
// account's first offset+limit items in list order, read through
// inbox_items_account_order (the kinds and states only filter, the +
// keeps SQLite off their indexes), then merged and cut to the page.
func clientPageIDs(f backend.InboxFilter, accounts []int64) (string, []any) {
	n := limitOf(f) + f.Offset
	parts := make([]string, len(accounts))
	var args []any
	for k, id := range accounts {
		g := f
		g.ClientID, g.AccountID = 0, id
		where, a := inboxWhere(g)
		where = strings.Replace(strings.Replace(where, "i.kind IN", "+i.kind IN", 1), "i.state IN", "+i.state IN", 1)
		parts[k] = `SELECT * FROM (SELECT i.id, i.alerted, i.created_at` + inboxFrom + where +
			` ORDER BY i.alerted DESC, i.created_at DESC, i.id DESC LIMIT ?)`
		args = append(append(args, a...), n)
	}
	return `SELECT id FROM (` + strings.Join(parts, ` UNION ALL `) + `) ORDER BY alerted DESC, created_at DESC, id DESC LIMIT ? OFFSET ?`,
		append(args, limitOf(f), f.Offset)
}

// InboxGet returns one item.
func (db *DB) InboxGet(ctx context.Context, id int64) (*backend.InboxItem, error) {
	it, err := scanInbox(db.db.QueryRowContext(ctx, `SELECT `+inboxCols+inboxFrom+` WHERE i.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.Errorf(backend.ENotFound, "inbox.not_found", "inbox item %d does not exist", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get inbox item %d: %w", id, err)
	}
	return &it, nil
}

// InboxUpdate changes items in one transaction.
func (db *DB) InboxUpdate(ctx context.Context, ids []int64, fn func(it *backend.InboxItem) error) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			it, err := scanInbox(tx.QueryRowContext(ctx, `SELECT `+inboxCols+inboxFrom+` WHERE i.id = ?`, id))
			if errors.Is(err, sql.ErrNoRows) {
				return backend.Errorf(backend.ENotFound, "inbox.not_found", "inbox item %d does not exist", id)
			}
			if err != nil {
				return fmt.Errorf("update inbox item %d: %w", id, err)
			}
			if err := fn(&it); err != nil {
				return err
			}
			if err := checkInboxItem(&it); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE inbox_items SET state = ?, snoozed_until = ?, tags = ?, pinned = ?, note = ?, first_reply_at = ?
				WHERE id = ?`, it.State, timeArg(it.SnoozedUntil), encodeList(it.Tags), it.Pinned, it.Note, timeArg(it.FirstReplyAt), id); err != nil {
				return fmt.Errorf("update inbox item %d: %w", id, err)
			}
		}
		return nil
	})
}

func checkInboxItem(it *backend.InboxItem) error {
	switch it.State {
	case backend.InboxNew, backend.InboxDone:
		it.SnoozedUntil = nil
	case backend.InboxSnoozed:
		if it.SnoozedUntil == nil {
			return backend.Errorf(backend.EInvalid, "inbox.snooze_time_required", "a snoozed item needs a time to come back").WithField("snoozedUntil")
		}
	default:
		return backend.Errorf(backend.EInvalid, "inbox.bad_state", "unknown inbox state %q", it.State)
	}
	return nil
}

// InboxMarkDone marks every item matching f done.
func (db *DB) InboxMarkDone(ctx context.Context, f backend.InboxFilter) ([]int64, error) {
	where, args := inboxWhere(f)
	cond := " WHERE i.state <> 'done'"
	if where != "" {
		cond = where + " AND i.state <> 'done'"
	}
	var ids []int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT i.id`+inboxFrom+cond, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE inbox_items SET state = 'done', snoozed_until = NULL WHERE id IN (SELECT i.id`+inboxFrom+cond+`)`, args...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("mark inbox done: %w", err)
	}
	return ids, nil
}

// InboxUnsnooze puts snoozed items due by now back to new.
func (db *DB) InboxUnsnooze(ctx context.Context, now time.Time) (int, *time.Time, error) {
	var n int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE inbox_items SET state = 'new', snoozed_until = NULL WHERE state = 'snoozed' AND snoozed_until <= ?`, formatTime(now))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, nil, fmt.Errorf("unsnooze inbox: %w", err)
	}
	var next sql.NullString
	if err := db.queryRow(ctx, `SELECT MIN(snoozed_until) FROM inbox_items WHERE state = 'snoozed'`).Scan(&next); err != nil {
		return int(n), nil, fmt.Errorf("unsnooze inbox: %w", err)
	}
	return int(n), nullableTime(next), nil
}

// InboxUnread counts the items not done per client (clients with none are
// left out). It sums the per-account counters that migration 0022's
// triggers keep, one row per account, instead of counting every item.
func (db *DB) InboxUnread(ctx context.Context) (map[int64]int, error) {
	rows, err := db.query(ctx, `SELECT a.client_id, SUM(u.n) FROM inbox_unread u JOIN accounts a ON a.id = u.account_id
		GROUP BY a.client_id HAVING SUM(u.n) > 0`)
	if err != nil {
		return nil, fmt.Errorf("inbox unread: %w", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var c int64
		var n int
		if err := rows.Scan(&c, &n); err != nil {
			return nil, err
		}
		out[c] = n
	}
	return out, rows.Err()
}

// InboxItemsForReport returns every item of the client's accounts that
// arrived in [from, to), oldest first (the monthly report, issue #15).
func (db *DB) InboxItemsForReport(ctx context.Context, clientID int64, from, to time.Time) ([]backend.InboxItem, error) {
	return db.inboxQuery(ctx, `SELECT `+inboxCols+inboxFrom+` WHERE a.client_id = ? AND i.arrived_at >= ? AND i.arrived_at < ?
		ORDER BY i.arrived_at, i.id`, clientID, formatTime(from), formatTime(to))
}
