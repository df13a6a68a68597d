package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"pauta/backend"
)

var _ backend.ArchiveStore = (*DB)(nil)

// ReadClientArchive reads a client and everything it owns, in a stable
// order (so two exports of the same content are equal). Deleted posts stay out.
func (db *DB) ReadClientArchive(ctx context.Context, clientID int64) (*backend.ClientArchive, error) {
	c, err := db.GetClient(ctx, clientID)
	if err != nil {
		return nil, err
	}
	a := &backend.ClientArchive{Client: backend.ArchiveClient{Name: c.Name, Color: c.Color, TimeZone: c.TimeZone, Language: c.Language,
		Guidelines: c.Guidelines, BannedWords: c.BannedWords, RequiredTags: c.RequiredTags},
		Accounts: []backend.ArchiveAccount{}, Posts: []backend.ArchivePost{}, Media: []backend.ArchiveMedia{},
		Slots: []backend.ArchiveSlot{}, HashtagSets: []backend.ArchiveTags{}, Templates: []backend.ArchiveTmpl{}}
	accs, err := db.ListAccounts(ctx, clientID)
	if err != nil {
		return nil, err
	}
	key := map[int64]string{}
	for _, ac := range accs {
		k := backend.AccountKey(ac.Network, ac.Handle)
		key[ac.ID] = k
		a.Accounts = append(a.Accounts, backend.ArchiveAccount{Key: k, Network: ac.Network, Handle: ac.Handle, DisplayName: ac.DisplayName,
			ServiceURL: ac.ServiceURL, Limits: ac.Limits})
	}
	sort.Slice(a.Accounts, func(i, j int) bool { return a.Accounts[i].Key < a.Accounts[j].Key })

	posts, err := db.ListPosts(ctx, backend.PostFilter{ClientID: clientID, Ideas: true})
	if err != nil {
		return nil, err
	}
	for _, p := range posts {
		ap := backend.ArchivePost{Status: p.Status, BaseText: p.BaseText, FirstComment: p.FirstComment, ScheduledAt: p.ScheduledAt,
			TimeZone: p.TimeZone, Labels: p.Labels, Sequence: p.Sequence, CreatedAt: p.CreatedAt, Variants: []backend.ArchiveVariant{}, Media: []string{}}
		rows, err := db.db.QueryContext(ctx, `SELECT v.account_id, v.text, v.first_comment, v.state, v.remote_url, v.published_at,
			m.replies, m.reposts, m.likes, m.quotes, m.reach, m.saves, m.source, m.deleted, m.fetched_at
			FROM variants v LEFT JOIN post_metrics m ON m.variant_id = v.id WHERE v.post_id = ? ORDER BY v.id`, p.ID)
		if err != nil {
			return nil, fmt.Errorf("archive post %d: %w", p.ID, err)
		}
		for rows.Next() {
			var acc int64
			var v backend.ArchiveVariant
			var published, source, fetched sql.NullString
			var replies, reposts, likes, quotes, reach, saves sql.NullInt64
			var deleted sql.NullBool
			if err := rows.Scan(&acc, &v.Text, &v.FirstComment, &v.State, &v.RemoteURL, &published,
				&replies, &reposts, &likes, &quotes, &reach, &saves, &source, &deleted, &fetched); err != nil {
				rows.Close()
				return nil, err
			}
			if source.Valid {
				f := &backend.ArchiveFigures{Replies: int(replies.Int64), Reposts: int(reposts.Int64), Likes: int(likes.Int64), Quotes: int(quotes.Int64),
					Source: source.String, Deleted: deleted.Bool, FetchedAt: parseTime(fetched.String)}
				if reach.Valid {
					n := int(reach.Int64)
					f.Reach = &n
				}
				if saves.Valid {
					n := int(saves.Int64)
					f.Saves = &n
				}
				v.Figures = f
			}
			v.Account = key[acc]
			if v.State != "published" {
				v.State = "pending" // sending states belong to this workspace's outbox
			} else if published.Valid {
				t := parseTime(published.String)
				v.PublishedAt = &t
			}
			ap.Variants = append(ap.Variants, v)
		}
		rows.Close()
		sort.SliceStable(ap.Variants, func(i, j int) bool { return ap.Variants[i].Account < ap.Variants[j].Account })
		mrows, err := db.db.QueryContext(ctx, `SELECT m.hash FROM post_media pm JOIN media m ON m.id = pm.media_id WHERE pm.post_id = ? ORDER BY pm.position`, p.ID)
		if err != nil {
			return nil, err
		}
		for mrows.Next() {
			var h string
			if err := mrows.Scan(&h); err != nil {
				mrows.Close()
				return nil, err
			}
			ap.Media = append(ap.Media, h)
		}
		mrows.Close()
		a.Posts = append(a.Posts, ap)
	}
	sort.SliceStable(a.Posts, func(i, j int) bool { return postOrder(&a.Posts[i]) < postOrder(&a.Posts[j]) })

	media, err := db.ListMedia(ctx, clientID, "")
	if err != nil {
		return nil, err
	}
	for _, m := range media {
		a.Media = append(a.Media, backend.ArchiveMedia{Hash: m.Hash, Name: m.Name, Format: m.Format, Bytes: m.Bytes, Width: m.Width, Height: m.Height,
			Alt: m.Alt, FocalX: m.FocalX, FocalY: m.FocalY})
	}
	sort.Slice(a.Media, func(i, j int) bool { return a.Media[i].Hash < a.Media[j].Hash })

	slots, err := db.ListSlots(ctx, clientID)
	if err != nil {
		return nil, err
	}
	for _, s := range slots {
		a.Slots = append(a.Slots, backend.ArchiveSlot{Account: key[s.AccountID], Weekday: s.Weekday, Minute: s.Minute})
	}
	sort.Slice(a.Slots, func(i, j int) bool {
		x, y := a.Slots[i], a.Slots[j]
		return fmt.Sprintf("%s|%d|%04d", x.Account, x.Weekday, x.Minute) < fmt.Sprintf("%s|%d|%04d", y.Account, y.Weekday, y.Minute)
	})
	sets, err := db.ListHashtagSets(ctx, clientID)
	if err != nil {
		return nil, err
	}
	for _, h := range sets {
		a.HashtagSets = append(a.HashtagSets, backend.ArchiveTags{Name: h.Name, Tags: h.Tags})
	}
	sort.Slice(a.HashtagSets, func(i, j int) bool { return a.HashtagSets[i].Name < a.HashtagSets[j].Name })
	tmpls, err := db.ListTemplates(ctx, clientID)
	if err != nil {
		return nil, err
	}
	for _, t := range tmpls {
		a.Templates = append(a.Templates, backend.ArchiveTmpl{Name: t.Name, Text: t.Text, FirstComment: t.FirstComment, Labels: t.Labels})
	}
	sort.Slice(a.Templates, func(i, j int) bool { return a.Templates[i].Name < a.Templates[j].Name })
	if err := db.readArchiveInbox(ctx, clientID, a); err != nil {
		return nil, err
	}
	return a, nil
}

