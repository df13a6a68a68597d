package report

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"pauta/backend"
)

// writeAtomic writes path through write: a temporary file in the same
// folder, synced, renamed over path. On any failure the temporary file is
// removed: no half-written report is ever left, an existing one stays.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	if fi, statErr := os.Stat(path); statErr == nil && fi.IsDir() {
		return unwritable(path, errors.New("it is a folder"))
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return unwritable(path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := write(f); err != nil {
		var e *backend.Error
		if errors.As(err, &e) {
			return err
		}
		return unwritable(path, err)
	}
	if err := f.Sync(); err != nil {
		return unwritable(path, err)
	}
	if err := f.Close(); err != nil {
		return unwritable(path, err)
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return unwritable(path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return unwritable(path, err)
	}
	return nil
}

func unwritable(path string, cause error) error {
	reason := cause.Error()
	var pe *fs.PathError
	if errors.As(cause, &pe) {
		reason = pe.Err.Error()
	}
	e := backend.Errorf(backend.EUnavailable, "report.output_unwritable", "cannot write %s: %s", path, reason).
		WithField("output").WithParam("path", path).WithParam("reason", reason)
	return fmt.Errorf("write report %s: %w", path, e)
}
