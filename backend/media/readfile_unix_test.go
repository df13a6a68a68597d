//go:build unix

package media

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"pauta/backend"
)

// A FIFO or a device named like a photo must be refused at once, never
// opened for a read that waits forever.
func TestReadFileRefusesFIFOAndDevices(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "photo.jpg")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	zero := filepath.Join(dir, "zero.jpg")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	fifoLink := filepath.Join(dir, "link.png")
	if err := os.Symlink(fifo, fifoLink); err != nil {
		t.Fatal(err)
	}
	p := New()
	for _, c := range []struct{ path, kind string }{
		{fifo, "fifo"}, {zero, "device"}, {fifoLink, "fifo"}, {dir, "directory"},
	} {
		start := time.Now()
		_, err := within(t, 5*time.Second, func() error { _, err := p.ReadFile(c.path); return err })
		e := backend.AsError(err)
		if e == nil || e.Key != "media.not_regular_file" || e.Params["kind"] != c.kind {
			t.Errorf("%s: got %v, want media.not_regular_file kind %s", filepath.Base(c.path), err, c.kind)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: took %v", filepath.Base(c.path), d)
		}
	}
}

// The check on the opened file catches a FIFO swapped in after the Lstat:
// the open itself must not block waiting for a writer.
func TestReadRegularOpensFIFOWithoutBlocking(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "photo.jpg")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	_, err := within(t, 5*time.Second, func() error { _, err := New().readRegular(context.Background(), fifo); return err })
	if e := backend.AsError(err); e == nil || e.Key != "media.not_regular_file" {
		t.Fatalf("got %v, want media.not_regular_file", err)
	}
}

// within runs fn and fails the test if it does not return in limit.
func within(t *testing.T, limit time.Duration, fn func() error) (time.Duration, error) {
	t.Helper()
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return time.Since(start), err
	case <-time.After(limit):
		t.Fatalf("still blocked after %v", limit)
		return 0, nil
	}
}
