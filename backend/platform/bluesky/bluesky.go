// Package bluesky publishes to Bluesky (AT Protocol) with an app password:
// log in once, keep the session (access + refresh JWT) in the keychain
// through a SessionStore, refresh it when it expires, and write posts with
// putRecord under a client-chosen record key so a retry is a no-op.
package bluesky

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"pauta/backend"
	"pauta/backend/platform/httpx"
)

// DefaultService is Bluesky's entryway, which handles sessions.
const DefaultService = "https://bsky.social"

// MaxImageBytes is the image blob limit Pauta targets (older PDS lexicons
// reject more; the media presets fit it).
const MaxImageBytes = 1_000_000

// MaxImages is the most images app.bsky.embed.images takes.
const MaxImages = 4

// Session is a logged-in session. It holds the tokens, so it goes only to
// the SessionStore (the keychain), never to the database or a log: String
// leaves the tokens out.
type Session struct {
	DID        string `json:"did"`
	Handle     string `json:"handle"`
	PDS        string `json:"pds"` // repo calls go here (from the DID document)
	AccessJWT  string `json:"accessJwt"`
	RefreshJWT string `json:"refreshJwt"`
}

// String prints a session without its tokens.
func (s Session) String() string {
	return fmt.Sprintf("bluesky.Session{DID:%s Handle:%s PDS:%s}", s.DID, s.Handle, s.PDS)
}

// GoString keeps the tokens out of %#v too.
func (s Session) GoString() string { return s.String() }

// Identity is what Login returns: who the account is, with no tokens.
type Identity struct {
	DID    string `json:"did"`
	Handle string `json:"handle"`
	PDS    string `json:"pds"`
}

// SessionStore persists one account's session (the app backs it with the
// keychain, sealed with the account's server and DID: app/secrets.go). Load
// answers an ENotFound *backend.Error when there is none.
type SessionStore interface {
	Load(ctx context.Context) (Session, error)
	Save(ctx context.Context, s Session) error
}

// Client talks to Bluesky as one account.
type Client struct {
	Service  string // entryway or PDS URL for sessions (normalised by New)
	HTTP     *http.Client
	Clock    backend.Clock
	Sessions SessionStore

	mu        sync.Mutex // guards session
	session   *Session
	refreshMu sync.Mutex // one refresh at a time: refresh tokens rotate
}

var _ backend.Publisher = (*Client)(nil)

// New checks the service address (https only, except on localhost; empty =
// bsky.social) and returns a client.
func New(service string, hc *http.Client, clock backend.Clock, sessions SessionStore) (*Client, error) {
	if strings.TrimSpace(service) == "" {
		service = DefaultService
	}
	base, err := NormalizeURL(service)
	if err != nil {
		return nil, err
	}
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	if clock == nil {
		clock = backend.SystemClock{}
	}
	return &Client{Service: base, HTTP: hc, Clock: clock, Sessions: sessions}, nil
}

// NormalizeURL turns a typed server address into https://host[:port].
func NormalizeURL(raw string) (string, error) {
	u, err := httpx.BaseURL(raw)
	switch err {
	case nil:
		return u.String(), nil
	case httpx.ErrNotHTTPS:
		return "", backend.Errorf(backend.EInvalid, "bluesky.https_required", "the server address must start with https://").WithField("service")
	default:
		return "", backend.Errorf(backend.EInvalid, "bluesky.url_invalid", "%q is not a server address", raw).WithField("service")
	}
}

// NormalizeIdentifier trims a typed handle ("@Marca.bsky.social" →
// "marca.bsky.social"); e-mail addresses and DIDs pass through.
func NormalizeIdentifier(id string) string {
	id = strings.TrimSpace(id)
	if strings.HasPrefix(id, "did:") || strings.Contains(strings.TrimPrefix(id, "@"), "@") {
		return id
	}
	return strings.ToLower(strings.TrimPrefix(id, "@"))
}

