package backend

import (
	"context"
	"regexp"
	"time"
	"unicode/utf8"
)

// The monthly report (issue #15): figures of published posts, follower
// counts per day, the client's objectives and the CM's texts.

// Metric sources.
const (
	SourceNetwork = "network" // fetched by the collector
	SourceManual  = "manual"  // entered by hand
)

// Figures are a published variant's latest public figures. Reach and Saves
// are nil where the network (or the user) gives none.
type Figures struct {
	Replies   int       `json:"replies"` // replies / comments
	Reposts   int       `json:"reposts"` // boosts / reposts / shares
	Likes     int       `json:"likes"`
	Quotes    int       `json:"quotes"`
	Reach     *int      `json:"reach"`
	Saves     *int      `json:"saves"`
	Source    string    `json:"source"`  // SourceNetwork or SourceManual
	Deleted   bool      `json:"deleted"` // the network no longer has it
	FetchedAt time.Time `json:"fetchedAt"`
}

// Interactions is every reaction counted: replies, reposts, likes, quotes
// and saves (reach is an audience, not an interaction).
func (f Figures) Interactions() int {
	n := f.Replies + f.Reposts + f.Likes + f.Quotes
	if f.Saves != nil {
		n += *f.Saves
	}
	return n
}

// ManualFields are the figures a network shows its users (what the post's
// detail asks for when it is published by hand). Networks Pauta reads by
// itself have none.
func ManualFields(n Network) []string {
	switch n {
	case Mastodon, Bluesky:
		return nil
	case Instagram:
		return []string{"likes", "comments", "shares", "reach", "saves"}
	case Pinterest:
		return []string{"likes", "comments", "reach", "saves"}
	case LinkedIn, Facebook, Threads, TikTok, YouTube:
		return []string{"likes", "comments", "shares", "reach"}
	case X:
		return []string{"likes", "comments", "shares", "reach", "saves"}
	default:
		return []string{"likes", "comments", "reach"}
	}
}

// ManualFigures is what the user typed for a published manual variant;
// a nil field was left empty.
type ManualFigures struct {
	Likes    *int `json:"likes"`
	Comments *int `json:"comments"`
	Shares   *int `json:"shares"`
	Reach    *int `json:"reach"`
	Saves    *int `json:"saves"`
}

// MetricsTarget is a published variant the collector may refresh.
type MetricsTarget struct {
	VariantID   int64      `json:"variantId"`
	Account     Account    `json:"account"`
	Ref         RemoteRef  `json:"ref"`
	PublishedAt time.Time  `json:"publishedAt"`
	FetchedAt   *time.Time `json:"fetchedAt"` // nil: never fetched
	Deleted     bool       `json:"deleted"`
}

// FollowerSnapshot is one account's follower count on one day.
type FollowerSnapshot struct {
	AccountID int64     `json:"accountId"`
	Day       string    `json:"day"` // "2006-01-02" in the client's zone
	Followers int       `json:"followers"`
	TakenAt   time.Time `json:"takenAt"`
}

// ReportPost is a published variant in a period, with its figures.
type ReportPost struct {
	PostID      int64     `json:"postId"`
	VariantID   int64     `json:"variantId"`
	AccountID   int64     `json:"accountId"`
	Network     Network   `json:"network"`
	Handle      string    `json:"handle"`
	Text        string    `json:"text"`
	URL         string    `json:"url"`
	PublishedAt time.Time `json:"publishedAt"`
	MediaID     int64     `json:"mediaId"` // first image (0 = none)
	Figures     *Figures  `json:"figures"` // nil: none yet
}

// Objectives are a client's targets for one month ("2026-11"); nil = none.
type Objectives struct {
	ClientID             int64           `json:"clientId"`
	Month                string          `json:"month"`
	PostsPerNetwork      map[Network]int `json:"postsPerNetwork"`
	Interactions         *int            `json:"interactions"`
	FollowersGained      *int            `json:"followersGained"`
	FirstResponseMinutes *int            `json:"firstResponseMinutes"`
}

// ReportText is the CM's own words for a client's period.
type ReportText struct {
	ClientID int64  `json:"clientId"`
	From     string `json:"from"` // "2006-01-02"
	To       string `json:"to"`   // exclusive
	Summary  string `json:"summary"`
	Plan     string `json:"plan"`
}

