package ics_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/ics"

	"github.com/emersion/go-ical"
)

// observance is one STANDARD/DAYLIGHT as read back from an export.
type observance struct {
	kind, start, from, to, name string
}

func (o observance) String() string {
	return fmt.Sprintf("%s %s %s→%s %s", o.kind, o.start, o.from, o.to, o.name)
}

func observances(t *testing.T, cal *ical.Calendar, tzid string) []observance {
	t.Helper()
	for _, c := range cal.Children {
		if c.Name != ical.CompTimezone || c.Props.Get(ical.PropTimezoneID).Value != tzid {
			continue
		}
		var out []observance
		for _, o := range c.Children {
			name := ""
			if p := o.Props.Get(ical.PropTimezoneName); p != nil {
				name = p.Value
			}
			out = append(out, observance{o.Name, o.Props.Get(ical.PropDateTimeStart).Value,
				o.Props.Get(ical.PropTimezoneOffsetFrom).Value, o.Props.Get(ical.PropTimezoneOffsetTo).Value, name})
		}
		return out
	}
	t.Fatalf("no VTIMEZONE %s", tzid)
	return nil
}

// TestDSTKeepsLocalHour: posts at 09:00 on both sides of the last Sunday of
// March and of October keep 09:00 local (their UTC hour moves), and the
// VTIMEZONE lists the real EU transitions with +0100/+0200.
func TestDSTKeepsLocalHour(t *testing.T) {
	for _, zone := range []string{"Europe/Madrid", "Europe/Rome"} {
		t.Run(zone, func(t *testing.T) {
			days := []string{"2026-03-27", "2026-03-30", "2026-10-23", "2026-10-26"}
			wantUTC := []int{8, 7, 7, 8} // CET, CEST, CEST, CET
			d := ics.Data{Clients: []backend.Client{{ID: 1, Name: "Cliente", TimeZone: zone}},
				Accounts: []backend.Account{{ID: 1, ClientID: 1, Network: backend.Instagram, Handle: "@c"}}}
			for i, day := range days {
				d.Posts = append(d.Posts, backend.Post{ID: int64(i + 1), ClientID: 1, Status: backend.StatusScheduled,
					BaseText: "Buongiorno", TimeZone: zone, ScheduledAt: local(t, zone, day+" 09:00"),
					Variants: []backend.Variant{{AccountID: 1}}})
			}
			out, n := export(t, exporter(), d, ics.Options{From: "2026-01-01", To: "2026-12-31"})
			if n != 4 {
				t.Fatalf("%d events", n)
			}
			cal := decode(t, out)
			loc, _ := time.LoadLocation(zone)
			for i, day := range days {
				e := events(t, cal)[fmt.Sprintf("post-%d-0123abcd@pauta.app", i+1)]
				p := e.Props.Get(ical.PropDateTimeStart)
				if want := strings.ReplaceAll(day, "-", "") + "T090000"; p.Value != want || p.Params.Get(ical.PropTimezoneID) != zone {
					t.Errorf("%s: DTSTART;TZID=%s:%s, want TZID=%s:%s", day, p.Params.Get(ical.PropTimezoneID), p.Value, zone, want)
				}
				start, err := e.Props.DateTime(ical.PropDateTimeStart, nil)
				if err != nil {
					t.Fatal(err)
				}
				if start.In(loc).Hour() != 9 || start.UTC().Hour() != wantUTC[i] {
					t.Errorf("%s: local %v, UTC %v; want 09 local, %02d UTC", day, start.In(loc), start.UTC(), wantUTC[i])
				}
			}
			// In force on 2025-01-01 (range start − 1 year), then every change
			// up to 2028-01-01 (range end + 1 year).
			want := []observance{
				{"STANDARD", "20241027T030000", "+0200", "+0100", "CET"},
				{"DAYLIGHT", "20250330T020000", "+0100", "+0200", "CEST"},
				{"STANDARD", "20251026T030000", "+0200", "+0100", "CET"},
				{"DAYLIGHT", "20260329T020000", "+0100", "+0200", "CEST"},
				{"STANDARD", "20261025T030000", "+0200", "+0100", "CET"},
				{"DAYLIGHT", "20270328T020000", "+0100", "+0200", "CEST"},
				{"STANDARD", "20271031T030000", "+0200", "+0100", "CET"},
			}
			got := observances(t, cal, zone)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("VTIMEZONE %s:\n got %v\nwant %v", zone, got, want)
			}
		})
	}
}

