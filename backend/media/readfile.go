package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"

	"pauta/backend"
)

// ReadFile reads an image file, refusing one above the byte limit before
// reading it. See ReadFileContext.
func (p *Processor) ReadFile(path string) ([]byte, error) {
	return p.ReadFileContext(context.Background(), path)
}

// ReadFileContext reads an image file. Only a regular file (or a symlink to
// one) is opened: a FIFO or a device named photo.jpg would block the open
// or the read forever. The type is checked before opening and again on the
// opened file (it may be swapped meanwhile), and ending ctx ends the wait
// for any read.
func (p *Processor) ReadFileContext(ctx context.Context, path string) ([]byte, error) {
	st, err := os.Lstat(path)
	if err == nil && st.Mode()&fs.ModeSymlink != 0 {
		st, err = os.Stat(path) // what the link points to
	}
	if err != nil {
		return nil, unreadable(path, err)
	}
	if !st.Mode().IsRegular() {
		return nil, notRegular(path, st.Mode())
	}
	if err := p.checkSize(path, st.Size()); err != nil {
		return nil, err
	}
	return p.readRegular(ctx, path)
}

// readRegular opens path without blocking (a FIFO swapped in after the
// Lstat would otherwise block the open until a writer comes), refuses
// anything but a regular file, and reads it in chunks while ctx lasts.
func (p *Processor) readRegular(ctx context.Context, path string) ([]byte, error) {
	f, err := openNoBlock(path)
	if err != nil {
		return nil, unreadable(path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, unreadable(path, err)
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, notRegular(path, st.Mode())
	}
	if err := p.checkSize(path, st.Size()); err != nil {
		f.Close()
		return nil, err
	}
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1) // buffered: a read abandoned below still ends
	go func() {
		defer f.Close()
		data, err := readChunks(ctx, io.LimitReader(f, p.limits.MaxBytes+1), st.Size()) // the file may grow meanwhile
		done <- result{data, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			if ctx.Err() != nil {
				return nil, cancelled(path, ctx.Err())
			}
			return nil, unreadable(path, r.err)
		}
		if err := p.checkSize(path, int64(len(r.data))); err != nil {
			return nil, err
		}
		return r.data, nil
	case <-ctx.Done():
		// A read the kernel cannot interrupt (a hung network file system)
		// finishes in its goroutine; the import does not wait for it.
		return nil, cancelled(path, ctx.Err())
	}
}

// readChunks reads r to the end, checking ctx between chunks of 1 MiB.
func readChunks(ctx context.Context, r io.Reader, size int64) ([]byte, error) {
	buf := make([]byte, 0, max(size, 0)+1)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):min(cap(buf), len(buf)+mb)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func (p *Processor) checkSize(path string, size int64) error {
	if limit := p.limits.MaxBytes; size > limit {
		return backend.Errorf(backend.EInvalid, "media.too_large", "%s: %d bytes, more than the %d allowed", path, size, limit).
			WithParam("size", strconv.FormatInt(size, 10)).WithParam("max", strconv.FormatInt(limit, 10))
	}
	return nil
}

// notRegular refuses a FIFO, device, socket or directory with its kind.
func notRegular(path string, m fs.FileMode) error {
	kind := "other"
	switch {
	case m.IsDir():
		kind = "directory"
	case m&fs.ModeNamedPipe != 0:
		kind = "fifo"
	case m&fs.ModeDevice != 0:
		kind = "device"
	case m&fs.ModeSocket != 0:
		kind = "socket"
	}
	return backend.Errorf(backend.EInvalid, "media.not_regular_file", "%s is not a regular file (it is a %s); choose an image file", path, kind).
		WithParam("kind", kind)
}

func cancelled(path string, err error) error {
	// Both wrapped: the UI gets the key, callers can still test for ctx's error.
	return fmt.Errorf("read %s: %w (%w)", path, backend.Errorf(backend.EUnavailable, "media.cancelled", "the import was stopped while reading %s", path), err)
}

func unreadable(path string, err error) error {
	code := backend.EUnavailable
	if errors.Is(err, fs.ErrNotExist) {
		code = backend.ENotFound
	}
	return fmt.Errorf("read %s: %w", path, backend.Errorf(code, "media.unreadable", "cannot read %s: %v", path, err))
}
