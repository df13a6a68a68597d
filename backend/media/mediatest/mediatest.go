// Package mediatest generates image fixtures for tests and benchmarks, so no
// binary test images live in git.
package mediatest

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"runtime"
	"sync"
)

// PhotoLike draws a w×h picture with the statistics of a photo: smooth
// gradients (sky, light falloff), a few soft and hard-edged shapes and
// sensor-like noise. The same seed gives the same pixels.
func PhotoLike(w, h int, seed uint64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	type disc struct {
		cx, cy, r2 float64
		c          [3]float64
		soft       bool
	}
	rng := seed*0x9E3779B97F4A7C15 + 1
	next := func() float64 {
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return float64(rng>>11) / (1 << 53)
	}
	var discs []disc
	for range 14 {
		r := (0.04 + 0.16*next()) * float64(min(w, h))
		discs = append(discs, disc{next() * float64(w), next() * float64(h), r * r,
			[3]float64{255 * next(), 255 * next(), 255 * next()}, next() < 0.5})
	}
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for k := range workers {
		y0, y1 := h*k/workers, h*(k+1)/workers
		wg.Go(func() {
			s := seed ^ uint64(k+1)*0xD1B54A32D192ED03
			for y := y0; y < y1; y++ {
				fy := float64(y) / float64(h)
				row := img.Pix[y*img.Stride:]
				for x := range w {
					fx := float64(x) / float64(w)
					// Sky-to-ground gradient with a warm light from the left.
					c := [3]float64{
						90 + 120*(1-fy) + 40*math.Sin(3*fx+fy),
						120 + 90*(1-fy) + 25*math.Cos(2*fx),
						200*(1-fy) + 40*fy + 30*math.Sin(5*fy),
					}
					for _, d := range discs {
						dx, dy := float64(x)-d.cx, float64(y)-d.cy
						q := (dx*dx + dy*dy) / d.r2
						if q < 1 {
							a := 1.0
							if d.soft {
								a = 1 - q
							}
							// Texture inside shapes: fine stripes, like foliage or fabric.
							t := 18 * math.Sin(float64(x+y)*0.35)
							for i := range 3 {
								c[i] = c[i]*(1-a) + (d.c[i]+t)*a
							}
						}
					}
					s ^= s << 13
					s ^= s >> 7
					s ^= s << 17
					n := float64(int(s>>58)) - 31.5 // noise in [-31.5, 31.5], mostly small below
					n *= 0.27
					p := row[4*x : 4*x+4 : 4*x+4]
					for i := range 3 {
						p[i] = clamp(c[i] + n)
					}
					p[3] = 255
				}
			}
		})
	}
	wg.Wait()
	return img
}

func clamp(v float64) uint8 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v + 0.5)
}

// JPEG encodes img at quality q.
func JPEG(img image.Image, q int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// PNG encodes img.
func PNG(img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// WithEXIF inserts an APP1 EXIF segment right after a JPEG's SOI, holding
// the orientation tag (0x0112) and a GPS IFD with a latitude, the way
// phones write them. orientation 0 omits the tag.
func WithEXIF(jpg []byte, orientation int) []byte {
	bo := binary.BigEndian
	var t bytes.Buffer
	t.WriteString("MM")
	binary.Write(&t, bo, uint16(42))
	binary.Write(&t, bo, uint32(8)) // IFD0 offset
	entries := 1
	if orientation > 0 {
		entries++
	}
	binary.Write(&t, bo, uint16(entries))
	if orientation > 0 {
		binary.Write(&t, bo, [4]uint16{0x0112, 3, 0, 1}) // tag, SHORT, count=1 (2×uint16)
		binary.Write(&t, bo, [2]uint16{uint16(orientation), 0})
	}
	gpsOffset := uint32(8 + 2 + 12*entries + 4)
	binary.Write(&t, bo, [2]uint16{0x8825, 4}) // GPSInfo, LONG
	binary.Write(&t, bo, [2]uint32{1, gpsOffset})
	binary.Write(&t, bo, uint32(0)) // no next IFD
	// GPS IFD: GPSLatitudeRef "N", GPSLatitude 40/1 25/1 0/1 at ratOffset.
	ratOffset := gpsOffset + 2 + 12*2 + 4
	binary.Write(&t, bo, uint16(2))
	binary.Write(&t, bo, [2]uint16{0x0001, 2}) // ASCII
	binary.Write(&t, bo, uint32(2))
	t.WriteString("N\x00\x00\x00")
	binary.Write(&t, bo, [2]uint16{0x0002, 5}) // RATIONAL
	binary.Write(&t, bo, [2]uint32{3, ratOffset})
	binary.Write(&t, bo, uint32(0))
	binary.Write(&t, bo, [6]uint32{40, 1, 25, 1, 0, 1})

	seg := append([]byte("Exif\x00\x00"), t.Bytes()...)
	out := make([]byte, 0, len(jpg)+len(seg)+4)
	out = append(out, jpg[:2]...)
	out = append(out, 0xFF, 0xE1, byte((len(seg)+2)>>8), byte(len(seg)+2))
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// Solid returns a w×h image of one colour.
func Solid(w, h int, c color.NRGBA) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return img
}
