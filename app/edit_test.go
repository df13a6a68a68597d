package app

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font/gofont/gomono"

	"pauta/backend"
	"pauta/backend/media"
	"pauta/backend/media/edit"
	"pauta/backend/media/mediatest"
)

type editEnv struct {
	*mediaEnv
	ed    *EditService
	photo MediaItem
}

func newEditEnv(t *testing.T) *editEnv {
	t.Helper()
	e := newMediaEnv(t, backend.Instagram)
	rep, err := e.svc.Import(e.client.ID, []string{write(t, "playa.jpg", photoJPEG(1200, 800, 7))})
	if err != nil || rep.Imported != 1 {
		t.Fatalf("import: %v %+v", err, rep)
	}
	ed := NewEditService(context.Background, e.db, e.svc, e.data)
	return &editEnv{mediaEnv: e, ed: ed, photo: *rep.Results[0].Media}
}

// addKit gives the client a logo (PNG with alpha) and a font file of its own.
func (e *editEnv) addKit(t testing.TB) (logoID, fontID string) {
	t.Helper()
	logo := mediatest.PNG(mediatest.Solid(200, 100, color.NRGBA{R: 220, G: 20, B: 60, A: 200}))
	res, err := e.ed.AddKitFiles(e.client.ID, backend.KitLogo, []string{write(t, "logo.png", logo)})
	if err != nil || res[0].Error != nil {
		t.Fatalf("logo: %v %+v", err, res)
	}
	res, err = e.ed.AddKitFiles(e.client.ID, backend.KitFont, []string{write(t, "Marca.ttf", gomono.TTF)})
	if err != nil || res[0].Error != nil {
		t.Fatalf("font: %v %+v", err, res)
	}
	k, err := e.ed.Kit(e.client.ID)
	if err != nil || len(k.Logos) != 1 || len(k.Fonts) != len(edit.BuiltinFonts)+1 {
		t.Fatalf("kit: %v %+v", err, k)
	}
	return k.Logos[0].ID, k.Fonts[len(k.Fonts)-1].ID
}