// authed runs an authenticated XRPC call on the account's PDS, refreshing
// the session once on ExpiredToken.
func (c *Client) authed(ctx context.Context, method, nsid string, q url.Values, contentType string, body []byte, out any) error {
	s, err := c.current(ctx)
	if err != nil {
		return err
	}
	err = c.xrpc(ctx, s.PDS, method, nsid, q, contentType, body, s.AccessJWT, out)
	if backend.AsError(err) == nil || backend.AsError(err).Params["error"] != "ExpiredToken" {
		return err
	}
	if s, err = c.refresh(ctx, s.AccessJWT); err != nil {
		return err
	}
	return c.xrpc(ctx, s.PDS, method, nsid, q, contentType, body, s.AccessJWT, out)
}

// xrpc sends one call to base and classifies the answer. token (optional)
// goes only into the Authorization header; secrets are scrubbed out of any
// server text that ends up in an error.
func (c *Client) xrpc(ctx context.Context, base, method, nsid string, q url.Values, contentType string, body []byte, token string, out any, secrets ...string) error {
	u := base + "/xrpc/" + nsid
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	h := http.Header{"Accept": {"application/json"}}
	if token != "" {
		h.Set("Authorization", httpx.Bearer(token))
	}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	host := hostOf(base)
	resp, err := httpx.Do(ctx, c.HTTP, httpx.Request{Method: method, URL: u, Header: h, Body: body})
	if err != nil {
		return httpx.Transport("bluesky.unreachable", host, err)
	}
	if e := c.classify(resp, host, append(secrets, token)...); e != nil {
		return e
	}
	if out == nil {
		return nil
	}
	if !resp.JSON() {
		return badAnswer(host)
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return httpx.Wrap(badAnswer(host), err)
	}
	return nil
}

func badAnswer(host string) *backend.Error {
	return backend.Errorf(backend.ETransient, "bluesky.bad_answer", "%s gave an unexpected answer: retry later", host).WithParam("host", host)
}

// classify maps an XRPC error ({error, message}; a proxy may send HTML).
// Params["error"] keeps the XRPC error name for callers (ExpiredToken,
// InvalidSwap, RecordNotFound).
func (c *Client) classify(resp *httpx.Response, host string, secrets ...string) *backend.Error {
	if resp.Status >= 200 && resp.Status < 300 {
		return nil
	}
	var x struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	if resp.JSON() {
		_ = json.Unmarshal(resp.Body, &x)
	}
	name := httpx.Clip(httpx.Scrub(x.Error, secrets...), 100)
	if e := httpx.Status(resp, c.Clock.Now(), host); e != nil {
		return e.WithParam("error", name)
	}
	detail := httpx.Clip(httpx.Scrub(firstNonEmpty(x.Message, x.Error), secrets...), 500)
	st := strconv.Itoa(resp.Status)
	switch {
	case name == "ExpiredToken" || name == "InvalidToken" || resp.Status == http.StatusUnauthorized:
		return backend.Errorf(backend.EAuth, "bluesky.session_expired", "%s refused the session (%s): connect the account again", host, firstNonEmpty(name, st)).
			WithParam("host", host).WithParam("status", st).WithParam("error", name)
	case resp.Status == http.StatusRequestEntityTooLarge:
		return backend.Errorf(backend.EInvalid, "bluesky.image_too_large", "%s refused a file as too large", host).
			WithParam("host", host).WithParam("status", st).WithParam("max", strconv.Itoa(MaxImageBytes)).WithParam("error", name)
	case name == "RecordNotFound":
		return backend.Errorf(backend.ENotFound, "bluesky.record_not_found", "no such record on %s", host).
			WithParam("host", host).WithParam("status", st).WithParam("error", name)
	}
	if detail == "" {
		detail = http.StatusText(resp.Status)
	}
	return backend.Errorf(backend.EInvalid, "network.rejected", "%s refused the request (%d): %s", host, resp.Status, detail).
		WithParam("host", host).WithParam("status", st).WithParam("detail", detail).WithParam("error", name)
}

