package media

import (
	"bytes"
	"encoding/binary"
	"image"
	"testing"

	"github.com/disintegration/imaging"

	"pauta/backend/media/mediatest"
)

// tiffOrient is a minimal big-endian TIFF structure holding only the
// orientation tag, as PNG eXIf and WebP EXIF chunks carry it.
func tiffOrient(o int) []byte {
	var t bytes.Buffer
	t.WriteString("MM\x00\x2a")
	binary.Write(&t, binary.BigEndian, uint32(8))
	binary.Write(&t, binary.BigEndian, uint16(1))
	binary.Write(&t, binary.BigEndian, [4]uint16{0x0112, 3, 0, 1})
	binary.Write(&t, binary.BigEndian, [2]uint16{uint16(o), 0})
	binary.Write(&t, binary.BigEndian, uint32(0))
	return t.Bytes()
}

// pngWithEXIF inserts an eXIf chunk right after the IHDR.
func pngWithEXIF(p []byte, exif []byte) []byte {
	ihdrEnd := 8 + 4 + 4 + 13 + 4
	out := append([]byte{}, p[:ihdrEnd]...)
	out = append(out, pngChunk("eXIf", exif)...)
	return append(out, p[ihdrEnd:]...)
}

// webpWithEXIF turns a simple (VP8 or VP8L) WebP into the extended format
// with an EXIF chunk after the image data, as cameras and editors write it.
func webpWithEXIF(t testing.TB, simple []byte, w, h int, exif []byte) []byte {
	t.Helper()
	if string(simple[:4]) != "RIFF" || string(simple[8:12]) != "WEBP" {
		t.Fatal("not a WebP")
	}
	chunk := func(typ string, data []byte) []byte {
		var b bytes.Buffer
		b.WriteString(typ)
		binary.Write(&b, binary.LittleEndian, uint32(len(data)))
		b.Write(data)
		if len(data)%2 == 1 {
			b.WriteByte(0)
		}
		return b.Bytes()
	}
	vp8x := make([]byte, 10)
	vp8x[0] = 0x08 // EXIF present
	put24 := func(b []byte, v int) { b[0], b[1], b[2] = byte(v), byte(v>>8), byte(v>>16) }
	put24(vp8x[4:], w-1)
	put24(vp8x[7:], h-1)
	body := []byte("WEBP")
	body = append(body, chunk("VP8X", vp8x)...)
	body = append(body, simple[12:]...) // the image chunk as it was
	body = append(body, chunk("EXIF", exif)...)
	var out bytes.Buffer
	out.WriteString("RIFF")
	binary.Write(&out, binary.LittleEndian, uint32(len(body)))
	out.Write(body)
	return out.Bytes()
}

// A PNG's eXIf orientation is applied like a JPEG's, for all eight values.
func TestPNGEXIFOrientation(t *testing.T) {
	const w, h = 160, 120
	upright := markerImage(w, h)
	within := Preset{ID: "test.within", Formats: []Format{JPEG, PNG}}
	p := New()
	for o := 1; o <= 8; o++ {
		data := pngWithEXIF(mediatest.PNG(storedAs(upright, o)), tiffOrient(o))
		res, err := p.Render(bg, "o.png", data, reqs(Centre(), within))
		if err != nil {
			t.Fatalf("orientation %d: %v", o, err)
		}
		if res.Info.Orientation != o || res.Info.Width != w || res.Info.Height != h {
			t.Errorf("orientation %d: info %+v", o, res.Info)
		}
		img := decodeOut(t, res.Outputs[0])
		if img.Bounds().Dx() != w || img.Bounds().Dy() != h {
			t.Fatalf("orientation %d: output %v", o, img.Bounds())
		}
		if c := img.At(8, 8); !near(c, red, 10) {
			t.Errorf("orientation %d: top left is %v, want red", o, c)
		}
		if c := img.At(w-8, 8); !near(c, green, 10) {
			t.Errorf("orientation %d: top right is %v, want green", o, c)
		}
		if bytes.Contains(outBytes(t, res.Outputs[0]), []byte("eXIf")) {
			t.Errorf("orientation %d: the output keeps the eXIf chunk", o)
		}
	}
	// "Exif\0\0" before the TIFF header (some writers) is read too.
	data := pngWithEXIF(mediatest.PNG(storedAs(upright, 6)), append([]byte("Exif\x00\x00"), tiffOrient(6)...))
	if info, err := p.Inspect("o.png", data); err != nil || info.Orientation != 6 || info.Width != w {
		t.Errorf("prefixed eXIf: %+v %v", info, err)
	}
}

// A WebP's EXIF chunk orientation is applied: the 24×16 picture turned by
// orientation 6 (90° clockwise) comes out 16×24, equal to rotating it.
func TestWebPEXIFOrientation(t *testing.T) {
	plain := unhex(webpLossyHex)
	within := Preset{ID: "test.within", Formats: []Format{JPEG, PNG}}
	p := New()
	ref, err := p.Render(bg, "plain.webp", plain, reqs(Centre(), within))
	if err != nil {
		t.Fatal(err)
	}
	refImg := imaging.Clone(decodeOut(t, ref.Outputs[0]))
	for _, o := range []int{1, 3, 6, 8} {
		data := webpWithEXIF(t, plain, 24, 16, tiffOrient(o))
		res, err := p.Render(bg, "o.webp", data, reqs(Centre(), within))
		if err != nil {
			t.Fatalf("orientation %d: %v", o, err)
		}
		wantW, wantH := orientedSize(24, 16, o)
		if res.Info.Orientation != o || res.Info.Width != wantW || res.Info.Height != wantH {
			t.Errorf("orientation %d: info %+v", o, res.Info)
		}
		got := decodeOut(t, res.Outputs[0])
		want := orient(refImg, o)
		if got.Bounds().Size() != want.Bounds().Size() {
			t.Fatalf("orientation %d: %v, want %v", o, got.Bounds().Size(), want.Bounds().Size())
		}
		if d := psnr(got, want); d < 30 {
			t.Errorf("orientation %d: %.1f dB from the rotated picture", o, d)
		}
		if bytes.Contains(outBytes(t, res.Outputs[0]), []byte("EXIF")) || bytes.Contains(outBytes(t, res.Outputs[0]), []byte("Exif")) {
			t.Errorf("orientation %d: metadata in the output", o)
		}
	}
}

var _ image.Image = (*image.NRGBA)(nil)
