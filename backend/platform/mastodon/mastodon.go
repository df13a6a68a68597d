// Package mastodon publishes to a Mastodon instance with a personal access
// token: verify the account, read the instance's limits, upload media,
// post statuses (with an Idempotency-Key) and manage server-side scheduled
// statuses.
package mastodon

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"pauta/backend"
	"pauta/backend/platform/httpx"
)

// Client talks to one instance as one account. Build it with New.
type Client struct {
	BaseURL string // https://instance.example (normalised by New)
	Token   string // personal access token; only ever sent in the Authorization header
	HTTP    *http.Client
	Clock   backend.Clock

	// PollInterval and MaxPolls bound the wait for media processing
	// (defaults 1 s and 60).
	PollInterval time.Duration
	MaxPolls     int

	noBatch bool // the instance has no GET /api/v1/statuses?id[]= (metrics.go)
}

var _ backend.Publisher = (*Client)(nil)

// String and GoString leave the token out of %v and %#v.
func (c *Client) String() string   { return "mastodon.Client{" + c.BaseURL + "}" }
func (c *Client) GoString() string { return c.String() }

// New checks the instance address (https only, except on localhost) and
// returns a client. What a person typed ("mastodon.social") is accepted.
func New(instanceURL, token string, hc *http.Client, clock backend.Clock) (*Client, error) {
	base, err := NormalizeURL(instanceURL)
	if err != nil {
		return nil, err
	}
	if clock == nil {
		clock = backend.SystemClock{}
	}
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	return &Client{BaseURL: base, Token: token, HTTP: hc, Clock: clock}, nil
}

// NormalizeURL turns what a person typed into https://host[:port].
func NormalizeURL(raw string) (string, error) {
	u, err := httpx.BaseURL(raw)
	switch err {
	case nil:
		return u.String(), nil
	case httpx.ErrNotHTTPS:
		return "", backend.Errorf(backend.EInvalid, "mastodon.https_required", "the instance address must start with https://").WithField("instanceUrl")
	default:
		return "", backend.Errorf(backend.EInvalid, "mastodon.url_invalid", "%q is not an instance address", raw).WithField("instanceUrl")
	}
}

// Account is the connected profile (from verify_credentials).
type Account struct {
	ID          string `json:"id"`
	Username    string `json:"username"`
	Acct        string `json:"acct"`
	DisplayName string `json:"display_name"`
	URL         string `json:"url"`
	Avatar      string `json:"avatar"`
	// Handle is @username@instance-host, filled in by Verify.
	Handle string `json:"-"`
}

// Instance holds the limits the composer and the media presets use.
// Missing values are Mastodon's defaults.
type Instance struct {
	Domain                   string
	Title                    string
	Version                  string
	MaxCharacters            int
	MaxMediaAttachments      int
	CharactersReservedPerURL int
	ImageSizeLimit           int64 // bytes
	ImageMatrixLimit         int64 // width × height in pixels
	SupportedMIMETypes       []string
	DescriptionLimit         int // alt text characters
}

// Mastodon's defaults, for instances that do not say.
const (
	DefaultMaxCharacters    = 500
	DefaultMaxMedia         = 4
	DefaultURLReserve       = 23
	DefaultImageSizeLimit   = 16 * 1024 * 1024
	DefaultImageMatrixLimit = 33177600 // 7680×4320
	DefaultDescriptionLimit = 1500
)

// Verify checks the token and returns the account it belongs to. A bad or
// revoked token is EAuth mastodon.token_invalid.
func (c *Client) Verify(ctx context.Context) (Account, error) {
	var a Account
	if err := c.call(ctx, http.MethodGet, "/api/v1/accounts/verify_credentials", nil, "", nil, &a); err != nil {
		if backend.AsError(err).Key == keyBadAnswer {
			err = httpx.Wrap(c.notMastodon(), err)
		}
		return Account{}, fmt.Errorf("verify mastodon account: %w", err)
	}
	if a.ID == "" || a.Username == "" {
		return Account{}, backend.Errorf(backend.EInvalid, "mastodon.not_mastodon", "%s did not answer like a Mastodon server", c.host()).WithParam("host", c.host())
	}
	a.Handle = "@" + a.Username + "@" + c.host()
	return a, nil
}

