package media

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"math"
	"testing"

	"github.com/disintegration/imaging"

	"pauta/backend"
	"pauta/backend/media/mediatest"
)

func TestPresetTable(t *testing.T) {
	seen := map[string]bool{}
	defaults := map[backend.Network]int{}
	for _, p := range Presets() {
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", p.ID, err)
		}
		if seen[p.ID] {
			t.Errorf("duplicate id %s", p.ID)
		}
		seen[p.ID] = true
		if !p.Network.Valid() {
			t.Errorf("%s: network %q", p.ID, p.Network)
		}
		if p.Default {
			defaults[p.Network]++
		}
		if p.MaxBytes <= 0 {
			t.Errorf("%s: no byte limit", p.ID)
		}
	}
	for _, n := range backend.Networks {
		if n == backend.YouTube {
			continue
		}
		if defaults[n] != 1 {
			t.Errorf("%s has %d default presets", n, defaults[n])
		}
		if d, ok := DefaultPreset(n); !ok || PresetsFor(n)[0].ID != d.ID {
			t.Errorf("%s: default %v not listed first", n, d.ID)
		}
	}
	want := map[string][2]int{
		"instagram.square": {1080, 1080}, "instagram.portrait": {1080, 1350}, "instagram.landscape": {1080, 566},
		"instagram.story": {1080, 1920}, "x.landscape": {1600, 900}, "linkedin.landscape": {1200, 627},
		"facebook.landscape": {1200, 630}, "pinterest.portrait": {1000, 1500},
	}
	for id, wh := range want {
		if p := mustPreset(t, id); p.Width != wh[0] || p.Height != wh[1] {
			t.Errorf("%s is %d×%d, want %v", id, p.Width, p.Height, wh)
		}
	}
	if len(PresetsFor(backend.Threads)) != 3 || len(PresetsFor(backend.Instagram)) != 4 {
		t.Error("Threads should reuse the three Instagram feed sizes; Instagram has four")
	}
	// Callers cannot corrupt the table through a returned slice.
	ps := Presets()
	ps[0].Formats[0] = PNG
	if Presets()[0].Formats[0] != JPEG {
		t.Error("Presets shares its Formats slices")
	}
	if (Preset{ID: "../x", Formats: jpegOnly}).Validate() == nil {
		t.Error("a preset id with a path accepted")
	}
}

func TestEveryPresetExactSizeNoMetadata(t *testing.T) {
	data := mediatest.WithEXIF(photoJPEG(1200, 900, 2), 1)
	p := New()
	all := Presets()
	if raceEnabled { // the big resizes are slow under -race; keep one per shape
		all = nil
		for _, id := range []string{"instagram.story", "linkedin.landscape", "bluesky.original", "google_business.original"} {
			all = append(all, mustPreset(t, id))
		}
	}
	res, err := p.Render(bg, "photo.jpg", data, reqs(FocalPoint{0.3, 0.7}, all...))
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range res.Outputs {
		pr := all[i]
		if o.PresetID != pr.ID {
			t.Fatalf("output %d is %s, want %s", i, o.PresetID, pr.ID)
		}
		if pr.Fill() && (o.Width != pr.Width || o.Height != pr.Height) {
			t.Errorf("%s: %d×%d, want %d×%d", pr.ID, o.Width, o.Height, pr.Width, pr.Height)
		}
		if !pr.Fill() && (o.Width != 1200 || o.Height != 900) {
			t.Errorf("%s: %d×%d, want the source's 1200×900", pr.ID, o.Width, o.Height)
		}
		if o.Bytes > pr.MaxBytes || o.Format != JPEG {
			t.Errorf("%s: %d bytes %s", pr.ID, o.Bytes, o.Format)
		}
		if pr.Fill() && o.Upscaled != (o.Crop.Dx() < pr.Width || o.Crop.Dy() < pr.Height) {
			t.Errorf("%s: upscaled=%v with crop %v", pr.ID, o.Upscaled, o.Crop)
		}
		assertNoJPEGMetadata(t, pr.ID, o.Data)
		decodeOut(t, o)
	}
	if !contains(res.Notes, NoteUpscaled) {
		t.Error("a 900-px-high source made 1920-px stories without the upscaled note")
	}
}

