package media

import (
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"math"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"

	"pauta/backend"
)

// DefaultMaxDecodeBytes bounds the memory the decodes of all images in
// flight may hold together (decoded pixels, conversion copies, resize
// buffers): one import stays well under 400 MB of RSS, and two imports at
// once wait for each other instead of adding up.
const DefaultMaxDecodeBytes = 256 << 20

// decodeShape is what the header tells about the memory a decode takes.
type decodeShape struct {
	out   float64 // bytes per source pixel the decoder returns (and a full-size copy it needs)
	copy  float64 // bytes per decoded pixel of the NRGBA copy, 0 when converted in place
	fixed float64 // bytes per source pixel held besides (progressive JPEG coefficients)
	bits  int     // bits per channel, for messages

	// HEIC and AVIF, decoded in the decoder process (decoderproc.go): its
	// WebAssembly memory, capped at wasm×pixels+wasmBase (wasmMemCap), and
	// the rest of that process (extra: the input it received, its runtimes).
	wasm, wasmBase, extra float64
}

// wasmShape is a HEIC or AVIF decode. The decoder's memory per pixel is
// its measured peak with a margin (TestWasmMemoryModel checks the caps
// hold): libde265 holds the YCbCr picture, libheif its copy (and a turned
// copy when irot/imir apply) and the output planes, about 6.2 bytes a
// pixel; libavif and dav1d the YUV frame, the RGBA conversion and the
// output, about 21. out is what the decoder process adds converting that
// output: nothing (it reads the planes in place) but for 16-bit AVIF,
// first brought to 8 bits.
func wasmShape(f Format, h heifHeader, size int64) decodeShape {
	s := decodeShape{copy: 4, bits: max(h.depth, 8)}
	switch {
	case f == AVIF && h.depth > 8:
		s.wasm, s.out = 40, 4
	case f == AVIF:
		s.wasm = 22
	case h.depth > 8: // libheif converts to 8 bits before the output planes
		s.wasm = 10
	default:
		s.wasm = 6.8
	}
	if f == HEIC && h.orientation != 1 {
		s.wasm += 1.6
	}
	if h.alpha {
		s.wasm += 3
	}
	// The input's copy, the module's own memory (dav1d's tables: 6 MB).
	s.wasmBase = float64(size) + 2<<20
	if f == AVIF {
		s.wasmBase += 6 << 20
	}
	s.extra = float64(size) + 24<<20 // the decoder process: its copy of the input, Go and wazero (21 MB measured)
	return s
}

// wasmMemCap is the memory a WebAssembly decode of info may use, all of
// which the budget counts.
func wasmMemCap(info Info) int64 {
	return int64(info.shape.wasm*float64(info.Width)*float64(info.Height) + info.shape.wasmBase)
}

// shrinksOnLoad tells a format shrunk by an integer factor as it leaves
// its decoder (shrink.go), before any full-size NRGBA exists.
func shrinksOnLoad(f Format) bool { return f == JPEG || f == HEIC || f == AVIF }

// freesDecoder tells a format whose decoder's memory is garbage once the
// image is converted (collectPlanes collects it before the resizes).
func freesDecoder(f Format) bool { return f == JPEG || f == HEIC || f == AVIF }

// shapeOf reads the decode's memory shape from the format, the header's
// colour model and, for JPEG and PNG, the few header bytes that matter.
func shapeOf(f Format, cm color.Model, data []byte) decodeShape {
	s := decodeShape{out: 4, bits: 8}
	switch f {
	case JPEG:
		progressive, samples := jpegFrame(data)
		s.out = samples // Gray, YCbCr or CMYK planes, subsampled chroma
		s.copy = 4      // YCbCr/Gray to NRGBA, or shrunk from the planes
		switch cm {
		case color.CMYKModel: // the CMYK image, then a full-size NRGBA copy of it
			s.copy = 0
			s.out += 8
		case color.RGBAModel: // an RGBA, converted to NRGBA in place
			s.copy = 0
			s.out += 4
		}
		if progressive {
			s.fixed = 4 * samples // one int32 per coefficient between scans
		}
	case PNG:
		switch cm {
		case color.GrayModel:
			s.out, s.copy = 1, 4
		case color.Gray16Model:
			s.out, s.bits = 8, 16 // with a tRNS chunk the decoder returns NRGBA64
		case color.RGBA64Model, color.NRGBA64Model:
			s.out, s.bits = 8, 16 // converted to NRGBA in place
		case color.RGBAModel, color.NRGBAModel:
			s.out = 4
		default: // palettes
			s.out, s.copy = 1, 4
		}
		if len(data) > 28 && data[28] == 1 { // Adam7: the passes are decoded apart, then merged
			s.out *= 2
		}
	case GIF:
		s.out, s.copy = 1, 4
	case WebP:
		switch cm {
		case color.YCbCrModel:
			s.out, s.copy = 1.5, 4
		case color.NYCbCrAModel:
			s.out, s.copy = 2.5, 4
		default: // lossless: ARGB words, then NRGBA
			s.out = 8
		}
	}
	return s
}

