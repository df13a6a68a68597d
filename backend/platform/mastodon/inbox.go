package mastodon

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"pauta/backend"
	"pauta/backend/platform/httpx"
)

// The inbox (backend.InboxFetcher): GET /api/v1/notifications with Link
// pagination, notification requests (filtered strangers), a status's
// context, and the notifications read marker. Remote HTML is turned into
// plain text and links here; nothing downstream ever sees markup.

var _ backend.InboxFetcher = (*Client)(nil)

// inboxPage is the page size Mastodon allows at most for notifications.
const inboxPage = 40

// inboxTypes are the notification types the inbox asks for.
var inboxTypes = []string{"mention", "reblog", "favourite", "follow", "quote"}

// notification is GET /api/v1/notifications's entity (the part used).
type notification struct {
	ID        string        `json:"id"`
	Type      string        `json:"type"`
	CreatedAt time.Time     `json:"created_at"`
	Account   remoteAccount `json:"account"`
	Status    *remoteStatus `json:"status"`
}

type remoteAccount struct {
	ID           string `json:"id"`
	Acct         string `json:"acct"`
	DisplayName  string `json:"display_name"`
	Avatar       string `json:"avatar"`
	AvatarStatic string `json:"avatar_static"`
	URL          string `json:"url"`
}

type remoteStatus struct {
	ID                 string        `json:"id"`
	URI                string        `json:"uri"`
	URL                string        `json:"url"`
	CreatedAt          time.Time     `json:"created_at"`
	Content            string        `json:"content"` // HTML
	SpoilerText        string        `json:"spoiler_text"`
	Language           string        `json:"language"`
	Visibility         string        `json:"visibility"`
	InReplyToID        *string       `json:"in_reply_to_id"`
	InReplyToAccountID *string       `json:"in_reply_to_account_id"`
	Account            remoteAccount `json:"account"`
	Quote              *struct {
		State        string        `json:"state"`
		QuotedStatus *remoteStatus `json:"quoted_status"`
	} `json:"quote"`
}

// Notifications reads the account's notifications newer than q.Since (or,
// with q.Before, the page older than it), following Link rel="next" pages
// until the mark, q.Limit items, or the rate limit's last requests.
func (c *Client) Notifications(ctx context.Context, acct backend.Account, q backend.NotificationQuery) (backend.NotificationBatch, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 400
	}
	me, err := c.accountID(ctx, acct)
	if err != nil {
		return backend.NotificationBatch{}, c.inboxErr(err, "read:accounts")
	}
	v := url.Values{"limit": {strconv.Itoa(min(limit, inboxPage))}, "types[]": inboxTypes, "include_filtered": {"true"}}
	if q.Before != "" {
		v.Set("max_id", q.Before)
	}
	if q.Since != "" && q.Before == "" {
		v.Set("since_id", q.Since)
	}
	var batch backend.NotificationBatch
	path := "/api/v1/notifications?" + v.Encode()
	done := false // read down to the mark, or to the oldest the server has
	for {
		var page []notification
		hdr, err := c.callHeader(ctx, http.MethodGet, path, nil, "", nil, &page)
		if err != nil {
			if len(batch.Items) > 0 && backend.ErrorCode(err) == backend.ERateLimited {
				batch.Wait = backend.AsError(err).RetryAfter
				break // keep what was read: the rest waits as a gap
			}
			return backend.NotificationBatch{}, c.inboxErr(err, "read:notifications")
		}
		stop := false
		for _, n := range page {
			if q.Since != "" && !laterID(n.ID, q.Since) {
				done, stop = true, true
				break
			}
			if len(batch.Items) == limit {
				stop = true
				break
			}
			if item, ok := c.toNotification(n, me); ok {
				batch.Items = append(batch.Items, item)
			}
			if batch.Mark == "" || laterID(n.ID, batch.Mark) {
				batch.Mark = n.ID
			}
			batch.Older = n.ID
		}
		if stop {
			break
		}
		next := c.nextPage(hdr.Get("Link"))
		if len(page) == 0 || next == "" {
			done = true
			break
		}
		if lowRemaining(hdr) {
			batch.Wait = httpx.RetryAfter(hdr, c.Clock.Now())
			break
		}
		path = next
	}
	if done {
		batch.Older = ""
	} else if q.Since != "" && q.Before == "" {
		batch.Gap = true
	}
	if q.Before != "" {
		batch.Mark = "" // loading older never moves the high-water mark
	}
	if len(batch.Items) > 0 {
		c.markFiltered(ctx, batch.Items)
	}
	return batch, nil
}

