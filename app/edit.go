package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/jpeg"
	"image/png"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/disintegration/imaging"

	"pauta/backend"
	"pauta/backend/media"
	"pauta/backend/media/edit"
)

// EditStore is what quick edits need of the store.
type EditStore interface {
	backend.BrandKitStore
	backend.MediaStore
	GetClient(ctx context.Context, id int64) (*backend.Client, error)
}

// EditService is bound to the frontend: the client's brand kit (colours,
// text styles, logos, fonts), the image editor's previews, saving an edit
// as a library image, and templates (issue #20). Rendering is
// backend/media/edit's pure function; the preview and the saved file come
// from the same call, at screen size and at full size.
type EditService struct {
	ctx    func() context.Context
	store  EditStore
	media  *MediaService
	kitDir string // <dataDir>/brandkit/<hash>.<ext>

	mu       sync.Mutex
	sources  map[string]*image.NRGBA // shrunk upright sources for previews, by file hash
	order    []string                // sources, oldest first (bounded)
	previews map[string][]byte       // encoded previews by key, served at /media/edit/<key>
	pOrder   []string
	fonts    map[string]kitFont      // parsed kit fonts by file hash
	logos    map[string]*image.NRGBA // decoded kit logos by file hash
}

// PreviewSide is the longer side of an editor preview; previewSource the
// side a photo is shrunk to once and kept for the next previews.
const (
	PreviewSide   = 1080
	previewSource = 2160
	keepSources   = 3
	keepPreviews  = 12
	saveTimeout   = 5 * time.Minute
	editQuality   = 92
)

// NewEditService builds the service over the media library.
func NewEditService(ctx func() context.Context, store EditStore, m *MediaService, dataDir string) *EditService {
	return &EditService{ctx: ctx, store: store, media: m, kitDir: filepath.Join(dataDir, "brandkit"),
		sources: map[string]*image.NRGBA{}, previews: map[string][]byte{}, fonts: map[string]kitFont{}, logos: map[string]*image.NRGBA{}}
}

