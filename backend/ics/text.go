package ics

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"pauta/backend"

	"github.com/rivo/uniseg"
)

// SummaryTextMax is how many user-perceived characters (grapheme clusters)
// of the post's text a SUMMARY shows, the ellipsis included.
const SummaryTextMax = 60

// Abbrev is a network's short name in a SUMMARY.
func Abbrev(n backend.Network) string {
	switch n {
	case backend.Instagram:
		return "IG"
	case backend.Facebook:
		return "FB"
	case backend.X:
		return "X"
	case backend.LinkedIn:
		return "LI"
	case backend.Mastodon:
		return "MA"
	case backend.Bluesky:
		return "BS"
	case backend.Threads:
		return "TH"
	case backend.TikTok:
		return "TT"
	case backend.Pinterest:
		return "PI"
	case backend.YouTube:
		return "YT"
	case backend.GoogleBusiness:
		return "GB"
	}
	return strings.ToUpper(string(n))
}

// NetworkName is a network's full name in a DESCRIPTION.
func NetworkName(n backend.Network) string {
	switch n {
	case backend.Instagram:
		return "Instagram"
	case backend.Facebook:
		return "Facebook"
	case backend.X:
		return "X"
	case backend.LinkedIn:
		return "LinkedIn"
	case backend.Mastodon:
		return "Mastodon"
	case backend.Bluesky:
		return "Bluesky"
	case backend.Threads:
		return "Threads"
	case backend.TikTok:
		return "TikTok"
	case backend.Pinterest:
		return "Pinterest"
	case backend.YouTube:
		return "YouTube"
	case backend.GoogleBusiness:
		return "Google Business Profile"
	}
	return string(n)
}

func statusName(s backend.PostStatus) string {
	switch s {
	case backend.StatusDraft:
		return "Draft"
	case backend.StatusScheduled:
		return "Scheduled"
	case backend.StatusPublished:
		return "Published"
	case backend.StatusFailed:
		return "Failed"
	case backend.StatusNeedsReview:
		return "Needs review"
	case backend.StatusIdea:
		return "Idea"
	}
	return string(s)
}

func netOrder(n backend.Network) int {
	for i, k := range backend.Networks {
		if k == n {
			return i
		}
	}
	return len(backend.Networks)
}

// group is the accounts of a post that publish the same text.
type group struct {
	text, comment string
	accounts      []*backend.Account
}

// variantGroups returns a post's networks in display order and its
// variants grouped by the text they publish, so a text shared by every
// account is shown once.
func variantGroups(p *backend.Post, accounts map[int64]*backend.Account) ([]backend.Network, []group) {
	type va struct {
		a             *backend.Account
		text, comment string
	}
	_, same := p.CommonComment()
	vs := make([]va, 0, len(p.Variants))
	for _, v := range p.Variants {
		if a := accounts[v.AccountID]; a != nil {
			c := ""
			if !same { // a comment every account shares is shown once, at the end
				c = v.FirstComment
			}
			vs = append(vs, va{a, v.EffectiveText(p), c})
		}
	}
	sort.SliceStable(vs, func(i, j int) bool {
		oi, oj := netOrder(vs[i].a.Network), netOrder(vs[j].a.Network)
		if oi != oj {
			return oi < oj
		}
		return vs[i].a.ID < vs[j].a.ID
	})
	var nets []backend.Network
	var groups []group
	for _, v := range vs {
		if len(nets) == 0 || nets[len(nets)-1] != v.a.Network {
			nets = append(nets, v.a.Network)
		}
		found := false
		for i := range groups {
			if groups[i].text == v.text && groups[i].comment == v.comment {
				groups[i].accounts = append(groups[i].accounts, v.a)
				found = true
				break
			}
		}
		if !found {
			groups = append(groups, group{v.text, v.comment, []*backend.Account{v.a}})
		}
	}
	return nets, groups
}

// summaryText is the text a SUMMARY starts from: the base text, else the
// first variant's.
func summaryText(p *backend.Post, groups []group) string {
	if strings.TrimSpace(p.BaseText) != "" {
		return p.BaseText
	}
	for _, g := range groups {
		if strings.TrimSpace(g.text) != "" {
			return g.text
		}
	}
	return "(no text)"
}

// Summary is an event title: "[Panadería Sol] IG·FB — Nuevo pan de masa…".
func Summary(client string, nets []backend.Network, text string) string {
	var b strings.Builder
	b.WriteByte('[')
	b.WriteString(strings.Join(strings.Fields(client), " "))
	b.WriteByte(']')
	if len(nets) > 0 {
		b.WriteByte(' ')
		for i, n := range nets {
			if i > 0 {
				b.WriteString("·")
			}
			b.WriteString(Abbrev(n))
		}
		b.WriteString(" —")
	}
	b.WriteByte(' ')
	b.WriteString(Shorten(text, SummaryTextMax))
	return b.String()
}