// decodeCost estimates the bytes a decode of info shrunk by factor holds at
// its peak, with the resize buffers of workers presets rendering at once.
func decodeCost(info Info, factor, workers int, reqs []Request, pending []int) int64 {
	var resize []float64
	for _, i := range pending {
		resize = append(resize, resizeCost(info, factor, reqs[i].Preset))
	}
	slices.Sort(resize)
	var resizes float64
	for k := 0; k < workers && k < len(resize); k++ {
		resizes += resize[len(resize)-1-k]
	}
	return int64(peakCost(info, factor, resizes))
}

// peakCost is the decode and the given resize buffers at their peak. A
// JPEG's full-size planes are collected before the resizes start
// (collectPlanes), so for a JPEG the two phases do not add up: the decode
// with its shrunk copy, then that copy with the resizes.
func peakCost(info Info, factor int, resizes float64) float64 {
	if !freesDecoder(info.Format) {
		return baseCost(info, factor) + resizes
	}
	w, h := shrunkSize(info.Width, info.Height, factor)
	return max(baseCost(info, factor), 4*float64(w)*float64(h)+resizes)
}

// baseCost is the decode itself: the decoder's buffers, always full size
// (image/jpeg has no scaled decode), the NRGBA copy or the shrunk NRGBA
// made from them, and the upright copy.
func baseCost(info Info, factor int) float64 {
	w, h := shrunkSize(info.Width, info.Height, factor)
	px := float64(w) * float64(h)
	full := float64(info.Width) * float64(info.Height)
	s := info.shape
	var conv float64 // the NRGBA made from the decoder's output, and its upright copy
	if factor > 1 {
		conv = 4 * px // the shrink writes a new NRGBA
	} else {
		conv = s.copy * px
	}
	if info.Orientation != 1 && info.Format != HEIC { // libheif turns HEIC in its own memory
		conv += 4 * px
	}
	if s.wasm > 0 {
		// The decoder process converts (and shrinks) the output next to
		// its decoder's memory, hands that memory back, then sends the
		// NRGBA to the app, which turns it upright.
		nrgba := 4 * px
		return max(float64(wasmMemCap(info))+s.extra+s.out*full+nrgba, s.extra+nrgba+conv)
	}
	return s.fixed*full + s.out*full + conv
}

// resizeCost is one preset's resize: a buffer as wide as the output and as
// tall as the decoded image, then the output; none when the output is the
// decoded image itself.
func resizeCost(info Info, factor int, p Preset) float64 {
	w, h := shrunkSize(info.Width, info.Height, factor)
	ow, oh := outputSize(info.Width, info.Height, p)
	if ow == w && oh == h {
		return 0
	}
	return 4 * (float64(ow)*float64(h) + float64(ow)*float64(oh))
}

// minDecodeCost is the least memory any render of the image needs: at the
// best reduction the format allows, one preset at a time, the largest of
// every network's presets. An image within it can always be previewed and
// published, whatever networks its client has.
func minDecodeCost(info Info) int64 {
	best := math.Inf(1)
	for factor := 1; factor <= maxFactor; factor++ {
		if factor > 1 && !shrinksOnLoad(info.Format) {
			break
		}
		var worst float64
		for _, p := range Presets() {
			worst = max(worst, resizeCost(info, factor, p))
		}
		best = min(best, peakCost(info, factor, worst))
	}
	return int64(best)
}

// maxFactor is the most a JPEG is shrunk on load to fit the budget: beyond
// it the full-size planes, which every factor holds, are all that is left.
const maxFactor = 8

func outputSize(w, h int, p Preset) (int, int) {
	if p.Fill() {
		return p.Width, p.Height
	}
	return withinSize(w, h, p)
}

// tooLargeToDecode refuses an image whose decode would not fit the budget
// even at its smallest reduction.
func tooLargeToDecode(name string, info Info, need, limit int64) error {
	return backend.Errorf(backend.EInvalid, "media.too_large_to_decode",
		"%s is too large to open: %d×%d at %d bits per channel needs about %d MB of memory, more than the %d MB allowed; save it as an 8-bit PNG or a JPEG, or with fewer pixels",
		display(name), info.Width, info.Height, info.shape.bits, need>>20, limit>>20).
		WithParam("width", strconv.Itoa(info.Width)).WithParam("height", strconv.Itoa(info.Height)).
		WithParam("bits", strconv.Itoa(info.shape.bits)).
		WithParam("need", strconv.FormatInt(need>>20, 10)).WithParam("max", strconv.FormatInt(limit>>20, 10))
}

