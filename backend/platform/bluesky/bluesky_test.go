package bluesky_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/platform/bluesky"
)

var now = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// memStore is a SessionStore in memory that records every save.
type memStore struct {
	mu    sync.Mutex
	saved []bluesky.Session
}

func (m *memStore) Load(ctx context.Context) (bluesky.Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.saved) == 0 {
		return bluesky.Session{}, backend.Errorf(backend.ENotFound, "keychain.not_found", "none")
	}
	return m.saved[len(m.saved)-1], nil
}

func (m *memStore) Save(ctx context.Context, s bluesky.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.saved = append(m.saved, s)
	return nil
}

func (m *memStore) last() bluesky.Session {
	s, _ := m.Load(context.Background())
	return s
}

func newClient(t *testing.T, f *fakeNet, store bluesky.SessionStore) *bluesky.Client {
	t.Helper()
	c, err := bluesky.New(f.entryway.URL, f.entryway.Client(), backend.FixedClock{T: now}, store)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// loggedIn returns a client with a session, as after connecting the account.
func loggedIn(t *testing.T, f *fakeNet) (*bluesky.Client, *memStore) {
	t.Helper()
	store := &memStore{}
	c := newClient(t, f, store)
	if _, err := c.Login(context.Background(), handle, appPassword); err != nil {
		t.Fatal(err)
	}
	return c, store
}

func wantErr(t *testing.T, err error, code, key string) *backend.Error {
	t.Helper()
	e := backend.AsError(err)
	if e == nil || e.Code != code || (key != "" && e.Key != key) {
		t.Fatalf("got %#v (%v), want %s/%s", e, err, code, key)
	}
	return e
}

func TestTID(t *testing.T) {
	seen := map[string]bool{}
	prev := ""
	for i := 0; i < 2000; i++ {
		clock := backend.FixedClock{T: now.Add(time.Duration(i) * time.Millisecond)}
		tid := bluesky.NewTID(clock)
		// The spec: 13 characters of base32-sortable, the first in 2-7 or a-j (top bit 0).
		if len(tid) != 13 || !strings.ContainsRune("234567abcdefghij", rune(tid[0])) {
			t.Fatalf("bad TID %q", tid)
		}
		for _, r := range tid {
			if !strings.ContainsRune("234567abcdefghijklmnopqrstuvwxyz", r) {
				t.Fatalf("TID %q has %q", tid, r)
			}
		}
		if !bluesky.ValidTID(tid) {
			t.Fatalf("ValidTID(%q) = false", tid)
		}
		if tid <= prev {
			t.Fatalf("TIDs must sort by time: %q after %q", tid, prev)
		}
		us, _ := bluesky.TIDTime(tid)
		if us != clock.T.UnixMicro() {
			t.Fatalf("TID %q encodes %d, want %d", tid, us, clock.T.UnixMicro())
		}
		prev = tid
		seen[tid] = true
	}
	for _, bad := range []string{"", "3jzfcijpj2z2", "3jzfcijpj2z2aa", "kjzfcijpj2z2a", "3jzfcijpj2z21", "3JZFCIJPJ2Z2A", "3jzfcijpj2z2-"} {
		if bluesky.ValidTID(bad) {
			t.Errorf("ValidTID(%q) = true", bad)
		}
	}
	if !bluesky.ValidTID("3jzfcijpj2z2a") { // the spec's example
		t.Error("the spec's example TID is valid")
	}
}

func TestDetectFacets(t *testing.T) {
	type want struct{ kind, span, value string }
	link, mention, tag := bluesky.FeatureLink, bluesky.FeatureMention, bluesky.FeatureTag
	tests := []struct {
		text string
		want []want
	}{
		{"¡Hola! 👋🏽 Mira https://example.com/café?x=1. #Verano2026 con @amiga.test 😊",
			[]want{{link, "https://example.com/café?x=1", "https://example.com/café?x=1"}, {tag, "#Verano2026", "Verano2026"}, {mention, "@amiga.test", "amiga.test"}}},
		{"新しい投稿 #日本語タグ と https://例え.jp/パス @Marca.Test。",
			[]want{{tag, "#日本語タグ", "日本語タグ"}, {link, "https://例え.jp/パス", "https://例え.jp/パス"}, {mention, "@Marca.Test", "marca.test"}}},
		{"Café ☕️ (https://example.com/a) and https://en.wikipedia.org/wiki/Foo_(bar)",
			[]want{{link, "https://example.com/a", "https://example.com/a"}, {link, "https://en.wikipedia.org/wiki/Foo_(bar)", "https://en.wikipedia.org/wiki/Foo_(bar)"}}},
		{"#1 is not a tag, #️⃣ neither; #tag, next! #ñandú…", []want{{tag, "#tag", "tag"}, {tag, "#ñandú", "ñandú"}}},
		{"mail bob@example.com, @nodot, @trailing.test. and (@paren.test)",
			[]want{{mention, "@trailing.test", "trailing.test"}, {mention, "@paren.test", "paren.test"}}},
		{"https://x.com/#anchor @bob.test", []want{{link, "https://x.com/#anchor", "https://x.com/#anchor"}, {mention, "@bob.test", "bob.test"}}},
		{"#" + strings.Repeat("a", 64) + " #" + strings.Repeat("b", 65), []want{{tag, "#" + strings.Repeat("a", 64), strings.Repeat("a", 64)}}},
		{"HTTPS://EXAMPLE.COM/X!", []want{{link, "HTTPS://EXAMPLE.COM/X", "HTTPS://EXAMPLE.COM/X"}}},
		{"no facets: http:// alone, ftp://x.y, word#tag", nil},
	}
	for _, tt := range tests {
		got := bluesky.DetectFacets(tt.text)
		var g []want
		for _, c := range got {
			g = append(g, want{c.Kind, tt.text[c.Start:c.End], c.Value})
		}
		if !reflect.DeepEqual(g, tt.want) {
			t.Errorf("%q:\n got %q\nwant %q", tt.text, g, tt.want)
		}
	}
}

func TestLogin(t *testing.T) {
	f := newFakeNet(t)
	store := &memStore{}
	c := newClient(t, f, store)
	id, err := c.Login(context.Background(), " @Marca.Test ", appPassword)
	if err != nil {
		t.Fatal(err)
	}
	if id.DID != did || id.Handle != handle || id.PDS != f.pds.URL {
		t.Fatalf("identity %+v (the PDS comes from the DID document)", id)
	}
	var body map[string]string
	json.Unmarshal(f.requests("entryway:com.atproto.server.createSession")[0].Body, &body)
	if !reflect.DeepEqual(body, map[string]string{"identifier": handle, "password": appPassword}) {
		t.Fatalf("createSession body %v", body)
	}
	s := store.last()
	if s.AccessJWT != access1 || s.RefreshJWT != refresh1 || s.PDS != f.pds.URL {
		t.Fatalf("saved session %v", s)
	}
	if b, _ := json.Marshal(id); strings.Contains(string(b), "JWT") {
		t.Fatalf("Identity carries a token: %s", b)
	}
	if str := fmt.Sprintf("%v %+v %#v %s", s, s, s, s); strings.Contains(str, "JWT") {
		t.Fatalf("a printed Session shows its tokens: %s", str)
	}

	t.Run("no DID document: the service is the PDS", func(t *testing.T) {
		f := newFakeNet(t)
		f.noDIDDoc = true
		id, err := newClient(t, f, &memStore{}).Login(context.Background(), handle, appPassword)
		if err != nil || id.PDS != f.entryway.URL {
			t.Fatalf("%+v %v", id, err)
		}
	})

	tests := []struct {
		name, identifier, password string
		override                   http.HandlerFunc
		code, key                  string
	}{
		{"wrong password", handle, "wrong-pass-word-xxxx", nil, backend.EAuth, "bluesky.bad_password"},
		{"unknown handle", "nadie.test", appPassword, nil, backend.EInvalid, "bluesky.handle_unresolved"},
		{"email and wrong password", "marca@example.com", "x", nil, backend.EAuth, "bluesky.bad_password"},
		{"2FA: main password used", handle, "main-password", func(w http.ResponseWriter, r *http.Request) {
			xrpcErr(w, 401, "AuthFactorTokenRequired", "A sign in code has been sent to your email address")
		}, backend.EAuth, "bluesky.app_password_required"},
		{"takedown", handle, appPassword, func(w http.ResponseWriter, r *http.Request) {
			xrpcErr(w, 401, "AccountTakedown", "Account has been taken down")
		}, backend.EAuth, "bluesky.account_inactive"},
		{"rate limited", handle, appPassword, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("RateLimit-Reset", fmt.Sprint(now.Add(10*time.Minute).Unix()))
			xrpcErr(w, 429, "RateLimitExceeded", "Rate Limit Exceeded")
		}, backend.ERateLimited, "network.rate_limited"},
		{"empty", "", "", nil, backend.EInvalid, "bluesky.credentials_required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeNet(t)
			if tt.override != nil {
				f.override["entryway:com.atproto.server.createSession"] = tt.override
			}
			store := &memStore{}
			_, err := newClient(t, f, store).Login(context.Background(), tt.identifier, tt.password)
			e := wantErr(t, err, tt.code, tt.key)
			if len(store.saved) != 0 {
				t.Fatal("a failed login stored a session")
			}
			if tt.code == backend.ERateLimited && e.RetryAfter != 10*time.Minute {
				t.Fatalf("RetryAfter %s", e.RetryAfter)
			}
			if strings.Contains(err.Error(), tt.password) && tt.password != "" {
				t.Fatal("the password is in the error")
			}
		})
	}

	t.Run("unreachable", func(t *testing.T) {
		f := newFakeNet(t)
		c := newClient(t, f, &memStore{})
		f.entryway.Close()
		_, err := c.Login(context.Background(), handle, appPassword)
		wantErr(t, err, backend.ETransient, "bluesky.unreachable")
	})
	t.Run("http refused", func(t *testing.T) {
		_, err := bluesky.New("http://bsky.social", nil, nil, nil)
		wantErr(t, err, backend.EInvalid, "bluesky.https_required")
	})
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const postText = "¡Nuevo menú! 🌮🇲🇽 Café, crème brûlée y 寿司. Más en https://example.com/menú?día=1 #Otoño2026 con @amiga.test y @nadie.test 🎉"

