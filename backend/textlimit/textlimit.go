// Package textlimit counts a post's text the way each network counts it and
// says whether it fits: graphemes for Bluesky and Mastodon, X's weighted
// length (URLs as 23, CJK and emoji as 2), bytes where a network counts bytes.
// The frontend mirrors these rules for its live counters; both are tested
// against testdata/vectors.json.
package textlimit

import (
	"regexp"
	"strings"

	"pauta/backend"

	"github.com/rivo/uniseg"
	"golang.org/x/text/unicode/norm"
)

// Unit is what a limit counts.
type Unit string

const (
	Graphemes Unit = "graphemes"
	Weighted  Unit = "weighted" // X
	Bytes     Unit = "bytes"
)

// Rule is one network's text limit.
type Rule struct {
	Network      backend.Network `json:"network"`
	Limit        int             `json:"limit"`
	Unit         Unit            `json:"unit"`
	ByteLimit    int             `json:"byteLimit,omitempty"`    // a second cap in UTF-8 bytes (Bluesky)
	HashtagLimit int             `json:"hashtagLimit,omitempty"` // Instagram: 5 since December 2025
	URLWeight    int             `json:"urlWeight,omitempty"`    // a URL counts as this many (X, Mastodon)
}

// Options carry what is known at run time (a Mastodon instance's own limits).
type Options struct {
	MastodonMaxChars int // 0 = 500
	MastodonURLChars int // 0 = 23
}

// RuleFor returns the rule for a network.
func RuleFor(n backend.Network, o Options) Rule {
	switch n {
	case backend.Bluesky:
		return Rule{Network: n, Limit: 300, Unit: Graphemes, ByteLimit: 3000}
	case backend.X:
		return Rule{Network: n, Limit: 280, Unit: Weighted, URLWeight: 23}
	case backend.Mastodon:
		r := Rule{Network: n, Limit: 500, Unit: Graphemes, URLWeight: 23}
		if o.MastodonMaxChars > 0 {
			r.Limit = o.MastodonMaxChars
		}
		if o.MastodonURLChars > 0 {
			r.URLWeight = o.MastodonURLChars
		}
		return r
	case backend.Instagram:
		return Rule{Network: n, Limit: 2200, Unit: Graphemes, HashtagLimit: 5}
	case backend.LinkedIn:
		return Rule{Network: n, Limit: 3000, Unit: Graphemes}
	case backend.Threads:
		return Rule{Network: n, Limit: 500, Unit: Graphemes} // emoji count as their UTF-8 length
	case backend.Facebook:
		return Rule{Network: n, Limit: 63206, Unit: Graphemes}
	case backend.TikTok:
		return Rule{Network: n, Limit: 2200, Unit: Graphemes}
	case backend.Pinterest:
		return Rule{Network: n, Limit: 500, Unit: Graphemes}
	case backend.YouTube:
		return Rule{Network: n, Limit: 5000, Unit: Bytes}
	case backend.GoogleBusiness:
		return Rule{Network: n, Limit: 1500, Unit: Graphemes}
	}
	return Rule{Network: n, Limit: 0, Unit: Graphemes}
}

// Count is a text measured against a rule.
type Count struct {
	Rule     Rule `json:"rule"`
	Used     int  `json:"used"`
	Bytes    int  `json:"bytes"`
	Hashtags int  `json:"hashtags"`
	Over     bool `json:"over"`
}

// Measure counts text for network n.
func Measure(n backend.Network, text string, o Options) Count {
	r := RuleFor(n, o)
	c := Count{Rule: r, Bytes: len(text), Hashtags: len(Hashtags(text))}
	switch {
	case n == backend.X:
		c.Used = WeightedLength(text)
	case n == backend.Mastodon:
		c.Used = mastodonLength(text, r.URLWeight)
	case n == backend.Threads:
		c.Used = threadsLength(text)
	case r.Unit == Bytes:
		c.Used = len(text)
	default:
		c.Used = uniseg.GraphemeClusterCount(text)
	}
	c.Over = (r.Limit > 0 && c.Used > r.Limit) || (r.ByteLimit > 0 && c.Bytes > r.ByteLimit) || (r.HashtagLimit > 0 && c.Hashtags > r.HashtagLimit)
	return c
}

