package media

import (
	"image"
	"math"
)

// resizeOpaque is the preset resize for an image without transparency:
// the same bicubic filter as the general path (Catmull-Rom, imaging's
// CatmullRom), separable, but on R, G and B only, with 14-bit integer
// weights computed once per output column and row. The general path weighs
// four channels by their alpha in floating point; an opaque photo needs
// neither, and this is about half the work of the whole render.
func resizeOpaque(src *image.NRGBA, w, h int) *image.NRGBA {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	if sw == 0 || sh == 0 || w == 0 || h == 0 {
		return dst
	}
	cols := bicubicTaps(sw, w)
	rows := bicubicTaps(sh, h)

	// Horizontal: every source row to w columns, three bytes a pixel.
	tmp := make([]uint8, w*3*sh)
	forRows(sh, 64, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			in := src.Pix[src.PixOffset(src.Rect.Min.X, src.Rect.Min.Y+y):]
			out := tmp[y*w*3 : (y+1)*w*3]
			for x, t := range cols {
				var r, g, b int32
				p := in[t.start*4:]
				for k, wt := range t.weights {
					q := p[k*4 : k*4+3 : k*4+3]
					r += wt * int32(q[0])
					g += wt * int32(q[1])
					b += wt * int32(q[2])
				}
				out[x*3], out[x*3+1], out[x*3+2] = clampFixed(r), clampFixed(g), clampFixed(b)
			}
		}
	})

	// Vertical: each output row sums its taps' rows, whole rows at a time.
	forRows(h, 16, func(y0, y1 int) {
		acc := make([]int32, w*3)
		for y := y0; y < y1; y++ {
			t := rows[y]
			clear(acc)
			for k, wt := range t.weights {
				row := tmp[(t.start+k)*w*3 : (t.start+k+1)*w*3]
				for i, v := range row {
					acc[i] += wt * int32(v)
				}
			}
			out := dst.Pix[y*dst.Stride : y*dst.Stride+w*4]
			for x := 0; x < w; x++ {
				out[x*4] = clampFixed(acc[x*3])
				out[x*4+1] = clampFixed(acc[x*3+1])
				out[x*4+2] = clampFixed(acc[x*3+2])
				out[x*4+3] = 0xff
			}
		}
	})
	return dst
}

const weightBits = 14

func clampFixed(v int32) uint8 {
	v = (v + 1<<(weightBits-1)) >> weightBits
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}

// taps are the source samples one output sample reads: start and a weight
// each, summing to exactly 1<<weightBits.
type taps struct {
	start   int
	weights []int32
}

// bicubicTaps maps n source samples onto m output samples with the
// Catmull-Rom kernel, widened by the scale when reducing (so it averages
// every source sample it covers) and clamped at the edges.
func bicubicTaps(n, m int) []taps {
	scale := float64(n) / float64(m)
	width := max(scale, 1)
	support := 2 * width
	out := make([]taps, m)
	fw := make([]float64, 0, int(2*support)+2)
	for i := range out {
		centre := (float64(i)+0.5)*scale - 0.5
		lo := max(int(math.Ceil(centre-support)), 0)
		hi := min(int(math.Floor(centre+support)), n-1)
		fw = fw[:0]
		sum := 0.0
		for j := lo; j <= hi; j++ {
			v := catmullRom((float64(j) - centre) / width)
			fw = append(fw, v)
			sum += v
		}
		// Trim zero weights at both ends (the kernel's own zeros at ±2).
		for len(fw) > 1 && fw[0] == 0 {
			fw, lo = fw[1:], lo+1
		}
		for len(fw) > 1 && fw[len(fw)-1] == 0 {
			fw = fw[:len(fw)-1]
		}
		ws := make([]int32, len(fw))
		var total int32
		big := 0
		for k, v := range fw {
			ws[k] = int32(math.Round(v / sum * (1 << weightBits)))
			total += ws[k]
			if ws[k] > ws[big] {
				big = k
			}
		}
		ws[big] += 1<<weightBits - total // rounding leftovers on the centre tap
		out[i] = taps{start: lo, weights: ws}
	}
	return out
}

// catmullRom is the cubic with B = 0, C = 0.5 (support 2).
func catmullRom(x float64) float64 {
	x = math.Abs(x)
	switch {
	case x < 1:
		return (1.5*x-2.5)*x*x + 1
	case x < 2:
		return ((-0.5*x+2.5)*x-4)*x + 2
	}
	return 0
}
