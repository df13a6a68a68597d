package media

import (
	_ "unsafe" // go:linkname

	_ "github.com/gen2brain/avif" // its decoder's WebAssembly, run by wasmdec.go
	_ "github.com/gen2brain/heic" // its decoder's WebAssembly, run by wasmdec.go
)

//go:linkname heifWasm github.com/gen2brain/heic.heifWasm
var heifWasm []byte

//go:linkname avifWasm github.com/gen2brain/avif.decodeWasm
var avifWasm []byte
