package sqlite

import "context"

// CountRows counts a table's rows (tests of all-or-nothing writes).
func (db *DB) CountRows(ctx context.Context, table string) (int, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n)
	return n, err
}

// MarkPublishedForTest records a post's variants as sent by Pauta.
func (db *DB) MarkPublishedForTest(ctx context.Context, postID int64, url string) error {
	_, err := db.db.ExecContext(ctx, `UPDATE variants SET state = 'published', remote_id = '1', remote_url = ? WHERE post_id = ?`, url, postID)
	return err
}
