package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/keychain"
	"pauta/backend/media/mediatest"
	"pauta/backend/platform/bluesky"
)

// TestPDSPublishThroughPauta runs against a real Bluesky PDS
// (scripts/bsky-test.sh installs and starts one, sets PAUTA_PDS_URL; `make
// test` runs it and fails if it skips). The whole way a user goes:
//   - an account and an app password made on the PDS, as on the website;
//   - connected in Pauta with ConnectService (session in the keychain: the
//     real Secret Service with PAUTA_PDS_KEYRING=1, else go-keyring's mock);
//   - a post with a link, a mention, a hashtag, emoji and accents, an image
//     from the media library with alt text, and a first comment, scheduled
//     with PostService and published by the real outbox;
//   - the answers to the first putRecord of the post and of the comment are
//     lost on the way back (the PDS has them): the outbox finds them by record
//     key instead of writing twice;
//   - the stored request sent again (a retry): same record, nothing new;
//   - read back with listRecords / getRecord: text, facets at UTF-8 byte
//     offsets, langs, image blob with alt and aspect ratio, and the comment
//     as a reply whose root and parent are the post.
func TestPDSPublishThroughPauta(t *testing.T) {
	base := os.Getenv("PAUTA_PDS_URL")
	if base == "" {
		t.Skip("PAUTA_PDS_URL is not set: run scripts/bsky-test.sh")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	raw := &http.Client{Timeout: 30 * time.Second}

	// The account and app password, as the user makes them on the website.
	var suffix [4]byte
	rand.Read(suffix[:])
	h := "pauta" + hex.EncodeToString(suffix[:]) + ".test"
	var acct struct{ DID, AccessJwt string }
	pdsCall(t, raw, base, "com.atproto.server.createAccount", "", map[string]string{"handle": h, "email": h + "@example.com", "password": "main-password-" + h}, &acct)
	var ap struct{ Password string }
	pdsCall(t, raw, base, "com.atproto.server.createAppPassword", acct.AccessJwt, map[string]string{"name": "Pauta"}, &ap)
	if acct.DID == "" || ap.Password == "" {
		t.Fatalf("account %+v, app password of %d characters", acct, len(ap.Password))
	}

	var secrets backend.Secrets = newMemSecrets()
	if os.Getenv("PAUTA_PDS_KEYRING") == "1" {
		secrets = keychain.New("pauta-pds-test", keychain.Options{})
	}
	clock := &pdsClock{}
	lossy := &losingTransport{base: http.DefaultTransport, lose: map[string]bool{}}
	dir := t.TempDir()
	a, err := New(ctx, Config{DataDir: dir, Clock: clock, Emitter: NopEmitter{}, Secrets: secrets,
		HTTP: &http.Client{Timeout: 60 * time.Second, Transport: lossy}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()

	c, err := a.Clients.Save(ClientInput{Name: "Pastelería Ñandú", TimeZone: "Europe/Madrid", Language: "es"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.Connect.ConnectBluesky(BlueskyInput{ClientID: c.ID, Service: base, Identifier: h, AppPassword: "wron-gpas-swor-dxxx"})
	if backend.ErrorCode(err) != backend.EAuth {
		t.Fatalf("wrong app password: %v", err)
	}
	acc, err := a.Connect.ConnectBluesky(BlueskyInput{ClientID: c.ID, Service: base, Identifier: "@" + h, AppPassword: ap.Password})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = a.forgetSecrets(context.Background(), &acc) }()
	if acc.RemoteID != acct.DID || acc.Handle != "@"+h || acc.Connection != backend.ConnConnected {
		t.Fatalf("account %+v", acc)
	}
	// The session (with its refresh token) is in the keychain.
	if sess, err := a.vault.Load(ctx, acc, keychain.KindSession); err != nil || !strings.Contains(sess, acct.DID) || !strings.Contains(sess, "refreshJwt") {
		t.Fatalf("keychain session: %d bytes, %v", len(sess), err)
	}

	// A photo from the media library, with alt text.
	photo := filepath.Join(t.TempDir(), "tarta.jpg")
	if err := os.WriteFile(photo, mediatest.JPEG(mediatest.PhotoLike(1600, 1200, 3), 90), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := a.Media.Import(c.ID, []string{photo})
	if err != nil || rep.Imported != 1 {
		t.Fatalf("import: %+v %v", rep, err)
	}
	const alt = "Tarta de queso con frambuesas 🍰, vista cenital"
	if _, err := a.Media.Update(rep.Results[0].Media.ID, alt, 0.5, 0.5); err != nil {
		t.Fatal(err)
	}

	text := fmt.Sprintf("¡Nueva tarta de otoño! 🍂 Crème brûlée y café ☕ en https://example.com/carta?día=1 #PautaPrueba con @%s 🎉", h)
	const comment = "Reservas: https://example.com/reservas 👉 #Ñandú"
	now := clock.Now().In(mustZone(t, "Europe/Madrid"))
	in := PostInput{ClientID: c.ID, Status: "draft", Text: text, FirstComment: comment, Date: now.Format("2006-01-02"), Time: now.Format("15:04"),
		Variants: []VariantInput{{AccountID: acc.ID}}}
	res, err := a.Posts.Save(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Media.SetPostMedia(res.Post.ID, []backend.PostMedia{{MediaID: rep.Results[0].Media.ID}}); err != nil {
		t.Fatal(err)
	}
	in.ID, in.Status = res.Post.ID, "scheduled"
	if _, err := a.Posts.Save(in); err != nil {
		t.Fatal(err)
	}
	jobs, err := a.store.OutboxJobs(ctx, backend.OutboxQuery{Inactive: true})
	if err != nil || len(jobs) != 1 {
		t.Fatalf("jobs %+v %v", jobs, err)
	}
	vid := jobs[0].Publish.VariantID

	// Publish, losing the first answer to each putRecord.
	lossy.loseFirstPut()
	start := time.Now()
	for i := 0; i < 6; i++ {
		if err := a.outbox.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		job, err := a.store.CommentJob(ctx, vid)
		if err != nil {
			t.Fatal(err)
		}
		if job.Publish.State == backend.CommentPublished || job.Publish.State == backend.CommentFailed {
			break
		}
		clock.advance(time.Minute) // past the backoff after a lost answer
	}
	t.Logf("published through the outbox in %s (%d putRecord answers lost)", time.Since(start).Round(time.Millisecond), lossy.lost())
	if lossy.lost() != 2 {
		t.Errorf("%d answers lost, want 2 (the post's and the comment's)", lossy.lost())
	}
	job, err := a.store.OutboxJob(ctx, vid)
	if err != nil {
		t.Fatal(err)
	}
	cj, err := a.store.CommentJob(ctx, vid)
	if err != nil {
		t.Fatal(err)
	}
	if job.Publish.State != backend.OutboxPublished || cj.Publish.State != backend.CommentPublished {
		t.Fatalf("post %s (%s), comment %q (%s)", job.Publish.State, job.Publish.LastError, cj.Publish.State, cj.Publish.LastError)
	}
	ref, cref := job.Publish.Remote, cj.Publish.Remote
	if ref.URI != "at://"+acct.DID+"/app.bsky.feed.post/"+job.Publish.RecordKey || cref.URI != "at://"+acct.DID+"/app.bsky.feed.post/"+cj.Publish.RecordKey ||
		ref.URL != "https://bsky.app/profile/"+h+"/post/"+job.Publish.RecordKey || job.Publish.Attempts != 1 || cj.Publish.Attempts != 1 {
		t.Fatalf("post %+v\ncomment %+v", job.Publish, cj.Publish)
	}
	if p, _ := a.Posts.Get(res.Post.ID); p.Status != string(backend.StatusPublished) {
		t.Errorf("post status %s", p.Status)
	}
	items, err := a.Outbox.Items(OutboxQuery{States: []string{"published"}})
	if err != nil || len(items) != 1 || items[0].RemoteURL != ref.URL || items[0].CommentState != backend.CommentPublished ||
		items[0].CommentURL != cref.URL || items[0].FirstComment != comment {
		t.Errorf("outbox items %+v %v", items, err)
	}

	// A retry of the same publish (the stored keys, the same prepared image): no second record.
	req := backend.PublishRequest{Account: job.Account, Text: job.Text, Language: job.Language, RecordKey: job.Publish.RecordKey,
		IdempotencyKey: job.Publish.IdempotencyKey, CreatedAt: *job.Publish.RemoteCreatedAt}
	if err := a.Media.preparePublish(ctx, *job, &req); err != nil {
		t.Fatal(err)
	}
	again, err := blueskyRoute{a}.Publish(ctx, req)
	if err != nil || again != ref {
		t.Fatalf("the same publish again: %+v %v, first %+v", again, err, ref)
	}

	// Read back: exactly the post and its reply.
	var list struct {
		Records []struct {
			URI, CID string
			Value    json.RawMessage
		}
	}
	pdsGet(t, raw, base, "com.atproto.repo.listRecords", url.Values{"repo": {acct.DID}, "collection": {"app.bsky.feed.post"}}, &list)
	byURI := map[string]bluesky.Post{}
	for _, r := range list.Records {
		var p bluesky.Post
		if err := json.Unmarshal(r.Value, &p); err != nil {
			t.Fatal(err)
		}
		byURI[r.URI] = p
	}
	if len(list.Records) != 2 {
		t.Fatalf("%d records on the PDS, want the post and its comment: %+v", len(list.Records), list.Records)
	}
	post, ok := byURI[ref.URI]
	if !ok {
		t.Fatalf("the post %s is not on the PDS", ref.URI)
	}
	if post.Text != text || len(post.Langs) != 1 || post.Langs[0] != "es" || post.Reply != nil ||
		post.CreatedAt != job.Publish.RemoteCreatedAt.UTC().Format("2006-01-02T15:04:05.000Z") {
		t.Fatalf("post record %+v", post)
	}
	wantFacets := map[string]string{
		bluesky.FeatureLink:    "https://example.com/carta?día=1 → https://example.com/carta?día=1",
		bluesky.FeatureTag:     "#PautaPrueba → PautaPrueba",
		bluesky.FeatureMention: "@" + h + " → " + acct.DID,
	}
	if got := facetMap(post); fmt.Sprint(got) != fmt.Sprint(wantFacets) {
		t.Fatalf("facets\n got %v\nwant %v", got, wantFacets)
	}
	if post.Embed == nil || post.Embed.Type != "app.bsky.embed.images" || len(post.Embed.Images) != 1 {
		t.Fatalf("embed %+v", post.Embed)
	}
	img := post.Embed.Images[0]
	var blob struct {
		Type     string `json:"$type"`
		MimeType string `json:"mimeType"`
		Size     int    `json:"size"`
		Ref      struct {
			Link string `json:"$link"`
		} `json:"ref"`
	}
	json.Unmarshal(img.Image, &blob)
	if img.Alt != alt || img.AspectRatio == nil || img.AspectRatio.Width*3 != img.AspectRatio.Height*4 ||
		blob.Type != "blob" || blob.MimeType != "image/jpeg" || blob.Size <= 0 || blob.Size > bluesky.MaxImageBytes {
		t.Fatalf("image %+v, blob %+v", img, blob)
	}
	// The blob is really there.
	resp, err := raw.Get(base + "/xrpc/com.atproto.sync.getBlob?" + url.Values{"did": {acct.DID}, "cid": {blob.Ref.Link}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || len(got) != blob.Size || !bytes.HasPrefix(got, []byte{0xff, 0xd8}) {
		t.Fatalf("getBlob: %d, %d bytes", resp.StatusCode, len(got))
	}

	reply, ok := byURI[cref.URI]
	if !ok {
		t.Fatalf("the comment %s is not on the PDS", cref.URI)
	}
	if reply.Text != comment || reply.Reply == nil || reply.Reply.Root != (bluesky.StrongRef{URI: ref.URI, CID: ref.CID}) ||
		reply.Reply.Parent != reply.Reply.Root || reply.Langs[0] != "es" || reply.Embed != nil {
		t.Fatalf("comment record %+v", reply)
	}
	wantReply := map[string]string{
		bluesky.FeatureLink: "https://example.com/reservas → https://example.com/reservas",
		bluesky.FeatureTag:  "#Ñandú → Ñandú",
	}
	if got := facetMap(reply); fmt.Sprint(got) != fmt.Sprint(wantReply) {
		t.Fatalf("comment facets\n got %v\nwant %v", got, wantReply)
	}
	for _, r := range list.Records {
		if r.URI == ref.URI && r.CID != ref.CID || r.URI == cref.URI && r.CID != cref.CID {
			t.Errorf("stored cid of %s differs from the PDS's %s", r.URI, r.CID)
		}
	}

	// The app password and the session tokens never reach the database.
	a.Close()
	for _, name := range []string{DBFile, DBFile + "-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(ap.Password)) || bytes.Contains(b, []byte("refreshJwt")) {
			t.Errorf("%s holds a secret", name)
		}
	}
}

func facetMap(p bluesky.Post) map[string]string {
	out := map[string]string{}
	for _, f := range p.Facets {
		ft := f.Features[0]
		out[ft.Type] = p.Text[f.Index.ByteStart:f.Index.ByteEnd] + " → " + ft.URI + ft.DID + ft.Tag
	}
	return out
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// pdsClock is the real time plus an offset the test moves (past backoffs):
// the PDS checks tokens against the real time.
type pdsClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *pdsClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *pdsClock) advance(d time.Duration) {
	c.mu.Lock()
	c.off += d
	c.mu.Unlock()
}

// losingTransport delivers requests, but after loseFirstPut it drops the
// answer to the first putRecord of each record key: the PDS wrote the
// record, Pauta sees a broken connection.
type losingTransport struct {
	base http.RoundTripper
	mu   sync.Mutex
	on   bool
	lose map[string]bool // record keys whose answer was dropped
}

func (l *losingTransport) loseFirstPut() {
	l.mu.Lock()
	l.on = true
	l.mu.Unlock()
}

func (l *losingTransport) lost() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.lose)
}

func (l *losingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if !strings.HasSuffix(r.URL.Path, "/com.atproto.repo.putRecord") || r.Body == nil {
		return l.base.RoundTrip(r)
	}
	body, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil {
		return nil, err
	}
	var in struct{ Rkey string }
	json.Unmarshal(body, &in)
	r2 := r.Clone(r.Context())
	r2.Body = io.NopCloser(bytes.NewReader(body))
	r2.ContentLength = int64(len(body))
	resp, err := l.base.RoundTrip(r2)
	if err != nil {
		return resp, err
	}
	l.mu.Lock()
	drop := l.on && !l.lose[in.Rkey] && resp.StatusCode == 200
	if drop {
		l.lose[in.Rkey] = true
	}
	l.mu.Unlock()
	if drop {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return nil, errors.New("read tcp: connection reset by peer (answer dropped by the test)")
	}
	return resp, nil
}

func pdsCall(t *testing.T, hc *http.Client, base, nsid, token string, in, out any) {
	t.Helper()
	b, _ := json.Marshal(in)
	req, _ := http.NewRequest(http.MethodPost, base+"/xrpc/"+nsid, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	pdsDo(t, hc, req, out)
}

func pdsGet(t *testing.T, hc *http.Client, base, nsid string, q url.Values, out any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/xrpc/"+nsid+"?"+q.Encode(), nil)
	pdsDo(t, hc, req, out)
}

func pdsDo(t *testing.T, hc *http.Client, req *http.Request, out any) {
	t.Helper()
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d %s", req.URL.Path, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("%s: %v", req.URL.Path, err)
	}
}
