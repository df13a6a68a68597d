package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"pauta/backend"
)

var _ backend.MediaStore = (*DB)(nil)

// mediaCols reads a media row with its use count: posts in the bin do not count.
const mediaCols = `m.id, m.client_id, m.hash, m.name, m.format, m.bytes, m.width, m.height, m.alt, m.focal_x, m.focal_y, m.created_at,
	coalesce(m.source_id, 0), m.recipe,
	(SELECT count(DISTINCT pm.post_id) FROM post_media pm JOIN posts p ON p.id = pm.post_id WHERE pm.media_id = m.id AND p.deleted_at IS NULL)`

type rowScanner interface{ Scan(dest ...any) error }

func scanMedia(r rowScanner) (backend.Media, error) {
	var m backend.Media
	var created string
	err := r.Scan(&m.ID, &m.ClientID, &m.Hash, &m.Name, &m.Format, &m.Bytes, &m.Width, &m.Height, &m.Alt, &m.FocalX, &m.FocalY, &created, &m.SourceID, &m.Recipe, &m.Uses)
	m.CreatedAt = parseTime(created)
	return m, err
}

func mediaNotFound(id int64) error {
	return backend.Errorf(backend.ENotFound, "media.not_found", "image %d does not exist", id)
}

// wrapMedia keeps domain errors and labels the others.
func wrapMedia(what string, err error) error {
	if err == nil {
		return nil
	}
	if e := (*backend.Error)(nil); errors.As(err, &e) {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}

// CreateMedia inserts m, or fills it from the client's existing image with
// the same content (created false).
func (db *DB) CreateMedia(ctx context.Context, m *backend.Media) (bool, error) {
	if err := m.Normalize(); err != nil {
		return false, err
	}
	now := db.now()
	created := false
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM clients WHERE id = ?`, m.ClientID).Scan(&one); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return backend.Errorf(backend.ENotFound, "client.not_found", "client %d does not exist", m.ClientID)
			}
			return err
		}
		var source any // NULL for an imported image
		if m.SourceID != 0 {
			source = m.SourceID
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO media (client_id, hash, name, format, bytes, width, height, alt, focal_x, focal_y, created_at, source_id, recipe)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client_id, hash) DO NOTHING`,
			m.ClientID, m.Hash, m.Name, m.Format, m.Bytes, m.Width, m.Height, m.Alt, m.FocalX, m.FocalY, now, source, m.Recipe)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			created = true
			m.ID, err = res.LastInsertId()
			m.CreatedAt = parseTime(now)
			return err
		}
		existing, err := scanMedia(tx.QueryRowContext(ctx, `SELECT `+mediaCols+` FROM media m WHERE m.client_id = ? AND m.hash = ?`, m.ClientID, m.Hash))
		if err != nil {
			return err
		}
		*m = existing
		return nil
	})
	return created, wrapMedia("create media", err)
}

// GetMedia returns one image.
func (db *DB) GetMedia(ctx context.Context, id int64) (*backend.Media, error) {
	m, err := scanMedia(db.db.QueryRowContext(ctx, `SELECT `+mediaCols+` FROM media m WHERE m.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, mediaNotFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("get media %d: %w", id, err)
	}
	return &m, nil
}

// ListMedia returns a client's images, newest first, those whose name or
// alt text contains search (case-insensitive, any script: filtered here, as
// SQLite's LIKE folds ASCII only; a library holds hundreds of rows, not millions).
func (db *DB) ListMedia(ctx context.Context, clientID int64, search string) ([]backend.Media, error) {
	all, err := db.queryMedia(ctx, "list media", `SELECT `+mediaCols+` FROM media m WHERE m.client_id = ? ORDER BY m.created_at DESC, m.id DESC`, clientID)
	s := strings.ToLower(strings.TrimSpace(search))
	if err != nil || s == "" {
		return all, err
	}
	out := []backend.Media{}
	for _, m := range all {
		if strings.Contains(strings.ToLower(m.Name), s) || strings.Contains(strings.ToLower(m.Alt), s) {
			out = append(out, m)
		}
	}
	return out, nil
}

func (db *DB) queryMedia(ctx context.Context, what, q string, args ...any) ([]backend.Media, error) {
	rows, err := db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	out := []backend.Media{}
	for rows.Next() {
		m, err := scanMedia(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// UpdateMediaMeta sets an image's alt text and focal point.
func (db *DB) UpdateMediaMeta(ctx context.Context, id int64, alt string, focalX, focalY float64) (*backend.Media, error) {
	if err := backend.CheckMediaMeta(&alt, &focalX, &focalY); err != nil {
		return nil, err
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE media SET alt = ?, focal_x = ?, focal_y = ? WHERE id = ?`, alt, focalX, focalY, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return mediaNotFound(id)
		}
		return nil
	})
	if err != nil {
		return nil, wrapMedia(fmt.Sprintf("update media %d", id), err)
	}
	return db.GetMedia(ctx, id)
}

