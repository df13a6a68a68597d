package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"pauta/backend"
	"pauta/backend/media"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// MediaDialogs opens the native picker for images to import. Production uses
// the Wails dialog; tests pass a fake. No paths means the user cancelled.
type MediaDialogs interface {
	OpenImages() ([]string, error)
}

// MediaStore is what the media library needs from persistence.
type MediaStore interface {
	backend.MediaStore
	GetClient(ctx context.Context, id int64) (*backend.Client, error)
	ListAccounts(ctx context.Context, clientID int64) ([]backend.Account, error)
	GetPost(ctx context.Context, id int64) (*backend.Post, error)
	OutboxJob(ctx context.Context, variantID int64) (*backend.OutboxJob, error)
}

// Events of the media library.
const (
	// EventMediaProgress reports each file of an import: MediaProgress. A
	// first event with Done 0 gives the total.
	EventMediaProgress = "media:progress"
	// EventMediaChanged says a client's library changed (payload: client id).
	EventMediaChanged = "media:changed"
)

// MediaProgress is the payload of EventMediaProgress.
type MediaProgress struct {
	ClientID int64  `json:"clientId"`
	Done     int    `json:"done"`
	Total    int    `json:"total"`
	File     string `json:"file"` // the file just finished (base name)
}

// Import statuses.
const (
	ImportOK        = "ok"
	ImportDuplicate = "duplicate" // the client already had this picture: nothing stored twice
	ImportError     = "error"
)

// MediaItem is an image as the library shows it. Images reach the web view
// only through the URLs (served by Handler), never inline.
type MediaItem struct {
	ID          int64     `json:"id"`
	ClientID    int64     `json:"clientId"`
	Name        string    `json:"name"`
	Format      string    `json:"format"`
	Bytes       int64     `json:"bytes"`
	Width       int       `json:"width"`
	Height      int       `json:"height"`
	Alt         string    `json:"alt"`
	AltMissing  bool      `json:"altMissing"` // warn: Mastodon and Bluesky show alt text
	FocalX      float64   `json:"focalX"`
	FocalY      float64   `json:"focalY"`
	Uses        int       `json:"uses"` // posts (not in the bin) carrying it
	CreatedAt   time.Time `json:"createdAt"`
	ThumbURL    string    `json:"thumbUrl"`    // long side 480
	ViewURL     string    `json:"viewUrl"`     // long side 1600, upright, no metadata
	OriginalURL string    `json:"originalUrl"` // the stored file as imported
}

// ImportResult is the outcome of one file of an import.
type ImportResult struct {
	Path   string         `json:"path"`
	Name   string         `json:"name"`
	Status string         `json:"status"` // ok | duplicate | error
	Media  *MediaItem     `json:"media,omitempty"`
	Error  *backend.Error `json:"error,omitempty"` // translated by Key in the UI
}

// ImportReport sums up an import, one result per path in order.
type ImportReport struct {
	Results    []ImportResult `json:"results"`
	Imported   int            `json:"imported"`
	Duplicates int            `json:"duplicates"`
	Failed     int            `json:"failed"`
}

// CleanReport says what CleanUnused removed.
type CleanReport struct {
	Deleted int   `json:"deleted"`
	Bytes   int64 `json:"bytes"` // disk space freed (files no other client uses)
}

// PresetView is a preset as the UI lists it.
type PresetView struct {
	ID       string          `json:"id"`
	Network  backend.Network `json:"network"`
	Width    int             `json:"width"`  // 0 for presets that keep the ratio
	Height   int             `json:"height"` // 0 for presets that keep the ratio
	Fill     bool            `json:"fill"`   // crops to Width:Height around the focal point
	MaxBytes int64           `json:"maxBytes"`
	Default  bool            `json:"default"` // what a new variant for Network gets
}

// Rect is a rectangle in source pixels.
type Rect struct {
	X      int `json:"x"`
	Y      int `json:"y"`
	Width  int `json:"width"`
	Height int `json:"height"`
}

