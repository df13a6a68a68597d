package media

import (
	"fmt"
	"slices"

	"pauta/backend"
)

// Preset is one image size a network wants (shared/reference/platforms.md §3).
//
// A fill preset (Width and Height set) crops to Width:Height around the focal
// point and scales to exactly Width×Height. A within preset (Width = Height =
// 0) keeps the whole picture and its ratio, scaling down only to respect
// MaxLongSide and MaxPixels and up only to reach MinWidth×MinHeight.
type Preset struct {
	ID      string          `json:"id"` // stable: cache keys and saved variants use it
	Network backend.Network `json:"network"`
	Width   int             `json:"width"`
	Height  int             `json:"height"`

	MaxLongSide int   `json:"maxLongSide,omitempty"`
	MaxPixels   int64 `json:"maxPixels,omitempty"`
	MinWidth    int   `json:"minWidth,omitempty"`
	MinHeight   int   `json:"minHeight,omitempty"`

	// MaxBytes caps the encoded file; JPEG quality, then size, step down to fit.
	MaxBytes int64 `json:"maxBytes"`
	// Formats the network accepts from Pauta. PNG listed means a picture with
	// transparency stays PNG; otherwise it is flattened on white as JPEG.
	Formats []Format `json:"formats"`
	// Default marks the preset a new variant for Network gets.
	Default bool `json:"default"`
}

// Fill reports whether p crops to an exact size.
func (p Preset) Fill() bool { return p.Width > 0 && p.Height > 0 }

// AllowsPNG reports whether transparency can be kept for this preset.
func (p Preset) AllowsPNG() bool { return slices.Contains(p.Formats, PNG) }

// Validate reports a preset Pauta cannot render.
func (p Preset) Validate() error {
	fill := p.Width > 0 || p.Height > 0
	switch {
	case !validID(p.ID):
		return backend.Errorf(backend.EInvalid, "media.preset_invalid", "bad preset id %q", p.ID)
	case fill && (p.Width <= 0 || p.Height <= 0 || p.Width > 10000 || p.Height > 10000):
		return backend.Errorf(backend.EInvalid, "media.preset_invalid", "preset %s: bad size %d×%d", p.ID, p.Width, p.Height).WithParam("preset", p.ID)
	case p.MaxLongSide < 0 || p.MaxPixels < 0 || p.MinWidth < 0 || p.MinHeight < 0 || p.MaxBytes < 0:
		return backend.Errorf(backend.EInvalid, "media.preset_invalid", "preset %s: negative limit", p.ID).WithParam("preset", p.ID)
	case !slices.Contains(p.Formats, JPEG):
		return backend.Errorf(backend.EInvalid, "media.preset_invalid", "preset %s must accept JPEG", p.ID).WithParam("preset", p.ID)
	}
	return nil
}

