package media

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"testing"

	"github.com/disintegration/imaging"
)

// boxMean is the reference shrink: the mean of every k×k box of f(x, y)'s
// channels, pixel by pixel through the image's own accessors.
func boxMean(w, h, k, nc int, f func(x, y int) [4]uint8) [][4]uint8 {
	ow, oh := shrunkSize(w, h, k)
	out := make([][4]uint8, ow*oh)
	for oy := range oh {
		for ox := range ow {
			var sum [4]uint32
			var n uint32
			for y := oy * k; y < min(oy*k+k, h); y++ {
				for x := ox * k; x < min(ox*k+k, w); x++ {
					v := f(x, y)
					for c := range nc {
						sum[c] += uint32(v[c])
					}
					n++
				}
			}
			for c := range nc {
				out[oy*ow+ox][c] = uint8((sum[c] + n/2) / n)
			}
		}
	}
	return out
}

func randomPlanes(r *rand.Rand, bufs ...[]uint8) {
	for _, b := range bufs {
		for i := range b {
			b[i] = uint8(r.IntN(256))
		}
	}
}

// Every subsampling image/jpeg returns, odd sizes with partial boxes at the
// edges, several factors: each output pixel is the box mean of Y and of the
// chroma each source pixel takes, converted like image/color does.
func TestShrinkYCbCrIsTheBoxMean(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	ratios := []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	}
	for _, ratio := range ratios {
		for _, sz := range []image.Point{{37, 23}, {64, 48}, {5, 9}} {
			src := image.NewYCbCr(image.Rect(0, 0, sz.X, sz.Y), ratio)
			randomPlanes(r, src.Y, src.Cb, src.Cr)
			for k := 1; k <= 5; k++ {
				got, ok := shrinkYCbCr(src, k)
				if !ok {
					t.Fatalf("%v: not shrunk", ratio)
				}
				want := boxMean(sz.X, sz.Y, k, 3, func(x, y int) [4]uint8 {
					c := src.YCbCrAt(x, y)
					return [4]uint8{c.Y, c.Cb, c.Cr}
				})
				ow, oh := shrunkSize(sz.X, sz.Y, k)
				if got.Rect != image.Rect(0, 0, ow, oh) {
					t.Fatalf("%v %v /%d: got %v", ratio, sz, k, got.Rect)
				}
				for i, m := range want {
					rr, gg, bb := color.YCbCrToRGB(m[0], m[1], m[2])
					p := got.Pix[4*i : 4*i+4]
					if p[0] != rr || p[1] != gg || p[2] != bb || p[3] != 0xFF {
						t.Fatalf("%v %v /%d: pixel %d is %v, want %v", ratio, sz, k, i, p, []uint8{rr, gg, bb, 0xFF})
					}
				}
			}
		}
	}
	off := image.NewYCbCr(image.Rect(1, 1, 9, 9), image.YCbCrSubsampleRatio420)
	if _, ok := shrinkYCbCr(off, 2); ok {
		t.Error("an image not at the origin was shrunk from its planes")
	}
}

// Grey JPEGs shrink from their one plane; CMYK and RGB ones through NRGBA.
func TestShrinkGrayAndGeneric(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	g := image.NewGray(image.Rect(0, 0, 31, 17))
	randomPlanes(r, g.Pix)
	m := image.NewNRGBA(image.Rect(0, 0, 31, 17))
	randomPlanes(r, m.Pix)
	for k := 1; k <= 4; k++ {
		got, _ := shrinkGray(g, k)
		want := boxMean(31, 17, k, 1, func(x, y int) [4]uint8 { return [4]uint8{g.GrayAt(x, y).Y} })
		for i, v := range want {
			if p := got.Pix[4*i : 4*i+4]; p[0] != v[0] || p[1] != v[0] || p[2] != v[0] || p[3] != 0xFF {
				t.Fatalf("grey /%d: pixel %d is %v, want %d", k, i, p, v[0])
			}
		}
		gotN := shrinkNRGBA(m, k)
		wantN := boxMean(31, 17, k, 4, func(x, y int) [4]uint8 {
			c := m.NRGBAAt(x, y)
			return [4]uint8{c.R, c.G, c.B, c.A}
		})
		for i, v := range wantN {
			if p := gotN.Pix[4*i : 4*i+4]; [4]uint8(p) != v {
				t.Fatalf("NRGBA /%d: pixel %d is %v, want %v", k, i, p, v)
			}
		}
	}
	cmyk := image.NewCMYK(image.Rect(0, 0, 8, 8))
	randomPlanes(r, cmyk.Pix)
	if got := shrink(cmyk, 2); got.Rect != image.Rect(0, 0, 4, 4) {
		t.Errorf("CMYK shrunk to %v", got.Rect)
	}
}

