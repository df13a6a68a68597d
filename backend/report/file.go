package report

import (
	"errors"
	"fmt"
	"io"
	"io/fs"

	"pauta/backend"
	"pauta/backend/atomicfile"
)

// writeAtomic writes path through write: a temporary file in the same
// folder, synced, renamed over path. On any failure the temporary file is
// removed: no half-written report is ever left, an existing one stays.
func writeAtomic(path string, write func(io.Writer) error) error {
	if atomicfile.IsDir(path) {
		return unwritable(path, errors.New("it is a folder"))
	}
	if err := atomicfile.Write(path, 0o644, write); err != nil {
		var e *backend.Error
		if errors.As(err, &e) {
			return err
		}
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
