package sqlite

import (
	"context"
	"database/sql"
)

// CreateAtVersion creates a database at path with the migrations up to
// version only: the schema an older Pauta left behind.
func CreateAtVersion(ctx context.Context, path string, version int) error {
	sqldb, err := sql.Open("sqlite", fileDSN(path, nil))
	if err != nil {
		return err
	}
	defer sqldb.Close()
	db := &DB{db: sqldb, path: path}
	return db.migrateTo(ctx, version)
}

// SetSummaryChunk sets how many items InboxSummaries reads per page, and
// returns the function that puts it back.
func SetSummaryChunk(n int) func() {
	old := summaryChunk
	summaryChunk = n
	return func() { summaryChunk = old }
}
