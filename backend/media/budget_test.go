package media

import (
	"context"
	"encoding/binary"
	"image"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/disintegration/imaging"

	"pauta/backend"
	"pauta/backend/media/mediatest"
)

// A 16-bit 10000×10000 PNG compresses to under 1 MB but decodes to 800 MB:
// it is refused from its header, before any decode, with what to do.
func TestRenderRefuses16BitPNGOverTheDecodeBudget(t *testing.T) {
	data := mediatest.FlatPNG(10000, 10000, 16, 2)
	if len(data) > 2<<20 {
		t.Fatalf("fixture is %d bytes, want a small file", len(data))
	}
	var decodes atomic.Int32
	p := New(WithDecodeHook(func(Format, int) { decodes.Add(1) }))
	start := time.Now()
	_, err := p.Render(context.Background(), "poster.png", data, reqs(Centre(), Preset{ID: "t", MaxLongSide: 480, Formats: []Format{JPEG}}))
	e := backend.AsError(err)
	if e == nil || e.Key != "media.too_large_to_decode" || e.Code != backend.EInvalid {
		t.Fatalf("got %v, want media.too_large_to_decode", err)
	}
	if e.Params["bits"] != "16" || e.Params["width"] != "10000" || e.Params["max"] != "256" {
		t.Errorf("params %v", e.Params)
	}
	if decodes.Load() != 0 {
		t.Error("the image was decoded")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("refusing took %v", d)
	}
	if _, err := p.Inspect("poster.png", data); errKey(err) != "media.too_large_to_decode" {
		t.Errorf("Inspect: %v", err)
	}
	// A 16-bit PNG within the budget still opens.
	small := mediatest.FlatPNG(1500, 1000, 16, 2)
	if _, err := p.Render(context.Background(), "ok.png", small, reqs(Centre(), Preset{ID: "t", MaxLongSide: 480, Formats: []Format{JPEG}})); err != nil {
		t.Errorf("1500×1000 16-bit: %v", err)
	}
}

// A JPEG that does not fit the budget at the shrink its presets want is
// shrunk more instead of refused. image/jpeg always holds the full-size
// planes, so only the shrunk image and its resizes get smaller.
func TestRenderDecodesJPEGSmallerToFitTheBudget(t *testing.T) {
	data := photoJPEG(2000, 2000, 3)
	thumb := Preset{ID: "t", MaxLongSide: 480, Formats: []Format{JPEG}}
	full := MastodonPreset(InstanceLimits{}) // 2000×2000 as is
	for _, c := range []struct {
		preset Preset
		budget int64
		scale  int
	}{
		{thumb, 0, 2}, {full, 0, 1},
		// 22 MB at full size (planes 6, NRGBA 16); shrunk by 5, the 400×400
		// image and its upscale need 19.8 MB (by 4, 21): the first integer
		// factor that fits, where powers of two went to ⅛.
		{full, 19 << 20, 5},
	} {
		var scale int
		p := New(WithLimits(Limits{MaxDecodeBytes: c.budget}), WithDecodeHook(func(_ Format, s int) { scale = s }))
		res, err := p.Render(context.Background(), "a.jpg", data, reqs(Centre(), c.preset))
		if err != nil {
			t.Fatalf("%s, budget %d: %v", c.preset.ID, c.budget, err)
		}
		if scale != c.scale {
			t.Errorf("%s, budget %d: decoded at 1/%d, want 1/%d", c.preset.ID, c.budget, scale, c.scale)
		}
		want, _ := outputSize(2000, 2000, c.preset)
		if o := res.Outputs[0]; o.Width != want || o.Height != want {
			t.Errorf("%s, budget %d: output %d×%d", c.preset.ID, c.budget, o.Width, o.Height)
		}
	}
	// Too small a budget even for the full-size planes (6 MB): refused, not decoded.
	p := New(WithLimits(Limits{MaxDecodeBytes: 4 << 20}))
	if _, err := p.Render(context.Background(), "a.jpg", data, reqs(Centre(), thumb)); errKey(err) != "media.too_large_to_decode" {
		t.Errorf("tiny budget: %v", err)
	}
}

// Over the budget with two presets resizing at once, they take turns.
func TestRenderTakesPresetsInTurnToFitTheBudget(t *testing.T) {
	data := mediatest.FlatPNG(2400, 2400, 8, 2)
	a := Preset{ID: "a", MaxLongSide: 2000, Formats: []Format{JPEG}}
	b := Preset{ID: "b", Width: 1080, Height: 1920, Formats: []Format{JPEG}}
	p := New()
	info, err := p.Inspect("", data)
	if err != nil {
		t.Fatal(err)
	}
	rs := reqs(Centre(), a, b)
	one, two := decodeCost(info, 1, 1, rs, []int{0, 1}), decodeCost(info, 1, 2, rs, []int{0, 1})
	if one >= two {
		t.Fatalf("cost with one resize at a time %d, with two %d", one, two)
	}
	p = New(WithLimits(Limits{MaxDecodeBytes: one}))
	res, err := p.Render(context.Background(), "", data, rs)
	if err != nil {
		t.Fatalf("budget %d (two at once need %d): %v", one, two, err)
	}
	if res.Outputs[0].Width != 2000 || res.Outputs[1].Width != 1080 {
		t.Errorf("outputs %+v", res.Outputs)
	}
}

