// Package edit renders a library image's quick edits (issue #20): the
// original's pixels + a recipe + the client's brand kit → a new image. It
// is a pure function: the same inputs give the same pixels, the original is
// never written, and the preview and the published presets both come from
// Render, so what the user sees is what goes out.
package edit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"pauta/backend"
)

// Version is the newest recipe format this build writes. Older recipes
// still render (Upgrade fills what they lack); newer ones are refused.
const Version = 1

// Limits of a recipe, checked by Validate.
const (
	MaxTextRunes  = 500 // per text layer: a line or a quote, not an article
	MaxTextLayers = 8
	MaxStraighten = 45.0
	MaxAdjust     = 100.0
)

// Recipe is the small JSON document stored beside an original.
type Recipe struct {
	V int `json:"v"`
	// Canvas, when set, makes a graphic without an original (a template's
	// quote card): a plain background of this size and colour.
	Canvas *Canvas `json:"canvas,omitempty"`
	// Geometry, applied in this order: quarter turns, flips, straighten, crop.
	Rotate     int     `json:"rotate,omitempty"`     // 0, 90, 180 or 270, clockwise
	FlipH      bool    `json:"flipH,omitempty"`      // mirror left↔right
	FlipV      bool    `json:"flipV,omitempty"`      // mirror top↔bottom
	Straighten float64 `json:"straighten,omitempty"` // degrees, −45…45, clockwise
	Crop       *Rect   `json:"crop,omitempty"`       // fractions of the straightened image
	// Colour, each −100…100 (0 = unchanged).
	Brightness float64 `json:"brightness,omitempty"`
	Contrast   float64 `json:"contrast,omitempty"`
	Saturation float64 `json:"saturation,omitempty"`
	Warmth     float64 `json:"warmth,omitempty"`
	// Overlays, drawn after the colour changes, in order.
	Texts []Text `json:"texts,omitempty"`
	Logo  *Logo  `json:"logo,omitempty"`
}

// Canvas is a plain background for a graphic made from a template.
type Canvas struct {
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Color  string `json:"color"` // #rrggbb
}

// Rect is a part of an image in fractions of its width and height.
type Rect struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}

// Text is a block of text drawn over the image. Positions and sizes are
// fractions of the image, so a preview and a full-size preset match.
type Text struct {
	Text     string  `json:"text"`
	Font     string  `json:"font"`          // a font id of the kit ("" = Go Regular)
	Size     float64 `json:"size"`          // line height as a fraction of the image height
	Color    string  `json:"color"`         // #rrggbb
	Align    string  `json:"align"`         // left, center, right
	X        float64 `json:"x"`             // centre of the block, 0…1 from the left
	Y        float64 `json:"y"`             // centre of the block, 0…1 from the top
	MaxWidth float64 `json:"maxWidth"`      // wrap width as a fraction of the image width (0 = 0.9)
	Box      string  `json:"box,omitempty"` // background box colour (#rrggbb, "" = none)
	BoxAlpha float64 `json:"boxAlpha,omitempty"`
	Shadow   bool    `json:"shadow,omitempty"`
}

// Logo is a logo of the kit put in a corner.
type Logo struct {
	ID      string  `json:"id"`
	Corner  string  `json:"corner"`  // tl, tr, bl, br
	Margin  float64 `json:"margin"`  // fraction of the image's shorter side
	Size    float64 `json:"size"`    // logo width as a fraction of the image width
	Opacity float64 `json:"opacity"` // 0…1
}

// Parse reads a stored or typed recipe: not JSON, a newer version or a
// value out of range is an EInvalid error saying which field.
func Parse(b []byte) (Recipe, error) {
	var r Recipe
	if len(b) == 0 {
		return Recipe{V: Version}, nil
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return Recipe{}, invalid("edit.recipe_unreadable", "", "the edit recipe is not readable: %v", err)
	}
	r = Upgrade(r)
	return r, r.Validate()
}

// Upgrade brings an older recipe to the current version. Version 0 is a
// recipe written before versions were stored: same fields, same meaning.
func Upgrade(r Recipe) Recipe {
	if r.V == 0 {
		r.V = 1
	}
	return r
}

