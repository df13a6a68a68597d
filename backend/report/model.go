package report

import (
	"context"
	"sort"
	"time"

	"pauta/backend"
)

// Reasons a figure is shown as "—" (keys the UI and the PDF translate).
const (
	ReasonNoPosts       = "no_posts"       // nothing published in the period
	ReasonNoFigures     = "no_figures"     // no published post has figures yet
	ReasonNoSnapshots   = "no_snapshots"   // no follower counts in the period
	ReasonNoPrevious    = "no_previous"    // nothing to compare with
	ReasonNotReadYet    = "not_read_yet"   // the network was not reachable since
	ReasonManualMissing = "manual_missing" // a manual post whose figures were not entered
	ReasonNoInbox       = "no_inbox_data"  // the inbox has nothing for the period
	ReasonNoTarget      = "no_target"      // no objective set
	ReasonNoResponses   = "no_responses"   // no answered conversation
	ReasonDeleted       = "deleted"        // the network no longer has it (last figures kept)
)

// Measure is a figure with its previous period's and the change, or the
// reason it is missing.
type Measure struct {
	Key    string   `json:"key"`
	Value  *float64 `json:"value"`
	Prev   *float64 `json:"prev"`
	Change *float64 `json:"change"` // percent
	Reason string   `json:"reason"` // why Value is nil
}

// DayPoint is one day of the posts-and-interactions chart.
type DayPoint struct {
	Day          string `json:"day"`
	Posts        int    `json:"posts"`
	Interactions int    `json:"interactions"`
}

// FollowerPoint is one day's count.
type FollowerPoint struct {
	Day       string `json:"day"`
	Followers int    `json:"followers"`
}

// FollowerSeries is one account's counts.
type FollowerSeries struct {
	AccountID int64           `json:"accountId"`
	Network   backend.Network `json:"network"`
	Handle    string          `json:"handle"`
	Points    []FollowerPoint `json:"points"`
	Gained    *int            `json:"gained"` // nil: fewer than two counts
}

// PostRow is a published post with its figures, or the reason it has none.
type PostRow struct {
	backend.ReportPost
	Interactions int    `json:"interactions"`
	Reason       string `json:"reason"` // "" when Figures is set (ReasonDeleted also keeps them)
	LocalTime    string `json:"localTime"`
}

// NetworkRow sums one network's posts.
type NetworkRow struct {
	Network      backend.Network `json:"network"`
	Posts        int             `json:"posts"`
	WithFigures  int             `json:"withFigures"`
	Manual       bool            `json:"manual"` // figures entered by hand
	Replies      int             `json:"replies"`
	Reposts      int             `json:"reposts"`
	Likes        int             `json:"likes"`
	Quotes       int             `json:"quotes"`
	Interactions int             `json:"interactions"`
	PerPost      *float64        `json:"perPost"`
}

// Best is the weekday and hour (client's zone) whose posts drew the most
// interactions per post.
type Best struct {
	Weekday      int     `json:"weekday"` // 0 = Sunday
	WeekdayAvg   float64 `json:"weekdayAvg"`
	Hour         int     `json:"hour"`
	HourAvg      float64 `json:"hourAvg"`
	PostsCounted int     `json:"postsCounted"`
}

// ObjectiveRow is one target against its result.
type ObjectiveRow struct {
	Key     string          `json:"key"` // posts, interactions, followers_gained, first_response_minutes
	Network backend.Network `json:"network"`
	Target  float64         `json:"target"`
	Result  *float64        `json:"result"`
	Met     *bool           `json:"met"`
	Reason  string          `json:"reason"`
}

// Report is everything the screen, the PDF and the CSV show.
type Report struct {
	Client     backend.Client     `json:"client"`
	Period     Period             `json:"period"`
	Previous   Period             `json:"previous"`
	Totals     []Measure          `json:"totals"` // posts, interactions, engagement, followers_gained
	Daily      []DayPoint         `json:"daily"`
	Followers  []FollowerSeries   `json:"followers"`
	Top        []PostRow          `json:"top"`
	Networks   []NetworkRow       `json:"networks"`
	Best       *Best              `json:"best"`
	BestReason string             `json:"bestReason"`
	Objectives []ObjectiveRow     `json:"objectives"`
	ObjMonth   string             `json:"objMonth"`
	Said       Said               `json:"said"`
	Posts      []PostRow          `json:"posts"`
	Text       backend.ReportText `json:"text"`
}