// The header shapes the estimate: progressive JPEGs keep every coefficient,
// 4:2:0 chroma is a quarter, grey is one plane.
func TestJPEGFrame(t *testing.T) {
	prog, s := jpegFrame(photoJPEG(64, 64, 1)) // image/jpeg writes baseline 4:2:0
	if prog || s != 1.5 {
		t.Errorf("baseline 4:2:0: progressive %v, samples %v", prog, s)
	}
	gray := image.NewGray(image.Rect(0, 0, 16, 16))
	if prog, s := jpegFrame(mediatest.JPEG(gray, 90)); prog || s != 1 {
		t.Errorf("grey: progressive %v, samples %v", prog, s)
	}
	sof2 := append([]byte(nil), photoJPEG(64, 64, 1)...)
	for i := 2; i+1 < len(sof2); i++ {
		if sof2[i] == 0xFF && sof2[i+1] == 0xC0 {
			sof2[i+1] = 0xC2
			break
		}
	}
	if prog, _ := jpegFrame(sof2); !prog {
		t.Error("SOF2 not seen as progressive")
	}
	if prog, s := jpegFrame([]byte{0xFF, 0xD8, 0xFF}); !prog || s != 4 {
		t.Errorf("truncated header: %v %v, want the worst case", prog, s)
	}
}

// Converting in place gives exactly what imaging's copy gives.
func TestNRGBAInPlaceMatchesImaging(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const w, h = 37, 23
	fill := func(pix []uint8, bpp int, premul bool) {
		for i := 0; i < len(pix); i += bpp {
			for k := range bpp {
				pix[i+k] = uint8(r.IntN(256))
			}
			a := pix[i+bpp-bpp/4]
			switch r.IntN(4) {
			case 0:
				a = 0
			case 1:
				a = 0xFF
			}
			if bpp == 8 {
				av := uint16(a)<<8 | uint16(r.IntN(256))
				if a == 0 {
					av = 0
				}
				for k := 0; k < 6; k += 2 {
					v := uint16(pix[i+k])<<8 | uint16(pix[i+k+1])
					if premul && v > av {
						v = av
					}
					pix[i+k], pix[i+k+1] = uint8(v>>8), uint8(v)
				}
				pix[i+6], pix[i+7] = uint8(av>>8), uint8(av)
			} else {
				for k := range 3 {
					if premul && pix[i+k] > a {
						pix[i+k] = a
					}
				}
				pix[i+3] = a
			}
		}
	}
	rgba := image.NewRGBA(image.Rect(0, 0, w, h))
	fill(rgba.Pix, 4, true)
	rgba64 := image.NewRGBA64(image.Rect(0, 0, w, h))
	fill(rgba64.Pix, 8, true)
	nrgba64 := image.NewNRGBA64(image.Rect(0, 0, w, h))
	fill(nrgba64.Pix, 8, false)
	for _, src := range []image.Image{rgba, rgba64, nrgba64} {
		want := imaging.Clone(src)
		got, ok := nrgbaInPlace(src)
		if !ok {
			t.Fatalf("%T not converted", src)
		}
		if got.Rect != want.Rect || string(got.Pix) != string(want.Pix) {
			t.Errorf("%T: in-place conversion differs from imaging.Clone", src)
		}
	}
	if _, ok := nrgbaInPlace(image.NewGray(image.Rect(0, 0, 2, 2))); ok {
		t.Error("grey converted in place")
	}
	off := image.NewRGBA(image.Rect(1, 1, 3, 3))
	if _, ok := nrgbaInPlace(off); ok {
		t.Error("an image not at the origin converted in place")
	}
}

// Decodes wait for each other's bytes: never more than the budget in flight,
// and a cancelled wait gives nothing away.
func TestMemBudgetWaitsAndCancels(t *testing.T) {
	b := newMemBudget(100)
	ctx := context.Background()
	if err := b.acquire(ctx, 70); err != nil {
		t.Fatal(err)
	}
	got := make(chan struct{})
	go func() {
		if err := b.acquire(ctx, 50); err == nil {
			close(got)
		}
	}()
	select {
	case <-got:
		t.Fatal("120 of 100 bytes granted at once")
	case <-time.After(50 * time.Millisecond):
	}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if err := b.acquire(short, 60); err == nil {
		t.Fatal("a wait past its context succeeded")
	}
	b.release(70)
	select {
	case <-got:
	case <-time.After(2 * time.Second):
		t.Fatal("the waiter was not woken by the release")
	}
	b.release(50)
	if b.free != 100 || len(b.waiters) != 0 {
		t.Errorf("free %d, waiters %d after all released", b.free, len(b.waiters))
	}
}

// A 48-MP JPEG (8000×6000, 4:2:0) fits the default budget: its 72 MB of
// planes are collected before the resizes, so they do not add to them.
func TestInspectLets48MPJPEGIn(t *testing.T) {
	data := append([]byte(nil), photoJPEG(16, 16, 1)...)
	for i := 2; i+8 < len(data); i++ {
		if data[i] == 0xFF && data[i+1] == 0xC0 { // SOF0: length, precision, height, width
			binary.BigEndian.PutUint16(data[i+5:], 6000)
			binary.BigEndian.PutUint16(data[i+7:], 8000)
			break
		}
	}
	info, err := New().Inspect("big.jpg", data)
	if err != nil {
		t.Fatal(err)
	}
	if info.Width != 8000 || info.Height != 6000 {
		t.Fatalf("header read as %d×%d", info.Width, info.Height)
	}
}