// assertNoJPEGMetadata walks the segments before the scan: only the
// tables and frame header may be there, no APPn (EXIF, XMP, ICC) or COM.
func assertNoJPEGMetadata(t *testing.T, id string, b []byte) {
	t.Helper()
	if bytes.Contains(b, []byte("Exif\x00")) || bytes.Contains(b, []byte("GPS")) {
		t.Errorf("%s: EXIF bytes in output", id)
	}
	i := 2
	for i+4 <= len(b) {
		m := b[i+1]
		if m == 0xDA {
			return
		}
		if (m >= 0xE0 && m <= 0xEF) || m == 0xFE {
			t.Errorf("%s: output has marker %#x", id, m)
		}
		i += 2 + int(binary.BigEndian.Uint16(b[i+2:]))
	}
	t.Errorf("%s: no scan found", id)
}

// pngChunks lists a PNG's chunk types.
func pngChunks(b []byte) []string {
	var out []string
	for i := 8; i+8 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[i:]))
		out = append(out, string(b[i+4:i+8]))
		i += 12 + n
	}
	return out
}

func TestTransparency(t *testing.T) {
	src := withPNGMetadata(alphaPNG(400, 300))
	p := New()
	threads, insta := mustPreset(t, "threads.square"), mustPreset(t, "instagram.square")
	res, err := p.Render(bg, "logo.png", src, reqs(Centre(), threads, insta))
	if err != nil {
		t.Fatal(err)
	}
	keep, flat := res.Outputs[0], res.Outputs[1]
	if keep.Format != PNG || keep.Flattened {
		t.Fatalf("Threads takes PNG: got %s flattened=%v", keep.Format, keep.Flattened)
	}
	for _, c := range pngChunks(keep.Data) {
		if c != "IHDR" && c != "IDAT" && c != "IEND" {
			t.Errorf("PNG output has a %s chunk", c)
		}
	}
	img := decodeOut(t, keep)
	if _, _, _, a := img.At(5, 5).RGBA(); a != 0 {
		t.Errorf("corner should stay transparent, alpha %d", a)
	}
	if c := img.At(540, 540); !near(c, red, 10) {
		t.Errorf("centre %v, want red", c)
	}
	if flat.Format != JPEG || !flat.Flattened || !contains(res.Notes, NoteFlattened) {
		t.Fatalf("Instagram takes JPEG only: %+v notes %v", flat, res.Notes)
	}
	img = decodeOut(t, flat)
	if c := img.At(5, 5); !near(c, white, 6) {
		t.Errorf("flattened corner %v, want white", c)
	}
	if c := img.At(540, 540); !near(c, red, 30) {
		t.Errorf("flattened centre %v, want red", c)
	}
	// An opaque PNG gains nothing from staying PNG.
	res, err = p.Render(bg, "flat.png", mediatest.PNG(markerImage(300, 200)), reqs(Centre(), threads))
	if err != nil || res.Outputs[0].Format != JPEG || res.Outputs[0].Flattened {
		t.Errorf("opaque PNG: %+v %v", res.Outputs, err)
	}
}

func TestBlueskyFitsOneMegabyte(t *testing.T) {
	w, h := 4000, 3000
	if raceEnabled {
		w, h = 1800, 1350 // still over 1 MB at q55, so the downscale steps run
	}
	data := noiseJPEG(w, h)
	p := New()
	bsky := mustPreset(t, "bluesky.original")
	res, err := p.Render(bg, "noise.jpg", data, reqs(Centre(), bsky))
	if err != nil {
		t.Fatal(err)
	}
	o := res.Outputs[0]
	if o.Bytes > 1_000_000 || int64(len(o.Data)) != o.Bytes {
		t.Errorf("Bluesky output %d bytes", o.Bytes)
	}
	if max(o.Width, o.Height) > 2000 {
		t.Errorf("Bluesky long side %d", max(o.Width, o.Height))
	}
	if r := float64(o.Width) / float64(o.Height); math.Abs(r-4.0/3) > 0.01 {
		t.Errorf("ratio changed: %d×%d", o.Width, o.Height)
	}
	decodeOut(t, o)
	t.Logf("noise %d×%d → %d×%d, %d bytes", w, h, o.Width, o.Height, o.Bytes)
}

