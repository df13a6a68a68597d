package figimport

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"pauta/backend"
	"pauta/backend/csvimport"
)

// Window is how far a row's publish time may be from a post's to match it.
const Window = 10 * time.Minute

// Row statuses.
const (
	Matched   = "matched"
	Unmatched = "unmatched" // no post of the account: left alone
	Invalid   = "invalid"   // bad values: the file must be fixed first
)

// Issue is one problem of a row, translated by Key in the UI.
type Issue struct {
	Column string            `json:"column"` // the file's header ("" = the row)
	Key    string            `json:"key"`
	Params map[string]string `json:"params,omitempty"`
}

// Row is one line of the file and what the import does with it.
type Row struct {
	Line      int                   `json:"line"` // as a spreadsheet numbers it
	Link      string                `json:"link"`
	Time      string                `json:"time"` // as written
	Status    string                `json:"status"`
	Match     string                `json:"match"` // "link" or "time" when matched
	VariantID int64                 `json:"variantId"`
	PostID    int64                 `json:"postId"`
	PostText  string                `json:"postText"`
	Figures   backend.ManualFigures `json:"figures"` // the file's, merged over what the post had
	Issues    []Issue               `json:"issues"`
}

// Plan is a dry run over the file: nothing is written.
type Plan struct {
	Columns   []Column `json:"columns"`
	Encoding  string   `json:"encoding"`
	Delimiter string   `json:"delimiter"`
	Rows      []Row    `json:"rows"`
	Matched   int      `json:"matched"`
	Unmatched int      `json:"unmatched"`
	Invalid   int      `json:"invalid"`
}

// Updates are the matched rows' figures, for the store.
func (p *Plan) Updates() []backend.ManualUpdate {
	var out []backend.ManualUpdate
	for _, r := range p.Rows {
		if r.Status == Matched {
			out = append(out, backend.ManualUpdate{VariantID: r.VariantID, Figures: r.Figures})
		}
	}
	return out
}

func fileErr(key, format string, args ...any) *backend.Error {
	return backend.Errorf(backend.EInvalid, key, format, args...).WithField("file")
}

// headerSearch is how many leading lines may precede the header (LinkedIn's
// export starts with a line describing the export).
const headerSearch = 3

// Build matches the file's rows to the account's published posts. network
// decides which figures are kept (those the network shows); loc is the zone
// the file's times are written in (the client's). A file that is not an
// insights export is an error; rows with bad values are marked Invalid.
func Build(t *csvimport.Table, network backend.Network, targets []backend.FigureTarget, loc *time.Location) (*Plan, error) {
	header, records := t.Header, t.Records
	at, cols := mapColumns(header)
	for skip := 0; !hasFigures(at) && skip < headerSearch && skip < len(records); skip++ {
		header, records = records[skip], records[skip+1:]
		at, cols = mapColumns(header)
	}
	if !hasFigures(at) {
		return nil, fileErr("figimport.no_columns", "this file has no column of figures (Likes, Comments, Shares, Reach, Saves…): is it the network's export of post insights?")
	}
	_, hasLink := at[FLink]
	_, hasTime := at[FTime]
	if !hasLink && !hasTime {
		return nil, fileErr("figimport.no_key_column", "this file has neither the post's link (Permalink, Post link) nor its publish time: rows cannot be matched to posts")
	}
	keep := map[Field]bool{}
	for _, f := range backend.ManualFields(network) {
		keep[Field(f)] = true
	}
	for i, c := range cols {
		if c.Field != "" && c.Field != FLink && c.Field != FTime && !keep[c.Field] {
			cols[i].Field = "" // a figure this network does not show
		}
	}
	b := &builder{at: at, cols: cols, keep: keep, loc: loc, byLink: map[string]int{}, taken: map[int64]int{}, targets: targets}
	for i, tg := range targets {
		if k := linkKey(tg.URL); k != "" {
			b.byLink[k] = i
		}
	}
	p := &Plan{Columns: cols, Encoding: t.Encoding, Delimiter: t.Delimiter, Rows: []Row{}}
	first := len(t.Records) - len(records) + 2
	for i, rec := range records {
		if csvimport.Blank(rec) {
			continue
		}
		r := b.row(first+i, rec)
		p.Rows = append(p.Rows, r)
	}
	if len(p.Rows) == 0 {
		return nil, fileErr("figimport.no_rows", "the file has no rows below its header")
	}
	// A post matched by two rows: the second is not applied.
	for i := range p.Rows {
		r := &p.Rows[i]
		if r.Status == Matched {
			if line, dup := b.taken[r.VariantID]; dup && line != r.Line {
				r.Status, r.Issues = Unmatched, append(r.Issues, Issue{Key: "figimport.duplicate", Params: map[string]string{"line": strconv.Itoa(line)}})
				continue
			}
			b.taken[r.VariantID] = r.Line
		}
	}
	for _, r := range p.Rows {
		switch r.Status {
		case Matched:
			p.Matched++
		case Unmatched:
			p.Unmatched++
		default:
			p.Invalid++
		}
	}
	return p, nil
}

type builder struct {
	at      map[Field]int
	cols    []Column
	keep    map[Field]bool
	loc     *time.Location
	targets []backend.FigureTarget
	byLink  map[string]int
	taken   map[int64]int // variant → line that took it
}

func (b *builder) cell(rec []string, f Field) (string, string, bool) {
	i, ok := b.at[f]
	if !ok || i >= len(rec) {
		return "", "", ok
	}
	return strings.TrimSpace(rec[i]), b.cols[i].Header, true
}

