package backend

import (
	"strings"
	"time"
	"unicode"
)

// CalendarPost is what the calendar draws of a post: no full text, first
// comment or variant texts (the composer loads the whole post when opened).
// A busy month holds ~1,200 of them, so each is kept small.
type CalendarPost struct {
	ID          int64
	ClientID    int64
	Status      PostStatus
	Snippet     string // the text's first words, on one line, at most SnippetMax characters
	ScheduledAt time.Time
	TimeZone    string
	Labels      []string
	Variants    []CalendarVariant // in variant order
	MediaID     int64             // the first image, 0 = none
	Approval    Approval          // Status, Changed, Required and Waiting only
}

// CalendarVariant is one account a calendar post goes to.
type CalendarVariant struct {
	AccountID int64
	Network   Network
}

// SnippetMax is the longest snippet, in characters (the ellipsis included):
// the most a chip shows (the calendar's own cut, lib/calendar/items.ts, is
// the same), so no character crosses to the UI for nothing.
const SnippetMax = 60

// Snippet is text's first words on one line: white space collapsed, cut at
// a word boundary when one is near, with "…" when something was cut.
func Snippet(text string, max int) string {
	flat := strings.Join(strings.FieldsFunc(text, unicode.IsSpace), " ")
	r := []rune(flat)
	if len(r) <= max {
		return flat
	}
	cut := r[:max-1]
	if i := lastSpace(cut); i > (max-1)/2 {
		cut = cut[:i]
	}
	return strings.TrimRightFunc(string(cut), unicode.IsSpace) + "…"
}

func lastSpace(r []rune) int {
	for i := len(r) - 1; i >= 0; i-- {
		if r[i] == ' ' {
			return i
		}
	}
	return -1
}
