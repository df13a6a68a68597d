package media

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// PruneReport says what PruneCache removed and what is left.
type PruneReport struct {
	Removed int   `json:"removed"`
	Freed   int64 `json:"freed"`
	Kept    int64 `json:"kept"` // bytes left in the cache
}

// touchEvery is how stale a cached file's mtime may get before a cache hit
// refreshes it: the mtime is the "last used" that PruneCache goes by.
const touchEvery = time.Hour

// PruneCache removes the least recently used rendered presets (by file
// mtime, which cache hits refresh) until the cache holds at most maxBytes.
// Files used after keepAfter stay whatever the total: a render just handed
// to an upload is never removed under it. Without a cache it does nothing.
func (p *Processor) PruneCache(maxBytes int64, keepAfter time.Time) (PruneReport, error) {
	var rep PruneReport
	if p.cache == nil {
		return rep, nil
	}
	type file struct {
		path string
		size int64
		mod  time.Time
	}
	var files []file
	var total int64
	err := filepath.WalkDir(p.cache.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil // removed meanwhile
		}
		if strings.HasPrefix(d.Name(), ".tmp-") && info.ModTime().After(keepAfter) {
			return nil // a render being written
		}
		files = append(files, file{path, info.Size(), info.ModTime()})
		total += info.Size()
		return nil
	})
	if err != nil {
		return rep, cacheErr(err)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].mod.Before(files[j].mod) })
	dirs := map[string]bool{}
	for _, f := range files {
		if total <= maxBytes || f.mod.After(keepAfter) {
			break
		}
		if err := os.Remove(f.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return rep, cacheErr(err)
		}
		total -= f.size
		rep.Removed++
		rep.Freed += f.size
		dirs[filepath.Dir(f.path)] = true
	}
	for d := range dirs { // empty image directories, then their parents
		if os.Remove(d) == nil {
			os.Remove(filepath.Dir(d))
		}
	}
	rep.Kept = total
	return rep, nil
}

// touch marks a cached file as just used (at most once per touchEvery).
func touch(path string, mod time.Time) {
	if now := time.Now(); now.Sub(mod) > touchEvery {
		_ = os.Chtimes(path, now, now)
	}
}
