package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"pauta/backend"
)

var _ backend.ImportStore = (*DB)(nil)

// ApplyImport writes every post of b, its labels, variants and images, and
// the import's record, in one transaction: the first failure leaves the
// workspace as it was. A failing post's error carries param "index" (its
// position in b.Posts).
func (db *DB) ApplyImport(ctx context.Context, b *backend.ImportBatch) (backend.ImportRecord, error) {
	now := db.now()
	rec := backend.ImportRecord{ClientID: b.ClientID, Label: b.Label, FileName: b.FileName, Posts: len(b.Posts), CreatedAt: parseTime(now)}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM clients WHERE id = ?`, b.ClientID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return backend.Errorf(backend.ENotFound, "client.not_found", "client %d does not exist", b.ClientID)
		} else if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO imports (client_id, label, file_name, posts, created_at) VALUES (?, ?, ?, ?, ?)`,
			b.ClientID, b.Label, b.FileName, len(b.Posts), now)
		if err != nil {
			return err
		}
		if rec.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		added := map[int64]bool{}
		for i := range b.Posts {
			if err := db.importPost(ctx, tx, rec.ID, b, &b.Posts[i], now, added); err != nil {
				if e := (*backend.Error)(nil); errors.As(err, &e) {
					return e.WithParam("index", strconv.Itoa(i))
				}
				return fmt.Errorf("post %d of the import: %w", i, err)
			}
		}
		return nil
	})
	if err != nil {
		if e := (*backend.Error)(nil); errors.As(err, &e) {
			return backend.ImportRecord{}, err
		}
		return backend.ImportRecord{}, fmt.Errorf("apply import: %w", err)
	}
	return rec, nil
}

func (db *DB) importPost(ctx context.Context, tx *sql.Tx, importID int64, b *backend.ImportBatch, ip *backend.ImportPost, now string, added map[int64]bool) error {
	p := &ip.Post
	if p.ClientID != b.ClientID {
		return backend.Errorf(backend.EInvalid, "post.client_change", "a post of the import belongs to another client")
	}
	if b.Label != "" {
		p.Labels = append(p.Labels, b.Label)
	}
	if err := checkPost(ctx, tx, p); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO posts (client_id, status, base_text, first_comment, scheduled_at, time_zone, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.ClientID, p.Status, p.BaseText, p.FirstComment, nullTime(p), p.TimeZone, now, now)
	if err != nil {
		return err
	}
	if p.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	p.CreatedAt, p.UpdatedAt = parseTime(now), parseTime(now)
	if err := writeChildren(ctx, tx, p); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO import_posts (import_id, post_id) VALUES (?, ?)`, importID, p.ID); err != nil {
		return err
	}
	linked := map[int64]bool{}
	for k := range ip.Media {
		m := &ip.Media[k]
		m.ClientID = p.ClientID
		if err := m.Normalize(); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO media (client_id, hash, name, format, bytes, width, height, alt, focal_x, focal_y, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client_id, hash) DO NOTHING`,
			m.ClientID, m.Hash, m.Name, m.Format, m.Bytes, m.Width, m.Height, m.Alt, m.FocalX, m.FocalY, now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			if m.ID, err = res.LastInsertId(); err != nil {
				return err
			}
			added[m.ID] = true
			if _, err := tx.ExecContext(ctx, `INSERT INTO import_media (import_id, media_id) VALUES (?, ?)`, importID, m.ID); err != nil {
				return err
			}
		} else if err := tx.QueryRowContext(ctx, `SELECT id FROM media WHERE client_id = ? AND hash = ?`, m.ClientID, m.Hash).Scan(&m.ID); err != nil {
			return err
		}
		if linked[m.ID] {
			continue
		}
		linked[m.ID] = true
		if _, err := tx.ExecContext(ctx, `INSERT INTO post_media (post_id, media_id, position, presets) VALUES (?, ?, ?, '{}')`, p.ID, m.ID, len(linked)-1); err != nil {
			return err
		}
	}
	return nil
}

// UndoImport moves the import's posts to the bin (so a schedule already
// handed to a Mastodon instance is cancelled like any deleted post's) and
// removes the images the import added that no other post uses.
func (db *DB) UndoImport(ctx context.Context, id int64) (int, []backend.Media, error) {
	now := db.now()
	var removed int64
	var dropped []backend.Media
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var undone sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT undone_at FROM imports WHERE id = ?`, id).Scan(&undone)
		if errors.Is(err, sql.ErrNoRows) {
			return backend.Errorf(backend.ENotFound, "import.not_found", "import %d does not exist", id)
		}
		if err != nil {
			return err
		}
		if undone.Valid {
			return backend.Errorf(backend.EConflict, "import.already_undone", "this import was undone already")
		}
		var sent int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM variants v JOIN import_posts ip ON ip.post_id = v.post_id
			WHERE ip.import_id = ? AND (v.state = 'sending' OR v.remote_id != '' OR v.remote_url != '')`, id).Scan(&sent); err != nil {
			return err
		}
		if sent > 0 {
			return backend.Errorf(backend.EConflict, "import.published", "%d posts of this import have gone out already: delete the others one by one", sent).
				WithParam("count", strconv.Itoa(sent))
		}
		res, err := tx.ExecContext(ctx, `UPDATE posts SET deleted_at = ?, updated_at = ?
			WHERE deleted_at IS NULL AND id IN (SELECT post_id FROM import_posts WHERE import_id = ?)`, now, now, id)
		if err != nil {
			return err
		}
		if removed, err = res.RowsAffected(); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `DELETE FROM media WHERE id IN (SELECT media_id FROM import_media WHERE import_id = ?)
			AND NOT EXISTS (SELECT 1 FROM post_media pm JOIN posts p ON p.id = pm.post_id WHERE pm.media_id = media.id AND p.deleted_at IS NULL)
			RETURNING id, client_id, hash, format`, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var m backend.Media
			if err := rows.Scan(&m.ID, &m.ClientID, &m.Hash, &m.Format); err != nil {
				rows.Close()
				return err
			}
			dropped = append(dropped, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE imports SET undone_at = ? WHERE id = ?`, now, id)
		return err
	})
	if err != nil {
		if e := (*backend.Error)(nil); errors.As(err, &e) {
			return 0, nil, err
		}
		return 0, nil, fmt.Errorf("undo import %d: %w", id, err)
	}
	return int(removed), dropped, nil
}

// ListImports returns a client's imports, newest first.
func (db *DB) ListImports(ctx context.Context, clientID int64) ([]backend.ImportRecord, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, client_id, label, file_name, posts, created_at, undone_at FROM imports
		WHERE client_id = ? ORDER BY created_at DESC, id DESC`, clientID)
	if err != nil {
		return nil, fmt.Errorf("list imports: %w", err)
	}
	defer rows.Close()
	out := []backend.ImportRecord{}
	for rows.Next() {
		var r backend.ImportRecord
		var created string
		var undone sql.NullString
		if err := rows.Scan(&r.ID, &r.ClientID, &r.Label, &r.FileName, &r.Posts, &created, &undone); err != nil {
			return nil, fmt.Errorf("list imports: %w", err)
		}
		r.CreatedAt = parseTime(created)
		if undone.Valid {
			t := parseTime(undone.String)
			r.UndoneAt = &t
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
