package media

import (
	"image"
	"math"
	"testing"
)

func checkCrop(t *testing.T, w, h, rw, rh int, f FocalPoint) {
	t.Helper()
	r := CropRect(w, h, rw, rh, f)
	if !r.In(image.Rect(0, 0, w, h)) || r.Empty() {
		t.Fatalf("CropRect(%d,%d,%d:%d,%v) = %v, outside the image", w, h, rw, rh, f, r)
	}
	n := f.Normalize()
	fp := image.Pt(min(int(n.X*float64(w)), w-1), min(int(n.Y*float64(h)), h-1))
	if !fp.In(r) {
		t.Fatalf("CropRect(%d,%d,%d:%d,%v) = %v misses focal pixel %v", w, h, rw, rh, f, r, fp)
	}
	// The ratio holds within a pixel unless the image is thinner than one pixel of it.
	want := float64(r.Dy()) * float64(rw) / float64(rh)
	if math.Abs(float64(r.Dx())-want) > 1 && r.Dx() > 1 && r.Dy() > 1 {
		wantH := float64(r.Dx()) * float64(rh) / float64(rw)
		if math.Abs(float64(r.Dy())-wantH) > 1 {
			t.Fatalf("CropRect(%d,%d,%d:%d) = %v, ratio %.4f want %.4f", w, h, rw, rh, r, float64(r.Dx())/float64(r.Dy()), float64(rw)/float64(rh))
		}
	}
	// Largest: one side spans the image.
	if r.Dx() != w && r.Dy() != h {
		t.Fatalf("CropRect(%d,%d,%d:%d) = %v is not the largest window", w, h, rw, rh, r)
	}
	// As centred as possible: unless pinned at an edge, the focal pixel is
	// in the middle (within a pixel).
	for _, a := range [][4]int{{r.Min.X, r.Max.X, fp.X, w}, {r.Min.Y, r.Max.Y, fp.Y, h}} {
		lo, hi, p, size := a[0], a[1], a[2], a[3]
		if lo > 0 && hi < size && abs((p-lo)-(hi-lo)/2) > 1 {
			t.Fatalf("CropRect(%d,%d,%d:%d,%v) = %v not centred on %v", w, h, rw, rh, f, r, fp)
		}
	}
}

func TestCropRect(t *testing.T) {
	cases := []struct {
		w, h, rw, rh int
		f            FocalPoint
		want         image.Rectangle
	}{
		{6000, 4000, 1, 1, Centre(), image.Rect(1000, 0, 5000, 4000)},
		{6000, 4000, 1, 1, FocalPoint{0, 0.5}, image.Rect(0, 0, 4000, 4000)},
		{6000, 4000, 1, 1, FocalPoint{1, 0.5}, image.Rect(2000, 0, 6000, 4000)},
		{6000, 4000, 16, 9, FocalPoint{0.5, 0}, image.Rect(0, 0, 6000, 3375)},
		{6000, 4000, 16, 9, FocalPoint{0.5, 1}, image.Rect(0, 625, 6000, 4000)},
		{6000, 4000, 9, 16, FocalPoint{0.25, 0.5}, image.Rect(375, 0, 2625, 4000)},
		{100, 100, 1, 1, FocalPoint{0.9, 0.9}, image.Rect(0, 0, 100, 100)},
		{3, 1000, 1000, 1, Centre(), image.Rect(0, 500, 3, 501)},
	}
	for _, c := range cases {
		if got := CropRect(c.w, c.h, c.rw, c.rh, c.f); got != c.want {
			t.Errorf("CropRect(%d,%d,%d:%d,%v) = %v, want %v", c.w, c.h, c.rw, c.rh, c.f, got, c.want)
		}
		checkCrop(t, c.w, c.h, c.rw, c.rh, c.f)
	}
	if got := (FocalPoint{math.NaN(), 7}).Normalize(); got != (FocalPoint{0.5, 1}) {
		t.Errorf("Normalize = %v", got)
	}
	if got := (FocalPoint{0.12345, -1}).Normalize(); got != (FocalPoint{0.123, 0}) {
		t.Errorf("Normalize = %v", got)
	}
	if !CropRect(0, 10, 1, 1, Centre()).Empty() {
		t.Error("empty image gives a crop")
	}
}

func FuzzCropRect(f *testing.F) {
	f.Add(6000, 4000, 1080, 1350, 0.5, 0.5)
	f.Add(1, 1, 1600, 900, 0.0, 1.0)
	f.Add(4000, 6000, 1200, 627, 0.999, 0.001)
	f.Add(7, 13000, 1000, 1500, 1.0, 0.5)
	f.Fuzz(func(t *testing.T, w, h, rw, rh int, fx, fy float64) {
		w, h = 1+abs(w%20000), 1+abs(h%20000)
		rw, rh = 1+abs(rw%5000), 1+abs(rh%5000)
		checkCrop(t, w, h, rw, rh, FocalPoint{fx, fy})
	})
}
