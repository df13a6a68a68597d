package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"strconv"

	"github.com/disintegration/imaging"
	"golang.org/x/image/webp"

	"pauta/backend"
)

// Limits bound what Pauta agrees to decode, so a hostile or broken file
// cannot exhaust memory. They are checked from the header, before decoding.
type Limits struct {
	MaxBytes  int64 `json:"maxBytes"`  // file size
	MaxPixels int64 `json:"maxPixels"` // width × height
	// MaxDecodeBytes bounds the memory of the decodes in flight together
	// (see DefaultMaxDecodeBytes); an image that needs more is refused.
	MaxDecodeBytes int64 `json:"maxDecodeBytes"`
}

// Default limits: 50 MB files, 100-megapixel images.
const (
	DefaultMaxBytes  = 50 * mb
	DefaultMaxPixels = 100_000_000
)

// DefaultLimits returns the limits New uses unless told otherwise.
func DefaultLimits() Limits {
	return Limits{MaxBytes: DefaultMaxBytes, MaxPixels: DefaultMaxPixels, MaxDecodeBytes: DefaultMaxDecodeBytes}
}

// Info describes a source image as read from its header, without decoding.
type Info struct {
	Hash        string `json:"hash"` // sha256 of the file, hex
	Format      Format `json:"format"`
	Bytes       int64  `json:"bytes"`
	Width       int    `json:"width"`  // upright, after EXIF orientation
	Height      int    `json:"height"` // upright
	Orientation int    `json:"orientation"`
	// Animated is set for a GIF with more than one frame and an AVIF
	// sequence: only the first frame is used (note key media.gif_first_frame).
	Animated bool `json:"animated"`

	shape         decodeShape // the decode's memory, from the header
	heifTruncated bool        // a HEIF box runs past the end of the file
}

// Notes the UI shows next to an image, as i18n keys.
const (
	NoteGIFFirstFrame = "media.gif_first_frame" // only the first frame of an animated GIF or AVIF is used
	NoteUpscaled      = "media.upscaled"        // the source was smaller than a preset; it was enlarged
	NoteFlattened     = "media.flattened"       // transparency was flattened on white for a network without PNG
)

// inspect runs every check that needs no decoding: size, type, header, pixel
// count. name is used only to catch an extension that lies; "" skips that.
func inspect(name string, data []byte, lim Limits) (Info, error) {
	n := int64(len(data))
	if n == 0 {
		return Info{}, backend.Errorf(backend.EInvalid, "media.empty", "%s: the file is empty", display(name))
	}
	if lim.MaxBytes > 0 && n > lim.MaxBytes {
		return Info{}, backend.Errorf(backend.EInvalid, "media.too_large", "%s: %d bytes, more than the %d allowed", display(name), n, lim.MaxBytes).
			WithParam("size", strconv.FormatInt(n, 10)).WithParam("max", strconv.FormatInt(lim.MaxBytes, 10))
	}
	f := DetectFormat(data)
	var heif heifHeader
	var heifErr error
	if f == HEIC || f == AVIF {
		// The codec of the primary image decides, not the brands alone.
		heif, heifErr = readHEIF(data)
		f = heifFormat(f, heif.itemType)
	}
	if ext := extFormat(name); ext != "" && ext != f {
		return Info{}, backend.Errorf(backend.EInvalid, "media.type_mismatch", "%s is named %s but is a %s file", display(name), ext, f).
			WithParam("ext", string(ext)).WithParam("actual", string(f))
	}
	if !f.decodable() {
		return Info{}, backend.Errorf(backend.EInvalid, "media.unsupported", "%s: %s images are not supported (use JPEG, PNG, GIF, WebP, HEIC or AVIF)", display(name), f).
			WithParam("type", string(f))
	}
	var cfg image.Config
	var err error
	r := bytes.NewReader(data)
	switch f {
	case HEIC, AVIF:
		err = heifErr
		cfg = image.Config{Width: heif.width, Height: heif.height, ColorModel: color.YCbCrModel}
	case JPEG:
		cfg, err = jpeg.DecodeConfig(r)
	case PNG:
		cfg, err = png.DecodeConfig(r)
	case GIF:
		cfg, err = gif.DecodeConfig(r)
	case WebP:
		cfg, err = webp.DecodeConfig(r)
	}
	if err == nil && (cfg.Width <= 0 || cfg.Height <= 0) {
		err = errors.New("no pixels")
	}
	if err != nil {
		return Info{}, corrupt(name, err)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); lim.MaxPixels > 0 && px > lim.MaxPixels {
		return Info{}, backend.Errorf(backend.EInvalid, "media.too_many_pixels", "%s: %d×%d is %.1f megapixels, more than the %.0f allowed",
			display(name), cfg.Width, cfg.Height, float64(px)/1e6, float64(lim.MaxPixels)/1e6).
			WithParam("width", strconv.Itoa(cfg.Width)).WithParam("height", strconv.Itoa(cfg.Height)).
			WithParam("max", strconv.FormatInt(lim.MaxPixels, 10))
	}
	info := Info{Format: f, Bytes: n, Orientation: 1}
	switch f {
	case JPEG:
		info.Orientation = jpegOrientation(data)
	case PNG:
		info.Orientation = pngOrientation(data)
	case WebP:
		info.Orientation = webpOrientation(data)
	case HEIC, AVIF:
		// irot/imir, never EXIF: HEIF's own transformations are the ones that count.
		info.Orientation = heif.orientation
		info.Animated = heif.animated
		info.heifTruncated = heif.truncated
	}
	if f == GIF {
		info.Animated = gifFrames(data) > 1
	}
	info.Width, info.Height = orientedSize(cfg.Width, cfg.Height, info.Orientation)
	info.shape = shapeOf(f, cfg.ColorModel, data)
	if f == HEIC || f == AVIF {
		info.shape = wasmShape(f, heif, n)
	}
	if lim.MaxDecodeBytes > 0 {
		// Refused from the header, before hashing or decoding, when even its
		// cheapest render of the largest preset would not fit the budget.
		if need := minDecodeCost(info); need > lim.MaxDecodeBytes {
			return Info{}, tooLargeToDecode(name, info, need, lim.MaxDecodeBytes)
		}
	}
	sum := sha256.Sum256(data)
	info.Hash = hex.EncodeToString(sum[:])
	return info, nil
}

