//go:build unix

package media

import (
	"os"
	"syscall"
)

// openNoBlock opens read-only with O_NONBLOCK, so opening a FIFO returns at
// once instead of waiting for a writer; it changes nothing for regular files.
func openNoBlock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
