package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"pauta/backend"
)

var _ backend.BrandKitStore = (*DB)(nil)

// Brand kits, kit files and edit templates (migration 0019).

// GetBrandKit returns a client's kit (empty when nothing was saved yet).
func (db *DB) GetBrandKit(ctx context.Context, clientID int64) (backend.BrandKit, error) {
	k := backend.BrandKit{ClientID: clientID, Colors: []string{}, Styles: map[string]backend.TextStyle{}, Assets: []backend.KitAsset{}}
	if err := db.clientExists(ctx, db.db, clientID); err != nil {
		return k, err
	}
	var colors, styles string
	err := db.db.QueryRowContext(ctx, `SELECT colors, styles FROM brand_kits WHERE client_id = ?`, clientID).Scan(&colors, &styles)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return k, fmt.Errorf("get brand kit: %w", err)
	}
	if err == nil {
		if json.Unmarshal([]byte(colors), &k.Colors) != nil || json.Unmarshal([]byte(styles), &k.Styles) != nil {
			return k, backend.Errorf(backend.EInternal, "kit.unreadable", "the brand kit of client %d is damaged", clientID)
		}
	}
	rows, err := db.db.QueryContext(ctx, `SELECT `+kitCols+` FROM brand_kit_assets WHERE client_id = ? ORDER BY kind, created_at, id`, clientID)
	if err != nil {
		return k, fmt.Errorf("list kit assets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanKitAsset(rows)
		if err != nil {
			return k, err
		}
		k.Assets = append(k.Assets, a)
	}
	return k, rows.Err()
}

const kitCols = `id, client_id, kind, name, hash, format, bytes, width, height, created_at`

func scanKitAsset(r rowScanner) (backend.KitAsset, error) {
	var a backend.KitAsset
	var created string
	err := r.Scan(&a.ID, &a.ClientID, &a.Kind, &a.Name, &a.Hash, &a.Format, &a.Bytes, &a.Width, &a.Height, &created)
	a.CreatedAt = parseTime(created)
	return a, err
}

type queryRower interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func (db *DB) clientExists(ctx context.Context, q queryRower, id int64) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM clients WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return backend.Errorf(backend.ENotFound, "client.not_found", "client %d does not exist", id)
	}
	return err
}

// SaveBrandKit replaces a client's colours and text styles.
func (db *DB) SaveBrandKit(ctx context.Context, clientID int64, colors []string, styles map[string]backend.TextStyle) error {
	colors, styles, err := backend.NormalizeKit(colors, styles)
	if err != nil {
		return err
	}
	cj, _ := json.Marshal(colors)
	sj, _ := json.Marshal(styles)
	return db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.clientExists(ctx, tx, clientID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO brand_kits (client_id, colors, styles, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (client_id) DO UPDATE SET colors = excluded.colors, styles = excluded.styles, updated_at = excluded.updated_at`,
			clientID, string(cj), string(sj), db.now())
		return err
	})
}

// AddKitAsset inserts a logo or font row.
func (db *DB) AddKitAsset(ctx context.Context, a *backend.KitAsset) (bool, error) {
	if a.Kind != backend.KitLogo && a.Kind != backend.KitFont {
		return false, backend.Errorf(backend.EInvalid, "kit.kind_invalid", "unknown kit file kind %q", a.Kind)
	}
	if !backend.ValidHash(a.Hash) {
		return false, backend.Errorf(backend.EInvalid, "media.hash_invalid", "bad content hash %q", a.Hash)
	}
	a.Name = strings.TrimSpace(a.Name)
	created := false
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.clientExists(ctx, tx, a.ClientID); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM brand_kit_assets WHERE client_id = ?`, a.ClientID).Scan(&n); err != nil {
			return err
		}
		now := db.now()
		res, err := tx.ExecContext(ctx, `INSERT INTO brand_kit_assets (client_id, kind, name, hash, format, bytes, width, height, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client_id, kind, hash) DO NOTHING`,
			a.ClientID, a.Kind, a.Name, a.Hash, a.Format, a.Bytes, a.Width, a.Height, now)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 1 {
			if n >= backend.MaxKitAssets {
				return backend.Errorf(backend.EInvalid, "kit.too_many_files", "a brand kit holds at most %d logos and fonts", backend.MaxKitAssets).WithParam("max", fmt.Sprint(backend.MaxKitAssets))
			}
			created = true
			a.ID, err = res.LastInsertId()
			a.CreatedAt = parseTime(now)
			return err
		}
		got, err := scanKitAsset(tx.QueryRowContext(ctx, `SELECT `+kitCols+` FROM brand_kit_assets WHERE client_id = ? AND kind = ? AND hash = ?`, a.ClientID, a.Kind, a.Hash))
		*a = got
		return err
	})
	return created, wrapMedia("add kit file", err)
}