// Input is what Compute needs, read from the store by Load.
type Input struct {
	Client     backend.Client
	Accounts   []backend.Account
	Period     Period
	Previous   Period
	Posts      []backend.ReportPost
	PrevPosts  []backend.ReportPost
	Followers  []backend.FollowerSnapshot // from the day before Previous to the end of Period
	Objectives *backend.Objectives
	Inbox      []backend.InboxItem
	InboxRead  bool // an inbox reader answered (false: none wired)
	Text       backend.ReportText
}

// Source is what Load reads.
type Source interface {
	GetClient(ctx context.Context, id int64) (*backend.Client, error)
	ListAccounts(ctx context.Context, clientID int64) ([]backend.Account, error)
	ReportPosts(ctx context.Context, clientID int64, from, to time.Time) ([]backend.ReportPost, error)
	Followers(ctx context.Context, clientID int64, from, to string) ([]backend.FollowerSnapshot, error)
	GetObjectives(ctx context.Context, clientID int64, month string) (*backend.Objectives, error)
	GetReportText(ctx context.Context, clientID int64, from, to string) (*backend.ReportText, error)
}

// Load reads a client's period from src (and inbox, may be nil) and computes the report.
func Load(ctx context.Context, src Source, inbox backend.InboxReader, c *backend.Client, p Period) (*Report, error) {
	loc, err := backend.LoadZone(c.TimeZone)
	if err != nil {
		return nil, err
	}
	in := Input{Client: *c, Period: p, Previous: p.Previous(loc)}
	if in.Accounts, err = src.ListAccounts(ctx, c.ID); err != nil {
		return nil, err
	}
	if in.Posts, err = src.ReportPosts(ctx, c.ID, p.From, p.To); err != nil {
		return nil, err
	}
	if in.PrevPosts, err = src.ReportPosts(ctx, c.ID, in.Previous.From, in.Previous.To); err != nil {
		return nil, err
	}
	before := in.Previous.from(loc).AddDate(0, 0, -1).Format("2006-01-02")
	if in.Followers, err = src.Followers(ctx, c.ID, before, p.LastDay(loc)); err != nil {
		return nil, err
	}
	month := p.Month
	if month == "" {
		month = p.from(loc).Format("2006-01")
	}
	if in.Objectives, err = src.GetObjectives(ctx, c.ID, month); err != nil {
		return nil, err
	}
	t, err := src.GetReportText(ctx, c.ID, p.FromDay, p.ToDay)
	if err != nil {
		return nil, err
	}
	in.Text = *t
	if inbox != nil {
		if in.Inbox, err = inbox.InboxItemsForReport(ctx, c.ID, p.From, p.To); err != nil {
			return nil, err
		}
		in.InboxRead = true
	}
	r := Compute(in)
	return &r, nil
}

func fp(v float64) *float64 { return &v }

// Compute builds the report from its input (pure).
func Compute(in Input) Report {
	loc, err := backend.LoadZone(in.Client.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	r := Report{Client: in.Client, Period: in.Period, Previous: in.Previous, Text: in.Text}
	rows, prevRows := postRows(in.Posts, loc), postRows(in.PrevPosts, loc)
	r.Posts = rows

	cur, prev := sums(rows), sums(prevRows)
	r.Totals = []Measure{
		change("posts", fp(float64(cur.posts)), fp(float64(prev.posts)), ""),
		change("interactions", cur.interactions(), prev.interactions(), cur.reason()),
		change("engagement", cur.perPost(), prev.perPost(), cur.reason()),
	}
	r.Followers = followerSeries(in, loc, in.Period)
	gained, prevGained := totalGained(r.Followers), totalGained(followerSeries(in, loc, in.Previous))
	r.Totals = append(r.Totals, change("followers_gained", gained, prevGained, ReasonNoSnapshots))

	r.Daily = daily(rows, in.Period, loc)
	r.Top = top(rows, 5)
	r.Networks = networks(rows)
	r.Best, r.BestReason = best(rows, loc)
	r.Said = said(in)
	r.ObjMonth, r.Objectives = objectives(in, r)
	return r
}

func postRows(posts []backend.ReportPost, loc *time.Location) []PostRow {
	out := make([]PostRow, 0, len(posts))
	for _, p := range posts {
		row := PostRow{ReportPost: p, LocalTime: p.PublishedAt.In(loc).Format("2006-01-02 15:04")}
		switch {
		case p.Figures == nil && p.Network.Direct():
			row.Reason = ReasonNotReadYet
		case p.Figures == nil:
			row.Reason = ReasonManualMissing
		case p.Figures.Deleted:
			row.Reason = ReasonDeleted
			row.Interactions = p.Figures.Interactions()
		default:
			row.Interactions = p.Figures.Interactions()
		}
		out = append(out, row)
	}
	return out
}

type sum struct{ posts, withFigures, inter int }

func sums(rows []PostRow) sum {
	var s sum
	for _, r := range rows {
		s.posts++
		if r.Figures != nil {
			s.withFigures++
			s.inter += r.Interactions
		}
	}
	return s
}

func (s sum) interactions() *float64 {
	if s.withFigures == 0 {
		return nil
	}
	return fp(float64(s.inter))
}

func (s sum) perPost() *float64 {
	if s.withFigures == 0 {
		return nil
	}
	return fp(float64(s.inter) / float64(s.withFigures))
}

func (s sum) reason() string {
	if s.posts == 0 {
		return ReasonNoPosts
	}
	return ReasonNoFigures
}

// change is a measure with its change in percent (nil when there is no
// previous figure to divide by).
func change(key string, v, prev *float64, reason string) Measure {
	m := Measure{Key: key, Value: v, Prev: prev}
	if v == nil {
		m.Reason = reason
		return m
	}
	if prev != nil && *prev != 0 {
		m.Change = fp((*v - *prev) / *prev * 100)
	}
	return m
}

func daily(rows []PostRow, p Period, loc *time.Location) []DayPoint {
	idx := map[string]int{}
	out := []DayPoint{}
	for _, d := range p.DayList(loc) {
		idx[d] = len(out)
		out = append(out, DayPoint{Day: d})
	}
	for _, r := range rows {
		if i, ok := idx[r.PublishedAt.In(loc).Format("2006-01-02")]; ok {
			out[i].Posts++
			out[i].Interactions += r.Interactions
		}
	}
	return out
}

func top(rows []PostRow, n int) []PostRow {
	var with []PostRow
	for _, r := range rows {
		if r.Figures != nil {
			with = append(with, r)
		}
	}
	sort.SliceStable(with, func(i, j int) bool {
		if with[i].Interactions != with[j].Interactions {
			return with[i].Interactions > with[j].Interactions
		}
		return with[i].PublishedAt.Before(with[j].PublishedAt)
	})
	if len(with) > n {
		with = with[:n]
	}
	if with == nil {
		with = []PostRow{}
	}
	return with
}

func networks(rows []PostRow) []NetworkRow {
	by := map[backend.Network]*NetworkRow{}
	for _, r := range rows {
		n := by[r.Network]
		if n == nil {
			n = &NetworkRow{Network: r.Network}
			by[r.Network] = n
		}
		n.Posts++
		if f := r.Figures; f != nil {
			n.WithFigures++
			n.Replies += f.Replies
			n.Reposts += f.Reposts
			n.Likes += f.Likes
			n.Quotes += f.Quotes
			n.Interactions += r.Interactions
			n.Manual = n.Manual || f.Source == backend.SourceManual
		}
	}
	out := []NetworkRow{}
	for _, net := range backend.Networks {
		if n := by[net]; n != nil {
			if n.WithFigures > 0 {
				n.PerPost = fp(float64(n.Interactions) / float64(n.WithFigures))
			}
			out = append(out, *n)
		}
	}
	return out
}

// best finds the weekday and the hour (client's zone, so a post at 10:00
// counts at 10 on both sides of a DST change) with the most interactions
// per post.
func best(rows []PostRow, loc *time.Location) (*Best, string) {
	var wd [7]struct{ n, sum int }
	var hr [24]struct{ n, sum int }
	counted := 0
	for _, r := range rows {
		if r.Figures == nil {
			continue
		}
		t := r.PublishedAt.In(loc)
		wd[t.Weekday()].n++
		wd[t.Weekday()].sum += r.Interactions
		hr[t.Hour()].n++
		hr[t.Hour()].sum += r.Interactions
		counted++
	}
	if counted == 0 {
		if len(rows) == 0 {
			return nil, ReasonNoPosts
		}
		return nil, ReasonNoFigures
	}
	b := &Best{PostsCounted: counted, Weekday: -1, Hour: -1}
	for i, s := range wd {
		if s.n > 0 && (b.Weekday < 0 || float64(s.sum)/float64(s.n) > b.WeekdayAvg) {
			b.Weekday, b.WeekdayAvg = i, float64(s.sum)/float64(s.n)
		}
	}
	for i, s := range hr {
		if s.n > 0 && (b.Hour < 0 || float64(s.sum)/float64(s.n) > b.HourAvg) {
			b.Hour, b.HourAvg = i, float64(s.sum)/float64(s.n)
		}
	}
	return b, ""
}
