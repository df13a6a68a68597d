package archive

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pauta/backend"
)

var when = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func sample(t *testing.T) (string, *backend.ClientArchive) {
	t.Helper()
	dir := t.TempDir()
	img := []byte("not really a jpeg, but a file with content")
	hash := sha(img)
	if err := os.WriteFile(filepath.Join(dir, "img"), img, 0o600); err != nil {
		t.Fatal(err)
	}
	a := &backend.ClientArchive{Client: backend.ArchiveClient{Name: "Luna", TimeZone: "Europe/Madrid"},
		Media: []backend.ArchiveMedia{{Hash: hash, Name: "taza.jpg", Format: "jpeg", Bytes: int64(len(img)), Width: 1, Height: 1}}}
	out := filepath.Join(dir, "luna.zip")
	err := Write(out, a, func(backend.ArchiveMedia) (string, error) { return filepath.Join(dir, "img"), nil },
		[]Extra{{Name: PostsCSV, Data: []byte("date,time\r\n")}}, when, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out, a
}

func sha(b []byte) string {
	r, _, _ := hashBytes(b)
	return r
}

func hashBytes(b []byte) (string, int64, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("x")
	w.Write(b)
	zw.Close()
	zr, _ := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	return hashEntry(zr.File[0], int64(len(b)))
}

func wantKey(t *testing.T, err error, key string) {
	t.Helper()
	if e := backend.AsError(err); e == nil || e.Key != key {
		t.Fatalf("got %v, want %s", err, key)
	}
}

func TestWriteAndOpen(t *testing.T) {
	path, a := sample(t)
	r, err := Open(path, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Manifest.Format != FormatVersion || len(r.Manifest.Files) != 3 || r.Archive.Client.Name != "Luna" {
		t.Fatalf("manifest %+v", r.Manifest)
	}
	data, err := r.MediaData(a.Media[0])
	if err != nil || string(data) != "not really a jpeg, but a file with content" {
		t.Fatalf("media %q %v", data, err)
	}
	if csv, err := r.File(PostsCSV); err != nil || string(csv) != "date,time\r\n" {
		t.Fatalf("posts.csv %q %v", csv, err)
	}
}

// rewrite copies the archive at path, letting edit change each entry (nil = drop it).
func rewrite(t *testing.T, path string, edit func(name string, data []byte) []byte, add map[string][]byte) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, _ := f.Open()
		var data bytes.Buffer
		data.ReadFrom(rc)
		rc.Close()
		out := edit(f.Name, data.Bytes())
		if out == nil {
			continue
		}
		w, _ := zw.Create(f.Name)
		w.Write(out)
	}
	for name, data := range add {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	zw.Close()
	out := filepath.Join(t.TempDir(), "edited.zip")
	os.WriteFile(out, buf.Bytes(), 0o600)
	return out
}

func TestTamperedRefused(t *testing.T) {
	path, _ := sample(t)
	changed := rewrite(t, path, func(name string, d []byte) []byte {
		if name == DataFile {
			return bytes.Replace(d, []byte("Luna"), []byte("Sol!"), 1)
		}
		return d
	}, nil)
	_, err := Open(changed, DefaultLimits())
	wantKey(t, err, "archive.checksum")
	added := rewrite(t, path, func(_ string, d []byte) []byte { return d }, map[string][]byte{"media/extra.jpg": []byte("x")})
	_, err = Open(added, DefaultLimits())
	wantKey(t, err, "archive.checksum")
	missing := rewrite(t, path, func(name string, d []byte) []byte {
		if strings.HasPrefix(name, "media/") {
			return nil
		}
		return d
	}, nil)
	_, err = Open(missing, DefaultLimits())
	wantKey(t, err, "archive.damaged")
}

func TestNewerFormatRefused(t *testing.T) {
	path, _ := sample(t)
	newer := rewrite(t, path, func(name string, d []byte) []byte {
		if name == ManifestFile {
			var m Manifest
			json.Unmarshal(d, &m)
			m.Format = FormatVersion + 1
			d, _ = json.Marshal(m)
		}
		return d
	}, nil)
	_, err := Open(newer, DefaultLimits())
	wantKey(t, err, "archive.newer")
}

func TestZipSlipAndAbsolutePathsRefused(t *testing.T) {
	path, _ := sample(t)
	for _, name := range []string{"../evil.sh", "media/../../evil", "/etc/passwd", `media\..\evil`, "C:evil", "./x", "a//b"} {
		bad := rewrite(t, path, func(_ string, d []byte) []byte { return d }, map[string][]byte{name: []byte("x")})
		_, err := Open(bad, DefaultLimits())
		wantKey(t, err, "archive.unsafe_path")
	}
}

// rawArchive writes one entry whose header declares size bytes, with a
// small compressed body: the 10 GB declaration and the zip bomb.
func rawArchive(t *testing.T, name string, declared uint64, body []byte, method uint16) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: method, CompressedSize64: uint64(len(body)), UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(body)
	zw.Close()
	out := filepath.Join(t.TempDir(), "raw.zip")
	os.WriteFile(out, buf.Bytes(), 0o600)
	return out
}

func TestDeclaredSizeAndBombRefused(t *testing.T) {
	_, err := Open(rawArchive(t, "media/big.jpg", 10<<30, []byte("tiny"), zip.Store), DefaultLimits())
	wantKey(t, err, "archive.too_big")
	// 100 MB of zeros deflate to ~100 KB: a ratio of ~1000.
	var comp bytes.Buffer
	zw := zip.NewWriter(&comp)
	w, _ := zw.Create("client.json")
	w.Write(make([]byte, 100<<20))
	zw.Close()
	bomb := filepath.Join(t.TempDir(), "bomb.zip")
	os.WriteFile(bomb, comp.Bytes(), 0o600)
	_, err = Open(bomb, DefaultLimits())
	wantKey(t, err, "archive.bomb")
}

func TestTruncatedRefused(t *testing.T) {
	path, _ := sample(t)
	data, _ := os.ReadFile(path)
	cut := filepath.Join(t.TempDir(), "cut.zip")
	os.WriteFile(cut, data[:len(data)*2/3], 0o600)
	_, err := Open(cut, DefaultLimits())
	wantKey(t, err, "archive.damaged")
	notZip := filepath.Join(t.TempDir(), "x.zip")
	os.WriteFile(notZip, []byte("hello"), 0o600)
	_, err = Open(notZip, DefaultLimits())
	wantKey(t, err, "archive.damaged")
}
