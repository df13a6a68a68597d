package csvimport

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"pauta/backend"
	"pauta/backend/textlimit"
)

// Input is what a plan is checked against: the client, its accounts and its
// posts (for duplicates).
type Input struct {
	Client   backend.Client
	Accounts []backend.Account
	Existing []backend.Post
}

// Options are the user's choices and the context of the file.
type Options struct {
	Order DateOrder
	Dir   string    // the CSV's folder: relative media paths start there
	Now   time.Time // posts before it come in as drafts
}

// Row outcomes.
const (
	OutCreate    = "create"
	OutDuplicate = "duplicate"
	OutError     = "error"
)

// Row is one spreadsheet row and what importing it does.
type Row struct {
	Row      int                `json:"row"` // as the spreadsheet numbers it (header = 1)
	Outcome  string             `json:"outcome"`
	Status   backend.PostStatus `json:"status"`
	Local    string             `json:"local"` // "2006-01-02T15:04" in the client's zone, "" for ideas
	Shifted  bool               `json:"shifted"`
	Accounts []AccountRef       `json:"accounts"`
	Text     string             `json:"text"`
	Labels   []string           `json:"labels"`
	Media    []MediaRef         `json:"media"`
	Errors   []Issue            `json:"errors"`
	Warnings []Issue            `json:"warnings"`
	Cells    []string           `json:"cells"` // the row as read, to save rejected rows
	Post     backend.Post       `json:"-"`
}

// AccountRef names an account a row publishes to.
type AccountRef struct {
	ID      int64           `json:"id"`
	Network backend.Network `json:"network"`
	Handle  string          `json:"handle"`
}

// MediaRef is an image file a row attaches, with its alt text.
type MediaRef struct {
	Path string `json:"path"` // absolute
	Alt  string `json:"alt"`
}

// Plan is the dry run of a whole file.
type Plan struct {
	Header       []string `json:"header"`
	Encoding     string   `json:"encoding"`
	Delimiter    string   `json:"delimiter"`
	FileWarnings []Issue  `json:"fileWarnings"`
	Rows         []Row    `json:"rows"`
	Create       int      `json:"create"`
	Duplicates   int      `json:"duplicates"`
	Rejected     int      `json:"rejected"`
}

// Build checks every row of t against in and says what each creates. A
// problem with the file as a whole (no account column) is an error; a
// problem with a row is in that row.
func Build(t *Table, in Input, o Options) (*Plan, error) {
	cols, warns, err := mapHeader(t.Header)
	if err != nil {
		return nil, err
	}
	if _, err := backend.LoadZone(in.Client.TimeZone); err != nil {
		return nil, err
	}
	p := &Plan{Header: t.Header, Encoding: t.Encoding, Delimiter: t.Delimiter, FileWarnings: warns, Rows: make([]Row, 0, len(t.Records))}
	if p.FileWarnings == nil {
		p.FileWarnings = []Issue{}
	}
	if t.Encoding == "windows-1252" {
		p.FileWarnings = append(p.FileWarnings, issue("", "csv.read_as_1252", "the file is not UTF-8; it was read as Windows-1252 (check accented letters in the preview)"))
	}
	b := &builder{cols: cols, in: in, o: o, seen: map[string]bool{}, zones: backend.Zones{}, rules: backend.NewGuidelines(&in.Client)}
	b.index()
	for i, rec := range t.Records {
		if Blank(rec) {
			continue // spreadsheets leave empty rows at the end
		}
		r := b.row(i+2, rec)
		switch r.Outcome {
		case OutCreate:
			p.Create++
		case OutDuplicate:
			p.Duplicates++
		default:
			p.Rejected++
		}
		p.Rows = append(p.Rows, r)
	}
	return p, nil
}

// Blank tells a spreadsheet row with nothing but spaces in it (skipped).
func Blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

type builder struct {
	cols     *Columns
	in       Input
	o        Options
	byHandle map[string][]backend.Account
	byNet    map[backend.Network][]backend.Account
	seen     map[string]bool // account|time|text of existing posts and earlier rows
	zones    backend.Zones
	rules    *backend.Guidelines
}