// jpegFrame reads a JPEG's frame header: whether it is progressive, and
// the samples per pixel of its components (1 for grey, 1.5 for 4:2:0 YCbCr,
// 3 for 4:4:4). An unreadable header answers the worst case.
func jpegFrame(data []byte) (progressive bool, samples float64) {
	const worst = 4
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return true, worst
		}
		m := data[i+1]
		switch {
		case m == 0xFF:
			i++
			continue
		case m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7):
			i += 2
			continue
		case m == 0xDA || m == 0xD9:
			return true, worst
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return true, worst
		}
		seg := data[i+4 : i+2+n]
		if m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC {
			if len(seg) < 6 || len(seg) < 6+3*int(seg[5]) || seg[5] == 0 {
				return true, worst
			}
			nc := int(seg[5])
			hmax, vmax, sum := 1, 1, 0
			for c := range nc {
				hv := seg[6+3*c+1]
				hmax, vmax = max(hmax, int(hv>>4)), max(vmax, int(hv&15))
			}
			for c := range nc {
				hv := seg[6+3*c+1]
				sum += int(hv>>4) * int(hv&15)
			}
			return m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE, float64(sum) / float64(hmax*vmax)
		}
		i += 2 + n
	}
	return true, worst
}

// memBudget is a weighted semaphore over decode bytes, first come first
// served, shared by every decode of a Processor.
type memBudget struct {
	mu      sync.Mutex
	free    int64
	waiters []*budgetWaiter
}

type budgetWaiter struct {
	n     int64
	ready chan struct{}
}

func newMemBudget(n int64) *memBudget { return &memBudget{free: n} }

func (b *memBudget) acquire(ctx context.Context, n int64) error {
	b.mu.Lock()
	if len(b.waiters) == 0 && b.free >= n {
		b.free -= n
		b.mu.Unlock()
		return nil
	}
	w := &budgetWaiter{n: n, ready: make(chan struct{})}
	b.waiters = append(b.waiters, w)
	b.mu.Unlock()
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case <-w.ready: // granted meanwhile: give it back
		b.free += n
	default:
		b.waiters = slices.DeleteFunc(b.waiters, func(x *budgetWaiter) bool { return x == w })
	}
	b.grantLocked()
	return ctx.Err()
}

func (b *memBudget) release(n int64) {
	if n >= 64<<20 {
		// Collect the decode's pixels and hand the pages back before the next
		// decode starts: otherwise its buffers, which do not fit the freed
		// holes exactly, are mapped on top and RSS reaches twice the budget.
		debug.FreeOSMemory()
	}
	b.mu.Lock()
	b.free += n
	b.grantLocked()
	b.mu.Unlock()
}

func (b *memBudget) grantLocked() {
	for len(b.waiters) > 0 && b.free >= b.waiters[0].n {
		w := b.waiters[0]
		b.free -= w.n
		close(w.ready)
		b.waiters = b.waiters[1:]
	}
}

// nrgbaInPlace converts the 8- and 16-bit RGBA images decoders return to
// NRGBA inside their own pixel buffer (a 16-bit one has room for twice the
// bytes), with imaging's arithmetic, so a large PNG costs no second copy.
func nrgbaInPlace(src image.Image) (*image.NRGBA, bool) {
	var pix []uint8
	var stride, bpp int
	var r image.Rectangle
	switch s := src.(type) {
	case *image.RGBA:
		pix, stride, bpp, r = s.Pix, s.Stride, 4, s.Rect
	case *image.RGBA64:
		pix, stride, bpp, r = s.Pix, s.Stride, 8, s.Rect
	case *image.NRGBA64:
		pix, stride, bpp, r = s.Pix, s.Stride, 8, s.Rect
	default:
		return nil, false
	}
	if r.Min != (image.Point{}) {
		return nil, false
	}
	w, h := r.Dx(), r.Dy()
	_, nrgba64 := src.(*image.NRGBA64)
	j := 0 // the write index never passes the read index: stride ≥ bpp×w ≥ 4×w
	for y := range h {
		i := y * stride
		for range w {
			var cr, cg, cb, ca uint8
			if bpp == 4 {
				cr, cg, cb, ca = unpremul8(pix[i], pix[i+1], pix[i+2], pix[i+3])
			} else if nrgba64 {
				cr, cg, cb, ca = pix[i], pix[i+2], pix[i+4], pix[i+6]
			} else {
				cr, cg, cb, ca = unpremul16(pix[i : i+8 : i+8])
			}
			pix[j], pix[j+1], pix[j+2], pix[j+3] = cr, cg, cb, ca
			i += bpp
			j += 4
		}
	}
	return &image.NRGBA{Pix: pix[: 4*w*h : 4*w*h], Stride: 4 * w, Rect: image.Rect(0, 0, w, h)}, true
}

func unpremul8(r, g, b, a uint8) (uint8, uint8, uint8, uint8) {
	switch a {
	case 0:
		return 0, 0, 0, 0
	case 0xFF:
		return r, g, b, a
	}
	a16 := uint16(a)
	return uint8(uint16(r) * 0xFF / a16), uint8(uint16(g) * 0xFF / a16), uint8(uint16(b) * 0xFF / a16), a
}

func unpremul16(s []uint8) (uint8, uint8, uint8, uint8) {
	a := s[6]
	switch a {
	case 0:
		return 0, 0, 0, 0
	case 0xFF:
		return s[0], s[2], s[4], a
	}
	a32 := uint32(s[6])<<8 | uint32(s[7])
	c := func(k int) uint8 { return uint8(((uint32(s[k])<<8 | uint32(s[k+1])) * 0xFFFF / a32) >> 8) }
	return c(0), c(2), c(4), a
}