func publishRequest(t *testing.T, media ...backend.MediaFile) backend.PublishRequest {
	return backend.PublishRequest{
		Text: postText, Language: "es", Media: media,
		RecordKey: "3lbxhkfzywc2s", CreatedAt: time.Date(2026, 3, 1, 9, 30, 15, 123456789, time.FixedZone("CET", 3600)),
	}
}

type putBody struct {
	Repo       string          `json:"repo"`
	Collection string          `json:"collection"`
	Rkey       string          `json:"rkey"`
	Record     json.RawMessage `json:"record"`
	SwapRecord *string         `json:"swapRecord"`
}

func TestPublish(t *testing.T) {
	f := newFakeNet(t)
	c, _ := loggedIn(t, f)
	img := []byte("\xff\xd8\xff\xe0 a small jpeg")
	req := publishRequest(t, backend.MediaFile{Path: writeFile(t, "menu.jpg", img), MIME: "image/jpeg", Alt: "Tacos al pastor", Width: 1200, Height: 800},
		backend.MediaFile{Path: writeFile(t, "b.png", []byte("png")), MIME: "image/png", Alt: "", Width: 0, Height: 0})
	ctx := context.Background()

	ref, err := c.Publish(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	wantURI := "at://" + did + "/app.bsky.feed.post/" + req.RecordKey
	if ref.ID != req.RecordKey || ref.URI != wantURI || ref.CID == "" || ref.URL != "https://bsky.app/profile/marca.test/post/"+req.RecordKey {
		t.Fatalf("ref %+v", ref)
	}

	// Repo calls go to the PDS from the DID document, never the entryway.
	if len(f.requests("entryway:com.atproto.repo.putRecord")) != 0 {
		t.Fatal("putRecord went to the entryway")
	}
	ups := f.requests("pds:com.atproto.repo.uploadBlob")
	if len(ups) != 2 || string(ups[0].Body) != string(img) || ups[0].Header.Get("Content-Type") != "image/jpeg" || ups[0].Header.Get("Authorization") != "Bearer "+access1 {
		t.Fatalf("uploadBlob: %d calls, first %q %q", len(ups), ups[0].Header.Get("Content-Type"), ups[0].Body)
	}
	puts := f.requests("pds:com.atproto.repo.putRecord")
	if len(puts) != 1 || puts[0].Header.Get("Authorization") != "Bearer "+access1 || puts[0].Header.Get("Content-Type") != "application/json" {
		t.Fatalf("putRecord: %d calls", len(puts))
	}
	if !strings.Contains(string(puts[0].Body), `"swapRecord":null`) {
		t.Fatalf("swapRecord must be sent as null: %s", puts[0].Body)
	}
	var pb putBody
	json.Unmarshal(puts[0].Body, &pb)
	if pb.Repo != did || pb.Collection != "app.bsky.feed.post" || pb.Rkey != req.RecordKey || pb.SwapRecord != nil {
		t.Fatalf("putRecord body %s", puts[0].Body)
	}
	var rec struct {
		Type      string          `json:"$type"`
		Text      string          `json:"text"`
		CreatedAt string          `json:"createdAt"`
		Langs     []string        `json:"langs"`
		Facets    []bluesky.Facet `json:"facets"`
		Embed     struct {
			Type   string `json:"$type"`
			Images []struct {
				Image       map[string]any       `json:"image"`
				Alt         *string              `json:"alt"`
				AspectRatio *bluesky.AspectRatio `json:"aspectRatio"`
			} `json:"images"`
		} `json:"embed"`
	}
	if err := json.Unmarshal(pb.Record, &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Type != "app.bsky.feed.post" || rec.Text != postText || rec.CreatedAt != "2026-03-01T08:30:15.123Z" || !reflect.DeepEqual(rec.Langs, []string{"es"}) {
		t.Fatalf("record %s", pb.Record)
	}
	// Byte offsets: each facet's span of the text is exactly the link, tag or mention.
	var spans []string
	for _, fc := range rec.Facets {
		span := rec.Text[fc.Index.ByteStart:fc.Index.ByteEnd]
		ft := fc.Features[0]
		spans = append(spans, fmt.Sprintf("%s=%s|%s%s%s", ft.Type[len("app.bsky.richtext.facet"):], span, ft.URI, ft.DID, ft.Tag))
	}
	wantSpans := []string{
		"#link=https://example.com/menú?día=1|https://example.com/menú?día=1",
		"#tag=#Otoño2026|Otoño2026",
		"#mention=@amiga.test|did:plc:amiga", // @nadie.test does not resolve: plain text
	}
	if !reflect.DeepEqual(spans, wantSpans) {
		t.Fatalf("facets\n got %q\nwant %q", spans, wantSpans)
	}
	if rec.Embed.Type != "app.bsky.embed.images" || len(rec.Embed.Images) != 2 {
		t.Fatalf("embed %s", pb.Record)
	}
	i0, i1 := rec.Embed.Images[0], rec.Embed.Images[1]
	if i0.Alt == nil || *i0.Alt != "Tacos al pastor" || i0.AspectRatio == nil || *i0.AspectRatio != (bluesky.AspectRatio{Width: 1200, Height: 800}) || i0.Image["mimeType"] != "image/jpeg" {
		t.Fatalf("image 0 %+v", i0)
	}
	if i1.Alt == nil || *i1.Alt != "" || i1.AspectRatio != nil {
		t.Fatalf("image 1: alt must be sent even when empty, aspectRatio omitted when unknown: %+v", i1)
	}

	// The retry: identical putRecord body, same URI and CID, one record.
	ref2, err := c.Publish(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if ref2 != ref {
		t.Fatalf("retry ref %+v != %+v", ref2, ref)
	}
	puts = f.requests("pds:com.atproto.repo.putRecord")
	if len(puts) != 2 || string(puts[0].Body) != string(puts[1].Body) {
		t.Fatalf("retry body differs:\n%s\n%s", puts[0].Body, puts[1].Body)
	}
	if len(f.records) != 1 {
		t.Fatalf("%d records", len(f.records))
	}

	got, err := c.GetRecord(ctx, req.RecordKey)
	if err != nil || got.Ref != ref || got.Post.Text != postText || len(got.Post.Facets) != 3 {
		t.Fatalf("GetRecord %+v, %v", got, err)
	}
	_, err = c.GetRecord(ctx, "3lbxhkfzywc2t")
	wantErr(t, err, backend.ENotFound, "bluesky.record_not_found")
}

func TestReply(t *testing.T) {
	f := newFakeNet(t)
	c, _ := loggedIn(t, f)
	root := &backend.RemoteRef{URI: "at://" + did + "/app.bsky.feed.post/3lbxhkfzywc2s", CID: "bafyroot"}
	req := backend.PublishRequest{Text: "First comment", Language: "en", RecordKey: "3lbxhkfzywc3a", CreatedAt: now, ReplyTo: root}
	if _, err := c.Publish(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	var pb putBody
	json.Unmarshal(f.requests("pds:com.atproto.repo.putRecord")[0].Body, &pb)
	var rec struct{ Reply bluesky.ReplyRef }
	json.Unmarshal(pb.Record, &rec)
	want := bluesky.ReplyRef{Root: bluesky.StrongRef{URI: root.URI, CID: root.CID}, Parent: bluesky.StrongRef{URI: root.URI, CID: root.CID}}
	if rec.Reply != want {
		t.Fatalf("reply %+v", rec.Reply)
	}
	req.ReplyTo = &backend.RemoteRef{URI: "at://x/app.bsky.feed.post/p"} // no CID
	req.RecordKey = "3lbxhkfzywc3b"
	_, err := c.Publish(context.Background(), req)
	wantErr(t, err, backend.EInternal, "")
}

func TestImageTooLarge(t *testing.T) {
	f := newFakeNet(t)
	c, _ := loggedIn(t, f)
	big := make([]byte, bluesky.MaxImageBytes+1)
	req := publishRequest(t, backend.MediaFile{Path: writeFile(t, "ok.jpg", []byte("small")), MIME: "image/jpeg"},
		backend.MediaFile{Path: writeFile(t, "big.jpg", big), MIME: "image/jpeg"})
	_, err := c.Publish(context.Background(), req)
	e := wantErr(t, err, backend.EInvalid, "bluesky.image_too_large")
	if e.Params["file"] != "big.jpg" || e.Params["max"] != "1000000" {
		t.Fatalf("params %v", e.Params)
	}
	if n := len(f.requests("pds:com.atproto.repo.uploadBlob")); n != 0 {
		t.Fatalf("%d uploads before refusing", n)
	}
	exactly := publishRequest(t, backend.MediaFile{Path: writeFile(t, "edge.jpg", big[:bluesky.MaxImageBytes]), MIME: "image/jpeg"})
	if _, err := c.Publish(context.Background(), exactly); err != nil {
		t.Fatalf("1,000,000 bytes must pass: %v", err)
	}
	_, err = c.Publish(context.Background(), publishRequest(t, make([]backend.MediaFile, 5)...))
	wantErr(t, err, backend.EInvalid, "bluesky.too_many_images")
}

func TestRefreshOnExpiredToken(t *testing.T) {
	f := newFakeNet(t)
	c, store := loggedIn(t, f)
	f.mu.Lock()
	f.expired[access1] = true
	f.mu.Unlock()

	ref, err := c.Publish(context.Background(), publishRequest(t))
	if err != nil {
		t.Fatal(err)
	}
	if ref.CID == "" {
		t.Fatal("no cid")
	}
	rs := f.requests("entryway:com.atproto.server.refreshSession")
	if len(rs) != 1 || rs[0].Header.Get("Authorization") != "Bearer "+refresh1 {
		t.Fatalf("refreshSession: %d calls", len(rs))
	}
	if s := store.last(); s.AccessJWT != access2 || s.RefreshJWT != refresh2 || s.PDS != f.pds.URL {
		t.Fatalf("the rotated session was not persisted: %v", s)
	}
	puts := f.requests("pds:com.atproto.repo.putRecord")
	if len(puts) != 2 || puts[1].Header.Get("Authorization") != "Bearer "+access2 || string(puts[0].Body) != string(puts[1].Body) {
		t.Fatalf("putRecord after refresh: %d calls", len(puts))
	}

	// A new client (the app restarted) loads the rotated session from the store.
	c2 := newClient(t, f, store)
	if _, err := c2.GetRecord(context.Background(), "3lbxhkfzywc2s"); err != nil {
		t.Fatal(err)
	}
	if len(f.requests("entryway:com.atproto.server.refreshSession")) != 1 {
		t.Fatal("refreshed again with a fresh session")
	}
}

func TestRefreshRevoked(t *testing.T) {
	f := newFakeNet(t)
	c, _ := loggedIn(t, f)
	f.mu.Lock()
	f.expired[access1] = true
	f.refresh = "something-else" // the refresh token was revoked (app password deleted)
	f.mu.Unlock()
	_, err := c.Publish(context.Background(), publishRequest(t))
	wantErr(t, err, backend.EAuth, "bluesky.session_expired")
}

func TestNotConnected(t *testing.T) {
	f := newFakeNet(t)
	_, err := newClient(t, f, &memStore{}).Publish(context.Background(), publishRequest(t))
	wantErr(t, err, backend.EAuth, "bluesky.not_connected")
}

func TestPublishRefusesBadRecordKey(t *testing.T) {
	f := newFakeNet(t)
	c, _ := loggedIn(t, f)
	for _, req := range []backend.PublishRequest{
		{Text: "x", RecordKey: "", CreatedAt: now},
		{Text: "x", RecordKey: "not-a-tid", CreatedAt: now},
		{Text: "x", RecordKey: "3lbxhkfzywc2s"},
	} {
		_, err := c.Publish(context.Background(), req)
		wantErr(t, err, backend.EInternal, "")
	}
	if len(f.requests("pds:com.atproto.repo.putRecord")) != 0 {
		t.Fatal("wrote a record without a stable key")
	}
}

// A different record already at the key (a retry whose image was
// re-encoded, say): that record is the published post.
func TestInvalidSwapReturnsExistingRecord(t *testing.T) {
	f := newFakeNet(t)
	c, _ := loggedIn(t, f)
	req := publishRequest(t)
	first, err := c.Publish(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	req.Text = "edited"
	again, err := c.Publish(context.Background(), req)
	if err != nil || again != first {
		t.Fatalf("got %+v, %v; want %+v", again, err, first)
	}
}

func TestErrorClassification(t *testing.T) {
	html := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(status)
			io.WriteString(w, "<html><body>nginx</body></html>")
		}
	}
	xe := func(status int, name, msg string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { xrpcErr(w, status, name, msg) }
	}
	drop := func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}
	tests := []struct {
		name   string
		nsid   string
		h      http.HandlerFunc
		code   string
		key    string
		retry  time.Duration
		detail string
	}{
		{"429 Retry-After", "pds:com.atproto.repo.putRecord", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "30")
			xrpcErr(w, 429, "RateLimitExceeded", "Rate Limit Exceeded")
		}, backend.ERateLimited, "network.rate_limited", 30 * time.Second, ""},
		{"429 RateLimit-Reset", "pds:com.atproto.repo.putRecord", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("RateLimit-Reset", fmt.Sprint(now.Add(time.Hour).Unix()))
			xrpcErr(w, 429, "RateLimitExceeded", "Rate Limit Exceeded")
		}, backend.ERateLimited, "network.rate_limited", time.Hour, ""},
		{"401", "pds:com.atproto.repo.putRecord", xe(401, "AuthenticationRequired", "Authentication Required"), backend.EAuth, "bluesky.session_expired", 0, ""},
		{"400 InvalidToken", "pds:com.atproto.repo.putRecord", xe(400, "InvalidToken", "Token could not be verified"), backend.EAuth, "bluesky.session_expired", 0, ""},
		{"400 InvalidRequest", "pds:com.atproto.repo.putRecord", xe(400, "InvalidRequest", "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes"),
			backend.EInvalid, "network.rejected", 0, "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes"},
		{"413 on upload", "pds:com.atproto.repo.uploadBlob", xe(413, "PayloadTooLarge", "request entity too large"), backend.EInvalid, "bluesky.image_too_large", 0, ""},
		{"500", "pds:com.atproto.repo.putRecord", xe(500, "InternalServerError", "Internal Server Error"), backend.ETransient, "network.transient", 0, ""},
		{"502 html", "pds:com.atproto.repo.putRecord", html(502), backend.ETransient, "network.transient", 0, ""},
		{"400 html", "pds:com.atproto.repo.putRecord", html(400), backend.EInvalid, "network.rejected", 0, "Bad Request"},
		{"200 html", "pds:com.atproto.repo.putRecord", html(200), backend.ETransient, "bluesky.bad_answer", 0, ""},
		{"dropped on upload", "pds:com.atproto.repo.uploadBlob", drop, backend.ETransient, "bluesky.unreachable", 0, ""},
		{"dropped on put", "pds:com.atproto.repo.putRecord", drop, backend.ETransient, "bluesky.unreachable", 0, ""},
		{"resolveHandle 503", "pds:com.atproto.identity.resolveHandle", xe(503, "UpstreamFailure", "down"), backend.ETransient, "network.transient", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeNet(t)
			c, _ := loggedIn(t, f)
			f.mu.Lock()
			f.override[tt.nsid] = tt.h
			f.mu.Unlock()
			req := publishRequest(t, backend.MediaFile{Path: writeFile(t, "a.jpg", []byte("jpeg")), MIME: "image/jpeg", Alt: "a"})
			_, err := c.Publish(context.Background(), req)
			e := wantErr(t, err, tt.code, tt.key)
			if e.RetryAfter != tt.retry || e.Params["detail"] != tt.detail {
				t.Fatalf("RetryAfter %s detail %q; want %s %q", e.RetryAfter, e.Params["detail"], tt.retry, tt.detail)
			}
		})
	}
}