func TestWithinPresets(t *testing.T) {
	p := New()
	src := photoJPEG(300, 200, 3)
	masto := MastodonPreset(InstanceLimits{ImageMatrixLimit: 20_000, ImageSizeLimit: 6_000})
	gbp := mustPreset(t, "google_business.original")
	res, err := p.Render(bg, "a.jpg", src, reqs(Centre(), masto, gbp, MastodonPreset(InstanceLimits{})))
	if err != nil {
		t.Fatal(err)
	}
	m := res.Outputs[0]
	if m.Width*m.Height > 20_000 || m.Bytes > 6_000 || math.Abs(float64(m.Width)/float64(m.Height)-1.5) > 0.05 {
		t.Errorf("Mastodon with limits: %d×%d %d bytes", m.Width, m.Height, m.Bytes)
	}
	if g := res.Outputs[1]; g.Width < 400 || g.Height < 300 || !g.Upscaled {
		t.Errorf("Google Business minimum 400×300: %+v", g)
	}
	if a := res.Outputs[2]; a.Width != 300 || a.Height != 200 {
		t.Errorf("Mastodon as is: %d×%d", a.Width, a.Height)
	}
	if w, h := withinSize(10000, 5000, MastodonPreset(InstanceLimits{ImageMatrixLimit: 33_177_600})); int64(w)*int64(h) > 33_177_600 || w < 8000 {
		t.Errorf("matrix limit: %d×%d", w, h)
	}
	// A byte limit no JPEG can meet is an error, not an oversized file.
	tiny := Preset{ID: "test.tiny", Width: 500, Height: 500, MaxBytes: 100, Formats: jpegOnly}
	if _, err := p.Render(bg, "a.jpg", src, reqs(Centre(), tiny)); errKey(err) != "media.output_too_large" {
		t.Errorf("impossible byte limit: %v", err)
	}
}

// The focal point stays in every crop: a magenta dot drawn there shows up
// in every output, and Output.Crop holds it.
func TestFocalPointInEveryCrop(t *testing.T) {
	w, h, div := 900, 600, 4
	if raceEnabled {
		w, h, div = 450, 300, 8
	}
	magenta := color.NRGBA{255, 0, 255, 255}
	p := New()
	var fills []Preset
	for _, pr := range Presets() {
		if pr.Fill() {
			pr.Width, pr.Height = pr.Width/div, pr.Height/div // same ratios, less work
			fills = append(fills, pr)
		}
	}
	for _, f := range []FocalPoint{{0, 0}, {1, 1}, {0.5, 0.5}, {0.95, 0.1}, {0.02, 0.9}, {0.7, 0.33}} {
		img := mediatest.Solid(w, h, color.NRGBA{40, 90, 160, 255})
		fx, fy := min(int(f.X*float64(w)), w-1), min(int(f.Y*float64(h)), h-1)
		draw.Draw(img, image.Rect(fx-12, fy-12, fx+13, fy+13), image.NewUniform(magenta), image.Point{}, draw.Src)
		res, err := p.Render(bg, "", mediatest.PNG(img), reqs(f, fills...))
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range res.Outputs {
			if !(image.Point{fx, fy}).In(o.Crop) {
				t.Errorf("focal %v: %s crop %v misses (%d,%d)", f, o.PresetID, o.Crop, fx, fy)
			}
			out := imaging.Clone(decodeOut(t, o))
			found := false
			for i := 0; i < len(out.Pix) && !found; i += 4 {
				found = near(color.NRGBA{out.Pix[i], out.Pix[i+1], out.Pix[i+2], 255}, magenta, 40)
			}
			if !found {
				t.Errorf("focal %v: %s lost the focal point", f, o.PresetID)
			}
		}
	}
}