type instanceConfig struct {
	Statuses struct {
		MaxCharacters            int `json:"max_characters"`
		MaxMediaAttachments      int `json:"max_media_attachments"`
		CharactersReservedPerURL int `json:"characters_reserved_per_url"`
	} `json:"statuses"`
	MediaAttachments struct {
		SupportedMIMETypes []string `json:"supported_mime_types"`
		ImageSizeLimit     int64    `json:"image_size_limit"`
		ImageMatrixLimit   int64    `json:"image_matrix_limit"`
		DescriptionLimit   int      `json:"description_limit"`
	} `json:"media_attachments"`
}

// Instance reads the instance's limits from GET /api/v2/instance (falling
// back to /api/v1/instance on servers older than 4.0). A server that is not
// Mastodon is EInvalid mastodon.not_mastodon; one that cannot be reached is
// ETransient mastodon.unreachable.
func (c *Client) Instance(ctx context.Context) (Instance, error) {
	var v2 struct {
		Domain        string          `json:"domain"`
		URI           string          `json:"uri"` // v1
		Title         string          `json:"title"`
		Version       string          `json:"version"`
		Configuration *instanceConfig `json:"configuration"`
	}
	err := c.call(ctx, http.MethodGet, "/api/v2/instance", nil, "", nil, &v2)
	if e := backend.AsError(err); e != nil && (e.Code == backend.EInvalid || e.Key == keyBadAnswer) {
		err = c.call(ctx, http.MethodGet, "/api/v1/instance", nil, "", nil, &v2)
	}
	if e := backend.AsError(err); e != nil {
		if e.Code == backend.EInvalid || e.Key == keyBadAnswer {
			return Instance{}, fmt.Errorf("read mastodon instance: %w", c.notMastodon())
		}
		return Instance{}, fmt.Errorf("read mastodon instance: %w", err)
	}
	if v2.Configuration == nil || v2.Version == "" {
		return Instance{}, fmt.Errorf("read mastodon instance: %w", c.notMastodon())
	}
	cf := v2.Configuration
	in := Instance{
		Domain:                   firstNonEmpty(v2.Domain, v2.URI, c.host()),
		Title:                    v2.Title,
		Version:                  v2.Version,
		MaxCharacters:            orInt(cf.Statuses.MaxCharacters, DefaultMaxCharacters),
		MaxMediaAttachments:      orInt(cf.Statuses.MaxMediaAttachments, DefaultMaxMedia),
		CharactersReservedPerURL: orInt(cf.Statuses.CharactersReservedPerURL, DefaultURLReserve),
		ImageSizeLimit:           orInt64(cf.MediaAttachments.ImageSizeLimit, DefaultImageSizeLimit),
		ImageMatrixLimit:         orInt64(cf.MediaAttachments.ImageMatrixLimit, DefaultImageMatrixLimit),
		SupportedMIMETypes:       cf.MediaAttachments.SupportedMIMETypes,
		DescriptionLimit:         orInt(cf.MediaAttachments.DescriptionLimit, DefaultDescriptionLimit),
	}
	return in, nil
}

func (c *Client) notMastodon() *backend.Error {
	return backend.Errorf(backend.EInvalid, "mastodon.not_mastodon", "%s does not look like a Mastodon server", c.host()).
		WithParam("host", c.host()).WithField("instanceUrl")
}

// Status is what POST /api/v1/statuses answers (the part Pauta keeps).
type Status struct {
	ID  string `json:"id"`
	URI string `json:"uri"`
	URL string `json:"url"`
}

// Media is an uploaded attachment.
type Media struct {
	ID  string  `json:"id"`
	URL *string `json:"url"` // null while processing
}

