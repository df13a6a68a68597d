package app

import (
	"context"
	"fmt"
	"log"
	"path/filepath"
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
	// OpenKitFiles picks brand-kit files: kind "logo" (PNG, JPEG) or "font" (TTF, OTF).
	OpenKitFiles(kind string) ([]string, error)
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
	// SourceID and Recipe: an edited image (issue #20) was rendered from
	// the library image SourceID with Recipe; the editor reopens them.
	SourceID int64  `json:"sourceId,omitempty"`
	Recipe   string `json:"recipe,omitempty"`
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

	avatarDir string // inbox authors' avatars (inbox_avatar.go)
}

// NewMediaService builds the service. ctx returns the app's current context
// (bound methods cannot take one). Files live in <dataDir>/media, rendered
// presets in <dataDir>/cache/media.
func NewMediaService(ctx func() context.Context, store MediaStore, dataDir string, dialogs MediaDialogs, emitter Emitter, opts ...media.Option) *MediaService {
	if emitter == nil {
		emitter = NopEmitter{}
	}
	opts = append([]media.Option{media.WithCacheDir(filepath.Join(dataDir, "cache", "media")),
		media.WithDecoderCacheDir(filepath.Join(dataDir, "cache", "decoders"))}, opts...)
	return &MediaService{
		ctx: ctx, store: store, proc: media.New(opts...), dir: filepath.Join(dataDir, "media"),
		dialogs: dialogs, emitter: emitter, workers: min(3, max(runtime.NumCPU(), 1)),
		renders:  make(chan struct{}, renderSlots),
		readyDir: filepath.Join(dataDir, "ready"), opener: execOpener{}, cacheMax: cacheMaxBytes, logger: log.Printf,
		avatarDir: avatarDir(dataDir),
	}
}

// close ends the media processor's HEIC/AVIF decoder process, if one runs.
func (s *MediaService) close() { s.proc.Close() }

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
		SourceID: m.SourceID, Recipe: m.Recipe,
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

// wailsMediaDialogs opens the native multi-file picker. Its context must be
// the one Wails passed to OnStartup, so tests never use it.
type wailsMediaDialogs struct{ ctx func() context.Context }

var _ MediaDialogs = wailsMediaDialogs{}

func (d wailsMediaDialogs) OpenImages() ([]string, error) {
	return wruntime.OpenMultipleFilesDialog(d.ctx(), wruntime.OpenDialogOptions{
		Title: "Import images",
		Filters: []wruntime.FileFilter{
			{DisplayName: "Images (*.jpg, *.png, *.gif, *.webp, *.heic, *.avif)",
				Pattern: "*.jpg;*.jpeg;*.png;*.gif;*.webp;*.heic;*.heif;*.avif;*.JPG;*.JPEG;*.PNG;*.GIF;*.WEBP;*.HEIC;*.HEIF;*.AVIF"},
		},
	})
}

func (d wailsMediaDialogs) OpenKitFiles(kind string) ([]string, error) {
	f := wruntime.FileFilter{DisplayName: "Logos (*.png, *.jpg)", Pattern: "*.png;*.jpg;*.jpeg;*.PNG;*.JPG;*.JPEG"}
	if kind == backend.KitFont {
		f = wruntime.FileFilter{DisplayName: "Fonts (*.ttf, *.otf)", Pattern: "*.ttf;*.otf;*.TTF;*.OTF"}
	}
	return wruntime.OpenMultipleFilesDialog(d.ctx(), wruntime.OpenDialogOptions{Title: "Brand kit", Filters: []wruntime.FileFilter{f}})
}
