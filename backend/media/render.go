package media

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"strconv"

	"github.com/disintegration/imaging"

	"pauta/backend"
)

// EncoderVersion is part of every cache key: bump it whenever a change here
// alters output pixels or bytes, so stale cached files are not reused.
const EncoderVersion = 1

// JPEGQuality is the quality every JPEG starts at; byte limits step it down
// through jpegLadder.
const JPEGQuality = 85

var jpegLadder = [...]int{85, 75, 65, 55}

// downscaleStep is the factor a within preset shrinks by per step once the
// lowest JPEG quality still does not fit its byte limit.
const downscaleStep = 0.85

// Output is one rendered preset.
type Output struct {
	PresetID string `json:"presetId"`
	Format   Format `json:"format"`
	Width    int    `json:"width"`
	Height   int    `json:"height"`
	Bytes    int64  `json:"bytes"`
	// Crop is the part of the upright source, in its own pixels, the output
	// shows (the whole image for within presets): for the preview overlay.
	Crop image.Rectangle `json:"crop"`
	// Path is the rendered file in the cache directory; Data holds the bytes
	// instead when the Processor has no cache directory.
	Path      string `json:"path,omitempty"`
	Data      []byte `json:"-"`
	Cached    bool   `json:"cached"`    // served from the cache, not rendered
	Upscaled  bool   `json:"upscaled"`  // the source was too small; see NoteUpscaled
	Flattened bool   `json:"flattened"` // transparency flattened on white
}

// SourceCrop returns the part of an upright w×h source that preset p shows
// with focal point f, in source pixels: what the UI outlines in a preview.
func SourceCrop(w, h int, p Preset, f FocalPoint) image.Rectangle {
	if p.Fill() {
		return CropRect(w, h, p.Width, p.Height, f)
	}
	return image.Rect(0, 0, w, h)
}

// withinSize is the output size of a within preset for an upright w×h source.
func withinSize(w, h int, p Preset) (int, int) {
	s := 1.0
	if p.MaxLongSide > 0 && max(w, h) > p.MaxLongSide {
		s = float64(p.MaxLongSide) / float64(max(w, h))
	}
	if px := float64(w) * float64(h); p.MaxPixels > 0 && px*s*s > float64(p.MaxPixels) {
		s = min(s, math.Sqrt(float64(p.MaxPixels)/px))
	}
	if float64(w)*s < float64(p.MinWidth) || float64(h)*s < float64(p.MinHeight) {
		s = max(float64(p.MinWidth)/float64(w), float64(p.MinHeight)/float64(h))
		return max(int(math.Ceil(float64(w)*s)), 1), max(int(math.Ceil(float64(h)*s)), 1)
	}
	// Floor, so the long side and pixel count stay within their limits.
	tw, th := max(int(float64(w)*s), 1), max(int(float64(h)*s), 1)
	if p.MaxPixels > 0 {
		for int64(tw)*int64(th) > p.MaxPixels && tw > 1 && th > 1 {
			tw, th = tw-1, max(int(float64(th)*float64(tw-1)/float64(tw)), 1)
		}
	}
	return tw, th
}

// neededScale is how many times larger than p's output the source crop is
// (for source size w×h): the most a decoder may shrink it before resizing.
func neededScale(w, h int, p Preset) float64 {
	if p.Fill() {
		cw, ch := cropSize(w, h, p.Width, p.Height)
		return min(float64(cw)/float64(p.Width), float64(ch)/float64(p.Height))
	}
	tw, th := withinSize(w, h, p)
	return min(float64(w)/float64(tw), float64(h)/float64(th))
}

// resampler is the filter for every resize. CatmullRom (bicubic, 2 lobes)
// measured as sharp as Lanczos on these downscales at two thirds of the work.
var resampler = imaging.CatmullRom

func resize(src *image.NRGBA, w, h int, opaque bool) *image.NRGBA {
	return resizeWith(src, w, h, resampler, opaque)
}

// resizeWith resizes src to w×h with filter; an opaque src takes the
// integer RGB path (resize.go), which is Catmull-Rom whatever filter says.
func resizeWith(src *image.NRGBA, w, h int, filter imaging.ResampleFilter, opaque bool) *image.NRGBA {
	if src.Rect.Dx() == w && src.Rect.Dy() == h {
		return src
	}
	if opaque {
		return resizeOpaque(src, w, h)
	}
	return imaging.Resize(src, w, h, filter)
}

// fill crops img to fill preset p's ratio around f and resizes it with filter.
func fill(img *image.NRGBA, p Preset, f FocalPoint, filter imaging.ResampleFilter, opaque bool) *image.NRGBA {
	r := CropRect(img.Rect.Dx(), img.Rect.Dy(), p.Width, p.Height, f)
	return resizeWith(img.SubImage(r).(*image.NRGBA), p.Width, p.Height, filter, opaque)
}