// Token hygiene: the app password and both JWTs never appear in an error,
// even from a server that echoes them back.
func TestTokensNeverInErrors(t *testing.T) {
	secrets := []string{appPassword, access1, refresh1, access2, refresh2}
	echo := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			xrpcErr(w, status, "Echo "+r.Header.Get("Authorization"), "you sent "+r.Header.Get("Authorization")+" and "+string(b))
		}
	}
	htmlEcho := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(400)
		io.WriteString(w, "<p>"+r.Header.Get("Authorization")+"</p>")
	}
	var errs []error
	check := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	for _, h := range []http.HandlerFunc{echo(400), echo(401), echo(403), echo(413), echo(429), echo(500), htmlEcho} {
		for _, nsid := range []string{"entryway:com.atproto.server.createSession", "entryway:com.atproto.server.refreshSession",
			"pds:com.atproto.repo.uploadBlob", "pds:com.atproto.repo.putRecord", "pds:com.atproto.repo.getRecord", "pds:com.atproto.identity.resolveHandle"} {
			f := newFakeNet(t)
			c, _ := loggedIn(t, f)
			f.mu.Lock()
			f.override[nsid] = h
			if strings.Contains(nsid, "refresh") {
				f.expired[access1] = true
			}
			f.mu.Unlock()
			_, err := c.Login(context.Background(), handle, appPassword)
			check(err)
			_, err = c.Publish(context.Background(), publishRequest(t, backend.MediaFile{Path: writeFile(t, "a.jpg", []byte("jpeg")), MIME: "image/jpeg"}))
			check(err)
			_, err = c.GetRecord(context.Background(), "3lbxhkfzywc2s")
			check(err)
		}
	}
	if len(errs) < 40 {
		t.Fatalf("only %d error paths ran", len(errs))
	}
	for _, err := range errs {
		e := backend.AsError(err)
		b, _ := json.Marshal(e)
		text := fmt.Sprintf("%v|%+v|%s|%s", err, err, b, e.Message)
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Fatalf("secret %q leaked: %s", s[:8], text)
			}
		}
	}
}

// Concurrent publishes that all meet ExpiredToken refresh once.
func TestConcurrentRefresh(t *testing.T) {
	f := newFakeNet(t)
	c, store := loggedIn(t, f)
	f.mu.Lock()
	f.expired[access1] = true
	f.mu.Unlock()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			req := publishRequest(t)
			req.RecordKey = bluesky.NewTID(backend.FixedClock{T: now.Add(time.Duration(i) * time.Second)})
			_, err := c.Publish(context.Background(), req)
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := len(f.requests("entryway:com.atproto.server.refreshSession")); n != 1 {
		t.Fatalf("%d refreshes, want 1", n)
	}
	if store.last().RefreshJWT != refresh2 {
		t.Fatal("rotated token not persisted")
	}
}