// Preview is one preset rendered for an image with its focal point.
type Preview struct {
	PresetView
	OutWidth  int            `json:"outWidth"`
	OutHeight int            `json:"outHeight"`
	Format    string         `json:"format"`
	OutBytes  int64          `json:"outBytes"`
	URL       string         `json:"url"`
	Crop      Rect           `json:"crop"`  // the part of the upright source shown
	Notes     []string       `json:"notes"` // i18n keys: media.upscaled, media.flattened, media.gif_first_frame
	Error     *backend.Error `json:"error,omitempty"`
}

// PreviewSet is every preset of an image's client networks (the five main
// presets when the client has no account with images).
type PreviewSet struct {
	Media    MediaItem `json:"media"`
	FocalX   float64   `json:"focalX"` // the focal point these were rendered with
	FocalY   float64   `json:"focalY"`
	Previews []Preview `json:"previews"`
}

// Internal presets for the library itself: they keep the whole picture.
var (
	thumbPreset = media.Preset{ID: "pauta.thumb", MaxLongSide: 480, Formats: []media.Format{media.JPEG, media.PNG}}
	viewPreset  = media.Preset{ID: "pauta.view", MaxLongSide: 1600, Formats: []media.Format{media.JPEG, media.PNG}}
)

const (
	importTimeout  = 15 * time.Minute
	previewTimeout = 2 * time.Minute
	// renderSlots bounds how many images the HTTP handler decodes at once:
	// a page of previews must not decode a 24-megapixel photo ten times in parallel.
	renderSlots = 2
)

// MediaService is bound to the frontend: each client's image library
// (import with dedup by content, alt text, focal point, previews of every
// network preset, clean-up) plus Handler, which serves the images to the web view.
type MediaService struct {
	ctx     func() context.Context
	store   MediaStore
	proc    *media.Processor
	dir     string // the library's files: dir/<hash[:2]>/<hash>.<ext>
	dialogs MediaDialogs
	emitter Emitter
	workers int

	fileMu  sync.Mutex    // a file and the rows naming it change together
	renders chan struct{} // Handler's decode slots

	readyDir string       // <dataDir>/ready: images sized for manual publishing
	readyMu  sync.Mutex   // one ReadyFolder writes at a time
	opener   FolderOpener // shows a ready folder in the file manager
	cacheMax int64        // render cache bound (bytes)
	prune    pruner
	logger   func(format string, args ...any)
}

// NewMediaService builds the service. ctx returns the app's current context
// (bound methods cannot take one). Files live in <dataDir>/media, rendered
// presets in <dataDir>/cache/media.
func NewMediaService(ctx func() context.Context, store MediaStore, dataDir string, dialogs MediaDialogs, emitter Emitter, opts ...media.Option) *MediaService {
	if emitter == nil {
		emitter = NopEmitter{}
	}
	opts = append([]media.Option{media.WithCacheDir(filepath.Join(dataDir, "cache", "media"))}, opts...)
	return &MediaService{
		ctx: ctx, store: store, proc: media.New(opts...), dir: filepath.Join(dataDir, "media"),
		dialogs: dialogs, emitter: emitter, workers: min(3, max(runtime.NumCPU(), 1)),
		renders:  make(chan struct{}, renderSlots),
		readyDir: filepath.Join(dataDir, "ready"), opener: execOpener{}, cacheMax: cacheMaxBytes, logger: log.Printf,
	}
}

// filePath is where the library keeps the file with this hash and format.
func (s *MediaService) filePath(hash, format string) (string, error) {
	ext := media.Format(format).Ext()
	if !backend.ValidHash(hash) || ext == "" {
		return "", backend.Errorf(backend.EInternal, "media.hash_invalid", "bad stored image %q.%s", hash, format)
	}
	return filepath.Join(s.dir, hash[:2], hash+ext), nil
}

