package backend

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Network identifies a social network an account lives on.
type Network string

const (
	Mastodon       Network = "mastodon"
	Bluesky        Network = "bluesky"
	Instagram      Network = "instagram"
	Facebook       Network = "facebook"
	X              Network = "x"
	LinkedIn       Network = "linkedin"
	Threads        Network = "threads"
	TikTok         Network = "tiktok"
	Pinterest      Network = "pinterest"
	YouTube        Network = "youtube"
	GoogleBusiness Network = "google_business"
)

// Networks lists every supported network in display order.
var Networks = []Network{Instagram, Facebook, X, LinkedIn, Mastodon, Bluesky, Threads, TikTok, Pinterest, YouTube, GoogleBusiness}

// Valid reports whether n is a supported network.
func (n Network) Valid() bool {
	for _, k := range Networks {
		if k == n {
			return true
		}
	}
	return false
}

// PostStatus is where a post is in its life.
type PostStatus string

const (
	StatusIdea        PostStatus = "idea"
	StatusDraft       PostStatus = "draft"
	StatusScheduled   PostStatus = "scheduled"
	StatusPublished   PostStatus = "published"
	StatusFailed      PostStatus = "failed"
	StatusNeedsReview PostStatus = "needs_review"
)

// PostStatuses lists every status.
var PostStatuses = []PostStatus{StatusIdea, StatusDraft, StatusScheduled, StatusPublished, StatusFailed, StatusNeedsReview}

// Valid reports whether s is a known status.
func (s PostStatus) Valid() bool {
	for _, k := range PostStatuses {
		if k == s {
			return true
		}
	}
	return false
}

// Client is a brand the freelancer works for.
type Client struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Color      string `json:"color"`      // "#rrggbb"
	TimeZone   string `json:"timeZone"`   // IANA, e.g. "Europe/Madrid"
	Language   string `json:"language"`   // BCP 47 content language, e.g. "es"
	Guidelines string `json:"guidelines"` // tone notes, free text
	// BannedWords are words or phrases the brand never uses; RequiredTags are
	// hashtags or mentions every post should carry. The composer warns.
	BannedWords  []string `json:"bannedWords"`
	RequiredTags []string `json:"requiredTags"`
	Archived     bool     `json:"archived"`
	// RequireApproval: none of the client's posts is published before the
	// client approved its current content (approval.go).
	RequireApproval bool      `json:"requireApproval"`
	CreatedAt       time.Time `json:"createdAt"`
	UpdatedAt       time.Time `json:"updatedAt"`
}

// Account is one of a client's profiles on a network. It never holds a token:
// secrets live in the OS keychain.
type Account struct {
	ID          int64   `json:"id"`
	ClientID    int64   `json:"clientId"`
	Network     Network `json:"network"`
	Handle      string  `json:"handle"`
	DisplayName string  `json:"displayName"`
	// Connection is "manual" (publish by hand), "connected" (Pauta
	// publishes with a token from the keychain) or "reconnect" (the token
	// was refused: posts wait until the user connects it again).
	Connection string        `json:"connection"`
	ServiceURL string        `json:"serviceUrl"` // Mastodon instance, Bluesky service
	RemoteID   string        `json:"remoteId"`   // Mastodon account id, Bluesky DID
	Limits     AccountLimits `json:"limits"`
	CreatedAt  time.Time     `json:"createdAt"`
	// ServerSchedules says whether the server holds scheduled posts
	// (ServerSchedulesYes/No, "" = unknown), as asked at SchedulesProbedAt.
	ServerSchedules   string     `json:"serverSchedules"`
	SchedulesProbedAt *time.Time `json:"schedulesProbedAt"`
}

// Account connection states.
const (
	ConnManual    = "manual"
	ConnConnected = "connected"
	ConnReconnect = "reconnect"
)

// Direct reports whether Pauta can publish to this network itself.
func (n Network) Direct() bool { return n == Mastodon || n == Bluesky }

// AccountLimits are what the account's server allows (0 = the network's default).
type AccountLimits struct {
	MaxCharacters    int   `json:"maxCharacters"`
	URLCharacters    int   `json:"urlCharacters"`
	MaxMedia         int   `json:"maxMedia"`
	ImageSizeLimit   int64 `json:"imageSizeLimit"`
	ImageMatrixLimit int64 `json:"imageMatrixLimit"`
	DescriptionLimit int   `json:"descriptionLimit"`
}

