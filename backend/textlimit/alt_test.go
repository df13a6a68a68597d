package textlimit

import (
	"strings"
	"testing"

	"pauta/backend"
)

func TestAltTextLimits(t *testing.T) {
	family := "👩‍👩‍👧" // one grapheme, five code points
	cases := []struct {
		name   string
		n      backend.Network
		limits backend.AccountLimits
		alt    string
		max    int
		used   int
	}{
		{"mastodon default", backend.Mastodon, backend.AccountLimits{}, strings.Repeat("a", 1500), 1500, 1500},
		{"mastodon instance limit", backend.Mastodon, backend.AccountLimits{DescriptionLimit: 420}, strings.Repeat("é", 421), 420, 421},
		{"mastodon counts code points", backend.Mastodon, backend.AccountLimits{}, family, 1500, 5},
		{"bluesky counts graphemes", backend.Bluesky, backend.AccountLimits{DescriptionLimit: 10}, strings.Repeat(family, 2000), 2000, 2000},
		{"x", backend.X, backend.AccountLimits{}, strings.Repeat("ñ", 1001), 1000, 1001},
		{"pinterest", backend.Pinterest, backend.AccountLimits{}, "  " + strings.Repeat("x", 500) + "\n", 500, 500},
		{"instagram unknown", backend.Instagram, backend.AccountLimits{}, strings.Repeat("x", 9000), 0, 9000},
		{"linkedin unknown", backend.LinkedIn, backend.AccountLimits{DescriptionLimit: 5}, "abcdef", 0, 6},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := backend.MaxAltText(c.n, c.limits); got != c.max {
				t.Errorf("MaxAltText = %d, want %d", got, c.max)
			}
			if got := AltTextLength(c.n, c.alt); got != c.used {
				t.Errorf("AltTextLength = %d, want %d", got, c.used)
			}
		})
	}
}