func (s *MediaService) item(m backend.Media) MediaItem {
	v := m.Hash
	if len(v) > 12 {
		v = v[:12]
	}
	base := "/media/%s/" + strconv.FormatInt(m.ID, 10) + "?v=" + v
	return MediaItem{
		ID: m.ID, ClientID: m.ClientID, Name: m.Name, Format: m.Format, Bytes: m.Bytes, Width: m.Width, Height: m.Height,
		Alt: m.Alt, AltMissing: strings.TrimSpace(m.Alt) == "", FocalX: m.FocalX, FocalY: m.FocalY, Uses: m.Uses, CreatedAt: m.CreatedAt,
		ThumbURL: fmt.Sprintf(base, "thumb"), ViewURL: fmt.Sprintf(base, "view"), OriginalURL: fmt.Sprintf(base, "original"),
	}
}

// List returns a client's images, newest first; search matches the name or alt text.
func (s *MediaService) List(clientID int64, search string) ([]MediaItem, error) {
	ctx, cancel := context.WithTimeout(s.ctx(), 30*time.Second)
	defer cancel()
	ms, err := s.store.ListMedia(ctx, clientID, search)
	if err != nil {
		return nil, err
	}
	out := make([]MediaItem, 0, len(ms))
	for _, m := range ms {
		out = append(out, s.item(m))
	}
	return out, nil
}

// Get returns one image.
func (s *MediaService) Get(id int64) (MediaItem, error) {
	ctx, cancel := context.WithTimeout(s.ctx(), 30*time.Second)
	defer cancel()
	m, err := s.store.GetMedia(ctx, id)
	if err != nil {
		return MediaItem{}, err
	}
	return s.item(*m), nil
}

// ImportDialog lets the user pick images and imports them for the client.
// A cancelled dialog returns an empty report.
func (s *MediaService) ImportDialog(clientID int64) (ImportReport, error) {
	if err := s.checkClient(clientID); err != nil {
		return ImportReport{}, err
	}
	paths, err := s.dialogs.OpenImages()
	if err != nil {
		return ImportReport{}, fmt.Errorf("import images: file dialog: %w", err)
	}
	if len(paths) == 0 {
		return ImportReport{Results: []ImportResult{}}, nil
	}
	return s.Import(clientID, paths)
}

func (s *MediaService) checkClient(clientID int64) error {
	ctx, cancel := context.WithTimeout(s.ctx(), 30*time.Second)
	defer cancel()
	_, err := s.store.GetClient(ctx, clientID)
	return err
}

// Import copies image files (absolute paths: the file dialog, files dropped
// on the window) into the client's library. Each file is checked (size,
// real type, pixel limit), fully decoded once for its thumbnail, which also
// catches truncated and corrupt files, and stored once per content: the same
// photo again is reported as a duplicate. A file's failure does not stop the
// others and leaves the library unchanged. Emits EventMediaProgress.
func (s *MediaService) Import(clientID int64, paths []string) (ImportReport, error) {
	if err := s.checkClient(clientID); err != nil {
		return ImportReport{}, err
	}
	ctx, cancel := context.WithTimeout(s.ctx(), importTimeout)
	defer cancel()
	rep := ImportReport{Results: make([]ImportResult, len(paths))}
	if len(paths) == 0 {
		return rep, nil
	}
	s.emitter.Emit(EventMediaProgress, MediaProgress{ClientID: clientID, Total: len(paths)})
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		done int
		next = make(chan int)
	)
	for range min(s.workers, len(paths)) {
		wg.Go(func() {
			for i := range next {
				r := s.importOne(ctx, clientID, paths[i])
				mu.Lock()
				rep.Results[i] = r
				done++
				s.emitter.Emit(EventMediaProgress, MediaProgress{ClientID: clientID, Done: done, Total: len(paths), File: r.Name})
				mu.Unlock()
			}
		})
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, r := range rep.Results {
		switch r.Status {
		case ImportOK:
			rep.Imported++
		case ImportDuplicate:
			rep.Duplicates++
		default:
			rep.Failed++
		}
	}
	if rep.Imported > 0 {
		s.emitter.Emit(EventMediaChanged, clientID)
		s.schedulePrune() // the thumbnails just rendered
	}
	return rep, nil
}

