package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/disintegration/imaging"

	"pauta/backend"
	"pauta/backend/media/mediatest"
)

// Fixtures are generated here; no binary test images live in git. The two
// WebP files are tiny hex literals written by ImageMagick 6.9 (Go has no
// WebP encoder): a 24×16 lossy gradient and an 8×8 lossless half-transparent blue.
const (
	webpLossyHex    = "5249464660000000574542505650382054000000d003009d012a180010003e6d2c9245a422a19804004006c4b6004e8d701fe02e3fc0792015f73c00fef43ebc00989f329a990fffd69b2bf6f26bffb846147fff7399eea2b5b2175d40602045c824a0593c000000"
	webpLosslessHex = "524946461c000000574542505650384c0f0000002f07c001100710d1fffe0522a2ff0100"
)

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

var (
	red   = color.NRGBA{255, 0, 0, 255}
	green = color.NRGBA{0, 255, 0, 255}
	white = color.NRGBA{255, 255, 255, 255}
)

// markerImage is an upright w×h white picture with a red block in the top
// left corner and a green one in the top right.
func markerImage(w, h int) *image.NRGBA {
	img := mediatest.Solid(w, h, white)
	bw, bh := w/4, h/4
	draw.Draw(img, image.Rect(0, 0, bw, bh), image.NewUniform(red), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(w-bw, 0, w, bh), image.NewUniform(green), image.Point{}, draw.Src)
	return img
}

// storedAs returns how a camera would store upright img under EXIF
// orientation o: the inverse of what the viewer applies.
func storedAs(img *image.NRGBA, o int) *image.NRGBA {
	switch o {
	case 2:
		return imaging.FlipH(img)
	case 3:
		return imaging.Rotate180(img)
	case 4:
		return imaging.FlipV(img)
	case 5:
		return imaging.Transpose(img)
	case 6:
		return imaging.Rotate90(img)
	case 7:
		return imaging.Transverse(img)
	case 8:
		return imaging.Rotate270(img)
	}
	return img
}

func photoJPEG(w, h int, seed uint64) []byte {
	return mediatest.JPEG(mediatest.PhotoLike(w, h, seed), 90)
}

// noiseJPEG is white noise: the worst case for a byte limit.
func noiseJPEG(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		if i%4 == 3 {
			img.Pix[i] = 255
		} else {
			img.Pix[i] = uint8(r.Uint32())
		}
	}
	return mediatest.JPEG(img, 90)
}

// alphaPNG is a transparent w×h PNG with an opaque red disc in the middle.
func alphaPNG(w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			dx, dy := float64(x-w/2), float64(y-h/2)
			if math.Hypot(dx, dy) < float64(min(w, h))/4 {
				img.SetNRGBA(x, y, red)
			}
		}
	}
	return mediatest.PNG(img)
}

func pngChunk(typ string, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint32(len(data)))
	b.WriteString(typ)
	b.Write(data)
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	binary.Write(&b, binary.BigEndian, crc.Sum32())
	return b.Bytes()
}

// withPNGMetadata inserts tEXt and eXIf chunks after a PNG's IHDR.
func withPNGMetadata(p []byte) []byte {
	ihdrEnd := 8 + 4 + 4 + 13 + 4
	exif := []byte("MM\x00\x2a\x00\x00\x00\x08\x00\x00")
	out := append([]byte{}, p[:ihdrEnd]...)
	out = append(out, pngChunk("tEXt", []byte("Comment\x00shot at home, 40.4N 3.7W"))...)
	out = append(out, pngChunk("eXIf", exif)...)
	return append(out, p[ihdrEnd:]...)
}

// pngBomb is a valid PNG header announcing w×h RGBA pixels with a tiny IDAT.
func pngBomb(w, h int) []byte {
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	b := []byte("\x89PNG\r\n\x1a\n")
	b = append(b, pngChunk("IHDR", ihdr[:])...)
	b = append(b, pngChunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(b, pngChunk("IEND", nil)...)
}

// jpegBomb is a JPEG header (SOI, SOF0) announcing w×h, then EOI.
func jpegBomb(w, h int) []byte {
	app0 := []byte{0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0}
	sof := []byte{0xFF, 0xC0, 0, 17, 8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), 3,
		1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1}
	b := append([]byte{0xFF, 0xD8}, app0...)
	b = append(b, sof...)
	return append(b, 0xFF, 0xD9)
}

// fakeHEIC is the start of an iPhone HEIC file.
func fakeHEIC() []byte {
	b := []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic")
	return append(b, make([]byte, 64)...)
}

func decodeOut(t testing.TB, o Output) image.Image {
	t.Helper()
	b := outBytes(t, o)
	var img image.Image
	var err error
	if o.Format == PNG {
		img, err = png.Decode(bytes.NewReader(b))
	} else {
		img, err = jpeg.Decode(bytes.NewReader(b))
	}
	if err != nil {
		t.Fatalf("%s: output does not decode: %v", o.PresetID, err)
	}
	if img.Bounds().Dx() != o.Width || img.Bounds().Dy() != o.Height {
		t.Fatalf("%s: output is %v, reported %d×%d", o.PresetID, img.Bounds().Size(), o.Width, o.Height)
	}
	return img
}

func outBytes(t testing.TB, o Output) []byte {
	t.Helper()
	if o.Data != nil {
		return o.Data
	}
	b, err := os.ReadFile(o.Path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func near(c color.Color, want color.NRGBA, tol int) bool {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	d := func(a, b uint8) bool { return abs(int(a)-int(b)) <= tol }
	return d(n.R, want.R) && d(n.G, want.G) && d(n.B, want.B) && d(n.A, want.A)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func reqs(f FocalPoint, ps ...Preset) []Request {
	var r []Request
	for _, p := range ps {
		r = append(r, Request{Preset: p, Focal: f})
	}
	return r
}

func mustPreset(t testing.TB, id string) Preset {
	t.Helper()
	p, ok := PresetByID(id)
	if !ok {
		t.Fatalf("no preset %s", id)
	}
	return p
}

func errKey(err error) string {
	if err == nil {
		return ""
	}
	return backend.AsError(err).Key
}

var bg = context.Background()

// psnr compares two same-size images on RGB.
func psnr(a, b image.Image) float64 {
	r := a.Bounds()
	var se float64
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p := color.NRGBAModel.Convert(a.At(x, y)).(color.NRGBA)
			q := color.NRGBAModel.Convert(b.At(x-r.Min.X+b.Bounds().Min.X, y-r.Min.Y+b.Bounds().Min.Y)).(color.NRGBA)
			for _, d := range []int{int(p.R) - int(q.R), int(p.G) - int(q.G), int(p.B) - int(q.B)} {
				se += float64(d * d)
			}
			n += 3
		}
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(se/float64(n)))
}