// Shorten puts s on one line and cuts it to at most max grapheme clusters,
// the "…" included, at the last word boundary in the second half (else at
// a cluster boundary), so no emoji, flag or accent is torn apart.
func Shorten(s string, max int) string {
	if max < 2 {
		return strings.Join(strings.Fields(s), " ")
	}
	// Only the start can show: take room for max clusters of up to 32 bytes
	// (a family emoji is 25), not a 100 KB post.
	s, long := oneLine(s, max*32)
	if !long && len(s) <= max { // bytes bound clusters
		return s
	}
	keep := max - 1 // room for the ellipsis
	cut, lastSpace, n := 0, -1, 0
	if len(s) > max && asciiPrefix(s, max+1) {
		// One byte, one cluster (CR LF, the only ASCII pair, is gone).
		cut, lastSpace = keep, strings.LastIndexByte(s[keep/2:keep], ' ')
		if lastSpace >= 0 {
			lastSpace += keep / 2
		}
		n = max + 1
	}
	pos, rest, state := 0, s, -1
	for n <= max && rest != "" {
		var cluster string
		cluster, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		if n < keep {
			if cluster == " " && n >= keep/2 {
				lastSpace = pos
			}
			cut = pos + len(cluster)
		}
		pos += len(cluster)
		n++
	}
	if n <= max && !long {
		return s
	}
	// Prefer a word boundary unless the cut already falls before a space.
	if lastSpace >= 0 && !strings.HasPrefix(s[cut:], " ") {
		cut = lastSpace
	}
	out := strings.TrimRightFunc(s[:cut], func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:-–—", r)
	})
	return out + "…"
}

// asciiPrefix reports whether the first n bytes of s (or all of it) are ASCII.
func asciiPrefix(s string, n int) bool {
	for i := 0; i < len(s) && i < n; i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// oneLine trims s and turns every run of white space into one space, like
// strings.Join(strings.Fields(s), " "), but stops after about limit bytes
// of output and reports whether more text follows. Text already on one line
// costs no allocation.
func oneLine(s string, limit int) (string, bool) {
	end := len(s)
	if end > limit {
		end = limit
		for end > 0 && !utf8.RuneStart(s[end]) {
			end--
		}
	}
	clean, prevSpace := true, true // a leading space needs trimming too
	for i := 0; i < end; {
		r, n := utf8.DecodeRuneInString(s[i:])
		sp := unicode.IsSpace(r)
		if sp && (r != ' ' || prevSpace) {
			clean = false
			break
		}
		prevSpace = sp
		i += n
	}
	if clean && !prevSpace {
		return s[:end], end < len(s) && strings.IndexFunc(s[end:], func(r rune) bool { return !unicode.IsSpace(r) }) >= 0
	}
	b := make([]byte, 0, min(len(s), limit)+4)
	pending := false
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			pending = len(b) > 0
			i += n
			continue
		}
		if len(b) >= limit {
			break // at a non-space: more follows
		}
		if pending {
			b = append(b, ' ')
			pending = false
		}
		b = append(b, s[i:i+n]...) // invalid bytes stay for escapeText to replace
		i += n
	}
	return string(b), i < len(s)
}

// description is the event's body as an escaped TEXT value: status,
// client, labels, link, then each network's full text and the first comment.
func description(p *backend.Post, c *backend.Client, groups []group, link string) string {
	common, _ := p.CommonComment()
	size := 96 + len(c.Name) + len(link) + len(p.BaseText) + len(common)
	for _, g := range groups {
		size += len(g.text) + len(g.comment) + 48*len(g.accounts)
	}
	b := make([]byte, 0, size+size/16)
	b = append(b, "Status: "...)
	b = append(b, statusName(p.Status)...)
	b = append(b, `\nClient: `...)
	b = appendText(b, c.Name)
	if len(p.Labels) > 0 {
		b = append(b, `\nLabels: `...)
		for i, l := range p.Labels {
			if i > 0 {
				b = append(b, `\, `...)
			}
			b = appendText(b, l)
		}
	}
	if link != "" {
		b = append(b, `\nPublished: `...)
		b = appendText(b, link)
	}
	if len(groups) == 0 {
		b = append(b, `\n\n`...)
		b = appendText(b, p.BaseText)
	}
	for _, g := range groups {
		b = append(b, `\n\n`...)
		for i, a := range g.accounts {
			if i > 0 {
				b = append(b, " · "...)
			}
			b = append(b, NetworkName(a.Network)...)
			b = append(b, ' ')
			b = appendText(b, a.Handle)
		}
		b = append(b, `:\n`...)
		b = appendText(b, g.text)
		if strings.TrimSpace(g.comment) != "" {
			b = append(b, `\nFirst comment:\n`...)
			b = appendText(b, g.comment)
		}
	}
	if strings.TrimSpace(common) != "" {
		b = append(b, `\n\nFirst comment:\n`...)
		b = appendText(b, common)
	}
	return string(b)
}