func (s *MediaService) importOne(ctx context.Context, clientID int64, path string) ImportResult {
	name := filepath.Base(path)
	res := ImportResult{Path: path, Name: name}
	fail := func(err error) ImportResult {
		res.Status, res.Error = ImportError, backend.AsError(err)
		return res
	}
	if err := ctx.Err(); err != nil {
		return fail(backend.Errorf(backend.EUnavailable, "media.cancelled", "the import was stopped"))
	}
	data, err := s.proc.ReadFile(path)
	if err != nil {
		return fail(err)
	}
	// One full decode: the thumbnail proves the file is readable to the end.
	r, err := s.proc.Render(ctx, name, data, []media.Request{{Preset: thumbPreset, Focal: media.Centre()}})
	if err != nil {
		return fail(err)
	}
	info := r.Info
	m := backend.Media{ClientID: clientID, Hash: info.Hash, Name: name, Format: string(info.Format), Bytes: info.Bytes,
		Width: info.Width, Height: info.Height, FocalX: 0.5, FocalY: 0.5}

	s.fileMu.Lock()
	defer s.fileMu.Unlock()
	wrote, err := s.writeFile(info.Hash, string(info.Format), data)
	if err != nil {
		return fail(err)
	}
	created, err := s.store.CreateMedia(ctx, &m)
	if err != nil {
		if wrote {
			s.removeFileIfUnused(ctx, info.Hash, string(info.Format))
		}
		return fail(err)
	}
	it := s.item(m)
	res.Media = &it
	res.Status = ImportOK
	if !created {
		res.Status = ImportDuplicate
	}
	return res
}

// writeFile stores data under its hash unless it is already there; it
// reports whether it wrote the file. Temp file then rename: a crash never
// leaves half a file under a real name.
func (s *MediaService) writeFile(hash, format string, data []byte) (bool, error) {
	path, err := s.filePath(hash, format)
	if err != nil {
		return false, err
	}
	if st, err := os.Stat(path); err == nil && st.Size() == int64(len(data)) {
		return false, nil
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, storeErr(err)
	}
	tmp, err := os.CreateTemp(dir, ".import-*")
	if err != nil {
		return false, storeErr(err)
	}
	_, werr := tmp.Write(data)
	serr := tmp.Sync()
	cerr := tmp.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp.Name())
		return false, storeErr(err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return false, storeErr(err)
	}
	return true, nil
}

func storeErr(err error) error {
	return backend.Errorf(backend.EUnavailable, "media.cache_unavailable", "cannot write the image library: %v", err)
}

// removeFileIfUnused deletes the file and its rendered presets once no
// client's library names it. Call with fileMu held.
func (s *MediaService) removeFileIfUnused(ctx context.Context, hash, format string) (int64, error) {
	inUse, err := s.store.HashInUse(ctx, hash)
	if err != nil || inUse {
		return 0, err
	}
	path, err := s.filePath(hash, format)
	if err != nil {
		return 0, err
	}
	var freed int64
	if st, err := os.Stat(path); err == nil {
		freed = st.Size()
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return 0, storeErr(err)
	}
	return freed, s.proc.Forget(hash)
}

// Update sets an image's alt text and focal point (fractions of the upright
// image, 0.5/0.5 = centre).
func (s *MediaService) Update(id int64, alt string, focalX, focalY float64) (MediaItem, error) {
	ctx, cancel := context.WithTimeout(s.ctx(), 30*time.Second)
	defer cancel()
	m, err := s.store.UpdateMediaMeta(ctx, id, alt, focalX, focalY)
	if err != nil {
		return MediaItem{}, err
	}
	s.emitter.Emit(EventMediaChanged, m.ClientID)
	return s.item(*m), nil
}

// Delete removes an image from its client's library; an image a post uses
// is refused (conflict media.in_use, param posts = how many).
func (s *MediaService) Delete(id int64) error {
	ctx, cancel := context.WithTimeout(s.ctx(), 30*time.Second)
	defer cancel()
	m, err := s.store.GetMedia(ctx, id)
	if err != nil {
		return err
	}
	if _, err := s.delete(ctx, *m); err != nil {
		return err
	}
	s.emitter.Emit(EventMediaChanged, m.ClientID)
	return nil
}

func (s *MediaService) delete(ctx context.Context, m backend.Media) (int64, error) {
	s.fileMu.Lock()
	defer s.fileMu.Unlock()
	if err := s.store.DeleteMedia(ctx, m.ID); err != nil {
		return 0, err
	}
	return s.removeFileIfUnused(ctx, m.Hash, m.Format)
}

// CleanUnused removes the client's images no post (outside the bin) uses.
func (s *MediaService) CleanUnused(clientID int64) (CleanReport, error) {
	ctx, cancel := context.WithTimeout(s.ctx(), 2*time.Minute)
	defer cancel()
	unused, err := s.store.UnusedMedia(ctx, clientID)
	if err != nil {
		return CleanReport{}, err
	}
	var rep CleanReport
	for _, m := range unused {
		freed, err := s.delete(ctx, m)
		if backend.ErrorCode(err) == backend.EConflict || backend.ErrorCode(err) == backend.ENotFound {
			continue // a post took it meanwhile, or it is gone already
		}
		if err != nil {
			return rep, err
		}
		rep.Deleted++
		rep.Bytes += freed
	}
	if rep.Deleted > 0 {
		s.emitter.Emit(EventMediaChanged, clientID)
	}
	return rep, nil
}

func presetView(p media.Preset) PresetView {
	return PresetView{ID: p.ID, Network: p.Network, Width: p.Width, Height: p.Height, Fill: p.Fill(), MaxBytes: p.MaxBytes, Default: p.Default}
}

// Presets lists every network preset, grouped by network, defaults first.
func (s *MediaService) Presets() []PresetView {
	var out []PresetView
	for _, p := range media.Presets() {
		out = append(out, presetView(p))
	}
	return out
}

