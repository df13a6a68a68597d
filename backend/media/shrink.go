package media

import (
	"image"
	"runtime"
	"sync"
)

// Shrink-on-load: a large JPEG is decoded at full size by image/jpeg, then
// reduced by an integer factor with a box (area-average) filter straight
// from its Y, Cb and Cr (or grey) planes, so no full-size RGBA copy is made;
// the high-quality resize to each preset then starts from the small image.

// shrinkFactor is the box reduction for presets whose source crops are at
// least need times their size: 2 as soon as every crop is twice its preset
// (each preset still gets at least its own pixels), more only with half as
// much again to spare for the resize that follows, which keeps every preset
// ≥ 38 dB PSNR from a full-size decode (shrink_test.go).
func shrinkFactor(need float64) int {
	if need < 2 {
		return 1
	}
	return min(max(2, int(need/1.5)), maxShrink)
}

// maxShrink bounds the factor so a box's sum divides exactly (divider).
const maxShrink = 64

// shrunkSize is the size of a w×h image reduced by k: a partial box at the
// right and bottom edges averages the pixels it has.
func shrunkSize(w, h, k int) (int, int) {
	return (w + k - 1) / k, (h + k - 1) / k
}

// forRows runs fn over [0,h) split into bands, one per CPU, for images of
// at least minRows rows per band.
func forRows(h, minRows int, fn func(y0, y1 int)) {
	workers := min(runtime.GOMAXPROCS(0), max(h/minRows, 1))
	var wg sync.WaitGroup
	for k := range workers {
		y0, y1 := h*k/workers, h*(k+1)/workers
		wg.Go(func() { fn(y0, y1) })
	}
	wg.Wait()
}

// chromaShifts is how many bits a luma column and row shift to reach their
// chroma sample, for each subsampling image/jpeg returns.
var chromaShifts = map[image.YCbCrSubsampleRatio][2]uint{
	image.YCbCrSubsampleRatio444: {0, 0}, image.YCbCrSubsampleRatio422: {1, 0},
	image.YCbCrSubsampleRatio420: {1, 1}, image.YCbCrSubsampleRatio440: {0, 1},
	image.YCbCrSubsampleRatio411: {2, 0}, image.YCbCrSubsampleRatio410: {2, 1},
}

// shrinkYCbCr averages every k×k box of s's luma and of the chroma each of
// its pixels takes (its nearest site, like image.YCbCr.At), then converts the
// means to RGB. ok is false for an image it does not handle (not at the
// origin, an unknown subsampling).
func shrinkYCbCr(s *image.YCbCr, k int) (*image.NRGBA, bool) {
	shift, ok := chromaShifts[s.SubsampleRatio]
	hs, vs := shift[0], shift[1]
	if !ok || s.Rect.Min != (image.Point{}) || k < 1 {
		return nil, false
	}
	w, h := s.Rect.Dx(), s.Rect.Dy()
	ow, oh := shrunkSize(w, h, k)
	dst := image.NewNRGBA(image.Rect(0, 0, ow, oh))
	cw := ((w - 1) >> hs) + 1
	forRows(oh, 8, func(oy0, oy1 int) {
		sy := make([]uint32, ow)
		sb := make([]uint32, ow)
		sr := make([]uint32, ow)
		my, mb, mr := make([]uint8, ow), make([]uint8, ow), make([]uint8, ow)
		for oy := oy0; oy < oy1; oy++ {
			clear(sy)
			clear(sb)
			clear(sr)
			y0, y1 := oy*k, min(oy*k+k, h)
			for y := y0; y < y1; y++ {
				lumaSums(sy, s.Y[y*s.YStride:y*s.YStride+w], k)
			}
			// Each chroma row once, weighted by the luma rows of the box it serves.
			for cy := y0 >> vs; cy <= (y1-1)>>vs; cy++ {
				rows := uint32(min((cy+1)<<vs, y1) - max(cy<<vs, y0))
				ci := cy * s.CStride
				chromaSums(sb, sr, s.Cb[ci:ci+cw], s.Cr[ci:ci+cw], w, k, hs, rows)
			}
			rows := y1 - y0
			full, last := newDivider(k*rows), newDivider((w-(ow-1)*k)*rows)
			for ox := range ow - 1 {
				my[ox], mb[ox], mr[ox] = full.mean(sy[ox]), full.mean(sb[ox]), full.mean(sr[ox])
			}
			my[ow-1], mb[ow-1], mr[ow-1] = last.mean(sy[ow-1]), last.mean(sb[ow-1]), last.mean(sr[ow-1])
			ycbcrRow(dst.Pix[oy*dst.Stride:oy*dst.Stride+4*ow], my, mb, mr, 0)
		}
	})
	return dst, true
}

// lumaSums adds one row of a plane to the sums of its boxes of k pixels.
func lumaSums(sum []uint32, row []uint8, k int) {
	if k == 2 { // the common case, without the inner loop
		n := len(row) / 2
		for ox := range n {
			sum[ox] += uint32(row[2*ox]) + uint32(row[2*ox+1])
		}
		if len(row)%2 == 1 {
			sum[n] += uint32(row[len(row)-1])
		}
		return
	}
	boxSums(sum, row, 1, k)
}