// Validate checks every field; the first problem is returned with the
// field's name as param "field".
func (r Recipe) Validate() error {
	if r.V > Version {
		return invalid("edit.recipe_newer", "v", "this edit was made by a newer version of Pauta (recipe %d, this version knows %d)", r.V, Version)
	}
	if r.V < 1 {
		return invalid("edit.recipe_version", "v", "the edit recipe has no valid version")
	}
	if c := r.Canvas; c != nil {
		if c.Width < 16 || c.Height < 16 || c.Width > 8192 || c.Height > 8192 {
			return invalid("edit.canvas_size", "canvas", "a graphic is between 16 and 8192 pixels on each side")
		}
		if _, err := ParseColor(c.Color); err != nil {
			return withField(err, "canvas.color")
		}
	}
	switch r.Rotate {
	case 0, 90, 180, 270:
	default:
		return invalid("edit.rotate", "rotate", "rotation is 0, 90, 180 or 270 degrees, not %d", r.Rotate)
	}
	if !finite(r.Straighten) || math.Abs(r.Straighten) > MaxStraighten {
		return invalid("edit.straighten", "straighten", "straightening is between −45 and 45 degrees")
	}
	if c := r.Crop; c != nil {
		if !finite(c.X, c.Y, c.W, c.H) || c.W <= 0.01 || c.H <= 0.01 || c.X < 0 || c.Y < 0 || c.X+c.W > 1.0001 || c.Y+c.H > 1.0001 {
			return invalid("edit.crop", "crop", "the crop must lie inside the image")
		}
	}
	for _, a := range []struct {
		name string
		v    float64
	}{{"brightness", r.Brightness}, {"contrast", r.Contrast}, {"saturation", r.Saturation}, {"warmth", r.Warmth}} {
		if !finite(a.v) || math.Abs(a.v) > MaxAdjust {
			return invalid("edit.adjust", a.name, "%s is between −100 and 100", a.name).WithParam("name", a.name)
		}
	}
	if len(r.Texts) > MaxTextLayers {
		return invalid("edit.too_many_texts", "texts", "at most %d text blocks", MaxTextLayers).WithParam("max", strconv.Itoa(MaxTextLayers))
	}
	for i, t := range r.Texts {
		if err := t.validate(); err != nil {
			return withField(err, fmt.Sprintf("texts.%d.%s", i, fieldOf(err)))
		}
	}
	if l := r.Logo; l != nil {
		if strings.TrimSpace(l.ID) == "" {
			return invalid("edit.logo_missing", "logo.id", "choose a logo of the brand kit")
		}
		switch l.Corner {
		case "tl", "tr", "bl", "br":
		default:
			return invalid("edit.logo_corner", "logo.corner", "the logo goes in a corner: tl, tr, bl or br")
		}
		if !finite(l.Margin, l.Size, l.Opacity) || l.Margin < 0 || l.Margin > 0.25 || l.Size < 0.02 || l.Size > 0.8 || l.Opacity < 0 || l.Opacity > 1 {
			return invalid("edit.logo_values", "logo", "the logo's size, margin or opacity is out of range")
		}
	}
	return nil
}

func (t Text) validate() error {
	if !utf8.ValidString(t.Text) {
		return invalid("edit.text_encoding", "text", "the text is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(t.Text); n > MaxTextRunes {
		return invalid("edit.text_long", "text", "a text block holds at most %d characters (this one has %d)", MaxTextRunes, n).
			WithParam("max", fmt.Sprint(MaxTextRunes)).WithParam("count", fmt.Sprint(n))
	}
	if !finite(t.Size, t.X, t.Y, t.MaxWidth, t.BoxAlpha) || t.Size < 0.01 || t.Size > 0.5 {
		return invalid("edit.text_size", "size", "the text size is out of range")
	}
	if t.X < 0 || t.X > 1 || t.Y < 0 || t.Y > 1 || t.MaxWidth < 0 || t.MaxWidth > 1 || t.BoxAlpha < 0 || t.BoxAlpha > 1 {
		return invalid("edit.text_position", "x", "the text must be placed inside the image")
	}
	switch t.Align {
	case "", "left", "center", "right":
	default:
		return invalid("edit.text_align", "align", "alignment is left, center or right")
	}
	if _, err := ParseColor(t.Color); err != nil {
		return withField(err, "color")
	}
	if t.Box != "" {
		if _, err := ParseColor(t.Box); err != nil {
			return withField(err, "box")
		}
	}
	return nil
}

// Identity reports whether the recipe changes nothing.
func (r Recipe) Identity() bool {
	r.V = 0
	return r.Canvas == nil && r.Rotate == 0 && !r.FlipH && !r.FlipV && r.Straighten == 0 && r.Crop == nil &&
		r.Brightness == 0 && r.Contrast == 0 && r.Saturation == 0 && r.Warmth == 0 && len(r.Texts) == 0 && r.Logo == nil
}

// Hash is the recipe's identity for render caches: equal recipes (after
// Upgrade) hash equally. kitRev names the brand kit's revision, so a logo
// or font replaced in the kit renders again.
func (r Recipe) Hash(kitRev string) string {
	b, _ := json.Marshal(Upgrade(r))
	s := sha256.Sum256(append(append(b, 0), kitRev...))
	return hex.EncodeToString(s[:8])
}

func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

func invalid(key, field, format string, args ...any) *backend.Error {
	e := backend.Errorf(backend.EInvalid, key, format, args...)
	if field != "" {
		e = e.WithField(field)
	}
	return e
}

func fieldOf(err error) string {
	if e, ok := err.(*backend.Error); ok {
		return e.Field
	}
	return ""
}

func withField(err error, field string) error {
	if e, ok := err.(*backend.Error); ok {
		return e.WithField(field)
	}
	return err
}