// clientPresets are the presets of the networks the client has accounts
// on (Mastodon with the strictest known instance limits), or the main
// presets when none of its networks takes images.
func (s *MediaService) clientPresets(ctx context.Context, clientID int64) ([]media.Preset, error) {
	accts, err := s.store.ListAccounts(ctx, clientID)
	if err != nil {
		return nil, err
	}
	has := map[backend.Network]bool{}
	var limits media.InstanceLimits
	for _, a := range accts {
		has[a.Network] = true
		if a.Network == backend.Mastodon {
			limits.ImageSizeLimit = minKnown(limits.ImageSizeLimit, a.Limits.ImageSizeLimit)
			limits.ImageMatrixLimit = minKnown(limits.ImageMatrixLimit, a.Limits.ImageMatrixLimit)
		}
	}
	var out []media.Preset
	for _, p := range media.Presets() {
		if !has[p.Network] {
			continue
		}
		if p.Network == backend.Mastodon {
			p = media.MastodonPreset(limits)
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return media.MainPresets(), nil
	}
	return out, nil
}

func minKnown(a, b int64) int64 {
	switch {
	case a <= 0:
		return b
	case b <= 0:
		return a
	}
	return min(a, b)
}

// presetFor resolves a preset id for the client (the Mastodon preset with
// its instance limits), or the library's own thumb and view.
func (s *MediaService) presetFor(ctx context.Context, clientID int64, id string) (media.Preset, bool, error) {
	switch id {
	case thumbPreset.ID:
		return thumbPreset, true, nil
	case viewPreset.ID:
		return viewPreset, true, nil
	}
	if _, ok := media.PresetByID(id); !ok {
		return media.Preset{}, false, nil
	}
	ps, err := s.clientPresets(ctx, clientID)
	if err != nil {
		return media.Preset{}, false, err
	}
	for _, p := range ps {
		if p.ID == id {
			return p, true, nil
		}
	}
	p, ok := media.PresetByID(id)
	return p, ok, nil
}

func focalParam(f media.FocalPoint) string {
	return strconv.FormatFloat(f.X, 'f', 3, 64) + "," + strconv.FormatFloat(f.Y, 'f', 3, 64)
}

// Previews renders every preset of the image's client networks with its
// stored focal point, from one decode (cached presets are not rendered
// again). A preset that cannot be made carries its own error.
func (s *MediaService) Previews(id int64) (PreviewSet, error) {
	ctx, cancel := context.WithTimeout(s.ctx(), previewTimeout)
	defer cancel()
	m, err := s.store.GetMedia(ctx, id)
	if err != nil {
		return PreviewSet{}, err
	}
	presets, err := s.clientPresets(ctx, m.ClientID)
	if err != nil {
		return PreviewSet{}, err
	}
	path, data, err := s.readStored(*m)
	if err != nil {
		return PreviewSet{}, err
	}
	focal := media.FocalPoint{X: m.FocalX, Y: m.FocalY}.Normalize()
	reqs := make([]media.Request, len(presets))
	for i, p := range presets {
		reqs[i] = media.Request{Preset: p, Focal: presetFocal(p, focal)}
	}
	set := PreviewSet{Media: s.item(*m), FocalX: focal.X, FocalY: focal.Y, Previews: make([]Preview, len(presets))}
	res, err := s.proc.Render(ctx, path, data, reqs)
	outs, errs := res.Outputs, make([]error, len(presets))
	if err != nil {
		if ctx.Err() != nil || backend.ErrorCode(err) != backend.EInvalid || !strings.HasPrefix(backend.AsError(err).Key, "media.output") {
			return PreviewSet{}, err
		}
		// One preset cannot be made (e.g. a byte limit): render each alone so
		// the others still show.
		outs = make([]media.Output, len(presets))
		for i := range reqs {
			r, err := s.proc.Render(ctx, path, data, reqs[i:i+1])
			if err != nil {
				errs[i] = err
				continue
			}
			outs[i] = r.Outputs[0]
			res.Info = r.Info
		}
	}
	v := m.Hash[:12]
	for i, p := range presets {
		pv := Preview{PresetView: presetView(p), Notes: []string{}}
		crop := media.SourceCrop(m.Width, m.Height, p, focal)
		pv.Crop = Rect{X: crop.Min.X, Y: crop.Min.Y, Width: crop.Dx(), Height: crop.Dy()}
		if errs[i] != nil {
			pv.Error = backend.AsError(errs[i])
		} else {
			o := outs[i]
			pv.OutWidth, pv.OutHeight, pv.Format, pv.OutBytes = o.Width, o.Height, string(o.Format), o.Bytes
			pv.URL = fmt.Sprintf("/media/preset/%d/%s?f=%s&v=%s", m.ID, p.ID, focalParam(reqs[i].Focal), v)
			if res.Info.Animated {
				pv.Notes = append(pv.Notes, media.NoteGIFFirstFrame)
			}
			if o.Upscaled {
				pv.Notes = append(pv.Notes, media.NoteUpscaled)
			}
			if o.Flattened {
				pv.Notes = append(pv.Notes, media.NoteFlattened)
			}
		}
		set.Previews[i] = pv
	}
	return set, nil
}

// presetFocal is the focal point a preset is rendered with: presets that
// keep the whole picture ignore it, so they use the centre and stay cached
// while the user moves the point.
func presetFocal(p media.Preset, f media.FocalPoint) media.FocalPoint {
	if !p.Fill() {
		return media.Centre()
	}
	return f
}

// readStored reads an image's file from the library.
func (s *MediaService) readStored(m backend.Media) (string, []byte, error) {
	path, err := s.filePath(m.Hash, m.Format)
	if err != nil {
		return "", nil, err
	}
	data, err := s.proc.ReadFile(path)
	if backend.ErrorCode(err) == backend.ENotFound {
		return "", nil, backend.Errorf(backend.ENotFound, "media.unreadable", "the file of %s is missing from the library", m.Name).WithParam("name", m.Name)
	}
	return path, data, err
}

// SetPostMedia replaces the images a post carries, in order. Presets maps
// a network to one of its presets for that network's variant.
// A scheduled post cannot get more images than its networks take.
func (s *MediaService) SetPostMedia(postID int64, items []backend.PostMedia) error {
	if err := presetsAllowed(items); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(s.ctx(), 30*time.Second)
	defer cancel()
	if err := s.checkScheduledImages(ctx, postID, items); err != nil {
		return err
	}
	if err := s.store.SetPostMedia(ctx, postID, items); err != nil {
		return err
	}
	s.emitter.Emit(EventPostsChanged)
	return nil
}

func distinctMedia(items []backend.PostMedia) int {
	seen := map[int64]bool{}
	for _, it := range items {
		seen[it.MediaID] = true
	}
	return len(seen)
}

// PostMedia returns the images a post carries, in order.
func (s *MediaService) PostMedia(postID int64) ([]backend.PostMedia, error) {
	ctx, cancel := context.WithTimeout(s.ctx(), 30*time.Second)
	defer cancel()
	return s.store.ListPostMedia(ctx, postID)
}

// Handler serves library images to the web view (mount it as the Wails
// AssetServer Handler):
//
//	/media/thumb/<id>, /media/view/<id>    long side 480 / 1600, upright, no metadata
//	/media/original/<id>                   the stored file
//	/media/preset/<id>/<preset>?f=<x>,<y>  a network preset with that focal point (default: the stored one)
//
// Ids are decimal, presets must be known, nothing else in the path is
// accepted: no file name ever comes from the request.
func (s *MediaService) handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

var idRE = regexp.MustCompile(`^[1-9][0-9]{0,17}$`)

func httpError(w http.ResponseWriter, code int) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	fmt.Fprintln(w, http.StatusText(code))
}

