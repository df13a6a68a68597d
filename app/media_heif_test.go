package app

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"pauta/backend"
	"pauta/backend/media"
)

// TestMediaImportHEICAndAVIF: iPhone and AVIF photos go into the library
// through the real import (read, decode in the decoder process, thumbnail),
// render every preset of the client's networks as JPEG or PNG, and an
// animated AVIF carries the first-frame note.
func TestMediaImportHEICAndAVIF(t *testing.T) {
	e := newMediaEnv(t, backend.Instagram, backend.Mastodon)
	defer e.svc.close()
	var paths []string
	for _, name := range []string{"quad.heic", "quad.avif", "anim.avif"} {
		b, err := os.ReadFile(filepath.Join("..", "backend", "media", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, write(t, "IMG_"+name, b))
	}
	rep, err := e.svc.Import(e.client.ID, paths)
	if err != nil || rep.Imported != 3 {
		t.Fatalf("%+v %v", rep, err)
	}
	for i, want := range []string{"heic", "avif", "avif"} {
		m := rep.Results[i].Media
		if m == nil || m.Format != want || m.Width != 48 || m.Height != 32 {
			t.Fatalf("%s: %+v", paths[i], rep.Results[i])
		}
		set, err := e.svc.Previews(m.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range set.Previews {
			if p.Error != nil || (p.Format != "jpeg" && p.Format != "png") || p.OutWidth == 0 {
				t.Fatalf("%s %s: %+v", want, p.ID, p)
			}
		}
	}
	anim, err := e.svc.store.GetMedia(context.Background(), rep.Results[2].Media.ID)
	if err != nil {
		t.Fatal(err)
	}
	if notes := e.svc.attachNotes(*anim); !slices.Contains(notes, media.NoteGIFFirstFrame) {
		t.Fatalf("notes %v", notes)
	}
}
