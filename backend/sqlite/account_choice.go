package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"pauta/backend"
)

// AccountChoice returns the accounts last picked for a new post of the
// client, in account order (migration 0020). An account removed since is
// gone from the choice (ON DELETE CASCADE).
func (db *DB) AccountChoice(ctx context.Context, clientID int64) ([]int64, bool, error) {
	var at string
	err := db.db.QueryRowContext(ctx, `SELECT updated_at FROM client_account_choice_set WHERE client_id = ?`, clientID).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return []int64{}, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("account choice: %w", err)
	}
	rows, err := db.db.QueryContext(ctx, `SELECT account_id FROM client_account_choice WHERE client_id = ? ORDER BY account_id`, clientID)
	if err != nil {
		return nil, false, fmt.Errorf("account choice: %w", err)
	}
	defer rows.Close()
	ids := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, false, fmt.Errorf("account choice: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, true, rows.Err()
}

// SetAccountChoice replaces the client's remembered choice, in one
// transaction; an account of another client is refused.
func (db *DB) SetAccountChoice(ctx context.Context, clientID int64, ids []int64) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM clients WHERE id = ?`, clientID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return backend.Errorf(backend.ENotFound, "client.not_found", "client %d does not exist", clientID).WithField("client")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM client_account_choice WHERE client_id = ?`, clientID); err != nil {
			return err
		}
		for _, id := range ids {
			var owner int64
			err := tx.QueryRowContext(ctx, `SELECT client_id FROM accounts WHERE id = ?`, id).Scan(&owner)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && owner != clientID) {
				return backend.Errorf(backend.EInvalid, "post.account_other_client", "account %d belongs to another client", id).WithField("accounts")
			}
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO client_account_choice (client_id, account_id) VALUES (?, ?)`, clientID, id); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO client_account_choice_set (client_id, updated_at) VALUES (?, ?)
			ON CONFLICT (client_id) DO UPDATE SET updated_at = excluded.updated_at`, clientID, db.now())
		return err
	})
}
