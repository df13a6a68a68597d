package media

import (
	"os"
	"testing"
)

// decoderCache is the tests' shared compilation cache of the HEIC/AVIF
// decoders: each test's decoder process loads them instead of compiling
// them again (seconds under the race detector).
var decoderCache string

func TestMain(m *testing.M) {
	ServeDecoder() // the HEIC/AVIF decoder process is this test binary started again
	dir, err := os.MkdirTemp("", "pauta-media-decoders-")
	if err == nil {
		decoderCache = dir
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// newProc is New with the tests' decoder cache.
func newProc(opts ...Option) *Processor {
	return New(append([]Option{WithDecoderCacheDir(decoderCache)}, opts...)...)
}