// ScheduledStatus is a status the instance will publish at ScheduledAt.
type ScheduledStatus struct {
	ID          string    `json:"id"`
	ScheduledAt time.Time `json:"scheduled_at"`
	Params      struct {
		Text        string   `json:"text"`
		Language    string   `json:"language"`
		InReplyToID *string  `json:"in_reply_to_id"`
		MediaIDs    []string `json:"media_ids"`
		Visibility  string   `json:"visibility"`
	} `json:"params"`
	MediaAttachments []Media `json:"media_attachments"`
}

// MinScheduleAhead is how far ahead the instance accepts scheduled_at.
const MinScheduleAhead = 5 * time.Minute

// Publish uploads req's media and posts the status publicly, with
// req.IdempotencyKey so a retry within the instance's hour returns the
// original status instead of posting twice. A first comment is a reply to
// req.ReplyTo.ID. Anything failing before the status request (an upload)
// is backend.NotSent; images of an earlier attempt are reused (reuse.go).
func (c *Client) Publish(ctx context.Context, req backend.PublishRequest) (backend.RemoteRef, error) {
	if req.Like != nil {
		return c.Favourite(ctx, *req.Like) // like.go
	}
	form, err := c.statusForm(ctx, req)
	if err != nil {
		return backend.RemoteRef{}, backend.NotSent(fmt.Errorf("publish to mastodon: %w", err))
	}
	var st Status
	err = c.call(ctx, http.MethodPost, "/api/v1/statuses", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded", idem(req), &st)
	if err != nil && staleMedia(err, req) {
		req.Uploaded = nil // refused, so nothing was created: upload the images again
		if form, err = c.statusForm(ctx, req); err != nil {
			return backend.RemoteRef{}, backend.NotSent(fmt.Errorf("publish to mastodon: %w", err))
		}
		err = c.call(ctx, http.MethodPost, "/api/v1/statuses", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded", idem(req), &st)
	}
	if err != nil {
		return backend.RemoteRef{}, fmt.Errorf("publish to mastodon: %w", err)
	}
	if st.ID == "" {
		return backend.RemoteRef{}, fmt.Errorf("publish to mastodon: %w", c.badAnswer())
	}
	return backend.RemoteRef{ID: st.ID, URL: firstNonEmpty(st.URL, st.URI)}, nil
}

// ScheduleStatus uploads the media and hands the status to the instance to
// publish at `at` (at least MinScheduleAhead from now). It returns the
// ScheduledStatus, whose ID UpdateScheduled and CancelScheduled take. The
// same Idempotency-Key returns the original scheduled status.
func (c *Client) ScheduleStatus(ctx context.Context, req backend.PublishRequest, at time.Time) (ScheduledStatus, error) {
	if at.Sub(c.Clock.Now()) < MinScheduleAhead {
		return ScheduledStatus{}, backend.Errorf(backend.EInvalid, "mastodon.schedule_too_soon", "a server-side schedule must be at least 5 minutes ahead").WithParam("minutes", "5")
	}
	form, err := c.statusForm(ctx, req)
	if err != nil {
		return ScheduledStatus{}, fmt.Errorf("schedule on mastodon: %w", err)
	}
	form.Set("scheduled_at", at.UTC().Format("2006-01-02T15:04:05.000Z"))
	var ss ScheduledStatus
	if err := c.call(ctx, http.MethodPost, "/api/v1/statuses", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded", idem(req), &ss); err != nil {
		return ScheduledStatus{}, fmt.Errorf("schedule on mastodon: %w", c.noScheduling(err)) // 501/404/405: no scheduling (remote.go)
	}
	if ss.ID == "" {
		return ScheduledStatus{}, fmt.Errorf("schedule on mastodon: %w", c.badAnswer())
	}
	return ss, nil
}

// ListScheduled returns every scheduled status of the account (following
// the Link header's next pages on the same instance).
func (c *Client) ListScheduled(ctx context.Context) ([]ScheduledStatus, error) {
	all, _, err := c.ListScheduledAt(ctx)
	return all, err
}

// ListScheduledAt is ListScheduled with the server's time of the list: the
// Date of its first page (zero when the server sends none). A status
// created before then is in the list, whatever page it falls on.
func (c *Client) ListScheduledAt(ctx context.Context) ([]ScheduledStatus, time.Time, error) {
	var all []ScheduledStatus
	var at time.Time
	path := "/api/v1/scheduled_statuses?limit=40"
	for page := 0; page < 20 && path != ""; page++ { // 300 per account max: 8 pages
		var batch []ScheduledStatus
		h, err := c.callHeader(ctx, http.MethodGet, path, nil, "", nil, &batch)
		if err != nil {
			return nil, time.Time{}, fmt.Errorf("list mastodon scheduled statuses: %w", c.noScheduling(err))
		}
		if page == 0 {
			at, _ = serverTime(h)
		}
		all = append(all, batch...)
		path = c.nextPage(h.Get("Link"))
		if len(batch) == 0 {
			break
		}
	}
	return all, at, nil
}

// UpdateScheduled moves a scheduled status to `at`. The text and media of a
// scheduled status cannot be changed: cancel it and schedule a new one (with
// a new Idempotency-Key). A status that is gone (published, or cancelled on
// the website) is ENotFound mastodon.scheduled_not_found.
func (c *Client) UpdateScheduled(ctx context.Context, id string, at time.Time) (ScheduledStatus, error) {
	if at.Sub(c.Clock.Now()) < MinScheduleAhead {
		return ScheduledStatus{}, backend.Errorf(backend.EInvalid, "mastodon.schedule_too_soon", "a server-side schedule must be at least 5 minutes ahead").WithParam("minutes", "5")
	}
	form := url.Values{"scheduled_at": {at.UTC().Format("2006-01-02T15:04:05.000Z")}}
	var ss ScheduledStatus
	err := c.call(ctx, http.MethodPut, "/api/v1/scheduled_statuses/"+url.PathEscape(id), strings.NewReader(form.Encode()), "application/x-www-form-urlencoded", nil, &ss)
	if err != nil {
		return ScheduledStatus{}, fmt.Errorf("reschedule mastodon status: %w", scheduledGone(err, id))
	}
	return ss, nil
}

// CancelScheduled deletes a scheduled status. One that is already gone is
// ENotFound mastodon.scheduled_not_found (it may have been published).
func (c *Client) CancelScheduled(ctx context.Context, id string) error {
	if err := c.call(ctx, http.MethodDelete, "/api/v1/scheduled_statuses/"+url.PathEscape(id), nil, "", nil, nil); err != nil {
		return fmt.Errorf("cancel mastodon scheduled status: %w", scheduledGone(err, id))
	}
	return nil
}

func scheduledGone(err error, id string) error {
	if e := backend.AsError(err); e != nil && e.Params["status"] == "404" {
		return httpx.Wrap(backend.Errorf(backend.ENotFound, "mastodon.scheduled_not_found", "the scheduled status %s is no longer on the instance", id), err)
	}
	return err
}

func idem(req backend.PublishRequest) http.Header {
	return http.Header{"Idempotency-Key": {req.IdempotencyKey}}
}

// statusForm uploads the media and builds the form shared by Publish and
// ScheduleStatus.
func (c *Client) statusForm(ctx context.Context, req backend.PublishRequest) (url.Values, error) {
	if strings.TrimSpace(req.IdempotencyKey) == "" {
		// Without it a retry could post twice: a bug in the caller, never sent.
		return nil, backend.Errorf(backend.EInternal, "internal", "mastodon publish without an idempotency key")
	}
	if strings.TrimSpace(req.Text) == "" && len(req.Media) == 0 {
		return nil, backend.Errorf(backend.EInvalid, "mastodon.empty", "a Mastodon post needs text or media")
	}
	form := url.Values{}
	form.Set("status", req.Text)
	form.Set("visibility", "public")
	if req.Language != "" {
		form.Set("language", req.Language)
	}
	if req.ReplyTo != nil && req.ReplyTo.ID != "" {
		form.Set("in_reply_to_id", req.ReplyTo.ID)
	}
	ids, err := c.mediaIDs(ctx, req) // reuse.go
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		form.Add("media_ids[]", id)
	}
	return form, nil
}

// UploadMedia uploads one image (POST /api/v2/media) and waits until the
// instance has processed it. It returns the media id.
func (c *Client) UploadMedia(ctx context.Context, m backend.MediaFile) (string, error) {
	data, err := os.ReadFile(m.Path)
	if err != nil {
		return "", httpx.Wrap(backend.Errorf(backend.EInvalid, "media.unreadable", "cannot read image %s", filepath.Base(m.Path)).WithParam("file", filepath.Base(m.Path)), err)
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, filepath.Base(m.Path)))
	mt := m.MIME
	if mt == "" {
		mt = "application/octet-stream"
	}
	h.Set("Content-Type", mt)
	part, _ := w.CreatePart(h)
	part.Write(data)
	if m.Alt != "" {
		w.WriteField("description", m.Alt)
	}
	if f, ok := Focus(m); ok {
		w.WriteField("focus", f)
	}
	w.Close()

	var media Media
	status, err := c.callStatus(ctx, http.MethodPost, "/api/v2/media", &body, w.FormDataContentType(), nil, &media)
	if err != nil {
		return "", fmt.Errorf("upload to mastodon: %w", err)
	}
	if media.ID == "" {
		return "", c.badAnswer()
	}
	if status == http.StatusOK && media.URL != nil {
		return media.ID, nil
	}
	return media.ID, c.waitMedia(ctx, media.ID)
}

