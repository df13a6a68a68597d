package app

import (
	"sort"
	"strings"
	"time"

	"pauta/backend"
)

// PostService is bound to the frontend: the calendar and the composer.
type PostService struct{ app *App }

// PostView is a post as the UI shows it: its time both in UTC and as the
// wall clock of its client's zone.
type PostView struct {
	ID          int64         `json:"id"`
	ClientID    int64         `json:"clientId"`
	Status      string        `json:"status"`
	Text        string        `json:"text"`
	ScheduledAt string        `json:"scheduledAt"` // RFC 3339 UTC, "" for ideas
	TimeZone    string        `json:"timeZone"`
	Local       string        `json:"local"` // "2006-01-02T15:04" in TimeZone, "" for ideas
	ZoneLabel   string        `json:"zoneLabel"`
	Labels      []string      `json:"labels"`
	Variants    []VariantView `json:"variants"`
	UpdatedAt   string        `json:"updatedAt"`
}

// VariantView is one account's version of a post.
type VariantView struct {
	AccountID int64  `json:"accountId"`
	Network   string `json:"network"`
	Text      string `json:"text"` // "" = the post's text
}

func viewPost(p *backend.Post, nets map[int64]backend.Network) PostView {
	v := PostView{ID: p.ID, ClientID: p.ClientID, Status: string(p.Status), Text: p.BaseText, TimeZone: p.TimeZone,
		Labels: p.Labels, Variants: []VariantView{}, UpdatedAt: p.UpdatedAt.UTC().Format(time.RFC3339)}
	if v.Labels == nil {
		v.Labels = []string{}
	}
	if p.ScheduledAt != nil {
		v.ScheduledAt = p.ScheduledAt.UTC().Format(time.RFC3339)
		v.Local = backend.LocalString(*p.ScheduledAt, p.TimeZone)
		v.ZoneLabel = backend.ZoneLabel(*p.ScheduledAt, p.TimeZone)
	}
	for _, va := range p.Variants {
		v.Variants = append(v.Variants, VariantView{AccountID: va.AccountID, Network: string(nets[va.AccountID]), Text: va.Text})
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
	for i := range posts {
		p := &posts[i]
		if archived[p.ClientID] {
			continue
		}
		v := viewPost(p, nets)
		if v.Local != "" {
			day := v.Local[:10]
			if day < lo || day > hi {
				continue
			}
		}
		out = append(out, v)
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
	return viewPost(p, nets), nil
}

// PostInput is the composer's form. Date and Time are the wall clock in the
// client's zone.
type PostInput struct {
	ID       int64          `json:"id"`
	ClientID int64          `json:"clientId"`
	Status   string         `json:"status"`
	Text     string         `json:"text"`
	Date     string         `json:"date"`
	Time     string         `json:"time"`
	Labels   []string       `json:"labels"`
	Variants []VariantInput `json:"variants"`
}

// VariantInput picks an account, optionally with its own text.
type VariantInput struct {
	AccountID int64  `json:"accountId"`
	Text      string `json:"text"`
}

// SaveResult is the saved post; Shifted says the chosen time did not exist
// (a DST gap) and Local is the time used instead.
type SaveResult struct {
	Post    PostView `json:"post"`
	Shifted bool     `json:"shifted"`
	Local   string   `json:"local"`
}

// Save creates (ID 0) or updates a post, all or nothing.
func (s *PostService) Save(in PostInput) (SaveResult, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	c, err := s.app.store.GetClient(ctx, in.ClientID)
	if err != nil {
		e := backend.AsError(err)
		e.Field = "client"
		return SaveResult{}, e
	}
	p := backend.Post{ID: in.ID, ClientID: in.ClientID, Status: backend.PostStatus(in.Status), BaseText: in.Text, TimeZone: c.TimeZone, Labels: in.Labels}
	for _, v := range in.Variants {
		p.Variants = append(p.Variants, backend.Variant{AccountID: v.AccountID, Text: v.Text})
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
	if in.ID == 0 {
		err = s.app.store.CreatePost(ctx, &p)
	} else {
		err = s.app.store.UpdatePost(ctx, &p)
	}
	if err != nil {
		return SaveResult{}, err
	}
	nets, err := s.networks()
	if err != nil {
		return SaveResult{}, err
	}
	res.Post = viewPost(&p, nets)
	s.app.emitter.Emit(EventPostsChanged)
	return res, nil
}

// Delete removes a post.
func (s *PostService) Delete(id int64) error {
	ctx, cancel := s.app.call()
	defer cancel()
	if err := s.app.store.DeletePost(ctx, id); err != nil {
		return err
	}
	s.app.emitter.Emit(EventPostsChanged)
	return nil
}
