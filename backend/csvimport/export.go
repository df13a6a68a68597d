package csvimport

import (
	"regexp"
	"strings"

	"pauta/backend"
)

// ExportImage is an image of an exported post: the path written in the
// media cell (relative to the CSV) and its alt text.
type ExportImage struct {
	Path string
	Alt  string
}

// importLabel is the label an import gives its posts: it names an import
// into this workspace, so an export leaves it out (and a round trip is equal).
var importLabel = regexp.MustCompile(`^import-\d{4}-\d{2}-\d{2}$`)

// ExportRecords writes posts in the import's own format (English header,
// ISO dates, times in each post's zone), so the file imports again as it is.
// accounts names every account by id; images gives each post's images.
func ExportRecords(posts []backend.Post, accounts map[int64]backend.Account, images map[int64][]ExportImage) [][]string {
	// One text column per network where some variant has its own text.
	var nets []backend.Network
	for _, n := range backend.Networks {
		for i := range posts {
			if variantTextOn(&posts[i], accounts, n) != "" {
				nets = append(nets, n)
				break
			}
		}
	}
	// One first comment column per network where the accounts of a post
	// do not share one.
	var cnets []backend.Network
	for _, n := range backend.Networks {
		for i := range posts {
			if _, same := posts[i].CommonComment(); !same && commentOn(&posts[i], accounts, n) != "" {
				cnets = append(cnets, n)
				break
			}
		}
	}
	header := []string{"date", "time", "timezone", "account", "status", "text", "first_comment", "labels", "media", "alt"}
	for _, n := range nets {
		header = append(header, "text_"+string(n))
	}
	for _, n := range cnets {
		header = append(header, "first_comment_"+string(n))
	}
	out := [][]string{header}
	zones := backend.Zones{}
	for i := range posts {
		p := &posts[i]
		date, clock := "", ""
		if p.ScheduledAt != nil {
			local := zones.Local(*p.ScheduledAt, p.TimeZone)
			date, clock = local[:10], local[11:]
		}
		var accs []string
		for _, v := range p.Variants {
			if a, ok := accounts[v.AccountID]; ok {
				accs = append(accs, a.Handle)
			}
		}
		var labels []string
		for _, l := range p.Labels {
			if !importLabel.MatchString(l) {
				labels = append(labels, l)
			}
		}
		var paths, alts []string
		for _, im := range images[p.ID] {
			paths = append(paths, im.Path)
			alts = append(alts, strings.ReplaceAll(im.Alt, "|", "/"))
		}
		alt := strings.Join(alts, " | ")
		if strings.TrimSpace(strings.ReplaceAll(alt, "|", "")) == "" {
			alt = ""
		}
		zone := p.TimeZone
		if p.ScheduledAt == nil {
			zone = ""
		}
		common, same := p.CommonComment()
		rec := []string{date, clock, zone, strings.Join(accs, " | "), exportStatus(p.Status), p.BaseText, common,
			strings.Join(labels, " | "), strings.Join(paths, " | "), alt}
		for _, n := range nets {
			rec = append(rec, variantTextOn(p, accounts, n))
		}
		for _, n := range cnets {
			c := ""
			if !same {
				c = commentOn(p, accounts, n)
			}
			rec = append(rec, c)
		}
		out = append(out, rec)
	}
	return out
}

func variantTextOn(p *backend.Post, accounts map[int64]backend.Account, n backend.Network) string {
	for _, v := range p.Variants {
		if a, ok := accounts[v.AccountID]; ok && a.Network == n && strings.TrimSpace(v.Text) != "" {
			return v.Text
		}
	}
	return ""
}

// exportStatus is what the import reads back: a post that failed or waits
// for review comes back as a draft to look at.
func exportStatus(s backend.PostStatus) string {
	switch s {
	case backend.StatusScheduled, backend.StatusDraft, backend.StatusIdea, backend.StatusPublished:
		return string(s)
	}
	return string(backend.StatusDraft)
}

// WriteRecords writes records to path as UTF-8 with a BOM, comma separated,
// CRLF: what Excel, LibreOffice and Google Sheets all open as they are.
func WriteRecords(path string, records [][]string) error {
	return writeAtomic(path, records, ",")
}

// commentOn is the first comment of p's (first) account on n.
func commentOn(p *backend.Post, accounts map[int64]backend.Account, n backend.Network) string {
	for _, v := range p.Variants {
		if a, ok := accounts[v.AccountID]; ok && a.Network == n && strings.TrimSpace(v.FirstComment) != "" {
			return v.FirstComment
		}
	}
	return ""
}
