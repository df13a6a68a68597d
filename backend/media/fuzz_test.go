package media

import (
	"bytes"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/media/mediatest"
)

// FuzzDecodeAndPresets feeds arbitrary bytes through the whole path, with
// limits capped at 4 MP / 2 MB: it must never panic, the decoder must only
// run on headers within the limits, and every success must meet its presets.
//
//	go test -run x -fuzz FuzzDecodeAndPresets -fuzztime 60s ./backend/media
func FuzzDecodeAndPresets(f *testing.F) {
	small := mediatest.PhotoLike(48, 32, 9)
	f.Add(mediatest.JPEG(small, 80))
	f.Add(mediatest.WithEXIF(mediatest.JPEG(small, 60), 6))
	f.Add(mediatest.PNG(small))
	f.Add(alphaPNG(40, 30))
	f.Add(withPNGMetadata(alphaPNG(12, 12)))
	var g bytes.Buffer
	gif.Encode(&g, small, &gif.Options{NumColors: 16})
	f.Add(g.Bytes())
	f.Add(unhex(webpLossyHex))
	f.Add(unhex(webpLosslessHex))
	f.Add(pngWithEXIF(mediatest.PNG(small), tiffOrient(6)))
	f.Add(webpWithEXIF(f, unhex(webpLossyHex), 24, 16, tiffOrient(8)))
	f.Add(pngBomb(12000, 12000))
	f.Add(jpegBomb(3000, 3000))
	f.Add(fakeHEIC())
	f.Add(fixture(f, "quad.heic")) // a grid, under 1 KB
	f.Add(fixture(f, "quad.avif"))
	f.Add([]byte{})

	const maxPixels = 4_000_000
	presets := []Preset{
		{ID: "fuzz.square", Width: 64, Height: 64, MaxBytes: 1 << 20, Formats: jpegOnly},
		{ID: "fuzz.tall", Width: 30, Height: 90, MaxBytes: 1 << 20, Formats: jpegOrPNG},
		{ID: "fuzz.within", MaxLongSide: 100, MaxBytes: 20_000, Formats: jpegOrPNG},
	}
	// One Processor, so one HEIC/AVIF decoder process per fuzz worker; a
	// decode looping on a mutated file is killed after 2 s.
	var cur []byte
	var ft *testing.T
	p := New(WithLimits(Limits{MaxBytes: 2 << 20, MaxPixels: maxPixels}), WithDecodeTimeout(2*time.Second),
		WithDecoderCacheDir(decoderCache), WithDecodeHook(func(Format, int) {
			info, err := inspect("", cur, Limits{MaxBytes: 2 << 20, MaxPixels: maxPixels})
			if err != nil || int64(info.Width)*int64(info.Height) > maxPixels {
				ft.Fatalf("decoder ran on %+v, %v", info, err)
			}
		}))
	f.Cleanup(p.Close)
	f.Fuzz(func(t *testing.T, data []byte) {
		cur, ft = data, t
		res, err := p.Render(bg, "", data, reqs(FocalPoint{0.3, 0.8}, presets...))
		if err != nil {
			if e := backend.AsError(err); e.Code != backend.EInvalid || e.Key == "internal" {
				t.Fatalf("unexpected error kind: %v (%+v)", err, e)
			}
			return
		}
		for i, o := range res.Outputs {
			pr := presets[i]
			if pr.Fill() && (o.Width != pr.Width || o.Height != pr.Height) {
				t.Fatalf("%s: %d×%d", pr.ID, o.Width, o.Height)
			}
			if !pr.Fill() && (max(o.Width, o.Height) > 100 || o.Width < 1 || o.Height < 1) {
				t.Fatalf("%s: %d×%d", pr.ID, o.Width, o.Height)
			}
			if o.Bytes > pr.MaxBytes {
				t.Fatalf("%s: %d bytes", pr.ID, o.Bytes)
			}
			var err error
			if o.Format == PNG {
				_, err = png.Decode(bytes.NewReader(o.Data))
			} else {
				_, err = jpeg.Decode(bytes.NewReader(o.Data))
			}
			if err != nil {
				t.Fatalf("%s: output does not decode: %v", pr.ID, err)
			}
		}
	})
}
