package media

import (
	"bytes"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"runtime"
	"testing"

	"pauta/backend"
	"pauta/backend/media/mediatest"
)

func TestDetectFormat(t *testing.T) {
	small := photoJPEG(16, 16, 1)
	for _, c := range []struct {
		data []byte
		want Format
	}{
		{small, JPEG},
		{mediatest.PNG(markerImage(8, 8)), PNG},
		{[]byte("GIF89a\x01\x00\x01\x00"), GIF},
		{unhex(webpLossyHex), WebP},
		{fakeHEIC(), HEIC},
		{[]byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf"), AVIF},
		{[]byte("\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic"), HEIC},
		{[]byte("BM\x00\x00\x00\x00"), BMP},
		{[]byte("II*\x00\x08\x00"), TIFF},
		{[]byte("%PDF-1.7"), Unknown},
		{nil, Unknown},
	} {
		if got := DetectFormat(c.data); got != c.want {
			t.Errorf("DetectFormat(%q…) = %s, want %s", c.data[:min(len(c.data), 12)], got, c.want)
		}
	}
}

func TestInspectRefusesClearly(t *testing.T) {
	photo := photoJPEG(64, 48, 1)
	pngData := mediatest.PNG(markerImage(16, 16))
	p := New(WithLimits(Limits{MaxBytes: 200_000, MaxPixels: 1_000_000}))
	for _, c := range []struct {
		name, file string
		data       []byte
		key        string
		params     map[string]string
	}{
		{"zero bytes", "a.jpg", nil, "media.empty", nil},
		{"too large", "a.jpg", make([]byte, 200_001), "media.too_large", map[string]string{"max": "200000"}},
		{"truncated", "a.jpg", photo[:len(photo)/2], "media.corrupt", map[string]string{"reason": "truncated"}},
		{"header only", "a.jpg", photo[:3], "media.corrupt", nil},
		{"png named jpg", "photo.jpg", pngData, "media.type_mismatch", map[string]string{"ext": "jpeg", "actual": "png"}},
		{"jpeg named webp", "x.WEBP", photo, "media.type_mismatch", map[string]string{"actual": "jpeg"}},
		{"heic without its boxes", "IMG_0001.HEIC", fakeHEIC(), "media.corrupt", nil},
		{"heic named jpg", "IMG_0001.jpg", fakeHEIC(), "media.type_mismatch", map[string]string{"ext": "jpeg", "actual": "heic"}},
		{"bmp", "a.bmp", []byte("BM\x00\x00\x00\x00\x00\x00"), "media.unsupported", map[string]string{"type": "bmp"}},
		{"pdf", "a.pdf", []byte("%PDF-1.7 ..."), "media.unsupported", map[string]string{"type": "unknown"}},
		{"corrupt png", "a.png", pngData[:20], "media.corrupt", nil},
		{"png bomb", "bomb.png", pngBomb(12000, 12000), "media.too_many_pixels", map[string]string{"width": "12000", "height": "12000"}},
		{"jpeg bomb", "bomb.jpg", jpegBomb(12000, 12000), "media.too_many_pixels", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			// Render: Inspect reads headers only; a truncated body shows at decode.
			tiny := Preset{ID: "test.tiny", Width: 32, Height: 32, Formats: jpegOnly}
			_, err := p.Render(bg, c.file, c.data, reqs(Centre(), tiny))
			e := backend.AsError(err)
			if err == nil || e.Key != c.key || e.Code != backend.EInvalid {
				t.Fatalf("got %v (key %q), want key %s", err, errKey(err), c.key)
			}
			for k, v := range c.params {
				if e.Params[k] != v {
					t.Errorf("param %s = %q, want %q (%v)", k, e.Params[k], v, e.Params)
				}
			}
		})
	}
	// Without a name, content decides: the PNG is fine.
	if info, err := p.Inspect("", pngData); err != nil || info.Format != PNG {
		t.Errorf("nameless PNG: %+v %v", info, err)
	}
	// An extension we do not know is not a lie.
	if _, err := p.Inspect("download.bin", photo); err != nil {
		t.Errorf("unknown extension: %v", err)
	}
}

func TestDefaultLimitsRefuse144MP(t *testing.T) {
	_, err := New().Inspect("bomb.png", pngBomb(12000, 12000))
	if errKey(err) != "media.too_many_pixels" {
		t.Fatalf("144 MP against the 100 MP default: %v", err)
	}
}

