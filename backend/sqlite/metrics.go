package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"pauta/backend"
)

var _ backend.MetricsStore = (*DB)(nil)

// publishedAt is when a published variant went out: the network's answer,
// else the time it was due (a manual post marked published).
const publishedAtExpr = `COALESCE(v.published_at, v.due_at, p.scheduled_at)`

// MetricsTargets lists published variants of connected Mastodon and Bluesky
// accounts published at or after since.
func (db *DB) MetricsTargets(ctx context.Context, since time.Time) ([]backend.MetricsTarget, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT v.id, v.remote_id, v.remote_uri, v.remote_cid, v.remote_url, `+publishedAtExpr+`,
		m.fetched_at, COALESCE(m.deleted, 0), COALESCE(m.source, ''), `+prefixed("a.", accountCols)+`
		FROM variants v JOIN posts p ON p.id = v.post_id JOIN accounts a ON a.id = v.account_id
		LEFT JOIN post_metrics m ON m.variant_id = v.id
		WHERE v.state = 'published' AND p.deleted_at IS NULL AND p.kind <> 'like' AND a.network IN ('mastodon', 'bluesky') AND a.connection = 'connected'
		  AND (v.remote_id != '' OR v.remote_uri != '') AND `+publishedAtExpr+` >= ?
		ORDER BY v.id`, formatTime(since))
	if err != nil {
		return nil, fmt.Errorf("metrics targets: %w", err)
	}
	defer rows.Close()
	var out []backend.MetricsTarget
	for rows.Next() {
		var t backend.MetricsTarget
		var pub string
		var fetched sql.NullString
		var source string
		var acc accountRow
		dest := append([]any{&t.VariantID, &t.Ref.ID, &t.Ref.URI, &t.Ref.CID, &t.Ref.URL, &pub, &fetched, &t.Deleted, &source}, acc.dest()...)
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("metrics targets: %w", err)
		}
		if source == backend.SourceManual {
			continue // the user's figures are never overwritten
		}
		t.Account = acc.account()
		t.PublishedAt = parseTime(pub)
		t.FetchedAt = nullableTime(fetched)
		out = append(out, t)
	}
	return out, rows.Err()
}

func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// accountRow scans accountCols inside a wider row.
type accountRow struct {
	a       backend.Account
	limits  string
	created string
	probed  sql.NullString
}

func (r *accountRow) dest() []any {
	a := &r.a
	return []any{&a.ID, &a.ClientID, &a.Network, &a.Handle, &a.DisplayName, &a.Connection, &a.ServiceURL, &a.RemoteID, &r.limits, &r.created,
		&a.ServerSchedules, &r.probed}
}

func (r *accountRow) account() backend.Account {
	a := r.a
	a.SchedulesProbedAt = nullableTime(r.probed)
	_ = json.Unmarshal([]byte(r.limits), &a.Limits)
	a.CreatedAt = parseTime(r.created)
	return a
}

// SaveNetworkMetrics stores fetched figures. A deleted status keeps its last
// figures; manual figures are never replaced.
func (db *DB) SaveNetworkMetrics(ctx context.Context, variantID int64, m backend.PostMetrics, at time.Time) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if m.Deleted {
			_, err = tx.ExecContext(ctx, `INSERT INTO post_metrics (variant_id, source, deleted, fetched_at) VALUES (?, 'network', 1, ?)
				ON CONFLICT (variant_id) DO UPDATE SET deleted = 1, fetched_at = excluded.fetched_at WHERE source = 'network'`,
				variantID, formatTime(at))
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO post_metrics (variant_id, replies, reposts, likes, quotes, source, deleted, fetched_at)
				VALUES (?, ?, ?, ?, ?, 'network', 0, ?)
				ON CONFLICT (variant_id) DO UPDATE SET replies = excluded.replies, reposts = excluded.reposts, likes = excluded.likes,
				  quotes = excluded.quotes, deleted = 0, fetched_at = excluded.fetched_at WHERE source = 'network'`,
				variantID, max(m.Replies, 0), max(m.Reposts, 0), max(m.Likes, 0), max(m.Quotes, 0), formatTime(at))
		}
		if isForeignKey(err) {
			return nil // the post was removed meanwhile
		}
		if err != nil {
			return fmt.Errorf("save figures of variant %d: %w", variantID, err)
		}
		return nil
	})
}

// SaveManualMetrics stores figures typed by the user for a published
// variant of a manual network. Negative numbers are refused.
func (db *DB) SaveManualMetrics(ctx context.Context, variantID int64, f backend.ManualFigures) error {
	if err := checkManual(f); err != nil {
		return err
	}
	return db.tx(ctx, func(tx *sql.Tx) error { return saveManual(ctx, tx, variantID, f, db.now()) })
}