func handleKey(h string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(h), "@"))
}

func (b *builder) index() {
	b.byHandle = map[string][]backend.Account{}
	b.byNet = map[backend.Network][]backend.Account{}
	for _, a := range b.in.Accounts {
		k := handleKey(a.Handle)
		b.byHandle[k] = append(b.byHandle[k], a)
		b.byNet[a.Network] = append(b.byNet[a.Network], a)
	}
	for i := range b.in.Existing {
		p := &b.in.Existing[i]
		for _, v := range p.Variants {
			b.seen[dupKey(v.AccountID, p.ScheduledAt, v.EffectiveText(p))] = true
		}
	}
}

func dupKey(account int64, at *time.Time, text string) string {
	ts := "-"
	if at != nil {
		ts = strconv.FormatInt(at.Unix(), 10)
	}
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	return strconv.FormatInt(account, 10) + "|" + ts + "|" + text
}

// resolveAccount finds an account by handle (with or without '@'), or by
// network name when the client has exactly one account there.
func (b *builder) resolveAccount(name string) (backend.Account, *Issue) {
	if as := b.byHandle[handleKey(name)]; len(as) == 1 {
		return as[0], nil
	} else if len(as) > 1 {
		i := issue("", "csv.account_ambiguous", "%q names several accounts: write the network instead", name).with("account", name)
		return backend.Account{}, &i
	}
	if n, ok := networkByName(name); ok {
		switch as := b.byNet[n]; len(as) {
		case 1:
			return as[0], nil
		case 0:
			i := issue("", "csv.account_no_network", "the client has no %s account", n).with("account", name).with("network", string(n))
			return backend.Account{}, &i
		default:
			i := issue("", "csv.account_ambiguous", "the client has several %s accounts: write the handle", n).with("account", name).with("network", string(n))
			return backend.Account{}, &i
		}
	}
	i := issue("", "csv.account_unknown", "%q is not one of the client's accounts", name).with("account", name)
	return backend.Account{}, &i
}