// ResolveHandle asks base (a PDS or the entryway) for a handle's DID. A
// handle that does not resolve is ENotFound bluesky.handle_unresolved.
func (c *Client) ResolveHandle(ctx context.Context, base, handle string) (string, error) {
	var out struct {
		DID string `json:"did"`
	}
	err := c.xrpc(ctx, base, http.MethodGet, "com.atproto.identity.resolveHandle", url.Values{"handle": {handle}}, "", nil, "", &out)
	if e := backend.AsError(err); e != nil {
		if e.Code == backend.EInvalid || e.Code == backend.ENotFound {
			return "", httpx.Wrap(backend.Errorf(backend.ENotFound, "bluesky.handle_unresolved", "the handle %s does not exist", handle).WithParam("handle", handle), err)
		}
		return "", err
	}
	if !strings.HasPrefix(out.DID, "did:") {
		return "", badAnswer(hostOf(base))
	}
	return out.DID, nil
}

// --- records ------------------------------------------------------------

// Blob is a blob reference as uploadBlob returns it, kept verbatim so the
// record is byte-identical on a retry.
type Blob = json.RawMessage

// Image is one entry of app.bsky.embed.images.
type Image struct {
	Image       Blob         `json:"image"`
	Alt         string       `json:"alt"` // required by the lexicon, "" allowed
	AspectRatio *AspectRatio `json:"aspectRatio,omitempty"`
}

// AspectRatio is the image's width and height.
type AspectRatio struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

// Embed is app.bsky.embed.images.
type Embed struct {
	Type   string  `json:"$type"`
	Images []Image `json:"images"`
}

// StrongRef points at a record by URI and CID.
type StrongRef struct {
	URI string `json:"uri"`
	CID string `json:"cid"`
}

// ReplyRef makes a post a reply.
type ReplyRef struct {
	Root   StrongRef `json:"root"`
	Parent StrongRef `json:"parent"`
}

// Post is an app.bsky.feed.post record. Field order is fixed, so the same
// request always encodes to the same bytes.
type Post struct {
	Type      string    `json:"$type"`
	Text      string    `json:"text"`
	CreatedAt string    `json:"createdAt"`
	Langs     []string  `json:"langs,omitempty"`
	Facets    []Facet   `json:"facets,omitempty"`
	Reply     *ReplyRef `json:"reply,omitempty"`
	Embed     *Embed    `json:"embed,omitempty"`
}

// Collection is where posts live.
const Collection = "app.bsky.feed.post"

// Record is a post read back from the repo.
type Record struct {
	Ref  backend.RemoteRef
	Post Post
	Raw  json.RawMessage
}

// Publish uploads the images, builds the post (facets, langs, embed,
// reply) and writes it with putRecord at req.RecordKey, swapRecord null. A
// retry with the same request writes nothing and returns the same URI and
// CID; if a previous attempt left a different record at that key (say an
// image was re-encoded), that record is the published post and is returned.
func (c *Client) Publish(ctx context.Context, req backend.PublishRequest) (backend.RemoteRef, error) {
	if !ValidTID(req.RecordKey) || req.CreatedAt.IsZero() {
		// Generated once and stored with the variant: a bug if missing.
		return backend.RemoteRef{}, backend.Errorf(backend.EInternal, "internal", "bluesky publish without a valid record key or createdAt")
	}
	if req.Like != nil {
		return c.Like(ctx, req) // like.go
	}
	s, err := c.current(ctx)
	if err != nil {
		return backend.RemoteRef{}, fmt.Errorf("publish to bluesky: %w", err)
	}
	post, err := c.BuildPost(ctx, req)
	if err != nil {
		return backend.RemoteRef{}, fmt.Errorf("publish to bluesky: %w", err)
	}
	body, err := json.Marshal(putRecordInput{Repo: s.DID, Collection: Collection, Rkey: req.RecordKey, Record: post, SwapRecord: nil})
	if err != nil {
		return backend.RemoteRef{}, err
	}
	var out StrongRef
	err = c.authed(ctx, http.MethodPost, "com.atproto.repo.putRecord", nil, "application/json", body, &out)
	if e := backend.AsError(err); e != nil && e.Params["error"] == "InvalidSwap" {
		rec, gerr := c.GetRecord(ctx, req.RecordKey)
		if gerr != nil {
			return backend.RemoteRef{}, fmt.Errorf("publish to bluesky: %w", err)
		}
		return rec.Ref, nil
	}
	if err != nil {
		return backend.RemoteRef{}, fmt.Errorf("publish to bluesky: %w", err)
	}
	if out.URI == "" || out.CID == "" {
		return backend.RemoteRef{}, badAnswer(hostOf(s.PDS))
	}
	s, _ = c.current(ctx) // the handle, after a possible refresh
	return c.ref(s, req.RecordKey, out), nil
}

