package bluesky

import (
	"net/url"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Facet annotates a byte range of a post's text (UTF-8 byte offsets, end
// exclusive: what app.bsky.richtext.facet requires).
type Facet struct {
	Index    ByteSlice      `json:"index"`
	Features []FacetFeature `json:"features"`
}

// ByteSlice is a facet's range in UTF-8 bytes.
type ByteSlice struct {
	ByteStart int `json:"byteStart"`
	ByteEnd   int `json:"byteEnd"`
}

// FacetFeature is one of #link, #mention, #tag.
type FacetFeature struct {
	Type string `json:"$type"`
	URI  string `json:"uri,omitempty"` // #link
	DID  string `json:"did,omitempty"` // #mention
	Tag  string `json:"tag,omitempty"` // #tag, without '#'
}

// Feature types.
const (
	FeatureLink    = "app.bsky.richtext.facet#link"
	FeatureMention = "app.bsky.richtext.facet#mention"
	FeatureTag     = "app.bsky.richtext.facet#tag"
)

// MaxTagLength is the lexicon's limit on a hashtag (graphemes; Pauta counts
// code points, which is never fewer, so a tag it keeps is always valid).
const MaxTagLength = 64

// Candidate is a link, mention or tag found in text, before mentions are
// resolved to DIDs.
type Candidate struct {
	Start, End int    // byte offsets into the text
	Kind       string // FeatureLink, FeatureMention or FeatureTag
	Value      string // the URI, the handle (lowercase, no '@') or the tag (no '#')
}

// DetectFacets finds links (http:// and https://), mentions (@handle.domain)
// and hashtags (#tag) the way Bluesky's own client does, with UTF-8 byte
// offsets. Overlaps are resolved in favour of the earlier, then the link.
func DetectFacets(text string) []Candidate {
	var cs []Candidate
	cs = append(cs, detectLinks(text)...)
	cs = append(cs, detectMentions(text)...)
	cs = append(cs, detectTags(text)...)
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Start < cs[j].Start })
	out := cs[:0]
	end := -1
	for _, c := range cs {
		if c.Start < end {
			continue
		}
		out = append(out, c)
		end = c.End
	}
	return out
}

// boundaryBefore reports whether position i starts a token: the start of the
// text, whitespace, or one of extra before it.
func boundaryBefore(text string, i int, extra string) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return unicode.IsSpace(r) || strings.ContainsRune(extra, r)
}

func detectLinks(text string) []Candidate {
	var out []Candidate
	lower := strings.ToLower(text) // ASCII-only prefixes: byte offsets stay valid for the scheme check
	for i := 0; i < len(text); i++ {
		if text[i] != 'h' && text[i] != 'H' {
			continue
		}
		if !(strings.HasPrefix(lower[i:], "https://") || strings.HasPrefix(lower[i:], "http://")) || !boundaryBefore(text, i, "(") {
			continue
		}
		end := i
		for end < len(text) {
			r, size := utf8.DecodeRuneInString(text[end:])
			if unicode.IsSpace(r) {
				break
			}
			end += size
		}
		uri := text[i:end]
		if strings.ContainsAny(uri[len(uri)-1:], ".,;:!?") {
			uri = uri[:len(uri)-1]
		}
		if strings.HasSuffix(uri, ")") && !strings.Contains(uri, "(") {
			uri = uri[:len(uri)-1]
		}
		u, err := url.Parse(uri)
		if err == nil && u.Host != "" {
			out = append(out, Candidate{i, i + len(uri), FeatureLink, uri})
		}
		i = end
	}
	return out
}

func detectMentions(text string) []Candidate {
	var out []Candidate
	for i := 0; i < len(text); i++ {
		if text[i] != '@' || !boundaryBefore(text, i, "(") {
			continue
		}
		end := i + 1
		for end < len(text) && isHandleByte(text[end]) {
			end++
		}
		if end < len(text) && text[end] == '_' { // "@a.b_c" is not a handle
			continue
		}
		h := strings.TrimRight(text[i+1:end], ".-")
		if !ValidHandle(h) {
			continue
		}
		out = append(out, Candidate{i, i + 1 + len(h), FeatureMention, strings.ToLower(h)})
		i = end - 1
	}
	return out
}

func isHandleByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '.' || b == '-'
}

// ValidHandle checks atproto handle syntax: a domain of two or more labels
// (letters, digits, hyphens; not starting or ending with a hyphen), the last
// one not starting with a digit.
func ValidHandle(h string) bool {
	if len(h) > 253 {
		return false
	}
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if !isHandleByte(l[i]) || l[i] == '.' {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	return !(tld[0] >= '0' && tld[0] <= '9')
}

// tagBreak ends a tag: whitespace and the invisible joiners Bluesky excludes.
func tagBreak(r rune) bool {
	switch r {
	case '\u00AD', '\u2060', '\u200A', '\u200B', '\u200C', '\u200D', '\u20E2':
		return true
	}
	return unicode.IsSpace(r)
}

func detectTags(text string) []Candidate {
	var out []Candidate
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if (r != '#' && r != '＃') || !boundaryBefore(text, i, "") {
			i += size
			continue
		}
		start := i
		body := i + size
		if next, _ := utf8.DecodeRuneInString(text[body:]); next == '\uFE0F' { // keycap emoji #️⃣
			i = body
			continue
		}
		end := body
		for end < len(text) {
			r, s := utf8.DecodeRuneInString(text[end:])
			if tagBreak(r) {
				break
			}
			end += s
		}
		tag := strings.TrimRightFunc(text[body:end], unicode.IsPunct)
		i = end
		if tag == "" || utf8.RuneCountInString(tag) > MaxTagLength {
			continue
		}
		// At least one character that is not a digit or punctuation ("#1" is not a tag).
		if strings.IndexFunc(tag, func(r rune) bool { return !unicode.IsDigit(r) && !unicode.IsPunct(r) }) < 0 {
			continue
		}
		out = append(out, Candidate{start, body + len(tag), FeatureTag, tag})
	}
	return out
}
