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
// 6000/f × 4000/f source exercises the same shrink-on-load as the real case.
func scaledMain(f int) []Preset {
	ps := MainPresets()
	for i := range ps {
		ps[i].Width /= f
		ps[i].Height /= f
	}
	return ps
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
	p.shrinkOnLoad = false
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