// render makes preset p from the upright decoded image img, which is a
// 1/scale reduction of the fullW×fullH source.
func render(img *image.NRGBA, fullW, fullH int, alpha bool, p Preset, f FocalPoint) (Output, []byte, error) {
	out := Output{PresetID: p.ID, Crop: SourceCrop(fullW, fullH, p, f)}
	var base *image.NRGBA
	var at func(s float64) *image.NRGBA // the output rescaled by s, for byte limits
	if p.Fill() {
		base = fill(img, p, f, resampler, !alpha)
		out.Upscaled = out.Crop.Dx() < p.Width || out.Crop.Dy() < p.Height
	} else {
		tw, th := withinSize(fullW, fullH, p)
		base = resize(img, tw, th, !alpha)
		out.Upscaled = tw > fullW || th > fullH
		minW, minH := max(p.MinWidth, 16), max(p.MinHeight, 16)
		at = func(s float64) *image.NRGBA {
			w, h := int(float64(tw)*s), int(float64(th)*s)
			if w < minW || h < minH {
				return nil
			}
			return resize(img, w, h, !alpha)
		}
	}
	data, format, flattened, err := encodeWithin(base, alpha, p, at)
	if err != nil {
		return Output{}, nil, err
	}
	out.Format, out.Flattened = format, flattened
	out.Width, out.Height, out.Bytes = sizeOf(data, format)
	return out, data, nil
}

// sizeOf reads back the encoded header: the dimensions are those of the file.
func sizeOf(b []byte, f Format) (int, int, int64) {
	var cfg image.Config
	if f == PNG {
		cfg, _ = png.DecodeConfig(bytes.NewReader(b))
	} else {
		cfg, _ = jpeg.DecodeConfig(bytes.NewReader(b))
	}
	return cfg.Width, cfg.Height, int64(len(b))
}

// encodeWithin encodes img as PNG (transparency on a preset that takes it)
// or JPEG, stepping quality down and then, when at is given, size down until
// the file fits p.MaxBytes.
func encodeWithin(img *image.NRGBA, alpha bool, p Preset, at func(float64) *image.NRGBA) ([]byte, Format, bool, error) {
	fits := func(b []byte) bool { return p.MaxBytes <= 0 || int64(len(b)) <= p.MaxBytes }
	if alpha && p.AllowsPNG() {
		b, err := encodePNG(img)
		if err != nil {
			return nil, "", false, err
		}
		if fits(b) {
			return b, PNG, false, nil
		}
	}
	flatten := func(m *image.NRGBA) *image.NRGBA {
		if alpha {
			return flattenOnWhite(m)
		}
		return m
	}
	m := flatten(img)
	for _, q := range jpegLadder {
		b, err := encodeJPEG(m, q)
		if err != nil {
			return nil, "", false, err
		}
		if fits(b) {
			return b, JPEG, alpha, nil
		}
	}
	if at != nil {
		for s := downscaleStep; ; s *= downscaleStep {
			small := at(s)
			if small == nil {
				break
			}
			b, err := encodeJPEG(flatten(small), jpegLadder[len(jpegLadder)-1])
			if err != nil {
				return nil, "", false, err
			}
			if fits(b) {
				return b, JPEG, alpha, nil
			}
		}
	}
	return nil, "", false, backend.Errorf(backend.EInvalid, "media.output_too_large", "cannot fit the image for %s in %d bytes", p.ID, p.MaxBytes).
		WithParam("preset", p.ID).WithParam("max", strconv.FormatInt(p.MaxBytes, 10))
}

// encodeJPEG encodes an opaque NRGBA; seen as RGBA (identical when every
// alpha is 255) it takes image/jpeg's fast path. Re-encoding writes no
// EXIF, GPS or other metadata.
func encodeJPEG(m *image.NRGBA, q int) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(m.Rect.Dx() * m.Rect.Dy() / 4)
	rgba := &image.RGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}
	if err := jpeg.Encode(&buf, rgba, &jpeg.Options{Quality: q}); err != nil {
		return nil, backend.Errorf(backend.EInternal, "internal", "encode jpeg: %v", err)
	}
	return buf.Bytes(), nil
}

// encodePNG writes IHDR, IDAT and IEND only: no text or EXIF chunks.
func encodePNG(m *image.NRGBA) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	if err := enc.Encode(&buf, m); err != nil {
		return nil, backend.Errorf(backend.EInternal, "internal", "encode png: %v", err)
	}
	return buf.Bytes(), nil
}

// flattenOnWhite composites m over white into a new opaque image.
func flattenOnWhite(m *image.NRGBA) *image.NRGBA {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		src := m.Pix[(y)*m.Stride : (y)*m.Stride+4*w]
		row := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		for i := 0; i < len(src); i += 4 {
			a := uint32(src[i+3])
			for c := range 3 {
				row[i+c] = uint8((uint32(src[i+c])*a + 255*(255-a) + 127) / 255)
			}
			row[i+3] = 0xFF
		}
	}
	return dst
}