func display(name string) string {
	if name == "" {
		return "image"
	}
	return name
}

func corrupt(name string, err error) error {
	what := "damaged"
	if truncated(err) {
		what = "truncated"
	}
	return backend.Errorf(backend.EInvalid, "media.corrupt", "%s cannot be read, it is %s: %v", display(name), what, err).
		WithParam("reason", what)
}

// jpegShortData is what image/jpeg answers when the file ends inside a scan.
const jpegShortData = jpeg.FormatError("short Huffman data")

// truncated reports whether a decoder stopped because the data ran out.
func truncated(err error) bool {
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, jpegShortData)
}

// decode decodes data (already inspected): HEIC and AVIF in their
// WebAssembly decoders (wasmdec.go), capped at the memory the budget
// counted for them and ended with ctx; the rest with decode.
func (p *Processor) decode(ctx context.Context, name string, data []byte, info Info, factor int) (*image.NRGBA, error) {
	if info.Format != HEIC && info.Format != AVIF {
		return decode(name, data, info, factor)
	}
	memCap := wasmMemCap(info)
	px := info.Width * info.Height
	// HEIC comes upright (libheif applies irot/imir); AVIF as stored.
	want := image.Pt(info.Width, info.Height)
	if info.Format == AVIF && info.Orientation >= 5 {
		want = image.Pt(info.Height, info.Width)
	}
	want.X, want.Y = shrunkSize(want.X, want.Y, factor)
	var img *image.NRGBA
	raw, err := p.dec.decode(ctx, info.Format, data, factor, memCap, px, 4*want.X*want.Y)
	if err == nil {
		if raw.kind != rawNRGBA || int(raw.w) != want.X || int(raw.h) != want.Y {
			err = fmt.Errorf("decoded %d×%d, header said %d×%d", raw.w, raw.h, want.X, want.Y)
		} else {
			img, err = raw.toNRGBA(1)
		}
		if err == nil && info.Format == AVIF {
			img = orient(img, info.Orientation)
		}
	}
	switch {
	case err == nil:
		return img, nil
	case errors.Is(err, errWasmMemory):
		return nil, backend.Errorf(backend.EInvalid, "media.decode_memory",
			"%s: its decoder needs more than the %d MB of memory its %d×%d pixels allow; the file is damaged or made to exhaust memory",
			display(name), memCap>>20, info.Width, info.Height).WithParam("max", strconv.FormatInt(memCap>>20, 10))
	case errors.Is(err, errWasmTimeout):
		secs := int(p.dec.timeoutFor(px).Seconds())
		return nil, backend.Errorf(backend.EInvalid, "media.decode_timeout",
			"%s: decoding took more than %d s; the file is damaged", display(name), secs).WithParam("seconds", strconv.Itoa(secs))
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case errors.Is(err, errDecoderDied):
		return nil, backend.Errorf(backend.EInvalid, "media.decoder_failed",
			"%s: the %s decoder stopped while reading it (%v); the file may be damaged", display(name), info.Format, err).
			WithParam("type", string(info.Format))
	case info.heifTruncated:
		return nil, corrupt(name, fmt.Errorf("%w: %v", io.ErrUnexpectedEOF, err))
	}
	return nil, corrupt(name, err)
}

