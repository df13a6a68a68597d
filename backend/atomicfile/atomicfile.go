// Package atomicfile writes a file so that a crash or an error never leaves
// half of it under its real name: a temporary file in the same folder,
// synced, then renamed over the target. On failure the temporary file is
// removed and an existing file stays as it was.
package atomicfile

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Write writes path through write with permissions perm. The error of
// write is returned unchanged; the others are the OS's.
func Write(path string, perm fs.FileMode, write func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp, perm); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// WriteBytes writes b to path (Write with the bytes).
func WriteBytes(path string, perm fs.FileMode, b []byte) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// IsDir reports whether path names an existing folder (callers refuse it
// as an output with their own message).
func IsDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}
