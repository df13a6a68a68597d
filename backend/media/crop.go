package media

import (
	"image"
	"math"
)

// FocalPoint is the point that must stay in frame, as fractions of the
// upright image's width and height: (0,0) top left, (1,1) bottom right.
type FocalPoint struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Centre is the default focal point.
func Centre() FocalPoint { return FocalPoint{0.5, 0.5} }

// Normalize clamps f into [0,1]², maps NaN to the centre and rounds to 0.001,
// the precision the cache is keyed by (finer moves are invisible).
func (f FocalPoint) Normalize() FocalPoint {
	norm := func(v float64) float64 {
		if math.IsNaN(v) {
			return 0.5
		}
		return math.Round(min(max(v, 0), 1)*1000) / 1000
	}
	return FocalPoint{norm(f.X), norm(f.Y)}
}

// cropSize is the largest rw:rh window that fits in w×h, its ratio exact to
// within one pixel.
func cropSize(w, h, rw, rh int) (cw, ch int) {
	if int64(w)*int64(rh) >= int64(h)*int64(rw) { // image is wider: full height
		ch = h
		cw = int(math.Round(float64(h) * float64(rw) / float64(rh)))
	} else {
		cw = w
		ch = int(math.Round(float64(w) * float64(rh) / float64(rw)))
	}
	return min(max(cw, 1), w), min(max(ch, 1), h)
}

// CropRect returns the largest rw:rh rectangle inside a w×h image that holds
// the focal point, as centred on it as the image edges allow. The focal pixel
// is always inside; the ratio is rw:rh within one pixel. w, h, rw and rh must
// be positive.
func CropRect(w, h, rw, rh int, f FocalPoint) image.Rectangle {
	if w <= 0 || h <= 0 || rw <= 0 || rh <= 0 {
		return image.Rectangle{}
	}
	f = f.Normalize()
	cw, ch := cropSize(w, h, rw, rh)
	x0 := place(w, cw, f.X)
	y0 := place(h, ch, f.Y)
	return image.Rect(x0, y0, x0+cw, y0+ch)
}

// place centres a window of length n on the focal pixel of a line of length
// size, then slides it back inside the line.
func place(size, n int, f float64) int {
	p := min(int(f*float64(size)), size-1) // the focal pixel
	return min(max(p-n/2, 0), size-n)
}
