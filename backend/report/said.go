package report

import (
	"math"
	"sort"
	"time"

	"pauta/backend"
)

// Count is a labelled number (a network's conversations, a tag's items).
type Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// Quote is a pinned item: something a person said worth reporting.
type Quote struct {
	Network backend.Network `json:"network"`
	Author  string          `json:"author"`
	Text    string          `json:"text"`
	At      time.Time       `json:"at"`
}

// CrisisRow is an item that matched an alert word (or was tagged crisis).
type CrisisRow struct {
	Network   backend.Network `json:"network"`
	Author    string          `json:"author"`
	Text      string          `json:"text"`
	Alert     []string        `json:"alert"`
	ArrivedAt time.Time       `json:"arrivedAt"`
	RepliedAt *time.Time      `json:"repliedAt"`
	Note      string          `json:"note"`
}

// Said is the qualitative part, from the inbox.
type Said struct {
	Available      bool        `json:"available"`
	Reason         string      `json:"reason"` // ReasonNoInbox when not Available
	Conversations  []Count     `json:"conversations"`
	Tags           []Count     `json:"tags"`
	Quotes         []Quote     `json:"quotes"`
	MedianMinutes  *float64    `json:"medianMinutes"`
	P90Minutes     *float64    `json:"p90Minutes"`
	Answered       int         `json:"answered"`
	Unanswered     int         `json:"unanswered"`
	ResponseReason string      `json:"responseReason"`
	Crisis         []CrisisRow `json:"crisis"`
}

// conversation kinds: what someone said to or about the account.
func conversation(k backend.InboxKind) bool {
	return k == backend.KindMention || k == backend.KindReply || k == backend.KindQuote || k == backend.KindDirect
}

func said(in Input) Said {
	s := Said{Conversations: []Count{}, Tags: []Count{}, Quotes: []Quote{}, Crisis: []CrisisRow{}}
	if !in.InboxRead || len(in.Inbox) == 0 {
		s.Reason = ReasonNoInbox
		return s
	}
	s.Available = true
	nets := map[int64]backend.Network{}
	for _, a := range in.Accounts {
		nets[a.ID] = a.Network
	}
	conv, tags := map[string]int{}, map[string]int{}
	var waits []float64
	for _, it := range in.Inbox {
		n := it.Notification
		net := nets[it.AccountID]
		author := n.Author.Handle
		if n.Author.Name != "" {
			author = n.Author.Name + " (" + n.Author.Handle + ")"
		}
		text := ""
		if n.Subject != nil {
			text = n.Subject.Text
		}
		if conversation(n.Kind) {
			conv[string(net)]++
			if it.FirstReplyAt != nil {
				waits = append(waits, it.FirstReplyAt.Sub(it.ArrivedAt).Minutes())
				s.Answered++
			} else {
				s.Unanswered++
			}
		}
		crisis := len(it.Alert) > 0
		for _, t := range it.Tags {
			tags[t]++
			crisis = crisis || t == "crisis"
		}
		if it.Pinned && text != "" {
			s.Quotes = append(s.Quotes, Quote{Network: net, Author: author, Text: text, At: it.ArrivedAt})
		}
		if crisis {
			s.Crisis = append(s.Crisis, CrisisRow{Network: net, Author: author, Text: text, Alert: it.Alert, ArrivedAt: it.ArrivedAt, RepliedAt: it.FirstReplyAt, Note: it.Note})
		}
	}
	s.Conversations, s.Tags = counts(conv), counts(tags)
	if len(waits) == 0 {
		s.ResponseReason = ReasonNoResponses
	} else {
		sort.Float64s(waits)
		s.MedianMinutes = fp(median(waits))
		s.P90Minutes = fp(percentile(waits, 90))
	}
	sort.SliceStable(s.Crisis, func(i, j int) bool { return s.Crisis[i].ArrivedAt.Before(s.Crisis[j].ArrivedAt) })
	return s
}