func recipeJSON(t testing.TB, r edit.Recipe) string {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestEditSaveKeepsOriginalAndMakesPresets(t *testing.T) {
	e := newEditEnv(t)
	logoID, fontID := e.addKit(t)
	orig, err := os.ReadFile(filepath.Join(e.data, "media", hashPath(t, e)))
	if err != nil {
		t.Fatal(err)
	}
	r := edit.Recipe{V: 1, Straighten: 3, Brightness: 15,
		Texts: []edit.Text{{Text: "Pan de cañada, ¡recién hecho!", Font: fontID, Size: 0.08, Color: "#ffffff", X: 0.5, Y: 0.85, Box: "#000000"}},
		Logo:  &edit.Logo{ID: logoID, Corner: "tr", Margin: 0.03, Size: 0.2, Opacity: 0.9}}
	// The preview first: rendered at screen size and served by the app.
	p, err := e.ed.Preview(e.client.ID, e.photo.ID, recipeJSON(t, r))
	if err != nil {
		t.Fatal(err)
	}
	if max(p.Width, p.Height) != PreviewSide {
		t.Errorf("preview %dx%d, want longer side %d", p.Width, p.Height, PreviewSide)
	}
	rec := httptest.NewRecorder()
	assetHandler(e.ed, e.svc).ServeHTTP(rec, httptest.NewRequest("GET", p.URL, nil))
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "image/jpeg" {
		t.Fatalf("preview URL answered %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	if _, err := jpeg.Decode(bytes.NewReader(rec.Body.Bytes())); err != nil {
		t.Fatalf("preview is not a JPEG: %v", err)
	}

	saved, err := e.ed.Save(e.client.ID, e.photo.ID, 0, recipeJSON(t, r))
	if err != nil {
		t.Fatal(err)
	}
	if saved.ID == e.photo.ID || !strings.Contains(saved.Name, "(edit)") {
		t.Fatalf("saved as %+v", saved)
	}
	again, err := os.ReadFile(filepath.Join(e.data, "media", hashPath(t, e)))
	if err != nil || !bytes.Equal(orig, again) {
		t.Fatal("the original file changed")
	}
	m, _ := e.db.GetMedia(context.Background(), saved.ID)
	if m.SourceID != e.photo.ID || m.Recipe == "" {
		t.Fatalf("edited row: source %d recipe %q", m.SourceID, m.Recipe)
	}
	// Every network preset renders from the edited file.
	set, err := e.svc.Previews(saved.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, pv := range set.Previews {
		if pv.Error != nil {
			t.Errorf("preset %s: %v", pv.ID, pv.Error)
		}
	}
	// Saving the same recipe again into the same edited image is stable;
	// a changed recipe updates it in place and drops the old file.
	r.Brightness = -10
	upd, err := e.ed.Save(e.client.ID, e.photo.ID, saved.ID, recipeJSON(t, r))
	if err != nil || upd.ID != saved.ID {
		t.Fatalf("update: %v %+v", err, upd)
	}
	m2, _ := e.db.GetMedia(context.Background(), saved.ID)
	if m2.Hash == m.Hash {
		t.Error("the edited image's file did not change with its recipe")
	}
	if _, err := os.Stat(filepath.Join(e.data, "media", m.Hash[:2], m.Hash+".jpg")); !os.IsNotExist(err) {
		t.Errorf("the superseded rendering is still on disk: %v", err)
	}
	// An edit of an edit is refused: edits start from the original.
	if _, err := e.ed.Save(e.client.ID, saved.ID, 0, recipeJSON(t, r)); backend.AsError(err).Key != "edit.edit_of_edit" {
		t.Errorf("edit of an edit: %v", err)
	}
}

// hashPath is the stored original's path under <data>/media.
func hashPath(t *testing.T, e *editEnv) string {
	m, err := e.db.GetMedia(context.Background(), e.photo.ID)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(m.Hash[:2], m.Hash+".jpg")
}

func TestEditSaveIsDeterministic(t *testing.T) {
	e := newEditEnv(t)
	r := recipeJSON(t, edit.Recipe{V: 1, Rotate: 90, Warmth: 30, Texts: []edit.Text{{Text: "Hola", Size: 0.1, Color: "#fff", X: 0.5, Y: 0.5}}})
	a, err := e.ed.Save(e.client.ID, e.photo.ID, 0, r)
	if err != nil {
		t.Fatal(err)
	}
	ma, _ := e.db.GetMedia(context.Background(), a.ID)
	// Same recipe again: same pixels, same bytes — the library dedups it.
	b, err := e.ed.Save(e.client.ID, e.photo.ID, 0, r)
	if err != nil {
		t.Fatal(err)
	}
	mb, _ := e.db.GetMedia(context.Background(), b.ID)
	if ma.Hash != mb.Hash || a.ID != b.ID {
		t.Errorf("the same recipe gave another file: %s vs %s", ma.Hash, mb.Hash)
	}
}

func TestEditBadInputChangesNothing(t *testing.T) {
	e := newEditEnv(t)
	before, _ := e.db.ListMedia(context.Background(), e.client.ID, "")
	for name, recipe := range map[string]string{
		"nonsense":   `{"v":1,"rotate":"sideways"}`,
		"long text":  recipeJSON(t, edit.Recipe{V: 1, Texts: []edit.Text{{Text: strings.Repeat("a", 5000), Size: 0.1, Color: "#fff", X: 0.5, Y: 0.5}}}),
		"bad colour": `{"v":1,"texts":[{"text":"a","size":0.1,"color":"azulito","x":0.5,"y":0.5}]}`,
		"emoji":      recipeJSON(t, edit.Recipe{V: 1, Texts: []edit.Text{{Text: "¡Feliz año! 🎉", Size: 0.1, Color: "#fff", X: 0.5, Y: 0.5}}}),
		"no logo":    recipeJSON(t, edit.Recipe{V: 1, Logo: &edit.Logo{ID: "99", Corner: "tl", Size: 0.2, Opacity: 1}}),
	} {
		if _, err := e.ed.Save(e.client.ID, e.photo.ID, 0, recipe); backend.AsError(err).Code != backend.EInvalid && backend.AsError(err).Code != backend.ENotFound {
			t.Errorf("%s: %v", name, err)
		}
		if _, err := e.ed.Preview(e.client.ID, e.photo.ID, recipe); err == nil {
			t.Errorf("%s: preview accepted it", name)
		}
	}
	after, _ := e.db.ListMedia(context.Background(), e.client.ID, "")
	if len(after) != len(before) {
		t.Errorf("bad recipes added images: %d → %d", len(before), len(after))
	}
	// Another client's image is not reachable.
	other := &backend.Client{Name: "Otro", TimeZone: "Europe/Rome", Language: "it"}
	e.db.CreateClient(context.Background(), other)
	if _, err := e.ed.Save(other.ID, e.photo.ID, 0, `{"v":1,"brightness":10}`); backend.AsError(err).Code != backend.ENotFound {
		t.Errorf("cross-client edit: %v", err)
	}
}

func TestKitFilesRefuseWhatTheyAreNot(t *testing.T) {
	e := newEditEnv(t)
	jpg := photoJPEG(50, 50, 1)
	var gifBuf bytes.Buffer
	gif.Encode(&gifBuf, mediatest.Solid(20, 20, color.NRGBA{A: 255}), nil)
	gif := gifBuf.Bytes()
	huge := make([]byte, media.DefaultMaxBytes+1)
	copy(huge, mediatest.PNG(mediatest.Solid(10, 10, color.NRGBA{A: 255})))
	cases := []struct {
		kind, name string
		data       []byte
		key        string
	}{
		{backend.KitFont, "brand.ttf", jpg, "edit.font_invalid"},
		{backend.KitFont, "cut.otf", gomono.TTF[:300], "edit.font_invalid"},
		{backend.KitLogo, "logo.png", gomono.TTF, "media.unsupported"},
		{backend.KitLogo, "logo.gif", gif, "kit.logo_format"},
		{backend.KitLogo, "huge.png", huge, "media.too_large"},
	}
	for _, c := range cases {
		res, err := e.ed.AddKitFiles(e.client.ID, c.kind, []string{write(t, c.name, c.data)})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Error == nil || res[0].Asset != nil {
			t.Errorf("%s accepted", c.name)
			continue
		}
		if !strings.HasPrefix(res[0].Error.Key, strings.SplitN(c.key, ".", 2)[0]) {
			t.Errorf("%s: key %s, want %s", c.name, res[0].Error.Key, c.key)
		}
	}
	k, _ := e.ed.Kit(e.client.ID)
	if len(k.Assets) != 0 {
		t.Errorf("refused files left kit rows: %+v", k.Assets)
	}
	if ents, _ := os.ReadDir(filepath.Join(e.data, "brandkit")); len(ents) != 0 {
		t.Errorf("refused files left %d files", len(ents))
	}
}

func TestTemplateQuoteCard(t *testing.T) {
	e := newEditEnv(t)
	logoID, fontID := e.addKit(t)
	if _, err := e.ed.SaveKit(e.client.ID, []string{"#1D3557", "#f1faee"}, backend.TextStyle{Font: fontID, Color: "#F1FAEE", Size: 0.07}, backend.TextStyle{Font: "go-regular", Color: "#ffffff", Size: 0.04}); err != nil {
		t.Fatal(err)
	}
	tpl := edit.Recipe{V: 1, Canvas: &edit.Canvas{Width: 1080, Height: 1350, Color: "#1d3557"},
		Texts: []edit.Text{{Text: "Cita", Font: fontID, Size: 0.06, Color: "#f1faee", X: 0.5, Y: 0.45, Align: "center"}, {Text: "Autor", Size: 0.04, Color: "#a8dadc", X: 0.5, Y: 0.7}},
		Logo:  &edit.Logo{ID: logoID, Corner: "bl", Margin: 0.05, Size: 0.2, Opacity: 1}}
	saved, err := e.ed.SaveTemplate(e.client.ID, "Tarjeta de cita", recipeJSON(t, tpl))
	if err != nil {
		t.Fatal(err)
	}
	it, err := e.ed.FromTemplate(e.client.ID, saved.ID, []string{"«El pan de cada día»", "— Panadería Sol"})
	if err != nil {
		t.Fatal(err)
	}
	if it.Width != 1080 || it.Height != 1350 || it.Format != "png" {
		t.Errorf("graphic %dx%d %s", it.Width, it.Height, it.Format)
	}
	m, _ := e.db.GetMedia(context.Background(), it.ID)
	var r edit.Recipe
	json.Unmarshal([]byte(m.Recipe), &r)
	if r.Texts[0].Text != "«El pan de cada día»" {
		t.Errorf("template text not replaced: %+v", r.Texts)
	}
	k, _ := e.ed.Kit(e.client.ID)
	if len(k.Templates) != 1 || k.Colors[0] != "#1d3557" || k.Styles["heading"].Color != "#f1faee" {
		t.Errorf("kit: %+v", k)
	}
	// The graphic's pixels: the canvas colour in a corner away from the logo.
	_, data, _ := e.svc.readStored(*m)
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if r0, g0, b0, _ := img.At(1070, 10).RGBA(); r0>>8 != 0x1d || g0>>8 != 0x35 || b0>>8 != 0x57 {
		t.Errorf("canvas colour %x %x %x", r0>>8, g0>>8, b0>>8)
	}
}
