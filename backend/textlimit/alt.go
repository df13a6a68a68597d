package textlimit

import (
	"strings"
	"unicode/utf8"

	"pauta/backend"

	"github.com/rivo/uniseg"
)

// AltTextLength counts an image's alt text the way network n counts it
// against backend.MaxAltText: graphemes for Bluesky, characters (code
// points) elsewhere. Surrounding spaces do not count (the library trims them).
func AltTextLength(n backend.Network, alt string) int {
	alt = strings.TrimSpace(alt)
	if n == backend.Bluesky {
		return uniseg.GraphemeClusterCount(alt)
	}
	return utf8.RuneCountInString(alt)
}
