package edit

import (
	"bytes"
	"errors"
	"flag"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font/gofont/gomono"

	"pauta/backend"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/golden")

// photo is a deterministic stand-in for a photograph: gradients, a disc and
// stripes, so turns, flips, crops and colour changes all show.
func photo(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{uint8(255 * x / w), uint8(255 * y / h), 140, 255}
			dx, dy := float64(x-w/3), float64(y-h/3)
			if dx*dx+dy*dy < float64(h*h)/36 {
				c = color.NRGBA{240, 200, 40, 255}
			}
			if x*16/w%2 == 0 && y > h*3/4 {
				c = color.NRGBA{30, 30, 30, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// logo is a 120×60 mark with a transparent background and a half-opaque band.
func logo() *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, 120, 60))
	for y := range 60 {
		for x := range 120 {
			switch {
			case (x-30)*(x-30)+(y-30)*(y-30) < 400:
				img.SetNRGBA(x, y, color.NRGBA{200, 20, 60, 255})
			case x > 60 && y > 20 && y < 40:
				img.SetNRGBA(x, y, color.NRGBA{20, 20, 200, 128})
			}
		}
	}
	return img
}

func testKit(t *testing.T) *MemKit {
	t.Helper()
	k := NewMemKit()
	f, err := ParseFont("Brand Mono.ttf", gomono.TTF) // stands in for a font the user added
	if err != nil {
		t.Fatal(err)
	}
	k.AddFont("brand", f)
	k.AddLogo("mark", logo())
	return k
}

// meanDiff is the mean absolute difference per channel, 0…255.
func meanDiff(a, b *image.NRGBA) float64 {
	if a.Bounds().Size() != b.Bounds().Size() {
		return math.Inf(1)
	}
	var sum float64
	for i := range a.Pix {
		sum += math.Abs(float64(a.Pix[i]) - float64(b.Pix[i]))
	}
	return sum / float64(len(a.Pix))
}

func golden(t *testing.T, name string, got *image.NRGBA) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".png")
	if *update {
		var buf bytes.Buffer
		if err := png.Encode(&buf, got); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("golden image: %v (run go test -update once to create it)", err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	w := image.NewNRGBA(want.Bounds())
	for y := want.Bounds().Min.Y; y < want.Bounds().Max.Y; y++ {
		for x := want.Bounds().Min.X; x < want.Bounds().Max.X; x++ {
			w.Set(x, y, want.At(x, y))
		}
	}
	if d := meanDiff(got, w); d > 1.0 {
		t.Errorf("%s differs from its golden image: mean difference %.2f per channel (tolerance 1.0)", name, d)
	}
}

func TestRenderGolden(t *testing.T) {
	kit := testKit(t)
	src := photo(480, 320)
	for _, tc := range []struct {
		name string
		r    Recipe
	}{
		{"identity", Recipe{V: 1}},
		{"rotate90", Recipe{V: 1, Rotate: 90}},
		{"flip", Recipe{V: 1, FlipH: true, FlipV: true}},
		{"straighten", Recipe{V: 1, Straighten: -8}},
		{"crop", Recipe{V: 1, Crop: &Rect{X: 0.1, Y: 0.2, W: 0.5, H: 0.5}}},
		{"colour", Recipe{V: 1, Brightness: 20, Contrast: 15, Saturation: -30, Warmth: 40}},
		{"text", Recipe{V: 1, Texts: []Text{{Text: "Año nuevo: più caffè, façade", Font: "brand", Size: 0.09, Color: "#ffffff", Align: "center", X: 0.5, Y: 0.8, Box: "#000000", BoxAlpha: 0.5}}}},
		{"logo", Recipe{V: 1, Logo: &Logo{ID: "mark", Corner: "br", Margin: 0.04, Size: 0.25, Opacity: 0.9}}},
		{"quotecard", Recipe{V: 1, Canvas: &Canvas{Width: 540, Height: 675, Color: "#1d3557"},
			Texts: []Text{
				{Text: "«La calidad no es un acto, es un hábito»", Font: "go-bold", Size: 0.07, Color: "#f1faee", Align: "center", X: 0.5, Y: 0.45, MaxWidth: 0.8, Shadow: true},
				{Text: "— Aristóteles", Font: "go-italic", Size: 0.045, Color: "#a8dadc", Align: "right", X: 0.7, Y: 0.75},
			},
			Logo: &Logo{ID: "mark", Corner: "tl", Margin: 0.05, Size: 0.2, Opacity: 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Render(src, tc.r, kit, 0)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, got)
		})
	}
}

func TestGeometryProperties(t *testing.T) {
	kit := testKit(t)
	src := photo(300, 200)
	r90, _ := Render(src, Recipe{V: 1, Rotate: 90}, kit, 0)
	if r90.Bounds().Dx() != 200 || r90.Bounds().Dy() != 300 {
		t.Fatalf("rotate 90: %v", r90.Bounds())
	}
	// Clockwise: the top-left corner of the source ends up top-right.
	if got, want := r90.NRGBAAt(199, 0), src.NRGBAAt(0, 0); got != want {
		t.Errorf("rotate 90 is not clockwise: top-right %v, source top-left %v", got, want)
	}
	back := r90
	for range 3 {
		back, _ = Render(back, Recipe{V: 1, Rotate: 90}, kit, 0)
	}
	if d := meanDiff(back, src); d != 0 {
		t.Errorf("four quarter turns change the image (%.3f)", d)
	}
	st, err := Render(src, Recipe{V: 1, Straighten: 30}, kit, 0)
	if err != nil {
		t.Fatal(err)
	}
	b := st.Bounds()
	if ar := float64(b.Dx()) / float64(b.Dy()); math.Abs(ar-1.5) > 0.02 {
		t.Errorf("straighten changed the proportions: %v", b)
	}
	for _, p := range []image.Point{{0, 0}, {b.Dx() - 1, 0}, {0, b.Dy() - 1}, {b.Dx() - 1, b.Dy() - 1}} {
		if a := st.NRGBAAt(p.X, p.Y).A; a < 250 {
			t.Errorf("straighten left an empty corner at %v (alpha %d)", p, a)
		}
	}
}

func TestColourDirections(t *testing.T) {
	kit := testKit(t)
	src := photo(120, 80)
	mean := func(img *image.NRGBA, ch int) float64 {
		var s float64
		for i := ch; i < len(img.Pix); i += 4 {
			s += float64(img.Pix[i])
		}
		return s / float64(len(img.Pix)/4)
	}
	bright, _ := Render(src, Recipe{V: 1, Brightness: 30}, kit, 0)
	if mean(bright, 1) <= mean(src, 1) {
		t.Error("brightness +30 did not brighten")
	}
	warm, _ := Render(src, Recipe{V: 1, Warmth: 60}, kit, 0)
	if mean(warm, 0) <= mean(src, 0) || mean(warm, 2) >= mean(src, 2) {
		t.Error("warmth +60 did not add red and take blue")
	}
	grey, _ := Render(src, Recipe{V: 1, Saturation: -100}, kit, 0)
	c := grey.NRGBAAt(10, 10)
	if c.R != c.G || c.G != c.B {
		t.Errorf("saturation −100 left colour: %v", c)
	}
}

func TestLogoAlphaOverPhoto(t *testing.T) {
	kit := testKit(t)
	src := photo(400, 400)
	got, err := Render(src, Recipe{V: 1, Logo: &Logo{ID: "mark", Corner: "tl", Margin: 0, Size: 0.3, Opacity: 1}}, kit, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The logo is 120 px wide at 0.3 × 400: its disc is opaque red, its
	// empty corner leaves the photo, its half-opaque band blends.
	if c := got.NRGBAAt(30, 30); c.R < 190 || c.G > 30 {
		t.Errorf("logo disc not drawn: %v", c)
	}
	if got.NRGBAAt(118, 2) != src.NRGBAAt(118, 2) {
		t.Errorf("transparent logo pixel changed the photo: %v vs %v", got.NRGBAAt(118, 2), src.NRGBAAt(118, 2))
	}
	band, under := got.NRGBAAt(100, 30), src.NRGBAAt(100, 30)
	if band == under || band.B <= under.B/2 {
		t.Errorf("half-opaque band not blended: %v over %v", band, under)
	}
	half, _ := Render(src, Recipe{V: 1, Logo: &Logo{ID: "mark", Corner: "tl", Margin: 0, Size: 0.3, Opacity: 0.5}}, kit, 0)
	if c := half.NRGBAAt(30, 30); c.R >= got.NRGBAAt(30, 30).R && c.G <= src.NRGBAAt(30, 30).G/3 {
		t.Errorf("opacity 0.5 drew the logo fully: %v", c)
	}
}

func TestTextDrawnAndAccents(t *testing.T) {
	kit := testKit(t)
	src := image.NewNRGBA(image.Rect(0, 0, 400, 200))
	got, err := Render(src, Recipe{V: 1, Texts: []Text{{Text: "ñàç", Font: "brand", Size: 0.3, Color: "#ff0000", X: 0.5, Y: 0.5}}}, kit, 0)
	if err != nil {
		t.Fatal(err)
	}
	red := 0
	for i := 0; i < len(got.Pix); i += 4 {
		if got.Pix[i] > 200 && got.Pix[i+3] > 200 {
			red++
		}
	}
	if red < 500 {
		t.Errorf("the text was not drawn (%d red pixels)", red)
	}
	// Emoji: reported, not drawn as boxes.
	_, err = Render(src, Recipe{V: 1, Texts: []Text{{Text: "Hola 🎉", Font: "brand", Size: 0.2, Color: "#ff0000", X: 0.5, Y: 0.5}}}, kit, 0)
	var e *backend.Error
	if !errors.As(err, &e) || e.Key != "edit.glyphs_missing" || e.Params["chars"] != "🎉" || e.Field != "texts.0.text" {
		t.Fatalf("emoji: %#v", err)
	}
}

func TestWrapKeepsLinesInside(t *testing.T) {
	kit := testKit(t)
	src := image.NewNRGBA(image.Rect(0, 0, 300, 600))
	long := strings.Repeat("palabra ", 40) + strings.Repeat("x", 80)
	got, err := Render(src, Recipe{V: 1, Texts: []Text{{Text: long, Size: 0.04, Color: "#ffffff", X: 0.5, Y: 0.5, MaxWidth: 0.8}}}, kit, 0)
	if err != nil {
		t.Fatal(err)
	}
	for y := range 600 {
		for _, x := range []int{0, 1, 298, 299} {
			if got.NRGBAAt(x, y).A != 0 {
				t.Fatalf("text reached the edge at (%d,%d)", x, y)
			}
		}
	}
}

func TestDeterministicAndOriginalUntouched(t *testing.T) {
	kit := testKit(t)
	src := photo(320, 240)
	orig := append([]byte(nil), src.Pix...)
	r := Recipe{V: 1, Straighten: 5, Warmth: 20, Texts: []Text{{Text: "¡Hola!", Size: 0.1, Color: "#fff", X: 0.5, Y: 0.5, Shadow: true}},
		Logo: &Logo{ID: "mark", Corner: "br", Margin: 0.02, Size: 0.2, Opacity: 0.8}}
	enc := func() []byte {
		img, err := Render(src, r, kit, 0)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		png.Encode(&b, img)
		return b.Bytes()
	}
	if !bytes.Equal(enc(), enc()) {
		t.Error("the same recipe gave different bytes")
	}
	if !bytes.Equal(orig, src.Pix) {
		t.Error("rendering changed the original's pixels")
	}
}

func TestPreviewMatchesFullSize(t *testing.T) {
	kit := testKit(t)
	src := photo(2400, 1600)
	r := Recipe{V: 1, Straighten: 4, Crop: &Rect{X: 0.1, Y: 0.1, W: 0.8, H: 0.8}, Brightness: 10,
		Texts: []Text{{Text: "Oferta", Size: 0.1, Color: "#ffffff", X: 0.3, Y: 0.3}},
		Logo:  &Logo{ID: "mark", Corner: "br", Margin: 0.03, Size: 0.2, Opacity: 1}}
	full, err := Render(src, r, kit, 0)
	if err != nil {
		t.Fatal(err)
	}
	prev, err := Render(src, r, kit, 400)
	if err != nil {
		t.Fatal(err)
	}
	if b := prev.Bounds(); max(b.Dx(), b.Dy()) != 400 {
		t.Fatalf("preview is %v, want longer side 400", b)
	}
	small, _ := Render(full, Recipe{V: 1}, kit, 400)
	if small.Bounds() != prev.Bounds() {
		t.Fatalf("preview %v vs full size scaled %v", prev.Bounds(), small.Bounds())
	}
	if d := meanDiff(small, prev); d > 6 {
		t.Errorf("the preview differs from the full size (mean %.2f per channel)", d)
	}
}

func TestOlderRecipeStillRenders(t *testing.T) {
	kit := testKit(t)
	src := photo(200, 100)
	old, err := Parse([]byte(`{"rotate":180,"brightness":10}`)) // written before versions were stored
	if err != nil {
		t.Fatal(err)
	}
	a, err := Render(src, old, kit, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Render(src, Recipe{V: 1, Rotate: 180, Brightness: 10}, kit, 0)
	if meanDiff(a, b) != 0 {
		t.Error("a version-0 recipe renders differently from its version-1 form")
	}
	if old.Hash("k") != (Recipe{V: 1, Rotate: 180, Brightness: 10}).Hash("k") {
		t.Error("upgraded recipe hashes differently")
	}
}

func TestBadRecipes(t *testing.T) {
	for _, tc := range []struct{ json, key, field string }{
		{`not json`, "edit.recipe_unreadable", ""},
		{`{"v":99}`, "edit.recipe_newer", "v"},
		{`{"v":1,"rotate":45}`, "edit.rotate", "rotate"},
		{`{"v":1,"straighten":60}`, "edit.straighten", "straighten"},
		{`{"v":1,"crop":{"x":0.5,"y":0,"w":0.8,"h":1}}`, "edit.crop", "crop"},
		{`{"v":1,"warmth":-300}`, "edit.adjust", "warmth"},
		{`{"v":1,"texts":[{"text":"a","size":0.1,"color":"red","x":0.5,"y":0.5}]}`, "edit.color_invalid", "texts.0.color"},
		{`{"v":1,"texts":[{"text":"` + strings.Repeat("a", 5000) + `","size":0.1,"color":"#fff","x":0.5,"y":0.5}]}`, "edit.text_long", "texts.0.text"},
		{`{"v":1,"texts":[{"text":"a","size":0.1,"color":"#fff","x":2,"y":0.5}]}`, "edit.text_position", "texts.0.x"},
		{`{"v":1,"logo":{"id":"mark","corner":"middle","size":0.2,"opacity":1}}`, "edit.logo_corner", "logo.corner"},
		{`{"v":1,"canvas":{"width":100000,"height":10,"color":"#fff"}}`, "edit.canvas_size", "canvas"},
	} {
		_, err := Parse([]byte(tc.json))
		var e *backend.Error
		if !errors.As(err, &e) || e.Key != tc.key || e.Field != tc.field || e.Code != backend.EInvalid {
			t.Errorf("%.60s: got %#v, want key %s field %q", tc.json, err, tc.key, tc.field)
		}
	}
	if _, err := Render(photo(10, 10), Recipe{V: 1, Logo: &Logo{ID: "nope", Corner: "tl", Size: 0.2, Opacity: 1}}, NewMemKit(), 0); backend.AsError(err).Key != "edit.logo_unknown" {
		t.Errorf("unknown logo: %v", err)
	}
}

func TestParseFontRefusesNonFonts(t *testing.T) {
	var png8 bytes.Buffer
	png.Encode(&png8, photo(8, 8))
	for name, data := range map[string][]byte{
		"logo.ttf":  png8.Bytes(),
		"empty.otf": nil,
		"cut.ttf":   gomono.TTF[:400],
		"huge.ttf":  make([]byte, MaxFontBytes+1),
	} {
		_, err := ParseFont(name, data)
		if e := backend.AsError(err); e == nil || e.Code != backend.EInvalid || e.Params["name"] != name {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestParseColor(t *testing.T) {
	for in, want := range map[string]string{"#fff": "#ffffff", "#1D3557": "#1d3557", " #00ff00 ": "#00ff00"} {
		c, err := ParseColor(in)
		if err != nil || FormatColor(c) != want {
			t.Errorf("%q → %v %v", in, FormatColor(c), err)
		}
	}
	for _, in := range []string{"red", "#12345", "#ggg", "123456", ""} {
		if _, err := ParseColor(in); err == nil {
			t.Errorf("%q accepted as a colour", in)
		}
	}
}