// A 144-MP header must be refused before any pixel buffer exists: the
// decode hook never runs and the whole call allocates a few kilobytes, not
// the 576 MB a decode would.
func TestBombRefusedBeforeDecode(t *testing.T) {
	decodes := 0
	p := New(WithDecodeHook(func(Format, int) { decodes++ }))
	sq := mustPreset(t, "instagram.square")
	for _, bomb := range [][]byte{pngBomb(12000, 12000), jpegBomb(12000, 12000)} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := p.Render(bg, "", bomb, reqs(Centre(), sq))
		runtime.ReadMemStats(&after)
		if errKey(err) != "media.too_many_pixels" {
			t.Fatalf("bomb: %v", err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
			t.Errorf("refusing a bomb allocated %d bytes", alloc)
		}
	}
	allocs := testing.AllocsPerRun(5, func() { p.Render(bg, "", pngBomb(12000, 12000), reqs(Centre(), sq)) })
	if allocs > 100 {
		t.Errorf("%v allocations to refuse a bomb", allocs)
	}
	if decodes != 0 {
		t.Errorf("decoder ran %d times on bombs", decodes)
	}
}

func TestOrientationApplied(t *testing.T) {
	const w, h = 160, 120
	upright := markerImage(w, h)
	within := Preset{ID: "test.within", Formats: []Format{JPEG}}
	square := Preset{ID: "test.square", Width: 90, Height: 90, Formats: []Format{JPEG}}
	p := New()
	for o := 1; o <= 8; o++ {
		data := mediatest.WithEXIF(mediatest.JPEG(storedAs(upright, o), 95), o)
		res, err := p.Render(bg, "o.jpg", data, reqs(FocalPoint{0, 0}, within, square))
		if err != nil {
			t.Fatalf("orientation %d: %v", o, err)
		}
		if res.Info.Orientation != o || res.Info.Width != w || res.Info.Height != h {
			t.Errorf("orientation %d: info %+v", o, res.Info)
		}
		full := res.Outputs[0]
		if full.Width != w || full.Height != h {
			t.Errorf("orientation %d: output %d×%d, want %d×%d", o, full.Width, full.Height, w, h)
		}
		img := decodeOut(t, full)
		if c := img.At(8, 8); !near(c, red, 40) {
			t.Errorf("orientation %d: top left is %v, want red", o, c)
		}
		if c := img.At(w-8, 8); !near(c, green, 40) {
			t.Errorf("orientation %d: top right is %v, want green", o, c)
		}
		if c := img.At(8, h-8); !near(c, white, 20) {
			t.Errorf("orientation %d: bottom left is %v, want white", o, c)
		}
		// The square crop anchored at the top left keeps the red corner.
		if c := decodeOut(t, res.Outputs[1]).At(4, 4); !near(c, red, 40) {
			t.Errorf("orientation %d: cropped top left is %v, want red", o, c)
		}
	}
}

func TestGIFFirstFrameNote(t *testing.T) {
	frame := func(c color.Color) *image.Paletted {
		m := image.NewPaletted(image.Rect(0, 0, 40, 30), palette.Plan9)
		for i := range m.Pix {
			m.Pix[i] = uint8(m.Palette.Index(c))
		}
		return m
	}
	var anim, still bytes.Buffer
	if err := gif.EncodeAll(&anim, &gif.GIF{Image: []*image.Paletted{frame(red), frame(green)}, Delay: []int{10, 10}}); err != nil {
		t.Fatal(err)
	}
	if err := gif.Encode(&still, frame(green), nil); err != nil {
		t.Fatal(err)
	}
	p := New()
	x := mustPreset(t, "x.landscape")
	res, err := p.Render(bg, "a.gif", anim.Bytes(), reqs(Centre(), x))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Info.Animated || !contains(res.Notes, NoteGIFFirstFrame) {
		t.Errorf("animated GIF: info %+v notes %v", res.Info, res.Notes)
	}
	if c := decodeOut(t, res.Outputs[0]).At(800, 450); !near(c, red, 30) {
		t.Errorf("not the first frame: %v", c)
	}
	res, err = p.Render(bg, "b.gif", still.Bytes(), reqs(Centre(), x))
	if err != nil || res.Info.Animated || contains(res.Notes, NoteGIFFirstFrame) {
		t.Errorf("still GIF: %+v %v", res, err)
	}
}

func TestWebPAccepted(t *testing.T) {
	p := New()
	threads := mustPreset(t, "threads.square")
	res, err := p.Render(bg, "a.webp", unhex(webpLossyHex), reqs(Centre(), threads))
	if err != nil || res.Info.Width != 24 || res.Info.Height != 16 {
		t.Fatalf("lossy webp: %+v %v", res.Info, err)
	}
	if o := res.Outputs[0]; o.Format != JPEG || o.Width != 1080 || o.Height != 1080 || !o.Upscaled {
		t.Errorf("lossy webp output %+v", o)
	}
	res, err = p.Render(bg, "b.webp", unhex(webpLosslessHex), reqs(Centre(), threads))
	if err != nil {
		t.Fatal(err)
	}
	if o := res.Outputs[0]; o.Format != PNG {
		t.Errorf("half-transparent webp on a PNG network became %s", o.Format)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
