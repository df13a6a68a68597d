package app

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"pauta/backend"
)

// An avatar is decoded with the media limits and cached small; only the
// fetcher's file names are served, from the avatar folder.
func TestAvatarShrinkAndRoute(t *testing.T) {
	data := t.TempDir()
	svc := NewMediaService(context.Background, nil, data, nil, nil)
	t.Cleanup(svc.close)
	img := image.NewNRGBA(image.Rect(0, 0, 400, 200))
	for y := 0; y < 200; y++ {
		for x := 0; x < 400; x++ {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), 90, uint8(x % 256)})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	small, err := svc.shrinkAvatar(context.Background(), b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(small))
	if err != nil || cfg.Width != avatarSide || cfg.Height != avatarSide/2 {
		t.Fatalf("shrunk: %v %+v", err, cfg)
	}
	for _, bad := range [][]byte{[]byte("<html><body>sign in</body></html>"), b.Bytes()[:b.Len()/2], {}} {
		if _, err := svc.shrinkAvatar(context.Background(), bad); err == nil {
			t.Fatalf("accepted %q…", bad[:min(len(bad), 12)])
		}
	}

	name := "0123456789abcdef0123456789abcdef.jpg"
	if err := os.MkdirAll(avatarDir(data), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(avatarDir(data), name), small, 0o600); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(data, "secret.jpg"), small, 0o600)
	h := assetHandler(nil, svc)
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}
	if rec := get("/media/avatar/" + name); rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/jpeg" || !bytes.Equal(rec.Body.Bytes(), small) {
		t.Fatalf("avatar: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	for _, p := range []string{"/media/avatar/../secret.jpg", "/media/avatar/0123456789abcdef0123456789abcdef.png", "/media/avatar/", "/media/avatar/ffffffffffffffffffffffffffffffff.jpg"} {
		if rec := get(p); rec.Code != http.StatusNotFound {
			t.Fatalf("%s: %d", p, rec.Code)
		}
	}
}

// The app's avatar fetcher dials the workspace's own servers' hosts and
// the public internet only: an avatar URL into the local network under
// another name is refused before any request.
func TestAvatarsFetchOnlyPublicOrOwnServers(t *testing.T) {
	a, _ := newApp(t)
	ctx := context.Background()
	var mu sync.Mutex
	hits := map[string]int{}
	img := image.NewNRGBA(image.Rect(0, 0, 8, 8))
	var b bytes.Buffer
	png.Encode(&b, img)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		w.Header().Set("Content-Type", "image/png")
		w.Write(b.Bytes())
	}))
	defer hs.Close()
	c := &backend.Client{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"}
	if err := a.store.CreateClient(ctx, c); err != nil {
		t.Fatal(err)
	}
	acc := &backend.Account{ClientID: c.ID, Network: backend.Mastodon, Handle: "sol@x.example", ServiceURL: hs.URL}
	if err := a.store.CreateAccount(ctx, acc); err != nil {
		t.Fatal(err)
	}
	port := hs.URL[strings.LastIndex(hs.URL, ":")+1:]
	var items []backend.InboxItem
	for i, u := range []string{hs.URL + "/own.png", "http://localhost:" + port + "/other-name.png"} {
		items = append(items, backend.InboxItem{AccountID: acc.ID, ArrivedAt: testNow, Notification: backend.Notification{
			RemoteID: fmt.Sprint(i + 1), Kind: backend.KindMention, CreatedAt: testNow.Add(-time.Duration(i) * time.Minute),
			Author:  backend.RemoteAuthor{ID: fmt.Sprint("acc", i), Handle: fmt.Sprint("p", i, "@x.example"), AvatarURL: u},
			Subject: &backend.RemotePost{Ref: backend.RemoteRef{ID: fmt.Sprint("s", i)}, Text: "hola"}}})
	}
	if _, err := a.store.InboxSave(ctx, items, backend.InboxSync{AccountID: acc.ID}); err != nil {
		t.Fatal(err)
	}
	if n, err := a.avatars.Pass(ctx); err != nil || n != 2 {
		t.Fatalf("pass: %d %v", n, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if hits["/own.png"] != 1 || hits["/other-name.png"] != 0 {
		t.Fatalf("requests: %v", hits)
	}
}