// EditPreview is a rendered preview: its URL and size.
type EditPreview struct {
	URL    string `json:"url"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

// Preview renders recipe over the library image mediaID (0 with a canvas
// recipe: a graphic from nothing) at screen size. A recipe the kit cannot
// draw (a missing glyph, an unknown logo) answers an EInvalid error naming
// the field, so the editor says it before anything is saved.
func (s *EditService) Preview(clientID, mediaID int64, recipe string) (EditPreview, error) {
	ctx, cancel := context.WithTimeout(s.ctx(), previewTimeout)
	defer cancel()
	r, err := edit.Parse([]byte(recipe))
	if err != nil {
		return EditPreview{}, err
	}
	kit, rev, err := s.kit(ctx, clientID)
	if err != nil {
		return EditPreview{}, err
	}
	var src image.Image
	var srcHash string
	if mediaID != 0 {
		m, err := s.source(ctx, clientID, mediaID)
		if err != nil {
			return EditPreview{}, err
		}
		if src, err = s.previewSource(ctx, m); err != nil {
			return EditPreview{}, err
		}
		srcHash = m.Hash
	} else if r.Canvas == nil {
		return EditPreview{}, backend.Errorf(backend.EInvalid, "edit.no_image", "choose an image or a background")
	}
	key := previewKey(srcHash, r.Hash(rev))
	if b := s.cachedPreview(key); b != nil {
		cfg, _, _ := image.DecodeConfig(bytes.NewReader(b))
		return EditPreview{URL: "/media/edit/" + key, Width: cfg.Width, Height: cfg.Height}, nil
	}
	out, err := edit.Render(src, r, kit, PreviewSide)
	if err != nil {
		return EditPreview{}, err
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, out, &jpeg.Options{Quality: 85}); err != nil {
		return EditPreview{}, err
	}
	s.keepPreview(key, buf.Bytes())
	return EditPreview{URL: "/media/edit/" + key, Width: out.Bounds().Dx(), Height: out.Bounds().Dy()}, nil
}

func previewKey(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:12])
}

// source returns the client's library image mediaID (another client's is
// not found). The editor opens an edited copy on its source; Save refuses
// an edited copy as a source, so edits never stack on rendered pixels.
func (s *EditService) source(ctx context.Context, clientID, mediaID int64) (*backend.Media, error) {
	m, err := s.store.GetMedia(ctx, mediaID)
	if err != nil {
		return nil, err
	}
	if m.ClientID != clientID {
		return nil, backend.Errorf(backend.ENotFound, "media.not_found", "image %d does not exist", mediaID)
	}
	return m, nil
}

// previewSource decodes m once, shrunk to previewSource, and keeps it: the
// next previews of the same photo skip the decode.
func (s *EditService) previewSource(ctx context.Context, m *backend.Media) (*image.NRGBA, error) {
	s.mu.Lock()
	img := s.sources[m.Hash]
	s.mu.Unlock()
	if img != nil {
		return img, nil
	}
	_, data, err := s.media.readStored(*m)
	if err != nil {
		return nil, err
	}
	err = s.media.proc.Upright(ctx, m.Name, data, previewSource, 1, func(full *image.NRGBA, _ media.Info) error {
		img = full
		if b := full.Bounds(); max(b.Dx(), b.Dy()) > previewSource {
			img = fitLong(full, previewSource)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sources[m.Hash]; !ok {
		s.sources[m.Hash] = img
		s.order = append(s.order, m.Hash)
		for len(s.order) > keepSources {
			delete(s.sources, s.order[0])
			s.order = s.order[1:]
		}
	}
	return img, nil
}

func (s *EditService) cachedPreview(key string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.previews[key]
}

func (s *EditService) keepPreview(key string, b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.previews[key]; ok {
		return
	}
	s.previews[key] = b
	s.pOrder = append(s.pOrder, key)
	for len(s.pOrder) > keepPreviews {
		delete(s.previews, s.pOrder[0])
		s.pOrder = s.pOrder[1:]
	}
}

// Save renders recipe over mediaID at full size and keeps the result as a
// library image: a new one (targetID 0), or the edited image targetID made
// from the same source, updated. The source's file is never written. An
// identity recipe saves nothing new: the answer is the source itself.
func (s *EditService) Save(clientID, mediaID, targetID int64, recipe string) (MediaItem, error) {
	ctx, cancel := context.WithTimeout(s.ctx(), saveTimeout)
	defer cancel()
	r, err := edit.Parse([]byte(recipe))
	if err != nil {
		return MediaItem{}, err
	}
	src, err := s.source(ctx, clientID, mediaID)
	if err != nil {
		return MediaItem{}, err
	}
	if src.SourceID != 0 {
		return MediaItem{}, backend.Errorf(backend.EInvalid, "edit.edit_of_edit", "edit the original image, not an edited copy")
	}
	if r.Identity() && targetID == 0 {
		return s.media.item(*src), nil
	}
	kit, _, err := s.kit(ctx, clientID)
	if err != nil {
		return MediaItem{}, err
	}
	_, data, err := s.media.readStored(*src)
	if err != nil {
		return MediaItem{}, err
	}
	var enc []byte
	var format media.Format
	var w, h int
	err = s.media.proc.Upright(ctx, src.Name, data, 0, 3, func(img *image.NRGBA, info media.Info) error {
		out, err := edit.Render(img, r, kit, 0)
		if err != nil {
			return err
		}
		w, h = out.Bounds().Dx(), out.Bounds().Dy()
		enc, format, err = encodeEdited(out, info.Format == media.JPEG)
		return err
	})
	if err != nil {
		return MediaItem{}, err
	}
	b, _ := json.Marshal(r)
	m := backend.Media{ClientID: clientID, Name: editedName(src.Name), Alt: src.Alt, FocalX: src.FocalX, FocalY: src.FocalY,
		SourceID: src.ID, Recipe: string(b)}
	return s.store1(ctx, &m, enc, format, w, h, targetID)
}

// FromTemplate makes a new library image from a template whose recipe has
// a canvas, with texts replacing its text blocks' texts in order.
func (s *EditService) FromTemplate(clientID, templateID int64, texts []string) (MediaItem, error) {
	ctx, cancel := context.WithTimeout(s.ctx(), saveTimeout)
	defer cancel()
	t, err := s.template(ctx, clientID, templateID)
	if err != nil {
		return MediaItem{}, err
	}
	r, err := edit.Parse([]byte(t.Recipe))
	if err != nil {
		return MediaItem{}, err
	}
	if r.Canvas == nil {
		return MediaItem{}, backend.Errorf(backend.EInvalid, "edit.template_needs_image", "this template goes over a photo: open a photo and apply it there")
	}
	for i := range r.Texts {
		if i < len(texts) && strings.TrimSpace(texts[i]) != "" {
			r.Texts[i].Text = texts[i]
		}
	}
	return s.graphic(ctx, clientID, t.Name, r)
}

// SaveGraphic renders a canvas recipe (a graphic drawn from nothing) at
// full size into the client's library.
func (s *EditService) SaveGraphic(clientID int64, name, recipe string) (MediaItem, error) {
	ctx, cancel := context.WithTimeout(s.ctx(), saveTimeout)
	defer cancel()
	r, err := edit.Parse([]byte(recipe))
	if err != nil {
		return MediaItem{}, err
	}
	if r.Canvas == nil {
		return MediaItem{}, backend.Errorf(backend.EInvalid, "edit.no_image", "choose an image or a background")
	}
	if strings.TrimSpace(name) == "" {
		name = "graphic"
	}
	return s.graphic(ctx, clientID, name, r)
}

func (s *EditService) graphic(ctx context.Context, clientID int64, name string, r edit.Recipe) (MediaItem, error) {
	if err := r.Validate(); err != nil {
		return MediaItem{}, err
	}
	kit, _, err := s.kit(ctx, clientID)
	if err != nil {
		return MediaItem{}, err
	}
	out, err := edit.Render(nil, r, kit, 0)
	if err != nil {
		return MediaItem{}, err
	}
	enc, format, err := encodeEdited(out, false)
	if err != nil {
		return MediaItem{}, err
	}
	b, _ := json.Marshal(r)
	m := backend.Media{ClientID: clientID, Name: strings.TrimSpace(name) + ".png", FocalX: 0.5, FocalY: 0.5, Recipe: string(b)}
	return s.store1(ctx, &m, enc, format, out.Bounds().Dx(), out.Bounds().Dy(), 0)
}

// store1 writes the rendered file and its row (new, or targetID updated).
func (s *EditService) store1(ctx context.Context, m *backend.Media, enc []byte, format media.Format, w, h int, targetID int64) (MediaItem, error) {
	sum := sha256.Sum256(enc)
	m.Hash, m.Format, m.Bytes, m.Width, m.Height = hex.EncodeToString(sum[:]), string(format), int64(len(enc)), w, h
	s.media.fileMu.Lock()
	defer s.media.fileMu.Unlock()
	wrote, err := s.media.writeFile(m.Hash, m.Format, enc)
	if err != nil {
		return MediaItem{}, err
	}
	undo := func() {
		if wrote {
			s.media.removeFileIfUnused(ctx, m.Hash, m.Format)
		}
	}
	if targetID != 0 {
		old, err := s.store.GetMedia(ctx, targetID)
		if err != nil || old.ClientID != m.ClientID || old.SourceID != m.SourceID || m.SourceID == 0 {
			undo()
			if err == nil {
				err = backend.Errorf(backend.EInvalid, "edit.target_invalid", "this image is not an edit of the same original")
			}
			return MediaItem{}, err
		}
		m.ID, m.Name, m.Alt, m.FocalX, m.FocalY = old.ID, old.Name, old.Alt, old.FocalX, old.FocalY
		if err := s.store.UpdateEditedMedia(ctx, m); err != nil {
			undo()
			return MediaItem{}, err
		}
		s.media.removeFileIfUnused(ctx, old.Hash, old.Format)
	} else if m.SourceID != 0 {
		if _, err := s.store.CreateEditedMedia(ctx, m); err != nil {
			undo()
			return MediaItem{}, err
		}
	} else if _, err := s.store.CreateMedia(ctx, m); err != nil {
		undo()
		return MediaItem{}, err
	}
	got, err := s.store.GetMedia(ctx, m.ID)
	if err != nil {
		return MediaItem{}, err
	}
	s.media.emitter.Emit(EventMediaChanged, m.ClientID)
	return s.media.item(*got), nil
}

// encodeEdited writes a photo as JPEG (quality 92) and anything with
// transparency or drawn from nothing as PNG, so text stays crisp.
func encodeEdited(img *image.NRGBA, photo bool) ([]byte, media.Format, error) {
	var buf bytes.Buffer
	if photo && opaque(img) {
		err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: editQuality})
		return buf.Bytes(), media.JPEG, err
	}
	err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img)
	return buf.Bytes(), media.PNG, err
}

func opaque(img *image.NRGBA) bool {
	for i := 3; i < len(img.Pix); i += 4 {
		if img.Pix[i] != 255 {
			return false
		}
	}
	return true
}

func editedName(name string) string {
	ext := filepath.Ext(name)
	return strings.TrimSuffix(name, ext) + " (edit)" + ext
}

// serveHTTP serves /media/edit/<key> (a preview) and /media/kit/<id> (a logo).
func (s *EditService) serveHTTP(w http.ResponseWriter, r *http.Request) bool {
	if rest, ok := strings.CutPrefix(r.URL.Path, "/media/edit/"); ok {
		b := s.cachedPreview(rest)
		if b == nil {
			httpError(w, http.StatusNotFound)
			return true
		}
		w.Header().Set("Content-Type", "image/jpeg")
		w.Header().Set("Cache-Control", "private, max-age=3600")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b)
		return true
	}
	if rest, ok := strings.CutPrefix(r.URL.Path, "/media/kit/"); ok {
		id, err := strconv.ParseInt(rest, 10, 64)
		if err != nil || !idRE.MatchString(rest) {
			httpError(w, http.StatusNotFound)
			return true
		}
		a, err := s.store.GetKitAsset(r.Context(), id)
		if err != nil || a.Kind != backend.KitLogo {
			httpError(w, http.StatusNotFound)
			return true
		}
		s.media.serveFile(w, r, s.kitPath(a.Hash, a.Format), media.Format(a.Format))
		return true
	}
	return false
}

// assetHandler serves the editor's routes, then the library's.
func assetHandler(e *EditService, m *MediaService) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if e != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) && e.serveHTTP(w, r) {
			return
		}
		m.serveHTTP(w, r)
	})
}

func fitLong(img *image.NRGBA, side int) *image.NRGBA {
	b := img.Bounds()
	s := float64(side) / float64(max(b.Dx(), b.Dy()))
	return imaging.Resize(img, max(1, int(float64(b.Dx())*s)), max(1, int(float64(b.Dy())*s)), imaging.Linear)
}
