package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"pauta/backend"
)

const accountCols = `id, client_id, network, handle, display_name, connection, service_url, remote_id, limits, created_at,
	server_schedules, schedules_probed_at`

func scanAccount(row interface{ Scan(...any) error }) (*backend.Account, error) {
	var a backend.Account
	var limits, created string
	var probed sql.NullString
	if err := row.Scan(&a.ID, &a.ClientID, &a.Network, &a.Handle, &a.DisplayName, &a.Connection, &a.ServiceURL, &a.RemoteID, &limits, &created,
		&a.ServerSchedules, &probed); err != nil {
		return nil, err
	}
	a.SchedulesProbedAt = nullableTime(probed)
	_ = json.Unmarshal([]byte(limits), &a.Limits)
	a.CreatedAt = parseTime(created)
	return &a, nil
}

func encodeLimits(l backend.AccountLimits) string {
	b, _ := json.Marshal(l)
	return string(b)
}

// GetAccount returns one account or a not_found error.
func (db *DB) GetAccount(ctx context.Context, id int64) (*backend.Account, error) {
	a, err := scanAccount(db.db.QueryRowContext(ctx, `SELECT `+accountCols+` FROM accounts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.Errorf(backend.ENotFound, "account.not_found", "account %d does not exist", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get account %d: %w", id, err)
	}
	return a, nil
}

// UpdateAccountConnection records an account's connection state, server,
// limits and whether the server holds scheduled posts.
func (db *DB) UpdateAccountConnection(ctx context.Context, a *backend.Account) error {
	var n int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE accounts SET connection = ?, service_url = ?, remote_id = ?, limits = ?, display_name = ?,
			server_schedules = ?, schedules_probed_at = ? WHERE id = ?`,
			a.Connection, a.ServiceURL, a.RemoteID, encodeLimits(a.Limits), a.DisplayName, a.ServerSchedules, timeArg(a.SchedulesProbedAt), a.ID)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("update account %d: %w", a.ID, err)
	}
	if n == 0 {
		return backend.Errorf(backend.ENotFound, "account.not_found", "account %d does not exist", a.ID)
	}
	return nil
}

// ListAccounts returns a client's accounts (all accounts for clientID 0).
func (db *DB) ListAccounts(ctx context.Context, clientID int64) ([]backend.Account, error) {
	q := `SELECT ` + accountCols + ` FROM accounts`
	var args []any
	if clientID != 0 {
		q += ` WHERE client_id = ?`
		args = append(args, clientID)
	}
	q += ` ORDER BY client_id, network, handle COLLATE NOCASE`
	rows, err := db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	defer rows.Close()
	out := []backend.Account{}
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("list accounts: %w", err)
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}

// CreateAccount validates and inserts a. The same handle on the same network
// twice for one client is a conflict.
func (db *DB) CreateAccount(ctx context.Context, a *backend.Account) error {
	if err := a.Normalize(); err != nil {
		return err
	}
	now := db.now()
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO accounts (client_id, network, handle, display_name, connection, service_url, remote_id, limits, created_at,
			server_schedules, schedules_probed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ClientID, a.Network, a.Handle, a.DisplayName, a.Connection, a.ServiceURL, a.RemoteID, encodeLimits(a.Limits), now,
			a.ServerSchedules, timeArg(a.SchedulesProbedAt))
		if err != nil {
			return err
		}
		a.ID, err = res.LastInsertId()
		return err
	})
	switch {
	case isUnique(err):
		return backend.Errorf(backend.EConflict, "account.duplicate", "this client already has %s on %s", a.Handle, a.Network).
			WithField("handle").WithParam("handle", a.Handle).WithParam("network", string(a.Network))
	case isForeignKey(err):
		return backend.Errorf(backend.ENotFound, "client.not_found", "client %d does not exist", a.ClientID)
	case err != nil:
		return fmt.Errorf("create account: %w", err)
	}
	a.CreatedAt = parseTime(now)
	return nil
}

// DeleteAccount removes an account and its variants in one transaction.
// Scheduled posts that would be left with no account become drafts.
func (db *DB) DeleteAccount(ctx context.Context, id int64) error {
	var n int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT post_id FROM variants WHERE account_id = ?`, id)
		if err != nil {
			return err
		}
		var posts []int64
		for rows.Next() {
			var p int64
			if err := rows.Scan(&p); err != nil {
				rows.Close()
				return err
			}
			posts = append(posts, p)
		}
		rows.Close()
		res, err := tx.ExecContext(ctx, `DELETE FROM accounts WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		now := db.now()
		for _, p := range posts {
			if _, err := tx.ExecContext(ctx, `UPDATE posts SET status = 'draft', updated_at = ?
				WHERE id = ? AND status = 'scheduled' AND NOT EXISTS (SELECT 1 FROM variants WHERE post_id = posts.id)`, now, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete account %d: %w", id, err)
	}
	if n == 0 {
		return backend.Errorf(backend.ENotFound, "account.not_found", "account %d does not exist", id)
	}
	return nil
}

// SetServerSchedules records whether the account's server holds scheduled
// posts (backend.ServerSchedulesYes/No/Unknown) and when it was asked.
func (db *DB) SetServerSchedules(ctx context.Context, accountID int64, value string, probedAt time.Time) error {
	switch value {
	case backend.ServerSchedulesUnknown, backend.ServerSchedulesYes, backend.ServerSchedulesNo:
	default:
		return backend.Errorf(backend.EInvalid, "internal", "unknown server schedules value %q", value)
	}
	at := probedAt.UTC().Truncate(time.Second)
	res, err := db.db.ExecContext(ctx, `UPDATE accounts SET server_schedules = ?, schedules_probed_at = ? WHERE id = ?`, value, timeArg(&at), accountID)
	if err != nil {
		return fmt.Errorf("set server schedules of account %d: %w", accountID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return backend.Errorf(backend.ENotFound, "account.not_found", "account %d does not exist", accountID)
	}
	return nil
}
