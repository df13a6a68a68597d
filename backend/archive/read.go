package archive

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"path"
	"strconv"
	"strings"

	"pauta/backend"
)

// Reader is an opened and fully checked archive.
type Reader struct {
	zr       *zip.ReadCloser
	files    map[string]*zip.File
	sums     map[string]string
	Manifest Manifest
	Archive  *backend.ClientArchive
}

// Close closes the archive file.
func (r *Reader) Close() error { return r.zr.Close() }

// safeName refuses every path that could leave the folder it is unpacked
// into or means something else on another system (zip slip).
// SafeName reports whether name can be unpacked inside a folder (see Open).
func SafeName(name string) bool { return safeName(name) }

func safeName(name string) bool {
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, `\`) || strings.ContainsRune(name, 0) {
		return false
	}
	if len(name) >= 2 && name[1] == ':' { // C:foo
		return false
	}
	if path.Clean(name) != name {
		return false
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." || part == "." || part == "" {
			return false
		}
	}
	return true
}

// Open checks an archive before anything is taken from it: every path is
// safe, the declared sizes fit the limits (a 10 GB declaration is refused
// without reading a byte of it), no file expands far beyond its compressed
// size, the format is not newer than this Pauta's, and every file matches
// its SHA-256 in the manifest (and nothing is there that the manifest does
// not list).
func Open(file string, lim Limits) (*Reader, error) {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return nil, damaged("%s is not a readable archive (damaged or cut short): %v", file, err)
	}
	r := &Reader{zr: zr, files: map[string]*zip.File{}, sums: map[string]string{}}
	if err := r.check(lim); err != nil {
		zr.Close()
		return nil, err
	}
	return r, nil
}

func (r *Reader) check(lim Limits) error {
	if len(r.zr.File) > lim.MaxFiles {
		return backend.Errorf(backend.EInvalid, "archive.too_many_files", "the archive holds more than %d files", lim.MaxFiles).WithParam("max", strconv.Itoa(lim.MaxFiles))
	}
	var total uint64
	for _, f := range r.zr.File {
		if strings.HasSuffix(f.Name, "/") && f.UncompressedSize64 == 0 {
			continue // a folder entry
		}
		if !safeName(f.Name) {
			return backend.Errorf(backend.EInvalid, "archive.unsafe_path", "the archive holds a file outside its folder (%q): refused", f.Name).WithParam("file", f.Name)
		}
		if _, dup := r.files[f.Name]; dup {
			return backend.Errorf(backend.EInvalid, "archive.invalid", "the archive holds %q twice", f.Name).WithParam("file", f.Name)
		}
		if f.UncompressedSize64 > uint64(lim.MaxEntry) {
			return tooBig(f.Name, f.UncompressedSize64)
		}
		total += f.UncompressedSize64
		if total > uint64(lim.MaxTotal) {
			return tooBig("", total)
		}
		if f.UncompressedSize64 > 1<<20 && f.UncompressedSize64/max(f.CompressedSize64, 1) > uint64(lim.MaxRatio) {
			return backend.Errorf(backend.EInvalid, "archive.bomb", "%s expands %d times its size: refused", f.Name, f.UncompressedSize64/max(f.CompressedSize64, 1)).WithParam("file", f.Name)
		}
		r.files[f.Name] = f
	}
	mf, ok := r.files[ManifestFile]
	if !ok {
		return backend.Errorf(backend.EInvalid, "archive.invalid", "this is not a Pauta client archive (no manifest.json)")
	}
	mdata, err := r.readAll(mf, 16<<20)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(mdata, &r.Manifest); err != nil || r.Manifest.App != "pauta" {
		return backend.Errorf(backend.EInvalid, "archive.invalid", "this is not a Pauta client archive (unreadable manifest.json)")
	}
	if r.Manifest.Format > FormatVersion {
		return backend.Errorf(backend.EInvalid, "archive.newer", "this archive was written by a newer Pauta (format %d; this one reads up to %d): update Pauta first",
			r.Manifest.Format, FormatVersion).WithParam("format", strconv.Itoa(r.Manifest.Format))
	}
	listed := map[string]bool{ManifestFile: true}
	for _, e := range r.Manifest.sortedFiles() {
		f, ok := r.files[e.Path]
		if !ok || listed[e.Path] {
			return damaged("%s is missing from the archive", e.Path).WithParam("file", e.Path)
		}
		listed[e.Path] = true
		if uint64(e.Size) != f.UncompressedSize64 {
			return backend.Errorf(backend.EInvalid, "archive.checksum", "%s does not match the manifest (it was changed)", e.Path).WithParam("file", e.Path)
		}
		sum, _, err := hashEntry(f, e.Size)
		if err != nil {
			return damaged("%s cannot be read from the archive (damaged or cut short): %v", e.Path, err).WithParam("file", e.Path)
		}
		if sum != e.SHA256 {
			return backend.Errorf(backend.EInvalid, "archive.checksum", "%s does not match the manifest (it was changed)", e.Path).WithParam("file", e.Path)
		}
		r.sums[e.Path] = sum
	}
	for name := range r.files {
		if !listed[name] {
			return backend.Errorf(backend.EInvalid, "archive.checksum", "%s is not in the manifest (it was added)", name).WithParam("file", name)
		}
	}
	df, ok := r.files[DataFile]
	if !ok {
		return backend.Errorf(backend.EInvalid, "archive.invalid", "this is not a Pauta client archive (no %s)", DataFile)
	}
	data, err := r.readAll(df, df.UncompressedSize64)
	if err != nil {
		return err
	}
	var a backend.ClientArchive
	if err := json.Unmarshal(data, &a); err != nil {
		return backend.Errorf(backend.EInvalid, "archive.invalid", "the client data in the archive cannot be read: %v", err)
	}
	for _, m := range a.Media {
		if !backend.ValidHash(m.Hash) || exts[m.Format] == "" {
			return backend.Errorf(backend.EInvalid, "archive.invalid", "the archive names an image it cannot hold (%q)", m.Name)
		}
		if _, ok := r.files[MediaPath(m)]; !ok {
			return damaged("%s is missing from the archive", MediaPath(m)).WithParam("file", MediaPath(m))
		}
	}
	r.Archive = &a
	return nil
}

func tooBig(name string, size uint64) *backend.Error {
	gb := strconv.FormatFloat(float64(size)/(1<<30), 'f', 1, 64)
	return backend.Errorf(backend.EInvalid, "archive.too_big", "the archive declares %s GB%s: more than Pauta takes in one go", gb, map[bool]string{true: "", false: " in " + name}[name == ""]).WithParam("size", gb)
}

func (r *Reader) readAll(f *zip.File, limit uint64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, damaged("%s cannot be read from the archive: %v", f.Name, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, int64(limit)+1))
	if err != nil || uint64(len(data)) > limit {
		return nil, damaged("%s cannot be read from the archive (damaged or cut short)", f.Name).WithParam("file", f.Name)
	}
	return data, nil
}

// MediaData reads an image's file, checked again against the manifest.
func (r *Reader) MediaData(m backend.ArchiveMedia) ([]byte, error) {
	p := MediaPath(m)
	f, ok := r.files[p]
	if !ok {
		return nil, damaged("%s is missing from the archive", p)
	}
	data, err := r.readAll(f, f.UncompressedSize64)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != r.sums[p] || hex.EncodeToString(sum[:]) != m.Hash {
		return nil, backend.Errorf(backend.EInvalid, "archive.checksum", "%s does not match the manifest (it was changed)", p).WithParam("file", p)
	}
	return data, nil
}

// File reads one listed file (posts.csv, calendar.ics).
func (r *Reader) File(name string) ([]byte, error) {
	f, ok := r.files[name]
	if !ok {
		return nil, damaged("%s is missing from the archive", name)
	}
	data, err := r.readAll(f, f.UncompressedSize64)
	if err != nil {
		return nil, err
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != r.sums[name] {
		return nil, backend.Errorf(backend.EInvalid, "archive.checksum", "%s does not match the manifest", name).WithParam("file", name)
	}
	return bytes.Clone(data), nil
}