// chromaSums adds one chroma row to the box sums, each sample weighted by
// the luma pixels of the box that take it, times rows.
func chromaSums(sb, sr []uint32, cb, cr []uint8, w, k int, hs uint, rows uint32) {
	from := 0
	if k == 1<<hs { // a box is one chroma sample wide (4:2:0 by 2): no inner loop
		wt := rows * uint32(k)
		from = w / k
		for ox := range from {
			sb[ox] += wt * uint32(cb[ox])
			sr[ox] += wt * uint32(cr[ox])
		}
	}
	for ox := from; ox < len(sb); ox++ {
		x0, x1 := ox*k, min(ox*k+k, w)
		var b, r uint32
		for x := x0; x < x1; {
			cx := x >> hs
			next := min((cx+1)<<hs, x1)
			n := uint32(next - x)
			b += n * uint32(cb[cx])
			r += n * uint32(cr[cx])
			x = next
		}
		sb[ox] += rows * b
		sr[ox] += rows * r
	}
}

// shrinkGray is shrinkYCbCr for a grey JPEG.
func shrinkGray(g *image.Gray, k int) (*image.NRGBA, bool) {
	if g.Rect.Min != (image.Point{}) || k < 1 {
		return nil, false
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	ow, oh := shrunkSize(w, h, k)
	dst := image.NewNRGBA(image.Rect(0, 0, ow, oh))
	forRows(oh, 8, func(oy0, oy1 int) {
		sum := make([]uint32, ow)
		for oy := oy0; oy < oy1; oy++ {
			clear(sum)
			y0, y1 := oy*k, min(oy*k+k, h)
			for y := y0; y < y1; y++ {
				lumaSums(sum, g.Pix[y*g.Stride:y*g.Stride+w], k)
			}
			row := dst.Pix[oy*dst.Stride : oy*dst.Stride+4*ow]
			for ox := range ow {
				v := mean(sum[ox], uint32((min(ox*k+k, w)-ox*k)*(y1-y0)))
				row[4*ox], row[4*ox+1], row[4*ox+2], row[4*ox+3] = v, v, v, 0xFF
			}
		}
	})
	return dst, true
}

// shrinkNRGBA is the generic path (CMYK and RGB JPEGs, converted to NRGBA
// first): a plain mean of each channel, right for the opaque pixels a JPEG
// has.
func shrinkNRGBA(m *image.NRGBA, k int) *image.NRGBA {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	ow, oh := shrunkSize(w, h, k)
	dst := image.NewNRGBA(image.Rect(0, 0, ow, oh))
	forRows(oh, 8, func(oy0, oy1 int) {
		sum := make([]uint32, 4*ow)
		for oy := oy0; oy < oy1; oy++ {
			clear(sum)
			y0, y1 := oy*k, min(oy*k+k, h)
			for y := y0; y < y1; y++ {
				i := m.PixOffset(m.Rect.Min.X, m.Rect.Min.Y+y)
				boxSums(sum, m.Pix[i:i+4*w], 4, k)
			}
			row := dst.Pix[oy*dst.Stride : oy*dst.Stride+4*ow]
			for ox := range ow {
				n := uint32((min(ox*k+k, w) - ox*k) * (y1 - y0))
				for c := range 4 {
					row[4*ox+c] = mean(sum[4*ox+c], n)
				}
			}
		}
	})
	return dst
}

// boxSums adds one row of pixels of bpp bytes to the per-box sums, k pixels
// to a box.
func boxSums(sum []uint32, row []uint8, bpp, k int) {
	ow := len(sum) / bpp
	for ox := range ow {
		x0, x1 := ox*k*bpp, min((ox*k+k)*bpp, len(row))
		for x := x0; x < x1; x += bpp {
			for c := range bpp {
				sum[ox*bpp+c] += uint32(row[x+c])
			}
		}
	}
}

// divider rounds sum/n to the nearest byte with a multiply: exact for the
// sums of at most n bytes while n < 2¹⁶ (maxShrink² keeps it so).
type divider struct{ half, m uint64 }

func newDivider(n int) divider { return divider{uint64(n / 2), 1<<40/uint64(n) + 1} }

func (d divider) mean(sum uint32) uint8 { return uint8((uint64(sum) + d.half) * d.m >> 40) }

// mean rounds sum/n to the nearest byte.
func mean(sum, n uint32) uint8 { return uint8((sum + n/2) / n) }

// ycbcrRow converts one row to opaque NRGBA with image/color's integer
// formula; the chroma of column x is at x>>cshift.
func ycbcrRow(dst, Y, Cb, Cr []uint8, cshift uint) {
	for x := range Y {
		yy := int32(Y[x]) * 0x10101
		cb := int32(Cb[x>>cshift]) - 128
		cr := int32(Cr[x>>cshift]) - 128
		p := dst[4*x : 4*x+4 : 4*x+4]
		p[0] = clamp16(yy + 91881*cr)
		p[1] = clamp16(yy - 22554*cb - 46802*cr)
		p[2] = clamp16(yy + 116130*cb)
		p[3] = 0xFF
	}
}
