package app

import (
	"context"
	"time"

	"pauta/backend"
)

// CalendarPost is a post as the calendar's chips show it (issue 16): its
// time both in UTC and as its client's wall clock, a short snippet, the
// accounts it goes to, its approval state and its first image (served at
// /media/thumb/<mediaId>). The composer loads the whole post (Get) when the
// user opens it. A busy month is a thousand of them in one answer: fields
// most posts leave empty are left out of the JSON (the UI reads a missing
// one as empty).
type CalendarPost struct {
	ID          int64            `json:"id"`
	ClientID    int64            `json:"clientId"`
	Status      string           `json:"status"`
	Snippet     string           `json:"snippet"`
	ScheduledAt string           `json:"scheduledAt"` // RFC 3339 UTC
	TimeZone    string           `json:"timeZone"`
	Local       string           `json:"local"` // "2006-01-02T15:04" in TimeZone
	Labels      []string         `json:"labels,omitempty"`
	Variants    []CalendarTarget `json:"variants"`
	MediaID     int64            `json:"mediaId,omitempty"` // 0 = no image
	// ServerScheduled: the instance (Mastodon) publishes it even with the laptop closed.
	ServerScheduled bool             `json:"serverScheduled,omitempty"`
	Approval        CalendarApproval `json:"approval,omitzero"` // zero: no approval asked or needed
}

// CalendarTarget is one account a calendar post goes to.
type CalendarTarget struct {
	AccountID int64  `json:"accountId"`
	Network   string `json:"network"`
}

// CalendarApproval is the part of backend.Approval a chip shows.
type CalendarApproval struct {
	Status   string `json:"status"`
	Changed  bool   `json:"changed"`
	Required bool   `json:"required"`
	Waiting  bool   `json:"waiting"`
}

// Calendar returns the posts of a calendar range as the chips show them:
// every dated post whose local date, in its own client's zone, is in
// [From, To] ("2006-01-02"), ordered by time. q.Ideas is ignored (Ideas).
func (s *PostService) Calendar(q PostQuery) ([]CalendarPost, error) {
	from, to, err := parseRange(q)
	if err != nil {
		return nil, err
	}
	ctx, cancel := s.app.call()
	defer cancel()
	return s.calendar(ctx, q, from, to)
}

func parseRange(q PostQuery) (from, to time.Time, err error) {
	from, err = time.Parse(time.DateOnly, q.From)
	if err != nil {
		return from, to, backend.Errorf(backend.EInvalid, "post.date_invalid", "%q is not a date (YYYY-MM-DD)", q.From).WithField("from")
	}
	to, err = time.Parse(time.DateOnly, q.To)
	if err != nil {
		return from, to, backend.Errorf(backend.EInvalid, "post.date_invalid", "%q is not a date (YYYY-MM-DD)", q.To).WithField("to")
	}
	if to.Before(from) {
		return from, to, backend.Errorf(backend.EInvalid, "range.inverted", "the end of the range is before its start").WithField("to")
	}
	return from, to, nil
}

func (s *PostService) calendar(ctx context.Context, q PostQuery, from, to time.Time) ([]CalendarPost, error) {
	// Zones run from UTC-12 to UTC+14: widen by a day each side, then keep
	// the posts whose own local date falls in the range.
	posts, err := s.app.store.ListCalendarPosts(ctx, backend.PostFilter{ClientID: q.ClientID, From: from.AddDate(0, 0, -1), To: to.AddDate(0, 0, 2)})
	if err != nil {
		return nil, err
	}
	held, err := s.app.store.RemoteHeldPosts(ctx, nil)
	if err != nil {
		return nil, err
	}
	zones := backend.Zones{}
	out := make([]CalendarPost, 0, len(posts))
	for i := range posts {
		p := &posts[i]
		local := zones.Local(p.ScheduledAt, p.TimeZone)
		if day := local[:10]; day < q.From || day > q.To {
			continue
		}
		v := CalendarPost{ID: p.ID, ClientID: p.ClientID, Status: string(p.Status), Snippet: p.Snippet,
			ScheduledAt: p.ScheduledAt.UTC().Format(time.RFC3339), TimeZone: p.TimeZone, Local: local,
			Variants: make([]CalendarTarget, len(p.Variants)), MediaID: p.MediaID,
		}
		if len(p.Labels) > 0 {
			v.Labels = p.Labels // none: nil, as the JSON leaves it out
		}
		if a := p.Approval; a.Status != backend.ApprovalNone && a.Status != "" || a.Changed || a.Required || a.Waiting {
			v.Approval = CalendarApproval{Status: string(a.Status), Changed: a.Changed, Required: a.Required, Waiting: a.Waiting}
		}
		for j, va := range p.Variants {
			v.Variants[j] = CalendarTarget{AccountID: va.AccountID, Network: string(va.Network)}
		}
		_, v.ServerScheduled = held[p.ID]
		out = append(out, v)
	}
	return out, nil
}
