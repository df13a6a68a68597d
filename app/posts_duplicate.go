package app

// Duplicate: a post copied to another day and time, for its client or another.

import (
	"pauta/backend"
)

// DuplicateInput copies a post to a day and time, for the same client or
// another one (ClientID 0 = the same).
type DuplicateInput struct {
	ID       int64  `json:"id"`
	ClientID int64  `json:"clientId"`
	Date     string `json:"date"`
	Time     string `json:"time"`
}

// Duplicate copies a post as a draft. For another client, each variant goes
// to that client's first account on the same network; networks it lacks are
// left out.
func (s *PostService) Duplicate(in DuplicateInput) (SaveResult, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	src, err := s.app.store.GetPost(ctx, in.ID)
	if err != nil {
		return SaveResult{}, err
	}
	to := src.ClientID
	if in.ClientID != 0 {
		to = in.ClientID
	}
	c, err := s.app.store.GetClient(ctx, to)
	if err != nil {
		return SaveResult{}, err
	}
	// Another client's accounts differ: only a comment every account shared goes along.
	common, _ := src.CommonComment()
	p := backend.Post{ClientID: to, Status: backend.StatusDraft, BaseText: src.BaseText, FirstComment: common, TimeZone: c.TimeZone, Labels: src.Labels}
	if to == src.ClientID {
		p.FirstComment = ""
		for _, v := range src.Variants {
			p.Variants = append(p.Variants, backend.Variant{AccountID: v.AccountID, Text: v.Text, FirstComment: v.FirstComment})
		}
	} else {
		nets, err := s.networks()
		if err != nil {
			return SaveResult{}, err
		}
		accs, err := s.app.store.ListAccounts(ctx, to)
		if err != nil {
			return SaveResult{}, err
		}
		used := map[int64]bool{}
		for _, v := range src.Variants {
			for _, a := range accs {
				if a.Network == nets[v.AccountID] && !used[a.ID] {
					p.Variants = append(p.Variants, backend.Variant{AccountID: a.ID, Text: v.Text})
					used[a.ID] = true
					break
				}
			}
		}
	}
	var res SaveResult
	if in.Date == "" && src.ScheduledAt == nil {
		p.Status = backend.StatusIdea
	} else {
		date, clock := in.Date, in.Time
		if date == "" || clock == "" {
			local := backend.LocalString(*src.ScheduledAt, src.TimeZone)
			if date == "" {
				date = local[:10]
			}
			if clock == "" {
				clock = local[11:]
			}
		}
		r, err := backend.ResolveLocal(backend.LocalInput{Date: date, Time: clock}, c.TimeZone)
		if err != nil {
			return SaveResult{}, err
		}
		p.ScheduledAt = &r.UTC
		res.Shifted, res.Local = r.Shifted, r.Local
	}
	out, err := s.store(ctx, c, &p, res)
	if err != nil || to != src.ClientID {
		return out, err // images belong to their client's library: another client gets none
	}
	// The same client's copy carries the same images, sizes included.
	images, err := s.app.store.ListPostMedia(ctx, src.ID)
	if err == nil && len(images) > 0 {
		err = s.app.store.SetPostMedia(ctx, out.Post.ID, images)
	}
	return out, err
}
