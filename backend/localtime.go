package backend

import (
	"fmt"
	"time"
)

// LocalInput is a wall-clock date and time typed by the user in a client's zone.
type LocalInput struct {
	Date string `json:"date"` // "2006-01-02"
	Time string `json:"time"` // "15:04"
}

// Resolved is a LocalInput placed on the timeline. When the wall-clock time
// does not exist (the spring-forward gap), Shifted is true and Local says the
// time that was used instead, so the UI can tell the user.
type Resolved struct {
	UTC     time.Time `json:"utc"`
	Local   string    `json:"local"` // "2006-01-02T15:04" in the zone
	Shifted bool      `json:"shifted"`
}

// ResolveLocal turns a date and time in zone into a UTC instant. A time in a
// DST gap moves to the first valid instant after the gap (02:30 on the
// spring-forward night in Madrid becomes 03:00); an ambiguous time (the
// fall-back hour) takes its first occurrence.
func ResolveLocal(in LocalInput, zone string) (Resolved, error) {
	loc, err := LoadZone(zone)
	if err != nil {
		return Resolved{}, err
	}
	d, err := time.Parse("2006-01-02", in.Date)
	if err != nil {
		return Resolved{}, Errorf(EInvalid, "post.date_invalid", "%q is not a date (YYYY-MM-DD)", in.Date).WithField("date")
	}
	c, err := time.Parse("15:04", in.Time)
	if err != nil {
		return Resolved{}, Errorf(EInvalid, "post.time_invalid", "%q is not a time (HH:MM)", in.Time).WithField("time")
	}
	y, mo, da := d.Date()
	h, mi := c.Hour(), c.Minute()
	want := time.Date(y, mo, da, h, mi, 0, 0, time.UTC) // the wall clock, as if UTC

	// Candidates: the wall clock minus every offset the zone uses around then.
	var best time.Time
	found := false
	for _, probe := range []time.Duration{-36 * time.Hour, 0, 36 * time.Hour} {
		_, off := want.Add(probe).In(loc).Zone()
		t := want.Add(-time.Duration(off) * time.Second)
		if wallEqual(t.In(loc), want) && (!found || t.Before(best)) {
			best, found = t, true
		}
	}
	if found {
		return Resolved{UTC: best.UTC(), Local: best.In(loc).Format("2006-01-02T15:04")}, nil
	}
	// In a gap: the first instant whose wall clock is after the wanted one.
	lo := want.Add(-26 * time.Hour)
	hi := want.Add(26 * time.Hour)
	for hi.Sub(lo) > time.Second {
		mid := lo.Add(hi.Sub(lo) / 2)
		if wallAsUTC(mid.In(loc)).After(want) {
			hi = mid
		} else {
			lo = mid
		}
	}
	t := hi.Truncate(time.Second)
	if !wallAsUTC(t.In(loc)).After(want) {
		t = t.Add(time.Second)
	}
	return Resolved{UTC: t.UTC(), Local: t.In(loc).Format("2006-01-02T15:04"), Shifted: true}, nil
}

func wallAsUTC(t time.Time) time.Time {
	y, mo, d := t.Date()
	return time.Date(y, mo, d, t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

func wallEqual(t, want time.Time) bool { return wallAsUTC(t).Equal(want) }

// LocalString formats t in zone as "2006-01-02T15:04", for the UI.
func LocalString(t time.Time, zone string) string {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return t.UTC().Format("2006-01-02T15:04")
	}
	return t.In(loc).Format("2006-01-02T15:04")
}

// ZoneLabel is a short label like "CET +01:00" for t in zone.
func ZoneLabel(t time.Time, zone string) string {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return zone
	}
	return zoneLabel(t.In(loc))
}

func zoneLabel(t time.Time) string {
	name, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%s %c%02d:%02d", name, sign, off/3600, off%3600/60)
}

// Zones caches loaded time zones for one piece of work (a calendar range):
// time.LoadLocation reads the zone file on every call.
type Zones map[string]*time.Location

// Get returns the named zone, or UTC when it cannot be loaded.
func (z Zones) Get(name string) *time.Location {
	if loc, ok := z[name]; ok {
		return loc
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = time.UTC
	}
	z[name] = loc
	return loc
}

// Local formats t in zone as "2006-01-02T15:04".
func (z Zones) Local(t time.Time, zone string) string {
	return t.In(z.Get(zone)).Format("2006-01-02T15:04")
}

// Label is ZoneLabel with the cache.
func (z Zones) Label(t time.Time, zone string) string {
	return zoneLabel(t.In(z.Get(zone)))
}