func counts(m map[string]int) []Count {
	out := []Count{}
	for k, v := range m {
		out = append(out, Count{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// median of sorted values.
func median(v []float64) float64 {
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// percentile of sorted values, nearest rank.
func percentile(v []float64, p float64) float64 {
	rank := int(math.Ceil(p / 100 * float64(len(v))))
	return v[max(rank, 1)-1]
}

// followerSeries is each connected account's counts in p, with the gain
// since the last count before p (or the first in p).
func followerSeries(in Input, loc *time.Location, p Period) []FollowerSeries {
	last := p.LastDay(loc)
	by := map[int64][]backend.FollowerSnapshot{}
	for _, s := range in.Followers {
		by[s.AccountID] = append(by[s.AccountID], s)
	}
	out := []FollowerSeries{}
	for _, a := range in.Accounts {
		snaps := by[a.ID]
		if len(snaps) == 0 {
			continue
		}
		fs := FollowerSeries{AccountID: a.ID, Network: a.Network, Handle: a.Handle, Points: []FollowerPoint{}}
		var base *backend.FollowerSnapshot
		for i := range snaps {
			s := snaps[i]
			switch {
			case s.Day < p.FromDay:
				base = &snaps[i]
			case s.Day <= last:
				fs.Points = append(fs.Points, FollowerPoint{s.Day, s.Followers})
			}
		}
		if n := len(fs.Points); n > 0 {
			start := fs.Points[0].Followers
			if base != nil {
				start = base.Followers
			}
			if base != nil || n > 1 {
				g := fs.Points[n-1].Followers - start
				fs.Gained = &g
			}
		}
		out = append(out, fs)
	}
	return out
}

func totalGained(series []FollowerSeries) *float64 {
	var total *float64
	for _, s := range series {
		if s.Gained != nil {
			if total == nil {
				total = fp(0)
			}
			*total += float64(*s.Gained)
		}
	}
	return total
}

func objectives(in Input, r Report) (string, []ObjectiveRow) {
	o := in.Objectives
	out := []ObjectiveRow{}
	if o == nil {
		return "", out
	}
	ge := func(res *float64, target float64) *bool {
		if res == nil {
			return nil
		}
		b := *res >= target
		return &b
	}
	perNet := map[backend.Network]int{}
	for _, p := range r.Posts {
		perNet[p.Network]++
	}
	for _, n := range backend.Networks {
		if t, ok := o.PostsPerNetwork[n]; ok && t > 0 {
			res := fp(float64(perNet[n]))
			out = append(out, ObjectiveRow{Key: "posts", Network: n, Target: float64(t), Result: res, Met: ge(res, float64(t))})
		}
	}
	measure := func(key string) Measure {
		for _, m := range r.Totals {
			if m.Key == key {
				return m
			}
		}
		return Measure{}
	}
	if o.Interactions != nil {
		m := measure("interactions")
		out = append(out, ObjectiveRow{Key: "interactions", Target: float64(*o.Interactions), Result: m.Value, Met: ge(m.Value, float64(*o.Interactions)), Reason: m.Reason})
	}
	if o.FollowersGained != nil {
		m := measure("followers_gained")
		out = append(out, ObjectiveRow{Key: "followers_gained", Target: float64(*o.FollowersGained), Result: m.Value, Met: ge(m.Value, float64(*o.FollowersGained)), Reason: m.Reason})
	}
	if o.FirstResponseMinutes != nil {
		row := ObjectiveRow{Key: "first_response_minutes", Target: float64(*o.FirstResponseMinutes), Result: r.Said.MedianMinutes}
		switch {
		case !r.Said.Available:
			row.Reason = ReasonNoInbox
		case r.Said.MedianMinutes == nil:
			row.Reason = ReasonNoResponses
		default:
			b := *r.Said.MedianMinutes <= row.Target
			row.Met = &b
		}
		out = append(out, row)
	}
	return o.Month, out
}
