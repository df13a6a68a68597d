package app

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"pauta/backend"
	"pauta/backend/textlimit"
)

// PostService is bound to the frontend: the calendar and the composer.
type PostService struct{ app *App }

// PostView is a post as the UI shows it: its time both in UTC and as the
// wall clock of its client's zone.
type PostView struct {
	ID           int64         `json:"id"`
	ClientID     int64         `json:"clientId"`
	Status       string        `json:"status"`
	Text         string        `json:"text"`
	FirstComment string        `json:"firstComment"`
	ScheduledAt  string        `json:"scheduledAt"` // RFC 3339 UTC, "" for ideas
	TimeZone     string        `json:"timeZone"`
	Local        string        `json:"local"` // "2006-01-02T15:04" in TimeZone, "" for ideas
	ZoneLabel    string        `json:"zoneLabel"`
	Labels       []string      `json:"labels"`
	Variants     []VariantView `json:"variants"`
	UpdatedAt    string        `json:"updatedAt"`
	// ServerScheduled: the instance (Mastodon) has a variant scheduled and
	// publishes it even with the laptop closed; ServerScheduledAt is its time (RFC 3339 UTC).
	ServerScheduled   bool   `json:"serverScheduled"`
	ServerScheduledAt string `json:"serverScheduledAt"`
	// The client's approval (issue 19, approval.go).
	NeedsApproval bool             `json:"needsApproval"`
	Approval      backend.Approval `json:"approval"`
}

// VariantView is one account's version of a post.
type VariantView struct {
	AccountID    int64  `json:"accountId"`
	Network      string `json:"network"`
	Text         string `json:"text"`         // "" = the post's text
	FirstComment string `json:"firstComment"` // this account's first comment ("" = none)
}

func viewPost(p *backend.Post, nets map[int64]backend.Network, zones backend.Zones) PostView {
	v := PostView{ID: p.ID, ClientID: p.ClientID, Status: string(p.Status), Text: p.BaseText, FirstComment: p.FirstComment, TimeZone: p.TimeZone,
		Labels: p.Labels, Variants: []VariantView{}, UpdatedAt: p.UpdatedAt.UTC().Format(time.RFC3339),
		NeedsApproval: p.NeedsApproval, Approval: p.Approval}
	if v.Labels == nil {
		v.Labels = []string{}
	}
	if p.ScheduledAt != nil {
		v.ScheduledAt = p.ScheduledAt.UTC().Format(time.RFC3339)
		v.Local = zones.Local(*p.ScheduledAt, p.TimeZone)
		v.ZoneLabel = zones.Label(*p.ScheduledAt, p.TimeZone)
	}
	for _, va := range p.Variants {
		v.Variants = append(v.Variants, VariantView{AccountID: va.AccountID, Network: string(nets[va.AccountID]), Text: va.Text, FirstComment: va.FirstComment})
	}
	return v
}

func (s *PostService) networks() (map[int64]backend.Network, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	as, err := s.app.store.ListAccounts(ctx, 0)
	if err != nil {
		return nil, err
	}
	m := make(map[int64]backend.Network, len(as))
	for _, a := range as {
		m[a.ID] = a.Network
	}
	return m, nil
}

// PostQuery selects the posts of a calendar range: every post whose local
// date, in its own client's zone, is in [From, To] ("2006-01-02").
// ClientID 0 means all active clients.
type PostQuery struct {
	ClientID int64  `json:"clientId"`
	From     string `json:"from"`
	To       string `json:"to"`
	Ideas    bool   `json:"ideas"`
}

// List returns the posts of a calendar range, ordered by time.
func (s *PostService) List(q PostQuery) ([]PostView, error) {
	from, err := time.Parse("2006-01-02", q.From)
	if err != nil {
		return nil, backend.Errorf(backend.EInvalid, "post.date_invalid", "%q is not a date (YYYY-MM-DD)", q.From).WithField("from")
	}
	to, err := time.Parse("2006-01-02", q.To)
	if err != nil {
		return nil, backend.Errorf(backend.EInvalid, "post.date_invalid", "%q is not a date (YYYY-MM-DD)", q.To).WithField("to")
	}
	if to.Before(from) {
		return nil, backend.Errorf(backend.EInvalid, "range.inverted", "the end of the range is before its start").WithField("to")
	}
	ctx, cancel := s.app.call()
	defer cancel()
	return s.list(ctx, q, from, to)
}

