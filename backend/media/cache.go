package media

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"pauta/backend"
)

// diskCache keeps rendered presets as files:
//
//	dir/<hash[:2]>/<hash>/<preset id>.<key>[.u][.f].<ext>
//
// key covers the preset's settings, the focal point (rounded to 0.001) and
// EncoderVersion; .u and .f record Upscaled and Flattened. One directory per
// source image makes Forget a single RemoveAll.
type diskCache struct{ dir string }

func (c *diskCache) imageDir(hash string) string {
	return filepath.Join(c.dir, hash[:2], hash)
}

func cacheKey(hash string, r Request) string {
	s := sha256.Sum256(fmt.Appendf(nil, "%s|%s|%.3f|%.3f|v%d", hash, r.Preset.fingerprint(), r.Focal.X, r.Focal.Y, EncoderVersion))
	return hex.EncodeToString(s[:8])
}

// lookup returns the cached output for r, reading only the file's header.
func (c *diskCache) lookup(info Info, r Request) (Output, bool) {
	prefix := r.Preset.ID + "." + cacheKey(info.Hash, r)
	matches, _ := filepath.Glob(filepath.Join(c.imageDir(info.Hash), globEscape(prefix)+".*"))
	for _, path := range matches {
		out, err := readCached(path, prefix)
		if err != nil {
			continue
		}
		out.PresetID = r.Preset.ID
		out.Crop = SourceCrop(info.Width, info.Height, r.Preset, r.Focal)
		return out, true
	}
	return Output{}, false
}

func globEscape(s string) string {
	return strings.NewReplacer(`*`, `\*`, `?`, `\?`, `[`, `\[`, `\`, `\\`).Replace(s)
}

func readCached(path, prefix string) (Output, error) {
	f, err := os.Open(path)
	if err != nil {
		return Output{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Output{}, err
	}
	out := Output{Path: path, Bytes: st.Size(), Cached: true}
	touch(path, st.ModTime())
	var cfg image.Config
	switch filepath.Ext(path) {
	case ".jpg":
		out.Format = JPEG
		cfg, err = jpeg.DecodeConfig(f)
	case ".png":
		out.Format = PNG
		cfg, err = png.DecodeConfig(f)
	default:
		return Output{}, errors.New("not a cached image")
	}
	if err != nil {
		return Output{}, err
	}
	out.Width, out.Height = cfg.Width, cfg.Height
	flags := strings.Split(strings.TrimPrefix(filepath.Base(path), prefix), ".")
	for _, fl := range flags {
		out.Upscaled = out.Upscaled || fl == "u"
		out.Flattened = out.Flattened || fl == "f"
	}
	return out, nil
}

// store writes b atomically (temp file, then rename) and returns its path.
func (c *diskCache) store(info Info, r Request, out Output, b []byte) (string, error) {
	dir := c.imageDir(info.Hash)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", cacheErr(err)
	}
	name := r.Preset.ID + "." + cacheKey(info.Hash, r)
	if out.Upscaled {
		name += ".u"
	}
	if out.Flattened {
		name += ".f"
	}
	path := filepath.Join(dir, name+out.Format.Ext())
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return "", cacheErr(err)
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return "", cacheErr(err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return "", cacheErr(err)
	}
	return path, nil
}

func (c *diskCache) forget(hash string) error {
	if len(hash) < 2 || strings.ContainsAny(hash, `/\.`) {
		return backend.Errorf(backend.EInvalid, "media.hash_invalid", "bad content hash %q", hash)
	}
	if err := os.RemoveAll(c.imageDir(hash)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return cacheErr(err)
	}
	return nil
}

func cacheErr(err error) error {
	return fmt.Errorf("media cache: %w", backend.Errorf(backend.EUnavailable, "media.cache_unavailable", "cannot write the image cache: %v", err))
}