// decode decodes data (already inspected), shrinks it by factor (JPEG only
// here; other formats ignore factor) and returns it upright as NRGBA.
func decode(name string, data []byte, info Info, factor int) (img *image.NRGBA, err error) {
	defer func() {
		// The decoders are meant never to panic; a bug must not take the app down.
		if r := recover(); r != nil {
			img, err = nil, corrupt(name, fmt.Errorf("decoder panic: %v", r))
		}
	}()
	var src image.Image
	r := bytes.NewReader(data)
	switch info.Format {
	case JPEG:
		src, err = jpeg.Decode(r)
	case PNG:
		src, err = png.Decode(r)
	case GIF:
		src, err = gif.Decode(r) // first frame only
	case WebP:
		src, err = webp.Decode(r)
	default:
		err = errors.New("unsupported format")
	}
	if err != nil {
		return nil, corrupt(name, err)
	}
	if info.Format == JPEG && factor > 1 {
		return orient(shrink(src, factor), info.Orientation), nil
	}
	return orient(toNRGBA(src), info.Orientation), nil
}

// shrink reduces a decoded JPEG by factor (shrink.go): from its planes for
// YCbCr and grey, through a full-size NRGBA for CMYK and RGB.
func shrink(src image.Image, factor int) *image.NRGBA {
	switch s := src.(type) {
	case *image.YCbCr:
		if m, ok := shrinkYCbCr(s, factor); ok {
			return m
		}
	case *image.Gray:
		if m, ok := shrinkGray(s, factor); ok {
			return m
		}
	}
	return shrinkNRGBA(toNRGBA(src), factor)
}

// toNRGBA converts a decoded image to NRGBA at origin (0,0), with fast paths
// for what decoders return most.
func toNRGBA(src image.Image) *image.NRGBA {
	if img, ok := nrgbaInPlace(src); ok {
		return img
	}
	switch s := src.(type) {
	case *image.NRGBA:
		if s.Rect.Min == (image.Point{}) {
			return s
		}
	case *image.YCbCr:
		if s.Rect.Min == (image.Point{}) {
			switch s.SubsampleRatio {
			case image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio440:
				return ycbcrToNRGBA(s, 0)
			case image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420:
				return ycbcrToNRGBA(s, 1)
			}
		}
	}
	return imaging.Clone(src)
}

// ycbcrToNRGBA converts with image/color's integer formula, on all CPUs,
// taking chroma from its nearest site like image.YCbCr.At. Chroma columns
// are x>>cshift.
func ycbcrToNRGBA(s *image.YCbCr, cshift uint) *image.NRGBA {
	w, h := s.Rect.Dx(), s.Rect.Dy()
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	forRows(h, 64, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			yi := s.YOffset(0, y)
			ci := s.COffset(0, y)
			row := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
			Y := s.Y[yi : yi+w]
			cbs := s.Cb[ci : ci+((w-1)>>cshift)+1]
			crs := s.Cr[ci : ci+((w-1)>>cshift)+1]
			ycbcrRow(row, Y, cbs, crs, cshift)
		}
	})
	return dst
}

func clamp16(v int32) uint8 {
	if uint32(v)&0xff000000 == 0 {
		return uint8(v >> 16)
	}
	return uint8(^(v >> 31))
}

// hasAlpha reports whether any pixel is not fully opaque.
func hasAlpha(img *image.NRGBA) bool {
	w := img.Rect.Dx()
	for y := 0; y < img.Rect.Dy(); y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for i := 3; i < len(row); i += 4 {
			if row[i] != 0xFF {
				return true
			}
		}
	}
	return false
}