// waitMedia polls GET /api/v1/media/:id until it answers 200 (206 means
// still processing).
func (c *Client) waitMedia(ctx context.Context, id string) error {
	interval, polls := c.PollInterval, c.MaxPolls
	if interval <= 0 {
		interval = time.Second
	}
	if polls <= 0 {
		polls = 60
	}
	t := time.NewTimer(interval)
	defer t.Stop()
	for i := 0; i < polls; i++ {
		select {
		case <-ctx.Done():
			return httpx.Transport("mastodon.unreachable", c.host(), ctx.Err())
		case <-t.C:
		}
		var media Media
		status, err := c.callStatus(ctx, http.MethodGet, "/api/v1/media/"+url.PathEscape(id), nil, "", nil, &media)
		if err != nil {
			return fmt.Errorf("wait for mastodon media: %w", err)
		}
		if status == http.StatusOK {
			return nil
		}
		t.Reset(interval)
	}
	return backend.Errorf(backend.ETransient, "mastodon.media_processing", "%s is still processing the image: retry later", c.host()).WithParam("host", c.host())
}

// Focus converts Pauta's focal point (0..1 from the top-left) to Mastodon's
// "x,y" in -1..1 with y pointing up. A zero focal point (0,0) means "not
// set" and sends nothing, so the instance centres the crop.
func Focus(m backend.MediaFile) (string, bool) {
	if m.FocusX == 0 && m.FocusY == 0 {
		return "", false
	}
	clamp := func(v float64) float64 { return min(1, max(-1, v)) }
	x := clamp(m.FocusX*2 - 1)
	y := clamp(1 - m.FocusY*2)
	return strconv.FormatFloat(x, 'f', 2, 64) + "," + strconv.FormatFloat(y, 'f', 2, 64), true
}

