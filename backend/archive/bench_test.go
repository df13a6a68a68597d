package archive

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"pauta/backend"
)

// BenchmarkWrite2000Posts200MB writes a client of 2,000 posts and 100 images
// of 2 MB (incompressible, like photos): MB/s is the archive's speed, to set
// beside the disk's (the goal: 1 GB at disk speed, with progress).
func BenchmarkWrite2000Posts200MB(b *testing.B) {
	dir := b.TempDir()
	a := &backend.ClientArchive{Client: backend.ArchiveClient{Name: "Bench", TimeZone: "Europe/Madrid"}}
	files := map[string]string{}
	var total int64
	for i := range 100 {
		data := make([]byte, 2<<20)
		rand.Read(data)
		sum := sha256.Sum256(data)
		h := hex.EncodeToString(sum[:])
		p := filepath.Join(dir, h)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			b.Fatal(err)
		}
		files[h] = p
		total += int64(len(data))
		a.Media = append(a.Media, backend.ArchiveMedia{Hash: h, Name: fmt.Sprintf("%d.jpg", i), Format: "jpeg", Bytes: int64(len(data)), Width: 1, Height: 1})
	}
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range 2000 {
		at := t0.Add(time.Duration(i) * 4 * time.Hour)
		a.Posts = append(a.Posts, backend.ArchivePost{Status: backend.StatusScheduled, BaseText: fmt.Sprintf("Post %d with some text #cafe ☕", i),
			ScheduledAt: &at, TimeZone: "Europe/Madrid", Labels: []string{"bench"}, Media: []string{a.Media[i%100].Hash},
			Variants: []backend.ArchiveVariant{{Account: "instagram:bench", State: "pending"}}})
	}
	b.SetBytes(total)
	for b.Loop() {
		out := filepath.Join(b.TempDir(), "bench.zip")
		var last int64
		err := Write(out, a, func(m backend.ArchiveMedia) (string, error) { return files[m.Hash], nil }, nil, t0, func(done, _ int64) { last = done })
		if err != nil || last < total {
			b.Fatalf("%v (progress %d of %d)", err, last, total)
		}
	}
}
