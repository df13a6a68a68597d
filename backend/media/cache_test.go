package media

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

func TestCacheHitDoesNotDecode(t *testing.T) {
	dir := t.TempDir()
	var decodes atomic.Int32
	p := New(WithCacheDir(dir), WithDecodeHook(func(Format, int) { decodes.Add(1) }))
	src := photoJPEG(640, 480, 4)
	sq, x := mustPreset(t, "instagram.square"), mustPreset(t, "x.landscape")
	sq.Width, sq.Height, x.Width, x.Height = 200, 200, 320, 180

	first, err := p.Render(bg, "a.jpg", src, reqs(Centre(), sq, x))
	if err != nil {
		t.Fatal(err)
	}
	if decodes.Load() != 1 {
		t.Fatalf("two presets took %d decodes, want one", decodes.Load())
	}
	for _, o := range first.Outputs {
		if o.Cached || o.Data != nil || o.Path == "" {
			t.Fatalf("first render: %+v", o)
		}
		if st, err := os.Stat(o.Path); err != nil || st.Size() != o.Bytes {
			t.Fatalf("cached file %s: %v", o.Path, err)
		}
	}

	again, err := p.Render(bg, "a.jpg", src, reqs(Centre(), sq, x))
	if err != nil {
		t.Fatal(err)
	}
	if decodes.Load() != 1 {
		t.Errorf("cache hit decoded again (%d decodes)", decodes.Load())
	}
	for i, o := range again.Outputs {
		f := first.Outputs[i]
		if !o.Cached || o.Path != f.Path || o.Width != f.Width || o.Height != f.Height || o.Bytes != f.Bytes || o.Crop != f.Crop {
			t.Errorf("hit %+v differs from %+v", o, f)
		}
	}

	// Moving the focal point by less than the rounding is the same key.
	if _, err := p.Render(bg, "a.jpg", src, reqs(FocalPoint{0.5002, 0.4999}, sq)); err != nil || decodes.Load() != 1 {
		t.Errorf("sub-0.001 focal move re-rendered: %d decodes, %v", decodes.Load(), err)
	}
	// A real move re-renders only the preset that changed.
	moved, err := p.Render(bg, "a.jpg", src, []Request{{sq, FocalPoint{0.1, 0.5}}, {x, Centre()}})
	if err != nil {
		t.Fatal(err)
	}
	if decodes.Load() != 2 || moved.Outputs[0].Cached || !moved.Outputs[1].Cached {
		t.Errorf("focal move: %d decodes, cached %v/%v", decodes.Load(), moved.Outputs[0].Cached, moved.Outputs[1].Cached)
	}
	// Another preset setting is another key.
	sq.MaxBytes--
	if _, err := p.Render(bg, "a.jpg", src, reqs(Centre(), sq)); err != nil || decodes.Load() != 3 {
		t.Errorf("changed preset reused the cache: %d decodes %v", decodes.Load(), err)
	}
	// Different content, same name: not a hit.
	if _, err := p.Render(bg, "a.jpg", photoJPEG(640, 480, 5), reqs(Centre(), x)); err != nil || decodes.Load() != 4 {
		t.Errorf("other content reused the cache: %d decodes %v", decodes.Load(), err)
	}

	if err := p.Forget(first.Info.Hash); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(first.Outputs[0].Path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Forget left %s", first.Outputs[0].Path)
	}
	if p.Forget("../../etc") == nil {
		t.Error("Forget accepted a path")
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*", "*", ".tmp-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func writeJobs(t *testing.T, n int) []Job {
	dir := t.TempDir()
	sq := mustPreset(t, "instagram.square")
	sq.Width, sq.Height = 120, 120
	pin := mustPreset(t, "pinterest.portrait")
	pin.Width, pin.Height = 100, 150
	var jobs []Job
	for i := range n {
		path := filepath.Join(dir, "img"+string(rune('a'+i))+".jpg")
		if err := os.WriteFile(path, photoJPEG(300, 200, uint64(i)), 0o644); err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, Job{Path: path, Requests: reqs(Centre(), sq, pin)})
	}
	return jobs
}

func TestBatchProgress(t *testing.T) {
	jobs := writeJobs(t, 7)
	jobs = append(jobs, Job{Path: filepath.Join(t.TempDir(), "missing.jpg"), Requests: jobs[0].Requests})
	var decodes atomic.Int32
	p := New(WithWorkers(3), WithDecodeHook(func(Format, int) { decodes.Add(1) }))
	var calls []int
	total := -1
	res, err := p.Batch(bg, jobs, func(done, tot int) {
		calls = append(calls, done) // serialised by Batch: no lock needed
		total = tot
	})
	if err != nil {
		t.Fatal(err)
	}
	if total != 16 || len(calls) != 8 || calls[len(calls)-1] != 16 {
		t.Errorf("progress calls %v total %d", calls, total)
	}
	for i := 1; i < len(calls); i++ {
		if calls[i] <= calls[i-1] {
			t.Errorf("progress not increasing: %v", calls)
		}
	}
	for i, r := range res[:7] {
		if r.Err != nil || len(r.Result.Outputs) != 2 || r.Path != jobs[i].Path {
			t.Errorf("job %d: %+v", i, r)
		}
	}
	if errKey(res[7].Err) != "media.unreadable" {
		t.Errorf("missing file: %v", res[7].Err)
	}
	if decodes.Load() != 7 {
		t.Errorf("%d decodes for 7 images", decodes.Load())
	}
}

func TestBatchCancel(t *testing.T) {
	jobs := writeJobs(t, 12)
	var decodes atomic.Int32
	p := New(WithWorkers(2), WithDecodeHook(func(Format, int) { decodes.Add(1) }))
	ctx, cancel := context.WithCancel(bg)
	defer cancel()
	start := time.Now()
	res, err := p.Batch(ctx, jobs, func(done, total int) {
		if done >= 2 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Batch after cancel: %v", err)
	}
	if n := decodes.Load(); n >= 12 || n < 1 {
		t.Errorf("%d of 12 images decoded after cancelling at the first", n)
	}
	cancelled := 0
	for _, r := range res {
		if errors.Is(r.Err, context.Canceled) {
			cancelled++
		}
	}
	if cancelled < 12-int(decodes.Load()) {
		t.Errorf("%d results marked cancelled, %d images never decoded", cancelled, 12-decodes.Load())
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("cancel took %v", d)
	}
	// A cancelled context stops Render too.
	if _, err := p.RenderFile(ctx, jobs[0].Path, jobs[0].Requests); !errors.Is(err, context.Canceled) {
		t.Errorf("Render on a cancelled context: %v", err)
	}
}