// urlRe finds links the way the networks' composers do, closely enough: an
// http(s) or www. start up to whitespace, without trailing punctuation.
var urlRe = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"]+`)

// URLs returns the links in text.
func URLs(text string) []string {
	var out []string
	for _, u := range urlRe.FindAllString(text, -1) {
		out = append(out, strings.TrimRight(u, ".,;:!?)]}'\""))
	}
	return out
}

var hashtagRe = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_&/#])#([\p{L}\p{M}\p{N}_]*[\p{L}\p{M}][\p{L}\p{M}\p{N}_]*)`)

// Hashtags returns the hashtags in text, without '#'.
func Hashtags(text string) []string {
	var out []string
	for _, m := range hashtagRe.FindAllStringSubmatch(text, -1) {
		out = append(out, m[1])
	}
	return out
}

// splitURLs returns the text between links and the number of links.
func splitURLs(text string) (rest []string, urls int) {
	locs := urlRe.FindAllStringIndex(text, -1)
	prev := 0
	for _, l := range locs {
		u := strings.TrimRight(text[l[0]:l[1]], ".,;:!?)]}'\"")
		rest = append(rest, text[prev:l[0]])
		prev = l[0] + len(u)
		urls++
	}
	rest = append(rest, text[prev:])
	return rest, urls
}

// WeightedLength is X's count: text NFC-normalised, each URL 23, each emoji
// sequence 2, code points in the Latin/General Punctuation ranges 1, others 2.
func WeightedLength(text string) int {
	text = norm.NFC.String(text)
	parts, urls := splitURLs(text)
	n := urls * 23
	for _, p := range parts {
		g := uniseg.NewGraphemes(p)
		for g.Next() {
			rs := g.Runes()
			if isEmoji(rs) {
				n += 2
				continue
			}
			for _, r := range rs {
				n += xWeight(r)
			}
		}
	}
	return n
}

func xWeight(r rune) int {
	switch {
	case r <= 0x10FF, r >= 0x2000 && r <= 0x200D, r >= 0x2010 && r <= 0x201F, r >= 0x2032 && r <= 0x2037:
		return 1
	}
	return 2
}

// isEmoji reports whether a grapheme cluster is an emoji presentation:
// a pictographic code point, a flag, or a keycap sequence.
func isEmoji(rs []rune) bool {
	for i, r := range rs {
		switch {
		case r >= 0x1F000 && r <= 0x1FAFF, r >= 0x2600 && r <= 0x27BF, r >= 0x2300 && r <= 0x23FF,
			r >= 0x2B00 && r <= 0x2BFF, r >= 0x1F1E6 && r <= 0x1F1FF:
			return true
		case r == 0xFE0F && i > 0, r == 0x20E3:
			return true
		}
	}
	return false
}

var mentionRe = regexp.MustCompile(`(^|[^\p{L}\p{N}_/])@([\p{L}\p{N}_]+)@[\p{L}\p{N}.-]+\p{L}`)

// mastodonLength counts graphemes with every URL as w and remote mentions
// (@user@domain) as their local part only, like Mastodon's validator.
func mastodonLength(text string, w int) int {
	text = mentionRe.ReplaceAllString(text, "$1@$2")
	parts, urls := splitURLs(text)
	n := urls * w
	for _, p := range parts {
		n += uniseg.GraphemeClusterCount(p)
	}
	return n
}

// threadsLength counts graphemes, emoji counting as their UTF-8 byte length.
func threadsLength(text string) int {
	n := 0
	g := uniseg.NewGraphemes(text)
	for g.Next() {
		if isEmoji(g.Runes()) {
			n += len(g.Str())
		} else {
			n++
		}
	}
	return n
}
