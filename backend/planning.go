package backend

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
)

// Slot is a weekly posting time of one account, as a wall clock in the
// client's zone: Weekday 0 = Monday, Minute = minutes after midnight.
type Slot struct {
	ID        int64 `json:"id"`
	AccountID int64 `json:"accountId"`
	Weekday   int   `json:"weekday"`
	Minute    int   `json:"minute"`
}

// Clock returns the slot's "HH:MM".
func (s Slot) Clock() string { return fmt.Sprintf("%02d:%02d", s.Minute/60, s.Minute%60) }

// Validate checks the slot's ranges.
func (s Slot) Validate() error {
	if s.Weekday < 0 || s.Weekday > 6 || s.Minute < 0 || s.Minute >= 24*60 {
		return Errorf(EInvalid, "slot.invalid", "a slot needs a weekday and a time of day").WithField("slots")
	}
	return nil
}

// HashtagSet is a named group of hashtags a client inserts with one click.
type HashtagSet struct {
	ID       int64  `json:"id"`
	ClientID int64  `json:"clientId"`
	Name     string `json:"name"`
	Tags     string `json:"tags"` // "#one #two"
}

// Template is a saved post a new post can start from.
type Template struct {
	ID           int64     `json:"id"`
	ClientID     int64     `json:"clientId"`
	Name         string    `json:"name"`
	Text         string    `json:"text"`
	FirstComment string    `json:"firstComment"`
	Labels       []string  `json:"labels"`
	CreatedAt    time.Time `json:"createdAt"`
}

// Normalize checks a hashtag set.
func (h *HashtagSet) Normalize() error {
	h.Name, h.Tags = strings.TrimSpace(h.Name), strings.TrimSpace(h.Tags)
	if h.Name == "" {
		return Errorf(EInvalid, "hashtags.name_required", "a hashtag set needs a name").WithField("name")
	}
	if h.Tags == "" {
		return Errorf(EInvalid, "hashtags.tags_required", "a hashtag set needs hashtags").WithField("tags")
	}
	if err := checkText(h.Name, "name"); err != nil {
		return err
	}
	return checkText(h.Tags, "tags")
}

// Normalize checks a template.
func (t *Template) Normalize() error {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" {
		return Errorf(EInvalid, "template.name_required", "a template needs a name").WithField("name")
	}
	for _, s := range []string{t.Name, t.Text, t.FirstComment} {
		if err := checkText(s, "text"); err != nil {
			return err
		}
	}
	var err error
	t.Labels, err = cleanList(t.Labels, "labels")
	return err
}

// CanReschedule says whether a post may move to another time: published
// posts are history, and posts being sent or waiting for review are not the
// calendar's to move.
func CanReschedule(p *Post) error {
	switch p.Status {
	case StatusPublished:
		return Errorf(EConflict, "post.published_locked", "this post is already published; duplicate it to post it again")
	case StatusNeedsReview:
		return Errorf(EConflict, "post.review_locked", "check whether this post went out before moving it")
	}
	return nil
}

// NextFreeSlot finds the first slot at or after `after` that is free for
// every chosen account. Candidate times are the slots all chosen accounts
// share; if they share none, any chosen account's slot. A time is taken
// when one of the accounts already has a post at that instant. Slots keep
// their wall-clock time across DST changes; a slot in the spring-forward
// gap moves to the first valid time. It looks at most `days` days ahead.
func NextFreeSlot(zone string, slots []Slot, accounts []int64, taken func(accountID int64, at time.Time) bool, after time.Time, days int) (Resolved, error) {
	loc, err := LoadZone(zone)
	if err != nil {
		return Resolved{}, err
	}
	chosen := map[int64]bool{}
	for _, a := range accounts {
		chosen[a] = true
	}
	if len(chosen) == 0 {
		return Resolved{}, Errorf(EInvalid, "post.account_required", "pick at least one account to schedule a post").WithField("accounts")
	}
	// (weekday, minute) → how many chosen accounts have it.
	type key struct{ wd, min int }
	have := map[key]int{}
	for _, s := range slots {
		if chosen[s.AccountID] {
			have[key{s.Weekday, s.Minute}]++
		}
	}
	var shared, any []key
	for k, n := range have {
		any = append(any, k)
		if n == len(chosen) {
			shared = append(shared, k)
		}
	}
	cands := shared
	if len(cands) == 0 {
		cands = any
	}
	if len(cands) == 0 {
		return Resolved{}, Errorf(EInvalid, "slot.none", "these accounts have no posting slots yet; add some in the client's settings").WithField("accounts")
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].min < cands[j].min })
	start := after.In(loc)
	y, m, d := start.Date()
	for i := 0; i <= days; i++ {
		day := time.Date(y, m, d+i, 12, 0, 0, 0, loc)
		wd := (int(day.Weekday()) + 6) % 7
		for _, k := range cands {
			if k.wd != wd {
				continue
			}
			r, err := ResolveLocal(LocalInput{Date: day.Format("2006-01-02"), Time: fmt.Sprintf("%02d:%02d", k.min/60, k.min%60)}, zone)
			if err != nil {
				return Resolved{}, err
			}
			if r.UTC.Before(after) {
				continue
			}
			free := true
			for a := range chosen {
				if taken(a, r.UTC) {
					free = false
					break
				}
			}
			if free {
				return r, nil
			}
		}
	}
	return Resolved{}, Errorf(EConflict, "slot.full", "every slot of the next %d days is taken", days).WithParam("days", itoa(days))
}

// Warning is advice shown beside the text; it never blocks saving.
type Warning struct {
	Key    string            `json:"key"` // i18n key: guidelines.banned, guidelines.missing
	Params map[string]string `json:"params"`
}

// GuidelineWarnings checks text against the client's brand rules: banned
// words or phrases (whole words, case- and accent-sensitive as typed, but
// case-insensitive) and required hashtags or mentions.
func GuidelineWarnings(c *Client, text string) []Warning {
	return NewGuidelines(c).Check(text)
}

// Guidelines are a client's brand rules compiled once, to check many texts
// (a CSV import of a month) without compiling a pattern per text.
type Guidelines struct {
	banned, required []wordMatcher
}

type wordMatcher struct {
	word string // as the client typed it (for the message)
	low  string
	re   *regexp.Regexp // nil: substring match
	sub  bool           // also accept a substring match (needle starts or ends with a non-word rune)
}

// NewGuidelines compiles c's brand rules.
func NewGuidelines(c *Client) *Guidelines {
	g := &Guidelines{}
	for _, w := range c.BannedWords {
		g.banned = append(g.banned, newWordMatcher(w))
	}
	for _, t := range c.RequiredTags {
		g.required = append(g.required, newWordMatcher(t))
	}
	return g
}

func newWordMatcher(w string) wordMatcher {
	m := wordMatcher{word: w, low: strings.ToLower(w)}
	if m.low == "" {
		return m
	}
	re, err := regexp.Compile(`(^|[^\p{L}\p{N}_])` + regexp.QuoteMeta(m.low) + `($|[^\p{L}\p{N}_])`)
	if err == nil {
		m.re = re
	}
	r := []rune(m.low)
	m.sub = m.re == nil || !isWordRune(r[0]) || !isWordRune(r[len(r)-1])
	return m
}

func (m wordMatcher) in(lower string) bool {
	if m.low == "" {
		return false
	}
	if m.re != nil && m.re.MatchString(lower) {
		return true
	}
	return m.sub && strings.Contains(lower, m.low)
}

// Check returns the warnings for text.
func (g *Guidelines) Check(text string) []Warning {
	out := []Warning{}
	lower := strings.ToLower(text)
	for _, m := range g.banned {
		if m.in(lower) {
			out = append(out, Warning{Key: "guidelines.banned", Params: map[string]string{"word": m.word}})
		}
	}
	for _, m := range g.required {
		if !m.in(lower) {
			out = append(out, Warning{Key: "guidelines.missing", Params: map[string]string{"tag": m.word}})
		}
	}
	return out
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }
