// Package sqlite stores Pauta's data in one SQLite file (modernc.org/sqlite,
// no cgo). Every pooled connection gets foreign keys, a busy timeout and WAL
// from the DSN; every change runs in one transaction.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"pauta/backend"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// timeLayout is how instants are stored: UTC, fixed width, so text order is time order.
const timeLayout = "2006-01-02T15:04:05Z"

// DB is the SQLite-backed store. It implements backend.Store.
type DB struct {
	db       *sql.DB
	path     string
	clock    backend.Clock
	readOnly bool     // OpenReadOnly: every change is refused before it reaches SQLite
	stmts    sync.Map // query → *sql.Stmt (see prepared)
}

var _ backend.Store = (*DB)(nil)

// Open opens (creating if needed) the database at path and migrates it.
// A database from a newer Pauta is refused with backend.ENewerSchema.
func Open(ctx context.Context, path string, clock backend.Clock) (*DB, error) {
	if clock == nil {
		clock = backend.SystemClock{}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, backend.Errorf(backend.EUnavailable, "store.dir", "cannot create the data folder %s: %v", filepath.Dir(path), err).WithParam("path", filepath.Dir(path))
	}
	if err := createPrivate(path); err != nil {
		return nil, backend.Errorf(backend.EUnavailable, "store.open", "cannot open the database %s: %v", path, err).WithParam("path", path)
	}
	q := url.Values{}
	for _, p := range []string{"foreign_keys(1)", "busy_timeout(5000)", "journal_mode(WAL)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	sqldb, err := sql.Open("sqlite", fileDSN(path, q))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// The inbox reads three queries side by side (items, summaries, counts):
	// keep that many connections open, since a new one costs its pragmas and
	// a fresh read of the schema. Not more: each keeps its own page cache
	// (start-up memory, #18).
	sqldb.SetMaxIdleConns(3)
	db := &DB{db: sqldb, path: path, clock: clock}
	if err := db.migrate(ctx); err != nil {
		sqldb.Close()
		return nil, err
	}
	if err := db.ensureWorkspaceID(ctx); err != nil {
		sqldb.Close()
		return nil, err
	}
	return db, nil
}

func fileDSN(path string, q url.Values) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// createPrivate creates the database file 0600 before SQLite does (SQLite
// would follow the umask, usually 0644, and gives the -wal and -shm files the
// database's own mode), and takes group and other access off an existing one:
// it holds the clients' plans and the accounts' names.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		return f.Close()
	}
	if !errors.Is(err, fs.ErrExist) {
		return err
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if st, err := os.Stat(p); err == nil && st.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(p, st.Mode().Perm()&0o700); err != nil && p == path {
				return err
			}
		}
	}
	return nil
}

// ensureWorkspaceID gives the workspace its random identity (the calendar
// export's UID namespace) when it is opened for writing, so a read-only
// export never needs to write it.
func (db *DB) ensureWorkspaceID(ctx context.Context) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, lower(hex(randomblob(16)))) ON CONFLICT (key) DO NOTHING`, backend.WorkspaceIDKey)
		return err
	})
}

// Close closes the cached statements and the database.
func (db *DB) Close() error {
	db.stmts.Range(func(_, st any) bool { st.(*sql.Stmt).Close(); return true })
	return db.db.Close()
}

// Path is the database file.
func (db *DB) Path() string { return db.path }

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		n, err := strconv.Atoi(strings.SplitN(e.Name(), "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", e.Name())
		}
		b, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{n, e.Name(), string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// SchemaVersion is the newest migration this build knows.
func SchemaVersion() int {
	ms, _ := loadMigrations()
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

func (db *DB) migrate(ctx context.Context) error { return db.migrateTo(ctx, SchemaVersion()) }

// migrateTo applies the migrations up to version upTo (tests build older schemas with it).
func (db *DB) migrateTo(ctx context.Context, upTo int) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	var cur int
	if err := db.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
		return classifyOpen(db.path, err)
	}
	if latest := SchemaVersion(); cur > latest {
		return backend.Errorf(backend.ENewerSchema, "store.newer_schema",
			"the database %s was written by a newer version of Pauta (schema %d, this version knows %d); update Pauta to open it", db.path, cur, latest).
			WithParam("path", db.path)
	}
	for _, m := range ms {
		if m.version <= cur || m.version > upTo {
			continue
		}
		err := db.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if strings.Contains(m.sql, "writable_schema") {
				// The migration edited sqlite_schema in place: bump the
				// schema cookie so every connection reloads the schema.
				var v int
				if err := tx.QueryRowContext(ctx, "PRAGMA schema_version").Scan(&v); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA schema_version = %d", v+1)); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func classifyOpen(path string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_NOTADB || se.Code() == sqlite3.SQLITE_CORRUPT) {
		return backend.Errorf(backend.EUnavailable, "store.corrupt", "%s is not a Pauta database or is damaged: %v", path, err).WithParam("path", path)
	}
	return backend.Errorf(backend.EUnavailable, "store.open", "cannot open the database %s: %v", path, err).WithParam("path", path)
}

// tx runs fn in one transaction, committing on nil and rolling back otherwise.
func (db *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	if db.readOnly {
		return backend.Errorf(backend.EUnavailable, "store.read_only",
			"the workspace %s is open read-only here; make the change in Pauta itself", filepath.Dir(db.path)).WithParam("path", filepath.Dir(db.path))
	}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// snapshot runs fn's reads on one connection inside one read transaction,
// so queries that belong together see the same state of the workspace.
// A plain BEGIN: deferred, it takes no write lock (tx's BEGIN IMMEDIATE
// would wait for a writer).
func (db *DB) snapshot(ctx context.Context, fn func(*sql.Conn) error) error {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return err
	}
	err = fn(conn)
	// Only reads happened: ending the transaction cannot lose anything. It
	// runs without ctx, so a cancelled call still ends it; a connection
	// that cannot end it is dropped, never handed back to the pool inside
	// a transaction (the next BEGIN on it would fail).
	if _, cerr := conn.ExecContext(context.Background(), "COMMIT"); cerr != nil {
		if _, rerr := conn.ExecContext(context.Background(), "ROLLBACK"); rerr != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		if err == nil {
			err = cerr
		}
	}
	return err
}

func (db *DB) now() string { return db.clock.Now().UTC().Format(timeLayout) }

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeLayout, s)
	return t
}

func isUnique(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

func isForeignKey(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// Pragmas reports foreign_keys, busy_timeout and journal_mode as one pooled
// connection sees them (diagnostics and tests).
func (db *DB) Pragmas(ctx context.Context) (foreignKeys, busyTimeout int, journalMode string, err error) {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return 0, 0, "", err
	}
	defer conn.Close()
	if err = conn.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&foreignKeys); err != nil {
		return
	}
	if err = conn.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busyTimeout); err != nil {
		return
	}
	err = conn.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&journalMode)
	return
}

// encodeList stores a string list as a JSON array.
func encodeList(l []string) string {
	if len(l) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(l)
	return string(b)
}

func decodeList(s string) []string {
	out := []string{}
	_ = json.Unmarshal([]byte(s), &out)
	if out == nil {
		out = []string{}
	}
	return out
}
