package media

import (
	"context"
	"errors"
	"fmt"
	"image"
)

// rawImage is a decoder's output as it left the WebAssembly: planes or
// interleaved pixels with their strides, sent from the decoder process to
// the app and converted there (toNRGBAShrunk).
type rawImage struct {
	kind    uint32 // rawYCbCr, rawGray, rawRGBA, rawRGBA16
	premul  uint32 // 1: RGBA colour is premultiplied by alpha
	ratio   uint32 // image.YCbCrSubsampleRatio of rawYCbCr
	w, h    uint32
	stride  uint32 // bytes per row (of Y for YCbCr)
	cstride uint32 // bytes per chroma row
	ch      uint32 // chroma rows
	peak    uint32 // the decoder's memory at its peak, in 64 KiB pages
	pix     []byte
}

const (
	rawYCbCr  = 1
	rawGray   = 2
	rawRGBA   = 3 // 8 bits per channel
	rawRGBA16 = 4 // 16 bits per channel, little-endian
	rawNRGBA  = 5 // converted and shrunk in the decoder process: what it sends
)

// errDecoder: the decoder refused the file.
var errDecoder = errors.New("the decoder cannot read this file")

// decodeHEIF decodes a HEIC/HEIF file's primary image with libheif, which
// applies its irot/imir itself: the result is upright.
func (r *wasmRunner) decodeHEIF(ctx context.Context, data []byte, memCap int64) (rawImage, error) {
	in, err := r.instantiate(ctx, HEIC, memCap)
	if err != nil {
		return rawImage{}, err
	}
	defer in.Close()
	raw, err := heifPlanes(in, data)
	raw.peak = uint32(in.peak() >> 16)
	return raw, err
}

func heifPlanes(in *instance, data []byte) (rawImage, error) {
	src, err := in.input(data)
	if err != nil {
		return rawImage{}, err
	}
	// decode(in, size, config_only, &width, &height, &colorspace, &chroma, &premultiplied, out)
	vars, err := in.malloc(5 * 4)
	if err != nil {
		return rawImage{}, err
	}
	call := func(configOnly, out uint64) error {
		ok, err := in.call("decode", uint64(src), uint64(len(data)), configOnly,
			uint64(vars), uint64(vars+4), uint64(vars+8), uint64(vars+12), uint64(vars+16), out)
		if err == nil && ok == 0 {
			err = errDecoder
		}
		return err
	}
	if err := call(1, 0); err != nil {
		return rawImage{}, err
	}
	v, err := in.u32s(vars, 5)
	if err != nil {
		return rawImage{}, err
	}
	w, h := int(v[0]), int(v[1])
	if w <= 0 || h <= 0 || w > 1<<16 || h > 1<<16 {
		return rawImage{}, fmt.Errorf("decoder says %d×%d", w, h)
	}
	raw := rawImage{w: v[0], h: v[1], premul: v[4]}
	// The planes as libheif lays them out, each row at its own stride: the
	// C side copies whole planes.
	switch v[2] { // colorspace
	case 0: // YCbCr
		switch v[3] { // chroma
		case 1:
			raw.ratio, raw.cstride, raw.ch = uint32(image.YCbCrSubsampleRatio420), heifStride((w+1)/2, 1), uint32((h+1)/2)
		case 2:
			raw.ratio, raw.cstride, raw.ch = uint32(image.YCbCrSubsampleRatio422), heifStride((w+1)/2, 1), uint32(h)
		case 3:
			raw.ratio, raw.cstride, raw.ch = uint32(image.YCbCrSubsampleRatio444), heifStride(w, 1), uint32(h)
		default:
			return rawImage{}, fmt.Errorf("unsupported chroma %d", v[3])
		}
		raw.kind, raw.stride = rawYCbCr, heifStride(w, 1)
	case 1: // RGB, interleaved RGBA
		raw.kind, raw.stride = rawRGBA, heifStride(w, 4)
	case 2: // monochrome
		raw.kind, raw.stride = rawGray, heifStride(w, 1)
	default:
		return rawImage{}, fmt.Errorf("unsupported colorspace %d", v[2])
	}
	size := raw.size()
	out, err := in.malloc(size)
	if err != nil {
		return rawImage{}, err
	}
	if err := call(0, uint64(out)); err != nil {
		return rawImage{}, err
	}
	raw.pix, err = in.read(out, size)
	return raw, err
}

