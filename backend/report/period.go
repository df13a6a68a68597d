// Package report computes the monthly report of a client (issue #15) as
// pure functions over what the store holds, and renders it to PDF and CSV.
package report

import (
	"regexp"
	"time"

	"pauta/backend"
)

// Period is a range of whole days in the client's zone: [From, To) as
// instants, FromDay and ToDay ("2006-01-02", ToDay exclusive) as the days.
type Period struct {
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	FromDay string    `json:"fromDay"`
	ToDay   string    `json:"toDay"`
	// Month is "2006-01" when the period is exactly one calendar month.
	Month string `json:"month"`
}

var monthRe = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

func periodError(s string) error {
	return backend.Errorf(backend.EInvalid, "report.period_invalid", "the period %s is not valid", s).WithField("period")
}

// MonthPeriod is the calendar month "2026-11" in loc.
func MonthPeriod(month string, loc *time.Location) (Period, error) {
	if !monthRe.MatchString(month) {
		return Period{}, backend.Errorf(backend.EInvalid, "report.month_invalid", "%q is not a month (YYYY-MM)", month).WithField("month")
	}
	t, _ := time.ParseInLocation("2006-01", month, loc)
	return days(t, t.AddDate(0, 1, 0)), nil
}

// DaysPeriod is [from, to] as typed (both days included) in loc.
func DaysPeriod(from, to string, loc *time.Location) (Period, error) {
	f, err1 := time.ParseInLocation("2006-01-02", from, loc)
	t, err2 := time.ParseInLocation("2006-01-02", to, loc)
	if err1 != nil || err2 != nil || t.Before(f) {
		return Period{}, periodError(from + " – " + to)
	}
	if t.Sub(f) > 366*24*time.Hour {
		return Period{}, backend.Errorf(backend.EInvalid, "report.period_too_long", "a report covers at most one year").WithField("period")
	}
	return days(f, t.AddDate(0, 0, 1)), nil
}

// days builds the period between two local midnights.
func days(from, to time.Time) Period {
	p := Period{From: from.UTC(), To: to.UTC(), FromDay: from.Format("2006-01-02"), ToDay: to.Format("2006-01-02")}
	if from.Day() == 1 && to.Equal(from.AddDate(0, 1, 0)) {
		p.Month = from.Format("2006-01")
	}
	return p
}

// Previous is the period just before p with as many days (a month's is the
// previous month).
func (p Period) Previous(loc *time.Location) Period {
	from := p.from(loc)
	if p.Month != "" {
		return days(from.AddDate(0, -1, 0), from)
	}
	return days(from.AddDate(0, 0, -p.Days(loc)), from)
}

func (p Period) from(loc *time.Location) time.Time {
	t, _ := time.ParseInLocation("2006-01-02", p.FromDay, loc)
	return t
}

// Days is how many days p has.
func (p Period) Days(loc *time.Location) int {
	n := 0
	for d := p.from(loc); d.Format("2006-01-02") < p.ToDay; d = d.AddDate(0, 0, 1) {
		n++
	}
	return n
}

// DayList lists p's days.
func (p Period) DayList(loc *time.Location) []string {
	var out []string
	for d := p.from(loc); d.Format("2006-01-02") < p.ToDay; d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format("2006-01-02"))
	}
	return out
}

// LastDay is the period's last day (ToDay is exclusive).
func (p Period) LastDay(loc *time.Location) string {
	t, _ := time.ParseInLocation("2006-01-02", p.ToDay, loc)
	return t.AddDate(0, 0, -1).Format("2006-01-02")
}