func (b *builder) row(n int, rec []string) Row {
	c := b.cols
	r := Row{Row: n, Cells: rec, Accounts: []AccountRef{}, Labels: []string{}, Media: []MediaRef{}, Errors: []Issue{}, Warnings: []Issue{}}
	fail := func(f Field, is *Issue) {
		is.Column = c.name(f)
		r.Errors = append(r.Errors, *is)
	}
	warn := func(col string, is Issue) {
		is.Column = col
		r.Warnings = append(r.Warnings, is)
	}
	status, is := parseStatus(c.get(rec, FStatus))
	if is != nil {
		fail(FStatus, is)
	}
	zone := b.in.Client.TimeZone
	if z := strings.TrimSpace(c.get(rec, FTimeZone)); z != "" {
		if _, err := backend.LoadZone(z); err != nil {
			i := issue("", "csv.timezone_invalid", "%q is not a time zone (IANA, e.g. Europe/Madrid)", z).with("value", z)
			fail(FTimeZone, &i)
		} else {
			zone = z
		}
	}
	dateCell, timeCell := strings.TrimSpace(c.get(rec, FDate)), strings.TrimSpace(c.get(rec, FTime))
	var at *time.Time
	if status == backend.StatusIdea {
		if dateCell != "" {
			warn(c.name(FDate), issue("", "csv.idea_date_ignored", "an idea has no date: the date is ignored"))
		}
	} else if dateCell == "" {
		if status == "" {
			status = backend.StatusIdea // no date, no status: an idea
		} else {
			i := issue("", "csv.date_required", "a %s post needs a date", status).with("status", string(status))
			fail(FDate, &i)
		}
	} else {
		d, dis := parseDate(dateCell, b.o.Order)
		if dis != nil {
			fail(FDate, dis)
		}
		clock := "09:00"
		if timeCell == "" {
			i := issue("", "csv.time_required", "a time is needed (HH:MM, 24 hours)")
			fail(FTime, &i)
		} else if cl, tis := parseClock(timeCell); tis != nil {
			fail(FTime, tis)
		} else {
			clock = cl
		}
		if dis == nil && len(r.Errors) == 0 {
			res, err := backend.ResolveLocal(backend.LocalInput{Date: d, Time: clock}, zone)
			if err == nil {
				t := res.UTC
				at = &t
				r.Local = b.zones.Local(t, b.in.Client.TimeZone)
				if res.Shifted {
					r.Shifted = true
					warn(c.name(FTime), issue("", "csv.time_shifted", "%s %s does not exist in %s (clocks go forward): %s is used", d, clock, zone, res.Local).
						with("value", d+" "+clock).with("local", strings.Replace(res.Local, "T", " ", 1)).with("zone", zone))
				}
			}
		}
		if status == "" {
			status = backend.StatusScheduled
		}
	}
	r.Status = status

	// Accounts, each once.
	seenAcc := map[int64]bool{}
	for _, name := range splitList(c.get(rec, FAccount), ";,|") {
		a, ais := b.resolveAccount(name)
		if ais != nil {
			fail(FAccount, ais)
			continue
		}
		if !seenAcc[a.ID] {
			seenAcc[a.ID] = true
			r.Accounts = append(r.Accounts, AccountRef{ID: a.ID, Network: a.Network, Handle: a.Handle})
		}
	}
	if len(r.Accounts) == 0 && !hasIssue(r.Errors, c.name(FAccount)) && (status == backend.StatusScheduled || status == backend.StatusPublished) {
		i := issue("", "csv.account_required", "name at least one of the client's accounts")
		fail(FAccount, &i)
	}

	// Texts: the base text, then one per network column.
	r.Text = c.get(rec, FText)
	post := backend.Post{ClientID: b.in.Client.ID, Status: status, BaseText: r.Text, FirstComment: strings.TrimSpace(c.get(rec, FFirstComment)),
		ScheduledAt: at, TimeZone: b.in.Client.TimeZone}
	netText := map[backend.Network]string{}
	for net, i := range c.variants {
		if i < len(rec) && strings.TrimSpace(rec[i]) != "" {
			netText[net] = rec[i]
			used := false
			for _, a := range r.Accounts {
				used = used || a.Network == net
			}
			if !used {
				warn(c.names[i], issue("", "csv.variant_unused", "no account of the row is on %s: this text is not used", net).with("network", string(net)))
			}
		}
	}
	// First comments: first_comment for every account, first_comment_<network>
	// for that network's accounts instead.
	netComment := map[backend.Network]string{}
	for net, i := range c.comments {
		if i < len(rec) && strings.TrimSpace(rec[i]) != "" {
			netComment[net] = strings.TrimSpace(rec[i])
		}
	}
	for _, a := range r.Accounts {
		post.Variants = append(post.Variants, backend.Variant{AccountID: a.ID, Text: netText[a.Network], FirstComment: netComment[a.Network]})
	}
	if strings.TrimSpace(r.Text) == "" {
		missing := len(r.Accounts) == 0
		for _, a := range r.Accounts {
			missing = missing || strings.TrimSpace(netText[a.Network]) == ""
		}
		if missing {
			i := issue("", "csv.text_required", "the post has no text")
			fail(FText, &i)
		}
	}
	r.Labels = splitList(c.get(rec, FLabels), ";,|")
	post.Labels = r.Labels

	// Media: paths separated by '|', ';' or line breaks; alt texts by '|' or line breaks.
	alts := splitKeep(c.get(rec, FAlt))
	for k, m := range splitList(c.get(rec, FMedia), "|;\n") {
		ref, mis := b.mediaPath(m)
		if mis != nil {
			fail(FMedia, mis)
			continue
		}
		if k < len(alts) {
			ref.Alt = alts[k]
		}
		r.Media = append(r.Media, ref)
	}
	if len(alts) > len(r.Media) && len(r.Media) > 0 {
		warn(c.name(FAlt), issue("", "csv.alt_extra", "there are more alt texts than images"))
	}

	if err := (&post).Normalize(); err != nil && len(r.Errors) == 0 {
		e := backend.AsError(err)
		col := c.name(FText)
		switch e.Field {
		case "labels":
			col = c.name(FLabels)
		case "firstComment":
			col = c.name(FFirstComment)
		case "accounts":
			col = c.name(FAccount)
		}
		is := Issue{Column: col, Key: e.Key, Params: e.Params, Message: e.Message}
		if is.Params == nil {
			is.Params = map[string]string{}
		}
		r.Errors = append(r.Errors, is)
	}
	if len(r.Errors) > 0 {
		r.Outcome = OutError
		return r
	}

	// Duplicates of existing posts or earlier rows: skipped.
	keys := make([]string, 0, len(post.Variants))
	dup := false
	for _, v := range post.Variants {
		k := dupKey(v.AccountID, post.ScheduledAt, v.EffectiveText(&post))
		dup = dup || b.seen[k]
		keys = append(keys, k)
	}
	if dup {
		r.Outcome = OutDuplicate
		r.Warnings = append(r.Warnings, issue("", "csv.duplicate", "the same post (account, time and text) is already there: skipped"))
		return r
	}
	for _, k := range keys {
		b.seen[k] = true
	}

	comments := post.FirstComment
	for _, v := range post.Variants {
		comments += "\n" + v.FirstComment
	}
	for _, w := range b.rules.Check(post.BaseText + "\n" + comments) {
		r.Warnings = append(r.Warnings, Issue{Column: c.name(FText), Key: w.Key, Params: w.Params, Message: "brand rule: " + w.Key})
	}
	if post.Status == backend.StatusScheduled && post.ScheduledAt != nil && post.ScheduledAt.Before(b.o.Now) {
		post.Status = backend.StatusDraft
		warn(c.name(FDate), issue("", "csv.past_as_draft", "the time has passed: the post comes in as a draft"))
	}
	if post.Status == backend.StatusPublished && post.ScheduledAt != nil && post.ScheduledAt.After(b.o.Now) {
		post.Status = backend.StatusDraft
		warn(c.name(FStatus), issue("", "csv.future_published", "a post in the future cannot be published yet: it comes in as a draft"))
	}
	b.checkLimits(&r, &post)
	r.Status = post.Status
	r.Post = post
	r.Outcome = OutCreate
	return r
}