// lowRemaining says whether the rate limit window is nearly used up: the
// last few requests are kept for publishing and the next poll.
func lowRemaining(h http.Header) bool {
	n, err := strconv.Atoi(strings.TrimSpace(h.Get("X-RateLimit-Remaining")))
	return err == nil && n <= 5
}

// markFiltered flags items from accounts the server holds among
// notification requests (strangers the user has not accepted). A server
// without the endpoint (before 4.3, GoToSocial) filters nothing.
func (c *Client) markFiltered(ctx context.Context, items []backend.Notification) {
	var reqs []struct {
		Account remoteAccount `json:"account"`
	}
	if err := c.call(ctx, http.MethodGet, "/api/v1/notifications/requests?limit=80", nil, "", nil, &reqs); err != nil {
		return
	}
	strangers := map[string]bool{}
	for _, r := range reqs {
		strangers[r.Account.ID] = true
	}
	for i := range items {
		items[i].Filtered = strangers[items[i].Author.ID]
	}
}

// toNotification maps one notification; unknown types are skipped.
func (c *Client) toNotification(n notification, me string) (backend.Notification, bool) {
	out := backend.Notification{RemoteID: n.ID, CreatedAt: n.CreatedAt.UTC(), Author: c.author(n.Account)}
	st := n.Status
	switch n.Type {
	case "mention":
		out.Kind = backend.KindMention
		if st != nil {
			switch {
			case st.Visibility == "direct":
				out.Kind = backend.KindDirect
			case st.InReplyToAccountID != nil && *st.InReplyToAccountID == me && st.InReplyToID != nil:
				out.Kind, out.About = backend.KindReply, &backend.RemoteRef{ID: *st.InReplyToID}
			}
		}
	case "quote":
		out.Kind = backend.KindQuote
		if st != nil && st.Quote != nil && st.Quote.QuotedStatus != nil {
			out.About = c.ref(*st.Quote.QuotedStatus)
		}
	case "reblog", "favourite":
		out.Kind = backend.KindBoost
		if n.Type == "favourite" {
			out.Kind = backend.KindLike
		}
		if st != nil {
			out.About = c.ref(*st)
		}
		return out, true
	case "follow":
		out.Kind = backend.KindFollow
		return out, true
	default:
		return out, false
	}
	if st != nil { // nil: the status was deleted
		p := c.post(*st)
		out.Subject = &p
	}
	return out, true
}

func (c *Client) ref(s remoteStatus) *backend.RemoteRef {
	return &backend.RemoteRef{ID: s.ID, URL: firstNonEmpty(s.URL, s.URI)}
}

func (c *Client) author(a remoteAccount) backend.RemoteAuthor {
	handle := clean(a.Acct)
	if handle != "" && !strings.Contains(handle, "@") {
		handle += "@" + c.host() // a local account: acct has no domain
	}
	return backend.RemoteAuthor{ID: a.ID, Handle: handle, Name: clean(a.DisplayName),
		AvatarURL: webURL(firstNonEmpty(a.AvatarStatic, a.Avatar)), URL: webURL(a.URL)}
}

func (c *Client) post(s remoteStatus) backend.RemotePost {
	text, links := TextAndLinks(s.Content)
	if cw := clean(s.SpoilerText); cw != "" {
		text = cw + "\n\n" + text
	}
	p := backend.RemotePost{Ref: *c.ref(s), Author: c.author(s.Account), Text: text, Links: links,
		Language: clean(s.Language), CreatedAt: s.CreatedAt.UTC()}
	p.Ref.URL = webURL(p.Ref.URL)
	if s.InReplyToID != nil && *s.InReplyToID != "" {
		p.ReplyTo = &backend.RemoteRef{ID: *s.InReplyToID}
	}
	return p
}