// readArchiveInbox adds the client's saved replies and alert words.
func (db *DB) readArchiveInbox(ctx context.Context, clientID int64, a *backend.ClientArchive) error {
	rows, err := db.db.QueryContext(ctx, `SELECT title, text, tags, crisis FROM saved_replies WHERE client_id = ? ORDER BY title, text`, clientID)
	if err != nil {
		return fmt.Errorf("archive saved replies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r backend.ArchiveReply
		var tags string
		if err := rows.Scan(&r.Title, &r.Text, &tags, &r.Crisis); err != nil {
			return err
		}
		r.Tags = decodeList(tags)
		a.SavedReplies = append(a.SavedReplies, r)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var words string
	err = db.db.QueryRowContext(ctx, `SELECT alert_words FROM inbox_client WHERE client_id = ?`, clientID).Scan(&words)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("archive alert words: %w", err)
	}
	a.AlertWords = decodeList(words)
	return nil
}

// writeArchiveInbox restores the saved replies and alert words.
func writeArchiveInbox(ctx context.Context, tx *sql.Tx, clientID int64, a *backend.ClientArchive, now string) error {
	for _, r := range a.SavedReplies {
		if _, err := tx.ExecContext(ctx, `INSERT INTO saved_replies (client_id, title, text, tags, crisis, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			clientID, r.Title, r.Text, encodeList(r.Tags), r.Crisis, now, now); err != nil {
			return err
		}
	}
	if len(a.AlertWords) > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO inbox_client (client_id, alert_words, updated_at) VALUES (?, ?, ?)`,
			clientID, encodeList(a.AlertWords), now); err != nil {
			return err
		}
	}
	return nil
}

// postOrder sorts posts by time (ideas last), then content.
func postOrder(p *backend.ArchivePost) string {
	t := "~"
	if p.ScheduledAt != nil {
		t = formatTime(*p.ScheduledAt)
	}
	return t + "|" + p.CreatedAt.UTC().Format(timeLayout) + "|" + p.BaseText
}

// WriteClientArchive creates a client from an archive in one transaction.
func (db *DB) WriteClientArchive(ctx context.Context, a *backend.ClientArchive) (*backend.Client, error) {
	c := &backend.Client{Name: a.Client.Name, Color: a.Client.Color, TimeZone: a.Client.TimeZone, Language: a.Client.Language,
		Guidelines: a.Client.Guidelines, BannedWords: a.Client.BannedWords, RequiredTags: a.Client.RequiredTags}
	if err := c.Normalize(); err != nil {
		return nil, err
	}
	now := db.now()
	err := db.tx(ctx, func(tx *sql.Tx) error {
		name, err := freeClientName(ctx, tx, c.Name)
		if err != nil {
			return err
		}
		c.Name = name
		res, err := tx.ExecContext(ctx, `INSERT INTO clients (name, color, time_zone, language, guidelines, banned_words, required_tags, archived, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`, c.Name, c.Color, c.TimeZone, c.Language, c.Guidelines, encodeList(c.BannedWords), encodeList(c.RequiredTags), now, now)
		if err != nil {
			return err
		}
		if c.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		accID := map[string]int64{}
		for _, aa := range a.Accounts {
			ac := backend.Account{ClientID: c.ID, Network: aa.Network, Handle: aa.Handle, DisplayName: aa.DisplayName, ServiceURL: aa.ServiceURL, Limits: aa.Limits}
			// Tokens stay in the old keychain: a network Pauta publishes to comes back waiting to be connected.
			ac.Connection = backend.ConnManual
			if ac.Network.Direct() {
				ac.Connection = backend.ConnReconnect
			}
			if err := ac.Normalize(); err != nil {
				return err
			}
			k := backend.AccountKey(ac.Network, ac.Handle)
			if _, dup := accID[k]; dup {
				return backend.Errorf(backend.EInvalid, "archive.invalid", "the archive names the account %s twice", k)
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO accounts (client_id, network, handle, display_name, connection, service_url, remote_id, limits, created_at)
				VALUES (?, ?, ?, ?, ?, ?, '', ?, ?)`, c.ID, ac.Network, ac.Handle, ac.DisplayName, ac.Connection, ac.ServiceURL, encodeLimits(ac.Limits), now)
			if err != nil {
				return err
			}
			if accID[k], err = res.LastInsertId(); err != nil {
				return err
			}
		}
		account := func(k string) (int64, error) {
			id, ok := accID[k]
			if !ok {
				return 0, backend.Errorf(backend.EInvalid, "archive.invalid", "the archive names an account it does not carry (%s)", k)
			}
			return id, nil
		}
		mediaID := map[string]int64{}
		for _, am := range a.Media {
			m := backend.Media{ClientID: c.ID, Hash: am.Hash, Name: am.Name, Format: am.Format, Bytes: am.Bytes, Width: am.Width, Height: am.Height,
				Alt: am.Alt, FocalX: am.FocalX, FocalY: am.FocalY}
			if err := m.Normalize(); err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO media (client_id, hash, name, format, bytes, width, height, alt, focal_x, focal_y, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.ClientID, m.Hash, m.Name, m.Format, m.Bytes, m.Width, m.Height, m.Alt, m.FocalX, m.FocalY, now)
			if err != nil {
				return err
			}
			if mediaID[m.Hash], err = res.LastInsertId(); err != nil {
				return err
			}
		}
		for i := range a.Posts {
			if err := writeArchivePost(ctx, tx, c, &a.Posts[i], account, mediaID, now); err != nil {
				if e := (*backend.Error)(nil); errors.As(err, &e) {
					return e.WithParam("post", strconv.Itoa(i+1))
				}
				return err
			}
		}
		if err := writeArchiveInbox(ctx, tx, c.ID, a, now); err != nil {
			return err
		}
		for _, s := range a.Slots {
			id, err := account(s.Account)
			if err != nil {
				return err
			}
			if err := (backend.Slot{Weekday: s.Weekday, Minute: s.Minute}).Validate(); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO slots (account_id, weekday, minute) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, id, s.Weekday, s.Minute); err != nil {
				return err
			}
		}
		for _, h := range a.HashtagSets {
			hs := backend.HashtagSet{ClientID: c.ID, Name: h.Name, Tags: h.Tags}
			if err := hs.Normalize(); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO hashtag_sets (client_id, name, tags) VALUES (?, ?, ?)`, c.ID, hs.Name, hs.Tags); err != nil {
				return err
			}
		}
		for _, t := range a.Templates {
			if _, err := tx.ExecContext(ctx, `INSERT INTO templates (client_id, name, text, first_comment, labels, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				c.ID, strings.TrimSpace(t.Name), t.Text, t.FirstComment, encodeList(t.Labels), now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		if e := (*backend.Error)(nil); errors.As(err, &e) {
			return nil, err
		}
		return nil, fmt.Errorf("import client archive: %w", err)
	}
	return c, nil
}

func writeArchivePost(ctx context.Context, tx *sql.Tx, c *backend.Client, ap *backend.ArchivePost, account func(string) (int64, error), mediaID map[string]int64, now string) error {
	p := backend.Post{ClientID: c.ID, Status: ap.Status, BaseText: ap.BaseText, FirstComment: ap.FirstComment, ScheduledAt: ap.ScheduledAt,
		TimeZone: ap.TimeZone, Labels: ap.Labels}
	for _, v := range ap.Variants {
		id, err := account(v.Account)
		if err != nil {
			return err
		}
		p.Variants = append(p.Variants, backend.Variant{AccountID: id, Text: v.Text, FirstComment: v.FirstComment})
	}
	if err := checkPost(ctx, tx, &p); err != nil {
		return err
	}
	created := formatTime(ap.CreatedAt)
	if ap.CreatedAt.IsZero() {
		created = now
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO posts (client_id, status, base_text, first_comment, scheduled_at, time_zone, sequence, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.ClientID, p.Status, p.BaseText, p.FirstComment, nullTime(&p), p.TimeZone, ap.Sequence, created, now)
	if err != nil {
		return err
	}
	if p.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	if err := writeChildren(ctx, tx, &p); err != nil {
		return err
	}
	for i, v := range ap.Variants {
		if v.State != "published" {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE variants SET state = 'published', remote_url = ?, published_at = ? WHERE id = ?`,
			v.RemoteURL, timeArg(v.PublishedAt), p.Variants[i].ID); err != nil {
			return err
		}
		if f := v.Figures; f != nil {
			if f.Source != "network" && f.Source != "manual" || f.Replies < 0 || f.Reposts < 0 || f.Likes < 0 || f.Quotes < 0 ||
				f.Reach != nil && *f.Reach < 0 || f.Saves != nil && *f.Saves < 0 {
				return backend.Errorf(backend.EInvalid, "archive.invalid", "a post's figures in the archive are not valid")
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO post_metrics (variant_id, replies, reposts, likes, quotes, reach, saves, source, deleted, fetched_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.Variants[i].ID, f.Replies, f.Reposts, f.Likes, f.Quotes, f.Reach, f.Saves, f.Source, f.Deleted,
				formatTime(f.FetchedAt)); err != nil {
				return err
			}
		}
	}
	for i, h := range ap.Media {
		id, ok := mediaID[h]
		if !ok {
			return backend.Errorf(backend.EInvalid, "archive.invalid", "a post names an image the archive does not carry")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO post_media (post_id, media_id, position, presets) VALUES (?, ?, ?, '{}') ON CONFLICT DO NOTHING`, p.ID, id, i); err != nil {
			return err
		}
	}
	return nil
}

// freeClientName is name, or "name (2)", "name (3)"… when a client has it.
func freeClientName(ctx context.Context, tx *sql.Tx, name string) (string, error) {
	for i := 1; i < 1000; i++ {
		n := name
		if i > 1 {
			n = fmt.Sprintf("%s (%d)", name, i)
		}
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM clients WHERE name = ? COLLATE NOCASE`, n).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return n, nil
		}
		if err != nil {
			return "", err
		}
	}
	return "", backend.Errorf(backend.EConflict, "client.name_taken", "too many clients are called %q", name).WithParam("name", name)
}
