package inbox_test

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
	"pauta/backend/inbox"
	"pauta/backend/media"
	"pauta/backend/netguard"
	"pauta/backend/sqlite"
)

// avatarServer serves avatars as CDNs do, and the bad answers they can
// give: an HTML page, a huge file, a cut-off body, 404, 429, 503.
type avatarServer struct {
	mu    sync.Mutex
	hits  map[string]int
	png   []byte
	limit bool // 429 on every request
}

func pngOf(w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), 200, 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

func (s *avatarServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	limit := s.limit
	s.mu.Unlock()
	if limit {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	switch r.URL.Path {
	case "/good.png":
		w.Header().Set("Content-Type", "image/png")
		w.Write(s.png)
	case "/page.png": // a login page where the image should be
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body>sign in</body></html>")
	case "/sneaky.png": // HTML that claims to be an image
		w.Header().Set("Content-Type", "image/png")
		fmt.Fprint(w, "<html><body>sign in</body></html>")
	case "/huge.png":
		w.Header().Set("Content-Type", "image/png")
		w.Write(bytes.Repeat([]byte{0x89}, 600<<10))
	case "/cut.png":
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("Content-Length", fmt.Sprint(len(s.png)))
		w.Write(s.png[:len(s.png)/2])
	case "/busy.png":
		w.WriteHeader(http.StatusServiceUnavailable)
	default:
		http.NotFound(w, r)
	}
}

func (s *avatarServer) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// avatarWorkspace is a workspace file with one client and its Mastodon account.
func avatarWorkspace(t *testing.T) (context.Context, *clock, *sqlite.DB, *backend.Account) {
	t.Helper()
	ctx := context.Background()
	clk := &clock{t: t0}
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "pauta.db"), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := &backend.Client{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"}
	if err := db.CreateClient(ctx, c); err != nil {
		t.Fatal(err)
	}
	a := &backend.Account{ClientID: c.ID, Network: backend.Mastodon, Handle: "sol@x.example"}
	if err := db.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	return ctx, clk, db, a
}

func TestAvatarsCachedSmallAndBadInputShowsTheInitial(t *testing.T) {
	ctx, clk, db, a := avatarWorkspace(t)
	as := &avatarServer{hits: map[string]int{}, png: pngOf(400, 300)}
	hs := httptest.NewServer(as)
	t.Cleanup(hs.Close)
	busy := httptest.NewServer(as) // another host: a busy one holds only itself
	t.Cleanup(busy.Close)
	paths := []string{"/good.png", "/page.png", "/sneaky.png", "/huge.png", "/cut.png", "/missing.png", "/busy.png"}
	var items []backend.InboxItem
	for i, p := range paths {
		base := hs.URL
		if p == "/busy.png" {
			base = busy.URL
		}
		items = append(items, backend.InboxItem{AccountID: a.ID, ArrivedAt: t0, Notification: backend.Notification{
			RemoteID: fmt.Sprint(i + 1), Kind: backend.KindMention, CreatedAt: t0.Add(time.Duration(i) * time.Minute),
			Author:  backend.RemoteAuthor{ID: fmt.Sprint("acc", i), Handle: fmt.Sprint("p", i, "@x.example"), AvatarURL: base + p},
			Subject: &backend.RemotePost{Ref: backend.RemoteRef{ID: fmt.Sprint("s", i)}, Text: "hola"}}})
	}
	if _, err := db.InboxSave(ctx, items, backend.InboxSync{AccountID: a.ID}); err != nil {
		t.Fatal(err)
	}

	proc := media.New()
	t.Cleanup(proc.Close)
	shrink := func(ctx context.Context, data []byte) ([]byte, error) {
		var out bytes.Buffer
		err := proc.Upright(ctx, "avatar", data, 96, 1, func(img *image.NRGBA, _ media.Info) error {
			small := image.NewNRGBA(image.Rect(0, 0, 96, 72)) // nearest neighbour is enough here
			for y := 0; y < 72; y++ {
				for x := 0; x < 96; x++ {
					small.Set(x, y, img.At(x*img.Bounds().Dx()/96, y*img.Bounds().Dy()/72))
				}
			}
			return jpeg.Encode(&out, small, nil)
		})
		return out.Bytes(), err
	}
	dir := filepath.Join(t.TempDir(), "avatars")
	av := inbox.NewAvatars(db, hs.Client(), clk, dir, shrink, inbox.AvatarOptions{Gap: -1})

	n, err := av.Pass(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 6 { // every author but the busy server's
		t.Fatalf("recorded %d", n)
	}
	list, err := db.InboxList(ctx, backend.InboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	byHandle := map[string]backend.InboxItem{}
	for _, it := range list {
		byHandle[it.Notification.Author.Handle] = it
	}
	good := byHandle["p0@x.example"].Avatar
	if !strings.HasSuffix(good, ".jpg") {
		t.Fatalf("good avatar not cached: %+v", byHandle["p0@x.example"])
	}
	b, err := os.ReadFile(filepath.Join(dir, good))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width != 96 || cfg.Height != 72 {
		t.Fatalf("cached avatar: %v %+v", err, cfg)
	}
	for i := 1; i < len(paths); i++ {
		if it := byHandle[fmt.Sprint("p", i, "@x.example")]; it.Avatar != "" {
			t.Fatalf("%s: avatar %q from a bad answer", paths[i], it.Avatar)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("cache holds %d files", len(entries))
	}

	// No retry storm: within the day nothing is fetched again but the
	// busy server's (it never answered); a day later everything once more.
	for i := 0; i < 3; i++ {
		clk.add(time.Hour)
		if _, err := av.Pass(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range paths[:6] {
		if as.count(p) != 1 {
			t.Fatalf("%s fetched %d times within a day", p, as.count(p))
		}
	}
	if as.count("/busy.png") != 4 {
		t.Fatalf("busy fetched %d times", as.count("/busy.png"))
	}
	clk.add(24 * time.Hour)
	if _, err := av.Pass(ctx); err != nil {
		t.Fatal(err)
	}
	if as.count("/good.png") != 2 || as.count("/page.png") != 2 {
		t.Fatalf("daily refresh: good %d page %d", as.count("/good.png"), as.count("/page.png"))
	}

	// Rate limited: the pass stops at once and the host is left alone for
	// its Retry-After; nothing is recorded as bad.
	as.mu.Lock()
	as.limit = true
	as.mu.Unlock()
	clk.add(25 * time.Hour)
	before := as.count("/good.png") + as.count("/page.png") + as.count("/sneaky.png")
	if n, err := av.Pass(ctx); err != nil || n != 0 {
		t.Fatalf("rate limited pass: %d %v", n, err)
	}
	if n, err := av.Pass(ctx); err != nil || n != 0 {
		t.Fatalf("second rate limited pass: %d %v", n, err)
	}
	after := as.count("/good.png") + as.count("/page.png") + as.count("/sneaky.png")
	if after-before > 1 {
		t.Fatalf("%d requests while rate limited", after-before)
	}
	if it, _ := db.InboxGet(ctx, byHandle["p0@x.example"].ID); it.Avatar != good {
		t.Fatalf("cached avatar lost while rate limited: %q", it.Avatar)
	}

	// Offline: nothing recorded, the cached avatar stays.
	hs.Close()
	clk.add(3 * time.Minute)
	if n, err := av.Pass(ctx); err != nil || n != 0 {
		t.Fatalf("offline pass: %d %v", n, err)
	}
	if it, _ := db.InboxGet(ctx, byHandle["p0@x.example"].ID); it.Avatar != good {
		t.Fatalf("cached avatar lost offline: %q", it.Avatar)
	}
}

// An avatar URL into the local network (any remote account can set one) is
// refused by the app's guarded client before a request is sent, recorded
// as bad, and not asked again before the daily refresh; on a host the
// workspace's own server uses, the same URL is fetched.
func TestAvatarsIntoTheLocalNetworkAreRefused(t *testing.T) {
	ctx, clk, db, a := avatarWorkspace(t)
	as := &avatarServer{hits: map[string]int{}, png: pngOf(64, 64)}
	hs := httptest.NewServer(as) // 127.0.0.1: the laptop itself
	t.Cleanup(hs.Close)
	item := backend.InboxItem{AccountID: a.ID, ArrivedAt: t0, Notification: backend.Notification{
		RemoteID: "1", Kind: backend.KindMention, CreatedAt: t0,
		Author:  backend.RemoteAuthor{ID: "acc1", Handle: "p@x.example", AvatarURL: hs.URL + "/good.png"},
		Subject: &backend.RemotePost{Ref: backend.RemoteRef{ID: "s1"}, Text: "hola"}}}
	if _, err := db.InboxSave(ctx, []backend.InboxItem{item}, backend.InboxSync{AccountID: a.ID}); err != nil {
		t.Fatal(err)
	}
	shrink := func(ctx context.Context, data []byte) ([]byte, error) { return data, nil }
	var allowed []string
	guard := &netguard.Guard{Allowed: func(context.Context) []string { return allowed }}
	hc := &http.Client{Transport: &http.Transport{DialContext: guard.DialContext}}
	av := inbox.NewAvatars(db, hc, clk, filepath.Join(t.TempDir(), "avatars"), shrink, inbox.AvatarOptions{Gap: -1})

	avatar := func() string {
		list, err := db.InboxList(ctx, backend.InboxFilter{})
		if err != nil || len(list) != 1 {
			t.Fatalf("list: %v %d", err, len(list))
		}
		return list[0].Avatar
	}
	for i := 0; i < 2; i++ {
		n, err := av.Pass(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := 1 - i; n != want { // recorded once, then left until the refresh
			t.Fatalf("pass %d recorded %d, want %d", i, n, want)
		}
		clk.add(time.Hour)
	}
	if got := as.count("/good.png"); got != 0 || avatar() != "" {
		t.Fatalf("refused avatar: %d requests, avatar %q", got, avatar())
	}

	allowed = []string{"127.0.0.1"} // the workspace's own server runs here
	clk.add(24 * time.Hour)
	if n, err := av.Pass(ctx); err != nil || n != 1 {
		t.Fatalf("allowed pass: %d %v", n, err)
	}
	if got := as.count("/good.png"); got != 1 || !strings.HasSuffix(avatar(), ".jpg") {
		t.Fatalf("allowed avatar: %d requests, avatar %q", got, avatar())
	}
}