// Post is one piece of content for one client, published to one or more of
// the client's accounts through its variants.
type Post struct {
	ID       int64      `json:"id"`
	ClientID int64      `json:"clientId"`
	Status   PostStatus `json:"status"`
	BaseText string     `json:"baseText"`
	// FirstComment is the first comment for every account whose variant has
	// none of its own ("same for all"): Normalize copies it onto those
	// variants and keeps it on the post only while the post has no account
	// (an idea), so that what is published is always the variant's.
	FirstComment string `json:"firstComment"`
	// ScheduledAt is in UTC; nil for ideas. TimeZone is the client's zone at
	// the time of scheduling, kept beside it so the wall-clock time is known.
	ScheduledAt *time.Time `json:"scheduledAt"`
	TimeZone    string     `json:"timeZone"`
	Labels      []string   `json:"labels"`
	Variants    []Variant  `json:"variants"`
	// Sequence counts edits (0 when created): iCal SEQUENCE.
	Sequence int `json:"sequence"`
	// PublishedURL is the public link of the post once a network has it
	// (the first variant's, when several were published).
	PublishedURL string `json:"publishedUrl"`
	// NeedsApproval: this post waits for the client's approval before it is
	// published (set with ApprovalStore.SetPostNeedsApproval, never by
	// UpdatePost). Approval is its state; ContentHash the hash of its
	// current content (ContentHash), kept by the store.
	NeedsApproval bool       `json:"needsApproval"`
	Approval      Approval   `json:"approval"`
	ContentHash   string     `json:"contentHash"`
	DeletedAt     *time.Time `json:"deletedAt"` // soft-deleted (undo), purged later
	CreatedAt     time.Time  `json:"createdAt"`
	UpdatedAt     time.Time  `json:"updatedAt"`
}

// Variant is a post as it goes to one account. An empty Text falls back to
// the post's base text.
type Variant struct {
	ID        int64  `json:"id"`
	PostID    int64  `json:"postId"`
	AccountID int64  `json:"accountId"`
	Text      string `json:"text"`
	// FirstComment is published as a reply right after this variant's post
	// ("" = none): each account has its own (issue 16 item 10).
	FirstComment string `json:"firstComment"`
}

// CommonComment is the first comment every variant of p shares, and
// whether they all share one ("" and true when none has a comment; the
// post's own when it has no variant).
func (p *Post) CommonComment() (string, bool) {
	if len(p.Variants) == 0 {
		return p.FirstComment, true
	}
	c := p.Variants[0].FirstComment
	for _, v := range p.Variants[1:] {
		if v.FirstComment != c {
			return "", false
		}
	}
	return c, true
}

// EffectiveComment is the first comment this variant publishes: its own,
// else the post's "same for all" comment (before Normalize copies it).
func (v Variant) EffectiveComment(p *Post) string {
	if strings.TrimSpace(v.FirstComment) != "" {
		return v.FirstComment
	}
	return strings.TrimSpace(p.FirstComment)
}

// AllComments is every first comment of p, one a line (brand rules).
func (p *Post) AllComments() string {
	var b strings.Builder
	b.WriteString(p.FirstComment)
	for _, v := range p.Variants {
		b.WriteString("\n")
		b.WriteString(v.FirstComment)
	}
	return b.String()
}

// EffectiveText is what this variant publishes.
func (v Variant) EffectiveText(p *Post) string {
	if strings.TrimSpace(v.Text) != "" {
		return v.Text
	}
	return p.BaseText
}

