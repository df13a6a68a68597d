package app

import (
	"context"
	"image"
	"image/color"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/media"
	"pauta/backend/media/mediatest"
	"pauta/backend/sqlite"
)

// mediaEvents keeps media:progress payloads and other event names.
type mediaEvents struct {
	mu       sync.Mutex
	progress []MediaProgress
	names    []string
}

func (r *mediaEvents) Emit(name string, data ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.names = append(r.names, name)
	if name == EventMediaProgress {
		r.progress = append(r.progress, data[0].(MediaProgress))
	}
}

type fakeImageDialog struct {
	paths []string
	asked int
}

func (f *fakeImageDialog) OpenImages() ([]string, error) { f.asked++; return f.paths, nil }

func (f *fakeImageDialog) OpenKitFiles(string) ([]string, error) { f.asked++; return f.paths, nil }

type mediaEnv struct {
	svc    *MediaService
	db     *sqlite.DB
	data   string
	client *backend.Client
	events *mediaEvents
	dialog *fakeImageDialog
}

func newMediaEnv(t testing.TB, networks ...backend.Network) *mediaEnv {
	t.Helper()
	ctx := context.Background()
	data := t.TempDir()
	db, err := sqlite.Open(ctx, filepath.Join(data, DBFile), backend.FixedClock{T: testNow})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := &backend.Client{Name: "Panadería Sol", TimeZone: "Europe/Madrid", Language: "es"}
	if err := db.CreateClient(ctx, c); err != nil {
		t.Fatal(err)
	}
	for i, n := range networks {
		a := &backend.Account{ClientID: c.ID, Network: n, Handle: "@sol" + string(rune('a'+i))}
		if err := db.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	ev := &mediaEvents{}
	dlg := &fakeImageDialog{}
	svc := NewMediaService(context.Background, db, data, dlg, ev)
	return &mediaEnv{svc: svc, db: db, data: data, client: c, events: ev, dialog: dlg}
}

// write puts b in a temp file named name and returns its absolute path.
func write(t testing.TB, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// libraryFiles lists the files under <data>/media.
func (e *mediaEnv) libraryFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(filepath.Join(e.data, "media"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func photoJPEG(w, h int, seed uint64) []byte {
	return mediatest.JPEG(mediatest.PhotoLike(w, h, seed), 85)
}

func TestMediaImportDedupsByContent(t *testing.T) {
	e := newMediaEnv(t, backend.Instagram)
	jpg := photoJPEG(640, 480, 1)
	a := write(t, "playa.jpg", jpg)
	b := write(t, "copia de playa.JPG", jpg)
	png := write(t, "logo.png", mediatest.PNG(mediatest.Solid(300, 200, color.NRGBA{R: 200, A: 128})))

	rep, err := e.svc.Import(e.client.ID, []string{a, b, png})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 2 || rep.Duplicates != 1 || rep.Failed != 0 {
		t.Fatalf("report %+v", rep)
	}
	// Results keep the order of the paths; the duplicate points at the same row.
	if rep.Results[0].Path != a || rep.Results[2].Name != "logo.png" || rep.Results[0].Media.ID != rep.Results[1].Media.ID {
		t.Errorf("results %+v", rep.Results)
	}
	// Again, later: a duplicate, nothing new on disk.
	again, err := e.svc.Import(e.client.ID, []string{b})
	if err != nil || again.Duplicates != 1 || again.Results[0].Status != ImportDuplicate {
		t.Fatalf("second import %+v %v", again, err)
	}
	items, _ := e.svc.List(e.client.ID, "")
	if len(items) != 2 {
		t.Fatalf("%d items", len(items))
	}
	if files := e.libraryFiles(t); len(files) != 2 {
		t.Errorf("library files %v", files)
	}
	var photo MediaItem
	for _, it := range items {
		if it.Format == "jpeg" {
			photo = it
		}
	}
	if photo.Width != 640 || photo.Height != 480 || !photo.AltMissing || photo.FocalX != 0.5 || photo.Bytes != int64(len(jpg)) {
		t.Errorf("photo %+v", photo)
	}
	if !strings.HasPrefix(photo.ThumbURL, "/media/thumb/") || !strings.Contains(photo.ThumbURL, "?v=") {
		t.Errorf("thumb url %q", photo.ThumbURL)
	}
	// Progress: a first event with the total, then one per file, ending at total.
	ev := e.events.progress
	if len(ev) != 4+2 || ev[0].Done != 0 || ev[0].Total != 3 || ev[3].Done != 3 || ev[3].File == "" {
		t.Errorf("progress %+v", ev)
	}
	// Another client importing the same photo gets its own row, sharing the file.
	other := &backend.Client{Name: "Luna", TimeZone: "Europe/Rome", Language: "it"}
	e.db.CreateClient(context.Background(), other)
	rep, _ = e.svc.Import(other.ID, []string{a})
	if rep.Imported != 1 || len(e.libraryFiles(t)) != 2 {
		t.Errorf("other client: %+v, files %v", rep, e.libraryFiles(t))
	}
	// Search by name.
	if got, _ := e.svc.List(e.client.ID, "LOGO"); len(got) != 1 || got[0].Name != "logo.png" {
		t.Errorf("search %+v", got)
	}
	// The dialog path imports what was picked; cancel imports nothing.
	if rep, err := e.svc.ImportDialog(e.client.ID); err != nil || len(rep.Results) != 0 || e.dialog.asked != 1 {
		t.Errorf("cancelled dialog %+v %v", rep, err)
	}
	_, err = e.svc.Import(999, []string{a})
	wantKey(t, err, "client.not_found")
}

func TestMediaImportRefusesBadFilesAndLeavesLibraryUnchanged(t *testing.T) {
	e := newMediaEnv(t)
	jpg := photoJPEG(400, 300, 2)
	cases := map[string]struct {
		name string
		data []byte
		key  string
	}{
		"truncated":       {"cortada.jpg", jpg[:len(jpg)/2], "media.corrupt"},
		"empty":           {"vacia.jpg", nil, "media.empty"},
		"heic":            {"IMG_0001.HEIC", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + strings.Repeat("\x00", 64)), "media.corrupt"},
		"jpeg named heic": {"IMG_0002.HEIC", jpg, "media.type_mismatch"},
		"lying":           {"foto.png", jpg, "media.type_mismatch"},
		"text":            {"notas.jpg", []byte("not an image at all"), "media.type_mismatch"},
	}
	var paths []string
	var want []string
	for _, c := range cases {
		paths = append(paths, write(t, c.name, c.data))
		want = append(want, c.key)
	}
	paths = append(paths, filepath.Join(t.TempDir(), "missing.jpg"), t.TempDir())
	want = append(want, "media.unreadable", "media.not_regular_file")

	rep, err := e.svc.Import(e.client.ID, paths)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != len(paths) || rep.Imported != 0 {
		t.Fatalf("report %+v", rep)
	}
	for i, r := range rep.Results {
		if r.Status != ImportError || r.Error == nil || r.Error.Key != want[i] || r.Media != nil {
			t.Errorf("%s: %+v %+v, want %s", r.Name, r, r.Error, want[i])
		}
	}
	if items, _ := e.svc.List(e.client.ID, ""); len(items) != 0 {
		t.Errorf("library changed: %+v", items)
	}
	if files := e.libraryFiles(t); len(files) != 0 {
		t.Errorf("files written: %v", files)
	}
	for _, n := range e.events.names {
		if n == EventMediaChanged {
			t.Error("media:changed emitted for a failed import")
		}
	}
}

func TestMediaUpdateAltAndFocal(t *testing.T) {
	e := newMediaEnv(t)
	rep, _ := e.svc.Import(e.client.ID, []string{write(t, "a.jpg", photoJPEG(200, 100, 3))})
	id := rep.Results[0].Media.ID
	it, err := e.svc.Update(id, "  Barra de pan sobre la mesa ", 0.2, 0.7)
	if err != nil || it.Alt != "Barra de pan sobre la mesa" || it.AltMissing || it.FocalX != 0.2 || it.FocalY != 0.7 {
		t.Fatalf("update %+v %v", it, err)
	}
	_, err = e.svc.Update(id, "x", -0.1, 0.5)
	wantKey(t, err, "media.focal_invalid")
	it, _ = e.svc.Get(id)
	if it.FocalX != 0.2 || it.Alt != "Barra de pan sobre la mesa" {
		t.Errorf("failed update changed %+v", it)
	}
	it, _ = e.svc.Update(id, "   ", 0.2, 0.7)
	if !it.AltMissing {
		t.Error("blank alt not flagged")
	}
}

func TestMediaPreviewsKeepFocalPointInEveryCrop(t *testing.T) {
	e := newMediaEnv(t, backend.Instagram, backend.X, backend.Bluesky, backend.Mastodon, backend.YouTube)
	rep, _ := e.svc.Import(e.client.ID, []string{write(t, "ancha.jpg", photoJPEG(1200, 600, 4))})
	id := rep.Results[0].Media.ID
	for _, f := range [][2]float64{{0.5, 0.5}, {0.05, 0.9}, {0.97, 0.02}} {
		if _, err := e.svc.Update(id, "", f[0], f[1]); err != nil {
			t.Fatal(err)
		}
		set, err := e.svc.Previews(id)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, p := range set.Previews {
			ids = append(ids, p.ID)
			if p.Error != nil || p.URL == "" {
				t.Fatalf("%s: %+v", p.ID, p.Error)
			}
			fx, fy := int(f[0]*1200), int(f[1]*600)
			c := p.Crop
			if fx < c.X || fx >= c.X+c.Width || fy < c.Y || fy >= c.Y+c.Height {
				t.Errorf("focal %v outside %s crop %+v", f, p.ID, c)
			}
			if p.Fill && (p.OutWidth != p.Width || p.OutHeight != p.Height) {
				t.Errorf("%s: %d×%d, want %d×%d", p.ID, p.OutWidth, p.OutHeight, p.Width, p.Height)
			}
			if p.MaxBytes > 0 && p.OutBytes > p.MaxBytes {
				t.Errorf("%s: %d bytes > %d", p.ID, p.OutBytes, p.MaxBytes)
			}
		}
		want := "instagram.portrait instagram.square instagram.landscape instagram.story x.landscape x.landscape_small bluesky.original mastodon.original"
		if strings.Join(ids, " ") != want {
			t.Errorf("presets %s", strings.Join(ids, " "))
		}
	}
	// Served from the cache the previews filled, with the right type.
	set, _ := e.svc.Previews(id)
	rec := httptest.NewRecorder()
	e.svc.handler().ServeHTTP(rec, httptest.NewRequest("GET", set.Previews[0].URL, nil))
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "image/jpeg" {
		t.Fatalf("preset url %s: %d %s", set.Previews[0].URL, rec.Code, rec.Header().Get("Content-Type"))
	}
	cfg, _, err := image.DecodeConfig(rec.Body)
	if err != nil || cfg.Width != 1080 || cfg.Height != 1350 {
		t.Errorf("served %+v %v", cfg, err)
	}

	// A client without image networks previews the five main presets.
	bare := newMediaEnv(t)
	rep, _ = bare.svc.Import(bare.client.ID, []string{write(t, "b.jpg", photoJPEG(300, 300, 5))})
	set, err = bare.svc.Previews(rep.Results[0].Media.ID)
	if err != nil || len(set.Previews) != len(media.MainPresets()) {
		t.Fatalf("main presets: %d %v", len(set.Previews), err)
	}
	for _, p := range set.Previews {
		if len(p.Notes) != 1 || p.Notes[0] != media.NoteUpscaled {
			t.Errorf("%s notes %v: a 300×300 source is upscaled", p.ID, p.Notes)
		}
	}
}

func TestMediaDeleteAndCleanUnused(t *testing.T) {
	e := newMediaEnv(t, backend.Instagram)
	ctx := context.Background()
	rep, _ := e.svc.Import(e.client.ID, []string{
		write(t, "a.jpg", photoJPEG(120, 90, 6)), write(t, "b.jpg", photoJPEG(120, 90, 7)), write(t, "c.jpg", photoJPEG(120, 90, 8))})
	a, b, c := rep.Results[0].Media, rep.Results[1].Media, rep.Results[2].Media
	// The same file in another client's library keeps it on disk.
	other := &backend.Client{Name: "Luna", TimeZone: "Europe/Rome", Language: "it"}
	e.db.CreateClient(ctx, other)
	pathB := rep.Results[1].Path
	if r, _ := e.svc.Import(other.ID, []string{pathB}); r.Imported != 1 {
		t.Fatal(r)
	}
	// Render a preset so the cache has something to forget.
	if _, err := e.svc.Previews(a.ID); err != nil {
		t.Fatal(err)
	}

	post := &backend.Post{ClientID: e.client.ID, Status: backend.StatusIdea, BaseText: "Hola", TimeZone: "Europe/Madrid"}
	if err := e.db.CreatePost(ctx, post); err != nil {
		t.Fatal(err)
	}
	err := e.svc.SetPostMedia(post.ID, []backend.PostMedia{{MediaID: c.ID, Presets: map[backend.Network]string{backend.Instagram: "x.landscape"}}})
	wantKey(t, err, "media.preset_invalid")
	if err := e.svc.SetPostMedia(post.ID, []backend.PostMedia{{MediaID: c.ID, Presets: map[backend.Network]string{backend.Instagram: "instagram.square"}}}); err != nil {
		t.Fatal(err)
	}
	if pm, _ := e.svc.PostMedia(post.ID); len(pm) != 1 || pm[0].Presets[backend.Instagram] != "instagram.square" {
		t.Errorf("post media %+v", pm)
	}
	be := wantKey(t, e.svc.Delete(c.ID), "media.in_use")
	if be.Params["posts"] != "1" {
		t.Errorf("params %v", be.Params)
	}

	before := len(e.libraryFiles(t))
	if err := e.svc.Delete(a.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(e.libraryFiles(t)); n != before-1 {
		t.Errorf("files %d → %d", before, n)
	}
	if _, err := os.Stat(filepath.Join(e.data, "cache", "media", hashOfItem(t, e, b.ID)[:2])); err != nil {
		t.Log("(b has no cached presets; fine)")
	}
	wantKey(t, e.svc.Delete(a.ID), "media.not_found")

	clean, err := e.svc.CleanUnused(e.client.ID)
	if err != nil || clean.Deleted != 1 || clean.Bytes != 0 {
		t.Fatalf("clean %+v %v (b's file is shared with Luna: 0 bytes freed)", clean, err)
	}
	items, _ := e.svc.List(e.client.ID, "")
	if len(items) != 1 || items[0].ID != c.ID || items[0].Uses != 1 {
		t.Errorf("left %+v", items)
	}
	if _, err := os.Stat(pathOnDisk(t, e, pathB)); err != nil {
		t.Errorf("shared file removed: %v", err)
	}
	// Luna's clean-up frees it for good.
	clean, _ = e.svc.CleanUnused(other.ID)
	if clean.Deleted != 1 || clean.Bytes == 0 {
		t.Errorf("luna clean %+v", clean)
	}
	if files := e.libraryFiles(t); len(files) != 1 {
		t.Errorf("files left %v", files)
	}
}

func hashOfItem(t *testing.T, e *mediaEnv, id int64) string {
	t.Helper()
	m, err := e.db.GetMedia(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m.Hash
}

// pathOnDisk is where the library keeps the content of the source file src.
func pathOnDisk(t *testing.T, e *mediaEnv, src string) string {
	t.Helper()
	b, _ := os.ReadFile(src)
	info, err := media.New().Inspect("", b)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := e.svc.filePath(info.Hash, string(info.Format))
	return p
}

func TestMediaHandlerValidatesAndSetsTypes(t *testing.T) {
	e := newMediaEnv(t, backend.Instagram)
	alpha := mediatest.PNG(mediatest.Solid(300, 200, color.NRGBA{B: 255, A: 100}))
	rep, _ := e.svc.Import(e.client.ID, []string{write(t, "a.jpg", photoJPEG(320, 240, 9)), write(t, "t.png", alpha)})
	jpg, png := rep.Results[0].Media, rep.Results[1].Media
	// A secret next to the data dir must never be reachable.
	os.WriteFile(filepath.Join(e.data, "secret.txt"), []byte("token"), 0o600)

	get := func(method, url string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		e.svc.handler().ServeHTTP(rec, httptest.NewRequest(method, url, nil))
		return rec
	}
	for url, want := range map[string]string{
		jpg.ThumbURL:    "image/jpeg",
		jpg.ViewURL:     "image/jpeg",
		jpg.OriginalURL: "image/jpeg",
		png.ThumbURL:    "image/png", // transparency kept
		png.OriginalURL: "image/png",
		"/media/preset/" + itoa(jpg.ID) + "/instagram.story":           "image/jpeg",
		"/media/preset/" + itoa(jpg.ID) + "/instagram.square?f=0,1":    "image/jpeg",
		"/media/preset/" + itoa(png.ID) + "/instagram.square?f=0.5,.5": "image/jpeg", // Instagram takes no PNG: flattened
	} {
		rec := get("GET", url)
		if rec.Code != 200 || rec.Header().Get("Content-Type") != want || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: %d %q", url, rec.Code, rec.Header().Get("Content-Type"))
			continue
		}
		if !strings.Contains(rec.Header().Get("Cache-Control"), "max-age") {
			t.Errorf("%s: cache-control %q", url, rec.Header().Get("Cache-Control"))
		}
		if _, format, err := image.DecodeConfig(rec.Body); err != nil || "image/"+format != want {
			t.Errorf("%s: body is %s %v", url, format, err)
		}
	}
	orig := get("GET", jpg.OriginalURL)
	b, _ := io.ReadAll(orig.Body)
	if int64(len(b)) != jpg.Bytes {
		t.Errorf("original %d bytes, want %d", len(b), jpg.Bytes)
	}

	id := itoa(jpg.ID)
	for _, url := range []string{
		"/media/original/../../secret.txt",
		"/media/original/..%2F..%2Fsecret.txt",
		"/media/original/" + id + "/../../secret.txt",
		"/media/original/%2e%2e",
		"/media/thumb/0",
		"/media/thumb/-1",
		"/media/thumb/01",
		"/media/thumb/1e3",
		"/media/thumb/99999999999999999999",
		"/media/thumb/" + id + "/extra",
		"/media/thumb/",
		"/media/secret.txt",
		"/media/preset/" + id + "/../../secret.txt",
		"/media/preset/" + id + "/pauta.thumb",
		"/media/preset/" + id + "/nope",
		"/media/preset/" + id,
		"/media/thumb/999",
		"/secret.txt",
	} {
		rec := get("GET", url)
		body := rec.Body.String()
		if rec.Code < 400 || strings.Contains(body, "token") || strings.HasPrefix(rec.Header().Get("Content-Type"), "image/") {
			t.Errorf("%s: %d %q", url, rec.Code, body)
		}
	}
	for _, f := range []string{"2,0.5", "x,y", "0.5", "NaN,0.5", "-0,1.0001"} {
		if rec := get("GET", "/media/preset/"+id+"/instagram.square?f="+f); rec.Code != http.StatusBadRequest {
			t.Errorf("f=%s: %d", f, rec.Code)
		}
	}
	if rec := get("POST", jpg.ThumbURL); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", rec.Code)
	}
	if rec := get("HEAD", jpg.ThumbURL); rec.Code != 200 || rec.Body.Len() != 0 {
		t.Errorf("HEAD: %d %d bytes", rec.Code, rec.Body.Len())
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A 16-bit 10000×10000 PNG of under 1 MB is refused before it is decoded
// (it would take 800 MB), with its size and depth for the message.
func TestMediaImportRefuses16BitBomb(t *testing.T) {
	e := newMediaEnv(t)
	bomb := write(t, "cartel.png", mediatest.FlatPNG(10000, 10000, 16, 2))
	start := time.Now()
	rep, err := e.svc.Import(e.client.ID, []string{bomb})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Results[0]
	if r.Status != ImportError || r.Error == nil || r.Error.Key != "media.too_large_to_decode" || r.Error.Params["bits"] != "16" {
		t.Fatalf("got %+v %+v", r, r.Error)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("refusing took %v", d)
	}
	if files := e.libraryFiles(t); len(files) != 0 {
		t.Errorf("files written: %v", files)
	}
}