// checkLimits turns a scheduled post over a network's limit (text, first
// comment, images, alt text) or without the image its network requires
// into a draft, with a warning per reason.
func (b *builder) checkLimits(r *Row, p *backend.Post) {
	over, noMedia := false, false
	for _, a := range b.in.Accounts {
		v := variantFor(p, a.ID)
		if v == nil {
			continue
		}
		opts := textlimit.Options{MastodonMaxChars: a.Limits.MaxCharacters, MastodonURLChars: a.Limits.URLCharacters}
		for _, t := range []struct{ col, text string }{{b.cols.name(FText), v.EffectiveText(p)}, {b.cols.name(FFirstComment), v.FirstComment}} {
			if strings.TrimSpace(t.text) == "" {
				continue
			}
			if cnt := textlimit.Measure(a.Network, t.text, opts); cnt.Over {
				over = true
				is := issue(t.col, "csv.over_limit", "over the %s limit (%d of %d)", a.Network, cnt.Used, cnt.Rule.Limit).
					with("network", string(a.Network)).withInt("used", cnt.Used).withInt("limit", cnt.Rule.Limit)
				if cnt.Rule.HashtagLimit > 0 && cnt.Hashtags > cnt.Rule.HashtagLimit {
					is = issue(t.col, "csv.too_many_hashtags", "more than %d hashtags on %s", cnt.Rule.HashtagLimit, a.Network).
						with("network", string(a.Network)).withInt("used", cnt.Hashtags).withInt("limit", cnt.Rule.HashtagLimit)
				}
				is.Column = t.col
				r.Warnings = append(r.Warnings, is)
			}
		}
		if len(r.Media) == 0 && backend.RequiresMedia(a.Network) && p.Status == backend.StatusScheduled {
			noMedia = true
			r.Warnings = append(r.Warnings, issue(b.cols.name(FMedia), "csv.media_required", "%s takes no post without an image or a video: the post comes in as a draft", a.Network).
				with("network", string(a.Network)))
		}
		if max := backend.MaxImages(a.Network, a.Limits); max > 0 && len(r.Media) > max {
			over = true
			is := issue(b.cols.name(FMedia), "csv.too_many_images", "%s takes at most %d images", a.Network, max).
				with("network", string(a.Network)).withInt("used", len(r.Media)).withInt("limit", max)
			r.Warnings = append(r.Warnings, is)
		}
		if max := backend.MaxAltText(a.Network, a.Limits); max > 0 {
			for _, m := range r.Media {
				if n := textlimit.AltTextLength(a.Network, m.Alt); n > max {
					over = true
					is := issue(b.cols.name(FAlt), "csv.alt_over_limit", "an alt text is over the %s limit (%d of %d)", a.Network, n, max).
						with("network", string(a.Network)).withInt("used", n).withInt("limit", max)
					r.Warnings = append(r.Warnings, is)
				}
			}
		}
	}
	if over && p.Status == backend.StatusScheduled {
		r.Warnings = append(r.Warnings, issue("", "csv.over_limit_as_draft", "over a network's limit: the post comes in as a draft"))
	}
	if (over || noMedia) && p.Status == backend.StatusScheduled {
		p.Status = backend.StatusDraft
	}
}

