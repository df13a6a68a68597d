package mastodon

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"

	"pauta/backend"
)

// Finding the status an interrupted publish may have created
// (backend.Finder): Mark reads the account's newest status id and the
// server's clock before a send; Find lists the account's statuses since
// that id and matches them with the request. Works on Mastodon and on
// servers of its API that ignore Idempotency-Key (GoToSocial).

var _ backend.Finder = (*Client)(nil)

// Find reads at most findPages pages of findLimit statuses since a mark;
// more than that and it cannot tell.
const (
	findLimit = 40
	findPages = 5
)

// foundStatus is a status as GET /api/v1/accounts/:id/statuses lists it
// (the part a lookup compares).
type foundStatus struct {
	ID          string  `json:"id"`
	URI         string  `json:"uri"`
	URL         string  `json:"url"`
	Content     string  `json:"content"` // HTML
	Text        string  `json:"text"`    // the source, when the server gives it (GoToSocial)
	InReplyToID *string `json:"in_reply_to_id"`
	Reblog      *struct {
		ID string `json:"id"`
	} `json:"reblog"`
	MediaAttachments []struct {
		ID string `json:"id"`
	} `json:"media_attachments"`
}

// accountID is the connected account's id: stored at connection, else read
// from verify_credentials.
func (c *Client) accountID(ctx context.Context, acct backend.Account) (string, error) {
	if acct.RemoteID != "" {
		return acct.RemoteID, nil
	}
	me, err := c.Verify(ctx)
	if err != nil {
		return "", err
	}
	return me.ID, nil
}

// Mark returns the account's newest status id ("" when it has none) and the
// server's time, from the Date header of the same answer. A server that
// sends no Date cannot be timed: EInvalid.
func (c *Client) Mark(ctx context.Context, acct backend.Account) (backend.RemoteMark, error) {
	id, err := c.accountID(ctx, acct)
	if err != nil {
		return backend.RemoteMark{}, fmt.Errorf("mark mastodon timeline: %w", err)
	}
	var list []foundStatus
	h, err := c.callHeader(ctx, http.MethodGet, "/api/v1/accounts/"+url.PathEscape(id)+"/statuses?limit=1", nil, "", nil, &list)
	if err != nil {
		return backend.RemoteMark{}, fmt.Errorf("mark mastodon timeline: %w", err)
	}
	at, ok := serverTime(h)
	if !ok {
		return backend.RemoteMark{}, backend.Errorf(backend.EInvalid, "mastodon.no_date", "%s does not say its time", c.host()).WithParam("host", c.host())
	}
	m := backend.RemoteMark{ServerTime: at}
	for _, s := range list {
		if laterID(s.ID, m.LastID) {
			m.LastID = s.ID
		}
	}
	return m, nil
}

// Find lists the account's statuses newer than the mark (newest first,
// paging down with max_id) and returns the one req created, if any. A
// status matches when it carries one of req.Uploaded's media ids (an
// upload can only be attached once), or when it replies to the same status
// (none for a post) with the same text and, if req.Media is not nil, the
// same number of images. A listing the server refuses (4xx other than
// 401/429) or one longer than findPages pages is not Complete.
func (c *Client) Find(ctx context.Context, req backend.PublishRequest, mark backend.RemoteMark) (backend.FindResult, error) {
	id, err := c.accountID(ctx, req.Account)
	if err != nil {
		return backend.FindResult{}, fmt.Errorf("find mastodon status: %w", err)
	}
	media := map[string]bool{}
	for _, u := range req.Uploaded {
		media[u.ID] = true
	}
	var res backend.FindResult
	maxID := ""
	for page := 0; page < findPages; page++ {
		q := url.Values{"limit": {fmt.Sprint(findLimit)}}
		if mark.LastID != "" {
			q.Set("since_id", mark.LastID)
		}
		if maxID != "" {
			q.Set("max_id", maxID)
		}
		var list []foundStatus
		h, err := c.callHeader(ctx, http.MethodGet, "/api/v1/accounts/"+url.PathEscape(id)+"/statuses?"+q.Encode(), nil, "", nil, &list)
		if err != nil {
			if backend.ErrorCode(err) == backend.EInvalid && backend.AsError(err).Key != keyBadAnswer {
				return backend.FindResult{}, nil // refused: cannot tell
			}
			return backend.FindResult{}, fmt.Errorf("find mastodon status: %w", err)
		}
		if page == 0 {
			// The listing shows what existed when the first page was read.
			res.ServerTime, _ = serverTime(h)
		}
		if len(list) == 0 {
			res.Complete = true
			return res, nil
		}
		for _, s := range list {
			if matches(s, req, media) {
				return backend.FindResult{Found: true, Ref: backend.RemoteRef{ID: s.ID, URL: firstNonEmpty(s.URL, s.URI)}, Complete: true, ServerTime: res.ServerTime}, nil
			}
			if maxID == "" || laterID(maxID, s.ID) {
				maxID = s.ID
			}
		}
	}
	return res, nil
}

// matches reports whether s is the status req would create.
func matches(s foundStatus, req backend.PublishRequest, media map[string]bool) bool {
	if s.Reblog != nil {
		return false
	}
	for _, m := range s.MediaAttachments {
		if media[m.ID] {
			return true
		}
	}
	reply := ""
	if req.ReplyTo != nil {
		reply = req.ReplyTo.ID
	}
	if s.InReplyToID != nil && *s.InReplyToID != reply || s.InReplyToID == nil && reply != "" {
		return false
	}
	if req.Media != nil && len(s.MediaAttachments) != len(req.Media) {
		return false
	}
	same := func(got string) bool {
		if want := comparable(req.Text); want != "" {
			return want == comparable(got)
		}
		// No letters or digits (emoji, punctuation, nothing): compare it all.
		return strings.Join(strings.Fields(req.Text), " ") == strings.Join(strings.Fields(got), " ")
	}
	return same(PlainText(s.Content)) || s.Text != "" && same(s.Text)
}

// reMention is a mention of a remote account: the server shows it as
// @user only, so the domain is left out on both sides.
var reMention = regexp.MustCompile(`(^|[^\p{L}\p{N}_/])@([\p{L}\p{N}_.-]*[\p{L}\p{N}_])@[\p{L}\p{N}.-]+[\p{L}\p{N}]`)

// comparable reduces a text to its letters and digits, lowercased, with
// remote mentions reduced to @user: what survives the server's rendering
// (links, hashtags, paragraphs, entities).
func comparable(s string) string {
	s = reMention.ReplaceAllString(s, "$1@$2")
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// laterID orders status ids: Mastodon's are decimal numbers, GoToSocial's
// ULIDs of a fixed length; a longer id is later, equal lengths compare as text.
func laterID(a, b string) bool {
	if len(a) != len(b) {
		return len(a) > len(b)
	}
	return a > b
}

// serverTime is the server's clock from an answer's Date header.
func serverTime(h http.Header) (time.Time, bool) {
	if h == nil {
		return time.Time{}, false
	}
	t, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}