// DeleteMedia removes an image unless a non-deleted post uses it.
func (db *DB) DeleteMedia(ctx context.Context, id int64) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		m, err := scanMedia(tx.QueryRowContext(ctx, `SELECT `+mediaCols+` FROM media m WHERE m.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return mediaNotFound(id)
		}
		if err != nil {
			return err
		}
		if m.Uses > 0 {
			return backend.Errorf(backend.EConflict, "media.in_use", "%s is used by %d posts", m.Name, m.Uses).
				WithParam("posts", strconv.Itoa(m.Uses)).WithParam("name", m.Name)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM media WHERE id = ?`, id)
		return err
	})
	return wrapMedia(fmt.Sprintf("delete media %d", id), err)
}

// UnusedMedia lists a client's images no non-deleted post carries, oldest first.
func (db *DB) UnusedMedia(ctx context.Context, clientID int64) ([]backend.Media, error) {
	return db.queryMedia(ctx, "unused media", `SELECT `+mediaCols+` FROM media m WHERE m.client_id = ?
		AND NOT EXISTS (SELECT 1 FROM post_media pm JOIN posts p ON p.id = pm.post_id WHERE pm.media_id = m.id AND p.deleted_at IS NULL)
		ORDER BY m.created_at, m.id`, clientID)
}

// HashInUse reports whether any library still holds the file with this hash.
func (db *DB) HashInUse(ctx context.Context, hash string) (bool, error) {
	var one int
	err := db.db.QueryRowContext(ctx, `SELECT 1 FROM media WHERE hash = ? LIMIT 1`, hash).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("media hash in use: %w", err)
	}
	return true, nil
}

// SetPostMedia replaces a post's images, in the given order.
func (db *DB) SetPostMedia(ctx context.Context, postID int64, items []backend.PostMedia) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var client int64
		err := tx.QueryRowContext(ctx, `SELECT client_id FROM posts WHERE id = ? AND deleted_at IS NULL`, postID).Scan(&client)
		if errors.Is(err, sql.ErrNoRows) {
			return backend.Errorf(backend.ENotFound, "post.not_found", "post %d does not exist", postID)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM post_media WHERE post_id = ?`, postID); err != nil {
			return err
		}
		seen := map[int64]bool{}
		for i, it := range items {
			if seen[it.MediaID] {
				continue
			}
			seen[it.MediaID] = true
			var owner int64
			err := tx.QueryRowContext(ctx, `SELECT client_id FROM media WHERE id = ?`, it.MediaID).Scan(&owner)
			if errors.Is(err, sql.ErrNoRows) {
				return mediaNotFound(it.MediaID)
			}
			if err != nil {
				return err
			}
			if owner != client {
				return backend.Errorf(backend.EInvalid, "media.other_client", "image %d belongs to another client", it.MediaID)
			}
			presets := "{}"
			if len(it.Presets) > 0 {
				for n := range it.Presets {
					if !n.Valid() {
						return backend.Errorf(backend.EInvalid, "account.network_invalid", "%q is not a supported network", n).WithParam("network", string(n))
					}
				}
				b, _ := json.Marshal(it.Presets)
				presets = string(b)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO post_media (post_id, media_id, position, presets) VALUES (?, ?, ?, ?)`,
				postID, it.MediaID, i, presets); err != nil {
				return err
			}
		}
		return nil
	})
	return wrapMedia(fmt.Sprintf("set images of post %d", postID), err)
}

// ListPostMedia returns a post's images in order.
func (db *DB) ListPostMedia(ctx context.Context, postID int64) ([]backend.PostMedia, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT post_id, media_id, position, presets FROM post_media WHERE post_id = ? ORDER BY position`, postID)
	if err != nil {
		return nil, fmt.Errorf("list images of post %d: %w", postID, err)
	}
	defer rows.Close()
	out := []backend.PostMedia{}
	for rows.Next() {
		var pm backend.PostMedia
		var presets string
		if err := rows.Scan(&pm.PostID, &pm.MediaID, &pm.Position, &presets); err != nil {
			return nil, fmt.Errorf("list images of post %d: %w", postID, err)
		}
		pm.Presets = map[backend.Network]string{}
		_ = json.Unmarshal([]byte(presets), &pm.Presets)
		out = append(out, pm)
	}
	return out, rows.Err()
}
