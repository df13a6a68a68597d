//go:build unix

package app

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A FIFO named photo.jpg (nobody ever writes to it) and a link to a device
// are refused at once; the good photo next to them is still imported.
func TestMediaImportRefusesFIFOAndDeviceWithoutHanging(t *testing.T) {
	e := newMediaEnv(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "photo.jpg")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	dev := filepath.Join(dir, "zero.jpg")
	if err := os.Symlink("/dev/zero", dev); err != nil {
		t.Fatal(err)
	}
	good := write(t, "bien.jpg", photoJPEG(320, 240, 7))

	done := make(chan ImportReport, 1)
	go func() {
		rep, err := e.svc.Import(e.client.ID, []string{fifo, dev, good})
		if err != nil {
			t.Error(err)
		}
		done <- rep
	}()
	var rep ImportReport
	select {
	case rep = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the import is still blocked on the FIFO")
	}
	if rep.Imported != 1 || rep.Failed != 2 {
		t.Fatalf("report %+v", rep)
	}
	for i, kind := range []string{"fifo", "device"} {
		r := rep.Results[i]
		if r.Error == nil || r.Error.Key != "media.not_regular_file" || r.Error.Params["kind"] != kind {
			t.Errorf("%s: %+v, want media.not_regular_file (%s)", r.Name, r.Error, kind)
		}
	}
}