var colorRe = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
var langRe = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$`)

// Limits on free text, to keep a stray paste from bloating the database.
const (
	MaxNameLen       = 120
	MaxGuidelinesLen = 20000
	MaxPostTextLen   = 100000
	MaxLabelLen      = 60
)

// LoadZone resolves an IANA zone name, as a domain error when it is unknown.
func LoadZone(name string) (*time.Location, error) {
	if strings.TrimSpace(name) == "" || name == "Local" {
		return nil, Errorf(EInvalid, "client.zone_invalid", "time zone %q is not a valid IANA zone", name).WithField("timeZone").WithParam("zone", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, Errorf(EInvalid, "client.zone_invalid", "time zone %q is not a valid IANA zone", name).WithField("timeZone").WithParam("zone", name)
	}
	return loc, nil
}

// Normalize trims c's fields and checks its rules.
func (c *Client) Normalize() error {
	c.Name = strings.TrimSpace(c.Name)
	c.Color = strings.ToLower(strings.TrimSpace(c.Color))
	c.TimeZone = strings.TrimSpace(c.TimeZone)
	c.Language = strings.TrimSpace(c.Language)
	if c.Name == "" {
		return Errorf(EInvalid, "client.name_required", "a client needs a name").WithField("name")
	}
	if err := checkText(c.Name, "name"); err != nil {
		return err
	}
	if utf8.RuneCountInString(c.Name) > MaxNameLen {
		return Errorf(EInvalid, "client.name_too_long", "a client name has at most %d characters", MaxNameLen).WithField("name").WithParam("max", itoa(MaxNameLen))
	}
	if c.Color == "" {
		c.Color = "#4f7cff"
	}
	if !colorRe.MatchString(c.Color) {
		return Errorf(EInvalid, "client.color_invalid", "colour %q is not #rrggbb", c.Color).WithField("color")
	}
	if _, err := LoadZone(c.TimeZone); err != nil {
		return err
	}
	if c.Language == "" {
		c.Language = "en"
	}
	if !langRe.MatchString(c.Language) {
		return Errorf(EInvalid, "client.language_invalid", "language %q is not a BCP 47 tag", c.Language).WithField("language").WithParam("language", c.Language)
	}
	if err := checkText(c.Guidelines, "guidelines"); err != nil {
		return err
	}
	var err error
	if c.BannedWords, err = cleanList(c.BannedWords, "bannedWords"); err != nil {
		return err
	}
	if c.RequiredTags, err = cleanList(c.RequiredTags, "requiredTags"); err != nil {
		return err
	}
	if utf8.RuneCountInString(c.Guidelines) > MaxGuidelinesLen {
		return Errorf(EInvalid, "client.guidelines_too_long", "guidelines have at most %d characters", MaxGuidelinesLen).WithField("guidelines").WithParam("max", itoa(MaxGuidelinesLen))
	}
	return nil
}

// Normalize trims a's fields and checks its rules.
func (a *Account) Normalize() error {
	a.Handle = strings.TrimSpace(a.Handle)
	a.DisplayName = strings.TrimSpace(a.DisplayName)
	switch a.Connection {
	case "":
		a.Connection = ConnManual
	case ConnManual, ConnConnected, ConnReconnect:
	default:
		return Errorf(EInvalid, "account.connection_invalid", "unknown connection state %q", a.Connection)
	}
	if !a.Network.Valid() {
		return Errorf(EInvalid, "account.network_invalid", "unknown network %q", a.Network).WithField("network")
	}
	if a.Handle == "" {
		return Errorf(EInvalid, "account.handle_required", "an account needs a handle").WithField("handle")
	}
	if err := checkText(a.Handle, "handle"); err != nil {
		return err
	}
	if utf8.RuneCountInString(a.Handle) > MaxNameLen || utf8.RuneCountInString(a.DisplayName) > MaxNameLen {
		return Errorf(EInvalid, "account.handle_too_long", "a handle has at most %d characters", MaxNameLen).WithField("handle").WithParam("max", itoa(MaxNameLen))
	}
	return checkText(a.DisplayName, "displayName")
}

// Normalize checks p's rules (except that accounts belong to the client,
// which needs the store). A scheduled post needs a time and an account.
func (p *Post) Normalize() error {
	if !p.Status.Valid() {
		return Errorf(EInvalid, "post.status_invalid", "unknown status %q", p.Status).WithField("status")
	}
	if err := checkText(p.BaseText, "text"); err != nil {
		return err
	}
	if err := checkText(p.FirstComment, "firstComment"); err != nil {
		return err
	}
	if len(p.FirstComment) > MaxPostTextLen {
		return Errorf(EInvalid, "post.text_too_long", "a post's text has at most %d bytes", MaxPostTextLen).WithField("firstComment").WithParam("max", itoa(MaxPostTextLen))
	}
	if len(p.BaseText) > MaxPostTextLen {
		return Errorf(EInvalid, "post.text_too_long", "a post's text has at most %d bytes", MaxPostTextLen).WithField("text").WithParam("max", itoa(MaxPostTextLen))
	}
	if p.Status == StatusIdea {
		p.ScheduledAt = nil
	} else if p.ScheduledAt == nil {
		return Errorf(EInvalid, "post.time_required", "a %s post needs a date and time", p.Status).WithField("scheduledAt")
	}
	if p.ScheduledAt != nil {
		t := p.ScheduledAt.UTC().Truncate(time.Second)
		p.ScheduledAt = &t
	}
	if _, err := LoadZone(p.TimeZone); err != nil {
		e := AsError(err)
		e.Field = "timeZone"
		return e
	}
	if p.Status == StatusScheduled && len(p.Variants) == 0 {
		return Errorf(EInvalid, "post.account_required", "pick at least one account to schedule a post").WithField("accounts")
	}
	seen := map[int64]bool{}
	for i := range p.Variants {
		v := &p.Variants[i]
		if seen[v.AccountID] {
			return Errorf(EInvalid, "post.account_duplicate", "an account appears twice in one post").WithField("accounts")
		}
		seen[v.AccountID] = true
		if err := checkText(v.Text, "text"); err != nil {
			return err
		}
		if len(v.Text) > MaxPostTextLen {
			return Errorf(EInvalid, "post.text_too_long", "a post's text has at most %d bytes", MaxPostTextLen).WithField("text").WithParam("max", itoa(MaxPostTextLen))
		}
		if err := checkText(v.FirstComment, "firstComment"); err != nil {
			return err
		}
		if len(v.FirstComment) > MaxPostTextLen {
			return Errorf(EInvalid, "post.text_too_long", "a post's text has at most %d bytes", MaxPostTextLen).WithField("firstComment").WithParam("max", itoa(MaxPostTextLen))
		}
		if strings.TrimSpace(v.FirstComment) == "" {
			v.FirstComment = ""
			if strings.TrimSpace(p.FirstComment) != "" {
				v.FirstComment = p.FirstComment
			}
		}
	}
	if len(p.Variants) > 0 || strings.TrimSpace(p.FirstComment) == "" {
		p.FirstComment = ""
	}
	labels := p.Labels[:0:0]
	have := map[string]bool{}
	for _, l := range p.Labels {
		l = strings.TrimSpace(l)
		if l == "" || have[strings.ToLower(l)] {
			continue
		}
		if err := checkText(l, "labels"); err != nil {
			return err
		}
		if utf8.RuneCountInString(l) > MaxLabelLen {
			return Errorf(EInvalid, "post.label_too_long", "a label has at most %d characters", MaxLabelLen).WithField("labels").WithParam("max", itoa(MaxLabelLen))
		}
		have[strings.ToLower(l)] = true
		labels = append(labels, l)
	}
	p.Labels = labels
	return nil
}

// cleanList trims, drops empty and duplicate (case-insensitive) entries.
func cleanList(in []string, field string) ([]string, error) {
	out := []string{}
	seen := map[string]bool{}
	for _, w := range in {
		w = strings.TrimSpace(w)
		if w == "" || seen[strings.ToLower(w)] {
			continue
		}
		if err := checkText(w, field); err != nil {
			return nil, err
		}
		if utf8.RuneCountInString(w) > MaxNameLen {
			return nil, Errorf(EInvalid, "list.item_too_long", "an entry has at most %d characters", MaxNameLen).WithField(field).WithParam("max", itoa(MaxNameLen))
		}
		seen[strings.ToLower(w)] = true
		out = append(out, w)
	}
	return out, nil
}

// checkText refuses invalid UTF-8 and NUL bytes, which a paste can carry.
func checkText(s, field string) error {
	if !utf8.ValidString(s) {
		return Errorf(EInvalid, "text.invalid_utf8", "the text is not valid UTF-8").WithField(field)
	}
	if strings.ContainsRune(s, 0) {
		return Errorf(EInvalid, "text.nul", "the text contains a NUL character").WithField(field)
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }
