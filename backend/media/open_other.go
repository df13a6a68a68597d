//go:build !unix

package media

import "os"

// openNoBlock opens read-only: without Unix FIFOs there is no open to block.
func openNoBlock(path string) (*os.File, error) { return os.Open(path) }
