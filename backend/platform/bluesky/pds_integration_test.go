package bluesky_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/platform/bluesky"
)

// TestPDSPublish runs against a real PDS (scripts/bsky-test.sh
// starts a whole local network and sets PAUTA_PDS_URL). It creates an account and an app
// password there, connects it with Pauta's client, publishes a post with a
// link, a hashtag, a mention and an image with alt text, publishes the same
// request again, and reads the record back.
func TestPDSPublish(t *testing.T) {
	base := os.Getenv("PAUTA_PDS_URL")
	if base == "" {
		t.Skip("PAUTA_PDS_URL is not set: run scripts/bsky-test.sh")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	hc := &http.Client{Timeout: 30 * time.Second}

	// An account and an app password, as the user would make on the website.
	var suffix [4]byte
	rand.Read(suffix[:])
	h := "pauta" + hex.EncodeToString(suffix[:]) + ".test"
	var acct struct{ DID, AccessJwt string }
	raw(t, hc, base, "com.atproto.server.createAccount", "", map[string]string{"handle": h, "email": h + "@example.com", "password": "main-password-" + h}, &acct)
	var ap struct{ Password string }
	raw(t, hc, base, "com.atproto.server.createAppPassword", acct.AccessJwt, map[string]string{"name": "Pauta integration test"}, &ap)
	if acct.DID == "" || ap.Password == "" {
		t.Fatalf("account %+v app password %d chars", acct, len(ap.Password))
	}

	store := &memStore{}
	c, err := bluesky.New(base, hc, backend.SystemClock{}, store)
	if err != nil {
		t.Fatal(err)
	}

	// Bad input first: nothing may be stored.
	_, err = c.Login(ctx, h, "wron-gpas-swor-dxxx")
	wantErr(t, err, backend.EAuth, "bluesky.bad_password")
	_, err = c.Login(ctx, "nobody-"+h, ap.Password)
	wantErr(t, err, backend.EInvalid, "bluesky.handle_unresolved")
	if len(store.saved) != 0 {
		t.Fatal("a failed login stored a session")
	}

	id, err := c.Login(ctx, "@"+strings.ToUpper(h[:1])+h[1:], ap.Password)
	if err != nil {
		t.Fatal(err)
	}
	if id.DID != acct.DID || id.Handle != h {
		t.Fatalf("identity %+v", id)
	}

	jpg := smallJPEG(t)
	text := fmt.Sprintf("Probando Pauta 🚀 café, crème brûlée, 你好. Más: https://example.com/pauta?día=1 #PautaTest con @%s 🎉", h)
	req := backend.PublishRequest{
		Text: text, Language: "es",
		Media:     []backend.MediaFile{{Path: writeFile(t, "test.jpg", jpg), MIME: "image/jpeg", Alt: "Un cuadrado de colores 🟥", Width: 64, Height: 48}},
		RecordKey: bluesky.NewTID(backend.SystemClock{}), CreatedAt: time.Now(),
	}
	start := time.Now()
	ref, err := c.Publish(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("published %s (cid %s) in %s", ref.URI, ref.CID, time.Since(start).Round(time.Millisecond))
	if ref.ID != req.RecordKey || ref.URI != "at://"+acct.DID+"/app.bsky.feed.post/"+req.RecordKey || !strings.HasPrefix(ref.CID, "bafyrei") ||
		ref.URL != "https://bsky.app/profile/"+h+"/post/"+req.RecordKey {
		t.Fatalf("ref %+v", ref)
	}

	// The same request again (a retry after a lost answer): same record, nothing new.
	ref2, err := c.Publish(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if ref2 != ref {
		t.Fatalf("retry gave %+v, first %+v", ref2, ref)
	}
	var list struct {
		Records []struct{ URI, CID string }
	}
	rawGet(t, hc, base, "com.atproto.repo.listRecords", url.Values{"repo": {acct.DID}, "collection": {"app.bsky.feed.post"}}, &list)
	if len(list.Records) != 1 || list.Records[0].URI != ref.URI || list.Records[0].CID != ref.CID {
		t.Fatalf("listRecords: %+v", list.Records)
	}

	// A different record under the same key is refused by the PDS (InvalidSwap):
	// Pauta reports the post that is there.
	changed := req
	changed.Text = "otro texto"
	ref3, err := c.Publish(ctx, changed)
	if err != nil || ref3 != ref {
		t.Fatalf("publish over an existing key: %+v, %v", ref3, err)
	}

	rec, err := c.GetRecord(ctx, req.RecordKey)
	if err != nil {
		t.Fatal(err)
	}
	p := rec.Post
	if rec.Ref != ref || p.Text != text || len(p.Langs) != 1 || p.Langs[0] != "es" || p.CreatedAt != req.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z") {
		t.Fatalf("record %s", rec.Raw)
	}
	got := map[string]string{}
	for _, f := range p.Facets {
		ft := f.Features[0]
		got[ft.Type] = p.Text[f.Index.ByteStart:f.Index.ByteEnd] + " → " + ft.URI + ft.DID + ft.Tag
	}
	want := map[string]string{
		bluesky.FeatureLink:    "https://example.com/pauta?día=1 → https://example.com/pauta?día=1",
		bluesky.FeatureTag:     "#PautaTest → PautaTest",
		bluesky.FeatureMention: "@" + h + " → " + acct.DID,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("facets\n got %v\nwant %v", got, want)
	}
	if p.Embed == nil || p.Embed.Type != "app.bsky.embed.images" || len(p.Embed.Images) != 1 {
		t.Fatalf("embed %s", rec.Raw)
	}
	img := p.Embed.Images[0]
	var blob struct {
		Type     string `json:"$type"`
		MimeType string `json:"mimeType"`
		Size     int    `json:"size"`
	}
	json.Unmarshal(img.Image, &blob)
	if img.Alt != "Un cuadrado de colores 🟥" || img.AspectRatio == nil || *img.AspectRatio != (bluesky.AspectRatio{Width: 64, Height: 48}) ||
		blob.Type != "blob" || blob.MimeType != "image/jpeg" || blob.Size != len(jpg) {
		t.Fatalf("image %+v blob %+v", img, blob)
	}

	_, err = c.GetRecord(ctx, bluesky.NewTID(backend.SystemClock{}))
	wantErr(t, err, backend.ENotFound, "bluesky.record_not_found")

	// A reply (first comment) to the post, with root and parent.
	reply := backend.PublishRequest{Text: "Primer comentario", Language: "es", RecordKey: bluesky.NewTID(backend.SystemClock{}), CreatedAt: time.Now(), ReplyTo: &ref, Root: &ref}
	rref, err := c.Publish(ctx, reply)
	if err != nil {
		t.Fatal(err)
	}
	rr, err := c.GetRecord(ctx, rref.ID)
	if err != nil || rr.Post.Reply == nil || rr.Post.Reply.Parent.CID != ref.CID || rr.Post.Reply.Root.URI != ref.URI {
		t.Fatalf("reply %s, %v", rr.Raw, err)
	}

	// Pauta refuses images over 1,000,000 bytes before uploading; the PDS
	// started by scripts/bsky-test.sh refuses them too, with the 413 that
	// Pauta maps to bluesky.image_too_large.
	big := make([]byte, bluesky.MaxImageBytes+1)
	_, err = c.UploadBlob(ctx, big, "image/jpeg")
	wantErr(t, err, backend.EInvalid, "bluesky.image_too_large")
	if os.Getenv("PDS_BLOB_UPLOAD_LIMIT") == "1000000" {
		hreq, _ := http.NewRequest(http.MethodPost, base+"/xrpc/com.atproto.repo.uploadBlob", bytes.NewReader(big))
		hreq.Header.Set("Content-Type", "image/jpeg")
		hreq.Header.Set("Authorization", "Bearer "+store.last().AccessJWT)
		resp, err := hc.Do(hreq)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("PDS answered %d to a 1,000,001-byte blob", resp.StatusCode)
		}
	}

	// The session is in the store (the keychain in the app), with the DID.
	for _, s := range store.saved {
		if s.RefreshJWT == "" || s.DID != acct.DID {
			t.Fatalf("stored session %v", s)
		}
	}
}

func smallJPEG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := 0; y < 48; y++ {
		for x := 0; x < 64; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 5), 128, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func raw(t *testing.T, hc *http.Client, base, nsid, token string, in, out any) {
	t.Helper()
	b, _ := json.Marshal(in)
	req, _ := http.NewRequest(http.MethodPost, base+"/xrpc/"+nsid, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	doRaw(t, hc, req, out)
}

func rawGet(t *testing.T, hc *http.Client, base, nsid string, q url.Values, out any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/xrpc/"+nsid+"?"+q.Encode(), nil)
	doRaw(t, hc, req, out)
}

func doRaw(t *testing.T, hc *http.Client, req *http.Request, out any) {
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
