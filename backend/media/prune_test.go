package media

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"pauta/backend/media/mediatest"
)

// The cache is trimmed to its bound, least recently used first; recently
// used renders stay whatever the total, and a cache hit counts as a use.
func TestPruneCacheLRU(t *testing.T) {
	dir := t.TempDir()
	p := New(WithCacheDir(dir))
	sq := Preset{ID: "test.square", Width: 300, Height: 300, Formats: []Format{JPEG}}
	var paths []string
	for i := range 6 {
		data := mediatest.JPEG(mediatest.PhotoLike(400, 300, uint64(i+1)), 90)
		res, err := p.Render(bg, "p.jpg", data, reqs(Centre(), sq))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, res.Outputs[0].Path)
	}
	var sizes []int64
	var total int64
	base := time.Now().Add(-48 * time.Hour)
	for i, path := range paths {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, st.Size())
		total += st.Size()
		// Oldest first: file 0 was used two days ago, file 5 most recently.
		at := base.Add(time.Duration(i) * time.Hour)
		if err := os.Chtimes(path, at, at); err != nil {
			t.Fatal(err)
		}
	}
	// A hit on file 0 makes it the most recently used.
	data0 := mediatest.JPEG(mediatest.PhotoLike(400, 300, 1), 90)
	if res, err := p.Render(bg, "p.jpg", data0, reqs(Centre(), sq)); err != nil || !res.Outputs[0].Cached {
		t.Fatalf("hit: %+v %v", res.Outputs, err)
	}
	// Keep about half: files 1, 2, 3 (the least recently used) must go.
	limit := total - sizes[1] - sizes[2] - sizes[3]
	rep, err := p.PruneCache(limit, time.Now().Add(-10*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Removed != 3 || rep.Freed != sizes[1]+sizes[2]+sizes[3] || rep.Kept != limit {
		t.Errorf("report %+v, want 3 removed, %d freed", rep, sizes[1]+sizes[2]+sizes[3])
	}
	for i, path := range paths {
		_, err := os.Stat(path)
		gone := os.IsNotExist(err)
		if want := i >= 1 && i <= 3; gone != want {
			t.Errorf("file %d: gone %v, want %v", i, gone, want)
		}
		if gone {
			if _, err := os.Stat(filepath.Dir(path)); !os.IsNotExist(err) {
				t.Errorf("file %d: its empty folder is left", i)
			}
		}
	}
	// A removed preset renders again on demand.
	data2 := mediatest.JPEG(mediatest.PhotoLike(400, 300, 3), 90) // image 2
	if res, err := p.Render(bg, "p.jpg", data2, reqs(Centre(), sq)); err != nil || res.Outputs[0].Cached {
		t.Errorf("re-render: %+v %v", res.Outputs, err)
	}
	// Everything used in the last minutes stays even over the bound.
	rep, err = p.PruneCache(0, time.Now().Add(-10*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 2} {
		if _, err := os.Stat(paths[i]); err != nil {
			t.Errorf("recent file %d removed (%+v): %v", i, rep, err)
		}
	}
	// No cache, nothing to do.
	if rep, err := New().PruneCache(0, time.Now()); err != nil || rep.Removed != 0 {
		t.Errorf("no cache: %+v %v", rep, err)
	}
}