func (b *builder) row(line int, rec []string) Row {
	r := Row{Line: line, Issues: []Issue{}}
	r.Link, _, _ = b.cell(rec, FLink)
	r.Time, _, _ = b.cell(rec, FTime)
	read := map[Field]*int{}
	for _, f := range figureFields {
		if !b.keep[f] {
			continue
		}
		s, col, ok := b.cell(rec, f)
		if !ok {
			continue
		}
		n, key := number(s)
		if key != "" {
			r.Issues = append(r.Issues, Issue{Column: col, Key: key, Params: map[string]string{"value": s}})
			continue
		}
		if n != nil { // an empty cell keeps what the post had
			read[f] = n
		}
	}
	if len(r.Issues) > 0 {
		r.Status = Invalid
		return r
	}
	i, issue := b.match(r.Link, r.Time)
	if issue != nil {
		r.Status, r.Issues = Unmatched, append(r.Issues, *issue)
		return r
	}
	tg := b.targets[i]
	r.Status, r.VariantID, r.PostID, r.PostText = Matched, tg.VariantID, tg.PostID, tg.Text
	if k := linkKey(r.Link); k != "" && linkKey(tg.URL) == k {
		r.Match = "link"
	} else {
		r.Match = "time"
	}
	r.Figures = merge(tg.Figures, read)
	return r
}

// merge takes the file's figures over what the post had: a column the file
// does not have keeps the figure typed before.
func merge(had *backend.Figures, read map[Field]*int) backend.ManualFigures {
	var f backend.ManualFigures
	if had != nil {
		f.Likes, f.Comments, f.Shares = ptr(had.Likes), ptr(had.Replies), ptr(had.Reposts)
		f.Reach, f.Saves = had.Reach, had.Saves
	}
	for field, v := range read {
		switch field {
		case FLikes:
			f.Likes = v
		case FComments:
			f.Comments = v
		case FShares:
			f.Shares = v
		case FReach:
			f.Reach = v
		case FSaves:
			f.Saves = v
		}
	}
	return f
}

func ptr(n int) *int { return &n }

// match finds the row's post: by its link, else by the account's post
// published closest to its time, within Window.
func (b *builder) match(link, when string) (int, *Issue) {
	if k := linkKey(link); k != "" {
		if i, ok := b.byLink[k]; ok {
			return i, nil
		}
	}
	if when == "" {
		if link != "" {
			return 0, &Issue{Key: "figimport.link_unknown"}
		}
		return 0, &Issue{Key: "figimport.no_link_no_time"}
	}
	t, dateOnly, ok := parseTime(when, b.loc)
	if !ok {
		return 0, &Issue{Key: "figimport.time_unreadable", Params: map[string]string{"value": when}}
	}
	if dateOnly {
		return 0, &Issue{Key: "figimport.date_only", Params: map[string]string{"value": when}}
	}
	best, bestD, tie := -1, Window+1, false
	for i, tg := range b.targets {
		d := Window + 1
		for _, at := range []*time.Time{tg.PublishedAt, tg.DueAt} {
			if at != nil {
				d = min(d, abs(at.Sub(t)))
			}
		}
		if d > Window {
			continue
		}
		switch {
		case d < bestD:
			best, bestD, tie = i, d, false
		case d == bestD:
			tie = true
		}
	}
	if best < 0 {
		return 0, &Issue{Key: "figimport.no_post", Params: map[string]string{"minutes": strconv.Itoa(int(Window / time.Minute))}}
	}
	if tie {
		return 0, &Issue{Key: "figimport.ambiguous"}
	}
	return best, nil
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// linkKey is a permalink reduced to what identifies the post: host without
// "www.", path without a trailing slash; scheme, query and fragment dropped.
func linkKey(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	return host + strings.TrimRight(u.Path, "/")
}

var grouped = regexp.MustCompile(`^\d{1,3}([.,\s\x{00a0}\x{202f}]\d{3})+$`)

// number reads a whole, non-negative count ("" and "-"/"—" = none).
func number(s string) (*int, string) {
	switch s {
	case "", "-", "—", "–", "n/a", "N/A":
		return nil, ""
	}
	digits := s
	if grouped.MatchString(s) {
		digits = strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
	}
	n, err := strconv.Atoi(digits)
	if err != nil {
		if strings.HasPrefix(s, "-") {
			if _, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64); err == nil {
				return nil, "report.figure_negative"
			}
		}
		return nil, "report.figure_not_number"
	}
	if n < 0 {
		return nil, "report.figure_negative"
	}
	return &n, ""
}

var timeLayouts = []string{
	time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04",
	"1/2/2006 15:04:05", "1/2/2006 15:04", "1/2/2006 3:04 PM", "1/2/2006 3:04:05 PM", "1/2/2006, 3:04 PM",
}

var dateLayouts = []string{"2006-01-02", "1/2/2006"}

var dayFirst = regexp.MustCompile(`^(\d{1,2})([/.])(\d{1,2})[/.](\d{4})`)

// parseTime reads a publish time in loc. Slashed dates are month first, as
// Meta and LinkedIn write them, unless the first number cannot be a month
// (31/10/2026); dotted dates (31.10.2026) are day first.
func parseTime(s string, loc *time.Location) (time.Time, bool, bool) {
	s = strings.Join(strings.Fields(s), " ")
	if m := dayFirst.FindStringSubmatch(s); m != nil {
		first, _ := strconv.Atoi(m[1])
		if first > 12 || m[2] == "." {
			s = m[3] + "/" + m[1] + "/" + m[4] + s[len(m[0]):] // swap to month first
		}
	}
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, false, true
		}
	}
	for _, l := range dateLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true, true
		}
	}
	return time.Time{}, false, false
}