// size is the bytes of the raw pixels.
func (r rawImage) size() int {
	n := int(r.stride) * int(r.h)
	if r.kind == rawYCbCr {
		n += 2 * int(r.cstride) * int(r.ch)
	}
	return n
}

// heifStride is the row stride of a libheif 1.18 image plane (what the
// WebAssembly is built from; ImagePlane::alloc): its width rounded up to
// even and to at least 64 pixels, in bytes rounded up to 16. Assuming
// merely 16-byte rows, as github.com/gen2brain/heic's Go side does, reads
// an image narrower than 64 pixels (a grid's) askew, and makes the C side
// write past the buffer it was given.
func heifStride(w, bytesPerPixel int) uint32 {
	return uint32(align16(max(64, (w+1)&^1) * bytesPerPixel))
}

func align16(n int) int { return (n + 15) &^ 15 }

// decodeAVIF decodes an AVIF file's first image with libavif, as stored
// (its irot/imir are left to orient, like EXIF orientation).
func (r *wasmRunner) decodeAVIF(ctx context.Context, data []byte, memCap int64) (rawImage, error) {
	in, err := r.instantiate(ctx, AVIF, memCap)
	if err != nil {
		return rawImage{}, err
	}
	defer in.Close()
	raw, err := avifPixels(in, data)
	raw.peak = uint32(in.peak() >> 16)
	return raw, err
}

func avifPixels(in *instance, data []byte) (rawImage, error) {
	src, err := in.input(data)
	if err != nil {
		return rawImage{}, err
	}
	// decode(in, size, config_only, decode_all, &width, &height, &depth, &count, delay, out)
	vars, err := in.malloc(4*4 + 8) // and one frame's delay, a double
	if err != nil {
		return rawImage{}, err
	}
	call := func(configOnly, out uint64) error {
		ok, err := in.call("decode", uint64(src), uint64(len(data)), configOnly, 0,
			uint64(vars), uint64(vars+4), uint64(vars+8), uint64(vars+12), uint64(vars+16), out)
		if err == nil && ok == 0 {
			err = errDecoder
		}
		return err
	}
	if err := call(1, 0); err != nil {
		return rawImage{}, err
	}
	v, err := in.u32s(vars, 4)
	if err != nil {
		return rawImage{}, err
	}
	w, h := int(v[0]), int(v[1])
	if w <= 0 || h <= 0 || w > 1<<16 || h > 1<<16 {
		return rawImage{}, fmt.Errorf("decoder says %d×%d", w, h)
	}
	// Premultiplied RGBA (the C side asks libavif for it), rows unpadded.
	raw := rawImage{kind: rawRGBA, premul: 1, w: v[0], h: v[1], stride: uint32(4 * w)}
	if v[2] > 8 {
		raw.kind, raw.stride = rawRGBA16, uint32(8*w)
	}
	size := raw.size()
	out, err := in.malloc(size)
	if err != nil {
		return rawImage{}, err
	}
	if err := call(0, uint64(out)); err != nil {
		return rawImage{}, err
	}
	raw.pix, err = in.read(out, size)
	return raw, err
}

// shrunk converts the decoder's output to NRGBA shrunk by factor, in the
// decoder process: only that crosses to the app.
func (r rawImage) shrunk(factor int) (rawImage, error) {
	img, err := r.toNRGBA(factor)
	if err != nil {
		return rawImage{}, err
	}
	return rawImage{kind: rawNRGBA, w: uint32(img.Rect.Dx()), h: uint32(img.Rect.Dy()), stride: uint32(img.Stride),
		peak: r.peak, pix: img.Pix}, nil
}