// The factor leaves every preset at least its own pixels, and more only
// with room for the resize after it.
func TestShrinkFactor(t *testing.T) {
	for _, c := range []struct {
		need float64
		k    int
	}{{0.5, 1}, {1.99, 1}, {2, 2}, {2.08, 2}, {4.17, 2}, {4.5, 3}, {6, 4}, {8.3, 5}} {
		if k := shrinkFactor(c.need); k != c.k {
			t.Errorf("need %v: factor %d, want %d", c.need, k, c.k)
		}
	}
}

// Shrink-on-load must look like the best plain path: each preset made from
// the shrunk image (box, then CatmullRom) against the same preset made from
// a full-resolution decode with Lanczos, before JPEG encoding, ≥ 38 dB PSNR.
func TestShrinkOnLoadQuality(t *testing.T) {
	if raceEnabled {
		t.Skip("pixel quality, not concurrency: runs without -race")
	}
	w, h, f := 1500, 1000, 4
	if !testing.Short() {
		w, h, f = 6000, 4000, 1 // the bench's 24-MP photo
	}
	data := photoJPEG(w, h, 7)
	p := New()
	info, err := p.Inspect("", data)
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	full := toNRGBA(decoded)
	for _, c := range []struct {
		presets []Preset
		focal   FocalPoint
		factor  int
	}{
		{scaledMain(f), FocalPoint{X: 0.4, Y: 0.6}, 2},
		{scaledMain(f * 4), Centre(), 5}, // presets a sixth of the crop and smaller
	} {
		rs := reqs(c.focal, c.presets...)
		var pending []int
		for i := range rs {
			pending = append(pending, i)
		}
		k := p.decodeFactor(info, rs, pending)
		if k != c.factor {
			t.Fatalf("factor %d, want %d", k, c.factor)
		}
		small, err := decode("", data, info, k)
		if err != nil {
			t.Fatal(err)
		}
		for _, pr := range c.presets {
			q := psnr(fill(small, pr, c.focal, resampler, true), fill(full, pr, c.focal, imaging.Lanczos, false))
			t.Logf("%s %d×%d from 1/%d: %.1f dB", pr.ID, pr.Width, pr.Height, k, q)
			if q < 38 {
				t.Errorf("%s from 1/%d: %.1f dB against the full decode, want ≥ 38", pr.ID, k, q)
			}
		}
	}
}

// BenchmarkShrink24MP is the shrink alone: the bench's 24-MP 4:2:0 photo by 2.
func BenchmarkShrink24MP(b *testing.B) {
	img, err := jpeg.Decode(bytes.NewReader(bench24MP(b)))
	if err != nil {
		b.Fatal(err)
	}
	src := img.(*image.YCbCr)
	for b.Loop() {
		shrinkYCbCr(src, 2)
	}
}

// The multiply that replaces the division rounds like it, up to maxShrink².
func TestDividerIsExact(t *testing.T) {
	ns := []int{maxShrink * maxShrink, maxShrink*maxShrink - 1, 63 * 62}
	for n := 1; n <= 100; n++ {
		ns = append(ns, n)
	}
	for _, n := range ns {
		d := newDivider(n)
		for sum := uint32(0); sum <= uint32(255*n); sum++ {
			if got, want := d.mean(sum), mean(sum, uint32(n)); got != want {
				t.Fatalf("%d/%d: %d, want %d", sum, n, got, want)
			}
		}
	}
}