func (s *MediaService) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		httpError(w, http.StatusMethodNotAllowed)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/media/")
	if !ok || strings.Contains(r.URL.RawPath, "%2") || strings.Contains(r.URL.RawPath, "%5") {
		httpError(w, http.StatusNotFound)
		return
	}
	parts := strings.Split(rest, "/")
	kind := parts[0]
	want := 2
	if kind == "preset" {
		want = 3
	}
	if len(parts) != want || !idRE.MatchString(parts[1]) {
		httpError(w, http.StatusNotFound)
		return
	}
	id, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		httpError(w, http.StatusNotFound)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), previewTimeout)
	defer cancel()
	m, err := s.store.GetMedia(ctx, id)
	if err != nil {
		httpError(w, statusOf(err))
		return
	}
	var preset media.Preset
	focal := media.FocalPoint{X: m.FocalX, Y: m.FocalY}
	switch kind {
	case "original":
		path, err := s.filePath(m.Hash, m.Format)
		if err != nil {
			httpError(w, http.StatusInternalServerError)
			return
		}
		s.serveFile(w, r, path, media.Format(m.Format))
		return
	case "thumb":
		preset = thumbPreset
	case "view":
		preset = viewPreset
	case "preset":
		p, ok, err := s.presetFor(ctx, m.ClientID, parts[2])
		if err != nil {
			httpError(w, statusOf(err))
			return
		}
		if !ok || p.ID == thumbPreset.ID || p.ID == viewPreset.ID {
			httpError(w, http.StatusNotFound)
			return
		}
		preset = p
		if f := r.URL.Query().Get("f"); f != "" {
			x, y, ok := parseFocal(f)
			if !ok {
				httpError(w, http.StatusBadRequest)
				return
			}
			focal = media.FocalPoint{X: x, Y: y}
		}
	default:
		httpError(w, http.StatusNotFound)
		return
	}
	focal = presetFocal(preset, focal)
	select {
	case s.renders <- struct{}{}:
	case <-ctx.Done():
		httpError(w, http.StatusServiceUnavailable)
		return
	}
	out, err := s.renderOne(ctx, *m, preset, focal)
	<-s.renders
	if err != nil {
		httpError(w, statusOf(err))
		return
	}
	s.serveFile(w, r, out.Path, out.Format)
}

