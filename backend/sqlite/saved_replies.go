package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"pauta/backend"
)

// ListSavedReplies returns the client's saved replies and the shared ones
// (clientID 0: the shared ones only), crisis ones first, by title.
func (db *DB) ListSavedReplies(ctx context.Context, clientID int64) ([]backend.SavedReply, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, COALESCE(client_id, 0), title, text, tags, crisis, created_at, updated_at
		FROM saved_replies WHERE client_id IS NULL OR client_id = ? ORDER BY crisis DESC, title COLLATE NOCASE, id`, clientID)
	if err != nil {
		return nil, fmt.Errorf("list saved replies: %w", err)
	}
	defer rows.Close()
	out := []backend.SavedReply{}
	for rows.Next() {
		var r backend.SavedReply
		var tags, created, updated string
		if err := rows.Scan(&r.ID, &r.ClientID, &r.Title, &r.Text, &tags, &r.Crisis, &created, &updated); err != nil {
			return nil, fmt.Errorf("list saved replies: %w", err)
		}
		r.Tags, r.CreatedAt, r.UpdatedAt = decodeList(tags), parseTime(created), parseTime(updated)
		out = append(out, r)
	}
	return out, rows.Err()
}

func clientArg(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// SaveSavedReply creates (ID 0) or updates a saved reply.
func (db *DB) SaveSavedReply(ctx context.Context, r *backend.SavedReply) error {
	if err := r.Validate(); err != nil {
		return err
	}
	now := db.now()
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if r.ID == 0 {
			res, err := tx.ExecContext(ctx, `INSERT INTO saved_replies (client_id, title, text, tags, crisis, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, clientArg(r.ClientID), r.Title, r.Text, encodeList(r.Tags), r.Crisis, now, now)
			if err != nil {
				return err
			}
			r.ID, _ = res.LastInsertId()
			r.CreatedAt = parseTime(now)
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE saved_replies SET client_id = ?, title = ?, text = ?, tags = ?, crisis = ?, updated_at = ? WHERE id = ?`,
				clientArg(r.ClientID), r.Title, r.Text, encodeList(r.Tags), r.Crisis, now, r.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return backend.Errorf(backend.ENotFound, "inbox.saved_not_found", "saved reply %d does not exist", r.ID)
			}
		}
		r.UpdatedAt = parseTime(now)
		return nil
	})
	if isForeignKey(err) {
		return backend.Errorf(backend.ENotFound, "client.not_found", "client %d does not exist", r.ClientID)
	}
	return err
}

// DeleteSavedReply removes a saved reply.
func (db *DB) DeleteSavedReply(ctx context.Context, id int64) error {
	return db.deleteRow(ctx, "saved_replies", id, "inbox.saved_not_found")
}

// InboxClientSettings returns a client's alert words and tags (the default
// tags until edited).
func (db *DB) InboxClientSettings(ctx context.Context, clientID int64) (backend.InboxClientSettings, error) {
	s := backend.InboxClientSettings{ClientID: clientID}
	var words, tags, watch string
	err := db.queryRow(ctx, `SELECT alert_words, tags, watch FROM inbox_client WHERE client_id = ?`, clientID).Scan(&words, &tags, &watch)
	if errors.Is(err, sql.ErrNoRows) {
		s.Clean()
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("inbox settings of client %d: %w", clientID, err)
	}
	s.AlertWords, s.Tags, s.Watch = decodeList(words), decodeList(tags), decodeList(watch)
	s.Clean()
	return s, nil
}

// SetInboxClientSettings writes a client's alert words and tags.
func (db *DB) SetInboxClientSettings(ctx context.Context, s *backend.InboxClientSettings) error {
	s.Clean()
	err := db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO inbox_client (client_id, alert_words, tags, watch, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (client_id) DO UPDATE SET alert_words = excluded.alert_words, tags = excluded.tags, watch = excluded.watch,
			updated_at = excluded.updated_at`,
			s.ClientID, encodeList(s.AlertWords), encodeList(s.Tags), encodeList(s.Watch), db.now())
		return err
	})
	if isForeignKey(err) {
		return backend.Errorf(backend.ENotFound, "client.not_found", "client %d does not exist", s.ClientID)
	}
	return err
}
