package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"

	"pauta/backend"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// OpenReadOnly opens an existing database for reading only, never creating,
// migrating or writing it: for commands that run while Pauta has the
// workspace open (a reader sees the writer's committed data, WAL included),
// and for a database whose file or folder is read-only. A database of
// another schema than this build's is refused rather than migrated.
func OpenReadOnly(ctx context.Context, path string, clock backend.Clock) (*DB, error) {
	if clock == nil {
		clock = backend.SystemClock{}
	}
	if _, err := os.Stat(path); err != nil {
		return nil, classifyOpen(path, err)
	}
	q := url.Values{}
	q.Set("mode", "ro")
	for _, p := range []string{"foreign_keys(1)", "busy_timeout(5000)"} {
		q.Add("_pragma", p)
	}
	db, err := openRO(ctx, path, q, clock)
	if err != nil && cannotOpen(err) && !walHasData(path) {
		// A WAL database in a folder we cannot write: SQLite cannot create
		// the -shm index. With no WAL content to read, nobody is writing it
		// and the main file is the whole truth, so it can be read as immutable.
		q.Set("immutable", "1")
		db, err = openRO(ctx, path, q, clock)
	}
	if err != nil {
		return nil, classifyOpen(path, err)
	}
	if err := db.checkSchema(ctx); err != nil {
		db.db.Close()
		return nil, err
	}
	return db, nil
}

func openRO(ctx context.Context, path string, q url.Values, clock backend.Clock) (*DB, error) {
	sqldb, err := sql.Open("sqlite", fileDSN(path, q))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// Reading the schema version reads the header and the WAL index: the
	// first point where an unopenable database shows.
	var v int
	if err := sqldb.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		sqldb.Close()
		return nil, err
	}
	return &DB{db: sqldb, path: path, clock: clock, readOnly: true}, nil
}

// cannotOpen reports the errors of a WAL database whose -shm index cannot
// be created or written (SQLITE_CANTOPEN, SQLITE_READONLY and their variants).
func cannotOpen(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	c := se.Code() & 0xff
	return c == sqlite3.SQLITE_CANTOPEN || c == sqlite3.SQLITE_READONLY
}

func walHasData(path string) bool {
	st, err := os.Stat(path + "-wal")
	return err == nil && st.Size() > 0
}

// checkSchema refuses a database this build would have to migrate (older) or
// cannot read (newer): a read-only open must not change it.
func (db *DB) checkSchema(ctx context.Context) error {
	var cur int
	if err := db.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
		return classifyOpen(db.path, err)
	}
	latest := SchemaVersion()
	switch {
	case cur > latest:
		return backend.Errorf(backend.ENewerSchema, "store.newer_schema",
			"the database %s was written by a newer version of Pauta (schema %d, this version knows %d); update Pauta to open it", db.path, cur, latest).
			WithParam("path", db.path)
	case cur < latest:
		return backend.Errorf(backend.EUnavailable, "store.older_schema",
			"the database %s was written by an older version of Pauta (schema %d, this version needs %d); open it once in Pauta to update it", db.path, cur, latest).
			WithParam("path", db.path)
	}
	return nil
}