type putRecordInput struct {
	Repo       string  `json:"repo"`
	Collection string  `json:"collection"`
	Rkey       string  `json:"rkey"`
	Record     Post    `json:"record"`
	SwapRecord *string `json:"swapRecord"` // null: write only if absent (or identical)
}

func (c *Client) ref(s Session, rkey string, r StrongRef) backend.RemoteRef {
	who := s.Handle
	if who == "" || who == "handle.invalid" {
		who = s.DID
	}
	return backend.RemoteRef{ID: rkey, URI: r.URI, CID: r.CID, URL: "https://bsky.app/profile/" + who + "/post/" + rkey}
}

// BuildPost uploads req's images and returns the record Publish would write.
func (c *Client) BuildPost(ctx context.Context, req backend.PublishRequest) (Post, error) {
	p := Post{Type: Collection, Text: req.Text, CreatedAt: req.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z")}
	if req.Language != "" {
		p.Langs = []string{req.Language}
	}
	facets, err := c.Facets(ctx, req.Text)
	if err != nil {
		return Post{}, err
	}
	p.Facets = facets
	if req.ReplyTo != nil {
		root := req.Root
		if root == nil {
			root = req.ReplyTo
		}
		if req.ReplyTo.URI == "" || req.ReplyTo.CID == "" || root.URI == "" || root.CID == "" {
			return Post{}, backend.Errorf(backend.EInternal, "internal", "bluesky reply without the parent's uri and cid")
		}
		p.Reply = &ReplyRef{Root: StrongRef{root.URI, root.CID}, Parent: StrongRef{req.ReplyTo.URI, req.ReplyTo.CID}}
	}
	if len(req.Media) > MaxImages {
		return Post{}, backend.Errorf(backend.EInvalid, "bluesky.too_many_images", "a Bluesky post takes at most %d images", MaxImages).WithParam("max", strconv.Itoa(MaxImages))
	}
	if len(req.Media) > 0 {
		// Check every size before uploading anything.
		files := make([][]byte, len(req.Media))
		for i, m := range req.Media {
			b, err := os.ReadFile(m.Path)
			if err != nil {
				return Post{}, httpx.Wrap(backend.Errorf(backend.EInvalid, "media.unreadable", "cannot read image %s", filepath.Base(m.Path)).WithParam("file", filepath.Base(m.Path)), err)
			}
			if len(b) > MaxImageBytes {
				return Post{}, backend.Errorf(backend.EInvalid, "bluesky.image_too_large", "image %s is %d bytes; Bluesky takes at most %d", filepath.Base(m.Path), len(b), MaxImageBytes).
					WithParam("file", filepath.Base(m.Path)).WithParam("size", strconv.Itoa(len(b))).WithParam("max", strconv.Itoa(MaxImageBytes))
			}
			files[i] = b
		}
		e := &Embed{Type: "app.bsky.embed.images"}
		for i, m := range req.Media {
			blob, err := c.UploadBlob(ctx, files[i], m.MIME)
			if err != nil {
				return Post{}, fmt.Errorf("image %d: %w", i+1, err)
			}
			img := Image{Image: blob, Alt: m.Alt}
			if m.Width > 0 && m.Height > 0 {
				img.AspectRatio = &AspectRatio{m.Width, m.Height}
			}
			e.Images = append(e.Images, img)
		}
		p.Embed = e
	}
	return p, nil
}

// UploadBlob uploads raw bytes and returns the blob reference.
func (c *Client) UploadBlob(ctx context.Context, data []byte, mimeType string) (Blob, error) {
	if len(data) > MaxImageBytes {
		return nil, backend.Errorf(backend.EInvalid, "bluesky.image_too_large", "the image is %d bytes; Bluesky takes at most %d", len(data), MaxImageBytes).
			WithParam("size", strconv.Itoa(len(data))).WithParam("max", strconv.Itoa(MaxImageBytes))
	}
	if mimeType == "" {
		mimeType = http.DetectContentType(data)
	}
	var out struct {
		Blob json.RawMessage `json:"blob"`
	}
	if err := c.authed(ctx, http.MethodPost, "com.atproto.repo.uploadBlob", nil, mimeType, data, &out); err != nil {
		return nil, fmt.Errorf("upload to bluesky: %w", err)
	}
	if len(out.Blob) == 0 || out.Blob[0] != '{' {
		return nil, badAnswer("bluesky")
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, out.Blob); err != nil {
		return nil, httpx.Wrap(badAnswer("bluesky"), err)
	}
	return Blob(compact.Bytes()), nil
}

// Facets detects links, mentions and hashtags in text. Mentions are
// resolved to DIDs on the account's PDS; a handle that does not resolve
// stays plain text. A network failure while resolving is an error (retry
// later) rather than a post with a mention silently missing.
func (c *Client) Facets(ctx context.Context, text string) ([]Facet, error) {
	var out []Facet
	resolved := map[string]string{}
	for _, cand := range DetectFacets(text) {
		f := Facet{Index: ByteSlice{cand.Start, cand.End}}
		switch cand.Kind {
		case FeatureLink:
			f.Features = []FacetFeature{{Type: FeatureLink, URI: cand.Value}}
		case FeatureTag:
			f.Features = []FacetFeature{{Type: FeatureTag, Tag: cand.Value}}
		case FeatureMention:
			did, ok := resolved[cand.Value]
			if !ok {
				s, err := c.current(ctx)
				if err != nil {
					return nil, err
				}
				did, err = c.ResolveHandle(ctx, s.PDS, cand.Value)
				if backend.ErrorCode(err) == backend.ENotFound {
					did = ""
				} else if err != nil {
					return nil, fmt.Errorf("resolve @%s: %w", cand.Value, err)
				}
				resolved[cand.Value] = did
			}
			if did == "" {
				continue
			}
			f.Features = []FacetFeature{{Type: FeatureMention, DID: did}}
		}
		out = append(out, f)
	}
	return out, nil
}

// GetRecord reads a post of this account by record key: after a crash, it
// tells whether a publish went through. A missing record is ENotFound
// bluesky.record_not_found.
func (c *Client) GetRecord(ctx context.Context, rkey string) (Record, error) {
	s, err := c.current(ctx)
	if err != nil {
		return Record{}, err
	}
	var out struct {
		URI   string          `json:"uri"`
		CID   string          `json:"cid"`
		Value json.RawMessage `json:"value"`
	}
	q := url.Values{"repo": {s.DID}, "collection": {Collection}, "rkey": {rkey}}
	if err := c.authed(ctx, http.MethodGet, "com.atproto.repo.getRecord", q, "", nil, &out); err != nil {
		return Record{}, fmt.Errorf("read bluesky record %s: %w", rkey, err)
	}
	r := Record{Ref: c.ref(s, rkey, StrongRef{out.URI, out.CID}), Raw: out.Value}
	if err := json.Unmarshal(out.Value, &r.Post); err != nil {
		return Record{}, httpx.Wrap(badAnswer(hostOf(s.PDS)), err)
	}
	return r, nil
}

// --- small helpers ----------------------------------------------------------

func hostOf(base string) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return u.Host
	}
	return base
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