func variantFor(p *backend.Post, account int64) *backend.Variant {
	for i := range p.Variants {
		if p.Variants[i].AccountID == account {
			return &p.Variants[i]
		}
	}
	return nil
}

func hasIssue(is []Issue, col string) bool {
	for _, i := range is {
		if i.Column == col {
			return true
		}
	}
	return false
}

// splitKeep splits alt texts on '|' or line breaks, keeping empty ones so
// the second alt still goes with the second image.
func splitKeep(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '|' || r == '\n' })
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// mediaPath resolves a media cell entry: absolute, or relative to the CSV's
// folder. Links are refused: Pauta works offline and fetches nothing.
func (b *builder) mediaPath(p string) (MediaRef, *Issue) {
	low := strings.ToLower(p)
	if strings.Contains(low, "://") || strings.HasPrefix(low, "www.") {
		i := issue("", "csv.media_url", "%q is a link: download the image and write its file name (Pauta does not fetch from the internet)", p).with("value", p)
		return MediaRef{}, &i
	}
	path := p
	if !filepath.IsAbs(path) {
		if b.o.Dir == "" {
			i := issue("", "csv.media_relative", "%q is a relative path but the CSV's folder is unknown", p).with("value", p)
			return MediaRef{}, &i
		}
		path = filepath.Join(b.o.Dir, filepath.FromSlash(strings.ReplaceAll(p, `\`, "/")))
	}
	st, err := os.Stat(path)
	if err != nil {
		i := issue("", "csv.media_missing", "%q was not found", p).with("value", p)
		return MediaRef{}, &i
	}
	if !st.Mode().IsRegular() {
		i := issue("", "csv.media_not_file", "%q is not a file", p).with("value", p)
		return MediaRef{}, &i
	}
	return MediaRef{Path: path}, nil
}

// RejectedLines are the rejected rows as the command line prints them:
// "row N: <column>: <reason>", one per problem.
func RejectedLines(p *Plan) []string {
	var out []string
	for _, r := range p.Rows {
		for _, e := range r.Errors {
			if e.Column == "" {
				out = append(out, sprintf("row %d: %s", r.Row, e.Message))
			} else {
				out = append(out, sprintf("row %d: %s: %s", r.Row, e.Column, e.Message))
			}
		}
	}
	return out
}
