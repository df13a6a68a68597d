package media

import (
	"image"
	"image/color"
	"image/draw"
	"testing"

	"github.com/disintegration/imaging"

	"pauta/backend/media/mediatest"
)

// The integer RGB path gives what imaging's float Catmull-Rom gives, for
// reductions, small steps, enlargements and a crop inside a larger image.
func TestResizeOpaqueMatchesImaging(t *testing.T) {
	src := toNRGBA(mediatest.PhotoLike(900, 600, 3))
	crop := src.SubImage(image.Rect(130, 70, 730, 570)).(*image.NRGBA)
	for _, c := range []struct {
		name string
		img  *image.NRGBA
		w, h int
	}{
		{"reduce 3.1×", src, 290, 193},
		{"reduce 1.04×", src, 865, 577},
		{"enlarge", src, 1300, 870},
		{"one axis", src, 900, 300},
		{"crop", crop, 320, 266},
		{"to 1×1", src, 1, 1},
	} {
		got := resizeOpaque(c.img, c.w, c.h)
		want := imaging.Resize(c.img, c.w, c.h, imaging.CatmullRom)
		if got.Rect != want.Rect {
			t.Fatalf("%s: size %v, want %v", c.name, got.Rect, want.Rect)
		}
		q := psnr(got, want)
		t.Logf("%s: %.1f dB", c.name, q)
		if q < 60 {
			t.Errorf("%s: %.1f dB against imaging's CatmullRom, want ≥ 60", c.name, q)
		}
		for i := 3; i < len(got.Pix); i += 4 {
			if got.Pix[i] != 0xff {
				t.Fatalf("%s: alpha %d at byte %d", c.name, got.Pix[i], i)
			}
		}
	}
}

// Weights sum to one exactly: a flat colour stays that colour at any size.
func TestResizeOpaqueKeepsFlatColour(t *testing.T) {
	c := color.NRGBA{R: 200, G: 17, B: 255, A: 255}
	src := image.NewNRGBA(image.Rect(0, 0, 333, 127))
	draw.Draw(src, src.Rect, image.NewUniform(c), image.Point{}, draw.Src)
	for _, s := range [][2]int{{100, 40}, {333, 127}, {1000, 9}, {7, 700}} {
		got := resizeOpaque(src, s[0], s[1])
		for i := 0; i < len(got.Pix); i += 4 {
			if got.Pix[i] != c.R || got.Pix[i+1] != c.G || got.Pix[i+2] != c.B || got.Pix[i+3] != 0xff {
				t.Fatalf("%v: pixel %d is %v", s, i/4, got.Pix[i:i+4])
			}
		}
	}
	for _, n := range [][2]int{{6000, 1080}, {1080, 6000}, {5, 3}, {1, 1}} {
		for i, tp := range bicubicTaps(n[0], n[1]) {
			var sum int32
			for _, w := range tp.weights {
				sum += w
			}
			if sum != 1<<weightBits || tp.start < 0 || tp.start+len(tp.weights) > n[0] {
				t.Fatalf("%v tap %d: start %d, %d weights summing to %d", n, i, tp.start, len(tp.weights), sum)
			}
		}
	}
}