// checkManual refuses negative figures, naming the field.
func checkManual(f backend.ManualFigures) error {
	for _, x := range []struct {
		field string
		v     *int
	}{{"likes", f.Likes}, {"comments", f.Comments}, {"shares", f.Shares}, {"reach", f.Reach}, {"saves", f.Saves}} {
		if x.v != nil && *x.v < 0 {
			return backend.Errorf(backend.EInvalid, "report.figure_negative", "a figure cannot be negative").WithField(x.field)
		}
	}
	return nil
}

// saveManual writes one published manual variant's figures inside tx.
func saveManual(ctx context.Context, tx *sql.Tx, variantID int64, f backend.ManualFigures, now string) error {
	var state, network string
	err := tx.QueryRowContext(ctx, `SELECT v.state, a.network FROM variants v JOIN accounts a ON a.id = v.account_id WHERE v.id = ?`, variantID).Scan(&state, &network)
	if errors.Is(err, sql.ErrNoRows) {
		return backend.Errorf(backend.ENotFound, "report.variant_not_found", "that post is no longer there")
	}
	if err != nil {
		return fmt.Errorf("save figures: %w", err)
	}
	if state != string(backend.OutboxPublished) {
		return backend.Errorf(backend.EInvalid, "report.not_published", "figures can be entered once the post is published")
	}
	if backend.Network(network).Direct() {
		return backend.Errorf(backend.EInvalid, "report.figures_fetched", "Pauta reads this network's figures by itself")
	}
	n := func(p *int) int {
		if p == nil {
			return 0
		}
		return *p
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO post_metrics (variant_id, replies, reposts, likes, quotes, reach, saves, source, deleted, fetched_at)
		VALUES (?, ?, ?, ?, 0, ?, ?, 'manual', 0, ?)
		ON CONFLICT (variant_id) DO UPDATE SET replies = excluded.replies, reposts = excluded.reposts, likes = excluded.likes,
		  quotes = 0, reach = excluded.reach, saves = excluded.saves, source = 'manual', deleted = 0, fetched_at = excluded.fetched_at`,
		variantID, n(f.Comments), n(f.Shares), n(f.Likes), intArg(f.Reach), intArg(f.Saves), now)
	if err != nil {
		return fmt.Errorf("save figures of variant %d: %w", variantID, err)
	}
	return nil
}

// SaveFollowers records a snapshot unless the account has one for that day.
func (db *DB) SaveFollowers(ctx context.Context, s backend.FollowerSnapshot) (bool, error) {
	wrote := false
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO follower_snapshots (account_id, day, followers, taken_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (account_id, day) DO NOTHING`, s.AccountID, s.Day, max(s.Followers, 0), formatTime(s.TakenAt))
		if isForeignKey(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("save followers of account %d: %w", s.AccountID, err)
		}
		n, _ := res.RowsAffected()
		wrote = n > 0
		return nil
	})
	return wrote, err
}

// HasFollowers reports whether the account has a snapshot for day.
func (db *DB) HasFollowers(ctx context.Context, accountID int64, day string) (bool, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM follower_snapshots WHERE account_id = ? AND day = ?`, accountID, day).Scan(&n)
	return n > 0, err
}

// Followers lists the snapshots of the client's accounts, day in [from, to].
func (db *DB) Followers(ctx context.Context, clientID int64, from, to string) ([]backend.FollowerSnapshot, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT f.account_id, f.day, f.followers, f.taken_at FROM follower_snapshots f
		JOIN accounts a ON a.id = f.account_id WHERE a.client_id = ? AND f.day >= ? AND f.day <= ? ORDER BY f.account_id, f.day`, clientID, from, to)
	if err != nil {
		return nil, fmt.Errorf("followers: %w", err)
	}
	defer rows.Close()
	out := []backend.FollowerSnapshot{}
	for rows.Next() {
		var s backend.FollowerSnapshot
		var taken string
		if err := rows.Scan(&s.AccountID, &s.Day, &s.Followers, &taken); err != nil {
			return nil, fmt.Errorf("followers: %w", err)
		}
		s.TakenAt = parseTime(taken)
		out = append(out, s)
	}
	return out, rows.Err()
}

