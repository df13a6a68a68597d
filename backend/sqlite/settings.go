package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"pauta/backend"
)

// GetSetting returns a setting's value and whether it is set.
func (db *DB) GetSetting(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := db.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("get setting %s: %w", key, err)
	}
	return v, true, nil
}

// SetSetting stores a setting.
func (db *DB) SetSetting(ctx context.Context, key, value string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
		if err != nil {
			return fmt.Errorf("set setting %s: %w", key, err)
		}
		return nil
	})
}

// WorkspaceIDKey is the setting holding the workspace's random identity
// (created with the database by migration 0009; the calendar export and
// the keychain names read the same setting).
const WorkspaceIDKey = backend.WorkspaceIDKey

// WorkspaceID returns the workspace's random identity.
func (db *DB) WorkspaceID(ctx context.Context) (string, error) {
	id, ok, err := db.GetSetting(ctx, WorkspaceIDKey)
	if err != nil {
		return "", err
	}
	if !ok || id == "" {
		return "", backend.Errorf(backend.EInternal, "internal", "the database %s has no workspace id", db.path)
	}
	return id, nil
}