// Thread returns the conversation around ref (GET /api/v1/statuses/:id and
// its context), oldest first. A status the server no longer has comes back
// as one post marked Deleted.
func (c *Client) Thread(ctx context.Context, acct backend.Account, ref backend.RemoteRef) ([]backend.RemotePost, error) {
	var st remoteStatus
	status, err := c.callStatus(ctx, http.MethodGet, "/api/v1/statuses/"+url.PathEscape(ref.ID), nil, "", nil, &st)
	if err != nil {
		if status == http.StatusNotFound || status == http.StatusGone {
			return []backend.RemotePost{{Ref: ref, Deleted: true}}, nil
		}
		return nil, c.inboxErr(err, "read:statuses")
	}
	var ctxs struct {
		Ancestors   []remoteStatus `json:"ancestors"`
		Descendants []remoteStatus `json:"descendants"`
	}
	if err := c.call(ctx, http.MethodGet, "/api/v1/statuses/"+url.PathEscape(ref.ID)+"/context", nil, "", nil, &ctxs); err != nil {
		return nil, c.inboxErr(err, "read:statuses")
	}
	out := make([]backend.RemotePost, 0, len(ctxs.Ancestors)+1+len(ctxs.Descendants))
	for _, s := range ctxs.Ancestors {
		out = append(out, c.post(s))
	}
	out = append(out, c.post(st))
	for _, s := range ctxs.Descendants {
		out = append(out, c.post(s))
	}
	if len(out) > 1 && out[0].ReplyTo == nil {
		root := out[0].Ref
		for i := 1; i < len(out); i++ {
			out[i].Root = &root
		}
	}
	return out, nil
}

// MarkRead moves the notifications read marker (POST /api/v1/markers).
func (c *Client) MarkRead(ctx context.Context, _ backend.Account, mark string) error {
	if mark == "" {
		return nil
	}
	form := url.Values{"notifications[last_read_id]": {mark}}
	if err := c.call(ctx, http.MethodPost, "/api/v1/markers", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded", nil, nil); err != nil {
		return c.inboxErr(err, "write:statuses")
	}
	return nil
}

// inboxErr turns a 403 (the token lacks a scope) into EAuth
// "inbox.scope_missing" naming the scope, so the account says what to add.
func (c *Client) inboxErr(err error, scope string) error {
	e := backend.AsError(err)
	if e.Code == backend.EInvalid && e.Params["status"] == "403" {
		return httpx.Wrap(backend.Errorf(backend.EAuth, "inbox.scope_missing",
			"the access token for %s lacks the %s permission: add it to the token and connect again", c.host(), scope).
			WithParam("host", c.host()).WithParam("scope", scope), err)
	}
	return fmt.Errorf("mastodon inbox: %w", err)
}

var (
	reAnchor = regexp.MustCompile(`(?is)<a\s[^>]*>`)
	reHref   = regexp.MustCompile(`(?is)\bhref\s*=\s*("([^"]*)"|'([^']*)')`)
	reClass  = regexp.MustCompile(`(?is)\bclass\s*=\s*("([^"]*)"|'([^']*)')`)
)

// TextAndLinks turns a status's HTML into plain text and its web links, in
// order (mentions and hashtags are not links to show: they stay as text).
func TextAndLinks(content string) (string, []string) {
	links := []string{}
	seen := map[string]bool{}
	for _, tag := range reAnchor.FindAllString(content, -1) {
		m := reHref.FindStringSubmatch(tag)
		if m == nil {
			continue
		}
		href := html.UnescapeString(m[2] + m[3])
		if cm := reClass.FindStringSubmatch(tag); cm != nil {
			cls := " " + cm[2] + cm[3] + " "
			if strings.Contains(cls, " mention ") || strings.Contains(cls, " hashtag ") {
				continue
			}
		}
		if u := webURL(href); u != "" && !seen[u] {
			seen[u] = true
			links = append(links, u)
		}
	}
	return clean(PlainText(content)), links
}

// webURL keeps only an absolute http(s) address (no javascript:, data:, …).
func webURL(s string) string {
	s = clean(strings.TrimSpace(s))
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// clean makes remote text valid UTF-8 without control characters (new
// lines and tabs kept).
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || (r >= 0x20 && r != 0x7f && !(r >= 0x80 && r < 0xa0)) {
			return r
		}
		return -1
	}, s)
}
