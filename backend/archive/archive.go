// Package archive writes a client archive (one .zip: the client's data as
// JSON, its images, a human-readable posts.csv and calendar.ics, and a
// manifest with the SHA-256 of every file) and reads one back, checking it
// before anything is written: safe paths, declared sizes, no zip bomb, the
// format version, every checksum.
package archive

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"sort"
	"strconv"
	"time"

	"pauta/backend"
	"pauta/backend/atomicfile"
)

// FormatVersion is the archive format this Pauta writes and the newest it reads.
const FormatVersion = 3 // 2: saved replies, alert words and figures; 3: a first comment per account

// Manifest is manifest.json: what the archive holds, with checksums.
type Manifest struct {
	Format    int         `json:"format"`
	App       string      `json:"app"` // "pauta"
	CreatedAt time.Time   `json:"createdAt"`
	Client    string      `json:"client"`
	Files     []FileEntry `json:"files"`
}

// FileEntry is one file of the archive.
type FileEntry struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// Data files inside an archive.
const (
	ManifestFile = "manifest.json"
	DataFile     = "client.json" // backend.ClientArchive
	PostsCSV     = "posts.csv"
	CalendarICS  = "calendar.ics"
)

var exts = map[string]string{"jpeg": ".jpg", "png": ".png", "gif": ".gif", "webp": ".webp"}

// MediaPath is where an image's file is inside the archive.
func MediaPath(m backend.ArchiveMedia) string { return "media/" + m.Hash + exts[m.Format] }

// Extra is a file written beside the data (posts.csv, calendar.ics).
type Extra struct {
	Name string
	Data []byte
}

// Progress reports bytes written of the total.
type Progress func(done, total int64)

// Write writes a's archive to path (temp file, then rename): the data, each
// image's original from mediaFile (its path on disk), the extras and, last,
// the manifest.
func Write(path string, a *backend.ClientArchive, mediaFile func(backend.ArchiveMedia) (string, error), extras []Extra, now time.Time, progress Progress) error {
	data, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return err
	}
	type source struct {
		name   string
		data   []byte
		file   string
		size   int64
		stored bool // images are compressed already
	}
	srcs := []source{{name: DataFile, data: data, size: int64(len(data))}}
	for _, e := range extras {
		srcs = append(srcs, source{name: e.Name, data: e.Data, size: int64(len(e.Data))})
	}
	for _, m := range a.Media {
		if !backend.ValidHash(m.Hash) || exts[m.Format] == "" {
			return backend.Errorf(backend.EInternal, "media.hash_invalid", "bad stored image %q.%s", m.Hash, m.Format)
		}
		f, err := mediaFile(m)
		if err != nil {
			return err
		}
		st, err := os.Stat(f)
		if err != nil {
			return backend.Errorf(backend.EUnavailable, "archive.media_missing", "the image %s is missing from the library", m.Name).WithParam("file", m.Name)
		}
		srcs = append(srcs, source{name: MediaPath(m), file: f, size: st.Size(), stored: true})
	}
	var total, done int64
	for _, s := range srcs {
		total += s.size
	}
	err = atomicfile.Write(path, 0o600, func(out io.Writer) error {
		zw := zip.NewWriter(out)
		man := Manifest{Format: FormatVersion, App: "pauta", CreatedAt: now.UTC().Truncate(time.Second), Client: a.Client.Name}
		for _, s := range srcs {
			method := zip.Deflate
			if s.stored {
				method = zip.Store
			}
			w, err := zw.CreateHeader(&zip.FileHeader{Name: s.name, Method: method, Modified: man.CreatedAt})
			if err != nil {
				return err
			}
			h := sha256.New()
			var n int64
			if s.file != "" {
				f, err := os.Open(s.file)
				if err != nil {
					return err
				}
				n, err = io.Copy(io.MultiWriter(w, h), f)
				f.Close()
				if err != nil {
					return err
				}
			} else if n, err = io.Copy(io.MultiWriter(w, h), bytes.NewReader(s.data)); err != nil {
				return err
			}
			done += n
			if progress != nil {
				progress(done, total)
			}
			man.Files = append(man.Files, FileEntry{Path: s.name, SHA256: hex.EncodeToString(h.Sum(nil)), Size: n})
		}
		mdata, err := json.MarshalIndent(man, "", "  ")
		if err != nil {
			return err
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: ManifestFile, Method: zip.Deflate, Modified: man.CreatedAt})
		if err == nil {
			_, err = w.Write(mdata)
		}
		if err == nil {
			err = zw.Close()
		}
		return err
	})
	if err != nil {
		return writeErr(path, err)
	}
	return nil
}

func writeErr(path string, err error) error {
	return backend.Errorf(backend.EUnavailable, "archive.write_failed", "cannot write %s: %v", path, err).WithParam("path", path)
}

// Limits bound what Open accepts.
type Limits struct {
	MaxTotal int64 // sum of the declared sizes
	MaxEntry int64 // one file
	MaxFiles int
	MaxRatio int64 // uncompressed / compressed, for files over 1 MB
}

// DefaultLimits: a client with years of posts and a few GB of photos fits;
// a 10 GB declaration does not.
func DefaultLimits() Limits {
	return Limits{MaxTotal: 8 << 30, MaxEntry: 512 << 20, MaxFiles: 200000, MaxRatio: 200}
}

func damaged(format string, args ...any) *backend.Error {
	return backend.Errorf(backend.EInvalid, "archive.damaged", format, args...)
}

// sortedFiles lists the manifest's files by path.
func (m *Manifest) sortedFiles() []FileEntry {
	out := append([]FileEntry(nil), m.Files...)
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

var errTooLong = errors.New("longer than declared")

func hashEntry(f *zip.File, limit int64) (string, int64, error) {
	rc, err := f.Open()
	if err != nil {
		return "", 0, err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(rc, limit+1))
	if err != nil {
		return "", n, err
	}
	if n > limit {
		return "", n, errTooLong
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
