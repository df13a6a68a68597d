package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"pauta/backend"
)

// ListSlots returns the slots of a client's accounts (all clients for 0).
func (db *DB) ListSlots(ctx context.Context, clientID int64) ([]backend.Slot, error) {
	q := `SELECT s.id, s.account_id, s.weekday, s.minute FROM slots s JOIN accounts a ON a.id = s.account_id`
	var args []any
	if clientID != 0 {
		q += ` WHERE a.client_id = ?`
		args = append(args, clientID)
	}
	q += ` ORDER BY s.account_id, s.weekday, s.minute`
	rows, err := db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list slots: %w", err)
	}
	defer rows.Close()
	out := []backend.Slot{}
	for rows.Next() {
		var s backend.Slot
		if err := rows.Scan(&s.ID, &s.AccountID, &s.Weekday, &s.Minute); err != nil {
			return nil, fmt.Errorf("list slots: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// SetSlots replaces an account's weekly slots in one transaction.
func (db *DB) SetSlots(ctx context.Context, accountID int64, slots []backend.Slot) error {
	for _, s := range slots {
		if err := s.Validate(); err != nil {
			return err
		}
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM accounts WHERE id = ?`, accountID).Scan(&one); err != nil {
			if err == sql.ErrNoRows {
				return backend.Errorf(backend.ENotFound, "account.not_found", "account %d does not exist", accountID)
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM slots WHERE account_id = ?`, accountID); err != nil {
			return err
		}
		for _, s := range slots {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO slots (account_id, weekday, minute) VALUES (?, ?, ?)`, accountID, s.Weekday, s.Minute); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		if backend.ErrorCode(err) != backend.EInternal {
			return err
		}
		return fmt.Errorf("set slots of account %d: %w", accountID, err)
	}
	return nil
}

// ListHashtagSets returns a client's hashtag sets by name.
func (db *DB) ListHashtagSets(ctx context.Context, clientID int64) ([]backend.HashtagSet, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, client_id, name, tags FROM hashtag_sets WHERE client_id = ? ORDER BY name COLLATE NOCASE`, clientID)
	if err != nil {
		return nil, fmt.Errorf("list hashtag sets: %w", err)
	}
	defer rows.Close()
	out := []backend.HashtagSet{}
	for rows.Next() {
		var h backend.HashtagSet
		if err := rows.Scan(&h.ID, &h.ClientID, &h.Name, &h.Tags); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// SaveHashtagSet creates (ID 0) or updates a hashtag set.
func (db *DB) SaveHashtagSet(ctx context.Context, h *backend.HashtagSet) error {
	if err := h.Normalize(); err != nil {
		return err
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if h.ID == 0 {
			res, err := tx.ExecContext(ctx, `INSERT INTO hashtag_sets (client_id, name, tags) VALUES (?, ?, ?)`, h.ClientID, h.Name, h.Tags)
			if err != nil {
				return err
			}
			h.ID, err = res.LastInsertId()
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE hashtag_sets SET name = ?, tags = ? WHERE id = ? AND client_id = ?`, h.Name, h.Tags, h.ID, h.ClientID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return backend.Errorf(backend.ENotFound, "hashtags.not_found", "hashtag set %d does not exist", h.ID)
		}
		return nil
	})
	switch {
	case isUnique(err):
		return backend.Errorf(backend.EConflict, "hashtags.name_taken", "a hashtag set called %q already exists", h.Name).WithField("name").WithParam("name", h.Name)
	case isForeignKey(err):
		return backend.Errorf(backend.ENotFound, "client.not_found", "client %d does not exist", h.ClientID)
	case err != nil && backend.ErrorCode(err) == backend.EInternal:
		return fmt.Errorf("save hashtag set: %w", err)
	}
	return err
}

// DeleteHashtagSet removes a hashtag set.
func (db *DB) DeleteHashtagSet(ctx context.Context, id int64) error {
	return db.deleteRow(ctx, "hashtag_sets", id, "hashtags.not_found")
}

// ListTemplates returns a client's templates by name.
func (db *DB) ListTemplates(ctx context.Context, clientID int64) ([]backend.Template, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, client_id, name, text, first_comment, labels, created_at FROM templates WHERE client_id = ? ORDER BY name COLLATE NOCASE`, clientID)
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	defer rows.Close()
	out := []backend.Template{}
	for rows.Next() {
		var t backend.Template
		var labels, created string
		if err := rows.Scan(&t.ID, &t.ClientID, &t.Name, &t.Text, &t.FirstComment, &labels, &created); err != nil {
			return nil, err
		}
		t.Labels, t.CreatedAt = decodeList(labels), parseTime(created)
		out = append(out, t)
	}
	return out, rows.Err()
}

// SaveTemplate creates (ID 0) or updates a template.
func (db *DB) SaveTemplate(ctx context.Context, t *backend.Template) error {
	if err := t.Normalize(); err != nil {
		return err
	}
	now := db.now()
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if t.ID == 0 {
			res, err := tx.ExecContext(ctx, `INSERT INTO templates (client_id, name, text, first_comment, labels, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				t.ClientID, t.Name, t.Text, t.FirstComment, encodeList(t.Labels), now)
			if err != nil {
				return err
			}
			t.ID, err = res.LastInsertId()
			t.CreatedAt = parseTime(now)
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE templates SET name = ?, text = ?, first_comment = ?, labels = ? WHERE id = ? AND client_id = ?`,
			t.Name, t.Text, t.FirstComment, encodeList(t.Labels), t.ID, t.ClientID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return backend.Errorf(backend.ENotFound, "template.not_found", "template %d does not exist", t.ID)
		}
		return nil
	})
	switch {
	case isUnique(err):
		return backend.Errorf(backend.EConflict, "template.name_taken", "a template called %q already exists", t.Name).WithField("name").WithParam("name", t.Name)
	case isForeignKey(err):
		return backend.Errorf(backend.ENotFound, "client.not_found", "client %d does not exist", t.ClientID)
	case err != nil && backend.ErrorCode(err) == backend.EInternal:
		return fmt.Errorf("save template: %w", err)
	}
	return err
}

// DeleteTemplate removes a template.
func (db *DB) DeleteTemplate(ctx context.Context, id int64) error {
	return db.deleteRow(ctx, "templates", id, "template.not_found")
}

// ListLabels returns the labels a client's posts use, most used first.
func (db *DB) ListLabels(ctx context.Context, clientID int64) ([]string, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT l.label, count(*) FROM post_labels l JOIN posts p ON p.id = l.post_id
		WHERE p.client_id = ? AND p.deleted_at IS NULL GROUP BY l.label COLLATE NOCASE`, clientID)
	if err != nil {
		return nil, fmt.Errorf("list labels: %w", err)
	}
	defer rows.Close()
	type lc struct {
		l string
		n int
	}
	var ls []lc
	for rows.Next() {
		var x lc
		if err := rows.Scan(&x.l, &x.n); err != nil {
			return nil, err
		}
		ls = append(ls, x)
	}
	sort.SliceStable(ls, func(i, j int) bool {
		if ls[i].n != ls[j].n {
			return ls[i].n > ls[j].n
		}
		return ls[i].l < ls[j].l
	})
	out := make([]string, 0, len(ls))
	for _, x := range ls {
		out = append(out, x.l)
	}
	return out, rows.Err()
}

// deleteRow deletes one row of a small table by id.
func (db *DB) deleteRow(ctx context.Context, table string, id int64, notFoundKey string) error {
	var n int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE id = ?`, id)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("delete from %s %d: %w", table, id, err)
	}
	if n == 0 {
		return backend.Errorf(backend.ENotFound, notFoundKey, "%s %d does not exist", table, id)
	}
	return nil
}
