package sqlite

import (
	"context"
	"fmt"
	"time"

	"pauta/backend"
)

var _ backend.AvatarStore = (*DB)(nil)

// avatarScan is how many of the newest items AvatarsDue looks at.
const avatarScan = 2000

// authorKeyExpr is an inbox item's author key: network + ":" + author id.
const authorKeyExpr = `a.network || ':' || json_extract(i.notification, '$.author.id')`

// AvatarsDue lists authors of recent items whose avatar is missing or stale.
func (db *DB) AvatarsDue(ctx context.Context, since, staleBefore time.Time, limit int) ([]backend.AvatarWant, error) {
	// Only the newest avatarScan items are looked at (through the
	// created_at index): a pass costs the same with 100,000 items stored.
	rows, err := db.db.QueryContext(ctx, `SELECT w.k, w.url, COALESCE(av.file, '') FROM (
			SELECT `+authorKeyExpr+` AS k, json_extract(i.notification, '$.author.avatarUrl') AS url, MAX(i.created_at) AS last
			FROM (SELECT id, account_id, notification, created_at FROM inbox_items WHERE created_at >= ? ORDER BY created_at DESC LIMIT ?) i
			JOIN accounts a ON a.id = i.account_id
			GROUP BY k
		) w LEFT JOIN inbox_avatars av ON av.author_key = w.k
		WHERE w.k IS NOT NULL AND w.url IS NOT NULL AND w.url <> '' AND (av.author_key IS NULL OR av.fetched_at <= ?)
		ORDER BY w.last DESC LIMIT ?`, formatTime(since), avatarScan, formatTime(staleBefore), limit)
	if err != nil {
		return nil, fmt.Errorf("avatars due: %w", err)
	}
	defer rows.Close()
	var out []backend.AvatarWant
	for rows.Next() {
		var w backend.AvatarWant
		if err := rows.Scan(&w.Key, &w.URL, &w.File); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// SaveAvatar records a fetch. A failed one keeps the file cached before
// (an avatar that was good yesterday still beats the initial).
func (db *DB) SaveAvatar(ctx context.Context, r backend.AvatarRecord) error {
	failures := 0
	if r.Failed {
		failures = 1
	}
	_, err := db.db.ExecContext(ctx, `INSERT INTO inbox_avatars (author_key, url, file, fetched_at, failures, error) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (author_key) DO UPDATE SET url = excluded.url, fetched_at = excluded.fetched_at, error = excluded.error,
			file = CASE WHEN ? THEN inbox_avatars.file ELSE excluded.file END,
			failures = CASE WHEN ? THEN inbox_avatars.failures + 1 ELSE 0 END`,
		r.Key, r.URL, r.File, formatTime(r.FetchedAt), failures, r.Error, r.Failed, r.Failed)
	if err != nil {
		return fmt.Errorf("save avatar: %w", err)
	}
	return nil
}

// AvatarFileUsed says whether any author's avatar is that file.
func (db *DB) AvatarFileUsed(ctx context.Context, file string) (bool, error) {
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM inbox_avatars WHERE file = ?`, file).Scan(&n); err != nil {
		return false, fmt.Errorf("avatar file used: %w", err)
	}
	return n > 0, nil
}
