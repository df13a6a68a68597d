package app

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/media"
	"pauta/backend/media/mediatest"
)

// upload is one image a fake Mastodon instance received.
type upload struct {
	name, mime, alt, focus string
	data                   []byte
}

// mastodonWithMedia is a fake instance that speaks the documented media
// API: multipart POST /api/v2/media (200 with a url), then POST
// /api/v1/statuses with media_ids[] naming the uploads.
type mastodonWithMedia struct {
	*httptest.Server
	mu       sync.Mutex
	uploads  []upload
	statuses []string // text|media ids
	keys     map[string]bool
}

func newMastodonWithMedia(t *testing.T) *mastodonWithMedia {
	f := &mastodonWithMedia{keys: map[string]bool{}}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v2/instance":
			w.Write([]byte(`{"domain":"masto.test","title":"Masto","version":"4.3.0","configuration":{"statuses":{"max_characters":500,"max_media_attachments":4},"media_attachments":{"image_size_limit":2000000,"image_matrix_limit":1000000,"supported_mime_types":["image/jpeg","image/png"],"description_limit":1500}}}`))
		case "/api/v1/accounts/verify_credentials":
			w.Write([]byte(`{"id":"1","username":"brera","acct":"brera"}`))
		case "/api/v2/media":
			if r.Header.Get("Authorization") != "Bearer "+mastoToken || r.ParseMultipartForm(32<<20) != nil {
				w.WriteHeader(400)
				return
			}
			file, hdr, err := r.FormFile("file")
			if err != nil {
				w.WriteHeader(422)
				w.Write([]byte(`{"error":"no file"}`))
				return
			}
			data, _ := io.ReadAll(file)
			f.mu.Lock()
			f.uploads = append(f.uploads, upload{name: hdr.Filename, mime: hdr.Header.Get("Content-Type"), alt: r.FormValue("description"), focus: r.FormValue("focus"), data: data})
			id := "m" + string(rune('0'+len(f.uploads)))
			f.mu.Unlock()
			w.Write([]byte(`{"id":"` + id + `","type":"image","url":"https://masto.test/m/` + id + `.jpg"}`))
		case "/api/v1/statuses":
			r.ParseForm()
			f.mu.Lock()
			if key := r.Header.Get("Idempotency-Key"); !f.keys[key] {
				f.keys[key] = true
				f.statuses = append(f.statuses, r.FormValue("status")+"|"+strings.Join(r.Form["media_ids[]"], ","))
			}
			f.mu.Unlock()
			w.Write([]byte(`{"id":"777","url":"https://masto.test/@brera/777","content":"x"}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(f.Close)
	return f
}

// importPhoto imports a generated photo into the client's library and
// sets its alt text and focal point.
func importPhoto(t *testing.T, a *App, clientID int64, name string, img image.Image, alt string, fx, fy float64) MediaItem {
	t.Helper()
	rep, err := a.Media.Import(clientID, []string{write(t, name, mediatest.JPEG(img, 90))})
	if err != nil || rep.Imported != 1 {
		t.Fatalf("import %s: %+v %v", name, rep, err)
	}
	it, err := a.Media.Update(rep.Results[0].Media.ID, alt, fx, fy)
	if err != nil {
		t.Fatal(err)
	}
	return it
}

// draftWith saves a draft for the accounts and attaches the images.
func draftWith(t *testing.T, a *App, clientID int64, text string, accounts []int64, images []backend.PostMedia) int64 {
	t.Helper()
	in := PostInput{ClientID: clientID, Status: "draft", Text: text, Date: "2026-11-24", Time: "11:00"}
	for _, id := range accounts {
		in.Variants = append(in.Variants, VariantInput{AccountID: id})
	}
	res, err := a.Posts.Save(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Media.SetPostMedia(res.Post.ID, images); err != nil {
		t.Fatal(err)
	}
	return res.Post.ID
}

func schedule(t *testing.T, a *App, postID int64) {
	t.Helper()
	p, err := a.Posts.Get(postID)
	if err != nil {
		t.Fatal(err)
	}
	in := PostInput{ID: postID, ClientID: p.ClientID, Status: "scheduled", Text: p.Text, Date: p.Local[:10], Time: p.Local[11:]}
	for _, v := range p.Variants {
		in.Variants = append(in.Variants, VariantInput{AccountID: v.AccountID, Text: v.Text})
	}
	if _, err := a.Posts.Save(in); err != nil {
		t.Fatal(err)
	}
}

func jobFor(t *testing.T, a *App, postID, accountID int64) backend.OutboxJob {
	t.Helper()
	jobs, err := a.store.OutboxJobs(context.Background(), backend.OutboxQuery{Inactive: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		if j.Publish.PostID == postID && j.Account.ID == accountID {
			return j
		}
	}
	t.Fatalf("no job for post %d account %d in %d jobs", postID, accountID, len(jobs))
	return backend.OutboxJob{}
}

// A scheduled post's images go through the real outbox to a (fake) Mastodon
// instance: sized within the instance's limits, in order, with alt text and
// the focal point, then the status names the uploads. A post whose original
// is gone fails with a clear reason instead of waiting forever.
func TestScheduledPostImagesPublishToMastodon(t *testing.T) {
	a, _, dir := connectApp(t)
	srv := newMastodonWithMedia(t)
	c, _ := a.Clients.Save(ClientInput{Name: "Studio Brera", TimeZone: "Europe/Madrid", Language: "it"})
	acc, err := a.Connect.ConnectMastodon(MastodonInput{ClientID: c.ID, InstanceURL: srv.URL, Token: mastoToken})
	if err != nil {
		t.Fatal(err)
	}
	if acc.Limits.ImageMatrixLimit != 1_000_000 || acc.Limits.ImageSizeLimit != 2_000_000 {
		t.Fatalf("instance limits not stored: %+v", acc.Limits)
	}
	big := importPhoto(t, a, c.ID, "duomo.jpg", mediatest.PhotoLike(2400, 1600, 7), "Il Duomo al tramonto", 0.25, 0.75)
	small := importPhoto(t, a, c.ID, "caffe.jpg", mediatest.PhotoLike(400, 300, 8), "Un caffè sul bancone", 0.5, 0.5)
	postID := draftWith(t, a, c.ID, "Buonasera Milano", []int64{acc.ID}, []backend.PostMedia{{MediaID: big.ID}, {MediaID: small.ID}})
	schedule(t, a, postID)

	for range 2 {
		if err := a.outbox.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	srv.mu.Lock()
	ups, sts := append([]upload(nil), srv.uploads...), append([]string(nil), srv.statuses...)
	srv.mu.Unlock()
	if len(sts) != 1 || sts[0] != "Buonasera Milano|m1,m2" {
		t.Fatalf("statuses %q", sts)
	}
	if len(ups) != 2 {
		t.Fatalf("%d uploads", len(ups))
	}
	// The big photo was scaled into the instance's 1 MP matrix limit; the
	// small one stays as it is. Both are metadata-free JPEGs.
	wantAlt := []string{"Il Duomo al tramonto", "Un caffè sul bancone"}
	for i, u := range ups {
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(u.data))
		if err != nil {
			t.Fatalf("upload %d is not a JPEG: %v", i, err)
		}
		if u.mime != "image/jpeg" || u.alt != wantAlt[i] || int64(len(u.data)) > 2_000_000 || int64(cfg.Width*cfg.Height) > 1_000_000 {
			t.Errorf("upload %d: %s %q %d bytes %d×%d", i, u.mime, u.alt, len(u.data), cfg.Width, cfg.Height)
		}
		if bytes.Contains(u.data, []byte("Exif")) {
			t.Errorf("upload %d carries EXIF", i)
		}
		if i == 0 && (cfg.Width < 1100 || cfg.Width*2 != cfg.Height*3) {
			t.Errorf("big photo sent as %d×%d", cfg.Width, cfg.Height)
		}
		if i == 1 && (cfg.Width != 400 || cfg.Height != 300) {
			t.Errorf("small photo sent as %d×%d", cfg.Width, cfg.Height)
		}
	}
	// Mastodon's focus runs from -1 (left, bottom) to 1: (0.25, 0.75) → (-0.5, -0.5).
	if ups[0].focus != "-0.50,-0.50" {
		t.Errorf("focus %q", ups[0].focus)
	}
	if p, _ := a.Posts.Get(postID); p.Status != "published" {
		t.Errorf("post %s", p.Status)
	}

	// Every retry sends the same files: same paths, same bytes.
	job := jobFor(t, a, postID, acc.ID)
	var r1, r2 backend.PublishRequest
	if err := a.Media.preparePublish(context.Background(), job, &r1); err != nil {
		t.Fatal(err)
	}
	if err := a.Media.preparePublish(context.Background(), job, &r2); err != nil {
		t.Fatal(err)
	}
	if len(r1.Media) != 2 || r1.Media[0].Path != r2.Media[0].Path || r1.Media[1].Path != r2.Media[1].Path {
		t.Fatalf("paths differ: %+v %+v", r1.Media, r2.Media)
	}
	if b, _ := os.ReadFile(r1.Media[0].Path); !bytes.Equal(b, ups[0].data) {
		t.Error("a retry would send other bytes")
	}
	if !strings.HasPrefix(r1.Media[0].Path, filepath.Join(dir, "cache", "media")) {
		t.Errorf("not from the render cache: %s", r1.Media[0].Path)
	}
	// A size rendered before comes from the cache by the library's record:
	// the original is not read again (garbage in its place changes nothing).
	bigM, _ := a.store.GetMedia(context.Background(), big.ID)
	bigPath, _ := a.Media.filePath(bigM.Hash, bigM.Format)
	orig, _ := os.ReadFile(bigPath)
	if err := os.WriteFile(bigPath, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	var r3 backend.PublishRequest
	if err := a.Media.preparePublish(context.Background(), job, &r3); err != nil || len(r3.Media) != 2 || r3.Media[0] != r1.Media[0] {
		t.Fatalf("cached sizes not used: %+v %v", r3.Media, err)
	}
	if err := os.WriteFile(bigPath, orig, 0o600); err != nil {
		t.Fatal(err)
	}

	// An original removed from disk: the variant fails for good with a
	// reason the outbox view can translate, and nothing is posted.
	lost := importPhoto(t, a, c.ID, "perso.jpg", mediatest.PhotoLike(500, 400, 9), "Perso", 0.5, 0.5)
	lostPost := draftWith(t, a, c.ID, "Questa non parte", []int64{acc.ID}, []backend.PostMedia{{MediaID: lost.ID}})
	m, _ := a.store.GetMedia(context.Background(), lost.ID)
	path, _ := a.Media.filePath(m.Hash, m.Format)
	if err := os.WriteFile(path, []byte("not an image any more"), 0o600); err != nil {
		t.Fatal(err)
	}
	schedule(t, a, lostPost)
	if err := a.outbox.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	items, err := a.Outbox.Items(OutboxQuery{States: []string{"failed"}})
	if err != nil || len(items) != 1 || items[0].PostID != lostPost {
		t.Fatalf("failed items %+v %v", items, err)
	}
	j := jobFor(t, a, lostPost, acc.ID)
	if j.Publish.LastErrorKey != "media.publish_broken" || !strings.Contains(j.Publish.LastError, "perso.jpg") {
		t.Errorf("reason %q %q", j.Publish.LastErrorKey, j.Publish.LastError)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	var req backend.PublishRequest
	err = a.Media.preparePublish(context.Background(), j, &req)
	if e := wantKey(t, err, "media.publish_missing"); e.Code != backend.EInvalid {
		t.Errorf("missing original: %+v", e)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.statuses) != 1 {
		t.Errorf("statuses %q", srv.statuses)
	}
}

// noisePhoto is a hard-to-compress picture: the Bluesky byte limit must
// still hold.
func noisePhoto(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.IntN(256))
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	return img
}

// Each network gets its preset: Bluesky fits 1,000,000 bytes whatever the
// picture; Instagram the post's chosen ratio (square here), else its
// default portrait; a crop moves the focus inside the output.
func TestPreparePicksEachNetworksPreset(t *testing.T) {
	a, _, _ := connectApp(t)
	c, _ := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"})
	ig, _ := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: "instagram", Handle: "@sol"})
	bs, _ := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: "bluesky", Handle: "@sol.test"})
	noisy := importPhoto(t, a, c.ID, "ruido.jpg", noisePhoto(1800, 1200), "Ruido", 0.9, 0.5)
	photo := importPhoto(t, a, c.ID, "pan.jpg", mediatest.PhotoLike(1600, 1200, 3), "Pan", 0.5, 0.5)
	postID := draftWith(t, a, c.ID, "Pan recién hecho", []int64{ig.ID, bs.ID},
		[]backend.PostMedia{{MediaID: noisy.ID, Presets: map[backend.Network]string{backend.Instagram: "instagram.square"}}, {MediaID: photo.ID}})

	var req backend.PublishRequest
	if err := a.Media.preparePublish(context.Background(), jobFor(t, a, postID, bs.ID), &req); err != nil {
		t.Fatal(err)
	}
	for i, f := range req.Media {
		st, err := os.Stat(f.Path)
		if err != nil || st.Size() > 1_000_000 || f.Width > 2000 || f.Height > 2000 {
			t.Errorf("bluesky image %d: %+v %v", i, f, err)
		}
	}
	req = backend.PublishRequest{}
	if err := a.Media.preparePublish(context.Background(), jobFor(t, a, postID, ig.ID), &req); err != nil {
		t.Fatal(err)
	}
	if len(req.Media) != 2 || req.Media[0].Width != 1080 || req.Media[0].Height != 1080 || req.Media[1].Width != 1080 || req.Media[1].Height != 1350 {
		t.Fatalf("instagram sizes %+v", req.Media)
	}
	// Focal x 0.9 of 1800 px = 1620; the 1200-px square crop starts at 600:
	// (1620-600)/1200 = 0.85 inside the output.
	if f := req.Media[0]; f.FocusX != 0.85 || f.FocusY != 0.5 || f.Alt != "Ruido" || f.MIME != "image/jpeg" {
		t.Errorf("instagram image 0: %+v", f)
	}
	// A preset of another network is refused when attaching.
	err := a.Media.SetPostMedia(postID, []backend.PostMedia{{MediaID: photo.ID, Presets: map[backend.Network]string{backend.Instagram: "x.landscape"}}})
	wantKey(t, err, "media.preset_invalid")
}

// Scheduling refuses more images than a network takes (Bluesky 4), in Go
// like text over a limit; a draft may carry them; a scheduled post cannot
// get a fifth image afterwards.
func TestImageCountLimitBlocksScheduling(t *testing.T) {
	a, _, _ := connectApp(t)
	c, _ := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"})
	bs, _ := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: "bluesky", Handle: "@sol.test"})
	ig, _ := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: "instagram", Handle: "@sol"})
	var five []backend.PostMedia
	for i := range 5 {
		it := importPhoto(t, a, c.ID, "f"+string(rune('0'+i))+".jpg", mediatest.PhotoLike(200, 150, uint64(20+i)), "", 0.5, 0.5)
		five = append(five, backend.PostMedia{MediaID: it.ID})
	}
	postID := draftWith(t, a, c.ID, "Cinco fotos", []int64{bs.ID, ig.ID}, five)
	// Should it reach the outbox anyway, the variant fails with a reason
	// that needs no params (the outbox stores only the key).
	var req backend.PublishRequest
	e0 := wantKey(t, a.Media.preparePublish(context.Background(), jobFor(t, a, postID, bs.ID), &req), "media.publish_too_many")
	if e0.Code != backend.EInvalid || len(req.Media) != 0 {
		t.Errorf("publish with 5 images: %+v %d files", e0, len(req.Media))
	}
	p, _ := a.Posts.Get(postID)
	_, err := a.Posts.Save(PostInput{ID: postID, ClientID: c.ID, Status: "scheduled", Text: p.Text, Date: "2026-11-30", Time: "10:00",
		Variants: []VariantInput{{AccountID: bs.ID}, {AccountID: ig.ID}}})
	e := wantKey(t, err, "media.too_many_images")
	if e.Field != "media" || e.Params["network"] != "bluesky" || e.Params["max"] != "4" || e.Params["count"] != "5" {
		t.Errorf("error %+v", e)
	}
	// Instagram alone takes 10.
	if _, err := a.Posts.Save(PostInput{ID: postID, ClientID: c.ID, Status: "scheduled", Text: p.Text, Date: "2026-11-30", Time: "10:00",
		Variants: []VariantInput{{AccountID: ig.ID}}}); err != nil {
		t.Fatal(err)
	}
	// Four for both networks: scheduled; then a fifth is refused.
	if err := a.Media.SetPostMedia(postID, five[:4]); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Posts.Save(PostInput{ID: postID, ClientID: c.ID, Status: "scheduled", Text: p.Text, Date: "2026-11-30", Time: "10:00",
		Variants: []VariantInput{{AccountID: bs.ID}, {AccountID: ig.ID}}}); err != nil {
		t.Fatal(err)
	}
	wantKey(t, a.Media.SetPostMedia(postID, five), "media.too_many_images")
	if got, _ := a.Media.PostImages(postID); len(got) != 4 || got[0].Media.ID != five[0].MediaID || got[3].Position != 3 {
		t.Errorf("images after the refusal: %+v", got)
	}
	if m := a.Media.MaxImages(); m[backend.Bluesky] != 4 || m[backend.Instagram] != 10 || m[backend.Mastodon] != 4 || m[backend.LinkedIn] != 0 {
		t.Errorf("max images %v", m)
	}
}

type fakeFolderOpener struct{ opened []string }

func (f *fakeFolderOpener) OpenFolder(p string) error { f.opened = append(f.opened, p); return nil }

// A manual network's images are ready in a stable folder, sized with the
// variant's preset, rewritten only when they change, without stale files.
func TestReadyFolderForManualNetworks(t *testing.T) {
	a, _, dir := connectApp(t)
	op := &fakeFolderOpener{}
	a.Media.opener = op
	c, _ := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"})
	ig, _ := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: "instagram", Handle: "@sol"})
	one := importPhoto(t, a, c.ID, "uno.jpg", mediatest.PhotoLike(1200, 900, 31), "Uno", 0.5, 0.5)
	two := importPhoto(t, a, c.ID, "dos.jpg", mediatest.PhotoLike(900, 1200, 32), "Dos", 0.5, 0.5)
	postID := draftWith(t, a, c.ID, "Listas", []int64{ig.ID}, []backend.PostMedia{{MediaID: one.ID}, {MediaID: two.ID}})
	vid := jobFor(t, a, postID, ig.ID).Publish.VariantID

	folder, err := a.Media.ReadyFolder(vid)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "ready", strconv.FormatInt(postID, 10)+"-instagram"); folder != want {
		t.Fatalf("folder %s, want %s", folder, want)
	}
	sizes := func() map[string]image.Point {
		out := map[string]image.Point{}
		ents, _ := os.ReadDir(folder)
		for _, e := range ents {
			f, _ := os.Open(filepath.Join(folder, e.Name()))
			cfg, err := jpeg.DecodeConfig(f)
			f.Close()
			if err != nil {
				t.Fatalf("%s: %v", e.Name(), err)
			}
			out[e.Name()] = image.Pt(cfg.Width, cfg.Height)
		}
		return out
	}
	if got := sizes(); len(got) != 2 || got["01.jpg"] != image.Pt(1080, 1350) || got["02.jpg"] != image.Pt(1080, 1350) {
		t.Fatalf("ready files %v", got)
	}
	// Unchanged: not rewritten.
	old := time.Now().Add(-time.Hour)
	os.Chtimes(filepath.Join(folder, "01.jpg"), old, old)
	os.Chtimes(filepath.Join(folder, "02.jpg"), old, old)
	os.WriteFile(filepath.Join(folder, "notes.txt"), []byte("mine"), 0o600)
	// Now square for the first, the second removed.
	if err := a.Media.SetPostMedia(postID, []backend.PostMedia{{MediaID: one.ID, Presets: map[backend.Network]string{backend.Instagram: "instagram.square"}}}); err != nil {
		t.Fatal(err)
	}
	if err := a.Media.OpenReadyFolder(vid); err != nil {
		t.Fatal(err)
	}
	if len(op.opened) != 1 || op.opened[0] != folder {
		t.Errorf("opened %v", op.opened)
	}
	if got := sizes(); len(got) != 1 || got["01.jpg"] != image.Pt(1080, 1080) {
		t.Fatalf("after the change %v", got)
	}
	// Same again: the file is left alone.
	os.Chtimes(filepath.Join(folder, "01.jpg"), old, old)
	if _, err := a.Media.ReadyFolder(vid); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(filepath.Join(folder, "01.jpg")); !st.ModTime().Equal(old) {
		t.Error("an unchanged file was rewritten")
	}
	// No images: a clear error.
	if err := a.Media.SetPostMedia(postID, nil); err != nil {
		t.Fatal(err)
	}
	_, err = a.Media.ReadyFolder(vid)
	wantKey(t, err, "media.ready_empty")
	_, err = a.Media.ReadyFolder(999999)
	if backend.ErrorCode(err) != backend.ENotFound {
		t.Errorf("unknown variant: %v", err)
	}
}

// The render cache is pruned in the background after an import.
func TestRenderCachePrunedAfterImport(t *testing.T) {
	a, _, dir := connectApp(t)
	a.Media.cacheMax = 1 // everything older than the grace period goes
	cache := filepath.Join(dir, "cache", "media")
	c, _ := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"})
	first := importPhoto(t, a, c.ID, "a.jpg", mediatest.PhotoLike(600, 400, 41), "A", 0.5, 0.5)
	a.Media.waitPrune()
	var files []string
	filepath.WalkDir(cache, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		t.Fatal("no rendered thumbnail")
	}
	// The thumbnail is recent: kept. Made old, the next import's prune removes it.
	old := time.Now().Add(-time.Hour)
	for _, f := range files {
		os.Chtimes(f, old, old)
	}
	importPhoto(t, a, c.ID, "b.jpg", mediatest.PhotoLike(600, 400, 42), "B", 0.5, 0.5)
	a.Media.waitPrune()
	sort.Strings(files)
	for _, f := range files {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("old render %s kept", f)
		}
	}
	// It renders again when asked.
	if _, err := a.Media.renderOne(context.Background(), mustMedia(t, a, first.ID), thumbPreset, media.Centre()); err != nil {
		t.Fatal(err)
	}
}

func mustMedia(t *testing.T, a *App, id int64) backend.Media {
	t.Helper()
	m, err := a.store.GetMedia(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return *m
}

// Duplicating a post for the same client keeps its images and sizes;
// for another client (whose library does not have them) it has none.
func TestDuplicateCarriesImages(t *testing.T) {
	a, _, _ := connectApp(t)
	c, _ := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"})
	other, _ := a.Clients.Save(ClientInput{Name: "Luna", TimeZone: "Europe/Madrid", Language: "es"})
	ig, _ := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: "instagram", Handle: "@sol"})
	a.Clients.AddAccount(AccountInput{ClientID: other.ID, Network: "instagram", Handle: "@luna"})
	one := importPhoto(t, a, c.ID, "uno.jpg", mediatest.PhotoLike(300, 200, 51), "Uno", 0.5, 0.5)
	two := importPhoto(t, a, c.ID, "dos.jpg", mediatest.PhotoLike(300, 200, 52), "Dos", 0.5, 0.5)
	src := draftWith(t, a, c.ID, "Original", []int64{ig.ID},
		[]backend.PostMedia{{MediaID: two.ID, Presets: map[backend.Network]string{backend.Instagram: "instagram.story"}}, {MediaID: one.ID}})
	dup, err := a.Posts.Duplicate(DuplicateInput{ID: src, Date: "2026-12-01", Time: "09:00"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := a.Media.PostImages(dup.Post.ID)
	if err != nil || len(got) != 2 || got[0].MediaID != two.ID || got[1].MediaID != one.ID || got[0].Presets[backend.Instagram] != "instagram.story" {
		t.Fatalf("duplicate's images %+v %v", got, err)
	}
	away, err := a.Posts.Duplicate(DuplicateInput{ID: src, ClientID: other.ID, Date: "2026-12-01", Time: "09:00"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := a.Media.PostImages(away.Post.ID); len(got) != 0 {
		t.Errorf("another client's copy has %d images", len(got))
	}
}