// toNRGBA converts raw pixels to NRGBA shrunk by factor, straight from the
// planes for YCbCr and grey (shrink.go).
func (r rawImage) toNRGBA(factor int) (*image.NRGBA, error) {
	w, h := int(r.w), int(r.h)
	if len(r.pix) != r.size() || int(r.stride) < w {
		return nil, fmt.Errorf("decoder output: %d bytes for %d×%d", len(r.pix), w, h)
	}
	rect := image.Rect(0, 0, w, h)
	switch r.kind {
	case rawNRGBA:
		if int(r.stride) != 4*w {
			return nil, fmt.Errorf("decoder output: stride %d for width %d", r.stride, w)
		}
		return &image.NRGBA{Pix: r.pix, Stride: 4 * w, Rect: rect}, nil
	case rawYCbCr:
		i0, i1 := int(r.stride)*h, int(r.stride)*h+int(r.cstride)*int(r.ch)
		img := &image.YCbCr{Y: r.pix[:i0], Cb: r.pix[i0:i1], Cr: r.pix[i1:],
			YStride: int(r.stride), CStride: int(r.cstride), SubsampleRatio: image.YCbCrSubsampleRatio(r.ratio), Rect: rect}
		if cw, ch := chromaSize(w, h, img.SubsampleRatio); int(r.cstride) < cw || int(r.ch) < ch {
			return nil, fmt.Errorf("decoder output: chroma %d×%d for %d×%d", r.cstride, r.ch, w, h)
		}
		return shrinkOrConvert(img, factor), nil
	case rawGray:
		return shrinkOrConvert(&image.Gray{Pix: r.pix, Stride: int(r.stride), Rect: rect}, factor), nil
	case rawRGBA, rawRGBA16:
		if int(r.stride) < 4*w {
			return nil, fmt.Errorf("decoder output: stride %d for width %d", r.stride, w)
		}
		view := &image.NRGBA{Pix: r.pix, Stride: int(r.stride), Rect: rect}
		if r.kind == rawRGBA16 { // to 8 bits first (wasmShape counts the copy)
			if int(r.stride) < 8*w {
				return nil, fmt.Errorf("decoder output: stride %d for width %d", r.stride, w)
			}
			view = image.NewNRGBA(rect)
			forRows(h, 64, func(y0, y1 int) {
				for y := y0; y < y1; y++ {
					src := r.pix[y*int(r.stride):]
					dst := view.Pix[y*view.Stride : y*view.Stride+4*w]
					for i := range dst {
						dst[i] = src[2*i+1] // the high byte
					}
				}
			})
		}
		return rgbaOut(view, r.premul == 1, factor), nil
	}
	return nil, fmt.Errorf("decoder output of kind %d", r.kind)
}

func shrinkOrConvert(img image.Image, factor int) *image.NRGBA {
	if factor > 1 {
		return shrink(img, factor)
	}
	return toNRGBA(img)
}

func chromaSize(w, h int, ratio image.YCbCrSubsampleRatio) (int, int) {
	switch ratio {
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	}
	return w, h
}

// rgbaOut copies a decoder's RGBA into a new NRGBA, shrunk by factor
// (box-filtering premultiplied colour is the right average), then
// unpremultiplied when it was.
func rgbaOut(view *image.NRGBA, premultiplied bool, factor int) *image.NRGBA {
	var img *image.NRGBA
	if factor > 1 {
		img = shrinkNRGBA(view, factor)
	} else {
		img = image.NewNRGBA(view.Rect)
		w4 := 4 * view.Rect.Dx()
		for y := range view.Rect.Dy() {
			copy(img.Pix[y*img.Stride:y*img.Stride+w4], view.Pix[y*view.Stride:])
		}
	}
	if premultiplied {
		img, _ = nrgbaInPlace(&image.RGBA{Pix: img.Pix, Stride: img.Stride, Rect: img.Rect})
	}
	return img
}