// MetricsStore keeps what the collector fetched and what the report reads.
type MetricsStore interface {
	// MetricsTargets lists the published variants of connected Mastodon and
	// Bluesky accounts published at or after since, with their last fetch.
	MetricsTargets(ctx context.Context, since time.Time) ([]MetricsTarget, error)
	// SaveNetworkMetrics stores fetched figures (never over manual ones).
	SaveNetworkMetrics(ctx context.Context, variantID int64, m PostMetrics, at time.Time) error
	// SaveManualMetrics stores figures typed for a published manual variant.
	SaveManualMetrics(ctx context.Context, variantID int64, f ManualFigures) error
	// SaveFollowers records the account's count for day unless one exists;
	// it reports whether it wrote.
	SaveFollowers(ctx context.Context, s FollowerSnapshot) (bool, error)
	HasFollowers(ctx context.Context, accountID int64, day string) (bool, error)
	// Followers lists the snapshots of the client's accounts with day in [from, to].
	Followers(ctx context.Context, clientID int64, from, to string) ([]FollowerSnapshot, error)
	// ReportPosts lists the client's variants published in [from, to).
	ReportPosts(ctx context.Context, clientID int64, from, to time.Time) ([]ReportPost, error)
	GetObjectives(ctx context.Context, clientID int64, month string) (*Objectives, error)
	SaveObjectives(ctx context.Context, o *Objectives) error
	GetReportText(ctx context.Context, clientID int64, from, to string) (*ReportText, error)
	SaveReportText(ctx context.Context, t *ReportText) error
}

var monthRe = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

// Normalize checks the month and that no target is negative (followers
// gained may be: a target of losing fewer is still a target).
func (o *Objectives) Normalize() error {
	if !monthRe.MatchString(o.Month) {
		return Errorf(EInvalid, "report.month_invalid", "%q is not a month (YYYY-MM)", o.Month).WithField("month")
	}
	if o.PostsPerNetwork == nil {
		o.PostsPerNetwork = map[Network]int{}
	}
	for n, v := range o.PostsPerNetwork {
		if !n.Valid() {
			return Errorf(EInvalid, "account.network_invalid", "unknown network %q", n).WithField("postsPerNetwork")
		}
		if v < 0 {
			return Errorf(EInvalid, "report.figure_negative", "a figure cannot be negative").WithField("postsPerNetwork")
		}
		if v == 0 {
			delete(o.PostsPerNetwork, n)
		}
	}
	if o.Interactions != nil && *o.Interactions < 0 {
		return Errorf(EInvalid, "report.figure_negative", "a figure cannot be negative").WithField("interactions")
	}
	if o.FirstResponseMinutes != nil && *o.FirstResponseMinutes < 0 {
		return Errorf(EInvalid, "report.figure_negative", "a figure cannot be negative").WithField("firstResponseMinutes")
	}
	return nil
}

// MaxReportTextLen bounds the summary and the plan.
const MaxReportTextLen = 20000

var dayRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// Normalize checks the period and the texts.
func (t *ReportText) Normalize() error {
	if !dayRe.MatchString(t.From) || !dayRe.MatchString(t.To) || t.From >= t.To {
		return Errorf(EInvalid, "report.period_invalid", "the period %s – %s is not valid", t.From, t.To).WithField("period")
	}
	for field, s := range map[string]string{"summary": t.Summary, "plan": t.Plan} {
		if err := checkText(s, field); err != nil {
			return err
		}
		if utf8.RuneCountInString(s) > MaxReportTextLen {
			return Errorf(EInvalid, "report.text_too_long", "a text has at most %d characters", MaxReportTextLen).WithField(field).WithParam("max", itoa(MaxReportTextLen))
		}
	}
	return nil
}

// FigureTarget is a published variant of a manual network that an imported
// figures file can be matched to (by its link, or by its time).
type FigureTarget struct {
	VariantID   int64      `json:"variantId"`
	PostID      int64      `json:"postId"`
	AccountID   int64      `json:"accountId"`
	Text        string     `json:"text"`
	URL         string     `json:"url"`         // the published link ("" = not known)
	PublishedAt *time.Time `json:"publishedAt"` // when it was marked published
	DueAt       *time.Time `json:"dueAt"`       // when it was due (the time it likely went out)
	Figures     *Figures   `json:"figures"`     // what it has now (nil = none)
}

// ManualUpdate is one variant's figures to store.
type ManualUpdate struct {
	VariantID int64
	Figures   ManualFigures
}

// FiguresImportStore is what the figures import reads and writes.
type FiguresImportStore interface {
	// FigureTargets lists the account's published variants, oldest first.
	FigureTargets(ctx context.Context, accountID int64) ([]FigureTarget, error)
	// SaveManualMetricsAll stores every update in one transaction: all or none.
	SaveManualMetricsAll(ctx context.Context, updates []ManualUpdate) error
}
