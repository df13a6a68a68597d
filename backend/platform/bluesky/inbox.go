package bluesky

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"pauta/backend"
	"pauta/backend/platform/httpx"
)

// The inbox side (issue #14): notifications, threads and the read marker,
// read through the account's PDS (it proxies app.bsky.* to the AppView)
// with the stored session — never a new login per poll.

var _ backend.InboxFetcher = (*Client)(nil)

// PageSize is the most notifications one listNotifications call returns;
// PollPage the size of a poll's first page (after a mark, most polls find
// little or nothing new, so they stay cheap).
const (
	PageSize = 100
	PollPage = 10
)

// inboxReasons are the notification reasons Pauta shows, and their kinds.
// Others (starter packs, verification, "via repost", subscriptions) are
// not asked for.
var inboxReasons = map[string]backend.InboxKind{
	"mention": backend.KindMention,
	"reply":   backend.KindReply,
	"quote":   backend.KindQuote,
	"like":    backend.KindLike,
	"repost":  backend.KindBoost,
	"follow":  backend.KindFollow,
}

var reasonOrder = []string{"mention", "reply", "quote", "like", "repost", "follow"}

// profileView is app.bsky.actor.defs#profileViewBasic (and #profileView).
type profileView struct {
	DID         string `json:"did"`
	Handle      string `json:"handle"`
	DisplayName string `json:"displayName"`
	Avatar      string `json:"avatar"`
}

// postRecord is the part of an app.bsky.feed.post record the inbox reads.
type postRecord struct {
	Text      string    `json:"text"`
	Facets    []Facet   `json:"facets"`
	Langs     []string  `json:"langs"`
	CreatedAt string    `json:"createdAt"`
	Reply     *ReplyRef `json:"reply"`
	Embed     *struct {
		Type   string          `json:"$type"`
		Record json.RawMessage `json:"record"` // embed.record: a strong ref; recordWithMedia: {record: strong ref}
	} `json:"embed"`
	Subject json.RawMessage `json:"subject"` // like / repost: a strong ref; follow: a DID
}

type notificationView struct {
	URI           string          `json:"uri"`
	CID           string          `json:"cid"`
	Author        profileView     `json:"author"`
	Reason        string          `json:"reason"`
	ReasonSubject string          `json:"reasonSubject"`
	Record        json.RawMessage `json:"record"`
	IndexedAt     string          `json:"indexedAt"`
}

type listNotificationsAnswer struct {
	Cursor        string             `json:"cursor"`
	Notifications []notificationView `json:"notifications"`
}

// mark is a position in the notification list: the newest item's indexing
// time and URI. Encoded "RFC3339Nano|uri".
type mark struct {
	At  time.Time
	URI string
}

func (m mark) String() string { return m.At.UTC().Format(time.RFC3339Nano) + "|" + m.URI }

func parseMark(s string) (mark, bool) {
	at, uri, ok := strings.Cut(s, "|")
	if !ok {
		return mark{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return mark{}, false
	}
	return mark{t, uri}, true
}

func cursorInvalid() *backend.Error {
	return backend.Errorf(backend.EInvalid, "bluesky.cursor_invalid", "Bluesky no longer accepts this position in the notifications: start again from the newest")
}

// checkAccount refuses to read for an account other than the session's:
// the app builds one client per account, so this is a wiring bug.
func (c *Client) checkAccount(ctx context.Context, acct backend.Account) (Session, error) {
	s, err := c.current(ctx)
	if err != nil {
		return Session{}, err
	}
	if acct.RemoteID != "" && acct.RemoteID != s.DID {
		return Session{}, backend.Errorf(backend.EInternal, "internal", "bluesky client for %s asked about account %d (%s)", s.DID, acct.ID, acct.RemoteID)
	}
	return s, nil
}

// Notifications lists the account's notifications newest first, following
// cursors until q.Since is reached or q.Limit items are in. Mark is the
// newest item's position (the next Since); Older the cursor for the page
// after the oldest returned item, when more may exist; Gap is set when
// Limit cut the fetch before Since.
func (c *Client) Notifications(ctx context.Context, acct backend.Account, q backend.NotificationQuery) (backend.NotificationBatch, error) {
	s, err := c.checkAccount(ctx, acct)
	if err != nil {
		return backend.NotificationBatch{}, err
	}
	var since *mark
	if q.Since != "" {
		m, ok := parseMark(q.Since)
		if !ok {
			return backend.NotificationBatch{}, cursorInvalid()
		}
		since = &m
	}
	limit := q.Limit
	if limit <= 0 {
		limit = PageSize
	}
	var out backend.NotificationBatch
	var newest *mark
	cursor := q.Before
	for pages := 0; pages < limit/PageSize+50; pages++ {
		page := min(PageSize, limit-len(out.Items))
		if pages == 0 && since != nil && q.Before == "" {
			page = min(page, PollPage) // a poll usually finds little or nothing new
		}
		a, err := c.listNotifications(ctx, cursor, page)
		if err != nil {
			return backend.NotificationBatch{}, fmt.Errorf("bluesky notifications: %w", err)
		}
		reached := false
		for _, n := range a.Notifications {
			at, err := time.Parse(time.RFC3339Nano, n.IndexedAt)
			if err != nil {
				continue // not a notification we can place: skip it rather than stop
			}
			if since != nil && (n.URI == since.URI || at.Before(since.At)) {
				reached = true
				break
			}
			if newest == nil {
				newest = &mark{at, n.URI}
			}
			if item, ok := c.notification(s, n, at); ok {
				out.Items = append(out.Items, item)
			}
		}
		if reached || a.Cursor == "" || a.Cursor == cursor || len(a.Notifications) == 0 {
			break
		}
		cursor = a.Cursor
		if len(out.Items) >= limit {
			out.Older = cursor
			out.Gap = since != nil
			break
		}
	}
	if newest != nil && q.Before == "" {
		out.Mark = newest.String()
	}
	return out, nil
}

// listNotifications asks for one page. A cursor the server refuses — a 4xx,
// or a 5xx while the same call without the cursor succeeds (the AppView
// answers 500 to a malformed cursor) — is EInvalid bluesky.cursor_invalid.
func (c *Client) listNotifications(ctx context.Context, cursor string, limit int) (listNotificationsAnswer, error) {
	q := url.Values{"limit": {strconv.Itoa(limit)}, "reasons": reasonOrder}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	var a listNotificationsAnswer
	err := c.authed(ctx, http.MethodGet, "app.bsky.notification.listNotifications", q, "", nil, &a)
	if err == nil || cursor == "" {
		return a, err
	}
	switch backend.AsError(err).Code {
	case backend.EInvalid:
		return a, httpx.Wrap(cursorInvalid(), err)
	case backend.ETransient:
		q.Del("cursor")
		q.Set("limit", "1")
		var probe listNotificationsAnswer
		if c.authed(ctx, http.MethodGet, "app.bsky.notification.listNotifications", q, "", nil, &probe) == nil {
			return a, httpx.Wrap(cursorInvalid(), err)
		}
	}
	return a, err
}

// notification turns one notification view into Pauta's shape; false for
// reasons Pauta does not show.
func (c *Client) notification(s Session, n notificationView, at time.Time) (backend.Notification, bool) {
	kind, ok := inboxReasons[n.Reason]
	if !ok || n.URI == "" {
		return backend.Notification{}, false
	}
	out := backend.Notification{RemoteID: n.URI, Kind: kind, CreatedAt: at.UTC(), Author: author(n.Author)}
	var rec postRecord
	if len(n.Record) > 0 && json.Unmarshal(n.Record, &rec) != nil {
		rec = postRecord{}
	}
	switch kind {
	case backend.KindMention, backend.KindReply, backend.KindQuote:
		p := remotePost(s, n.URI, n.CID, n.Author, rec)
		out.Subject = &p
	}
	// About: our post the notification is about, with its CID when the
	// record names it.
	about := n.ReasonSubject
	var aboutCID string
	switch kind {
	case backend.KindReply, backend.KindMention:
		if rec.Reply != nil && (about == "" || about == rec.Reply.Parent.URI) && uriDID(rec.Reply.Parent.URI) == s.DID {
			about, aboutCID = rec.Reply.Parent.URI, rec.Reply.Parent.CID
		}
		if kind == backend.KindMention && uriDID(about) != s.DID {
			about = "" // a mention outside one of our threads
		}
	case backend.KindLike, backend.KindBoost:
		var sub StrongRef
		if json.Unmarshal(rec.Subject, &sub) == nil && (about == "" || sub.URI == about) {
			about, aboutCID = sub.URI, sub.CID
		}
	case backend.KindQuote:
		if q := quoted(rec); q.URI != "" && (about == "" || q.URI == about) {
			about, aboutCID = q.URI, q.CID
		}
	case backend.KindFollow:
		about = ""
	}
	if about != "" {
		r := postRef(s, about, aboutCID, "")
		out.About = &r
	}
	return out, true
}

// quoted is the record an app.bsky.embed.record / recordWithMedia points at.
func quoted(rec postRecord) StrongRef {
	if rec.Embed == nil {
		return StrongRef{}
	}
	var ref StrongRef
	switch rec.Embed.Type {
	case "app.bsky.embed.record":
		_ = json.Unmarshal(rec.Embed.Record, &ref)
	case "app.bsky.embed.recordWithMedia":
		var w struct {
			Record StrongRef `json:"record"`
		}
		_ = json.Unmarshal(rec.Embed.Record, &w)
		ref = w.Record
	}
	return ref
}

func author(p profileView) backend.RemoteAuthor {
	h := clean(p.Handle)
	a := backend.RemoteAuthor{ID: p.DID, Handle: h, Name: clean(p.DisplayName), AvatarURL: httpsOnly(p.Avatar)}
	if p.DID != "" || h != "" {
		a.URL = "https://bsky.app/profile/" + firstNonEmpty(validHandleOr(h), p.DID)
	}
	return a
}

func validHandleOr(h string) string {
	if h == "" || h == "handle.invalid" || !ValidHandle(h) {
		return ""
	}
	return h
}

// httpsOnly keeps remote URLs the app may fetch (avatars) only when http(s).
func httpsOnly(u string) string {
	if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		return u
	}
	return ""
}

// clean makes server text safe to show: valid UTF-8, no control characters
// other than newlines and tabs.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// uriDID is the repo of an at:// URI.
func uriDID(uri string) string {
	rest, ok := strings.CutPrefix(uri, "at://")
	if !ok {
		return ""
	}
	d, _, _ := strings.Cut(rest, "/")
	return d
}

// uriRkey is the record key of an at:// URI.
func uriRkey(uri string) string {
	if i := strings.LastIndexByte(uri, '/'); i >= 0 && strings.HasPrefix(uri, "at://") {
		return uri[i+1:]
	}
	return ""
}

// postRef is a RemoteRef for a post URI with a web link: the author's
// handle when known (ours from the session), else the DID.
func postRef(s Session, uri, cid, handle string) backend.RemoteRef {
	rkey := uriRkey(uri)
	who := uriDID(uri)
	if who == s.DID && validHandleOr(s.Handle) != "" {
		who = s.Handle
	} else if h := validHandleOr(handle); h != "" {
		who = h
	}
	r := backend.RemoteRef{ID: rkey, URI: uri, CID: cid}
	if who != "" && rkey != "" {
		r.URL = "https://bsky.app/profile/" + who + "/post/" + rkey
	}
	return r
}

// remotePost reads a post record as plain text with its links.
func remotePost(s Session, uri, cid string, by profileView, rec postRecord) backend.RemotePost {
	p := backend.RemotePost{Ref: postRef(s, uri, cid, by.Handle), Author: author(by)}
	p.Text, p.Links = textAndLinks(rec.Text, rec.Facets)
	if len(rec.Langs) > 0 {
		p.Language = clean(rec.Langs[0])
	}
	if t, err := time.Parse(time.RFC3339Nano, rec.CreatedAt); err == nil {
		p.CreatedAt = t.UTC()
	}
	if rec.Reply != nil && rec.Reply.Parent.URI != "" {
		parent := postRef(s, rec.Reply.Parent.URI, rec.Reply.Parent.CID, "")
		root := postRef(s, firstNonEmpty(rec.Reply.Root.URI, rec.Reply.Parent.URI), firstNonEmpty(rec.Reply.Root.CID, rec.Reply.Parent.CID), "")
		p.ReplyTo, p.Root = &parent, &root
	}
	return p
}

// textAndLinks returns the post text with shortened link labels
// ("example.com/abc…") expanded to the facet's full URL, and the http(s)
// links of the link facets in text order. Facets with bad byte ranges
// (out of bounds, overlapping, mid-character) are ignored.
func textAndLinks(text string, facets []Facet) (string, []string) {
	type link struct {
		start, end int
		uri        string
	}
	var links []link
	for _, f := range facets {
		for _, ft := range f.Features {
			if ft.Type != FeatureLink || !(strings.HasPrefix(ft.URI, "https://") || strings.HasPrefix(ft.URI, "http://")) {
				continue
			}
			links = append(links, link{f.Index.ByteStart, f.Index.ByteEnd, ft.URI})
		}
	}
	sort.SliceStable(links, func(i, j int) bool { return links[i].start < links[j].start })
	var b strings.Builder
	var out []string
	pos := 0
	for _, l := range links {
		out = append(out, clean(l.uri))
		if l.start < pos || l.end > len(text) || l.start >= l.end || !utf8.RuneStart(text[l.start]) || (l.end < len(text) && !utf8.RuneStart(text[l.end])) {
			continue
		}
		label := text[l.start:l.end]
		short := strings.TrimSuffix(strings.TrimSuffix(label, "…"), "...")
		if short == label || !strings.Contains(l.uri, short) {
			continue
		}
		b.WriteString(text[pos:l.start])
		b.WriteString(l.uri)
		pos = l.end
	}
	b.WriteString(text[pos:])
	return clean(b.String()), out
}

// MarkRead moves the account's "seen" marker (app.bsky.notification.updateSeen)
// up to mark, an earlier batch's Mark.
func (c *Client) MarkRead(ctx context.Context, acct backend.Account, m string) error {
	if _, err := c.checkAccount(ctx, acct); err != nil {
		return err
	}
	pos, ok := parseMark(m)
	if !ok {
		return cursorInvalid()
	}
	// The AppView shows an item as read when seenAt is after its indexing
	// time (strictly; it keeps milliseconds): the next millisecond covers
	// the marked item and nothing indexed later.
	seen := pos.At.UTC().Truncate(time.Millisecond).Add(time.Millisecond)
	body, _ := json.Marshal(map[string]string{"seenAt": seen.Format("2006-01-02T15:04:05.000Z")})
	if err := c.authed(ctx, http.MethodPost, "app.bsky.notification.updateSeen", nil, "application/json", body, nil); err != nil {
		return fmt.Errorf("bluesky mark read: %w", err)
	}
	return nil
}
