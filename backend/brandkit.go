package backend

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// BrandKit is what a client's graphics are made with (issue #20): its
// colours, default text styles, logos and fonts.
type BrandKit struct {
	ClientID int64                `json:"clientId"`
	Colors   []string             `json:"colors"` // #rrggbb, in the user's order
	Styles   map[string]TextStyle `json:"styles"` // "heading", "caption"
	Assets   []KitAsset           `json:"assets"`
}

// TextStyle is a default look for text overlays.
type TextStyle struct {
	Font  string  `json:"font"`  // a built-in font id or "kit:<asset id>"
	Color string  `json:"color"` // #rrggbb
	Size  float64 `json:"size"`  // line height, fraction of the image height
}

// Kit asset kinds.
const (
	KitLogo = "logo"
	KitFont = "font"
)

// KitAsset is a logo or a font file of a client's kit.
type KitAsset struct {
	ID        int64     `json:"id"`
	ClientID  int64     `json:"clientId"`
	Kind      string    `json:"kind"`
	Name      string    `json:"name"`
	Hash      string    `json:"hash"`
	Format    string    `json:"format"`
	Bytes     int64     `json:"bytes"`
	Width     int       `json:"width"`
	Height    int       `json:"height"`
	CreatedAt time.Time `json:"createdAt"`
}

// EditTemplate is a saved recipe of a client ("quote card").
type EditTemplate struct {
	ID        int64     `json:"id"`
	ClientID  int64     `json:"clientId"`
	Name      string    `json:"name"`
	Recipe    string    `json:"recipe"` // JSON, backend/media/edit
	CreatedAt time.Time `json:"createdAt"`
}

// Limits of a kit.
const (
	MaxKitColors = 24
	MaxKitAssets = 40
)

var hexColorRE = regexp.MustCompile(`^#[0-9a-f]{6}$`)

// NormalizeKit lower-cases and checks colours and styles.
func NormalizeKit(colors []string, styles map[string]TextStyle) ([]string, map[string]TextStyle, error) {
	if len(colors) > MaxKitColors {
		return nil, nil, Errorf(EInvalid, "kit.too_many_colors", "a kit holds at most %d colours", MaxKitColors).WithField("colors").WithParam("max", "24")
	}
	out := make([]string, 0, len(colors))
	seen := map[string]bool{}
	for _, c := range colors {
		c = strings.ToLower(strings.TrimSpace(c))
		if !hexColorRE.MatchString(c) {
			return nil, nil, Errorf(EInvalid, "edit.color_invalid", "%q is not a colour: use #rrggbb", c).WithField("colors").WithParam("color", c)
		}
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	st := map[string]TextStyle{}
	for name, s := range styles {
		if name != "heading" && name != "caption" {
			return nil, nil, Errorf(EInvalid, "kit.style_unknown", "unknown text style %q", name).WithField("styles")
		}
		s.Color = strings.ToLower(strings.TrimSpace(s.Color))
		if !hexColorRE.MatchString(s.Color) {
			return nil, nil, Errorf(EInvalid, "edit.color_invalid", "%q is not a colour: use #rrggbb", s.Color).WithField("styles").WithParam("color", s.Color)
		}
		if s.Size < 0.01 || s.Size > 0.5 {
			return nil, nil, Errorf(EInvalid, "edit.text_size", "the text size is out of range").WithField("styles")
		}
		if utf8.RuneCountInString(s.Font) > 64 {
			return nil, nil, Errorf(EInvalid, "edit.font_unknown", "unknown font").WithField("styles")
		}
		st[name] = s
	}
	return out, st, nil
}

// BrandKitStore keeps kits, their files' rows and edit templates.
type BrandKitStore interface {
	GetBrandKit(ctx context.Context, clientID int64) (BrandKit, error)
	SaveBrandKit(ctx context.Context, clientID int64, colors []string, styles map[string]TextStyle) error
	// AddKitAsset inserts a; the same file twice for one client fills a
	// from the existing row and answers created false.
	AddKitAsset(ctx context.Context, a *KitAsset) (created bool, err error)
	GetKitAsset(ctx context.Context, id int64) (*KitAsset, error)
	DeleteKitAsset(ctx context.Context, id int64) error
	// KitHashInUse: another row still names the file.
	KitHashInUse(ctx context.Context, hash string) (bool, error)
	ListEditTemplates(ctx context.Context, clientID int64) ([]EditTemplate, error)
	SaveEditTemplate(ctx context.Context, t *EditTemplate) error
	DeleteEditTemplate(ctx context.Context, id int64) error
	// CreateEditedMedia adds an image rendered from m.SourceID + m.Recipe
	// (created false when the client has the same pixels already);
	// UpdateEditedMedia points an edited image at a new rendering.
	CreateEditedMedia(ctx context.Context, m *Media) (created bool, err error)
	UpdateEditedMedia(ctx context.Context, m *Media) error
}
