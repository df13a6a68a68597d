package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"pauta/backend"
)

var _ backend.FiguresImportStore = (*DB)(nil)

// FigureTargets lists the account's published variants with their figures.
func (db *DB) FigureTargets(ctx context.Context, accountID int64) ([]backend.FigureTarget, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT p.id, v.id, v.account_id, CASE WHEN trim(v.text) != '' THEN v.text ELSE p.base_text END,
		v.remote_url, v.published_at, COALESCE(v.due_at, p.scheduled_at),
		m.variant_id IS NOT NULL, COALESCE(m.replies, 0), COALESCE(m.reposts, 0), COALESCE(m.likes, 0), COALESCE(m.quotes, 0), m.reach, m.saves,
		COALESCE(m.source, ''), COALESCE(m.fetched_at, '')
		FROM variants v JOIN posts p ON p.id = v.post_id LEFT JOIN post_metrics m ON m.variant_id = v.id
		WHERE v.account_id = ? AND p.deleted_at IS NULL AND v.state = 'published'
		ORDER BY `+publishedAtExpr+`, v.id`, accountID)
	if err != nil {
		return nil, fmt.Errorf("figure targets: %w", err)
	}
	defer rows.Close()
	out := []backend.FigureTarget{}
	for rows.Next() {
		var t backend.FigureTarget
		var pub, due sql.NullString
		var has bool
		var f backend.Figures
		var reach, saves sql.NullInt64
		var fetched string
		if err := rows.Scan(&t.PostID, &t.VariantID, &t.AccountID, &t.Text, &t.URL, &pub, &due,
			&has, &f.Replies, &f.Reposts, &f.Likes, &f.Quotes, &reach, &saves, &f.Source, &fetched); err != nil {
			return nil, fmt.Errorf("figure targets: %w", err)
		}
		t.PublishedAt, t.DueAt = nullableTime(pub), nullableTime(due)
		if has {
			f.Reach, f.Saves, f.FetchedAt = nullInt(reach), nullInt(saves), parseTime(fetched)
			t.Figures = &f
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// SaveManualMetricsAll stores figures for several published manual variants
// in one transaction: one refused variant and nothing is written.
func (db *DB) SaveManualMetricsAll(ctx context.Context, updates []backend.ManualUpdate) error {
	for _, u := range updates {
		if err := checkManual(u.Figures); err != nil {
			return err
		}
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		for _, u := range updates {
			if err := saveManual(ctx, tx, u.VariantID, u.Figures, db.now()); err != nil {
				return err
			}
		}
		return nil
	})
}