// scan finds the instants in [lo, hi] where loc's offset, abbreviation or
// DST flag changes by sampling Zone() every 6 hours and bisecting to the
// second: the slow way the brief describes, used here as an oracle.
func scan(loc *time.Location, lo, hi time.Time) []time.Time {
	type zs struct {
		name string
		off  int
		dst  bool
	}
	at := func(t time.Time) zs { t = t.In(loc); n, o := t.Zone(); return zs{n, o, t.IsDST()} }
	var out []time.Time
	const step = 6 * time.Hour
	for a := lo; a.Before(hi); a = a.Add(step) {
		b := a.Add(step)
		if at(a) == at(b) {
			continue
		}
		l, h := a, b // at(l) != at(h)
		for h.Sub(l) > time.Second {
			m := l.Add(h.Sub(l) / 2).Truncate(time.Second)
			if at(m) == at(l) {
				l = m
			} else {
				h = m
			}
		}
		if !h.After(hi) {
			out = append(out, h)
		}
	}
	return out
}

// TestVTimezoneMatchesScan checks VTimezone (built on ZoneBounds) against
// the sampling scan for zones with odd rules: southern hemisphere, half-hour
// and 45-minute offsets, no DST at all, Ramadan breaks, negative DST.
func TestVTimezoneMatchesScan(t *testing.T) {
	lo := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	hi := time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, zone := range []string{"Europe/Madrid", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe",
		"America/Santiago", "Pacific/Chatham", "Asia/Kolkata", "Asia/Tokyo", "Africa/Casablanca", "Europe/Dublin", "America/Sao_Paulo"} {
		t.Run(zone, func(t *testing.T) {
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Skip(err)
			}
			vt := ics.VTimezone(loc, lo, hi)
			// The first observance is the one in force at lo; each later one
			// is a transition, at its local DTSTART minus TZOFFSETFROM.
			if len(vt.Children) == 0 {
				t.Fatal("no observances")
			}
			var got []time.Time
			for i, o := range vt.Children {
				start, err := time.Parse("20060102T150405", o.Props.Get(ical.PropDateTimeStart).Value)
				if err != nil {
					t.Fatal(err)
				}
				from := parseOffset(t, o.Props.Get(ical.PropTimezoneOffsetFrom).Value)
				to := parseOffset(t, o.Props.Get(ical.PropTimezoneOffsetTo).Value)
				instant := start.Add(-from)
				if i == 0 {
					if instant.After(lo) {
						t.Errorf("first observance starts %v, after the range start", instant)
					}
				} else {
					got = append(got, instant)
				}
				// TZOFFSETTO is what Go says right after the change, TZOFFSETFROM right before.
				if _, off := instant.In(loc).Zone(); i > 0 && time.Duration(off)*time.Second != to {
					t.Errorf("%v: TZOFFSETTO %v, Go says %ds", instant, to, off)
				}
				if _, off := instant.Add(-time.Second).In(loc).Zone(); i > 0 && time.Duration(off)*time.Second != from {
					t.Errorf("%v: TZOFFSETFROM %v, Go says %ds", instant, from, off)
				}
			}
			want := scan(loc, lo, hi)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("transitions\n got %v\nwant %v", got, want)
			}
			if (zone == "Asia/Tokyo" || zone == "Asia/Kolkata") && (len(vt.Children) != 1 || vt.Children[0].Name != ical.CompTimezoneStandard) {
				t.Errorf("a zone without DST should have one STANDARD, got %d observances", len(vt.Children))
			}
		})
	}
}

func parseOffset(t *testing.T, s string) time.Duration {
	t.Helper()
	var h, m int
	if _, err := fmt.Sscanf(s[1:5], "%02d%02d", &h, &m); err != nil {
		t.Fatalf("offset %q: %v", s, err)
	}
	d := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
	if s[0] == '-' {
		d = -d
	}
	return d
}