// --- the request helper -------------------------------------------------

func (c *Client) call(ctx context.Context, method, path string, body io.Reader, contentType string, h http.Header, out any) error {
	_, _, err := c.do(ctx, method, path, body, contentType, h, out)
	return err
}

func (c *Client) callStatus(ctx context.Context, method, path string, body io.Reader, contentType string, h http.Header, out any) (int, error) {
	st, _, err := c.do(ctx, method, path, body, contentType, h, out)
	return st, err
}

func (c *Client) callHeader(ctx context.Context, method, path string, body io.Reader, contentType string, h http.Header, out any) (http.Header, error) {
	_, hdr, err := c.do(ctx, method, path, body, contentType, h, out)
	return hdr, err
}

// do sends one request and classifies the answer. The token goes only into
// the Authorization header; server text is scrubbed of it before it lands
// in an error.
func (c *Client) do(ctx context.Context, method, path string, body io.Reader, contentType string, extra http.Header, out any) (int, http.Header, error) {
	var b []byte
	if body != nil {
		var err error
		if b, err = io.ReadAll(body); err != nil {
			return 0, nil, err
		}
	}
	h := http.Header{"Accept": {"application/json"}}
	if c.Token != "" {
		h.Set("Authorization", httpx.Bearer(c.Token))
	}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	for k, v := range extra {
		h[k] = v
	}
	resp, err := httpx.Do(ctx, c.HTTP, httpx.Request{Method: method, URL: c.BaseURL + path, Header: h, Body: b})
	if err != nil {
		return 0, nil, httpx.Transport("mastodon.unreachable", c.host(), err)
	}
	if e := c.classify(resp); e != nil {
		return resp.Status, resp.Header, e
	}
	if out != nil && resp.Status != http.StatusNoContent {
		if !resp.JSON() {
			return resp.Status, resp.Header, c.badAnswer()
		}
		if err := json.Unmarshal(resp.Body, out); err != nil {
			return resp.Status, resp.Header, httpx.Wrap(c.badAnswer(), err)
		}
	}
	return resp.Status, resp.Header, nil
}

