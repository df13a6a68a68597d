package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/image/font/opentype"

	"pauta/backend"
	"pauta/backend/media"
	"pauta/backend/media/edit"
)

// KitView is a client's brand kit as the UI shows it.
type KitView struct {
	backend.BrandKit
	Fonts     []KitFontView          `json:"fonts"`     // built-in fonts, then the kit's
	Logos     []KitLogoView          `json:"logos"`     // the kit's logos with their URLs
	Templates []backend.EditTemplate `json:"templates"` // the client's saved templates
}

// KitFontView is a font the editor offers.
type KitFontView struct {
	ID      string `json:"id"` // recipe font id
	Name    string `json:"name"`
	Builtin bool   `json:"builtin"`
	AssetID int64  `json:"assetId,omitempty"`
}

// KitLogoView is a logo the editor offers.
type KitLogoView struct {
	ID     string `json:"id"` // recipe logo id
	Name   string `json:"name"`
	URL    string `json:"url"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Asset  int64  `json:"assetId"`
}

// KitFileResult is one file added to a kit.
type KitFileResult struct {
	Path  string            `json:"path"`
	Name  string            `json:"name"`
	Asset *backend.KitAsset `json:"asset,omitempty"`
	Error *backend.Error    `json:"error,omitempty"`
}

type kitFont struct {
	font *opentype.Font
}

// Kit returns the client's brand kit with its fonts, logos and templates.
func (s *EditService) Kit(clientID int64) (KitView, error) {
	ctx, cancel := context.WithTimeout(s.ctx(), 30*time.Second)
	defer cancel()
	k, err := s.store.GetBrandKit(ctx, clientID)
	if err != nil {
		return KitView{}, err
	}
	v := KitView{BrandKit: k, Fonts: []KitFontView{}, Logos: []KitLogoView{}}
	for _, id := range edit.BuiltinFonts {
		v.Fonts = append(v.Fonts, KitFontView{ID: id, Name: builtinFontName(id), Builtin: true})
	}
	for _, a := range k.Assets {
		switch a.Kind {
		case backend.KitFont:
			v.Fonts = append(v.Fonts, KitFontView{ID: kitFontID(a.ID), Name: a.Name, AssetID: a.ID})
		case backend.KitLogo:
			v.Logos = append(v.Logos, KitLogoView{ID: strconv.FormatInt(a.ID, 10), Name: a.Name, URL: fmt.Sprintf("/media/kit/%d", a.ID),
				Width: a.Width, Height: a.Height, Asset: a.ID})
		}
	}
	if v.Templates, err = s.store.ListEditTemplates(ctx, clientID); err != nil {
		return KitView{}, err
	}
	return v, nil
}

func builtinFontName(id string) string {
	words := strings.Split(id, "-")
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

func kitFontID(id int64) string { return "kit:" + strconv.FormatInt(id, 10) }

// SaveKit replaces the client's colours and its heading and caption styles.
func (s *EditService) SaveKit(clientID int64, colors []string, heading, caption backend.TextStyle) (KitView, error) {
	styles := map[string]backend.TextStyle{"heading": heading, "caption": caption}
	ctx, cancel := context.WithTimeout(s.ctx(), 30*time.Second)
	if err := s.store.SaveBrandKit(ctx, clientID, colors, styles); err != nil {
		cancel()
		return KitView{}, err
	}
	cancel()
	return s.Kit(clientID)
}

// AddKitFilesDialog lets the user pick logos (kind "logo": PNG, JPEG) or
// fonts (kind "font": TTF, OTF) and adds them to the client's kit.
func (s *EditService) AddKitFilesDialog(clientID int64, kind string) ([]KitFileResult, error) {
	paths, err := s.media.dialogs.OpenKitFiles(kind)
	if err != nil {
		return nil, fmt.Errorf("brand kit: file dialog: %w", err)
	}
	return s.AddKitFiles(clientID, kind, paths)
}

// AddKitFiles adds files (absolute paths) to the client's kit. Each is
// checked for what it is by its content, not its name; one bad file does
// not stop the others and leaves nothing behind.
func (s *EditService) AddKitFiles(clientID int64, kind string, paths []string) ([]KitFileResult, error) {
	if kind != backend.KitLogo && kind != backend.KitFont {
		return nil, backend.Errorf(backend.EInvalid, "kit.kind_invalid", "unknown kit file kind %q", kind)
	}
	ctx, cancel := context.WithTimeout(s.ctx(), importTimeout)
	defer cancel()
	if _, err := s.store.GetClient(ctx, clientID); err != nil {
		return nil, err
	}
	out := make([]KitFileResult, 0, len(paths))
	for _, p := range paths {
		res := KitFileResult{Path: p, Name: filepath.Base(p)}
		a, err := s.addKitFile(ctx, clientID, kind, p)
		if err != nil {
			res.Error = backend.AsError(err)
		} else {
			res.Asset = a
		}
		out = append(out, res)
	}
	return out, nil
}

func (s *EditService) addKitFile(ctx context.Context, clientID int64, kind, path string) (*backend.KitAsset, error) {
	name := filepath.Base(path)
	data, err := s.media.proc.ReadFileContext(ctx, path)
	if err != nil {
		return nil, err
	}
	a := backend.KitAsset{ClientID: clientID, Kind: kind, Name: strings.TrimSuffix(name, filepath.Ext(name)), Bytes: int64(len(data))}
	switch kind {
	case backend.KitFont:
		f, err := edit.ParseFont(name, data)
		if err != nil {
			return nil, err
		}
		if full, err := f.Name(nil, 4); err == nil && strings.TrimSpace(full) != "" {
			a.Name = full
		}
		a.Format = "ttf"
		if string(data[:4]) == "OTTO" {
			a.Format = "otf"
		}
	case backend.KitLogo:
		info, err := s.media.proc.Inspect(name, data)
		if err != nil {
			return nil, err
		}
		if info.Format != media.PNG && info.Format != media.JPEG {
			return nil, backend.Errorf(backend.EInvalid, "kit.logo_format", "%s: a logo is a PNG (with transparency) or a JPEG; SVG and other formats are not supported", name).WithParam("name", name)
		}
		// One full decode proves the file readable to the end.
		if err := s.media.proc.Upright(ctx, name, data, 1024, 0, func(*image.NRGBA, media.Info) error { return nil }); err != nil {
			return nil, err
		}
		a.Format, a.Width, a.Height = string(info.Format), info.Width, info.Height
	}
	sum := sha256.Sum256(data)
	a.Hash = hex.EncodeToString(sum[:])
	path2 := s.kitPath(a.Hash, a.Format)
	if _, err := writeStored(path2, data); err != nil {
		return nil, err
	}
	if _, err := s.store.AddKitAsset(ctx, &a); err != nil {
		if used, _ := s.store.KitHashInUse(ctx, a.Hash); !used {
			os.Remove(path2)
		}
		return nil, err
	}
	return &a, nil
}

// RemoveKitFile removes a logo or font from its kit (the file goes when no
// kit names it). Images already made with it keep their pixels.
func (s *EditService) RemoveKitFile(id int64) error {
	ctx, cancel := context.WithTimeout(s.ctx(), 30*time.Second)
	defer cancel()
	a, err := s.store.GetKitAsset(ctx, id)
	if err != nil {
		return err
	}
	if err := s.store.DeleteKitAsset(ctx, id); err != nil {
		return err
	}
	if used, err := s.store.KitHashInUse(ctx, a.Hash); err == nil && !used {
		if err := os.Remove(s.kitPath(a.Hash, a.Format)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return storeErr(err)
		}
	}
	return nil
}

// SaveTemplate keeps recipe as the client's template name (replacing one
// of the same name). The recipe is checked against the kit first.
func (s *EditService) SaveTemplate(clientID int64, name, recipe string) (backend.EditTemplate, error) {
	ctx, cancel := context.WithTimeout(s.ctx(), 30*time.Second)
	defer cancel()
	r, err := edit.Parse([]byte(recipe))
	if err != nil {
		return backend.EditTemplate{}, err
	}
	kit, _, err := s.kit(ctx, clientID)
	if err != nil {
		return backend.EditTemplate{}, err
	}
	if err := edit.Check(r, kit); err != nil {
		return backend.EditTemplate{}, err
	}
	// A template keeps overlays and the canvas, not one photo's geometry.
	tpl := edit.Recipe{V: edit.Version, Canvas: r.Canvas, Texts: r.Texts, Logo: r.Logo}
	b, _ := json.Marshal(tpl)
	t := backend.EditTemplate{ClientID: clientID, Name: name, Recipe: string(b)}
	err = s.store.SaveEditTemplate(ctx, &t)
	return t, err
}

// DeleteTemplate removes one of the client's templates.
func (s *EditService) DeleteTemplate(clientID, id int64) error {
	ctx, cancel := context.WithTimeout(s.ctx(), 30*time.Second)
	defer cancel()
	if _, err := s.template(ctx, clientID, id); err != nil {
		return err
	}
	return s.store.DeleteEditTemplate(ctx, id)
}

func (s *EditService) template(ctx context.Context, clientID, id int64) (backend.EditTemplate, error) {
	ts, err := s.store.ListEditTemplates(ctx, clientID)
	if err != nil {
		return backend.EditTemplate{}, err
	}
	for _, t := range ts {
		if t.ID == id {
			return t, nil
		}
	}
	return backend.EditTemplate{}, backend.Errorf(backend.ENotFound, "kit.template_not_found", "template %d does not exist", id)
}

// kit loads the client's kit for rendering: fonts parsed once per file,
// logos decoded (bounded to 1024 px). rev changes whenever a file does.
func (s *EditService) kit(ctx context.Context, clientID int64) (edit.Kit, string, error) {
	k, err := s.store.GetBrandKit(ctx, clientID)
	if err != nil {
		return nil, "", err
	}
	mk := edit.NewMemKit()
	var rev strings.Builder
	for _, a := range k.Assets {
		rev.WriteString(a.Hash[:12])
		path := s.kitPath(a.Hash, a.Format)
		switch a.Kind {
		case backend.KitFont:
			s.mu.Lock()
			f, ok := s.fonts[a.Hash]
			s.mu.Unlock()
			if !ok {
				data, err := s.media.proc.ReadFile(path)
				if err != nil {
					continue // a missing file: recipes naming it get "unknown font"
				}
				parsed, err := edit.ParseFont(a.Name, data)
				if err != nil {
					continue
				}
				f = kitFont{parsed}
				s.mu.Lock()
				s.fonts[a.Hash] = f
				s.mu.Unlock()
			}
			mk.AddFont(kitFontID(a.ID), f.font)
		case backend.KitLogo:
			s.mu.Lock()
			logo, ok := s.logos[a.Hash]
			s.mu.Unlock()
			if !ok {
				data, err := s.media.proc.ReadFile(path)
				if err != nil {
					continue
				}
				err = s.media.proc.Upright(ctx, a.Name, data, 1024, 0, func(img *image.NRGBA, _ media.Info) error {
					if b := img.Bounds(); max(b.Dx(), b.Dy()) > 1024 {
						img = fitLong(img, 1024)
					}
					logo = img
					return nil
				})
				if err != nil {
					continue
				}
				s.mu.Lock()
				s.logos[a.Hash] = logo
				s.mu.Unlock()
			}
			mk.AddLogo(strconv.FormatInt(a.ID, 10), logo)
		}
	}
	return mk, rev.String(), nil
}

func (s *EditService) kitPath(hash, format string) string {
	return filepath.Join(s.kitDir, hash+"."+format)
}
