package ics

import (
	"fmt"
	"time"

	"github.com/emersion/go-ical"
)

// VTimezone describes loc between lo and hi from Go's zone data: one
// STANDARD or DAYLIGHT observance for the rule in force at lo, then one per
// transition up to hi, each with its real DTSTART (local time before the
// change), TZOFFSETFROM, TZOFFSETTO and TZNAME. A zone without transitions
// gets a single STANDARD.
//
// Transitions come from time.Time.ZoneBounds, which reads them straight from
// the tzdata the time package loaded: exact to the second, and cheaper than
// sampling Zone() and bisecting (the tests cross-check it against such a scan).
func VTimezone(loc *time.Location, lo, hi time.Time) *ical.Component {
	tz := ical.NewComponent(ical.CompTimezone)
	tz.Props.SetText(ical.PropTimezoneID, loc.String())
	start, end := lo.In(loc).ZoneBounds()
	tz.Children = append(tz.Children, observance(loc, start, lo))
	// Guard against pathological zone data: a few transitions a year at most.
	for n := 0; !end.IsZero() && !end.After(hi) && n < 1000; n++ {
		start, end = end.In(loc).ZoneBounds()
		tz.Children = append(tz.Children, observance(loc, start, lo))
	}
	return tz
}

// observance is the STANDARD or DAYLIGHT component for the zone period that
// starts at start (zero: it has always been in force).
func observance(loc *time.Location, start, lo time.Time) *ical.Component {
	at := start
	if start.IsZero() {
		at = lo
	}
	t := at.In(loc)
	name, to := t.Zone()
	from := to
	local := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	if !start.IsZero() {
		_, from = start.Add(-time.Second).In(loc).Zone()
		local = start.UTC().Add(time.Duration(from) * time.Second)
	}
	kind := ical.CompTimezoneStandard
	if t.IsDST() {
		kind = ical.CompTimezoneDaylight
	}
	c := ical.NewComponent(kind)
	dt := ical.NewProp(ical.PropDateTimeStart)
	dt.Value = local.Format("20060102T150405") // local time, no TZID (§3.6.5)
	c.Props.Set(dt)
	setRaw(c.Props, ical.PropTimezoneOffsetFrom, utcOffset(from))
	setRaw(c.Props, ical.PropTimezoneOffsetTo, utcOffset(to))
	if name != "" {
		c.Props.SetText(ical.PropTimezoneName, name)
	}
	return c
}

func setRaw(props ical.Props, name, value string) {
	p := ical.NewProp(name)
	p.Value = value
	props.Set(p)
}

// utcOffset formats seconds east of UTC as "+0100" (or "+001445" for
// historic offsets with seconds).
func utcOffset(sec int) string {
	sign := byte('+')
	if sec < 0 {
		sign, sec = '-', -sec
	}
	h, m, s := sec/3600, sec%3600/60, sec%60
	if s != 0 {
		return fmt.Sprintf("%c%02d%02d%02d", sign, h, m, s)
	}
	return fmt.Sprintf("%c%02d%02d", sign, h, m)
}