func (s *PostService) list(ctx context.Context, q PostQuery, from, to time.Time) ([]PostView, error) {
	// Zones run from UTC-12 to UTC+14: widen by a day each side, then keep
	// the posts whose own local date falls in the range.
	posts, err := s.app.store.ListPosts(ctx, backend.PostFilter{ClientID: q.ClientID, From: from.AddDate(0, 0, -1), To: to.AddDate(0, 0, 2), Ideas: q.Ideas})
	if err != nil {
		return nil, err
	}
	archived := map[int64]bool{}
	if q.ClientID == 0 {
		cs, err := s.app.store.ListClients(ctx, true)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			archived[c.ID] = c.Archived
		}
	}
	nets, err := s.networks()
	if err != nil {
		return nil, err
	}
	out := make([]PostView, 0, len(posts))
	lo, hi := q.From, q.To
	zones := backend.Zones{}
	for i := range posts {
		p := &posts[i]
		if archived[p.ClientID] {
			continue
		}
		v := viewPost(p, nets, zones)
		if v.Local != "" {
			day := v.Local[:10]
			if day < lo || day > hi {
				continue
			}
		}
		out = append(out, v)
	}
	if err := s.markServerScheduled(ctx, out); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Local == "" || out[j].Local == "" {
			return out[i].Local != "" && out[j].Local == ""
		}
		return out[i].ScheduledAt < out[j].ScheduledAt
	})
	return out, nil
}

// Get returns one post.
func (s *PostService) Get(id int64) (PostView, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	p, err := s.app.store.GetPost(ctx, id)
	if err != nil {
		return PostView{}, err
	}
	nets, err := s.networks()
	if err != nil {
		return PostView{}, err
	}
	v := []PostView{viewPost(p, nets, backend.Zones{})}
	if err := s.markServerScheduled(ctx, v); err != nil {
		return PostView{}, err
	}
	return v[0], nil
}

// markServerScheduled sets ServerScheduled on the posts the instance holds.
func (s *PostService) markServerScheduled(ctx context.Context, posts []PostView) error {
	if len(posts) == 0 {
		return nil
	}
	held, err := s.app.store.RemoteHeldPosts(ctx, nil)
	if err != nil || len(held) == 0 {
		return err
	}
	for i := range posts {
		if at, ok := held[posts[i].ID]; ok {
			posts[i].ServerScheduled = true
			if !at.IsZero() {
				posts[i].ServerScheduledAt = at.UTC().Format(time.RFC3339)
			}
		}
	}
	return nil
}

// PostInput is the composer's form. Date and Time are the wall clock in the
// client's zone.
type PostInput struct {
	ID           int64          `json:"id"`
	ClientID     int64          `json:"clientId"`
	Status       string         `json:"status"`
	Text         string         `json:"text"`
	FirstComment string         `json:"firstComment"`
	Date         string         `json:"date"`
	Time         string         `json:"time"`
	Labels       []string       `json:"labels"`
	Variants     []VariantInput `json:"variants"`
}

// VariantInput picks an account, optionally with its own text and its own
// first comment (PostInput.FirstComment goes to the accounts without one).
type VariantInput struct {
	AccountID    int64  `json:"accountId"`
	Text         string `json:"text"`
	FirstComment string `json:"firstComment"`
}

// SaveResult is the saved post; Shifted says the chosen time did not exist
// (a DST gap) and Local is the time used instead. Warnings are the brand
// guidelines the text breaks (advice, not errors).
type SaveResult struct {
	Post     PostView          `json:"post"`
	Shifted  bool              `json:"shifted"`
	Local    string            `json:"local"`
	Warnings []backend.Warning `json:"warnings"`
}

