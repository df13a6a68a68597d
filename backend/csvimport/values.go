package csvimport

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"pauta/backend"
)

// DateOrder says how a date with slashes reads. ISO dates (YYYY-MM-DD) are
// always understood.
type DateOrder string

const (
	DateAuto   DateOrder = ""            // only dates no order can confuse (25/03/2026)
	DayFirst   DateOrder = "day-first"   // DD/MM/YYYY (es, it)
	MonthFirst DateOrder = "month-first" // MM/DD/YYYY
)

// parseDate reads "2026-03-25", or "25/03/2026" / "03/25/2026" (also with
// '.' or '-') in the chosen order, into "2006-01-02".
func parseDate(s string, order DateOrder) (string, *Issue) {
	s = strings.TrimSpace(s)
	bad := func() (string, *Issue) {
		i := issue("", "csv.date_invalid", "%q is not a date (YYYY-MM-DD, or DD/MM/YYYY or MM/DD/YYYY)", s).with("value", s)
		return "", &i
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.Format("2006-01-02"), nil
	}
	var parts []string
	for _, sep := range []string{"/", ".", "-"} {
		if p := strings.Split(s, sep); len(p) == 3 {
			parts = p
			break
		}
	}
	if parts == nil || len(parts[2]) != 4 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		if parts != nil && len(parts[2]) == 2 {
			i := issue("", "csv.date_short_year", "%q has a two-digit year: write the year in full", s).with("value", s)
			return "", &i
		}
		return bad()
	}
	a, e1 := strconv.Atoi(parts[0])
	b, e2 := strconv.Atoi(parts[1])
	y, e3 := strconv.Atoi(parts[2])
	if e1 != nil || e2 != nil || e3 != nil {
		return bad()
	}
	d, m := a, b
	switch order {
	case MonthFirst:
		d, m = b, a
	case DayFirst:
	default:
		switch {
		case a > 12 && b <= 12:
		case b > 12 && a <= 12:
			d, m = b, a
		case a == b:
		default:
			i := issue("", "csv.date_ambiguous", "%q could be day/month or month/day: choose the date order", s).with("value", s)
			return "", &i
		}
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if m < 1 || m > 12 || d < 1 || t.Day() != d {
		return bad()
	}
	return t.Format("2006-01-02"), nil
}

// parseClock reads "9:30", "09:30" or "09:30:00" (24 h) into "15:04".
func parseClock(s string) (string, *Issue) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"15:04", "15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("15:04"), nil
		}
		if len(s) >= 4 && s[1] == ':' { // one-digit hour
			if t, err := time.Parse(layout, "0"+s); err == nil {
				return t.Format("15:04"), nil
			}
		}
	}
	i := issue("", "csv.time_invalid", "%q is not a time (HH:MM, 24 hours)", s).with("value", s)
	return "", &i
}

// statusNames are the accepted status words after fold.
var statusNames = map[string]backend.PostStatus{
	"scheduled": backend.StatusScheduled, "programado": backend.StatusScheduled, "programada": backend.StatusScheduled,
	"programmato": backend.StatusScheduled, "pianificato": backend.StatusScheduled, "programmata": backend.StatusScheduled,
	"draft": backend.StatusDraft, "borrador": backend.StatusDraft, "bozza": backend.StatusDraft,
	"idea":      backend.StatusIdea,
	"published": backend.StatusPublished, "publicado": backend.StatusPublished, "publicada": backend.StatusPublished,
	"pubblicato": backend.StatusPublished, "pubblicata": backend.StatusPublished,
}

func parseStatus(s string) (backend.PostStatus, *Issue) {
	f := fold(s)
	if f == "" {
		return "", nil
	}
	if st, ok := statusNames[f]; ok {
		return st, nil
	}
	i := issue("", "csv.status_invalid", "%q is not a status (scheduled, draft, idea, published)", s).with("value", s)
	return "", &i
}

// splitList splits a cell on any of seps, trimming and dropping empty items.
func splitList(s, seps string) []string {
	out := []string{}
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
