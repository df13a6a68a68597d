package edit

import (
	"fmt"
	"image"
	"image/color"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"

	"pauta/backend"
)

// Kit is what a recipe may name from the client's brand kit: fonts by id
// and logos by id. Errors are *backend.Error (not_found for an unknown id).
type Kit interface {
	Font(id string) (*opentype.Font, error)
	Logo(id string) (image.Image, error)
}

// BuiltinFonts are the Go fonts, always available whatever the kit holds;
// "" means the first.
var BuiltinFonts = []string{"go-regular", "go-medium", "go-bold", "go-italic", "go-mono"}

var builtinTTF = map[string][]byte{
	"go-regular": goregular.TTF,
	"go-medium":  gomedium.TTF,
	"go-bold":    gobold.TTF,
	"go-italic":  goitalic.TTF,
	"go-mono":    gomono.TTF,
}

var builtinFonts sync.Map // id → *opentype.Font, parsed once per process

func builtinFont(id string) (*opentype.Font, bool) {
	if id == "" {
		id = BuiltinFonts[0]
	}
	if f, ok := builtinFonts.Load(id); ok {
		return f.(*opentype.Font), true
	}
	ttf, ok := builtinTTF[id]
	if !ok {
		return nil, false
	}
	f, err := opentype.Parse(ttf)
	if err != nil {
		return nil, false
	}
	builtinFonts.Store(id, f)
	return f, true
}

// MaxFontBytes bounds a font file a user adds to a kit.
const MaxFontBytes = 20 << 20

// ParseFont reads a TrueType or OpenType file a user added: anything else
// (an image renamed .ttf, a truncated file) is an EInvalid error.
func ParseFont(name string, data []byte) (*opentype.Font, error) {
	if len(data) > MaxFontBytes {
		return nil, backend.Errorf(backend.EInvalid, "edit.font_too_large", "%s is larger than %d MB: not a font a post needs", name, MaxFontBytes>>20).WithParam("name", name)
	}
	if len(data) < 12 || !fontMagic(data) {
		return nil, backend.Errorf(backend.EInvalid, "edit.font_invalid", "%s is not a TrueType or OpenType font", name).WithParam("name", name)
	}
	f, err := opentype.Parse(data)
	if err != nil {
		return nil, backend.Errorf(backend.EInvalid, "edit.font_invalid", "%s is not a usable font: %v", name, err).WithParam("name", name)
	}
	if _, err := f.Name(nil, 1); err != nil {
		return nil, backend.Errorf(backend.EInvalid, "edit.font_invalid", "%s is not a usable font: %v", name, err).WithParam("name", name)
	}
	return f, nil
}

func fontMagic(b []byte) bool {
	switch string(b[:4]) {
	case "\x00\x01\x00\x00", "OTTO", "true":
		return true
	}
	return false
}

// MemKit is a Kit held in memory: the built-in fonts plus what was added.
type MemKit struct {
	fonts map[string]*opentype.Font
	logos map[string]image.Image
}

// NewMemKit returns a kit holding only the built-in fonts.
func NewMemKit() *MemKit {
	return &MemKit{fonts: map[string]*opentype.Font{}, logos: map[string]image.Image{}}
}

// AddFont adds a parsed font under id.
func (k *MemKit) AddFont(id string, f *opentype.Font) { k.fonts[id] = f }

// AddLogo adds a decoded logo under id.
func (k *MemKit) AddLogo(id string, img image.Image) { k.logos[id] = img }

// Font answers a kit font, then a built-in one.
func (k *MemKit) Font(id string) (*opentype.Font, error) {
	if f, ok := k.fonts[id]; ok {
		return f, nil
	}
	if f, ok := builtinFont(id); ok {
		return f, nil
	}
	return nil, backend.Errorf(backend.ENotFound, "edit.font_unknown", "the brand kit has no font %q", id).WithParam("font", id)
}

// Logo answers a kit logo.
func (k *MemKit) Logo(id string) (image.Image, error) {
	if l, ok := k.logos[id]; ok {
		return l, nil
	}
	return nil, backend.Errorf(backend.ENotFound, "edit.logo_unknown", "the brand kit has no logo %q", id).WithParam("logo", id)
}

// ParseColor reads #rgb or #rrggbb (the forms a colour picker writes).
func ParseColor(s string) (color.NRGBA, error) {
	bad := func() (color.NRGBA, error) {
		return color.NRGBA{}, backend.Errorf(backend.EInvalid, "edit.color_invalid", "%q is not a colour: use #rrggbb", s).WithParam("color", s)
	}
	h := strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if len(h) != 6 || !strings.HasPrefix(strings.TrimSpace(s), "#") {
		return bad()
	}
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return bad()
	}
	return color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}, nil
}

// FormatColor writes c as #rrggbb.
func FormatColor(c color.NRGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }
