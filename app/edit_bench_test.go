package app

import (
	"fmt"
	"image"
	"testing"

	"pauta/backend"
	"pauta/backend/media/edit"
)

// BenchmarkEditPreview: the editor's preview of a 24 MP photo at 1080 px
// with a heading and the logo, after the first render (the shrunk source is
// kept); each iteration changes the recipe so nothing comes from the cache.
// Goal (#20): under 100 ms. BenchmarkEditPreviewFirst is the first preview
// (the 24 MP decode included), for reference.
func BenchmarkEditPreview(b *testing.B) {
	e, src, r := benchEditEnv(b)
	if _, err := e.ed.Preview(e.client.ID, src, recipeJSON(b, r)); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		r.Brightness = float64(i%199 - 99)
		if _, err := e.ed.Preview(e.client.ID, src, recipeJSON(b, r)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEditPreviewFirst(b *testing.B) {
	e, src, r := benchEditEnv(b)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		e.ed.sources = map[string]*image.NRGBA{}
		e.ed.order = nil
		b.StartTimer()
		r.Warmth++
		if _, err := e.ed.Preview(e.client.ID, src, recipeJSON(b, r)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEditGraphic: a full 1080×1350 graphic with text and the logo,
// rendered and encoded. Goal (#20): under 250 ms.
func BenchmarkEditGraphic(b *testing.B) {
	e, _, r := benchEditEnv(b)
	r.Canvas = &edit.Canvas{Width: 1080, Height: 1350, Color: "#1d3557"}
	kit, _, err := e.ed.kit(b.Context(), e.client.ID)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		r.Texts[0].Text = fmt.Sprintf("Oferta %d: pan de masa madre", i)
		out, err := edit.Render(nil, r, kit, 0)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := encodeEdited(out, false); err != nil {
			b.Fatal(err)
		}
	}
}

func benchEditEnv(b *testing.B) (*editEnv, int64, edit.Recipe) {
	e := newMediaEnv(b, backend.Instagram)
	rep, err := e.svc.Import(e.client.ID, []string{write(b, "24mp.jpg", photoJPEG(6000, 4000, 3))})
	if err != nil || rep.Imported != 1 {
		b.Fatalf("import: %v %+v", err, rep)
	}
	ed := NewEditService(b.Context, e.db, e.svc, e.data)
	env := &editEnv{mediaEnv: e, ed: ed, photo: *rep.Results[0].Media}
	logoID, fontID := env.addKit(b)
	r := edit.Recipe{V: 1, Straighten: 2, Brightness: 10,
		Texts: []edit.Text{{Text: "Rebajas de invierno", Font: fontID, Size: 0.07, Color: "#ffffff", X: 0.5, Y: 0.8, Box: "#000000"}},
		Logo:  &edit.Logo{ID: logoID, Corner: "tr", Margin: 0.03, Size: 0.2, Opacity: 0.9}}
	return env, env.photo.ID, r
}
