package sqlite

import (
	"context"

	"pauta/backend"
)

// BackupTo writes a consistent copy of the database to path (which must not
// exist) with VACUUM INTO: one read transaction, so a running Pauta keeps
// writing meanwhile and the copy is the state at one instant. It works on a
// read-only store too.
func (db *DB) BackupTo(ctx context.Context, path string) error {
	if _, err := db.db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return backend.Errorf(backend.EUnavailable, "backup.failed", "cannot copy the database to %s: %v", path, err).WithParam("path", path)
	}
	return nil
}