// validID keeps preset ids safe inside cache file names.
func validID(id string) bool {
	if id == "" || len(id) > 64 || id[0] == '.' {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// fingerprint is everything about p that changes its output, for cache keys.
func (p Preset) fingerprint() string {
	return fmt.Sprintf("%s|%d×%d|long%d|px%d|min%d×%d|b%d|%v", p.ID, p.Width, p.Height,
		p.MaxLongSide, p.MaxPixels, p.MinWidth, p.MinHeight, p.MaxBytes, p.Formats)
}

// Byte limits use decimal megabytes, the safer reading of "8 MB".
const (
	mb = 1000 * 1000
)

var (
	jpegOnly   = []Format{JPEG}
	jpegOrPNG  = []Format{JPEG, PNG}
	presetList = []Preset{
		{ID: "instagram.portrait", Network: backend.Instagram, Width: 1080, Height: 1350, MaxBytes: 8 * mb, Formats: jpegOnly, Default: true},
		{ID: "instagram.square", Network: backend.Instagram, Width: 1080, Height: 1080, MaxBytes: 8 * mb, Formats: jpegOnly},
		{ID: "instagram.landscape", Network: backend.Instagram, Width: 1080, Height: 566, MaxBytes: 8 * mb, Formats: jpegOnly},
		{ID: "instagram.story", Network: backend.Instagram, Width: 1080, Height: 1920, MaxBytes: 8 * mb, Formats: jpegOnly},

		{ID: "threads.portrait", Network: backend.Threads, Width: 1080, Height: 1350, MaxBytes: 8 * mb, Formats: jpegOrPNG, Default: true},
		{ID: "threads.square", Network: backend.Threads, Width: 1080, Height: 1080, MaxBytes: 8 * mb, Formats: jpegOrPNG},
		{ID: "threads.landscape", Network: backend.Threads, Width: 1080, Height: 566, MaxBytes: 8 * mb, Formats: jpegOrPNG},

		{ID: "x.landscape", Network: backend.X, Width: 1600, Height: 900, MaxBytes: 5 * mb, Formats: jpegOrPNG, Default: true},
		{ID: "x.landscape_small", Network: backend.X, Width: 1200, Height: 675, MaxBytes: 5 * mb, Formats: jpegOrPNG},

		{ID: "linkedin.landscape", Network: backend.LinkedIn, Width: 1200, Height: 627, MaxBytes: 5 * mb, Formats: jpegOrPNG, Default: true},

		{ID: "facebook.landscape", Network: backend.Facebook, Width: 1200, Height: 630, MaxBytes: 10 * mb, Formats: jpegOrPNG, Default: true},

		{ID: "pinterest.portrait", Network: backend.Pinterest, Width: 1000, Height: 1500, MaxBytes: 20 * mb, Formats: jpegOrPNG, Default: true},

		{ID: "bluesky.original", Network: backend.Bluesky, MaxLongSide: 2000, MaxBytes: 1_000_000, Formats: jpegOrPNG, Default: true},

		mastodonPreset(InstanceLimits{}),

		{ID: "tiktok.story", Network: backend.TikTok, Width: 1080, Height: 1920, MaxBytes: 20 * mb, Formats: jpegOrPNG, Default: true},

		{ID: "google_business.original", Network: backend.GoogleBusiness, MinWidth: 400, MinHeight: 300, MaxBytes: 5 * mb, Formats: jpegOrPNG, Default: true},
	}
)

// MainPresets are the five sizes the speed goal and bench measure:
// 1080×1080, 1080×1350, 1080×1920, 1600×900 and 1000×1500.
func MainPresets() []Preset {
	var out []Preset
	for _, id := range []string{"instagram.square", "instagram.portrait", "instagram.story", "x.landscape", "pinterest.portrait"} {
		p, _ := PresetByID(id)
		out = append(out, p)
	}
	return out
}

// Presets returns every preset, grouped by network, each network's default first.
func Presets() []Preset {
	out := make([]Preset, len(presetList))
	for i, p := range presetList {
		p.Formats = slices.Clone(p.Formats)
		out[i] = p
	}
	return out
}

// PresetByID finds a preset by its id.
func PresetByID(id string) (Preset, bool) {
	for _, p := range presetList {
		if p.ID == id {
			p.Formats = slices.Clone(p.Formats)
			return p, true
		}
	}
	return Preset{}, false
}

// PresetsFor lists the presets a variant for network n may use, its default
// first: the alternatives the user can pick. YouTube has none.
func PresetsFor(n backend.Network) []Preset {
	var out []Preset
	for _, p := range Presets() {
		if p.Network == n {
			out = append(out, p)
		}
	}
	return out
}

// DefaultPreset is the preset a new variant for network n gets.
func DefaultPreset(n backend.Network) (Preset, bool) {
	for _, p := range PresetsFor(n) {
		if p.Default {
			return p, true
		}
	}
	return Preset{}, false
}

// InstanceLimits are a Mastodon server's media limits, from
// GET /api/v2/instance configuration.media_attachments. Zero means unknown.
type InstanceLimits struct {
	ImageSizeLimit   int64 `json:"imageSizeLimit"`   // bytes
	ImageMatrixLimit int64 `json:"imageMatrixLimit"` // pixels
}

// Mastodon's current defaults (platforms.md §3), used when a limit is unknown.
const (
	mastodonSizeLimit   = 16 << 20
	mastodonMatrixLimit = 33_177_600
)

// MastodonPreset is the as-is Mastodon preset for an instance's limits.
func MastodonPreset(l InstanceLimits) Preset { return mastodonPreset(l) }

func mastodonPreset(l InstanceLimits) Preset {
	size, matrix := l.ImageSizeLimit, l.ImageMatrixLimit
	if size <= 0 {
		size = mastodonSizeLimit
	}
	if matrix <= 0 {
		matrix = mastodonMatrixLimit
	}
	return Preset{ID: "mastodon.original", Network: backend.Mastodon, MaxPixels: matrix, MaxBytes: size, Formats: jpegOrPNG, Default: true}
}
