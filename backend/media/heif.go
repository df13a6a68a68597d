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

// cDecode describes the C side's decode function of one module: how to
// call it and how its output is laid out. It is called twice: for the size
// and layout only (config_only), then into a buffer of that size.
type cDecode struct {
	vars   int // bytes of its out-parameters
	args   func(src, n, configOnly, vars, out uint64) []uint64
	layout func(v []uint32) (rawImage, error) // from the first five out-parameters
}

// heifDecode is lib/heif.c's
// decode(in, size, config_only, &width, &height, &colorspace, &chroma, &premultiplied, out).
var heifDecode = cDecode{
	vars: 5 * 4,
	args: func(src, n, configOnly, vars, out uint64) []uint64 {
		return []uint64{src, n, configOnly, vars, vars + 4, vars + 8, vars + 12, vars + 16, out}
	},
	layout: heifLayout,
}

// avifDecode is lib/decode.c's
// decode(in, size, config_only, decode_all, &width, &height, &depth, &count, delay, out).
var avifDecode = cDecode{
	vars: 4*4 + 8, // and one frame's delay, a double
	args: func(src, n, configOnly, vars, out uint64) []uint64 {
		return []uint64{src, n, configOnly, 0, vars, vars + 4, vars + 8, vars + 12, vars + 16, out}
	},
	layout: func(v []uint32) (rawImage, error) {
		// Premultiplied RGBA (the C side asks libavif for it), rows unpadded.
		raw := rawImage{kind: rawRGBA, premul: 1, w: v[0], h: v[1], stride: 4 * v[0]}
		if v[2] > 8 {
			raw.kind, raw.stride = rawRGBA16, 8*v[0]
		}
		return raw, nil
	},
}

// decodeHEIF decodes a HEIC/HEIF file's primary image with libheif, which
// applies its irot/imir itself: the result is upright.
func (r *wasmRunner) decodeHEIF(ctx context.Context, data []byte, memCap int64) (rawImage, error) {
	return r.decode(ctx, HEIC, heifDecode, data, memCap)
}

// decodeAVIF decodes an AVIF file's first image with libavif, as stored
// (its irot/imir are left to orient, like EXIF orientation).
func (r *wasmRunner) decodeAVIF(ctx context.Context, data []byte, memCap int64) (rawImage, error) {
	return r.decode(ctx, AVIF, avifDecode, data, memCap)
}

func (r *wasmRunner) decode(ctx context.Context, f Format, c cDecode, data []byte, memCap int64) (rawImage, error) {
	in, err := r.instantiate(ctx, f, memCap)
	if err != nil {
		return rawImage{}, err
	}
	defer in.Close()
	raw, err := in.run(c, data)
	raw.peak = uint32(in.peak() >> 16)
	return raw, err
}

// run copies data into the instance and decodes it with c. The pixels it
// returns are a view of the instance's memory.
func (in *instance) run(c cDecode, data []byte) (rawImage, error) {
	src, err := in.input(data)
	if err != nil {
		return rawImage{}, err
	}
	vars, err := in.malloc(c.vars)
	if err != nil {
		return rawImage{}, err
	}
	call := func(configOnly, out uint64) error {
		ok, err := in.call("decode", c.args(uint64(src), uint64(len(data)), configOnly, uint64(vars), out)...)
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
	if v[0] == 0 || v[1] == 0 || v[0] > 1<<16 || v[1] > 1<<16 {
		return rawImage{}, fmt.Errorf("decoder says %d×%d", v[0], v[1])
	}
	raw, err := c.layout(v)
	if err != nil {
		return rawImage{}, err
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

// heifLayout lays out libheif's planes, each row at its own stride: the C
// side copies whole planes.
func heifLayout(v []uint32) (rawImage, error) {
	w, h := int(v[0]), int(v[1])
	raw := rawImage{w: v[0], h: v[1], premul: v[4]}
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
	return raw, nil
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