// ReportPosts lists the client's variants published in [from, to), oldest first.
func (db *DB) ReportPosts(ctx context.Context, clientID int64, from, to time.Time) ([]backend.ReportPost, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT p.id, v.id, a.id, a.network, a.handle, CASE WHEN trim(v.text) != '' THEN v.text ELSE p.base_text END,
		v.remote_url, `+publishedAtExpr+`,
		COALESCE((SELECT pm.media_id FROM post_media pm WHERE pm.post_id = p.id ORDER BY pm.position LIMIT 1), 0),
		m.variant_id IS NOT NULL, COALESCE(m.replies, 0), COALESCE(m.reposts, 0), COALESCE(m.likes, 0), COALESCE(m.quotes, 0), m.reach, m.saves,
		COALESCE(m.source, ''), COALESCE(m.deleted, 0), COALESCE(m.fetched_at, '')
		FROM variants v JOIN posts p ON p.id = v.post_id JOIN accounts a ON a.id = v.account_id
		LEFT JOIN post_metrics m ON m.variant_id = v.id
		WHERE p.client_id = ? AND p.deleted_at IS NULL AND p.kind <> 'like' AND v.state = 'published'
		  AND `+publishedAtExpr+` >= ? AND `+publishedAtExpr+` < ?
		ORDER BY `+publishedAtExpr+`, v.id`, clientID, formatTime(from), formatTime(to))
	if err != nil {
		return nil, fmt.Errorf("report posts: %w", err)
	}
	defer rows.Close()
	out := []backend.ReportPost{}
	for rows.Next() {
		var r backend.ReportPost
		var pub, fetched string
		var has bool
		var f backend.Figures
		var reach, saves sql.NullInt64
		if err := rows.Scan(&r.PostID, &r.VariantID, &r.AccountID, &r.Network, &r.Handle, &r.Text, &r.URL, &pub, &r.MediaID,
			&has, &f.Replies, &f.Reposts, &f.Likes, &f.Quotes, &reach, &saves, &f.Source, &f.Deleted, &fetched); err != nil {
			return nil, fmt.Errorf("report posts: %w", err)
		}
		r.PublishedAt = parseTime(pub)
		if has {
			f.Reach, f.Saves = nullInt(reach), nullInt(saves)
			f.FetchedAt = parseTime(fetched)
			r.Figures = &f
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func nullInt(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

func intArg(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// GetObjectives returns the client's targets for month (empty when none set).
func (db *DB) GetObjectives(ctx context.Context, clientID int64, month string) (*backend.Objectives, error) {
	o := &backend.Objectives{ClientID: clientID, Month: month, PostsPerNetwork: map[backend.Network]int{}}
	var ppn string
	var inter, gained, resp sql.NullInt64
	err := db.db.QueryRowContext(ctx, `SELECT posts_per_network, interactions, followers_gained, first_response_minutes
		FROM report_objectives WHERE client_id = ? AND month = ?`, clientID, month).Scan(&ppn, &inter, &gained, &resp)
	if errors.Is(err, sql.ErrNoRows) {
		return o, nil
	}
	if err != nil {
		return nil, fmt.Errorf("objectives: %w", err)
	}
	_ = json.Unmarshal([]byte(ppn), &o.PostsPerNetwork)
	o.Interactions, o.FollowersGained, o.FirstResponseMinutes = nullInt(inter), nullInt(gained), nullInt(resp)
	return o, nil
}

// SaveObjectives stores a client's targets for a month.
func (db *DB) SaveObjectives(ctx context.Context, o *backend.Objectives) error {
	if err := o.Normalize(); err != nil {
		return err
	}
	b, _ := json.Marshal(o.PostsPerNetwork)
	return db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO report_objectives (client_id, month, posts_per_network, interactions, followers_gained, first_response_minutes, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client_id, month) DO UPDATE SET posts_per_network = excluded.posts_per_network,
			interactions = excluded.interactions, followers_gained = excluded.followers_gained,
			first_response_minutes = excluded.first_response_minutes, updated_at = excluded.updated_at`,
			o.ClientID, o.Month, string(b), intArg(o.Interactions), intArg(o.FollowersGained), intArg(o.FirstResponseMinutes), db.now())
		if isForeignKey(err) {
			return backend.Errorf(backend.ENotFound, "client.not_found", "client %d does not exist", o.ClientID)
		}
		return err
	})
}

// GetReportText returns the CM's texts for a period (empty when none).
func (db *DB) GetReportText(ctx context.Context, clientID int64, from, to string) (*backend.ReportText, error) {
	t := &backend.ReportText{ClientID: clientID, From: from, To: to}
	err := db.db.QueryRowContext(ctx, `SELECT summary, plan FROM report_texts WHERE client_id = ? AND period_from = ? AND period_to = ?`,
		clientID, from, to).Scan(&t.Summary, &t.Plan)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("report text: %w", err)
	}
	return t, nil
}

// SaveReportText stores the CM's texts for a period.
func (db *DB) SaveReportText(ctx context.Context, t *backend.ReportText) error {
	if err := t.Normalize(); err != nil {
		return err
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO report_texts (client_id, period_from, period_to, summary, plan, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (client_id, period_from, period_to) DO UPDATE SET summary = excluded.summary, plan = excluded.plan, updated_at = excluded.updated_at`,
			t.ClientID, t.From, t.To, t.Summary, t.Plan, db.now())
		if isForeignKey(err) {
			return backend.Errorf(backend.ENotFound, "client.not_found", "client %d does not exist", t.ClientID)
		}
		return err
	})
}
