package media

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	ServeDecoder() // the HEIC/AVIF decoder process is this test binary started again
	os.Exit(m.Run())
}
