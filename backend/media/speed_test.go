package media

import (
	"bytes"
	"image/jpeg"
	"os"
	"sync"
	"testing"

	"pauta/backend/media/mediatest"
)

// scaledMain is MainPresets at 1/f of their size: the same ratios, so a
// 6000/f × 4000/f source exercises the same ½-scale decode as the real case.
func scaledMain(f int) []Preset {
	ps := MainPresets()
	for i := range ps {
		ps[i].Width /= f
		ps[i].Height /= f
	}
	return ps
}

// The DCT-domain ½-scale decode must look like the plain path: full decode,
// then resize. The issue asks for ≥ 38 dB PSNR on every preset.
func TestScaledDecodeQuality(t *testing.T) {
	if raceEnabled {
		t.Skip("pixel quality, not concurrency: runs without -race")
	}
	w, h, f := 1500, 1000, 4
	if !testing.Short() {
		w, h, f = 6000, 4000, 1 // the bench image itself
	}
	src := photoJPEG(w, h, 7)
	check := func(presets []Preset, focal FocalPoint, wantScale int, minDB float64) {
		var scale int
		fast := New(WithDecodeHook(func(_ Format, s int) { scale = s }))
		plain := New()
		plain.scaledDecode = false
		a, err := fast.Render(bg, "", src, reqs(focal, presets...))
		if err != nil {
			t.Fatal(err)
		}
		if scale != wantScale {
			t.Fatalf("decoded at 1/%d, want 1/%d", scale, wantScale)
		}
		b, err := plain.Render(bg, "", src, reqs(focal, presets...))
		if err != nil {
			t.Fatal(err)
		}
		for i := range a.Outputs {
			q := psnr(decodeOut(t, a.Outputs[i]), decodeOut(t, b.Outputs[i]))
			t.Logf("%s at 1/%d: %.1f dB", a.Outputs[i].PresetID, scale, q)
			if q < minDB {
				t.Errorf("%s: %.1f dB against the full decode, want ≥ %.0f", a.Outputs[i].PresetID, q, minDB)
			}
		}
	}
	check(scaledMain(f), FocalPoint{0.4, 0.6}, 2, 38)
	// Presets a sixth of the crop or smaller let the decoder go to ¼. Their
	// outputs are tiny (≤ 120 px) and noisy; measured 37.0–45 dB.
	check(scaledMain(f*4), Centre(), 4, 36)
}

// BenchmarkPresets24MP is the speed goal: the five main presets from
// one 24-MP photo-like JPEG (q90), JPEG q85. Compare with bench/media/run.sh.
func BenchmarkPresets24MP(b *testing.B) {
	data := bench24MP(b)
	p := New()
	rs := reqs(Centre(), MainPresets()...)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := p.Render(bg, "", data, rs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPresets24MPPlain is the same work with a full-size decode, for comparison.
func BenchmarkPresets24MPPlain(b *testing.B) {
	data := bench24MP(b)
	p := New()
	p.scaledDecode = false
	rs := reqs(Centre(), MainPresets()...)
	for b.Loop() {
		if _, err := p.Render(bg, "", data, rs); err != nil {
			b.Fatal(err)
		}
	}
}

var bench24 = sync.OnceValue(func() []byte {
	// The bench's image when run.sh has made it, else the same generator.
	if b, err := os.ReadFile("../../bench/out/photo-24mp.jpg"); err == nil {
		return b
	}
	return mediatest.JPEG(mediatest.PhotoLike(6000, 4000, 1), 90)
})

func bench24MP(b *testing.B) []byte {
	data := bench24()
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(data)); err != nil || cfg.Width*cfg.Height != 24_000_000 {
		b.Fatalf("bench image: %+v %v", cfg, err)
	}
	return data
}