// classify maps a non-2xx answer: 401 EAuth, 429 ERateLimited, 5xx
// ETransient, other 4xx EInvalid with the server's own (safe) error text.
func (c *Client) classify(resp *httpx.Response) *backend.Error {
	if resp.Status >= 200 && resp.Status < 300 {
		return nil
	}
	if e := httpx.Status(resp, c.Clock.Now(), c.host()); e != nil {
		return e
	}
	var body struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if resp.JSON() {
		_ = json.Unmarshal(resp.Body, &body)
	}
	detail := httpx.Clip(httpx.Scrub(firstNonEmpty(body.Error, body.Description), c.Token), 500)
	st := strconv.Itoa(resp.Status)
	if resp.Status == http.StatusUnauthorized {
		return backend.Errorf(backend.EAuth, "mastodon.token_invalid", "the access token for %s was rejected: connect the account again", c.host()).
			WithParam("host", c.host()).WithParam("status", st)
	}
	if detail == "" {
		if !resp.JSON() && resp.Status == http.StatusNotFound {
			return c.notMastodon().WithParam("status", st)
		}
		detail = http.StatusText(resp.Status)
	}
	return backend.Errorf(backend.EInvalid, "network.rejected", "%s refused the request (%d): %s", c.host(), resp.Status, detail).
		WithParam("host", c.host()).WithParam("status", st).WithParam("detail", detail)
}

// keyBadAnswer marks a 2xx that is not the JSON Mastodon sends (a proxy's
// page, a cut-off body): retryable when publishing, "not Mastodon" when
// connecting.
const keyBadAnswer = "mastodon.bad_answer"

func (c *Client) badAnswer() *backend.Error {
	return backend.Errorf(backend.ETransient, keyBadAnswer, "%s gave an unexpected answer: retry later", c.host()).WithParam("host", c.host())
}

// nextPage follows a Link rel="next" only on this instance, so the token is
// never sent anywhere else.
func (c *Client) nextPage(link string) string {
	for _, part := range strings.Split(link, ",") {
		segs := strings.Split(part, ";")
		if len(segs) < 2 || !strings.Contains(strings.Join(segs[1:], ";"), `rel="next"`) {
			continue
		}
		raw := strings.Trim(strings.TrimSpace(segs[0]), "<>")
		u, err := url.Parse(raw)
		if err != nil || u.Scheme+"://"+u.Host != c.BaseURL {
			return ""
		}
		return u.RequestURI()
	}
	return ""
}

func (c *Client) host() string {
	if u, err := url.Parse(c.BaseURL); err == nil && u.Host != "" {
		return u.Host
	}
	return c.BaseURL
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func orInt(v, d int) int {
	if v > 0 {
		return v
	}
	return d
}

func orInt64(v, d int64) int64 {
	if v > 0 {
		return v
	}
	return d
}