// Save creates (ID 0) or updates a post, all or nothing. Scheduling needs
// every variant within its network's limit; a draft may be over.
func (s *PostService) Save(in PostInput) (SaveResult, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	c, err := s.app.store.GetClient(ctx, in.ClientID)
	if err != nil {
		e := backend.AsError(err)
		e.Field = "client"
		return SaveResult{}, e
	}
	p := backend.Post{ID: in.ID, ClientID: in.ClientID, Status: backend.PostStatus(in.Status), BaseText: in.Text, FirstComment: in.FirstComment,
		TimeZone: c.TimeZone, Labels: in.Labels}
	for _, v := range in.Variants {
		p.Variants = append(p.Variants, backend.Variant{AccountID: v.AccountID, Text: v.Text, FirstComment: v.FirstComment})
	}
	switch p.Status {
	case backend.StatusIdea, backend.StatusDraft, backend.StatusScheduled:
	default: // published, failed and needs_review are the outbox's to set
		return SaveResult{}, backend.Errorf(backend.EInvalid, "post.status_invalid", "a post can be saved as an idea, a draft or scheduled").WithField("status")
	}
	var res SaveResult
	if p.Status != backend.StatusIdea {
		if strings.TrimSpace(in.Date) == "" || strings.TrimSpace(in.Time) == "" {
			return SaveResult{}, backend.Errorf(backend.EInvalid, "post.time_required", "pick a date and time").WithField("date")
		}
		r, err := backend.ResolveLocal(backend.LocalInput{Date: in.Date, Time: in.Time}, c.TimeZone)
		if err != nil {
			return SaveResult{}, err
		}
		p.ScheduledAt = &r.UTC
		res.Shifted, res.Local = r.Shifted, r.Local
	}
	if in.ID != 0 {
		old, err := s.app.store.GetPost(ctx, in.ID)
		if err != nil {
			return SaveResult{}, err
		}
		if old.Status == backend.StatusPublished && p.Status != backend.StatusPublished {
			return SaveResult{}, backend.CanReschedule(old)
		}
		if !sameTime(old.ScheduledAt, p.ScheduledAt) {
			if err := backend.CanReschedule(old); err != nil {
				return SaveResult{}, err
			}
		}
	}
	if p.Status == backend.StatusScheduled {
		if err := s.checkLimits(ctx, &p); err != nil {
			return SaveResult{}, err
		}
	}
	return s.store(ctx, c, &p, res)
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// checkLimits refuses a variant over its network's text limit, with too many
// images, or without the image its network requires.
func (s *PostService) checkLimits(ctx context.Context, p *backend.Post) error {
	accs, err := s.app.store.ListAccounts(ctx, p.ClientID)
	if err != nil {
		return err
	}
	byID := map[int64]backend.Account{}
	for _, a := range accs {
		byID[a.ID] = a
	}
	images := 0 // a new post has none yet: the composer saves it before attaching
	var media []backend.Media
	if p.ID != 0 {
		pm, err := s.app.store.ListPostMedia(ctx, p.ID)
		if err != nil {
			return err
		}
		images = len(pm)
		if media, err = mediaOf(ctx, s.app.store, pm); err != nil {
			return err
		}
	}
	var needsMedia error
	for _, v := range p.Variants {
		acc := byID[v.AccountID]
		n := acc.Network
		if max := backend.MaxImages(n, acc.Limits); max > 0 && images > max {
			return tooManyImages(acc, images, max)
		}
		if err := altOverLimit(acc, media); err != nil { // alttext.go
			return err
		}
		// A connected Mastodon account counts against its own instance's limits.
		opts := textlimit.Options{MastodonMaxChars: acc.Limits.MaxCharacters, MastodonURLChars: acc.Limits.URLCharacters}
		c := textlimit.Measure(n, v.EffectiveText(p), opts)
		field := "text"
		if comment := v.EffectiveComment(p); !c.Over && comment != "" {
			// The first comment is published as a reply: it must fit too.
			c = textlimit.Measure(n, comment, opts)
			field = "firstComment"
		}
		if c.Over {
			key := "post.over_limit"
			if c.Rule.HashtagLimit > 0 && c.Hashtags > c.Rule.HashtagLimit {
				key = "post.too_many_hashtags"
			}
			return backend.Errorf(backend.EInvalid, key, "the %s text is over its limit (%d of %d)", n, c.Used, c.Rule.Limit).
				WithField(field).WithParam("network", string(n)).WithParam("accountId", strconv.FormatInt(v.AccountID, 10)).WithParam("used", strconv.Itoa(c.Used)).
				WithParam("limit", strconv.Itoa(c.Rule.Limit)).WithParam("hashtags", strconv.Itoa(c.Hashtags)).
				WithParam("hashtagLimit", strconv.Itoa(c.Rule.HashtagLimit))
		}
		if images == 0 && backend.RequiresMedia(n) && needsMedia == nil {
			needsMedia = mediaRequired(acc)
		}
	}
	return needsMedia // after the text checks: a text over its limit is said first
}

// store writes p (create or update) and builds the result.
func (s *PostService) store(ctx context.Context, c *backend.Client, p *backend.Post, res SaveResult) (SaveResult, error) {
	var err error
	if p.ID == 0 {
		err = s.app.store.CreatePost(ctx, p)
	} else {
		err = s.app.store.UpdatePost(ctx, p)
	}
	if err != nil {
		return SaveResult{}, err
	}
	if fresh, err := s.app.store.GetPost(ctx, p.ID); err == nil { // the approval state the store derived
		p.NeedsApproval, p.Approval, p.ContentHash = fresh.NeedsApproval, fresh.Approval, fresh.ContentHash
	}
	nets, err := s.networks()
	if err != nil {
		return SaveResult{}, err
	}
	res.Post = viewPost(p, nets, backend.Zones{})
	one := []PostView{res.Post}
	if err := s.markServerScheduled(ctx, one); err == nil {
		res.Post = one[0]
	}
	s.app.outbox.Wake()
	res.Warnings = backend.GuidelineWarnings(c, p.BaseText+"\n"+p.AllComments())
	if res.Local == "" {
		res.Local = res.Post.Local
	}
	s.app.emitter.Emit(EventPostsChanged)
	return res, nil
}

// Move reschedules a post to a date and time in its client's zone (drag and
// drop). Published posts and posts waiting for review do not move.
func (s *PostService) Move(id int64, date, clock string) (SaveResult, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	p, err := s.app.store.GetPost(ctx, id)
	if err != nil {
		return SaveResult{}, err
	}
	if err := backend.CanReschedule(p); err != nil {
		return SaveResult{}, err
	}
	c, err := s.app.store.GetClient(ctx, p.ClientID)
	if err != nil {
		return SaveResult{}, err
	}
	r, err := backend.ResolveLocal(backend.LocalInput{Date: date, Time: clock}, c.TimeZone)
	if err != nil {
		return SaveResult{}, err
	}
	p.ScheduledAt, p.TimeZone = &r.UTC, c.TimeZone
	if p.Status == backend.StatusIdea {
		p.Status = backend.StatusDraft
	}
	return s.store(ctx, c, p, SaveResult{Shifted: r.Shifted, Local: r.Local})
}

// Restore undoes a delete.
func (s *PostService) Restore(id int64) error {
	ctx, cancel := s.app.call()
	defer cancel()
	if err := s.app.store.RestorePost(ctx, id); err != nil {
		return err
	}
	s.app.outbox.Wake()
	s.app.emitter.Emit(EventPostsChanged)
	return nil
}

// Queue schedules a post in the next free posting slot of its accounts.
func (s *PostService) Queue(in PostInput) (SaveResult, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	c, err := s.app.store.GetClient(ctx, in.ClientID)
	if err != nil {
		return SaveResult{}, err
	}
	var accounts []int64
	for _, v := range in.Variants {
		accounts = append(accounts, v.AccountID)
	}
	slots, err := s.app.store.ListSlots(ctx, c.ID)
	if err != nil {
		return SaveResult{}, err
	}
	const horizon = 60 // days
	now := s.app.cfg.Clock.Now()
	posts, err := s.app.store.ListPosts(ctx, backend.PostFilter{ClientID: c.ID, From: now.Add(-time.Hour), To: now.AddDate(0, 0, horizon+2)})
	if err != nil {
		return SaveResult{}, err
	}
	busy := map[int64]map[int64]bool{} // account → unix seconds
	for _, p := range posts {
		if p.ID == in.ID || p.ScheduledAt == nil {
			continue
		}
		for _, v := range p.Variants {
			if busy[v.AccountID] == nil {
				busy[v.AccountID] = map[int64]bool{}
			}
			busy[v.AccountID][p.ScheduledAt.Unix()] = true
		}
	}
	r, err := backend.NextFreeSlot(c.TimeZone, slots, accounts, func(a int64, at time.Time) bool { return busy[a][at.Unix()] }, now, horizon)
	if err != nil {
		return SaveResult{}, err
	}
	in.Status = string(backend.StatusScheduled)
	in.Date, in.Time = r.Local[:10], r.Local[11:]
	cancel()
	return s.Save(in)
}

// Ideas returns the posts with no date (all active clients for 0).
func (s *PostService) Ideas(clientID int64) ([]PostView, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.ideas(ctx, clientID)
}

func (s *PostService) ideas(ctx context.Context, clientID int64) ([]PostView, error) {
	posts, err := s.app.store.ListPosts(ctx, backend.PostFilter{ClientID: clientID, OnlyIdeas: true})
	if err != nil {
		return nil, err
	}
	if clientID == 0 { // "All clients" means the active ones
		cs, err := s.app.store.ListClients(ctx, true)
		if err != nil {
			return nil, err
		}
		archived := map[int64]bool{}
		for _, c := range cs {
			archived[c.ID] = c.Archived
		}
		kept := posts[:0]
		for _, p := range posts {
			if !archived[p.ClientID] {
				kept = append(kept, p)
			}
		}
		posts = kept
	}
	nets, err := s.networks()
	if err != nil {
		return nil, err
	}
	out := make([]PostView, 0, len(posts))
	for i := range posts {
		out = append(out, viewPost(&posts[i], nets, backend.Zones{}))
	}
	return out, nil
}

// Delete moves a post to the bin; Restore undoes it within 30 days.
func (s *PostService) Delete(id int64) error {
	ctx, cancel := s.app.call()
	defer cancel()
	if err := s.app.store.DeletePost(ctx, id); err != nil {
		return err
	}
	s.app.outbox.Wake() // a server-side schedule is cancelled
	s.app.emitter.Emit(EventPostsChanged)
	return nil
}