// GetKitAsset returns one kit file's row.
func (db *DB) GetKitAsset(ctx context.Context, id int64) (*backend.KitAsset, error) {
	a, err := scanKitAsset(db.db.QueryRowContext(ctx, `SELECT `+kitCols+` FROM brand_kit_assets WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.Errorf(backend.ENotFound, "kit.file_not_found", "the brand kit has no file %d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get kit file: %w", err)
	}
	return &a, nil
}

// DeleteKitAsset removes a kit file's row (the caller removes the file
// once no row names it).
func (db *DB) DeleteKitAsset(ctx context.Context, id int64) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM brand_kit_assets WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return backend.Errorf(backend.ENotFound, "kit.file_not_found", "the brand kit has no file %d", id)
		}
		return nil
	})
}

// KitHashInUse reports whether a kit row still names the file.
func (db *DB) KitHashInUse(ctx context.Context, hash string) (bool, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM brand_kit_assets WHERE hash = ?`, hash).Scan(&n)
	return n > 0, err
}

// ListEditTemplates returns a client's templates by name.
func (db *DB) ListEditTemplates(ctx context.Context, clientID int64) ([]backend.EditTemplate, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, client_id, name, recipe, created_at FROM edit_templates WHERE client_id = ? ORDER BY name COLLATE NOCASE, id`, clientID)
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	defer rows.Close()
	out := []backend.EditTemplate{}
	for rows.Next() {
		var t backend.EditTemplate
		var created string
		if err := rows.Scan(&t.ID, &t.ClientID, &t.Name, &t.Recipe, &created); err != nil {
			return nil, err
		}
		t.CreatedAt = parseTime(created)
		out = append(out, t)
	}
	return out, rows.Err()
}

// SaveEditTemplate inserts t, or replaces the client's template of the same name.
func (db *DB) SaveEditTemplate(ctx context.Context, t *backend.EditTemplate) error {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" || len([]rune(t.Name)) > 80 {
		return backend.Errorf(backend.EInvalid, "kit.template_name", "a template needs a name of at most 80 characters").WithField("name")
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.clientExists(ctx, tx, t.ClientID); err != nil {
			return err
		}
		now := db.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO edit_templates (client_id, name, recipe, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (client_id, name) DO UPDATE SET recipe = excluded.recipe RETURNING id, created_at`,
			t.ClientID, t.Name, t.Recipe, now).Scan(&t.ID, &now)
		t.CreatedAt = parseTime(now)
		return err
	})
}

// DeleteEditTemplate removes a template.
func (db *DB) DeleteEditTemplate(ctx context.Context, id int64) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM edit_templates WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return backend.Errorf(backend.ENotFound, "kit.template_not_found", "template %d does not exist", id)
		}
		return nil
	})
}

// CreateEditedMedia inserts an edited image (SourceID and Recipe set).
func (db *DB) CreateEditedMedia(ctx context.Context, m *backend.Media) (bool, error) {
	if m.SourceID == 0 || m.Recipe == "" {
		return false, backend.Errorf(backend.EInternal, "media.edit_source", "an edited image needs its source and recipe")
	}
	return db.CreateMedia(ctx, m)
}

// UpdateEditedMedia points an edited image at a new rendering and recipe.
func (db *DB) UpdateEditedMedia(ctx context.Context, m *backend.Media) error {
	if err := m.Normalize(); err != nil {
		return err
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE media SET hash = ?, format = ?, bytes = ?, width = ?, height = ?, recipe = ?
			WHERE id = ? AND source_id IS NOT NULL`, m.Hash, m.Format, m.Bytes, m.Width, m.Height, m.Recipe, m.ID)
		if err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return backend.Errorf(backend.EConflict, "media.edit_duplicate", "the library already has an image with exactly these pixels")
			}
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return mediaNotFound(m.ID)
		}
		return nil
	})
	return wrapMedia("update edited media", err)
}
