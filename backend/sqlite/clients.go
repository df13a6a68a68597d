package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"pauta/backend"
)

const clientCols = `id, name, color, time_zone, language, guidelines, banned_words, required_tags, archived, require_approval, created_at, updated_at`

func scanClient(row interface{ Scan(...any) error }) (*backend.Client, error) {
	var c backend.Client
	var created, updated, banned, required string
	if err := row.Scan(&c.ID, &c.Name, &c.Color, &c.TimeZone, &c.Language, &c.Guidelines, &banned, &required, &c.Archived, &c.RequireApproval, &created, &updated); err != nil {
		return nil, err
	}
	c.BannedWords, c.RequiredTags = decodeList(banned), decodeList(required)
	c.CreatedAt, c.UpdatedAt = parseTime(created), parseTime(updated)
	return &c, nil
}

// ListClients returns clients by name; archived ones only when asked.
func (db *DB) ListClients(ctx context.Context, includeArchived bool) ([]backend.Client, error) {
	q := `SELECT ` + clientCols + ` FROM clients`
	if !includeArchived {
		q += ` WHERE archived = 0`
	}
	q += ` ORDER BY name COLLATE NOCASE`
	rows, err := db.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("list clients: %w", err)
	}
	defer rows.Close()
	out := []backend.Client{}
	for rows.Next() {
		c, err := scanClient(rows)
		if err != nil {
			return nil, fmt.Errorf("list clients: %w", err)
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// GetClient returns one client or a not_found error.
func (db *DB) GetClient(ctx context.Context, id int64) (*backend.Client, error) {
	c, err := scanClient(db.db.QueryRowContext(ctx, `SELECT `+clientCols+` FROM clients WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.Errorf(backend.ENotFound, "client.not_found", "client %d does not exist", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get client %d: %w", id, err)
	}
	return c, nil
}

// FindClientByName returns the client with that name (case-insensitive).
func (db *DB) FindClientByName(ctx context.Context, name string) (*backend.Client, error) {
	c, err := scanClient(db.db.QueryRowContext(ctx, `SELECT `+clientCols+` FROM clients WHERE name = ? COLLATE NOCASE`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.Errorf(backend.ENotFound, "client.not_found_name", "no client is called %q", name).WithParam("name", name)
	}
	if err != nil {
		return nil, fmt.Errorf("find client %q: %w", name, err)
	}
	return c, nil
}

func nameTaken(name string) error {
	return backend.Errorf(backend.EConflict, "client.name_taken", "a client called %q already exists", name).WithField("name").WithParam("name", name)
}

// CreateClient validates and inserts c, filling its ID and timestamps.
func (db *DB) CreateClient(ctx context.Context, c *backend.Client) error {
	if err := c.Normalize(); err != nil {
		return err
	}
	now := db.now()
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO clients (name, color, time_zone, language, guidelines, banned_words, required_tags, archived, require_approval, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.Name, c.Color, c.TimeZone, c.Language, c.Guidelines, encodeList(c.BannedWords), encodeList(c.RequiredTags), c.Archived, c.RequireApproval, now, now)
		if err != nil {
			return err
		}
		c.ID, err = res.LastInsertId()
		return err
	})
	if isUnique(err) {
		return nameTaken(c.Name)
	}
	if err != nil {
		return fmt.Errorf("create client: %w", err)
	}
	c.CreatedAt, c.UpdatedAt = parseTime(now), parseTime(now)
	return nil
}

// UpdateClient validates and saves c's editable fields.
func (db *DB) UpdateClient(ctx context.Context, c *backend.Client) error {
	if err := c.Normalize(); err != nil {
		return err
	}
	now := db.now()
	var n int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE clients SET name = ?, color = ?, time_zone = ?, language = ?, guidelines = ?, banned_words = ?, required_tags = ?, archived = ?, require_approval = ?, updated_at = ?
			WHERE id = ?`, c.Name, c.Color, c.TimeZone, c.Language, c.Guidelines, encodeList(c.BannedWords), encodeList(c.RequiredTags), c.Archived, c.RequireApproval, now, c.ID)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if isUnique(err) {
		return nameTaken(c.Name)
	}
	if err != nil {
		return fmt.Errorf("update client %d: %w", c.ID, err)
	}
	if n == 0 {
		return backend.Errorf(backend.ENotFound, "client.not_found", "client %d does not exist", c.ID)
	}
	c.UpdatedAt = parseTime(now)
	return nil
}

// SetClientArchived archives or restores a client. Its posts are kept.
func (db *DB) SetClientArchived(ctx context.Context, id int64, archived bool) error {
	var n int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE clients SET archived = ?, updated_at = ? WHERE id = ?`, archived, db.now(), id)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("archive client %d: %w", id, err)
	}
	if n == 0 {
		return backend.Errorf(backend.ENotFound, "client.not_found", "client %d does not exist", id)
	}
	return nil
}