func (s *MediaService) renderOne(ctx context.Context, m backend.Media, p media.Preset, f media.FocalPoint) (media.Output, error) {
	// A size rendered before is found from the library's record: the
	// original is not read and hashed again (the outbox and the server-side
	// sync ask for every image of every due or future post, again and again).
	// A missing original still fails, as a render would.
	if out, ok := s.proc.Cached(m.Hash, m.Width, m.Height, media.Request{Preset: p, Focal: f}); ok {
		if path, err := s.filePath(m.Hash, m.Format); err == nil {
			if _, err := os.Stat(path); err == nil {
				return out, nil
			}
		}
	}
	path, data, err := s.readStored(m)
	if err != nil {
		return media.Output{}, err
	}
	res, err := s.proc.Render(ctx, path, data, []media.Request{{Preset: p, Focal: f}})
	if err != nil {
		return media.Output{}, err
	}
	if res.Outputs[0].Path == "" {
		return media.Output{}, backend.Errorf(backend.EInternal, "internal", "rendered %s has no file", p.ID)
	}
	return res.Outputs[0], nil
}

// parseFocal reads "x,y" with both in [0,1].
func parseFocal(s string) (float64, float64, bool) {
	xs, ys, ok := strings.Cut(s, ",")
	if !ok || len(s) > 40 {
		return 0, 0, false
	}
	x, err1 := strconv.ParseFloat(xs, 64)
	y, err2 := strconv.ParseFloat(ys, 64)
	if err1 != nil || err2 != nil || !(x >= 0 && x <= 1) || !(y >= 0 && y <= 1) {
		return 0, 0, false
	}
	return x, y, true
}

func statusOf(err error) int {
	switch backend.ErrorCode(err) {
	case backend.ENotFound:
		return http.StatusNotFound
	case backend.EInvalid:
		return http.StatusUnprocessableEntity
	case backend.EUnavailable:
		return http.StatusServiceUnavailable
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// serveFile streams a library or cache file with its real type. URLs carry
// the content hash (and the focal point), so what they name never changes.
func (s *MediaService) serveFile(w http.ResponseWriter, r *http.Request, path string, f media.Format) {
	file, err := os.Open(path)
	if err != nil {
		httpError(w, http.StatusNotFound)
		return
	}
	defer file.Close()
	st, err := file.Stat()
	if err != nil || !st.Mode().IsRegular() {
		httpError(w, http.StatusNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.MIME())
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, max-age=31536000, immutable")
	http.ServeContent(w, r, "", st.ModTime(), file)
}

// wailsMediaDialogs opens the native multi-file picker. Its context must be
// the one Wails passed to OnStartup, so tests never use it.
type wailsMediaDialogs struct{ ctx func() context.Context }

var _ MediaDialogs = wailsMediaDialogs{}

func (d wailsMediaDialogs) OpenImages() ([]string, error) {
	return wruntime.OpenMultipleFilesDialog(d.ctx(), wruntime.OpenDialogOptions{
		Title: "Import images",
		Filters: []wruntime.FileFilter{
			{DisplayName: "Images (*.jpg, *.png, *.gif, *.webp)", Pattern: "*.jpg;*.jpeg;*.png;*.gif;*.webp;*.JPG;*.JPEG;*.PNG"},
		},
	})
}
