package jpegscaled

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"testing"
)

func testImage(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := 128 + 100*math.Sin(float64(x)/9)*math.Cos(float64(y)/13)
			m.Set(x, y, color.RGBA{uint8(v), uint8(x * 255 / w), uint8(y * 255 / h), 255})
		}
	}
	return m
}

func encode(t *testing.T, m image.Image) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// boxShrink averages f×f cells of a full decode: what a scaled decode of a
// smooth picture should look like.
func boxShrink(m image.Image, f int) *image.RGBA {
	b := m.Bounds()
	w, h := (b.Dx()+f-1)/f, (b.Dy()+f-1)/f
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			var s [3]uint32
			n := uint32(0)
			for dy := 0; dy < f && y*f+dy < b.Dy(); dy++ {
				for dx := 0; dx < f && x*f+dx < b.Dx(); dx++ {
					r, g, bb, _ := m.At(b.Min.X+x*f+dx, b.Min.Y+y*f+dy).RGBA()
					s[0], s[1], s[2] = s[0]+r>>8, s[1]+g>>8, s[2]+bb>>8
					n++
				}
			}
			out.Set(x, y, color.RGBA{uint8(s[0] / n), uint8(s[1] / n), uint8(s[2] / n), 255})
		}
	}
	return out
}

func psnr(a, b image.Image) float64 {
	var se float64
	n := 0
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p1, p2, p3, _ := a.At(x, y).RGBA()
			q1, q2, q3, _ := b.At(x-r.Min.X+b.Bounds().Min.X, y-r.Min.Y+b.Bounds().Min.Y).RGBA()
			for _, d := range []float64{float64(p1>>8) - float64(q1>>8), float64(p2>>8) - float64(q2>>8), float64(p3>>8) - float64(q3>>8)} {
				se += d * d
				n++
			}
		}
	}
	return 10 * math.Log10(255*255/(se/float64(n)+1e-9))
}

// lumaPSNR compares brightness only: chroma is subsampled differently at
// each scale (4:2:0 chroma blocks cover twice the pixels), luma is not.
func lumaPSNR(a, b image.Image) float64 {
	ga, gb := image.NewGray(a.Bounds()), image.NewGray(b.Bounds())
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			ga.Set(x, y, a.At(x, y))
			gb.Set(x, y, b.At(x, y))
		}
	}
	return psnr(ga, gb)
}

func TestShiftZeroIsTheStandardDecoder(t *testing.T) {
	for _, src := range []image.Image{testImage(203, 117), image.NewGray(image.Rect(0, 0, 33, 65))} {
		data := encode(t, src)
		want, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeScaled(bytes.NewReader(data), 0)
		if err != nil {
			t.Fatal(err)
		}
		if got.Bounds() != want.Bounds() || psnr(got, want) < 99 {
			t.Errorf("shift 0 differs from image/jpeg: %v vs %v, %.1f dB", got.Bounds(), want.Bounds(), psnr(got, want))
		}
	}
}

func TestScaledDecode(t *testing.T) {
	for _, src := range []image.Image{
		testImage(203, 117), // 4:2:0 with partial MCUs
		testImage(640, 480),
		func() image.Image { // grey
			g := image.NewGray(image.Rect(0, 0, 130, 71))
			for i := range g.Pix {
				g.Pix[i] = uint8(128 + 90*math.Sin(float64(i%130)/7+float64(i/130)/5))
			}
			return g
		}(),
	} {
		data := encode(t, src)
		full, _ := jpeg.Decode(bytes.NewReader(data))
		for shift := 1; shift <= 3; shift++ {
			got, err := DecodeScaled(bytes.NewReader(data), shift)
			if err != nil {
				t.Fatal(err)
			}
			f := 1 << shift
			b := src.Bounds()
			if got.Bounds() != image.Rect(0, 0, (b.Dx()+f-1)/f, (b.Dy()+f-1)/f) {
				t.Fatalf("shift %d of %v: bounds %v", shift, b, got.Bounds())
			}
			// Compare away from the ragged right/bottom edge.
			in := image.Rect(0, 0, b.Dx()/f, b.Dy()/f)
			ref := boxShrink(full, f)
			if q := lumaPSNR(got.(interface {
				SubImage(image.Rectangle) image.Image
			}).SubImage(in), ref.SubImage(in)); q < 33 {
				t.Errorf("%T %v at 1/%d: %.1f dB against a box shrink of the full decode", src, b, f, q)
			} else {
				t.Logf("%T %v at 1/%d: %.1f dB", src, b, f, q)
			}
		}
	}
}

func TestDecodeScaledRejectsBadShift(t *testing.T) {
	data := encode(t, testImage(16, 16))
	if _, err := DecodeScaled(bytes.NewReader(data), 4); err == nil {
		t.Error("shift 4 accepted")
	}
	if _, err := DecodeScaled(bytes.NewReader(data[:len(data)/2]), 1); !Truncated(err) {
		t.Errorf("truncated: %v", err)
	}
}
